/** The job table's guarded transitions, the take uniqueness, and the take writer's exactly-once rule. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../store/ProjectStore.ts';
import { JobStore, type NewJob } from './jobStore.ts';
import { PreviewWriter } from './previews.ts';
import { writeTakes, type GenerationMeta } from './takeWriter.ts';

let dir: string;
let store: ProjectStore;
let jobs: JobStore;
let shotId: string;

function newJob(id: string, orderKey: string): NewJob {
  return {
    id,
    kind: 'comfy',
    shotId,
    batchId: 'bat_1',
    workflowId: 'sd15_txt2img',
    workflowHash: 'f'.repeat(64),
    graphJson: '{}',
    params: { seed: 1 },
    requires: { nodeTypes: ['SaveImage'], loras: [], models: [] },
    prompt: 'a pier',
    seed: 1,
    workUnits: 20,
    priority: 'normal',
    orderKey,
    createdAt: new Date().toISOString(),
  };
}

const meta = (): GenerationMeta => ({
  server: { id: 'srv_a', name: 'A', url: 'http://127.0.0.1:1' },
  promptId: 'p1',
  timings: { queuedAt: new Date().toISOString(), dispatchedAt: null, startedAt: null, finishedAt: new Date().toISOString(), runMs: null, totalMs: 1 },
});

const png = (r: number) => sharp({ create: { width: 8, height: 8, channels: 3, background: { r, g: 0, b: 0 } } }).png().toBuffer();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'job-store-'));
  store = await ProjectStore.create(dir, { name: 'Jobs', frameRate: { num: 24, den: 1 }, widthPx: 640, heightPx: 360, defaultShotDurationFrames: 24 });
  shotId = store.createShot(store.createScene({}));
  jobs = new JobStore(store.db);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('JobStore', () => {
  it('moves a job only from the state each step expects, and only for the current attempt', () => {
    jobs.insert([newJob('job_1', 'a0'), newJob('job_2', 'a1')]);
    expect(jobs.lastOrderKey()).toBe('a1');
    expect(jobs.markDispatched('job_1', 'srv_a', 'p1', 't1')).toBe(true);
    expect(jobs.markDispatched('job_1', 'srv_b', 'p2', 't2')).toBe(false); // not queued any more
    expect(jobs.markRunning('job_1', 'other', 't3')).toBe(false);
    expect(jobs.markRunning('job_1', 'p1', 't3')).toBe(true);
    expect(jobs.requeue('job_1', 'other', 'x', 'y')).toBe(false);
    expect(jobs.requeue('job_1', 'p1', 'timeout', 'no answer')).toBe(true);
    expect(jobs.get('job_1')).toMatchObject({ state: 'queued', serverId: null, promptId: null, attempts: 1, errorCode: 'timeout' });
    expect(jobs.markDispatched('job_1', 'srv_b', 'p2', 't4')).toBe(true);
    expect(jobs.markSucceeded('job_1', 'p1', 't5')).toBe(false); // an abandoned attempt cannot finish the job
    expect(jobs.markSucceeded('job_1', 'p2', 't5')).toBe(true);
    expect(jobs.markCancelled('job_1', 't6')).toBe(false);
    expect(jobs.get('job_1')).toMatchObject({ state: 'succeeded', attempts: 2, error: null });
    expect(jobs.markCancelled('job_2', 't7', 'no longer needed')).toBe(true);
    expect(jobs.get('job_2')).toMatchObject({ state: 'cancelled', errorCode: 'cancelled', error: 'no longer needed' });
    expect(jobs.retry('job_2', 'a2')).toBe(true);
    expect(jobs.get('job_2')).toMatchObject({ state: 'queued', error: null, orderKey: 'a2' });
    expect(jobs.list(['queued']).map((j) => j.id)).toEqual(['job_2']);
  });

  it('refuses a second take of the same job output', () => {
    const insert = store.db.prepare(
      `INSERT INTO take (id, shot_id, path, kind, source, width_px, height_px, content_hash, created_at, job_id, output_index)
       VALUES (?, ?, 'media/takes/x.png', 'image', 'generated', 8, 8, 'h', 't', 'job_1', 0)`,
    );
    insert.run('tk_1', shotId);
    expect(() => insert.run('tk_2', shotId)).toThrow(/UNIQUE/);
  });
});

describe('writeTakes', () => {
  it('writes the takes of an attempt once: a second write of the same result changes nothing', async () => {
    jobs.insert([newJob('job_1', 'a0')]);
    jobs.markDispatched('job_1', 'srv_a', 'p1', 't1');
    const record = jobs.get('job_1')!;
    const outputs = [
      { index: 0, fileName: 'storycanvas_00001_.png', bytes: await png(10) },
      { index: 1, fileName: 'storycanvas_00002_.png', bytes: await png(20) },
    ];
    const first = await writeTakes(store, jobs, record, 'p1', outputs, meta());
    expect(first.kind).toBe('written');
    const second = await writeTakes(store, jobs, record, 'p1', outputs, meta());
    expect(second.kind).toBe('stale');
    const takes = store.takes(shotId).sort((a, b) => Number(a.meta.outputIndex) - Number(b.meta.outputIndex));
    expect(takes).toHaveLength(2);
    expect(takes.map((t) => t.meta.outputIndex)).toEqual([0, 1]);
    expect(store.shot(shotId).selectedTakeId).toBe(takes[0].id);
    expect(jobs.takeIds().get('job_1')).toEqual(takes.map((t) => t.id));
    // The takes are one undoable step.
    expect(store.undoState().undoLabel).toMatch(/^Generate 2 takes of shot/);
    store.undo();
    expect(store.takes(shotId)).toHaveLength(0);
    expect(jobs.get('job_1')?.state).toBe('succeeded');
  });

  it('fails the job and keeps the files when the shot was deleted meanwhile', async () => {
    jobs.insert([newJob('job_1', 'a0')]);
    jobs.markDispatched('job_1', 'srv_a', 'p1', 't1');
    store.deleteShots([shotId]);
    const outcome = await writeTakes(store, jobs, jobs.get('job_1')!, 'p1', [{ index: 0, fileName: 'x.png', bytes: await png(30) }], meta());
    expect(outcome.kind).toBe('shot_deleted');
    expect(jobs.get('job_1')).toMatchObject({ state: 'failed', errorCode: 'shot_deleted' });
    if (outcome.kind === 'shot_deleted') expect(existsSync(join(store.dir, outcome.paths[0]))).toBe(true);
  });
});

describe('PreviewWriter', () => {
  it('keeps the latest frame of a job, written at most once per interval, and removes it when the job ends', async () => {
    const writer = new PreviewWriter(store.dir, 100);
    expect(await writer.offer('job_1', Buffer.from('frame1'), 'image/jpeg', 1_000)).toBe('media/previews/job_1.jpg');
    expect(await writer.offer('job_1', Buffer.from('frame2'), 'image/jpeg', 1_050)).toBeNull();
    expect(await writer.offer('job_1', Buffer.from('frame3'), 'image/jpeg', 1_100)).toBe('media/previews/job_1.jpg');
    expect(readdirSync(join(store.dir, 'media', 'previews'))).toEqual(['job_1.jpg']);
    await writer.clear('job_1');
    expect(readdirSync(join(store.dir, 'media', 'previews'))).toEqual([]);
  });
});
