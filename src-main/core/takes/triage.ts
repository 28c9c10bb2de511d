/**
 * Take triage: star, reject, tag, and the project's trash (project migration 0006-take-triage).
 *
 * Every change is one undoable step through the project's journal (`ProjectStore.edit`). Nothing is deleted without
 * asking: "Delete" moves a take to the trash (its row is marked `trashed_at`, its file stays in `media/`), and only
 * {@link emptyTrash} with `confirm: true` deletes rows and files for real. That one step is NOT undoable (the files
 * are gone); an undo step recorded earlier that touches an emptied take can no longer be applied.
 *
 * The selected take of a shot is kept meaningful: when it goes to the trash (or is rejected), the shot selects its
 * next best take ({@link nextBestTake}: starred first, then unmarked, newest first; never a rejected or trashed one),
 * or none.
 */
import { existsSync, rmSync } from 'node:fs';
import { TakeTags, type Take } from '../../../src-preload/model';
import { AppError, notFound } from '../errors';
import { resolveInsideProject } from '../media/paths';
import type { ProjectStore } from '../store/ProjectStore';
import type { Row } from '../store/journal';
import { takeFromRow } from '../store/rows';

/** A take by id, trashed or not. @throws AppError `not_found`. */
function takeRow(store: ProjectStore, takeId: string): Take {
  const r = store.db.prepare('SELECT * FROM take WHERE id = ?').get(takeId) as Row | undefined;
  if (!r) throw notFound('take', takeId);
  return takeFromRow(r);
}

/** @throws AppError `take_trashed` for a take in the trash (restore it first). */
function liveTake(store: ProjectStore, takeId: string): Take {
  const t = takeRow(store, takeId);
  if (t.trashedAt) throw new AppError('take_trashed', `That take of shot ${shotNumber(store, t.shotId)} is in the trash.`, 'Restore it first (take.restore).');
  return t;
}

function shotNumber(store: ProjectStore, shotId: string): string {
  return (store.db.prepare('SELECT number FROM shot WHERE id = ?').get(shotId) as { number: string } | undefined)?.number ?? '?';
}

function selectedTakeOf(store: ProjectStore, shotId: string): string | null {
  return (store.db.prepare('SELECT selected_take_id FROM shot WHERE id = ?').get(shotId) as { selected_take_id: string | null } | undefined)?.selected_take_id ?? null;
}

/**
 * The take a shot should show when `excludeId` leaves it: among the takes that are neither trashed nor rejected
 * (nor `excludeId`), a starred one first, newest first; null when there is none.
 */
export function nextBestTake(takes: readonly Take[], excludeId: string | null): string | null {
  const candidates = takes.filter((t) => t.id !== excludeId && !t.trashedAt && !t.rejected);
  const newestFirst = (a: Take, b: Take) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
  const starred = candidates.filter((t) => t.starred).sort(newestFirst);
  return starred[0]?.id ?? [...candidates].sort(newestFirst)[0]?.id ?? null;
}

/** Every take of a shot, trashed ones included. */
function shotTakes(store: ProjectStore, shotId: string): Take[] {
  return (store.db.prepare('SELECT * FROM take WHERE shot_id = ?').all(shotId) as Row[]).map(takeFromRow);
}

/** Stars (or unstars) a take. Undoable. @throws AppError `not_found`, `take_trashed`. */
export function starTake(store: ProjectStore, takeId: string, starred: boolean): Take {
  const t = liveTake(store, takeId);
  store.edit(`${starred ? 'Star' : 'Unstar'} a take of shot ${shotNumber(store, t.shotId)}`, (tx) => {
    tx.update('take', takeId, { starred: starred ? 1 : 0, ...(starred ? { rejected: 0 } : {}) });
  });
  return takeRow(store, takeId);
}

/**
 * Rejects (or accepts again) a take; starring and rejecting exclude each other. A rejected selected take gives
 * the selection to the shot's next best take when there is one (same undo step).
 * @throws AppError `not_found`, `take_trashed`.
 */
export function rejectTake(store: ProjectStore, takeId: string, rejected: boolean): Take {
  const t = liveTake(store, takeId);
  store.edit(`${rejected ? 'Reject' : 'Accept'} a take of shot ${shotNumber(store, t.shotId)}`, (tx) => {
    tx.update('take', takeId, { rejected: rejected ? 1 : 0, ...(rejected ? { starred: 0 } : {}) });
    if (rejected && selectedTakeOf(store, t.shotId) === takeId) {
      const next = nextBestTake(shotTakes(store, t.shotId), takeId);
      if (next) tx.update('shot', t.shotId, { selected_take_id: next });
    }
  });
  return takeRow(store, takeId);
}

/**
 * Replaces a take's tags (trimmed, duplicates without case dropped, at most 32 of at most 60 characters). Undoable.
 * @throws AppError `invalid_tags`, `not_found`, `take_trashed`.
 */
