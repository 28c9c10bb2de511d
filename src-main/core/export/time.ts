/**
 * Rational time and SMPTE timecode for the editorial exporters.
 *
 * Frame rates are rationals (`{ num: 24000, den: 1001 }`); times are whole frames. From frames this module makes:
 * - FCPXML time values, rational seconds such as `"1001/24000s"` (Apple, "FCPXML Reference: Timing Attributes";
 *   the DTD's `%time;` comment: "a rational number of seconds ... Integer 'time' values ... as whole numbers ('5s')");
 * - SMPTE ST 12-1 timecode, non-drop-frame at every supported rate and drop-frame at 30000/1001 (frame numbers
 *   00 and 01 skipped at the start of every minute except each tenth) and 60000/1001 (00 to 03 skipped);
 * - the xmeml `<rate>` pair (Apple, "Final Cut Pro XML Interchange Format", Appendix B: Frame Rates):
 *   24000/1001 is timebase 24 with ntsc TRUE;
 * - the OTIO rate, the double num/den (OpenTimelineIO writes 24000/1001 as 23.976023976023978).
 *
 * Timecode needs a whole nominal frame rate: integer rates (24, 25, 30, 50, 60, ...) and NTSC rates
 * N*1000/1001 (24000/1001, 30000/1001, 60000/1001, ...). Other rationals work for seconds but not for timecode.
 */
import type { Rational } from './EditTimeline.ts';

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** `"24000/1001"` for messages and metadata. */
export function frameRateLabel(rate: Rational): string {
  return `${rate?.num}/${rate?.den}`;
}

/**
 * Checks a frame rate and returns it reduced by the gcd (`48000/2002` -> `24000/1001`).
 * @throws Error when num or den is not a positive whole number, or the rate is outside 1 to 1000 frames a second.
 */
export function normalizeFrameRate(rate: Rational): Rational {
  if (
    rate === null || typeof rate !== 'object' ||
    !Number.isSafeInteger(rate.num) || !Number.isSafeInteger(rate.den) || rate.num <= 0 || rate.den <= 0
  ) {
    throw new Error(
      `frame rate must be a rational of positive whole numbers such as {num: 24000, den: 1001}; got ${JSON.stringify(rate)}`,
    );
  }
  const divisor = gcd(rate.num, rate.den);
  const reduced = { num: rate.num / divisor, den: rate.den / divisor };
  if (reduced.num < reduced.den || reduced.num > 1000 * reduced.den) {
    throw new Error(`frame rate ${frameRateLabel(rate)} is outside 1 to 1000 frames a second`);
  }
  return reduced;
}

/** True for NTSC-family rates N*1000/1001 (24000/1001, 30000/1001, 60000/1001, ...). */
export function isNtscRate(rate: Rational): boolean {
  const r = normalizeFrameRate(rate);
  return r.den === 1001 && r.num % 1000 === 0;
}

/**
 * The nominal whole frame rate that timecode counts in: 24 for 24000/1001, 30 for 30000/1001, 25 for 25.
 * @throws Error for a rate that is neither whole nor N*1000/1001 (such as 25/2): timecode cannot count it.
 */
export function timecodeBase(rate: Rational): number {
  const r = normalizeFrameRate(rate);
  if (r.den === 1) return r.num;
  if (r.den === 1001 && r.num % 1000 === 0) return r.num / 1000;
  throw new Error(
    `frame rate ${frameRateLabel(rate)} has no SMPTE timecode: use a whole rate (24, 25, 30, 50, 60) or an NTSC rate ` +
      '(24000/1001, 30000/1001, 60000/1001)',
  );
}

/** Frame numbers dropped at each minute in drop-frame timecode: 2 at 30000/1001, 4 at 60000/1001, else 0 (none). */
function dropFramesPerMinute(rate: Rational): number {
  const r = normalizeFrameRate(rate);
  if (r.den !== 1001) return 0;
  if (r.num === 30000) return 2;
  if (r.num === 60000) return 4;
  return 0;
}

/** True where drop-frame timecode exists: 30000/1001 and 60000/1001 only. */
export function supportsDropFrame(rate: Rational): boolean {
  return dropFramesPerMinute(rate) > 0;
}

/** The exporters' default: drop-frame at 30000/1001 and 60000/1001 (as broadcast editors expect), non-drop elsewhere. */
export function defaultDropFrame(rate: Rational): boolean {
  return supportsDropFrame(rate);
}

