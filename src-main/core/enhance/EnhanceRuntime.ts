/**
 * The local enhancement runtime, as the queue and the shells see it: `enhance()` upscales a picture file with an
 * installed model, on this machine, in a worker thread (worker.ts), so the calling thread never blocks on
 * inference.
 *
 * - Models come from the registry (registry.ts), verified before each job (hash checked once per file version).
 * - The worker starts on the first job, probes the execution providers once (providers.ts), keeps one session per
 *   model warm while in use and releases it after `sessionIdleMs` unused; once it holds no session and has no
 *   job it is stopped, and the next job starts a new one (reusing the provider choice). An idle worker never keeps
 *   the process alive.
 * - Each job reports the provider that ran it and every provider tried; progress comes per tile; an AbortSignal
 *   cancels between tiles.
 * - Results are cacheable by `enhanceCacheKey` (cacheKey.ts); caching itself is the queue's business.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { cancelledError, deserializeError, EnhanceError } from './EnhanceError.ts';
import type { FrameProgress, FrameRate } from './interpolate.ts';
import type { FromWorker, InterpolationJobResult, JobResult, ToWorker, WorkerConfig } from './protocol.ts';
import type { ProviderAttempt, ProviderChoice, ProviderName } from './providers.ts';
import { defaultBundledModelsDir, findModel, listModels, type ModelEntry, type ModelList, type ModelRoots } from './registry.ts';
import { DEFAULT_OVERLAP_PX, DEFAULT_TILE_SIZE_PX, type TileProgress } from './tiling.ts';
import { resolveWorkerEntry, type WorkerEntry } from './workerEntry.ts';

/** Default time an unused session stays warm. */
export const DEFAULT_SESSION_IDLE_MS = 120_000;

/** Options of `EnhanceRuntime`. */
export interface EnhanceRuntimeOptions {
  /** Model folders. Default: the bundled folder found by `defaultBundledModelsDir()`, no user folder. */
  roots?: ModelRoots;
  /** How long an unused session stays open, in ms. Default 120 000. */
  sessionIdleMs?: number;
  /** False to run on the CPU only. Default true. */
  useGpu?: boolean;
  /** GPU providers to try, in order. Default providers.ts GPU_PROVIDER_ORDER. */
  providerOrder?: ProviderName[];
  /** Worker entry; default `resolveWorkerEntry()`. */
  workerEntry?: WorkerEntry;
  /** Default tile size and overlap of jobs (input pixels). Defaults 256 and 16. */
  tileSizePx?: number;
  overlapPx?: number;
}

/** One enhancement job. */
export interface EnhanceRequest {
  inputPath: string;
  /** The result's path; its extension picks the format (.png, .jpg, .webp, .tif). Written to a temp name, then renamed. */
  outputPath: string;
  modelId: string;
  signal?: AbortSignal;
  onProgress?: (progress: TileProgress) => void;
  tileSizePx?: number;
  overlapPx?: number;
}

/** What a finished job reports. */
export interface EnhanceResult {
  outputPath: string;
  widthPx: number;
  heightPx: number;
  /** The execution provider that ran the job. */
  provider: ProviderName;
  /** Every provider considered for it, in order, with why each one that was not used failed. */
  tried: ProviderAttempt[];
  /** Wall-clock time of the job from the call to the result, in ms (model loading included). */
  ms: number;
  tilesTotal: number;
  modelId: string;
}

/** One frame interpolation job: a clip brought to another frame rate (see interpolate.ts). */
export interface InterpolateRequest {
  inputPath: string;
  /** The result's path (`.mp4`). Written to a temp name, then renamed. */
  outputPath: string;
  modelId: string;
  /** The rate to bring the clip to (the project's), as a rational. */
  frameRate: FrameRate;
  signal?: AbortSignal;
  onProgress?: (progress: FrameProgress) => void;
}

/** What a finished interpolation reports (interpolate.ts's result, plus provider, attempts, time and model). */
export interface InterpolateResult extends InterpolationJobResult {
  /** Wall-clock time of the job from the call to the result, in ms. */
  ms: number;
  modelId: string;
}

interface PendingJob {
  worker: Worker;
  resolve: (result: JobResult | InterpolationJobResult) => void;
  reject: (err: Error) => void;
  onProgress?: (progress: TileProgress) => void;
  onFrameProgress?: (progress: FrameProgress) => void;
}

/** How long `close()` waits for a running job to stop at a tile or frame boundary before terminating the worker. */
export const SHUTDOWN_GRACE_MS = 60_000;

