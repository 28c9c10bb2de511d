/**
 * The project's side of consistency (project migration 0004-consistency): the default style template, a shot's own
 * template, pinned prompt, prompt additions and seed lock, a scene's seed lock, and the project's overrides of
 * library characters. Every edit here is one undoable step through `ProjectStore.edit`.
 *
 * Characters: the project's `character` rows hold the script's names (and names given to shots by hand); they link
 * to the library BY NAME, compared without case (library/names.ts). A row's `override` column holds this project's
 * version of the library character as a JSON `CharacterOverride`.
 */
import {
  CharacterOverride,
  type CharacterView,
  type LibraryCharacter,
  type ProjectSettings,
  type ProjectSnapshot,
} from '../../../src-preload/model';
import { AppError, notFound } from '../errors';
import { newId } from '../ids';
import type { Row } from '../store/journal';
import { describeShots, type ProjectStore } from '../store/ProjectStore';
import { DEFAULT_REFERENCE_WEIGHT, type LibraryStore } from './LibraryStore';
import { displayName, nameKey } from './names';
import type { ComposeCharacter } from '../prompt/compose';
import { MAX_SEED, randomSeed } from '../prompt/seeds';

/** A shot's consistency fields (columns of migration 0004). */
export interface ShotConsistency {
  templateId: string | null;
  pinnedPrompt: string | null;
  promptAdditions: string;
  seed: number | null;
  seedLocked: boolean;
}

/** A scene's seed lock. */
export interface SceneSeed {
  seed: number | null;
  seedLocked: boolean;
}

/** One row of the project's `character` table with its override parsed. */
export interface ProjectCharacterRow {
  id: string;
  name: string;
  fromScript: boolean;
  override: CharacterOverride | null;
}

function shotConsistencyFromRow(r: Row): ShotConsistency {
  return {
    templateId: (r.template_id as string | null) ?? null,
    pinnedPrompt: (r.pinned_prompt as string | null) ?? null,
    promptAdditions: (r.prompt_additions as string | null) ?? '',
    seed: (r.seed as number | null) ?? null,
    seedLocked: r.seed_locked === 1,
  };
}

/** The consistency fields of one shot. @throws AppError `not_found`. */
export function shotConsistency(store: ProjectStore, shotId: string): ShotConsistency {
  const r = store.db.prepare('SELECT template_id, pinned_prompt, prompt_additions, seed, seed_locked FROM shot WHERE id = ?').get(shotId) as Row | undefined;
  if (!r) throw notFound('shot', shotId);
  return shotConsistencyFromRow(r);
}

/** The consistency fields of every shot, by shot id. */
export function allShotConsistency(store: ProjectStore): Map<string, ShotConsistency> {
  const rows = store.db.prepare('SELECT id, template_id, pinned_prompt, prompt_additions, seed, seed_locked FROM shot').all() as Row[];
  return new Map(rows.map((r) => [r.id as string, shotConsistencyFromRow(r)]));
}

/** Every scene's seed lock, by scene id. */
export function sceneSeeds(store: ProjectStore): Map<string, SceneSeed> {
  const rows = store.db.prepare('SELECT id, seed, seed_locked FROM scene').all() as Row[];
  return new Map(rows.map((r) => [r.id as string, { seed: (r.seed as number | null) ?? null, seedLocked: r.seed_locked === 1 }]));
}

/** The project's default style template id, or null. */
export function defaultTemplateId(store: ProjectStore): string | null {
  const r = store.db.prepare('SELECT default_template_id FROM project WHERE id = 1').get() as { default_template_id: string | null };
  return r.default_template_id ?? null;
}

/** The project settings with `defaultTemplateId` (left out when the project has none). */
export function projectSettings(store: ProjectStore): ProjectSettings {
  return withTemplateId(store.settings(), defaultTemplateId(store));
}

function withTemplateId(settings: ProjectSettings, templateId: string | null): ProjectSettings {
  const { defaultTemplateId: _old, ...rest } = settings;
  void _old;
  return templateId ? { ...rest, defaultTemplateId: templateId } : rest;
}

/**
 * A project snapshot with the consistency fields filled in: every shot's `templateId`, `pinnedPrompt`,
 * `promptAdditions`, `seed`, `seedLocked`, every scene's `seed`, `seedLocked`, and `settings.defaultTemplateId` (left
 * out when the project has no default template). Takes in the project's trash are left out.
 */
export function withConsistency(store: ProjectStore, snapshot: ProjectSnapshot): ProjectSnapshot {
  const shots = allShotConsistency(store);
  const scenes = sceneSeeds(store);
  return {
    ...snapshot,
    // Takes in the project's trash are left out (take.trash.list lists them).
    takes: snapshot.takes.filter((t) => !t.trashedAt),
    settings: withTemplateId(snapshot.settings, defaultTemplateId(store)),
    scenes: snapshot.scenes.map((sc) => ({
      ...sc,
      ...(scenes.get(sc.id) ?? { seed: null, seedLocked: false }),
      shots: sc.shots.map((s) => ({ ...s, ...(shots.get(s.id) ?? { templateId: null, pinnedPrompt: null, promptAdditions: '', seed: null, seedLocked: false }) })),
    })),
  };
}

