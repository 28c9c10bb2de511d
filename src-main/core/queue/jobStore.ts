/**
 * The `job` table of one project (migration 0002-jobs.sql): queue bookkeeping written directly, never through
 * the undo journal (a job is not an artist's edit). Every state change is one UPDATE guarded by the state it
 * expects (`WHERE state IN (...)`), so a late callback of an abandoned attempt cannot overwrite a newer state.
 * Each statement commits on its own, durably (WAL, synchronous=FULL; see store/database.ts).
 */
import type { Job, JobPriority, JobState } from '../../../src-preload/contract';
import type { JobRequirements } from '../pool/requirements.ts';
import type Database from 'better-sqlite3';
import type { Db } from '../store/database.ts';

/** What runs a job (`comfy`: a ComfyUI server of the pool; the others are reserved for local executors). */
export type JobKind = 'comfy' | 'enhance' | 'render';

/** A job as stored. `graphJson` is the bound workflow that is submitted. Times are ISO 8601. */
export interface JobRecord {
  id: string;
  kind: JobKind;
  shotId: string;
  batchId: string;
  workflowId: string;
  workflowHash: string;
  graphJson: string;
  params: Record<string, unknown>;
  requires: JobRequirements;
  prompt: string;
  seed: number;
  workUnits: number;
  priority: JobPriority;
  orderKey: string;
  state: JobState;
  serverId: string | null;
  promptId: string | null;
  attempts: number;
  errorCode: string | null;
  error: string | null;
  createdAt: string;
  dispatchedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Local jobs (migration 0005): the execution provider that ran it (`cpu`, `cuda`; `cache` for a reused result). */
  provider?: string | null;
  /** Local jobs: the take it resulted in (inserted, or an identical earlier one reused). */
  resultTakeId?: string | null;
}

/** A new job: everything but the bookkeeping the queue fills in. */
export type NewJob = Omit<JobRecord, 'state' | 'serverId' | 'promptId' | 'attempts' | 'errorCode' | 'error' | 'dispatchedAt' | 'startedAt' | 'finishedAt' | 'provider' | 'resultTakeId'>;

/** Rank of a priority: 0 is the most urgent. */
export const PRIORITY_RANK: Readonly<Record<JobPriority, number>> = { critical: 0, high: 1, normal: 2, low: 3 };

/** States in which a job is finished for good (until an artist retries it). */
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);

/** States in which a job is on a server (its `prompt_id` may be there). */
export const ON_SERVER_STATES: ReadonlySet<JobState> = new Set(['dispatched', 'running']);

type Row = Record<string, unknown>;

