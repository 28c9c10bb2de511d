/**
 * The generation pool as the core serves it: searching the takes of every known project (re-indexing open
 * projects that changed first), re-indexing from disk, and sending a take from any project to a shot of an open
 * one (its file is copied into the target project under its content hash; the new take is `imported`, with
 * `meta.from` naming where it came from). The index itself is `library/takeLibrary.ts`.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { LibraryTakePage, Take } from '../../../src-preload/model';
import { AppError } from '../errors';
import type { LibraryStore } from '../library/LibraryStore';
import { indexedProjects, indexTakes, projectTakes, readProjectFromDisk, readTakeFile, searchTakes, unindexTakes, type TakeSearch } from '../library/takeLibrary';
import { importMediaBytes } from '../media/importMedia';
import { MediaError } from '../media/MediaError';
import { ensureThumbnail } from '../media/thumbnail';
import { DB_FILE, type ProjectStore } from '../store/ProjectStore';
import type { Row } from '../store/journal';
import { takeFromRow } from '../store/rows';

/** What the pool needs from the core. */
export interface PoolHost {
  library(): LibraryStore;
  openProjects(): Array<{ projectId: string; store: ProjectStore }>;
  project(projectId: string): ProjectStore;
  /** Recently opened projects (their folders). */
  recent(): Array<{ path: string }>;
}

/** Provenance copied from the source take's meta when a take is sent to another project. */
const CARRIED_META = ['prompt', 'negativePrompt', 'seed', 'seedSource', 'characters', 'templateId', 'templateName', 'consistencyAids', 'workflowId', 'checkpoint', 'format'];

/** The pool of one core: remembers which revision of each open project it indexed last. */
export class TakePool {
  private readonly indexedRevision = new WeakMap<ProjectStore, number>();

  constructor(private readonly host: PoolHost) {}

  /** Re-indexes the open projects whose revision changed since their last indexing. Returns how many were. */
  refreshOpenProjects(): number {
    let n = 0;
    for (const { store } of this.host.openProjects()) {
      if (!store.db.open || this.indexedRevision.get(store) === store.revision) continue;
      indexTakes(this.host.library(), projectTakes(store), { replace: true });
      this.indexedRevision.set(store, store.revision);
      n += 1;
    }
    return n;
  }

  /** One page of the pool (see `searchTakes`), open projects refreshed first. */
  search(search: TakeSearch): LibraryTakePage {
    this.refreshOpenProjects();
    const open = new Map(this.host.openProjects().map(({ projectId, store }) => [store.dir, projectId]));
    return searchTakes(this.host.library(), search, (path) => open.get(path) ?? null);
  }

  /**
   * Re-indexes every project the app knows: the open ones, the recent ones (read from disk without opening them
   * for writing) and those already in the index. Projects whose folder is gone leave the index.
   * @returns how many projects and takes were indexed, the folders that are gone, and those that could not be read.
   */
  reindex(): { projects: number; takes: number; removed: string[]; failed: Array<{ path: string; message: string }> } {
    const library = this.host.library();
    const open = new Map(this.host.openProjects().map(({ store }) => [store.dir, store]));
    const paths = new Set<string>([...open.keys(), ...this.host.recent().map((r) => r.path), ...indexedProjects(library)]);
    let projects = 0;
    let takes = 0;
    const removed: string[] = [];
    const failed: Array<{ path: string; message: string }> = [];
    for (const path of paths) {
      const store = open.get(path);
      try {
        if (store) {
          takes += indexTakes(library, projectTakes(store), { replace: true });
          this.indexedRevision.set(store, store.revision);
        } else if (existsSync(join(path, DB_FILE))) {
          takes += indexTakes(library, readProjectFromDisk(path), { replace: true });
        } else {
          unindexTakes(library, path);
          removed.push(path);
          continue;
        }
        projects += 1;
      } catch (error) {
        failed.push({ path, message: (error as Error).message });
      }
    }
    return { projects, takes, removed, failed };
  }