/**
 * Resolves an exporter's `dropFrame` option against the rate.
 * @throws Error when drop-frame is asked at a rate that has none (24000/1001, integer rates).
 */
export function resolveDropFrame(rate: Rational, dropFrame: boolean | undefined): boolean {
  if (dropFrame === undefined) return defaultDropFrame(rate);
  if (dropFrame && !supportsDropFrame(rate)) {
    throw new Error(
      `drop-frame timecode exists only at 30000/1001 and 60000/1001, not at ${frameRateLabel(rate)}: ` +
        'export with non-drop-frame timecode',
    );
  }
  return dropFrame;
}

function assertFrames(frames: number, what: string): void {
  if (!Number.isSafeInteger(frames) || frames < 0) {
    throw new Error(`${what} must be a whole number of frames >= 0; got ${frames}`);
  }
}

/** The length of one frame in seconds, reduced: 1001/24000 for 24000/1001, 1/25 for 25. */
export function frameDurationSeconds(rate: Rational): Rational {
  const r = normalizeFrameRate(rate);
  return { num: r.den, den: r.num };
}

/**
 * Frames -> rational seconds as FCPXML writes time: `"0s"`, `"5s"`, `"1001/24000s"`, reduced by the gcd.
 * The value is always exactly `frames` frame durations (e.g. 24 frames at 24000/1001 is `"1001/1000s"`).
 * @throws Error for negative or fractional frames, or a bad rate.
 */
export function framesToRationalSeconds(frames: number, rate: Rational): string {
  assertFrames(frames, 'time');
  const r = normalizeFrameRate(rate);
  if (frames === 0) return '0s';
  const num = frames * r.den;
  if (!Number.isSafeInteger(num)) throw new Error(`time of ${frames} frames at ${frameRateLabel(rate)} is too large`);
  const divisor = gcd(num, r.num);
  const n = num / divisor;
  const d = r.num / divisor;
  return d === 1 ? `${n}s` : `${n}/${d}s`;
}

/**
 * Parses an FCPXML time value (`"1001/24000s"`, `"5s"`, `"0s"`) into reduced rational seconds.
 * @throws Error when the text is not `<int>s` or `<int>/<int>s`.
 */
export function parseRationalSeconds(text: string): Rational {
  const match = /^(\d+)(?:\/(\d+))?s$/.exec(text);
  if (!match) throw new Error(`not an FCPXML time value (expected "N/Ds" or "Ns"): ${JSON.stringify(text)}`);
  const num = Number(match[1]);
  const den = match[2] === undefined ? 1 : Number(match[2]);
  if (den === 0) throw new Error(`FCPXML time value has a zero denominator: ${JSON.stringify(text)}`);
  const divisor = gcd(num, den) || 1;
  return { num: num / divisor, den: den / divisor };
}

/**
 * Parses an FCPXML time value and returns it in whole frames at `rate`.
 * @throws Error when the value is not a whole number of frame durations.
 */
export function rationalSecondsToFrames(text: string, rate: Rational): number {
  const seconds = parseRationalSeconds(text);
  const r = normalizeFrameRate(rate);
  // frames = seconds * num / den = (s.num * r.num) / (s.den * r.den)
  const top = seconds.num * r.num;
  const bottom = seconds.den * r.den;
  if (top % bottom !== 0) {
    throw new Error(`time ${text} is not a whole number of frames at ${frameRateLabel(rate)}`);
  }
  return top / bottom;
}

/** Frames -> seconds as a float (for display and measurement, never for writing times into files). */
export function framesToSeconds(frames: number, rate: Rational): number {
  const r = normalizeFrameRate(rate);
  return (frames * r.den) / r.num;
}

/** Seconds -> the nearest whole frame at `rate`. @throws Error for negative or non-finite seconds. */
export function secondsToFrames(seconds: number, rate: Rational): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`seconds must be a finite number >= 0; got ${seconds}`);
  const r = normalizeFrameRate(rate);
  return Math.round((seconds * r.num) / r.den);
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Options for timecode formatting and parsing. */
export interface TimecodeOptions {
  /** drop-frame counting; default: non-drop (format) or taken from the `;` separator (parse) */
  dropFrame?: boolean;
}

/**
 * Frames -> SMPTE timecode `HH:MM:SS:FF` (non-drop) or `HH:MM:SS;FF` (drop-frame).
 * Frame 0 is 00:00:00:00; add the timeline's start frames first for record timecode.
 * @throws Error for negative frames, frames at or past 24 hours, a rate without timecode, or drop-frame at a rate
 *   that has none (24000/1001, whole rates).
 */