/** The enhancement runtime of one process. Call `close()` at shutdown. */
export class EnhanceRuntime {
  private worker: Worker | undefined;
  private readonly jobs = new Map<number, PendingJob>();
  private readonly providerRequests = new Map<number, { worker: Worker; resolve: (c: ProviderChoice) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private choice: ProviderChoice | undefined;
  private readonly warm = new Set<string>();
  private readonly roots: ModelRoots;
  private closed = false;
  /** How many workers this runtime started (tests check that an idle worker is stopped and a new one started). */
  workersStarted = 0;

  constructor(private readonly options: EnhanceRuntimeOptions = {}) {
    this.roots = options.roots ?? { bundledDir: defaultBundledModelsDir() };
  }

  /** The bundled and user models, verified, with the refused ones and why (for the Models view). */
  listModels(): Promise<ModelList> {
    return listModels(this.roots);
  }

  /**
   * One installed model, verified (hash checked once per file version).
   * @throws EnhanceError `enhance.unknownModel` (not installed, or refused: the reason is in the message).
   */
  findModel(modelId: string): Promise<ModelEntry> {
    return findModel(this.roots, modelId);
  }

  /** The provider choice once made in this process (by a probe or a first job), else undefined; never starts the worker. */
  get providerChoice(): ProviderChoice | undefined {
    return this.choice;
  }

  /** Ids of the models whose session is warm in the worker right now. */
  warmModelIds(): string[] {
    return [...this.warm];
  }

  /** Whether a worker thread is running. */
  get workerRunning(): boolean {
    return this.worker !== undefined;
  }

  /**
   * The provider choice of this process (starts the worker, which probes once, when none was made yet).
   * @throws Error when no provider works at all.
   */
  async providers(): Promise<ProviderChoice> {
    if (this.choice) return this.choice;
    const worker = this.ensureWorker();
    const requestId = this.nextId++;
    return new Promise<ProviderChoice>((resolve, reject) => {
      this.providerRequests.set(requestId, { worker, resolve, reject });
      this.post(worker, { type: 'providers', requestId });
    });
  }

  /**
   * Enhances one picture with an installed model.
   * @returns `{outputPath, widthPx, heightPx, provider, tried, ms, tilesTotal, modelId}`.
   * @throws EnhanceError `enhance.unknownModel` (not installed, or refused: the reason is in the message),
   *   `enhance.unsupportedTask` (an interpolation model: see `interpolate`), `enhance.cancelled`, `enhance.badInput`,
   *   `enhance.badArgument`, `enhance.inferenceFailed`, `enhance.workerFailed` (the worker died).
   */
  async enhance(request: EnhanceRequest): Promise<EnhanceResult> {
    const started = performance.now();
    if (this.closed) throw new EnhanceError('enhance.workerFailed', 'The enhancement runtime is closed.', 'Restart the app.');
    if (request.signal?.aborted) throw cancelledError();
    const model = await findModel(this.roots, request.modelId);
    if (model.task !== 'upscale') {
      throw new EnhanceError('enhance.unsupportedTask', `The model "${model.id}" does ${model.task}: it runs on clips (frame interpolation), not on pictures.`, 'Pick an upscale model for a picture, or use this one on a video take.');
    }
    if (request.signal?.aborted) throw cancelledError();
    const worker = this.ensureWorker();
    const jobId = this.nextId++;
    const result = await new Promise<JobResult>((resolve, reject) => {
      this.jobs.set(jobId, { worker, resolve: resolve as PendingJob['resolve'], reject, onProgress: request.onProgress });
      worker.ref();
      const onAbort = () => this.post(worker, { type: 'cancel', jobId });
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => request.signal?.removeEventListener('abort', onAbort);
      const job = this.jobs.get(jobId)!;
      job.resolve = (r) => {
        settle();
        resolve(r as JobResult);
      };
      job.reject = (e) => {
        settle();
        reject(e);
      };
      this.post(worker, {
        type: 'enhance',
        jobId,
        inputPath: path.resolve(request.inputPath),
        outputPath: path.resolve(request.outputPath),
        model: {
          id: model.id,
          modelPath: model.modelPath,
          sha256: model.sha256,
          scale: model.scale,
          inputLayout: model.inputLayout,
          valueRange: model.valueRange,
          tileMultiple: model.tileMultiple,
          inputName: model.inputName,
          outputName: model.outputName,
          receptiveFieldPx: model.receptiveFieldPx,
        },
        tileSizePx: request.tileSizePx ?? this.options.tileSizePx ?? DEFAULT_TILE_SIZE_PX,
        overlapPx: request.overlapPx ?? this.options.overlapPx ?? DEFAULT_OVERLAP_PX,
      });
    });
    return { ...result, ms: Math.round(performance.now() - started), modelId: model.id };
  }

  /**
   * Brings a clip to another frame rate with an installed `interpolate` model, in the worker (see interpolate.ts).
   * Progress comes per output frame; the AbortSignal cancels between frames.
   * @returns `{outputPath, widthPx, heightPx, frameCount, frameRate, sourceFrameCount, sourceFrameRate,
   *   interpolatedFrames, provider, tried, ms, modelId}`.
   * @throws EnhanceError `enhance.unknownModel`, `enhance.unsupportedTask` (an upscale model), `enhance.toolMissing`,
   *   `enhance.badInput`, `enhance.badArgument`, `enhance.inferenceFailed`, `enhance.encodeFailed`,
   *   `enhance.cancelled`, `enhance.workerFailed`.
   */
  async interpolate(request: InterpolateRequest): Promise<InterpolateResult> {
    const started = performance.now();
    if (this.closed) throw new EnhanceError('enhance.workerFailed', 'The enhancement runtime is closed.', 'Restart the app.');
    if (request.signal?.aborted) throw cancelledError();
    const model = await findModel(this.roots, request.modelId);
    if (model.task !== 'interpolate') {
      throw new EnhanceError('enhance.unsupportedTask', `The model "${model.id}" does ${model.task}: it runs on pictures, not clips.`, 'Pick a frame interpolation model for a clip.');
    }
    if (request.signal?.aborted) throw cancelledError();
    const worker = this.ensureWorker();
    const jobId = this.nextId++;
    const result = await new Promise<InterpolationJobResult>((resolve, reject) => {
      const onAbort = () => this.post(worker, { type: 'cancel', jobId });
      const settle = () => request.signal?.removeEventListener('abort', onAbort);
      this.jobs.set(jobId, {
        worker,
        resolve: (r) => {
          settle();
          resolve(r as InterpolationJobResult);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
        onFrameProgress: request.onProgress,
      });
      worker.ref();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.post(worker, {
        type: 'interpolate',
        jobId,
        inputPath: path.resolve(request.inputPath),
        outputPath: path.resolve(request.outputPath),
        model: {
          id: model.id,
          modelPath: model.modelPath,
          sha256: model.sha256,
          inputName: model.inputName,
          ...(model.secondInputName ? { secondInputName: model.secondInputName } : {}),
          ...(model.timestepName ? { timestepName: model.timestepName } : {}),
          outputName: model.outputName,
          valueRange: model.valueRange,
          tileMultiple: model.tileMultiple,
          ...(model.timestepShape ? { timestepShape: model.timestepShape } : {}),
        },
        frameRate: { num: request.frameRate.num, den: request.frameRate.den },
      });
    });
    return { ...result, ms: Math.round(performance.now() - started), modelId: model.id };
  }

  /**
   * Stops the worker (releasing every session) and refuses new jobs; running jobs fail as cancelled. The worker
   * first lets a running job reach its next tile or frame boundary (a RIFE frame at 1080p on a CPU takes seconds),
   * because terminating a thread while onnxruntime is inside a run aborts the whole process; only a worker that
   * has not stopped after `SHUTDOWN_GRACE_MS` is terminated.
   */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), SHUTDOWN_GRACE_MS);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.post(worker, { type: 'shutdown' });
    });
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const entry = this.options.workerEntry ?? resolveWorkerEntry();
    const config: WorkerConfig = {
      sessionIdleMs: this.options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
      useGpu: this.options.useGpu ?? true,
      providerOrder: this.options.providerOrder,
      knownChoice: this.choice,
    };
    let worker: Worker;
    try {
      worker = new Worker(entry.url, { workerData: config, name: 'storycanvas-enhance' });
    } catch (err) {
      throw new EnhanceError('enhance.workerFailed', `The enhancement worker ${entry.url.href} could not start: ${(err as Error).message}`, 'Reinstall the app.', { cause: err });
    }
    this.workersStarted++;
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    worker.on('error', (err) => this.onWorkerGone(worker, `it failed: ${err.message}`));
    worker.on('exit', (code) => this.onWorkerGone(worker, `it exited with code ${code}`));
    return worker;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'progress':
        this.jobs.get(message.jobId)?.onProgress?.(message.progress);
        break;
      case 'frameProgress':
        this.jobs.get(message.jobId)?.onFrameProgress?.(message.progress);
        break;
      case 'done':
      case 'interpolated':
      case 'failed': {
        const job = this.jobs.get(message.jobId);
        this.jobs.delete(message.jobId);
        if (this.jobs.size === 0) worker.unref();
        if (message.type === 'done' || message.type === 'interpolated') {
          this.choice ??= { provider: message.result.provider, tried: message.result.tried };
          job?.resolve(message.result);
        } else {
          job?.reject(deserializeError(message.error));
        }
        break;
      }
      case 'providers': {
        const request = this.providerRequests.get(message.requestId);
        this.providerRequests.delete(message.requestId);
        if (message.choice) {
          this.choice = message.choice;
          request?.resolve(message.choice);
        } else {
          request?.reject(new Error(message.error ?? 'no provider works'));
        }
        break;
      }
      case 'session':
        if (message.event === 'opened') this.warm.add(message.modelId);
        else this.warm.delete(message.modelId);
        break;
      case 'idle':
        // No job and no warm session: stop the thread; the next job starts a new one.
        if (this.jobs.size === 0 && this.providerRequests.size === 0 && this.worker === worker) {
          this.worker = undefined;
          void worker.terminate();
        }
        break;
      case 'closed':
        void worker.terminate();
        break;
    }
  }

  private onWorkerGone(worker: Worker, why: string): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.warm.clear();
    }
    const error = this.closed ? cancelledError() : new EnhanceError('enhance.workerFailed', `The enhancement worker stopped: ${why}.`, 'Try again; a new worker starts with the next job.');
    for (const [id, job] of this.jobs) {
      if (job.worker !== worker) continue;
      this.jobs.delete(id);
      job.reject(error);
    }
    for (const [id, request] of this.providerRequests) {
      if (request.worker !== worker) continue;
      this.providerRequests.delete(id);
      request.reject(error);
    }
  }
}
