/**
 * The app's library: characters and style templates shared by every project, in `<configDir>/library.db`, with
 * characters' reference pictures in `<configDir>/library/refs/<sha256>.<ext>`.
 *
 * The database is opened like a project (see store/database.ts, after Signal Desktop's ts/sql): WAL journal,
 * `synchronous=FULL`, `foreign_keys=ON`, STRICT tables, numbered migrations `migrations/NNNN-name.sql` recorded in
 * `PRAGMA user_version`, and a clear refusal when a newer StoryCanvas wrote it. Records are validated with the zod
 * schemas of src-preload/model.ts on the way in (clear `invalid_*` errors) and on the way out (`corrupt_library`).
 *
 * Library edits are not undoable (the undo journal is per project); each is one transaction and durable when the
 * call returns. `onChange` is called after every change so the core can emit `library.changed`.
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, fsyncSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  CharacterInput,
  CharacterPatch,
  LibraryCharacter,
  ReferenceImage,
  StyleTemplate,
  TemplateInput,
  TemplatePatch,
  type TemplateThumbnail,
} from '../../../src-preload/model';
import { AppError } from '../errors';
import { newId } from '../ids';
import { MediaError } from '../media/MediaError';
import { probeImage } from '../media/probe';
import { EXTENSION_BY_FORMAT, sniffMediaType } from '../media/sniff';
import { nameKey } from './names';
import { parseTemplateFile, templateFileText } from './templateFile';

type Db = Database.Database;
type Row = Record<string, unknown>;

/** The library database's file name inside the config folder. */
export const LIBRARY_DB_FILE = 'library.db';
/** The folder of reference pictures, relative to `<configDir>/library`. */
export const REFS_DIR = 'refs';
/** Reference pictures a character may have. */
export const MAX_REFERENCE_IMAGES = 16;
/** The largest reference picture read, in bytes. */
export const MAX_REFERENCE_BYTES = 64 * 1024 * 1024;
/** Thumbnails (latest takes) a template keeps. */
export const MAX_TEMPLATE_THUMBNAILS = 8;
/** A new character's reference weight when none is given. */
export const DEFAULT_REFERENCE_WEIGHT = 0.6;

/** What changed in the library (the payload of the `library.changed` event). */
export interface LibraryChange {
  kind: 'character' | 'template';
  /** The record's id, or null when several changed. */
  id: string | null;
  action: 'created' | 'updated' | 'deleted';
}

/** How an imported template whose name is taken is handled: refused, imported as `Name (2)`, or replacing the old one. */
export type ImportConflict = 'error' | 'rename' | 'replace';

/** A reference picture to add: a file on the machine that runs the core, or its bytes (web mode upload). */
export type ReferenceSource = { path: string } | { fileName: string; bytes: Buffer };

interface LibraryMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Finds the library migrations: beside this module in the sources (tsx, tests), or copied beside the bundle as
 * `library-migrations/` (the project store's own are in `migrations/` there, so each folder is checked by its
 * first file's header).
 */
function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'migrations'), join(here, 'library', 'migrations'), join(here, 'library-migrations'), join(here, '..', 'library-migrations')];
  const found = candidates.find((d) => {
    const first = join(d, '0001-init.sql');
    return existsSync(first) && readFileSync(first, 'utf8').includes('StoryCanvas library schema');
  });
  if (!found) throw new Error(`library schema migrations not found next to ${here}; the build is incomplete (copy src-main/core/library/migrations to library-migrations/ beside the bundle)`);
  return found;
}

let cachedMigrations: LibraryMigration[] | null = null;

/** Every library migration, by version; numbered from 1 without gaps. */
export function loadLibraryMigrations(): LibraryMigration[] {
  if (cachedMigrations) return cachedMigrations;
  const dir = migrationsDir();
  const list = readdirSync(dir)
    .filter((f) => /^\d{4}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: readFileSync(join(dir, f), 'utf8') }));
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`library migration ${m.version} out of sequence (expected ${i + 1})`);
  });
  cachedMigrations = list;
  return list;
}

/**
 * The character and style template library of one config folder. Open it once per core (`Core.library()`); a
 * second process (the CLI) may open the same file at the same time: SQLite's WAL and a 5 s busy timeout serialise
 * their writes.
 */
