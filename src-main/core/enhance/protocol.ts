/**
 * Messages between `EnhanceRuntime` (the main thread) and the enhancement worker (worker.ts). Plain data only:
 * everything crosses `postMessage` by structured clone.
 */
import type { SerializedEnhanceError } from './EnhanceError.ts';
import type { FrameProgress, FrameRate, InterpolateFileResult, InterpolationModelSpec } from './interpolate.ts';
import type { ModelFeedSpec } from './pipeline.ts';
import type { ProviderChoice, ProviderName } from './providers.ts';
import type { TileProgress } from './tiling.ts';

/** Settings the worker starts with (its `workerData`). */
export interface WorkerConfig {
  /** How long an unused session stays open, in ms. */
  sessionIdleMs: number;
  /** False: CPU only. */
  useGpu: boolean;
  /** GPU providers to try, in order (default providers.ts GPU_PROVIDER_ORDER). */
  providerOrder?: ProviderName[];
  /** A choice made by an earlier worker of this process: reused instead of probing again. */
  knownChoice?: ProviderChoice;
}

/** The model of a job: how to find it, check it is the same file, and feed it. */
export interface JobModel extends ModelFeedSpec {
  id: string;
  modelPath: string;
  sha256: string;
}

/** The model of an interpolation job. */
export interface InterpolationJobModel extends InterpolationModelSpec {
  id: string;
  modelPath: string;
  sha256: string;
}

/** Main thread -> worker. */
export type ToWorker =
  | { type: 'enhance'; jobId: number; inputPath: string; outputPath: string; model: JobModel; tileSizePx?: number; overlapPx?: number }
  | { type: 'interpolate'; jobId: number; inputPath: string; outputPath: string; model: InterpolationJobModel; frameRate: FrameRate }
  | { type: 'cancel'; jobId: number }
  | { type: 'providers'; requestId: number }
  | { type: 'shutdown' };

/** What the worker reports when a job is done. */
export interface JobResult {
  outputPath: string;
  widthPx: number;
  heightPx: number;
  tilesTotal: number;
  provider: ProviderName;
  tried: ProviderChoice['tried'];
}

/** What the worker reports when an interpolation job is done. */
export interface InterpolationJobResult extends InterpolateFileResult {
  provider: ProviderName;
  tried: ProviderChoice['tried'];
}

/** Worker -> main thread. */
export type FromWorker =
  | { type: 'progress'; jobId: number; progress: TileProgress }
  | { type: 'frameProgress'; jobId: number; progress: FrameProgress }
  | { type: 'done'; jobId: number; result: JobResult }
  | { type: 'interpolated'; jobId: number; result: InterpolationJobResult }
  | { type: 'failed'; jobId: number; error: SerializedEnhanceError }
  | { type: 'providers'; requestId: number; choice?: ProviderChoice; error?: string }
  | { type: 'session'; event: 'opened' | 'released'; modelId: string; provider: ProviderName }
  | { type: 'idle' }
  | { type: 'closed' };