  /**
   * Copies a take of any project into a shot of an open project: the file goes into the target's `media/takes/`
   * under its content hash (a file already there is kept), a thumbnail is made, and a take is added (source
   * `imported`, the prompt and other provenance carried over, `meta.from` = {projectPath, projectName, takeId, shotId,
   * shotNumber}). One undoable step in the target project.
   * @throws AppError `not_found` (no such take in the source project, or no such shot), `not_a_project`,
   *   `project_not_open` (the target), `media.notFound` (the file is gone).
   */
  async send(fromProjectPath: string, takeId: string, toProjectId: string, shotId: string): Promise<Take> {
    const sourcePath = resolve(fromProjectPath);
    const target = this.host.project(toProjectId);
    const shot = target.shot(shotId);
    const openSource = this.host.openProjects().find(({ store }) => store.dir === sourcePath)?.store ?? null;
    const { take, projectName, shotNumber } = openSource ? fromOpen(openSource, takeId) : fromDisk(sourcePath, takeId);
    const bytes = readTakeFile(sourcePath, take.path);
    let media;
    try {
      media = await importMediaBytes(target.dir, take.originalName ?? basename(take.path), bytes);
    } catch (error) {
      if (error instanceof MediaError) throw new AppError(error.code, error.message, error.hint);
      throw error;
    }
    const thumbPath = await ensureThumbnail(target.dir, media.relPath, media.contentHash, media.kind).catch(() => null);
    const carried = Object.fromEntries(CARRIED_META.filter((k) => take.meta[k] !== undefined).map((k) => [k, take.meta[k]]));
    const { num, den } = target.settings().frameRate;
    const [added] = target.addTakes(
      shot.id,
      [
        {
          path: media.relPath,
          thumbPath,
          kind: media.kind,
          source: 'imported',
          widthPx: media.widthPx,
          heightPx: media.heightPx,
          durationFrames: media.kind === 'video' && media.durationSeconds ? Math.max(1, Math.round((media.durationSeconds * num) / den)) : null,
          contentHash: media.contentHash,
          originalName: media.originalName,
          meta: { ...carried, from: { projectPath: sourcePath, projectName, takeId: take.id, shotId: take.shotId, shotNumber } },
        },
      ],
      `Add a take from ${projectName} to shot ${shot.number}`,
    );
    try {
      indexTakes(this.host.library(), projectTakes(target, [added.id]));
    } catch {
      // the pool catches up at the next search or re-index
    }
    return added;
  }
}

function fromOpen(store: ProjectStore, takeId: string): { take: Take; projectName: string; shotNumber: string | null } {
  const take = store.take(takeId);
  const shot = store.db.prepare('SELECT number FROM shot WHERE id = ?').get(take.shotId) as { number: string } | undefined;
  return { take, projectName: store.settings().name, shotNumber: shot?.number ?? null };
}

function fromDisk(projectPath: string, takeId: string): { take: Take; projectName: string; shotNumber: string | null } {
  const file = join(projectPath, DB_FILE);
  if (!existsSync(file)) throw new AppError('not_a_project', `${projectPath} is not a StoryCanvas project (it has no ${DB_FILE}).`, 'Re-index the library (library.reindex).');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const r = db.prepare('SELECT * FROM take WHERE id = ?').get(takeId) as Row | undefined;
    if (!r) throw new AppError('not_found', `The project ${projectPath} has no take ${takeId}.`, 'Re-index the library (library.reindex): the take may have been deleted.');
    const shot = db.prepare('SELECT number FROM shot WHERE id = ?').get(r.shot_id) as { number: string } | undefined;
    const name = (db.prepare('SELECT name FROM project WHERE id = 1').get() as { name: string } | undefined)?.name ?? basename(projectPath);
    return { take: takeFromRow(r), projectName: name, shotNumber: shot?.number ?? null };
  } finally {
    db.close();
  }
}
