/**
 * The contract's export, package and music methods, closed over the core (merged into the handler map by
 * ../handlers.ts). Running exports are tracked by exportId so `export.cancel` reaches them; their progress goes
 * out as `export.progress` events.
 */
import { resolve } from 'node:path';
import { ExportChoice } from '../../../src-preload/contract';
import type { Core } from '../Core';
import type { Handlers } from '../dispatch';
import { AppError } from '../errors';
import { openProjectPackage } from '../export/package/package';
import { choiceOf, exportProject, planExport } from '../exportProject';
import { clearMusic, moveMusic, musicWaveform, setMusic } from '../music';
import { ExportRuns, throttledProgress } from './runs';

/** The methods this module implements. */
export type ExportHandlerName =
  | 'export.run'
  | 'export.plan'
  | 'export.cancel'
  | 'export.lastChoice'
  | 'project.openPackage'
  | 'music.set'
  | 'music.update'
  | 'music.clear'
  | 'music.waveform';

/** Why a package was refused, as a stable code. */
function packageErrorCode(message: string): string {
  if (/does not exist: choose an existing folder/.test(message)) return 'invalid_directory';
  if (/made by a newer StoryCanvas/.test(message)) return 'package_too_new';
  return 'corrupt_package';
}

/**
 * The export, package and music handlers of one core. `runs` is exposed for the shells' shutdown (cancel what runs).
 */
export function createExportHandlers(core: Core, runs = new ExportRuns()): Pick<Handlers, ExportHandlerName> {
  return {
    'export.run': (a) =>
      runs.run(a.exportId, (signal, exportId) => {
        const store = core.project(a.projectId);
        const progress = throttledProgress((stage, fraction) => core.events.emit('export.progress', { projectId: a.projectId, exportId, stage, fraction }));
        return exportProject(store, a, { appVersion: core.version, signal, onProgress: progress }).then((r) => ({ ...r, exportId }));
      }),
    'export.plan': (a) => planExport(core.project(a.projectId), a),
    'export.cancel': (a) => ({ cancelled: runs.cancel(a.exportId) }),
    'export.lastChoice': (a) => {
      const parsed = ExportChoice.safeParse(core.project(a.projectId).exportLastChoice());
      return parsed.success ? choiceOf(parsed.data) : null;
    },
    'project.openPackage': async (a) => {
      let projectDir: string;
      try {
        ({ projectDir } = await openProjectPackage(resolve(a.zipPath), resolve(a.destDir)));
      } catch (error) {
        const message = (error as Error).message;
        throw new AppError(packageErrorCode(message), message, 'Ask for a new copy of the package, or choose another folder.');
      }
      const { projectId, store } = await core.openProject(projectDir);
      return { projectId, path: store.dir, settings: store.settings() };
    },
    'music.set': (a) => {
      const store = core.project(a.projectId);
      const source = a.path ? { path: resolve(a.path) } : { fileName: a.fileName!, bytes: Buffer.from(a.dataBase64!, 'base64') };
      return setMusic(store, source, a.offsetFrames ?? 0);
    },
    'music.update': (a) => moveMusic(core.project(a.projectId), a.offsetFrames),
    'music.clear': (a) => {
      clearMusic(core.project(a.projectId));
      return { ok: true as const };
    },
    'music.waveform': (a) => musicWaveform(core.project(a.projectId), a.buckets),
  };
}
