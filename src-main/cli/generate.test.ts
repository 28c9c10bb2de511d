/**
 * The CLI's generation commands (`servers`, `generate`, `queue`) against a FakeComfyServer behind an auth
 * header, through `main()` as a person would run them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, parseHeaders, progressBar } from './index.ts';
import { FakeComfyServer } from '../core/comfy/fake/FakeComfyServer.ts';

const FOUNTAIN = resolve(import.meta.dirname, 'testdata', 'Cyber_Bob_ep00001.fountain');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let root: string;
let comfy: FakeComfyServer;
let project: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'storycanvas-cli-queue-'));
  process.env.STORYCANVAS_HOME = join(root, 'home');
  comfy = await FakeComfyServer.start({ speed: 0.001, historyDelayMs: 1, requiredHeaders: { 'X-Token': 'abc' } });
  const created = await run('new', join(root, 'projects'), '--name', 'CLI Gen', '--size', '640x360');
  expect(created.code, created.err).toBe(0);
  project = created.out.trim();
  const imported = await run('import', project, FOUNTAIN);
  expect(imported.code, imported.err).toBe(0);
});

afterAll(async () => {
  await comfy?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('storycanvas servers / generate / queue', () => {
  it('adds a server with a header and lists it without showing the header value', async () => {
    const added = await run('servers', 'add', comfy.url, '--name', 'Fake GPU', '--header', 'X-Token: abc');
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/Fake GPU\s+srv_\w+\s+online/);
    const listed = await run('servers', 'list', '--json');
    expect(listed.code, listed.err).toBe(0);
    const servers = JSON.parse(listed.out) as Array<{ name: string; headerNames: string[]; url: string }>;
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ name: 'Fake GPU', headerNames: ['X-Token'], url: comfy.url });
    expect(listed.out).not.toContain('abc');
    const again = await run('servers', 'add', comfy.url);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already in the list/);
  });

  it('generates takes of a shot and waits for them', async () => {
    const info = JSON.parse((await run('info', project, '--json')).out) as { scenes: Array<{ shots: Array<{ number: string }> }> };
    const shotNumber = info.scenes[0].shots[0].number;
    const generated = await run('generate', project, '--shot', shotNumber, '--takes', '2', '--seed', '7', '--wait');
    expect(generated.code, generated.err).toBe(0);
    const summary = JSON.parse(generated.out) as { succeeded: number; failed: number; takeIds: string[] };
    expect(summary).toMatchObject({ succeeded: 2, failed: 0 });
    expect(summary.takeIds).toHaveLength(2);
    expect(generated.err).toMatch(new RegExp(`shot ${shotNumber}: succeeded`));
    const queue = JSON.parse((await run('queue', project, '--json')).out) as Array<{ state: string; seed: number; shotNumber: string }>;
    expect(queue.map((j) => [j.state, j.seed, j.shotNumber])).toEqual(
      expect.arrayContaining([
        ['succeeded', 7, shotNumber],
        ['succeeded', 8, shotNumber],
      ]),
    );
    const after = JSON.parse((await run('info', project, '--json')).out) as { scenes: Array<{ shots: Array<{ takes: unknown[] }> }> };
    expect(after.scenes[0].shots[0].takes).toHaveLength(2);
    // The requests carried the header.
    expect(comfy.requests.filter((r) => r.route === '/prompt' && r.method === 'POST').every((r) => r.headers['x-token'] === 'abc')).toBe(true);
  });

  it('queues without waiting (nothing runs until a command follows the queue), and refuses a request that names nothing', async () => {
    const posts = () => comfy.requests.filter((r) => r.route === '/prompt' && r.method === 'POST').length;
    const before = posts();
    const queued = await run('generate', project, '--scene', '1', '--priority', 'low');
    expect(queued.code, queued.err).toBe(0);
    expect(JSON.parse(queued.out).jobs).toBeGreaterThan(0);
    const table = await run('queue', project);
    expect(table.out).toMatch(/^queued\s+shot \S+\s+low/m);
    expect(posts()).toBe(before);
    const bad = await run('generate', project);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--shot 12A/);
    const unknown = await run('generate', project, '--shot', 'NOPE');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no shot NOPE/);
  });

  it('parses headers and draws a progress bar', () => {
    expect(parseHeaders(['Authorization: Bearer x:y', 'X-A:1'])).toEqual({ Authorization: 'Bearer x:y', 'X-A': '1' });
    expect(parseHeaders([])).toBeUndefined();
    expect(() => parseHeaders(['nocolon'])).toThrow(/NAME:VALUE/);
    expect(progressBar(5, 20, 8)).toBe('[##------] 5/20');
  });
});
