/**
 * The handlers of the enhancement methods of the contract (`enhanceMethods` in src-preload/contract.ts): the model
 * list, the execution provider choice, and `enhance.enqueue`, which turns takes into `enhance` jobs of the queue
 * (built by jobs.ts, run by src-main/core/queue/LocalEnhanceExecutor.ts). Spread into the map of handlers.ts.
 */
import type { enhanceMethods } from '../../../src-preload/contract';
import type { Handlers } from '../dispatch';
import { AppError } from '../errors.ts';
import type { QueueService } from '../queue/QueueService.ts';
import type { ProjectStore } from '../store/ProjectStore.ts';
import type { EnhanceRuntime } from './EnhanceRuntime.ts';
import { buildEnhanceJobs } from './jobs.ts';

/** The part of the core these handlers use. */
export interface EnhanceHandlerHost {
  readonly queue: QueueService;
  readonly enhance: EnhanceRuntime;
  project(projectId: string): ProjectStore;
}

/** The handlers of every method of `enhanceMethods`. */
export type EnhanceHandlers = Pick<Handlers, keyof typeof enhanceMethods>;

/** Builds the handlers (see the module documentation). */
export function createEnhanceHandlers(core: EnhanceHandlerHost): EnhanceHandlers {
  return {
    'models.list': async () => {
      const { models } = await core.enhance.listModels();
      const provider = core.enhance.providerChoice?.provider ?? null;
      return models.map((m) => ({
        id: m.id,
        name: m.name,
        ...(m.description ? { description: m.description } : {}),
        task: m.task,
        scale: m.scale,
        layout: m.inputLayout,
        licence: { spdx: m.licence.spdx, url: m.licence.url },
        source: m.source,
        sha256: m.sha256,
        origin: m.origin,
        sizeBytes: m.sizeBytes,
        provider,
      }));
    },
    'enhance.providers': async () => {
      try {
        const choice = await core.enhance.providers();
        return { provider: choice.provider, tried: choice.tried.map((t) => ({ name: t.name, ok: t.ok, ...(t.error ? { error: t.error } : {}) })) };
      } catch (err) {
        throw new AppError('no_provider', `No execution provider can run enhancement models: ${(err as Error).message}`, 'Reinstall the app; the CPU provider should always work.');
      }
    },
    'enhance.enqueue': async (a) => {
      const store = core.project(a.projectId);
      core.queue.attachProject(a.projectId, store);
      const batch = await buildEnhanceJobs(store, (modelId) => core.enhance.findModel(modelId), a, core.queue.lastOrderKey(a.projectId));
      const jobs = core.queue.enqueueJobs(a.projectId, batch.jobs);
      return { batchId: batch.batchId, jobs, skipped: batch.skipped };
    },
  };
}
