import { mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMediaFile } from './importMedia.ts';
import { MediaError } from './MediaError.ts';
import { HAS_FFMPEG, makeTempDir, writeClip, writeJpeg, writePng } from './testFixtures.ts';
import { ensureThumbnail, thumbnailRenderCount } from './thumbnail.ts';

let base = '';
let project = '';
beforeAll(async () => {
  base = await makeTempDir();
  project = path.join(base, '100% Cyber Bob.storycanvas');
  await mkdir(project);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function thumbsListing(): Promise<string[]> {
  return (await readdir(path.join(project, 'media', 'thumbs'))).sort();
}

describe('ensureThumbnail for stills', () => {
  it('makes a 320 px wide WebP that keeps the aspect ratio', async () => {
    const take = await importMediaFile(project, await writePng(base, 'wide.png', 640, 360));
    const rel = await ensureThumbnail(project, take.relPath, take.contentHash, 'image');
    expect(rel).toBe(`media/thumbs/${take.contentHash}-320.webp`);
    const meta = await sharp(path.join(project, rel)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 180]);
  });

  it('turns a phone picture upright by its EXIF orientation', async () => {
    const take = await importMediaFile(project, await writeJpeg(base, 'phone.jpg', 400, 300, 6));
    const rel = await ensureThumbnail(project, take.relPath, take.contentHash, 'image', 120);
    const meta = await sharp(path.join(project, rel)).metadata();
    expect([meta.width, meta.height]).toEqual([120, 160]);
  });

  it('returns the cached file without work when it exists', async () => {
    const take = await importMediaFile(project, await writePng(base, 'cached.png', 200, 100));
    const rel = await ensureThumbnail(project, take.relPath, take.contentHash, 'image', 100);
    const file = path.join(project, rel);
    const old = new Date('2021-05-05T00:00:00Z');
    await utimes(file, old, old);
    const before = thumbnailRenderCount();
    expect(await ensureThumbnail(project, take.relPath, take.contentHash, 'image', 100)).toBe(rel);
    expect(thumbnailRenderCount()).toBe(before);
    expect((await stat(file)).mtime.getTime()).toBe(old.getTime());
  });

  it('renders once for concurrent calls and leaves no temporary file', async () => {
    const take = await importMediaFile(project, await writePng(base, 'busy.png', 300, 200));
    const before = thumbnailRenderCount();
    const paths = await Promise.all(Array.from({ length: 6 }, () => ensureThumbnail(project, take.relPath, take.contentHash, 'image', 150)));
    expect(new Set(paths)).toEqual(new Set([`media/thumbs/${take.contentHash}-150.webp`]));
    expect(thumbnailRenderCount()).toBe(before + 1);
    expect((await thumbsListing()).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a malformed hash, a bad width, a path outside the project and a missing take', async () => {
    const hash = 'a'.repeat(64);
    const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof MediaError ? e.code : String(e)));
    expect(await codeOf(ensureThumbnail(project, 'media/takes/x.png', 'XYZ', 'image'))).toBe('media.badArgument');
    expect(await codeOf(ensureThumbnail(project, 'media/takes/x.png', hash, 'image', 0))).toBe('media.badArgument');
    expect(await codeOf(ensureThumbnail(project, 'media/takes/x.png', hash, 'image', 12.5))).toBe('media.badArgument');
    expect(await codeOf(ensureThumbnail(project, '../outside.png', hash, 'image'))).toBe('media.pathRejected');
    expect(await codeOf(ensureThumbnail(project, `media/takes/${hash}.png`, hash, 'image'))).toBe('media.notFound');
  });
});

if (!HAS_FFMPEG) console.warn('thumbnail.test.ts: clip tests skipped because ffmpeg/ffprobe are not on PATH');
describe.skipIf(!HAS_FFMPEG)('ensureThumbnail for clips', () => {
  it('grabs a frame of an MP4 (project folder name with % in it) and scales it', async () => {
    const take = await importMediaFile(project, await writeClip(base, 'clip.mp4', 'mp4', { withAudio: true }));
    const rel = await ensureThumbnail(project, take.relPath, take.contentHash, 'video', 128);
    const meta = await sharp(path.join(project, rel)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 128, 72]);
    expect((await thumbsListing()).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('takes the frame at 10% of the clip, not the first one', async () => {
    // 3 s clip: black for the first 0.2 s, then white; 10% is 0.3 s, so the thumbnail is white.
    const file = path.join(base, 'black-then-white.webm');
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    await promisify(execFile)('ffmpeg', [
      '-v', 'error', '-y',
      '-f', 'lavfi', '-i', 'color=c=black:size=64x36:rate=24:duration=0.2',
      '-f', 'lavfi', '-i', 'color=c=white:size=64x36:rate=24:duration=2.8',
      '-filter_complex', '[0:v][1:v]concat=n=2:v=1[v]', '-map', '[v]', '-c:v', 'libvpx', '-b:v', '100k', file,
    ]);
    const take = await importMediaFile(project, file);
    const rel = await ensureThumbnail(project, take.relPath, take.contentHash, 'video', 64);
    const stats = await sharp(path.join(project, rel)).stats();
    expect(stats.channels[0].mean).toBeGreaterThan(200);
  });
});
