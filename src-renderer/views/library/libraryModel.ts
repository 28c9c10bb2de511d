/**
 * The pure logic of the Library view (LibraryView.tsx), the generation pool of every known project: the filters as
 * `library.takes.search` arguments, the pages of an infinite scroll merged into one list, what a tile says, where its
 * picture comes from, and which shot "Send to shot…" proposes first.
 *
 * Pictures: `bridge.mediaUrl` serves files of projects OPEN in this core only (`/media/<projectId>/…`), so a take
 * of a closed project (`projectId` null in its LibraryTake) has no picture the renderer can reach and shows as a
 * text tile.
 *
 * Pure: no DOM, no React.
 */
import { POOL_MEDIA_ID, poolTakePath, type MethodArgs } from '../../../src-preload/contract';
import type { LibraryTake, ProjectSnapshot } from '../../../src-preload/model';

/** What the artist filters the pool by. Empty strings mean "any". */
export interface LibraryFilters {
  /** Words of prompt, tags, characters and template (full text). */
  query: string;
  character: string;
  templateId: string;
  tag: string;
  hideRejected: boolean;
}

/** No filter: every take of every project. */
export const NO_FILTERS: LibraryFilters = { query: '', character: '', templateId: '', tag: '', hideRejected: false };

/** Takes per page of the infinite scroll. */
export const LIBRARY_PAGE_SIZE = 48;

/** The `library.takes.search` arguments of the filters (blank ones left out), continuing at `cursor` when given. */
export function searchArgs(filters: LibraryFilters, cursor?: string | null, limit = LIBRARY_PAGE_SIZE): MethodArgs<'library.takes.search'> {
  const query = filters.query.trim();
  const character = filters.character.trim();
  const templateId = filters.templateId.trim();
  const tag = filters.tag.trim();
  return {
    ...(query ? { query: query.slice(0, 500) } : {}),
    ...(character ? { character } : {}),
    ...(templateId ? { templateId } : {}),
    ...(tag ? { tag: tag.slice(0, 60) } : {}),
    excludeRejected: filters.hideRejected,
    limit,
    ...(cursor ? { cursor } : {}),
  };
}

/** How many filters narrow the search (the query included). */
export function activeFilterCount(filters: LibraryFilters): number {
  return [filters.query, filters.character, filters.templateId, filters.tag].filter((v) => v.trim() !== '').length + (filters.hideRejected ? 1 : 0);
}

/** A take's key in the pool: its project folder and its id (ids are unique per project only). */
export function libraryKey(take: Pick<LibraryTake, 'projectPath' | 'takeId'>): string {
  return `${take.projectPath}\u0000${take.takeId}`;
}

/** The pages of the scroll as one list, in order, each take once (a page may repeat one the pool re-indexed meanwhile). */
export function mergePages(pages: ReadonlyArray<{ takes: LibraryTake[] }>): LibraryTake[] {
  const seen = new Set<string>();
  const out: LibraryTake[] = [];
  for (const page of pages)
    for (const t of page.takes) {
      const k = libraryKey(t);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(t);
    }
  return out;
}

/** Where a tile's picture comes from: a file of an open project (thumbnail first), or null for a closed project or a clip without a thumbnail. */
export function tilePicture(take: LibraryTake): { projectId: string; relPath: string; version: string } | null {
  const version = take.contentHash.slice(0, 12);
  if (!take.thumbPath && take.kind !== 'image') return null;
  // a project that is not open: the take pool serves its picture
  if (!take.projectId) return { projectId: POOL_MEDIA_ID, relPath: poolTakePath(take.takeId), version };
  if (take.thumbPath) return { projectId: take.projectId, relPath: take.thumbPath, version };
  return { projectId: take.projectId, relPath: take.path, version };
}

/** What a tile says. */
export interface TileText {
  /** `Shot 1A`, or `A deleted shot`. */
  shot: string;
  project: string;
  /** The prompt, or what the take is when it has none (`Imported picture, 1920×1080`). */
  prompt: string;
  /** Whether `prompt` is the generation prompt (false: a description standing in for one). */
  hasPrompt: boolean;
  /** Characters and template, for the line under the prompt. */
  details: string[];
}

/** The words of a tile. */
export function tileText(take: LibraryTake): TileText {
  const prompt = take.prompt.trim();
  const what = `${take.source === 'generated' ? 'Generated' : 'Imported'} ${take.kind === 'video' ? 'clip' : 'picture'}, ${take.widthPx}×${take.heightPx}`;
  return {
    shot: take.shotNumber ? `Shot ${take.shotNumber}` : 'A deleted shot',
    project: take.projectName,
    prompt: prompt || what,
    hasPrompt: prompt !== '',
    details: [...take.characters, ...(take.templateName ? [take.templateName] : [])],
  };
}

/** A shot an open project offers as the target of "Send to shot…". */
export interface ShotChoice {
  shotId: string;
  /** `1A · A wide shot of the park` (the action shortened). */
  label: string;
  sceneLabel: string;
}

/** Every shot of a project as choices, grouped by scene in timeline order. */
export function shotChoices(snapshot: ProjectSnapshot): Array<{ sceneLabel: string; shots: ShotChoice[] }> {
  return snapshot.scenes.map((scene) => {
    const sceneLabel = `${scene.number} · ${scene.heading}`;
    return {
      sceneLabel,
      shots: scene.shots.map((s) => {
        const action = s.action.replace(/\s+/g, ' ').trim();
        return { shotId: s.id, sceneLabel, label: action ? `${s.number} · ${action.length > 60 ? `${action.slice(0, 59)}…` : action}` : s.number };
      }),
    };
  });
}

/**
 * The shot "Send to shot…" proposes: in the current project, its focused (else first selected) shot; else, and
 * when that shot is gone, the project's first shot; null for a project without shots.
 */
export function defaultTargetShot(snapshot: ProjectSnapshot, preferredShotId: string | null): string | null {
  if (preferredShotId && snapshot.scenes.some((sc) => sc.shots.some((s) => s.id === preferredShotId))) return preferredShotId;
  for (const scene of snapshot.scenes) if (scene.shots.length) return scene.shots[0].id;
  return null;
}
