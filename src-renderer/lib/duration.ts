/**
 * Durations for people: frames <-> seconds <-> timecode at a project's rational frame rate, and the parser
 * behind every duration field (`72`, `72f`, `3s`, `2.5s`, `00:00:03:00`, `00:00:03;00`).
 *
 * Timecode follows SMPTE ST 12-1: non-drop-frame counts whole frames at the nominal rate (24 for 24000/1001,
 * 25 for 25); drop-frame (`;` before the frames) applies only to 30000/1001 and 60000/1001, skipping frame
 * labels 0-1 (0-3 at 60000/1001) at the start of every minute not divisible by ten.
 *
 * Pure TypeScript: no DOM, no Node.
 */
import type { FrameRate } from '../../src-preload/model';

/** The largest duration the contract accepts (ShotPatch.durationFrames). */
export const MAX_DURATION_FRAMES = 10_000_000;

/** Seconds of `frames` at `rate` (exact rational division, as a float). */
export function framesToSeconds(frames: number, rate: FrameRate): number {
  return (frames * rate.den) / rate.num;
}

/** The nearest whole frame count to `seconds` at `rate`, never below 1. */
export function secondsToFrames(seconds: number, rate: FrameRate): number {
  return Math.max(1, Math.round((seconds * rate.num) / rate.den));
}

/** The nominal (timecode) frame rate: 24 for 24000/1001, 30 for 30000/1001, 25 for 25. */
export function nominalFps(rate: FrameRate): number {
  return Math.round(rate.num / rate.den);
}

/** True for the NTSC rates whose timecode is conventionally drop-frame: 30000/1001 and 60000/1001. */
export function isDropFrameRate(rate: FrameRate): boolean {
  return rate.den === 1001 && (nominalFps(rate) === 30 || nominalFps(rate) === 60);
}

/** `3.0s` (one decimal); `1:05.2` from a minute up. */
export function formatSeconds(frames: number, rate: FrameRate): string {
  const s = framesToSeconds(frames, rate);
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${m}:${rest.toFixed(1).padStart(4, '0')}`;
}

/** `3.0s · 72f`: what a shot card shows. */
export function formatDuration(frames: number, rate: FrameRate): string {
  return `${formatSeconds(frames, rate)} · ${frames}f`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * `HH:MM:SS:FF` for a frame count from zero; `HH:MM:SS;FF` (drop-frame) at 30000/1001 and 60000/1001
 * unless `dropFrame` is false. @throws Error for a negative or fractional frame count.
 */
export function formatTimecode(frames: number, rate: FrameRate, dropFrame = isDropFrameRate(rate)): string {
  if (!Number.isInteger(frames) || frames < 0) throw new Error(`cannot write ${frames} frames as a timecode: need a whole number from 0`);
  const fps = nominalFps(rate);
  let f = frames;
  const df = dropFrame && isDropFrameRate(rate);
  if (df) {
    const drop = fps / 15; // 2 at 29.97, 4 at 59.94
    const perTenMinutes = fps * 600 - drop * 9;
    const perMinute = fps * 60 - drop;
    const tens = Math.floor(f / perTenMinutes);
    const rem = f % perTenMinutes;
    f += drop * 9 * tens + (rem > drop ? drop * Math.floor((rem - drop) / perMinute) : 0);
  }
  const ff = f % fps;
  const totalSeconds = Math.floor(f / fps);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  return `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${df ? ';' : ':'}${pad2(ff)}`;
}

/** A short ruler label for a position: `0:05`, `1:30`, `1:02:03`. */
export function formatRulerLabel(frames: number, rate: FrameRate): string {
  const total = Math.round(framesToSeconds(frames, rate));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

function durationError(text: string, why?: string): Error {
  return new Error(
    `"${text.trim()}" is not a duration${why ? ` (${why})` : ''}: type frames (72), seconds (3s, 2.5s) or a timecode (00:00:03:00)`,
  );
}

function parseTimecode(text: string, parts: number[], dropFrame: boolean, rate: FrameRate): number {
  const fps = nominalFps(rate);
  const [hh, mm, ss, ff] = [0, 0, 0, 0, ...parts].slice(-4);
  if (ff >= fps) throw durationError(text, `frame ${ff} does not exist at ${fps} fps`);
  if (ss >= 60 || mm >= 60) throw durationError(text, 'minutes and seconds go up to 59');
  if (dropFrame && !isDropFrameRate(rate)) throw durationError(text, 'drop-frame timecode (;) exists only at 29.97 and 59.94');
  let frames = ((hh * 60 + mm) * 60 + ss) * fps + ff;
  if (dropFrame) {
    const drop = fps / 15;
    if (ss === 0 && ff < drop && mm % 10 !== 0) throw durationError(text, 'that frame label is skipped in drop-frame timecode');
    const totalMinutes = hh * 60 + mm;
    frames -= drop * (totalMinutes - Math.floor(totalMinutes / 10));
  }
  return frames;
}

/**
 * Parses what a person types into a duration field, as a whole number of frames at `rate`:
 * - `72`, `72f`, `72 frames`: frames;
 * - `3s`, `2.5s`, `3 sec`, `1.5 seconds`: seconds, rounded to the nearest frame (`3s` at 24000/1001 is 72);
 * - `00:00:03:00`, `03:00`, `1:03:00` (right-aligned `HH:MM:SS:FF`), `00:00:03;00` drop-frame at 29.97/59.94.
 * @throws Error saying what was wrong and what to type, for text that is none of these, zero, or longer than
 *   MAX_DURATION_FRAMES.
 */
export function parseDuration(text: string, rate: FrameRate): number {
  const t = text.trim().toLowerCase();
  if (t === '') throw durationError(text, 'it is empty');
  let frames: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)\s*(f|fr|frames?)?$/.exec(t))) {
    frames = Number(m[1]);
  } else if ((m = /^(\d+(?:\.\d*)?|\.\d+)\s*(s|secs?|seconds?)$/.exec(t))) {
    const seconds = Number(m[1]);
    if (seconds <= 0) throw durationError(text, 'it must be longer than zero');
    frames = secondsToFrames(seconds, rate);
  } else if (/^\d{1,2}([:;]\d{1,2}){1,3}$/.test(t)) {
    const dropFrame = t.includes(';');
    if (dropFrame && t.lastIndexOf(';') !== t.search(/[:;]\d{1,2}$/)) throw durationError(text, 'only the frames may follow a ;');
    frames = parseTimecode(text, t.split(/[:;]/).map(Number), dropFrame, rate);
  } else {
    throw durationError(text);
  }
  if (frames < 1) throw durationError(text, 'it must be at least one frame');
  if (frames > MAX_DURATION_FRAMES) throw durationError(text, `it is longer than ${MAX_DURATION_FRAMES} frames`);
  return frames;
}
