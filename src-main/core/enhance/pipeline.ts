/**
 * One enhancement job on files, start to finish, with memory bounded by a band of tile rows:
 *
 * 1. sharp decodes the input (EXIF orientation applied, 16-bit and grey turned into 8-bit sRGB, alpha set aside)
 *    into an uncompressed `.v` file beside the output;
 * 2. tiles (tiling.ts) read the rows they need from it, are converted to the model's layout (RGB, or the Y of
 *    BT.601 YCbCr) and value range, and run through the session;
 * 3. each tile's kept output is converted to 8-bit at once into the current row band, and when a tile row is done
 *    the band is appended to the output `.v` file (for Y models the band is the bicubic upscale of the input with
 *    its luma replaced by the model's);
 * 4. sharp encodes the output `.v` (plus the alpha channel, upscaled bicubic, when the input had one and the
 *    format keeps it) to a temporary name beside `outputPath`, which is then renamed into place.
 * Temporary files are removed whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { lumaOf, replaceLuma } from './color.ts';
import { EnhanceError } from './EnhanceError.ts';
import type { ModelSidecar } from './registry.ts';
import { DEFAULT_OVERLAP_PX, DEFAULT_TILE_SIZE_PX, planTiles, reflectIndex, runTiles, type RectPx, type TileProgress } from './tiling.ts';
import { VipsRowReader, VipsRowWriter } from './vipsFile.ts';

/** What the pipeline needs to know about a model (the sidecar fields that say how to feed it). */
export type ModelFeedSpec = Pick<ModelSidecar, 'scale' | 'inputLayout' | 'valueRange' | 'tileMultiple' | 'inputName' | 'outputName'> & {
  receptiveFieldPx?: number;
};

/** The part of an onnxruntime session the pipeline uses. */
export type ModelSession = Pick<InferenceSession, 'run'>;

/** Output formats, by file extension (lowercase, with the dot). */
const OUTPUT_FORMATS: Record<string, { format: 'png' | 'jpeg' | 'webp' | 'tiff'; maxSidePx: number; keepsAlpha: boolean }> = {
  '.png': { format: 'png', maxSidePx: 2 ** 31 - 1, keepsAlpha: true },
  '.jpg': { format: 'jpeg', maxSidePx: 65_535, keepsAlpha: false },
  '.jpeg': { format: 'jpeg', maxSidePx: 65_535, keepsAlpha: false },
  '.webp': { format: 'webp', maxSidePx: 16_383, keepsAlpha: true },
  '.tif': { format: 'tiff', maxSidePx: 2 ** 31 - 1, keepsAlpha: true },
  '.tiff': { format: 'tiff', maxSidePx: 2 ** 31 - 1, keepsAlpha: true },
};

/** Options of `enhanceImageFile`. */
export interface EnhanceFileOptions {
  inputPath: string;
  /** Where the result goes; its extension picks the format (.png, .jpg/.jpeg, .webp, .tif/.tiff). */
  outputPath: string;
  model: ModelFeedSpec;
  session: ModelSession;
  /** Tile size in input pixels, overlap included. Default 256. */
  tileSizePx?: number;
  /** Overlap in input pixels; raised to the model's receptive field when that is larger. Default 16. */
  overlapPx?: number;
  signal?: AbortSignal;
  onProgress?: (progress: TileProgress) => void;
}

/** What `enhanceImageFile` made. */
export interface EnhanceFileResult {
  outputPath: string;
  widthPx: number;
  heightPx: number;
  tilesTotal: number;
}

/**
 * Enhances (upscales) one picture file with a model session, tile by tile.
 * @throws EnhanceError `enhance.badArgument` (unknown output extension, output too large for its format, bad tile
 *   size), `enhance.badInput` (input missing or not a picture sharp can decode), `enhance.cancelled`,
 *   `enhance.inferenceFailed` (the model failed or returned the wrong shape).
 */
