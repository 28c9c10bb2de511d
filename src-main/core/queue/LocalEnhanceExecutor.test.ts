/**
 * Enhancement jobs end to end through the queue: `enhance.enqueue` -> a persisted `enhance` job -> the local
 * executor (the real enhancement runtime, in its worker thread, on the CPU) -> a new take on the shot, with the
 * provider recorded. Also: the cache, cancel between tiles, retry after a failure, one enhancement at a time,
 * priorities shared with ComfyUI jobs, a restart with enhance jobs queued (and one that was running), upscale to
 * project resolution.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobState } from '../../../src-preload/contract';
import type { Take } from '../../../src-preload/model';
import { FakeComfyServer } from '../comfy/fake/FakeComfyServer.ts';
import { Core } from '../Core.ts';
import { buildBlendModel, buildConvModel } from '../enhance/modelBuilders.ts';
import { clipTestFrame, ESPCN_ID, probeTestClip, sidecarFor, writeModelFolder, writeTestClip, writeTestPng } from '../enhance/testSupport.ts';
import { EnhanceError } from '../enhance/EnhanceError.ts';
import { CACHE_PROVIDER, execErrorOf, LOCAL_ENHANCE_WORKER_ID } from './LocalEnhanceExecutor.ts';
import { fastQueueOptions, waitUntil } from './testHarness.ts';

/** A core (CPU-only enhancement) over a temporary config folder, with its events recorded; restartable. */
class EnhanceHarness {
  readonly root = mkdtempSync(join(tmpdir(), 'storycanvas-enhance-queue-'));
  readonly configDir = join(this.root, 'config');
  readonly events: Array<{ event: string; payload: unknown }> = [];
  readonly servers: FakeComfyServer[] = [];
  core: Core;
  private off: () => void;

  constructor(private autoStart = true) {
    this.core = this.makeCore();
    this.off = this.core.events.onAny((event, payload) => this.events.push({ event, payload }));
  }

  private makeCore(): Core {
    return new Core({ shell: 'cli', configDir: this.configDir, queue: fastQueueOptions({ autoStart: this.autoStart }), enhance: { useGpu: false, sessionIdleMs: 500 } });
  }

  async restart(autoStart: boolean, between?: () => void | Promise<void>): Promise<void> {
    this.off();
    await this.core.close();
    await between?.();
    this.autoStart = autoStart;
    this.core = this.makeCore();
    this.off = this.core.events.onAny((event, payload) => this.events.push({ event, payload }));
  }

  /** A project (320x180 at 24 fps unless told) with `shots` shots, each with one imported picture of the given size. */
  async project(shots: Array<{ widthPx: number; heightPx: number }>, size = { widthPx: 320, heightPx: 180 }) {
    const summary = await this.core.call('project.create', { dir: join(this.root, 'projects'), name: `Enhance ${Math.random().toString(36).slice(2, 8)}`, ...size });
    const projectId = summary.projectId;
    const { sceneId } = await this.core.call('scene.create', { projectId, heading: 'INT. KITCHEN - NIGHT' });
    const takes: Take[] = [];
    const shotIds: string[] = [];
    for (const [i, picture] of shots.entries()) {
      const { shotId } = await this.core.call('shot.create', { projectId, sceneId });
      const file = await writeTestPng(join(this.root, `shot${i + 1}.png`), picture.widthPx, picture.heightPx, i + 1);
      takes.push(...(await this.core.call('take.import', { projectId, shotId, paths: [file] })));
      shotIds.push(shotId);
    }
    return { projectId, path: summary.path, shotIds, takes };
  }

  async jobs(projectId: string): Promise<Map<string, Job>> {
    return new Map((await this.core.call('queue.list', { projectId })).map((job) => [job.id, job]));
  }

  async waitForJobs(projectId: string, jobIds: string[], states: JobState[] = ['succeeded'], timeoutMs = 20_000): Promise<Job[]> {
    let jobs: Job[] = [];
    await waitUntil(async () => {
      const all = await this.jobs(projectId);
      jobs = jobIds.map((id) => all.get(id) as Job);
      return jobs.every((j) => states.includes(j.state));
    }, `jobs ${jobIds.join(', ')} to be ${states.join('/')}`, timeoutMs).catch((err: Error) => {
      throw new Error(`${err.message}: ${jobs.map((j) => `${j.id}=${j.state}${j.error ? ` (${j.error.message})` : ''}`).join(', ')}`);
    });
    return jobs;
  }

  async snapshot(projectId: string) {
    return this.core.call('project.get', { projectId });
  }

