/**
 * Seeds of a batch of takes (see the contract's `SeedMode`): `sequence` counts up from a base seed, `random`
 * draws each, `locked` starts every shot from its own seed derived from the shot id (SHA-256), so generating
 * a shot again gives the same pictures. Seeds stay within 0..2^48-1 (exact in JavaScript, valid for ComfyUI's
 * 0..2^64-1).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SeedMode } from '../../../src-preload/contract';

/** The largest seed handed out, 2^48 - 1. */
export const MAX_SEED = 2 ** 48 - 1;

/** A random seed in 0..MAX_SEED. */
export function randomSeed(): number {
  return randomBytes(6).readUIntBE(0, 6);
}

/** The locked seed of a shot: the first 48 bits of SHA-256 of its id. */
export function lockedSeedForShot(shotId: string): number {
  return createHash('sha256').update(`storycanvas-seed:${shotId}`).digest().readUIntBE(0, 6);
}

/**
 * Seeds for `takes` takes of each shot, in shot order then take order.
 * @param baseSeed the first seed of `sequence` (random when omitted); ignored by the other modes.
 * @throws Error when `takes` is not a whole number of 1 or more.
 */
export function planSeeds(shotIds: readonly string[], takes: number, mode: SeedMode, baseSeed?: number): number[][] {
  if (!Number.isInteger(takes) || takes < 1) throw new Error(`planSeeds: takes must be a whole number of 1 or more, not ${takes}`);
  let next = baseSeed ?? randomSeed();
  return shotIds.map((shotId) => {
    const seeds: number[] = [];
    const start = mode === 'locked' ? lockedSeedForShot(shotId) : 0;
    for (let i = 0; i < takes; i += 1) {
      if (mode === 'random') seeds.push(randomSeed());
      else if (mode === 'locked') seeds.push((start + i) % (MAX_SEED + 1));
      else {
        seeds.push(next % (MAX_SEED + 1));
        next += 1;
      }
    }
    return seeds;
  });
}
