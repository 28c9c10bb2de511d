/**
 * Small pictures of characters' reference images, kept by this browser.
 *
 * The core copies reference pictures into the library folder (`<configDir>/library/refs/<sha256>.<ext>`), served
 * to pages as media of the id `library` (`/media/library/refs/…`, `app://media/library/…`). This cache keeps a
 * 192 px JPEG of every picture the artist adds from this browser, keyed by its SHA-256 (the `contentHash` the
 * core reports), in localStorage, least recently used first out: it is shown while an upload lands, and when the
 * library's copy cannot be loaded.
 */

/** What the cache needs of localStorage (tests pass a Map-backed one). */
export interface ThumbStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The key prefix of thumbnails in storage; the index of hashes (least recently used first) is under `INDEX_KEY`. */
export const THUMB_KEY_PREFIX = 'storycanvas.refThumb.';
export const INDEX_KEY = 'storycanvas.refThumbs';
/** At most this many thumbnails are kept (about 10 KiB each). */
export const MAX_THUMBS = 200;

/** A cache of reference thumbnails (data URLs) by content hash. */
export interface RefThumbCache {
  /** The thumbnail of a picture, or null when this browser never saw it. */
  get(contentHash: string): string | null;
  /** Keeps a thumbnail, dropping the least recently used past `maxEntries`; a full storage drops more, never throws. */
  put(contentHash: string, dataUrl: string): void;
  /** Called after every put (views re-render). Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Increases with every put (for useSyncExternalStore). */
  version(): number;
}

/**
 * A cache over `storage` (null: memory only, for pages without localStorage).
 * @param maxEntries how many thumbnails to keep (default {@link MAX_THUMBS}).
 */
export function createRefThumbCache(storage: ThumbStorage | null, maxEntries = MAX_THUMBS): RefThumbCache {
  const memory = new Map<string, string>();
  const listeners = new Set<() => void>();
  let ver = 0;
  const readIndex = (): string[] => {
    try {
      const v = JSON.parse(storage?.getItem(INDEX_KEY) ?? '[]') as unknown;
      return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string') : [];
    } catch {
      return [];
    }
  };
  const writeIndex = (index: string[]) => storage?.setItem(INDEX_KEY, JSON.stringify(index));

  return {
    get(hash) {
      const hit = memory.get(hash);
      if (hit) return hit;
      const stored = storage?.getItem(THUMB_KEY_PREFIX + hash) ?? null;
      if (stored) memory.set(hash, stored);
      return stored;
    },
    put(hash, dataUrl) {
      memory.set(hash, dataUrl);
      if (storage) {
        let index = readIndex().filter((h) => h !== hash);
        index.push(hash);
        while (index.length > maxEntries) storage.removeItem(THUMB_KEY_PREFIX + index.shift()!);
        // a full storage: drop the oldest until it fits (or give up and keep it in memory only)
        for (;;) {
          try {
            storage.setItem(THUMB_KEY_PREFIX + hash, dataUrl);
            writeIndex(index);
            break;
          } catch {
            const oldest = index.find((h) => h !== hash);
            if (!oldest) break;
            storage.removeItem(THUMB_KEY_PREFIX + oldest);
            index = index.filter((h) => h !== oldest);
          }
        }
      }
      ver++;
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => ver,
  };
}

let shared: RefThumbCache | null = null;

/** The page's cache (localStorage when the page may use it). */
export function refThumbCache(): RefThumbCache {
  if (!shared) {
    let storage: ThumbStorage | null = null;
    try {
      storage = typeof localStorage !== 'undefined' ? localStorage : null;
    } catch {
      storage = null; // storage denied by the browser's settings
    }
    shared = createRefThumbCache(storage);
  }
  return shared;
}

/** SHA-256 of a file's bytes, hex (what the core calls the picture's `contentHash`). Needs a secure context (127.0.0.1 and app:// are). */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A JPEG data URL of a picture scaled to fit `sizePx` (default 192) on its longer side.
 * @throws Error when the browser cannot decode the picture.
 */
export async function thumbnailDataUrl(file: Blob, sizePx = 192): Promise<string> {
  const bitmap = await createImageBitmap(file);
  try {
    const scale = Math.min(1, sizePx / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw a thumbnail (no 2D canvas).');
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.82);
  } finally {
    bitmap.close();
  }
}
