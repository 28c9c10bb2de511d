import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnhanceRuntime } from './EnhanceRuntime.ts';
import { cropFrame, padFrame, paddingMultiple, planInterpolation, timestepTensor } from './interpolate.ts';
import { buildBlendModel } from './modelBuilders.ts';
import { clipTestFrame, decodeClipFrames, meanAbsDiff, probeTestClip, sidecarFor, tempDir, writeModelFolder, writeTestClip } from './testSupport.ts';

const NTSC_FILM = { num: 24000, den: 1001 };

describe('planInterpolation', () => {
  it('brings 2 s at 16 fps to 24000/1001: 48 frames, each at its source time between the right neighbours', () => {
    const plan = planInterpolation(32, { num: 16, den: 1 }, NTSC_FILM);
    expect(plan.frameCount).toBe(48); // round(2 s × 23.976)
    expect(plan.frames[0]).toEqual({ index: 0, from: 0, to: 0, timestep: 0, exact: true });
    // Output frame 1 is at 1001/24000 s = source position 16 × 1001 / 24000 = 0.66733...
    expect(plan.frames[1]).toMatchObject({ from: 0, to: 1, exact: false });
    expect(plan.frames[1].timestep).toBeCloseTo(16016 / 24000, 12);
    expect(plan.frames[2].from).toBe(1);
    expect(plan.frames[2].timestep).toBeCloseTo((2 * 16016) / 24000 - 1, 12);
    // The last output frame (position 31.36) lies past the last source frame: it holds frame 31.
    expect(plan.frames[47]).toEqual({ index: 47, from: 31, to: 31, timestep: 0, exact: true });
    expect(plan.interpolatedCount).toBe(46);
    for (const f of plan.frames) expect(f.timestep).toBeGreaterThanOrEqual(0), expect(f.timestep).toBeLessThan(1);
  });

  it('copies exact frames where the times align, and keeps the duration', () => {
    const double = planInterpolation(24, { num: 24, den: 1 }, { num: 48, den: 1 });
    expect(double.frameCount).toBe(48);
    expect(double.frames.filter((f) => f.exact).map((f) => f.index)).toEqual([...Array.from({ length: 24 }, (_, i) => i * 2), 47]);
    expect(double.frames[1]).toMatchObject({ from: 0, to: 1, timestep: 0.5 });
    const same = planInterpolation(10, NTSC_FILM, NTSC_FILM);
    expect(same.frameCount).toBe(10);
    expect(same.interpolatedCount).toBe(0);
    expect(same.frames.map((f) => f.from)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const down = planInterpolation(30, { num: 30, den: 1 }, { num: 24, den: 1 });
    expect(down.frameCount).toBe(24);
    expect(down.frames[1]).toMatchObject({ from: 1, to: 2 });
    expect(down.frames[1].timestep).toBeCloseTo(0.25, 12);
    expect(down.frames[4]).toMatchObject({ from: 5, exact: true });
  });

  it('refuses counts and rates that are not positive whole numbers', () => {
    expect(() => planInterpolation(0, NTSC_FILM, NTSC_FILM)).toThrow(/at least one/);
    expect(() => planInterpolation(10, { num: 23.976, den: 1 }, NTSC_FILM)).toThrow(/source frame rate 23.976\/1 is not a ratio of positive whole numbers/);
    expect(() => planInterpolation(10, NTSC_FILM, { num: 24, den: 0 })).toThrow(/target frame rate/);
  });
});

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
