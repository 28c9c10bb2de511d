/**
 * The generation queue of every open project, dispatched over the server pool.
 *
 * - Jobs live in each project's database (`jobStore.ts`); this service keeps the waiting ones in memory in
 *   dispatch order (priority, the artist's order, age; projects merged by priority then age) and follows the
 *   attempts in flight.
 * - Dispatch is pull-based (`dispatchPolicy.ts`): a pass runs whenever a server has a free slot (at most two of
 *   our jobs per server: the running one and the next one waiting) or the queue changes. Only a server that has
 *   what a job needs (node types, checkpoint, LoRAs...) receives it; a job that no enabled server can run fails
 *   at once with the reason.
 * - An attempt's prompt id is stored before it is posted. A transient failure (connection refused, 5xx, a
 *   dropped socket that does not come back, a timeout, garbage) retries with exponential backoff, preferably
 *   elsewhere, up to `maxAttempts`; a permanent one (the workflow refused, a node failed) fails at once with the
 *   server's reason. When a server goes offline its jobs move to other servers; their old prompts are cancelled
 *   there (by id) when it comes back, and a late result of an abandoned attempt is ignored.
 * - After a restart (`attachProject`), jobs that were on a server are found again by their prompt id: finished
 *   while we were away -> their takes are written once; still queued or running -> followed; unknown to the
 *   server -> queued again.
 * - A success becomes takes in one transaction with the job's state (`takeWriter.ts`, or the executor's own `commit`).
 * - Executors with a `local` worker (the enhancement executor) are planned beside the servers: their jobs wait in
 *   the same lists (one priority order for every kind) and go to that worker only, `slots` at a time.
 * Events: `job.updated`, `job.progress` (throttled, with the preview frame's path), `server.updated`.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateNKeysBetween } from 'fractional-indexing';
import type { GenerationOverrides, Job, JobPriority, JobState, PresetInfo, SeedMode, ServerStatus, WorkflowInfo } from '../../../src-preload/contract';
import type { ServerCapabilities } from '../comfy/capabilities.ts';
import { backoffDelayMs, type BackoffOptions } from '../comfy/backoff.ts';
import { PresetStore, type Preset, type UserPresetInput } from '../comfy/workflow/presets.ts';
import { AppError, notFound } from '../errors.ts';
import type { EventHub } from '../events.ts';
import { missingOn } from '../pool/requirements.ts';
import { ServerPool, stableClientId, type PoolServer, type ServerPoolOptions } from '../pool/ServerPool.ts';
import type { ServerPatch } from '../pool/ServerRegistry.ts';
import type { ProjectStore } from '../store/ProjectStore.ts';
import { buildJobs, resolveTemplateChoices } from './buildJobs.ts';
import type { LibraryStore } from '../library/LibraryStore.ts';
import { ComfyExecutor } from './ComfyExecutor.ts';
import { earliestFinishPolicy, type DispatchPolicy, type PlanJob, type PlanServer } from './dispatchPolicy.ts';
import { ExecError, type Executor, type ExecResult, type LocalWorker } from './Executor.ts';
import { JobStore, ON_SERVER_STATES, PRIORITY_RANK, TERMINAL_STATES, toJob, type JobKind, type JobRecord, type NewJob } from './jobStore.ts';
import { PreviewWriter } from './previews.ts';
import { writeTakes, type FinishedOutput } from './takeWriter.ts';
import { WorkflowCatalog, DEFAULT_WORKFLOW_FOR_FAMILY, defaultWorkflowsDir } from './workflows.ts';

/** What the queue needs from the core (the Core class provides it). */
export interface QueueHost {
  readonly configDir: string;
  /** Which shell runs the core (`electron`, `web`, `cli`): part of our stable client id on servers. */
  readonly shell?: string;
  readonly events: EventHub;
  project(projectId: string): ProjectStore;
  /** The character and template library: prompts are composed from it, takes are recorded in it (optional). */
  library?(): LibraryStore;
}

/** Options of a {@link QueueService}. Times in ms. */
export interface QueueServiceOptions {
  pool?: ServerPoolOptions;
  /** The dispatch policy; default {@link earliestFinishPolicy}. */
  policy?: DispatchPolicy;
  /** Attempts before a job fails for good on transient errors; default 5. */
  maxAttempts?: number;
  /** Delay before a retry; default 1 s doubling to 60 s, half jitter. */
  retryBackoff?: Partial<BackoffOptions>;
  /** Least time between two `job.progress` events of a job; default 150. */
  progressIntervalMs?: number;
  /** Least time between two preview frames written for a job; default 400. */
  previewIntervalMs?: number;
  /** The built-in workflows folder; default {@link defaultWorkflowsDir}. */
  workflowsDir?: string | null;
  /**
   * Whether jobs run as soon as there are some (the app, web mode). Default: yes, except in the CLI, where only
   * `generate --wait` runs them ({@link QueueService.resume}); other commands that open a project leave its
   * queue alone.
   */
  autoStart?: boolean;
}

/** What `queue.enqueue` takes (the contract's arguments, parsed). */
export interface EnqueueRequest {
  target: 'shot' | 'scene' | 'all';
  shotIds?: string[];
  sceneId?: string;
  takes: number;
  workflowId?: string;
  workflowPath?: string;
  preset?: string;
  seedMode: SeedMode;
  seed?: number;
  priority: JobPriority;
  overrides?: GenerationOverrides;
}

/** Figures of the dispatcher, for the benchmark and diagnostics. */
export interface DispatchStats {
  /** Jobs sent to a server. */
  dispatched: number;
  /** Dispatch passes run. */
  passes: number;
  /** Time spent in passes (planning, the durable dispatch write, the event), ms. */
  passMs: number;
}

interface Waiting {
  record: JobRecord;
  requiresKey: string;
  /** Not before this time (a retry's backoff), ms since the epoch. */
  notBeforeMs: number;
  /** Servers it failed on (soft: another is preferred). */
  avoid: Set<string>;
  /** Servers that refused it for a missing model or node: reason by server id (hard). */
  refusedBy: Map<string, string>;
}

interface ProjectQueue {
  projectId: string;
  /** Jobs found on a server at attach time, reconciled once the queue runs. */
  toReconcile: JobRecord[];
  store: ProjectStore;
  jobs: JobStore;
  waiting: Map<string, Waiting>;
  /** Waiting jobs in dispatch order; null when it must be sorted again. */
  sorted: Waiting[] | null;
  previews: PreviewWriter;
}

