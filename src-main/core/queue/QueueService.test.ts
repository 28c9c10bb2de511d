/**
 * The queue end to end against FakeComfyServers: enqueue -> takes on the shot, capability routing, faults
 * (killed server, dropped socket, 5xx, garbage, a hanging server, a missing checkpoint), restart
 * reconciliation, cancel, priorities, retry. Take counts are asserted exactly: no job lost, none run twice.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-preload/contract';
import { QueueHarness, postedPromptIds, waitUntil } from './testHarness.ts';

const SMALL = { widthPx: 64, heightPx: 64, steps: 3 };

let harness: QueueHarness;

afterEach(async () => {
  await harness?.close();
});

async function takesOf(projectId: string, shotId?: string) {
  const snapshot = await harness.core.call('project.get', { projectId });
  return snapshot.takes.filter((t) => shotId === undefined || t.shotId === shotId);
}

describe('QueueService end to end', () => {
  it('turns an enqueued batch into exactly one take per job on the shot, with its provenance', async () => {
    harness = new QueueHarness();
    const comfy = await harness.server();
    const serverId = await harness.addServer(comfy, 'Fake A');
    const { projectId, path, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, takes: 2, seedMode: 'sequence', seed: 100, overrides: SMALL });
    expect(jobs.map((j) => j.seed)).toEqual([100, 101]);
    expect(jobs.every((j) => j.state === 'queued' && j.prompt === 'wide shot, full body, Shot action 1')).toBe(true);

    const done = await harness.waitForJobs(projectId, jobs.map((j) => j.id));
    const takes = await takesOf(projectId, shotIds[0]);
    expect(takes).toHaveLength(2);
    for (const job of done) {
      expect(job.takeIds).toHaveLength(1);
      expect(job.serverId).toBe(serverId);
      expect(job.attempts).toBe(1);
      const take = takes.find((t) => t.id === job.takeIds[0]);
      expect(take?.source).toBe('generated');
      expect(take?.path).toMatch(/^media\/takes\/[0-9a-f]{64}\.png$/);
      expect(existsSync(join(path, take!.path))).toBe(true);
      expect(take?.meta).toMatchObject({ jobId: job.id, seed: job.seed, prompt: job.prompt, workflowId: 'sd15_txt2img', workflowHash: job.workflowHash, server: { id: serverId, name: 'Fake A' } });
      expect((take?.meta.timings as { runMs: number }).runMs).toBeGreaterThanOrEqual(0);
    }
    const snapshot = await harness.core.call('project.get', { projectId });
    expect(snapshot.scenes[0].shots[0].selectedTakeId).toBe(done[0].takeIds[0]);
    expect(postedPromptIds(comfy).sort()).toEqual(done.map((j) => j.promptId).sort());
    const names = harness.events.map((e) => e.event);
    expect(names).toContain('job.updated');
    expect(names).toContain('job.progress');
    expect(names).toContain('server.updated');
    const states = harness.events.filter((e) => e.event === 'job.updated').map((e) => (e.payload as { job: Job }).job.state);
    expect(states).toEqual(expect.arrayContaining(['queued', 'dispatched', 'running', 'succeeded']));
  });
});

describe('capability routing', () => {
  it('sends a job only to a server that has its checkpoint and LoRAs', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ models: { checkpoints: ['alpha.safetensors'] } });
    const b = await harness.server({ models: { checkpoints: ['beta.safetensors'] } });
    const c = await harness.server({ models: { checkpoints: ['alpha.safetensors'], loras: ['ink.safetensors'] } });
    await harness.addServer(a, 'A');
    await harness.addServer(b, 'B');
    const cId = await harness.addServer(c, 'C');
    const { projectId, shotIds } = await harness.project(2);
    const beta = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, takes: 2, overrides: { ...SMALL, checkpoint: 'beta.safetensors' } });
    const ink = await harness.core.call('queue.enqueue', {
      projectId,
      target: 'all',
      takes: 2,
      overrides: { ...SMALL, checkpoint: 'alpha.safetensors', loras: [{ name: 'ink.safetensors', strengthModel: 0.8 }] },
    });
    const betaJobs = await harness.waitForJobs(projectId, beta.jobs.map((j) => j.id));
    const inkJobs = await harness.waitForJobs(projectId, ink.jobs.map((j) => j.id));
    expect(postedPromptIds(b).sort()).toEqual(betaJobs.map((j) => j.promptId).sort());
    expect(postedPromptIds(c).sort()).toEqual(inkJobs.map((j) => j.promptId).sort());
    expect(postedPromptIds(a)).toEqual([]);
    expect(inkJobs.every((j) => j.serverId === cId)).toBe(true);
    expect(await takesOf(projectId)).toHaveLength(8);
  });

  it('fails a job at once, with the reason, when no server has its checkpoint', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ models: { checkpoints: ['alpha.safetensors'] } });
    await harness.addServer(a, 'A');
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: { ...SMALL, checkpoint: 'missing.safetensors' } });
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id], ['failed'], 5_000);
    expect(job.error?.code).toBe('unsupported');
    expect(job.error?.message).toMatch(/missing\.safetensors/);
    expect(job.error?.message).toMatch(/alpha\.safetensors/);
    expect(job.attempts).toBe(0);
    expect(postedPromptIds(a)).toEqual([]);
  });

  it('fails a job with the server\'s own reason when the server refuses a model its list did not show', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ models: { checkpoints: ['alpha.safetensors'] } });
    const aId = await harness.addServer(a, 'A');
    // The pool's view of A says it has gamma (as if the file was removed on the server since the last check).
    const server = harness.core.queue.pool.get(aId)!;
    server.capabilities!.nodes.CheckpointLoaderSimple.input!.required!.ckpt_name = [['alpha.safetensors', 'gamma.safetensors'], {}];
    server.capabilities = { ...server.capabilities!, checkpoints: ['alpha.safetensors', 'gamma.safetensors'] };
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: { ...SMALL, checkpoint: 'gamma.safetensors' } });
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id], ['failed'], 8_000);
    expect(postedPromptIds(a)).toHaveLength(1);
    expect(job.error?.message).toMatch(/refused the workflow.*gamma\.safetensors.*which this server does not have/s);
  });
});

describe('faults', () => {
  it('moves a job to another server when its server is killed mid-job, and makes one take', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ speed: 0.05 });
    const b = await harness.server();
    const aId = await harness.addServer(a, 'A');
    const bId = await harness.addServer(b, 'B');
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: { ...SMALL, steps: 40 } });
    await waitUntil(async () => (await harness.jobs(projectId)).get(jobs[0].id)?.state === 'running', 'the job to run on A');
    expect((await harness.jobs(projectId)).get(jobs[0].id)?.serverId).toBe(aId);
    a.kill();
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(job.serverId).toBe(bId);
    expect(job.attempts).toBe(2);
    expect(postedPromptIds(b)).toEqual([job.promptId]);
    expect(await takesOf(projectId)).toHaveLength(1);
  });

  it('follows a job through a dropped WebSocket and makes one take', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ speed: 0.02 });
    await harness.addServer(a, 'A');
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: { ...SMALL, steps: 20 } });
    await waitUntil(async () => (await harness.jobs(projectId)).get(jobs[0].id)?.state === 'running', 'the job to run');
    expect(a.dropSocket()).toBeGreaterThan(0);
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(job.attempts).toBe(1);
    expect(postedPromptIds(a)).toEqual([job.promptId]);
    expect(await takesOf(projectId)).toHaveLength(1);
  });

  it('retries 5xx answers and garbage JSON with backoff, then succeeds once', async () => {
    harness = new QueueHarness();
    const a = await harness.server();
    await harness.addServer(a, 'A');
    const { projectId, shotIds } = await harness.project(1);
    a.failNext(2, 500, { route: '/prompt', method: 'POST' });
    const first = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: SMALL });
    const [job] = await harness.waitForJobs(projectId, [first.jobs[0].id]);
    expect(job.attempts).toBe(3);
    expect(postedPromptIds(a)).toHaveLength(3);
    a.garbageJsonNext(1, { route: '/prompt', method: 'POST' });
    const second = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: SMALL });
    const [again] = await harness.waitForJobs(projectId, [second.jobs[0].id]);
    expect(again.attempts).toBe(2);
    expect(await takesOf(projectId)).toHaveLength(2);
  });

  it('gives up on a server that never answers and runs the job elsewhere', async () => {
    harness = new QueueHarness();
    const a = await harness.server();
    const b = await harness.server();
    const aId = await harness.addServer(a, 'A');
    const bId = await harness.addServer(b, 'B');
    a.hangNext(1, { route: '/prompt', method: 'POST' });
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: SMALL });
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(postedPromptIds(a)).toHaveLength(1);
    expect(job.serverId).toBe(bId);
    expect(job.attempts).toBe(2);
    expect(harness.events.some((e) => e.event === 'job.updated' && (e.payload as { job: Job }).job.error?.code === 'timeout' && (e.payload as { job: Job }).job.id === job.id)).toBe(true);
    expect(aId).not.toBe(bId);
    expect(await takesOf(projectId)).toHaveLength(1);
  });

  it('fails a job at once with the server\'s reason when a node fails (a permanent error), and retries it on request', async () => {
    harness = new QueueHarness();
    const a = await harness.server();
    await harness.addServer(a, 'A');
    const { projectId, shotIds } = await harness.project(1);
    a.failPrompt(() => true, { message: 'Expected tensor of rank 4', exceptionType: 'RuntimeError' });
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: SMALL });
    const [failed] = await harness.waitForJobs(projectId, [jobs[0].id], ['failed']);
    expect(failed.attempts).toBe(1);
    expect(failed.error?.code).toBe('execution');
    expect(failed.error?.message).toMatch(/Expected tensor of rank 4/);
    expect(await takesOf(projectId)).toHaveLength(0);
    const [retried] = await harness.core.call('queue.retry', { projectId, jobIds: [failed.id] });
    expect(retried.state).toBe('queued');
    const [job] = await harness.waitForJobs(projectId, [failed.id]);
    expect(job.attempts).toBe(2);
    expect(job.takeIds).toHaveLength(1);
    expect(await takesOf(projectId)).toHaveLength(1);
  });
});

describe('restart', () => {
  it('reconciles jobs with the server after a restart: finished -> one take, running -> followed, never submitted -> queued again', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ speed: 0.03 });
    const aId = await harness.addServer(a, 'A');
    const { projectId, path, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, takes: 4, overrides: { ...SMALL, steps: 10 } });
    const [j0, j1, j2, j3] = jobs.map((j) => j.id);
    await waitUntil(async () => (await harness.jobs(projectId)).get(j0)?.state === 'running', 'the first job to run');
    const before = await harness.jobs(projectId);
    expect(before.get(j1)?.state).toBe('dispatched');
    expect(before.get(j2)?.state).toBe('queued');

    await harness.restart(); // the app stops while j0 runs and j1 waits on the server
    // A crash between the dispatch write and the POST: j3 is recorded on A under a prompt id A never saw.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(path, 'project.db'));
    db.prepare(`UPDATE job SET state = 'dispatched', server_id = ?, prompt_id = 'never-posted', attempts = 1 WHERE id = ?`).run(aId, j3);
    db.close();
    await waitUntil(() => a.queueRemaining === 1, 'j0 to finish on the server while the app is down');

    const reopened = await harness.core.call('project.open', { path });
    expect(reopened.projectId).toBe(projectId);
    const done = await harness.waitForJobs(projectId, [j0, j1, j2, j3]);
    expect(done.map((j) => j.takeIds.length)).toEqual([1, 1, 1, 1]);
    expect(await takesOf(projectId)).toHaveLength(4);
    const posted = postedPromptIds(a);
    expect(posted).toHaveLength(4);
    expect(new Set(posted).size).toBe(4);
    expect(posted).not.toContain('never-posted');
    expect(done[3].attempts).toBe(2);
    expect(done[0].promptId).toBe(before.get(j0)?.promptId);
    expect(done[1].promptId).toBe(before.get(j1)?.promptId);

    // A second restart finds nothing left to do and writes no take twice.
    await harness.restart();
    await harness.core.call('project.open', { path });
    await new Promise((r) => setTimeout(r, 200));
    expect(await takesOf(projectId)).toHaveLength(4);
    expect(postedPromptIds(a)).toHaveLength(4);
  });
});

describe('queue control', () => {
  it('cancels a waiting job (never posted) and running ones (only them, by prompt id)', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ speed: 0.03 });
    await harness.addServer(a, 'A');
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, takes: 4, overrides: { ...SMALL, steps: 10 } });
    const [j0, j1, j2, j3] = jobs.map((j) => j.id);
    await waitUntil(async () => (await harness.jobs(projectId)).get(j0)?.state === 'running', 'the first job to run');
    const cancelled = await harness.core.call('queue.cancel', { projectId, jobIds: [j2, j0, j1] });
    expect(cancelled.map((j) => j.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const [last] = await harness.waitForJobs(projectId, [j3]);
    const all = await harness.jobs(projectId);
    expect([j0, j1, j2].map((id) => all.get(id)?.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const posted = postedPromptIds(a);
    expect(posted).toEqual([all.get(j0)?.promptId, all.get(j1)?.promptId, last.promptId]);
    const interrupts = a.requests.filter((r) => r.route === '/interrupt');
    expect(interrupts.map((r) => (r.body as { prompt_id?: string }).prompt_id)).toEqual([all.get(j0)?.promptId]);
    const deletes = a.requests.filter((r) => r.route === '/queue' && r.method === 'POST');
    expect(deletes.map((r) => r.body)).toEqual([{ delete: [all.get(j1)?.promptId] }]);
    expect(await takesOf(projectId)).toHaveLength(1);
  });

  it('runs critical jobs before waiting low-priority ones', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ speed: 0.02 });
    await harness.addServer(a, 'A');
    const { projectId, shotIds } = await harness.project(2);
    const low = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds: [shotIds[0]], takes: 4, priority: 'low', overrides: { ...SMALL, steps: 5 } });
    const critical = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds: [shotIds[1]], takes: 2, priority: 'critical', overrides: { ...SMALL, steps: 5 } });
    const lows = await harness.waitForJobs(projectId, low.jobs.map((j) => j.id));
    const crits = await harness.waitForJobs(projectId, critical.jobs.map((j) => j.id));
    const lastCritical = crits.map((j) => j.dispatchedAt as string).sort().at(-1) as string;
    expect(lows.slice(2).every((j) => (j.dispatchedAt as string) > lastCritical)).toBe(true);
    expect(await takesOf(projectId)).toHaveLength(6);
  });

  it('reorders, re-prioritises, cancels and retries waiting jobs', async () => {
    harness = new QueueHarness();
    const { projectId, sceneId } = await harness.project(3);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'scene', sceneId, seedMode: 'locked', overrides: SMALL });
    const [j0, j1, j2] = jobs.map((j) => j.id);
    const order = async () => (await harness.core.call('queue.list', { projectId, states: ['queued'] })).map((j) => j.id);
    expect(await order()).toEqual([j0, j1, j2]);
    await harness.core.call('queue.move', { projectId, jobIds: [j2], beforeJobId: j0 });
    expect(await order()).toEqual([j2, j0, j1]);
    await harness.core.call('queue.setPriority', { projectId, jobIds: [j1], priority: 'high' });
    expect(await order()).toEqual([j1, j2, j0]);
    await harness.core.call('queue.move', { projectId, jobIds: [j2], beforeJobId: j1 });
    expect((await harness.jobs(projectId)).get(j2)?.priority).toBe('high');
    expect(await order()).toEqual([j2, j1, j0]);
    await harness.core.call('queue.cancel', { projectId, jobIds: [j2] });
    expect(await order()).toEqual([j1, j0]);
    await harness.core.call('queue.retry', { projectId, jobIds: [j2] });
    expect(await order()).toEqual([j1, j2, j0]);
    await expect(harness.core.call('queue.retry', { projectId, jobIds: [j0] })).rejects.toMatchObject({ code: 'nothing_to_retry' });
    // Locked seeds: the same shots get the same seeds again.
    const again = await harness.core.call('queue.enqueue', { projectId, target: 'scene', sceneId, seedMode: 'locked', overrides: SMALL });
    expect(again.jobs.map((j) => j.seed)).toEqual(jobs.map((j) => j.seed));
  });

  it('works with a mid-2024 server, which ignores our prompt id', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ mode: 'mid2024' });
    await harness.addServer(a, 'Old');
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, overrides: SMALL });
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(postedPromptIds(a)).toHaveLength(1);
    expect(postedPromptIds(a)).not.toContain(job.promptId);
    expect(job.takeIds).toHaveLength(1);
  });
});

describe('contract methods', () => {
  it('manages servers, presets and workflows through the contract', async () => {
    harness = new QueueHarness();
    const a = await harness.server();
    const added = await harness.core.call('servers.add', { url: a.url, name: 'A', headers: { 'X-Key': 'k' } });
    expect(added).toMatchObject({ status: 'online', headerNames: ['X-Key'] });
    await expect(harness.core.call('servers.add', { url: 'nonsense://x' })).rejects.toMatchObject({ code: 'invalid_server_url' });
    expect(await harness.core.call('servers.update', { serverId: added.id, patch: { enabled: false } })).toMatchObject({ status: 'disabled', enabled: false });
    expect((await harness.core.call('servers.update', { serverId: added.id, patch: { enabled: true, name: 'A2' } })).status).toBe('online');
    expect((await harness.core.call('servers.check', { serverId: added.id })).name).toBe('A2');
    expect((await harness.core.call('servers.list', {})).map((s) => s.name)).toEqual(['A2']);
    await harness.core.call('servers.remove', { serverId: added.id });
    expect(await harness.core.call('servers.list', {})).toEqual([]);
    await expect(harness.core.call('servers.check', { serverId: added.id })).rejects.toMatchObject({ code: 'not_found' });

    const workflows = await harness.core.call('workflows.list', {});
    expect(workflows.find((w) => w.id === 'sd15_txt2img')).toMatchObject({ kind: 'image', family: 'sd15', builtin: true });
    const saved = await harness.core.call('presets.save', {
      preset: { id: 'boards', name: 'Boards', family: 'sd15', setting: { steps: 8, cfg: 6, samplerName: 'euler', scheduler: 'normal', widthPx: 512, heightPx: 512 } },
    });
    expect(saved).toMatchObject({ id: 'boards', builtin: false, loras: [] });
    const presets = await harness.core.call('presets.list', {});
    expect(presets.some((p) => p.id === 'sd15.fast' && p.builtin)).toBe(true);
    expect(presets.some((p) => p.id === 'boards')).toBe(true);
    await expect(harness.core.call('presets.remove', { presetId: 'sd15.fast' })).rejects.toMatchObject({ code: 'read_only' });
    await harness.core.call('presets.remove', { presetId: 'boards' });
    expect((await harness.core.call('presets.list', {})).some((p) => p.id === 'boards')).toBe(false);
  });

  it('queues with a saved preset, and moves the jobs of a removed server', async () => {
    harness = new QueueHarness();
    const a = await harness.server({ speed: 0.03 });
    const b = await harness.server();
    const aId = await harness.addServer(a, 'A');
    const bId = await harness.addServer(b, 'B');
    await harness.core.call('presets.save', {
      preset: { id: 'tiny', name: 'Tiny', family: 'sd15', setting: { steps: 20, cfg: 6, samplerName: 'euler', scheduler: 'normal', widthPx: 64, heightPx: 64 } },
    });
    const { projectId, shotIds } = await harness.project(1);
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, preset: 'tiny' });
    expect(jobs[0].workflowId).toBe('sd15_txt2img');
    await waitUntil(async () => (await harness.jobs(projectId)).get(jobs[0].id)?.state === 'running', 'the job to run on A');
    expect((await harness.jobs(projectId)).get(jobs[0].id)?.serverId).toBe(aId);
    await harness.core.call('servers.remove', { serverId: aId });
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(job.serverId).toBe(bId);
    expect(await takesOf(projectId)).toHaveLength(1);
    const take = (await takesOf(projectId))[0];
    expect([take.widthPx, take.heightPx]).toEqual([88, 64]); // 64x64 fitted to 16:9 in multiples of 8, at least 64
  });
});
