/**
 * Characters, templates, prompts and seeds through the contract (Core.call / Core.dispatch) on the real Cyber Bob
 * screenplay: the library shared by two projects, per-project overrides, undo, delete-in-use, the composed prompt
 * and seed locking as the queue reads them (composeJobPrompt).
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../src-preload/contract';
import { Core } from '../Core';
import { composeJobPrompt } from '../prompt/jobPrompt';
import { SCENE_SHOT_STRIDE } from '../prompt/seeds';
import { loadMigrations, migrate, openDb } from '../store/database';
import { DB_FILE } from '../store/ProjectStore';

const CYBER_BOB = join(import.meta.dirname, '..', 'script', 'testdata', 'Cyber_Bob_ep00001.fountain');

let tmp: string;
let core: Core;
let events: Array<{ event: EventName; payload: unknown }>;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sc-consistency-'));
  core = new Core({ shell: 'cli', configDir: join(tmp, 'home') });
  events = [];
  core.events.onAny((event, payload) => events.push({ event, payload }));
});
afterEach(async () => {
  await core.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function cyberBob(name = 'Cyber Bob') {
  const p = await core.call('project.create', { dir: tmp, name });
  await core.call('script.import', { projectId: p.projectId, path: CYBER_BOB });
  const snap = await core.call('project.get', { projectId: p.projectId });
  const shots = snap.scenes.flatMap((s) => s.shots);
  const byAction = (start: string) => shots.find((s) => s.action.startsWith(start))!;
  return { projectId: p.projectId, snap, shots, byAction };
}

async function failure(method: string, args: unknown) {
  const r = await core.dispatch(method, args);
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}

describe('the shot, scene and settings records', () => {
  it('carry the consistency fields with their defaults', async () => {
    const { snap } = await cyberBob();
    expect(snap.scenes[0]).toMatchObject({ seed: null, seedLocked: false });
    expect(snap.scenes[0].shots[0]).toMatchObject({ templateId: null, pinnedPrompt: null, promptAdditions: '', seed: null, seedLocked: false });
    expect(snap.settings.defaultTemplateId).toBeUndefined();
  });

  it('migrates a version-3 project: existing rows get null, false and empty defaults', async () => {
    const dir = join(tmp, 'Old.storycanvas');
    mkdirSync(join(dir, 'media'), { recursive: true });
    const db = openDb(join(dir, DB_FILE), { create: true });
    await migrate(db, dir, loadMigrations().slice(0, 3));
    db.prepare("INSERT INTO project (id, name, fps_num, fps_den, width_px, height_px, default_shot_duration_frames, created_at) VALUES (1, 'Old', 24, 1, 1920, 1080, 72, 'x')").run();
    db.prepare("INSERT INTO scene (id, number, heading, order_key) VALUES ('scn_1', '1', 'INT. ROOM - DAY', 'a0')").run();
    db.prepare("INSERT INTO shot (id, scene_id, order_key, number, duration_frames) VALUES ('sht_1', 'scn_1', 'a0', '1A', 72)").run();
    db.prepare("INSERT INTO character (id, name) VALUES ('chr_1', 'BOB')").run();
    db.close();
    const { projectId } = await core.openProject(dir);
    const snap = await core.call('project.get', { projectId });
    expect(snap.scenes[0]).toMatchObject({ seed: null, seedLocked: false });
    expect(snap.scenes[0].shots[0]).toMatchObject({ templateId: null, pinnedPrompt: null, promptAdditions: '', seed: null, seedLocked: false });
    expect((await core.call('character.list', { projectId }))[0]).toMatchObject({ name: 'BOB', override: null, libraryId: null });
  });
});

describe('characters: the library, the script and per-project overrides', () => {
  it("lists the script's names merged with the library, with the shots of each", async () => {
    const { projectId, byAction } = await cyberBob();
    await core.call('character.create', { character: { name: 'Margaret', description: 'a sharp woman of 37' } });
    await core.call('character.create', { character: { name: 'Officer Dee' } });
    const list = await core.call('character.list', { projectId });
    expect(list.map((c) => c.name)).toEqual(['BOB', 'BOSS', 'CYBER BOB', 'CYBER BOSS', 'DOG', 'Margaret', 'Officer Dee']);
    const margaret = list.find((c) => c.name === 'Margaret')!;
    expect(margaret).toMatchObject({ fromScript: true, description: 'a sharp woman of 37', override: null });
    expect(margaret.libraryId).toMatch(/^lch_/);
    expect(margaret.shots.map((s) => s.number)).toContain(byAction('Margaret is fearful').number);
    expect(list.find((c) => c.name === 'Officer Dee')).toMatchObject({ fromScript: false, shots: [] });
    expect((await core.call('character.list', {})).map((c) => c.name)).toEqual(['Margaret', 'Officer Dee']);
  });

  it('adopts a script character into the library on its first edit', async () => {
    const { projectId } = await cyberBob();
    expect((await failure('character.update', { name: 'CYBER BOB', patch: { description: 'x' } })).code).toBe('not_found');
    const view = await core.call('character.update', { projectId, name: 'cyber bob', patch: { description: 'a goofy man of 40', triggerWords: ['cbob man'] } });
    expect(view).toMatchObject({ name: 'Cyber Bob', fromScript: true, description: 'a goofy man of 40', triggerWords: ['cbob man'] });
    expect((await core.call('character.list', {})).map((c) => c.name)).toEqual(['Cyber Bob']);
    expect(events.some((e) => e.event === 'library.changed')).toBe(true);
  });

  it('applies a project override only in its project, undoably, and clears it', async () => {
    const a = await cyberBob('Episode 1');
    const b = await cyberBob('Episode 2');
    await core.call('character.create', { character: { name: 'Dog', description: 'a cute chihuahua', lora: { name: 'dog.safetensors', strength: 0.7 } } });
    const over = await core.call('character.update', { projectId: a.projectId, name: 'DOG', scope: 'project', patch: { description: 'a wet chihuahua', lora: null } });
    expect(over).toMatchObject({ description: 'a wet chihuahua', lora: null, override: { description: 'a wet chihuahua', lora: null } });
    expect(await core.call('character.get', { projectId: b.projectId, name: 'dog' })).toMatchObject({ description: 'a cute chihuahua', lora: { name: 'dog.safetensors' }, override: null });
    // The override merges patches.
    await core.call('character.update', { projectId: a.projectId, name: 'DOG', scope: 'project', patch: { referenceWeight: 0.2 } });
    expect((await core.call('character.get', { projectId: a.projectId, name: 'dog' })).override).toEqual({ description: 'a wet chihuahua', lora: null, referenceWeight: 0.2 });
    await core.call('edit.undo', { projectId: a.projectId });
    expect((await core.call('character.get', { projectId: a.projectId, name: 'dog' })).override).toEqual({ description: 'a wet chihuahua', lora: null });
    await core.call('character.clearOverride', { projectId: a.projectId, name: 'Dog' });
    expect(await core.call('character.get', { projectId: a.projectId, name: 'dog' })).toMatchObject({ description: 'a cute chihuahua', override: null });
    expect((await failure('character.update', { projectId: a.projectId, name: 'DOG', scope: 'project', patch: { name: 'Rex' } })).code).toBe('invalid_override');
    expect((await failure('character.update', { name: 'DOG', scope: 'project', patch: {} })).code).toBe('invalid_args');
  });

  it('asks before deleting a character that shots use, listing them; force takes it off them (undoably)', async () => {
    const { projectId, byAction } = await cyberBob();
    await core.call('character.create', { character: { name: 'Margaret' } });
    const err = await failure('character.delete', { projectId, name: 'margaret' });
    expect(err.code).toBe('character_in_use');
    expect(err.message).toMatch(/^Margaret is in 4 shots: 1A, 1E, 1F, 1H\.$/);
    expect((await core.call('character.list', {})).map((c) => c.name)).toEqual(['Margaret']);

    const r = await core.call('character.delete', { projectId, name: 'margaret', force: true });
    expect(r).toEqual({ deletedFromLibrary: true, shotsChanged: 4 });
    const snap = await core.call('project.get', { projectId });
    const shot = snap.scenes.flatMap((s) => s.shots).find((s) => s.id === byAction('Margaret is fearful').id)!;
    expect(shot.characters).toEqual(['BOB']);
    await core.call('edit.undo', { projectId });
    const back = (await core.call('project.get', { projectId })).scenes.flatMap((s) => s.shots).find((s) => s.id === shot.id)!;
    expect(back.characters).toEqual(['MARGARET', 'BOB']);
    // A library character no shot uses goes without asking.
    await core.call('character.create', { character: { name: 'Nobody' } });
    expect(await core.call('character.delete', { name: 'nobody' })).toEqual({ deletedFromLibrary: true, shotsChanged: 0 });
    expect((await failure('character.delete', { name: 'nobody' })).code).toBe('not_found');
  });

  it('attaches and detaches characters by hand, undoably, in the project spelling', async () => {
    const { projectId, byAction } = await cyberBob();
    const shot = byAction('There are SEVEN CHIHUAHUAS');
    expect(shot.characters).toEqual([]);
    await core.call('character.create', { character: { name: 'Officer Dee' } });
    await core.call('character.attach', { projectId, name: 'dog', shotIds: [shot.id] });
    await core.call('character.attach', { projectId, name: 'officer dee', shotIds: [shot.id] });
    const get = async () => (await core.call('project.get', { projectId })).scenes.flatMap((s) => s.shots).find((s) => s.id === shot.id)!.characters;
    expect(await get()).toEqual(['DOG', 'Officer Dee']);
    expect((await core.call('character.get', { projectId, name: 'Officer Dee' })).shots).toEqual([{ shotId: shot.id, number: shot.number }]);
    await core.call('character.detach', { projectId, name: 'DOG', shotIds: [shot.id] });
    expect(await get()).toEqual(['Officer Dee']);
    await core.call('edit.undo', { projectId });
    expect(await get()).toEqual(['DOG', 'Officer Dee']);
  });
});

describe('templates, prompts and seeds of a project', () => {
  it('composes with the project default or the shot override, pins and adds, all undoable', async () => {
    const { projectId, byAction } = await cyberBob();
    await core.call('template.create', { template: { name: 'Noir', stylePrompt: 'charcoal sketch', negativePrompt: 'color', presetId: 'sdxl.fast' } });
    const ink = await core.call('template.create', { template: { name: 'Ink', stylePrompt: 'ink wash', presetId: 'flux_dev.fast' } });
    const shot = byAction('Margaret is fearful');
    await core.call('shot.update', { projectId, shotIds: [shot.id], patch: { shotSize: 'CU' } });
    await core.call('project.setDefaultTemplate', { projectId, template: 'noir' });
    let c = await core.call('prompt.compose', { projectId, shotId: shot.id });
    expect(c.template).toMatchObject({ name: 'Noir', from: 'project' });
    expect(c.prompt).toBe('close-up, face fills the frame, Margaret is fearful, confused and befuddled, exterior, park, day, charcoal sketch');
    expect(c.tokenWindow).toBe(75);

    await core.call('shot.setTemplate', { projectId, shotIds: [shot.id], template: ink.id });
    await core.call('shot.setPrompt', { projectId, shotIds: [shot.id], additions: 'rain' });
    c = await core.call('prompt.compose', { projectId, shotId: shot.id });
    expect(c.template).toMatchObject({ name: 'Ink', from: 'shot' });
    expect(c.tokenWindow).toBeNull(); // the flux preset's family reads with T5
    expect(c.prompt.endsWith('rain, ink wash')).toBe(true);

    await core.call('shot.setPrompt', { projectId, shotIds: [shot.id], pinned: 'Margaret backs away from a glowing cloud' });
    c = await core.call('prompt.compose', { projectId, shotId: shot.id });
    expect(c).toMatchObject({ pinned: true, prompt: 'Margaret backs away from a glowing cloud' });
    const snapShot = (await core.call('project.get', { projectId })).scenes[0].shots.find((s) => s.id === shot.id)!;
    expect(snapShot).toMatchObject({ templateId: ink.id, pinnedPrompt: 'Margaret backs away from a glowing cloud', promptAdditions: 'rain' });
    expect((await core.call('edit.state', { projectId })).undoLabel).toBe('Pin a prompt to shot 1E');
    await core.call('edit.undo', { projectId });
    expect((await core.call('prompt.compose', { projectId, shotId: shot.id })).pinned).toBe(false);

    // A deleted template falls back, and says so.
    await core.call('template.delete', { template: 'Ink' });
    c = await core.call('prompt.compose', { projectId, shotId: shot.id });
    expect(c.template).toMatchObject({ name: 'Noir', from: 'project' });
    expect(c.notes[0]).toMatch(/style template is no longer in the library; the project's default is used/);
    expect((await failure('shot.setTemplate', { projectId, shotIds: [shot.id], template: 'Ink' })).code).toBe('not_found');
  });

  it('keeps the default template in the settings, undoably', async () => {
    const { projectId } = await cyberBob();
    const t = await core.call('template.create', { template: { name: 'Noir' } });
    const settings = await core.call('project.updateSettings', { projectId, patch: { defaultTemplateId: 'noir', widthPx: 1280 } });
    expect(settings).toMatchObject({ defaultTemplateId: t.id, widthPx: 1280 });
    expect((await core.call('project.get', { projectId })).settings.defaultTemplateId).toBe(t.id);
    await core.call('edit.undo', { projectId });
    expect((await core.call('project.get', { projectId })).settings).not.toHaveProperty('defaultTemplateId');
  });

  it("locks a shot's seed from its selected take, a scene's seed for its other shots, and the queue gets them", async () => {
    const { projectId, snap } = await cyberBob();
    const store = core.project(projectId);
    const [first, second, third] = snap.scenes[0].shots;
    store.addTakes(first.id, [{ path: 'media/takes/a.png', thumbPath: null, kind: 'image', source: 'generated', widthPx: 64, heightPx: 64, durationFrames: null, contentHash: 'a', originalName: null, meta: { seed: 4242 } }]);
    await core.call('shot.setSeed', { projectId, shotIds: [first.id], locked: true });
    await core.call('scene.setSeed', { projectId, sceneId: snap.scenes[0].id, seed: 7000, locked: true });
    const now = await core.call('project.get', { projectId });
    expect(now.scenes[0]).toMatchObject({ seed: 7000, seedLocked: true });
    expect(now.scenes[0].shots[0]).toMatchObject({ seed: 4242, seedLocked: true });

    const library = core.library();
    const job = (shotId: string, takeIndex: number) => composeJobPrompt({ store, library, shotId, takeIndex, seedMode: 'sequence', sequenceSeed: 1 });
    expect(job(first.id, 0)).toMatchObject({ seed: 4242, seedFrom: 'shot' });
    expect(job(first.id, 1).seed).toBe(4243);
    expect(job(third.id, 0)).toMatchObject({ seed: 7000 + 2 * SCENE_SHOT_STRIDE, seedFrom: 'scene' });
    expect(job(first.id, 0).consistencyAids).toContain('seed locked (shot)');
    expect((await core.call('prompt.compose', { projectId, shotId: second.id })).lockedSeed).toEqual({ seed: 7000 + SCENE_SHOT_STRIDE, from: 'scene' });

    await core.call('scene.setSeed', { projectId, sceneId: snap.scenes[0].id, locked: false });
    expect(job(third.id, 0)).toMatchObject({ seed: 1, seedFrom: 'sequence' });
    await core.call('edit.undo', { projectId });
    expect(job(third.id, 0).seedFrom).toBe('scene');
    expect((await failure('shot.setSeed', { projectId, shotIds: [first.id], seed: null, locked: true })).code).toBe('invalid_seed');
    expect((await failure('shot.setSeed', { projectId, shotIds: [first.id], seed: -1, locked: true })).code).toBe('invalid_args');
  });

  it('gives the queue the LoRAs, trigger words and references of the characters present', async () => {
    const { projectId, byAction } = await cyberBob();
    await core.call('character.update', { projectId, name: 'CYBER BOB', patch: { description: 'a goofy man', lora: { name: 'cbob.safetensors', strength: 0.8 }, triggerWords: ['cbob man'] } });
    const png = join(tmp, 'bob.png');
    const sharp = (await import('sharp')).default;
    await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } }).png().toFile(png);
    const withRef = await core.call('character.addReference', { name: 'Cyber Bob', path: png, weight: 0.5 });
    const shot = byAction('He holds up his phone toward the cloud');
    const j = composeJobPrompt({ store: core.project(projectId), library: core.library(), shotId: shot.id, seedMode: 'random', random: () => 99 });
    expect(j.loras).toEqual([{ name: 'cbob.safetensors', strengthModel: 0.8, strengthClip: 0.8 }]);
    expect(j.triggerWords).toEqual(['cbob man']);
    expect(j.referenceImages).toEqual([{ path: core.library().absolutePath(withRef.referenceImages[0].path), weight: 0.3, character: 'Cyber Bob' }]);
    expect(j.consistencyAids).toEqual(['lora:cbob.safetensors', 'trigger words', 'description', 'reference images']);
    expect(j.seed).toBe(99);
    expect(j.prompt).toContain('cbob man, Cyber Bob: a goofy man');
  });
});

describe('template files through the contract', () => {
  it('exports to a path and imports it back; bad files are refused with the field named', async () => {
    await core.call('template.create', { template: { name: 'Noir', stylePrompt: 'charcoal sketch', loras: [{ name: 'grain.safetensors', strengthModel: 0.5 }] } });
    const out = join(tmp, 'noir.json');
    const r = await core.call('template.export', { template: 'noir', outPath: out });
    expect(r.path).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe(r.json);
    await core.call('template.delete', { template: 'Noir' });
    const back = await core.call('template.import', { path: out });
    expect(back).toMatchObject({ name: 'Noir', stylePrompt: 'charcoal sketch', loras: [{ name: 'grain.safetensors', strengthModel: 0.5 }] });
    expect((await failure('template.import', { path: out })).code).toBe('template_exists');
    expect((await core.call('template.import', { path: out, onConflict: 'rename' })).name).toBe('Noir (2)');
    writeFileSync(join(tmp, 'bad.json'), '{"storycanvas":"template","version":1,"name":"x","sampler":{"steps":-3}}');
    const bad = await failure('template.import', { path: join(tmp, 'bad.json') });
    expect(bad).toMatchObject({ code: 'invalid_template_file', message: expect.stringMatching(/^bad\.json is not a valid template: .*sampler\.steps/) });
    expect((await failure('template.import', { text: 'nope', fileName: 'paste.json' })).message).toMatch(/^paste\.json is not JSON/);
    expect((await failure('template.import', { path: join(tmp, 'missing.json') })).code).toBe('not_found');
  });
});

describe('the library file', () => {
  it('is refused when a newer StoryCanvas wrote it', async () => {
    core.library();
    await core.close();
    const raw = new Database(join(tmp, 'home', 'library.db'));
    raw.pragma('user_version = 7');
    raw.close();
    core = new Core({ shell: 'cli', configDir: join(tmp, 'home') });
    expect(await failure('template.list', {})).toMatchObject({ code: 'library_too_new' });
  });
});
