import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { latestSchemaVersion } from './database';
import { letters, nextShotNumber, ProjectStore, projectFolderName, retimeFrames } from './ProjectStore';

let dir: string;
const settings = { name: 'Cyber Bob', frameRate: { num: 24000, den: 1001 }, widthPx: 1920, heightPx: 1080, defaultShotDurationFrames: 72 };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A project with two scenes: A (shots a1 a2 a3) and B (shots b1 b2). */
async function fixture() {
  const s = await ProjectStore.create(dir, settings);
  const A = s.createScene({ heading: 'INT. KITCHEN - NIGHT' });
  const B = s.createScene({ heading: 'EXT. STREET - DAY' });
  const a1 = s.createShot(A);
  const a2 = s.createShot(A);
  const a3 = s.createShot(A);
  const b1 = s.createShot(B);
  const b2 = s.createShot(B);
  return { s, A, B, a1, a2, a3, b1, b2 };
}

const order = (s: ProjectStore) => s.shots().map((x) => x.id);

describe('project folder', () => {
  it('creates <Name>.storycanvas with project.db and media/, with the pragmas the store relies on', async () => {
    const s = await ProjectStore.create(dir, settings);
    expect(s.dir).toBe(join(dir, 'Cyber Bob.storycanvas'));
    expect(existsSync(join(s.dir, 'project.db'))).toBe(true);
    expect(existsSync(join(s.dir, 'media'))).toBe(true);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.schemaVersion()).toBe(latestSchemaVersion());
    expect(s.settings()).toEqual(settings);
    const strict = s.db.prepare("SELECT name FROM sqlite_schema WHERE type='table' AND sql NOT LIKE '%STRICT%' AND name NOT LIKE 'sqlite_%'").all();
    expect(strict).toEqual([]);
    s.close();
  });

  it('refuses to create over an existing project and leaves no temporary folder', async () => {
    (await ProjectStore.create(dir, settings)).close();
    await expect(ProjectStore.create(dir, settings)).rejects.toMatchObject({ code: 'project_exists' });
    expect(readdirSync(dir)).toEqual(['Cyber Bob.storycanvas']);
  });

  it('opens from the folder or from project.db, and copied elsewhere it still opens (paths are relative)', async () => {
    const s = await ProjectStore.create(dir, settings);
    s.close();
    const again = await ProjectStore.open(join(dir, 'Cyber Bob.storycanvas', 'project.db'));
    expect(again.settings().name).toBe('Cyber Bob');
    again.close();
    const { cpSync } = await import('node:fs');
    cpSync(join(dir, 'Cyber Bob.storycanvas'), join(dir, 'moved', 'Copy.storycanvas'), { recursive: true });
    const copy = await ProjectStore.open(join(dir, 'moved', 'Copy.storycanvas'));
    expect(copy.settings()).toEqual(settings);
    copy.close();
  });

  it('says clearly when a folder is not a project', async () => {
    await expect(ProjectStore.open(dir)).rejects.toMatchObject({ code: 'not_a_project' });
  });

  it('refuses a project written by a newer app, without touching it', async () => {
    const s = await ProjectStore.create(dir, settings);
    s.db.pragma(`user_version = ${latestSchemaVersion() + 3}`);
    s.close();
    const err = await ProjectStore.open(s.dir).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('project_too_new');
    expect(err.message).toMatch(/newer StoryCanvas/);
    const raw = new Database(join(s.dir, 'project.db'));
    expect(raw.pragma('user_version', { simple: true })).toBe(latestSchemaVersion() + 3);
    raw.close();
  });

  it('takes a live backup before migrating an older project, then records the new version', async () => {
    const s = await ProjectStore.create(dir, settings);
    s.createScene({ heading: 'INT. KITCHEN - NIGHT' });
    s.close();
    const { loadMigrations, migrate, openDb } = await import('./database');
    const next = { version: latestSchemaVersion() + 1, name: 'test-add-column', sql: "ALTER TABLE scene ADD COLUMN mood TEXT NOT NULL DEFAULT ''" };
    const db = openDb(join(s.dir, 'project.db'));
    const r = await migrate(db, s.dir, [...loadMigrations(), next]);
    expect(r.from).toBe(latestSchemaVersion());
    expect(r.to).toBe(next.version);
    expect(r.backup).toMatch(new RegExp(`backups/project-v${latestSchemaVersion()}-.*\\.db$`));
    expect(db.pragma('user_version', { simple: true })).toBe(next.version);
    db.close();
    const backup = new Database(r.backup!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(latestSchemaVersion());
    expect(backup.prepare('SELECT heading FROM scene').all()).toEqual([{ heading: 'INT. KITCHEN - NIGHT' }]);
    backup.close();
  });
});

