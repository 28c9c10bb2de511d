import { describe, expect, it } from 'vitest';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import {
  applyTakeReject,
  applyTakeStar,
  applyTakeTrash,
  compareKeyAction,
  indexAfterRemoval,
  nextBestTake,
  shotTakes,
  stepIndex,
  takeFacts,
  takesPerView,
  visibleWindow,
} from './compareModel';

function take(id: string, over: Partial<Take> = {}): Take {
  return {
    id,
    shotId: 's1',
    path: `media/takes/${id}.png`,
    thumbPath: null,
    kind: 'image',
    source: 'imported',
    widthPx: 1920,
    heightPx: 1080,
    durationFrames: null,
    contentHash: `${id}hash`,
    originalName: `${id}.png`,
    createdAt: `2024-01-01T00:00:0${id.slice(-1)}.000Z`,
    meta: {},
    starred: false,
    rejected: false,
    tags: [],
    trashedAt: null,
    ...over,
  };
}

function snapshot(takes: Take[], selectedTakeId: string | null): ProjectSnapshot {
  const shot = {
    id: 's1',
    sceneId: 'sc1',
    number: '1A',
    orderKey: 'a0',
    shotSize: null,
    cameraAngle: null,
    cameraMove: null,
    lensMm: null,
    action: '',
    dialogue: [],
    notes: '',
    durationFrames: 48,
    selectedTakeId,
    characters: [],
  };
  const other = { ...shot, id: 's2', number: '1B', orderKey: 'a1', selectedTakeId: null };
  return {
    projectId: 'p',
    path: '/x/P.storycanvas',
    settings: { name: 'P', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, defaultShotDurationFrames: 48 },
    titlePage: {},
    scenes: [{ id: 'sc1', number: '1', heading: 'INT. ROOM - DAY', intExt: 'INT', location: 'ROOM', timeOfDay: 'DAY', synopsis: '', orderKey: 'a0', shots: [shot, other] }],
    takes,
    characters: [],
    revision: 1,
  };
}

const selectedOf = (s: ProjectSnapshot, shotId = 's1') => s.scenes[0].shots.find((x) => x.id === shotId)!.selectedTakeId;

describe('visibleWindow', () => {
  it('shows the page of takes holding the focused one, the last page filled from the left', () => {
    expect(visibleWindow(0, 2, 5)).toEqual({ start: 0, length: 2 });
    expect(visibleWindow(3, 2, 5)).toEqual({ start: 2, length: 2 });
    expect(visibleWindow(4, 2, 5)).toEqual({ start: 3, length: 2 });
    expect(visibleWindow(2, 4, 3)).toEqual({ start: 0, length: 3 });
    expect(visibleWindow(5, 4, 6)).toEqual({ start: 2, length: 4 });
  });
  it('is empty without takes and clamps a focus past the end', () => {
    expect(visibleWindow(0, 4, 0)).toEqual({ start: 0, length: 0 });
    expect(visibleWindow(9, 1, 3)).toEqual({ start: 2, length: 1 });
  });
  it('shows one take in flip mode', () => {
    expect(takesPerView('flip')).toBe(1);
    expect(takesPerView('side-2')).toBe(2);
    expect(takesPerView('side-4')).toBe(4);
  });
});

describe('stepIndex and indexAfterRemoval', () => {
  it('wraps around both ends', () => {
    expect(stepIndex(2, 1, 3)).toBe(0);
    expect(stepIndex(0, -1, 3)).toBe(2);
    expect(stepIndex(1, 2, 4)).toBe(3);
    expect(stepIndex(0, 1, 0)).toBe(0);
  });
  it('keeps the focus on the next take, or the one before at the end', () => {
    expect(indexAfterRemoval(1, 3)).toBe(1);
    expect(indexAfterRemoval(2, 3)).toBe(1);
    expect(indexAfterRemoval(0, 1)).toBe(0);
  });
});

