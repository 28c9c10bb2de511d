/**
 * Importing a picture or a clip into a project as a take file: `media/takes/<sha256>.<ext>`.
 *
 * The file is checked first (bytes sniffed, then probed: nothing unreadable is ever copied), then streamed into a
 * temporary file inside `media/takes/` while its SHA-256 is computed, fsynced, and renamed to its content-addressed
 * name. The same content imported twice is stored once. On any error the temporary file is removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MediaError } from './MediaError.ts';
import { probeImage, probeMedia, probeVideo, type MediaProbe, type RationalFrameRate } from './probe.ts';
import { EXTENSION_BY_FORMAT, sniffMediaType, type MediaFormat } from './sniff.ts';

/** The folder of take files, relative to the project folder. */
export const TAKES_DIR = 'media/takes';

/** What an import produced: where the take file is and what it holds. */
export interface ImportedMedia {
  /** Path relative to the project folder, with `/`: `media/takes/<contentHash>.<ext>`. */
  relPath: string;
  /** SHA-256 of the file, 64 lowercase hex digits. */
  contentHash: string;
  kind: 'image' | 'video';
  format: MediaFormat;
  widthPx: number;
  heightPx: number;
  /** Clip length in seconds; null for stills (and for clips whose container does not say). */
  durationSeconds: number | null;
  /** Clip frame rate as a rational; null for stills. */
  frameRate: RationalFrameRate | null;
  /** The file's name as the person had it (`storyboard 12A v3.png`), for display. */
  originalName: string;
}

/**
 * Imports a file from disk into `<projectDir>/media/takes/`, streaming (large clips are never read whole).
 * @param projectDir the `<Name>.storycanvas` folder.
 * @param srcPath the file to import (absolute, or relative to the working directory).
 * @returns the `ImportedMedia`; if a take with the same content already exists it is kept and its path returned.
 * @throws MediaError from `probeMedia` (`media.notFound`, `media.empty`, `media.unsupported`, `media.audioOnly`,
 *   `media.corrupt`, `media.toolMissing`, …) before anything is written, or an Error from the file system while
 *   copying (no temporary file is left behind).
 */
export async function importMediaFile(projectDir: string, srcPath: string): Promise<ImportedMedia> {
  const probe = await probeMedia(srcPath);
  const originalName = path.basename(srcPath);
  return writeTake(projectDir, probe, originalName, async (tempPath, hash) => {
    // `flush: true` fsyncs the file before the stream closes (Node >= 20.10).
    await pipeline(createReadStream(srcPath), hashingPassThrough(hash), createWriteStream(tempPath, { flags: 'wx', flush: true }));
  });
}

/**
 * Imports a file sent by value (web mode drag and drop) into `<projectDir>/media/takes/`.
 * Images are probed from the bytes before anything is written; clips need ffprobe on a file, so they are written
 * to the temporary file first and probed there (the temporary file is removed if the probe refuses them).
 * @param fileName the name the person's file had; only its last component is kept (`C:\\x\\a.png` → `a.png`).
 * @param bytes the whole file.
 * @returns the `ImportedMedia`.
 * @throws MediaError `media.empty`, `media.unsupported`, `media.audioOnly`, `media.corrupt`, `media.toolMissing`.
 */
export async function importMediaBytes(projectDir: string, fileName: string, bytes: Buffer): Promise<ImportedMedia> {
  const originalName = displayName(fileName);
  if (bytes.length === 0) {
    throw new MediaError('media.empty', `${originalName} is empty (0 bytes).`, 'The file may not have finished downloading: try again with the complete file.');
  }
  const sniffed = sniffMediaType(bytes.subarray(0, 4096));
  if (!sniffed) {
    throw new MediaError(
      'media.unsupported',
      `${originalName} is not an image or video StoryCanvas can read. Import PNG, JPEG or WebP images, or MP4, MOV or WebM clips.`,
      'Save the picture as PNG, JPEG or WebP (or the clip as MP4, MOV or WebM) and import that file.',
    );
  }
  const write = async (tempPath: string, hash: ReturnType<typeof createHash>): Promise<void> => {
    hash.update(bytes);
    await writeFile(tempPath, bytes, { flag: 'wx', flush: true });
  };
  if (sniffed.kind === 'image') {
    const probe = await probeImage(bytes, sniffed, originalName);
    return writeTake(projectDir, probe, originalName, write);
  }
  return writeTake(projectDir, null, originalName, write, (tempPath) => probeVideo(tempPath, sniffed, originalName));
}

/**
 * The shared tail of both imports: temp file in `media/takes/`, fill it (hashing, fsynced), optionally probe it,
 * rename to `<hash>.<ext>` unless that name already exists, fsync the folder. Removes the temp file on error.
 */
async function writeTake(
  projectDir: string,
  probe: MediaProbe | null,
  originalName: string,
  fill: (tempPath: string, hash: ReturnType<typeof createHash>) => Promise<void>,
  probeWritten?: (tempPath: string) => Promise<MediaProbe>,
): Promise<ImportedMedia> {
  const takesDir = path.join(projectDir, ...TAKES_DIR.split('/'));
  await mkdir(takesDir, { recursive: true });
  const tempPath = path.join(takesDir, `.import-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const hash = createHash('sha256');
  let renamed = false;
  try {
    await fill(tempPath, hash);
    const finalProbe = probe ?? (await probeWritten!(tempPath));
    const contentHash = hash.digest('hex');
    const fileName = `${contentHash}.${EXTENSION_BY_FORMAT[finalProbe.format]}`;
    const finalPath = path.join(takesDir, fileName);
    if (await exists(finalPath)) {
      await rm(tempPath, { force: true });
    } else {
      await rename(tempPath, finalPath);
      renamed = true;
      await syncFolder(takesDir);
    }
    return {
      relPath: `${TAKES_DIR}/${fileName}`,
      contentHash,
      kind: finalProbe.kind,
      format: finalProbe.format,
      widthPx: finalProbe.widthPx,
      heightPx: finalProbe.heightPx,
      durationSeconds: finalProbe.durationSeconds,
      frameRate: finalProbe.frameRate,
      originalName,
    };
  } catch (error) {
    if (!renamed) await rm(tempPath, { force: true });
    throw error;
  }
}

/** A pass-through stream that feeds every chunk to a hash. */
function hashingPassThrough(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}

/** The last component of a name sent by a browser or another OS, without control characters; `untitled` if none. */
function displayName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? '';
  const clean = last.replace(/[\x00-\x1f\x7f]/g, '').trim();
  return clean || 'untitled';
}

/** Whether a plain file is at the path (a folder of that name is not one: the rename then fails loudly). */
async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Makes a rename durable on POSIX by fsyncing its folder; Windows cannot open folders, and needs no such step. */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
