import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core/Core';
import { resolveMediaRequest } from '../core/mediaFiles';
import { appProtocolHandler, parseRangeHeader, resolveUiPath } from './protocol';
import { CONTENT_SECURITY_POLICY } from './security';

describe('parseRangeHeader', () => {
  it('reads single byte ranges and clamps them to the file', () => {
    expect(parseRangeHeader('bytes=0-99', 1000)).toEqual({ startByte: 0, endByte: 99 });
    expect(parseRangeHeader('bytes=500-', 1000)).toEqual({ startByte: 500, endByte: 999 });
    expect(parseRangeHeader('bytes=-100', 1000)).toEqual({ startByte: 900, endByte: 999 });
    expect(parseRangeHeader('bytes=-5000', 1000)).toEqual({ startByte: 0, endByte: 999 });
    expect(parseRangeHeader('bytes=900-5000', 1000)).toEqual({ startByte: 900, endByte: 999 });
  });

  it('says unsatisfiable for a start past the end, an empty suffix or an empty file', () => {
    expect(parseRangeHeader('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=0-', 0)).toBe('unsatisfiable');
  });

  it('ignores absent, malformed and multi-range headers (the whole file is sent)', () => {
    for (const h of [null, undefined, '', 'bytes=', 'bytes=-', 'items=0-1', 'bytes=0-1,5-6', 'bytes=9-3', 'bytes=a-b']) {
      expect(parseRangeHeader(h, 1000), String(h)).toBeNull();
    }
  });
});

