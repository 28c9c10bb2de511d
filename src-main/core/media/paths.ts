/**
 * Paths inside a project folder (`<Name>.storycanvas/`): the guard that turns a stored or requested relative path
 * (`media/takes/ab12….png`, always with `/`) into an absolute path that is certainly inside the project, and the
 * Content-Type to serve it with.
 *
 * The guard is what the `app://` protocol handler and web mode's media route call before they read a file, so it
 * refuses every spelling of "somewhere else": `..` segments, absolute and drive-letter paths, UNC paths, NUL bytes,
 * backslashes (which Windows would read as separators), `:` (NTFS alternate streams), and symbolic links whose
 * target leaves the folder (checked on the real path, after the links are followed).
 * A URL's percent-escapes must be decoded once by the caller before calling; `%` left in a path is refused.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { MediaError } from './MediaError.ts';

const HINT = 'Media paths are relative to the project folder and use `/`, like media/takes/<hash>.png.';

/**
 * Resolves a project-relative path to an absolute one that is inside the project folder, links followed.
 * The file need not exist (its nearest existing folder is checked); when it does, its real path is returned.
 * @param projectDir the project folder (absolute, or relative to the working directory).
 * @param relPath a relative path with `/` separators.
 * @returns the absolute path, under the project folder's real path.
 * @throws MediaError `media.pathRejected` for any path that is not a plain relative path inside the project, and
 *   `media.notFound` when the project folder itself does not exist.
 */
export function resolveInsideProject(projectDir: string, relPath: string): string {
  if (typeof relPath !== 'string' || relPath.length === 0) throw rejected(String(relPath), 'it is empty');
  if (relPath.includes('\0')) throw rejected(relPath, 'it holds a NUL byte');
  if (relPath.includes('\\')) throw rejected(relPath, 'it holds a backslash; use / between folders');
  if (relPath.includes('%')) throw rejected(relPath, 'it still holds a percent-escape; decode the URL once before resolving');
  if (relPath.includes(':')) throw rejected(relPath, 'it holds a colon (a drive letter, a URL scheme or an alternate stream)');
  if (relPath.startsWith('/') || path.isAbsolute(relPath)) throw rejected(relPath, 'it is absolute');
  if (/[\x01-\x1f\x7f]/.test(relPath)) throw rejected(relPath, 'it holds a control character');
  const segments = relPath.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw rejected(relPath, `it has a "${segment || '//'}" segment`);
    if (/[. ]$/.test(segment)) throw rejected(relPath, 'a name ends with a dot or a space (Windows would drop it)');
  }

  let root: string;
  try {
    root = realpathSync.native(path.resolve(projectDir));
  } catch (error) {
    throw new MediaError('media.notFound', `The project folder ${projectDir} was not found.`, 'Open the project again from its current place.', { cause: error });
  }
  const lexical = path.join(root, ...segments);
  if (!isInside(root, lexical)) throw rejected(relPath, 'it leaves the project folder');

  // Follow links: the deepest existing ancestor (or the file itself) must really be inside the project.
  let existing = lexical;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync.native(existing);
      if (!isInside(root, real)) throw rejected(relPath, 'a symbolic link in it points outside the project folder');
      return rest.length ? path.join(real, ...rest.reverse()) : real;
    } catch (error) {
      if (error instanceof MediaError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw rejected(relPath, `it cannot be read (${code ?? 'unknown error'})`);
      if (existing === root) throw rejected(relPath, 'the project folder vanished while resolving');
      rest.push(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
}

/**
 * The project-relative path (with `/`) of an absolute path inside the project folder.
 * @throws MediaError `media.pathRejected` when the absolute path is not inside the project.
 */
export function toProjectRelative(projectDir: string, absPath: string): string {
  const root = path.resolve(projectDir);
  const target = path.resolve(absPath);
  if (!isInside(root, target) || target === root) throw rejected(absPath, 'it is not inside the project folder');
  return path.relative(root, target).split(path.sep).join('/');
}

/** Content-Type by extension, for the media a project holds and the files its exports write. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  pdf: 'application/pdf',
  json: 'application/json',
  otio: 'application/json',
  xml: 'application/xml',
  fcpxml: 'application/xml',
  edl: 'text/plain; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/**
 * The HTTP Content-Type for a file by its extension (case-insensitive): `image/png`, `video/quicktime`, …;
 * `application/octet-stream` for anything else, so a browser never guesses.
 */
export function contentTypeFor(relPath: string): string {
  const match = /\.([a-z0-9]+)$/i.exec(relPath);
  return (match && CONTENT_TYPES[match[1].toLowerCase()]) || 'application/octet-stream';
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function rejected(relPath: string, why: string): MediaError {
  const shown = JSON.stringify(relPath.length > 200 ? `${relPath.slice(0, 200)}…` : relPath);
  return new MediaError('media.pathRejected', `The media path ${shown} was refused: ${why}.`, HINT);
}
