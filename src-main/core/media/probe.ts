/**
 * What a take is: kind, format, pixel size, and for clips duration, frame rate, codec and sound.
 *
 * Images are read with sharp (libvips); clips with `ffprobe -v error -print_format json -show_streams -show_format`
 * (https://ffmpeg.org/ffprobe.html), spawned directly. The file type always comes from the bytes (`sniff.ts`).
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { MediaError } from './MediaError.ts';
import { SNIFF_BYTES, sniffMediaType, type MediaFormat, type SniffedMedia } from './sniff.ts';
import { runTool } from './tools.ts';

export { MediaError } from './MediaError.ts';

/** A frame rate as an exact rational, frames per second = num / den (24000/1001, never 23.976). */
export interface RationalFrameRate {
  num: number;
  den: number;
}

/** What `probeMedia` finds in a file. Sizes are as displayed (after EXIF orientation or a clip's rotation). */
export interface MediaProbe {
  kind: 'image' | 'video';
  format: MediaFormat;
  widthPx: number;
  heightPx: number;
  /** Length of a clip in seconds; null for stills and for clips whose container does not say. */
  durationSeconds: number | null;
  /** The clip's frame rate, reduced (`{num: 24000, den: 1001}`); null for stills or when unknown. */
  frameRate: RationalFrameRate | null;
  /** The picture codec as ffprobe names it (`h264`, `vp9`, `prores`); null for stills. */
  codec: string | null;
  /** Whether a clip has a sound stream (always false for stills). */
  hasAudio: boolean;
}

/** How long ffprobe may take on one file. */
const FFPROBE_TIMEOUT_MS = 30_000;

const UNSUPPORTED_HINT = 'Save the picture as PNG, JPEG or WebP (or the clip as MP4, MOV or WebM) and import that file.';

/**
 * Probes a file for import as a take.
 * @param absPath absolute path of the file.
 * @returns its `MediaProbe`.
 * @throws MediaError `media.notFound` (no such file, or a folder), `media.empty` (0 bytes), `media.unsupported`
 *   (the bytes are no image or clip StoryCanvas reads), `media.audioOnly` (sound without picture), `media.corrupt`
 *   (recognised but undecodable), `media.tooLarge`, `media.toolMissing` (ffprobe not on PATH; clips only).
 */
export async function probeMedia(absPath: string): Promise<MediaProbe> {
  const name = path.basename(absPath);
  const head = await readHead(absPath);
  const sniffed = sniffMediaType(head);
  if (!sniffed) throw unsupportedError(name);
  return sniffed.kind === 'image' ? probeImage(absPath, sniffed, name) : probeVideo(absPath, sniffed, name);
}

/**
 * The first bytes of a file, for `sniffMediaType`.
 * @throws MediaError `media.notFound` when the path does not exist or is not a file; `media.empty` for 0 bytes.
 */