function fromRow(r: Row): JobRecord {
  return {
    id: r.id as string,
    kind: r.kind as JobKind,
    shotId: r.shot_id as string,
    batchId: r.batch_id as string,
    workflowId: r.workflow_id as string,
    workflowHash: r.workflow_hash as string,
    graphJson: r.graph as string,
    params: JSON.parse(r.params as string) as Record<string, unknown>,
    requires: JSON.parse(r.requires as string) as JobRequirements,
    prompt: r.prompt as string,
    seed: r.seed as number,
    workUnits: r.work_units as number,
    priority: r.priority as JobPriority,
    orderKey: r.order_key as string,
    state: r.state as JobState,
    serverId: (r.server_id as string | null) ?? null,
    promptId: (r.prompt_id as string | null) ?? null,
    attempts: r.attempts as number,
    errorCode: (r.error_code as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    createdAt: r.created_at as string,
    dispatchedAt: (r.dispatched_at as string | null) ?? null,
    startedAt: (r.started_at as string | null) ?? null,
    finishedAt: (r.finished_at as string | null) ?? null,
    provider: (r.provider as string | null | undefined) ?? null,
    resultTakeId: (r.result_take_id as string | null | undefined) ?? null,
  };
}

/** The job table of one open project. */
export class JobStore {
  private readonly statements: Record<string, Database.Statement<unknown[]>> = {};

  constructor(readonly db: Db) {}

  private stmt(sql: string): Database.Statement<unknown[]> {
    let prepared = this.statements[sql];
    if (!prepared) {
      prepared = this.db.prepare<unknown[]>(sql);
      this.statements[sql] = prepared;
    }
    return prepared;
  }

  /** Inserts new jobs, all or none, as `queued`. */
  insert(jobs: NewJob[]): void {
    const insert = this.stmt(
      `INSERT INTO job (id, kind, shot_id, batch_id, workflow_id, workflow_hash, graph, params, requires, prompt, seed, work_units,
                        priority, order_key, state, attempts, created_at)
       VALUES (@id, @kind, @shot_id, @batch_id, @workflow_id, @workflow_hash, @graph, @params, @requires, @prompt, @seed, @work_units,
               @priority, @order_key, 'queued', 0, @created_at)`,
    );
    this.db.transaction(() => {
      for (const job of jobs) {
        insert.run({
          id: job.id,
          kind: job.kind,
          shot_id: job.shotId,
          batch_id: job.batchId,
          workflow_id: job.workflowId,
          workflow_hash: job.workflowHash,
          graph: job.graphJson,
          params: JSON.stringify(job.params),
          requires: JSON.stringify(job.requires),
          prompt: job.prompt,
          seed: job.seed,
          work_units: job.workUnits,
          priority: job.priority,
          order_key: job.orderKey,
          created_at: job.createdAt,
        });
      }
    })();
  }

  /** One job, or null. */
  get(jobId: string): JobRecord | null {
    const row = this.stmt('SELECT * FROM job WHERE id = ?').get(jobId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Jobs in the given states (all when omitted), oldest first. */
  list(states?: readonly JobState[]): JobRecord[] {
    const rows = states
      ? (this.db.prepare(`SELECT * FROM job WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY created_at, id`).all(...states) as Row[])
      : (this.stmt('SELECT * FROM job ORDER BY created_at, id').all() as Row[]);
    return rows.map(fromRow);
  }

  /** The largest order key of any job (new jobs go after it), or null. */
  lastOrderKey(): string | null {
    const row = this.stmt('SELECT max(order_key) AS k FROM job').get() as { k: string | null };
    return row.k;
  }

  /** Take ids per job id (one per output). */
  takeIds(jobIds?: readonly string[]): Map<string, string[]> {
    const rows = (
      jobIds && jobIds.length === 1
        ? this.stmt('SELECT id, job_id FROM take WHERE job_id = ? ORDER BY output_index').all(jobIds[0])
        : this.stmt('SELECT id, job_id FROM take WHERE job_id IS NOT NULL ORDER BY job_id, output_index').all()
    ) as Array<{ id: string; job_id: string }>;
    const map = new Map<string, string[]>();
    for (const row of rows) {
      const list = map.get(row.job_id) ?? [];
      list.push(row.id);
      map.set(row.job_id, list);
    }
    return map;
  }

  /** Shot numbers by shot id (for display). */
  shotNumbers(): Map<string, string> {
    return new Map((this.stmt('SELECT id, number FROM shot').all() as Array<{ id: string; number: string }>).map((r) => [r.id, r.number]));
  }

  /** Whether the shot still exists. */
  shotExists(shotId: string): boolean {
    return this.stmt('SELECT 1 FROM shot WHERE id = ?').get(shotId) !== undefined;
  }

  /**
   * `queued` -> `dispatched` on a server with a new prompt id, BEFORE the prompt is posted (so a crash after the
   * post can find it). Counts the attempt. Returns false when the job was no longer queued.
   */
  markDispatched(jobId: string, serverId: string, promptId: string, at: string): boolean {
    return (
      this.stmt(
        `UPDATE job SET state = 'dispatched', server_id = ?, prompt_id = ?, attempts = attempts + 1, dispatched_at = ?, started_at = NULL
         WHERE id = ? AND state = 'queued'`,
      ).run(serverId, promptId, at, jobId).changes === 1
    );
  }

  /** Records the prompt id the server really uses (a mid-2024 server ignores ours). */
  setPromptId(jobId: string, oldPromptId: string, promptId: string): void {
    this.stmt(`UPDATE job SET prompt_id = ? WHERE id = ? AND prompt_id = ?`).run(promptId, jobId, oldPromptId);
  }

  /** `dispatched` -> `running` (the server started it). Returns false when the attempt is no longer current. */
  markRunning(jobId: string, promptId: string, at: string): boolean {
    return this.stmt(`UPDATE job SET state = 'running', started_at = ? WHERE id = ? AND prompt_id = ? AND state = 'dispatched'`).run(at, jobId, promptId).changes === 1;
  }

  /**
   * Back to `queued` after a failed or abandoned attempt (the error is kept for the Queue view). Only the current
   * attempt (`promptId`) may do it. Returns false otherwise.
   */
  requeue(jobId: string, promptId: string | null, errorCode: string | null, error: string | null): boolean {
    const sql =
      `UPDATE job SET state = 'queued', server_id = NULL, prompt_id = NULL, dispatched_at = NULL, started_at = NULL, error_code = ?, error = ?
       WHERE id = ? AND state IN ('dispatched', 'running')` + (promptId === null ? '' : ' AND prompt_id = ?');
    const args: unknown[] = [errorCode, error, jobId];
    if (promptId !== null) args.push(promptId);
    return this.stmt(sql).run(...args).changes === 1;
  }

  /** -> `failed` with the reason, from a waiting or on-server state. Returns false when already finished. */
  markFailed(jobId: string, promptId: string | null, errorCode: string, error: string, at: string): boolean {
    const sql =
      `UPDATE job SET state = 'failed', error_code = ?, error = ?, finished_at = ? WHERE id = ? AND state IN ('queued', 'dispatched', 'running')` +
      (promptId === null ? '' : ' AND (prompt_id = ? OR state = \'queued\')');
    const args: unknown[] = [errorCode, error, at, jobId];
    if (promptId !== null) args.push(promptId);
    return this.stmt(sql).run(...args).changes === 1;
  }

  /** -> `cancelled`. Returns false when already finished. */
  markCancelled(jobId: string, at: string, reason: string | null = null): boolean {
    return (
      this.stmt(
        `UPDATE job SET state = 'cancelled', finished_at = ?, error_code = CASE WHEN ? IS NULL THEN error_code ELSE 'cancelled' END, error = coalesce(?, error)
         WHERE id = ? AND state IN ('queued', 'dispatched', 'running')`,
      ).run(at, reason, reason, jobId).changes === 1
    );
  }

  /** `failed`/`cancelled` -> `queued` again, at the end of its priority. Returns false for other states. */
  retry(jobId: string, orderKey: string): boolean {
    return (
      this.stmt(
        `UPDATE job SET state = 'queued', server_id = NULL, prompt_id = NULL, error_code = NULL, error = NULL, order_key = ?,
                        dispatched_at = NULL, started_at = NULL, finished_at = NULL
         WHERE id = ? AND state IN ('failed', 'cancelled')`,
      ).run(orderKey, jobId).changes === 1
    );
  }

  /** Changes the priority (and order key, when given) of a waiting job. Returns false when it is not queued. */
  reorder(jobId: string, priority: JobPriority, orderKey?: string): boolean {
    if (orderKey === undefined) return this.stmt(`UPDATE job SET priority = ? WHERE id = ? AND state = 'queued'`).run(priority, jobId).changes === 1;
    return this.stmt(`UPDATE job SET priority = ?, order_key = ? WHERE id = ? AND state = 'queued'`).run(priority, orderKey, jobId).changes === 1;
  }

  /** Records what ran a local job and the take it resulted in (inside the transaction of `markSucceeded`). */
  setOutcome(jobId: string, provider: string | null, resultTakeId: string | null): void {
    this.stmt('UPDATE job SET provider = ?, result_take_id = ? WHERE id = ?').run(provider, resultTakeId, jobId);
  }

  /**
   * -> `succeeded`, for the current attempt only. Called inside the transaction that inserts the takes.
   * Returns false when the attempt is not current (cancelled, moved, already done).
   */
  markSucceeded(jobId: string, promptId: string, at: string): boolean {
    return (
      this.stmt(
        `UPDATE job SET state = 'succeeded', finished_at = ?, error_code = NULL, error = NULL
         WHERE id = ? AND prompt_id = ? AND state IN ('dispatched', 'running')`,
      ).run(at, jobId, promptId).changes === 1
    );
  }
}

/** The contract's view of a job. */
export function toJob(projectId: string, record: JobRecord, shotNumber: string | null, takeIds: string[]): Job {
  return {
    id: record.id,
    projectId,
    kind: record.kind,
    shotId: record.shotId,
    shotNumber,
    batchId: record.batchId,
    workflowId: record.workflowId,
    workflowHash: record.workflowHash,
    prompt: record.prompt,
    seed: record.seed,
    priority: record.priority,
    orderKey: record.orderKey,
    state: record.state,
    serverId: record.serverId,
    promptId: record.promptId,
    attempts: record.attempts,
    error: record.error === null ? null : { code: record.errorCode ?? 'error', message: record.error },
    takeIds: record.resultTakeId && !takeIds.includes(record.resultTakeId) ? [...takeIds, record.resultTakeId] : takeIds,
    provider: record.provider ?? null,
    createdAt: record.createdAt,
    dispatchedAt: record.dispatchedAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
}