interface Attempt {
  projectId: string;
  jobId: string;
  kind: JobKind;
  serverId: string;
  promptId: string;
  record: JobRecord;
  units: number;
  dispatchedAtMs: number;
  startedAtMs: number | null;
  abort: AbortController;
  /** Cancelled by the artist: its result is ignored. */
  cancelled: boolean;
  /** No longer followed (moved elsewhere, project closed, app closing): its result is ignored. */
  abandoned: boolean;
  released: boolean;
  progressAtMs: number;
  progress: { value: number; max: number } | null;
  previewPath: string | null;
  /** Carried over from the waiting entry, for a retry. */
  avoid: Set<string>;
  refusedBy: Map<string, string>;
}

const DEFAULT_RETRY: BackoffOptions = { initialDelayMs: 1_000, maxDelayMs: 60_000, factor: 2, jitter: 0.5 };
/** Speed assumed for a server before any job has run anywhere, ms per unit (only ratios matter). */
const DEFAULT_MS_PER_UNIT = 1_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** See the module documentation. */
export class QueueService {
  readonly pool: ServerPool;
  readonly workflows: WorkflowCatalog;
  readonly presets: PresetStore;
  /** Executors by job kind (the local enhancement executor registers here under `enhance`). */
  readonly executors = new Map<JobKind, Executor>();
  /** Waiting jobs by kind (a local worker takes part in a pass only while jobs of its kind wait). */
  private readonly waitingByKind = new Map<JobKind, number>();
  /** Measured speed of local workers, ms per work unit (a moving average). */
  private readonly localRates = new Map<string, number>();

  private readonly policy: DispatchPolicy;
  private readonly maxAttempts: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly progressIntervalMs: number;
  private readonly previewIntervalMs: number;
  private readonly projects = new Map<string, ProjectQueue>();
  private readonly attempts = new Map<string, Attempt>();
  /** Prompts left behind on a server (moved elsewhere, cancelled while unreachable): cancelled when it is back. */
  private readonly abandoned = new Map<string, Set<string>>();
  private readonly eligibility = new Map<string, Map<string, { caps: ServerCapabilities; ok: boolean }>>();
  private readonly stats: DispatchStats = { dispatched: 0, passes: 0, passMs: 0 };
  private poolStart: Promise<void> | null = null;
  private passScheduled = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAtMs = Infinity;
  private closing = false;
  private running: boolean;

  constructor(
    private readonly host: QueueHost,
    options: QueueServiceOptions = {},
  ) {
    this.pool = new ServerPool(host.configDir, {
      clientIdFor: (serverId) => stableClientId(host.configDir, host.shell ?? 'core', serverId),
      ...options.pool,
    });
    this.workflows = new WorkflowCatalog(options.workflowsDir === undefined ? defaultWorkflowsDir() : options.workflowsDir);
    this.presets = new PresetStore(host.configDir);
    this.policy = options.policy ?? earliestFinishPolicy();
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBackoff = { ...DEFAULT_RETRY, ...(options.retryBackoff ?? {}) };
    this.progressIntervalMs = options.progressIntervalMs ?? 150;
    this.previewIntervalMs = options.previewIntervalMs ?? 400;
    this.running = options.autoStart ?? host.shell !== 'cli';
    this.executors.set('comfy', new ComfyExecutor(this.pool));
    this.pool.onUpdate = (status) => this.host.events.emit('server.updated', status);
    this.pool.onDown = (serverId, reason) => this.onServerDown(serverId, reason);
    this.pool.onReady = (serverId) => this.onServerReady(serverId);
  }

  /** Dispatcher figures since the service started. */
  dispatchStats(): DispatchStats {
    return { ...this.stats };
  }

  /** Starts the pool (checks every enabled server) once; later calls share the first. */
  startPool(): Promise<void> {
    this.poolStart ??= this.pool.start().then(() => this.kick());
    return this.poolStart;
  }

  /** Whether jobs are being dispatched (see `autoStart`). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts running jobs when the queue was created held (`autoStart: false`): reconciles, then dispatches. */
  resume(): void {
    if (this.running || this.closing) return;
    this.running = true;
    for (const pq of this.projects.values()) this.reconcile(pq);
    void this.startPool();
    this.kick();
  }

  // ------------------------------------------------------------------------------------------- projects

  /**
   * Takes a project's queue into the dispatcher (idempotent): waiting jobs join the queue; jobs that were on a
   * server when the app stopped are reconciled with that server (see the module documentation).
   */
  attachProject(projectId: string, store: ProjectStore): void {
    if (this.closing || this.projects.has(projectId)) return;
    const pq: ProjectQueue = {
      projectId,
      toReconcile: [],
      store,
      jobs: new JobStore(store.db),
      waiting: new Map(),
      sorted: null,
      previews: new PreviewWriter(store.dir, this.previewIntervalMs),
    };
    this.projects.set(projectId, pq);
    const open = pq.jobs.list(['queued', 'dispatched', 'running']);
    for (const record of open) {
      if (record.state === 'queued') this.addWaiting(pq, record);
      else pq.toReconcile.push(record);
    }
    if (open.length === 0 || !this.running) return;
    this.reconcile(pq);
    void this.startPool();
    this.kick();
  }

  /** Follows again the jobs that were on a server when the project was last open (see the module documentation). */
  private reconcile(pq: ProjectQueue): void {
    // Jobs on a server hold their slot from now on, so nothing is planned over them.
    const pending = pq.toReconcile.splice(0).map((record) => this.reattach(pq, record)).filter((a): a is Attempt => a !== null);
    if (pending.length === 0) return;
    void this.startPool().then(() => {
      for (const attempt of pending) if (!attempt.abandoned) void this.runAttempt(attempt, 'attach');
    });
  }

  /** Stops following a project (it is being closed): its jobs keep their states for the next open. */
  detachProject(projectId: string): void {
    const pq = this.projects.get(projectId);
    if (!pq) return;
    for (const attempt of [...this.attempts.values()]) {
      if (attempt.projectId !== projectId) continue;
      attempt.abandoned = true;
      attempt.abort.abort(new Error('the project was closed'));
      this.release(attempt);
    }
    for (const jobId of [...pq.waiting.keys()]) this.removeWaiting(pq, jobId);
    this.projects.delete(projectId);
  }

