import { describe, expect, it } from 'vitest';
import { lockedSeed, MAX_SEED, resolveSeed, SCENE_SHOT_STRIDE, seedFromShotId, wrapSeed } from './seeds';

const free = { id: 'sht_a', seed: null, seedLocked: false, ordinal: 2 };

describe('resolveSeed', () => {
  it("uses a locked shot's seed before everything, +1 per take", () => {
    const shot = { ...free, seed: 1234, seedLocked: true };
    const scene = { seed: 9_000_000, seedLocked: true };
    expect(resolveSeed(shot, scene, 0, 'random')).toEqual({ seed: 1234, from: 'shot' });
    expect(resolveSeed(shot, scene, 3, 'sequence', { sequenceSeed: 7 })).toEqual({ seed: 1237, from: 'shot' });
  });

  it("derives from a locked scene's seed with the shot's ordinal, so shots differ but stay stable", () => {
    const scene = { seed: 5000, seedLocked: true };
    const a = resolveSeed({ ...free, ordinal: 0 }, scene, 0, 'random');
    const b = resolveSeed({ ...free, ordinal: 1 }, scene, 0, 'random');
    expect(a).toEqual({ seed: 5000, from: 'scene' });
    expect(b).toEqual({ seed: 5000 + SCENE_SHOT_STRIDE, from: 'scene' });
    expect(resolveSeed({ ...free, ordinal: 1 }, scene, 2, 'random')).toEqual({ seed: 5000 + SCENE_SHOT_STRIDE + 2, from: 'scene' });
    // The same shot gets the same seed batch after batch.
    expect(resolveSeed({ ...free, ordinal: 1 }, scene, 0, 'random')).toEqual(b);
  });

  it('ignores seeds that are not locked and falls back to the batch mode', () => {
    const shot = { ...free, seed: 42, seedLocked: false };
    const scene = { seed: 77, seedLocked: false };
    expect(resolveSeed(shot, scene, 1, 'sequence', { sequenceSeed: 100 })).toEqual({ seed: 100, from: 'sequence' });
    expect(resolveSeed(shot, scene, 0, 'random', { random: () => 31337 })).toEqual({ seed: 31337, from: 'random' });
    expect(resolveSeed(shot, null, 1, 'locked')).toEqual({ seed: wrapSeed(seedFromShotId('sht_a') + 1), from: 'locked' });
    const r = resolveSeed(shot, null, 0, 'random');
    expect(r.seed).toBeGreaterThanOrEqual(0);
    expect(r.seed).toBeLessThanOrEqual(MAX_SEED);
  });

  it('wraps within 0..2^48-1 and refuses bad input', () => {
    expect(resolveSeed({ ...free, seed: MAX_SEED, seedLocked: true }, null, 2, 'random')).toEqual({ seed: 1, from: 'shot' });
    expect(() => resolveSeed(free, null, -1, 'random')).toThrow(/takeIndex/);
    expect(() => resolveSeed({ ...free, ordinal: 1.5 }, null, 0, 'random')).toThrow(/ordinal/);
    expect(() => resolveSeed(free, null, 0, 'sequence')).toThrow(/sequenceSeed/);
  });

  it('tells the inspector which locked seed the next take gets', () => {
    expect(lockedSeed(free, null)).toBeNull();
    expect(lockedSeed({ ...free, seed: 9, seedLocked: true }, null)).toEqual({ seed: 9, from: 'shot' });
    expect(lockedSeed(free, { seed: 10, seedLocked: true })).toEqual({ seed: 10 + 2 * SCENE_SHOT_STRIDE, from: 'scene' });
  });
});