describe('resolveUiPath', () => {
  const root = '/opt/sc/out/renderer';
  it('maps / to index.html and plain paths under the renderer folder', () => {
    expect(resolveUiPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveUiPath(root, '/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveUiPath(root, '/assets/a%20b.png')).toBe(join(root, 'assets', 'a b.png'));
  });
  it.each(['/..%2f..%2fetc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%5c..%5csecret', '/a//b', '/./x', '/C:/Windows/win.ini', '/a%00b', '/%E0%A4%A'])('refuses %s', (p) => {
    expect(resolveUiPath(root, p)).toBeNull();
  });
});

describe('appProtocolHandler', () => {
  let work: string;
  let rendererDir: string;
  let core: Core;
  let projectId: string;
  let projectDir: string;
  let handler: (request: Request) => Promise<Response>;
  const clip = randomBytes(1000);
  const logs: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sc-protocol-'));
    rendererDir = join(work, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>StoryCanvas</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(work, 'secret.txt'), 'TOP SECRET');

    core = new Core({ shell: 'electron', configDir: join(work, 'config') });
    const project = await core.call('project.create', { dir: work, name: 'Night Shoot' });
    projectId = project.projectId;
    projectDir = project.path;
    mkdirSync(join(projectDir, 'media', 'clips'), { recursive: true });
    writeFileSync(join(projectDir, 'media', 'clips', 'take 1.mp4'), clip);

    handler = appProtocolHandler({
      rendererDir,
      resolveMedia: (id, rel) => resolveMediaRequest(core.project(id), rel),
      log: (m) => logs.push(m),
    });
  });

  afterAll(async () => {
    await core?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const get = (url: string, init?: RequestInit) => handler(new Request(url, init));

  describe('app://ui', () => {
    it('serves index.html for the root with the CSP and no caching', async () => {
      const r = await get('app://ui/');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await r.text()).toContain('<title>StoryCanvas</title>');
    });

    it('serves built assets with their content type', async () => {
      const r = await get('app://ui/assets/app.js');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await r.text()).toBe('console.log(1)');
    });

    it('answers client routes with index.html and a missing asset with 404', async () => {
      expect(await (await get('app://ui/projects/abc')).text()).toContain('<title>StoryCanvas</title>');
      const missing = await get('app://ui/assets/missing.js');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    });

    it('never serves a file outside the renderer folder', async () => {
      for (const url of ['app://ui/..%2fsecret.txt', 'app://ui/%2e%2e/secret.txt', 'app://ui/assets/..%2f..%2fsecret.txt', 'app://ui/..%5csecret.txt']) {
        const r = await get(url);
        expect([403, 404], url).toContain(r.status);
        expect(await r.text(), url).not.toContain('TOP SECRET');
      }
      expect((await get('app://ui/..%2fsecret.txt')).status).toBe(403);
    });

    it('answers only GET and HEAD, and only the ui and media hosts', async () => {
      const post = await get('app://ui/index.html', { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect((await get('app://elsewhere/index.html')).status).toBe(404);
    });
  });

  describe('app://media', () => {
    const mediaUrl = (rel: string) => `app://media/${projectId}/${rel}`;

    it('serves a project file whole, with its type and length', async () => {
      const r = await get(mediaUrl('media/clips/take%201.mp4'));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('video/mp4');
      expect(r.headers.get('content-length')).toBe('1000');
      expect(r.headers.get('accept-ranges')).toBe('bytes');
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(Buffer.from(await r.arrayBuffer()).equals(clip)).toBe(true);
    });

    it('answers a Range request with 206 and exactly those bytes (video seeking)', async () => {
      const r = await get(mediaUrl('media/clips/take%201.mp4'), { headers: { Range: 'bytes=100-199' } });
      expect(r.status).toBe(206);
      expect(r.headers.get('content-range')).toBe('bytes 100-199/1000');
      expect(r.headers.get('content-length')).toBe('100');
      expect(Buffer.from(await r.arrayBuffer()).equals(clip.subarray(100, 200))).toBe(true);

      const tail = await get(mediaUrl('media/clips/take%201.mp4'), { headers: { Range: 'bytes=-10' } });
      expect(tail.headers.get('content-range')).toBe('bytes 990-999/1000');
      expect(Buffer.from(await tail.arrayBuffer()).equals(clip.subarray(990))).toBe(true);
    });

    it('answers 416 for a range past the end', async () => {
      const r = await get(mediaUrl('media/clips/take%201.mp4'), { headers: { Range: 'bytes=5000-' } });
      expect(r.status).toBe(416);
      expect(r.headers.get('content-range')).toBe('bytes */1000');
    });

    it('answers HEAD with the headers and no body', async () => {
      const r = await get(mediaUrl('media/clips/take%201.mp4'), { method: 'HEAD' });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-length')).toBe('1000');
      expect((await r.arrayBuffer()).byteLength).toBe(0);
    });

    it('caches versioned URLs for good and unversioned ones never', async () => {
      expect((await get(mediaUrl('media/clips/take%201.mp4?v=3'))).headers.get('cache-control')).toContain('immutable');
      expect((await get(mediaUrl('media/clips/take%201.mp4'))).headers.get('cache-control')).toBe('no-cache');
    });

    it('refuses paths that leave the project, with 403 and without the file', async () => {
      for (const rel of ['..%2f..%2fsecret.txt', '..%2Fsecret.txt', 'media%2f..%2f..%2fsecret.txt', '%2Fetc%2Fpasswd']) {
        const r = await get(mediaUrl(rel));
        expect(r.status, rel).toBe(403);
        expect(await r.text()).not.toContain('TOP SECRET');
      }
    });

    it('answers 404 for a project that is not open and for a missing file', async () => {
      expect((await get('app://media/0123456789abcdef/media/clips/take%201.mp4')).status).toBe(404);
      expect((await get(mediaUrl('media/clips/none.mp4'))).status).toBe(404);
      expect((await get('app://media/')).status).toBe(404);
    });

    it("renders a shot's placeholder card on request", async () => {
      const { sceneId } = await core.call('scene.create', { projectId, heading: 'INT. GARAGE - NIGHT' });
      const { shotId } = await core.call('shot.create', { projectId, sceneId });
      const r = await get(mediaUrl(`cards/${shotId}.png`));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    });
  });
});
