/**
 * The handlers of the queue, server, workflow and preset methods of the contract (`queueMethods` in
 * src-preload/contract.ts), closed over the core's {@link QueueService}. Spread into the map of handlers.ts.
 */
import type { queueMethods } from '../../src-preload/contract';
import type { ModelFamily } from './comfy/workflow/presets.ts';
import type { Handlers } from './dispatch';
import type { QueueService } from './queue/QueueService.ts';
import type { ProjectStore } from './store/ProjectStore';

/** The part of the core these handlers use. */
export interface QueueHandlerHost {
  readonly queue: QueueService;
  project(projectId: string): ProjectStore;
}

/** The handlers of every method of `queueMethods`. */
export type QueueHandlers = Pick<Handlers, keyof typeof queueMethods>;

const ok = { ok: true as const };

/** Builds the handlers (see the module documentation). */
export function createQueueHandlers(core: QueueHandlerHost): QueueHandlers {
  const queue = (projectId: string): QueueService => {
    core.queue.attachProject(projectId, core.project(projectId));
    return core.queue;
  };
  return {
    'servers.list': () => core.queue.listServers(),
    'servers.add': (a) => core.queue.addServer(a),
    'servers.update': (a) => core.queue.updateServer(a.serverId, a.patch),
    'servers.remove': async (a) => {
      await core.queue.removeServer(a.serverId);
      return ok;
    },
    'servers.check': (a) => core.queue.checkServer(a.serverId),

    'queue.list': (a) => queue(a.projectId).list(a.projectId, a.states),
    'queue.enqueue': (a) => queue(a.projectId).enqueue(a.projectId, a),
    'queue.cancel': (a) => queue(a.projectId).cancel(a.projectId, a.jobIds),
    'queue.retry': (a) => queue(a.projectId).retry(a.projectId, a.jobIds),
    'queue.setPriority': (a) => queue(a.projectId).setPriority(a.projectId, a.jobIds, a.priority),
    'queue.move': (a) => {
      queue(a.projectId).move(a.projectId, a.jobIds, a.beforeJobId);
      return ok;
    },

    'workflows.list': () => core.queue.listWorkflows(),
    'presets.list': () => core.queue.listPresets(),
    'presets.save': (a) => core.queue.savePreset({ ...a.preset, family: a.preset.family as ModelFamily, loras: a.preset.loras ?? [] }),
    'presets.remove': async (a) => {
      await core.queue.removePreset(a.presetId);
      return ok;
    },
  };
}