  private queueOf(projectId: string): ProjectQueue {
    const pq = this.projects.get(projectId);
    if (pq) return pq;
    this.attachProject(projectId, this.host.project(projectId));
    return this.projects.get(projectId) as ProjectQueue;
  }

  // -------------------------------------------------------------------------------------------- methods

  /**
   * Queues takes for shots (see the contract's `queue.enqueue`). The whole batch is checked (shots, workflow,
   * preset, parameters) and written in one transaction before anything is dispatched.
   * @throws AppError from `buildJobs`, the workflow catalog and the preset store.
   */
  async enqueue(projectId: string, request: EnqueueRequest): Promise<{ batchId: string; jobs: Job[] }> {
    const pq = this.queueOf(projectId);
    const preset = request.preset ? await this.presets.get(request.preset) : null;
    const workflowId = request.workflowPath ? undefined : (request.workflowId ?? (preset ? DEFAULT_WORKFLOW_FOR_FAMILY[preset.family] : undefined));
    const workflow = await this.workflows.resolve({ workflowId, workflowPath: request.workflowPath });
    const library = this.host.library?.() ?? null;
    const templateChoices = library ? await resolveTemplateChoices(pq.store, library, request, { workflows: this.workflows, presets: this.presets }) : undefined;
    const { batchId, jobs } = buildJobs(pq.store, request, workflow, preset, pq.jobs.lastOrderKey(), { library, templateChoices });
    pq.jobs.insert(jobs);
    const created: Job[] = [];
    for (const job of jobs) {
      const record = pq.jobs.get(job.id) as JobRecord;
      this.addWaiting(pq, record);
      created.push(this.emitJob(pq, record.id) as Job);
    }
    if (this.running) void this.startPool();
    this.kick();
    return { batchId, jobs: created };
  }

  /**
   * Queues jobs built elsewhere (the enhancement jobs of core/enhance/jobs.ts), written in one transaction, at the
   * end of their priority; they run on the executor registered for their kind.
   * @throws Error when no executor is registered for a job's kind (nothing is written).
   */
  enqueueJobs(projectId: string, jobs: NewJob[]): Job[] {
    for (const job of jobs) this.executorFor(job.kind);
    const pq = this.queueOf(projectId);
    pq.jobs.insert(jobs);
    const created = jobs.map((job) => {
      this.addWaiting(pq, pq.jobs.get(job.id) as JobRecord);
      return this.emitJob(pq, job.id) as Job;
    });
    if (this.running) void this.startPool();
    this.kick();
    return created;
  }

  /** The largest order key of a project's jobs (new jobs go after it), or null. */
  lastOrderKey(projectId: string): string | null {
    return this.queueOf(projectId).jobs.lastOrderKey();
  }

  /** A project's jobs: on a server first, then waiting in dispatch order, then finished ones, newest first. */
  list(projectId: string, states?: readonly JobState[]): Job[] {
    const pq = this.queueOf(projectId);
    const records = pq.jobs.list(states);
    const numbers = pq.jobs.shotNumbers();
    const takes = pq.jobs.takeIds();
    const group = (r: JobRecord) => (ON_SERVER_STATES.has(r.state) ? 0 : r.state === 'queued' ? 1 : 2);
    records.sort((a, b) => {
      const ga = group(a);
      const gb = group(b);
      if (ga !== gb) return ga - gb;
      if (ga === 0) return (a.dispatchedAt ?? '').localeCompare(b.dispatchedAt ?? '');
      if (ga === 1) return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || compareKeys(a.orderKey, b.orderKey) || a.createdAt.localeCompare(b.createdAt);
      return (b.finishedAt ?? '').localeCompare(a.finishedAt ?? '');
    });
    return records.map((r) => toJob(projectId, r, numbers.get(r.shotId) ?? null, takes.get(r.id) ?? []));
  }

  /**
   * Cancels jobs: waiting ones leave the queue; those on a server are stopped there by their prompt id (never
   * a bare interrupt). Finished jobs are left as they are.
   * @throws AppError `not_found` for an unknown job id.
   */
  cancel(projectId: string, jobIds: readonly string[]): Job[] {
    const pq = this.queueOf(projectId);
    const at = new Date().toISOString();
    const records = jobIds.map((id) => pq.jobs.get(id) ?? (() => { throw notFound('job', id); })());
    for (const record of records) {
      if (TERMINAL_STATES.has(record.state)) continue;
      if (!pq.jobs.markCancelled(record.id, at)) continue;
      this.removeWaiting(pq, record.id);
      this.policy.forget?.(record.id);
      const attempt = this.attempts.get(record.id);
      if (attempt) {
        attempt.cancelled = true;
        void this.executorFor(attempt.kind).cancel(attempt.serverId, attempt.promptId);
      } else if (record.serverId && record.promptId) {
        this.remember(record.serverId, record.promptId);
      }
      void pq.previews.clear(record.id);
      this.emitJob(pq, record.id);
    }
    this.kick();
    return jobIds.map((id) => this.jobOf(pq, id));
  }

  /**
   * Queues failed or cancelled jobs again, at the end of their priority.
   * @throws AppError `not_found`; `nothing_to_retry` when none of them failed or was cancelled.
   */
  retry(projectId: string, jobIds: readonly string[]): Job[] {
    const pq = this.queueOf(projectId);
    const records = jobIds.map((id) => pq.jobs.get(id) ?? (() => { throw notFound('job', id); })());
    const retryable = records.filter((r) => r.state === 'failed' || r.state === 'cancelled');
    if (retryable.length === 0) {
      throw new AppError('nothing_to_retry', 'None of these jobs failed or was cancelled.', 'Only failed or cancelled jobs can be retried; queue new takes to generate a shot again.');
    }
    const keys = generateNKeysBetween(pq.jobs.lastOrderKey(), null, retryable.length);
    retryable.forEach((record, i) => {
      if (!pq.jobs.retry(record.id, keys[i])) return;
      this.addWaiting(pq, pq.jobs.get(record.id) as JobRecord);
      this.emitJob(pq, record.id);
    });
    if (this.running) void this.startPool();
    this.kick();
    return jobIds.map((id) => this.jobOf(pq, id));
  }

