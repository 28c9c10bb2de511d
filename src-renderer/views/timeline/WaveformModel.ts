/**
 * The music lane's arithmetic, without React or the DOM: how many waveform buckets to ask `music.waveform` for
 * at a zoom, which peak each pixel column of the lane shows (through the timeline's own piecewise time->x
 * mapping, so the waveform stays under the cards it plays with), and the music offset field's parsing.
 *
 * Pure TypeScript.
 */
import type { FrameRate } from '../../../src-preload/model';
import { formatTimecode, parseDuration } from '../../lib/duration';
import { visibleShotRange, type TimelineLayout } from './layout';

/** The most buckets `music.waveform` gives (src-preload/contract.ts). */
export const MAX_WAVEFORM_BUCKETS = 100_000;

/**
 * Buckets to ask for so the lane has about one peak per pixel at `pxPerSecond`: the zoom rounded UP to a power of
 * two of buckets per second (so each zoom level is one cached request, and a bucket is never wider than a pixel
 * where cards are not stretched), times the music's length, within 1..MAX_WAVEFORM_BUCKETS.
 * @throws Error for a non-positive zoom or a music length that is not positive.
 */
export function waveformBucketCount(musicDurationFrames: number, rate: FrameRate, pxPerSecond: number): number {
  if (!(pxPerSecond > 0)) throw new Error(`pxPerSecond must be above 0, got ${pxPerSecond}`);
  if (!(musicDurationFrames > 0)) throw new Error(`the music must last at least one frame, got ${musicDurationFrames}`);
  const bucketsPerSecond = 2 ** Math.ceil(Math.log2(pxPerSecond));
  const seconds = (musicDurationFrames * rate.den) / rate.num;
  return Math.min(MAX_WAVEFORM_BUCKETS, Math.max(1, Math.ceil(seconds * bucketsPerSecond)));
}

/** A lane column between two cards: nothing is drawn there (time does not pass in a gap). */
export const COLUMN_GAP = -2;
/** A lane column under a card, at a time the music does not cover (before its offset, after its end). */
export const COLUMN_SILENT = -1;

/** What columnPeaks needs: the layout, the columns to fill, the music's place, and its peaks. */
export interface ColumnPeaksInput {
  layout: TimelineLayout;
  /** Content x (timeline pixels) of the first column's left edge: the scroll position. */
  fromPx: number;
  /** How many columns, and how wide each is in content pixels (1 / devicePixelRatio). */
  columns: number;
  columnWidthPx: number;
  /** Where the music starts on the timeline, in frames. */
  offsetFrames: number;
  /** The music's length in frames (what music.waveform returned with the peaks). */
  musicDurationFrames: number;
  /** The loudest sample of each of `peaks.length` equal slices of the music, 0..1. */
  peaks: ArrayLike<number>;
}

/**
 * The peak each column shows: the loudest bucket under the frames the column covers (0..1), COLUMN_SILENT under
 * a card where no music plays, COLUMN_GAP between cards. Columns follow the layout's mapping exactly as the cards
 * do (linear inside each card), so a stretched one-frame card repeats its slice rather than shifting the rest.
 * O(columns + visible shots).
 */
export function columnPeaks(p: ColumnPeaksInput): Float32Array {
  const out = new Float32Array(Math.max(0, p.columns)).fill(COLUMN_GAP);
  const { layout } = p;
  const toPx = p.fromPx + p.columns * p.columnWidthPx;
  const [first, end] = visibleShotRange(layout, p.fromPx, toPx);
  const buckets = p.peaks.length;
  const bucketsPerFrame = buckets / p.musicDurationFrames;
  for (let i = first; i < end; i++) {
    const x0 = layout.xPx[i];
    const w = layout.widthPx[i];
    const framesPerPx = layout.durationFrames[i] / w;
    const startFrame = layout.startFrame[i];
    const c0 = Math.max(0, Math.floor((x0 - p.fromPx) / p.columnWidthPx));
    const c1 = Math.min(p.columns, Math.ceil((x0 + w - p.fromPx) / p.columnWidthPx));
    for (let c = c0; c < c1; c++) {
      const left = Math.max(x0, p.fromPx + c * p.columnWidthPx);
      const right = Math.min(x0 + w, p.fromPx + (c + 1) * p.columnWidthPx);
      if (right <= left) continue;
      // music frames the column covers
      const m0 = startFrame + (left - x0) * framesPerPx - p.offsetFrames;
      const m1 = startFrame + (right - x0) * framesPerPx - p.offsetFrames;
      if (buckets === 0 || m1 <= 0 || m0 >= p.musicDurationFrames) {
        out[c] = Math.max(out[c], COLUMN_SILENT);
        continue;
      }
      const b0 = Math.max(0, Math.floor(Math.max(0, m0) * bucketsPerFrame));
      const b1 = Math.min(buckets - 1, Math.max(b0, Math.ceil(Math.min(p.musicDurationFrames, m1) * bucketsPerFrame) - 1));
      let peak = 0;
      for (let b = b0; b <= b1; b++) if (p.peaks[b] > peak) peak = p.peaks[b];
      out[c] = Math.max(out[c], peak);
    }
  }
  return out;
}

/**
 * How tall a peak is drawn, as a fraction of the half-height: the square root of the peak (0..1), so quiet passages
 * stay readable next to loud ones, as editors' waveforms do, while silence stays flat and full scale stays full.
 */
export function peakToBarFraction(peak: number): number {
  return Math.sqrt(Math.min(1, Math.max(0, peak)));
}

/**
 * Parses the music offset field: where the music starts, in frames from the first shot. Takes what a duration
 * field takes (`24`, `24f`, `1.5s`, `00:00:01:00`; src-renderer/lib/duration.ts) and also zero in any of those
 * forms (`0`, `0s`, `00:00:00:00`).
 * @throws Error saying what to type, for anything else.
 */
export function parseMusicOffset(text: string, rate: FrameRate): number {
  const t = text.trim().toLowerCase();
  if (/^(0+(\.0*)?|\.0+)\s*(f|fr|frames?|s|secs?|seconds?)?$/.test(t) || /^0{1,2}([:;]0{1,2}){1,3}$/.test(t)) return 0;
  try {
    return parseDuration(t, rate);
  } catch (err) {
    throw new Error((err as Error).message.replace('is not a duration', 'is not a start time'), { cause: err });
  }
}

/** The music offset as the field shows it: a timecode (`00:00:01:00`). */
export function formatMusicOffset(offsetFrames: number, rate: FrameRate): string {
  return formatTimecode(Math.max(0, Math.round(offsetFrames)), rate);
}
