/**
 * The ONE path from a project to the edit every export reads (src-main/core/export/EditTimeline.ts): each shot in
 * timeline order with its selected take, or its placeholder card when it has none (or its file is gone), and the
 * music bed. Timeline formats copy every picture into a `media/` folder named by shot number (`12A.png`) so the
 * editor's import finds each clip without searching; the animatic and the PDF read the project's files in place.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Scene, Shot, Take } from '../../../src-preload/model';
import { AppError } from '../errors';
import type { EditClip, EditMusic, EditTimeline } from '../export/EditTimeline';
import { ensurePlaceholderCard } from '../media/placeholder';
import { placeholderCardFor } from '../mediaFiles';
import { musicDurationFrames, type ProjectStore, type StoredMusic } from '../store/ProjectStore';
import { copyFileAtomic, runPool, safeFileName } from './files';

/** Placeholder cards rendered at once (about 75 ms each at 1080p, CPU bound in librsvg). */
export const CARD_CONCURRENCY = 3;
/** Files copied into media/ at once. */
const COPY_CONCURRENCY = 4;

/** One shot with the picture it shows and the name that picture gets in an export's media/ folder. */
export interface ShotPicture {
  shot: Shot;
  scene: Scene;
  /** the selected take, when it has one whose file exists; null: the shot shows its placeholder card */
  take: Take | null;
  /** `12A.png`, unique (case-insensitively) among the export's media files */
  mediaName: string;
}

/** The project's music with the file it lives in, and the name it gets in media/. */
export interface MusicPicture {
  music: StoredMusic;
  /** absolute path of the file in the project */
  absPath: string;
  /** `music - Theme.wav` */
  mediaName: string;
  /** whole frames of the file at the project's rate */
  fileFrames: number;
}

