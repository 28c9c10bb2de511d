/**
 * The renderer's web bridge (src-renderer/bridge/ws.ts) against the real web server and core, in Node: the `ws`
 * package's WebSocket stands in for the browser's (same API), and location / sessionStorage / history are small
 * in-memory objects. It lives here, not beside ws.ts, because the renderer's lint rules forbid Node and
 * main-process imports under src-renderer/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ContractCallError } from '../../src-preload/contract';
import {
  createWebSocketBridge,
  TOKEN_STORAGE_KEY,
  type BrowserEnv,
  type WebSocketBridge,
  type WebSocketConstructor,
} from '../../src-renderer/bridge/ws';
import { Core } from '../core/Core';
import { startWebServer, type WebServer } from './server';

/** The `ws` WebSocket, typed as the bridge's browser-shaped constructor (its event objects carry more fields). */
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

function fakePage(href: string) {
  const stored = new Map<string, string>();
  const replaced: string[] = [];
  const env: BrowserEnv = {
    location: { protocol: 'http:', host: new URL(href).host, href },
    sessionStorage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
    history: { state: null, replaceState: (_d, _u, url) => void replaced.push(String(url)) },
  };
  return { env, stored, replaced };
}

function waitForState(bridge: WebSocketBridge, state: 'connecting' | 'open' | 'closed', timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the bridge never became ${state}`)), timeoutMs);
    const off = bridge.onConnectionChange((s) => {
      if (s === state) {
        clearTimeout(t);
        off();
        resolve();
      }
    });
  });
}

describe('createWebSocketBridge', () => {
  let tmp: string;
  let core: Core;
  let web: WebServer;
  const bridges: WebSocketBridge[] = [];
  const bridgeFor = (href: string, extra: { reconnectDelayMs?: number; queueTimeoutMs?: number } = {}) => {
    const page = fakePage(href);
    const bridge = createWebSocketBridge({ WebSocket: NodeWebSocket, env: page.env, ...extra });
    bridges.push(bridge);
    return { bridge, ...page };
  };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'storycanvas-bridge-'));
    mkdirSync(join(tmp, 'renderer'));
    writeFileSync(join(tmp, 'renderer', 'index.html'), '<!doctype html><title>StoryCanvas</title>');
    core = new Core({ shell: 'web', configDir: join(tmp, 'config') });
    web = await startWebServer({ core, rendererDir: join(tmp, 'renderer') });
  });

  afterAll(async () => {
    for (const b of bridges) b.close();
    await web?.close();
    await core?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('takes the token from the page address, keeps it, strips it, and queues calls made while connecting', async () => {
    const { bridge, stored, replaced } = bridgeFor(`http://127.0.0.1:${web.port}/?token=${web.token}&project=abc#shot-1`);
    expect(stored.get(TOKEN_STORAGE_KEY)).toBe(web.token);
    expect(replaced).toEqual(['/?project=abc#shot-1']);
    // called before the socket opened: queued, then sent
    const info = await bridge.call('app.info', {});
    expect(info).toMatchObject({ name: 'StoryCanvas', shell: 'web' });
    expect(bridge.shell).toBe('web');
  });

  it('uses the token kept in sessionStorage when the address has none', async () => {
    const page = fakePage(`http://127.0.0.1:${web.port}/`);
    page.env.sessionStorage!.setItem(TOKEN_STORAGE_KEY, web.token);
    const bridge = createWebSocketBridge({ WebSocket: NodeWebSocket, env: page.env });
    bridges.push(bridge);
    expect(page.replaced).toEqual([]);
    await expect(bridge.call('project.list', {})).resolves.toEqual([]);
  });

  it('rejects a failed call with a ContractCallError carrying code, message and hint', async () => {
    const { bridge } = bridgeFor(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    const err = await bridge.call('project.get', { projectId: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractCallError);
    expect(err).toMatchObject({ code: 'project_not_open', hint: 'Open the project first (project.open).' });
    const invalid = await bridge.call('project.get', { projectId: 42 } as never).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'invalid_args' });
  });

  it('creates a project and delivers its events to on() listeners until unsubscribed', async () => {
    const { bridge } = bridgeFor(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    const project = await bridge.call('project.create', { dir: join(tmp, 'projects'), name: 'Bridge Test' });
    const seen: Array<{ label: string; projectId: string }> = [];
    const off = bridge.on('project.changed', (p) => seen.push(p));
    const first = await bridge.call('scene.create', { projectId: project.projectId, heading: 'EXT. PARK - DAY' });
    expect(first.sceneId).toEqual(expect.any(String));
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0].projectId).toBe(project.projectId);
    off();
    await bridge.call('scene.create', { projectId: project.projectId });
    const snapshot = await bridge.call('project.get', { projectId: project.projectId });
    expect(snapshot.scenes).toHaveLength(2);
    expect(seen).toHaveLength(1);
  });

  it('builds media URLs and has no file paths', () => {
    const { bridge } = bridgeFor(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    expect(bridge.mediaUrl('ab12', 'media/takes/shot 1#.png', 7)).toBe('/media/ab12/media/takes/shot%201%23.png?v=7');
    expect(bridge.mediaUrl('ab12', 'cards/s1.png')).toBe('/media/ab12/cards/s1.png');
    expect(bridge.pathForFile(new File(['x'], 'x.png'))).toBeNull();
  });

  it('rejects calls in flight with `disconnected` when the socket drops, then reconnects', async () => {
    const { bridge } = bridgeFor(`http://127.0.0.1:${web.port}/?token=${web.token}`, { reconnectDelayMs: 50 });
    await bridge.call('app.info', {});
    const states: string[] = [];
    bridge.onConnectionChange((s) => states.push(s));
    const port = web.port;
    const inFlight = bridge.call('project.list', {});
    await web.close(); // terminates every socket before the call is answered
    const err = await inFlight.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractCallError);
    expect((err as ContractCallError).code).toBe('disconnected');
    expect(states).toContain('closed');

    web = await startWebServer({ core, rendererDir: join(tmp, 'renderer'), port, token: web.token });
    await waitForState(bridge, 'open');
    await expect(bridge.call('app.info', {})).resolves.toMatchObject({ shell: 'web' });
  });

  it('rejects a queued call with `disconnected` when no server answers in time, and after close()', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const { bridge } = bridgeFor(`http://127.0.0.1:${closedPort}/?token=whatever-token-value`, { reconnectDelayMs: 20, queueTimeoutMs: 300 });
    const started = Date.now();
    const err = await bridge.call('app.info', {}).catch((e: unknown) => e);
    expect((err as ContractCallError).code).toBe('disconnected');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const pending = bridge.call('app.info', {});
    bridge.close();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    await expect(bridge.call('app.info', {})).rejects.toMatchObject({ code: 'disconnected' });
  });
});
