/**
 * Which picture a shot shows: its selected take's thumbnail, or the core's placeholder card
 * (`cards/<shotId>.png`, drawn from the shot's fields) with a version that changes when those fields do.
 */
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import type { Bridge } from '../../bridge';
import { cheapHash } from '../../lib/hash';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];

/** The cache-busting version of a shot's placeholder card: a hash of every field the card draws. */
export function placeholderVersion(shot: Shot, sceneNumber: string): string {
  return cheapHash(
    JSON.stringify([sceneNumber, shot.number, shot.shotSize, shot.cameraAngle, shot.cameraMove, shot.action, shot.dialogue, shot.durationFrames]),
  );
}

/** The project-relative path and version of the picture a take shows, or null when it has none yet (a clip without a thumbnail). */
export function takePicture(take: Take): { relPath: string; version: string } | null {
  if (take.thumbPath) return { relPath: take.thumbPath, version: take.contentHash.slice(0, 12) };
  if (take.kind === 'image') return { relPath: take.path, version: take.contentHash.slice(0, 12) };
  return null;
}

/**
 * The project-relative request path of a shot's placeholder card: `cards/<shotId>.png` (the 480 px thumbnail the
 * timeline shows) or, for the viewer and presentation, `cards/<shotId>@<widthPx>.png` (the core snaps the width to
 * 960, 1920 or the project's width).
 */
export function placeholderCardPath(shotId: string, widthPx?: number): string {
  return widthPx ? `cards/${shotId}@${Math.round(widthPx)}.png` : `cards/${shotId}.png`;
}

/** The URL of the picture a shot card shows (`cardWidthPx`: a larger placeholder card, for big views). */
export function shotPictureUrl(
  bridge: Bridge,
  projectId: string,
  shot: Shot,
  sceneNumber: string,
  takesById: ReadonlyMap<string, Take>,
  cardWidthPx?: number,
): string {
  const take = shot.selectedTakeId ? takesById.get(shot.selectedTakeId) : undefined;
  const pic = take ? takePicture(take) : null;
  if (pic) return bridge.mediaUrl(projectId, pic.relPath, pic.version);
  return bridge.mediaUrl(projectId, placeholderCardPath(shot.id, cardWidthPx), placeholderVersion(shot, sceneNumber));
}

/**
 * The URL of the largest picture of a shot for the viewer: the selected take's own file when it is an image,
 * else what the card shows (a clip's thumbnail or the placeholder card).
 */
export function shotViewerUrl(
  bridge: Bridge,
  projectId: string,
  shot: Shot,
  sceneNumber: string,
  takesById: ReadonlyMap<string, Take>,
  cardWidthPx = 1920,
): string {
  const take = shot.selectedTakeId ? takesById.get(shot.selectedTakeId) : undefined;
  if (take && take.kind === 'image') return bridge.mediaUrl(projectId, take.path, take.contentHash.slice(0, 12));
  return shotPictureUrl(bridge, projectId, shot, sceneNumber, takesById, cardWidthPx);
}
