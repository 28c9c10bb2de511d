import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnhanceError } from './EnhanceError.ts';
import { buildConvModel } from './modelBuilders.ts';
import { BUNDLED_MODELS_DIR, cpuSession, ESPCN_ID, planarFromRgb, runUntiled, testPixels } from './testSupport.ts';
import { planTiles, reflectIndex, runTiles, splitAxis, type RectPx, type TilePlan } from './tiling.ts';

describe('splitAxis and planTiles (geometry)', () => {
  it('cores partition the axis, windows stay within the tile size and keep the overlap on inner edges', () => {
    for (const [size, tile, overlap] of [
      [1000, 256, 16],
      [257, 256, 16],
      [256, 256, 16],
      [13, 256, 16],
      [999, 64, 8],
      [100, 40, 0],
    ]) {
      const segs = splitAxis(size, tile, overlap);
      expect(segs[0].coreStart).toBe(0);
      expect(segs.at(-1)!.coreEnd).toBe(size);
      segs.forEach((s, i) => {
        if (i > 0) expect(s.coreStart).toBe(segs[i - 1].coreEnd);
        expect(s.windowEnd - s.windowStart).toBeLessThanOrEqual(tile);
        expect(s.coreEnd).toBeGreaterThan(s.coreStart);
        expect(s.windowStart).toBe(Math.max(0, s.coreStart - overlap));
        expect(s.windowEnd).toBe(Math.min(size, s.coreEnd + overlap));
      });
    }
  });

  it('uses one tile when the picture fits', () => {
    const plan = planTiles({ widthPx: 200, heightPx: 256 });
    expect(plan.tiles).toHaveLength(1);
    expect(plan.tiles[0].window).toEqual({ x: 0, y: 0, widthPx: 200, heightPx: 256 });
  });

  it('tiles 1024x576 in 5x3 tiles of at most 256 px with 16 px overlap', () => {
    const plan = planTiles({ widthPx: 1024, heightPx: 576 });
    expect([plan.cols, plan.rows]).toEqual([5, 3]);
    let area = 0;
    for (const t of plan.tiles) {
      expect(t.window.widthPx).toBeLessThanOrEqual(256);
      expect(t.window.heightPx).toBeLessThanOrEqual(256);
      area += t.core.widthPx * t.core.heightPx;
    }
    expect(area).toBe(1024 * 576);
  });

  it('pads odd sizes to the model multiple and aligns every tile edge to it', () => {
    const plan = planTiles({ widthPx: 203, heightPx: 157, tileSizePx: 70, overlapPx: 5, multiple: 4 });
    expect([plan.paddedWidthPx, plan.paddedHeightPx]).toEqual([204, 160]);
    expect([plan.tileSizePx, plan.overlapPx]).toEqual([68, 8]);
    for (const t of plan.tiles) {
      for (const v of [t.window.x, t.window.y, t.window.widthPx, t.window.heightPx, t.core.x, t.core.y]) expect(v % 4).toBe(0);
      // cores never reach into the padding
      expect(t.core.x + t.core.widthPx).toBeLessThanOrEqual(203);
      expect(t.core.y + t.core.heightPx).toBeLessThanOrEqual(157);
    }
    expect(plan.tiles.reduce((a, t) => a + t.core.widthPx * t.core.heightPx, 0)).toBe(203 * 157);
  });

  it('refuses a tile too small for its overlap and non-integer sizes, saying what to do', () => {
    expect(() => planTiles({ widthPx: 100, heightPx: 100, tileSizePx: 32, overlapPx: 16 })).toThrow(/larger than twice the overlap|cannot keep 16 px/);
    expect(() => planTiles({ widthPx: 0, heightPx: 100 })).toThrow(EnhanceError);
    expect(() => planTiles({ widthPx: 10.5, heightPx: 100 })).toThrow(/widthPx must be an integer/);
  });

  it('reflects indices like numpy mode=reflect', () => {
    expect([-2, -1, 0, 1, 2, 3, 4, 5, 6].map((i) => reflectIndex(i, 4))).toEqual([2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect(reflectIndex(5, 1)).toBe(0);
    expect(reflectIndex(7, 2)).toBe(1);
  });
});

/** Runs `runTiles` at float level and assembles the whole output (test only: small pictures). */
async function tiledFloat(session: InferenceSession, px: Uint8Array, widthPx: number, heightPx: number, plan: TilePlan, scale: number): Promise<{ out: Float32Array; tilesRun: number }> {
  const planar = planarFromRgb(px, widthPx, heightPx);
  const ow = widthPx * scale;
  const oh = heightPx * scale;
  const out = new Float32Array(3 * ow * oh).fill(Number.NaN);
  let tilesRun = 0;
  await runTiles({
    plan,
    scale,
    channels: 3,
    inputFor: (w: RectPx) => {
      const input = new Float32Array(3 * w.widthPx * w.heightPx);
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < w.heightPx; y++)
          for (let x = 0; x < w.widthPx; x++) {
            const sy = reflectIndex(w.y + y, heightPx);
            const sx = reflectIndex(w.x + x, widthPx);
            input[(c * w.heightPx + y) * w.widthPx + x] = planar[(c * heightPx + sy) * widthPx + sx];
          }
      return input;
    },
    infer: async (input, w, h) => {
      tilesRun++;
      return runUntiled(session, input, 3, w, h);
    },
    onTile: ({ rect, data }) => {
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < rect.heightPx; y++)
          for (let x = 0; x < rect.widthPx; x++) out[(c * oh + rect.y + y) * ow + rect.x + x] = data[(c * rect.heightPx + y) * rect.widthPx + x];
    },
  });
  return { out, tilesRun };
}