  /**
   * Changes the priority of waiting jobs (others are left as they are).
   * @throws AppError `not_found`; `not_waiting` when none of them is waiting.
   */
  setPriority(projectId: string, jobIds: readonly string[], priority: JobPriority): Job[] {
    const pq = this.queueOf(projectId);
    let changed = 0;
    for (const id of jobIds) {
      if (!pq.jobs.get(id)) throw notFound('job', id);
      if (!pq.jobs.reorder(id, priority)) continue;
      changed += 1;
      this.refreshWaiting(pq, id);
      this.emitJob(pq, id);
    }
    if (changed === 0) throw new AppError('not_waiting', 'None of these jobs is waiting in the queue.', 'Only waiting jobs can change priority.');
    this.kick();
    return jobIds.map((id) => this.jobOf(pq, id));
  }

  /**
   * Moves waiting jobs (kept in their current order) before another waiting job, taking its priority; or to the
   * end when `beforeJobId` is null, keeping theirs. Writes one row per moved job.
   * @throws AppError `not_found`; `invalid_move` when a job or the target is not waiting, or the target is moved.
   */
  move(projectId: string, jobIds: readonly string[], beforeJobId: string | null): void {
    const pq = this.queueOf(projectId);
    const moving = new Set(jobIds);
    for (const id of moving) {
      const record = pq.jobs.get(id);
      if (!record) throw notFound('job', id);
      if (record.state !== 'queued') throw new AppError('invalid_move', `Job ${id} is ${record.state}, not waiting; only waiting jobs can be moved.`, 'Reload the queue and try again.');
    }
    const ordered = this.sortedOf(pq).map((w) => w.record);
    const moved = ordered.filter((r) => moving.has(r.id));
    if (beforeJobId === null) {
      const keys = generateNKeysBetween(pq.jobs.lastOrderKey(), null, moved.length);
      moved.forEach((r, i) => pq.jobs.reorder(r.id, r.priority, keys[i]));
    } else {
      if (moving.has(beforeJobId)) throw new AppError('invalid_move', 'A job cannot be moved before itself.', 'Drop the jobs before another job.');
      const rest = ordered.filter((r) => !moving.has(r.id));
      const index = rest.findIndex((r) => r.id === beforeJobId);
      if (index < 0) throw new AppError('invalid_move', `Job ${beforeJobId} is not waiting in this project's queue.`, 'Reload the queue and try again.');
      const target = rest[index];
      const previous = rest[index - 1];
      const left = previous && previous.priority === target.priority ? previous.orderKey : null;
      const keys = generateNKeysBetween(left, target.orderKey, moved.length);
      moved.forEach((r, i) => pq.jobs.reorder(r.id, target.priority, keys[i]));
    }
    for (const r of moved) {
      this.refreshWaiting(pq, r.id);
      this.emitJob(pq, r.id);
    }
    this.kick();
  }

  // ----------------------------------------------------------------------------- servers, workflows, presets

  /** Every server with its state. */
  listServers(): ServerStatus[] {
    return this.pool.list();
  }

  /** Adds and checks a server. */
  async addServer(input: { url: string; name?: string; headers?: Record<string, string>; enabled?: boolean }): Promise<ServerStatus> {
    void this.startPool();
    const status = await this.pool.add(input);
    this.kick();
    return status;
  }

  /** Changes a server. */
  async updateServer(serverId: string, patch: ServerPatch): Promise<ServerStatus> {
    const status = await this.pool.update(serverId, patch);
    this.kick();
    return status;
  }

  /** Removes a server (its jobs in flight move elsewhere). */
  async removeServer(serverId: string): Promise<void> {
    await this.pool.remove(serverId);
    this.abandoned.delete(serverId);
    this.kick();
  }

  /** Checks a server now. */
  async checkServer(serverId: string): Promise<ServerStatus> {
    const status = await this.pool.check(serverId);
    this.kick();
    return status;
  }

  /** The built-in workflows. */
  listWorkflows(): Promise<WorkflowInfo[]> {
    return this.workflows.list();
  }

  /** Built-in and saved presets. */
  async listPresets(): Promise<PresetInfo[]> {
    return (await this.presets.list()).map(presetInfo);
  }

  /** Saves an artist's preset. @throws AppError `invalid_preset`, `read_only`, `presets_unreadable`. */
  async savePreset(input: UserPresetInput): Promise<PresetInfo> {
    return presetInfo(await this.presets.save(input));
  }

  /** Removes an artist's preset. @throws AppError `read_only`, `not_found`. */
  async removePreset(presetId: string): Promise<void> {
    await this.presets.remove(presetId);
  }

  /**
   * Stops dispatching and following (jobs keep their states; the next start reconciles them) and closes the
   * pool's connections. Prompts on the servers go on.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const attempt of this.attempts.values()) {
      attempt.abandoned = true;
      attempt.abort.abort(new Error('StoryCanvas is closing'));
    }
    this.attempts.clear();
    this.projects.clear();
    this.waitingByKind.clear();
    await this.pool.close();
  }

  // ------------------------------------------------------------------------------------------- dispatch

  /** Asks for a dispatch pass soon (passes are coalesced). */
  kick(): void {
    if (this.passScheduled || this.closing) return;
    this.passScheduled = true;
    setImmediate(() => {
      this.passScheduled = false;
      this.pass();
    });
  }

  private pass(): void {
    if (this.closing || !this.running) return;
    const startedAt = performance.now();
    const now = Date.now();
    const slots = this.pool.slotsPerServer;
    const servers = this.pool.servers();
    const defaultRate = this.defaultRate(servers);
    const plan: PlanServer[] = [];
    let free = 0;
    for (const server of servers) {
      if (!server.dispatchable) continue;
      const freeSlots = Math.max(0, server.capacity(slots) - server.inFlight);
      free += freeSlots;
      plan.push({
        id: server.id,
        freeSlots,
        availableAtMs: this.availableAt(server, now, defaultRate),
        msPerUnit: server.msPerUnit ?? defaultRate,
        lastCheckpoint: server.lastCheckpoint,
      });
    }
    for (const executor of this.executors.values()) {
      const local = executor.local;
      if (!local || (this.waitingByKind.get(executor.kind) ?? 0) === 0) continue;
      const freeSlots = Math.max(0, local.slots - this.localInFlight(local.id));
      free += freeSlots;
      const rate = this.localRates.get(local.id) ?? DEFAULT_MS_PER_UNIT;
      plan.push({ id: local.id, freeSlots, availableAtMs: this.availableAt({ id: local.id, msPerUnit: rate }, now, rate), msPerUnit: rate, lastCheckpoint: null });
    }
    let dispatched = 0;
    if (free > 0) {
      for (const { job, server } of this.policy.assign(this.planJobs(now, servers), plan, now)) {
        if (this.dispatch(job.id, server.id)) dispatched += 1;
      }
    }
    this.stats.passes += 1;
    this.stats.dispatched += dispatched;
    this.stats.passMs += performance.now() - startedAt;
  }