export async function enhanceImageFile(options: EnhanceFileOptions): Promise<EnhanceFileResult> {
  const { inputPath, outputPath, model, session } = options;
  const ext = path.extname(outputPath).toLowerCase();
  const format = OUTPUT_FORMATS[ext];
  if (!format) {
    throw new EnhanceError('enhance.badArgument', `Cannot write "${path.basename(outputPath)}": the extension "${ext}" is not an image format the enhancer writes.`, 'Name the output .png, .jpg, .webp or .tif.');
  }
  try {
    await stat(inputPath);
  } catch {
    throw new EnhanceError('enhance.badInput', `The picture ${inputPath} does not exist.`, 'Check the take is still in the project folder.');
  }
  const scale = model.scale;
  const range = model.valueRange[1];
  const channels = model.inputLayout === 'RGB' ? 3 : 1;
  const dir = path.dirname(outputPath);
  const stem = `.${path.basename(outputPath)}.enhance-${randomBytes(4).toString('hex')}`;
  const inV = path.join(dir, `${stem}.in.v`);
  const outV = path.join(dir, `${stem}.out.v`);
  const bicubicV = path.join(dir, `${stem}.bicubic.v`);
  const alphaV = path.join(dir, `${stem}.alpha.v`);
  const tmpOut = path.join(dir, `${stem}${ext}`);
  let reader: VipsRowReader | undefined;
  let bicubic: VipsRowReader | undefined;
  let writer: VipsRowWriter | undefined;
  try {
    // 1. Decode.
    let hasAlpha = false;
    try {
      const meta = await sharp(inputPath).metadata();
      hasAlpha = meta.hasAlpha === true;
      await sharp(inputPath).rotate().removeAlpha().toColourspace('srgb').toFile(inV);
    } catch (err) {
      throw new EnhanceError('enhance.badInput', `The picture ${inputPath} cannot be decoded: ${(err as Error).message}`, 'Use a PNG, JPEG, WebP or TIFF picture.', { cause: err });
    }
    reader = await VipsRowReader.open(inV);
    const { widthPx, heightPx } = reader.info;
    const outWidthPx = widthPx * scale;
    const outHeightPx = heightPx * scale;
    if (Math.max(outWidthPx, outHeightPx) > format.maxSidePx) {
      throw new EnhanceError('enhance.badArgument', `The result would be ${outWidthPx}x${outHeightPx} px, larger than ${format.format.toUpperCase()} allows (${format.maxSidePx} px a side).`, 'Write a .png or .tif instead.');
    }
    const plan = planTiles({
      widthPx,
      heightPx,
      tileSizePx: options.tileSizePx ?? DEFAULT_TILE_SIZE_PX,
      overlapPx: Math.max(options.overlapPx ?? DEFAULT_OVERLAP_PX, model.receptiveFieldPx ?? 0),
      multiple: model.tileMultiple,
    });
    if (model.inputLayout === 'Y') {
      await sharp(inV).resize(outWidthPx, outHeightPx, { kernel: 'cubic' }).toFile(bicubicV);
      bicubic = await VipsRowReader.open(bicubicV);
    }
    writer = await VipsRowWriter.create(outV, { widthPx: outWidthPx, heightPx: outHeightPx, channels: 3 });

    // 2. Source rows of the current tile row (reflect-padded rows map back into the picture).
    let cachedRow = -1;
    let rows: Uint8Array = new Uint8Array(0);
    let rowsFrom = 0;
    const inputFor = async (window: RectPx): Promise<Float32Array> => {
      const srcRows: number[] = [];
      for (let y = 0; y < window.heightPx; y++) srcRows.push(reflectIndex(window.y + y, heightPx));
      if (cachedRow !== window.y) {
        rowsFrom = Math.min(...srcRows);
        rows = await reader!.readRows(rowsFrom, Math.max(...srcRows) - rowsFrom + 1);
        cachedRow = window.y;
      }
      const srcCols = new Int32Array(window.widthPx);
      for (let x = 0; x < window.widthPx; x++) srcCols[x] = reflectIndex(window.x + x, widthPx);
      const plane = window.widthPx * window.heightPx;
      const input = new Float32Array(channels * plane);
      const k = range / 255;
      for (let y = 0; y < window.heightPx; y++) {
        const rowBase = (srcRows[y] - rowsFrom) * widthPx * 3;
        for (let x = 0; x < window.widthPx; x++) {
          const p = rowBase + srcCols[x] * 3;
          const o = y * window.widthPx + x;
          if (channels === 3) {
            input[o] = rows[p] * k;
            input[plane + o] = rows[p + 1] * k;
            input[2 * plane + o] = rows[p + 2] * k;
          } else {
            input[o] = lumaOf(rows[p] / 255, rows[p + 1] / 255, rows[p + 2] / 255) * range;
          }
        }
      }
      return input;
    };

    // 3. Inference.
    const infer = async (input: Float32Array, w: number, h: number): Promise<Float32Array> => {
      let result;
      try {
        result = await session.run({ [model.inputName]: new Tensor('float32', input, [1, channels, h, w]) });
      } catch (err) {
        throw new EnhanceError('enhance.inferenceFailed', `The model failed on a ${w}x${h} tile: ${(err as Error).message.split('\n')[0]}`, 'Try a smaller tile size, or another model.', { cause: err });
      }
      const out = result[model.outputName];
      const expected = `1x${channels}x${h * scale}x${w * scale}`;
      if (!out || out.dims.join('x') !== expected || out.type !== 'float32') {
        throw new EnhanceError('enhance.inferenceFailed', `The model returned ${out ? `${out.type} ${out.dims.join('x')}` : `no output "${model.outputName}"`} for a ${w}x${h} tile; float32 ${expected} was expected.`, 'Check scale, inputLayout and outputName in the model\'s model.json.');
      }
      return out.data as Float32Array;
    };

    // 4. Bands of 8-bit output rows.
    const bandBytes = new Uint8Array(plan.tileSizePx * scale * outWidthPx * 3);
    const bandLuma = model.inputLayout === 'Y' ? new Float32Array(plan.tileSizePx * scale * outWidthPx) : undefined;
    const toByte = 255 / range;
    await runTiles({
      plan,
      scale,
      channels,
      inputFor,
      infer,
      signal: options.signal,
      onProgress: options.onProgress,
      onTile: async ({ tile, rect, data }) => {
        const plane = rect.widthPx * rect.heightPx;
        for (let y = 0; y < rect.heightPx; y++) {
          for (let x = 0; x < rect.widthPx; x++) {
            const o = y * rect.widthPx + x;
            const b = y * outWidthPx + rect.x + x;
            if (bandLuma) {
              bandLuma[b] = data[o] / range;
            } else {
              for (let c = 0; c < 3; c++) {
                const v = Math.round(data[c * plane + o] * toByte);
                bandBytes[b * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
              }
            }
          }
        }
        if (tile.col !== plan.cols - 1) return;
        const band = bandBytes.subarray(0, rect.heightPx * outWidthPx * 3);
        if (bandLuma && bicubic) {
          band.set(await bicubic.readRows(rect.y, rect.heightPx));
          replaceLuma(band, bandLuma.subarray(0, rect.heightPx * outWidthPx));
        }
        await writer!.writeRows(band);
      },
    });
    await writer.close();
    writer = undefined;

    // 5. Encode, then rename into place.
    let out = sharp(outV);
    if (hasAlpha && format.keepsAlpha) {
      await sharp(inputPath).rotate().ensureAlpha().extractChannel(3).resize(outWidthPx, outHeightPx, { kernel: 'cubic' }).toFile(alphaV);
      out = out.joinChannel(alphaV);
    }
    if (format.format === 'jpeg') out = out.jpeg({ quality: 92 });
    else if (format.format === 'webp') out = out.webp({ quality: 92 });
    else if (format.format === 'tiff') out = out.tiff({ compression: 'lzw' });
    else out = out.png();
    await out.toFile(tmpOut);
    await rename(tmpOut, outputPath);
    return { outputPath, widthPx: outWidthPx, heightPx: outHeightPx, tilesTotal: plan.tiles.length };
  } finally {
    await writer?.abandon();
    await reader?.close().catch(() => undefined);
    await bicubic?.close().catch(() => undefined);
    await Promise.all([inV, outV, bicubicV, alphaV, tmpOut].map((f) => rm(f, { force: true })));
  }
}
