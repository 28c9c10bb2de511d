/**
 * The seam between the queue and what runs a job. The queue owns states, retries, takes and events; an
 * executor only runs one attempt of a job on one worker and reports how it went:
 * - `ComfyExecutor` (now): the worker is a ComfyUI server of the pool; an attempt is one prompt.
 * - A local enhancement executor (src-main/core/enhance, to come) implements the same interface with its
 *   local device as the worker; it registers under `kind: 'enhance'` (see `QueueService.executors`).
 */
import type { JobKind } from './jobStore.ts';

/** One attempt of a job, as an executor sees it. */
export interface ExecAttempt {
  projectId: string;
  jobId: string;
  kind: JobKind;
  /** The worker (a server id for ComfyUI). */
  serverId: string;
  /** Our id for this attempt (the ComfyUI prompt id), stored before the attempt starts. */
  promptId: string;
  /** The bound workflow (API format), as stored with the job. */
  graphJson: string;
  /** Aborted when the queue stops following the attempt (server lost, project closed, app closing). */
  signal: AbortSignal;
}

/** What an executor tells the queue while an attempt runs. */
export interface AttemptHooks {
  /** The worker started executing it (ms since the epoch). */
  onStarted(atMs: number): void;
  /** Progress of a step (`value` of `max`). */
  onProgress(value: number, max: number): void;
  /** A preview frame (JPEG or PNG bytes). */
  onPreview(image: Buffer, mime: string): void;
  /** The worker uses another id than ours (a mid-2024 ComfyUI ignores the one we send). */
  onPromptId(promptId: string): void;
  /** The worker accepted the attempt (a cancel asked before this moment must be sent again now). */
  onSubmitted(): void;
}

/** One output file of a finished attempt, fetched on demand (the worker's slot is free by then). */
export interface ExecOutput {
  /** 0-based index among the attempt's outputs: with the job id, the key of its take. */
  index: number;
  /** The file name on the worker, for messages and the take's original name. */
  fileName: string;
  fetch(): Promise<Buffer>;
}

/** A finished attempt. */
export interface ExecResult {
  outputs: ExecOutput[];
  /** When the worker started and finished it (ms since the epoch; started is null when unknown). */
  startedAtMs: number | null;
  finishedAtMs: number;
}

/**
 * Why an attempt did not succeed. `transient`: try again (later, or on another worker); `permanent`: the job
 * cannot succeed as it is. `unsupported`: this worker lacks a model or node the job needs (another may have it).
 * `absent`: after a restart, the worker has no trace of the attempt (it was never submitted, or was lost).
 */
export class ExecError extends Error {
  constructor(
    readonly kind: 'transient' | 'permanent',
    readonly code: string,
    message: string,
    readonly flags: { unsupported?: boolean; absent?: boolean; interrupted?: boolean } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExecError';
  }
}

/** Runs attempts of one kind of job. */
export interface Executor {
  readonly kind: JobKind;
  /**
   * Runs an attempt to its end. `submit` starts it; `attach` finds an attempt started before a restart (by its
   * id) and follows it, or fails with `absent` when the worker has no trace of it.
   * @throws ExecError, or the signal's reason when aborted.
   */
  run(attempt: ExecAttempt, mode: 'submit' | 'attach', hooks: AttemptHooks): Promise<ExecResult>;
  /** Stops one attempt without touching anything else on the worker. Never throws. */
  cancel(serverId: string, promptId: string): Promise<void>;
}
