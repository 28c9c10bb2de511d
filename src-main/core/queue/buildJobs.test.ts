import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../comfy/workflow/binder.ts';
import { builtinPresets } from '../comfy/workflow/presets.ts';
import { ProjectStore } from '../store/ProjectStore.ts';
import { buildJobs, fitSizeToAspect, targetShots, workUnitsOf } from './buildJobs.ts';
import { WORKFLOWS_DIR } from './testHarness.ts';
import { WorkflowCatalog } from './workflows.ts';

let dir: string;
let store: ProjectStore;
let shotIds: string[];
let sceneId: string;
const catalog = new WorkflowCatalog(WORKFLOWS_DIR);
const request = { target: 'all' as const, takes: 2, seedMode: 'sequence' as const, seed: 5, priority: 'normal' as const };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'build-jobs-'));
  store = await ProjectStore.create(dir, { name: 'Build', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, defaultShotDurationFrames: 48 });
  sceneId = store.createScene({});
  store.updateScene(sceneId, { heading: 'EXT. PIER - DAY' });
  shotIds = [store.createShot(sceneId), store.createShot(sceneId)];
  store.updateShots([shotIds[0]], { action: 'Gulls circle.', shotSize: 'EWS' });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('buildJobs', () => {
  it('binds prompt, seed, the preset fitted to the project aspect, and records what a server needs', async () => {
    const workflow = await catalog.resolve({ workflowId: 'sd15_txt2img' });
    const preset = builtinPresets().find((p) => p.id === 'sd15.fast')!;
    const { batchId, jobs } = buildJobs(store, request, workflow, preset, null);
    expect(batchId).toMatch(/^bat_/);
    expect(jobs).toHaveLength(4);
    expect(jobs.map((j) => j.seed)).toEqual([5, 6, 7, 8]);
    expect(jobs.map((j) => j.orderKey)).toEqual([...jobs.map((j) => j.orderKey)].sort());
    const graph = JSON.parse(jobs[0].graphJson);
    expect(graph['6'].inputs.text).toBe('Gulls circle., extreme wide shot, pier, day, storyboard frame');
    expect(graph['3'].inputs.seed).toBe(5);
    expect(graph['3'].inputs.steps).toBe(20);
    expect([graph['5'].inputs.width, graph['5'].inputs.height]).toEqual([680, 384]);
    expect(jobs[0].requires).toEqual({
      nodeTypes: ['CLIPTextEncode', 'CheckpointLoaderSimple', 'EmptyLatentImage', 'KSampler', 'SaveImage', 'VAEDecode'],
      checkpoint: 'v1-5-pruned-emaonly.safetensors',
      loras: [],
      models: [{ classType: 'CheckpointLoaderSimple', input: 'ckpt_name', name: 'v1-5-pruned-emaonly.safetensors' }],
    });
    expect(jobs[0].workUnits).toBeCloseTo(20 * ((680 * 384) / (512 * 512)), 5);
    expect(jobs[0].workflowHash).toBe(workflow.hash);
  });

  it('applies overrides (checkpoint, LoRAs) on top of the preset and requires them', async () => {
    const workflow = await catalog.resolve({});
    const { jobs } = buildJobs(store, { ...request, takes: 1, overrides: { checkpoint: 'other.safetensors', loras: [{ name: 'ink.safetensors' }], steps: 4 } }, workflow, null, 'a0');
    expect(jobs[0].requires.checkpoint).toBe('other.safetensors');
    expect(jobs[0].requires.loras).toEqual(['ink.safetensors']);
    expect(jobs[0].orderKey > 'a0').toBe(true);
    expect(JSON.parse(jobs[0].graphJson)['3'].inputs.steps).toBe(4);
  });

  it('refuses a workflow without a prompt, an empty target and unknown shots', async () => {
    const probe = await catalog.resolve({ workflowId: 'model_free_probe' });
    expect(() => buildJobs(store, request, probe, null, null)).toThrow(/no place for a text prompt/);
    expect(() => targetShots(store, { target: 'shot' })).toThrow(/needs shotIds/);
    expect(() => targetShots(store, { target: 'shot', shotIds: ['sht_nope'] })).toThrow(/No shot/);
    const empty = store.createScene({ heading: 'INT. VOID' });
    expect(() => targetShots(store, { target: 'scene', sceneId: empty })).toThrow(/no shot to generate/);
    expect(targetShots(store, { target: 'scene', sceneId }).map((s) => s.id)).toEqual(shotIds);
    await expect(catalog.resolve({ workflowId: 'nope' })).rejects.toThrow(/no built-in workflow "nope"/);
  });
});

describe('helpers', () => {
  it('fits a preset size to an aspect ratio in multiples of 8', () => {
    expect(fitSizeToAspect({ widthPx: 1024, heightPx: 1024 }, { widthPx: 1920, heightPx: 1080 })).toEqual({ widthPx: 1368, heightPx: 768 });
    expect(fitSizeToAspect({ widthPx: 1024, heightPx: 1024 }, { widthPx: 1080, heightPx: 1920 })).toEqual({ widthPx: 768, heightPx: 1368 });
    expect(fitSizeToAspect({ widthPx: 1024, heightPx: 1024 }, { widthPx: 4000, heightPx: 1000 }, 1536)).toEqual({ widthPx: 1536, heightPx: 384 });
  });

  it('counts work as steps x megapixels x batch', async () => {
    const workflow = await catalog.resolve({ workflowId: 'sd15_txt2img' });
    expect(workUnitsOf(workflow.graph, analyzeWorkflow(workflow.graph))).toBeCloseTo(20 * ((768 * 432) / (512 * 512)), 5);
    const list = await catalog.list();
    expect(list.map((w) => w.id)).toContain('sd15_txt2img');
  });
});