export function tagTake(store: ProjectStore, takeId: string, tags: readonly string[]): Take {
  const parsed = TakeTags.safeParse(tags);
  if (!parsed.success) throw new AppError('invalid_tags', `Invalid tags: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'tags'}: ${i.message}`).join('; ')}.`, 'Give up to 32 tags of 1 to 60 characters, without commas.');
  const seen = new Set<string>();
  const clean = parsed.data.filter((tag) => {
    const key = tag.toLocaleLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const t = liveTake(store, takeId);
  store.edit(`Tag a take of shot ${shotNumber(store, t.shotId)}`, (tx) => tx.update('take', takeId, { tags: JSON.stringify(clean) }));
  return takeRow(store, takeId);
}

/**
 * Moves takes to the project's trash: their rows are marked (the files stay), and a shot whose selected take goes
 * selects its next best one. One undoable step.
 * @returns the new selected take of each shot touched (null: none left).
 * @throws AppError `not_found`, `take_trashed` (already in the trash).
 */
export function trashTakes(store: ProjectStore, takeIds: readonly string[]): Array<{ shotId: string; selectedTakeId: string | null }> {
  const takes = takeIds.map((id) => liveTake(store, id));
  const shots = [...new Set(takes.map((t) => t.shotId))];
  const now = new Date().toISOString();
  const label = takes.length === 1 ? `Move a take of shot ${shotNumber(store, takes[0].shotId)} to the trash` : `Move ${takes.length} takes to the trash`;
  const gone = new Set(takeIds);
  return store.edit(label, (tx) => {
    for (const t of takes) tx.update('take', t.id, { trashed_at: now });
    return shots.map((shotId) => {
      const selected = selectedTakeOf(store, shotId);
      if (selected && !gone.has(selected)) return { shotId, selectedTakeId: selected };
      const next = nextBestTake(
        shotTakes(store, shotId).filter((t) => !gone.has(t.id)),
        null,
      );
      tx.update('shot', shotId, { selected_take_id: next });
      return { shotId, selectedTakeId: next };
    });
  });
}

/**
 * Takes takes out of the trash. A shot without a selected take selects the first one restored. One undoable step.
 * @throws AppError `not_found`, `not_trashed`.
 */
export function restoreTakes(store: ProjectStore, takeIds: readonly string[]): Take[] {
  const takes = takeIds.map((id) => takeRow(store, id));
  const live = takes.find((t) => !t.trashedAt);
  if (live) throw new AppError('not_trashed', `That take of shot ${shotNumber(store, live.shotId)} is not in the trash.`, 'List the trash with take.trash.list.');
  store.edit(takes.length === 1 ? `Restore a take of shot ${shotNumber(store, takes[0].shotId)}` : `Restore ${takes.length} takes`, (tx) => {
    for (const t of takes) tx.update('take', t.id, { trashed_at: null });
    for (const t of takes) {
      const shot = tx.get('shot', t.shotId);
      if (shot && shot.selected_take_id === null && !t.rejected) tx.update('shot', t.shotId, { selected_take_id: t.id });
    }
  });
  return takeIds.map((id) => takeRow(store, id));
}

/** The project's trash, most recently trashed first. */
export function trashedTakes(store: ProjectStore): Take[] {
  return (store.db.prepare('SELECT * FROM take WHERE trashed_at IS NOT NULL ORDER BY trashed_at DESC, id').all() as Row[]).map(takeFromRow);
}

/** What emptying the trash removed. */
export interface EmptiedTrash {
  /** Take rows deleted. */
  takes: number;
  /** Files deleted (takes and thumbnails no other take uses), project-relative. */
  files: string[];
  /** The ids of the deleted takes. */
  takeIds: string[];
}

/**
 * Deletes every take in the trash for real: rows, and their files and thumbnails when no other take of the project
 * uses the same file (files are content-addressed, so two takes may share one). Not undoable.
 * @throws AppError `confirm_required` unless `confirm` is true (nothing is deleted).
 */
export function emptyTrash(store: ProjectStore, confirm: boolean): EmptiedTrash {
  const trash = trashedTakes(store);
  if (!confirm) {
    throw new AppError(
      'confirm_required',
      `Emptying the trash deletes ${trash.length} take${trash.length === 1 ? '' : 's'} and their files for good; it cannot be undone.`,
      'Ask again with confirm: true (storycanvas takes empty-trash --yes).',
    );
  }
  if (trash.length === 0) return { takes: 0, files: [], takeIds: [] };
  const ids = trash.map((t) => t.id);
  store.db.transaction(() => {
    const del = store.db.prepare('DELETE FROM take WHERE id = ?');
    const unselect = store.db.prepare('UPDATE shot SET selected_take_id = NULL WHERE selected_take_id = ?');
    for (const id of ids) {
      unselect.run(id);
      del.run(id);
    }
  })();
  const stillUsed = (column: 'path' | 'thumb_path', value: string) => !!store.db.prepare(`SELECT 1 FROM take WHERE ${column} = ? LIMIT 1`).get(value);
  const files: string[] = [];
  const candidates = new Set<string>();
  for (const t of trash) {
    if (!stillUsed('path', t.path)) candidates.add(t.path);
    if (t.thumbPath && !stillUsed('thumb_path', t.thumbPath)) candidates.add(t.thumbPath);
  }
  for (const rel of candidates) {
    let abs: string;
    try {
      abs = resolveInsideProject(store.dir, rel);
    } catch {
      continue; // a path outside the project is never deleted
    }
    if (!existsSync(abs)) continue;
    rmSync(abs, { force: true });
    files.push(rel);
  }
  store.changed(`Empty the trash (${trash.length} take${trash.length === 1 ? '' : 's'})`);
  return { takes: trash.length, files, takeIds: ids };
}
