import { describe, expect, it } from 'vitest';
import { enhanceCacheKey } from './cacheKey.ts';

const INPUT = 'a'.repeat(64);
const MODEL = 'b'.repeat(64);
const BASE = { outputExt: '.png', tileSizePx: 256, overlapPx: 16 };

describe('enhanceCacheKey', () => {
  it('is the same for the same input, model and parameters, and differs when any of them changes', () => {
    const key = enhanceCacheKey(INPUT, MODEL, BASE);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(enhanceCacheKey(INPUT, MODEL, { ...BASE, outputExt: '.PNG' })).toBe(key);
    expect(enhanceCacheKey('c'.repeat(64), MODEL, BASE)).not.toBe(key);
    expect(enhanceCacheKey(INPUT, 'c'.repeat(64), BASE)).not.toBe(key);
    expect(enhanceCacheKey(INPUT, MODEL, { ...BASE, tileSizePx: 128 })).not.toBe(key);
  });

  it('keys a fitted size and a target frame rate apart from the plain result, and from each other', () => {
    const plain = enhanceCacheKey(INPUT, MODEL, BASE);
    const fitted = enhanceCacheKey(INPUT, MODEL, { ...BASE, targetWidthPx: 1920, targetHeightPx: 1080 });
    const otherFit = enhanceCacheKey(INPUT, MODEL, { ...BASE, targetWidthPx: 1280, targetHeightPx: 720 });
    const film = enhanceCacheKey(INPUT, MODEL, { ...BASE, frameRate: { num: 24000, den: 1001 } });
    const pal = enhanceCacheKey(INPUT, MODEL, { ...BASE, frameRate: { num: 25, den: 1 } });
    expect(new Set([plain, fitted, otherFit, film, pal]).size).toBe(5);
  });

  it('refuses a malformed SHA-256', () => {
    expect(() => enhanceCacheKey('xyz', MODEL, BASE)).toThrow(/the input SHA-256 "xyz" is not 64 lowercase hex digits/);
  });
});
