import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enhanceCacheKey, sha256OfFile } from './cacheKey.ts';
import { EnhanceRuntime } from './EnhanceRuntime.ts';
import { buildBlendModel } from './modelBuilders.ts';
import { BUNDLED_MODELS_DIR, ESPCN_ID, sidecarFor, tempDir, writeModelFolder, writeTestPng } from './testSupport.ts';

let dir: string;
let userDir: string;
let cleanup: () => Promise<void>;
let runtime: EnhanceRuntime;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  userDir = path.join(dir, 'config', 'models');
  const rife = buildBlendModel();
  await writeModelFolder(userDir, 'rife-like', rife, sidecarFor(rife, { id: 'rife-like', task: 'interpolate', inputName: 'img0' }));
  runtime = new EnhanceRuntime({ roots: { bundledDir: BUNDLED_MODELS_DIR, userDir }, sessionIdleMs: 400, useGpu: false });
});
afterAll(async () => {
  await runtime.close();
  await cleanup();
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('EnhanceRuntime (worker thread)', () => {
  it('upscales a take in the worker, reporting provider, attempts, time and progress per tile', async () => {
    const input = await writeTestPng(path.join(dir, 'shot12A-take1.png'), 300, 170);
    const progress: number[] = [];
    const result = await runtime.enhance({ inputPath: input, outputPath: path.join(dir, 'shot12A-take1@2x.png'), modelId: ESPCN_ID, tileSizePx: 128, onProgress: (p) => progress.push(p.fraction) });
    expect(result).toMatchObject({ outputPath: path.join(dir, 'shot12A-take1@2x.png'), widthPx: 600, heightPx: 340, provider: 'cpu', modelId: ESPCN_ID, tilesTotal: 6 });
    expect(result.tried).toEqual([{ name: 'cpu', ok: true }]);
    expect(result.ms).toBeGreaterThan(0);
    expect(progress).toHaveLength(6);
    expect(progress.at(-1)).toBe(1);
    const meta = await sharp(result.outputPath).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([600, 340, 'png']);
    expect(runtime.warmModelIds()).toEqual([ESPCN_ID]);
  });

  it('keeps the main thread free while the worker computes', async () => {
    const input = await writeTestPng(path.join(dir, 'big.png'), 640, 480);
    let ticks = 0;
    let worstGapMs = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstGapMs = Math.max(worstGapMs, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    // One tile for the whole picture: run on this thread, inference would block it for the whole job.
    const result = await runtime.enhance({ inputPath: input, outputPath: path.join(dir, 'big@2x.png'), modelId: ESPCN_ID, tileSizePx: 640 });
    clearInterval(timer);
    const elapsedMs = performance.now() - started;
    expect(result.widthPx).toBe(1280);
    expect(result.tilesTotal).toBe(1);
    // The event loop kept ticking all along: no pause anywhere near the length of the job.
    expect(ticks).toBeGreaterThan(elapsedMs / 50);
    expect(worstGapMs).toBeLessThan(Math.min(100, elapsedMs / 3));
  });

  it('cancels between tiles through the AbortSignal, leaving no output', async () => {
    const input = await writeTestPng(path.join(dir, 'cancel.png'), 400, 400);
    const controller = new AbortController();
    let seen = 0;
    const run = runtime.enhance({
      inputPath: input,
      outputPath: path.join(dir, 'cancel@2x.png'),
      modelId: ESPCN_ID,
      tileSizePx: 48,
      overlapPx: 8,
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.tilesDone;
        if (p.tilesDone === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'enhance.cancelled' });
    expect(seen).toBeLessThan(10); // of 100 tiles
    const files = await readdir(dir);
    expect(files.includes('cancel@2x.png')).toBe(false);
    expect(files.filter((f) => f.includes('.enhance-'))).toEqual([]);
    // an already-aborted signal never reaches the worker
    await expect(runtime.enhance({ inputPath: input, outputPath: path.join(dir, 'x.png'), modelId: ESPCN_ID, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'enhance.cancelled' });
  });

  it('runs jobs sent together one after the other, all to completion', async () => {
    const inputs = await Promise.all([0, 1, 2].map((i) => writeTestPng(path.join(dir, `multi${i}.png`), 60 + i, 40, i)));
    const results = await Promise.all(inputs.map((inputPath, i) => runtime.enhance({ inputPath, outputPath: path.join(dir, `multi${i}@2x.webp`), modelId: ESPCN_ID })));
    expect(results.map((r) => r.widthPx)).toEqual([120, 122, 124]);
    expect((await sharp(results[2].outputPath).metadata()).format).toBe('webp');
  });

  it('refuses unknown models and models of another task', async () => {
    const input = await writeTestPng(path.join(dir, 'small.png'), 8, 8);
    await expect(runtime.enhance({ inputPath: input, outputPath: path.join(dir, 'o.png'), modelId: 'nope' })).rejects.toMatchObject({ code: 'enhance.unknownModel' });
    await expect(runtime.enhance({ inputPath: input, outputPath: path.join(dir, 'o.png'), modelId: 'rife-like' })).rejects.toMatchObject({
      code: 'enhance.unsupportedTask',
      message: expect.stringMatching(/does interpolate: it runs on clips \(frame interpolation\), not on pictures/),
    });
    const list = await runtime.listModels();
    const ids = list.models.map((m) => m.id);
    expect(ids).toContain(ESPCN_ID);
    expect(ids.at(-1)).toBe('rife-like'); // the user's models come after the bundled ones
  });

  it('releases the session after the idle time, stops the worker, and starts a new one for the next job', async () => {
    await waitFor(() => runtime.warmModelIds().length === 0 && !runtime.workerRunning);
    const before = runtime.workersStarted;
    const input = await writeTestPng(path.join(dir, 'again.png'), 32, 32);
    const result = await runtime.enhance({ inputPath: input, outputPath: path.join(dir, 'again@2x.png'), modelId: ESPCN_ID });
    expect(result.provider).toBe('cpu');
    expect(runtime.workersStarted).toBe(before + 1);
    expect(runtime.warmModelIds()).toEqual([ESPCN_ID]);
  });
});

describe('EnhanceRuntime.close during a job', () => {
  it('lets the running job stop at a tile boundary, fails it as cancelled, and the process lives on', async () => {
    const own = new EnhanceRuntime({ roots: { bundledDir: BUNDLED_MODELS_DIR, userDir }, useGpu: false });
    const input = await writeTestPng(path.join(dir, 'closing.png'), 600, 600);
    let tiles = 0;
    const run = own.enhance({
      inputPath: input,
      outputPath: path.join(dir, 'closing@2x.png'),
      modelId: ESPCN_ID,
      tileSizePx: 64,
      overlapPx: 8,
      onProgress: (p) => (tiles = p.tilesDone),
    });
    const settled = run.then(
      () => 'done',
      (e: { code?: string }) => e.code,
    );
    await waitFor(() => tiles >= 1, 30_000);
    const started = Date.now();
    await own.close();
    expect(await settled).toBe('enhance.cancelled');
    expect(Date.now() - started).toBeLessThan(20_000); // stopped at a boundary, not by the 60 s fallback
    expect(tiles).toBeLessThan(100); // of 100 tiles
    expect((await readdir(dir)).includes('closing@2x.png')).toBe(false);
    await expect(own.enhance({ inputPath: input, outputPath: path.join(dir, 'after.png'), modelId: ESPCN_ID })).rejects.toMatchObject({ code: 'enhance.workerFailed' });
  }, 60_000);
});

describe('enhanceCacheKey', () => {
  it('is the same for the same input, model and parameters, and changes with any of them', async () => {
    const input = await writeTestPng(path.join(dir, 'cache.png'), 20, 20);
    const bytes = await readFile(input);
    const modelSha = 'a'.repeat(64);
    const params = { outputExt: '.png', tileSizePx: 256, overlapPx: 16 };
    const key = enhanceCacheKey(bytes, modelSha, params);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(enhanceCacheKey(await sha256OfFile(input), modelSha, params)).toBe(key);
    expect(enhanceCacheKey(bytes, modelSha, { ...params, outputExt: '.PNG' })).toBe(key);
    const other = new Set([
      enhanceCacheKey(Buffer.concat([bytes, Buffer.from([0])]), modelSha, params),
      enhanceCacheKey(bytes, 'b'.repeat(64), params),
      enhanceCacheKey(bytes, modelSha, { ...params, outputExt: '.jpg' }),
      enhanceCacheKey(bytes, modelSha, { ...params, tileSizePx: 128 }),
      enhanceCacheKey(bytes, modelSha, { ...params, overlapPx: 8 }),
    ]);
    expect(other.size).toBe(5);
    expect(other.has(key)).toBe(false);
    expect(() => enhanceCacheKey(bytes, 'not-a-hash', params)).toThrow(/the model SHA-256 "not-a-hash" is not 64 lowercase hex digits/);
  });
});