/** The model run once on the whole picture, reflect-padded to `multiple`, output cropped back. */
async function untiledFloat(session: InferenceSession, px: Uint8Array, widthPx: number, heightPx: number, scale: number, multiple = 1): Promise<Float32Array> {
  const pw = Math.ceil(widthPx / multiple) * multiple;
  const ph = Math.ceil(heightPx / multiple) * multiple;
  const planar = planarFromRgb(px, widthPx, heightPx);
  const padded = new Float32Array(3 * pw * ph);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < ph; y++)
      for (let x = 0; x < pw; x++) padded[(c * ph + y) * pw + x] = planar[(c * heightPx + reflectIndex(y, heightPx)) * widthPx + reflectIndex(x, widthPx)];
  const full = await runUntiled(session, padded, 3, pw, ph);
  const ow = widthPx * scale;
  const oh = heightPx * scale;
  const out = new Float32Array(3 * ow * oh);
  for (let c = 0; c < 3; c++) for (let y = 0; y < oh; y++) out.set(full.subarray((c * ph * scale + y) * pw * scale, (c * ph * scale + y) * pw * scale + ow), (c * oh + y) * ow);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m; // NaN (a pixel never written) makes every comparison below fail
}

/** Largest difference on the output rows and columns that lie on tile core borders (where seams would be). */
function seamDiff(tiled: Float32Array, untiled: Float32Array, plan: TilePlan, scale: number): number {
  const ow = plan.widthPx * scale;
  const oh = plan.heightPx * scale;
  const cols = new Set<number>();
  const rows = new Set<number>();
  for (const t of plan.tiles) {
    if (t.core.x > 0) [t.core.x * scale - 1, t.core.x * scale].forEach((v) => cols.add(v));
    if (t.core.y > 0) [t.core.y * scale - 1, t.core.y * scale].forEach((v) => rows.add(v));
  }
  expect(cols.size + rows.size).toBeGreaterThan(0);
  let m = 0;
  for (let c = 0; c < 3; c++) {
    for (const y of rows) for (let x = 0; x < ow; x++) m = Math.max(m, Math.abs(tiled[(c * oh + y) * ow + x] - untiled[(c * oh + y) * ow + x]));
    for (const x of cols) for (let y = 0; y < oh; y++) m = Math.max(m, Math.abs(tiled[(c * oh + y) * ow + x] - untiled[(c * oh + y) * ow + x]));
  }
  return m;
}

