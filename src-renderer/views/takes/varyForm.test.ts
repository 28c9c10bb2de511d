import { describe, expect, it } from 'vitest';
import type { Take } from '../../../src-preload/model';
import { DEFAULT_VARY_DRAFT, canVary, describeVaryResult, varyChoice } from './varyForm';

describe('varyChoice', () => {
  it('turns the default draft into 4 new seeds', () => {
    expect(varyChoice(DEFAULT_VARY_DRAFT)).toEqual({ ok: true, choice: { mode: 'new-seed', count: 4 } });
  });
  it('keeps the strength only for same-seed, accepting a decimal comma', () => {
    expect(varyChoice({ mode: 'same-seed', count: '2', strength: '0,25' })).toEqual({ ok: true, choice: { mode: 'same-seed', count: 2, strength: 0.25 } });
  });
  it('refuses counts and strengths the core refuses, saying what to use', () => {
    expect(varyChoice({ ...DEFAULT_VARY_DRAFT, count: '17' })).toEqual({ ok: false, error: 'Ask for 1 to 16 variations, not "17".' });
    expect(varyChoice({ ...DEFAULT_VARY_DRAFT, count: '1.5' }).ok).toBe(false);
    expect(varyChoice({ ...DEFAULT_VARY_DRAFT, count: '' }).ok).toBe(false);
    const weak = varyChoice({ mode: 'same-seed', count: '2', strength: '0.01' });
    expect(weak.ok).toBe(false);
    expect(!weak.ok && weak.error).toMatch(/between 0\.05 and 1/);
    expect(varyChoice({ mode: 'same-seed', count: '2', strength: 'a lot' }).ok).toBe(false);
  });
});

describe('canVary', () => {
  it('allows generated takes only', () => {
    const t = { source: 'generated' } as Take;
    expect(canVary(t)).toEqual({ ok: true });
    const imported = canVary({ ...t, source: 'imported' });
    expect(imported.ok).toBe(false);
    expect(!imported.ok && imported.reason).toMatch(/imported/);
  });
});

describe('describeVaryResult', () => {
  const jobs = (n: number) => Array.from({ length: n }, () => ({}) as never);
  it('says how many and how they differ', () => {
    expect(describeVaryResult({ jobs: jobs(1), method: 'new-seed' }, '1A')).toBe('Queued 1 variation of shot 1A: new seeds.');
    expect(describeVaryResult({ jobs: jobs(3), method: 'same-seed-img2img' }, '2')).toBe('Queued 3 variations of shot 2: same seed, image to image from the take.');
    expect(describeVaryResult({ jobs: jobs(2), method: 'same-seed-neighbours', reason: 'the workflow has no denoise' }, '2')).toBe(
      'Queued 2 variations of shot 2: same seed, neighbouring seeds (the workflow has no denoise).',
    );
  });
});