/** A name not yet in `used` (compared case-insensitively: macOS and Windows folders are): `12A.png`, `12A-2.png`, … */
function uniqueName(stem: string, ext: string, used: Set<string>): string {
  let name = `${stem}${ext}`;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem}-${n}${ext}`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * Every shot in timeline order with its picture and media name, and the music (null when none, or when its file is
 * missing). Reads the database and checks that take files exist; writes nothing.
 */
export function shotPictures(store: ProjectStore): { pictures: ShotPicture[]; music: MusicPicture | null; missingMusic: string | null } {
  const scenes = new Map(store.scenes().map((s) => [s.id, s]));
  const takes = new Map(store.takes().map((t) => [t.id, t]));
  const used = new Set<string>();
  const pictures = store.shots().map((shot) => {
    const scene = scenes.get(shot.sceneId)!;
    const selected = shot.selectedTakeId ? takes.get(shot.selectedTakeId) : undefined;
    const take = selected && existsSync(join(store.dir, ...selected.path.split('/'))) ? selected : null;
    const ext = take ? extname(take.path).toLowerCase() : '.png';
    return { shot, scene, take, mediaName: uniqueName(safeFileName(shot.number), ext, used) };
  });
  const stored = store.music();
  let music: MusicPicture | null = null;
  let missingMusic: string | null = null;
  if (stored) {
    const absPath = join(store.dir, ...stored.path.split('/'));
    if (existsSync(absPath)) {
      const ext = extname(stored.path).toLowerCase();
      const base = stored.originalName.replace(/\.[^.]*$/, '');
      music = {
        music: stored,
        absPath,
        mediaName: uniqueName(`music - ${safeFileName(base)}`, ext, used),
        fileFrames: musicDurationFrames(stored.durationSeconds, store.settings().frameRate),
      };
    } else missingMusic = stored.originalName;
  }
  return { pictures, music, missingMusic };
}

/** How the music sits on a timeline of `shotsFrames` frames: trimmed to end with the last shot, or left out. */
export function placeMusic(music: MusicPicture, shotsFrames: number): { offsetFrames: number; durationFrames: number } | null {
  const offsetFrames = music.music.offsetFrames;
  if (offsetFrames >= shotsFrames) return null;
  return { offsetFrames, durationFrames: Math.min(music.fileFrames, shotsFrames - offsetFrames) };
}

/** Options for `buildEditTimeline`. */
export interface BuildTimelineOptions {
  /** copy each picture (and the music) here, named by shot number; null: reference the project's files in place */
  mediaDir: string | null;
  /** checked between files; aborting rejects with AppError `export_cancelled` */
  signal?: AbortSignal;
  /** 0..1 as cards are rendered and files copied */
  onProgress?: (fraction: number) => void;
}

/** What `buildEditTimeline` made. */
export interface BuiltTimeline {
  timeline: EditTimeline;
  /** the shots in timeline order with their pictures (same order as `timeline.clips`) */
  pictures: ShotPicture[];
  /** absolute path of each clip's file (the card for shots without a take), in clip order */
  sourcePaths: string[];
  /** absolute paths of the files copied into `mediaDir`, clips first then the music; empty without a mediaDir */
  mediaFiles: string[];
  /** placeholder cards the export needed (rendered now or found in the cache) */
  cardCount: number;
  notes: string[];
}

/** AppError `export_cancelled`, the error every cancelled export rejects with. */
export function cancelledError(): AppError {
  return new AppError('export_cancelled', 'The export was cancelled.', 'Nothing was left half-written; export again when ready.');
}

/**
 * Builds the edit for every export: shots in timeline order with their selected take (image or clip) or their
 * placeholder card (rendered at the project's resolution, CARD_CONCURRENCY at a time, cached in media/cards/), and
 * the music, trimmed to end with the last shot (left out, with a note, when it starts after it).
 * With `mediaDir`, every picture and the music are copied there atomically (`12A.png`, `music - Theme.wav`) and the
 * timeline references the copies.
 * @throws AppError `empty_timeline` without shots, `export_cancelled` when `signal` aborts.
 */
export async function buildEditTimeline(store: ProjectStore, opts: BuildTimelineOptions): Promise<BuiltTimeline> {
  const settings = store.settings();
  const { pictures, music, missingMusic } = shotPictures(store);
  if (pictures.length === 0) {
    throw new AppError('empty_timeline', 'The timeline has no shots to export.', 'Import a screenplay or add shots first.');
  }
  const { signal, onProgress } = opts;
  const checkCancelled = (): void => {
    if (signal?.aborted) throw cancelledError();
  };
  checkCancelled();
  const needCards = pictures.filter((p) => !p.take);
  const steps = needCards.length + (opts.mediaDir ? pictures.length + (music ? 1 : 0) : 0);
  let done = 0;
  const step = (): void => {
    done++;
    onProgress?.(steps === 0 ? 1 : done / steps);
  };

  const sourcePaths = new Array<string>(pictures.length);
  pictures.forEach((p, i) => {
    if (p.take) sourcePaths[i] = join(store.dir, ...p.take.path.split('/'));
  });
  const indexOf = new Map(pictures.map((p, i) => [p, i]));
  await runPool(needCards, CARD_CONCURRENCY, async (p) => {
    checkCancelled();
    const rel = await ensurePlaceholderCard(store.dir, placeholderCardFor(p.scene, p.shot, settings.frameRate), settings.widthPx, settings.heightPx);
    sourcePaths[indexOf.get(p)!] = join(store.dir, ...rel.split('/'));
    step();
  });

  const clipPaths = [...sourcePaths];
  const mediaFiles: string[] = [];
  let musicPath = music?.absPath ?? null;
  if (opts.mediaDir) {
    const mediaDir = opts.mediaDir;
    await mkdir(mediaDir, { recursive: true });
    await runPool(pictures, COPY_CONCURRENCY, async (p, i) => {
      checkCancelled();
      const dest = join(mediaDir, p.mediaName);
      await copyFileAtomic(sourcePaths[i]!, dest);
      clipPaths[i] = dest;
      step();
    });
    mediaFiles.push(...clipPaths);
    if (music) {
      checkCancelled();
      musicPath = join(mediaDir, music.mediaName);
      await copyFileAtomic(music.absPath, musicPath);
      mediaFiles.push(musicPath);
      step();
    }
  }
  onProgress?.(1);

  const clips: EditClip[] = pictures.map((p, i) => ({
    shotId: p.shot.id,
    shotNumber: p.shot.number,
    sceneNumber: p.scene.number,
    sceneHeading: p.scene.heading,
    durationFrames: p.shot.durationFrames,
    media: p.take
      ? {
          path: clipPaths[i]!,
          kind: p.take.kind,
          widthPx: p.take.widthPx,
          heightPx: p.take.heightPx,
          ...(p.take.kind === 'video' && p.take.durationFrames ? { sourceDurationFrames: p.take.durationFrames } : {}),
        }
      : { path: clipPaths[i]!, kind: 'image', widthPx: settings.widthPx, heightPx: settings.heightPx },
    action: p.shot.action,
    notes: p.shot.notes,
    dialogue: p.shot.dialogue.map((d) => ({ character: d.character, ...(d.parenthetical !== undefined ? { parenthetical: d.parenthetical } : {}), text: d.text })),
  }));
  const shotsFrames = clips.reduce((n, c) => n + c.durationFrames, 0);
  const notes = musicNotes(music, missingMusic, shotsFrames);
  let editMusic: EditMusic | null = null;
  if (music && musicPath) {
    const placed = placeMusic(music, shotsFrames);
    if (placed) editMusic = { path: musicPath, ...placed, sampleRateHz: music.music.sampleRateHz, channels: Math.min(2, music.music.channels) };
  }
  return {
    timeline: {
      name: settings.name,
      frameRate: settings.frameRate,
      widthPx: settings.widthPx,
      heightPx: settings.heightPx,
      clips,
      music: editMusic,
    },
    pictures,
    sourcePaths,
    mediaFiles,
    cardCount: needCards.length,
    notes,
  };
}

/** The sentences about the music an export shows (plan and result alike). */
export function musicNotes(music: MusicPicture | null, missingMusic: string | null, shotsFrames: number): string[] {
  if (missingMusic) return [`The music ${missingMusic} is missing from the project's media/music/ folder: it is left out. Set the music again.`];
  if (!music) return [];
  const placed = placeMusic(music, shotsFrames);
  if (!placed) {
    return [
      `The music ${music.music.originalName} starts at frame ${music.music.offsetFrames}, after the last shot ends (frame ${shotsFrames}): it is left out. Move it earlier.`,
    ];
  }
  const trimmed = placed.durationFrames < music.fileFrames ? `, cut to end with the last shot (${placed.durationFrames} of ${music.fileFrames} frames)` : '';
  return [`Music: ${music.music.originalName} from frame ${placed.offsetFrames}${trimmed}.`];
}
