/**
 * Thumbnails of takes for the timeline: `media/thumbs/<contentHash>-<widthPx>.webp`, made once and kept.
 *
 * Stills are turned upright by their EXIF orientation and scaled to the width (aspect kept). Clips give the frame
 * at 10% of their duration (0 s when the duration is unknown or the seek lands past the end), grabbed with ffmpeg
 * into a temporary PNG, then scaled by sharp. Files are written to a temporary name and renamed, and calls for the
 * same thumbnail while one is being made share its promise, so nothing races and nothing is half-written.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { MediaError } from './MediaError.ts';
import { resolveInsideProject } from './paths.ts';
import { probeMedia } from './probe.ts';
import { runTool } from './tools.ts';

/** The folder of thumbnails, relative to the project folder. */
export const THUMBS_DIR = 'media/thumbs';

/** Thumbnail width used by the timeline. */
export const DEFAULT_THUMBNAIL_WIDTH_PX = 320;

/** Where in a clip the thumbnail frame is taken, as a fraction of its duration. */
const FRAME_AT_FRACTION = 0.1;

/** How long ffmpeg may take to grab one frame. */
const FFMPEG_FRAME_TIMEOUT_MS = 60_000;

/** Thumbnails being made, by absolute output path: concurrent callers await the same promise. */
const inFlight = new Map<string, Promise<string>>();

let renderedCount = 0;

/** How many thumbnails this process has rendered (cache hits and shared in-flight calls not counted). */
export function thumbnailRenderCount(): number {
  return renderedCount;
}

/**
 * Makes (once) and returns the thumbnail of a take.
 * @param projectDir the `<Name>.storycanvas` folder.
 * @param relPath the take's path relative to the project (`media/takes/<hash>.png`); checked by `resolveInsideProject`.
 * @param contentHash the take's SHA-256 (64 hex digits): it names the thumbnail.
 * @param kind `image` or `video`.
 * @param widthPx thumbnail width in pixels (16 to 4096), 320 by default; the height follows the picture's aspect.
 * @returns the thumbnail's path relative to the project: `media/thumbs/<contentHash>-<widthPx>.webp`. When that file
 *   exists already it is returned without any work.
 * @throws MediaError `media.badArgument` (hash or width), `media.pathRejected`, `media.notFound`, `media.corrupt`
 *   (the take cannot be decoded), `media.toolMissing` (ffmpeg/ffprobe, for clips).
 */
export async function ensureThumbnail(
  projectDir: string,
  relPath: string,
  contentHash: string,
  kind: 'image' | 'video',
  widthPx: number = DEFAULT_THUMBNAIL_WIDTH_PX,
): Promise<string> {
  if (!/^[0-9a-f]{64}$/.test(contentHash)) {
    throw new MediaError('media.badArgument', `"${contentHash}" is not a SHA-256 content hash (64 lowercase hex digits).`, 'Pass the take\'s contentHash as stored in the project.');
  }
  if (!Number.isInteger(widthPx) || widthPx < 16 || widthPx > 4096) {
    throw new MediaError('media.badArgument', `A thumbnail width of ${widthPx} px is out of range.`, 'Ask for a whole number of pixels from 16 to 4096.');
  }
  const thumbRel = `${THUMBS_DIR}/${contentHash}-${widthPx}.webp`;
  const thumbAbs = resolveInsideProject(projectDir, thumbRel);
  // The look-up and the registration happen in one synchronous step, so concurrent callers share one promise.
  const pending = inFlight.get(thumbAbs);
  if (pending) return pending;
  const making = (async () => {
    try {
      if (!(await isFile(thumbAbs))) await makeThumbnail(projectDir, relPath, kind, widthPx, thumbAbs);
      return thumbRel;
    } finally {
      inFlight.delete(thumbAbs);
    }
  })();
  inFlight.set(thumbAbs, making);
  return making;
}

async function makeThumbnail(projectDir: string, relPath: string, kind: 'image' | 'video', widthPx: number, thumbAbs: string): Promise<void> {
  const sourceAbs = resolveInsideProject(projectDir, relPath);
  if (!(await isFile(sourceAbs))) {
    throw new MediaError('media.notFound', `The take file ${relPath} is missing from the project.`, 'Import the picture again; the project keeps its takes in media/takes.');
  }
  const thumbsDir = path.dirname(thumbAbs);
  await mkdir(thumbsDir, { recursive: true });
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const tempThumb = path.join(thumbsDir, `.thumb-${token}.tmp`);
  const tempFrame = path.join(thumbsDir, `.frame-${token}.png`);
  try {
    const picture = kind === 'video' ? await grabFrame(sourceAbs, relPath, tempFrame) : sourceAbs;
    try {
      await sharp(picture).rotate().resize({ width: widthPx }).webp({ quality: 80 }).toFile(tempThumb);
    } catch (error) {
      throw new MediaError('media.corrupt', `The take ${relPath} cannot be decoded for a thumbnail (${(error as Error).message.trim()}).`, 'Import the picture again from its original.', { cause: error });
    }
    await rename(tempThumb, thumbAbs);
    renderedCount++;
  } finally {
    await rm(tempThumb, { force: true });
    await rm(tempFrame, { force: true });
  }
}

/** Writes the frame at 10% of a clip (or its first frame) to `framePath` and returns that path. */
async function grabFrame(sourceAbs: string, relPath: string, framePath: string): Promise<string> {
  const probe = await probeMedia(sourceAbs);
  const atSeconds = probe.durationSeconds ? probe.durationSeconds * FRAME_AT_FRACTION : 0;
  const attempts = atSeconds > 0 ? [atSeconds, 0] : [0];
  for (const seconds of attempts) {
    await runTool(
      'ffmpeg',
      ['-v', 'error', '-nostdin', '-y', '-ss', seconds.toFixed(3), '-i', sourceAbs, '-frames:v', '1', '-an', '-f', 'image2', '-update', '1', '-c:v', 'png', framePath],
      FFMPEG_FRAME_TIMEOUT_MS,
    );
    if (await isFile(framePath)) return framePath;
  }
  throw new MediaError('media.corrupt', `No frame could be read from the clip ${relPath}.`, 'Check that the clip plays; if it does, re-encode it to H.264 MP4 and import that.');
}

/** Whether a non-empty plain file is at the path. */
async function isFile(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    return info.isFile() && info.size > 0;
  } catch {
    return false;
  }
}
