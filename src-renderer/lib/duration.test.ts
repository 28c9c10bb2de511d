import { describe, expect, it } from 'vitest';
import { formatDuration, formatRulerLabel, formatSeconds, formatTimecode, parseDuration } from './duration';

const NTSC_FILM = { num: 24000, den: 1001 };
const PAL = { num: 25, den: 1 };
const NTSC_VIDEO = { num: 30000, den: 1001 };

describe('parseDuration', () => {
  it('reads plain and suffixed frame counts', () => {
    expect(parseDuration('72', NTSC_FILM)).toBe(72);
    expect(parseDuration(' 72f ', PAL)).toBe(72);
    expect(parseDuration('10 frames', PAL)).toBe(10);
  });

  it('reads seconds and rounds to the nearest frame of the rational rate', () => {
    // 3 s at 24000/1001 = 71.928 frames -> 72; at 25 -> 75
    expect(parseDuration('3s', NTSC_FILM)).toBe(72);
    expect(parseDuration('3s', PAL)).toBe(75);
    // 2.5 s at 24000/1001 = 59.94 -> 60; at 25 -> 62.5 -> 63 (round half up)
    expect(parseDuration('2.5s', NTSC_FILM)).toBe(60);
    expect(parseDuration('2.5 sec', PAL)).toBe(63);
    expect(parseDuration('.5s', PAL)).toBe(13);
    // a sliver of a second is still one frame
    expect(parseDuration('0.001s', PAL)).toBe(1);
  });

  it('reads non-drop timecode at the nominal rate', () => {
    expect(parseDuration('00:00:03:00', NTSC_FILM)).toBe(72);
    expect(parseDuration('00:00:03:00', PAL)).toBe(75);
    expect(parseDuration('00:01:00:12', PAL)).toBe(60 * 25 + 12);
    expect(parseDuration('03:12', NTSC_FILM)).toBe(3 * 24 + 12);
    expect(parseDuration('1:00:00:00', PAL)).toBe(3600 * 25);
  });

  it('reads drop-frame timecode at 30000/1001', () => {
    expect(parseDuration('00:01:00;02', NTSC_VIDEO)).toBe(1800);
    expect(parseDuration('00:10:00;00', NTSC_VIDEO)).toBe(17982);
    expect(() => parseDuration('00:01:00;00', NTSC_VIDEO)).toThrow(/skipped in drop-frame/);
    expect(() => parseDuration('00:00:03;00', PAL)).toThrow(/only at 29.97 and 59.94/);
  });

  it('refuses what is not a duration, saying what to type', () => {
    expect(() => parseDuration('abc', PAL)).toThrow(/"abc" is not a duration.*type frames \(72\), seconds \(3s, 2.5s\)/);
    expect(() => parseDuration('', PAL)).toThrow(/empty/);
    expect(() => parseDuration('0', PAL)).toThrow(/at least one frame/);
    expect(() => parseDuration('0s', PAL)).toThrow(/longer than zero/);
    expect(() => parseDuration('00:00:01:25', PAL)).toThrow(/frame 25 does not exist at 25 fps/);
    expect(() => parseDuration('00:00:61:00', PAL)).toThrow(/up to 59/);
    expect(() => parseDuration('99999999', PAL)).toThrow(/longer than 10000000 frames/);
    expect(() => parseDuration('-3s', PAL)).toThrow(/not a duration/);
  });
});

describe('formatting', () => {
  it('shows seconds with one decimal and frames', () => {
    expect(formatDuration(72, NTSC_FILM)).toBe('3.0s · 72f');
    expect(formatDuration(63, PAL)).toBe('2.5s · 63f');
    expect(formatSeconds(25 * 65 + 5, PAL)).toBe('1:05.2');
  });

  it('writes timecode, drop-frame at 29.97 and round-trips through the parser', () => {
    expect(formatTimecode(72, NTSC_FILM)).toBe('00:00:03:00');
    expect(formatTimecode(1800, NTSC_VIDEO)).toBe('00:01:00;02');
    expect(formatTimecode(17982, NTSC_VIDEO)).toBe('00:10:00;00');
    expect(formatTimecode(1800, NTSC_VIDEO, false)).toBe('00:01:00:00');
    for (const frames of [1, 1799, 1800, 1801, 17981, 17982, 17983, 107892, 123456]) {
      expect(parseDuration(formatTimecode(frames, NTSC_VIDEO), NTSC_VIDEO)).toBe(frames);
      expect(parseDuration(formatTimecode(frames, NTSC_FILM), NTSC_FILM)).toBe(frames);
    }
    expect(() => formatTimecode(-1, PAL)).toThrow(/whole number/);
  });

  it('labels ruler positions compactly', () => {
    expect(formatRulerLabel(0, PAL)).toBe('0:00');
    expect(formatRulerLabel(25 * 95, PAL)).toBe('1:35');
    expect(formatRulerLabel(25 * 3723, PAL)).toBe('1:02:03');
  });
});
