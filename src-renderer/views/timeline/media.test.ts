import { describe, expect, it } from 'vitest';
import type { Take } from '../../../src-preload/model';
import type { Bridge } from '../../bridge';
import { placeholderVersion, shotPictureUrl, shotViewerUrl, takePicture } from './media';

const shot = {
  id: 'sht_1',
  sceneId: 's1',
  number: '1A',
  orderKey: 'a0',
  shotSize: null,
  cameraAngle: null,
  cameraMove: null,
  lensMm: null,
  action: 'He walks in.',
  dialogue: [],
  notes: '',
  durationFrames: 72,
  selectedTakeId: null as string | null,
  characters: [],
};

const take: Take = {
  id: 'tk_1',
  shotId: 'sht_1',
  path: 'media/takes/abc.png',
  thumbPath: 'media/thumbs/abc.jpg',
  kind: 'image',
  source: 'imported',
  widthPx: 1920,
  heightPx: 1080,
  durationFrames: null,
  contentHash: '0123456789abcdef0123',
  originalName: 'abc.png',
  createdAt: '2025-01-01T00:00:00Z',
  meta: {},
};

// the web bridge's URL shape, enough to see which file and version a view asks for
const bridge = { mediaUrl: (p: string, rel: string, v?: string | number) => `/media/${p}/${rel}?v=${v}` } as unknown as Bridge;

describe('placeholderVersion', () => {
  it('changes when a field drawn on the card changes, and only then', () => {
    const v = placeholderVersion(shot, '1');
    expect(placeholderVersion({ ...shot }, '1')).toBe(v);
    expect(placeholderVersion({ ...shot, action: 'He runs in.' }, '1')).not.toBe(v);
    expect(placeholderVersion({ ...shot, shotSize: 'CU' }, '1')).not.toBe(v);
    expect(placeholderVersion({ ...shot, durationFrames: 48 }, '1')).not.toBe(v);
    expect(placeholderVersion({ ...shot, dialogue: [{ character: 'BOB', text: 'Hi.' }] }, '1')).not.toBe(v);
    expect(placeholderVersion(shot, '2')).not.toBe(v);
    // notes are not on the card: no reload
    expect(placeholderVersion({ ...shot, notes: 'later' }, '1')).toBe(v);
  });
});

describe('pictures', () => {
  it('shows the placeholder card without a selected take', () => {
    expect(shotPictureUrl(bridge, 'p1', shot, '1', new Map())).toBe(`/media/p1/cards/sht_1.png?v=${placeholderVersion(shot, '1')}`);
  });

  it("shows the selected take's thumbnail on the card and its full image in the viewer", () => {
    const takes = new Map([[take.id, take]]);
    const s = { ...shot, selectedTakeId: 'tk_1' };
    expect(shotPictureUrl(bridge, 'p1', s, '1', takes)).toBe('/media/p1/media/thumbs/abc.jpg?v=0123456789ab');
    expect(shotViewerUrl(bridge, 'p1', s, '1', takes)).toBe('/media/p1/media/takes/abc.png?v=0123456789ab');
  });

  it('falls back to the placeholder for a clip without a thumbnail yet', () => {
    const clip: Take = { ...take, kind: 'video', path: 'media/takes/a.mp4', thumbPath: null };
    expect(takePicture(clip)).toBeNull();
    const s = { ...shot, selectedTakeId: 'tk_1' };
    // the viewer and presentation ask for the large card; the timeline's card keeps the 480 px thumbnail
    expect(shotViewerUrl(bridge, 'p1', s, '1', new Map([[clip.id, clip]]))).toContain('/cards/sht_1@1920.png');
    expect(shotPictureUrl(bridge, 'p1', s, '1', new Map([[clip.id, clip]]))).toContain('/cards/sht_1.png');
  });
});
