/**
 * Presentation timing, without React or the DOM: which shot is on screen at a timeline frame, seeking, stepping,
 * the loop, and the music's place on the timeline. The frame always comes from ONE clock (PlaybackClock below)
 * and the shot from the frame, by binary search over prefix sums of the durations: never from accumulated
 * timeouts, so a shot is on screen for exactly its duration however late a tick runs.
 *
 * Frames are timeline frames from 0 (the first shot's first frame) at the project's rational frame rate; they
 * may be fractional between two ticks. Times in seconds or milliseconds say so in their names.
 */
import type { FrameRate } from '../../../src-preload/model';

/** The shots' durations laid end to end: `startFrames[i]` is where shot i starts (prefix sums), `totalFrames` the end. */
export interface ShotTimeline {
  startFrames: Float64Array;
  durationFrames: Float64Array;
  totalFrames: number;
}

/**
 * Lays durations end to end. O(n).
 * @throws Error for a duration that is not a positive number (a shot lasts at least one frame).
 */
export function buildShotTimeline(durationFrames: ReadonlyArray<number>): ShotTimeline {
  const n = durationFrames.length;
  const starts = new Float64Array(n);
  const durations = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    const d = durationFrames[i];
    if (!(d > 0) || !Number.isFinite(d)) throw new Error(`shot ${i + 1} lasts ${d} frames: every shot needs a positive duration`);
    starts[i] = t;
    durations[i] = d;
    t += d;
  }
  return { startFrames: starts, durationFrames: durations, totalFrames: t };
}

/** The shot on screen at a frame and how far into it, in frames. */
export interface ShotPosition {
  index: number;
  offsetFrames: number;
}

/**
 * The shot showing at `frame`: the last shot whose start is at or before it. Frames before 0 show the first
 * shot's first frame, frames at or past the end the last shot's last instant. O(log n).
 * @throws Error for an empty timeline (nothing to present).
 */
export function shotAt(t: ShotTimeline, frame: number): ShotPosition {
  const n = t.startFrames.length;
  if (n === 0) throw new Error('the timeline has no shots to present');
  if (!(frame > 0)) return { index: 0, offsetFrames: 0 };
  if (frame >= t.totalFrames) return { index: n - 1, offsetFrames: t.durationFrames[n - 1] };
  let lo = 0;
  let hi = n; // first index whose start is > frame
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t.startFrames[mid] > frame) hi = mid;
    else lo = mid + 1;
  }
  const index = lo - 1;
  return { index, offsetFrames: frame - t.startFrames[index] };
}

/** Where shot `index` starts, the index clamped to the timeline. */
export function shotStartFrame(t: ShotTimeline, index: number): number {
  const n = t.startFrames.length;
  if (n === 0) return 0;
  return t.startFrames[Math.min(n - 1, Math.max(0, Math.trunc(index)))];
}

/**
 * The frame to jump to for one step of `delta` shots from `frame` (← is -1, → is +1): the start of the shot
 * `delta` away, clamped to the first and last shot. From the end of the timeline, ← goes to the last shot's start.
 */
export function stepFrame(t: ShotTimeline, frame: number, delta: number): number {
  const { index } = shotAt(t, frame);
  const from = frame >= t.totalFrames && delta < 0 ? index + 1 : index;
  return shotStartFrame(t, from + delta);
}

/**
 * A frame that ran past the end: with `loop`, wrapped back into [0, totalFrames); without, held at the end with
 * `ended` true. Frames inside the timeline come back unchanged.
 */
export function wrapFrame(t: ShotTimeline, frame: number, loop: boolean): { frame: number; ended: boolean } {
  if (frame < t.totalFrames || t.totalFrames <= 0) return { frame: Math.max(0, frame), ended: false };
  if (loop) return { frame: frame % t.totalFrames, ended: false };
  return { frame: t.totalFrames, ended: true };
}

