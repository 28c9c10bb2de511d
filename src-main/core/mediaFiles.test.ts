import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from './Core';
import { cardWidthFor, LIBRARY_MEDIA_ID, resolveMedia, resolveMediaRequest } from './mediaFiles';
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
