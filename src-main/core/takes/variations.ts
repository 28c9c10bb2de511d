/**
 * Variations of a generated take ("Regenerate"): new jobs with the take's recorded workflow graph, prompt and
 * parameters (its job's bound graph, `params`, consistency facts and reference pictures), differing only in:
 *
 * - `new-seed`: a new random seed per variation (same prompt, same everything else): new compositions.
 * - `same-seed`: small changes around the take itself.
 *   - When the workflow allows image to image (its first sampler starts from an empty latent, it decodes with a VAE,
 *     and the sampler has a `denoise`: SD 1.5, SDXL and Flux text-to-image; see `comfy/workflow/img2img.ts`), each
 *     variation starts from the take's picture with the take's seed and a denoise that grows with the variation:
 *     variation k of n gets `strength x k / n` (at least 0.05; strength defaults to 0.3), so the first is the
 *     closest and the last changes the most. The same seed and picture with the same denoise would give the same
 *     picture again, hence the steps. The picture is uploaded under its content hash at submit time.
 *   - Otherwise (KSamplerAdvanced refiner chains, video workflows) the seeds are the take's seed + 1 .. + n with the
 *     same prompt: neighbouring seeds, the closest a seed-only workflow gets to "small changes".
 * Each variation records `variationOf`, `variationMode` (and `denoise`) in its take's meta.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { generateNKeysBetween } from 'fractional-indexing';
import type { JobPriority } from '../../../src-preload/contract';
import { analyzeWorkflow, bindWorkflow } from '../comfy/workflow/binder';
import type { WorkflowGraph } from '../comfy/workflow/graph';
import { imageToImageGraph } from '../comfy/workflow/img2img';
import { AppError } from '../errors';
import { newId } from '../ids';
import { resolveInsideProject } from '../media/paths';
import { MAX_SEED, randomSeed } from '../prompt/seeds';
import { jobConsistencyOf, type JobConsistency } from '../prompt/provenance';
import { requirementsOf, workUnitsOf } from '../queue/buildJobs';
import { JobStore, type JobRecord, type NewJob } from '../queue/jobStore';
import type { ProjectStore } from '../store/ProjectStore';

/** How to vary a take (see the module comment). */
export type VariationMode = 'new-seed' | 'same-seed';

/** A variation request (the contract's `take.vary`). */
export interface VariationRequest {
  takeId: string;
  mode: VariationMode;
  /** For `same-seed` image to image: the largest denoise, 0.05..1 (default {@link DEFAULT_VARIATION_STRENGTH}). */
  strength?: number;
  /** Variations to make, 1..16. */
  count: number;
  priority?: JobPriority;
}

/** How the variations were made: `new-seed`, `same-seed-img2img` or `same-seed-neighbours` (seed + 1..n), and why. */
export interface VariationPlan {
  method: 'new-seed' | 'same-seed-img2img' | 'same-seed-neighbours';
  /** Why image to image was not used (same-seed-neighbours only). */
  reason?: string;
}

/** The denoise the last same-seed variation gets when none is asked. */
export const DEFAULT_VARIATION_STRENGTH = 0.3;
/** The least denoise of a same-seed variation. */
export const MIN_VARIATION_DENOISE = 0.05;
/** The most variations one request makes. */
export const MAX_VARIATIONS = 16;

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The job that made a take. @throws AppError `not_generated` for an imported take or one whose job is gone. */
function sourceJob(store: ProjectStore, takeId: string): { record: JobRecord; takePath: string; shotId: string; seed: number } {
  const take = store.take(takeId);
  const jobId = typeof take.meta.jobId === 'string' ? take.meta.jobId : null;
  const record = jobId ? new JobStore(store.db).get(jobId) : null;
  if (take.source !== 'generated' || !record || record.kind !== 'comfy') {
    throw new AppError(
      'not_generated',
      'Only a take generated on a ComfyUI server can be varied: this one has no generation job to repeat.',
      'Generate the shot (queue.enqueue), then vary one of its takes.',
    );
  }
  if (take.trashedAt) throw new AppError('take_trashed', 'That take is in the trash.', 'Restore it first (take.restore).');
  return { record, takePath: take.path, shotId: take.shotId, seed: typeof take.meta.seed === 'number' ? take.meta.seed : record.seed };
}

