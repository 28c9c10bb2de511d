/**
 * The generation pool: an index, in the library database (`take_index`, library migration 0002), of the takes of
 * every project the app knows, searchable by prompt, character, template and tag (SQLite FTS5 over prompt, tags,
 * characters and template name), and the sending of a take into a shot of any project.
 *
 * The projects stay the truth; the index follows them:
 * - the queue's take writer indexes the takes it writes ({@link indexTakes});
 * - a search first re-indexes the open projects that changed since their last indexing (by `ProjectStore.revision`),
 *   so imports, stars, tags and the trash of open projects show at once;
 * - `library.reindex` reads every recent and open project from disk (read-only for closed ones) and rewrites their
 *   rows; rows of projects that are gone are removed.
 * Trashed takes are not indexed (a take restored from the trash comes back at the next indexing).
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LibraryTake, LibraryTakePage, Take } from '../../../src-preload/model';
import { AppError } from '../errors';
import { DB_FILE, type ProjectStore } from '../store/ProjectStore';
import type { LibraryStore } from './LibraryStore';
import { displayName, nameKey } from './names';

/** The most takes one search page holds. */
export const MAX_SEARCH_LIMIT = 500;

/** One take as the index stores it. */
export interface IndexedTake {
  takeId: string;
  shotId: string;
  shotNumber: string | null;
  path: string;
  thumbPath: string | null;
  kind: 'image' | 'video';
  source: Take['source'];
  widthPx: number;
  heightPx: number;
  contentHash: string;
  prompt: string;
  characters: string[];
  templateId: string | null;
  templateName: string;
  tags: string[];
  starred: boolean;
  rejected: boolean;
  createdAt: string;
}

/** The index's view of one project: its folder, name, and its takes not in the trash. */
export interface IndexedProject {
  projectPath: string;
  projectName: string;
  takes: IndexedTake[];
}

type Row = Record<string, unknown>;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function parseList(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  try {
    return strings(JSON.parse(text));
  } catch {
    return [];
  }
}

function parseMeta(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** An indexed take from a take row and its shot row (`number`, `characters`); the take's meta says what it was made with. */
function indexedFromRows(t: Row, shot: Row | undefined): IndexedTake {
  const meta = parseMeta(t.meta);
  const metaCharacters = strings(meta.characters);
  const characters = metaCharacters.length ? metaCharacters : parseList(shot?.characters).map(displayName);
  return {
    takeId: String(t.id),
    shotId: String(t.shot_id),
    shotNumber: typeof shot?.number === 'string' ? shot.number : null,
    path: String(t.path),
    thumbPath: typeof t.thumb_path === 'string' ? t.thumb_path : null,
    kind: t.kind === 'video' ? 'video' : 'image',
    source: (t.source as Take['source']) ?? 'imported',
    widthPx: Number(t.width_px),
    heightPx: Number(t.height_px),
    contentHash: String(t.content_hash),
    prompt: typeof meta.prompt === 'string' ? meta.prompt : '',
    characters,
    templateId: typeof meta.templateId === 'string' ? meta.templateId : null,
    templateName: typeof meta.templateName === 'string' ? meta.templateName : '',
    tags: parseList(t.tags),
    starred: t.starred === 1,
    rejected: t.rejected === 1,
    createdAt: String(t.created_at),
  };
}

/** Reads the takes (not trashed) of a project database; tolerant of older schemas (no triage columns yet). */
function readTakes(db: Database.Database, takeIds?: readonly string[]): IndexedTake[] {
  const cols = new Set((db.prepare('PRAGMA table_info(take)').all() as Array<{ name: string }>).map((c) => c.name));
  const where = cols.has('trashed_at') ? 'WHERE trashed_at IS NULL' : '';
  let rows = db.prepare(`SELECT * FROM take ${where}`).all() as Row[];
  if (takeIds) {
    const wanted = new Set(takeIds);
    rows = rows.filter((r) => wanted.has(String(r.id)));
  }
  const shots = new Map((db.prepare('SELECT id, number, characters FROM shot').all() as Row[]).map((r) => [String(r.id), r]));
  return rows.map((r) => indexedFromRows(r, shots.get(String(r.shot_id))));
}

/** The takes of an open project (or some of them), as the index stores them. */
export function projectTakes(store: ProjectStore, takeIds?: readonly string[]): IndexedProject {
  return { projectPath: store.dir, projectName: store.settings().name, takes: readTakes(store.db, takeIds) };
}

/**
 * The takes of a project on disk, read without opening it for writing (no migration, no backup).
 * @throws AppError `not_a_project` when the folder has no project database.
 */
export function readProjectFromDisk(projectPath: string): IndexedProject {
  const file = join(projectPath, DB_FILE);
  if (!existsSync(file)) throw new AppError('not_a_project', `${projectPath} is not a StoryCanvas project (it has no ${DB_FILE}).`, 'Open the project once, or remove it from the recent list.');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const name = (db.prepare('SELECT name FROM project WHERE id = 1').get() as { name: string } | undefined)?.name ?? projectPath;
    return { projectPath, projectName: name, takes: readTakes(db) };
  } finally {
    db.close();
  }
}