/** The frame at a point of the scrub bar, `fraction` 0..1 of its width (clamped). */
export function frameAtFraction(t: ShotTimeline, fraction: number): number {
  return Math.min(1, Math.max(0, fraction)) * t.totalFrames;
}

/** The music bed's place on the timeline (ProjectSnapshot.music): it starts at `offsetFrames` and lasts `durationFrames`. */
export interface MusicPlacement {
  offsetFrames: number;
  durationFrames: number;
}

/** Frames per second of a rational rate, as a float for clock arithmetic. */
export function framesPerSecond(rate: FrameRate): number {
  return rate.num / rate.den;
}

/** The time in the music file heard at timeline `frame`, in seconds; null before the music starts or after it ends. */
export function musicSecondsAt(frame: number, music: MusicPlacement | null, rate: FrameRate): number | null {
  if (!music) return null;
  const into = frame - music.offsetFrames;
  if (into < 0 || into >= music.durationFrames) return null;
  return into / framesPerSecond(rate);
}

/** The timeline frame heard at `seconds` into the music file. */
export function frameAtMusicSeconds(seconds: number, music: MusicPlacement, rate: FrameRate): number {
  return music.offsetFrames + seconds * framesPerSecond(rate);
}

/** What the clock needs of an <audio> element (HTMLMediaElement fits). */
export interface AudioLike {
  currentTime: number;
  readonly paused: boolean;
  readonly ended: boolean;
  play(): Promise<void> | void;
  pause(): void;
}

/** What one tick of the clock reports. */
export interface ClockTick extends ShotPosition {
  frame: number;
  playing: boolean;
  /** True on the tick that stopped at the end of the timeline (loop off). */
  ended: boolean;
  /** Which clock drives from this tick on: the music's currentTime, or the wall clock (no music here, or none at all). */
  source: 'music' | 'wall';
}

/** Options of PlaybackClock. */
export interface PlaybackClockOptions {
  timeline: ShotTimeline;
  frameRate: FrameRate;
  /** The music and its <audio> element, or null without music. */
  music: MusicPlacement | null;
  audio: AudioLike | null;
  /** Milliseconds from a monotonic clock (performance.now in the page). */
  nowMs: () => number;
  loop?: boolean;
  /** Where to start (a timeline frame); default 0. */
  startFrame?: number;
}

/**
 * The presentation's one clock. While the playhead is inside the music, the frame IS the <audio> element's
 * currentTime (mapped through the music's offset), so picture follows sound even when the audio stalls or the
 * page is slow; where no music plays (none set, before its offset, after its end, or the browser refused to play
 * it), the frame is performance.now() elapsed since the last anchor. Exactly one of the two drives at any time;
 * the switch happens at the music's boundaries, each handing over the frame it reached.
 *
 * Call `tick()` once per animation frame; it returns the frame and the shot at it, wraps or stops at the end, and
 * starts or stops the audio as the playhead enters or leaves the music.
 */
export class PlaybackClock {
  private readonly t: ShotTimeline;
  private readonly rate: FrameRate;
  private readonly music: MusicPlacement | null;
  private readonly audio: AudioLike | null;
  private readonly nowMs: () => number;
  private loopOn: boolean;
  private playingNow = false;
  /** The frame at `anchorMs` (wall clock), or the paused frame. */
  private anchorFrame: number;
  private anchorMs = 0;
  /** Whether the audio element drives the frame now. */
  private audioDrives = false;
  /** Bumped by every seek/pause, so a late play() rejection does not undo a newer state. */
  private generation = 0;
  /** The browser refused to play the music; the wall clock drives until the next play() or seek(). */
  private musicRefused = false;

  constructor(opts: PlaybackClockOptions) {
    this.t = opts.timeline;
    this.rate = opts.frameRate;
    this.music = opts.music && opts.audio ? opts.music : null;
    this.audio = opts.music ? opts.audio : null;
    this.nowMs = opts.nowMs;
    this.loopOn = opts.loop ?? false;
    this.anchorFrame = wrapFrame(this.t, Math.max(0, opts.startFrame ?? 0), false).frame;
  }

