import { describe, expect, it } from 'vitest';
import { computeLayout, dropTargetAt, frameToX, rulerStepSeconds, visibleSceneRange, visibleShotRange, xToFrame, type LayoutOptions } from './layout';

// 25 fps and 50 px/s: 1 frame = 2 px, so a 25-frame shot is 50 px wide.
const OPTS: LayoutOptions = {
  pxPerSecond: 50,
  frameRate: { num: 25, den: 1 },
  minCardWidthPx: 20,
  cardGapPx: 4,
  sceneGapPx: 10,
  scenePaddingPx: 3,
  emptySceneWidthPx: 60,
  edgePaddingPx: 16,
};

const scenes = [
  { id: 'sc1', shots: [{ id: 'a', durationFrames: 25 }, { id: 'b', durationFrames: 50 }] },
  { id: 'sc2', shots: [] },
  { id: 'sc3', shots: [{ id: 'c', durationFrames: 2 }, { id: 'd', durationFrames: 25 }] },
];

describe('computeLayout', () => {
  const L = computeLayout(scenes, OPTS);

  it('places cards by prefix sums of their durations, with gaps, padding and minimum widths', () => {
    expect(L.shotIds).toEqual(['a', 'b', 'c', 'd']);
    // sc1 starts at 16; a at 16+3; b after a's 50 px and a 4 px gap
    expect([...L.xPx]).toEqual([19, 73, 16 + 160 + 10 + 66 + 10 + 3, 16 + 160 + 10 + 66 + 10 + 3 + 20 + 4]);
    // c is 2 frames = 4 px, widened to the 20 px minimum
    expect([...L.widthPx]).toEqual([50, 100, 20, 50]);
    expect(L.scenes.map((s) => [s.xPx, s.widthPx])).toEqual([
      [16, 3 + 50 + 4 + 100 + 3],
      [16 + 160 + 10, 66],
      [16 + 160 + 10 + 66 + 10, 3 + 20 + 4 + 50 + 3],
    ]);
    expect([...L.startFrame]).toEqual([0, 25, 75, 77]);
    expect(L.totalFrames).toBe(102);
    expect(L.totalWidthPx).toBe(262 + 80 + 16);
    expect([...L.sceneOfShot]).toEqual([0, 0, 2, 2]);
  });

  it('uses a live duration override for the shot being trimmed', () => {
    const T = computeLayout(scenes, { ...OPTS, durationOverride: { shotId: 'a', durationFrames: 50 } });
    expect(T.widthPx[0]).toBe(100);
    expect(T.xPx[1]).toBe(19 + 100 + 4);
    expect(T.totalFrames).toBe(127);
  });

  it('refuses a zero zoom', () => {
    expect(() => computeLayout(scenes, { ...OPTS, pxPerSecond: 0 })).toThrow(/pxPerSecond must be above 0/);
  });

  it('handles 2,000 shots in one pass and finds the visible ones by binary search', () => {
    const big = Array.from({ length: 100 }, (_, s) => ({
      id: `s${s}`,
      shots: Array.from({ length: 20 }, (_, k) => ({ id: `s${s}k${k}`, durationFrames: 12 + ((s * 20 + k) % 50) })),
    }));
    const B = computeLayout(big, OPTS);
    expect(B.shotIds.length).toBe(2000);
    const [first, end] = visibleShotRange(B, 10_000, 11_440);
    for (let i = 0; i < B.shotIds.length; i++) {
      const intersects = B.xPx[i] + B.widthPx[i] > 10_000 && B.xPx[i] < 11_440;
      expect(i >= first && i < end).toBe(intersects);
    }
    const [sf, se] = visibleSceneRange(B, 10_000, 11_440);
    expect(B.scenes[sf].xPx + B.scenes[sf].widthPx).toBeGreaterThan(10_000);
    expect(sf === 0 || B.scenes[sf - 1].xPx + B.scenes[sf - 1].widthPx <= 10_000).toBe(true);
    expect(B.scenes[se - 1].xPx).toBeLessThan(11_440);
  });
});

describe('dropTargetAt', () => {
  const L = computeLayout(scenes, OPTS);

  it('drops before the first shot whose middle is right of the pointer', () => {
    expect(dropTargetAt(L, 20)).toMatchObject({ sceneId: 'sc1', beforeShotId: 'a', insertIndex: 0 });
    expect(dropTargetAt(L, 19 + 26)).toMatchObject({ sceneId: 'sc1', beforeShotId: 'b', insertIndex: 1 });
    // right half of b: the end of scene 1
    expect(dropTargetAt(L, 73 + 60)).toMatchObject({ sceneId: 'sc1', beforeShotId: null, insertIndex: 2 });
  });

  it('splits the gap between scenes at its middle and accepts drops on an empty scene', () => {
    // sc1 ends at 176, sc2 starts at 186: boundary 181
    expect(dropTargetAt(L, 180)).toMatchObject({ sceneId: 'sc1', beforeShotId: null });
    expect(dropTargetAt(L, 182)).toMatchObject({ sceneId: 'sc2', beforeShotId: null, insertIndex: 2 });
    expect(dropTargetAt(L, 200)!.lineXPx).toBe(186 + 33);
    // left of everything: the first scene's start; right of everything: the last scene's end
    expect(dropTargetAt(L, -500)).toMatchObject({ sceneId: 'sc1', beforeShotId: 'a' });
    expect(dropTargetAt(L, 99_999)).toMatchObject({ sceneId: 'sc3', beforeShotId: null, insertIndex: 4 });
  });

  it('never answers one of the dragged shots as the shot to drop before', () => {
    expect(dropTargetAt(L, 20, new Set(['a']))).toMatchObject({ sceneId: 'sc1', beforeShotId: 'b', insertIndex: 0 });
    expect(dropTargetAt(L, 20, new Set(['a', 'b']))).toMatchObject({ sceneId: 'sc1', beforeShotId: null });
  });

  it('answers null without scenes', () => {
    expect(dropTargetAt(computeLayout([], OPTS), 10)).toBeNull();
  });
});

describe('time and x', () => {
  const L = computeLayout(scenes, OPTS);

  it('maps frames into the cards piecewise, so a widened card still holds its own frames', () => {
    expect(frameToX(L, 0)).toBe(19);
    expect(frameToX(L, 25)).toBe(73);
    expect(frameToX(L, 50)).toBe(73 + 50);
    // c (2 frames) is 20 px wide: frame 76 is half-way through it
    expect(frameToX(L, 76)).toBe(L.xPx[2] + 10);
    expect(frameToX(L, 1000)).toBe(L.xPx[3] + 50);
    expect(xToFrame(L, frameToX(L, 60))).toBeCloseTo(60);
    expect(xToFrame(L, 99_999)).toBe(102);
  });

  it('spaces ruler ticks for the zoom', () => {
    expect(rulerStepSeconds(100)).toBe(1);
    expect(rulerStepSeconds(50)).toBe(2);
    expect(rulerStepSeconds(5)).toBe(15);
  });
});
