/**
 * Frame interpolation of a clip with a RIFE-style ONNX model, bringing it to another frame rate (the project's):
 *
 * 1. ffprobe reads the clip's size (rotation applied), frame rate and decoded frame count;
 * 2. `planInterpolation` computes, for every output frame k, its time k / rate and so its position in the source:
 *    an exact source frame when the times align (copied as is, never run through the model), else the two
 *    neighbouring source frames and the timestep between them (0 = the first, 1 = the second). Past the last source
 *    frame the last frame is held. Exact rational arithmetic (BigInt), so 24000/1001 never drifts;
 * 3. ffmpeg decodes the clip to raw RGB frames on a pipe (`-f rawvideo -pix_fmt rgb24`; only two source frames are
 *    held at a time), each in-between frame is computed by the model: inputs `img0`, `img1` as float32 NCHW in the
 *    model's value range, reflect-padded on the right and bottom to a multiple of 32 (or the sidecar's
 *    `tileMultiple` when that is a multiple of it), and the timestep tensor in the shape the graph declares; the
 *    output is cropped back to the frame;
 * 4. a second ffmpeg encodes the frames as H.264 (libx264, yuv420p, CRF 16) at the target rational rate, with the
 *    source clip's first sound stream re-encoded to AAC when there is one, into a temporary name beside the output,
 *    renamed into place when complete.
 * The whole frame goes through the model at once (optical flow needs the whole picture; RIFE works at reduced
 * scales inside), so no tiling. Runs in the enhancement worker (worker.ts); the AbortSignal is checked between
 * frames and stops both ffmpeg processes.
 *
 * ffmpeg: https://ffmpeg.org/ffmpeg.html (rawvideo demuxer/muxer, `-framerate`, libx264 `-crf`);
 * RIFE: https://github.com/hzwer/ECCV2022-RIFE (two frames and a timestep in, the frame at that time out).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Tensor } from 'onnxruntime-node';
import { MediaError } from '../media/MediaError.ts';
import { probeMedia } from '../media/probe.ts';
import { findOnPath, runTool } from '../media/tools.ts';
import { cancelledError, EnhanceError } from './EnhanceError.ts';
import { checkRate, planInterpolation, type FrameRate } from './framePlan.ts';
import type { ModelSession } from './pipeline.ts';
import { interpolationInputs, type ModelSidecar } from './registry.ts';
import { reflectIndex } from './tiling.ts';

export { planInterpolation, type FrameRate, type InterpolationPlan, type PlannedFrame } from './framePlan.ts';

/** The padding multiple: 32 (RIFE's pyramid), or the model's own multiple combined with it. */
export function paddingMultiple(tileMultiple: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (32 * tileMultiple) / gcd(32, tileMultiple);
}

/**
 * An interleaved 8-bit RGB frame as planar float32 `[3][paddedHeight][paddedWidth]` in `[0, range]`, reflect-padded
 * on the right and bottom (numpy's 'reflect': the edge pixel is not repeated).
 */
export function padFrame(rgb: Uint8Array, widthPx: number, heightPx: number, paddedWidthPx: number, paddedHeightPx: number, range: number): Float32Array {
  const plane = paddedWidthPx * paddedHeightPx;
  const out = new Float32Array(3 * plane);
  const k = range / 255;
  const cols = new Int32Array(paddedWidthPx);
  for (let x = 0; x < paddedWidthPx; x++) cols[x] = reflectIndex(x, widthPx);
  for (let y = 0; y < paddedHeightPx; y++) {
    const rowBase = reflectIndex(y, heightPx) * widthPx * 3;
    const o = y * paddedWidthPx;
    for (let x = 0; x < paddedWidthPx; x++) {
      const p = rowBase + cols[x] * 3;
      out[o + x] = rgb[p] * k;
      out[plane + o + x] = rgb[p + 1] * k;
      out[2 * plane + o + x] = rgb[p + 2] * k;
    }
  }
  return out;
}

