/**
 * Absolute file paths -> `file:` URLs for media references, independent of the machine that exports
 * (a project made on Windows can be exported anywhere).
 *
 * - RFC 8089 (The "file" URI Scheme): `file:///path` (empty authority) for FCPXML `media-rep src` and OTIO
 *   `target_url`; a Windows drive path becomes `file:///C:/dir/file`, a UNC path `file://server/share/file`.
 * - xmeml `pathurl` uses the `file://localhost/...` form that Final Cut Pro 7 and Premiere Pro write
 *   (Apple, "Final Cut Pro XML Interchange Format", `pathurl`); Premiere percent-encodes the drive colon
 *   (`file://localhost/D%3a/media/a.mov`), and so does this module in that form.
 * - Each path segment is percent-encoded as UTF-8 (RFC 3986 section 2.1): a space is `%20`, `#` is `%23`,
 *   `%` is `%25`, `é` is `%C3%A9`.
 */
import { isAbsoluteMediaPath } from './EditTimeline.ts';

/** Which URL form to write; see the module comment. */
export type FileUrlStyle = 'rfc8089' | 'localhost';

function encodeSegments(segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/**
 * Turns an absolute POSIX (`/a/b.png`), Windows drive (`C:\a\b.png`) or UNC (`\\server\share\b.png`) path into a
 * percent-encoded `file:` URL.
 * @throws Error for a relative path: the exporters reference media by absolute path only.
 */
export function fileUrlFromPath(path: string, style: FileUrlStyle = 'rfc8089'): string {
  if (!isAbsoluteMediaPath(path)) throw new Error(`media path must be absolute to make a file URL; got ${JSON.stringify(path)}`);
  const host = style === 'localhost' ? 'localhost' : '';
  if (path.startsWith('\\\\')) {
    const [server = '', ...rest] = path.slice(2).split(/[\\/]/);
    return `file://${encodeURIComponent(server)}/${encodeSegments(rest)}`;
  }
  const drive = /^([A-Za-z]):[\\/](.*)$/.exec(path);
  if (drive) {
    const letter = drive[1].toUpperCase();
    const rest = encodeSegments((drive[2] ?? '').split(/[\\/]/));
    return style === 'localhost' ? `file://localhost/${letter}%3A/${rest}` : `file:///${letter}:/${rest}`;
  }
  return `file://${host}/${encodeSegments(path.slice(1).split('/'))}`;
}

/**
 * The file name at the end of a path: `/a/b/shot 12A.png` -> `shot 12A.png`, `C:\a\b.png` -> `b.png`.
 * A backslash splits only Windows drive and UNC paths (in a POSIX path it is part of a name).
 */
export function mediaFileName(path: string): string {
  const windows = /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
  const parts = path.split(windows ? /[\\/]/ : '/');
  return parts[parts.length - 1] ?? path;
}
