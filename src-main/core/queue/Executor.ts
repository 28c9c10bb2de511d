/**
 * The seam between the queue and what runs a job. The queue owns states, retries, takes and events; an
 * executor only runs one attempt of a job on one worker and reports how it went:
 * - `ComfyExecutor` (now): the worker is a ComfyUI server of the pool; an attempt is one prompt.
 * - `LocalEnhanceExecutor` (kind `enhance`): the worker is this machine (`local`, one slot); an attempt is one
 *   upscale or frame interpolation in the enhancement runtime. It registers in `QueueService.executors`; the
 *   dispatcher plans its jobs on its local worker alone, in the same priority order as ComfyUI jobs. It writes its
 *   own result (`ExecResult.commit`).
 */
import type { ProjectStore } from '../store/ProjectStore.ts';
import type { JobKind, JobRecord, JobStore } from './jobStore.ts';
import type { WriteOutcome } from './takeWriter.ts';

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
  /** The job's stored parameters (with `consistency`, see prompt/provenance.ts: the reference pictures to wire in). */
  params?: Record<string, unknown>;
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

/** What a `commit` gets: the project, its jobs, the job as dispatched, the attempt's id, when it finished (ISO 8601). */
export interface CommitContext {
  store: ProjectStore;
  jobs: JobStore;
  record: JobRecord;
  promptId: string;
  finishedAt: string;
}

/** A finished attempt. */
export interface ExecResult {
  /** Outputs that become takes through `takeWriter.ts` (ignored when `commit` is given). */
  outputs: ExecOutput[];
  /**
   * Writes the result itself instead of `takeWriter.ts` (a local executor's takes carry other provenance): it must
   * mark the job succeeded for `promptId` only (`JobStore.markSucceeded`) in the transaction that records its
   * takes, and return `stale` when that fails. Throws when the result cannot be stored (the job then fails).
   */
  commit?: (context: CommitContext) => Promise<WriteOutcome>;
  /** When the worker started and finished it (ms since the epoch; started is null when unknown). */
  startedAtMs: number | null;
  finishedAtMs: number;
  /** What the executor adds to the takes' meta (ComfyUI: `references`, whether the reference pictures were used). */
  meta?: Record<string, unknown>;
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

/** A worker on this machine (not a pool server) that runs the jobs of one executor. */
export interface LocalWorker {
  /** Its id, stored as the job's `server_id` (`local:enhance`). */
  readonly id: string;
  /** Jobs it runs at once (1: the GPU or CPU is one resource). */
  readonly slots: number;
}

/** Runs attempts of one kind of job. */
export interface Executor {
  readonly kind: JobKind;
  /**
   * Set when the jobs run on this machine: the queue plans them on this worker only (never on a pool server),
   * merged with the other jobs by priority. After a restart an attempt that was running on it is queued again
   * (it died with the process). Unset: the jobs run on the pool's servers.
   */
  readonly local?: LocalWorker;
  /**
   * Runs an attempt to its end. `submit` starts it; `attach` finds an attempt started before a restart (by its
   * id) and follows it, or fails with `absent` when the worker has no trace of it.
   * @throws ExecError, or the signal's reason when aborted.
   */
  run(attempt: ExecAttempt, mode: 'submit' | 'attach', hooks: AttemptHooks): Promise<ExecResult>;
  /** Stops one attempt without touching anything else on the worker. Never throws. */
  cancel(serverId: string, promptId: string): Promise<void>;
}
