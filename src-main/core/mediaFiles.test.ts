import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from './Core';
import { LIBRARY_MEDIA_ID, POOL_MEDIA_ID, poolFilePath } from '../../src-preload/contract';
import { cardWidthFor, resolveMedia, resolveMediaRequest } from './mediaFiles';
import { ProjectStore } from './store/ProjectStore';

let dir: string;
let store: ProjectStore;
let shotId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sc-mediafiles-'));
  store = await ProjectStore.create(dir, { name: 'Cards', frameRate: { num: 24, den: 1 }, widthPx: 2048, heightPx: 858, defaultShotDurationFrames: 48 });
  const sceneId = store.createScene({ heading: 'INT. LAB - NIGHT' });
  shotId = store.createShot(sceneId);
  store.updateShots([shotId], { action: 'A door opens.' });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('placeholder card requests', () => {
  it('snaps a requested width to a few sizes, never above the project’s width', () => {
    expect(cardWidthFor(480, 2048)).toBe(480);
    expect(cardWidthFor(700, 2048)).toBe(960);
    expect(cardWidthFor(1920, 2048)).toBe(1920);
    expect(cardWidthFor(4000, 2048)).toBe(2048);
    expect(cardWidthFor(1920, 1280)).toBe(1280);
  });

  it('renders the thumbnail by default and a larger card on request, at the project’s aspect ratio', async () => {
    const thumb = await resolveMediaRequest(store, `cards/${shotId}.png`);
    const big = await resolveMediaRequest(store, `cards/${shotId}@1920.png`);
    expect(thumb.contentType).toBe('image/png');
    expect(await sharp(thumb.absPath).metadata()).toMatchObject({ width: 480, height: 201 });
    expect(await sharp(big.absPath).metadata()).toMatchObject({ width: 1920, height: 804 });
  });

  it('serves only files under media/, never the database', async () => {
    writeFileSync(join(store.dir, 'media', 'note.txt'), 'x');
    expect((await resolveMediaRequest(store, 'media/note.txt')).absPath).toBe(join(store.dir, 'media', 'note.txt'));
    await expect(resolveMediaRequest(store, 'project.db')).rejects.toMatchObject({ code: 'forbidden_path' });
    await expect(resolveMediaRequest(store, 'media/../project.db')).rejects.toMatchObject({ code: 'forbidden_path' });
    await expect(resolveMediaRequest(store, 'cards/nope.png')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('library media (character reference pictures)', () => {
  it('serves refs/ of the library under the id "library", and nothing else of the library folder', async () => {
    const core = new Core({ shell: 'cli', configDir: join(dir, 'config') });
    try {
      const picture = join(dir, 'bob.png');
      await sharp({ create: { width: 32, height: 32, channels: 3, background: '#a53' } }).png().toFile(picture);
      const bob = core.library().createCharacter({ name: 'BOB', description: 'goofy' });
      const withRef = await core.library().addReference(bob.id, { path: picture });
      const ref = withRef.referenceImages[0].path;
      expect(ref).toMatch(/^refs\/[0-9a-f]{64}\.png$/);
      const r = await resolveMedia(core, LIBRARY_MEDIA_ID, ref);
      expect(r.contentType).toBe('image/png');
      expect((await sharp(r.absPath).metadata()).width).toBe(32);
      await expect(resolveMedia(core, LIBRARY_MEDIA_ID, 'library.db')).rejects.toMatchObject({ code: 'forbidden_path' });
      await expect(resolveMedia(core, LIBRARY_MEDIA_ID, 'refs/../library.db')).rejects.toMatchObject({ code: 'forbidden_path' });
      await expect(resolveMedia(core, '0123456789abcdef', 'media/x.png')).rejects.toMatchObject({ code: 'project_not_open' });
    } finally {
      await core.close();
    }
  });
});

describe('take pool media (pictures of projects that are not open)', () => {
  it('serves a take’s thumbnail and a recorded file of a closed project, and nothing the pool does not record', async () => {
    const core = new Core({ shell: 'cli', configDir: join(dir, 'pool-config') });
    try {
      const p = await core.call('project.create', { dir: join(dir, 'pool-projects'), name: 'Elsewhere' });
      const { sceneId } = await core.call('scene.create', { projectId: p.projectId, heading: 'INT. ROOM - DAY' });
      const { shotId } = await core.call('shot.create', { projectId: p.projectId, sceneId });
      const picture = join(dir, 'pool.png');
      await sharp({ create: { width: 64, height: 36, channels: 3, background: '#3a5' } }).png().toFile(picture);
      const [take] = await core.call('take.import', { projectId: p.projectId, shotId, paths: [picture] });
      await core.call('library.reindex', {});
      await core.call('project.close', { projectId: p.projectId });

      const thumb = await resolveMedia(core, POOL_MEDIA_ID, `take/${take.id}`);
      expect(thumb.absPath).toBe(join(p.path, take.thumbPath!));
      const file = await resolveMedia(core, POOL_MEDIA_ID, poolFilePath(p.path, take.path));
      expect((await sharp(file.absPath).metadata()).width).toBe(64);

      await expect(resolveMedia(core, POOL_MEDIA_ID, poolFilePath(p.path, 'media/other.png'))).rejects.toMatchObject({ code: 'forbidden_path' });
      await expect(resolveMedia(core, POOL_MEDIA_ID, poolFilePath('/etc', 'media/passwd'))).rejects.toMatchObject({ code: 'forbidden_path' });
      await expect(resolveMedia(core, POOL_MEDIA_ID, `file/${Buffer.from(p.path).toString('base64url')}/project.db`)).rejects.toMatchObject({ code: 'forbidden_path' });
      await expect(resolveMedia(core, POOL_MEDIA_ID, 'take/tk_nope')).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await core.close();
    }
  });
});
