/**
 * Turns a `queue.enqueue` request into job rows: the shots (a list, a scene, the whole project), the workflow
 * (built-in or file), the preset's setting (its size fitted to the project's aspect ratio), the overrides, one
 * seed per take (`seeds.ts`), the shot's prompt (`prompt.ts`), each bound into the graph by structure
 * (`comfy/workflow/binder.ts`). What a server needs and the expected work are read from the bound graph.
 * Everything is checked before anything is queued: a batch is queued whole or not at all.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import type { GenerationOverrides, JobPriority, SeedMode } from '../../../src-preload/contract';
import type { Shot } from '../../../src-preload/model';
import { analyzeWorkflow, type WorkflowAnalysis } from '../comfy/workflow/binder.ts';
import type { WorkflowGraph } from '../comfy/workflow/graph.ts';
import type { WorkflowParams } from '../comfy/workflow/params.ts';
import { bindWorkflow } from '../comfy/workflow/binder.ts';
import { FAMILY_PRESETS, type Preset } from '../comfy/workflow/presets.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { JobRequirements } from '../pool/requirements.ts';
import type { ProjectStore } from '../store/ProjectStore.ts';
import type { NewJob } from './jobStore.ts';
import { basicPromptForShot } from './prompt.ts';
import { planSeeds } from './seeds.ts';
import type { ResolvedWorkflow } from './workflows.ts';

/** The request, as `queue.enqueue` parses it (less the workflow and preset, already resolved). */
export interface BuildRequest {
  target: 'shot' | 'scene' | 'all';
  shotIds?: string[];
  sceneId?: string;
  takes: number;
  seedMode: SeedMode;
  seed?: number;
  priority: JobPriority;
  overrides?: GenerationOverrides;
}

/** The most jobs one request may queue. */
export const MAX_JOBS_PER_BATCH = 20_000;

/**
 * The shots a request targets, in timeline order.
 * @throws AppError `invalid_args` (a target without its shots or scene), `not_found` (a shot or scene),
 *   `nothing_to_generate` (no shot).
 */
export function targetShots(store: ProjectStore, request: Pick<BuildRequest, 'target' | 'shotIds' | 'sceneId'>): Shot[] {
  let shots: Shot[];
  if (request.target === 'shot') {
    if (!request.shotIds?.length) throw new AppError('invalid_args', 'queue.enqueue with target "shot" needs shotIds.', 'Pass the ids of the shots to generate.');
    const wanted = new Set(request.shotIds);
    for (const id of wanted) store.shot(id); // throws not_found
    shots = store.shots().filter((s) => wanted.has(s.id));
  } else if (request.target === 'scene') {
    if (!request.sceneId) throw new AppError('invalid_args', 'queue.enqueue with target "scene" needs sceneId.', 'Pass the id of the scene to generate.');
    store.scene(request.sceneId);
    shots = store.shots(request.sceneId);
  } else {
    shots = store.shots();
  }
  if (shots.length === 0) {
    throw new AppError('nothing_to_generate', 'There is no shot to generate.', request.target === 'all' ? 'Import a screenplay or add shots first.' : 'Add shots to the scene first.');
  }
  return shots;
}

/**
 * A preset's size moved to the project's aspect ratio with about the same pixel count, in multiples of 8 and
 * within the family's largest side: 512x512 for a 1920x1080 project gives 680x384.
 */
export function fitSizeToAspect(setting: { widthPx: number; heightPx: number }, aspect: { widthPx: number; heightPx: number }, maxSidePx = 16384): { widthPx: number; heightPx: number } {
  const area = setting.widthPx * setting.heightPx;
  const ratio = aspect.widthPx / aspect.heightPx;
  let widthPx = Math.sqrt(area * ratio);
  let heightPx = Math.sqrt(area / ratio);
  const scale = Math.min(1, maxSidePx / Math.max(widthPx, heightPx));
  widthPx = Math.max(64, Math.round((widthPx * scale) / 8) * 8);
  heightPx = Math.max(64, Math.round((heightPx * scale) / 8) * 8);
  return { widthPx, heightPx };
}

