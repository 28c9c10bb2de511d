import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMediaBytes, importMediaFile } from './importMedia.ts';
import { MediaError } from './MediaError.ts';
import { HAS_FFMPEG, makeTempDir, writeAudioOnlyMp4, writeBytes, writeClip, writeJpeg, writePng, writeWebp } from './testFixtures.ts';

let base = '';
let sources = '';
beforeAll(async () => {
  base = await makeTempDir();
  sources = path.join(base, 'sources');
  await mkdir(sources);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

let projectCount = 0;
async function newProject(): Promise<string> {
  const dir = path.join(base, `Project ${++projectCount}.storycanvas`);
  await mkdir(dir);
  return dir;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every entry of media/takes, so a test sees any leftover temporary file. */
async function takesListing(project: string): Promise<string[]> {
  return (await readdir(path.join(project, 'media', 'takes'))).sort();
}

async function rejectionOf(promise: Promise<unknown>): Promise<MediaError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}

describe('importMediaFile', () => {
  it('copies a PNG to media/takes/<sha256>.png and reports what it is', async () => {
    const project = await newProject();
    const src = await writePng(sources, 'storyboard 12A v3.png', 64, 36);
    const bytes = await readFile(src);
    const imported = await importMediaFile(project, src);
    expect(imported).toEqual({
      relPath: `media/takes/${sha256(bytes)}.png`,
      contentHash: sha256(bytes),
      kind: 'image',
      format: 'png',
      widthPx: 64,
      heightPx: 36,
      durationSeconds: null,
      frameRate: null,
      originalName: 'storyboard 12A v3.png',
    });
    expect(await readFile(path.join(project, imported.relPath))).toEqual(bytes);
    expect(await takesListing(project)).toEqual([`${sha256(bytes)}.png`]);
  });

  it('names the file by the bytes: a JPEG called .png is stored as .jpg; WebP as .webp', async () => {
    const project = await newProject();
    const jpegBytes = await readFile(await writeJpeg(sources, 'x.jpg'));
    const misnamed = await writeBytes(sources, 'actually-a-jpeg.png', jpegBytes);
    expect((await importMediaFile(project, misnamed)).relPath).toBe(`media/takes/${sha256(jpegBytes)}.jpg`);
    expect((await importMediaFile(project, await writeWebp(sources, 'w.webp'))).relPath).toMatch(/^media\/takes\/[0-9a-f]{64}\.webp$/);
  });

  it('keeps the existing file when the same content is imported again', async () => {
    const project = await newProject();
    const src = await writePng(sources, 'same.png', 32, 32);
    const first = await importMediaFile(project, src);
    const stored = path.join(project, first.relPath);
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(stored, old, old);
    const copy = await writeBytes(sources, 'same copy.png', await readFile(src));
    const second = await importMediaFile(project, copy);
    expect(second.relPath).toBe(first.relPath);
    expect(second.originalName).toBe('same copy.png');
    expect((await stat(stored)).mtime.getTime()).toBe(old.getTime());
    expect(await takesListing(project)).toEqual([path.basename(first.relPath)]);
  });

  it('refuses before copying: nothing is written for text, empty or missing files', async () => {
    const project = await newProject();
    expect((await rejectionOf(importMediaFile(project, await writeBytes(sources, 'notes.png', 'not a picture')))).code).toBe('media.unsupported');
    expect((await rejectionOf(importMediaFile(project, await writeBytes(sources, 'zero.png', Buffer.alloc(0))))).code).toBe('media.empty');
    expect((await rejectionOf(importMediaFile(project, path.join(sources, 'missing.png')))).code).toBe('media.notFound');
    const png = await readFile(await writePng(sources, 'ok.png'));
    expect((await rejectionOf(importMediaFile(project, await writeBytes(sources, 'cut.png', png.subarray(0, png.length - 30))))).code).toBe('media.corrupt');
    await expect(stat(path.join(project, 'media'))).rejects.toThrow();
  });

  it('leaves no temporary file when the final rename fails (a folder holds the take name)', async () => {
    const project = await newProject();
    const src = await writePng(sources, 'blocked.png', 20, 20);
    const blocker = path.join(project, 'media', 'takes', `${sha256(await readFile(src))}.png`);
    await mkdir(blocker, { recursive: true });
    await writeBytes(blocker, 'keep-me.txt', 'x');
    await expect(importMediaFile(project, src)).rejects.toThrow();
    expect(await takesListing(project)).toEqual([path.basename(blocker)]);
  });

  it('imports concurrently the same file without leftovers', async () => {
    const project = await newProject();
    const src = await writePng(sources, 'twice.png', 24, 24);
    const results = await Promise.all([importMediaFile(project, src), importMediaFile(project, src), importMediaBytes(project, 'twice.png', await readFile(src))]);
    expect(new Set(results.map((r) => r.relPath)).size).toBe(1);
    expect(await takesListing(project)).toEqual([path.basename(results[0].relPath)]);
  });
});

describe('importMediaBytes', () => {
  it('stores bytes sent by value and keeps only the last part of the name', async () => {
    const project = await newProject();
    const bytes = await readFile(await writeJpeg(sources, 'drop.jpg', 48, 27));
    const imported = await importMediaBytes(project, 'C:\\Users\\ana\\Desktop\\shot 4B.jpg', bytes);
    expect(imported).toMatchObject({ relPath: `media/takes/${sha256(bytes)}.jpg`, format: 'jpeg', widthPx: 48, heightPx: 27, originalName: 'shot 4B.jpg' });
    expect(await readFile(path.join(project, imported.relPath))).toEqual(bytes);
  });

  it('gives the same file as importMediaFile for the same content', async () => {
    const project = await newProject();
    const src = await writeWebp(sources, 'both.webp');
    const fromFile = await importMediaFile(project, src);
    const fromBytes = await importMediaBytes(project, 'both.webp', await readFile(src));
    expect(fromBytes.relPath).toBe(fromFile.relPath);
    expect(await takesListing(project)).toEqual([path.basename(fromFile.relPath)]);
  });

  it('refuses empty, unreadable and corrupt bytes without writing anything', async () => {
    const project = await newProject();
    expect((await rejectionOf(importMediaBytes(project, 'a.png', Buffer.alloc(0)))).code).toBe('media.empty');
    const unsupported = await rejectionOf(importMediaBytes(project, 'a.pdf', Buffer.from('%PDF-1.7\n')));
    expect(unsupported.message).toBe('a.pdf is not an image or video StoryCanvas can read. Import PNG, JPEG or WebP images, or MP4, MOV or WebM clips.');
    const png = await readFile(await writePng(sources, 'b.png'));
    expect((await rejectionOf(importMediaBytes(project, 'b.png', png.subarray(0, 60)))).code).toBe('media.corrupt');
    await expect(stat(path.join(project, 'media'))).rejects.toThrow();
  });
});

if (!HAS_FFMPEG) console.warn('importMedia.test.ts: clip tests skipped because ffmpeg/ffprobe are not on PATH');
describe.skipIf(!HAS_FFMPEG)('importing clips', () => {
  it('imports an MP4 with its duration and frame rate', async () => {
    const project = await newProject();
    const src = await writeClip(sources, 'clip.mp4', 'mp4', { rate: '24000/1001', withAudio: true });
    const imported = await importMediaFile(project, src);
    expect(imported).toMatchObject({ relPath: `media/takes/${sha256(await readFile(src))}.mp4`, kind: 'video', format: 'mp4', widthPx: 64, heightPx: 36, frameRate: { num: 24000, den: 1001 } });
    expect(imported.durationSeconds).toBeGreaterThan(0.9);
  });

  it('imports a WebM sent by value (probed in the temp file, then renamed)', async () => {
    const project = await newProject();
    const bytes = await readFile(await writeClip(sources, 'clip.webm', 'webm'));
    const imported = await importMediaBytes(project, 'clip.webm', bytes);
    expect(imported).toMatchObject({ relPath: `media/takes/${sha256(bytes)}.webm`, kind: 'video', format: 'webm' });
    expect(await takesListing(project)).toEqual([`${sha256(bytes)}.webm`]);
  });

  it('removes the temp file when a clip sent by value turns out to be sound only', async () => {
    const project = await newProject();
    const bytes = await readFile(await writeAudioOnlyMp4(sources, 'tone.mp4'));
    expect((await rejectionOf(importMediaBytes(project, 'tone.mp4', bytes))).code).toBe('media.audioOnly');
    expect(await takesListing(project)).toEqual([]);
  });
});
