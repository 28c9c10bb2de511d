/** The pool against FakeComfyServers: checks, capabilities, auth headers, a killed server, the breaker. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../../src-preload/contract';
import { FakeComfyServer } from '../comfy/fake/FakeComfyServer.ts';
import { canRun, missingOn } from './requirements.ts';
import { ServerPool, stableClientId } from './ServerPool.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: ConstructorParameters<typeof ServerPool>[1] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pool-'));
  const pool = new ServerPool(dir, { healthIntervalMs: 0, checkTimeoutMs: 1_000, requestTimeoutMs: 2_000, offlineProbeMs: 100, ...options });
  const updates: ServerStatus[] = [];
  const down: string[] = [];
  const ready: string[] = [];
  pool.onUpdate = (s) => updates.push(s);
  pool.onDown = (id) => down.push(id);
  pool.onReady = (id) => ready.push(id);
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => pool.close());
  return { pool, updates, down, ready };
}

async function fake(options: Parameters<typeof FakeComfyServer.start>[0] = {}) {
  const server = await FakeComfyServer.start(options);
  cleanup.push(() => server.close());
  return server;
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ServerPool', () => {
  it('checks an added server: online, version, VRAM, models and node types', async () => {
    const comfy = await fake({ models: { checkpoints: ['a.safetensors', 'b.safetensors'], loras: ['ink.safetensors'] } });
    const { pool, ready } = await setup();
    const status = await pool.add({ url: comfy.url, name: 'Fake' });
    expect(status).toMatchObject({ name: 'Fake', status: 'online', breaker: 'closed', comfyuiVersion: '0.3.64', protocol: 'current', checkpoints: ['a.safetensors', 'b.safetensors'], loras: ['ink.safetensors'], inFlight: 0 });
    expect(status.nodeTypeCount).toBeGreaterThan(10);
    expect(status.vramTotalBytes).toBeGreaterThan(0);
    expect(ready).toEqual([status.id]);
    const server = pool.get(status.id)!;
    expect(server.dispatchable).toBe(true);
    expect(server.capacity(2)).toBe(2);
    // Requirements against the server's real /object_info.
    const needs = { nodeTypes: ['CheckpointLoaderSimple', 'KSampler'], checkpoint: 'c.safetensors', loras: [], models: [{ classType: 'CheckpointLoaderSimple', input: 'ckpt_name', name: 'c.safetensors' }] };
    expect(canRun(needs, server.capabilities!)).toBe(false);
    expect(missingOn(needs, server.capabilities!)).toEqual(["CheckpointLoaderSimple 'ckpt_name' 'c.safetensors' (it has: a.safetensors, b.safetensors)"]);
    expect(missingOn({ ...needs, nodeTypes: ['NoSuchNode'], models: [] }, server.capabilities!)).toEqual(['node type NoSuchNode']);
    expect(canRun({ ...needs, checkpoint: 'a.safetensors', models: [{ ...needs.models[0], name: 'a.safetensors' }] }, server.capabilities!)).toBe(true);
  });

  it('sends the configured headers (an auth proxy) and reports a refusal without them', async () => {
    const comfy = await fake({ requiredHeaders: { 'X-Token': 'secret' } });
    const { pool } = await setup();
    const refused = await pool.add({ url: comfy.url, name: 'No token' });
    expect(refused.status).toBe('offline');
    expect(refused.lastError).toMatch(/refused access \(HTTP 401\)/);
    const fixed = await pool.update(refused.id, { headers: { 'X-Token': 'secret' } });
    expect(fixed.status).toBe('online');
    expect(fixed.headerNames).toEqual(['X-Token']);
    expect(JSON.stringify(pool.list())).not.toContain('secret');
  });

  it('notices a killed server through its dropped socket, reports it down, and brings it back when it returns', async () => {
    const comfy = await fake();
    const { pool, down, ready } = await setup();
    const { id } = await pool.add({ url: comfy.url });
    const server = pool.get(id)!;
    await server.client!.connect();
    server.inFlight = 1; // a job is on it
    comfy.kill();
    await until(() => down.includes(id), 'the server to be reported down');
    expect(pool.list()[0]).toMatchObject({ status: 'offline' });
    expect(server.dispatchable).toBe(false);
    server.inFlight = 0;
    await comfy.restart();
    await until(() => server.status === 'online', 'the server to come back', 15_000);
    expect(ready.filter((r) => r === id).length).toBeGreaterThanOrEqual(2);
  });

  it('opens the breaker after repeated transient failures and lets one probe job through after the cool-down', async () => {
    const comfy = await fake();
    const { pool, updates } = await setup({ breaker: { threshold: 2, coolDownMs: 150 } });
    const { id } = await pool.add({ url: comfy.url });
    const server = pool.get(id)!;
    pool.recordFailure(id, new Error('HTTP 500'));
    expect(server.dispatchable).toBe(true);
    pool.recordFailure(id, new Error('HTTP 500'));
    expect(server.breaker.state).toBe('open');
    expect(server.capacity(2)).toBe(0);
    expect(updates.at(-1)).toMatchObject({ breaker: 'open', lastError: 'HTTP 500' });
    await until(() => server.breaker.state === 'half-open', 'the cool-down to end');
    expect(server.capacity(2)).toBe(1);
    pool.recordSuccess(id);
    expect(server.breaker.state).toBe('closed');
    expect(server.capacity(2)).toBe(2);
  });

  it('measures speed as a moving average, and removes a server with its work reported down', async () => {
    const comfy = await fake();
    const { pool, down } = await setup();
    const { id } = await pool.add({ url: comfy.url });
    pool.recordRun(id, 10, 1_000);
    pool.recordRun(id, 10, 2_000);
    expect(pool.list()[0].msPerStep).toBe(150);
    pool.get(id)!.inFlight = 1;
    await pool.remove(id);
    expect(down).toEqual([id]);
    expect(pool.list()).toEqual([]);
  });

  it('gives each app instance a stable client id per server', () => {
    const a = stableClientId('/home/a/.config/storycanvas', 'electron', 'srv_1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableClientId('/home/a/.config/storycanvas', 'electron', 'srv_1')).toBe(a);
    expect(stableClientId('/home/a/.config/storycanvas', 'cli', 'srv_1')).not.toBe(a);
  });
});