  /** Default speed: the mean of the measured ones, or a constant before any measurement. */
  private defaultRate(servers: readonly PoolServer[]): number {
    const known = servers.map((s) => s.msPerUnit).filter((r): r is number => r !== null);
    return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : DEFAULT_MS_PER_UNIT;
  }

  /** When a server's current work should be done, from its jobs in flight and its speed. */
  private availableAt(server: Pick<PoolServer, 'id' | 'msPerUnit'>, now: number, defaultRate: number): number {
    const rate = server.msPerUnit ?? defaultRate;
    let busyMs = 0;
    for (const attempt of this.attempts.values()) {
      if (attempt.serverId !== server.id || attempt.released) continue;
      const workMs = attempt.units * rate;
      busyMs += attempt.startedAtMs === null ? workMs : Math.max(0, attempt.startedAtMs + workMs - now);
    }
    return now + busyMs;
  }

  /**
   * Waiting jobs in dispatch order as the policy sees them, lazily (the policy stops when the free slots are
   * filled). Jobs still in backoff are skipped (a wake-up is set); a job that no enabled server can run fails.
   */
  private *planJobs(now: number, servers: readonly PoolServer[]): Generator<PlanJob> {
    // A job fails for want of a server only once every enabled server has been looked at (none still unknown).
    const unchecked = servers.some((s) => s.config.enabled && s.status === 'unknown');
    const known = unchecked ? [] : servers.filter((s) => s.config.enabled && s.capabilities !== null);
    const routable = new Map<string, boolean>();
    const lists = [...this.projects.values()].map((pq) => ({ pq, list: this.sortedOf(pq), at: 0 }));
    for (;;) {
      let pick: (typeof lists)[number] | null = null;
      for (const entry of lists) {
        while (entry.at < entry.list.length && !entry.pq.waiting.has(entry.list[entry.at].record.id)) entry.at += 1;
        if (entry.at >= entry.list.length) continue;
        if (!pick || compareAcross(entry.list[entry.at], pick.list[pick.at]) < 0) pick = entry;
      }
      if (!pick) return;
      const waiting = pick.list[pick.at];
      pick.at += 1;
      if (waiting.notBeforeMs > now) {
        this.wakeAt(waiting.notBeforeMs);
        continue;
      }
      const local = this.executors.get(waiting.record.kind)?.local;
      if (local) {
        yield { id: waiting.record.id, units: waiting.record.workUnits, checkpoint: null, eligible: (serverId) => serverId === local.id, avoid: waiting.avoid };
        continue;
      }
      if (known.length > 0) {
        const key = waiting.refusedBy.size === 0 ? waiting.requiresKey : null;
        let ok = key !== null ? routable.get(key) : undefined;
        if (ok === undefined) {
          ok = known.some((s) => this.canRun(waiting, s));
          if (key !== null) routable.set(key, ok);
        }
        if (!ok) {
          this.failUnroutable(pick.pq, waiting, known);
          continue;
        }
      }
      const pool = this.pool;
      yield {
        id: waiting.record.id,
        units: waiting.record.workUnits,
        checkpoint: waiting.record.requires.checkpoint ?? null,
        eligible: (serverId) => {
          const server = pool.get(serverId);
          return server !== undefined && this.canRun(waiting, server);
        },
        avoid: waiting.avoid,
      };
    }
  }

  /** Whether a server has what a job needs and has not refused it. */
  private canRun(waiting: Waiting, server: PoolServer): boolean {
    if (waiting.refusedBy.has(server.id) || !server.capabilities) return false;
    let byServer = this.eligibility.get(waiting.requiresKey);
    if (!byServer) {
      byServer = new Map();
      this.eligibility.set(waiting.requiresKey, byServer);
    }
    const cached = byServer.get(server.id);
    if (cached && cached.caps === server.capabilities) return cached.ok;
    const ok = missingOn(waiting.record.requires, server.capabilities).length === 0;
    byServer.set(server.id, { caps: server.capabilities, ok });
    return ok;
  }

  private failUnroutable(pq: ProjectQueue, waiting: Waiting, known: readonly PoolServer[]): void {
    const refused = [...waiting.refusedBy.values()];
    const reasons = known
      .filter((s) => !waiting.refusedBy.has(s.id))
      .map((s) => `${s.name} lacks ${missingOn(waiting.record.requires, s.capabilities as ServerCapabilities).join('; ')}`);
    const message =
      refused.length > 0 && reasons.length === 0
        ? refused[refused.length - 1]
        : `No server can run this job: ${[...refused, ...reasons].join(' / ')}.`;
    if (pq.jobs.markFailed(waiting.record.id, null, 'unsupported', message, new Date().toISOString())) {
      this.removeWaiting(pq, waiting.record.id);
      this.policy.forget?.(waiting.record.id);
      this.emitJob(pq, waiting.record.id);
    }
  }

  /** Sends a waiting job to a server: the durable dispatch write, then the attempt. Returns false if it was gone. */
  private dispatch(jobId: string, serverId: string): boolean {
    const pq = [...this.projects.values()].find((p) => p.waiting.has(jobId));
    const server = this.pool.get(serverId);
    const local = this.localWorker(serverId);
    if (!pq || (!server && !local)) return false;
    const waiting = pq.waiting.get(jobId) as Waiting;
    const at = new Date();
    if (!pq.jobs.shotExists(waiting.record.shotId)) {
      pq.jobs.markCancelled(jobId, at.toISOString(), 'The shot was deleted before its take was generated.');
      this.removeWaiting(pq, jobId);
      this.emitJob(pq, jobId);
      return false;
    }
    const promptId = randomUUID();
    const ok = pq.jobs.markDispatched(jobId, serverId, promptId, at.toISOString());
    this.removeWaiting(pq, jobId);
    if (!ok) return false;
    const record = { ...waiting.record, state: 'dispatched' as const, serverId, promptId, attempts: waiting.record.attempts + 1 };
    const attempt = this.newAttempt(pq, record, serverId, promptId, waiting);
    if (server && record.requires.checkpoint) server.lastCheckpoint = record.requires.checkpoint;
    this.emitJob(pq, jobId);
    void this.runAttempt(attempt, 'submit');
    return true;
  }

