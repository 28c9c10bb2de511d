import { describe, expect, it } from 'vitest';
import { intervals, median, percentile, round } from './stats';

describe('percentile (nearest rank)', () => {
  const samples = [15, 20, 35, 40, 50];
  it('follows the worked example of the nearest-rank method', () => {
    expect(percentile(samples, 5)).toBe(15);
    expect(percentile(samples, 30)).toBe(20);
    expect(percentile(samples, 40)).toBe(20);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 100)).toBe(50);
  });
  it('does not depend on the order of the samples', () => {
    expect(percentile([50, 15, 40, 20, 35], 95)).toBe(50);
    expect(percentile([3, 1, 2], 0)).toBe(1);
  });
  it('refuses no samples and a p outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 101)).toThrow(/outside 0\.\.100/);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no samples/);
  });
});

describe('intervals and round', () => {
  it('turns frame timestamps into frame durations', () => {
    const d = intervals([0, 16.7, 33.4, 66.8]);
    expect(d).toHaveLength(3);
    [16.7, 16.7, 33.4].forEach((want, i) => expect(d[i]).toBeCloseTo(want, 9));
    expect(intervals([5])).toEqual([]);
  });
  it('rounds to the given decimals', () => {
    expect(round(16.6666, 1)).toBe(16.7);
    expect(round(16.6666, 2)).toBe(16.67);
    expect(round(1234.5, 0)).toBe(1235);
  });
});