describe('runTiles against an untiled run', () => {
  let conv3: InferenceSession; // three 3x3 convolutions: 3 px of context each side
  let conv3x2: InferenceSession;
  let espcn: InferenceSession;
  let multiple4: InferenceSession;
  beforeAll(async () => {
    conv3 = await cpuSession(buildConvModel({ layers: 3, seed: 5, noise: 0.2 }));
    conv3x2 = await cpuSession(buildConvModel({ layers: 3, scale: 2, seed: 9, noise: 0.2 }));
    espcn = await cpuSession(path.join(BUNDLED_MODELS_DIR, ESPCN_ID, 'model.onnx'));
    multiple4 = await cpuSession(buildConvModel({ layers: 2, scale: 2, requiredMultiple: 4, seed: 2, noise: 0.2 }));
  });

  it('reproduces the untiled result within 1e-5 on an odd-sized picture (x1 and x2 models)', async () => {
    const [w, h] = [101, 77];
    const px = testPixels(w, h);
    for (const [session, scale] of [[conv3, 1], [conv3x2, 2]] as const) {
      const plan = planTiles({ widthPx: w, heightPx: h, tileSizePx: 40, overlapPx: 6 });
      expect(plan.tiles.length).toBeGreaterThan(4);
      const { out } = await tiledFloat(session, px, w, h, plan, scale);
      expect(maxAbsDiff(out, await untiledFloat(session, px, w, h, scale))).toBeLessThan(1e-5);
    }
  });

  it('reproduces the untiled result of the bundled ESPCN model within 1e-5', async () => {
    const [w, h] = [131, 90];
    const px = testPixels(w, h, 11);
    const plan = planTiles({ widthPx: w, heightPx: h, tileSizePx: 48, overlapPx: 8 });
    const { out } = await tiledFloat(espcn, px, w, h, plan, 2);
    const untiled = await untiledFloat(espcn, px, w, h, 2);
    expect(maxAbsDiff(out, untiled)).toBeLessThan(1e-5);
    expect(seamDiff(out, untiled, plan, 2)).toBeLessThan(1e-5);
  });

  it('has no seams with enough overlap, and the seam check does see seams when the overlap is cut to 0', async () => {
    const [w, h] = [96, 64];
    const px = testPixels(w, h, 4);
    const untiled = await untiledFloat(conv3, px, w, h, 1);
    const good = planTiles({ widthPx: w, heightPx: h, tileSizePx: 32, overlapPx: 4 });
    expect(seamDiff((await tiledFloat(conv3, px, w, h, good, 1)).out, untiled, good, 1)).toBeLessThan(1e-5);
    const bad = planTiles({ widthPx: w, heightPx: h, tileSizePx: 32, overlapPx: 0 });
    expect(seamDiff((await tiledFloat(conv3, px, w, h, bad, 1)).out, untiled, bad, 1)).toBeGreaterThan(1e-3);
  });

  it('pads to the model multiple by reflection: a model that needs multiples of 4 runs on a 37x29 picture', async () => {
    const [w, h] = [37, 29];
    const px = testPixels(w, h, 8);
    // The model really refuses sizes that are not multiples of 4.
    await expect(runUntiled(multiple4, planarFromRgb(px, w, h), 3, w, h)).rejects.toThrow(/multiple of block_size/);
    const plan = planTiles({ widthPx: w, heightPx: h, tileSizePx: 20, overlapPx: 8, multiple: 4 });
    expect(plan.tiles.length).toBeGreaterThan(1);
    const { out } = await tiledFloat(multiple4, px, w, h, plan, 2);
    expect(out.length).toBe(3 * w * 2 * h * 2);
    expect(maxAbsDiff(out, await untiledFloat(multiple4, px, w, h, 2, 4))).toBeLessThan(1e-5);
  });

  it('reports progress after each tile and stops between tiles when cancelled', async () => {
    const [w, h] = [90, 90];
    const px = testPixels(w, h);
    const plan = planTiles({ widthPx: w, heightPx: h, tileSizePx: 32, overlapPx: 4 });
    const controller = new AbortController();
    const seen: number[] = [];
    let inferred = 0;
    const run = runTiles({
      plan,
      scale: 1,
      channels: 3,
      inputFor: (win) => planarFromRgb(px.subarray(0, win.widthPx * win.heightPx * 3), win.widthPx, win.heightPx),
      infer: async (input, ww, hh) => {
        inferred++;
        return runUntiled(conv3, input, 3, ww, hh);
      },
      onTile: () => undefined,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.tilesDone);
        expect(p.tilesTotal).toBe(plan.tiles.length);
        if (p.tilesDone === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'enhance.cancelled' });
    expect(seen).toEqual([1, 2]);
    expect(inferred).toBe(2);
  });

  it('refuses a model output of the wrong size', async () => {
    const plan = planTiles({ widthPx: 8, heightPx: 8 });
    const run = runTiles({
      plan,
      scale: 2,
      channels: 3,
      inputFor: () => new Float32Array(3 * 64),
      infer: async () => new Float32Array(3 * 64), // x1 output where x2 was declared
      onTile: () => undefined,
    });
    await expect(run).rejects.toThrow(/returned 192 values for a 8x8 tile; 3x16x16 were expected/);
  });
});

