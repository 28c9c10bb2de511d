/**
 * The timeline's geometry, computed from durations alone (no DOM measurement), so 2,000+ shots lay out in one
 * linear pass and every lookup is a binary search over prefix sums.
 *
 * Coordinates are content pixels from the left edge of the scrolling track. A shot's width is its duration in
 * seconds × `pxPerSecond`, never narrower than `minCardWidthPx` (so one-frame shots stay grabbable). Scenes are
 * groups: `scenePaddingPx` inside each end, `sceneGapPx` between scenes, `emptySceneWidthPx` for a scene without
 * shots (so it can still take a drop). Time maps to x piecewise (inside each card, linearly), so the ruler's ticks
 * stay on the cards even where a card was widened to its minimum.
 */
import type { FrameRate } from '../../../src-preload/model';

/** How to lay the timeline out: zoom, rate and spacing, all in pixels. */
export interface LayoutOptions {
  /** Pixels per second of screen time (the zoom). */
  pxPerSecond: number;
  frameRate: FrameRate;
  minCardWidthPx: number;
  cardGapPx: number;
  sceneGapPx: number;
  scenePaddingPx: number;
  emptySceneWidthPx: number;
  /** Space before the first scene and after the last. */
  edgePaddingPx: number;
  /** A duration to use instead of a shot's own (the live value while its edge is being dragged). */
  durationOverride?: { shotId: string; durationFrames: number } | null;
}

/** The spacing the timeline view uses; tests use it too. */
export const DEFAULT_LAYOUT_SPACING = {
  minCardWidthPx: 44,
  cardGapPx: 4,
  sceneGapPx: 14,
  scenePaddingPx: 6,
  emptySceneWidthPx: 132,
  edgePaddingPx: 16,
} as const;

/** What layout needs of a scene: its id and its shots' ids and durations, in order. */
export interface LayoutSceneInput {
  id: string;
  shots: ReadonlyArray<{ id: string; durationFrames: number }>;
}

/** A laid-out scene: its band and its range of shots in the flat arrays. */
export interface LayoutScene {
  id: string;
  /** Left edge of the scene's band and its width, padding included. */
  xPx: number;
  widthPx: number;
  /** Index of its first shot in the flat shot arrays, and how many it has. */
  firstShot: number;
  shotCount: number;
  startFrame: number;
  durationFrames: number;
}

/** The laid-out timeline: flat typed arrays over every shot, in timeline order. */
export interface TimelineLayout {
  /** Shots in timeline order (scene by scene). */
  shotIds: string[];
  /** For each shot (same index): its scene's index, left edge, width, first frame on the timeline, duration. */
  sceneOfShot: Int32Array;
  xPx: Float64Array;
  widthPx: Float64Array;
  startFrame: Float64Array;
  durationFrames: Float64Array;
  scenes: LayoutScene[];
  indexOfShot: Map<string, number>;
  totalWidthPx: number;
  totalFrames: number;
}

/**
 * Lays out scenes and shots in one pass. O(shots).
 * @throws Error for a non-positive pxPerSecond (a zoom of zero would stack every card on one spot).
 */
export function computeLayout(scenes: ReadonlyArray<LayoutSceneInput>, opts: LayoutOptions): TimelineLayout {
  if (!(opts.pxPerSecond > 0)) throw new Error(`pxPerSecond must be above 0, got ${opts.pxPerSecond}`);
  const n = scenes.reduce((sum, s) => sum + s.shots.length, 0);
  const shotIds: string[] = new Array(n);
  const sceneOfShot = new Int32Array(n);
  const xPx = new Float64Array(n);
  const widthPx = new Float64Array(n);
  const startFrame = new Float64Array(n);
  const durationFrames = new Float64Array(n);
  const indexOfShot = new Map<string, number>();
  const pxPerFrame = (opts.pxPerSecond * opts.frameRate.den) / opts.frameRate.num;
  const override = opts.durationOverride ?? null;
  const outScenes: LayoutScene[] = [];

  let x = opts.edgePaddingPx;
  let frame = 0;
  let i = 0;
  scenes.forEach((scene, si) => {
    const sceneX = x;
    const sceneStart = frame;
    x += opts.scenePaddingPx;
    if (scene.shots.length === 0) x += opts.emptySceneWidthPx;
    scene.shots.forEach((shot, k) => {
      const d = override && override.shotId === shot.id ? override.durationFrames : shot.durationFrames;
      if (k > 0) x += opts.cardGapPx;
      shotIds[i] = shot.id;
      sceneOfShot[i] = si;
      xPx[i] = x;
      const w = Math.max(opts.minCardWidthPx, d * pxPerFrame);
      widthPx[i] = w;
      startFrame[i] = frame;
      durationFrames[i] = d;
      indexOfShot.set(shot.id, i);
      x += w;
      frame += d;
      i++;
    });
    x += opts.scenePaddingPx;
    outScenes.push({
      id: scene.id,
      xPx: sceneX,
      widthPx: x - sceneX,
      firstShot: i - scene.shots.length,
      shotCount: scene.shots.length,
      startFrame: sceneStart,
      durationFrames: frame - sceneStart,
    });
    x += opts.sceneGapPx;
  });
  if (scenes.length > 0) x -= opts.sceneGapPx;
  x += opts.edgePaddingPx;
  return { shotIds, sceneOfShot, xPx, widthPx, startFrame, durationFrames, scenes: outScenes, indexOfShot, totalWidthPx: x, totalFrames: frame };
}

