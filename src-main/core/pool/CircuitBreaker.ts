/**
 * A circuit breaker for one server (M. Nygard, "Release It!", and
 * https://martinfowler.com/bliki/CircuitBreaker.html): `closed` lets work through and counts consecutive
 * transient failures; at `threshold` it opens and sets the server aside for a cool-down that doubles on every
 * failed probe (capped); after the cool-down one probe may run (`half-open`): success closes it, failure opens
 * it again for longer. Pure logic with an injectable clock, so tests need no timers.
 */

/** Breaker state. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Settings of a {@link CircuitBreaker}. */
export interface BreakerOptions {
  /** Consecutive transient failures that open the breaker; default 3. */
  threshold: number;
  /** First cool-down, ms; default 5 000. */
  coolDownMs: number;
  /** Longest cool-down, ms; default 300 000. */
  maxCoolDownMs: number;
  /** The clock, ms; default Date.now. */
  now: () => number;
}

/** Defaults of {@link BreakerOptions}. */
export const DEFAULT_BREAKER: BreakerOptions = { threshold: 3, coolDownMs: 5_000, maxCoolDownMs: 300_000, now: Date.now };

/** See the module documentation. */
export class CircuitBreaker {
  private readonly options: BreakerOptions;
  private failures = 0;
  private opens = 0;
  private openUntil = 0;
  private halfOpen = false;

  constructor(options: Partial<BreakerOptions> = {}) {
    this.options = { ...DEFAULT_BREAKER, ...options };
    if (!(this.options.threshold >= 1)) throw new Error(`CircuitBreaker threshold must be 1 or more, not ${this.options.threshold}`);
  }

  /** `open` during the cool-down, `half-open` after it (until the probe's outcome), else `closed`. */
  get state(): BreakerState {
    if (this.opens === 0) return 'closed';
    if (this.halfOpen || this.options.now() >= this.openUntil) return 'half-open';
    return 'open';
  }

  /** Consecutive transient failures counted while closed. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** When the current cool-down ends (ms on the breaker's clock); 0 when closed. */
  get retryAt(): number {
    return this.opens === 0 ? 0 : this.openUntil;
  }

  /** Whether work may be sent now: closed, or half-open (the probe). */
  get allows(): boolean {
    return this.state !== 'open';
  }

  /** Marks the start of the half-open probe (so a second one is not sent). */
  beginProbe(): void {
    if (this.state === 'half-open') this.halfOpen = true;
  }

  /** A success: closes the breaker and clears the count. Returns true when the state changed. */
  recordSuccess(): boolean {
    const changed = this.opens > 0;
    this.failures = 0;
    this.opens = 0;
    this.openUntil = 0;
    this.halfOpen = false;
    return changed;
  }

  /**
   * A transient failure: counts it; opens the breaker at the threshold, or again (longer) when a half-open probe
   * failed. Returns true when the breaker (re)opened.
   */
  recordFailure(): boolean {
    if (this.opens > 0 && this.state !== 'open') return this.open();
    if (this.opens > 0) return false; // already open: a late failure of earlier work changes nothing
    this.failures += 1;
    if (this.failures >= this.options.threshold) return this.open();
    return false;
  }

  private open(): boolean {
    const coolDownMs = Math.min(this.options.maxCoolDownMs, this.options.coolDownMs * 2 ** this.opens);
    this.opens += 1;
    this.halfOpen = false;
    this.openUntil = this.options.now() + coolDownMs;
    return true;
  }
}
