/**
 * The contract handlers of take triage, the trash, variations and the generation pool (`takeMethods` in
 * src-preload/contract.ts), merged into the core's handler map by core/handlers.ts. Thin: they find the project and
 * call triage.ts, variations.ts and pool.ts.
 */
import type { takeMethods } from '../../../src-preload/contract';
import type { Core } from '../Core';
import type { Handlers } from '../dispatch';
import { unindexTakes } from '../library/takeLibrary';
import { TakePool } from './pool';
import { emptyTrash, rejectTake, restoreTakes, starTake, tagTake, trashedTakes, trashTakes } from './triage';
import { buildVariationJobs } from './variations';

/** The handlers of `takeMethods`. */
export type TakeHandlers = Pick<Handlers, keyof typeof takeMethods>;

/** The handler map of the take and pool methods, closed over the core (one pool per core). */
export function createTakeHandlers(core: Core): TakeHandlers {
  const pool = new TakePool({
    library: () => core.library(),
    openProjects: () => core.openProjects(),
    project: (id) => core.project(id),
    recent: () => core.recent(),
  });
  return {
    'take.star': (a) => starTake(core.project(a.projectId), a.takeId, a.starred),
    'take.reject': (a) => rejectTake(core.project(a.projectId), a.takeId, a.rejected),
    'take.tag': (a) => tagTake(core.project(a.projectId), a.takeId, a.tags),
    'take.delete': (a) => ({ shots: trashTakes(core.project(a.projectId), a.takeIds) }),
    'take.restore': (a) => restoreTakes(core.project(a.projectId), a.takeIds),
    'take.trash.list': (a) => trashedTakes(core.project(a.projectId)),
    'take.trash.empty': (a) => {
      const store = core.project(a.projectId);
      const r = emptyTrash(store, a.confirm);
      if (r.takeIds.length) {
        try {
          unindexTakes(core.library(), store.dir, r.takeIds);
        } catch {
          // the pool drops them at its next re-index
        }
      }
      return { deletedTakes: r.takes, deletedFiles: r.files };
    },
    'take.vary': (a) => {
      const { batchId, jobs, plan } = buildVariationJobs(
        core.project(a.projectId),
        { takeId: a.takeId, mode: a.mode, strength: a.strength, count: a.count, priority: a.priority },
        core.queue.lastOrderKey(a.projectId),
      );
      return { batchId, jobs: core.queue.enqueueJobs(a.projectId, jobs), method: plan.method, ...(plan.reason ? { reason: plan.reason } : {}) };
    },
    'library.takes.search': (a) =>
      pool.search({ query: a.query, character: a.character, templateId: a.templateId, tag: a.tag, excludeRejected: a.excludeRejected, limit: a.limit, cursor: a.cursor }),
    'library.takes.send': (a) => pool.send(a.fromProjectPath, a.takeId, a.toProjectId, a.shotId),
    'library.reindex': () => pool.reindex(),
  };
}