/**
 * project.updateSettings with `defaultTemplateId` too: one undoable step. The template id is not checked here
 * (the handler checks it against the library).
 */
export function updateProjectSettings(store: ProjectStore, patch: Partial<ProjectSettings>, opts: { retimeShots?: boolean } = {}): ProjectSettings {
  const { defaultTemplateId: templateId, ...rest } = patch;
  store.updateSettings(rest, { retimeShots: opts.retimeShots, extraColumns: templateId !== undefined ? { default_template_id: templateId } : undefined });
  return projectSettings(store);
}

// ---- templates, prompts and seeds of shots and scenes ----------------------------------------------------

/** Sets (or with null clears) the project's default style template. Undoable. */
export function setDefaultTemplate(store: ProjectStore, templateId: string | null, templateName?: string): void {
  store.edit(templateId ? `Use template ${templateName ?? templateId} for the project` : 'Clear the project template', (tx) => tx.update('project', 1, { default_template_id: templateId }));
}

/** Sets (or with null clears) the style template of shots, overriding the project's default. One undoable step. */
export function setShotTemplate(store: ProjectStore, shotIds: readonly string[], templateId: string | null, templateName?: string): void {
  const shots = shotIds.map((id) => store.shot(id));
  const label = templateId ? `Use template ${templateName ?? templateId} for ${describeShots(shots)}` : `Use the project template for ${describeShots(shots)}`;
  store.edit(label, (tx) => {
    for (const s of shots) tx.update('shot', s.id, { template_id: templateId });
  });
}

/**
 * Pins a hand-written prompt to shots (null unpins: the composition is used again), and/or sets the artist's
 * additions to the composed prompt. One undoable step.
 * @throws AppError `invalid_prompt` when neither is given.
 */
export function setShotPrompt(store: ProjectStore, shotIds: readonly string[], change: { pinned?: string | null; additions?: string }): void {
  if (change.pinned === undefined && change.additions === undefined) {
    throw new AppError('invalid_prompt', 'shot.setPrompt needs `pinned` (a prompt, or null to unpin) or `additions`.', 'Give at least one of them.');
  }
  const shots = shotIds.map((id) => store.shot(id));
  const cols: Row = {};
  if (change.pinned !== undefined) cols.pinned_prompt = change.pinned === null || change.pinned.trim() === '' ? null : change.pinned;
  if (change.additions !== undefined) cols.prompt_additions = change.additions;
  const what = change.pinned === undefined ? 'Edit prompt additions of' : cols.pinned_prompt === null ? 'Unpin the prompt of' : 'Pin a prompt to';
  store.edit(`${what} ${describeShots(shots)}`, (tx) => {
    for (const s of shots) tx.update('shot', s.id, cols);
  });
}

/**
 * Sets the seed lock of shots. `seed` undefined keeps the shot's seed, or when locking a shot without one takes
 * the seed of its selected take (from the take's `meta.seed`, so the take the artist likes is what stays), else a
 * random one. `seed: null` clears it (only with `locked: false`). One undoable step.
 * @throws AppError `invalid_seed`.
 */
export function setShotSeed(store: ProjectStore, shotIds: readonly string[], seed: number | null | undefined, locked: boolean): void {
  checkSeed(seed, locked);
  const shots = shotIds.map((id) => store.shot(id));
  const current = allShotConsistency(store);
  store.edit(`${locked ? 'Lock the seed of' : seed === null ? 'Clear the seed of' : 'Unlock the seed of'} ${describeShots(shots)}`, (tx) => {
    for (const s of shots) {
      let next = seed === undefined ? (current.get(s.id)?.seed ?? null) : seed;
      if (next === null && locked) next = selectedTakeSeed(store, s.selectedTakeId) ?? randomSeed();
      tx.update('shot', s.id, { seed: next, seed_locked: locked ? 1 : 0 });
    }
  });
}

/** Sets a scene's seed lock (`seed` as in setShotSeed; a scene without one gets a random seed when locked). Undoable. */
export function setSceneSeed(store: ProjectStore, sceneId: string, seed: number | null | undefined, locked: boolean): void {
  checkSeed(seed, locked);
  const scene = store.scene(sceneId);
  const current = sceneSeeds(store).get(sceneId)?.seed ?? null;
  let next = seed === undefined ? current : seed;
  if (next === null && locked) next = randomSeed();
  store.edit(`${locked ? 'Lock the seed of' : seed === null ? 'Clear the seed of' : 'Unlock the seed of'} scene ${scene.number}`, (tx) =>
    tx.update('scene', sceneId, { seed: next, seed_locked: locked ? 1 : 0 }),
  );
}