export function formatTimecode(frames: number, rate: Rational, options: TimecodeOptions = {}): string {
  assertFrames(frames, 'timecode');
  const base = timecodeBase(rate);
  const dropFrame = options.dropFrame === true;
  let counted = frames;
  if (dropFrame) {
    const drop = dropFramesPerMinute(rate);
    if (drop === 0) resolveDropFrame(rate, true); // throws the explanatory error
    const framesPerMinute = base * 60 - drop;
    const framesPer10Minutes = base * 600 - drop * 9;
    const tens = Math.floor(frames / framesPer10Minutes);
    const rest = frames % framesPer10Minutes;
    counted += drop * 9 * tens;
    if (rest >= drop) counted += drop * Math.floor((rest - drop) / framesPerMinute);
  }
  const ff = counted % base;
  const totalSeconds = Math.floor(counted / base);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  if (hh >= 24) {
    throw new Error(
      `frame ${frames} is past 23:59:59 at ${frameRateLabel(rate)}: timecode wraps at 24 hours; lower the start timecode`,
    );
  }
  return `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${dropFrame ? ';' : ':'}${pad2(ff)}`;
}

/**
 * SMPTE timecode -> frames. Accepts `HH:MM:SS:FF`, `HH:MM:SS;FF` and `HH;MM;SS;FF`; a `;` means drop-frame
 * unless `options.dropFrame` says otherwise (a contradiction throws).
 * @throws Error for malformed text, fields out of range, frame numbers that drop-frame skips (`00:01:00;00`),
 *   or drop-frame at a rate that has none.
 */
export function parseTimecode(text: string, rate: Rational, options: TimecodeOptions = {}): number {
  const match = /^(\d{2})([:;])(\d{2})([:;])(\d{2})([:;])(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a timecode (expected HH:MM:SS:FF or HH:MM:SS;FF): ${JSON.stringify(text)}`);
  const base = timecodeBase(rate);
  const separatorSaysDrop = match[2] === ';' || match[4] === ';' || match[6] === ';';
  if (options.dropFrame === false && separatorSaysDrop) {
    throw new Error(`timecode ${text} is written as drop-frame (';') but non-drop-frame was asked`);
  }
  const dropFrame = options.dropFrame ?? separatorSaysDrop;
  const hh = Number(match[1]);
  const mm = Number(match[3]);
  const ss = Number(match[5]);
  const ff = Number(match[7]);
  if (mm > 59 || ss > 59 || ff >= base) {
    throw new Error(`timecode ${text} is out of range at ${frameRateLabel(rate)} (minutes and seconds < 60, frames < ${base})`);
  }
  const nominal = (hh * 3600 + mm * 60 + ss) * base + ff;
  if (!dropFrame) return nominal;
  const drop = dropFramesPerMinute(rate);
  if (drop === 0) resolveDropFrame(rate, true); // throws the explanatory error
  if (ss === 0 && ff < drop && mm % 10 !== 0) {
    throw new Error(`timecode ${text} does not exist in drop-frame: frames 00 to ${pad2(drop - 1)} are skipped at this minute`);
  }
  const totalMinutes = hh * 60 + mm;
  return nominal - drop * (totalMinutes - Math.floor(totalMinutes / 10));
}

/** Frames at which 01:00:00:00 falls: the default start of a timeline (86400 at 24000/1001, 107892 at 30000/1001 DF). */
export function defaultStartFrames(rate: Rational, dropFrame: boolean): number {
  return parseTimecode(dropFrame ? '01:00:00;00' : '01:00:00:00', rate, { dropFrame });
}

/**
 * The xmeml `<rate>` pair: `{ timebase: 24, ntsc: true }` for 24000/1001, `{ timebase: 25, ntsc: false }` for 25.
 * @throws Error for a rate without a whole nominal rate (see `timecodeBase`).
 */
export function xmemlRate(rate: Rational): { timebase: number; ntsc: boolean } {
  return { timebase: timecodeBase(rate), ntsc: isNtscRate(rate) };
}

/** The OTIO `RationalTime` rate: the double num/den, as OpenTimelineIO writes it (24000/1001 -> 23.976023976023978). */
export function otioRate(rate: Rational): number {
  const r = normalizeFrameRate(rate);
  return r.num / r.den;
}
