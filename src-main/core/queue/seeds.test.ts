import { describe, expect, it } from 'vitest';
import { basicPromptForShot } from './prompt.ts';
import { lockedSeedForShot, MAX_SEED, planSeeds } from './seeds.ts';

describe('planSeeds', () => {
  it('counts up from the base seed across shots in sequence mode', () => {
    expect(planSeeds(['a', 'b'], 3, 'sequence', 10)).toEqual([
      [10, 11, 12],
      [13, 14, 15],
    ]);
  });

  it('starts each shot from its own stable seed in locked mode', () => {
    const first = planSeeds(['sht_a', 'sht_b'], 2, 'locked');
    expect(planSeeds(['sht_a', 'sht_b'], 2, 'locked')).toEqual(first);
    expect(first[0]).toEqual([lockedSeedForShot('sht_a'), lockedSeedForShot('sht_a') + 1]);
    expect(first[0][0]).not.toBe(first[1][0]);
  });

  it('draws seeds within 0..2^48-1 in random mode and refuses a bad take count', () => {
    const seeds = planSeeds(['a'], 50, 'random')[0];
    expect(new Set(seeds).size).toBe(50);
    expect(seeds.every((s) => Number.isSafeInteger(s) && s >= 0 && s <= MAX_SEED)).toBe(true);
    expect(() => planSeeds(['a'], 0, 'random')).toThrow(/whole number of 1 or more/);
  });
});

describe('basicPromptForShot', () => {
  it('joins the action, the size and angle words and the scene', () => {
    expect(
      basicPromptForShot(
        { action: 'Bob runs\nacross the roof.', shotSize: 'CU', cameraAngle: 'low', dialogue: [] },
        { location: 'ROOFTOP', timeOfDay: 'NIGHT' },
      ),
    ).toBe('Bob runs across the roof., close-up, low angle, rooftop, night, storyboard frame');
  });

  it('falls back to the speakers when a shot has no action', () => {
    expect(basicPromptForShot({ action: ' ', shotSize: null, cameraAngle: null, dialogue: [{ character: 'ANA', text: 'Hi' }] })).toBe('ANA speaking, storyboard frame');
  });
});
