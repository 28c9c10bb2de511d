/**
 * Tiled inference for pictures of any size, with bounded memory.
 *
 * The picture is cut into tiles of at most `tileSizePx` (default 256) on a side that overlap by `overlapPx`
 * (default 16) on each inner edge. Each tile is run through the model alone; of its output only the *core* is
 * kept (the tile minus its overlap margins, the centre-crop method of Real-ESRGAN's tiler), and the cores
 * partition the picture exactly. A model whose receptive field is at most the overlap (the bundled ESPCN sees 4
 * px around each pixel) gives the same numbers tiled as untiled, so there is no seam to blend; a model with a
 * wider field gets its context cut at `overlapPx` from each core edge.
 *
 * Models that only accept sizes divisible by some number (`tileMultiple` in the sidecar) get the picture padded
 * to that multiple on the right and bottom by reflection (numpy's 'reflect': the edge pixel is not repeated), and
 * every tile edge falls on a multiple, so tiles line up with the untiled computation; the padding is cut from the
 * output.
 *
 * Tiles are run in rows, top to bottom; each finished tile is handed to `onTile` at once (the caller converts it
 * to 8-bit and writes whole output rows when a tile row is done), so no whole float32 output ever exists. Between
 * tiles the AbortSignal is checked and progress is reported.
 */
import { cancelledError, EnhanceError } from './EnhanceError.ts';

/** Default tile size (input pixels, overlap included). */
export const DEFAULT_TILE_SIZE_PX = 256;
/** Default overlap between neighbouring tiles (input pixels, on each inner edge). */
export const DEFAULT_OVERLAP_PX = 16;

/** A rectangle in pixels. */
export interface RectPx {
  x: number;
  y: number;
  widthPx: number;
  heightPx: number;
}

/** One tile: what the model sees (`window`, in padded input coordinates) and what of its output is kept (`core`). */
export interface Tile {
  /** Position in row-major order, from 0. */
  index: number;
  row: number;
  col: number;
  /** The input region the model runs on (may extend into the reflect padding right and bottom). */
  window: RectPx;
  /** The region of the ORIGINAL picture this tile's output is kept for (inside `window`, never in the padding). */
  core: RectPx;
}

/** Options of `planTiles`. */
export interface TilePlanOptions {
  widthPx: number;
  heightPx: number;
  /** Largest tile side in input pixels, overlap included; rounded down to `multiple`. Default 256. */
  tileSizePx?: number;
  /** Context kept around each core on inner edges, in input pixels; rounded up to `multiple`. Default 16. */
  overlapPx?: number;
  /** The model needs heights and widths divisible by this. Default 1. */
  multiple?: number;
}

/** The tiles of a picture, in row-major order, with the padded size the model sees. */
export interface TilePlan {
  widthPx: number;
  heightPx: number;
  /** Width and height rounded up to `multiple` (the reflect-padded picture). */
  paddedWidthPx: number;
  paddedHeightPx: number;
  multiple: number;
  /** Tile size and overlap as used (after rounding to `multiple`). */
  tileSizePx: number;
  overlapPx: number;
  rows: number;
  cols: number;
  tiles: Tile[];
}

/** A segment of one axis: the window the model sees and the core kept, as [start, end) pairs. */
export interface AxisSegment {
  windowStart: number;
  windowEnd: number;
  coreStart: number;
  coreEnd: number;
}

/**
 * Cuts one axis of `paddedPx` pixels into windows of at most `tilePx` whose cores partition [0, paddedPx).
 * Inner core edges keep `overlapPx` of context on both sides; the outer edges of the picture need none.
 * All boundaries are multiples of `multiple` when the three inputs are.
 * @throws EnhanceError `enhance.badArgument` when `tilePx` is not larger than twice `overlapPx`.
 */
export function splitAxis(paddedPx: number, tilePx: number, overlapPx: number): AxisSegment[] {
  if (tilePx <= 2 * overlapPx) {
    throw new EnhanceError('enhance.badArgument', `A tile of ${tilePx} px cannot keep ${overlapPx} px of overlap on both sides.`, 'Use a tile size larger than twice the overlap (the defaults are 256 and 16).');
  }
  const out: AxisSegment[] = [];
  let start = 0;
  for (;;) {
    const windowStart = Math.max(0, start - overlapPx);
    if (windowStart + tilePx >= paddedPx) {
      out.push({ windowStart, windowEnd: paddedPx, coreStart: start, coreEnd: paddedPx });
      return out;
    }
    const coreEnd = windowStart + tilePx - overlapPx;
    out.push({ windowStart, windowEnd: coreEnd + overlapPx, coreStart: start, coreEnd });
    start = coreEnd;
  }
}

function checkPositiveInteger(name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new EnhanceError('enhance.badArgument', `${name} must be an integer of at least ${min}; got ${value}.`, `Pass a whole number of pixels for ${name}.`);
  }
}

/**
 * Plans the tiles of a `widthPx` x `heightPx` picture (pure: no I/O).
 * @throws EnhanceError `enhance.badArgument` for a size, tile size, overlap or multiple that is not a positive
 *   integer (overlap may be 0), or a tile size not larger than twice the overlap once rounded to the multiple.
 */
