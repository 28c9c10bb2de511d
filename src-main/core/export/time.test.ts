import { describe, expect, it } from 'vitest';
import type { Rational } from './EditTimeline.ts';
import {
  defaultDropFrame,
  defaultStartFrames,
  formatTimecode,
  frameDurationSeconds,
  framesToRationalSeconds,
  framesToSeconds,
  isNtscRate,
  normalizeFrameRate,
  otioRate,
  parseRationalSeconds,
  parseTimecode,
  rationalSecondsToFrames,
  resolveDropFrame,
  secondsToFrames,
  supportsDropFrame,
  timecodeBase,
  xmemlRate,
} from './time.ts';

const R = (num: number, den = 1): Rational => ({ num, den });
const NTSC24 = R(24000, 1001);
const NTSC30 = R(30000, 1001);
const NTSC60 = R(60000, 1001);

/** Every supported rate with the drop-frame modes it has. */
const RATES: { label: string; rate: Rational; dropFrame: boolean }[] = [
  { label: '24', rate: R(24), dropFrame: false },
  { label: '25', rate: R(25), dropFrame: false },
  { label: '24000/1001', rate: NTSC24, dropFrame: false },
  { label: '30000/1001 DF', rate: NTSC30, dropFrame: true },
  { label: '30000/1001 NDF', rate: NTSC30, dropFrame: false },
  { label: '30', rate: R(30), dropFrame: false },
  { label: '50', rate: R(50), dropFrame: false },
  { label: '60000/1001 DF', rate: NTSC60, dropFrame: true },
  { label: '60000/1001 NDF', rate: NTSC60, dropFrame: false },
  { label: '60', rate: R(60), dropFrame: false },
];

/** Frames to round-trip: every frame of the first 12 minutes, then a deterministic spread up to 23:59:59. */
function sampleFrames(rate: Rational): number[] {
  const base = timecodeBase(rate);
  const frames: number[] = [];
  for (let f = 0; f < base * 60 * 12; f++) frames.push(f);
  const dayFrames = Math.floor((86000 * rate.num) / rate.den); // 23:53 of real time: inside 24 h in DF and NDF
  let x = 12345;
  for (let k = 0; k < 5000; k++) {
    x = (x * 1103515245 + 12345) % 2147483648; // LCG
    frames.push(x % dayFrames);
  }
  frames.push(dayFrames - 1);
  return frames;
}

describe('rational seconds for FCPXML', () => {
  it('writes whole frame durations reduced by the gcd', () => {
    expect(framesToRationalSeconds(0, NTSC24)).toBe('0s');
    expect(framesToRationalSeconds(1, NTSC24)).toBe('1001/24000s');
    expect(framesToRationalSeconds(24, NTSC24)).toBe('1001/1000s');
    expect(framesToRationalSeconds(86400, NTSC24)).toBe('18018/5s'); // 01:00:00:00 = 3603.6 s
    expect(framesToRationalSeconds(125, R(25))).toBe('5s');
    expect(framesToRationalSeconds(1, R(25))).toBe('1/25s');
    expect(framesToRationalSeconds(30, R(25))).toBe('6/5s');
    expect(framesToRationalSeconds(2, NTSC30)).toBe('1001/15000s');
    expect(framesToRationalSeconds(90000, R(25))).toBe('3600s');
  });

  it('parses FCPXML time values back to frames, and refuses values between frames', () => {
    expect(parseRationalSeconds('1001/24000s')).toEqual({ num: 1001, den: 24000 });
    expect(parseRationalSeconds('2002/48000s')).toEqual({ num: 1001, den: 24000 });
    expect(parseRationalSeconds('5s')).toEqual({ num: 5, den: 1 });
    expect(rationalSecondsToFrames('18018/5s', NTSC24)).toBe(86400);
    expect(rationalSecondsToFrames('0s', R(25))).toBe(0);
    expect(() => rationalSecondsToFrames('1/3s', R(25))).toThrow(/not a whole number of frames at 25\/1/);
    expect(() => parseRationalSeconds('1.5s')).toThrow(/not an FCPXML time value/);
    expect(() => parseRationalSeconds('3/0s')).toThrow(/zero denominator/);
  });

  it('round-trips frames through rational seconds at every rate', () => {
    for (const { rate } of RATES) {
      for (let f = 0; f < 5000; f += 7) expect(rationalSecondsToFrames(framesToRationalSeconds(f, rate), rate)).toBe(f);
    }
  });

  it('refuses negative or fractional frames and bad rates', () => {
    expect(() => framesToRationalSeconds(-1, R(25))).toThrow(/whole number of frames >= 0; got -1/);
    expect(() => framesToRationalSeconds(1.5, R(25))).toThrow(/got 1.5/);
    expect(() => framesToRationalSeconds(1, R(0, 1))).toThrow(/positive whole numbers/);
    expect(() => framesToRationalSeconds(1, R(23.976, 1))).toThrow(/positive whole numbers/);
  });

  it('gives the frame duration and float seconds', () => {
    expect(frameDurationSeconds(NTSC24)).toEqual({ num: 1001, den: 24000 });
    expect(frameDurationSeconds(R(50, 2))).toEqual({ num: 1, den: 25 });
    expect(framesToSeconds(48, NTSC24)).toBeCloseTo(2.002, 12);
    expect(secondsToFrames(2.002, NTSC24)).toBe(48);
    expect(secondsToFrames(1, R(25))).toBe(25);
    expect(() => secondsToFrames(-1, R(25))).toThrow(/>= 0/);
  });
});

