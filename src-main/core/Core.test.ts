import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../src-preload/contract';
import { Core } from './Core';

const FIXTURES = join(import.meta.dirname, 'script', 'testdata');
const CYBER_BOB = join(FIXTURES, 'Cyber_Bob_ep00001.fountain');

let tmp: string;
let core: Core;
let events: Array<{ event: EventName; payload: unknown }>;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sc-core-'));
  core = new Core({ shell: 'cli', configDir: join(tmp, 'home') });
  events = [];
  core.events.onAny((event, payload) => events.push({ event, payload }));
});
afterEach(async () => {
  await core.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function newProject(name = 'Cyber Bob') {
  return core.call('project.create', { dir: tmp, name, frameRate: { num: 24000, den: 1001 } });
}

describe('the contract, end to end through dispatch', () => {
  it('validates arguments and names the method and the field', async () => {
    const reply = await core.dispatch('shot.update', { projectId: 'x', shotIds: [], patch: { durationFrames: -2 } });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_args');
      expect(reply.error.message).toMatch(/^shot\.update: /);
      expect(reply.error.message).toMatch(/durationFrames/);
    }
    const unknown = await core.dispatch('shot.teleport', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('creates, lists and reopens a project, and remembers it as recent', async () => {
    const p = await newProject();
    expect(p.settings.frameRate).toEqual({ num: 24000, den: 1001 });
    expect(await core.call('project.list', {})).toHaveLength(1);
    await core.call('project.close', { projectId: p.projectId });
    const again = await core.call('project.open', { path: p.path });
    expect(again.projectId).toBe(p.projectId);
    expect((await core.call('project.recent', {}))[0]).toMatchObject({ path: p.path, name: 'Cyber Bob' });
  });
});

describe('script import on a real screenplay', () => {
  it('turns Cyber Bob into 3 scenes with shots, dialogue and its six characters', async () => {
    const p = await newProject();
    const r = await core.call('script.import', { projectId: p.projectId, path: CYBER_BOB });
    expect(r.scenesAdded).toBe(3);
    expect(r.shotsAdded).toBeGreaterThan(3);
    expect(new Set(r.characters)).toEqual(new Set(['BOB', 'DOG', 'MARGARET', 'CYBER BOB', 'CYBER BOSS', 'BOSS']));
    const snap = await core.call('project.get', { projectId: p.projectId });
    expect(snap.scenes).toHaveLength(3);
    const shots = snap.scenes.flatMap((s) => s.shots);
    expect(shots).toHaveLength(r.shotsAdded);
    expect(shots.every((s) => s.durationFrames === 72)).toBe(true);
    expect(shots.some((s) => s.dialogue.length > 0)).toBe(true);
    // numbered by scene, lettered in order
    expect(snap.scenes[0].shots.map((s) => s.number).slice(0, 2)).toEqual([`${snap.scenes[0].number}A`, `${snap.scenes[0].number}B`]);
    expect(snap.characters.map((c) => c.name).sort()).toEqual(['BOB', 'BOSS', 'CYBER BOB', 'CYBER BOSS', 'DOG', 'MARGARET']);
    expect(events.some((e) => e.event === 'project.changed')).toBe(true);
    // the whole import is one undo step
    expect((await core.call('edit.state', { projectId: p.projectId })).undoLabel).toBe('Import script Cyber_Bob_ep00001.fountain');
  });

  it('re-importing updates and never duplicates, and keeps the artist’s edits', async () => {
    const p = await newProject();
    const first = await core.call('script.import', { projectId: p.projectId, path: CYBER_BOB });
    const snap1 = await core.call('project.get', { projectId: p.projectId });
    const shot = snap1.scenes[1].shots[0];
    await core.call('shot.update', { projectId: p.projectId, shotIds: [shot.id], patch: { durationFrames: 120, shotSize: 'CU' } });
    const again = await core.call('script.import', { projectId: p.projectId, path: CYBER_BOB });
    expect(again).toMatchObject({ scenesAdded: 0, shotsAdded: 0, shotsUpdated: 0, shotsNoLongerInScript: 0 });
    const snap2 = await core.call('project.get', { projectId: p.projectId });
    expect(snap2.scenes.flatMap((s) => s.shots)).toHaveLength(first.shotsAdded);
    const kept = snap2.scenes[1].shots[0];
    expect(kept).toMatchObject({ id: shot.id, durationFrames: 120, shotSize: 'CU' });

    // an edited script: one action paragraph changed -> that shot updated in place
    const text = readFileSync(CYBER_BOB, 'utf8');
    const changed = text.replace(shot.action.split('\n')[0], 'A completely rewritten action line.');
    expect(changed).not.toBe(text);
    const edited = await core.call('script.import', { projectId: p.projectId, text: changed, fileName: 'Cyber_Bob_ep00001.fountain' });
    expect(edited.shotsAdded).toBe(0);
    expect(edited.shotsUpdated).toBe(1);
    const snap3 = await core.call('project.get', { projectId: p.projectId });
    expect(snap3.scenes[1].shots[0]).toMatchObject({ id: shot.id, durationFrames: 120, action: expect.stringContaining('A completely rewritten action line.') });
  });

  it('refuses a non-Fountain file with a clear error and leaves the project untouched', async () => {
    const p = await newProject();
    const png = join(tmp, 'picture.fountain');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toFile(png);
    const before = await core.call('project.get', { projectId: p.projectId });
    const reply = await core.dispatch('script.import', { projectId: p.projectId, path: png });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_script');
      expect(reply.error.message).toMatch(/picture\.fountain/);
      expect(reply.error.hint).toBeTruthy();
    }
    const prose = join(tmp, 'notes.txt');
    writeFileSync(prose, 'just some words\nwith no screenplay in them at all\n');
    expect(await core.dispatch('script.import', { projectId: p.projectId, path: prose })).toMatchObject({ ok: false, error: { code: 'invalid_script' } });
    const after = await core.call('project.get', { projectId: p.projectId });
    expect({ ...after, revision: 0 }).toEqual({ ...before, revision: 0 });
    expect((await core.call('edit.state', { projectId: p.projectId })).canUndo).toBe(false);
  });
});

describe('timeline edits through the contract', () => {
  it('moves a shot across scenes, changes durations of a selection, and undoes/redoes', async () => {
    const p = await newProject();
    await core.call('script.import', { projectId: p.projectId, path: CYBER_BOB });
    const snap = await core.call('project.get', { projectId: p.projectId });
    const [s1, s2] = snap.scenes;
    const moved = s1.shots[0];
    await core.call('shot.move', { projectId: p.projectId, shotIds: [moved.id], sceneId: s2.id, beforeShotId: s2.shots[1].id });
    await core.call('shot.update', { projectId: p.projectId, shotIds: [s2.shots[0].id, s2.shots[1].id], patch: { durationFrames: 48 } });
    let now = await core.call('project.get', { projectId: p.projectId });
    expect(now.scenes[1].shots.map((s) => s.id).slice(0, 3)).toEqual([s2.shots[0].id, moved.id, s2.shots[1].id]);
    expect(now.scenes[1].shots[0].durationFrames).toBe(48);
    const undo1 = await core.call('edit.undo', { projectId: p.projectId });
    expect(undo1.redoLabel).toMatch(/^Change duration of shots/);
    await core.call('edit.undo', { projectId: p.projectId });
    now = await core.call('project.get', { projectId: p.projectId });
    expect(now.scenes.map((s) => s.shots.map((x) => x.id))).toEqual(snap.scenes.map((s) => s.shots.map((x) => x.id)));
    await core.call('edit.redo', { projectId: p.projectId });
    now = await core.call('project.get', { projectId: p.projectId });
    expect(now.scenes[1].shots[1].id).toBe(moved.id);
    const labels = events.filter((e) => e.event === 'project.changed').map((e) => (e.payload as { label: string }).label);
    expect(labels.slice(-3)).toEqual([expect.stringMatching(/^Undo Change duration/), expect.stringMatching(/^Undo Move shot/), expect.stringMatching(/^Redo Move shot/)]);
  });
});

describe('takes without AI', () => {
  it('imports images and a clip as takes, makes thumbnails once, and refuses a file that is not media', async () => {
    const p = await newProject();
    const scene = await core.call('scene.create', { projectId: p.projectId, heading: 'INT. LAB - NIGHT' });
    const { shotId } = await core.call('shot.create', { projectId: p.projectId, sceneId: scene.sceneId });
    const png = join(tmp, 'frame.png');
    const jpg = join(tmp, 'frame.jpg');
    await sharp({ create: { width: 320, height: 180, channels: 3, background: '#336' } }).png().toFile(png);
    await sharp({ create: { width: 640, height: 360, channels: 3, background: '#633' } }).jpeg().toFile(jpg);
    const takes = await core.call('take.import', { projectId: p.projectId, shotId, paths: [png, jpg] });
    expect(takes.map((t) => [t.kind, t.widthPx, t.heightPx, t.source])).toEqual([
      ['image', 320, 180, 'imported'],
      ['image', 640, 360, 'imported'],
    ]);
    for (const t of takes) {
      expect(t.path).toMatch(/^media\/takes\/[0-9a-f]{64}\.(png|jpg)$/);
      expect(existsSync(join(p.path, t.path))).toBe(true);
      expect(t.thumbPath && existsSync(join(p.path, t.thumbPath))).toBe(true);
    }
    let snap = await core.call('project.get', { projectId: p.projectId });
    expect(snap.scenes[0].shots[0].selectedTakeId).toBe(takes[0].id);
    await core.call('take.select', { projectId: p.projectId, takeId: takes[1].id });
    snap = await core.call('project.get', { projectId: p.projectId });
    expect(snap.scenes[0].shots[0].selectedTakeId).toBe(takes[1].id);

    const clip = join(tmp, 'clip.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=24', '-t', '2', '-pix_fmt', 'yuv420p', clip]);
    const [video] = await core.call('take.import', { projectId: p.projectId, shotId, paths: [clip] });
    expect(video).toMatchObject({ kind: 'video', widthPx: 64, heightPx: 36 });
    expect(video.durationFrames).toBe(48); // 2 s at 24000/1001 -> 47.95 -> 48

    const bogus = join(tmp, 'notes.png');
    writeFileSync(bogus, 'this is text, not a picture');
    const reply = await core.dispatch('take.import', { projectId: p.projectId, shotId, paths: [png, bogus] });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message).toMatch(/notes\.png is not an image or video/);
    expect((await core.call('project.get', { projectId: p.projectId })).takes).toHaveLength(3);
  });
});

describe('export', () => {
  it('writes FCPXML 1.10 with every shot and a self-contained media folder that validates against the DTD', async () => {
    const p = await newProject();
    await core.call('script.import', { projectId: p.projectId, path: CYBER_BOB });
    const out = join(tmp, 'export', 'Cyber Bob.fcpxml');
    const r = await core.call('export.run', { projectId: p.projectId, format: 'fcpxml', outPath: out });
    const snap = await core.call('project.get', { projectId: p.projectId });
    const shots = snap.scenes.flatMap((s) => s.shots);
    expect(r.shotCount).toBe(shots.length);
    expect(r.durationFrames).toBe(shots.reduce((n, s) => n + s.durationFrames, 0));
    expect(r.files[0]).toBe(out);
    for (const f of r.files) expect(existsSync(f)).toBe(true);
    const dtd = join(import.meta.dirname, 'export', 'testdata', 'fcpxml-dtd', 'FCPXMLv1_10.dtd');
    execFileSync('xmllint', ['--noout', '--dtdvalid', dtd, out]);
    const xml = readFileSync(out, 'utf8');
    expect(xml.match(/<video /g)?.length).toBe(shots.length);
    expect(xml).toContain('version="1.10"');
    copyFileSync(out, join(tmp, 'keep.fcpxml'));
  });

  it('refuses to export an empty timeline with a hint', async () => {
    const p = await newProject();
    expect(await core.dispatch('export.run', { projectId: p.projectId, format: 'fcpxml' })).toMatchObject({ ok: false, error: { code: 'empty_timeline' } });
  });
});
