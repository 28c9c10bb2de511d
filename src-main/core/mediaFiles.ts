import type { FrameRate, Scene, Shot } from '../../src-preload/model';
import { AppError } from './errors';
import { contentTypeFor, resolveInsideProject } from './media/paths';
import { ensurePlaceholderCard, type PlaceholderCard } from './media/placeholder';
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

/**
 * The media id of the character and template library in media URLs: `/media/library/refs/<sha256>.png` in web
 * mode, `app://media/library/refs/…` in Electron. Project ids are 16 hex digits, so it never names a project.
 */
export const LIBRARY_MEDIA_ID = 'library';

/**
 * Resolves a media request of either shell: a file of an open project (`resolveMediaRequest`), or, for the id
 * `library`, a reference picture of the library (`refs/<file>` inside `<configDir>/library`, through the same
 * path-traversal guard; nothing else of the library folder is served, the database least of all).
 * @throws AppError `project_not_open`, `not_found`, `forbidden_path`.
 */
export async function resolveMedia(core: Core, mediaId: string, relPath: string): Promise<{ absPath: string; contentType: string }> {
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
