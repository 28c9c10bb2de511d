import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseServerUrl, ServerRegistry } from './ServerRegistry.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'servers-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ServerRegistry', () => {
  it('adds, updates and removes servers in servers.json, written atomically', () => {
    const registry = new ServerRegistry(dir);
    expect(registry.list()).toEqual([]);
    const a = registry.add({ url: 'gpu-box:8188', headers: { Authorization: 'Bearer x' } });
    expect(a).toMatchObject({ name: 'gpu-box:8188', url: 'http://gpu-box:8188', enabled: true, headers: { Authorization: 'Bearer x' } });
    expect(a.id).toMatch(/^srv_/);
    const b = registry.add({ url: 'https://comfy.example/proxy/', name: 'Studio' });
    expect(b.url).toBe('https://comfy.example/proxy');
    expect(registry.update(a.id, { enabled: false, name: 'Box' })).toMatchObject({ enabled: false, name: 'Box' });
    expect(new ServerRegistry(dir).list().map((s) => s.name)).toEqual(['Box', 'Studio']);
    registry.remove(b.id);
    expect(registry.list().map((s) => s.id)).toEqual([a.id]);
    expect(readdirSync(dir)).toEqual(['servers.json']);
    expect(statSync(join(dir, 'servers.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'servers.json'), 'utf8')).version).toBe(1);
  });

  it('refuses a duplicate address, a bad URL and an unknown id with a clear error', () => {
    const registry = new ServerRegistry(dir);
    const a = registry.add({ url: 'http://127.0.0.1:8188' });
    expect(() => registry.add({ url: '127.0.0.1:8188' })).toThrow(/already in the list/);
    expect(() => registry.add({ url: 'ftp://x' })).toThrow(/use http/);
    expect(() => registry.update('srv_nope', { name: 'x' })).toThrow(/No server/);
    expect(() => registry.remove('srv_nope')).toThrow(/No server/);
    expect(registry.get(a.id).url).toBe('http://127.0.0.1:8188');
    expect(normaliseServerUrl('localhost:8188/')).toBe('http://localhost:8188');
  });

  it('never overwrites a damaged servers file', () => {
    writeFileSync(join(dir, 'servers.json'), '{"version": 1, "servers": [{"id": 3}]}');
    const registry = new ServerRegistry(dir);
    expect(() => registry.list()).toThrow(/does not hold a valid server list/);
    expect(() => registry.add({ url: 'http://127.0.0.1:1' })).toThrow(/servers_unreadable|valid server list/);
    expect(readFileSync(join(dir, 'servers.json'), 'utf8')).toBe('{"version": 1, "servers": [{"id": 3}]}');
    writeFileSync(join(dir, 'servers.json'), '{not json');
    expect(() => registry.list()).toThrow(/cannot be read as JSON/);
  });
});
