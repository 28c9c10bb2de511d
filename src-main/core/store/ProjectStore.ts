import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ProjectSettings, ProjectSnapshot, Scene, Shot, Take, UndoState } from '../../../src-preload/model';
import type { ScenePatch, ShotPatch } from '../../../src-preload/contract';
import { AppError, notFound } from '../errors';
import { parseSlugline } from '../script/slugline';
import { newId } from '../ids';
import { latestSchemaVersion, migrate, openDb, type Db } from './database';
import { Journal, type EditTx, type Row } from './journal';
import {
  characterFromRow,
  sceneFromRow,
  settingsFromRow,
  settingsToColumns,
  shotFromRow,
  shotPatchToColumns,
  takeFromRow,
} from './rows';

export const PROJECT_SUFFIX = '.storycanvas';
export const DB_FILE = 'project.db';

/** Defaults for a new project: 1920x1080 at 24 fps, shots of 3 seconds. */
export const DEFAULT_SETTINGS: Omit<ProjectSettings, 'name'> = {
  frameRate: { num: 24, den: 1 },
  widthPx: 1920,
  heightPx: 1080,
  defaultShotDurationFrames: 72,
};

/**
 * A file-system safe folder name for a project name: keeps letters, digits, spaces, `-_.()&,'`; other
 * characters become `_`. `My Film: Part 2` -> `My Film_ Part 2.storycanvas`.
 */
export function projectFolderName(name: string): string {
  const safe = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} \-_.()&,']/gu, '_')
    .replace(/^\.+/, '_')
    .trim()
    .slice(0, 120);
  return (safe || 'Untitled') + PROJECT_SUFFIX;
}

/**
 * The next free shot number in a scene: scene `12` with `12A`, `12B` gives `12C`; after `12Z` comes `12AA`.
 * Numbers of shots an artist renamed by hand are respected (skipped when taken).
 */
export function nextShotNumber(sceneNumber: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 0; ; i++) {
    const candidate = sceneNumber + letters(i);
    if (!used.has(candidate)) return candidate;
  }
}

