/**
 * Optimistic edits of a cached ProjectSnapshot: the renderer applies an edit to its react-query cache at once,
 * calls the contract, and refetches when `project.changed` arrives. Each function mirrors what the core does
 * (the core's store/ProjectStore.ts) closely enough that the refetch changes nothing visible.
 *
 * Pure: they return a new snapshot (untouched scenes and shots keep their identity, so memoized views skip them)
 * and never mutate their input.
 */
import type { ShotPatch } from '../../src-preload/contract';
import type { ProjectSnapshot } from '../../src-preload/model';

/** A scene of a snapshot, with its shots. */
export type SnapshotScene = ProjectSnapshot['scenes'][number];
/** A shot of a snapshot. */
export type SnapshotShot = SnapshotScene['shots'][number];

/** Every shot id in timeline order, scene by scene. */
export function shotOrder(snapshot: ProjectSnapshot): string[] {
  const ids: string[] = [];
  for (const scene of snapshot.scenes) for (const shot of scene.shots) ids.push(shot.id);
  return ids;
}

/**
 * Moves shots into `sceneId` before `beforeShotId` (or to the scene's end when null), keeping their timeline
 * order, as `shot.move` does.
 * @throws Error when the scene is unknown, when `beforeShotId` is one of the moved shots or not in the scene
 *   (the core refuses both).
 */
export function applyShotMove(
  snapshot: ProjectSnapshot,
  shotIds: ReadonlyArray<string>,
  sceneId: string,
  beforeShotId: string | null,
): ProjectSnapshot {
  const moving = new Set(shotIds);
  if (beforeShotId !== null && moving.has(beforeShotId)) throw new Error('A shot cannot be moved before itself: drop it before another shot.');
  if (!snapshot.scenes.some((s) => s.id === sceneId)) throw new Error(`Scene ${sceneId} is not in this project: reload the timeline.`);
  const moved: SnapshotShot[] = [];
  for (const scene of snapshot.scenes) for (const shot of scene.shots) if (moving.has(shot.id)) moved.push(shot);
  if (moved.length === 0) return snapshot;
  const scenes = snapshot.scenes.map((scene) => {
    const touched = scene.id === sceneId || scene.shots.some((s) => moving.has(s.id));
    if (!touched) return scene;
    const rest = scene.shots.filter((s) => !moving.has(s.id));
    if (scene.id !== sceneId) return { ...scene, shots: rest };
    const at = beforeShotId === null ? rest.length : rest.findIndex((s) => s.id === beforeShotId);
    if (at < 0) throw new Error(`Shot ${beforeShotId} is not in the target scene: reload the timeline.`);
    const arriving = moved.map((s) => (s.sceneId === sceneId ? s : { ...s, sceneId }));
    return { ...scene, shots: [...rest.slice(0, at), ...arriving, ...rest.slice(at)] };
  });
  return { ...snapshot, scenes };
}

/** True when moving `shotIds` to the target would leave every shot where it is (no call needed). */
export function isNoopMove(snapshot: ProjectSnapshot, shotIds: ReadonlyArray<string>, sceneId: string, beforeShotId: string | null): boolean {
  const after = applyShotMove(snapshot, shotIds, sceneId, beforeShotId);
  return after.scenes.every((scene, i) => {
    const before = snapshot.scenes[i];
    return scene.shots.length === before.shots.length && scene.shots.every((s, k) => s.id === before.shots[k].id);
  });
}

/** Applies the same patch to several shots, as `shot.update` does. Unknown ids are ignored. */
export function applyShotPatch(snapshot: ProjectSnapshot, shotIds: ReadonlyArray<string>, patch: ShotPatch): ProjectSnapshot {
  const ids = new Set(shotIds);
  const scenes = snapshot.scenes.map((scene) =>
    scene.shots.some((s) => ids.has(s.id)) ? { ...scene, shots: scene.shots.map((s) => (ids.has(s.id) ? { ...s, ...patch } : s)) } : scene,
  );
  return { ...snapshot, scenes };
}

/** Removes shots, as `shot.delete` does (their takes drop out of the snapshot too). */
export function applyShotDelete(snapshot: ProjectSnapshot, shotIds: ReadonlyArray<string>): ProjectSnapshot {
  const ids = new Set(shotIds);
  const scenes = snapshot.scenes.map((scene) => (scene.shots.some((s) => ids.has(s.id)) ? { ...scene, shots: scene.shots.filter((s) => !ids.has(s.id)) } : scene));
  return { ...snapshot, scenes, takes: snapshot.takes.filter((t) => !ids.has(t.shotId)) };
}

/** Makes a take the selected one of its shot, as `take.select` does. Unknown take: unchanged. */
export function applyTakeSelect(snapshot: ProjectSnapshot, takeId: string): ProjectSnapshot {
  const take = snapshot.takes.find((t) => t.id === takeId);
  return take ? applyShotPatchRaw(snapshot, take.shotId, { selectedTakeId: takeId }) : snapshot;
}

function applyShotPatchRaw(snapshot: ProjectSnapshot, shotId: string, patch: Partial<SnapshotShot>): ProjectSnapshot {
  const scenes = snapshot.scenes.map((scene) =>
    scene.shots.some((s) => s.id === shotId) ? { ...scene, shots: scene.shots.map((s) => (s.id === shotId ? { ...s, ...patch } : s)) } : scene,
  );
  return { ...snapshot, scenes };
}

/** One place left (-1) or right (1). */
export type MoveDirection = -1 | 1;

/**
 * Where Alt+← / Alt+→ moves the selected shots: one place left or right among the other shots, crossing into
 * the previous scene's end or the next scene's start at a scene boundary. Returns the `shot.move` target, or
 * null when the shots are already at the timeline's start (end) or nothing is selected.
 */
export function keyboardMoveTarget(
  snapshot: ProjectSnapshot,
  selectedIds: ReadonlyArray<string>,
  direction: MoveDirection,
): { sceneId: string; beforeShotId: string | null } | null {
  const selected = new Set(selectedIds);
  const scenes = snapshot.scenes;
  // the extreme selected shot on the side we move towards
  let sceneIdx = -1;
  let shotIdx = -1;
  scenes.forEach((scene, si) =>
    scene.shots.forEach((shot, k) => {
      if (!selected.has(shot.id)) return;
      if (sceneIdx < 0 || direction === 1) [sceneIdx, shotIdx] = [si, k];
    }),
  );
  if (sceneIdx < 0) return null;
  const scene = scenes[sceneIdx];
  if (direction === -1) {
    const prev = scene.shots.slice(0, shotIdx).filter((s) => !selected.has(s.id));
    if (prev.length > 0) return { sceneId: scene.id, beforeShotId: prev[prev.length - 1].id };
    if (sceneIdx === 0) return null;
    return { sceneId: scenes[sceneIdx - 1].id, beforeShotId: null };
  }
  const next = scene.shots.slice(shotIdx + 1).filter((s) => !selected.has(s.id));
  if (next.length > 0) return { sceneId: scene.id, beforeShotId: next[1]?.id ?? null };
  if (sceneIdx === scenes.length - 1) return null;
  const nextScene = scenes[sceneIdx + 1];
  return { sceneId: nextScene.id, beforeShotId: nextScene.shots.find((s) => !selected.has(s.id))?.id ?? null };
}
