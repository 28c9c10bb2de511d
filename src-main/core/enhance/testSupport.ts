/**
 * Helpers shared by the enhancement tests: temporary folders, model folders with sidecars, test pictures, and an
 * untiled reference run. Not used by the app.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import type { ModelSidecar } from './registry.ts';

/** The repository's bundled models folder. */
export const BUNDLED_MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/models');
/** The bundled model's id. */
export const ESPCN_ID = 'storycanvas-espcn-x2';

/** A temporary folder; `cleanup()` removes it. */
export async function tempDir(prefix = 'sc-enhance-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A valid sidecar for `modelBytes`, with `overrides` applied. */
export function sidecarFor(modelBytes: Uint8Array, overrides: Partial<ModelSidecar> = {}): ModelSidecar {
  return {
    schemaVersion: 1,
    id: 'test-model',
    name: 'Test model',
    task: 'upscale',
    scale: 1,
    inputLayout: 'RGB',
    valueRange: [0, 1],
    tileMultiple: 1,
    inputName: 'input',
    outputName: 'output',
    sha256: createHash('sha256').update(modelBytes).digest('hex'),
    licence: { spdx: 'MIT', url: 'https://opensource.org/license/mit' },
    source: 'built by the test',
    ...overrides,
  };
}

/** Writes `<root>/<folder>/model.onnx` and (unless `sidecar` is null) `model.json`; returns the folder. */
export async function writeModelFolder(root: string, folder: string, modelBytes: Uint8Array, sidecar: ModelSidecar | string | null): Promise<string> {
  const dir = path.join(root, folder);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'model.onnx'), modelBytes);
  if (sidecar !== null) await writeFile(path.join(dir, 'model.json'), typeof sidecar === 'string' ? sidecar : JSON.stringify(sidecar, null, 2));
  return dir;
}

/** A deterministic test picture with edges, gradients and noise, as interleaved 8-bit RGB. */
export function testPixels(widthPx: number, heightPx: number, seed = 3): Uint8Array {
  const px = new Uint8Array(widthPx * heightPx * 3);
  let s = seed;
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const noise = (s >> 16) % 40;
      const i = (y * widthPx + x) * 3;
      px[i] = ((x * 255) / Math.max(1, widthPx - 1) + noise) & 255;
      px[i + 1] = ((x + y) % 32 < 16 ? 40 : 200) + (noise >> 2);
      px[i + 2] = Math.round(128 + 100 * Math.sin(x / 7) * Math.cos(y / 5));
    }
  }
  return px;
}

/** Writes `testPixels` as a PNG and returns its path. */
export async function writeTestPng(filePath: string, widthPx: number, heightPx: number, seed = 3): Promise<string> {
  await sharp(Buffer.from(testPixels(widthPx, heightPx, seed)), { raw: { width: widthPx, height: heightPx, channels: 3 } }).png().toFile(filePath);
  return filePath;
}

/** Planar float32 [3][h][w] in [0,1] from interleaved 8-bit RGB. */
export function planarFromRgb(px: Uint8Array, widthPx: number, heightPx: number): Float32Array {
  const plane = widthPx * heightPx;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = px[i * 3 + c] / 255;
  return out;
}

/** Runs a model once on a whole planar input `[channels][h][w]`; returns its planar output. */
export async function runUntiled(session: InferenceSession, input: Float32Array, channels: number, widthPx: number, heightPx: number, inputName = 'input', outputName = 'output'): Promise<Float32Array> {
  const out = await session.run({ [inputName]: new Tensor('float32', input, [1, channels, heightPx, widthPx]) });
  return out[outputName].data as Float32Array;
}

/** A CPU session for model bytes or a path. */
export function cpuSession(model: Uint8Array | string): Promise<InferenceSession> {
  return typeof model === 'string' ? InferenceSession.create(model, { executionProviders: ['cpu'] }) : InferenceSession.create(model, { executionProviders: ['cpu'] });
}

/**
 * Writes a clip from generated RGB frames with ffmpeg (libx264, 4:4:4, lossless `-qp 0`), so decoding it gives back
 * (almost exactly) the frames. `frame(i)` returns interleaved 8-bit RGB of `widthPx` × `heightPx`.
 */
export async function writeTestClip(
  filePath: string,
  options: { widthPx: number; heightPx: number; frameRate: { num: number; den: number }; frameCount: number; frame: (index: number) => Uint8Array },
): Promise<string> {
  const { spawn } = await import('node:child_process');
  const { widthPx, heightPx, frameRate, frameCount } = options;
  const child = spawn(
    'ffmpeg',
    ['-v', 'error', '-nostdin', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${widthPx}x${heightPx}`, '-framerate', `${frameRate.num}/${frameRate.den}`, '-i', 'pipe:0',
      '-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv444p', filePath],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < frameCount; i++) {
    if (!child.stdin.write(Buffer.from(options.frame(i)))) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const code = await new Promise<number | null>((r) => child.on('close', r));
  if (code !== 0) throw new Error(`ffmpeg could not write the test clip ${filePath}: ${stderr}`);
  return filePath;
}

/** Decodes every frame of a clip to interleaved 8-bit RGB with ffmpeg. */
export async function decodeClipFrames(filePath: string, widthPx: number, heightPx: number): Promise<Buffer[]> {
  const { execFile } = await import('node:child_process');
  const bytes = await new Promise<Buffer>((resolve, reject) =>
    execFile('ffmpeg', ['-v', 'error', '-nostdin', '-i', filePath, '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
  const frameBytes = widthPx * heightPx * 3;
  const frames: Buffer[] = [];
  for (let at = 0; at + frameBytes <= bytes.length; at += frameBytes) frames.push(bytes.subarray(at, at + frameBytes));
  return frames;
}

/** ffprobe's view of a clip's first picture stream: decoded frame count, frame rate and size. */
export async function probeTestClip(filePath: string): Promise<{ frames: number; rFrameRate: string; widthPx: number; heightPx: number; durationSeconds: number }> {
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((resolve, reject) =>
    execFile('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames,r_frame_rate,width,height,duration', '-of', 'json', filePath], (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
  const s = (JSON.parse(out) as { streams: Array<{ nb_read_frames: string; r_frame_rate: string; width: number; height: number; duration: string }> }).streams[0];
  return { frames: Number(s.nb_read_frames), rFrameRate: s.r_frame_rate, widthPx: s.width, heightPx: s.height, durationSeconds: Number(s.duration) };
}

/** Mean absolute difference of two equally long byte arrays (8-bit levels). */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`meanAbsDiff: lengths differ (${a.length} and ${b.length}).`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** A test frame for clips: a smooth picture whose red level alternates dark/bright from frame to frame. */
export function clipTestFrame(index: number, widthPx: number, heightPx: number): Uint8Array {
  const px = new Uint8Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const i = (y * widthPx + x) * 3;
      px[i] = index % 2 === 0 ? 40 + (index % 5) * 4 : 210 - (index % 7) * 3;
      px[i + 1] = Math.round((x * 200) / Math.max(1, widthPx - 1)) + 20;
      px[i + 2] = Math.round((y * 180) / Math.max(1, heightPx - 1)) + 30;
    }
  }
  return px;
}