  private newAttempt(pq: ProjectQueue, record: JobRecord, serverId: string, promptId: string, from?: Pick<Waiting, 'avoid' | 'refusedBy'>): Attempt {
    const attempt: Attempt = {
      projectId: pq.projectId,
      jobId: record.id,
      kind: record.kind,
      serverId,
      promptId,
      record,
      units: record.workUnits,
      dispatchedAtMs: Date.now(),
      startedAtMs: null,
      abort: new AbortController(),
      cancelled: false,
      abandoned: false,
      released: false,
      progressAtMs: 0,
      progress: null,
      previewPath: null,
      avoid: new Set(from?.avoid ?? []),
      refusedBy: new Map(from?.refusedBy ?? []),
    };
    this.attempts.set(record.id, attempt);
    const server = this.pool.get(serverId);
    if (server) {
      server.inFlight += 1;
      this.pool.emit(server);
    }
    return attempt;
  }

  /** A job found on a server after a restart: it holds its slot until it is reconciled. */
  private reattach(pq: ProjectQueue, record: JobRecord): Attempt | null {
    if (this.executors.get(record.kind)?.local) {
      // A local attempt died with the process that ran it: it runs again from the start.
      if (pq.jobs.requeue(record.id, record.promptId, null, null)) {
        this.addWaiting(pq, pq.jobs.get(record.id) as JobRecord);
        this.emitJob(pq, record.id);
      }
      return null;
    }
    const server = record.serverId ? this.pool.get(record.serverId) : undefined;
    if (!server || !server.config.enabled || !record.promptId) {
      if (record.serverId && record.promptId) this.remember(record.serverId, record.promptId);
      if (pq.jobs.requeue(record.id, record.promptId, 'server_gone', 'Its server was removed or disabled while StoryCanvas was closed; it runs elsewhere.')) {
        this.addWaiting(pq, pq.jobs.get(record.id) as JobRecord);
        this.emitJob(pq, record.id);
      }
      return null;
    }
    return this.newAttempt(pq, record, server.id, record.promptId);
  }

  /** Frees an attempt's slot on its server (once) and asks for a pass. */
  private release(attempt: Attempt): void {
    if (attempt.released) return;
    attempt.released = true;
    if (this.attempts.get(attempt.jobId) === attempt) this.attempts.delete(attempt.jobId);
    const server = this.pool.get(attempt.serverId);
    if (server) {
      server.inFlight = Math.max(0, server.inFlight - 1);
      this.pool.emit(server);
    }
    this.kick();
  }

  /** The local worker with this id, if an executor has one. */
  private localWorker(workerId: string): LocalWorker | undefined {
    for (const executor of this.executors.values()) if (executor.local?.id === workerId) return executor.local;
    return undefined;
  }

  /** Attempts in flight on a local worker. */
  private localInFlight(workerId: string): number {
    let count = 0;
    for (const attempt of this.attempts.values()) if (attempt.serverId === workerId && !attempt.released) count += 1;
    return count;
  }

  private executorFor(kind: JobKind): Executor {
    const executor = this.executors.get(kind);
    if (!executor) throw new Error(`no executor for jobs of kind ${kind}`);
    return executor;
  }

  private async runAttempt(attempt: Attempt, mode: 'submit' | 'attach'): Promise<void> {
    const pq = this.projects.get(attempt.projectId);
    if (!pq || attempt.abandoned) return;
    let result: ExecResult;
    try {
      result = await this.executorFor(attempt.kind).run(
        {
          projectId: attempt.projectId,
          jobId: attempt.jobId,
          kind: attempt.kind,
          serverId: attempt.serverId,
          promptId: attempt.promptId,
          graphJson: attempt.record.graphJson,
          params: attempt.record.params,
          signal: attempt.abort.signal,
        },
        mode,
        {
          onStarted: (atMs) => this.onStarted(pq, attempt, atMs),
          onProgress: (value, max) => this.onProgress(pq, attempt, value, max),
          onPreview: (image, mime) => this.onPreview(pq, attempt, image, mime),
          onPromptId: (promptId) => {
            if (attempt.abandoned) return;
            pq.jobs.setPromptId(attempt.jobId, attempt.promptId, promptId);
            attempt.promptId = promptId;
          },
          onSubmitted: () => {
            if (attempt.cancelled) void this.executorFor(attempt.kind).cancel(attempt.serverId, attempt.promptId);
          },
        },
      );
    } catch (error) {
      this.release(attempt);
      this.onAttemptFailed(pq, attempt, error, mode);
      return;
    }
    this.release(attempt);
    this.pool.recordSuccess(attempt.serverId);
    if (attempt.startedAtMs !== null) this.pool.recordRun(attempt.serverId, attempt.units, result.finishedAtMs - attempt.startedAtMs);
    if (attempt.startedAtMs !== null && this.localWorker(attempt.serverId) && attempt.units > 0 && result.finishedAtMs > attempt.startedAtMs) {
      const sample = (result.finishedAtMs - attempt.startedAtMs) / attempt.units;
      const previous = this.localRates.get(attempt.serverId);
      this.localRates.set(attempt.serverId, previous === undefined ? sample : previous * 0.5 + sample * 0.5);
    }
    if (attempt.cancelled || attempt.abandoned || this.closing) return;
    await this.finishSuccess(pq, attempt, result);
  }

