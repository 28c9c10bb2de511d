/**
 * The contract handlers of the character, template, prompt and seed methods (`consistencyMethods` in
 * src-preload/contract.ts), merged into the core's handler map by core/handlers.ts. Thin: they find the project
 * and the library and call projectConsistency.ts, LibraryStore and prompt/.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { consistencyMethods } from '../../../src-preload/contract';
import type { CharacterOverride, ProjectSettings } from '../../../src-preload/model';
import type { Core } from '../Core';
import type { Handlers } from '../dispatch';
import { AppError } from '../errors';
import { createJobPromptComposer } from '../prompt/jobPrompt';
import type { ProjectStore } from '../store/ProjectStore';
import type { LibraryCharacter } from '../../../src-preload/model';
import type { LibraryStore } from './LibraryStore';
import { displayName, nameKey } from './names';
import {
  attachCharacter,
  characterOverride,
  characterView,
  characterViews,
  detachCharacter,
  projectCharacterRows,
  removeCharacterFromProject,
  setCharacterOverride,
  setDefaultTemplate,
  setSceneSeed,
  setShotPrompt,
  setShotSeed,
  setShotTemplate,
  shotsUsing,
  updateProjectSettings,
} from './projectConsistency';
import { MAX_TEMPLATE_FILE_BYTES } from './templateFile';

const ok = { ok: true as const };

/** The handlers of `consistencyMethods`. */
export type ConsistencyHandlers = Pick<Handlers, keyof typeof consistencyMethods>;

/**
 * The library entry of a character, adopting a character the project knows (from its script, or given to shots by
 * hand) into the library on its first edit, under the script's name for people (`CYBER BOB` -> `Cyber Bob`).
 * @throws AppError `not_found` when neither the library nor the project has the name.
 */
export function adoptCharacter(library: LibraryStore, store: ProjectStore | null, name: string, always = false): LibraryCharacter {
  const entry = library.characterByName(name);
  if (entry) return entry;
  const row = store ? projectCharacterRows(store).find((r) => nameKey(r.name) === nameKey(name)) : undefined;
  if (!row && !always) {
    throw new AppError(
      'not_found',
      `There is no character "${name}"${store ? ' in this project or' : ' in'} the library.`,
      'Create it first (character.create, or storycanvas characters add --name …).',
    );
  }
  return library.createCharacter({ name: displayName(row?.name ?? name) });
}

/** Writes text to a file through a temporary file in the same folder, then a rename. */
function writeTextAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new AppError('cannot_write', `${path} could not be written: ${(err as Error).message}.`, `Check that ${dirname(path)} exists and is writable.`);
  }
}

/**
 * project.updateSettings with `defaultTemplateId` checked against the library and stored in the same undo step.
 * @throws AppError `not_found` for an unknown template.
 */
export function updateSettingsHandler(core: Core, projectId: string, patch: Partial<ProjectSettings>, opts: { retimeShots?: boolean } = {}): ProjectSettings {
  const store = core.project(projectId);
  if (patch.defaultTemplateId) patch = { ...patch, defaultTemplateId: core.library().template(patch.defaultTemplateId).id };
  return updateProjectSettings(store, patch, opts);
}