/** 0 -> A, 25 -> Z, 26 -> AA, 27 -> AB … (spreadsheet column letters). */
export function letters(index: number): string {
  let s = '';
  let n = index + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * One open project: its folder, its database and its undo journal.
 *
 * Every edit goes through `edit()` (one transaction, one undo step) and is durable when the call returns.
 * `onChange(label)` is called after every committed edit, undo and redo, so the core can emit
 * `project.changed` to every client.
 */
export class ProjectStore {
  readonly journal: Journal;
  private rev = 0;
  onChange: (label: string) => void = () => {};

  private constructor(
    /** Absolute path of the `<Name>.storycanvas` folder. */
    readonly dir: string,
    readonly db: Db,
  ) {
    this.journal = new Journal(db);
  }

  /**
   * Creates `<dir>/<Name>.storycanvas/` with `project.db` and `media/`, and opens it.
   * The folder is built under a temporary name and renamed into place, so a failure leaves nothing behind.
   * @throws AppError `project_exists` when the folder is already there; `invalid_directory` when `dir` is not a directory.
   */
  static async create(parentDir: string, settings: ProjectSettings): Promise<ProjectStore> {
    const parent = resolve(parentDir);
    if (!existsSync(parent)) mkdirSync(parent, { recursive: true });
    if (!statSync(parent).isDirectory()) throw new AppError('invalid_directory', `${parent} is not a directory.`, 'Choose a folder to create the project in.');
    const dir = join(parent, projectFolderName(settings.name));
    if (existsSync(dir)) {
      throw new AppError('project_exists', `A project already exists at ${dir}.`, 'Open it, or choose another name or folder.');
    }
    const tmp = `${dir}.creating-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'media'), { recursive: true });
    try {
      const db = openDb(join(tmp, DB_FILE), { create: true });
      try {
        await migrate(db, tmp);
        db.prepare(
          `INSERT INTO project (id, name, fps_num, fps_den, width_px, height_px, default_shot_duration_frames, created_at)
           VALUES (1, @name, @fps_num, @fps_den, @width_px, @height_px, @default_shot_duration_frames, @created_at)`,
        ).run({ ...settingsToColumns(settings), created_at: new Date().toISOString() });
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      renameSync(tmp, dir);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
    return ProjectStore.open(dir);
  }

  /**
   * Opens a project from its folder or its `project.db`. Migrates an older project (after a backup) and
   * refuses a newer one.
   * @throws AppError `not_a_project`, `project_too_new`, `corrupt_project`.
   */
  static async open(path: string): Promise<ProjectStore> {
    let dir = resolve(path);
    if (basename(dir) === DB_FILE) dir = dirname(dir);
    if (!existsSync(join(dir, DB_FILE))) {
      throw new AppError(
        'not_a_project',
        `${dir} is not a StoryCanvas project (it has no ${DB_FILE}).`,
        'Open a folder named <Name>.storycanvas, or create a new project.',
      );
    }
    const db = openDb(join(dir, DB_FILE));
    try {
      await migrate(db, dir);
      const integrity = db.pragma('quick_check', { simple: true });
      if (integrity !== 'ok') throw new AppError('corrupt_project', `The project database is damaged (${String(integrity)}).`, 'Restore it from the backups/ folder.');
      if (!db.prepare('SELECT 1 FROM project WHERE id = 1').get()) throw new AppError('corrupt_project', 'The project database has no settings row.', 'Restore it from the backups/ folder.');
    } catch (err) {
      db.close();
      throw err;
    }
    mkdirSync(join(dir, 'media'), { recursive: true });
    return new ProjectStore(dir, db);
  }

  /** The schema version of the open database (for diagnostics). */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  static latestSchemaVersion(): number {
    return latestSchemaVersion();
  }

  get revision(): number {
    return this.rev;
  }

  close(): void {
    if (this.db.open) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // another connection may hold the WAL; closing is still safe
      }
      this.db.close();
    }
  }

  // ---- edits, undo, redo -------------------------------------------------------------------------

  /** Runs one undoable edit. See `Journal.edit`. */
  edit<T>(label: string, fn: (tx: EditTx) => T): T {
    const { result, changed } = this.journal.edit(label, fn);
    if (changed) this.changed(label);
    return result;
  }

  undo(): UndoState {
    const label = this.journal.undo();
    if (label) this.changed(`Undo ${label}`);
    return this.journal.state();
  }

  redo(): UndoState {
    const label = this.journal.redo();
    if (label) this.changed(`Redo ${label}`);
    return this.journal.state();
  }

  undoState(): UndoState {
    return this.journal.state();
  }

  /** Marks a change made outside the journal (media files, caches) so clients refresh. */
  changed(label: string): void {
    this.rev++;
    this.onChange(label);
  }

  // ---- reads -------------------------------------------------------------------------------------

  settings(): ProjectSettings {
    return settingsFromRow(this.db.prepare('SELECT * FROM project WHERE id = 1').get() as Row);
  }

  titlePage(): Record<string, string> {
    const r = this.db.prepare('SELECT title_page FROM project WHERE id = 1').get() as { title_page: string };
    return JSON.parse(r.title_page) as Record<string, string>;
  }

  scenes(): Scene[] {
    return (this.db.prepare('SELECT * FROM scene ORDER BY order_key, id').all() as Row[]).map(sceneFromRow);
  }

  scene(id: string): Scene {
    const r = this.db.prepare('SELECT * FROM scene WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw notFound('scene', id);
    return sceneFromRow(r);
  }

  /** Shots of one scene in order, or of the whole project in timeline order. */
  shots(sceneId?: string): Shot[] {
    const rows = sceneId
      ? (this.db.prepare('SELECT * FROM shot WHERE scene_id = ? ORDER BY order_key, id').all(sceneId) as Row[])
      : (this.db
          .prepare('SELECT shot.* FROM shot JOIN scene ON scene.id = shot.scene_id ORDER BY scene.order_key, scene.id, shot.order_key, shot.id')
          .all() as Row[]);
    return rows.map(shotFromRow);
  }

  shot(id: string): Shot {
    const r = this.db.prepare('SELECT * FROM shot WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw notFound('shot', id);
    return shotFromRow(r);
  }

  takes(shotId?: string): Take[] {
    const rows = shotId
      ? (this.db.prepare('SELECT * FROM take WHERE shot_id = ? ORDER BY created_at, id').all(shotId) as Row[])
      : (this.db.prepare('SELECT * FROM take ORDER BY created_at, id').all() as Row[]);
    return rows.map(takeFromRow);
  }

  take(id: string): Take {
    const r = this.db.prepare('SELECT * FROM take WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw notFound('take', id);
    return takeFromRow(r);
  }

  characters() {
    return (this.db.prepare('SELECT * FROM character ORDER BY name').all() as Row[]).map(characterFromRow);
  }

  /** The whole project for the timeline: scenes in order, each with its shots in order. */
  snapshot(projectId: string): ProjectSnapshot {
    const read = this.db.transaction(() => {
      const shotsByScene = new Map<string, Shot[]>();
      for (const s of (this.db.prepare('SELECT * FROM shot ORDER BY scene_id, order_key, id').all() as Row[]).map(shotFromRow)) {
        let list = shotsByScene.get(s.sceneId);
        if (!list) shotsByScene.set(s.sceneId, (list = []));
        list.push(s);
      }
      return {
        projectId,
        path: this.dir,
        settings: this.settings(),
        titlePage: this.titlePage(),
        scenes: this.scenes().map((sc) => ({ ...sc, shots: shotsByScene.get(sc.id) ?? [] })),
        takes: this.takes(),
        characters: this.characters(),
        revision: this.rev,
        music: this.musicForSnapshot(),
      };
    });
    return read();
  }

  // ---- settings ----------------------------------------------------------------------------------

  /**
   * Changes project settings as one undoable step. With `retimeShots` and a new frame rate, every shot (and the
   * default shot duration, unless the patch sets it) keeps its length in seconds, rounded to whole frames of the
   * new rate (`retimeFrames`); without it, shots keep their frame counts and so change length in seconds.
   * `extraColumns` lets other modules change their own project columns in the same step.
   */
  updateSettings(patch: Partial<ProjectSettings>, opts: { retimeShots?: boolean; extraColumns?: Row } = {}): ProjectSettings {
    const before = this.settings();
    const to = patch.frameRate;
    const retime = !!opts.retimeShots && !!to && to.num * before.frameRate.den !== before.frameRate.num * to.den;
    const cols = { ...settingsToColumns(patch), ...opts.extraColumns };
    if (retime && patch.defaultShotDurationFrames === undefined) {
      cols.default_shot_duration_frames = retimeFrames(before.defaultShotDurationFrames, before.frameRate, to!);
    }
    const shots = retime ? (this.db.prepare('SELECT id, duration_frames FROM shot').all() as { id: string; duration_frames: number }[]) : [];
    this.edit(retime ? 'Change frame rate (shots keep their length in seconds)' : 'Change project settings', (tx) => {
      tx.update('project', 1, cols);
      for (const s of shots) tx.update('shot', s.id, { duration_frames: retimeFrames(s.duration_frames, before.frameRate, to!) });
    });
    return this.settings();
  }

  // ---- scenes ------------------------------------------------------------------------------------

  /** The order key for a new last scene, or one just after `afterSceneId`. */
  private sceneKeyAfter(afterSceneId: string | null | undefined): string {
    const scenes = this.scenes();
    if (!afterSceneId) return generateKeyBetween(scenes.at(-1)?.orderKey ?? null, null);
    const i = scenes.findIndex((s) => s.id === afterSceneId);
    if (i < 0) throw notFound('scene', afterSceneId);
    return generateKeyBetween(scenes[i].orderKey, scenes[i + 1]?.orderKey ?? null);
  }

  createScene(opts: { afterSceneId?: string | null; heading?: string }): string {
    const id = newId('scn');
    const scenes = this.scenes();
    const numbers = new Set(scenes.map((s) => s.number));
    let n = scenes.length + 1;
    while (numbers.has(String(n))) n++;
    this.edit('Add scene', (tx) =>
      tx.insert('scene', {
        id,
        number: String(n),
        heading: opts.heading ?? 'NEW SCENE',
        int_ext: null,
        location: '',
        time_of_day: '',
        synopsis: '',
        order_key: this.sceneKeyAfter(opts.afterSceneId),
        script_key: null,
      }),
    );
    return id;
  }

  updateScene(sceneId: string, patch: ScenePatch): void {
    const scene = this.scene(sceneId);
    const cols: Row = {};
    if (patch.number !== undefined) cols.number = patch.number;
    if (patch.heading !== undefined) {
      const h = parseSlugline(patch.heading);
      Object.assign(cols, { heading: patch.heading, int_ext: h.intExt, location: h.location, time_of_day: h.timeOfDay });
    }
    if (patch.synopsis !== undefined) cols.synopsis = patch.synopsis;
    this.edit(`Edit scene ${scene.number}`, (tx) => tx.update('scene', sceneId, cols));
  }

  moveScene(sceneId: string, beforeSceneId: string | null): void {
    const scene = this.scene(sceneId);
    const others = this.scenes().filter((s) => s.id !== sceneId);
    let left: string | null;
    let right: string | null;
    if (beforeSceneId === null) {
      left = others.at(-1)?.orderKey ?? null;
      right = null;
    } else {
      const i = others.findIndex((s) => s.id === beforeSceneId);
      if (i < 0) throw notFound('scene', beforeSceneId);
      left = others[i - 1]?.orderKey ?? null;
      right = others[i].orderKey;
    }
    this.edit(`Move scene ${scene.number}`, (tx) => tx.update('scene', sceneId, { order_key: generateKeyBetween(left, right) }));
  }

  deleteScene(sceneId: string): void {
    const scene = this.scene(sceneId);
    const shots = this.shots(sceneId);
    this.edit(`Delete scene ${scene.number}`, (tx) => {
      for (const s of shots) this.deleteShotRows(tx, s.id);
      tx.delete('scene', sceneId);
    });
  }

  // ---- shots -------------------------------------------------------------------------------------

  createShot(sceneId: string, afterShotId?: string | null): string {
    const scene = this.scene(sceneId);
    const shots = this.shots(sceneId);
    let left: string | null = shots.at(-1)?.orderKey ?? null;
    let right: string | null = null;
    if (afterShotId) {
      const i = shots.findIndex((s) => s.id === afterShotId);
      if (i < 0) throw notFound('shot', afterShotId);
      left = shots[i].orderKey;
      right = shots[i + 1]?.orderKey ?? null;
    }
    const number = nextShotNumber(scene.number, this.allShotNumbers());
    const id = newId('sht');
    this.edit(`Add shot ${number}`, (tx) =>
      tx.insert('shot', {
        id,
        scene_id: sceneId,
        order_key: generateKeyBetween(left, right),
        number,
        shot_size: null,
        camera_angle: null,
        camera_move: null,
        lens_mm: null,
        action: '',
        dialogue: '[]',
        notes: '',
        duration_frames: this.settings().defaultShotDurationFrames,
        selected_take_id: null,
        characters: '[]',
        script_key: null,
      }),
    );
    return id;
  }

  allShotNumbers(): string[] {
    return (this.db.prepare('SELECT number FROM shot').all() as { number: string }[]).map((r) => r.number);
  }

  /** Applies one patch to several shots as one undo step (multi-select edits). */
  updateShots(shotIds: string[], patch: ShotPatch): void {
    const shots = shotIds.map((id) => this.shot(id));
    const cols = shotPatchToColumns(patch as Partial<Shot>);
    const what = Object.keys(patch).length === 1 && patch.durationFrames !== undefined ? 'Change duration of' : 'Edit';
    this.edit(`${what} ${describeShots(shots)}`, (tx) => {
      for (const s of shots) tx.update('shot', s.id, cols);
    });
  }

  /**
   * Moves shots into `sceneId` before `beforeShotId` (or to the scene's end when null), keeping their
   * current timeline order. Each moved shot gets one new order key: one row written per shot.
   * @throws AppError `invalid_move` when `beforeShotId` is one of the moved shots or not in the scene.
   */
  moveShots(shotIds: string[], sceneId: string, beforeShotId: string | null): void {
    this.scene(sceneId);
    const moving = new Set(shotIds);
    if (beforeShotId && moving.has(beforeShotId)) {
      throw new AppError('invalid_move', 'A shot cannot be moved before itself.', 'Drop the shots before another shot.');
    }
    const order = new Map(this.shots().map((s, i) => [s.id, i]));
    for (const id of shotIds) if (!order.has(id)) throw notFound('shot', id);
    const moved = [...moving].sort((a, b) => order.get(a)! - order.get(b)!).map((id) => this.shot(id));
    const target = this.shots(sceneId).filter((s) => !moving.has(s.id));
    let left: string | null;
    let right: string | null;
    if (beforeShotId === null) {
      left = target.at(-1)?.orderKey ?? null;
      right = null;
    } else {
      const i = target.findIndex((s) => s.id === beforeShotId);
      if (i < 0) throw new AppError('invalid_move', `Shot ${beforeShotId} is not in the target scene.`, 'Reload the timeline and try again.');
      left = target[i - 1]?.orderKey ?? null;
      right = target[i].orderKey;
    }
    const keys = generateNKeysBetween(left, right, moved.length);
    this.edit(`Move ${describeShots(moved)}`, (tx) => {
      moved.forEach((s, i) => tx.update('shot', s.id, { scene_id: sceneId, order_key: keys[i] }));
    });
  }

  deleteShots(shotIds: string[]): void {
    const shots = shotIds.map((id) => this.shot(id));
    this.edit(`Delete ${describeShots(shots)}`, (tx) => {
      for (const s of shots) this.deleteShotRows(tx, s.id);
    });
  }

  /** Deletes a shot and its take rows (their files stay in media/, and undo restores the rows). */
  private deleteShotRows(tx: EditTx, shotId: string): void {
    tx.update('shot', shotId, { selected_take_id: null });
    for (const t of this.takes(shotId)) tx.delete('take', t.id);
    tx.delete('shot', shotId);
  }

  // ---- takes -------------------------------------------------------------------------------------

  /**
   * Records takes whose files are already in `media/`. The first take of a shot without a selected take
   * becomes selected. One undo step.
   */
  addTakes(shotId: string, takes: Omit<Take, 'id' | 'shotId' | 'createdAt'>[], label?: string): Take[] {
    const shot = this.shot(shotId);
    const ids = takes.map(() => newId('tk'));
    // one millisecond apart, so takes added together keep the order they were given (takes sort by created_at)
    const startMs = Date.now();
    const createdAt = (i: number) => new Date(startMs + i).toISOString();
    this.edit(label ?? `Import ${takes.length === 1 ? 'a take' : `${takes.length} takes`} into shot ${shot.number}`, (tx) => {
      takes.forEach((t, i) =>
        tx.insert('take', {
          id: ids[i],
          shot_id: shotId,
          path: t.path,
          thumb_path: t.thumbPath,
          kind: t.kind,
          source: t.source,
          width_px: t.widthPx,
          height_px: t.heightPx,
          duration_frames: t.durationFrames,
          content_hash: t.contentHash,
          original_name: t.originalName,
          meta: JSON.stringify(t.meta ?? {}),
          created_at: createdAt(i),
        }),
      );
      if (!shot.selectedTakeId && ids.length > 0) tx.update('shot', shotId, { selected_take_id: ids[0] });
    });
    return ids.map((id) => this.take(id));
  }

  /**
   * Makes a take the selected take of its shot (undoable).
   * @throws AppError `take_trashed` for a take in the project's trash: restore it first.
   */
  selectTake(takeId: string): void {
    const take = this.take(takeId);
    const trashed = this.db.prepare('SELECT trashed_at FROM take WHERE id = ?').get(takeId) as { trashed_at: string | null };
    if (trashed.trashed_at) {
      throw new AppError('take_trashed', 'That take is in the project’s trash.', 'Restore it from the trash, then select it.');
    }
    const shot = this.shot(take.shotId);
    this.edit(`Select take of shot ${shot.number}`, (tx) => tx.update('shot', shot.id, { selected_take_id: takeId }));
  }

  /** Sets a take's thumbnail path (a cache, not an undoable edit). */
  setTakeThumb(takeId: string, thumbPath: string): void {
    this.db.prepare('UPDATE take SET thumb_path = ? WHERE id = ?').run(thumbPath, takeId);
  }

  // ---- music and export preferences (migration 0003-music-prefs) ------------------------------------

  /** The project's music bed as stored, or null when it has none. */
  music(): StoredMusic | null {
    const r = this.db
      .prepare('SELECT music_path, music_original_name, music_offset_frames, music_duration_seconds, music_sample_rate_hz, music_channels FROM project WHERE id = 1')
      .get() as Row;
    if (typeof r.music_path !== 'string' || typeof r.music_duration_seconds !== 'number') return null;
    return {
      path: r.music_path,
      originalName: (r.music_original_name as string | null) ?? r.music_path.split('/').pop()!,
      offsetFrames: r.music_offset_frames as number,
      durationSeconds: r.music_duration_seconds,
      sampleRateHz: (r.music_sample_rate_hz as number | null) ?? 48000,
      channels: (r.music_channels as number | null) ?? 2,
    };
  }

  /** Sets (or with null removes) the music: one undoable edit labelled `label`. The file in media/ is never touched. */
  setMusic(music: StoredMusic | null, label: string): void {
    this.edit(label, (tx) =>
      tx.update('project', 1, {
        music_path: music?.path ?? null,
        music_original_name: music?.originalName ?? null,
        music_offset_frames: music?.offsetFrames ?? 0,
        music_duration_seconds: music?.durationSeconds ?? null,
        music_sample_rate_hz: music?.sampleRateHz ?? null,
        music_channels: music?.channels ?? null,
      }),
    );
  }

  /** `ProjectSnapshot.music`: path, original name, offset and length in frames at the project's rate. */
  private musicForSnapshot(): ProjectSnapshot['music'] {
    const music = this.music();
    if (!music) return null;
    const { path, originalName, offsetFrames } = music;
    return { path, originalName, offsetFrames, durationFrames: musicDurationFrames(music.durationSeconds, this.settings().frameRate) };
  }

  /** The arguments of the last successful export (parsed JSON), or null. A preference: not undoable. */
  exportLastChoice(): unknown {
    const r = this.db.prepare('SELECT export_last_choice FROM project WHERE id = 1').get() as { export_last_choice: string | null };
    if (!r.export_last_choice) return null;
    try {
      return JSON.parse(r.export_last_choice) as unknown;
    } catch {
      return null;
    }
  }

  /** Records the last successful export's arguments (written directly, outside the undo journal). */
  setExportLastChoice(choice: unknown): void {
    this.db.prepare('UPDATE project SET export_last_choice = ? WHERE id = 1').run(choice === null ? null : JSON.stringify(choice));
  }
}

/** The music bed as the project row stores it. Paths are relative to the project folder, with `/`. */
export interface StoredMusic {
  /** `media/music/<sha256>.<ext>` */
  path: string;
  /** the file's name as the artist had it */
  originalName: string;
  /** where the music starts, frames from the first shot's first frame */
  offsetFrames: number;
  /** length of the file in seconds (kept in seconds so a frame rate change stays exact) */
  durationSeconds: number;
  sampleRateHz: number;
  channels: number;
}

/** Whole frames of music at a rate, rounded down (never past the file's end), at least 1. */
export function musicDurationFrames(durationSeconds: number, frameRate: { num: number; den: number }): number {
  return Math.max(1, Math.floor((durationSeconds * frameRate.num) / frameRate.den + 1e-9));
}

/**
 * A duration in frames at one rate, as the nearest whole number of frames (at least 1) of the same length in
 * seconds at another: 72 frames at 24 fps -> 75 at 25 fps; 72 at 24000/1001 -> 72 at 24 (3.003 s -> 3 s).
 */
export function retimeFrames(frames: number, from: { num: number; den: number }, to: { num: number; den: number }): number {
  return Math.max(1, Math.round((frames * to.num * from.den) / (to.den * from.num)));
}

/** `shot 12A`, `shots 12A, 12B`, `5 shots`: a label for undo menus. */
export function describeShots(shots: { number: string }[]): string {
  if (shots.length === 1) return `shot ${shots[0].number}`;
  if (shots.length <= 3) return `shots ${shots.map((s) => s.number).join(', ')}`;
  return `${shots.length} shots`;
}
