/**
 * The editorial hand-off: `export.run` and `export.plan` for every target, through ONE code path that builds the
 * edit (exports/timeline.ts `buildEditTimeline`, music included) and hands it to the writer of the chosen format:
 *
 * | format  | writes                                                                                  |
 * |---------|-----------------------------------------------------------------------------------------|
 * | fcpxml, xmeml, edl, otio | `<out>.<ext>` and `media/` beside it: the selected takes and placeholder cards named by shot number, and the music |
 * | resolve | a folder `<name> (Resolve)/` with `<name>.otio` (or `.fcpxml`, FCPXML 1.10) and `media/`; built under a temp name, then renamed into place |
 * | mp4     | the animatic (export/animatic, one ffmpeg run), with `export.progress` from ffmpeg's progress and cancel |
 * | pdf     | storyboard sheets (export/pdf) from each shot's selected image, clip thumbnail or placeholder card |
 * | zip     | the project package (export/package) with a consistent database snapshot (`db.backup()`) |
 *
 * Every file is written to a temp name in its folder and renamed, so nothing half-written is ever seen; a cancelled
 * export leaves no partial output. Relative media paths exist only in OTIO (`target_url` relative to the .otio file);
 * FCPXML `media-rep src` must be an absolute file URL and xmeml `pathurl` cannot be relative, so those stay absolute
 * (export.plan says so). The last successful choice is recorded per project (not undoable).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { ExportChoice, ExportPlan, ExportResult, ExportStage, MethodArgsParsed } from '../../src-preload/contract';
import { formatFrameRate } from '../../src-preload/model';
import { AppError } from './errors';
import { renderAnimatic, type AnimaticProgress } from './export/animatic/animatic';
import { resolveFfmpeg } from './export/animatic/ffmpegBinary';
import { assertEditTimeline, type EditTimeline } from './export/EditTimeline';
import { fileUrlFromPath } from './export/fileUrl';
import { EXPORT_FILE_EXTENSIONS, exportTimeline, type ExportFormat as TimelineFormat } from './export/index';
import { buildOtioTimeline, serializeOtio, type OtioClip, type OtioGap } from './export/otio';
import { writeProjectPackage } from './export/package/package';
import { renderBoardsPdf, type BoardShot } from './export/pdf/boards';
import { safeFileName, writeFileAtomic } from './exports/files';
import { buildEditTimeline, cancelledError, musicNotes, placeMusic, shotPictures, type BuiltTimeline, type ShotPicture } from './exports/timeline';
import type { ProjectStore } from './store/ProjectStore';

export { buildEditTimeline } from './exports/timeline';

/** export.run's parsed arguments. */
export type ExportArgsParsed = MethodArgsParsed<'export.run'>;

/** What the core passes to an export besides the store and the arguments. */
export interface ExportContext {
  /** the running app's version, written into a package's manifest */
  appVersion: string;
  /** aborting cancels the export (AppError `export_cancelled`), removing partial output */
  signal?: AbortSignal;
  /** the export's progress: `fraction` of the whole (0..1, rising) and the stage it is in */
  onProgress?: (stage: ExportStage, fraction: number) => void;
  /** where `[export] …` lines go (which ffmpeg ran); default stderr (console.error), so a CLI's stdout carries only results */
  log?: (line: string) => void;
  /** the ffmpeg the app bundles, when it ships one (`STORYCANVAS_FFMPEG` still overrides it) */
  bundledFfmpegPath?: string;
}

/** PDF sheet defaults: 6 panels per page, landscape, A4. */
export const PDF_DEFAULTS = { perPage: 6, orientation: 'landscape', pageSize: 'A4' } as const;

const TIMELINE_FORMATS: readonly TimelineFormat[] = ['fcpxml', 'xmeml', 'edl', 'otio'];

/** Where an export writes: the path it creates, its timeline file and media folder when it has them. */
export interface ExportTarget {
  /** the file, or for resolve the folder, the export creates (absolute) */
  outPath: string;
  /** the timeline file written and its format (timeline formats and resolve) */
  timeline: { path: string; format: TimelineFormat } | null;
  /** the folder the pictures are copied into (timeline formats and resolve) */
  mediaDir: string | null;
  /** media paths actually written: relative only where the format allows it (OTIO) */
  mediaPaths: 'absolute' | 'relative';
}