/** The value an analysis binding points to in a graph, when it is a number. */
function boundNumber(graph: WorkflowGraph, analysis: WorkflowAnalysis, param: 'steps' | 'widthPx' | 'heightPx' | 'batchSize'): number | null {
  const binding = analysis.bindings[param];
  if (!binding) return null;
  const value = graph[binding.nodeId]?.inputs[binding.input];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Expected GPU work of a graph in sampling-step units at 512x512: steps x (pixels / 512^2) x batch. A graph
 * without a sampler counts 1.
 */
export function workUnitsOf(graph: WorkflowGraph, analysis: WorkflowAnalysis): number {
  const steps = boundNumber(graph, analysis, 'steps') ?? (analysis.samplers.length > 0 ? 20 : 1);
  const widthPx = boundNumber(graph, analysis, 'widthPx') ?? 512;
  const heightPx = boundNumber(graph, analysis, 'heightPx') ?? 512;
  const batch = boundNumber(graph, analysis, 'batchSize') ?? 1;
  return Math.max(0.01, steps * Math.max(1, samplersIn(analysis)) * ((widthPx * heightPx) / (512 * 512)) * Math.max(1, batch));
}

function samplersIn(analysis: WorkflowAnalysis): number {
  return Math.max(1, analysis.samplers.length);
}

/** What a server needs for a bound graph. */
export function requirementsOf(graph: WorkflowGraph, analysis: WorkflowAnalysis): JobRequirements {
  return {
    nodeTypes: analysis.requires.nodeTypes,
    ...(analysis.requires.checkpoint ? { checkpoint: analysis.requires.checkpoint } : {}),
    loras: analysis.requires.loras,
    models: analysis.requires.models.map((m) => ({ classType: graph[m.nodeId].class_type, input: m.input, name: m.name })),
  };
}

/**
 * Builds the jobs of one request. Nothing is written.
 * @param lastOrderKey the largest order key of the project's jobs (new ones go after it).
 * @throws AppError from {@link targetShots}, `too_many_jobs`, `workflow_param_missing` (the workflow has no place
 *   for a prompt), and the binder's errors (`invalid_params`, `workflow_ambiguous`, `too_many_loras`...).
 */
export function buildJobs(
  store: ProjectStore,
  request: BuildRequest,
  workflow: ResolvedWorkflow,
  preset: Preset | null,
  lastOrderKey: string | null,
): { batchId: string; jobs: NewJob[] } {
  const shots = targetShots(store, request);
  const total = shots.length * request.takes;
  if (total > MAX_JOBS_PER_BATCH) {
    throw new AppError('too_many_jobs', `That would queue ${total} jobs; at most ${MAX_JOBS_PER_BATCH} can be queued at once.`, 'Generate fewer takes, or one scene at a time.');
  }
  const template = analyzeWorkflow(workflow.graph, workflow.mapping, workflow.id);
  if (!template.bindings.prompt) {
    throw new AppError(
      'workflow_param_missing',
      `The workflow ${workflow.id} has no place for a text prompt (${template.missing.find((m) => m.param === 'prompt')?.reason ?? 'no text encoder found'}).`,
      'Choose a text-to-image workflow, or add a mapping file that names the prompt input ({"prompt": "<nodeId>.text"}).',
    );
  }

  const base: WorkflowParams = {};
  if (preset) {
    const { setting } = preset;
    Object.assign(base, { steps: setting.steps, cfg: setting.cfg, samplerName: setting.samplerName, scheduler: setting.scheduler });
    if (setting.guidance !== undefined) base.guidance = setting.guidance;
    const settings = store.settings();
    Object.assign(base, fitSizeToAspect(setting, settings, FAMILY_PRESETS[preset.family]?.maxSidePx));
    if (preset.loras.length > 0) base.loras = preset.loras;
  }
  const overrides = request.overrides ?? {};
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) (base as Record<string, unknown>)[key] = value;

  const seeds = planSeeds(
    shots.map((s) => s.id),
    request.takes,
    request.seedMode,
    request.seed,
  );
  const scenes = new Map(store.scenes().map((scene) => [scene.id, scene]));
  const batchId = newId('bat');
  const orderKeys = generateNKeysBetween(lastOrderKey, null, total);
  const createdAt = new Date().toISOString();
  const jobs: NewJob[] = [];
  let requires: JobRequirements | null = null;
  let workUnits = 1;
  shots.forEach((shot, shotIndex) => {
    const prompt = basicPromptForShot(shot, scenes.get(shot.sceneId));
    for (const seed of seeds[shotIndex]) {
      const params: WorkflowParams = { ...base, prompt, seed, filenamePrefix: `storycanvas/${shot.number.replace(/[^\w-]/g, '_')}` };
      const graph = bindWorkflow(workflow.graph, params, workflow.mapping, { skipMissing: true, workflowName: workflow.id });
      if (requires === null) {
        const analysis = analyzeWorkflow(graph, workflow.mapping, workflow.id);
        requires = requirementsOf(graph, analysis);
        workUnits = workUnitsOf(graph, analysis);
      }
      jobs.push({
        id: newId('job'),
        kind: 'comfy',
        shotId: shot.id,
        batchId,
        workflowId: workflow.id,
        workflowHash: workflow.hash,
        graphJson: JSON.stringify(graph),
        params: params as Record<string, unknown>,
        requires,
        prompt,
        seed,
        workUnits,
        priority: request.priority,
        orderKey: orderKeys[jobs.length],
        createdAt,
      });
    }
  });
  return { batchId, jobs };
}
