import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnhanceRuntime } from './EnhanceRuntime.ts';
import { cropFrame, padFrame, paddingMultiple, timestepTensor } from './interpolate.ts';
import { buildBlendModel } from './modelBuilders.ts';
import { BUNDLED_MODELS_DIR, clipTestFrame, decodeClipFrames, meanAbsDiff, probeTestClip, sidecarFor, tempDir, writeModelFolder, writeTestClip } from './testSupport.ts';

const NTSC_FILM = { num: 24000, den: 1001 };

describe('padding and tensors', () => {
  it('reflect-pads a frame to a multiple of 32 and crops it back unchanged', () => {
    expect(paddingMultiple(1)).toBe(32);
    expect(paddingMultiple(64)).toBe(64);
    expect(paddingMultiple(3)).toBe(96);
    const w = 5;
    const h = 3;
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 17) % 256);
    const planar = padFrame(rgb, w, h, 32, 32, 1);
    const plane = 32 * 32;
    // Column 5 reflects column 3, row 3 reflects row 1 (the edge is not repeated).
    expect(planar[0 * 32 + 5]).toBeCloseTo(rgb[(0 * w + 3) * 3] / 255, 6);
    expect(planar[plane + 3 * 32 + 0]).toBeCloseTo(rgb[(1 * w + 0) * 3 + 1] / 255, 6);
    expect([...cropFrame(planar, w, h, 32, 32, 1)]).toEqual([...rgb]);
    expect([...cropFrame(padFrame(rgb, w, h, 32, 32, 255), w, h, 32, 32, 255)]).toEqual([...rgb]);
  });

  it('builds the timestep in the shape the graph declares', () => {
    expect(timestepTensor(0.25, [], 64, 32).dims).toEqual([]);
    expect(timestepTensor(0.25, [1], 64, 32).dims).toEqual([1]);
    const map = timestepTensor(0.25, [1, 1, 'height', 'width'], 64, 32);
    expect(map.dims).toEqual([1, 1, 32, 64]);
    expect((map.data as Float32Array).every((v) => v === 0.25)).toBe(true);
  });
});

describe('EnhanceRuntime.interpolate (ffmpeg + a RIFE-interface model in the worker)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let runtime: EnhanceRuntime;
  const widthPx = 72; // neither side a multiple of 32: the model below refuses unpadded frames
  const heightPx = 40;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('sc-interp-'));
    const userDir = path.join(dir, 'models');
    const blend = buildBlendModel({ requiredMultiple: 32, timestepShape: [1, 1, 'height', 'width'] });
    await writeModelFolder(userDir, 'blend-rife', blend, sidecarFor(blend, { id: 'blend-rife', task: 'interpolate', inputName: 'img0', outputName: 'output', tileMultiple: 32 }));
    runtime = new EnhanceRuntime({ roots: { userDir }, useGpu: false, sessionIdleMs: 300 });
  });
  afterAll(async () => {
    await runtime.close();
    await cleanup();
  });

  it('turns 2 s at 16 fps into 48 frames at 24000/1001: exact first frame, blended in-betweens, H.264', async () => {
    const source = await writeTestClip(path.join(dir, 'shot12A-16fps.mp4'), { widthPx, heightPx, frameRate: { num: 16, den: 1 }, frameCount: 32, frame: (i) => clipTestFrame(i, widthPx, heightPx) });
    const output = path.join(dir, 'shot12A-24p.mp4');
    const progress: number[] = [];
    const result = await runtime.interpolate({ inputPath: source, outputPath: output, modelId: 'blend-rife', frameRate: NTSC_FILM, onProgress: (p) => progress.push(p.framesDone) });
    expect(result).toMatchObject({ outputPath: output, widthPx, heightPx, frameCount: 48, sourceFrameCount: 32, sourceFrameRate: { num: 16, den: 1 }, frameRate: NTSC_FILM, interpolatedFrames: 46, provider: 'cpu', modelId: 'blend-rife' });
    expect(progress).toHaveLength(48);
    expect(progress.at(-1)).toBe(48);

    const probe = await probeTestClip(output);
    expect(probe.rFrameRate).toBe('24000/1001');
    expect([probe.widthPx, probe.heightPx]).toEqual([widthPx, heightPx]);
    // Frame count = duration × project rate.
    expect(probe.frames).toBe(48);
    expect(Math.round(probe.durationSeconds * (24000 / 1001))).toBe(48);

    const src = await decodeClipFrames(source, widthPx, heightPx);
    const out = await decodeClipFrames(output, widthPx, heightPx);
    expect(out).toHaveLength(48);
    // First frame: the source's first frame (only the H.264 4:2:0 re-encode differs, by about 2 levels).
    expect(meanAbsDiff(out[0], src[0])).toBeLessThan(3);
    expect(meanAbsDiff(out[0], src[1])).toBeGreaterThan(30);
    // A middle frame: output 25 is at source position 25 × 16016 / 24000 = 16.683: frames 16 and 17 at t = 0.683.
    const t = (25 * 16016) / 24000 - 16;
    const blend = Uint8Array.from(src[16], (v, i) => Math.round(v * (1 - t) + src[17][i] * t));
    expect(meanAbsDiff(out[25], blend)).toBeLessThan(3);
    expect(meanAbsDiff(out[25], src[16])).toBeGreaterThan(30);
    expect(meanAbsDiff(out[25], src[17])).toBeGreaterThan(10);
    // No temporary file is left beside the output.
    expect((await readdir(dir)).filter((n) => n.includes('.interpolate-'))).toEqual([]);
  });

  it('refuses a still picture and an upscale request with a clear message, and cancels between frames', async () => {
    const source = await writeTestClip(path.join(dir, 'long.mp4'), { widthPx, heightPx, frameRate: { num: 12, den: 1 }, frameCount: 120, frame: (i) => clipTestFrame(i, widthPx, heightPx) });
    await expect(runtime.enhance({ inputPath: source, outputPath: path.join(dir, 'x.png'), modelId: 'blend-rife' })).rejects.toMatchObject({ code: 'enhance.unsupportedTask', message: expect.stringMatching(/runs on clips/) });
    const controller = new AbortController();
    const output = path.join(dir, 'cancelled.mp4');
    const run = runtime.interpolate({
      inputPath: source,
      outputPath: output,
      modelId: 'blend-rife',
      frameRate: { num: 60, den: 1 },
      signal: controller.signal,
      onProgress: (p) => {
        if (p.framesDone === 10) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'enhance.cancelled' });
    expect(existsSync(output)).toBe(false);
    expect((await readdir(dir)).filter((n) => n.includes('.interpolate-'))).toEqual([]);
  });
});

