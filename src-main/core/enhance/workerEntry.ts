/**
 * Finding the enhancement worker's entry file, from sources and from a bundle.
 *
 * - Bundled (electron-vite / rolldown): the worker is a second entry of the main build named `enhance-worker`
 *   (`out/main/enhance-worker.js`, beside `index.js`); the module asking may be `index.js` itself or a chunk in a
 *   sub-folder, so the folder of the asking module and its parent are searched.
 * - Compiled without bundling (tsc): `worker.js` beside this module.
 * - From sources (tsx, vitest): `worker.dev.mjs` beside this module, which registers tsx in the worker thread and
 *   loads `worker.ts` (Node 20 cannot start a `.ts` worker by itself).
 * The first that exists wins; `STORYCANVAS_ENHANCE_WORKER` (an absolute path) overrides all of them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EnhanceError } from './EnhanceError.ts';

/** File name of the bundled worker entry (the lead's electron.vite.config.ts names the entry `enhance-worker`). */
export const BUNDLED_WORKER_FILE = 'enhance-worker.js';

/** Where the worker entry was found, and how. */
export interface WorkerEntry {
  url: URL;
  kind: 'override' | 'bundled' | 'compiled' | 'sources';
}

/**
 * Resolves the worker entry for the module at `fromUrl` (default: this module).
 * @param exists file test, injectable for tests.
 * @throws EnhanceError `enhance.workerFailed` naming every path tried when none exists.
 */
export function resolveWorkerEntry(fromUrl: string = import.meta.url, exists: (filePath: string) => boolean = existsSync, env: NodeJS.ProcessEnv = process.env): WorkerEntry {
  const override = env.STORYCANVAS_ENHANCE_WORKER;
  if (override) {
    if (!exists(override)) {
      throw new EnhanceError('enhance.workerFailed', `STORYCANVAS_ENHANCE_WORKER names ${override}, which does not exist.`, 'Unset it, or point it at enhance-worker.js.');
    }
    return { url: pathToFileURL(override), kind: 'override' };
  }
  const dir = path.dirname(fileURLToPath(fromUrl));
  const candidates: Array<[string, WorkerEntry['kind']]> = [
    [path.join(dir, BUNDLED_WORKER_FILE), 'bundled'],
    [path.join(dir, '..', BUNDLED_WORKER_FILE), 'bundled'],
    [path.join(dir, 'worker.js'), 'compiled'],
    [path.join(dir, 'worker.dev.mjs'), 'sources'],
  ];
  for (const [file, kind] of candidates) {
    if (kind === 'sources' && !exists(path.join(dir, 'worker.ts'))) continue;
    if (exists(file)) return { url: pathToFileURL(file), kind };
  }
  throw new EnhanceError(
    'enhance.workerFailed',
    `The enhancement worker is missing: none of ${candidates.map(([f]) => f).join(', ')} exists.`,
    'Rebuild the app (npm run build); the main build must emit enhance-worker.js beside index.js.',
  );
}
