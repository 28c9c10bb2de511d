import { describe, expect, it } from 'vitest';
import { planInterpolation } from './framePlan.ts';

const NTSC_FILM = { num: 24000, den: 1001 };

describe('planInterpolation', () => {
  it('brings 2 s at 16 fps to 24000/1001: 48 frames, each at its source time between the right neighbours', () => {
    const plan = planInterpolation(32, { num: 16, den: 1 }, NTSC_FILM);
    expect(plan.frameCount).toBe(48); // round(2 s × 23.976)
    expect(plan.frames[0]).toEqual({ index: 0, from: 0, to: 0, timestep: 0, exact: true });
    // Output frame 1 is at 1001/24000 s = source position 16 × 1001 / 24000 = 0.66733...
    expect(plan.frames[1]).toMatchObject({ from: 0, to: 1, exact: false });
    expect(plan.frames[1].timestep).toBeCloseTo(16016 / 24000, 12);
    expect(plan.frames[2].from).toBe(1);
    expect(plan.frames[2].timestep).toBeCloseTo((2 * 16016) / 24000 - 1, 12);
    // The last output frame (position 31.36) lies past the last source frame: it holds frame 31.
    expect(plan.frames[47]).toEqual({ index: 47, from: 31, to: 31, timestep: 0, exact: true });
    expect(plan.interpolatedCount).toBe(46);
    for (const f of plan.frames) expect(f.timestep).toBeGreaterThanOrEqual(0), expect(f.timestep).toBeLessThan(1);
  });

  it('copies exact frames where the times align, and keeps the duration', () => {
    const double = planInterpolation(24, { num: 24, den: 1 }, { num: 48, den: 1 });
    expect(double.frameCount).toBe(48);
    expect(double.frames.filter((f) => f.exact).map((f) => f.index)).toEqual([...Array.from({ length: 24 }, (_, i) => i * 2), 47]);
    expect(double.frames[1]).toMatchObject({ from: 0, to: 1, timestep: 0.5 });
    const same = planInterpolation(10, NTSC_FILM, NTSC_FILM);
    expect(same.frameCount).toBe(10);
    expect(same.interpolatedCount).toBe(0);
    expect(same.frames.map((f) => f.from)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const down = planInterpolation(30, { num: 30, den: 1 }, { num: 24, den: 1 });
    expect(down.frameCount).toBe(24);
    expect(down.frames[1]).toMatchObject({ from: 1, to: 2 });
    expect(down.frames[1].timestep).toBeCloseTo(0.25, 12);
    expect(down.frames[4]).toMatchObject({ from: 5, exact: true });
  });

  it('refuses counts and rates that are not positive whole numbers', () => {
    expect(() => planInterpolation(0, NTSC_FILM, NTSC_FILM)).toThrow(/at least one/);
    expect(() => planInterpolation(10, { num: 23.976, den: 1 }, NTSC_FILM)).toThrow(/source frame rate 23.976\/1 is not a ratio of positive whole numbers/);
    expect(() => planInterpolation(10, NTSC_FILM, { num: 24, den: 0 })).toThrow(/target frame rate/);
  });
});