  updates(jobId: string): Job[] {
    return this.events.filter((e) => e.event === 'job.updated' && (e.payload as { job: Job }).job.id === jobId).map((e) => (e.payload as { job: Job }).job);
  }

  progress(jobId: string): Array<{ value: number; max: number }> {
    return this.events.filter((e) => e.event === 'job.progress' && (e.payload as { jobId: string }).jobId === jobId).map((e) => e.payload as { value: number; max: number });
  }

  async close(): Promise<void> {
    this.off();
    await this.core.close();
    await Promise.all(this.servers.map((s) => s.close()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

let harness: EnhanceHarness;
afterEach(async () => {
  await harness?.close();
});

describe('enhance jobs through the queue', () => {
  it('persists the job, runs it locally, and adds an upscaled take (source kept, selected like its source), with the provider', async () => {
    harness = new EnhanceHarness();
    const { projectId, path, shotIds, takes } = await harness.project([{ widthPx: 96, heightPx: 64 }]);
    const source = takes[0];
    const { jobs, skipped } = await harness.core.call('enhance.enqueue', { projectId, takeIds: [source.id], modelId: ESPCN_ID, tileSizePx: 32, overlapPx: 4 });
    expect(skipped).toEqual([]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'enhance', shotId: shotIds[0], workflowId: ESPCN_ID, priority: 'normal', provider: null });
    // The job is a row of the project's job table from the start.
    const db = new Database(join(path, 'project.db'), { readonly: true });
    expect(db.prepare('SELECT kind, state FROM job WHERE id = ?').get(jobs[0].id)).toMatchObject({ kind: 'enhance' });
    db.close();

    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(job).toMatchObject({ serverId: LOCAL_ENHANCE_WORKER_ID, provider: 'cpu', attempts: 1, error: null });
    expect(job.takeIds).toHaveLength(1);
    const snapshot = await harness.snapshot(projectId);
    const result = snapshot.takes.find((t) => t.id === job.takeIds[0]) as Take;
    expect(result).toMatchObject({ shotId: shotIds[0], source: 'generated', kind: 'image', widthPx: 192, heightPx: 128 });
    expect(result.path).toMatch(/^media\/takes\/[0-9a-f]{64}\.png$/);
    expect(result.path).toBe(`media/takes/${result.contentHash}.png`);
    expect(existsSync(join(path, result.path))).toBe(true);
    expect(result.meta).toMatchObject({ enhancedFrom: source.id, modelId: ESPCN_ID, provider: 'cpu', tried: [{ name: 'cpu', ok: true }], jobId: job.id });
    expect(result.meta.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect(result.meta.ms).toBeGreaterThan(0);
    expect(snapshot.takes.some((t) => t.id === source.id)).toBe(true);
    expect(snapshot.scenes[0].shots[0].selectedTakeId).toBe(result.id);
    const meta = await sharp(join(path, result.path)).metadata();
    expect([meta.width, meta.height]).toEqual([192, 128]);
    // Progress per tile: 96x64 in 32 px tiles keeping 4 px of overlap is 4 x 3 tiles; the last event is 12 of 12.
    const progress = harness.progress(job.id);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual(expect.objectContaining({ value: 12, max: 12 }));
    expect(harness.updates(job.id).map((j) => j.state)).toEqual(expect.arrayContaining(['queued', 'dispatched', 'running', 'succeeded']));
    // Undo removes the enhanced take (it is one journal step) and the source is selected again.
    await harness.core.call('edit.undo', { projectId });
    const undone = await harness.snapshot(projectId);
    expect(undone.takes.map((t) => t.id)).toEqual([source.id]);
    expect(undone.scenes[0].shots[0].selectedTakeId).toBe(source.id);
  });

  it('reuses a result with the same input, model and parameters instead of computing it again', async () => {
    harness = new EnhanceHarness();
    const { projectId, takes } = await harness.project([{ widthPx: 80, heightPx: 48 }]);
    const first = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[0].id], modelId: ESPCN_ID });
    const [done] = await harness.waitForJobs(projectId, [first.jobs[0].id]);
    const takeCount = (await harness.snapshot(projectId)).takes.length;
    // The source is selected again; the cached result is selected again too.
    await harness.core.call('take.select', { projectId, takeId: takes[0].id });

    const again = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[0].id], modelId: ESPCN_ID });
    const [hit] = await harness.waitForJobs(projectId, [again.jobs[0].id]);
    expect(hit.provider).toBe(CACHE_PROVIDER);
    expect(hit.takeIds).toEqual(done.takeIds);
    expect(harness.progress(hit.id)).toEqual([]); // nothing ran
    const snapshot = await harness.snapshot(projectId);
    expect(snapshot.takes).toHaveLength(takeCount);
    expect(snapshot.scenes[0].shots[0].selectedTakeId).toBe(done.takeIds[0]);

    // Other parameters are another result.
    const other = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[0].id], modelId: ESPCN_ID, tileSizePx: 32, overlapPx: 4 });
    const [computed] = await harness.waitForJobs(projectId, [other.jobs[0].id]);
    expect(computed.provider).toBe('cpu');
    expect(computed.takeIds[0]).not.toBe(done.takeIds[0]);

    // The same picture on another shot, and a cached take in the trash: a new take reusing the file, nothing computed.
    const resultPath = snapshot.takes.find((t) => t.id === done.takeIds[0])!.path;
    const { shotId: shot2 } = await harness.core.call('shot.create', { projectId, sceneId: snapshot.scenes[0].id });
    const [copy] = await harness.core.call('take.import', { projectId, shotId: shot2, paths: [join(harness.root, 'shot1.png')] });
    const elsewhere = await harness.core.call('enhance.enqueue', { projectId, takeIds: [copy.id], modelId: ESPCN_ID });
    const [reused] = await harness.waitForJobs(projectId, [elsewhere.jobs[0].id]);
    const reusedTake = (await harness.snapshot(projectId)).takes.find((t) => t.id === reused.takeIds[0])!;
    expect(reused.provider).toBe(CACHE_PROVIDER);
    expect(reusedTake).toMatchObject({ shotId: shot2, path: resultPath, source: 'generated' });
    expect(reusedTake.meta).toMatchObject({ enhancedFrom: copy.id, reusedFrom: done.takeIds[0] });
    harness.core.project(projectId).db.prepare('UPDATE take SET trashed_at = ? WHERE id = ?').run(new Date().toISOString(), done.takeIds[0]);
    const afterTrash = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[0].id], modelId: ESPCN_ID });
    const [fromTrash] = await harness.waitForJobs(projectId, [afterTrash.jobs[0].id]);
    expect(fromTrash.provider).toBe(CACHE_PROVIDER);
    expect(fromTrash.takeIds[0]).not.toBe(done.takeIds[0]);
    expect(harness.progress(fromTrash.id)).toEqual([]);
  });

  it('cancels a running enhancement between tiles: no take, and the worker is free for the next job', async () => {
    harness = new EnhanceHarness();
    const { projectId, takes } = await harness.project([{ widthPx: 480, heightPx: 320 }, { widthPx: 40, heightPx: 30 }]);
    const { jobs } = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[0].id], modelId: ESPCN_ID, tileSizePx: 16, overlapPx: 4 });
    const jobId = jobs[0].id;
    await waitUntil(() => harness.progress(jobId).length > 0, 'the first tile');
    await harness.core.call('queue.cancel', { projectId, jobIds: [jobId] });
    const [cancelled] = await harness.waitForJobs(projectId, [jobId], ['cancelled']);
    expect(cancelled.takeIds).toEqual([]);
    const last = harness.progress(jobId).at(-1)!;
    expect(last.value).toBeLessThan(last.max);
    // The worker stopped the job: the next one runs at once (it would wait behind hundreds of tiles otherwise).
    const next = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[1].id], modelId: ESPCN_ID });
    const [done] = await harness.waitForJobs(projectId, [next.jobs[0].id], ['succeeded'], 10_000);
    expect(done.provider).toBe('cpu');
    expect((await harness.snapshot(projectId)).takes).toHaveLength(3);
    expect(harness.updates(jobId).at(-1)?.state).toBe('cancelled');
  });

  it('fails a job whose model file was damaged, with the reason, and succeeds on retry once it is repaired', async () => {
    harness = new EnhanceHarness(false);
    const model = buildConvModel({ scale: 2, seed: 7 });
    const dir = await writeModelFolder(join(harness.configDir, 'models'), 'test-x2', model, sidecarFor(model, { id: 'test-x2', scale: 2 }));
    const { projectId, takes } = await harness.project([{ widthPx: 40, heightPx: 24 }]);
    const { jobs } = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[0].id], modelId: 'test-x2' });
    await writeFile(join(dir, 'model.onnx'), Buffer.from('not a model'));
    harness.core.queue.resume();
    const [failed] = await harness.waitForJobs(projectId, [jobs[0].id], ['failed']);
    expect(failed.error?.code).toBe('enhance.unknownModel');
    expect(failed.error?.message).toMatch(/does not match its sidecar/);
    expect(failed.takeIds).toEqual([]);

    await writeFile(join(dir, 'model.onnx'), model);
    await harness.core.call('queue.retry', { projectId, jobIds: [jobs[0].id] });
    const [done] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(done).toMatchObject({ attempts: 2, provider: 'cpu', error: null });
    expect(done.takeIds).toHaveLength(1);
  });

  it('runs one enhancement at a time, most urgent first, in the same priority order as ComfyUI jobs', async () => {
    harness = new EnhanceHarness(false);
    const comfy = await FakeComfyServer.start({ speed: 0.002, historyDelayMs: 2 });
    harness.servers.push(comfy);
    await harness.core.call('servers.add', { url: comfy.url, name: 'Fake' });
    await harness.core.queue.startPool();
    const { projectId, shotIds, takes } = await harness.project([
      { widthPx: 64, heightPx: 48 },
      { widthPx: 64, heightPx: 40 },
      { widthPx: 48, heightPx: 48 },
    ]);
    const low = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds: [shotIds[0]], takes: 1, priority: 'low', overrides: { widthPx: 64, heightPx: 64, steps: 2 } });
    const lowEnhance = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[1].id], modelId: ESPCN_ID, priority: 'low' });
    const normalEnhance = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[2].id], modelId: ESPCN_ID });
    const critical = await harness.core.call('enhance.enqueue', { projectId, shotIds: [shotIds[0]], modelId: ESPCN_ID, priority: 'critical' });
    const order = [critical.jobs[0].id, normalEnhance.jobs[0].id, low.jobs[0].id, lowEnhance.jobs[0].id];
    // One queue, one order: the critical enhancement is first, the low generation waits behind the normal enhancement.
    const waiting = (await harness.core.call('queue.list', { projectId })).map((j) => j.id);
    expect(waiting.indexOf(critical.jobs[0].id)).toBe(0);
    expect(waiting.indexOf(normalEnhance.jobs[0].id)).toBeLessThan(waiting.indexOf(low.jobs[0].id));

    harness.core.queue.resume();
    const done = await harness.waitForJobs(projectId, order);
    const dispatchOrder = harness.events
      .filter((e) => e.event === 'job.updated' && (e.payload as { job: Job }).job.state === 'dispatched')
      .map((e) => (e.payload as { job: Job }).job.id);
    // The critical enhancement is dispatched before the low generation (the local worker is its own "server").
    expect(dispatchOrder.indexOf(critical.jobs[0].id)).toBeLessThan(dispatchOrder.indexOf(low.jobs[0].id));
    const enhanceOrder = dispatchOrder.filter((id) => id !== low.jobs[0].id);
    expect(enhanceOrder).toEqual([critical.jobs[0].id, normalEnhance.jobs[0].id, lowEnhance.jobs[0].id]);
    // Never two enhancements at once: each starts after the previous one finished.
    const enhanceJobs = done.filter((j) => j.kind === 'enhance').sort((a, b) => a.dispatchedAt!.localeCompare(b.dispatchedAt!));
    for (let i = 1; i < enhanceJobs.length; i++) expect(enhanceJobs[i].dispatchedAt! >= enhanceJobs[i - 1].finishedAt!).toBe(true);
    expect(done.find((j) => j.id === low.jobs[0].id)).toMatchObject({ kind: 'comfy', provider: null });
    expect(done.filter((j) => j.kind === 'enhance').every((j) => j.provider === 'cpu' && j.serverId === LOCAL_ENHANCE_WORKER_ID)).toBe(true);
  });

  it('runs enhancement jobs after a restart: a queued one, and one that was running when the app stopped', async () => {
    harness = new EnhanceHarness(false);
    const { projectId, path, takes } = await harness.project([{ widthPx: 48, heightPx: 32 }, { widthPx: 40, heightPx: 40 }]);
    const a = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[0].id], modelId: ESPCN_ID });
    const b = await harness.core.call('enhance.enqueue', { projectId, takeIds: [takes[1].id], modelId: ESPCN_ID });
    await harness.restart(true, () => {
      // As if the app had stopped while b ran.
      const db = new Database(join(path, 'project.db'));
      db.prepare(`UPDATE job SET state = 'running', server_id = ?, prompt_id = 'lost-attempt', attempts = 1, dispatched_at = ?, started_at = ? WHERE id = ?`).run(
        LOCAL_ENHANCE_WORKER_ID,
        new Date().toISOString(),
        new Date().toISOString(),
        b.jobs[0].id,
      );
      db.close();
    });
    const reopened = await harness.core.call('project.open', { path });
    expect(reopened.projectId).toBe(projectId);
    const [doneA, doneB] = await harness.waitForJobs(projectId, [a.jobs[0].id, b.jobs[0].id]);
    expect(doneA).toMatchObject({ attempts: 1, provider: 'cpu' });
    expect(doneB).toMatchObject({ attempts: 2, provider: 'cpu' });
    expect((await harness.snapshot(projectId)).takes).toHaveLength(4);
  });
});

