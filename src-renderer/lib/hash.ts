/**
 * A cheap, stable string hash (FNV-1a, 32-bit, base 36) for cache-busting URLs, e.g. a placeholder card's
 * `?v=` that changes when the fields drawn on it change. Not for security.
 * Spec: http://www.isthe.com/chongo/tech/comp/fnv/ (FNV-1a).
 */
export function cheapHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
