import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../comfy/workflow/binder.ts';
import { builtinPresets, PresetStore } from '../comfy/workflow/presets.ts';
import { LibraryStore } from '../library/LibraryStore.ts';
import { ProjectStore } from '../store/ProjectStore.ts';
import { buildJobs, fitSizeToAspect, mergeLoras, resolveTemplateChoices, targetShots, workUnitsOf } from './buildJobs.ts';
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

describe('buildJobs with the library (composed prompts, templates, LoRA limits)', () => {
  let configDir: string;
  let library: LibraryStore;
  beforeEach(() => {
    configDir = mkdtempSync(join(tmpdir(), 'build-jobs-lib-'));
    library = LibraryStore.open(configDir);
  });
  afterEach(() => {
    library.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("takes the template's preset, workflow and sampler when the request names none, and records the consistency facts", async () => {
    library.createCharacter({ name: 'Gull', description: 'a grey seagull', lora: { name: 'gull.safetensors', strength: 0.7 } });
    store.updateShots([shotIds[0]], { characters: ['GULL'] });
    const t = library.createTemplate({ name: 'Ink', stylePrompt: 'ink wash', negativePrompt: 'photo', presetId: 'sdxl.fast', sampler: { steps: 9, samplerName: 'euler' } });
    store.edit('Use Ink', (tx) => tx.update('project', 1, { default_template_id: t.id }));
    const presets = new PresetStore(configDir);
    const req = { target: 'shot' as const, shotIds: [shotIds[0]], takes: 1, seedMode: 'sequence' as const, seed: 3, priority: 'normal' as const };
    const choices = await resolveTemplateChoices(store, library, req, { workflows: catalog, presets });
    expect(choices.get(t.id)).toMatchObject({ workflow: { id: 'sdxl_txt2img' }, preset: { id: 'sdxl.fast' }, useSampler: true });
    const fallback = await catalog.resolve({});
    const { jobs } = buildJobs(store, req, fallback, null, null, { library, templateChoices: choices });
    expect(jobs[0].workflowId).toBe('sdxl_txt2img');
    expect(jobs[0].prompt).toBe('extreme wide shot, establishing shot, tiny figures in a vast landscape, Gull: a grey seagull, Gulls circle, exterior, pier, day, ink wash');
    const graph = JSON.parse(jobs[0].graphJson) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
    const sampler = Object.values(graph).find((n) => n.class_type === 'KSampler')!;
    expect(sampler.inputs).toMatchObject({ steps: 9, sampler_name: 'euler', seed: 3 });
    expect(Object.values(graph).filter((n) => n.class_type === 'LoraLoader').map((n) => n.inputs.lora_name)).toEqual(['gull.safetensors']);
    expect(jobs[0].params.consistency).toMatchObject({
      negativePrompt: 'photo',
      seedSource: 'sequence',
      templateId: t.id,
      templateName: 'Ink',
      characters: ['Gull'],
      consistencyAids: ['lora:gull.safetensors', 'description'],
      family: 'sdxl',
    });
    // A request that names its own preset keeps the preset's sampler values.
    const named = await resolveTemplateChoices(store, library, { ...req, preset: 'sd15.quality' }, { workflows: catalog, presets });
    expect(named.get(t.id)).toMatchObject({ preset: { id: 'sd15.quality' }, useSampler: false });
    library.updateTemplate(t.id, { workflowId: 'no_such_flow' });
    await expect(resolveTemplateChoices(store, library, req, { workflows: catalog, presets })).rejects.toMatchObject({ code: 'template_workflow_missing' });
  });

  it("keeps characters' LoRAs first within the family's limit and says which were left out", async () => {
    const merged = mergeLoras(
      [
        { spec: { name: 'preset.safetensors' }, rank: 4 },
        { spec: { name: 'style.safetensors', strengthModel: 0.3 }, rank: 2 },
        { spec: { name: 'bob.safetensors', strengthModel: 0.8 }, rank: 0 },
        { spec: { name: 'style.safetensors', strengthModel: 0.9 }, rank: 1 },
      ],
      'wan_2_2',
    );
    expect(merged).toEqual({ loras: [{ name: 'style.safetensors', strengthModel: 0.9 }, { name: 'bob.safetensors', strengthModel: 0.8 }], leftOut: ['preset.safetensors'], limit: 2 });
    expect(mergeLoras([{ spec: { name: 'a' }, rank: 0 }], null).limit).toBe(Infinity);

    const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${n}.safetensors`);
    const t = library.createTemplate({ name: 'Many', loras: names.slice(0, 5).map((name) => ({ name })) });
    library.createCharacter({ name: 'Gull', lora: { name: names[5], strength: 1 } });
    store.updateShots([shotIds[0]], { characters: ['GULL'] });
    store.edit('Use Many', (tx) => tx.update('project', 1, { default_template_id: t.id }));
    const workflow = await catalog.resolve({ workflowId: 'sd15_txt2img' });
    const { jobs } = buildJobs(store, { target: 'shot', shotIds: [shotIds[0]], takes: 1, seedMode: 'sequence', seed: 1, priority: 'normal' }, workflow, null, null, { library });
    expect(jobs[0].requires.loras).toEqual([...names.slice(0, 4), names[5]].sort());
    expect((jobs[0].params.consistency as { notes: string[] }).notes).toContain('LoRA e.safetensors left out: Stable Diffusion 1.5 takes at most 5.');
  });
});