  get playing(): boolean {
    return this.playingNow;
  }

  get loop(): boolean {
    return this.loopOn;
  }

  set loop(on: boolean) {
    this.loopOn = on;
  }

  /** The frame now, read from whichever clock drives (no side effects). */
  frame(): number {
    if (!this.playingNow) return this.anchorFrame;
    if (this.audioDrives && this.music && this.audio) return frameAtMusicSeconds(this.audio.currentTime, this.music, this.rate);
    return this.anchorFrame + ((this.nowMs() - this.anchorMs) * framesPerSecond(this.rate)) / 1000;
  }

  /** Starts playing from where it is (from the top when it stood at the end). */
  play(): void {
    if (this.playingNow) return;
    const from = this.anchorFrame >= this.t.totalFrames ? 0 : this.anchorFrame;
    this.playingNow = true;
    this.musicRefused = false;
    this.moveTo(from);
  }

  /** Stops where it is. */
  pause(): void {
    if (!this.playingNow) return;
    const f = this.frame();
    this.playingNow = false;
    this.moveTo(Math.min(f, this.t.totalFrames));
  }

  /** Plays if paused, pauses if playing. */
  toggle(): void {
    if (this.playingNow) this.pause();
    else this.play();
  }

  /** Jumps to a timeline frame (clamped to the timeline), playing on if it was playing. */
  seek(frame: number): void {
    this.musicRefused = false;
    this.moveTo(Math.min(this.t.totalFrames, Math.max(0, frame)));
  }

  /**
   * Advances: reads the driving clock, wraps (loop) or stops at the end, hands over between the music and the
   * wall clock at the music's boundaries, and returns the frame and the shot there.
   */
  tick(): ClockTick {
    let frame = this.frame();
    let ended = false;
    if (this.playingNow) {
      if (frame >= this.t.totalFrames) {
        const w = wrapFrame(this.t, frame, this.loopOn);
        if (w.ended) {
          this.playingNow = false;
          this.moveTo(this.t.totalFrames);
          ended = true;
        } else this.moveTo(w.frame);
        frame = this.anchorFrame;
      } else if (this.music && this.audio && !this.musicRefused) {
        const inside = musicSecondsAt(frame, this.music, this.rate) !== null;
        if (this.audioDrives && (this.audio.ended || !inside)) {
          // the music ran out (or was left): the wall clock carries on from here
          this.moveTo(frame);
        } else if (!this.audioDrives && inside) {
          // the playhead reached the music: it takes over from this frame
          this.moveTo(frame);
        }
      }
    }
    const pos = shotAt(this.t, Math.min(frame, this.t.totalFrames));
    return { frame, ...pos, playing: this.playingNow, ended, source: this.audioDrives ? 'music' : 'wall' };
  }

  /** Re-anchors both clocks at `frame`: the wall clock from now, the audio seeked there (and played or paused). */
  private moveTo(frame: number): void {
    this.generation++;
    this.anchorFrame = frame;
    this.anchorMs = this.nowMs();
    this.audioDrives = false;
    if (!this.music || !this.audio || this.musicRefused) return;
    const seconds = musicSecondsAt(frame, this.music, this.rate);
    if (seconds === null) {
      if (!this.audio.paused) this.audio.pause();
      return;
    }
    this.audio.currentTime = seconds;
    if (!this.playingNow) {
      if (!this.audio.paused) this.audio.pause();
      return;
    }
    this.audioDrives = true;
    const generation = this.generation;
    const refused = () => {
      // the browser refused to play (autoplay policy, a decode error): the wall clock carries the presentation
      if (generation !== this.generation || !this.audioDrives) return;
      this.anchorFrame = frame;
      this.anchorMs = this.nowMs();
      this.audioDrives = false;
      this.musicRefused = true;
    };
    try {
      const p = this.audio.play();
      if (p && typeof (p as Promise<void>).catch === 'function') (p as Promise<void>).catch(refused);
    } catch {
      refused();
    }
  }
}
