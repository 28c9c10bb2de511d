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
