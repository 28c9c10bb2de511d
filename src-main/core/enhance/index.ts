/**
 * Local picture enhancement (upscaling) and frame interpolation with onnxruntime-node: the public surface of
 * src-main/core/enhance. See EnhanceRuntime.ts for the runtime, registry.ts for models and their sidecars, tiling.ts
 * for tiles, interpolate.ts for clips, providers.ts for execution providers, cacheKey.ts for result caching,
 * jobs.ts for enhancement jobs in the queue.
 */
export {
  EnhanceRuntime,
  DEFAULT_SESSION_IDLE_MS,
  type EnhanceRequest,
  type EnhanceResult,
  type EnhanceRuntimeOptions,
  type InterpolateRequest,
  type InterpolateResult,
} from './EnhanceRuntime.ts';
export { planInterpolation, type FrameRate, type InterpolationPlan, type PlannedFrame } from './framePlan.ts';
export type { FrameProgress } from './interpolate.ts';
export { EnhanceError, type EnhanceErrorCode } from './EnhanceError.ts';
export { enhanceCacheKey, sha256OfFile, ENHANCE_PIPELINE_VERSION, type EnhanceCacheParams } from './cacheKey.ts';
export {
  ModelSidecarSchema,
  defaultBundledModelsDir,
  findModel,
  interpolationInputs,
  listModels,
  loadModelEntry,
  userModelsDir,
  type ModelEntry,
  type ModelList,
  type ModelRoots,
  type ModelSidecar,
  type RefusedModel,
} from './registry.ts';
export { chooseProvider, type ProviderAttempt, type ProviderChoice, type ProviderName } from './providers.ts';
export { DEFAULT_OVERLAP_PX, DEFAULT_TILE_SIZE_PX, planTiles, type TilePlan, type TileProgress } from './tiling.ts';
export { resolveWorkerEntry } from './workerEntry.ts';