/** The handler map of the consistency methods, closed over the core. */
export function createConsistencyHandlers(core: Core): ConsistencyHandlers {
  const storeOf = (projectId: string | undefined) => (projectId ? core.project(projectId) : null);

  return {
    'character.list': (a) => characterViews(core.library(), storeOf(a.projectId)),
    'character.get': (a) => characterView(core.library(), storeOf(a.projectId), a.name),
    'character.create': (a) => core.library().createCharacter(a.character),
    'character.update': (a) => {
      const library = core.library();
      const store = storeOf(a.projectId);
      if (a.scope === 'project') {
        if (!store) throw new AppError('invalid_args', 'character.update with scope "project" needs the projectId.', 'Give projectId, or edit the library (scope "library").');
        if (a.patch.name !== undefined) throw new AppError('invalid_override', 'A project cannot rename a library character.', 'Rename it in the library (scope "library").');
      }
      const entry = adoptCharacter(library, store, a.name);
      if (a.scope === 'library') {
        const updated = library.updateCharacter(entry.id, a.patch);
        return characterView(library, store, updated.name);
      }
      const merged: CharacterOverride = { ...(characterOverride(store!, a.name) ?? {}), ...(a.patch as CharacterOverride) };
      setCharacterOverride(store!, projectSpellingOrName(store!, a.name, entry.name), merged);
      return characterView(library, store, entry.name);
    },
    'character.clearOverride': (a) => {
      const store = core.project(a.projectId);
      setCharacterOverride(store, a.name, null);
      return characterView(core.library(), store, a.name);
    },
    'character.delete': (a) => {
      const library = core.library();
      const store = storeOf(a.projectId);
      const entry = library.characterByName(a.name);
      const known = store ? projectCharacterRows(store).some((r) => nameKey(r.name) === nameKey(a.name)) : false;
      if (!entry && !known) throw new AppError('not_found', `There is no character "${a.name}"${store ? ' in this project or' : ' in'} the library.`, 'List them with character.list.');
      const stores = new Set<ProjectStore>([...(store ? [store] : []), ...core.openProjects().map((p) => p.store)]);
      const uses = [...stores].flatMap((s) => shotsUsing(s, a.name).map((u) => ({ ...u, project: s.settings().name })));
      if (uses.length && !a.force) {
        const list = uses.slice(0, 12).map((u) => u.number).join(', ') + (uses.length > 12 ? ` and ${uses.length - 12} more` : '');
        const err = new AppError(
          'character_in_use',
          `${displayName(entry?.name ?? a.name)} is in ${uses.length} shot${uses.length === 1 ? '' : 's'}: ${list}.`,
          'Delete anyway with force: true (storycanvas characters remove --force): it is taken off those shots of this project.',
        );
        throw err;
      }
      const shotsChanged = store ? removeCharacterFromProject(store, a.name) : 0;
      if (entry) library.deleteCharacter(entry.id);
      return { deletedFromLibrary: !!entry, shotsChanged };
    },
    'character.attach': (a) => {
      attachCharacter(core.project(a.projectId), a.name, a.shotIds, core.library().characterByName(a.name)?.name);
      return ok;
    },
    'character.detach': (a) => {
      detachCharacter(core.project(a.projectId), a.name, a.shotIds);
      return ok;
    },
    'character.addReference': async (a) => {
      const library = core.library();
      const entry = adoptCharacter(library, null, a.name, true);
      const source = a.path ? { path: resolve(a.path) } : { fileName: a.fileName!, bytes: Buffer.from(a.dataBase64!, 'base64') };
      return library.addReference(entry.id, source, a.weight);
    },
    'character.removeReference': (a) => core.library().removeReference(a.name, a.ref),

    'template.list': () => core.library().templates(),
    'template.get': (a) => core.library().template(a.template),
    'template.create': (a) => core.library().createTemplate(a.template),
    'template.update': (a) => core.library().updateTemplate(a.template, a.patch),
    'template.delete': (a) => {
      core.library().deleteTemplate(a.template);
      return ok;
    },
    'template.import': (a) => {
      let text = a.text;
      let fileName = a.fileName ?? 'template.json';
      if (a.path) {
        const path = resolve(a.path);
        fileName = basename(path);
        let size: number;
        try {
          size = statSync(path).size;
        } catch {
          throw new AppError('not_found', `The template file ${path} does not exist or cannot be read.`, 'Check the path and try again.');
        }
        if (size > MAX_TEMPLATE_FILE_BYTES) throw new AppError('invalid_template_file', `${fileName} is ${(size / 2 ** 20).toFixed(1)} MiB; a template file is far smaller.`, 'Pick a file made with Export template.');
        text = readFileSync(path, 'utf8');
      }
      return core.library().importTemplate(text ?? '', fileName, a.onConflict);
    },
    'template.export': (a) => {
      const json = core.library().exportTemplate(a.template);
      if (!a.outPath) return { json, path: null };
      const path = resolve(a.outPath);
      writeTextAtomic(path, json);
      return { json, path };
    },

    'project.setDefaultTemplate': (a) => {
      const t = a.template === null ? null : core.library().template(a.template);
      setDefaultTemplate(core.project(a.projectId), t?.id ?? null, t?.name);
      return ok;
    },
    'shot.setTemplate': (a) => {
      const t = a.template === null ? null : core.library().template(a.template);
      setShotTemplate(core.project(a.projectId), a.shotIds, t?.id ?? null, t?.name);
      return ok;
    },
    'shot.setPrompt': (a) => {
      setShotPrompt(core.project(a.projectId), a.shotIds, { pinned: a.pinned, additions: a.additions });
      return ok;
    },
    'shot.setSeed': (a) => {
      setShotSeed(core.project(a.projectId), a.shotIds, a.seed, a.locked);
      return ok;
    },
    'scene.setSeed': (a) => {
      setSceneSeed(core.project(a.projectId), a.sceneId, a.seed, a.locked);
      return ok;
    },
    'prompt.compose': (a) => createJobPromptComposer(core.project(a.projectId), core.library()).compose(a.shotId, { family: a.family, additions: a.additions }),
  };
}

/** The project's spelling of a character's name (the script's), else the library's. */
function projectSpellingOrName(store: ProjectStore, name: string, libraryName: string): string {
  return projectCharacterRows(store).find((r) => nameKey(r.name) === nameKey(name))?.name ?? libraryName;
}
