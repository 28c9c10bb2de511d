import { describe, expect, it } from 'vitest';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { formatAgo, trashRows } from './trashModel';

const base: Take = {
  id: 't1',
  shotId: 'a',
  path: 'media/takes/t1.png',
  thumbPath: null,
  kind: 'image',
  source: 'imported',
  widthPx: 64,
  heightPx: 36,
  durationFrames: null,
  contentHash: 'h',
  originalName: 'sketch.png',
  createdAt: '2024-01-01T00:00:00.000Z',
  meta: {},
  trashedAt: '2024-01-01T10:00:00.000Z',
};

const snapshot = {
  scenes: [{ id: 's', number: '1', shots: [{ id: 'a', number: '1A' }] }],
} as unknown as ProjectSnapshot;

describe('trashRows', () => {
  it('names each take by its shot, its file or its seed, and says when it was trashed', () => {
    const now = Date.parse('2024-01-01T10:05:30.000Z');
    const rows = trashRows([base, { ...base, id: 't2', shotId: 'gone', source: 'generated', meta: { seed: 42, prompt: 'a park' } }], snapshot, now);
    expect(rows.map((r) => [r.shotNumber, r.title, r.prompt, r.trashedAgo])).toEqual([
      ['1A', 'sketch.png', '', '5 min ago'],
      [null, 'Generated · seed 42', 'a park', '5 min ago'],
    ]);
  });
  it('names an imported clip without a file name', () => {
    expect(trashRows([{ ...base, originalName: null, kind: 'video' }], undefined, 0)[0]).toMatchObject({ title: 'Imported clip', shotNumber: null });
  });
});

describe('formatAgo', () => {
  const t = 1_700_000_000_000;
  it('rounds down to the largest unit', () => {
    expect(formatAgo(t, t + 59_000)).toBe('just now');
    expect(formatAgo(t, t + 61_000)).toBe('1 min ago');
    expect(formatAgo(t, t + 3 * 3600_000 + 5)).toBe('3 h ago');
    expect(formatAgo(t, t + 86_400_000 * 1.5)).toBe('yesterday');
    expect(formatAgo(t, t + 86_400_000 * 4)).toBe('4 days ago');
    expect(formatAgo(Number.NaN, t)).toBe('');
    expect(formatAgo(t + 5000, t)).toBe('just now');
  });
});