/** `|A|B|` for exact list filters. */
function listKey(values: readonly string[]): string {
  return `|${values.map((v) => nameKey(v)).join('|')}|`;
}

/**
 * Writes takes of a project into the index (insert or update by project folder and take id). With `replace`,
 * the project's other rows are removed first (a full re-index of that project). One transaction.
 */
export function indexTakes(library: LibraryStore, project: IndexedProject, options: { replace?: boolean } = {}): number {
  const db = library.db;
  const now = new Date().toISOString();
  const upsert = db.prepare(
    `INSERT INTO take_index (project_path, project_name, take_id, shot_id, shot_number, path, thumb_path, kind, source, width_px, height_px,
       content_hash, prompt, characters, characters_key, template_id, template_name, tags, tags_key, starred, rejected, created_at, indexed_at)
     VALUES (@project_path, @project_name, @take_id, @shot_id, @shot_number, @path, @thumb_path, @kind, @source, @width_px, @height_px,
       @content_hash, @prompt, @characters, @characters_key, @template_id, @template_name, @tags, @tags_key, @starred, @rejected, @created_at, @indexed_at)
     ON CONFLICT (project_path, take_id) DO UPDATE SET
       project_name = excluded.project_name, shot_id = excluded.shot_id, shot_number = excluded.shot_number, path = excluded.path,
       thumb_path = excluded.thumb_path, kind = excluded.kind, source = excluded.source, width_px = excluded.width_px,
       height_px = excluded.height_px, content_hash = excluded.content_hash, prompt = excluded.prompt, characters = excluded.characters,
       characters_key = excluded.characters_key, template_id = excluded.template_id, template_name = excluded.template_name,
       tags = excluded.tags, tags_key = excluded.tags_key, starred = excluded.starred, rejected = excluded.rejected,
       created_at = excluded.created_at, indexed_at = excluded.indexed_at`,
  );
  db.transaction(() => {
    if (options.replace) {
      const keep = new Set(project.takes.map((t) => t.takeId));
      const old = db.prepare('SELECT id, take_id FROM take_index WHERE project_path = ?').all(project.projectPath) as Array<{ id: number; take_id: string }>;
      const del = db.prepare('DELETE FROM take_index WHERE id = ?');
      for (const r of old) if (!keep.has(r.take_id)) del.run(r.id);
    }
    for (const t of project.takes) {
      upsert.run({
        project_path: project.projectPath,
        project_name: project.projectName,
        take_id: t.takeId,
        shot_id: t.shotId,
        shot_number: t.shotNumber,
        path: t.path,
        thumb_path: t.thumbPath,
        kind: t.kind,
        source: t.source,
        width_px: t.widthPx,
        height_px: t.heightPx,
        content_hash: t.contentHash,
        prompt: t.prompt,
        characters: JSON.stringify(t.characters),
        characters_key: listKey(t.characters),
        template_id: t.templateId,
        template_name: t.templateName,
        tags: JSON.stringify(t.tags),
        tags_key: listKey(t.tags),
        starred: t.starred ? 1 : 0,
        rejected: t.rejected ? 1 : 0,
        created_at: t.createdAt,
        indexed_at: now,
      });
    }
  }).immediate();
  return project.takes.length;
}

/** Removes takes (by id) of a project from the index, or every take of the project without ids. */
export function unindexTakes(library: LibraryStore, projectPath: string, takeIds?: readonly string[]): void {
  if (!takeIds) {
    library.db.prepare('DELETE FROM take_index WHERE project_path = ?').run(projectPath);
    return;
  }
  const del = library.db.prepare('DELETE FROM take_index WHERE project_path = ? AND take_id = ?');
  library.db.transaction(() => {
    for (const id of takeIds) del.run(projectPath, id);
  })();
}

/** A search of the pool (library.takes.search). */
export interface TakeSearch {
  /** Words to find in prompt, tags, characters and template name (every word must match; the last may be a prefix). */
  query?: string;
  /** A character's name (compared without case). */
  character?: string;
  templateId?: string;
  /** A tag (compared without case). */
  tag?: string;
  /** Leave out rejected takes (default false: they are listed, flagged). */
  excludeRejected?: boolean;
  limit: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
}

