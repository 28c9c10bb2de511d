import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT_SPACING, computeLayout, frameToX } from './layout';
import { COLUMN_GAP, COLUMN_SILENT, MAX_WAVEFORM_BUCKETS, columnPeaks, formatMusicOffset, parseMusicOffset, peakToBarFraction, waveformBucketCount } from './WaveformModel';

const R24 = { num: 24, den: 1 };
const NTSC = { num: 24000, den: 1001 };

describe('waveformBucketCount', () => {
  it('asks for at least one bucket per pixel, rounded up to a power of two per second', () => {
    expect(waveformBucketCount(240, R24, 60)).toBe(640); // 10 s x 64/s
    expect(waveformBucketCount(240, R24, 64)).toBe(640);
    expect(waveformBucketCount(240, R24, 65)).toBe(1280);
    expect(waveformBucketCount(240, R24, 6)).toBe(80);
  });

  it('gives one request per zoom level (nearby zooms share it)', () => {
    const counts = new Set([40, 45, 50, 55, 60, 64].map((z) => waveformBucketCount(2400, R24, z)));
    expect(counts.size).toBe(1);
  });

  it('uses the rational rate and stays within the contract', () => {
    expect(waveformBucketCount(24, NTSC, 1)).toBe(2); // 1.001 s
    expect(waveformBucketCount(24 * 3600, R24, 480)).toBe(MAX_WAVEFORM_BUCKETS);
    expect(waveformBucketCount(1, R24, 6)).toBe(1);
    expect(() => waveformBucketCount(0, R24, 60)).toThrow(/at least one frame/);
    expect(() => waveformBucketCount(24, R24, 0)).toThrow(/pxPerSecond/);
  });
});

describe('columnPeaks', () => {
  // 1 px per frame (24 px/s at 24 fps); no minimum width and no padding, so x = frame inside the scene
  const spacing = { ...DEFAULT_LAYOUT_SPACING, minCardWidthPx: 1, cardGapPx: 4, scenePaddingPx: 0, edgePaddingPx: 0, sceneGapPx: 10 };
  const layout = computeLayout(
    [
      { id: 's1', shots: [{ id: 'a', durationFrames: 10 }, { id: 'b', durationFrames: 10 }] },
      { id: 's2', shots: [{ id: 'c', durationFrames: 10 }] },
    ],
    { pxPerSecond: 24, frameRate: R24, ...spacing },
  );
  // music of 30 frames, one bucket per frame, whose peak is its frame number / 100
  const peaks = Array.from({ length: 30 }, (_, i) => i / 100);

  it('follows the cards: linear inside each, blank in the gaps between them', () => {
    const cols = columnPeaks({ layout, fromPx: 0, columns: 40, columnWidthPx: 1, offsetFrames: 0, musicDurationFrames: 30, peaks });
    expect(Array.from(cols.slice(0, 10)).map((v) => Math.round(v * 100))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(cols.slice(10, 14))).toEqual([COLUMN_GAP, COLUMN_GAP, COLUMN_GAP, COLUMN_GAP]);
    // card b starts at x 14 and plays frames 10..20
    expect(Math.round(cols[14] * 100)).toBe(10);
    expect(Math.round(cols[23] * 100)).toBe(19);
    // the scene gap (10 px) and then card c at x 34: frames 20..30
    expect(cols[24]).toBe(COLUMN_GAP);
    expect(Math.round(cols[34] * 100)).toBe(20);
    expect(frameToX(layout, 20)).toBe(34);
  });

  it('shifts by the music offset and is silent where no music plays', () => {
    const cols = columnPeaks({ layout, fromPx: 0, columns: 40, columnWidthPx: 1, offsetFrames: 5, musicDurationFrames: 10, peaks: peaks.slice(0, 10) });
    expect(Array.from(cols.slice(0, 5))).toEqual([COLUMN_SILENT, COLUMN_SILENT, COLUMN_SILENT, COLUMN_SILENT, COLUMN_SILENT]);
    expect(Math.round(cols[5] * 100)).toBe(0);
    expect(Math.round(cols[9] * 100)).toBe(4);
    expect(Math.round(cols[18] * 100)).toBe(9); // frame 14 is music frame 9, its last
    expect(cols[19]).toBe(COLUMN_SILENT); // frame 15: the music has ended
  });

  it('takes the loudest bucket when a column covers several, and draws only the visible part', () => {
    const fine = Array.from({ length: 300 }, (_, i) => (i % 10 === 7 ? 0.9 : 0.1)); // 10 buckets per frame
    const cols = columnPeaks({ layout, fromPx: 14, columns: 3, columnWidthPx: 1, offsetFrames: 0, musicDurationFrames: 30, peaks: fine });
    expect(Array.from(cols)).toEqual([0.9, 0.9, 0.9].map((v) => Math.fround(v)));
    expect(cols.length).toBe(3);
  });

  it('repeats a slice under a card stretched to its minimum width', () => {
    const stretched = computeLayout([{ id: 's', shots: [{ id: 'a', durationFrames: 1 }, { id: 'b', durationFrames: 1 }] }], {
      pxPerSecond: 24,
      frameRate: R24,
      ...spacing,
      minCardWidthPx: 8,
    });
    const cols = columnPeaks({ layout: stretched, fromPx: 0, columns: 8, columnWidthPx: 1, offsetFrames: 0, musicDurationFrames: 2, peaks: [0.3, 0.6] });
    expect(Array.from(cols)).toEqual(Array(8).fill(Math.fround(0.3)));
  });
});

describe('peakToBarFraction', () => {
  it('lifts quiet passages, keeps silence flat and full scale full, and clamps', () => {
    expect(peakToBarFraction(0)).toBe(0);
    expect(peakToBarFraction(0.25)).toBe(0.5);
    expect(peakToBarFraction(1)).toBe(1);
    expect(peakToBarFraction(1.5)).toBe(1);
    expect(peakToBarFraction(-0.1)).toBe(0);
  });
});

describe('parseMusicOffset', () => {
  it('reads frames, seconds and timecode, and zero in any form', () => {
    expect(parseMusicOffset('24', R24)).toBe(24);
    expect(parseMusicOffset('1.5s', R24)).toBe(36);
    expect(parseMusicOffset('00:00:02:12', R24)).toBe(60);
    for (const zero of ['0', '0s', '0.0 s', '0f', '00:00:00:00', '0:00']) expect(parseMusicOffset(zero, R24)).toBe(0);
  });

  it('says what to type for anything else', () => {
    expect(() => parseMusicOffset('soon', R24)).toThrow(/"soon" is not a start time.*00:00:03:00/);
    expect(() => parseMusicOffset('-2s', R24)).toThrow(/not a start time/);
  });

  it('formats as timecode', () => {
    expect(formatMusicOffset(60, R24)).toBe('00:00:02:12');
    expect(formatMusicOffset(0, NTSC)).toBe('00:00:00:00');
  });
});
