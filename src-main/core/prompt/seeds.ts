/**
 * Seed locking per shot and per scene, so a regenerated shot keeps its composition.
 *
 * Precedence for take `takeIndex` (0-based within the batch) of a shot:
 *   1. the shot's own seed while it is locked: `shot.seed + takeIndex`;
 *   2. else the scene's seed while it is locked: `scene.seed + ordinal x 1000 + takeIndex`, where `ordinal` is the
 *      shot's 0-based place in its scene, so shots of one scene differ but each keeps its seed from one batch to
 *      the next (moving a shot within its scene changes its ordinal: lock the shot's own seed to pin it there);
 *   3. else the batch's seed mode (contract `SeedMode`): `sequence` (the batch's planned seed for the take),
 *      `random`, or `locked` (a seed derived from the shot id, + takeIndex: the queue's per-shot lock).
 * Seeds wrap within 0..2^48-1, exact in JavaScript and valid for ComfyUI (0..2^64-1).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SeedMode } from '../../../src-preload/contract';

/** The largest seed, 2^48 - 1 (the queue's bound too). */
export const MAX_SEED = 2 ** 48 - 1;
/** Seeds between consecutive shots of a scene with a locked scene seed: room for 1000 takes per shot and batch. */
export const SCENE_SHOT_STRIDE = 1000;

/** A shot's seed lock and its 0-based place among the shots of its scene. */
export interface ShotSeedLock {
  id: string;
  seed: number | null;
  seedLocked: boolean;
  ordinal: number;
}

/** A scene's seed lock. */
export interface SceneSeedLock {
  seed: number | null;
  seedLocked: boolean;
}

/** A seed and where it came from: the shot's lock, the scene's lock, or the batch's seed mode. */
export interface ResolvedSeed {
  seed: number;
  from: 'shot' | 'scene' | SeedMode;
}

/** Options of {@link resolveSeed}. */
export interface ResolveSeedOptions {
  /** For `sequence`: the seed the batch's sequence gives this take. Required in that mode. */
  sequenceSeed?: number;
  /** For `random`: where random seeds come from (default: 48 random bits from node:crypto). */
  random?: () => number;
}

/**
 * The seed of one take. See the module comment for the precedence.
 * @throws Error when `takeIndex` or `shot.ordinal` is not a whole number of 0 or more, or `sequence` is asked
 *   without `sequenceSeed`.
 */
export function resolveSeed(shot: ShotSeedLock, scene: SceneSeedLock | null, takeIndex: number, mode: SeedMode, options: ResolveSeedOptions = {}): ResolvedSeed {
  if (!Number.isInteger(takeIndex) || takeIndex < 0) throw new Error(`resolveSeed: takeIndex must be a whole number of 0 or more, not ${takeIndex}`);
  if (!Number.isInteger(shot.ordinal) || shot.ordinal < 0) throw new Error(`resolveSeed: shot.ordinal must be a whole number of 0 or more, not ${shot.ordinal}`);
  if (shot.seedLocked && shot.seed !== null) return { seed: wrapSeed(shot.seed + takeIndex), from: 'shot' };
  if (scene?.seedLocked && scene.seed !== null) return { seed: wrapSeed(scene.seed + shot.ordinal * SCENE_SHOT_STRIDE + takeIndex), from: 'scene' };
  if (mode === 'locked') return { seed: wrapSeed(seedFromShotId(shot.id) + takeIndex), from: 'locked' };
  if (mode === 'random') return { seed: wrapSeed((options.random ?? randomSeed)()), from: 'random' };
  if (options.sequenceSeed === undefined) throw new Error('resolveSeed: mode sequence needs the batch sequence seed (options.sequenceSeed)');
  return { seed: wrapSeed(options.sequenceSeed), from: 'sequence' };
}

/** The seed a locked shot or scene would give its next take 0, or null when neither is locked. */
export function lockedSeed(shot: ShotSeedLock, scene: SceneSeedLock | null): { seed: number; from: 'shot' | 'scene' } | null {
  if (shot.seedLocked && shot.seed !== null) return { seed: wrapSeed(shot.seed), from: 'shot' };
  if (scene?.seedLocked && scene.seed !== null) return { seed: wrapSeed(scene.seed + shot.ordinal * SCENE_SHOT_STRIDE), from: 'scene' };
  return null;
}

/** A random seed in 0..MAX_SEED. */
export function randomSeed(): number {
  return randomBytes(6).readUIntBE(0, 6);
}

/** The seed derived from a shot id: the first 48 bits of SHA-256 of `storycanvas-seed:<id>` (as queue/seeds.ts). */
export function seedFromShotId(shotId: string): number {
  return createHash('sha256').update(`storycanvas-seed:${shotId}`).digest().readUIntBE(0, 6);
}

/** A whole number brought into 0..MAX_SEED (modulo 2^48). */
export function wrapSeed(n: number): number {
  const m = MAX_SEED + 1;
  return ((Math.floor(n) % m) + m) % m;
}
