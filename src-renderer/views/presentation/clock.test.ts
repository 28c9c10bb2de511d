import { describe, expect, it } from 'vitest';
import {
  PlaybackClock,
  buildShotTimeline,
  frameAtFraction,
  frameAtMusicSeconds,
  musicSecondsAt,
  shotAt,
  shotStartFrame,
  stepFrame,
  wrapFrame,
  type AudioLike,
} from './clock';

const R24 = { num: 24, den: 1 };
const NTSC = { num: 24000, den: 1001 };
// three shots: 0..72, 72..120, 120..216
const T = buildShotTimeline([72, 48, 96]);

/** An <audio> stand-in: its currentTime moves only when the test says so, like a real one that plays or stalls. */
class FakeAudio implements AudioLike {
  currentTime = 0;
  paused = true;
  ended = false;
  plays = 0;
  refuse = false;
  play(): Promise<void> {
    this.plays++;
    if (this.refuse) return Promise.reject(new Error('NotAllowedError'));
    this.paused = false;
    return Promise.resolve();
  }
  pause(): void {
    this.paused = true;
  }
}

function wallClock(startMs = 1000) {
  const c = { ms: startMs, now: () => c.ms };
  return c;
}

describe('shotAt', () => {
  it('finds the shot and the offset into it from prefix sums', () => {
    expect(T.totalFrames).toBe(216);
    expect(shotAt(T, 0)).toEqual({ index: 0, offsetFrames: 0 });
    expect(shotAt(T, 71.9).index).toBe(0);
    expect(shotAt(T, 72)).toEqual({ index: 1, offsetFrames: 0 });
    expect(shotAt(T, 119.5)).toEqual({ index: 1, offsetFrames: 47.5 });
    expect(shotAt(T, 120)).toEqual({ index: 2, offsetFrames: 0 });
    expect(shotAt(T, 215)).toEqual({ index: 2, offsetFrames: 95 });
  });

  it('clamps before the start and past the end', () => {
    expect(shotAt(T, -5)).toEqual({ index: 0, offsetFrames: 0 });
    expect(shotAt(T, 500)).toEqual({ index: 2, offsetFrames: 96 });
  });

  it('shows each shot for exactly its duration, frame by frame', () => {
    const seen = new Map<number, number>();
    for (let f = 0; f < T.totalFrames; f++) {
      const i = shotAt(T, f).index;
      seen.set(i, (seen.get(i) ?? 0) + 1);
    }
    expect([...seen.entries()]).toEqual([
      [0, 72],
      [1, 48],
      [2, 96],
    ]);
  });

  it('refuses an empty timeline and a shot without duration', () => {
    expect(() => shotAt(buildShotTimeline([]), 0)).toThrow(/no shots/);
    expect(() => buildShotTimeline([24, 0])).toThrow(/shot 2 lasts 0 frames/);
  });

  it('stays fast and exact on 10,000 shots', () => {
    const big = buildShotTimeline(Array.from({ length: 10_000 }, (_, i) => 1 + (i % 7)));
    let f = 0;
    for (let i = 0; i < 10_000; i++) {
      expect(shotAt(big, f + 0.5).index).toBe(i);
      f += 1 + (i % 7);
    }
  });
});

describe('seeking, stepping, wrapping', () => {
  it('steps to the start of the next and previous shot, clamped', () => {
    expect(stepFrame(T, 10, 1)).toBe(72);
    expect(stepFrame(T, 80, 1)).toBe(120);
    expect(stepFrame(T, 130, 1)).toBe(120);
    expect(stepFrame(T, 80, -1)).toBe(0);
    expect(stepFrame(T, 10, -1)).toBe(0);
    expect(stepFrame(T, 216, -1)).toBe(120);
    expect(shotStartFrame(T, 99)).toBe(120);
  });

  it('wraps with the loop on and holds the end without it', () => {
    expect(wrapFrame(T, 220, true)).toEqual({ frame: 4, ended: false });
    expect(wrapFrame(T, 220, false)).toEqual({ frame: 216, ended: true });
    expect(wrapFrame(T, 100, false)).toEqual({ frame: 100, ended: false });
  });

  it('maps the scrub bar to frames', () => {
    expect(frameAtFraction(T, 0.5)).toBe(108);
    expect(frameAtFraction(T, -1)).toBe(0);
    expect(frameAtFraction(T, 2)).toBe(216);
  });
});

describe('music on the timeline', () => {
  const music = { offsetFrames: 24, durationFrames: 120 };
  it('is heard from its offset for its duration', () => {
    expect(musicSecondsAt(23, music, R24)).toBeNull();
    expect(musicSecondsAt(24, music, R24)).toBe(0);
    expect(musicSecondsAt(48, music, R24)).toBe(1);
    expect(musicSecondsAt(144, music, R24)).toBeNull();
    expect(musicSecondsAt(48, null, R24)).toBeNull();
    expect(frameAtMusicSeconds(2, music, R24)).toBe(72);
  });

  it('uses the rational rate exactly (24000/1001)', () => {
    expect(musicSecondsAt(24 + 24, music, NTSC)).toBeCloseTo(1.001, 12);
    expect(frameAtMusicSeconds(1.001, music, NTSC)).toBeCloseTo(48, 9);
  });
});

