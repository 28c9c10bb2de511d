/**
 * Small media files made on the fly for the media module's tests (nothing large is committed).
 * Images come from sharp; clips from `ffmpeg -f lavfi -i testsrc=size=64x36:rate=24 -t 1` when ffmpeg is on PATH.
 * Test support only: nothing in the app imports this file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { findOnPath } from './tools.ts';

const run = promisify(execFile);

/** Whether ffmpeg and ffprobe are on PATH (the clip tests need both). */
export const HAS_FFMPEG = findOnPath('ffmpeg') !== null && findOnPath('ffprobe') !== null;

/** A fresh temporary folder under the OS temp dir; the caller removes it in `afterAll`. */
export function makeTempDir(prefix = 'storycanvas-media-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A gradient-ish test picture of the given size, so that encoders have something to encode. */
function testPicture(widthPx: number, heightPx: number) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}">
    <defs><linearGradient id="g"><stop offset="0" stop-color="#c33"/><stop offset="1" stop-color="#33c"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><rect width="${Math.ceil(widthPx / 4)}" height="${Math.ceil(heightPx / 4)}" fill="#fff"/></svg>`;
  return sharp(Buffer.from(svg));
}

/** Writes a PNG of `widthPx`x`heightPx` and returns its path. */
export async function writePng(dir: string, name: string, widthPx = 64, heightPx = 36): Promise<string> {
  const file = path.join(dir, name);
  await testPicture(widthPx, heightPx).png().toFile(file);
  return file;
}

/** Writes a JPEG, optionally with an EXIF orientation tag (6 = rotate 90° clockwise to display). */
export async function writeJpeg(dir: string, name: string, widthPx = 64, heightPx = 36, orientation?: number): Promise<string> {
  const file = path.join(dir, name);
  let pipeline = testPicture(widthPx, heightPx).jpeg({ quality: 80 });
  if (orientation) pipeline = pipeline.withMetadata({ orientation });
  await pipeline.toFile(file);
  return file;
}

/** Writes a WebP and returns its path. */
export async function writeWebp(dir: string, name: string, widthPx = 64, heightPx = 36): Promise<string> {
  const file = path.join(dir, name);
  await testPicture(widthPx, heightPx).webp().toFile(file);
  return file;
}

/** Writes raw bytes and returns the path. */
export async function writeBytes(dir: string, name: string, bytes: Buffer | string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

/**
 * Makes a 1 s clip of the lavfi test pattern, 64x36 at `rate` (e.g. `24000/1001`), with a 440 Hz tone when `withAudio`.
 * @param container `mp4` (H.264), `mov` (H.264 in QuickTime), `webm` (VP8 + Vorbis), `mkv` (H.264).
 */
export async function writeClip(
  dir: string,
  name: string,
  container: 'mp4' | 'mov' | 'webm' | 'mkv',
  options: { rate?: string; withAudio?: boolean; extraArgs?: string[] } = {},
): Promise<string> {
  const file = path.join(dir, name);
  const rate = options.rate ?? '24';
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=64x36:rate=${rate}`];
  if (options.withAudio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  args.push('-t', '1');
  if (container === 'webm') args.push('-c:v', 'libvpx', '-b:v', '200k');
  else args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (options.withAudio) args.push('-c:a', container === 'webm' ? 'libvorbis' : 'aac', '-shortest');
  args.push(...(options.extraArgs ?? []), '-f', container === 'mkv' ? 'matroska' : container, file);
  await run('ffmpeg', args);
  return file;
}

/** Makes a 1 s sound-only file (AAC in an .m4a, which is ISO-BMFF like MP4). */
export async function writeAudioOnly(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '1', '-c:a', 'aac', '-f', 'ipod', file]);
  return file;
}

/** Makes a 1 s sound-only file in a plain `.mp4` container (major brand isom), which sniffs as mp4. */
export async function writeAudioOnlyMp4(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '1', '-c:a', 'aac', '-f', 'mp4', file]);
  return file;
}
