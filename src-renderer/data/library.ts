/**
 * The character and style template library, and the composed prompt of a shot, through react-query:
 * `['characters', projectId]` holds `character.list` (the project's script characters merged with the library),
 * `['templates']` holds `template.list`, `['prompt', projectId, shotId, revision, additions]` holds
 * `prompt.compose`, `['openProjects']` holds `project.list` (to show template thumbnails of open projects).
 *
 * Kept live by events, never by polling: `library.changed` refetches characters, templates and prompts (the
 * library is shared by every project and window); `project.changed` refetches the project's characters (their
 * shots and overrides); a prompt's key carries the project's revision, so any edit of the project recomposes it.
 */
import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { MethodResult } from '../../src-preload/contract';
import type { CharacterInput, CharacterPatch, CharacterView, LibraryCharacter, StyleTemplate, TemplateInput, TemplatePatch } from '../../src-preload/model';
import { useBridge, type Bridge } from '../bridge';
import { errorInfo } from '../lib/errors';
import { fileToBase64 } from '../lib/fileData';
import { useUi } from '../state/ui';
import { projectKey, toastError } from './project';

/** The react-query key of the characters as a project sees them (library merged with its script). */
export const charactersKey = (projectId: string) => ['characters', projectId] as const;
/** The react-query key of the style templates (shared by every project). */
export const TEMPLATES_KEY = ['templates'] as const;
/** The react-query key prefix of composed prompts of a project. */
export const promptKeyPrefix = (projectId: string) => ['prompt', projectId] as const;
/** The react-query key of the projects open in this core. */
export const OPEN_PROJECTS_KEY = ['openProjects'] as const;

/** The characters of a project: its script's, merged with the library (overrides applied), then the library's others. */
export function useCharacters(projectId: string) {
  const bridge = useBridge();
  return useQuery({ queryKey: charactersKey(projectId), queryFn: () => bridge.call('character.list', { projectId }), staleTime: Infinity });
}

/** The style templates of the library, by name, with use counts and latest takes. */
export function useTemplates() {
  const bridge = useBridge();
  return useQuery({ queryKey: TEMPLATES_KEY, queryFn: () => bridge.call('template.list', {}), staleTime: Infinity });
}

/** The projects open in this core (template thumbnails are takes of any of them). */
export function useOpenProjects() {
  const bridge = useBridge();
  return useQuery({ queryKey: OPEN_PROJECTS_KEY, queryFn: () => bridge.call('project.list', {}), staleTime: 30_000 });
}

/**
 * The composed prompt of a shot (`prompt.compose`), refetched when the project's `revision` changes, when the
 * library changes, or for live `additions` the artist is still typing (undefined: the shot's saved additions).
 * The previous composition stays shown while the next one is fetched, so typing does not flicker.
 */