export function planTiles(options: TilePlanOptions): TilePlan {
  const { widthPx, heightPx } = options;
  const multiple = options.multiple ?? 1;
  checkPositiveInteger('widthPx', widthPx);
  checkPositiveInteger('heightPx', heightPx);
  checkPositiveInteger('multiple', multiple);
  checkPositiveInteger('tileSizePx', options.tileSizePx ?? DEFAULT_TILE_SIZE_PX);
  checkPositiveInteger('overlapPx', options.overlapPx ?? DEFAULT_OVERLAP_PX, 0);
  const tileSizePx = Math.floor((options.tileSizePx ?? DEFAULT_TILE_SIZE_PX) / multiple) * multiple;
  const overlapPx = Math.ceil((options.overlapPx ?? DEFAULT_OVERLAP_PX) / multiple) * multiple;
  const paddedWidthPx = Math.ceil(widthPx / multiple) * multiple;
  const paddedHeightPx = Math.ceil(heightPx / multiple) * multiple;
  const xs = splitAxis(paddedWidthPx, tileSizePx, overlapPx);
  const ys = splitAxis(paddedHeightPx, tileSizePx, overlapPx);
  const tiles: Tile[] = [];
  ys.forEach((sy, row) => {
    xs.forEach((sx, col) => {
      tiles.push({
        index: tiles.length,
        row,
        col,
        window: { x: sx.windowStart, y: sy.windowStart, widthPx: sx.windowEnd - sx.windowStart, heightPx: sy.windowEnd - sy.windowStart },
        core: {
          x: sx.coreStart,
          y: sy.coreStart,
          widthPx: Math.min(sx.coreEnd, widthPx) - sx.coreStart,
          heightPx: Math.min(sy.coreEnd, heightPx) - sy.coreStart,
        },
      });
    });
  });
  return { widthPx, heightPx, paddedWidthPx, paddedHeightPx, multiple, tileSizePx, overlapPx, rows: ys.length, cols: xs.length, tiles };
}

/**
 * The source index of padded index `i` on an axis of `sizePx` pixels, mirrored at the edges without repeating the
 * edge pixel (numpy `mode='reflect'`: ... 2 1 | 0 1 2 ... n-2 n-1 | n-2 n-3 ...). A 1-pixel axis maps everything
 * to 0.
 */
export function reflectIndex(i: number, sizePx: number): number {
  if (sizePx <= 1) return 0;
  const period = 2 * (sizePx - 1);
  let k = i % period;
  if (k < 0) k += period;
  return k < sizePx ? k : period - k;
}

/** Progress of a tiled run, reported after each tile. */
export interface TileProgress {
  tilesDone: number;
  tilesTotal: number;
  /** tilesDone / tilesTotal, from 0 to 1. */
  fraction: number;
}

/** The kept output of one tile, in output pixels (input pixels x scale), planar float32 (channel-major). */
export interface TileOutput {
  tile: Tile;
  /** The core in output coordinates; never extends past the output picture (padding cut). */
  rect: RectPx;
  channels: number;
  /** `channels * rect.heightPx * rect.widthPx` values, channel by channel, row by row. */
  data: Float32Array;
}

/** Options of `runTiles`. */
export interface RunTilesOptions {
  plan: TilePlan;
  /** Output pixels per input pixel (2 for an x2 model). */
  scale: number;
  /** Channels of the model's output (3 for RGB, 1 for Y). */
  channels: number;
  /** The model input for a window (padded coordinates): planar float32 `[channels][heightPx][widthPx]`. */
  inputFor: (window: RectPx) => Float32Array | Promise<Float32Array>;
  /** Runs the model on one window's input; returns planar float32 `[channels][heightPx*scale][widthPx*scale]`. */
  infer: (input: Float32Array, widthPx: number, heightPx: number) => Promise<Float32Array>;
  /** Receives each tile's kept output as soon as it is computed, in row-major tile order. */
  onTile: (output: TileOutput) => void | Promise<void>;
  signal?: AbortSignal;
  onProgress?: (progress: TileProgress) => void;
}

/**
 * Runs the model tile by tile over the plan, hands each tile's core to `onTile`, checks `signal` before each tile
 * and reports progress after each.
 * @throws EnhanceError `enhance.cancelled` when the signal is aborted; `enhance.inferenceFailed` when the model
 *   returns the wrong number of values for a tile; whatever `inputFor`, `infer` or `onTile` throw.
 */
export async function runTiles(options: RunTilesOptions): Promise<void> {
  const { plan, scale, channels } = options;
  const total = plan.tiles.length;
  const outWidthPx = plan.widthPx * scale;
  const outHeightPx = plan.heightPx * scale;
  for (const tile of plan.tiles) {
    if (options.signal?.aborted) throw cancelledError();
    const { window, core } = tile;
    const input = await options.inputFor(window);
    const output = await options.infer(input, window.widthPx, window.heightPx);
    const ow = window.widthPx * scale;
    const oh = window.heightPx * scale;
    if (output.length !== channels * ow * oh) {
      throw new EnhanceError('enhance.inferenceFailed', `The model returned ${output.length} values for a ${window.widthPx}x${window.heightPx} tile; ${channels}x${oh}x${ow} were expected.`, 'Check the model\'s scale and channels in its model.json.');
    }
    const rect: RectPx = {
      x: core.x * scale,
      y: core.y * scale,
      widthPx: Math.min(core.widthPx * scale, outWidthPx - core.x * scale),
      heightPx: Math.min(core.heightPx * scale, outHeightPx - core.y * scale),
    };
    const offX = rect.x - window.x * scale;
    const offY = rect.y - window.y * scale;
    const data = new Float32Array(channels * rect.widthPx * rect.heightPx);
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < rect.heightPx; y++) {
        const from = (c * oh + offY + y) * ow + offX;
        data.set(output.subarray(from, from + rect.widthPx), (c * rect.heightPx + y) * rect.widthPx);
      }
    }
    await options.onTile({ tile, rect, channels, data });
    options.onProgress?.({ tilesDone: tile.index + 1, tilesTotal: total, fraction: (tile.index + 1) / total });
  }
}