describe('compareKeyAction', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });
  it('maps the documented keys', () => {
    expect(compareKeyAction(k('ArrowRight'))).toEqual({ kind: 'step', delta: 1 });
    expect(compareKeyAction(k('ArrowLeft'))).toEqual({ kind: 'step', delta: -1 });
    expect(compareKeyAction(k('Enter'))).toEqual({ kind: 'select' });
    expect(compareKeyAction(k('s'))).toEqual({ kind: 'select' });
    expect(compareKeyAction(k('F', { shiftKey: true }))).toEqual({ kind: 'star' });
    expect(compareKeyAction(k('x'))).toEqual({ kind: 'reject' });
    expect(compareKeyAction(k('Delete'))).toEqual({ kind: 'trash' });
    expect(compareKeyAction(k('Backspace'))).toEqual({ kind: 'trash' });
    expect(compareKeyAction(k('v'))).toEqual({ kind: 'vary' });
    expect(compareKeyAction(k('Escape'))).toEqual({ kind: 'close' });
    expect(compareKeyAction(k('4'))).toEqual({ kind: 'mode', mode: 'side-4' });
    expect(compareKeyAction(k('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(compareKeyAction(k('Z', { metaKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
  });
  it('moves by rows only in the grid of 4, and ignores Alt and other keys', () => {
    expect(compareKeyAction(k('ArrowDown'), 'side-4')).toEqual({ kind: 'step', delta: 2 });
    expect(compareKeyAction(k('ArrowDown'), 'flip')).toBeNull();
    expect(compareKeyAction(k('ArrowRight', { altKey: true }))).toBeNull();
    expect(compareKeyAction(k('s', { ctrlKey: true }))).toBeNull();
    expect(compareKeyAction(k('q'))).toBeNull();
  });
});

describe('takeFacts', () => {
  it('describes a generated variation with its seed and prompt', () => {
    const t = take('t2', { source: 'generated', meta: { seed: 1234, prompt: '  a wide shot of the park ', variationOf: 't1', variationMode: 'same-seed-img2img' } });
    expect(takeFacts(t, 1, 't2')).toEqual({
      number: 2,
      seed: 1234,
      sourceLabel: 'Generated',
      sizeLabel: '1920×1080',
      prompt: 'a wide shot of the park',
      starred: false,
      rejected: false,
      selected: true,
      variation: 'same seed',
    });
  });
  it('names the file of an imported take, the project a library take came from, and the length of a clip', () => {
    expect(takeFacts(take('t1'), 0, null).sourceLabel).toBe('Imported · t1.png');
    expect(takeFacts(take('t1', { meta: { from: { projectPath: '/films/Other.storycanvas', takeId: 'x' } } }), 0, null).sourceLabel).toBe('From Other');
    expect(takeFacts(take('t1', { meta: { from: { projectName: 'Cyber Bob' } } }), 0, null).sourceLabel).toBe('From Cyber Bob');
    const clip = takeFacts(take('t1', { kind: 'video', durationFrames: 48 }), 0, null);
    expect(clip.sizeLabel).toBe('1920×1080 · 48 frames');
    expect(clip.seed).toBeNull();
    expect(clip.prompt).toBe('');
  });
});

describe('optimistic triage edits', () => {
  const takes = [take('t1'), take('t2'), take('t3'), take('t4', { shotId: 's2' })];

  it('stars a take and un-rejects it, leaving the input untouched', () => {
    const before = snapshot([take('t1', { rejected: true }), take('t2')], 't2');
    const after = applyTakeStar(before, 't1', true);
    expect(after.takes[0]).toMatchObject({ starred: true, rejected: false });
    expect(before.takes[0]).toMatchObject({ starred: false, rejected: true });
    expect(applyTakeStar(before, 'nope', true)).toBe(before);
  });

  it('rejects the selected take and hands the selection to the starred one first, then the newest', () => {
    const s = snapshot([take('t1', { starred: true }), take('t2'), take('t3')], 't3');
    const after = applyTakeReject(s, 't3', true);
    expect(after.takes[2]).toMatchObject({ rejected: true, starred: false });
    expect(selectedOf(after)).toBe('t1');
    const noStar = applyTakeReject(snapshot(takes, 't1'), 't1', true);
    expect(selectedOf(noStar)).toBe('t3');
  });

  it('keeps the selection when a take that is not selected is rejected, or when no other take is left', () => {
    expect(selectedOf(applyTakeReject(snapshot(takes, 't1'), 't2', true))).toBe('t1');
    expect(selectedOf(applyTakeReject(snapshot([take('t1')], 't1'), 't1', true))).toBe('t1');
  });

  it('trashes takes out of the snapshot and reselects only the shots that lost their selected take', () => {
    const s = snapshot(takes, 't2');
    const after = applyTakeTrash(s, ['t2', 't4']);
    expect(after.takes.map((t) => t.id)).toEqual(['t1', 't3']);
    expect(selectedOf(after)).toBe('t3');
    expect(selectedOf(after, 's2')).toBeNull();
    expect(selectedOf(applyTakeTrash(s, ['t1']))).toBe('t2');
    expect(selectedOf(applyTakeTrash(snapshot([take('t1')], 't1'), ['t1']))).toBeNull();
  });

  it('lists a shot\'s takes without trashed ones, and picks no rejected take as next best', () => {
    expect(shotTakes(snapshot([...takes, take('t5', { trashedAt: '2024-01-02T00:00:00.000Z' })], null), 's1').map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    expect(nextBestTake([take('t1', { rejected: true }), take('t2', { rejected: true })], null)).toBeNull();
  });
});
