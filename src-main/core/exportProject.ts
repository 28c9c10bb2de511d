import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ExportResult, MethodArgsParsed } from '../../src-preload/contract';
import { AppError } from './errors';
import type { EditClip, EditTimeline } from './export/EditTimeline';
import { EXPORT_FILE_EXTENSIONS, exportTimeline } from './export/index';
import { placeholderCardFor } from './mediaFiles';
import { ensurePlaceholderCard } from './media/placeholder';
import type { ProjectStore } from './store/ProjectStore';

/** A file-name-safe form of a shot number or project name (`12A`, `My Film`). */
function safeName(s: string): string {
  return s.replace(/[^\p{L}\p{N}\-_. ]/gu, '_').trim() || 'untitled';
}

/**
 * Builds the edit for an editor from the project: every shot in timeline order with its selected take, or
 * its placeholder card (rendered at the project's resolution) when it has none.
 *
 * The media are copied into `<outDir>/media/` named by shot number (`12A.png`), so the exported folder is
 * self-contained: an editor opens the timeline file and every clip is found without relinking.
 */
export async function buildEditTimeline(store: ProjectStore, mediaDir: string): Promise<EditTimeline> {
  const settings = store.settings();
  const scenes = new Map(store.scenes().map((s) => [s.id, s]));
  const takes = new Map(store.takes().map((t) => [t.id, t]));
  mkdirSync(mediaDir, { recursive: true });
  const clips: EditClip[] = [];
  for (const shot of store.shots()) {
    const scene = scenes.get(shot.sceneId)!;
    const take = shot.selectedTakeId ? takes.get(shot.selectedTakeId) : undefined;
    let src: string;
    let media: EditClip['media'];
    if (take && existsSync(join(store.dir, take.path))) {
      src = join(store.dir, take.path);
      media = { path: '', kind: take.kind, widthPx: take.widthPx, heightPx: take.heightPx, sourceDurationFrames: take.durationFrames ?? undefined };
    } else {
      const rel = await ensurePlaceholderCard(store.dir, placeholderCardFor(scene, shot, settings.frameRate), settings.widthPx, settings.heightPx);
      src = join(store.dir, rel);
      media = { path: '', kind: 'image', widthPx: settings.widthPx, heightPx: settings.heightPx };
    }
    const dest = join(mediaDir, `${safeName(shot.number)}${extname(src).toLowerCase()}`);
    copyFileSync(src, dest);
    media.path = dest;
    clips.push({
      shotId: shot.id,
      shotNumber: shot.number,
      sceneNumber: scene.number,
      sceneHeading: scene.heading,
      durationFrames: shot.durationFrames,
      media,
      action: shot.action,
      notes: shot.notes,
      dialogue: shot.dialogue.map((d) => ({ character: d.character, parenthetical: d.parenthetical, text: d.text })),
    });
  }
  return { name: settings.name, frameRate: settings.frameRate, widthPx: settings.widthPx, heightPx: settings.heightPx, clips };
}

/**
 * Exports the project's timeline: `<outPath>` plus `media/` beside it. Written to a temporary name and
 * renamed, so an editor never sees a half-written file.
 * @throws AppError `empty_timeline` when the project has no shots.
 */
export async function exportProject(store: ProjectStore, a: MethodArgsParsed<'export.run'>): Promise<ExportResult> {
  const settings = store.settings();
  const ext = EXPORT_FILE_EXTENSIONS[a.format].replace(/^\./, '');
  const outPath = resolve(a.outPath ?? join(store.dir, 'exports', `${safeName(settings.name)}.${ext}`));
  if (store.shots().length === 0) {
    throw new AppError('empty_timeline', 'The timeline has no shots to export.', 'Import a screenplay or add shots first.');
  }
  const outDir = dirname(outPath);
  mkdirSync(outDir, { recursive: true });
  const timeline = await buildEditTimeline(store, join(outDir, 'media'));
  const text = exportTimeline(timeline, a.format, { fcpxmlVersion: a.fcpxmlVersion ?? '1.10' });
  const tmp = join(outDir, `.${basename(outPath)}.tmp-${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, outPath);
  return {
    files: [outPath, ...timeline.clips.map((c) => c.media.path)],
    format: a.format,
    shotCount: timeline.clips.length,
    durationFrames: timeline.clips.reduce((n, c) => n + c.durationFrames, 0),
  };
}
