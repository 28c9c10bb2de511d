/**
 * Small file helpers of the export: atomic writes and copies (a temp name in the target folder, then a rename, so an
 * editor's import never meets a half-written file), file-name-safe names, and a bounded worker pool.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp name beside `target`: `.<name>.<pid>-<random>.tmp` (hidden, same folder, so the rename is atomic). */
export function tempPathBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `target` through a temp file in the same folder, fsynced, then renamed over `target`.
 * @throws the file system's Error (the folder must exist); no temp file is left behind.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathBeside(target);
  try {
    await writeFile(temp, data, { flag: 'wx', flush: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Copies `source` to `target` through a temp file in the target's folder, then renames it into place.
 * @throws the file system's Error (missing source, folder not there); no temp file is left behind.
 */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  const temp = tempPathBeside(target);
  try {
    await copyFile(source, temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * A file-name-safe form of a shot number or project name: letters, digits, space, `-_.()` kept, others become `_`;
 * never empty, never starting with a dot. `12A` -> `12A`, `My Film: Part 2` -> `My Film_ Part 2`.
 */
export function safeFileName(text: string): string {
  const safe = text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}\-_. ()]/gu, '_')
    .replace(/^\.+/, '_')
    .trim()
    .slice(0, 120);
  return safe || 'untitled';
}

/**
 * Runs `work` on every item with at most `concurrency` running at once, in item order; resolves when all are done,
 * rejects with the first error (items not yet started are then skipped).
 */
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const worker = async (): Promise<void> => {
    while (failed === null && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        if (failed === null) failed = error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failed !== null) throw failed;
}
