/**
 * Enhancement jobs for the queue: what `enhance.enqueue` turns into job rows (kind `enhance`), and the spec each row
 * carries (its `graph` column) for `LocalEnhanceExecutor` (src-main/core/queue/LocalEnhanceExecutor.ts).
 *
 * - The takes come from `takeIds`, or from `shotIds` (each shot's selected take); each take is enhanced once.
 * - Upscale models run on still takes, interpolation models on clips; a take of the other kind is skipped with the
 *   reason, so "every selected take before export" queues what can be done and says what was left.
 * - "Upscale to project resolution": the take is fitted inside the project frame keeping its aspect; the model runs
 *   as many passes as needed to reach that size (at most 4), and a result that overshoots is brought down with
 *   lanczos. A take already at or above the project resolution is skipped with a message.
 * - Interpolation brings a clip to the project's frame rate; a clip already at that rate is skipped.
 * Everything is checked before anything is written, so a bad request queues nothing.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import type { JobPriority } from '../../../src-preload/contract';
import type { Take } from '../../../src-preload/model';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { NewJob } from '../queue/jobStore.ts';
import type { ProjectStore } from '../store/ProjectStore.ts';
import { EnhanceError } from './EnhanceError.ts';
import type { ModelEntry } from './registry.ts';
import { DEFAULT_OVERLAP_PX, DEFAULT_TILE_SIZE_PX } from './tiling.ts';

/** Most model passes an "upscale to project resolution" may take (x2 four times is x16). */
export const MAX_UPSCALE_PASSES = 4;

/** The spec of one enhancement job, stored as JSON in the job's `graph` (and `params`) column. */
export interface EnhanceJobSpec {
  /** Version of this shape. */
  v: 1;
  task: 'upscale' | 'interpolate';
  sourceTakeId: string;
  modelId: string;
  /** Tile size and overlap in input pixels (upscale). */
  tileSizePx: number;
  overlapPx: number;
  /** Upscale: how many times the model runs (each multiplies the size by its scale). */
  passes: number;
  /** Upscale to project resolution: the size the result is fitted to (lanczos) when the model overshoots it. */
  targetWidthPx?: number;
  targetHeightPx?: number;
}

/** What `enhance.enqueue` asks for (the contract's arguments, parsed). */
export interface EnhanceEnqueueRequest {
  takeIds?: string[];
  shotIds?: string[];
  modelId: string;
  upscaleToProject?: boolean;
  priority: JobPriority;
  tileSizePx?: number;
  overlapPx?: number;
}

/** A take (or shot) left out of the request, and why. */
export interface SkippedTake {
  takeId: string | null;
  shotId: string;
  shotNumber: string;
  reason: string;
}

/** What `buildEnhanceJobs` made. */
export interface EnhanceBatch {
  batchId: string;
  jobs: NewJob[];
  skipped: SkippedTake[];
}

/** The size a take is fitted to inside the project frame, keeping its aspect; null when it already fills it. */
export function projectFit(take: { widthPx: number; heightPx: number }, project: { widthPx: number; heightPx: number }): { widthPx: number; heightPx: number; factor: number } | null {
  const factor = Math.min(project.widthPx / take.widthPx, project.heightPx / take.heightPx);
  if (factor <= 1) return null;
  return { widthPx: Math.round(take.widthPx * factor), heightPx: Math.round(take.heightPx * factor), factor };
}

/**
 * Reads and checks a job's spec from its stored JSON.
 * @throws Error naming the problem when the JSON is not an enhancement spec of version 1.
 */
export function parseEnhanceJobSpec(json: string): EnhanceJobSpec {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`The enhancement job's spec is not JSON (${(err as Error).message}).`);
  }
  const spec = value as Partial<EnhanceJobSpec> | null;
  const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (
    !spec ||
    spec.v !== 1 ||
    (spec.task !== 'upscale' && spec.task !== 'interpolate') ||
    typeof spec.sourceTakeId !== 'string' ||
    typeof spec.modelId !== 'string' ||
    !positive(spec.tileSizePx) ||
    typeof spec.overlapPx !== 'number' ||
    !positive(spec.passes) ||
    (spec.targetWidthPx !== undefined && !positive(spec.targetWidthPx)) ||
    (spec.targetHeightPx !== undefined && !positive(spec.targetHeightPx))
  ) {
    throw new Error(`The enhancement job's spec ${json.slice(0, 200)} is not a version 1 spec with task, sourceTakeId, modelId, tileSizePx, overlapPx and passes.`);
  }
  return spec as EnhanceJobSpec;
}