  private async finishSuccess(pq: ProjectQueue, attempt: Attempt, result: ExecResult): Promise<void> {
    if (result.commit) {
      try {
        const outcome = await result.commit({ store: pq.store, jobs: pq.jobs, record: attempt.record, promptId: attempt.promptId, finishedAt: new Date(result.finishedAtMs).toISOString() });
        if (outcome.kind === 'written') {
          for (const take of outcome.takes) this.host.events.emit('media.ready', { projectId: pq.projectId, shotId: take.shotId, path: take.path });
        }
      } catch (error) {
        if (this.closing || !pq.store.db.open) return;
        pq.jobs.markFailed(attempt.jobId, attempt.promptId, 'bad_output', `The result could not be stored as a take: ${messageOf(error)}`, new Date().toISOString());
      }
      if (!this.projects.has(pq.projectId)) return;
      this.policy.forget?.(attempt.jobId);
      this.emitJob(pq, attempt.jobId);
      return;
    }
    let outputs: FinishedOutput[];
    try {
      outputs = await Promise.all(result.outputs.map(async (o) => ({ index: o.index, fileName: o.fileName, bytes: await o.fetch() })));
    } catch (error) {
      this.onAttemptFailed(pq, attempt, error, 'submit');
      return;
    }
    if (attempt.cancelled || attempt.abandoned || this.closing) return;
    const server = this.pool.get(attempt.serverId);
    const finishedAt = new Date(result.finishedAtMs).toISOString();
    const record = attempt.record;
    const startedAtMs = attempt.startedAtMs ?? result.startedAtMs;
    try {
      const outcome = await writeTakes(pq.store, pq.jobs, record, attempt.promptId, outputs, {
        server: { id: attempt.serverId, name: server?.name ?? attempt.serverId, url: server?.config.url ?? '' },
        promptId: attempt.promptId,
        timings: {
          queuedAt: record.createdAt,
          dispatchedAt: new Date(attempt.dispatchedAtMs).toISOString(),
          startedAt: startedAtMs === null ? null : new Date(startedAtMs).toISOString(),
          finishedAt,
          runMs: startedAtMs === null ? null : result.finishedAtMs - startedAtMs,
          totalMs: result.finishedAtMs - Date.parse(record.createdAt),
        },
        executorMeta: result.meta ?? null,
      }, this.host.library?.() ?? null);
      if (outcome.kind === 'written') {
        for (const take of outcome.takes) this.host.events.emit('media.ready', { projectId: pq.projectId, shotId: take.shotId, path: take.path });
      }
    } catch (error) {
      if (this.closing || !pq.store.db.open) return;
      pq.jobs.markFailed(attempt.jobId, attempt.promptId, 'bad_output', `The server's output could not be stored as a take: ${messageOf(error)}`, finishedAt);
    }
    if (!this.projects.has(pq.projectId)) return;
    this.policy.forget?.(attempt.jobId);
    void pq.previews.clear(attempt.jobId);
    this.emitJob(pq, attempt.jobId);
  }

  private onAttemptFailed(pq: ProjectQueue, attempt: Attempt, error: unknown, mode: 'submit' | 'attach'): void {
    if (this.closing || attempt.abandoned || !this.projects.has(pq.projectId)) return;
    void pq.previews.clear(attempt.jobId);
    if (attempt.cancelled) return; // already cancelled in the database
    const failure = error instanceof ExecError ? error : new ExecError('transient', 'error', messageOf(error), {}, { cause: error });
    const now = Date.now();
    const at = new Date(now).toISOString();
    let requeued = false;
    const waitingFrom = { avoid: attempt.avoid, refusedBy: attempt.refusedBy };
    if (failure.flags.absent) {
      // Never reached the server (or the server lost it in a restart): queue it again as it was.
      requeued = pq.jobs.requeue(attempt.jobId, attempt.promptId, null, null);
    } else if (failure.flags.unsupported) {
      waitingFrom.refusedBy.set(attempt.serverId, failure.message);
      void this.pool.check(attempt.serverId).catch(() => undefined); // its model list was out of date
      requeued = pq.jobs.requeue(attempt.jobId, attempt.promptId, failure.code, failure.message);
    } else if (failure.kind === 'permanent') {
      pq.jobs.markFailed(attempt.jobId, attempt.promptId, failure.code, failure.message, at);
      this.policy.forget?.(attempt.jobId);
    } else {
      if (!failure.flags.interrupted) this.pool.recordFailure(attempt.serverId, failure);
      if (!this.localWorker(attempt.serverId) && (mode === 'attach' || failure.code === 'connection_lost' || failure.code === 'timeout')) this.remember(attempt.serverId, attempt.promptId);
      const attempts = pq.jobs.get(attempt.jobId)?.attempts ?? attempt.record.attempts;
      if (attempts >= this.maxAttempts) {
        pq.jobs.markFailed(attempt.jobId, attempt.promptId, failure.code, `${failure.message} (gave up after ${attempts} attempts)`, at);
        this.policy.forget?.(attempt.jobId);
      } else {
        waitingFrom.avoid.add(attempt.serverId);
        requeued = pq.jobs.requeue(attempt.jobId, attempt.promptId, failure.code, failure.message);
        if (requeued) {
          const delayMs = backoffDelayMs(Math.max(0, attempts - 1), this.retryBackoff);
          this.addWaiting(pq, pq.jobs.get(attempt.jobId) as JobRecord, { ...waitingFrom, notBeforeMs: now + delayMs });
          this.wakeAt(now + delayMs);
          this.emitJob(pq, attempt.jobId);
          return;
        }
      }
    }
    if (requeued) this.addWaiting(pq, pq.jobs.get(attempt.jobId) as JobRecord, waitingFrom);
    this.emitJob(pq, attempt.jobId);
    this.kick();
  }

  private onStarted(pq: ProjectQueue, attempt: Attempt, atMs: number): void {
    if (attempt.abandoned || attempt.cancelled || attempt.startedAtMs !== null) return;
    attempt.startedAtMs = atMs;
    if (pq.jobs.markRunning(attempt.jobId, attempt.promptId, new Date(atMs).toISOString())) this.emitJob(pq, attempt.jobId);
  }

  private onProgress(pq: ProjectQueue, attempt: Attempt, value: number, max: number): void {
    if (attempt.abandoned || attempt.cancelled) return;
    attempt.progress = { value, max };
    const now = Date.now();
    if (value < max && now - attempt.progressAtMs < this.progressIntervalMs) return;
    attempt.progressAtMs = now;
    this.host.events.emit('job.progress', {
      projectId: pq.projectId,
      jobId: attempt.jobId,
      value,
      max,
      ...(attempt.previewPath ? { previewUrl: attempt.previewPath } : {}),
    });
  }

