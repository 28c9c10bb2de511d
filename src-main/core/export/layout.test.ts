import { describe, expect, it } from 'vitest';
import { clipAtFrame, layOutTimeline } from './layout.ts';
import { makeSampleTimeline } from './synthetic.ts';

const PAL = { num: 25, den: 1 };

describe('layOutTimeline', () => {
  it('places shots back to back and lists each file once with a duration that fits every use', () => {
    const t = makeSampleTimeline(PAL);
    t.clips.push({ ...t.clips[0]!, shotId: 'shot-4', durationFrames: 90 });
    const layout = layOutTimeline(t);
    expect(layout.clips.map((c) => [c.recordInFrames, c.recordOutFrames])).toEqual([[0, 50], [50, 78], [78, 153], [153, 243]]);
    expect(layout.media.map((m) => [m.fileName, m.durationFrames])).toEqual([
      ['12A #1.png', 90],
      ['12B café.jpg', 28],
      ['13 take 4 (final).mp4', 100],
    ]);
    expect(layout.clips[3]!.media).toBe(layout.media[0]);
    expect([layout.startFrames, layout.shotsFrames, layout.endFrames, layout.dropFrame]).toEqual([90000, 243, 243, false]);
    expect(clipAtFrame(layout, 0).index).toBe(0);
    expect(clipAtFrame(layout, 77).index).toBe(1);
    expect(clipAtFrame(layout, 78).index).toBe(2);
    expect(clipAtFrame(layout, 10_000).index).toBe(3);
  });

  it('takes startFrames from the timeline and refuses a timeline running past 24 hours', () => {
    expect(layOutTimeline({ ...makeSampleTimeline(PAL), startFrames: 0 }).startFrames).toBe(0);
    expect(() => layOutTimeline({ ...makeSampleTimeline(PAL), startFrames: 24 * 3600 * 25 - 100 })).toThrow(/wraps at 24 hours/);
  });
});
