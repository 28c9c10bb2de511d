import { describe, expect, it } from 'vitest';
import { assertEditTimeline, isAbsoluteMediaPath, shotsDurationFrames, timelineEndFrames, type EditTimeline } from './EditTimeline.ts';
import { makeSampleTimeline } from './synthetic.ts';

const PAL = { num: 25, den: 1 };
const sample = (): EditTimeline => makeSampleTimeline(PAL);

describe('assertEditTimeline', () => {
  it('accepts the sample timeline and measures it', () => {
    const t = sample();
    expect(() => assertEditTimeline(t)).not.toThrow();
    expect(shotsDurationFrames(t)).toBe(50 + 28 + 75);
    t.music = { path: '/m.wav', offsetFrames: 100, durationFrames: 200 };
    expect(timelineEndFrames(t)).toBe(300);
  });

  it('names what is wrong and what to do', () => {
    const cases: [string, (t: EditTimeline) => void, RegExp][] = [
      ['no shots', (t) => { t.clips = []; }, /has no shots: add at least one shot/],
      ['zero duration', (t) => { t.clips[1]!.durationFrames = 0; }, /clip 2 \(shot 12B\): durationFrames must be a whole number of frames > 0; got 0/],
      ['fractional duration', (t) => { t.clips[0]!.durationFrames = 2.5; }, /got 2.5/],
      ['relative path', (t) => { t.clips[0]!.media.path = 'takes/a.png'; }, /media path must be absolute; got "takes\/a.png"/],
      ['bad kind', (t) => { (t.clips[0]!.media as { kind: string }).kind = 'gif'; }, /media kind must be 'image' or 'video'/],
      ['video too short', (t) => { t.clips[2]!.media.sourceDurationFrames = 10; }, /longer than its video \(10 frames\); shorten the shot or select a longer take/],
      ['bad size', (t) => { t.widthPx = 0; }, /timeline size must be whole positive pixels/],
      ['music after the end', (t) => { t.music!.offsetFrames = 153; }, /music starts at frame 153, at or after the last shot ends/],
      ['negative start', (t) => { t.startFrames = -1; }, /startFrames must be a whole number of frames >= 0/],
      ['no dialogue array', (t) => { (t.clips[0] as { dialogue: unknown }).dialogue = null; }, /dialogue must be an array/],
    ];
    for (const [, change, message] of cases) {
      const t = sample();
      change(t);
      expect(() => assertEditTimeline(t)).toThrow(message);
    }
  });

  it('recognizes absolute paths of every platform', () => {
    expect(isAbsoluteMediaPath('/a/b.png')).toBe(true);
    expect(isAbsoluteMediaPath('C:\\a\\b.png')).toBe(true);
    expect(isAbsoluteMediaPath('d:/a/b.png')).toBe(true);
    expect(isAbsoluteMediaPath('\\\\server\\share\\b.png')).toBe(true);
    expect(isAbsoluteMediaPath('a/b.png')).toBe(false);
    expect(isAbsoluteMediaPath('C:a.png')).toBe(false);
  });
});