describe('enhance.enqueue choices', () => {
  it('upscales to the project resolution (passes, then lanczos), skips takes already there, and leaves unselected sources unselected', async () => {
    harness = new EnhanceHarness();
    const { projectId, path, shotIds, takes } = await harness.project([
      { widthPx: 96, heightPx: 54 },
      { widthPx: 320, heightPx: 180 },
      { widthPx: 400, heightPx: 300 },
    ]);
    // Shot 1 gets a second take, selected: its first take is enhanced without being selected.
    const extra = await writeTestPng(join(harness.root, 'extra.png'), 32, 18, 9);
    const [other] = await harness.core.call('take.import', { projectId, shotId: shotIds[0], paths: [extra] });
    await harness.core.call('take.select', { projectId, takeId: other.id });

    const { jobs, skipped } = await harness.core.call('enhance.enqueue', { projectId, takeIds: takes.map((t) => t.id), modelId: ESPCN_ID, upscaleToProject: true });
    expect(jobs).toHaveLength(1);
    expect(skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/is 320x180 px, already at or above the project resolution \(320x180\)/),
      expect.stringMatching(/is 400x300 px, already at or above the project resolution/),
    ]);
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    const snapshot = await harness.snapshot(projectId);
    const result = snapshot.takes.find((t) => t.id === job.takeIds[0]) as Take;
    // 96x54 needs x3.33: two x2 passes give 384x216, brought down to 320x180.
    expect(result).toMatchObject({ widthPx: 320, heightPx: 180 });
    expect(result.meta).toMatchObject({ passes: 2, fittedTo: { widthPx: 320, heightPx: 180 }, enhancedFrom: takes[0].id });
    const meta = await sharp(join(path, result.path)).metadata();
    expect([meta.width, meta.height]).toEqual([320, 180]);
    expect(snapshot.scenes[0].shots[0].selectedTakeId).toBe(other.id);
  });

  it('interpolates a clip take to the project frame rate as a new video take', async () => {
    harness = new EnhanceHarness();
    const blend = buildBlendModel({ requiredMultiple: 32 });
    await writeModelFolder(join(harness.configDir, 'models'), 'blend', blend, sidecarFor(blend, { id: 'blend', task: 'interpolate', inputName: 'img0', tileMultiple: 32 }));
    const summary = await harness.core.call('project.create', { dir: join(harness.root, 'projects'), name: 'Clips', frameRate: { num: 24000, den: 1001 }, widthPx: 320, heightPx: 180 });
    const projectId = summary.projectId;
    const { sceneId } = await harness.core.call('scene.create', { projectId, heading: 'EXT. ROOF - DAY' });
    const { shotId } = await harness.core.call('shot.create', { projectId, sceneId });
    const clip = await writeTestClip(join(harness.root, 'clip16.mp4'), { widthPx: 64, heightPx: 36, frameRate: { num: 16, den: 1 }, frameCount: 32, frame: (i) => clipTestFrame(i, 64, 36) });
    const still = await writeTestPng(join(harness.root, 'still.png'), 40, 30);
    const [clipTake] = await harness.core.call('take.import', { projectId, shotId, paths: [clip] });
    const [stillTake] = await harness.core.call('take.import', { projectId, shotId, paths: [still] });
    expect(clipTake).toMatchObject({ kind: 'video', durationFrames: 48 });

    const { jobs, skipped } = await harness.core.call('enhance.enqueue', { projectId, takeIds: [clipTake.id, stillTake.id], modelId: 'blend' });
    expect(skipped).toEqual([expect.objectContaining({ takeId: stillTake.id, reason: expect.stringMatching(/is a still picture; "blend" interpolates the frames of clips/) })]);
    const [job] = await harness.waitForJobs(projectId, [jobs[0].id]);
    expect(job.provider).toBe('cpu');
    const result = (await harness.snapshot(projectId)).takes.find((t) => t.id === job.takeIds[0]) as Take;
    expect(result).toMatchObject({ kind: 'video', source: 'generated', widthPx: 64, heightPx: 36, durationFrames: 48 });
    expect(result.path).toMatch(/^media\/takes\/[0-9a-f]{64}\.mp4$/);
    expect(result.meta).toMatchObject({ enhancedFrom: clipTake.id, task: 'interpolate', modelId: 'blend', frameCount: 48, interpolatedFrames: 46, sourceFrameRate: { num: 24000, den: 1001 } });
    const probe = await probeTestClip(join(summary.path, result.path));
    expect([probe.frames, probe.rFrameRate]).toEqual([48, '24000/1001']);
    // The clip is now at the project rate: asking again skips it.
    const again = await harness.core.call('enhance.enqueue', { projectId, takeIds: [result.id], modelId: 'blend' });
    expect(again.skipped[0].reason).toMatch(/already at the project's frame rate \(24000\/1001\)/);
  });

  it('refuses an unknown model and a request without takes, and skips shots without a selected take and clips', async () => {
    harness = new EnhanceHarness();
    const { projectId, shotIds } = await harness.project([{ widthPx: 40, heightPx: 30 }]);
    await expect(harness.core.call('enhance.enqueue', { projectId, shotIds, modelId: 'realesrgan-x4' })).rejects.toMatchObject({ code: 'unknown_model', message: expect.stringMatching(/No model "realesrgan-x4" is installed/) });
    await expect(harness.core.call('enhance.enqueue', { projectId, modelId: ESPCN_ID } as never)).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(harness.core.call('enhance.enqueue', { projectId, shotIds, modelId: ESPCN_ID, tileSizePx: 32 })).rejects.toMatchObject({ code: 'invalid_request', message: 'A tile of 32 px cannot keep 16 px of overlap on both sides.' });
    const snapshot = await harness.snapshot(projectId);
    const { shotId: empty } = await harness.core.call('shot.create', { projectId, sceneId: snapshot.scenes[0].id });
    const result = await harness.core.call('enhance.enqueue', { projectId, shotIds: [empty], modelId: ESPCN_ID });
    expect(result.jobs).toEqual([]);
    expect(result.skipped).toEqual([expect.objectContaining({ shotId: empty, takeId: null, reason: expect.stringMatching(/has no selected take to enhance/) })]);
  });

  it('lists models and the provider choice through the contract', async () => {
    harness = new EnhanceHarness();
    const model = buildConvModel({ scale: 2 });
    await writeModelFolder(join(harness.configDir, 'models'), 'mine', model, sidecarFor(model, { id: 'mine', scale: 2 }));
    const before = await harness.core.call('models.list', {});
    const rows = new Map(before.map((m) => [m.id, [m.origin, m.task, m.scale, m.layout]]));
    expect(rows.get(ESPCN_ID)).toEqual(['bundled', 'upscale', 2, 'RGB']);
    expect(rows.get('mine')).toEqual(['user', 'upscale', 2, 'RGB']);
    expect(before.at(-1)?.id).toBe('mine'); // bundled first, then the user's
    expect(before.find((m) => m.id === ESPCN_ID)).toMatchObject({ licence: { spdx: 'MIT' }, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), provider: null });
    expect(await harness.core.call('enhance.providers', {})).toEqual({ provider: 'cpu', tried: [{ name: 'cpu', ok: true }] });
    expect((await harness.core.call('models.list', {})).every((m) => m.provider === 'cpu')).toBe(true);
  });
});

describe('execErrorOf', () => {
  it('retries a dead worker and a cancel, and fails at once on a bad model or input', () => {
    expect(execErrorOf(new EnhanceError('enhance.workerFailed', 'The enhancement worker stopped: it exited with code 1.', 'Try again.'))).toMatchObject({ kind: 'transient', code: 'worker_failed' });
    expect(execErrorOf(new EnhanceError('enhance.cancelled', 'The enhancement was cancelled.', ''))).toMatchObject({ kind: 'transient', flags: { interrupted: true } });
    expect(execErrorOf(new EnhanceError('enhance.badModel', 'model.onnx does not match its sidecar.', 'Reinstall the model.'))).toMatchObject({
      kind: 'permanent',
      code: 'enhance.badModel',
      message: 'model.onnx does not match its sidecar. Reinstall the model.',
    });
    expect(execErrorOf(new Error('ENOSPC: no space left on device'))).toMatchObject({ kind: 'transient', code: 'error' });
  });
});