function sameRate(a: unknown, b: { num: number; den: number }): boolean {
  const r = a as { num?: unknown; den?: unknown } | null;
  return !!r && typeof r.num === 'number' && typeof r.den === 'number' && r.num * b.den === b.num * r.den;
}

/**
 * Builds the jobs of one `enhance.enqueue` (see the module documentation), ordered after `lastOrderKey`.
 * @param findModel the runtime's model lookup (verified models only).
 * @throws AppError `not_found` (a take or shot id), `unknown_model` (the model is not installed or is refused: the
 *   message says why), `invalid_request` (neither or both of takeIds and shotIds; `upscaleToProject` with an
 *   interpolation model; a tile size below 16 px or not larger than twice the overlap).
 */
export async function buildEnhanceJobs(
  store: ProjectStore,
  findModel: (modelId: string) => Promise<ModelEntry>,
  request: EnhanceEnqueueRequest,
  lastOrderKey: string | null,
): Promise<EnhanceBatch> {
  const byTakes = (request.takeIds?.length ?? 0) > 0;
  const byShots = (request.shotIds?.length ?? 0) > 0;
  if (byTakes === byShots) {
    throw new AppError('invalid_request', 'Give either takeIds (the takes to enhance) or shotIds (their selected takes), not both and not neither.', 'Pick takes, or shots whose selected takes should be enhanced.');
  }
  let model: ModelEntry;
  try {
    model = await findModel(request.modelId);
  } catch (err) {
    if (err instanceof EnhanceError) throw new AppError('unknown_model', err.message, err.hint);
    throw err;
  }
  if (request.upscaleToProject && model.task !== 'upscale') {
    throw new AppError('invalid_request', `"Upscale to project resolution" needs an upscale model; "${model.id}" interpolates frames.`, 'Pick an upscale model, or leave upscaleToProject off.');
  }
  const tileSizePx = request.tileSizePx ?? DEFAULT_TILE_SIZE_PX;
  if (!Number.isInteger(tileSizePx) || tileSizePx < 16) throw new AppError('invalid_request', `A tile size of ${tileSizePx} px is too small.`, 'Use 16 px or more (256 by default).');
  const overlapPx = Math.max(request.overlapPx ?? DEFAULT_OVERLAP_PX, model.receptiveFieldPx ?? 0);
  if (model.task === 'upscale' && tileSizePx <= 2 * overlapPx) {
    throw new AppError('invalid_request', `A tile of ${tileSizePx} px cannot keep ${overlapPx} px of overlap on both sides.`, `Use a tile size larger than twice the overlap (more than ${2 * overlapPx} px; the defaults are ${DEFAULT_TILE_SIZE_PX} and ${DEFAULT_OVERLAP_PX}).`);
  }
  const settings = store.settings();
  const shotNumber = (shotId: string) => store.shot(shotId).number;

  const skipped: SkippedTake[] = [];
  const takes: Take[] = [];
  const seen = new Set<string>();
  if (byTakes) {
    for (const takeId of request.takeIds ?? []) {
      const take = store.take(takeId); // throws not_found
      if (!seen.has(take.id)) takes.push(take);
      seen.add(take.id);
    }
  } else {
    for (const shotId of request.shotIds ?? []) {
      const shot = store.shot(shotId); // throws not_found
      if (!shot.selectedTakeId) {
        skipped.push({ takeId: null, shotId, shotNumber: shot.number, reason: `Shot ${shot.number} has no selected take to enhance.` });
        continue;
      }
      if (!seen.has(shot.selectedTakeId)) takes.push(store.take(shot.selectedTakeId));
      seen.add(shot.selectedTakeId);
    }
  }

  const specs: Array<{ take: Take; spec: EnhanceJobSpec; workUnits: number; prompt: string }> = [];
  for (const take of takes) {
    const number = shotNumber(take.shotId);
    const skip = (reason: string) => skipped.push({ takeId: take.id, shotId: take.shotId, shotNumber: number, reason });
    if (model.task === 'upscale') {
      if (take.kind !== 'image') {
        skip(`The take of shot ${number} is a clip; "${model.id}" upscales still pictures.`);
        continue;
      }
      let passes = 1;
      let target: { widthPx: number; heightPx: number } | undefined;
      if (request.upscaleToProject) {
        const fit = projectFit(take, settings);
        if (!fit) {
          skip(`The take of shot ${number} is ${take.widthPx}x${take.heightPx} px, already at or above the project resolution (${settings.widthPx}x${settings.heightPx}); it is left as it is.`);
          continue;
        }
        if (model.scale === 1) {
          skip(`"${model.id}" keeps the size (scale 1), so it cannot bring the take of shot ${number} to the project resolution.`);
          continue;
        }
        passes = Math.max(1, Math.ceil(Math.log(fit.factor) / Math.log(model.scale) - 1e-9));
        if (passes > MAX_UPSCALE_PASSES) {
          skip(`The take of shot ${number} (${take.widthPx}x${take.heightPx} px) would need ${passes} passes of the x${model.scale} model "${model.id}" to reach ${fit.widthPx}x${fit.heightPx}; at most ${MAX_UPSCALE_PASSES} are run.`);
          continue;
        }
        const reached = { widthPx: take.widthPx * model.scale ** passes, heightPx: take.heightPx * model.scale ** passes };
        if (reached.widthPx !== fit.widthPx || reached.heightPx !== fit.heightPx) target = { widthPx: fit.widthPx, heightPx: fit.heightPx };
      }
      const outWidthPx = take.widthPx * model.scale ** passes;
      const outHeightPx = take.heightPx * model.scale ** passes;
      specs.push({
        take,
        spec: { v: 1, task: 'upscale', sourceTakeId: take.id, modelId: model.id, tileSizePx, overlapPx, passes, ...(target ? { targetWidthPx: target.widthPx, targetHeightPx: target.heightPx } : {}) },
        workUnits: Math.max(0.001, (outWidthPx * outHeightPx * passes) / 1e6),
        prompt: `Upscale x${model.scale ** passes} with ${model.name}${target ? `, fitted to ${target.widthPx}x${target.heightPx}` : ''}`,
      });
    } else {
      if (take.kind !== 'video') {
        skip(`The take of shot ${number} is a still picture; "${model.id}" interpolates the frames of clips.`);
        continue;
      }
      const rate = settings.frameRate;
      if (sameRate(take.meta.sourceFrameRate, rate)) {
        skip(`The clip of shot ${number} is already at the project's frame rate (${rate.num}/${rate.den}).`);
        continue;
      }
      const frames = take.durationFrames ?? 1;
      specs.push({
        take,
        spec: { v: 1, task: 'interpolate', sourceTakeId: take.id, modelId: model.id, tileSizePx, overlapPx, passes: 1 },
        workUnits: Math.max(0.001, (take.widthPx * take.heightPx * frames) / 1e6),
        prompt: `Interpolate to ${rate.num}/${rate.den} fps with ${model.name}`,
      });
    }
  }

  const batchId = newId('bat');
  const createdAt = new Date().toISOString();
  const keys = specs.length > 0 ? generateNKeysBetween(lastOrderKey, null, specs.length) : [];
  const jobs: NewJob[] = specs.map(({ take, spec, workUnits, prompt }, i) => ({
    id: newId('job'),
    kind: 'enhance',
    shotId: take.shotId,
    batchId,
    workflowId: model.id,
    workflowHash: model.sha256,
    graphJson: JSON.stringify(spec),
    params: { ...spec },
    // Nothing from a ComfyUI server: the job runs on this machine's enhancement worker.
    requires: { nodeTypes: [], loras: [], models: [] },
    prompt,
    seed: 0,
    workUnits,
    priority: request.priority,
    orderKey: keys[i],
    createdAt,
  }));
  return { batchId, jobs, skipped };
}