export async function readHead(absPath: string, byteCount = SNIFF_BYTES): Promise<Buffer> {
  const name = path.basename(absPath);
  let size: number;
  try {
    const info = await stat(absPath);
    if (!info.isFile()) throw notFoundError(absPath, `${name} is a folder, not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw notFoundError(absPath, `${name} was not found at ${absPath}.`, error);
  }
  if (size === 0) {
    throw new MediaError('media.empty', `${name} is empty (0 bytes).`, 'The file may still be downloading or copying: wait for it to finish, then import it again.');
  }
  const handle = await open(absPath, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(byteCount, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Probes an image (a path or its bytes) with sharp: header metadata, then a small decode so that a truncated or
 * damaged file is refused at import rather than failing later in a thumbnail or an export.
 * @param input absolute path or the file's bytes; `name` is used in messages.
 * @throws MediaError `media.corrupt` or `media.tooLarge`.
 */
export async function probeImage(input: string | Buffer, sniffed: SniffedMedia, name: string): Promise<MediaProbe> {
  try {
    const meta = await sharp(input).metadata();
    // A small decode reads every byte of the picture (JPEG decodes at 1/8 scale through shrink-on-load).
    await sharp(input).resize(16, 16, { fit: 'inside' }).raw().toBuffer();
    // autoOrient is the size once EXIF orientation is applied; an animated WebP reports its first frame's size.
    const { width: widthPx, height: heightPx } = meta.autoOrient ?? { width: meta.width, height: meta.height };
    if (!widthPx || !heightPx) throw new Error('no pixel size in the header');
    return { kind: 'image', format: sniffed.format, widthPx, heightPx, durationSeconds: null, frameRate: null, codec: null, hasAudio: false };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(reason)) {
      throw new MediaError('media.tooLarge', `${name} has more pixels than StoryCanvas reads (268 megapixels at most).`, 'Scale the image down (a storyboard frame needs no more than 8K), then import it.', { cause: error });
    }
    throw new MediaError('media.corrupt', `${name} looks like a ${sniffed.format.toUpperCase()} image but cannot be read (${reason.trim()}).`, 'The file is damaged or incomplete: open it in an image editor and save it again, or export it once more.', { cause: error });
  }
}

/** One stream of ffprobe's `-show_streams` JSON: the fields this module reads. */
export interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number }>;
}
/** ffprobe's `-show_streams -show_format` JSON: the fields this module reads. */
export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { duration?: string; format_name?: string };
}

/**
 * Probes a clip with ffprobe.
 * @throws MediaError `media.toolMissing`, `media.corrupt` (ffprobe cannot read it), `media.audioOnly`, `media.unsupported`.
 */
export async function probeVideo(absPath: string, sniffed: SniffedMedia, name: string): Promise<MediaProbe> {
  let json: string;
  try {
    json = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path.resolve(absPath)], FFPROBE_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof MediaError && error.code === 'media.toolFailed') {
      throw new MediaError('media.corrupt', `${name} looks like a ${sniffed.format.toUpperCase()} clip but cannot be read: ${error.message}`, 'The file is damaged or incomplete: export it again, or re-encode it to H.264 MP4.', { cause: error });
    }
    throw error;
  }
  return parseFfprobeOutput(JSON.parse(json) as FfprobeOutput, sniffed, name);
}

/**
 * Turns ffprobe's JSON into a `MediaProbe` (exported for tests with recorded outputs).
 * Picks the first picture stream that is not cover art; size is swapped for ±90° rotation.
 * @throws MediaError `media.audioOnly` (sound only), `media.unsupported` (no picture stream), `media.corrupt` (no size).
 */
export function parseFfprobeOutput(output: FfprobeOutput, sniffed: SniffedMedia, name: string): MediaProbe {
  const streams = output.streams ?? [];
  const picture = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const hasAudio = streams.some((s) => s.codec_type === 'audio');
  if (!picture) {
    if (hasAudio) {
      throw new MediaError('media.audioOnly', `${name} holds sound only: a take needs a picture.`, `${UNSUPPORTED_HINT} Sound for an animatic is added at export.`);
    }
    throw unsupportedError(name);
  }
  if (!picture.width || !picture.height) {
    throw new MediaError('media.corrupt', `${name} has a picture stream without a size.`, 'Re-encode the clip to H.264 MP4, then import it.');
  }
  const rotation = rotationDegrees(picture);
  const sideways = Math.abs(rotation) % 180 === 90;
  const duration = parsePositiveNumber(output.format?.duration) ?? parsePositiveNumber(picture.duration);
  return {
    kind: 'video',
    format: sniffed.format,
    widthPx: sideways ? picture.height : picture.width,
    heightPx: sideways ? picture.width : picture.height,
    durationSeconds: duration,
    frameRate: chooseFrameRate(picture.r_frame_rate, picture.avg_frame_rate),
    codec: picture.codec_name ?? null,
    hasAudio,
  };
}

/**
 * Parses ffprobe's `"24000/1001"` into a reduced rational, or null for `"0/0"`, garbage or non-positive values.
 */
export function parseRational(text: string | undefined): RationalFrameRate | null {
  const match = /^(\d+)\/(\d+)$/.exec(text?.trim() ?? '');
  if (!match) return null;
  const num = Number(match[1]);
  const den = Number(match[2]);
  if (!num || !den) return null;
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}

/**
 * The frame rate to report: `r_frame_rate` (the stream's base rate, exact for constant-rate clips) when the average
 * agrees with it within 0.5%; otherwise the average (variable-rate phone clips report a base of 90000/1 or 120/1).
 */
function chooseFrameRate(base: string | undefined, average: string | undefined): RationalFrameRate | null {
  const r = parseRational(base);
  const avg = parseRational(average);
  if (r && avg) return Math.abs(r.num / r.den - avg.num / avg.den) <= 0.005 * (avg.num / avg.den) ? r : avg;
  const only = r ?? avg;
  return only && only.num / only.den <= 1000 ? only : null;
}

function rotationDegrees(stream: FfprobeStream): number {
  const fromSideData = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  if (typeof fromSideData === 'number') return fromSideData;
  const fromTag = Number(stream.tags?.rotate);
  return Number.isFinite(fromTag) ? fromTag : 0;
}

function parsePositiveNumber(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function unsupportedError(name: string): MediaError {
  return new MediaError('media.unsupported', `${name} is not an image or video StoryCanvas can read. Import PNG, JPEG or WebP images, or MP4, MOV or WebM clips.`, UNSUPPORTED_HINT);
}

function notFoundError(absPath: string, message: string, cause?: unknown): MediaError {
  return new MediaError('media.notFound', message, `Check that the file is still at ${absPath} (moved, renamed, or on a drive that is not connected?).`, { cause });
}