export class LibraryStore {
  /** Called after every committed change. */
  onChange: (change: LibraryChange) => void = () => {};

  private constructor(
    /** `<configDir>/library`: the folder of reference pictures (`refs/`). */
    readonly dir: string,
    readonly db: Db,
  ) {}

  /**
   * Opens (creating when missing) `<configDir>/library.db` and brings it to the latest schema.
   * @throws AppError `library_too_new` (written by a newer StoryCanvas; the file is not changed), `corrupt_library`,
   *   `cannot_open`.
   */
  static open(configDir: string, migrations: LibraryMigration[] = loadLibraryMigrations()): LibraryStore {
    mkdirSync(configDir, { recursive: true });
    const file = join(configDir, LIBRARY_DB_FILE);
    let db: Db;
    try {
      db = new Database(file);
    } catch (err) {
      throw new AppError('cannot_open', `The library ${file} could not be opened: ${(err as Error).message}.`, 'Check that the settings folder is readable and writable.');
    }
    try {
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      const from = db.pragma('user_version', { simple: true }) as number;
      if (from > migrations.length) {
        throw new AppError(
          'library_too_new',
          `The character and template library ${file} was saved by a newer StoryCanvas (library format ${from}; this app reads up to ${migrations.length}).`,
          'Update StoryCanvas, or point STORYCANVAS_HOME at another settings folder. The library was not changed.',
        );
      }
      // Another process (the CLI beside the app) may migrate at the same moment: the version is read again under
      // the write lock (BEGIN IMMEDIATE waits for it within the busy timeout), so each migration runs once.
      if (from < migrations.length) db.transaction(() => {
        const now = db.pragma('user_version', { simple: true }) as number;
        for (const m of migrations.slice(now)) {
          db.exec(m.sql);
          db.pragma(`user_version = ${m.version}`);
        }
      }).immediate();
    } catch (err) {
      db.close();
      if (err instanceof AppError) throw err;
      throw new AppError('corrupt_library', `The library ${file} cannot be read (${(err as Error).message}).`, `Move ${file} aside to start an empty library.`);
    }
    const dir = join(configDir, 'library');
    mkdirSync(join(dir, REFS_DIR), { recursive: true });
    return new LibraryStore(dir, db);
  }