describe('frame rates', () => {
  it('reduces, classifies and converts rates', () => {
    expect(normalizeFrameRate(R(48000, 2002))).toEqual({ num: 24000, den: 1001 });
    expect(isNtscRate(NTSC24)).toBe(true);
    expect(isNtscRate(R(24))).toBe(false);
    expect(timecodeBase(NTSC24)).toBe(24);
    expect(timecodeBase(NTSC60)).toBe(60);
    expect(timecodeBase(R(50))).toBe(50);
    expect(() => timecodeBase(R(25, 2))).toThrow(/25\/2 has no SMPTE timecode/);
    expect(() => normalizeFrameRate(R(1, 2))).toThrow(/outside 1 to 1000/);
  });

  it('gives the xmeml timebase/ntsc pair', () => {
    expect(xmemlRate(NTSC24)).toEqual({ timebase: 24, ntsc: true });
    expect(xmemlRate(NTSC30)).toEqual({ timebase: 30, ntsc: true });
    expect(xmemlRate(NTSC60)).toEqual({ timebase: 60, ntsc: true });
    expect(xmemlRate(R(25))).toEqual({ timebase: 25, ntsc: false });
  });

  it('gives the OTIO rate as OTIO writes it', () => {
    expect(otioRate(NTSC24)).toBe(23.976023976023978);
    expect(String(otioRate(NTSC30))).toBe('29.97002997002997');
    expect(otioRate(R(25))).toBe(25);
  });

  it('knows where drop-frame exists', () => {
    expect(supportsDropFrame(NTSC30)).toBe(true);
    expect(supportsDropFrame(NTSC60)).toBe(true);
    expect(supportsDropFrame(NTSC24)).toBe(false);
    expect(supportsDropFrame(R(30))).toBe(false);
    expect(defaultDropFrame(NTSC30)).toBe(true);
    expect(defaultDropFrame(R(25))).toBe(false);
    expect(resolveDropFrame(NTSC30, false)).toBe(false);
    expect(() => resolveDropFrame(NTSC24, true)).toThrow(/only at 30000\/1001 and 60000\/1001, not at 24000\/1001/);
  });
});

