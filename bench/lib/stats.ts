/**
 * Small statistics for benchmark samples: percentiles (nearest-rank), medians, rounding for reports.
 */

/**
 * The p-th percentile of `samples` by the nearest-rank method (the smallest sample with at least p % of the
 * samples at or below it; https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method).
 * @param p percent, 0 to 100 (0 gives the minimum, 100 the maximum).
 * @throws Error for no samples or a p outside 0..100.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples: measure at least one value first');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is outside 0..100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * The median of `samples`: the middle value, or the mean of the two middle values for an even count.
 * @throws Error for no samples.
 */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples: measure at least one value first');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The differences between consecutive timestamps (ms): frame durations from requestAnimationFrame times. */
export function intervals(timestampsMs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < timestampsMs.length; i++) out.push(timestampsMs[i] - timestampsMs[i - 1]);
  return out;
}

/** `value` rounded to `digits` decimals, for a report. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