  private onPreview(pq: ProjectQueue, attempt: Attempt, image: Buffer, mime: string): void {
    if (attempt.abandoned || attempt.cancelled) return;
    void pq.previews.offer(attempt.jobId, image, mime).then((path) => {
      if (!path || attempt.abandoned || attempt.cancelled || attempt.released) return;
      attempt.previewPath = path;
      const progress = attempt.progress ?? { value: 0, max: 0 };
      this.host.events.emit('job.progress', { projectId: pq.projectId, jobId: attempt.jobId, value: progress.value, max: progress.max, previewUrl: path });
    });
  }

  /** A server went offline (or was removed or disabled): its jobs move elsewhere. */
  private onServerDown(serverId: string, reason: string): void {
    if (this.closing) return;
    for (const attempt of [...this.attempts.values()]) {
      if (attempt.serverId !== serverId) continue;
      const pq = this.projects.get(attempt.projectId);
      attempt.abandoned = true;
      attempt.abort.abort(new Error(reason));
      this.release(attempt);
      if (!pq || attempt.cancelled) continue;
      this.remember(serverId, attempt.promptId);
      void pq.previews.clear(attempt.jobId);
      const attempts = pq.jobs.get(attempt.jobId)?.attempts ?? 0;
      if (attempts >= this.maxAttempts) {
        pq.jobs.markFailed(attempt.jobId, attempt.promptId, 'server_lost', `${reason} (gave up after ${attempts} attempts)`, new Date().toISOString());
      } else if (pq.jobs.requeue(attempt.jobId, attempt.promptId, 'server_lost', `${reason}; the job moves to another server.`)) {
        attempt.avoid.add(serverId);
        this.addWaiting(pq, pq.jobs.get(attempt.jobId) as JobRecord, { avoid: attempt.avoid, refusedBy: attempt.refusedBy });
      }
      this.emitJob(pq, attempt.jobId);
    }
    this.kick();
  }

  /** A server can take work (again): cancel what was left behind there, then dispatch. */
  private onServerReady(serverId: string): void {
    const left = this.abandoned.get(serverId);
    if (left && left.size > 0) {
      this.abandoned.delete(serverId);
      for (const promptId of left) void this.executorFor('comfy').cancel(serverId, promptId);
    }
    this.kick();
  }

  private remember(serverId: string, promptId: string): void {
    let set = this.abandoned.get(serverId);
    if (!set) {
      set = new Set();
      this.abandoned.set(serverId, set);
    }
    set.add(promptId);
  }

  private wakeAt(atMs: number): void {
    if (this.closing || atMs >= this.wakeAtMs) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAtMs = atMs;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAtMs = Infinity;
      this.kick();
    }, Math.max(0, atMs - Date.now()));
    this.wakeTimer.unref();
  }

  // ------------------------------------------------------------------------------------------ bookkeeping

  private addWaiting(
    pq: ProjectQueue,
    record: JobRecord,
    from: { avoid?: Set<string>; refusedBy?: Map<string, string>; notBeforeMs?: number } = {},
  ): void {
    const before = pq.waiting.get(record.id);
    if (before) this.waitingByKind.set(before.record.kind, (this.waitingByKind.get(before.record.kind) ?? 1) - 1);
    this.waitingByKind.set(record.kind, (this.waitingByKind.get(record.kind) ?? 0) + 1);
    pq.waiting.set(record.id, {
      record,
      requiresKey: JSON.stringify(record.requires),
      notBeforeMs: from.notBeforeMs ?? 0,
      avoid: from.avoid ?? new Set(),
      refusedBy: from.refusedBy ?? new Map(),
    });
    pq.sorted = null;
  }

  private removeWaiting(pq: ProjectQueue, jobId: string): void {
    // The sorted list stays valid: readers skip ids that are no longer waiting.
    const waiting = pq.waiting.get(jobId);
    if (!waiting) return;
    this.waitingByKind.set(waiting.record.kind, (this.waitingByKind.get(waiting.record.kind) ?? 1) - 1);
    pq.waiting.delete(jobId);
  }

  /** Re-reads a waiting job after its priority or order changed. */
  private refreshWaiting(pq: ProjectQueue, jobId: string): void {
    const waiting = pq.waiting.get(jobId);
    const record = pq.jobs.get(jobId);
    if (!waiting || !record) return;
    waiting.record = record;
    pq.sorted = null;
  }

  private sortedOf(pq: ProjectQueue): Waiting[] {
    if (!pq.sorted) {
      pq.sorted = [...pq.waiting.values()].sort(
        (a, b) =>
          PRIORITY_RANK[a.record.priority] - PRIORITY_RANK[b.record.priority] ||
          compareKeys(a.record.orderKey, b.record.orderKey) ||
          a.record.createdAt.localeCompare(b.record.createdAt),
      );
    } else if (pq.sorted.length > 2 * pq.waiting.size + 64) {
      pq.sorted = pq.sorted.filter((w) => pq.waiting.has(w.record.id));
    }
    return pq.sorted;
  }

  private jobOf(pq: ProjectQueue, jobId: string): Job {
    const record = pq.jobs.get(jobId);
    if (!record) throw notFound('job', jobId);
    const shot = pq.store.db.prepare('SELECT number FROM shot WHERE id = ?').get(record.shotId) as { number: string } | undefined;
    return toJob(pq.projectId, record, shot?.number ?? null, pq.jobs.takeIds([jobId]).get(jobId) ?? []);
  }

  /** Emits `job.updated` with the job as stored; returns it (null when the project is gone). */
  private emitJob(pq: ProjectQueue, jobId: string): Job | null {
    if (!pq.store.db.open) return null;
    const job = this.jobOf(pq, jobId);
    this.host.events.emit('job.updated', { projectId: pq.projectId, job });
    return job;
  }
}

/** Compares fractional index keys by code unit (the order `fractional-indexing` defines). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Dispatch order across projects: priority, then age (each project keeps its own order). */
function compareAcross(a: Waiting, b: Waiting): number {
  return PRIORITY_RANK[a.record.priority] - PRIORITY_RANK[b.record.priority] || a.record.createdAt.localeCompare(b.record.createdAt);
}

function presetInfo(preset: Preset): PresetInfo {
  return {
    id: preset.id,
    name: preset.name,
    family: preset.family,
    setting: { ...preset.setting },
    loras: preset.loras.map((l) => ({ name: l.name, strengthModel: l.strengthModel, ...(l.strengthClip !== undefined ? { strengthClip: l.strengthClip } : {}) })),
    builtin: preset.builtin,
  };
}