/** The first index in [lo, hi) where `pred` holds, for a `pred` false then true along the range; `hi` if none. */
export function lowerBound(lo: number, hi: number, pred: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The shots that intersect [fromPx, toPx): `[first, end)` indexes into the flat arrays. Binary search, O(log n).
 */
export function visibleShotRange(layout: TimelineLayout, fromPx: number, toPx: number): [number, number] {
  const n = layout.shotIds.length;
  const first = lowerBound(0, n, (i) => layout.xPx[i] + layout.widthPx[i] > fromPx);
  const end = lowerBound(first, n, (i) => layout.xPx[i] >= toPx);
  return [first, end];
}

/** The scenes whose bands intersect [fromPx, toPx): `[first, end)` into `layout.scenes`. */
export function visibleSceneRange(layout: TimelineLayout, fromPx: number, toPx: number): [number, number] {
  const s = layout.scenes;
  const first = lowerBound(0, s.length, (i) => s[i].xPx + s[i].widthPx > fromPx);
  const end = lowerBound(first, s.length, (i) => s[i].xPx >= toPx);
  return [first, end];
}

/** Where a drag would drop: the `shot.move` target and where to draw the line. */
export interface DropTarget {
  sceneIndex: number;
  sceneId: string;
  /** The shot to insert before, or null for the end of the scene. */
  beforeShotId: string | null;
  /** Flat index the insertion happens at (`firstShot + shotCount` of the scene for its end). */
  insertIndex: number;
  /** Where to draw the insertion line. */
  lineXPx: number;
}

/**
 * Where a drop at content x `xPx` lands: the scene whose band (extended to the middle of the gaps around it)
 * holds x, and the first shot of that scene whose middle is right of x. Shots in `skip` (those being dragged)
 * are never returned as `beforeShotId`: the next shot not skipped is, or the scene's end.
 * Returns null when there are no scenes. Binary search: O(log n) plus the skipped run.
 */
export function dropTargetAt(layout: TimelineLayout, xPx: number, skip?: ReadonlySet<string>): DropTarget | null {
  const scenes = layout.scenes;
  if (scenes.length === 0) return null;
  const sceneIndex = Math.min(
    scenes.length - 1,
    lowerBound(0, scenes.length, (i) => {
      const next = scenes[i + 1];
      const boundary = next ? (scenes[i].xPx + scenes[i].widthPx + next.xPx) / 2 : Infinity;
      return xPx < boundary;
    }),
  );
  const scene = scenes[sceneIndex];
  const end = scene.firstShot + scene.shotCount;
  let j = lowerBound(scene.firstShot, end, (i) => xPx < layout.xPx[i] + layout.widthPx[i] / 2);
  const insertIndex = j;
  let lineXPx: number;
  if (scene.shotCount === 0) lineXPx = scene.xPx + scene.widthPx / 2;
  else if (j === scene.firstShot) lineXPx = layout.xPx[j] - 3;
  else if (j < end) lineXPx = (layout.xPx[j - 1] + layout.widthPx[j - 1] + layout.xPx[j]) / 2;
  else lineXPx = layout.xPx[end - 1] + layout.widthPx[end - 1] + 3;
  if (skip) while (j < end && skip.has(layout.shotIds[j])) j++;
  return { sceneIndex, sceneId: scene.id, beforeShotId: j < end ? layout.shotIds[j] : null, insertIndex, lineXPx };
}

/**
 * The x of a timeline frame (from 0): inside the card that holds it, linearly; past the end, the end of the last
 * card. Binary search, O(log n).
 */
export function frameToX(layout: TimelineLayout, frame: number): number {
  const n = layout.shotIds.length;
  if (n === 0) return layout.scenes[0] ? layout.scenes[0].xPx : 0;
  const i = Math.max(0, lowerBound(0, n, (k) => layout.startFrame[k] > frame) - 1);
  const into = Math.min(1, Math.max(0, (frame - layout.startFrame[i]) / layout.durationFrames[i]));
  return layout.xPx[i] + into * layout.widthPx[i];
}

/** The timeline frame under content x `xPx` (the inverse of frameToX inside cards; a gap maps to the next card's start). */
export function xToFrame(layout: TimelineLayout, xPx: number): number {
  const n = layout.shotIds.length;
  if (n === 0) return 0;
  const i = lowerBound(0, n, (k) => layout.xPx[k] + layout.widthPx[k] > xPx);
  if (i >= n) return layout.totalFrames;
  const into = Math.min(1, Math.max(0, (xPx - layout.xPx[i]) / layout.widthPx[i]));
  return layout.startFrame[i] + into * layout.durationFrames[i];
}

/** Seconds between ruler ticks for a zoom, so labelled ticks sit at least `minSpacingPx` apart. */
export function rulerStepSeconds(pxPerSecond: number, minSpacingPx = 72): number {
  const steps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return steps.find((s) => s * pxPerSecond >= minSpacingPx) ?? steps[steps.length - 1];
}