  /** The schema version of the open library. */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // another process may hold the WAL; closing is still safe
    }
    this.db.close();
  }

  /** The absolute path of a library-relative path (`refs/<sha256>.png`). */
  absolutePath(relPath: string): string {
    return join(this.dir, ...relPath.split('/'));
  }

  // ---- characters ------------------------------------------------------------------------------------

  /** Every character, by name. */
  characters(): LibraryCharacter[] {
    return (this.db.prepare('SELECT * FROM character ORDER BY name_key').all() as Row[]).map(characterFromRow);
  }

  /** The character with this name (compared without case), or null. */
  characterByName(name: string): LibraryCharacter | null {
    const r = this.db.prepare('SELECT * FROM character WHERE name_key = ?').get(nameKey(name)) as Row | undefined;
    return r ? characterFromRow(r) : null;
  }

  /**
   * The character with this id, or else this name.
   * @throws AppError `not_found`.
   */
  character(idOrName: string): LibraryCharacter {
    const r = (this.db.prepare('SELECT * FROM character WHERE id = ?').get(idOrName) as Row | undefined) ?? (this.db.prepare('SELECT * FROM character WHERE name_key = ?').get(nameKey(idOrName)) as Row | undefined);
    if (!r) throw new AppError('not_found', `The library has no character "${idOrName}".`, 'List them with character.list (storycanvas characters list).');
    return characterFromRow(r);
  }

  /**
   * Adds a character. Defaults: description '', no LoRA, no trigger words, reference weight 0.6.
   * @throws AppError `invalid_character` (the message names the field), `character_exists` (the name, without case, is taken).
   */
  createCharacter(input: CharacterInput): LibraryCharacter {
    const c = validate(CharacterInput, input, 'invalid_character', 'character');
    const id = newId('lch');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.refuseTakenName('character', c.name, null);
      this.db
        .prepare(
          `INSERT INTO character (id, name, name_key, description, reference_images, lora, trigger_words, reference_weight, created_at, updated_at)
           VALUES (?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
        )
        .run(id, c.name, nameKey(c.name), c.description ?? '', c.lora ? JSON.stringify(c.lora) : null, JSON.stringify(c.triggerWords ?? []), c.referenceWeight ?? DEFAULT_REFERENCE_WEIGHT, now, now);
    }).immediate();
    this.onChange({ kind: 'character', id, action: 'created' });
    return this.character(id);
  }

  /**
   * Changes a character (by id or name). Characters link to scripts by name: after a rename it matches the new name
   * (compared without case), no longer the old one.
   * @throws AppError `not_found`, `invalid_character`, `character_exists`.
   */
  updateCharacter(idOrName: string, patch: CharacterPatch): LibraryCharacter {
    const p = validate(CharacterPatch, patch, 'invalid_character', 'character');
    const before = this.character(idOrName);
    const cols: Row = {};
    if (p.name !== undefined) Object.assign(cols, { name: p.name, name_key: nameKey(p.name) });
    if (p.description !== undefined) cols.description = p.description;
    if (p.lora !== undefined) cols.lora = p.lora ? JSON.stringify(p.lora) : null;
    if (p.triggerWords !== undefined) cols.trigger_words = JSON.stringify(p.triggerWords);
    if (p.referenceWeight !== undefined) cols.reference_weight = p.referenceWeight;
    if (Object.keys(cols).length === 0) return before;
    this.db.transaction(() => {
      if (p.name !== undefined) this.refuseTakenName('character', p.name, before.id);
      this.updateRow('character', before.id, cols);
    }).immediate();
    this.onChange({ kind: 'character', id: before.id, action: 'updated' });
    return this.character(before.id);
  }

  /**
   * Removes a character; reference pictures no other character uses are removed from `refs/`.
   * (Whether shots use it is the caller's question: see character.delete.)
   * @throws AppError `not_found`.
   */
  deleteCharacter(idOrName: string): LibraryCharacter {
    const c = this.character(idOrName);
    this.db.prepare('DELETE FROM character WHERE id = ?').run(c.id);
    for (const ref of c.referenceImages) this.removeRefFileIfUnused(ref.path);
    this.onChange({ kind: 'character', id: c.id, action: 'deleted' });
    return c;
  }

  /**
   * Copies a picture into `refs/<sha256>.<ext>` (checked first: PNG, JPEG or WebP that decodes; written to a
   * temporary name, fsynced, renamed) and adds it to the character's references. The same picture added again
   * only takes the new weight.
   * @param weight this picture's share of the reference, 0..1 (default 1).
   * @throws AppError `not_found`, `invalid_reference` (not a picture, too large, a weight out of range, too many
   *   pictures), `media.notFound`, `media.corrupt`, `media.tooLarge`.
   */
  async addReference(idOrName: string, source: ReferenceSource, weight = 1): Promise<LibraryCharacter> {
    const c = this.character(idOrName);
    if (!(weight >= 0 && weight <= 1)) throw new AppError('invalid_reference', `A reference weight is between 0 and 1, not ${weight}.`, 'Give a weight such as 0.8.');
    const { bytes, name } = readReference(source);
    const sniffed = sniffMediaType(bytes.subarray(0, 4096));
    if (!sniffed || sniffed.kind !== 'image') {
      throw new AppError('invalid_reference', `${name} is not a PNG, JPEG or WebP picture, so it cannot be a reference of ${c.name}.`, 'Add a still picture of the character (PNG, JPEG or WebP).');
    }
    let probe;
    try {
      probe = await probeImage(bytes, sniffed, name);
    } catch (err) {
      if (err instanceof MediaError) throw new AppError(err.code, err.message, err.hint);
      throw err;
    }
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const relPath = `${REFS_DIR}/${contentHash}.${EXTENSION_BY_FORMAT[sniffed.format]}`;
    writeFileAtomic(this.absolutePath(relPath), bytes);
    const ref: ReferenceImage = { path: relPath, contentHash, originalName: name, widthPx: probe.widthPx, heightPx: probe.heightPx, weight };
    // Read again: the character may have changed while the picture was probed.
    const now = this.character(c.id);
    const refs = now.referenceImages.some((r) => r.contentHash === contentHash)
      ? now.referenceImages.map((r) => (r.contentHash === contentHash ? { ...r, weight } : r))
      : [...now.referenceImages, ref];
    if (refs.length > MAX_REFERENCE_IMAGES) {
      this.removeRefFileIfUnused(relPath);
      throw new AppError('invalid_reference', `${c.name} already has ${MAX_REFERENCE_IMAGES} reference pictures, the most a character may have.`, 'Remove one first.');
    }
    this.updateRow('character', c.id, { reference_images: JSON.stringify(refs) });
    this.onChange({ kind: 'character', id: c.id, action: 'updated' });
    return this.character(c.id);
  }

  /**
   * Removes a reference picture (by its content hash, or its `refs/…` path) from a character; the file goes too
   * when no other character uses it.
   * @throws AppError `not_found` (the character, or a picture it does not have).
   */
  removeReference(idOrName: string, hashOrPath: string): LibraryCharacter {
    const c = this.character(idOrName);
    const ref = c.referenceImages.find((r) => r.contentHash === hashOrPath || r.path === hashOrPath);
    if (!ref) throw new AppError('not_found', `${c.name} has no reference picture ${hashOrPath}.`, 'List the character to see its pictures and their hashes.');
    this.updateRow('character', c.id, { reference_images: JSON.stringify(c.referenceImages.filter((r) => r !== ref)) });
    this.removeRefFileIfUnused(ref.path);
    this.onChange({ kind: 'character', id: c.id, action: 'updated' });
    return this.character(c.id);
  }

  // ---- templates -------------------------------------------------------------------------------------

  /** Every template, by name. */
  templates(): StyleTemplate[] {
    return (this.db.prepare('SELECT * FROM template ORDER BY name_key').all() as Row[]).map(templateFromRow);
  }

  /** The template with this id, or null. */
  findTemplate(id: string): StyleTemplate | null {
    const r = this.db.prepare('SELECT * FROM template WHERE id = ?').get(id) as Row | undefined;
    return r ? templateFromRow(r) : null;
  }

  /**
   * The template with this id, or else this name (compared without case).
   * @throws AppError `not_found`.
   */
  template(idOrName: string): StyleTemplate {
    const r = (this.db.prepare('SELECT * FROM template WHERE id = ?').get(idOrName) as Row | undefined) ?? (this.db.prepare('SELECT * FROM template WHERE name_key = ?').get(nameKey(idOrName)) as Row | undefined);
    if (!r) throw new AppError('not_found', `The library has no style template "${idOrName}".`, 'List them with template.list (storycanvas templates list).');
    return templateFromRow(r);
  }

  /**
   * Adds a template.
   * @throws AppError `invalid_template` (the message names the field), `template_exists`.
   */
  createTemplate(input: TemplateInput): StyleTemplate {
    const t = validate(TemplateInput, input, 'invalid_template', 'template');
    const id = newId('tpl');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.refuseTakenName('template', t.name, null);
      this.db
        .prepare(
          `INSERT INTO template (id, name, name_key, style_prompt, negative_prompt, workflow_id, preset_id, sampler, loras, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, t.name, nameKey(t.name), t.stylePrompt ?? '', t.negativePrompt ?? '', t.workflowId ?? null, t.presetId ?? null, JSON.stringify(t.sampler ?? {}), JSON.stringify(t.loras ?? []), now, now);
    }).immediate();
    this.onChange({ kind: 'template', id, action: 'created' });
    return this.template(id);
  }

  /**
   * Changes a template. `sampler` and `loras` are replaced whole.
   * @throws AppError `not_found`, `invalid_template`, `template_exists`.
   */
  updateTemplate(idOrName: string, patch: TemplatePatch): StyleTemplate {
    const p = validate(TemplatePatch, patch, 'invalid_template', 'template');
    const before = this.template(idOrName);
    const cols: Row = {};
    if (p.name !== undefined) Object.assign(cols, { name: p.name, name_key: nameKey(p.name) });
    if (p.stylePrompt !== undefined) cols.style_prompt = p.stylePrompt;
    if (p.negativePrompt !== undefined) cols.negative_prompt = p.negativePrompt;
    if (p.workflowId !== undefined) cols.workflow_id = p.workflowId;
    if (p.presetId !== undefined) cols.preset_id = p.presetId;
    if (p.sampler !== undefined) cols.sampler = JSON.stringify(p.sampler);
    if (p.loras !== undefined) cols.loras = JSON.stringify(p.loras);
    if (Object.keys(cols).length === 0) return before;
    this.db.transaction(() => {
      if (p.name !== undefined) this.refuseTakenName('template', p.name, before.id);
      this.updateRow('template', before.id, cols);
    }).immediate();
    this.onChange({ kind: 'template', id: before.id, action: 'updated' });
    return this.template(before.id);
  }

  /**
   * Removes a template. Projects and shots that chose it fall back to no template (prompt composition says so).
   * @throws AppError `not_found`.
   */
  deleteTemplate(idOrName: string): StyleTemplate {
    const t = this.template(idOrName);
    this.db.prepare('DELETE FROM template WHERE id = ?').run(t.id);
    this.onChange({ kind: 'template', id: t.id, action: 'deleted' });
    return t;
  }

  /**
   * Counts one take generated with a template and keeps it as the newest thumbnail (at most 8 kept). For the
   * queue, when a take is written. A template deleted meanwhile is ignored.
   * @returns false when the template no longer exists.
   */
  recordTemplateTake(templateId: string, take: { projectPath: string; takePath: string }): boolean {
    const t = this.findTemplate(templateId);
    if (!t) return false;
    const thumb: TemplateThumbnail = { projectPath: take.projectPath, takePath: take.takePath, createdAt: new Date().toISOString() };
    const thumbnails = [thumb, ...t.thumbnails.filter((x) => !(x.projectPath === take.projectPath && x.takePath === take.takePath))].slice(0, MAX_TEMPLATE_THUMBNAILS);
    this.db.prepare('UPDATE template SET use_count = use_count + 1, thumbnails = ? WHERE id = ?').run(JSON.stringify(thumbnails), t.id);
    this.onChange({ kind: 'template', id: t.id, action: 'updated' });
    return true;
  }

  /**
   * Imports a template file's text (see templateFile.ts).
   * @param onConflict when the name is taken: `error` (default) refuses, `rename` imports as `Name (2)`, `replace`
   *   overwrites the fields of the existing template (keeping its id, use count and thumbnails).
   * @throws AppError `invalid_template_file`, `template_too_new`, `template_exists`, `invalid_template`.
   */
  importTemplate(text: string, fileName: string, onConflict: ImportConflict = 'error'): StyleTemplate {
    const fields = parseTemplateFile(text, fileName);
    const existing = this.db.prepare('SELECT id FROM template WHERE name_key = ?').get(nameKey(fields.name)) as { id: string } | undefined;
    if (!existing) return this.createTemplate(fields);
    if (onConflict === 'replace') {
      return this.updateTemplate(existing.id, {
        stylePrompt: fields.stylePrompt ?? '',
        negativePrompt: fields.negativePrompt ?? '',
        workflowId: fields.workflowId ?? null,
        presetId: fields.presetId ?? null,
        sampler: fields.sampler ?? {},
        loras: fields.loras ?? [],
      });
    }
    if (onConflict === 'rename') {
      let n = 2;
      while (this.db.prepare('SELECT 1 FROM template WHERE name_key = ?').get(nameKey(`${fields.name} (${n})`))) n++;
      return this.createTemplate({ ...fields, name: `${fields.name} (${n})` });
    }
    throw new AppError('template_exists', `The library already has a template named "${fields.name}".`, 'Import with onConflict "rename" (a copy named "… (2)") or "replace" (--rename / --replace in the CLI).');
  }

  /** A template as file text (`{"storycanvas":"template","version":1,…}`). @throws AppError `not_found`. */
  exportTemplate(idOrName: string): string {
    return templateFileText(this.template(idOrName));
  }

  // ---- internals -------------------------------------------------------------------------------------

  private refuseTakenName(table: 'character' | 'template', name: string, selfId: string | null): void {
    const r = this.db.prepare(`SELECT id, name FROM ${table} WHERE name_key = ?`).get(nameKey(name)) as { id: string; name: string } | undefined;
    if (r && r.id !== selfId) {
      const what = table === 'character' ? 'a character' : 'a style template';
      throw new AppError(`${table}_exists`, `The library already has ${what} named "${r.name}" (names are compared without case).`, 'Choose another name, or edit the existing one.');
    }
  }

  private updateRow(table: 'character' | 'template', id: string, cols: Row): void {
    const all = { ...cols, updated_at: new Date().toISOString() };
    const sets = Object.keys(all).map((c) => `${c} = @${c}`).join(', ');
    this.db.prepare(`UPDATE ${table} SET ${sets} WHERE id = @__id`).run({ ...all, __id: id });
  }

  private removeRefFileIfUnused(relPath: string): void {
    const used = (this.db.prepare('SELECT reference_images FROM character').all() as { reference_images: string }[]).some((r) => r.reference_images.includes(`"${relPath}"`));
    if (!used) rmSync(this.absolutePath(relPath), { force: true });
  }
}

