/**
 * Which source frames make each output frame when a clip changes frame rate (pure arithmetic, no onnxruntime, so
 * the main thread can use it): output frame k shows the time k / rate, an exact source frame when the times align,
 * else the two neighbouring source frames and the timestep between them. Exact rational arithmetic (BigInt), so
 * 24000/1001 never drifts. Used by interpolate.ts.
 */
import { EnhanceError } from './EnhanceError.ts';

/** A frame rate as an exact rational: frames per second = num / den (24000/1001). */
export interface FrameRate {
  num: number;
  den: number;
}

/** One output frame: an exact source frame (`exact`, `from` = `to`) or the blend of `from` and `to` at `timestep`. */
export interface PlannedFrame {
  /** 0-based output frame index. */
  index: number;
  /** 0-based source frame before (or at) the output frame's time. */
  from: number;
  /** 0-based source frame after it (`from + 1`), or `from` for an exact frame. */
  to: number;
  /** Position between `from` (0) and `to` (1); 0 for an exact frame. */
  timestep: number;
  exact: boolean;
}

/** The output frames of a clip brought from one frame rate to another. */
export interface InterpolationPlan {
  sourceFrameCount: number;
  sourceFrameRate: FrameRate;
  frameRate: FrameRate;
  /** round(sourceFrameCount / sourceRate * frameRate): the clip keeps its duration. At least 1. */
  frameCount: number;
  frames: PlannedFrame[];
  /** How many frames the model computes (not exact). */
  interpolatedCount: number;
}

/** @throws EnhanceError `enhance.badArgument` unless `rate` is a ratio of positive safe integers. */
export function checkRate(rate: FrameRate, what: string): void {
  if (!Number.isSafeInteger(rate.num) || !Number.isSafeInteger(rate.den) || rate.num <= 0 || rate.den <= 0) {
    throw new EnhanceError('enhance.badArgument', `The ${what} frame rate ${rate.num}/${rate.den} is not a ratio of positive whole numbers.`, 'Give frame rates as rationals such as 24000/1001 or 24/1.');
  }
}

/**
 * Plans the output frames of a clip of `sourceFrameCount` frames at `sourceFrameRate` brought to `frameRate` (see
 * the module documentation): output frame k shows source time k × frameRate.den / frameRate.num, at source
 * position s = k × (frameRate.den × source.num) / (frameRate.num × source.den).
 * @throws EnhanceError `enhance.badArgument` when a count or rate is not a positive whole number (ratio).
 */
export function planInterpolation(sourceFrameCount: number, sourceFrameRate: FrameRate, frameRate: FrameRate): InterpolationPlan {
  if (!Number.isSafeInteger(sourceFrameCount) || sourceFrameCount < 1) {
    throw new EnhanceError('enhance.badArgument', `The clip has ${sourceFrameCount} frames; interpolation needs at least one.`, 'Check the clip plays in a video player.');
  }
  checkRate(sourceFrameRate, 'source');
  checkRate(frameRate, 'target');
  const count = BigInt(sourceFrameCount);
  // Output frame count: round(F × (src.den × tgt.num) / (src.num × tgt.den)), half up.
  const a = BigInt(sourceFrameRate.den) * BigInt(frameRate.num);
  const b = BigInt(sourceFrameRate.num) * BigInt(frameRate.den);
  const frameCount = Math.max(1, Number((2n * count * a + b) / (2n * b)));
  // Source position of output frame k: k × c / d.
  const c = BigInt(frameRate.den) * BigInt(sourceFrameRate.num);
  const d = BigInt(frameRate.num) * BigInt(sourceFrameRate.den);
  const last = sourceFrameCount - 1;
  const frames: PlannedFrame[] = [];
  let interpolatedCount = 0;
  for (let k = 0; k < frameCount; k++) {
    const position = BigInt(k) * c;
    const i = Number(position / d);
    const rem = position % d;
    if (rem === 0n || i >= last) {
      const at = Math.min(i, last);
      frames.push({ index: k, from: at, to: at, timestep: 0, exact: true });
    } else {
      frames.push({ index: k, from: i, to: i + 1, timestep: Number(rem) / Number(d), exact: false });
      interpolatedCount++;
    }
  }
  return { sourceFrameCount, sourceFrameRate, frameRate, frameCount, frames, interpolatedCount };
}