describe('order by fractional keys', () => {
  it('keeps creation order within scenes and scene order across them', async () => {
    const { s, a1, a2, a3, b1, b2 } = await fixture();
    expect(order(s)).toEqual([a1, a2, a3, b1, b2]);
    expect(s.shots().map((x) => x.number)).toEqual(['1A', '1B', '1C', '2A', '2B']);
    s.close();
  });

  it('moves a shot within a scene by writing exactly one row', async () => {
    const { s, a1, a2, a3, b1, b2 } = await fixture();
    const before = s.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    s.moveShots([a3], s.shot(a1).sceneId, a1);
    const after = s.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    expect(after.n - before.n).toBe(1);
    expect(order(s)).toEqual([a3, a1, a2, b1, b2]);
    s.close();
  });

  it('moves several shots across scenes, keeping their relative order, one row each', async () => {
    const { s, B, a1, a2, a3, b1, b2 } = await fixture();
    const before = (s.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    s.moveShots([a3, a1], B, b2);
    expect((s.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n - before).toBe(2);
    expect(order(s)).toEqual([a2, b1, a1, a3, b2]);
    expect(s.shot(a1).sceneId).toBe(B);
    s.moveShots([b2], B, null);
    expect(order(s)).toEqual([a2, b1, a1, a3, b2]);
    s.close();
  });

  it('refuses to move a shot before itself or before a shot of another scene', async () => {
    const { s, A, a1, b1 } = await fixture();
    expect(() => s.moveShots([a1], A, a1)).toThrow(/before itself/);
    expect(() => s.moveShots([a1], A, b1)).toThrow(/not in the target scene/);
    s.close();
  });

  it('survives 500 moves into the same gap (keys stay ordered)', async () => {
    const { s, A, a1, a2, a3 } = await fixture();
    for (let i = 0; i < 250; i++) {
      s.moveShots([a3], A, a2);
      s.moveShots([a2], A, a3);
    }
    expect(order(s).slice(0, 3)).toEqual([a1, a2, a3]);
    s.close();
  });

  it('moves a scene by writing one row', async () => {
    const { s, A, B } = await fixture();
    s.moveScene(B, A);
    expect(s.scenes().map((x) => x.id)).toEqual([B, A]);
    s.close();
  });
});

describe('undo and redo', () => {
  it('undoes and redoes moves, edits and deletes exactly', async () => {
    const { s, A, a1, a2, a3, b1, b2 } = await fixture();
    const snap = () => JSON.stringify(s.snapshot('p'));
    const s0 = snap();
    s.moveShots([a1], A, null);
    s.updateShots([a2, b1], { durationFrames: 48, shotSize: 'CU', dialogue: [{ character: 'BOB', text: 'Hi.' }] });
    s.deleteShots([b2]);
    const s3 = snap();
    expect(s.undoState()).toMatchObject({ canUndo: true, undoLabel: 'Delete shot 2B' });
    s.undo();
    s.undo();
    s.undo();
    expect(snap().replace(/"revision":\d+/, '')).toBe(s0.replace(/"revision":\d+/, ''));
    expect(s.undoState()).toMatchObject({ canUndo: true, canRedo: true, redoLabel: 'Move shot 1A' });
    s.redo();
    s.redo();
    s.redo();
    expect(snap().replace(/"revision":\d+/, '')).toBe(s3.replace(/"revision":\d+/, ''));
    expect(order(s)).toEqual([a2, a3, a1, b1]);
    s.close();
  });

  it('a new edit clears the redo stack', async () => {
    const { s, A, a1 } = await fixture();
    s.moveShots([a1], A, null);
    s.undo();
    expect(s.undoState().canRedo).toBe(true);
    s.updateShots([a1], { notes: 'hold on the door' });
    expect(s.undoState().canRedo).toBe(false);
    s.close();
  });

  it('restores a deleted shot together with its takes and its selected take', async () => {
    const { s, a1 } = await fixture();
    const [t] = s.addTakes(a1, [
      { path: 'media/takes/x.png', thumbPath: null, kind: 'image', source: 'imported', widthPx: 64, heightPx: 36, durationFrames: null, contentHash: 'x', originalName: 'x.png', meta: {} },
    ]);
    expect(s.shot(a1).selectedTakeId).toBe(t.id);
    s.deleteShots([a1]);
    expect(s.takes()).toHaveLength(0);
    s.undo();
    expect(s.shot(a1).selectedTakeId).toBe(t.id);
    expect(s.takes().map((x) => x.id)).toEqual([t.id]);
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
    s.close();
  });

  it('keeps takes added together in the order they were given', async () => {
    const { s, a1 } = await fixture();
    const take = (n: number) => ({ path: `media/takes/${n}.png`, thumbPath: null, kind: 'image' as const, source: 'imported' as const, widthPx: 8, heightPx: 8, durationFrames: null, contentHash: String(n), originalName: `${n}.png`, meta: {} });
    s.addTakes(a1, [1, 2, 3, 4, 5, 6, 7, 8].map(take));
    expect(s.takes(a1).map((t) => t.originalName)).toEqual(['1.png', '2.png', '3.png', '4.png', '5.png', '6.png', '7.png', '8.png']);
    s.close();
  });

  it('an edit that changes nothing is not an undo step and emits nothing', async () => {
    const { s, a1 } = await fixture();
    let calls = 0;
    s.onChange = () => calls++;
    s.updateShots([a1], { durationFrames: 72 });
    expect(calls).toBe(0);
    expect(s.undoState().undoLabel).toBe('Add shot 2B');
    s.close();
  });

  it('a failed edit rolls back and records nothing', async () => {
    const { s, a1 } = await fixture();
    expect(() =>
      s.edit('broken', (tx) => {
        tx.update('shot', a1, { notes: 'half' });
        tx.update('shot', a1, { duration_frames: -1 }); // CHECK constraint
      }),
    ).toThrow();
    expect(s.shot(a1).notes).toBe('');
    expect(s.undoState().undoLabel).toBe('Add shot 2B');
    s.close();
  });

  it('undoes settings changes', async () => {
    const s = await ProjectStore.create(dir, settings);
    s.updateSettings({ frameRate: { num: 25, den: 1 }, widthPx: 3840, heightPx: 2160 });
    expect(s.settings().frameRate).toEqual({ num: 25, den: 1 });
    s.undo();
    expect(s.settings()).toEqual(settings);
    s.close();
  });
});

describe('changing the frame rate later', () => {
  it('re-times every shot to keep its length in seconds, as one undoable step', async () => {
    const { s, a1, a2 } = await fixture();
    s.updateShots([a2], { durationFrames: 30 });
    s.updateSettings({ frameRate: { num: 25, den: 1 } }, { retimeShots: true });
    expect(s.settings().frameRate).toEqual({ num: 25, den: 1 });
    // 72 frames at 24000/1001 = 3.003 s -> 75 frames at 25; 30 -> 31 (1.2512 s -> 31.28 frames)
    expect(s.shot(a1).durationFrames).toBe(75);
    expect(s.shot(a2).durationFrames).toBe(31);
    expect(s.settings().defaultShotDurationFrames).toBe(75);
    expect(s.undoState().undoLabel).toBe('Change frame rate (shots keep their length in seconds)');
    s.undo();
    expect(s.shot(a1).durationFrames).toBe(72);
    expect(s.settings().frameRate).toEqual(settings.frameRate);
    s.close();
  });

  it('keeps frame counts when asked to, and changes resolution and aspect ratio', async () => {
    const { s, a1 } = await fixture();
    s.updateSettings({ frameRate: { num: 30, den: 1 }, widthPx: 2048, heightPx: 858 });
    expect(s.shot(a1).durationFrames).toBe(72);
    expect(s.settings()).toMatchObject({ widthPx: 2048, heightPx: 858 });
    s.close();
  });

  it('rounds to whole frames and never to zero', () => {
    expect(retimeFrames(72, { num: 24, den: 1 }, { num: 25, den: 1 })).toBe(75);
    expect(retimeFrames(72, { num: 24000, den: 1001 }, { num: 24, den: 1 })).toBe(72);
    expect(retimeFrames(1, { num: 60, den: 1 }, { num: 24, den: 1 })).toBe(1);
    expect(retimeFrames(100, { num: 25, den: 1 }, { num: 30000, den: 1001 })).toBe(120);
  });
});

describe('names and numbers', () => {
  it('numbers shots like a shooting script', () => {
    expect(letters(0)).toBe('A');
    expect(letters(25)).toBe('Z');
    expect(letters(26)).toBe('AA');
    expect(nextShotNumber('12', ['12A', '12B'])).toBe('12C');
    expect(nextShotNumber('12', ['12B'])).toBe('12A');
  });

  it('makes safe folder names', () => {
    expect(projectFolderName('My Film: Part 2')).toBe('My Film_ Part 2.storycanvas');
    const evil = projectFolderName('../../etc');
    expect(evil).not.toMatch(/[\\/]/);
    expect(evil.startsWith('.')).toBe(false);
    expect(projectFolderName('')).toBe('Untitled.storycanvas');
  });

  it('splits a heading edited in the inspector into INT/EXT, location and time of day', async () => {
    const s = await ProjectStore.create(dir, settings);
    const id = s.createScene({});
    s.updateScene(id, { heading: 'EXT. STREET - NIGHT' });
    expect(s.scene(id)).toMatchObject({ heading: 'EXT. STREET - NIGHT', intExt: 'EXT', location: 'STREET', timeOfDay: 'NIGHT' });
    s.close();
  });
});
