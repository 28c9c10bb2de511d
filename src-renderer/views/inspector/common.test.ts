import { describe, expect, it } from 'vitest';
import { commonValue, parseLensMm } from './common';

describe('commonValue', () => {
  it('returns the shared value, comparing arrays by content', () => {
    expect(commonValue([{ a: 1 }, { a: 1 }], (x) => x.a)).toEqual({ mixed: false, value: 1 });
    expect(commonValue([{ c: ['A', 'B'] }, { c: ['A', 'B'] }], (x) => x.c)).toEqual({ mixed: false, value: ['A', 'B'] });
    expect(commonValue([{ a: null }, { a: null }], (x) => x.a)).toEqual({ mixed: false, value: null });
  });

  it('says mixed when any item differs', () => {
    expect(commonValue([{ a: 1 }, { a: 1 }, { a: 2 }], (x) => x.a)).toEqual({ mixed: true });
    expect(commonValue([{ c: ['A'] }, { c: ['A', 'B'] }], (x) => x.c)).toEqual({ mixed: true });
    expect(commonValue([{ a: null }, { a: 'CU' }], (x) => x.a)).toEqual({ mixed: true });
  });

  it('refuses an empty list', () => {
    expect(() => commonValue([], (x) => x)).toThrow(/at least one item/);
  });
});

describe('parseLensMm', () => {
  it('reads millimetres and clears on empty', () => {
    expect(parseLensMm('35')).toBe(35);
    expect(parseLensMm(' 85 mm ')).toBe(85);
    expect(parseLensMm('12.5mm')).toBe(12.5);
    expect(parseLensMm('')).toBeNull();
  });

  it('refuses what is not a focal length', () => {
    expect(() => parseLensMm('wide')).toThrow(/not a focal length: type millimetres/);
    expect(() => parseLensMm('0')).toThrow(/not a focal length/);
    expect(() => parseLensMm('5000')).toThrow(/not a focal length/);
  });
});