/** The top-left `widthPx` × `heightPx` of a planar float32 padded frame in `[0, range]`, as interleaved 8-bit RGB. */
export function cropFrame(planar: Float32Array, widthPx: number, heightPx: number, paddedWidthPx: number, paddedHeightPx: number, range: number): Buffer {
  const plane = paddedWidthPx * paddedHeightPx;
  const out = Buffer.allocUnsafe(widthPx * heightPx * 3);
  const k = 255 / range;
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const i = y * paddedWidthPx + x;
      const o = (y * widthPx + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = Math.round(planar[c * plane + i] * k);
        out[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return out;
}

/** What the pipeline needs to know about an interpolation model (sidecar fields and the timestep's declared shape). */
export type InterpolationModelSpec = Pick<ModelSidecar, 'inputName' | 'secondInputName' | 'timestepName' | 'outputName' | 'valueRange' | 'tileMultiple'> & {
  timestepShape?: Array<number | string>;
};

/** The timestep tensor in the graph's declared shape (`[]`, `[1]`, `[1, 1]`, `[1, 1, H, W]`; symbolic dims take H and W). */
export function timestepTensor(timestep: number, shape: Array<number | string> | undefined, paddedWidthPx: number, paddedHeightPx: number): Tensor {
  const declared = shape ?? [1];
  const dims = declared.map((d, i) => (typeof d === 'number' && d > 0 ? d : declared.length === 4 && i === 2 ? paddedHeightPx : declared.length === 4 && i === 3 ? paddedWidthPx : 1));
  const size = dims.reduce((p, d) => p * d, 1);
  return new Tensor('float32', new Float32Array(size).fill(timestep), dims);
}

/** Progress of an interpolation, reported after each output frame. */
export interface FrameProgress {
  framesDone: number;
  framesTotal: number;
  /** framesDone / framesTotal, from 0 to 1. */
  fraction: number;
}

/** Options of `interpolateClipFile`. */
export interface InterpolateFileOptions {
  inputPath: string;
  /** Where the clip goes (`.mp4`); written to a temporary name beside it, then renamed. */
  outputPath: string;
  model: InterpolationModelSpec;
  session: ModelSession;
  /** The rate to bring the clip to (the project's). */
  frameRate: FrameRate;
  signal?: AbortSignal;
  onProgress?: (progress: FrameProgress) => void;
  /** libx264 constant rate factor, 0 to 51 (lower is better). Default 16. */
  crf?: number;
}

/** What `interpolateClipFile` made. */
export interface InterpolateFileResult {
  outputPath: string;
  /** The clip's size (rounded up to even numbers for H.264 4:2:0 by padding the edge). */
  widthPx: number;
  heightPx: number;
  /** Frames written at `frameRate`. */
  frameCount: number;
  frameRate: FrameRate;
  sourceFrameCount: number;
  sourceFrameRate: FrameRate;
  /** Frames computed by the model (the others are source frames copied exactly). */
  interpolatedFrames: number;
}

/** How the clip reads: size after rotation, frame rate, decoded frame count. */
export interface ClipInfo {
  widthPx: number;
  heightPx: number;
  frameRate: FrameRate;
  frameCount: number;
}

const FFPROBE_TIMEOUT_MS = 120_000;

/**
 * Reads a clip's size (rotation applied), frame rate and decoded frame count with ffprobe
 * (`-count_frames`, https://ffmpeg.org/ffprobe.html).
 * @throws EnhanceError `enhance.toolMissing` (no ffprobe), `enhance.badInput` (not a readable clip, no frame rate).
 */
export async function probeClip(inputPath: string): Promise<ClipInfo> {
  try {
    await stat(inputPath);
  } catch {
    throw new EnhanceError('enhance.badInput', `The clip ${inputPath} does not exist.`, 'Check the take is still in the project folder.');
  }
  try {
    const probe = await probeMedia(inputPath);
    if (probe.kind !== 'video') {
      throw new EnhanceError('enhance.unsupportedTask', `${path.basename(inputPath)} is a still picture; frame interpolation needs a clip.`, 'Pick a video take, or an upscale model for pictures.');
    }
    if (!probe.frameRate) throw new EnhanceError('enhance.badInput', `${path.basename(inputPath)} does not say its frame rate.`, 'Re-encode the clip at a constant frame rate (H.264 MP4), import it, and try again.');
    const json = await runTool('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'json', path.resolve(inputPath)], FFPROBE_TIMEOUT_MS);
    const frames = Number((JSON.parse(json) as { streams?: Array<{ nb_read_frames?: string }> }).streams?.[0]?.nb_read_frames);
    if (!Number.isSafeInteger(frames) || frames < 1) throw new EnhanceError('enhance.badInput', `${path.basename(inputPath)} has no picture frames ffmpeg can decode.`, 'Check the clip plays in a video player, or re-encode it to H.264 MP4.');
    return { widthPx: probe.widthPx, heightPx: probe.heightPx, frameRate: probe.frameRate, frameCount: frames };
  } catch (err) {
    if (err instanceof EnhanceError) throw err;
    if (err instanceof MediaError && err.code === 'media.toolMissing') throw new EnhanceError('enhance.toolMissing', err.message, err.hint, { cause: err });
    throw new EnhanceError('enhance.badInput', `The clip ${path.basename(inputPath)} cannot be read: ${(err as Error).message}`, 'Check the clip plays in a video player, or re-encode it to H.264 MP4.', { cause: err });
  }
}

function requireFfmpeg(): string {
  const found = findOnPath('ffmpeg');
  if (!found) {
    throw new EnhanceError('enhance.toolMissing', 'ffmpeg was not found: frame interpolation decodes and encodes clips with it.', 'Install ffmpeg (macOS: `brew install ffmpeg`; Debian/Ubuntu: `sudo apt install ffmpeg`; Windows: `winget install ffmpeg`) and restart StoryCanvas.');
  }
  return found;
}

/** The last lines a process wrote on stderr (kept small). */
function stderrTail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  });
  return () => text.trim().split('\n').slice(-3).join(' ');
}

