import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CallReply } from '../../src-preload/contract';
import { Core } from '../core/Core';
import { startWebServer, type WebServer } from './server';

/** One HTTP request with full control of the headers (fetch forbids setting Host), raw path kept as written. */
function raw(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; rejects with the server's refusal (`Unexpected server response: 403`) or any error. */
function openSocket(url: string, opts: { cookie?: string; origin?: string; host?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.host) headers.host = opts.host;
    const ws = new WebSocket(url, { headers, origin: opts.origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Collects every message of a socket so a test can wait for the one it expects. */
function inbox(ws: WebSocket) {
  const seen: Array<Record<string, unknown>> = [];
  const waiters: Array<{ match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as Record<string, unknown>;
    seen.push(msg);
    for (const w of [...waiters]) {
      if (w.match(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  return {
    seen,
    next(match: (m: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no matching message arrived')), timeoutMs);
        waiters.push({ match, resolve: (m) => (clearTimeout(t), resolve(m)) });
      });
    },
  };
}

describe('web server', () => {
  let tmp: string;
  let core: Core;
  let web: WebServer;
  let port: number;
  let cookie: string;
  let wsUrl: string;
  let projectId: string;
  const mediaBytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'storycanvas-web-'));
    const rendererDir = join(tmp, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>StoryCanvas</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("storycanvas");');
    writeFileSync(join(tmp, 'secret.txt'), 'outside the renderer');
    core = new Core({ shell: 'web', configDir: join(tmp, 'config') });
    web = await startWebServer({ core, rendererDir });
    port = web.port;
    cookie = `storycanvas_token_${port}=${web.token}`;
    wsUrl = `ws://127.0.0.1:${port}/ws`;
    const project = await core.call('project.create', { dir: join(tmp, 'projects'), name: 'Media Test' });
    projectId = project.projectId;
    mkdirSync(join(project.path, 'media', 'takes'), { recursive: true });
    writeFileSync(join(project.path, 'media', 'takes', 'clip.mp4'), mediaBytes);
  });

  afterAll(async () => {
    await web?.close();
    await core?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 only and prints a tokened URL', async () => {
    const addr = web.address();
    expect(addr.address).toBe('127.0.0.1');
    expect(web.url).toBe(`http://127.0.0.1:${port}/?token=${web.token}`);
    expect(web.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses the page without the token or with a wrong one', async () => {
    const none = await raw(port, '/');
    expect(none.status).toBe(403);
    expect(none.body.toString()).toMatch(/no valid token/);
    const wrong = await raw(port, `/?token=${'x'.repeat(43)}`);
    expect(wrong.status).toBe(403);
    const wrongCookie = await raw(port, '/', { cookie: `storycanvas_token_${port}=nope` });
    expect(wrongCookie.status).toBe(403);
  });

  it('serves the page with ?token=, sets the HttpOnly cookie, and the cookie then opens the assets', async () => {
    const page = await fetch(web.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>StoryCanvas</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const setCookie = page.headers.get('set-cookie') ?? '';
    expect(setCookie).toBe(`storycanvas_token_${port}=${web.token}; HttpOnly; SameSite=Strict; Path=/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const asset = await fetch(`http://127.0.0.1:${port}/assets/app.js`, { headers: { cookie: setCookie.split(';')[0] } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await asset.text()).toBe('console.log("storycanvas");');
    const noCookie = await fetch(`http://127.0.0.1:${port}/assets/app.js`);
    expect(noCookie.status).toBe(403);
    const missing = await raw(port, '/assets/none.js', { cookie });
    expect(missing.status).toBe(404);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, accepts localhost', async () => {
    const rebound = await raw(port, `/?token=${web.token}`, { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body.toString()).toMatch(/Host header/);
    const otherPort = await raw(port, '/', { host: `127.0.0.1:${port + 1}`, cookie });
    expect(otherPort.status).toBe(403);
    const foreign = await raw(port, '/', { cookie, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.toString()).toMatch(/origin/);
    const nullOrigin = await raw(port, '/', { cookie, origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const local = await raw(port, '/', { cookie, host: `localhost:${port}`, origin: `http://localhost:${port}` });
    expect(local.status).toBe(200);
  });

  it('refuses a WebSocket upgrade without the token, with a foreign Origin, or with a foreign Host', async () => {
    await expect(openSocket(wsUrl)).rejects.toThrow(/403/);
    await expect(openSocket(`${wsUrl}?token=wrong-token-of-some-length`)).rejects.toThrow(/403/);
    await expect(openSocket(wsUrl, { cookie, origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(openSocket(`ws://localhost:${port}/ws`, { cookie, origin: 'https://127.0.0.1.evil.example' })).rejects.toThrow(/403/);
    await expect(openSocket(wsUrl, { cookie, host: `attacker.example:${port}` })).rejects.toThrow(/403/);
    await expect(openSocket(`ws://127.0.0.1:${port}/other`, { cookie })).rejects.toThrow(/404/);
    const viaQuery = await openSocket(`${wsUrl}?token=${web.token}`, { origin: `http://127.0.0.1:${port}` });
    viaQuery.close();
  });

  it('round-trips calls: app.info, project.create, project.get; concurrent replies carry their ids', async () => {
    const ws = await openSocket(wsUrl, { cookie, origin: `http://127.0.0.1:${port}` });
    const box = inbox(ws);
    const callOf = (id: number, method: string, args: unknown) => ws.send(JSON.stringify({ t: 'call', id, method, args }));
    const replyTo = async (id: number) => (await box.next((m) => m.t === 'reply' && m.id === id)).reply as CallReply;

    callOf(1, 'app.info', {});
    const info = await replyTo(1);
    expect(info.ok && info.result).toMatchObject({ name: 'StoryCanvas', shell: 'web' });

    callOf(2, 'project.create', { dir: join(tmp, 'ws-projects'), name: 'Over The Wire', frameRate: { num: 24000, den: 1001 } });
    const created = await replyTo(2);
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.result as { projectId: string }).projectId;

    callOf(3, 'project.get', { projectId: id });
    callOf(4, 'app.info', {});
    const [snap, info2] = await Promise.all([replyTo(3), replyTo(4)]);
    expect(info2.ok).toBe(true);
    if (!snap.ok) throw new Error(snap.error.message);
    expect(snap.result).toMatchObject({ projectId: id, settings: { name: 'Over The Wire', frameRate: { num: 24000, den: 1001 } }, scenes: [] });
    ws.close();
  });

  it('answers invalid arguments with invalid_args and malformed messages with bad_message', async () => {
    const ws = await openSocket(wsUrl, { cookie });
    const box = inbox(ws);
    ws.send(JSON.stringify({ t: 'call', id: 10, method: 'project.get', args: { projectId: 42 } }));
    const invalid = (await box.next((m) => m.id === 10)).reply as CallReply;
    expect(invalid.ok === false && invalid.error.code).toBe('invalid_args');

    ws.send(JSON.stringify({ t: 'call', id: 11, method: 'no.such', args: {} }));
    const unknown = (await box.next((m) => m.id === 11)).reply as CallReply;
    expect(unknown.ok === false && unknown.error.code).toBe('unknown_method');

    ws.send('this is not json');
    const notJson = (await box.next((m) => m.t === 'reply' && m.id === null)).reply as CallReply;
    expect(notJson.ok === false && notJson.error).toMatchObject({ code: 'bad_message', message: 'Malformed message: the message is not JSON.' });

    ws.send(JSON.stringify({ t: 'hello', id: 12 }));
    const wrongKind = (await box.next((m) => m.id === 12)).reply as CallReply;
    expect(wrongKind.ok === false && wrongKind.error.code).toBe('bad_message');

    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await box.next((m) => m.t === 'reply' && m.id === null && (m.reply as CallReply).ok === false && JSON.stringify(m).includes('binary'));
    ws.close();
  });

  it('forwards a core event to every connected client', async () => {
    const a = await openSocket(wsUrl, { cookie });
    const b = await openSocket(wsUrl, { cookie });
    const boxA = inbox(a);
    const boxB = inbox(b);
    a.send(JSON.stringify({ t: 'call', id: 1, method: 'scene.create', args: { projectId, heading: 'INT. OFFICE - DAY' } }));
    const isChange = (m: Record<string, unknown>) => m.t === 'event' && m.event === 'project.changed';
    const [evA, evB] = await Promise.all([boxA.next(isChange), boxB.next(isChange)]);
    for (const ev of [evA, evB]) {
      expect(ev.payload).toMatchObject({ projectId, undo: { canUndo: true } });
      expect(typeof (ev.payload as { revision: unknown }).revision).toBe('number');
    }
    const reply = (await boxA.next((m) => m.t === 'reply' && m.id === 1)).reply as CallReply;
    expect(reply.ok).toBe(true);
    expect(boxB.seen.some((m) => m.t === 'reply')).toBe(false);
    a.close();
    b.close();
  });

  it('serves media with its type, ETag and byte ranges (206)', async () => {
    const url = `/media/${projectId}/media/takes/clip.mp4?v=3`;
    const full = await raw(port, url, { cookie });
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('video/mp4');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.body.equals(mediaBytes)).toBe(true);
    const etag = String(full.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);

    const part = await raw(port, url, { cookie, range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/1000');
    expect(part.headers['content-length']).toBe('100');
    expect(part.body.equals(mediaBytes.subarray(100, 200))).toBe(true);

    const tail = await raw(port, url, { cookie, range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(mediaBytes.subarray(990))).toBe(true);
    const open = await raw(port, url, { cookie, range: 'bytes=995-' });
    expect(open.headers['content-range']).toBe('bytes 995-999/1000');

    const past = await raw(port, url, { cookie, range: 'bytes=5000-' });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */1000');
    const cached = await raw(port, url, { cookie, 'if-none-match': etag });
    expect(cached.status).toBe(304);

    expect((await raw(port, url)).status).toBe(403);
    const missing = await raw(port, `/media/${projectId}/media/takes/none.mp4`, { cookie });
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toMatch(/none\.mp4/);
    const notOpen = await raw(port, '/media/0123456789abcdef/media/takes/clip.mp4', { cookie });
    expect(notOpen.status).toBe(404);
    expect(notOpen.body.toString()).toMatch(/No open project/);
  });

  it('refuses path traversal in media and static paths, encoded or not', async () => {
    const attempts = [
      `/media/${projectId}/../../etc/passwd`,
      `/media/${projectId}/media/../../../etc/passwd`,
      `/media/${projectId}/%2e%2e/%2e%2e/etc/passwd`,
      `/media/${projectId}/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd`,
      `/media/${projectId}/%252e%252e/etc/passwd`,
      `/media/${projectId}/%2Fetc%2Fpasswd`,
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
    ];
    for (const path of attempts) {
      const res = await raw(port, path, { cookie, accept: 'text/html' });
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body.toString(), path).not.toMatch(/root:|outside the renderer/);
    }
    const refused = await raw(port, `/media/${projectId}/%2e%2e/%2e%2e/etc/passwd`, { cookie });
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toMatch(/refused/i);
  });

  it('answers 503 with the build command when the renderer is not built', async () => {
    const empty = join(tmp, 'empty-renderer');
    mkdirSync(empty);
    const bare = await startWebServer({ core, rendererDir: empty, port: 0 });
    try {
      const res = await fetch(bare.url);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:renderer');
    } finally {
      await bare.close();
    }
  });

  it('refuses other methods than GET and HEAD', async () => {
    const res = await raw(port, '/', { cookie }, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});