describe('PlaybackClock on the wall clock (no music)', () => {
  it('advances with performance time, shot-accurate however late the ticks', () => {
    const wall = wallClock();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music: null, audio: null, nowMs: wall.now });
    clock.play();
    wall.ms += 2999; // 71.976 frames: still shot 0
    expect(clock.tick()).toMatchObject({ index: 0, source: 'wall', playing: true });
    wall.ms += 2; // 3.001 s: shot 1
    expect(clock.tick().index).toBe(1);
    wall.ms += 2500; // one very late tick jumps straight to shot 2, never "one shot per tick"
    expect(clock.tick()).toMatchObject({ index: 2 });
  });

  it('pauses where it is and resumes from there', () => {
    const wall = wallClock();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music: null, audio: null, nowMs: wall.now, startFrame: 72 });
    clock.play();
    wall.ms += 500;
    clock.pause();
    expect(clock.frame()).toBe(84);
    wall.ms += 10_000;
    expect(clock.tick()).toMatchObject({ frame: 84, index: 1, playing: false });
    clock.play();
    wall.ms += 1000;
    expect(clock.frame()).toBe(108);
  });

  it('stops at the end without the loop, and plays again from the top', () => {
    const wall = wallClock();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music: null, audio: null, nowMs: wall.now, startFrame: 200 });
    clock.play();
    wall.ms += 1000;
    expect(clock.tick()).toMatchObject({ frame: 216, index: 2, ended: true, playing: false });
    clock.play();
    expect(clock.frame()).toBe(0);
  });

  it('wraps to the start with the loop on', () => {
    const wall = wallClock();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music: null, audio: null, nowMs: wall.now, startFrame: 210, loop: true });
    clock.play();
    wall.ms += 500; // 210 + 12 = 222 -> 6
    expect(clock.tick()).toMatchObject({ frame: 6, index: 0, ended: false, playing: true });
    wall.ms += 3000;
    expect(clock.tick().index).toBe(1);
  });

  it('seeks while playing and keeps playing from there', () => {
    const wall = wallClock();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music: null, audio: null, nowMs: wall.now });
    clock.play();
    clock.seek(stepFrame(T, clock.frame(), 1));
    expect(clock.tick()).toMatchObject({ index: 1, offsetFrames: 0 });
    wall.ms += 1000;
    expect(clock.frame()).toBe(96);
  });
});

describe('PlaybackClock with music', () => {
  const music = { offsetFrames: 24, durationFrames: 120 };

  it('is driven by the audio element inside the music: a stalled audio holds the picture', async () => {
    const wall = wallClock();
    const audio = new FakeAudio();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music, audio, nowMs: wall.now, startFrame: 48 });
    clock.play();
    await Promise.resolve();
    expect(audio.currentTime).toBe(1); // seeked to where the playhead is in the music
    expect(audio.paused).toBe(false);
    wall.ms += 5000; // the audio has not moved (buffering): neither does the picture
    expect(clock.tick()).toMatchObject({ frame: 48, index: 0, source: 'music' });
    audio.currentTime = 2.5; // the audio moved 1.5 s
    expect(clock.tick()).toMatchObject({ frame: 84, index: 1, source: 'music' });
  });

  it('runs on the wall clock before the music, and hands over to the audio at its offset', () => {
    const wall = wallClock();
    const audio = new FakeAudio();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music, audio, nowMs: wall.now });
    clock.play();
    expect(audio.paused).toBe(true);
    expect(clock.tick().source).toBe('wall');
    wall.ms += 1010; // 24.24 frames: the music has started
    const t = clock.tick();
    expect(t.source).toBe('music');
    expect(audio.paused).toBe(false);
    expect(audio.currentTime).toBeCloseTo(0.01, 9);
    audio.currentTime = 1;
    expect(clock.frame()).toBe(48);
  });

  it('hands back to the wall clock when the music ends', () => {
    const wall = wallClock();
    const audio = new FakeAudio();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music, audio, nowMs: wall.now, startFrame: 130 });
    clock.play();
    audio.currentTime = 5; // frame 144: the end of the music
    audio.ended = true;
    audio.paused = true;
    expect(clock.tick()).toMatchObject({ frame: 144, source: 'wall' }); // read from the music, handed over
    wall.ms += 1000;
    expect(clock.tick()).toMatchObject({ frame: 168, index: 2, source: 'wall' });
  });

  it('falls back to the wall clock when the browser refuses to play', async () => {
    const wall = wallClock();
    const audio = new FakeAudio();
    audio.refuse = true;
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music, audio, nowMs: wall.now, startFrame: 48 });
    clock.play();
    await new Promise((r) => setTimeout(r, 0));
    wall.ms += 1000;
    expect(clock.tick()).toMatchObject({ frame: 72, index: 1, source: 'wall' });
  });

  it('seeks the audio with the picture, and pauses it outside the music and on pause', () => {
    const wall = wallClock();
    const audio = new FakeAudio();
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music, audio, nowMs: wall.now, startFrame: 48 });
    clock.play();
    clock.seek(120);
    expect(audio.currentTime).toBe(4);
    expect(audio.paused).toBe(false);
    clock.seek(200); // after the music
    expect(audio.paused).toBe(true);
    expect(clock.tick().source).toBe('wall');
    clock.seek(72);
    expect(audio.paused).toBe(false);
    audio.currentTime = 2.25;
    clock.pause();
    expect(audio.paused).toBe(true);
    expect(clock.frame()).toBe(78);
  });

  it('loops back into the music and restarts the audio there', () => {
    const wall = wallClock();
    const audio = new FakeAudio();
    const long = { offsetFrames: 0, durationFrames: 1000 };
    const clock = new PlaybackClock({ timeline: T, frameRate: R24, music: long, audio, nowMs: wall.now, startFrame: 200, loop: true });
    clock.play();
    audio.currentTime = 9.25; // frame 222: past the end of the timeline
    expect(clock.tick()).toMatchObject({ frame: 6, index: 0 });
    expect(audio.currentTime).toBe(0.25);
    expect(audio.paused).toBe(false);
  });
});
