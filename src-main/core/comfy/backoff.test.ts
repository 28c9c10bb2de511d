import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff.ts';

describe('backoffDelayMs', () => {
  it('doubles from the initial delay and stops at the cap (no jitter)', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0 };
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(attempt, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes up to `jitter` of the delay away at random, never exceeding the cap', () => {
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.5)).toBe(1500);
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const delay = backoffDelayMs(attempt, DEFAULT_BACKOFF, Math.random);
      expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxDelayMs);
      expect(delay).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.initialDelayMs / 2);
    }
  });
});
