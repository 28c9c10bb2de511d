import { describe, expect, it } from 'vitest';
import type { Rational } from './EditTimeline.ts';
import { edlEventLine, edlTitle, exportEdl } from './edl.ts';
import { makeSampleTimeline, makeSyntheticTimeline } from './synthetic.ts';
import { readGolden } from './testdata/testTools.ts';
import { parseTimecode } from './time.ts';

const NTSC24: Rational = { num: 24000, den: 1001 };
const NTSC30: Rational = { num: 30000, den: 1001 };
const PAL: Rational = { num: 25, den: 1 };

/** 1-based, inclusive column ranges of the CMX 3600 event line (see edl.ts). */
function columns(line: string) {
  const col = (from: number, to: number) => line.slice(from - 1, to);
  return {
    event: col(1, 3),
    gap1: col(4, 5),
    reel: col(6, 13),
    gap2: col(14, 14),
    channels: col(15, 19),
    gap3: col(20, 20),
    transition: col(21, 21),
    gap4: col(22, 29),
    sourceIn: col(30, 40),
    sourceOut: col(42, 52),
    recordIn: col(54, 64),
    recordOut: col(66, 76),
    spaces: [col(41, 41), col(53, 53), col(65, 65)].join(''),
  };
}

const eventLines = (edl: string) => edl.split('\n').filter((l) => /^\d{3,}  /.test(l));

describe('exportEdl', () => {
  it('writes the event line in exact CMX 3600 columns', () => {
    const line = edlEventLine(1, 'AX', 'V', '00:00:00:00', '00:00:05:00', '01:00:00:00', '01:00:05:00');
    expect(line).toBe('001  AX       V     C        00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00');
    expect(line).toHaveLength(76);
    expect(columns(line)).toEqual({
      event: '001',
      gap1: '  ',
      reel: 'AX      ',
      gap2: ' ',
      channels: 'V    ',
      gap3: ' ',
      transition: 'C',
      gap4: '        ',
      sourceIn: '00:00:00:00',
      sourceOut: '00:00:05:00',
      recordIn: '01:00:00:00',
      recordOut: '01:00:05:00',
      spaces: '   ',
    });
    expect(() => edlEventLine(1, 'REEL12345', 'V', 'a', 'b', 'c', 'd')).toThrow(/1 to 8 characters/);
  });

  it('writes the header, one event per shot with clip name and locator, then the music', () => {
    const edl = exportEdl(makeSampleTimeline(PAL));
    const lines = edl.split('\n');
    expect(lines.slice(0, 3)).toEqual(['TITLE: NIGHT SHIFT & "FRIENDS"', 'FCM: NON-DROP FRAME', '']);
    const events = eventLines(edl);
    expect(events).toHaveLength(4);
    const [first, second, third, music] = events.map(columns);
    expect(first).toMatchObject({ event: '001', reel: 'AX      ', channels: 'V    ', transition: 'C' });
    expect([first!.sourceIn, first!.sourceOut, first!.recordIn, first!.recordOut]).toEqual([
      '00:00:00:00', '00:00:02:00', '01:00:00:00', '01:00:02:00',
    ]);
    expect([second!.recordIn, second!.recordOut, third!.recordIn, third!.recordOut]).toEqual([
      '01:00:02:00', '01:00:03:03', '01:00:03:03', '01:00:06:03',
    ]);
    expect(music).toMatchObject({ event: '004', channels: 'AA   ', sourceIn: '00:00:00:00', sourceOut: '00:00:06:00' });
    expect([music!.recordIn, music!.recordOut]).toEqual(['01:00:00:01', '01:00:06:01']);
    const after = (eventLine: string) => lines[lines.indexOf(eventLine) + 1];
    expect(after(events[0]!)).toBe('* FROM CLIP NAME: 12A #1.png');
    expect(lines[lines.indexOf(events[0]!) + 2]).toBe('* LOC: 01:00:00:00 YELLOW  12A Hold for the beat & the hum then cut');
    expect(lines[lines.indexOf(events[1]!) + 2]).toBe('* LOC: 01:00:02:00 YELLOW  12B');
    expect(after(events[3]!)).toBe('* FROM CLIP NAME: theme – v2.wav');
    expect(edl.endsWith('\n')).toBe(true);
  });

  it('keeps every event line in columns over a long timeline, and record time contiguous', () => {
    const timeline = makeSyntheticTimeline(200, NTSC24);
    const events = eventLines(exportEdl(timeline)).map(columns);
    let record = 86400;
    events.slice(0, 200).forEach((event, index) => {
      expect(event.event).toBe(String(index + 1).padStart(3, '0'));
      expect(event.spaces).toBe('   ');
      expect(parseTimecode(event.recordIn, NTSC24)).toBe(record);
      record += timeline.clips[index]!.durationFrames;
      expect(parseTimecode(event.recordOut, NTSC24)).toBe(record);
    });
  });

  it('writes a drop-frame EDL at 30000/1001', () => {
    const timeline = makeSyntheticTimeline(40, NTSC30); // about 1 minute 40: crosses the 01:01:00 drop
    const edl = exportEdl(timeline);
    expect(edl.split('\n')[1]).toBe('FCM: DROP FRAME');
    const events = eventLines(edl).map(columns);
    expect(events[0]!.recordIn).toBe('01:00:00;00');
    let record = 107892;
    events.slice(0, 40).forEach((event, index) => {
      expect(event.recordIn).toMatch(/^\d\d:\d\d:\d\d;\d\d$/);
      expect(parseTimecode(event.recordIn, NTSC30)).toBe(record);
      record += timeline.clips[index]!.durationFrames;
    });
    expect(record - 107892).toBeGreaterThan(1800);
    expect(events.some((e) => e.recordIn.startsWith('01:01:'))).toBe(true);
    // asking for non-drop at 29.97 gives NON-DROP FRAME and colons
    const ndf = exportEdl(timeline, { dropFrame: false });
    expect(ndf.split('\n')[1]).toBe('FCM: NON-DROP FRAME');
    expect(columns(eventLines(ndf)[0]!).recordIn).toBe('01:00:00:00');
  });

  it('makes the title CMX-safe', () => {
    expect(edlTitle('Café — noir')).toBe('CAFE NOIR');
    expect(edlTitle('  ')).toBe('UNTITLED');
    expect(edlTitle('x'.repeat(100))).toHaveLength(70);
    expect(edlTitle('line\nbreak')).toBe('LINE BREAK');
  });

  it('widens event numbers past 999 without breaking the rest of the line', () => {
    const events = eventLines(exportEdl(makeSyntheticTimeline(1001, PAL)));
    expect(events[998]!.startsWith('999  AX ')).toBe(true);
    expect(events[999]!.startsWith('1000  AX       V     C        ')).toBe(true);
    expect(events[1000]!.split(/\s+/)).toHaveLength(8);
  });

  it('matches the golden files (24000/1001 and 30000/1001 drop-frame)', () => {
    const ntsc24 = exportEdl(makeSampleTimeline(NTSC24));
    expect(ntsc24).toBe(readGolden('sample-24000-1001.edl', ntsc24));
    const df = exportEdl(makeSampleTimeline(NTSC30));
    expect(df).toBe(readGolden('sample-30000-1001-df.edl', df));
  });
});