/**
 * Works out where an export writes. Defaults: `<project>/exports/<name>.<ext>` (mp4 `.mp4`, pdf `.pdf`), resolve
 * `<project>/exports/<name> (Resolve)/`, zip `<name>.storycanvas.zip` beside the project folder.
 */
export function exportTarget(store: ProjectStore, a: ExportChoice): ExportTarget {
  const name = safeFileName(store.settings().name);
  const exportsDir = join(store.dir, 'exports');
  const wantsRelative = a.mediaPaths === 'relative';
  if (a.format === 'resolve') {
    const via: TimelineFormat = a.resolveVia === 'fcpxml' ? 'fcpxml' : 'otio';
    const outPath = resolve(a.outPath ?? join(exportsDir, `${name} (Resolve)`));
    return {
      outPath,
      timeline: { path: join(outPath, `${name}${EXPORT_FILE_EXTENSIONS[via]}`), format: via },
      mediaDir: join(outPath, 'media'),
      mediaPaths: wantsRelative && via === 'otio' ? 'relative' : 'absolute',
    };
  }
  if ((TIMELINE_FORMATS as readonly string[]).includes(a.format)) {
    const format = a.format as TimelineFormat;
    const outPath = resolve(a.outPath ?? join(exportsDir, `${name}${EXPORT_FILE_EXTENSIONS[format]}`));
    return { outPath, timeline: { path: outPath, format }, mediaDir: join(dirname(outPath), 'media'), mediaPaths: wantsRelative && format === 'otio' ? 'relative' : 'absolute' };
  }
  const defaults: Record<string, string> = {
    mp4: join(exportsDir, `${name}.mp4`),
    pdf: join(exportsDir, `${name}.pdf`),
    zip: join(dirname(store.dir), `${name}.storycanvas.zip`),
  };
  return { outPath: resolve(a.outPath ?? defaults[a.format]!), timeline: null, mediaDir: null, mediaPaths: 'absolute' };
}

