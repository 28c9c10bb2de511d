import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from './MediaError.ts';
import { contentTypeFor, resolveInsideProject, toProjectRelative } from './paths.ts';
import { makeTempDir } from './testFixtures.ts';

let base = '';
let project = '';
let outside = '';
beforeAll(async () => {
  base = realpathSync(await makeTempDir());
  project = path.join(base, 'Cyber Bob.storycanvas');
  outside = path.join(base, 'outside');
  await mkdir(path.join(project, 'media', 'takes'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(project, 'media', 'takes', 'a.png'), 'png');
  await writeFile(path.join(project, 'media', 'takes', '..hidden.png'), 'dots in a name are fine');
  await writeFile(path.join(outside, 'secret.txt'), 'secret');
  await writeFile(path.join(base, 'sibling.txt'), 'sibling');
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function refusal(relPath: string): MediaError {
  let caught: unknown;
  try {
    resolveInsideProject(project, relPath);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${JSON.stringify(relPath)} to be refused`).toBeInstanceOf(MediaError);
  expect((caught as MediaError).code).toBe('media.pathRejected');
  return caught as MediaError;
}

describe('resolveInsideProject', () => {
  it('resolves a stored relative path to the file inside the project', () => {
    expect(resolveInsideProject(project, 'media/takes/a.png')).toBe(path.join(project, 'media', 'takes', 'a.png'));
    expect(resolveInsideProject(project, 'media/takes/..hidden.png')).toBe(path.join(project, 'media', 'takes', '..hidden.png'));
  });

  it('resolves a path that does not exist yet under the real project folder', () => {
    expect(resolveInsideProject(project, 'media/thumbs/new-320.webp')).toBe(path.join(project, 'media', 'thumbs', 'new-320.webp'));
  });

  it('refuses .. segments, however they are placed', () => {
    for (const attack of ['../sibling.txt', 'media/../../sibling.txt', 'media/takes/../../../outside/secret.txt', '..', 'media/..']) {
      expect(refusal(attack).message).toContain('".."');
    }
  });

  it('refuses . and empty segments', () => {
    refusal('./media/takes/a.png');
    refusal('media//takes/a.png');
    refusal('media/takes/');
    refusal('');
  });

  it('refuses absolute, drive-letter and UNC paths', () => {
    expect(refusal(path.join(outside, 'secret.txt')).message).toMatch(/absolute|colon/);
    refusal('/etc/passwd');
    refusal('C:/Windows/win.ini');
    refusal('c:secret.txt');
    refusal('//server/share/file.png');
  });

  it('refuses NUL bytes and control characters', () => {
    expect(refusal('media/takes/a.png\0.txt').message).toContain('NUL');
    refusal('media/takes/a\n.png');
  });

  it('refuses backslashes, which Windows would read as separators (..\\ escapes)', () => {
    expect(refusal('media\\..\\..\\sibling.txt').message).toContain('backslash');
    refusal('..\\sibling.txt');
  });

  it('refuses undecoded percent-escapes (%2e%2e%2f) rather than decoding them twice', () => {
    refusal('%2e%2e/sibling.txt');
    refusal('media/%2e%2e%2f%2e%2e%2fsibling.txt');
  });

  it('refuses NTFS alternate streams and names Windows would trim', () => {
    refusal('media/takes/a.png:secret');
    refusal('media/takes/a.png.');
    refusal('media/takes/a.png ');
  });

  it.skipIf(process.platform === 'win32')('refuses a symbolic link that leaves the project (file and folder links)', async () => {
    await symlink(path.join(outside, 'secret.txt'), path.join(project, 'media', 'takes', 'link.png'));
    await symlink(outside, path.join(project, 'media', 'escape'));
    expect(refusal('media/takes/link.png').message).toContain('symbolic link');
    refusal('media/escape/secret.txt');
    // Even a name that does not exist yet under a link that leaves is refused.
    refusal('media/escape/not-yet.png');
  });

  it.skipIf(process.platform === 'win32')('follows a symbolic link that stays inside the project', async () => {
    await symlink(path.join(project, 'media', 'takes', 'a.png'), path.join(project, 'media', 'takes', 'alias.png'));
    expect(resolveInsideProject(project, 'media/takes/alias.png')).toBe(path.join(project, 'media', 'takes', 'a.png'));
  });

  it('says media.notFound when the project folder is gone', () => {
    let caught: unknown;
    try {
      resolveInsideProject(path.join(base, 'Gone.storycanvas'), 'media/takes/a.png');
    } catch (error) {
      caught = error;
    }
    expect((caught as MediaError).code).toBe('media.notFound');
  });
});

describe('toProjectRelative', () => {
  it('gives a / path relative to the project, and refuses one outside', () => {
    expect(toProjectRelative(project, path.join(project, 'media', 'takes', 'a.png'))).toBe('media/takes/a.png');
    expect(() => toProjectRelative(project, path.join(outside, 'secret.txt'))).toThrow(MediaError);
    expect(() => toProjectRelative(project, project)).toThrow(MediaError);
  });
});

describe('contentTypeFor', () => {
  it('maps take, thumbnail and export extensions, case-insensitively', () => {
    expect(contentTypeFor('media/takes/x.png')).toBe('image/png');
    expect(contentTypeFor('media/takes/x.JPG')).toBe('image/jpeg');
    expect(contentTypeFor('media/thumbs/x-320.webp')).toBe('image/webp');
    expect(contentTypeFor('media/takes/x.mov')).toBe('video/quicktime');
    expect(contentTypeFor('media/takes/x.mp4')).toBe('video/mp4');
    expect(contentTypeFor('media/takes/x.webm')).toBe('video/webm');
    expect(contentTypeFor('media/takes/x.mkv')).toBe('video/x-matroska');
    expect(contentTypeFor('exports/cut.fcpxml')).toBe('application/xml');
  });

  it('falls back to application/octet-stream for unknown or missing extensions', () => {
    expect(contentTypeFor('project.db')).toBe('application/octet-stream');
    expect(contentTypeFor('media/takes/noext')).toBe('application/octet-stream');
    expect(contentTypeFor('index.html')).toBe('application/octet-stream');
  });
});