describe('SMPTE timecode', () => {
  it('counts 29.97 drop-frame as SMPTE does', () => {
    const df = { dropFrame: true };
    expect(formatTimecode(0, NTSC30, df)).toBe('00:00:00;00');
    expect(formatTimecode(1799, NTSC30, df)).toBe('00:00:59;29');
    expect(formatTimecode(1800, NTSC30, df)).toBe('00:01:00;02');
    expect(formatTimecode(3598, NTSC30, df)).toBe('00:02:00;02');
    expect(formatTimecode(17981, NTSC30, df)).toBe('00:09:59;29');
    expect(formatTimecode(17982, NTSC30, df)).toBe('00:10:00;00');
    expect(formatTimecode(17983, NTSC30, df)).toBe('00:10:00;01');
    expect(formatTimecode(19782, NTSC30, df)).toBe('00:11:00;02');
    expect(formatTimecode(107892, NTSC30, df)).toBe('01:00:00;00');
    expect(parseTimecode('00:01:00;02', NTSC30)).toBe(1800);
    expect(parseTimecode('01:00:00;00', NTSC30)).toBe(107892);
  });

  it('counts 59.94 drop-frame with four frames skipped', () => {
    const df = { dropFrame: true };
    expect(formatTimecode(3599, NTSC60, df)).toBe('00:00:59;59');
    expect(formatTimecode(3600, NTSC60, df)).toBe('00:01:00;04');
    expect(formatTimecode(35964, NTSC60, df)).toBe('00:10:00;00');
    expect(formatTimecode(215784, NTSC60, df)).toBe('01:00:00;00');
  });

  it('counts non-drop timecode in nominal frames', () => {
    expect(formatTimecode(86400, NTSC24)).toBe('01:00:00:00');
    expect(formatTimecode(90000, R(25))).toBe('01:00:00:00');
    expect(formatTimecode(108000, NTSC30)).toBe('01:00:00:00');
    expect(formatTimecode(1799, R(30))).toBe('00:00:59:29');
    expect(formatTimecode(49, R(50))).toBe('00:00:00:49');
  });

  for (const { label, rate, dropFrame } of RATES) {
    it(`round-trips parse(format(n)) == n at ${label}`, () => {
      for (const f of sampleFrames(rate)) {
        const tc = formatTimecode(f, rate, { dropFrame });
        const back = parseTimecode(tc, rate, { dropFrame });
        if (back !== f) throw new Error(`${label}: frame ${f} -> ${tc} -> ${back}`);
      }
    });
  }

  it('refuses drop-frame at 24000/1001 and at whole rates', () => {
    expect(() => formatTimecode(10, NTSC24, { dropFrame: true })).toThrow(/drop-frame timecode exists only at 30000\/1001/);
    expect(() => formatTimecode(10, R(30), { dropFrame: true })).toThrow(/not at 30\/1/);
    expect(() => parseTimecode('00:00:01;00', R(25))).toThrow(/not at 25\/1/);
  });

  it('refuses timecode that does not exist or is malformed', () => {
    expect(() => parseTimecode('00:01:00;00', NTSC30)).toThrow(/does not exist in drop-frame/);
    expect(() => parseTimecode('00:01:00;01', NTSC30)).toThrow(/does not exist in drop-frame/);
    expect(parseTimecode('00:10:00;00', NTSC30)).toBe(17982);
    expect(() => parseTimecode('00:01:00;03', NTSC60)).toThrow(/frames 00 to 03 are skipped/);
    expect(() => parseTimecode('00:00:00:24', NTSC24)).toThrow(/out of range/);
    expect(() => parseTimecode('00:60:00:00', R(25))).toThrow(/out of range/);
    expect(() => parseTimecode('1:00:00:00', R(25))).toThrow(/not a timecode/);
    expect(() => parseTimecode('01:00:00;00', NTSC30, { dropFrame: false })).toThrow(/non-drop-frame was asked/);
  });

  it('refuses negative frames and frames past 24 hours', () => {
    expect(() => formatTimecode(-1, R(25))).toThrow(/>= 0/);
    expect(formatTimecode(24 * 3600 * 25 - 1, R(25))).toBe('23:59:59:24');
    expect(() => formatTimecode(24 * 3600 * 25, R(25))).toThrow(/wraps at 24 hours/);
  });

  it('puts 01:00:00:00 where each rate has it', () => {
    expect(defaultStartFrames(NTSC24, false)).toBe(86400);
    expect(defaultStartFrames(R(25), false)).toBe(90000);
    expect(defaultStartFrames(NTSC30, true)).toBe(107892);
    expect(defaultStartFrames(NTSC30, false)).toBe(108000);
    expect(defaultStartFrames(NTSC60, true)).toBe(215784);
  });
});
