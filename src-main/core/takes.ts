import { basename } from 'node:path';
import type { Take } from '../../src-preload/model';
import { AppError } from './errors';
import { importMediaBytes, importMediaFile, type ImportedMedia } from './media/importMedia';
import { MediaError } from './media/probe';
import { ensureThumbnail } from './media/thumbnail';
import type { ProjectStore } from './store/ProjectStore';

/** The largest file accepted by value over the wire (web mode drag and drop). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

function asAppError(err: unknown): never {
  if (err instanceof MediaError) throw new AppError(err.code, err.message, err.hint);
  throw err;
}

/** Turns a copied media file into the columns of a take: clip length in frames at the project's rate. */
function takeFields(store: ProjectStore, m: ImportedMedia, thumbPath: string | null): Omit<Take, 'id' | 'shotId' | 'createdAt'> {
  const { num, den } = store.settings().frameRate;
  return {
    path: m.relPath,
    thumbPath,
    kind: m.kind,
    source: 'imported',
    widthPx: m.widthPx,
    heightPx: m.heightPx,
    durationFrames: m.kind === 'video' && m.durationSeconds ? Math.max(1, Math.round((m.durationSeconds * num) / den)) : null,
    contentHash: m.contentHash,
    originalName: m.originalName,
    meta: m.frameRate ? { sourceFrameRate: m.frameRate, format: m.format } : { format: m.format },
  };
}

/**
 * Imports image or video files as takes of a shot: every file is checked (by its bytes, not its name) and
 * copied into `media/takes/` under its content hash before any take is recorded, so a bad file among
 * good ones imports nothing and says which file was wrong. Thumbnails are made once and cached.
 * @throws AppError `not_media`, `file_not_found`, `corrupt_media` naming the file; `not_found` for the shot.
 */
export async function importTakeFiles(store: ProjectStore, shotId: string, paths: string[]): Promise<Take[]> {
  store.shot(shotId);
  const imported: ImportedMedia[] = [];
  for (const p of paths) imported.push(await importMediaFile(store.dir, p).catch(asAppError));
  const fields = [];
  for (const m of imported) {
    const thumb = await ensureThumbnail(store.dir, m.relPath, m.contentHash, m.kind).catch(() => null);
    fields.push(takeFields(store, m, thumb));
  }
  const label = paths.length === 1 ? `Import ${basename(paths[0])}` : undefined;
  return store.addTakes(shotId, fields, label);
}

/** Imports one file sent by value (web mode). Same checks as `importTakeFiles`. */
export async function importTakeBytes(store: ProjectStore, shotId: string, fileName: string, bytes: Buffer): Promise<Take> {
  store.shot(shotId);
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new AppError('file_too_large', `${fileName} is larger than 256 MB.`, 'Import large clips from the desktop app, or by path with the CLI.');
  }
  const m = await importMediaBytes(store.dir, fileName, bytes).catch(asAppError);
  const thumb = await ensureThumbnail(store.dir, m.relPath, m.contentHash, m.kind).catch(() => null);
  const [take] = store.addTakes(shotId, [takeFields(store, m, thumb)], `Import ${fileName}`);
  return take;
}
