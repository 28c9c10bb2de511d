/**
 * Take triage through the contract: star, reject, tag, the trash (selection moves to the next best take, undo brings
 * everything back), and emptying the trash (only with confirm; files shared with a live take are kept).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Take } from '../../../src-preload/model';
import { Core } from '../Core';
import { nextBestTake } from './triage';

let root: string;
let core: Core;
let projectId: string;
let projectPath: string;
let shotId: string;
let takes: Take[];

/** A solid-colour PNG (distinct colours give distinct files). */
async function picture(name: string, r: number): Promise<string> {
  const file = join(root, name);
  writeFileSync(file, await sharp({ create: { width: 24, height: 16, channels: 3, background: { r, g: 80, b: 120 } } }).png().toBuffer());
  return file;
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'triage-'));
  core = new Core({ shell: 'cli', configDir: join(root, 'config') });
  const p = await core.call('project.create', { dir: join(root, 'projects'), name: 'Triage' });
  projectId = p.projectId;
  projectPath = p.path;
  const { sceneId } = await core.call('scene.create', { projectId, heading: 'EXT. PARK - DAY' });
  shotId = (await core.call('shot.create', { projectId, sceneId })).shotId;
  takes = await core.call('take.import', { projectId, shotId, paths: [await picture('a.png', 10), await picture('b.png', 90), await picture('c.png', 200)] });
});
afterEach(async () => {
  await core.close();
  rmSync(root, { recursive: true, force: true });
});

const snapshot = () => core.call('project.get', { projectId });
const selected = async () => (await snapshot()).scenes[0].shots[0].selectedTakeId;

describe('star, reject, tag', () => {
  it('stars and rejects exclusively, and each is one undo step', async () => {
    const starred = await core.call('take.star', { projectId, takeId: takes[1].id, starred: true });
    expect(starred).toMatchObject({ starred: true, rejected: false });
    expect((await core.call('edit.state', { projectId })).undoLabel).toBe(`Star a take of shot ${(await snapshot()).scenes[0].shots[0].number}`);
    const rejected = await core.call('take.reject', { projectId, takeId: takes[1].id, rejected: true });
    expect(rejected).toMatchObject({ starred: false, rejected: true });
    await core.call('edit.undo', { projectId });
    expect((await snapshot()).takes.find((t) => t.id === takes[1].id)).toMatchObject({ starred: true, rejected: false });
  });

  it('hands the selection on when the selected take is rejected', async () => {
    expect(await selected()).toBe(takes[0].id);
    await core.call('take.star', { projectId, takeId: takes[1].id, starred: true });
    await core.call('take.reject', { projectId, takeId: takes[0].id, rejected: true });
    expect(await selected()).toBe(takes[1].id);
  });

  it('cleans tags and refuses bad ones', async () => {
    const t = await core.call('take.tag', { projectId, takeId: takes[2].id, tags: [' night ', 'Night', 'hero shot'] });
    expect(t.tags).toEqual(['night', 'hero shot']);
    await expect(core.call('take.tag', { projectId, takeId: takes[2].id, tags: ['a,b'] })).rejects.toMatchObject({ code: 'invalid_tags', message: expect.stringMatching(/comma/) });
  });
});

describe('the trash', () => {
  it('moves a take to the trash, selects the next best (starred first), and undo restores both', async () => {
    await core.call('take.star', { projectId, takeId: takes[1].id, starred: true });
    const r = await core.call('take.delete', { projectId, takeIds: [takes[0].id] });
    expect(r.shots).toEqual([{ shotId, selectedTakeId: takes[1].id }]);
    const snap = await snapshot();
    expect(snap.takes.map((t) => t.id).sort()).toEqual([takes[1].id, takes[2].id].sort());
    expect(snap.scenes[0].shots[0].selectedTakeId).toBe(takes[1].id);
    const trash = await core.call('take.trash.list', { projectId });
    expect(trash.map((t) => t.id)).toEqual([takes[0].id]);
    expect(trash[0].trashedAt).toEqual(expect.any(String));
    expect(existsSync(join(projectPath, takes[0].path))).toBe(true);
    await expect(core.call('take.star', { projectId, takeId: takes[0].id, starred: true })).rejects.toMatchObject({ code: 'take_trashed' });
    await expect(core.call('take.select', { projectId, takeId: takes[0].id })).rejects.toMatchObject({ code: 'take_trashed' });

    await core.call('edit.undo', { projectId });
    expect(await selected()).toBe(takes[0].id);
    expect((await snapshot()).takes).toHaveLength(3);
    expect(await core.call('take.trash.list', { projectId })).toEqual([]);
  });

  it('restores a take and gives it the selection when the shot has none', async () => {
    await core.call('take.delete', { projectId, takeIds: takes.map((t) => t.id) });
    expect(await selected()).toBeNull();
    const [back] = await core.call('take.restore', { projectId, takeIds: [takes[2].id] });
    expect(back.trashedAt).toBeNull();
    expect(await selected()).toBe(takes[2].id);
    await expect(core.call('take.restore', { projectId, takeIds: [takes[2].id] })).rejects.toMatchObject({ code: 'not_trashed' });
  });

  it('empties the trash only with confirm, keeping files a live take still uses', async () => {
    // A second take of the same picture shares its file (content-addressed).
    const [twin] = await core.call('take.import', { projectId, shotId, paths: [join(root, 'a.png')] });
    expect(twin.path).toBe(takes[0].path);
    await core.call('take.delete', { projectId, takeIds: [takes[0].id, takes[1].id] });
    await expect(core.call('take.trash.empty', { projectId })).rejects.toMatchObject({ code: 'confirm_required', message: expect.stringMatching(/2 takes .* cannot be undone/) });
    expect(existsSync(join(projectPath, takes[1].path))).toBe(true);

    const r = await core.call('take.trash.empty', { projectId, confirm: true });
    expect(r.deletedTakes).toBe(2);
    expect(r.deletedFiles).toContain(takes[1].path);
    expect(r.deletedFiles).not.toContain(takes[0].path);
    expect(existsSync(join(projectPath, takes[1].path))).toBe(false);
    expect(existsSync(join(projectPath, takes[0].path))).toBe(true);
    expect(await core.call('take.trash.list', { projectId })).toEqual([]);
    expect((await snapshot()).takes.map((t) => t.id).sort()).toEqual([takes[2].id, twin.id].sort());
  });
});

describe('nextBestTake', () => {
  const take = (id: string, createdAt: string, extra: Partial<Take> = {}) => ({ id, createdAt, starred: false, rejected: false, trashedAt: null, ...extra }) as Take;
  it('prefers starred, then the newest unmarked; never rejected or trashed', () => {
    const list = [take('a', '2024-01-01'), take('b', '2024-01-03'), take('c', '2024-01-02', { starred: true }), take('d', '2024-01-04', { rejected: true })];
    expect(nextBestTake(list, null)).toBe('c');
    expect(nextBestTake(list, 'c')).toBe('b');
    expect(nextBestTake([take('x', '1', { rejected: true }), take('y', '2', { trashedAt: '3' })], null)).toBeNull();
  });
});