/** `3:05` for a running time in frames. */
function runningTime(frames: number, rate: { num: number; den: number }): string {
  const seconds = Math.round((frames * rate.den) / rate.num);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Shots whose clip is shorter than the shot: an editor's timeline cannot hold them (the animatic holds the last frame). */
function shotsLongerThanClip(pictures: ShotPicture[]): ShotPicture[] {
  return pictures.filter((p) => p.take?.kind === 'video' && p.take.durationFrames !== null && p.shot.durationFrames > p.take.durationFrames);
}

function longerThanClipSentence(p: ShotPicture): string {
  return `Shot ${p.shot.number} (${p.shot.durationFrames} frames) is longer than its clip (${p.take!.durationFrames} frames): shorten the shot or select a longer take.`;
}

/** The notes about one target, shared by export.plan and export.run's result. */
function formatNotes(store: ProjectStore, a: ExportChoice, target: ExportTarget, pictures: ShotPicture[]): string[] {
  const notes: string[] = [];
  const settings = store.settings();
  const relativeRefused = a.mediaPaths === 'relative' && target.mediaPaths === 'absolute';
  const timelineFormat = target.timeline?.format;
  if (relativeRefused && timelineFormat === 'fcpxml') {
    notes.push('FCPXML needs an absolute file URL for every media file (media-rep src): the media paths are written absolute.');
  }
  if (relativeRefused && timelineFormat === 'xmeml') {
    notes.push('Premiere XML (xmeml) pathurl cannot be relative: the media paths are written absolute.');
  }
  if (target.mediaPaths === 'relative') {
    notes.push('Media paths are relative to the .otio file (media/12A.png): move the timeline file and its media/ folder together.');
  }
  if (a.format === 'edl') {
    notes.push('An EDL names clips, not files: relink from the media/ folder beside it (files named by shot number).');
    notes.push('Resolve does not import stills from an EDL: use the DaVinci Resolve preset for Resolve.');
  }
  if (a.format === 'resolve') {
    notes.push(
      timelineFormat === 'otio'
        ? `In DaVinci Resolve 18.5 or later: File > Import > Timeline…, choose ${basename(target.timeline!.path)}; its clips are in media/ beside it.`
        : `In DaVinci Resolve: File > Import > Timeline…, choose ${basename(target.timeline!.path)} (FCPXML ${a.fcpxmlVersion ?? '1.10'}); its clips are in media/ beside it.`,
    );
  }
  if (a.format === 'fcpxml') notes.push(`FCPXML ${a.fcpxmlVersion ?? '1.10'}: in Final Cut Pro, File > Import > XML….`);
  if (a.format === 'xmeml') notes.push('Premiere Pro: File > Import…, choose the .xml file.');
  const withoutTake = pictures.filter((p) => !p.take).length;
  if (withoutTake > 0 && a.format !== 'zip') {
    notes.push(`${withoutTake} of ${pictures.length} shots have no picture yet: their placeholder cards are used.`);
  }
  if (target.timeline) for (const p of shotsLongerThanClip(pictures)) notes.push(longerThanClipSentence(p));
  const frames = pictures.reduce((n, p) => n + p.shot.durationFrames, 0);
  if (a.format === 'mp4') {
    notes.push(`Animatic: H.264 MP4, ${settings.widthPx}x${settings.heightPx} at ${formatFrameRate(settings.frameRate)} fps, ${frames} frames (${runningTime(frames, settings.frameRate)}).`);
    if (settings.widthPx % 2 !== 0 || settings.heightPx % 2 !== 0) {
      notes.push(`The resolution ${settings.widthPx}x${settings.heightPx} is odd: H.264 needs an even width and height; change the project resolution first.`);
    }
  }
  if (a.format === 'pdf') {
    const perPage = a.pdf?.perPage ?? PDF_DEFAULTS.perPage;
    const pages = Math.ceil(pictures.length / perPage);
    notes.push(`${pages} page${pages === 1 ? '' : 's'}: ${perPage} shot${perPage === 1 ? '' : 's'} per page, ${a.pdf?.orientation ?? PDF_DEFAULTS.orientation} ${a.pdf?.pageSize ?? PDF_DEFAULTS.pageSize}.`);
  }
  if (a.format === 'zip') {
    notes.push('The whole project folder (a consistent copy of project.db and media/) in one ZIP with a manifest; open it with File > Open Package (project.openPackage).');
  }
  return notes;
}

/** The files a timeline export writes, timeline file first, given the media names. */
function timelineFiles(target: ExportTarget, pictures: ShotPicture[], musicName: string | null): ExportPlan['files'] {
  const files: ExportPlan['files'] = [{ path: target.timeline!.path, kind: 'timeline' }];
  for (const p of pictures) files.push({ path: join(target.mediaDir!, p.mediaName), kind: 'media' });
  if (musicName) files.push({ path: join(target.mediaDir!, musicName), kind: 'media' });
  return files;
}

/**
 * What `exportProject` would write with these arguments, and what the artist should know (format limits, shots
 * without pictures, the music, which ffmpeg will render). Writes nothing.
 */
export async function planExport(store: ProjectStore, a: ExportChoice, ctx: Pick<ExportContext, 'bundledFfmpegPath'> = {}): Promise<ExportPlan> {
  const target = exportTarget(store, a);
  const { pictures, music, missingMusic } = shotPictures(store);
  if (pictures.length === 0) return { files: [], notes: ['The timeline has no shots to export: import a screenplay or add shots first.'] };
  const frames = pictures.reduce((n, p) => n + p.shot.durationFrames, 0);
  const notes = formatNotes(store, a, target, pictures);
  if (a.format !== 'zip' && a.format !== 'pdf') notes.push(...musicNotes(music, missingMusic, frames));
  if (a.format === 'mp4') {
    try {
      const ffmpeg = await resolveFfmpeg(ctx.bundledFfmpegPath);
      notes.push(`ffmpeg: ${ffmpeg.path} (${ffmpeg.source}, version ${ffmpeg.version}).`);
    } catch (error) {
      notes.push((error as Error).message);
    }
  }
  let files: ExportPlan['files'];
  if (target.timeline) {
    const placed = music ? placeMusic(music, frames) : null;
    files = timelineFiles(target, pictures, placed && music ? music.mediaName : null);
  } else files = [{ path: target.outPath, kind: a.format === 'mp4' ? 'video' : a.format === 'pdf' ? 'pdf' : 'package' }];
  return { files, notes };
}

/** The choice worth remembering: the arguments without the project handle and the per-run id, undefined left out. */
export function choiceOf(a: ExportChoice & { projectId?: string; exportId?: string }): ExportChoice {
  const { projectId: _p, exportId: _e, ...rest } = a;
  return JSON.parse(JSON.stringify(rest)) as ExportChoice;
}

/** Turns an error of a writer into the AppError a client sees. */
function asExportError(error: unknown, signal: AbortSignal | undefined, what: string): never {
  if (signal?.aborted || (error as Error)?.name === 'AbortError') throw cancelledError();
  if (error instanceof AppError) throw error;
  throw new AppError('export_failed', `${what} failed: ${(error as Error)?.message ?? String(error)}`, 'Fix what the message names and export again.');
}

/**
 * Exports the project. See the module comment for what each format writes.
 * @returns the files written (the timeline, video, PDF or package first), shot count, length, notes and, for mp4,
 *   the ffmpeg that ran.
 * @throws AppError `empty_timeline` (no shots), `shot_longer_than_clip` (timeline formats), `export_cancelled` (the
 *   signal aborted; no partial output is left), `export_failed` (a writer failed: the message says why).
 */
export async function exportProject(store: ProjectStore, a: ExportArgsParsed, ctx: ExportContext): Promise<ExportResult> {
  const { signal } = ctx;
  const report = ctx.onProgress ?? (() => undefined);
  const log = ctx.log ?? ((line: string) => console.error(line));
  const target = exportTarget(store, a);
  const { pictures: planned } = shotPictures(store);
  if (planned.length === 0) {
    throw new AppError('empty_timeline', 'The timeline has no shots to export.', 'Import a screenplay or add shots first.');
  }
  if (target.timeline) {
    const tooLong = shotsLongerThanClip(planned);
    if (tooLong.length > 0) throw new AppError('shot_longer_than_clip', longerThanClipSentence(tooLong[0]!), 'An editor\'s timeline cannot hold a shot past its clip; the animatic (mp4) holds the last frame instead.');
  }
  if (signal?.aborted) throw cancelledError();
  const notes = formatNotes(store, a, target, planned);
  let result: Omit<ExportResult, 'format' | 'notes'>;
  if (a.format === 'resolve') result = await exportResolveFolder(store, a, target, ctx, notes);
  else if (target.timeline) result = await exportTimelineFiles(store, a, target, ctx, notes);
  else if (a.format === 'mp4') result = await exportAnimatic(store, a, target, ctx, notes, log);
  else if (a.format === 'pdf') result = await exportPdf(store, a, target, ctx);
  else result = await exportPackage(store, target, ctx);
  store.setExportLastChoice(choiceOf(a));
  report('done', 1);
  return { ...result, format: a.format, notes };
}

/** Timeline text for a built timeline; OTIO with relative media rewrites its target URLs against the file's folder. */
function timelineText(built: BuiltTimeline, target: ExportTarget, a: ExportChoice, timelineDir: string): string {
  const format = target.timeline!.format;
  const fcpxmlVersion = a.fcpxmlVersion ?? '1.10';
  if (format !== 'otio' || target.mediaPaths === 'absolute') return exportTimeline(built.timeline, format, { fcpxmlVersion });
  const tree = buildOtioTimeline(built.timeline);
  const relativeUrl = new Map<string, string>();
  const paths = [...built.timeline.clips.map((c) => c.media.path), ...(built.timeline.music ? [built.timeline.music.path] : [])];
  for (const p of paths) relativeUrl.set(fileUrlFromPath(p), relative(timelineDir, p).split(sep).join('/'));
  for (const track of tree.tracks.children) {
    for (const child of track.children as Array<OtioClip | OtioGap>) {
      if (child.OTIO_SCHEMA !== 'Clip.2') continue;
      for (const ref of Object.values(child.media_references)) {
        const rel = relativeUrl.get(ref.target_url);
        if (rel !== undefined) ref.target_url = rel;
      }
    }
  }
  return serializeOtio(tree);
}

/** Checks the built timeline the way the exporters will, as an AppError. */
function checkTimeline(timeline: EditTimeline): void {
  try {
    assertEditTimeline(timeline);
  } catch (error) {
    throw new AppError('export_failed', `The timeline cannot be exported: ${(error as Error).message}.`, 'Fix the shot it names and export again.');
  }
}

async function exportTimelineFiles(store: ProjectStore, a: ExportChoice, target: ExportTarget, ctx: ExportContext, notes: string[]) {
  const report = ctx.onProgress ?? (() => undefined);
  const outDir = dirname(target.outPath);
  await mkdir(outDir, { recursive: true });
  const built = await buildEditTimeline(store, { mediaDir: target.mediaDir, signal: ctx.signal, onProgress: (f) => report('media', f * 0.95) });
  notes.push(...built.notes);
  checkTimeline(built.timeline);
  report('timeline', 0.95);
  let text: string;
  try {
    text = timelineText(built, target, a, outDir);
  } catch (error) {
    asExportError(error, ctx.signal, 'Writing the timeline');
  }
  if (ctx.signal?.aborted) throw cancelledError();
  await writeFileAtomic(target.outPath, text);
  return summary([target.outPath, ...built.mediaFiles], built.timeline);
}

/**
 * The Resolve preset: the folder is built under a hidden temp name beside it (media copied, timeline written with
 * the FINAL paths), then swapped into place, so Resolve never sees a half-made folder and a re-export replaces the
 * old one whole.
 */
async function exportResolveFolder(store: ProjectStore, a: ExportChoice, target: ExportTarget, ctx: ExportContext, notes: string[]) {
  const report = ctx.onProgress ?? (() => undefined);
  const finalDir = target.outPath;
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  const tempDir = join(parent, `.${basename(finalDir)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const oldDir = `${tempDir}.old`;
  try {
    const built = await buildEditTimeline(store, { mediaDir: join(tempDir, 'media'), signal: ctx.signal, onProgress: (f) => report('media', f * 0.95) });
    notes.push(...built.notes);
    // The timeline names the files where they will be once the folder is in place.
    const moved = (p: string): string => join(finalDir, relative(tempDir, p));
    const finalTimeline: EditTimeline = {
      ...built.timeline,
      clips: built.timeline.clips.map((c) => ({ ...c, media: { ...c.media, path: moved(c.media.path) } })),
      music: built.timeline.music ? { ...built.timeline.music, path: moved(built.timeline.music.path) } : null,
    };
    checkTimeline(finalTimeline);
    report('timeline', 0.95);
    let text: string;
    try {
      text = timelineText({ ...built, timeline: finalTimeline }, target, a, finalDir);
    } catch (error) {
      asExportError(error, ctx.signal, 'Writing the timeline');
    }
    await writeFileAtomic(join(tempDir, basename(target.timeline!.path)), text);
    if (ctx.signal?.aborted) throw cancelledError();
    const hadOld = existsSync(finalDir);
    if (hadOld) await rename(finalDir, oldDir);
    try {
      await rename(tempDir, finalDir);
    } catch (error) {
      if (hadOld) await rename(oldDir, finalDir).catch(() => undefined);
      throw error;
    }
    await rm(oldDir, { recursive: true, force: true });
    return summary([target.timeline!.path, ...built.mediaFiles.map(moved)], finalTimeline);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

async function exportAnimatic(store: ProjectStore, a: ExportChoice, target: ExportTarget, ctx: ExportContext, notes: string[], log: (line: string) => void) {
  const report = ctx.onProgress ?? (() => undefined);
  const built = await buildEditTimeline(store, { mediaDir: null, signal: ctx.signal, onProgress: (f) => report('media', f * 0.1) });
  notes.push(...built.notes);
  await mkdir(dirname(target.outPath), { recursive: true });
  report('encode', 0.1);
  try {
    const rendered = await renderAnimatic(built.timeline, target.outPath, {
      burnIn: a.burnIn,
      signal: ctx.signal,
      ffmpegPath: ctx.bundledFfmpegPath,
      log: (line) => log(line.replace(/^\[animatic\]/, '[export]')),
      onProgress: (p: AnimaticProgress) => report('encode', 0.1 + 0.9 * p.fraction),
    });
    return { ...summary([target.outPath], built.timeline), ffmpeg: rendered.ffmpeg };
  } catch (error) {
    asExportError(error, ctx.signal, 'Rendering the animatic');
  }
}

async function exportPdf(store: ProjectStore, a: ExportChoice, target: ExportTarget, ctx: ExportContext) {
  const report = ctx.onProgress ?? (() => undefined);
  const built = await buildEditTimeline(store, { mediaDir: null, signal: ctx.signal, onProgress: (f) => report('media', f * 0.5) });
  const settings = store.settings();
  const titlePage = store.titlePage();
  const shots: BoardShot[] = [];
  for (const [i, p] of built.pictures.entries()) {
    let imagePath: string | null = built.sourcePaths[i]!;
    if (p.take?.kind === 'video') {
      const thumb = p.take.thumbPath ? join(store.dir, ...p.take.thumbPath.split('/')) : null;
      imagePath = thumb && existsSync(thumb) ? thumb : null;
    }
    shots.push({
      shotNumber: p.shot.number,
      sceneNumber: p.scene.number,
      sceneHeading: p.scene.heading,
      imagePath,
      action: p.shot.action,
      dialogue: p.shot.dialogue.map((d) => ({ character: d.character, ...(d.parenthetical !== undefined ? { parenthetical: d.parenthetical } : {}), text: d.text })),
      shotSize: p.shot.shotSize,
      cameraAngle: p.shot.cameraAngle,
      cameraMove: p.shot.cameraMove,
      durationFrames: p.shot.durationFrames,
      notes: p.shot.notes,
    });
  }
  if (ctx.signal?.aborted) throw cancelledError();
  report('pdf', 0.5);
  const subtitle = [titlePage.Credit, titlePage.Author ?? titlePage.Authors].filter(Boolean).join(' ') || undefined;
  let bytes: Uint8Array;
  try {
    bytes = await renderBoardsPdf(
      { title: settings.name, ...(subtitle ? { subtitle } : {}), frameRate: settings.frameRate, shots },
      {
        perPage: a.pdf?.perPage ?? PDF_DEFAULTS.perPage,
        orientation: a.pdf?.orientation ?? PDF_DEFAULTS.orientation,
        pageSize: a.pdf?.pageSize ?? PDF_DEFAULTS.pageSize,
      },
    );
  } catch (error) {
    asExportError(error, ctx.signal, 'Drawing the storyboard sheets');
  }
  if (ctx.signal?.aborted) throw cancelledError();
  await mkdir(dirname(target.outPath), { recursive: true });
  await writeFileAtomic(target.outPath, bytes);
  return summary([target.outPath], built.timeline);
}

async function exportPackage(store: ProjectStore, target: ExportTarget, ctx: ExportContext) {
  const report = ctx.onProgress ?? (() => undefined);
  const shots = store.shots();
  await mkdir(dirname(target.outPath), { recursive: true });
  report('package', 0);
  try {
    await writeProjectPackage(store.dir, target.outPath, {
      signal: ctx.signal,
      appVersion: ctx.appVersion,
      snapshotDb: async (tmpPath) => {
        await store.db.backup(tmpPath);
      },
      onProgress: (p) => report('package', p.fraction),
    });
  } catch (error) {
    asExportError(error, ctx.signal, 'Packing the project');
  }
  return { files: [target.outPath], shotCount: shots.length, durationFrames: shots.reduce((n, s) => n + s.durationFrames, 0) };
}

function summary(files: string[], timeline: EditTimeline) {
  return { files, shotCount: timeline.clips.length, durationFrames: timeline.clips.reduce((n, c) => n + c.durationFrames, 0) };
}
