/**
 * Variations of a take end to end against the ComfyUI test double: new seeds with the recorded prompt and graph;
 * same seed as image to image from the take (uploaded, VAEEncode, growing denoise); and the seed-neighbour fallback
 * for a workflow without a denoise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../queue/jobStore.ts';
import { QueueHarness } from '../queue/testHarness.ts';
import { buildVariationJobs } from './variations.ts';

const SMALL = { widthPx: 64, heightPx: 64, steps: 2 };
let harness: QueueHarness;
afterEach(async () => {
  await harness?.close();
});

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
const posted = (server: Awaited<ReturnType<QueueHarness['server']>>): Graph[] =>
  server.requests.filter((r) => r.method === 'POST' && r.route === '/prompt').map((r) => (r.body as { prompt: Graph }).prompt);

/** A project with one generated take of its shot; returns the ids and the server. */
async function generatedTake() {
  harness = new QueueHarness();
  const comfy = await harness.server();
  await harness.addServer(comfy);
  const { projectId, shotIds } = await harness.project(1, 'Vary');
  const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds, takes: 1, seedMode: 'sequence', seed: 500, overrides: SMALL });
  const [done] = await harness.waitForJobs(projectId, [jobs[0].id]);
  return { comfy, projectId, shotId: shotIds[0], takeId: done.takeIds[0], prompt: jobs[0].prompt };
}

describe('take.vary', () => {
  it('new-seed: same prompt and graph, new random seeds', async () => {
    const { comfy, projectId, shotId, takeId, prompt } = await generatedTake();
    const r = await harness.core.call('take.vary', { projectId, takeId, mode: 'new-seed', count: 2 });
    expect(r.method).toBe('new-seed');
    expect(r.jobs.map((j) => j.prompt)).toEqual([prompt, prompt]);
    expect(r.jobs.every((j) => j.seed !== 500)).toBe(true);
    const done = await harness.waitForJobs(projectId, r.jobs.map((j) => j.id));
    const graphs = posted(comfy).slice(1);
    expect(graphs.map((g) => g['3'].inputs.seed).sort()).toEqual(r.jobs.map((j) => j.seed).sort());
    expect(graphs.every((g) => g['6'].inputs.text === prompt && g['5'].class_type === 'EmptyLatentImage')).toBe(true);
    const snap = await harness.core.call('project.get', { projectId });
    const take = snap.takes.find((t) => t.id === done[0].takeIds[0])!;
    expect(take.shotId).toBe(shotId);
    expect(take.meta).toMatchObject({ prompt, variationOf: takeId, variationMode: 'new-seed', seedSource: 'variation' });
  });

  it('same-seed: image to image from the uploaded take with the same seed and a growing denoise', async () => {
    const { comfy, projectId, takeId, prompt } = await generatedTake();
    const r = await harness.core.call('take.vary', { projectId, takeId, mode: 'same-seed', strength: 0.4, count: 2 });
    expect(r.method).toBe('same-seed-img2img');
    expect(r.jobs.map((j) => j.seed)).toEqual([500, 500]);
    const done = await harness.waitForJobs(projectId, r.jobs.map((j) => j.id));
    const graphs = posted(comfy).slice(1);
    expect(graphs.map((g) => g['3'].inputs.denoise).sort()).toEqual([0.2, 0.4]);
    for (const g of graphs) {
      const latent = g[(g['3'].inputs.latent_image as [string, number])[0]];
      expect(latent.class_type).toBe('VAEEncode');
      const load = g[(latent.inputs.pixels as [string, number])[0]];
      expect(load.inputs.image).toMatch(/^storycanvas_take_[0-9a-f]{32}\.png$/);
      expect(g['6'].inputs.text).toBe(prompt);
    }
    expect(comfy.requests.filter((r) => r.route === '/upload/image').length).toBeGreaterThanOrEqual(1);
    const snap = await harness.core.call('project.get', { projectId });
    const metas = done.map((j) => snap.takes.find((t) => t.id === j.takeIds[0])!.meta);
    expect(metas.map((m) => m.denoise).sort()).toEqual([0.2, 0.4]);
    expect(metas[0]).toMatchObject({ variationOf: takeId, variationMode: 'same-seed', seed: 500 });
  });

  it('falls back to neighbouring seeds when the workflow has no denoise, and refuses imported takes', async () => {
    const { projectId, takeId } = await generatedTake();
    const store = harness.core.project(projectId);
    // Make the take's job a KSamplerAdvanced graph (SDXL base + refiner): no denoise to set.
    const jobId = store.take(takeId).meta.jobId as string;
    const refiner = await harness.core.queue.workflows.resolve({ workflowId: 'sdxl_refiner_txt2img' });
    store.db.prepare('UPDATE job SET graph = ?, workflow_id = ? WHERE id = ?').run(JSON.stringify(refiner.graph), 'sdxl_refiner_txt2img', jobId);
    const { jobs, plan } = buildVariationJobs(store, { takeId, mode: 'same-seed', count: 3 }, null);
    expect(plan.method).toBe('same-seed-neighbours');
    expect(plan.reason).toMatch(/denoise/);
    expect(jobs.map((j) => j.seed)).toEqual([501, 502, 503]);
    expect(jobs.map((j) => JSON.parse(j.graphJson)['10'].inputs.noise_seed)).toEqual([501, 502, 503]);
    expect(new JobStore(store.db).get(jobId)?.seed).toBe(500);

    const imported = await harness.core.call('take.importBytes', {
      projectId,
      shotId: store.take(takeId).shotId,
      fileName: 'x.png',
      dataBase64: readFileSync(join(store.dir, store.take(takeId).path)).toString('base64'),
    });
    await expect(harness.core.call('take.vary', { projectId, takeId: imported.id, mode: 'new-seed', count: 1 })).rejects.toMatchObject({ code: 'not_generated' });
    await expect(harness.core.call('take.vary', { projectId, takeId, mode: 'same-seed', strength: 0.01, count: 1 })).rejects.toMatchObject({ code: 'invalid_args' });
  });
});