export function useComposedPrompt(projectId: string, shotId: string | null, revision: number, additions?: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: [...promptKeyPrefix(projectId), shotId, revision, additions ?? null] as const,
    queryFn: () => bridge.call('prompt.compose', { projectId, shotId: shotId!, ...(additions !== undefined ? { additions } : {}) }),
    enabled: shotId !== null,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/**
 * Follows the library's events for the views of one project: `library.changed` refetches characters, templates
 * and composed prompts; `project.changed` refetches the project's characters (shots attached, overrides).
 * Mount it in every view that shows library data (several mounts are harmless: refetches are deduplicated).
 */
export function useLibraryEvents(projectId: string): void {
  const bridge = useBridge();
  const qc = useQueryClient();
  useEffect(() => {
    const offs = [
      bridge.on('library.changed', () => invalidateLibrary(qc, projectId)),
      bridge.on('project.changed', (p) => {
        if (p.projectId === projectId) void qc.invalidateQueries({ queryKey: charactersKey(projectId) });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge, qc, projectId]);
}

/** Refetches everything the library feeds: characters, templates and composed prompts of the project. */
export function invalidateLibrary(qc: QueryClient, projectId: string): void {
  void qc.invalidateQueries({ queryKey: charactersKey(projectId) });
  void qc.invalidateQueries({ queryKey: TEMPLATES_KEY });
  void qc.invalidateQueries({ queryKey: promptKeyPrefix(projectId) });
}

/** Where a character edit goes: the library (every project) or this project only (an override, undoable). */
export type CharacterScope = 'library' | 'project';

/** What deleting a character answered: done, or in use (the shots listed by the core's message). */
export type CharacterDeleteResult =
  | { kind: 'deleted'; deletedFromLibrary: boolean; shotsChanged: number }
  | { kind: 'in-use'; message: string; hint: string | null };

/** What importing a template file answered: imported, or its name is taken (ask to rename or replace). */
export type TemplateImportResult = { kind: 'imported'; template: StyleTemplate } | { kind: 'name-taken'; message: string };

/**
 * The edits of the Character view, the Template view and the inspector's Prompt section. Editors' own calls
 * (create, update, import) reject with the core's error, which the form shows inline; quick edits (attach, seed,
 * pin) show a toast instead and resolve false.
 */
export interface LibraryActions {
  createCharacter(character: CharacterInput): Promise<LibraryCharacter>;
  updateCharacter(name: string, patch: CharacterPatch, scope: CharacterScope): Promise<CharacterView>;
  clearOverride(name: string): Promise<CharacterView>;
  /** Deletes without force first; `force` takes the character off the shots that use it. */
  deleteCharacter(name: string, force: boolean): Promise<CharacterDeleteResult>;
  attach(name: string, shotIds: string[]): Promise<boolean>;
  detach(name: string, shotIds: string[]): Promise<boolean>;
  /** Adds a picture (by path in Electron, by value in the browser); weight 0..1. */
  addReference(name: string, file: File, weight: number): Promise<LibraryCharacter>;
  removeReference(name: string, contentHash: string): Promise<boolean>;

  createTemplate(template: TemplateInput): Promise<StyleTemplate>;
  updateTemplate(templateId: string, patch: TemplatePatch): Promise<StyleTemplate>;
  deleteTemplate(templateId: string): Promise<boolean>;
  /** Imports a template file's text; a taken name answers `name-taken` unless `onConflict` says what to do. */
  importTemplate(text: string, fileName: string, onConflict?: 'error' | 'rename' | 'replace'): Promise<TemplateImportResult>;
  /** The template as file text (`{"storycanvas":"template","version":1,…}`). */
  exportTemplate(templateId: string): Promise<string>;
  setDefaultTemplate(templateId: string | null): Promise<boolean>;

  setShotTemplate(shotIds: string[], templateId: string | null): Promise<boolean>;
  /** Pins a prompt (null unpins) and/or sets additions. */
  setShotPrompt(shotIds: string[], change: { pinned?: string | null; additions?: string }): Promise<boolean>;
  /** Locks or unlocks shots' seed (seed undefined: keep the shot's, or take its selected take's). */
  setShotSeed(shotIds: string[], locked: boolean, seed?: number | null): Promise<boolean>;
  setSceneSeed(sceneId: string, locked: boolean, seed?: number | null): Promise<boolean>;
}

/** The library actions of one project over a bridge and a query client (useLibraryActions memoizes it). */
export function createLibraryActions(bridge: Bridge, qc: QueryClient, projectId: string): LibraryActions {
  const refreshLibrary = () => invalidateLibrary(qc, projectId);
  const refreshProject = () => {
    void qc.invalidateQueries({ queryKey: projectKey(projectId) });
    refreshLibrary();
  };
  /** A quick edit: true when done; a toast and false when the core refused. */
  const quick = async (what: string, run: () => Promise<unknown>, after: () => void = refreshProject): Promise<boolean> => {
    try {
      await run();
      after();
      return true;
    } catch (err) {
      toastError(err, what);
      after();
      return false;
    }
  };
  const putTemplate = (t: StyleTemplate) => {
    qc.setQueryData<StyleTemplate[]>(TEMPLATES_KEY, (list) => (list ? upsertTemplate(list, t) : list));
    return t;
  };

  return {
    async createCharacter(character) {
      const c = await bridge.call('character.create', { character });
      refreshLibrary();
      return c;
    },
    async updateCharacter(name, patch, scope) {
      const v = await bridge.call('character.update', { name, patch, projectId, scope });
      refreshLibrary();
      return v;
    },
    async clearOverride(name) {
      const v = await bridge.call('character.clearOverride', { projectId, name });
      refreshLibrary();
      return v;
    },
    async deleteCharacter(name, force) {
      try {
        const r = await bridge.call('character.delete', { name, projectId, force });
        refreshProject();
        return { kind: 'deleted', ...r };
      } catch (err) {
        const info = errorInfo(err);
        if (info.code === 'character_in_use') return { kind: 'in-use', message: info.message, hint: info.hint };
        throw err;
      }
    },
    attach: (name, shotIds) => quick(`Could not add ${name} to the shots`, () => bridge.call('character.attach', { projectId, name, shotIds })),
    detach: (name, shotIds) => quick(`Could not take ${name} off the shots`, () => bridge.call('character.detach', { projectId, name, shotIds })),
    async addReference(name, file, weight) {
      const path = bridge.pathForFile(file);
      const c = path
        ? await bridge.call('character.addReference', { name, path, weight })
        : await bridge.call('character.addReference', { name, fileName: file.name, dataBase64: await fileToBase64(file), weight });
      refreshLibrary();
      return c;
    },
    removeReference: (name, contentHash) =>
      quick(`Could not remove the picture of ${name}`, () => bridge.call('character.removeReference', { name, ref: contentHash }), refreshLibrary),

    async createTemplate(template) {
      const t = putTemplate(await bridge.call('template.create', { template }));
      refreshLibrary();
      return t;
    },
    async updateTemplate(templateId, patch) {
      const t = putTemplate(await bridge.call('template.update', { template: templateId, patch }));
      refreshLibrary();
      return t;
    },
    deleteTemplate: (templateId) =>
      quick('Could not delete the template', async () => {
        await bridge.call('template.delete', { template: templateId });
        qc.setQueryData<StyleTemplate[]>(TEMPLATES_KEY, (list) => list?.filter((t) => t.id !== templateId));
      }),
    async importTemplate(text, fileName, onConflict = 'error') {
      try {
        const t = putTemplate(await bridge.call('template.import', { text, fileName, onConflict }));
        refreshLibrary();
        return { kind: 'imported', template: t };
      } catch (err) {
        const info = errorInfo(err);
        if (info.code === 'template_exists') return { kind: 'name-taken', message: info.message };
        throw err;
      }
    },
    async exportTemplate(templateId) {
      return (await bridge.call('template.export', { template: templateId })).json;
    },
    setDefaultTemplate: (templateId) =>
      quick('Could not set the project\'s style template', () => bridge.call('project.setDefaultTemplate', { projectId, template: templateId })),

    setShotTemplate: (shotIds, templateId) =>
      quick('Could not set the shot\'s style template', () => bridge.call('shot.setTemplate', { projectId, shotIds, template: templateId })),
    setShotPrompt: (shotIds, change) =>
      quick(change.pinned !== undefined ? (change.pinned === null ? 'Could not unpin the prompt' : 'Could not pin the prompt') : 'Could not save the additions', () =>
        bridge.call('shot.setPrompt', { projectId, shotIds, ...change }),
      ),
    setShotSeed: (shotIds, locked, seed) =>
      quick(locked ? 'Could not lock the seed' : 'Could not unlock the seed', () => bridge.call('shot.setSeed', { projectId, shotIds, locked, ...(seed !== undefined ? { seed } : {}) })),
    setSceneSeed: (sceneId, locked, seed) =>
      quick(locked ? 'Could not lock the scene\'s seed' : 'Could not unlock the scene\'s seed', () =>
        bridge.call('scene.setSeed', { projectId, sceneId, locked, ...(seed !== undefined ? { seed } : {}) }),
      ),
  };
}

/** The library actions of one project, stable across renders. */
export function useLibraryActions(projectId: string): LibraryActions {
  const bridge = useBridge();
  const qc = useQueryClient();
  return useMemo(() => createLibraryActions(bridge, qc, projectId), [bridge, qc, projectId]);
}

/** A list of templates with one replaced (by id) or added, kept in name order as template.list gives it. */
export function upsertTemplate(list: readonly StyleTemplate[], t: StyleTemplate): StyleTemplate[] {
  const next = list.filter((x) => x.id !== t.id);
  next.push(t);
  return next.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** Shows a short success toast (the library views confirm saves this way). */
export function toastDone(message: string): void {
  useUi.getState().toast({ kind: 'success', message, timeoutMs: 3000 });
}

/** The composition `prompt.compose` returns. */
export type Composition = MethodResult<'prompt.compose'>;