/** Parses input with a schema; a failure becomes an AppError naming the field. */
function validate<S extends z.ZodType>(schema: S, value: unknown, code: string, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError(code, `Invalid ${what}: ${z.prettifyError(r.error).replace(/\n/g, '; ')}.`, `Fix the named field and try again.`);
  return r.data;
}

function parseJson(text: unknown, what: string): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    throw new AppError('corrupt_library', `The library's ${what} is damaged (not JSON).`, 'Edit the record again to rewrite it, or move library.db aside.');
  }
}

function characterFromRow(r: Row): LibraryCharacter {
  const parsed = LibraryCharacter.safeParse({
    id: r.id,
    name: r.name,
    description: r.description,
    referenceImages: parseJson(r.reference_images, `character ${String(r.name)}`),
    lora: r.lora === null ? null : parseJson(r.lora, `character ${String(r.name)}`),
    triggerWords: parseJson(r.trigger_words, `character ${String(r.name)}`),
    referenceWeight: r.reference_weight,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  if (!parsed.success) throw new AppError('corrupt_library', `The library's character ${String(r.name)} is damaged: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}.`, 'Edit the character again to rewrite it.');
  return parsed.data;
}

function templateFromRow(r: Row): StyleTemplate {
  const parsed = StyleTemplate.safeParse({
    id: r.id,
    name: r.name,
    stylePrompt: r.style_prompt,
    negativePrompt: r.negative_prompt,
    workflowId: r.workflow_id ?? null,
    presetId: r.preset_id ?? null,
    sampler: parseJson(r.sampler, `template ${String(r.name)}`),
    loras: parseJson(r.loras, `template ${String(r.name)}`),
    useCount: r.use_count,
    thumbnails: parseJson(r.thumbnails, `template ${String(r.name)}`),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  if (!parsed.success) throw new AppError('corrupt_library', `The library's template ${String(r.name)} is damaged: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}.`, 'Edit the template again to rewrite it.');
  return parsed.data;
}

/** The bytes and display name of a reference source (a file up to 64 MiB, or bytes). */
function readReference(source: ReferenceSource): { bytes: Buffer; name: string } {
  if ('path' in source) {
    const name = source.path.split(/[\\/]/).pop() || source.path;
    let size: number;
    try {
      size = statSync(source.path).size;
    } catch {
      throw new AppError('media.notFound', `The picture ${source.path} does not exist or cannot be read.`, 'Check the path and try again.');
    }
    if (size > MAX_REFERENCE_BYTES) throw new AppError('invalid_reference', `${name} is ${(size / 2 ** 20).toFixed(0)} MiB; a reference picture is at most 64 MiB.`, 'Scale it down first.');
    return { bytes: readFileSync(source.path), name };
  }
  if (source.bytes.length > MAX_REFERENCE_BYTES) throw new AppError('invalid_reference', `${source.fileName} is larger than 64 MiB.`, 'Scale it down first.');
  const name = source.fileName.split(/[\\/]/).pop()?.replace(/[\x00-\x1f\x7f]/g, '').trim() || 'reference';
  return { bytes: source.bytes, name };
}

/** Writes a file under a temporary name in its folder, fsyncs it, and renames it into place (kept if already there). */
function writeFileAtomic(file: string, bytes: Buffer): void {
  if (existsSync(file)) return;
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
