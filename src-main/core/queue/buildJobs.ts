/**
 * Turns a `queue.enqueue` request into job rows: the shots (a list, a scene, the whole project), the workflow
 * (built-in or file), the preset's setting (its size fitted to the project's aspect ratio), the overrides, one
 * seed per take, the shot's prompt, each bound into the graph by structure (`comfy/workflow/binder.ts`). What a
 * server needs and the expected work are read from the bound graph. Everything is checked before anything is
 * queued: a batch is queued whole or not at all.
 *
 * With the library (the app always has one), prompts are COMPOSED (`prompt/jobPrompt.ts`): framing, the shot's
 * characters (trigger words, description), action, setting, the artist's additions and the style template; the
 * template's negative prompt and LoRAs and the characters' LoRAs are bound too (within the model family's LoRA
 * limit: characters' LoRAs are kept first, the take's meta says which were left out). Seeds go through
 * `resolveSeed`: a locked shot or scene seed wins over the batch's seed mode. When the request names no workflow
 * or preset, a shot's template chooses them ({@link resolveTemplateChoices}), and the template's sampler values
 * apply under the request's overrides. Each job keeps its consistency facts in `params.consistency`
 * (`prompt/provenance.ts`); reference pictures are wired in at submit time, per server (`references.ts`).
 * Without a library (benchmarks), the prompt is `basicPromptForShot` (`prompt.ts`).
 */
import { generateNKeysBetween } from 'fractional-indexing';
import type { GenerationOverrides, JobPriority, SeedMode } from '../../../src-preload/contract';
import type { Shot } from '../../../src-preload/model';
import { analyzeWorkflow, type WorkflowAnalysis } from '../comfy/workflow/binder.ts';
import type { WorkflowGraph } from '../comfy/workflow/graph.ts';
import type { WorkflowParams } from '../comfy/workflow/params.ts';
import { bindWorkflow } from '../comfy/workflow/binder.ts';
import { FAMILY_PRESETS, MODEL_FAMILIES, type ModelFamily, type Preset, type PresetStore } from '../comfy/workflow/presets.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { JobRequirements } from '../pool/requirements.ts';
import type { ProjectStore } from '../store/ProjectStore.ts';
import type { LibraryStore } from '../library/LibraryStore.ts';
import { displayName } from '../library/names.ts';
import { createJobPromptComposer, type JobPromptComposer } from '../prompt/jobPrompt.ts';
import type { JobConsistency } from '../prompt/provenance.ts';
import type { NewJob } from './jobStore.ts';
import { basicPromptForShot } from './prompt.ts';
import { planSeeds } from './seeds.ts';
import { DEFAULT_WORKFLOW_FOR_FAMILY, type ResolvedWorkflow, type WorkflowCatalog } from './workflows.ts';
import type { LoraSpecInput } from '../comfy/workflow/params.ts';

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

/** A style template's workflow and preset, resolved for one request (see {@link resolveTemplateChoices}). */
export interface TemplateChoice {
  workflow: ResolvedWorkflow;
  preset: Preset | null;
  /** Whether the template's sampler values apply (not when the request named its own preset). */
  useSampler: boolean;
}

/** What {@link buildJobs} reads besides the project: the library, and the templates' workflows and presets. */
export interface BuildContext {
  /** The character and template library: with it prompts are composed; without, `basicPromptForShot` is used. */
  library?: LibraryStore | null;
  /** Per template id, from {@link resolveTemplateChoices}; a template missing here uses the request's workflow and preset. */
  templateChoices?: ReadonlyMap<string, TemplateChoice>;
}

/**
 * Resolves the workflow and preset of every style template the target shots use, for a request that names no
 * workflow (or preset): the template's preset (else the request's), the template's workflow, else the default
 * workflow of the preset's family, else the request's. Async because workflows and presets are read from disk.
 * @throws AppError `template_workflow_missing` / `template_preset_missing` naming the template, when it names a
 *   workflow or preset that no longer exists.
 */