/** Writes the seed (and denoise) into a stored graph. @throws AppError `cannot_vary` when the graph has no place for them. */
function rebind(graph: WorkflowGraph, values: { seed: number; denoise?: number }, workflowId: string): WorkflowGraph {
  try {
    return bindWorkflow(graph, values, null, { skipMissing: true, workflowName: workflowId });
  } catch (error) {
    if (error instanceof AppError) {
      throw new AppError('cannot_vary', `The take's workflow ${workflowId} cannot be given a new seed: ${error.message}`, 'Generate the shot again instead.');
    }
    throw error;
  }
}

/**
 * Builds the jobs of a variation request (nothing is written).
 * @param lastOrderKey the largest order key of the project's jobs.
 * @throws AppError `invalid_args` (count or strength out of range), `not_found`, `not_generated`, `take_trashed`,
 *   `cannot_vary`.
 */
export function buildVariationJobs(store: ProjectStore, request: VariationRequest, lastOrderKey: string | null): { batchId: string; jobs: NewJob[]; plan: VariationPlan } {
  if (!Number.isInteger(request.count) || request.count < 1 || request.count > MAX_VARIATIONS) {
    throw new AppError('invalid_args', `A take can be varied 1 to ${MAX_VARIATIONS} times at once, not ${request.count}.`, 'Ask for fewer variations.');
  }
  const strength = request.strength ?? DEFAULT_VARIATION_STRENGTH;
  if (!(strength >= MIN_VARIATION_DENOISE && strength <= 1)) {
    throw new AppError('invalid_args', `A variation strength is between ${MIN_VARIATION_DENOISE} and 1, not ${strength}.`, 'Use 0.2 to 0.4 for small changes.');
  }
  const { record, takePath, shotId, seed } = sourceJob(store, request.takeId);
  const stored = JSON.parse(record.graphJson) as WorkflowGraph;
  const consistency = jobConsistencyOf(record.params);

  let plan: VariationPlan;
  let img2img: { graph: WorkflowGraph; name: string; path: string } | null = null;
  if (request.mode === 'new-seed') plan = { method: 'new-seed' };
  else {
    const path = resolveInsideProject(store.dir, takePath);
    const bytes = readFileSync(path);
    const name = `storycanvas_take_${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}${extname(takePath).toLowerCase() || '.png'}`;
    const converted = imageToImageGraph(stored, name, record.workflowId);
    if (converted.ok) {
      img2img = { graph: converted.graph, name, path };
      plan = { method: 'same-seed-img2img' };
    } else plan = { method: 'same-seed-neighbours', reason: converted.reason };
  }

  const batchId = newId('bat');
  const orderKeys = generateNKeysBetween(lastOrderKey, null, request.count);
  const createdAt = new Date().toISOString();
  const jobs: NewJob[] = [];
  for (let k = 1; k <= request.count; k += 1) {
    let jobSeed: number;
    let denoise: number | null = null;
    let graph: WorkflowGraph;
    if (plan.method === 'new-seed') {
      do jobSeed = randomSeed();
      while (jobSeed === seed);
      graph = rebind(stored, { seed: jobSeed }, record.workflowId);
    } else if (img2img) {
      jobSeed = seed;
      denoise = round3(Math.max(MIN_VARIATION_DENOISE, (strength * k) / request.count));
      graph = rebind(img2img.graph, { seed: jobSeed, denoise }, record.workflowId);
    } else {
      jobSeed = (seed + k) % (MAX_SEED + 1);
      graph = rebind(stored, { seed: jobSeed }, record.workflowId);
    }
    const analysis = analyzeWorkflow(graph, null, record.workflowId);
    const variation: NonNullable<JobConsistency['variation']> = {
      fromTakeId: request.takeId,
      mode: request.mode,
      denoise,
      initImage: img2img ? { path: img2img.path, name: img2img.name } : null,
    };
    const params: Record<string, unknown> = {
      ...record.params,
      seed: jobSeed,
      ...(denoise !== null ? { denoise } : {}),
      consistency: consistency
        ? { ...consistency, seedSource: 'variation', variation }
        : { negativePrompt: '', seedSource: 'variation', templateId: null, templateName: null, characters: [], consistencyAids: [], referenceImages: [], family: null, notes: [], variation },
    };
    jobs.push({
      id: newId('job'),
      kind: 'comfy',
      shotId,
      batchId,
      workflowId: record.workflowId,
      workflowHash: record.workflowHash,
      graphJson: JSON.stringify(graph),
      params,
      requires: requirementsOf(graph, analysis),
      prompt: record.prompt,
      seed: jobSeed,
      workUnits: workUnitsOf(graph, analysis),
      priority: request.priority ?? record.priority,
      orderKey: orderKeys[k - 1],
      createdAt,
    });
  }
  return { batchId, jobs, plan };
}
