import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lumaOf } from './color.ts';
import { buildConvModel } from './modelBuilders.ts';
import { enhanceImageFile, type ModelFeedSpec } from './pipeline.ts';
import { BUNDLED_MODELS_DIR, cpuSession, ESPCN_ID, planarFromRgb, runUntiled, tempDir, testPixels, writeTestPng } from './testSupport.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const RGB_X2: ModelFeedSpec = { scale: 2, inputLayout: 'RGB', valueRange: [0, 1], tileMultiple: 1, inputName: 'input', outputName: 'output', receptiveFieldPx: 4 };

async function rawOf(file: string): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.includes('.enhance-'));
}

describe('enhanceImageFile', () => {
  it('upscales a PNG x2 with the bundled model, tiled, equal to an untiled run (8-bit rounding aside)', async () => {
    const [w, h] = [150, 97];
    const input = await writeTestPng(path.join(dir, 'take.png'), w, h);
    const session = await cpuSession(path.join(BUNDLED_MODELS_DIR, ESPCN_ID, 'model.onnx'));
    const progress: number[] = [];
    const result = await enhanceImageFile({ inputPath: input, outputPath: path.join(dir, 'take@2x.png'), model: RGB_X2, session, tileSizePx: 64, overlapPx: 8, onProgress: (p) => progress.push(p.tilesDone) });
    expect(result).toEqual({ outputPath: path.join(dir, 'take@2x.png'), widthPx: 300, heightPx: 194, tilesTotal: 6 });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    const out = await rawOf(result.outputPath);
    expect([out.width, out.height, out.channels]).toEqual([300, 194, 3]);
    const untiled = await runUntiled(session, planarFromRgb(testPixels(w, h), w, h), 3, w, h);
    const plane = 300 * 194;
    let maxDiff = 0;
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) {
        const expected = Math.min(255, Math.max(0, Math.round(untiled[c * plane + i] * 255)));
        maxDiff = Math.max(maxDiff, Math.abs(out.data[i * 3 + c] - expected));
      }
    }
    expect(maxDiff).toBeLessThanOrEqual(1);
    expect(await leftovers()).toEqual([]);
    await session.release();
  });

  it('feeds a [0, 255] model in its own range (an exact identity gives back the picture)', async () => {
    const input = await writeTestPng(path.join(dir, 'range.png'), 40, 30, 5);
    const session = await cpuSession(buildConvModel({ noise: 0 }));
    for (const valueRange of [[0, 1], [0, 255]] as Array<[0, 1] | [0, 255]>) {
      const res = await enhanceImageFile({ inputPath: input, outputPath: path.join(dir, `range-${valueRange[1]}.png`), model: { ...RGB_X2, scale: 1, valueRange }, session, tileSizePx: 24, overlapPx: 4 });
      expect((await rawOf(res.outputPath)).data.equals((await rawOf(input)).data)).toBe(true);
    }
  });

  it('runs a luma-only (Y) model on Y and takes the chroma from a bicubic upscale', async () => {
    const [w, h] = [48, 36];
    const input = await writeTestPng(path.join(dir, 'luma.png'), w, h, 9);
    // Y model: nearest-neighbour x2 of the luma (identity convolution + pixel shuffle).
    const session = await cpuSession(buildConvModel({ channels: 1, scale: 2, noise: 0 }));
    const res = await enhanceImageFile({ inputPath: input, outputPath: path.join(dir, 'luma@2x.png'), model: { ...RGB_X2, inputLayout: 'Y' }, session, tileSizePx: 32, overlapPx: 4 });
    const out = await rawOf(res.outputPath);
    const src = testPixels(w, h, 9);
    let exact = 0;
    for (let y = 0; y < 2 * h; y++) {
      for (let x = 0; x < 2 * w; x++) {
        const s = (Math.floor(y / 2) * w + Math.floor(x / 2)) * 3;
        const o = (y * 2 * w + x) * 3;
        const want = lumaOf(src[s] / 255, src[s + 1] / 255, src[s + 2] / 255);
        const got = lumaOf(out.data[o] / 255, out.data[o + 1] / 255, out.data[o + 2] / 255);
        if (Math.abs(want - got) * 255 <= 1) exact++;
      }
    }
    // Where nearest-neighbour luma meets bicubic chroma at saturated edges the colour leaves the RGB gamut and is
    // clamped, which moves its luma; everywhere else the luma is the model's to within rounding.
    expect(exact / (4 * w * h)).toBeGreaterThan(0.95);
    // and it is not simply a bicubic RGB upscale: the luma keeps the nearest-neighbour blocks
    const bicubic = await sharp(input).resize(2 * w, 2 * h, { kernel: 'cubic' }).raw().toBuffer();
    expect(out.data.equals(bicubic)).toBe(false);
  });

  it('keeps an alpha channel (upscaled) and turns grey pictures into RGB', async () => {
    const session = await cpuSession(path.join(BUNDLED_MODELS_DIR, ESPCN_ID, 'model.onnx'));
    const rgba = path.join(dir, 'alpha.png');
    await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 200, g: 100, b: 50, alpha: 0.5 } } }).png().toFile(rgba);
    const a = await rawOf((await enhanceImageFile({ inputPath: rgba, outputPath: path.join(dir, 'alpha@2x.png'), model: RGB_X2, session })).outputPath);
    expect([a.width, a.height, a.channels]).toEqual([40, 20, 4]);
    expect(Math.abs(a.data[3] - 128)).toBeLessThanOrEqual(1);
    const grey = path.join(dir, 'grey.png');
    await sharp(Buffer.from(testPixels(16, 16).filter((_, i) => i % 3 === 0)), { raw: { width: 16, height: 16, channels: 1 } }).toColourspace('b-w').png().toFile(grey);
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const g = await rawOf((await enhanceImageFile({ inputPath: grey, outputPath: path.join(dir, 'grey@2x.jpg'), model: RGB_X2, session })).outputPath);
    expect([g.width, g.height, g.channels]).toEqual([32, 32, 3]);
    await session.release();
  });

  it('refuses bad inputs and outputs with a message that says what to do', async () => {
    const session = await cpuSession(buildConvModel({ scale: 2 }));
    const notImage = path.join(dir, 'notes.png');
    await writeFile(notImage, 'these are notes, not a picture');
    await expect(enhanceImageFile({ inputPath: notImage, outputPath: path.join(dir, 'x.png'), model: RGB_X2, session })).rejects.toMatchObject({ code: 'enhance.badInput', message: expect.stringMatching(/cannot be decoded/) });
    await expect(enhanceImageFile({ inputPath: path.join(dir, 'missing.png'), outputPath: path.join(dir, 'x.png'), model: RGB_X2, session })).rejects.toMatchObject({ code: 'enhance.badInput', message: expect.stringMatching(/does not exist/) });
    const ok = await writeTestPng(path.join(dir, 'ok.png'), 8, 8);
    await expect(enhanceImageFile({ inputPath: ok, outputPath: path.join(dir, 'x.gif'), model: RGB_X2, session })).rejects.toMatchObject({ code: 'enhance.badArgument', hint: expect.stringMatching(/\.png/) });
    const wide = await writeTestPng(path.join(dir, 'wide.png'), 9000, 2);
    await expect(enhanceImageFile({ inputPath: wide, outputPath: path.join(dir, 'wide@2x.webp'), model: RGB_X2, session })).rejects.toThrow(/18000x4 px, larger than WEBP allows \(16383 px a side\)/);
    expect(await leftovers()).toEqual([]);
  });

  it('stops between tiles when cancelled, writing no output and leaving no temporary file', async () => {
    const input = await writeTestPng(path.join(dir, 'long.png'), 200, 200);
    const session = await cpuSession(buildConvModel({ scale: 2 }));
    const controller = new AbortController();
    const run = enhanceImageFile({
      inputPath: input,
      outputPath: path.join(dir, 'long@2x.png'),
      model: RGB_X2,
      session,
      tileSizePx: 40,
      overlapPx: 4,
      signal: controller.signal,
      onProgress: (p) => p.tilesDone === 3 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'enhance.cancelled' });
    expect((await readdir(dir)).includes('long@2x.png')).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('reports a model that returns the wrong shape', async () => {
    const input = await writeTestPng(path.join(dir, 'shape.png'), 16, 16);
    const session = await cpuSession(buildConvModel({ scale: 1 }));
    await expect(enhanceImageFile({ inputPath: input, outputPath: path.join(dir, 'shape@2x.png'), model: RGB_X2, session })).rejects.toMatchObject({
      code: 'enhance.inferenceFailed',
      message: expect.stringMatching(/returned float32 1x3x16x16 for a 16x16 tile; float32 1x3x32x32 was expected/),
    });
  });
});
