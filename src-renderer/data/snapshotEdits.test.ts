import { describe, expect, it } from 'vitest';
import type { ProjectSnapshot } from '../../src-preload/model';
import { applyShotDelete, applyShotMove, applyShotPatch, applyTakeSelect, isNoopMove, keyboardMoveTarget, shotOrder } from './snapshotEdits';

function shot(id: string, sceneId: string) {
  return {
    id,
    sceneId,
    number: id.toUpperCase(),
    orderKey: 'a0',
    shotSize: null,
    cameraAngle: null,
    cameraMove: null,
    lensMm: null,
    action: '',
    dialogue: [],
    notes: '',
    durationFrames: 24,
    selectedTakeId: null,
    characters: [],
  };
}

function scene(id: string, shotIds: string[]) {
  return {
    id,
    number: id,
    heading: `INT. ${id}`,
    intExt: 'INT' as const,
    location: id,
    timeOfDay: '',
    synopsis: '',
    orderKey: 'a0',
    shots: shotIds.map((s) => shot(s, id)),
  };
}

const snap: ProjectSnapshot = {
  projectId: 'p',
  path: '/p',
  settings: { name: 'P', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, defaultShotDurationFrames: 48 },
  titlePage: {},
  scenes: [scene('s1', ['a', 'b', 'c']), scene('s2', []), scene('s3', ['d', 'e'])],
  takes: [
    { id: 't1', shotId: 'a', path: 'media/takes/1.png', thumbPath: null, kind: 'image', source: 'imported', widthPx: 10, heightPx: 10, durationFrames: null, contentHash: 'x', originalName: null, createdAt: '', meta: {} },
    { id: 't2', shotId: 'd', path: 'media/takes/2.png', thumbPath: null, kind: 'image', source: 'imported', widthPx: 10, heightPx: 10, durationFrames: null, contentHash: 'y', originalName: null, createdAt: '', meta: {} },
  ],
  characters: [],
  revision: 7,
};

const layoutOf = (s: ProjectSnapshot) => s.scenes.map((sc) => `${sc.id}:${sc.shots.map((x) => x.id).join('')}`).join(' ');

describe('applyShotMove', () => {
  it('moves shots within a scene, keeping their timeline order whatever order they were given in', () => {
    expect(layoutOf(applyShotMove(snap, ['c', 'a'], 's1', 'b'))).toBe('s1:acb s2: s3:de');
    expect(layoutOf(applyShotMove(snap, ['a'], 's1', null))).toBe('s1:bca s2: s3:de');
  });

  it('moves across scenes and sets the moved shots\' sceneId', () => {
    const after = applyShotMove(snap, ['e', 'b'], 's2', null);
    expect(layoutOf(after)).toBe('s1:ac s2:be s3:d');
    expect(after.scenes[1].shots.map((s) => s.sceneId)).toEqual(['s2', 's2']);
    expect(layoutOf(applyShotMove(snap, ['a', 'b'], 's3', 'e'))).toBe('s1:c s2: s3:dabe');
  });

  it('leaves untouched scenes as the same objects and does not mutate its input', () => {
    const after = applyShotMove(snap, ['d'], 's3', null);
    expect(after.scenes[0]).toBe(snap.scenes[0]);
    expect(layoutOf(snap)).toBe('s1:abc s2: s3:de');
  });

  it('refuses what the core refuses', () => {
    expect(() => applyShotMove(snap, ['a'], 's1', 'a')).toThrow(/before itself/);
    expect(() => applyShotMove(snap, ['a'], 's1', 'd')).toThrow(/not in the target scene/);
    expect(() => applyShotMove(snap, ['a'], 'nope', null)).toThrow(/not in this project/);
  });

  it('knows a move that changes nothing', () => {
    expect(isNoopMove(snap, ['b'], 's1', 'c')).toBe(true);
    expect(isNoopMove(snap, ['b', 'c'], 's1', null)).toBe(true);
    expect(isNoopMove(snap, ['b'], 's1', 'a')).toBe(false);
    expect(isNoopMove(snap, ['c'], 's2', null)).toBe(false);
  });
});

describe('patch, delete, take select', () => {
  it('applies one patch to several shots', () => {
    const after = applyShotPatch(snap, ['a', 'e'], { durationFrames: 72, shotSize: 'CU' });
    expect(after.scenes[0].shots[0]).toMatchObject({ durationFrames: 72, shotSize: 'CU' });
    expect(after.scenes[2].shots[1]).toMatchObject({ durationFrames: 72, shotSize: 'CU' });
    expect(after.scenes[0].shots[1]).toBe(snap.scenes[0].shots[1]);
  });

  it('deletes shots with their takes', () => {
    const after = applyShotDelete(snap, ['a', 'e']);
    expect(shotOrder(after)).toEqual(['b', 'c', 'd']);
    expect(after.takes.map((t) => t.id)).toEqual(['t2']);
  });

  it('selects a take on its shot', () => {
    expect(applyTakeSelect(snap, 't2').scenes[2].shots[0].selectedTakeId).toBe('t2');
    expect(applyTakeSelect(snap, 'nope')).toBe(snap);
  });
});

describe('keyboardMoveTarget', () => {
  it('moves one place left or right inside a scene', () => {
    expect(keyboardMoveTarget(snap, ['b'], -1)).toEqual({ sceneId: 's1', beforeShotId: 'a' });
    expect(keyboardMoveTarget(snap, ['a'], 1)).toEqual({ sceneId: 's1', beforeShotId: 'c' });
    expect(keyboardMoveTarget(snap, ['b'], 1)).toEqual({ sceneId: 's1', beforeShotId: null });
    expect(layoutOf(applyShotMove(snap, ['a'], 's1', 'c'))).toBe('s1:bac s2: s3:de');
  });

  it('crosses into the neighbouring scene at a boundary, empty scenes included', () => {
    expect(keyboardMoveTarget(snap, ['c'], 1)).toEqual({ sceneId: 's2', beforeShotId: null });
    expect(keyboardMoveTarget(snap, ['d'], -1)).toEqual({ sceneId: 's2', beforeShotId: null });
    const moved = applyShotMove(snap, ['c'], 's2', null);
    expect(keyboardMoveTarget(moved, ['c'], 1)).toEqual({ sceneId: 's3', beforeShotId: 'd' });
  });

  it('moves a multi-selection as a block and stops at the timeline ends', () => {
    expect(keyboardMoveTarget(snap, ['b', 'c'], -1)).toEqual({ sceneId: 's1', beforeShotId: 'a' });
    expect(keyboardMoveTarget(snap, ['a', 'b'], 1)).toEqual({ sceneId: 's1', beforeShotId: null });
    expect(keyboardMoveTarget(snap, ['a'], -1)).toBeNull();
    expect(keyboardMoveTarget(snap, ['e'], 1)).toBeNull();
    expect(keyboardMoveTarget(snap, [], 1)).toBeNull();
  });
});