/** Yields fixed-size frames from a byte stream; the last partial frame (if any) is dropped. */
async function* readFrames(stream: Readable, frameBytes: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending.push(chunk);
    size += chunk.length;
    if (size < frameBytes) continue;
    let all = Buffer.concat(pending, size);
    while (all.length >= frameBytes) {
      yield Buffer.from(all.subarray(0, frameBytes));
      all = all.subarray(frameBytes);
    }
    pending = all.length > 0 ? [all] : [];
    size = all.length;
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return once(child, 'close').then(([code]) => code as number | null);
}

/**
 * Brings a clip to `frameRate` with an interpolation model (see the module documentation).
 * @returns where the clip is, its size, frame counts and rates.
 * @throws EnhanceError `enhance.toolMissing` (no ffmpeg/ffprobe), `enhance.badInput` (the clip cannot be decoded),
 *   `enhance.badArgument` (bad rate or output extension), `enhance.inferenceFailed` (the model failed or returned
 *   another shape), `enhance.encodeFailed` (ffmpeg could not write the clip), `enhance.cancelled`.
 */
export async function interpolateClipFile(options: InterpolateFileOptions): Promise<InterpolateFileResult> {
  const { inputPath, outputPath, model, session, frameRate, signal } = options;
  if (path.extname(outputPath).toLowerCase() !== '.mp4') {
    throw new EnhanceError('enhance.badArgument', `Cannot write "${path.basename(outputPath)}": interpolated clips are written as .mp4 (H.264).`, 'Name the output .mp4.');
  }
  const crf = options.crf ?? 16;
  if (!Number.isInteger(crf) || crf < 0 || crf > 51) throw new EnhanceError('enhance.badArgument', `CRF ${crf} is not a whole number from 0 to 51.`, 'Use 16 (visually lossless) unless you need smaller files.');
  checkRate(frameRate, 'target');
  if (signal?.aborted) throw cancelledError();
  const ffmpeg = requireFfmpeg();
  const clip = await probeClip(inputPath);
  const plan = planInterpolation(clip.frameCount, clip.frameRate, frameRate);
  const { widthPx, heightPx } = clip;
  const multiple = paddingMultiple(model.tileMultiple);
  const paddedWidthPx = Math.ceil(widthPx / multiple) * multiple;
  const paddedHeightPx = Math.ceil(heightPx / multiple) * multiple;
  const range = model.valueRange[1];
  const names = interpolationInputs(model);
  const frameBytes = widthPx * heightPx * 3;
  const rate = `${frameRate.num}/${frameRate.den}`;
  const tmpOut = path.join(path.dirname(outputPath), `.${path.basename(outputPath)}.interpolate-${randomBytes(4).toString('hex')}.mp4`);

  const decoder = spawn(ffmpeg, ['-v', 'error', '-nostdin', '-i', path.resolve(inputPath), '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const encoder = spawn(
    ffmpeg,
    [
      '-v', 'error', '-nostdin', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${widthPx}x${heightPx}`, '-framerate', rate, '-i', 'pipe:0',
      '-i', path.resolve(inputPath),
      '-map', '0:v:0', '-map', '1:a:0?',
      '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2',
      '-c:v', 'libx264', '-preset', 'medium', '-crf', String(crf), '-pix_fmt', 'yuv420p', '-r', rate,
      '-c:a', 'aac', '-b:a', '192k',
      '-movflags', '+faststart',
      tmpOut,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true },
  );
  const decoderErr = stderrTail(decoder);
  const encoderErr = stderrTail(encoder);
  const decoderExit = exitOf(decoder);
  const encoderExit = exitOf(encoder);
  let spawnError: Error | undefined;
  decoder.on('error', (e) => (spawnError ??= e));
  encoder.on('error', (e) => (spawnError ??= e));
  encoder.stdin?.on('error', () => undefined); // reported through the exit code
  const kill = () => {
    decoder.kill('SIGKILL');
    encoder.kill('SIGKILL');
    // Unread output would keep the pipes (and so the processes' 'close') open.
    decoder.stdout?.destroy();
    encoder.stdin?.destroy();
  };
  signal?.addEventListener('abort', kill, { once: true });

  let completed = false;
  try {
    const reader = readFrames(decoder.stdout as Readable, frameBytes);
    // Source frames held: the two newest (index -> bytes), and their padded planar forms.
    const held = new Map<number, Buffer>();
    const padded = new Map<number, Float32Array>();
    let nextIndex = 0;
    let ended = false;
    const frameAt = async (index: number): Promise<{ index: number; bytes: Buffer }> => {
      while (!ended && nextIndex <= index) {
        const next = await reader.next();
        if (next.done) {
          ended = true;
          break;
        }
        held.set(nextIndex, next.value);
        for (const key of held.keys()) if (key < nextIndex - 1) held.delete(key);
        for (const key of padded.keys()) if (key < nextIndex - 1) padded.delete(key);
        nextIndex++;
      }
      if (held.size === 0) {
        throw new EnhanceError('enhance.badInput', `ffmpeg decoded no frame from ${path.basename(inputPath)}: ${decoderErr() || 'no picture'}.`, 'Check the clip plays in a video player, or re-encode it to H.264 MP4.');
      }
      // A clip shorter than ffprobe counted holds its last frame.
      const at = Math.min(index, nextIndex - 1);
      return { index: at, bytes: held.get(at) as Buffer };
    };
    const paddedAt = async (index: number): Promise<Float32Array> => {
      const frame = await frameAt(index);
      let data = padded.get(frame.index);
      if (!data) {
        data = padFrame(frame.bytes, widthPx, heightPx, paddedWidthPx, paddedHeightPx, range);
        padded.set(frame.index, data);
      }
      return data;
    };
    const write = async (bytes: Buffer): Promise<void> => {
      if (spawnError) throw spawnError;
      if (encoder.exitCode !== null || !encoder.stdin || encoder.stdin.destroyed) {
        throw new EnhanceError('enhance.encodeFailed', `ffmpeg stopped while writing the interpolated clip: ${encoderErr() || `exit code ${encoder.exitCode}`}.`, 'Check there is free disk space in the project folder, then try again.');
      }
      if (!encoder.stdin.write(bytes)) await Promise.race([once(encoder.stdin, 'drain'), encoderExit]);
    };
    let interpolated = 0;
    for (const frame of plan.frames) {
      if (signal?.aborted) throw cancelledError();
      if (frame.exact) {
        await write((await frameAt(frame.from)).bytes);
      } else {
        const img0 = await paddedAt(frame.from);
        const img1 = await paddedAt(frame.to);
        if (signal?.aborted) throw cancelledError();
        const dims = [1, 3, paddedHeightPx, paddedWidthPx];
        let result;
        try {
          result = await session.run({
            [names.img0]: new Tensor('float32', img0, dims),
            [names.img1]: new Tensor('float32', img1, dims),
            [names.timestep]: timestepTensor(frame.timestep, model.timestepShape, paddedWidthPx, paddedHeightPx),
          });
        } catch (err) {
          throw new EnhanceError('enhance.inferenceFailed', `The model failed on frames ${frame.from} and ${frame.to} (${paddedWidthPx}x${paddedHeightPx} padded): ${(err as Error).message.split('\n')[0]}`, 'Check the model is a frame interpolation model (two frames and a timestep), or try another one.', { cause: err });
        }
        const out = result[model.outputName];
        const expected = dims.join('x');
        if (!out || out.type !== 'float32' || out.dims.join('x') !== expected) {
          throw new EnhanceError('enhance.inferenceFailed', `The model returned ${out ? `${out.type} ${out.dims.join('x')}` : `no output "${model.outputName}"`}; float32 ${expected} was expected.`, 'Check outputName in the model\'s model.json.');
        }
        await write(cropFrame(out.data as Float32Array, widthPx, heightPx, paddedWidthPx, paddedHeightPx, range));
        interpolated++;
      }
      options.onProgress?.({ framesDone: frame.index + 1, framesTotal: plan.frameCount, fraction: (frame.index + 1) / plan.frameCount });
    }
    encoder.stdin?.end();
    decoder.stdout?.destroy();
    decoder.kill('SIGKILL'); // frames past the last needed one are not read
    const code = await encoderExit;
    if (signal?.aborted) throw cancelledError();
    if (spawnError) throw spawnError;
    if (code !== 0) {
      throw new EnhanceError('enhance.encodeFailed', `ffmpeg could not write the interpolated clip: ${encoderErr() || `exit code ${code}`}.`, 'Check there is free disk space in the project folder, then try again.');
    }
    await rename(tmpOut, outputPath);
    completed = true;
    return {
      outputPath,
      widthPx: widthPx + (widthPx % 2),
      heightPx: heightPx + (heightPx % 2),
      frameCount: plan.frameCount,
      frameRate: { ...frameRate },
      sourceFrameCount: clip.frameCount,
      sourceFrameRate: clip.frameRate,
      interpolatedFrames: interpolated,
    };
  } catch (err) {
    if (signal?.aborted) throw cancelledError();
    if (err instanceof EnhanceError) throw err;
    throw new EnhanceError('enhance.encodeFailed', `Interpolating ${path.basename(inputPath)} failed: ${(err as Error).message}`, 'Check ffmpeg is installed and the clip plays, then try again.', { cause: err });
  } finally {
    signal?.removeEventListener('abort', kill);
    if (!completed) kill();
    await Promise.all([decoderExit, encoderExit]).catch(() => undefined);
    if (!completed) await rm(tmpOut, { force: true });
  }
}
