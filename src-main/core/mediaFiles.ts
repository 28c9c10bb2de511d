import type { FrameRate, Scene, Shot } from '../../src-preload/model';
import { AppError } from './errors';
import { contentTypeFor, resolveInsideProject } from './media/paths';
import { ensurePlaceholderCard, type PlaceholderCard } from './media/placeholder';
import { LIBRARY_MEDIA_ID, POOL_MEDIA_ID } from '../../src-preload/contract';
import type { Core } from './Core';
import type { ProjectStore } from './store/ProjectStore';

/** The card content for a shot (what the placeholder shows). */
export function placeholderCardFor(scene: Scene, shot: Shot, frameRate: FrameRate): PlaceholderCard {
  return {
    sceneNumber: scene.number,
    shotNumber: shot.number,
    shotSize: shot.shotSize,
    cameraAngle: shot.cameraAngle,
    cameraMove: shot.cameraMove,
    action: shot.action,
    dialogue: shot.dialogue,
    durationFrames: shot.durationFrames,
    frameRate,
  };
}

/** Width of the placeholder thumbnails the timeline shows. */
export const CARD_THUMB_WIDTH_PX = 480;

/**
 * The width a placeholder card is rendered at for a requested width: the smallest of 480, 960, 1920 and the
 * project's own width that is at least the request (or the largest of them), so a handful of sizes are cached
 * per shot, never one per window size.
 */
export function cardWidthFor(requestedPx: number, projectWidthPx: number): number {
  const sizes = [...new Set([CARD_THUMB_WIDTH_PX, 960, 1920, projectWidthPx])].filter((w) => w <= Math.max(projectWidthPx, CARD_THUMB_WIDTH_PX)).sort((a, b) => a - b);
  return sizes.find((w) => w >= requestedPx) ?? sizes[sizes.length - 1];
}

/**
 * Resolves a media request from a shell (`app://media/<projectId>/<path>` in Electron, `/media/<projectId>/<path>`
 * in web mode) to a file on disk.
 *
 * - `cards/<shotId>.png`: the shot's placeholder card at thumbnail size (480 px wide), or `cards/<shotId>@<width>.png`
 *   larger for the viewer and presentation (see `cardWidthFor`), rendered on first request and cached under
 *   `media/cards/` by its content.
 * - `media/…`: a file of the project's media folder, through the path-traversal guard (the database and
 *   anything else outside `media/` is never served).
 * @throws AppError `not_found` for an unknown shot or a missing file; `forbidden_path` for a path leaving the project.
 */
export async function resolveMediaRequest(store: ProjectStore, relPath: string): Promise<{ absPath: string; contentType: string }> {
  const card = /^cards\/([\w-]+?)(?:@(\d{2,5}))?\.png$/.exec(relPath);
  if (card) {
    const shot = store.shot(card[1]);
    const scene = store.scene(shot.sceneId);
    const s = store.settings();
    const widthPx = cardWidthFor(card[2] ? Number(card[2]) : CARD_THUMB_WIDTH_PX, s.widthPx);
    const h = Math.max(16, Math.round((widthPx * s.heightPx) / s.widthPx));
    const rel = await ensurePlaceholderCard(store.dir, placeholderCardFor(scene, shot, s.frameRate), widthPx, h);
    return { absPath: resolveInsideProject(store.dir, rel), contentType: 'image/png' };
  }
  if (!relPath.startsWith('media/')) {
    throw new AppError('forbidden_path', `Refused ${relPath}: only files under media/ are served.`, 'Request a take, thumbnail or card path from the project snapshot.');
  }
  let absPath: string;
  try {
    absPath = resolveInsideProject(store.dir, relPath);
  } catch (err) {
    throw new AppError('forbidden_path', `Refused media path ${relPath}: ${(err as Error).message}`);
  }
  return { absPath, contentType: contentTypeFor(relPath) };
}

/** Serves a pool path (see POOL_MEDIA_ID in the contract): only files the take index records, only under media/. */
async function resolvePoolMedia(core: Core, relPath: string): Promise<{ absPath: string; contentType: string }> {
  const db = core.library().db;
  let projectPath: string;
  let file: string;
  const byTake = /^take\/([\w-]+)$/.exec(relPath);
  const byFile = /^file\/([A-Za-z0-9_-]+)\/(media\/.+)$/.exec(relPath);
  if (byTake) {
    const row = db.prepare('SELECT project_path, path, thumb_path, kind FROM take_index WHERE take_id = ? LIMIT 1').get(byTake[1]) as
      | { project_path: string; path: string; thumb_path: string | null; kind: string }
      | undefined;
    const pick = row ? (row.thumb_path ?? (row.kind === 'image' ? row.path : null)) : null;
    if (!row || !pick) throw new AppError('not_found', `The take pool has no picture of take ${byTake[1]}.`, 'Re-index the library (library.reindex).');
    projectPath = row.project_path;
    file = pick;
  } else if (byFile) {
    projectPath = Buffer.from(byFile[1], 'base64url').toString('utf8');
    file = byFile[2];
    const known = db.prepare('SELECT 1 FROM take_index WHERE project_path = ? AND (path = ? OR thumb_path = ?) LIMIT 1').get(projectPath, file, file);
    if (!known) throw new AppError('forbidden_path', `Refused ${file}: the take pool does not record it for that project.`);
  } else {
    throw new AppError('forbidden_path', `Refused pool media path ${relPath}: it is take/<takeId> or file/<project>/<media path>.`);
  }
  if (!file.startsWith('media/')) throw new AppError('forbidden_path', `Refused ${file}: only files under media/ are served.`);
  let absPath: string;
  try {
    absPath = resolveInsideProject(projectPath, file);
  } catch (err) {
    throw new AppError('not_found', `The picture ${file} of ${projectPath} cannot be read: ${(err as Error).message}`, 'The project may have moved: re-index the library.');
  }
  return { absPath, contentType: contentTypeFor(file) };
}

/**
 * Resolves a media request of either shell: a file of an open project (`resolveMediaRequest`), or, for the id
 * `library`, a reference picture of the library (`refs/<file>` inside `<configDir>/library`, through the same
 * path-traversal guard; nothing else of the library folder is served, the database least of all).
 * @throws AppError `project_not_open`, `not_found`, `forbidden_path`.
 */
export async function resolveMedia(core: Core, mediaId: string, relPath: string): Promise<{ absPath: string; contentType: string }> {
  if (mediaId === POOL_MEDIA_ID) return resolvePoolMedia(core, relPath);
  if (mediaId !== LIBRARY_MEDIA_ID) return resolveMediaRequest(core.project(mediaId), relPath);
  if (!/^refs\/[^/]+$/.test(relPath)) {
    throw new AppError('forbidden_path', `Refused ${relPath}: only reference pictures (refs/…) of the library are served.`);
  }
  let absPath: string;
  try {
    absPath = resolveInsideProject(core.library().dir, relPath);
  } catch (err) {
    throw new AppError('forbidden_path', `Refused library media path ${relPath}: ${(err as Error).message}`);
  }
  return { absPath, contentType: contentTypeFor(relPath) };
}
