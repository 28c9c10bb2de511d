/**
 * `storycanvas assistant` and `storycanvas takes` in-process through `main()`, with STORYCANVAS_HOME in a temp
 * folder and the assistant pointed at FakeChatServer on 127.0.0.1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core/Core';
import { FakeChatServer } from '../core/assistant/fake/FakeChatServer';
import { main } from './index';

const FIXTURE = resolve(fileURLToPath(import.meta.url), '..', 'testdata', 'Cyber_Bob_ep00001.fountain');

let tmp: string;
let project: string;
let chat: FakeChatServer;

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'storycanvas-cli-assistant-'));
  process.env.STORYCANVAS_HOME = join(tmp, 'home');
  chat = await FakeChatServer.start({ models: ['llama3.1:8b'] });
  const made = await run('new', tmp, '--name', 'Cyber Bob');
  expect(made.code, made.stderr).toBe(0);
  project = made.stdout.trim();
  expect((await run('import', project, FIXTURE)).code).toBe(0);
});
afterAll(async () => {
  await chat.close();
  delete process.env.STORYCANVAS_HOME;
  rmSync(tmp, { recursive: true, force: true });
});

describe('storycanvas assistant', () => {
  it('configures, tests and proposes a breakdown of a scene', async () => {
    const off = await run('assistant', 'propose', project, '--scene', '1');
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/error: The shot assistant is off/);

    const conf = await run('assistant', 'configure', '--url', chat.baseUrl, '--model', 'llama3.1:8b', '--timeout-ms', '5000');
    expect(conf.code, conf.stderr).toBe(0);
    expect(conf.stdout).toContain('enabled:  yes');
    expect(conf.stdout).toContain('key:      none');
    expect(await run('assistant', 'test')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: llama3\.1:8b answered in \d+ ms\.\n$/) });

    const text = await run('assistant', 'propose', project, '--scene', '1');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      'Scene 1: 2 shots proposed by llama3.1:8b\n' +
        '  1. WS     eye-level static    28mm   Bob strolls through the park at dusk.\n' +
        '  2. CU     low       dolly-in  -      Bob looks up at the cloud.\n' +
        '       BOB: What is that?\n',
    );
    const sent = chat.requests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(sent.messages[1].content).toContain('EXT. PARK--DAY\n\nCYBER BOB, 40, a white man');

    chat.replyWrongShape();
    const bad = await run('assistant', 'propose', project, '--scene', '1', '--json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: The assistant's reply does not fit the shot list: shots\.0\.shotSize/);
    expect(bad.stderr).toMatch(/hint: .*Nothing was applied/);

    const json = await run('assistant', 'propose', project, '--scene', '1', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ structured: true, shots: [{ shotSize: 'WS' }, { shotSize: 'CU' }] });
    expect((await run('assistant', 'propose', project)).code).toBe(2);
    expect((await run('assistant', 'propose', project, '--scene', '99')).stderr).toMatch(/no scene 99/);
  });
});

describe('storycanvas takes', () => {
  it('searches the takes of every known project', async () => {
    // Tag an imported take through the core (the CLI has no take command), then search from the CLI.
    const core = new Core({ shell: 'cli' });
    try {
      const { projectId } = await core.call('project.open', { path: project });
      const snap = await core.call('project.get', { projectId });
      const file = join(tmp, 'frame.png');
      writeFileSync(file, await sharp({ create: { width: 16, height: 9, channels: 3, background: { r: 9, g: 9, b: 9 } } }).png().toBuffer());
      const [take] = await core.call('take.import', { projectId, shotId: snap.scenes[0].shots[0].id, paths: [file] });
      await core.call('take.tag', { projectId, takeId: take.id, tags: ['moonlight'] });
    } finally {
      await core.close();
    }
    const re = await run('takes', 'reindex');
    expect(re).toMatchObject({ code: 0, stdout: 'Indexed 1 take of 1 project.\n' });
    const found = await run('takes', 'search', 'moon');
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d {5}Cyber Bob 1A  \[Cyber Bob, Dog, Margaret, Bob\] media\/takes\/[0-9a-f]{64}\.png #moonlight\n$/);
    const json = JSON.parse((await run('takes', 'search', '--tag', 'moonlight', '--json')).stdout) as { takes: Array<{ tags: string[] }>; nextCursor: null };
    expect(json.takes.map((t) => t.tags)).toEqual([['moonlight']]);
    expect((await run('takes', 'search', 'nothing-here')).stdout).toBe('No take matches.\n');
    expect((await run('takes', 'frobnicate')).code).toBe(2);
  });
});
