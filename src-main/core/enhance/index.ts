/**
 * Local picture enhancement (upscaling) with onnxruntime-node: the public surface of src-main/core/enhance.
 * See EnhanceRuntime.ts for the runtime, registry.ts for models and their sidecars, tiling.ts for tiles,
 * providers.ts for execution providers, cacheKey.ts for result caching.
 */
export { EnhanceRuntime, DEFAULT_SESSION_IDLE_MS, type EnhanceRequest, type EnhanceResult, type EnhanceRuntimeOptions } from './EnhanceRuntime.ts';
export { EnhanceError, type EnhanceErrorCode } from './EnhanceError.ts';
export { enhanceCacheKey, sha256OfFile, ENHANCE_PIPELINE_VERSION, type EnhanceCacheParams } from './cacheKey.ts';
export {
  ModelSidecarSchema,
  defaultBundledModelsDir,
  findModel,
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
