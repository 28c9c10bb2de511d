/**
 * The CLI's enhancement commands (`models list`, `enhance`) through `main()` as a person would run them: the job
 * goes through the project's queue and runs on this machine, and the provider that ran it is printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core/Core.ts';
import { ESPCN_ID, writeTestPng } from '../core/enhance/testSupport.ts';
import { main } from './index.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let root: string;
let project: string;
let shotNumbers: string[];
let sourceTakeIds: string[];

/** Selects a take with a core of its own (as the app would), then closes it. */
async function selectTake(takeId: string): Promise<void> {
  const core = new Core({ shell: 'cli', configDir: process.env.STORYCANVAS_HOME });
  const { projectId } = await core.call('project.open', { path: project });
  await core.call('take.select', { projectId, takeId });
  await core.close();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'storycanvas-cli-enhance-'));
  process.env.STORYCANVAS_HOME = join(root, 'home');
  // A project with two shots: 12A has a small picture, 12B one already at the project's resolution.
  const core = new Core({ shell: 'cli', configDir: process.env.STORYCANVAS_HOME });
  const summary = await core.call('project.create', { dir: join(root, 'projects'), name: 'CLI Enhance', widthPx: 320, heightPx: 180 });
  const { sceneId } = await core.call('scene.create', { projectId: summary.projectId, heading: 'INT. LAB - NIGHT' });
  shotNumbers = [];
  sourceTakeIds = [];
  for (const [i, size] of [[80, 45], [320, 180]].entries()) {
    const { shotId } = await core.call('shot.create', { projectId: summary.projectId, sceneId });
    const file = await writeTestPng(join(root, `take${i}.png`), size[0], size[1], i + 1);
    const [take] = await core.call('take.import', { projectId: summary.projectId, shotId, paths: [file] });
    sourceTakeIds.push(take.id);
    shotNumbers.push(core.project(summary.projectId).shot(shotId).number);
  }
  project = summary.path;
  await core.close();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('storycanvas models / enhance', () => {
  it('lists the installed models as a table and as JSON', async () => {
    const table = await run('models', 'list');
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(new RegExp(`${ESPCN_ID}\\s+upscale x2\\s+bundled\\s+MIT`));
    const json = await run('models', 'list', '--json');
    expect(json.code, json.err).toBe(0);
    const models = JSON.parse(json.out) as Array<{ id: string; task: string; scale: number; origin: string; sha256: string }>;
    expect(models.find((m) => m.id === ESPCN_ID)).toMatchObject({ task: 'upscale', scale: 2, origin: 'bundled', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await run('models', 'remove')).code).toBe(2);
  });

  it('enhances the selected take of a shot, waits, and prints the provider; the second time comes from the cache', async () => {
    const first = await run('enhance', project, '--shot', shotNumbers[0], '--model', ESPCN_ID, '--wait');
    expect(first.code, first.err).toBe(0);
    const result = JSON.parse(first.out) as { succeeded: number; failed: number; providers: string[]; takeIds: string[] };
    expect(result).toMatchObject({ succeeded: 1, failed: 0, providers: ['cpu'] });
    expect(result.takeIds).toHaveLength(1);
    expect(first.err).toMatch(new RegExp(`shot ${shotNumbers[0]}: succeeded on cpu`));
    expect(first.err).toMatch(/Provider: cpu/);
    // The new take is selected (its source was); select the source again to ask for the same enhancement.
    await selectTake(sourceTakeIds[0]);

    const again = await run('enhance', project, '--shot', shotNumbers[0], '--model', ESPCN_ID, '--wait');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ succeeded: 1, providers: ['cache'], takeIds: result.takeIds });
    expect(again.err).toMatch(/succeeded on the cache \(computed before\)/);
  });

  it('upscales to the project resolution, skipping a take already there, and queues without --wait', async () => {
    const queued = await run('enhance', project, '--all', '--model', ESPCN_ID, '--upscale-to-project', '--priority', 'high');
    expect(queued.code, queued.err).toBe(0);
    expect(JSON.parse(queued.out)).toMatchObject({ jobs: 1, skipped: 1 });
    expect(queued.err).toMatch(new RegExp(`skipped shot ${shotNumbers[1]}: .*already at or above the project resolution \\(320x180\\)`));
    const queue = JSON.parse((await run('queue', project, '--json')).out) as Array<{ kind: string; state: string; priority: string }>;
    expect(queue.filter((j) => j.state === 'queued')).toEqual([expect.objectContaining({ kind: 'enhance', priority: 'high' })]);

    const nothing = await run('enhance', project, '--shot', shotNumbers[1], '--model', ESPCN_ID, '--upscale-to-project');
    expect(nothing.code).toBe(1);
    expect(nothing.err).toMatch(/Nothing to enhance/);
  });

  it('explains bad usage', async () => {
    const noModel = await run('enhance', project, '--all');
    expect(noModel.code).toBe(2);
    expect(noModel.err).toMatch(/--model is required/);
    const noShot = await run('enhance', project, '--shot', '99Z', '--model', ESPCN_ID);
    expect(noShot.code).toBe(1);
    expect(noShot.err).toMatch(/The project has no shot 99Z/);
    const unknown = await run('enhance', project, '--all', '--model', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/No model "nope" is installed/);
  });
});
