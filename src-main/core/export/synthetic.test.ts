import { describe, expect, it } from 'vitest';
import { assertEditTimeline } from './EditTimeline.ts';
import { makeSampleTimeline, makeSyntheticTimeline } from './synthetic.ts';

describe('makeSyntheticTimeline', () => {
  it('makes a valid, deterministic timeline of the asked size', () => {
    const a = makeSyntheticTimeline(1000, { num: 24000, den: 1001 });
    expect(a.clips).toHaveLength(1000);
    expect(() => assertEditTimeline(a)).not.toThrow();
    expect(a).toEqual(makeSyntheticTimeline(1000, { num: 24000, den: 1001 }));
    expect(new Set(a.clips.map((c) => c.shotId)).size).toBe(1000);
    expect(a.clips.slice(0, 9).map((c) => c.shotNumber)).toEqual(['1A', '1B', '1C', '1D', '1E', '1F', '1G', '1H', '2A']);
    expect(a.clips.filter((c) => c.media.kind === 'video')).toHaveLength(200);
    expect(a.music!.durationFrames).toBe(a.clips.reduce((s, c) => s + c.durationFrames, 0));
  });

  it('refuses a shot count below one', () => {
    expect(() => makeSyntheticTimeline(0, { num: 25, den: 1 })).toThrow(/shotCount must be a whole number >= 1; got 0/);
  });

  it('makes a valid sample timeline', () => {
    expect(() => assertEditTimeline(makeSampleTimeline({ num: 30000, den: 1001 }))).not.toThrow();
  });
});
