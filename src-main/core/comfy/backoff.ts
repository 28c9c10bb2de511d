/**
 * Reconnect delays: exponential backoff with jitter, capped ("Exponential Backoff And Jitter",
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  initialDelayMs: number;
  /** Largest delay, ms (the cap). */
  maxDelayMs: number;
  /** Growth per attempt (2 doubles). */
  factor: number;
  /** Share of the delay that is random, 0..1 (0.5: between half and all of it). */
  jitter: number;
}

/** Defaults: 250 ms, doubling, at most 15 s, half jitter. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 250, maxDelayMs: 15_000, factor: 2, jitter: 0.5 };

/**
 * Delay before retry number `attempt` (0 for the first): `min(max, initial * factor^attempt)`, reduced by up
 * to `jitter` of itself at random. Never above `maxDelayMs`, never negative.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.max(0, Math.round(base * (1 - jitter * random())));
}