export async function resolveTemplateChoices(
  store: ProjectStore,
  library: LibraryStore,
  request: Pick<BuildRequest, 'target' | 'shotIds' | 'sceneId'> & { workflowId?: string; workflowPath?: string; preset?: string },
  sources: { workflows: WorkflowCatalog; presets: PresetStore },
): Promise<Map<string, TemplateChoice>> {
  const out = new Map<string, TemplateChoice>();
  const composer = createJobPromptComposer(store, library);
  const templateIds = new Set<string>();
  for (const shot of targetShots(store, request)) {
    const t = composer.compose(shot.id).template;
    if (t) templateIds.add(t.id);
  }
  for (const id of templateIds) {
    const t = library.findTemplate(id);
    if (!t) continue;
    let preset: Preset | null = null;
    if (request.preset) preset = await sources.presets.get(request.preset);
    else if (t.presetId) {
      preset = await sources.presets.get(t.presetId).catch(() => {
        throw new AppError('template_preset_missing', `The style template "${t.name}" uses the preset "${t.presetId}", which no longer exists.`, 'Choose another preset in the Template view, or name a preset for this batch.');
      });
    }
    let workflowId: string | undefined;
    if (!request.workflowId && !request.workflowPath) workflowId = t.workflowId ?? (preset ? DEFAULT_WORKFLOW_FOR_FAMILY[preset.family] : undefined);
    else workflowId = request.workflowId;
    const workflow = await sources.workflows.resolve({ workflowId, workflowPath: request.workflowPath }).catch((err: unknown) => {
      if (workflowId && workflowId === t.workflowId && !request.workflowId) {
        throw new AppError('template_workflow_missing', `The style template "${t.name}" uses the workflow "${workflowId}", which does not exist.`, 'Choose another workflow in the Template view, or name a workflow for this batch.');
      }
      throw err;
    });
    out.set(id, { workflow, preset, useSampler: !request.preset });
  }
  return out;
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
 * @param context the library (prompts are composed from it) and the templates' workflows and presets.
 * @throws AppError from {@link targetShots}, `too_many_jobs`, `workflow_param_missing` (the workflow has no place
 *   for a prompt), and the binder's errors (`invalid_params`, `workflow_ambiguous`...).
 */
export function buildJobs(
  store: ProjectStore,
  request: BuildRequest,
  workflow: ResolvedWorkflow,
  preset: Preset | null,
  lastOrderKey: string | null,
  context: BuildContext = {},
): { batchId: string; jobs: NewJob[] } {
  const shots = targetShots(store, request);
  const total = shots.length * request.takes;
  if (total > MAX_JOBS_PER_BATCH) {
    throw new AppError('too_many_jobs', `That would queue ${total} jobs; at most ${MAX_JOBS_PER_BATCH} can be queued at once.`, 'Generate fewer takes, or one scene at a time.');
  }
  const composer: JobPromptComposer | null = context.library ? createJobPromptComposer(store, context.library) : null;
  const overrides = request.overrides ?? {};
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
  const checked = new Set<string>();
  shots.forEach((shot, shotIndex) => {
    // The shot's workflow and preset: its template's when the request named none.
    const templateRef = composer?.compose(shot.id).template ?? null;
    const choice = templateRef ? context.templateChoices?.get(templateRef.id) : undefined;
    const shotWorkflow = choice?.workflow ?? workflow;
    const shotPreset = choice ? choice.preset : preset;
    if (!checked.has(shotWorkflow.id)) {
      checkPromptPlace(shotWorkflow);
      checked.add(shotWorkflow.id);
    }
    const analysis = analyzeWorkflow(shotWorkflow.graph, shotWorkflow.mapping, shotWorkflow.id);
    const family = shotWorkflow.family ?? shotPreset?.family ?? analysis.family;
    const base = presetParams(store, shotPreset);
    let requires: JobRequirements | null = null;
    let workUnits = 1;
    seeds[shotIndex].forEach((plannedSeed, takeIndex) => {
      let prompt: string;
      let seed = plannedSeed;
      let consistency: JobConsistency | null = null;
      const params: WorkflowParams = { ...base };
      if (composer) {
        const jp = composer.jobPrompt(shot.id, {
          takeIndex,
          seedMode: request.seedMode,
          sequenceSeed: plannedSeed,
          random: () => plannedSeed,
          family,
        });
        prompt = jp.prompt.trim() || 'storyboard frame';
        seed = jp.seed;
        if (jp.template && (choice?.useSampler ?? !preset)) Object.assign(params, samplerParams(jp.template.sampler));
        if (jp.negativePrompt) params.negativePrompt = jp.negativePrompt;
        const characterLoras = new Set(jp.consistencyAids.filter((a) => a.startsWith('lora:')).map((a) => a.slice(5)));
        const { loras, leftOut, limit } = mergeLoras(
          [
            ...analysis.loras.map((l) => ({ spec: { name: l.name, strengthModel: l.strengthModel, ...(l.strengthClip !== undefined ? { strengthClip: l.strengthClip } : {}) }, rank: 3 })),
            ...(shotPreset?.loras ?? []).map((l) => ({ spec: l, rank: 4 })),
            ...jp.loras.map((l) => ({ spec: l, rank: characterLoras.has(l.name) ? 0 : 2 })),
            ...(overrides.loras ?? []).map((l) => ({ spec: l, rank: 1 })),
          ],
          family,
        );
        if (loras.length > 0 || analysis.loras.length > 0) params.loras = loras;
        const notes = [...jp.composition.notes];
        if (leftOut.length) notes.push(`LoRA${leftOut.length === 1 ? '' : 's'} ${leftOut.join(', ')} left out: ${family ? (FAMILY_PRESETS[family as keyof typeof FAMILY_PRESETS]?.label ?? family) : 'this workflow'} takes at most ${limit}.`);
        const usedAids = jp.consistencyAids.filter((a) => !(a.startsWith('lora:') && leftOut.includes(a.slice(5))));
        consistency = {
          negativePrompt: overrides.negativePrompt ?? jp.negativePrompt,
          seedSource: jp.seedFrom,
          templateId: jp.template?.id ?? null,
          templateName: jp.template?.name ?? null,
          characters: shot.characters.map(displayName),
          consistencyAids: usedAids,
          referenceImages: jp.referenceImages,
          family,
          notes,
        };
      } else {
        prompt = basicPromptForShot(shot, scenes.get(shot.sceneId));
        if (preset && preset.loras.length > 0) params.loras = preset.loras;
        if (overrides.loras) params.loras = overrides.loras;
      }
      for (const [key, value] of Object.entries(overrides)) if (value !== undefined && key !== 'loras') (params as Record<string, unknown>)[key] = value;
      Object.assign(params, { prompt, seed, filenamePrefix: `storycanvas/${shot.number.replace(/[^\w-]/g, '_')}` });
      const graph = bindWorkflow(shotWorkflow.graph, params, shotWorkflow.mapping, {
        skipMissing: true,
        workflowName: shotWorkflow.id,
        ...(composer && family && (MODEL_FAMILIES as readonly string[]).includes(family) ? { family: family as ModelFamily } : {}),
      });
      if (requires === null) {
        const bound = analyzeWorkflow(graph, shotWorkflow.mapping, shotWorkflow.id);
        requires = requirementsOf(graph, bound);
        workUnits = workUnitsOf(graph, bound);
      }
      jobs.push({
        id: newId('job'),
        kind: 'comfy',
        shotId: shot.id,
        batchId,
        workflowId: shotWorkflow.id,
        workflowHash: shotWorkflow.hash,
        graphJson: JSON.stringify(graph),
        params: consistency ? { ...(params as Record<string, unknown>), consistency } : (params as Record<string, unknown>),
        requires,
        prompt,
        seed,
        workUnits,
        priority: request.priority,
        orderKey: orderKeys[jobs.length],
        createdAt,
      });
    });
  });
  return { batchId, jobs };
}

/** @throws AppError `workflow_param_missing` when a workflow has no place for a text prompt. */
function checkPromptPlace(workflow: ResolvedWorkflow): void {
  const analysis = analyzeWorkflow(workflow.graph, workflow.mapping, workflow.id);
  if (analysis.bindings.prompt) return;
  throw new AppError(
    'workflow_param_missing',
    `The workflow ${workflow.id} has no place for a text prompt (${analysis.missing.find((m) => m.param === 'prompt')?.reason ?? 'no text encoder found'}).`,
    'Choose a text-to-image workflow, or add a mapping file that names the prompt input ({"prompt": "<nodeId>.text"}).',
  );
}

/** A preset's sampler values and size (fitted to the project's aspect) as workflow parameters; {} without one. */
function presetParams(store: ProjectStore, preset: Preset | null): WorkflowParams {
  const base: WorkflowParams = {};
  if (!preset) return base;
  const { setting } = preset;
  Object.assign(base, { steps: setting.steps, cfg: setting.cfg, samplerName: setting.samplerName, scheduler: setting.scheduler });
  if (setting.guidance !== undefined) base.guidance = setting.guidance;
  Object.assign(base, fitSizeToAspect(setting, store.settings(), FAMILY_PRESETS[preset.family]?.maxSidePx));
  return base;
}

/** A template's sampler values as workflow parameters (only those it sets). */
function samplerParams(sampler: { steps?: number; cfg?: number; samplerName?: string; scheduler?: string }): WorkflowParams {
  const out: WorkflowParams = {};
  if (sampler.steps !== undefined) out.steps = sampler.steps;
  if (sampler.cfg !== undefined) out.cfg = sampler.cfg;
  if (sampler.samplerName !== undefined) out.samplerName = sampler.samplerName;
  if (sampler.scheduler !== undefined) out.scheduler = sampler.scheduler;
  return out;
}

/**
 * One LoRA per file from several sources, within the model family's limit. `rank` orders what is kept when there
 * are too many: 0 characters' LoRAs (consistency), 1 the request's overrides, 2 the template's, 3 the workflow's
 * own, 4 the preset's. For a file named twice the most important source's strengths win. The kept LoRAs keep the
 * order in which they were given.
 * @returns the LoRAs to bind, the files left out, and the limit (Infinity for an unknown family).
 */
export function mergeLoras(entries: Array<{ spec: LoraSpecInput; rank: number }>, family: string | null): { loras: LoraSpecInput[]; leftOut: string[]; limit: number } {
  const byName = new Map<string, { spec: LoraSpecInput; rank: number; order: number }>();
  entries.forEach((e, order) => {
    const known = byName.get(e.spec.name);
    if (!known) byName.set(e.spec.name, { ...e, order });
    else if (e.rank <= known.rank) byName.set(e.spec.name, { spec: e.spec, rank: e.rank, order: known.order });
  });
  const limit = family && family in FAMILY_PRESETS ? FAMILY_PRESETS[family as keyof typeof FAMILY_PRESETS].loraLimit : Infinity;
  const all = [...byName.values()];
  const kept = new Set([...all].sort((a, b) => a.rank - b.rank || a.order - b.order).slice(0, Number.isFinite(limit) ? limit : all.length));
  return {
    loras: all.filter((e) => kept.has(e)).sort((a, b) => a.order - b.order).map((e) => e.spec),
    leftOut: all.filter((e) => !kept.has(e)).map((e) => e.spec.name),
    limit,
  };
}