/**
 * An FTS5 MATCH expression from words people type: each word quoted (so `AND`, `-`, `:` and quotes are plain text),
 * all required, the last one as a prefix (`"cyber" "bo"*`). Null when there is no word.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .normalize('NFC')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w !== '');
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

function encodeCursor(createdAt: string, id: number): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: number } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAt === 'string' && Number.isInteger(id)) return { createdAt, id: id as number };
  } catch {
    // fall through
  }
  throw new AppError('invalid_cursor', 'The search cursor is not one this app handed out.', 'Search again from the first page (no cursor).');
}

/**
 * One page of the pool, newest first (by creation time, then index row), filtered and searched.
 * @param projectIdOf the id of a project folder when it is open in this core, else null.
 * @throws AppError `invalid_cursor`, `invalid_args` (a limit out of 1..500).
 */
export function searchTakes(library: LibraryStore, search: TakeSearch, projectIdOf: (projectPath: string) => string | null): LibraryTakePage {
  if (!Number.isInteger(search.limit) || search.limit < 1 || search.limit > MAX_SEARCH_LIMIT) {
    throw new AppError('invalid_args', `A page holds 1 to ${MAX_SEARCH_LIMIT} takes, not ${search.limit}.`, 'Ask for a smaller page and follow nextCursor.');
  }
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: search.limit + 1 };
  const match = search.query ? ftsQuery(search.query) : null;
  if (match) {
    where.push('t.id IN (SELECT rowid FROM take_fts WHERE take_fts MATCH @match)');
    args.match = match;
  }
  if (search.character) {
    where.push("t.characters_key LIKE @character ESCAPE '\\'");
    args.character = `%|${escapeLike(nameKey(search.character))}|%`;
  }
  if (search.tag) {
    where.push("t.tags_key LIKE @tag ESCAPE '\\'");
    args.tag = `%|${escapeLike(nameKey(search.tag))}|%`;
  }
  if (search.templateId) {
    where.push('t.template_id = @templateId');
    args.templateId = search.templateId;
  }
  if (search.excludeRejected) where.push('t.rejected = 0');
  if (search.cursor) {
    const c = decodeCursor(search.cursor);
    where.push('(t.created_at < @cAt OR (t.created_at = @cAt AND t.id < @cId))');
    Object.assign(args, { cAt: c.createdAt, cId: c.id });
  }
  const rows = library.db
    .prepare(`SELECT t.* FROM take_index t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.created_at DESC, t.id DESC LIMIT @limit`)
    .all(args) as Row[];
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    takes: page.map((r) => libraryTakeFromRow(r, projectIdOf(String(r.project_path)))),
    nextCursor: rows.length > search.limit && last ? encodeCursor(String(last.created_at), Number(last.id)) : null,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function libraryTakeFromRow(r: Row, projectId: string | null): LibraryTake {
  return {
    projectPath: String(r.project_path),
    projectName: String(r.project_name),
    projectId,
    takeId: String(r.take_id),
    shotId: String(r.shot_id),
    shotNumber: (r.shot_number as string | null) ?? null,
    path: String(r.path),
    thumbPath: (r.thumb_path as string | null) ?? null,
    kind: r.kind === 'video' ? 'video' : 'image',
    source: r.source as LibraryTake['source'],
    widthPx: Number(r.width_px),
    heightPx: Number(r.height_px),
    contentHash: String(r.content_hash),
    prompt: String(r.prompt),
    characters: parseList(r.characters),
    templateId: (r.template_id as string | null) ?? null,
    templateName: String(r.template_name),
    tags: parseList(r.tags),
    starred: r.starred === 1,
    rejected: r.rejected === 1,
    createdAt: String(r.created_at),
  };
}

/** One indexed take by project folder and take id, or null. */
export function indexedTake(library: LibraryStore, projectPath: string, takeId: string): LibraryTake | null {
  const r = library.db.prepare('SELECT * FROM take_index WHERE project_path = ? AND take_id = ?').get(projectPath, takeId) as Row | undefined;
  return r ? libraryTakeFromRow(r, null) : null;
}

/** The project folders the index holds. */
export function indexedProjects(library: LibraryStore): string[] {
  return (library.db.prepare('SELECT DISTINCT project_path FROM take_index ORDER BY project_path').all() as Array<{ project_path: string }>).map((r) => r.project_path);
}

/** The file of a take in a project on disk (its bytes), for sending it elsewhere. @throws AppError `media.notFound`. */
export function readTakeFile(projectPath: string, relPath: string): Buffer {
  const file = join(projectPath, ...relPath.split('/'));
  if (relPath.split('/').includes('..') || !existsSync(file)) {
    throw new AppError('media.notFound', `The take's file ${relPath} is no longer in ${projectPath}.`, 'Re-index the library (library.reindex): the take may have been deleted.');
  }
  return readFileSync(file);
}