describe('the bundled RIFE v4.6 model', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let runtime: EnhanceRuntime;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('sc-rife-'));
    runtime = new EnhanceRuntime({ roots: { bundledDir: BUNDLED_MODELS_DIR }, useGpu: false, sessionIdleMs: 300 });
  });
  afterAll(async () => {
    await runtime.close();
    await cleanup();
  });

  /** A dark 96x64 frame with a bright 16x16 square whose left edge is at `x`. */
  const squareAt = (x: number): Uint8Array => {
    const px = new Uint8Array(96 * 64 * 3).fill(30);
    for (let y = 24; y < 40; y++) for (let c = x; c < x + 16; c++) px.fill(230, (y * 96 + c) * 3, (y * 96 + c) * 3 + 3);
    return px;
  };

  it('moves a square to its in-between position (where a cross-fade would show two faint squares)', async () => {
    if (!existsSync(path.join(BUNDLED_MODELS_DIR, 'rife-v4.6', 'model.onnx'))) {
      console.warn('skipped: resources/models/rife-v4.6 is not in this checkout');
      return;
    }
    const source = await writeTestClip(path.join(dir, 'square12.mp4'), { widthPx: 96, heightPx: 64, frameRate: { num: 12, den: 1 }, frameCount: 6, frame: (i) => squareAt(16 + i * 8) });
    const output = path.join(dir, 'square24.mp4');
    const result = await runtime.interpolate({ inputPath: source, outputPath: output, modelId: 'rife-v4.6', frameRate: { num: 24, den: 1 } });
    expect(result).toMatchObject({ frameCount: 12, interpolatedFrames: 5, provider: 'cpu' });
    const out = await decodeClipFrames(output, 96, 64);
    // Output frame 3 is halfway between source frames 1 (x = 24) and 2 (x = 32): the square belongs at x = 28.
    const truth = squareAt(28);
    const crossFade = Uint8Array.from(squareAt(24), (v, i) => Math.round((v + squareAt(32)[i]) / 2));
    expect(meanAbsDiff(out[3], truth)).toBeLessThan(meanAbsDiff(crossFade, truth) / 2);
    expect(meanAbsDiff(out[2], squareAt(24))).toBeLessThan(2); // an exact source frame
  });
});

