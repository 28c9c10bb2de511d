import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './CircuitBreaker.ts';

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, and a success in between resets the count', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 3, coolDownMs: 100, now: c.now });
    expect(breaker.recordFailure()).toBe(false);
    expect(breaker.recordFailure()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.consecutiveFailures).toBe(0);
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.recordFailure()).toBe(true);
    expect(breaker.state).toBe('open');
    expect(breaker.allows).toBe(false);
    expect(breaker.retryAt).toBe(1_100);
  });

  it('goes half-open after the cool-down, closes on a successful probe, and reopens for longer on a failed one', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 1, coolDownMs: 100, maxCoolDownMs: 250, now: c.now });
    breaker.recordFailure();
    c.advance(99);
    expect(breaker.state).toBe('open');
    c.advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allows).toBe(true);
    breaker.beginProbe();
    expect(breaker.recordFailure()).toBe(true); // the probe failed: open again, 200 ms
    expect(breaker.state).toBe('open');
    c.advance(199);
    expect(breaker.state).toBe('open');
    c.advance(1);
    expect(breaker.recordFailure()).toBe(true); // 250 ms: capped
    c.advance(249);
    expect(breaker.state).toBe('open');
    c.advance(1);
    expect(breaker.recordSuccess()).toBe(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.retryAt).toBe(0);
  });

  it('ignores late failures while open, and refuses a threshold below 1', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 1, coolDownMs: 100, now: c.now });
    breaker.recordFailure();
    expect(breaker.recordFailure()).toBe(false);
    expect(breaker.retryAt).toBe(1_100);
    expect(() => new CircuitBreaker({ threshold: 0 })).toThrow(/threshold/);
  });
});
