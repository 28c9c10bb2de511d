import { describe, expect, it } from 'vitest';
import { INDEX_KEY, THUMB_KEY_PREFIX, createRefThumbCache, type ThumbStorage } from './refThumbs';

/** localStorage over a Map, optionally full past `capacity` entries (setItem throws like a quota error). */
function storage(capacity = Infinity): ThumbStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (!map.has(k) && map.size >= capacity) throw new Error('QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
  };
}

describe('createRefThumbCache', () => {
  it('keeps thumbnails by hash across caches over the same storage, and tells listeners', () => {
    const s = storage();
    const a = createRefThumbCache(s);
    let heard = 0;
    a.subscribe(() => heard++);
    a.put('h1', 'data:image/jpeg;base64,AAA');
    expect(heard).toBe(1);
    expect(a.version()).toBe(1);
    expect(createRefThumbCache(s).get('h1')).toBe('data:image/jpeg;base64,AAA');
    expect(createRefThumbCache(s).get('h2')).toBeNull();
  });

  it('drops the least recently added past its size', () => {
    const s = storage();
    const c = createRefThumbCache(s, 2);
    c.put('h1', 'one');
    c.put('h2', 'two');
    c.put('h1', 'one again');
    c.put('h3', 'three');
    expect(JSON.parse(s.map.get(INDEX_KEY)!)).toEqual(['h1', 'h3']);
    expect(s.map.has(THUMB_KEY_PREFIX + 'h2')).toBe(false);
    expect(createRefThumbCache(s).get('h1')).toBe('one again');
  });

  it('makes room in a full storage by dropping the oldest, and never throws', () => {
    // room for the index and two thumbnails
    const s = storage(3);
    const c = createRefThumbCache(s);
    c.put('h1', 'one');
    c.put('h2', 'two');
    c.put('h3', 'three');
    expect(s.map.has(THUMB_KEY_PREFIX + 'h1')).toBe(false);
    expect(createRefThumbCache(s).get('h3')).toBe('three');
    expect(JSON.parse(s.map.get(INDEX_KEY)!)).toEqual(['h2', 'h3']);
  });

  it('works in memory without a storage, and reads a damaged index as empty', () => {
    const c = createRefThumbCache(null);
    c.put('h1', 'one');
    expect(c.get('h1')).toBe('one');
    const s = storage();
    s.setItem(INDEX_KEY, '{not json');
    createRefThumbCache(s).put('h2', 'two');
    expect(JSON.parse(s.map.get(INDEX_KEY)!)).toEqual(['h2']);
  });
});
