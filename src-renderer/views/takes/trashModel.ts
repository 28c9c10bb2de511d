/**
 * What the trash panel (TrashPanel.tsx) shows for each trashed take: its shot, a name for it, and how long ago it
 * went to the trash. Pure: no DOM, no React.
 */
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { findShot, promptOf, seedOf } from './compareModel';

/** One row of the trash panel. */
export interface TrashRow {
  take: Take;
  /** `1A`, or null when the shot itself was deleted. */
  shotNumber: string | null;
  /** The file's name for an imported take, `Generated · seed 1234` for a generated one. */
  title: string;
  /** The prompt (generated takes), else ''. */
  prompt: string;
  /** `just now`, `5 min ago`, `3 h ago`, `2 days ago`. */
  trashedAgo: string;
}

/** The rows of the trash, in the order take.trash.list gave (most recently trashed first). */
export function trashRows(trash: readonly Take[], snapshot: ProjectSnapshot | undefined, nowMs: number): TrashRow[] {
  return trash.map((take) => {
    const seed = seedOf(take);
    return {
      take,
      shotNumber: snapshot ? (findShot(snapshot, take.shotId)?.shot.number ?? null) : null,
      title: take.source === 'generated' ? `Generated${seed !== null ? ` · seed ${seed}` : ''}` : (take.originalName ?? (take.kind === 'video' ? 'Imported clip' : 'Imported picture')),
      prompt: promptOf(take),
      trashedAgo: take.trashedAt ? formatAgo(Date.parse(take.trashedAt), nowMs) : '',
    };
  });
}

/** How long ago `thenMs` was, in words: `just now` (under a minute), `N min ago`, `N h ago`, `N days ago`. */
export function formatAgo(thenMs: number, nowMs: number): string {
  if (!Number.isFinite(thenMs)) return '';
  const s = Math.max(0, (nowMs - thenMs) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const d = Math.floor(s / 86_400);
  return d === 1 ? 'yesterday' : `${d} days ago`;
}
