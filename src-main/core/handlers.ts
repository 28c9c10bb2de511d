import { cpSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { platform } from 'node:os';
import type { Core } from './Core';
import type { Handlers } from './dispatch';
import { AppError } from './errors';
import { createQueueHandlers } from './handlersQueue';
import { createExportHandlers } from './exports/handlers';
import { createEnhanceHandlers } from './enhance/handlers';
import { createConsistencyHandlers, updateSettingsHandler } from './library/handlers';
import { createTakeHandlers } from './takes/handlers';
import { createAssistantHandlers } from './assistant/handlers';
import { projectSettings, withConsistency } from './library/projectConsistency';
import { importScriptFile, importScriptText } from './scriptImport';
import { DB_FILE, DEFAULT_SETTINGS, ProjectStore, projectFolderName } from './store/ProjectStore';
import { importTakeBytes, importTakeFiles } from './takes';

const ok = { ok: true as const };

/**
 * The contract's handler map, one entry per method of src-preload/contract.ts, closed over the core.
 * Handlers stay thin: they find the project and call the store or a core module.
 */
export function createHandlers(core: Core): Handlers {
  const summary = (projectId: string) => {
    const s = core.project(projectId);
    return { projectId, path: s.dir, settings: projectSettings(s) };
  };

  return {
    'app.info': () => ({
      name: 'StoryCanvas',
      version: core.version,
      shell: core.shell,
      platform: platform(),
      configDir: core.configDir,
    }),

    'project.create': async (a) => {
      const store = await ProjectStore.create(resolve(a.dir), {
        name: a.name,
        frameRate: a.frameRate ?? DEFAULT_SETTINGS.frameRate,
        widthPx: a.widthPx ?? DEFAULT_SETTINGS.widthPx,
        heightPx: a.heightPx ?? DEFAULT_SETTINGS.heightPx,
        defaultShotDurationFrames: a.defaultShotDurationFrames ?? DEFAULT_SETTINGS.defaultShotDurationFrames,
      });
      store.close();
      const { projectId } = await core.openProject(store.dir);
      return summary(projectId);
    },
    'project.open': async (a) => summary((await core.openProject(a.path)).projectId),
    'project.close': (a) => {
      core.closeProject(a.projectId);
      return ok;
    },
    'project.list': () => core.openProjects().map(({ projectId }) => summary(projectId)),
    'project.recent': () => core.recent(),
    'project.get': (a) => withConsistency(core.project(a.projectId), core.project(a.projectId).snapshot(a.projectId)),
    'project.updateSettings': (a) => updateSettingsHandler(core, a.projectId, a.patch, { retimeShots: a.retimeShots }),
    'project.saveAs': async (a) => {
      const store = core.project(a.projectId);
      const name = a.name ?? store.settings().name;
      const target = join(resolve(a.dir), projectFolderName(name));
      if (existsSync(target)) throw new AppError('project_exists', `${target} already exists.`, 'Choose another name or folder.');
      const tmp = `${target}.saving-${process.pid}`;
      mkdirSync(tmp, { recursive: true });
      await store.db.backup(join(tmp, DB_FILE));
      cpSync(join(store.dir, 'media'), join(tmp, 'media'), { recursive: true });
      renameSync(tmp, target);
      if (a.name) {
        const copy = await ProjectStore.open(target);
        copy.db.prepare('UPDATE project SET name = ? WHERE id = 1').run(a.name);
        copy.close();
      }
      return { path: target };
    },

    'script.import': async (a) => {
      const store = core.project(a.projectId);
      return a.path ? importScriptFile(store, a.path) : importScriptText(store, a.text ?? '', a.fileName ?? 'script.fountain');
    },

    'scene.create': (a) => ({ sceneId: core.project(a.projectId).createScene({ afterSceneId: a.afterSceneId, heading: a.heading }) }),
    'scene.update': (a) => {
      core.project(a.projectId).updateScene(a.sceneId, a.patch);
      return ok;
    },
    'scene.move': (a) => {
      core.project(a.projectId).moveScene(a.sceneId, a.beforeSceneId);
      return ok;
    },
    'scene.delete': (a) => {
      core.project(a.projectId).deleteScene(a.sceneId);
      return ok;
    },

    'shot.create': (a) => ({ shotId: core.project(a.projectId).createShot(a.sceneId, a.afterShotId) }),
    'shot.update': (a) => {
      core.project(a.projectId).updateShots(a.shotIds, a.patch);
      return ok;
    },
    'shot.move': (a) => {
      core.project(a.projectId).moveShots(a.shotIds, a.sceneId, a.beforeShotId);
      return ok;
    },
    'shot.delete': (a) => {
      core.project(a.projectId).deleteShots(a.shotIds);
      return ok;
    },

    'take.import': (a) => importTakeFiles(core.project(a.projectId), a.shotId, a.paths),
    'take.importBytes': (a) => importTakeBytes(core.project(a.projectId), a.shotId, a.fileName, Buffer.from(a.dataBase64, 'base64')),
    'take.select': (a) => {
      core.project(a.projectId).selectTake(a.takeId);
      return ok;
    },


    'edit.undo': (a) => core.project(a.projectId).undo(),
    'edit.redo': (a) => core.project(a.projectId).redo(),
    'edit.state': (a) => core.project(a.projectId).undoState(),

    // export, project package and music: src-main/core/exports/handlers.ts
    ...createExportHandlers(core),

    // generation queue, ComfyUI servers, workflows, presets: src-main/core/handlersQueue.ts
    ...createQueueHandlers(core),
    ...createConsistencyHandlers(core),
    // take triage, trash, variations, the generation pool: src-main/core/takes/handlers.ts
    ...createTakeHandlers(core),
    // the shot assistant: src-main/core/assistant/handlers.ts
    ...createAssistantHandlers(core),
    // enhancement models, providers and jobs: src-main/core/enhance/handlers.ts
    ...createEnhanceHandlers(core),
  };
}