function checkSeed(seed: number | null | undefined, locked: boolean): void {
  if (seed === null && locked) throw new AppError('invalid_seed', 'A locked seed needs a value: give a seed, or leave it out to keep (or pick) one.', 'Send seed: null only with locked: false.');
  if (typeof seed === 'number' && !(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) {
    throw new AppError('invalid_seed', `A seed is a whole number from 0 to ${MAX_SEED}, not ${seed}.`, 'Give another seed.');
  }
}

function selectedTakeSeed(store: ProjectStore, takeId: string | null): number | null {
  if (!takeId) return null;
  const seed = store.take(takeId).meta.seed;
  return typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED ? seed : null;
}

// ---- characters ----------------------------------------------------------------------------------------

/** The project's character rows, overrides parsed (a damaged override reads as none). */
export function projectCharacterRows(store: ProjectStore): ProjectCharacterRow[] {
  return (store.db.prepare('SELECT id, name, from_script, override FROM character ORDER BY name').all() as Row[]).map((r) => {
    let override: CharacterOverride | null = null;
    if (typeof r.override === 'string') {
      try {
        const parsed = CharacterOverride.safeParse(JSON.parse(r.override));
        if (parsed.success) override = parsed.data;
      } catch {
        override = null;
      }
    }
    return { id: r.id as string, name: r.name as string, fromScript: r.from_script === 1, override };
  });
}

/** The override of a character in this project (by name, without case), or null. */
export function characterOverride(store: ProjectStore, name: string): CharacterOverride | null {
  const key = nameKey(name);
  return projectCharacterRows(store).find((r) => nameKey(r.name) === key && r.override)?.override ?? null;
}

/** The name a shot should carry for a character: the project's spelling when it has one (the script's), else `fallback`. */
function projectSpelling(store: ProjectStore, name: string, fallback: string): string {
  const key = nameKey(name);
  return projectCharacterRows(store).find((r) => nameKey(r.name) === key)?.name ?? fallback.trim().replace(/\s+/g, ' ');
}

/**
 * Replaces (null clears) the project's override of a character, creating the project's row for a name it does not
 * have yet. One undoable step.
 * @throws AppError `invalid_override`.
 */
export function setCharacterOverride(store: ProjectStore, name: string, override: CharacterOverride | null): void {
  let value: CharacterOverride | null = null;
  if (override !== null) {
    const parsed = CharacterOverride.safeParse(override);
    if (!parsed.success) throw new AppError('invalid_override', `Invalid override of ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`, 'Fix the named field.');
    value = Object.keys(parsed.data).length ? parsed.data : null;
  }
  const key = nameKey(name);
  const rows = projectCharacterRows(store).filter((r) => nameKey(r.name) === key);
  store.edit(value ? `Change ${displayName(name)} in this project` : `Use the library's ${displayName(name)} in this project`, (tx) => {
    if (rows.length === 0) {
      if (value) tx.insert('character', { id: newId('chr'), name: name.trim().replace(/\s+/g, ' '), description: '', from_script: 0, override: JSON.stringify(value) });
      return;
    }
    rows.forEach((r, i) => tx.update('character', r.id, { override: i === 0 && value ? JSON.stringify(value) : null }));
  });
}

/** Shots of the project with a character (by name, without case), in timeline order. */
export function shotsUsing(store: ProjectStore, name: string): Array<{ shotId: string; number: string }> {
  const key = nameKey(name);
  return store
    .shots()
    .filter((s) => s.characters.some((c) => nameKey(c) === key))
    .map((s) => ({ shotId: s.id, number: s.number }));
}

/**
 * Gives shots a character by hand (shots that have it already are left alone). The shot carries the project's
 * spelling of the name (else `libraryName`, the library's, else `name` as given); a name the project does not have
 * yet gets a character row. One undoable step.
 */
export function attachCharacter(store: ProjectStore, name: string, shotIds: readonly string[], libraryName?: string): void {
  const key = nameKey(name);
  if (!key) throw new AppError('invalid_character', 'A character needs a name.', 'Give the name of a character.');
  const spelling = projectSpelling(store, name, libraryName ?? name);
  const shots = shotIds.map((id) => store.shot(id));
  const hasRow = projectCharacterRows(store).some((r) => nameKey(r.name) === key);
  store.edit(`Add ${displayName(spelling)} to ${describeShots(shots)}`, (tx) => {
    if (!hasRow) tx.insert('character', { id: newId('chr'), name: spelling, description: '', from_script: 0, override: null });
    for (const s of shots) {
      if (s.characters.some((c) => nameKey(c) === key)) continue;
      tx.update('shot', s.id, { characters: JSON.stringify([...s.characters, spelling]) });
    }
  });
}

/** Takes a character off shots (by name, without case). One undoable step. */
export function detachCharacter(store: ProjectStore, name: string, shotIds: readonly string[]): void {
  const key = nameKey(name);
  const shots = shotIds.map((id) => store.shot(id));
  store.edit(`Remove ${displayName(name)} from ${describeShots(shots)}`, (tx) => {
    for (const s of shots) {
      const kept = s.characters.filter((c) => nameKey(c) !== key);
      if (kept.length !== s.characters.length) tx.update('shot', s.id, { characters: JSON.stringify(kept) });
    }
  });
}

/**
 * Removes a character from the project: off every shot, its override cleared, and its row deleted unless the script
 * names it. One undoable step. Returns how many shots lost it.
 */
export function removeCharacterFromProject(store: ProjectStore, name: string): number {
  const key = nameKey(name);
  const shots = store.shots().filter((s) => s.characters.some((c) => nameKey(c) === key));
  const rows = projectCharacterRows(store).filter((r) => nameKey(r.name) === key);
  store.edit(`Delete character ${displayName(name)}`, (tx) => {
    for (const s of shots) tx.update('shot', s.id, { characters: JSON.stringify(s.characters.filter((c) => nameKey(c) !== key)) });
    for (const r of rows) {
      if (r.fromScript) tx.update('character', r.id, { override: null });
      else tx.delete('character', r.id);
    }
  });
  return shots.length;
}

/** The resolved fields of a character: the library entry (if any) with the override (if any) applied. */
export function resolveCharacter(lib: LibraryCharacter | null, override: CharacterOverride | null) {
  const o = override ?? {};
  return {
    description: o.description ?? lib?.description ?? '',
    lora: o.lora !== undefined ? o.lora : (lib?.lora ?? null),
    triggerWords: o.triggerWords ?? lib?.triggerWords ?? [],
    referenceWeight: o.referenceWeight ?? lib?.referenceWeight ?? DEFAULT_REFERENCE_WEIGHT,
    referenceImages: lib?.referenceImages ?? [],
  };
}

/**
 * The Character view's list: with a project, its characters (script names and names given by hand) merged with
 * the library by name, then the library's other characters; without a project, the library. Each resolved with
 * the project's override, with the shots that use it.
 */
export function characterViews(library: LibraryStore, store: ProjectStore | null): CharacterView[] {
  const libs = library.characters();
  const libByKey = new Map(libs.map((c) => [nameKey(c.name), c]));
  const rows = store ? projectCharacterRows(store) : [];
  const shotsByKey = new Map<string, Array<{ shotId: string; number: string }>>();
  for (const s of store ? store.shots() : []) {
    for (const key of new Set(s.characters.map(nameKey))) {
      let list = shotsByKey.get(key);
      if (!list) shotsByKey.set(key, (list = []));
      list.push({ shotId: s.id, number: s.number });
    }
  }
  const keys: string[] = [];
  const names = new Map<string, string>();
  for (const r of rows) {
    const k = nameKey(r.name);
    if (!names.has(k)) {
      keys.push(k);
      names.set(k, r.name);
    }
  }
  for (const c of libs) {
    const k = nameKey(c.name);
    if (!names.has(k)) {
      keys.push(k);
      names.set(k, c.name);
    }
  }
  return keys.map((k) => {
    const lib = libByKey.get(k) ?? null;
    const mine = rows.filter((r) => nameKey(r.name) === k);
    const override = mine.find((r) => r.override)?.override ?? null;
    return {
      name: lib?.name ?? names.get(k)!,
      libraryId: lib?.id ?? null,
      fromScript: mine.some((r) => r.fromScript),
      ...resolveCharacter(lib, override),
      override,
      shots: shotsByKey.get(k) ?? [],
    };
  });
}

/** One character's view (by name, without case). @throws AppError `not_found` when neither the project nor the library has it. */
export function characterView(library: LibraryStore, store: ProjectStore | null, name: string): CharacterView {
  const key = nameKey(name);
  const view = characterViews(library, store).find((v) => nameKey(v.name) === key);
  if (!view) throw new AppError('not_found', `There is no character "${name}"${store ? ' in this project or' : ' in'} the library.`, 'List them with character.list (storycanvas characters list).');
  return view;
}

/** Characters as composition needs them (resolved, reference pictures as absolute paths). */
export function composeCharacters(library: LibraryStore, store: ProjectStore | null): ComposeCharacter[] {
  return characterViews(library, store).map((v) => ({
    name: v.name,
    description: v.description,
    triggerWords: v.triggerWords,
    lora: v.lora,
    referenceWeight: v.referenceWeight,
    referenceImages: v.referenceImages.map((r) => ({ path: library.absolutePath(r.path), weight: r.weight })),
  }));
}
