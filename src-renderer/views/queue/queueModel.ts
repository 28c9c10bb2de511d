/**
 * The Queue view's pure logic: jobs grouped by state and sorted (waiting ones in dispatch order, see
 * data/queueCache.ts `compareWaiting`), counts for the queue badge, priority steps, where a drag lands, and the
 * words and numbers a row shows (progress `7 / 20 · 35%`, time left, durations, VRAM). No DOM, no React.
 */
import type { Job, JobPriority, JobState, ServerStatus } from '../../../src-preload/contract';
import { compareCodeUnits, compareWaiting, PRIORITIES } from '../../data/queueCache';

/** The groups of the Queue view, top to bottom. */
export type JobGroupId = 'running' | 'waiting' | 'queued' | 'failed' | 'succeeded' | 'cancelled';

/** One group of jobs as the view lists it. */
export interface JobGroup {
  id: JobGroupId;
  /** The heading people read: `Running`, `Waiting on a server`, … */
  label: string;
  jobs: Job[];
  /** Whether the group starts folded (finished work is out of the way). */
  collapsedByDefault: boolean;
}

/** Labels of priorities for people. */
export const PRIORITY_LABELS: Readonly<Record<JobPriority, string>> = { critical: 'Critical', high: 'High', normal: 'Normal', low: 'Low' };

/** Labels of job states for the state chip. */
export const STATE_LABELS: Readonly<Record<JobState, string>> = {
  queued: 'Queued',
  dispatched: 'On server',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const GROUPS: ReadonlyArray<{ id: JobGroupId; label: string; collapsedByDefault: boolean }> = [
  { id: 'running', label: 'Running', collapsedByDefault: false },
  { id: 'waiting', label: 'Waiting on a server', collapsedByDefault: false },
  { id: 'queued', label: 'Queued', collapsedByDefault: false },
  // failures stay open: the artist needs the server's reason to act on them
  { id: 'failed', label: 'Failed', collapsedByDefault: false },
  { id: 'succeeded', label: 'Done', collapsedByDefault: true },
  { id: 'cancelled', label: 'Cancelled', collapsedByDefault: true },
];

/** The group a job state belongs to. */
export function groupOf(state: JobState): JobGroupId {
  if (state === 'dispatched') return 'waiting';
  return state;
}

/** Whether a job still has work ahead of it (queued, on a server, or running). */
export function isActive(state: JobState): boolean {
  return state === 'queued' || state === 'dispatched' || state === 'running';
}

/** Whether a job is finished for good (succeeded, failed or cancelled). */
export function isFinished(state: JobState): boolean {
  return !isActive(state);
}

/** How jobs of a group are sorted: on a server by the time they were sent; finished ones newest first. */
function comparatorFor(group: JobGroupId): (a: Job, b: Job) => number {
  if (group === 'queued') return compareWaiting;
  if (group === 'running' || group === 'waiting') return (a, b) => compareCodeUnits(a.dispatchedAt ?? a.createdAt, b.dispatchedAt ?? b.createdAt) || compareCodeUnits(a.id, b.id);
  return (a, b) => compareCodeUnits(b.finishedAt ?? b.createdAt, a.finishedAt ?? a.createdAt) || compareCodeUnits(b.id, a.id);
}

/**
 * The jobs in the view's groups (running, waiting on a server, queued, failed, done, cancelled), each sorted.
 * Empty groups are left out.
 */
export function groupJobs(jobs: readonly Job[]): JobGroup[] {
  const buckets = new Map<JobGroupId, Job[]>();
  for (const job of jobs) {
    const id = groupOf(job.state);
    const list = buckets.get(id);
    if (list) list.push(job);
    else buckets.set(id, [job]);
  }
  const out: JobGroup[] = [];
  for (const g of GROUPS) {
    const list = buckets.get(g.id);
    if (list && list.length > 0) out.push({ ...g, jobs: list.sort(comparatorFor(g.id)) });
  }
  return out;
}

/** What the queue badge counts. */
export interface QueueCounts {
  running: number;
  /** Posted to a server, waiting there. */
  onServer: number;
  queued: number;
  failed: number;
  succeeded: number;
  /** running + onServer + queued. */
  active: number;
}

/** Counts of jobs by what the badge shows. */
export function queueCounts(jobs: readonly Job[]): QueueCounts {
  const c: QueueCounts = { running: 0, onServer: 0, queued: 0, failed: 0, succeeded: 0, active: 0 };
  for (const j of jobs) {
    if (j.state === 'running') c.running++;
    else if (j.state === 'dispatched') c.onServer++;
    else if (j.state === 'queued') c.queued++;
    else if (j.state === 'failed') c.failed++;
    else if (j.state === 'succeeded') c.succeeded++;
  }
  c.active = c.running + c.onServer + c.queued;
  return c;
}

/** The badge's sentence: `2 running, 5 waiting` (or `Nothing queued`). */
export function describeCounts(c: QueueCounts): string {
  const parts: string[] = [];
  if (c.running > 0) parts.push(`${c.running} running`);
  if (c.onServer + c.queued > 0) parts.push(`${c.onServer + c.queued} waiting`);
  if (c.failed > 0) parts.push(`${c.failed} failed`);
  return parts.length > 0 ? parts.join(', ') : 'Nothing queued';
}

/** One step more (`-1`) or less (`+1`) urgent, or null at the end of the scale. */
export function stepPriority(priority: JobPriority, direction: -1 | 1): JobPriority | null {
  const i = PRIORITIES.indexOf(priority) + direction;
  return i >= 0 && i < PRIORITIES.length ? PRIORITIES[i] : null;
}

/**
 * Where a dragged queued job lands, as `queue.move`'s `beforeJobId`: the job it is dropped on when dragged
 * upwards, the one after that when dragged downwards, null for the end. `order` is the queued group's ids in
 * view order. Returns undefined when nothing changes.
 */
export function moveTargetOf(order: readonly string[], activeId: string, overId: string): string | null | undefined {
  const from = order.indexOf(activeId);
  const to = order.indexOf(overId);
  if (from < 0 || to < 0 || from === to) return undefined;
  if (to < from) return order[to];
  return to + 1 < order.length ? order[to + 1] : null;
}

/** Sampling progress of a running job. */
export interface ProgressInfo {
  /** 0..1, or null when the server has not reported steps yet. */
  fraction: number | null;
  /** `7 / 20 · 35%`, or `Starting…`. */
  label: string;
  /** `~9 s left` from the pace so far, or null when it cannot be told yet. */
  remaining: string | null;
}

/**
 * The progress bar's numbers from a `job.progress` event (`value` of `max` steps) and, for the time left, how
 * long the job has been running (ms). A `max` of 0 or less means no steps are known yet.
 */
export function formatProgress(progress: { value: number; max: number } | null | undefined, elapsedMs?: number | null): ProgressInfo {
  if (!progress || !(progress.max > 0)) return { fraction: null, label: 'Starting…', remaining: null };
  const value = Math.min(Math.max(0, progress.value), progress.max);
  const fraction = value / progress.max;
  const label = `${Math.round(value)} / ${Math.round(progress.max)} · ${Math.floor(fraction * 100)}%`;
  let remaining: string | null = null;
  if (elapsedMs !== undefined && elapsedMs !== null && elapsedMs > 0 && value > 0 && value < progress.max) {
    remaining = `~${formatDurationMs((elapsedMs / value) * (progress.max - value))} left`;
  }
  return { fraction, label, remaining };
}

/** A duration for people: `850 ms`, `12 s`, `3:05`, `1:02:03` (whole seconds from 1 s up). */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

function msBetween(from: string | null, to: string | null | number): number | null {
  if (!from) return null;
  const a = Date.parse(from);
  const b = typeof to === 'number' ? to : to ? Date.parse(to) : NaN;
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, b - a) : null;
}

/**
 * The timing line of a job at `nowMs`: `queued 12 s` while waiting, `running 0:41` while running, and for a
 * finished job how long it waited and ran: `waited 3 s · ran 12 s`.
 */
export function formatTimings(job: Pick<Job, 'state' | 'createdAt' | 'dispatchedAt' | 'startedAt' | 'finishedAt'>, nowMs: number): string {
  if (job.state === 'queued') return `queued ${formatDurationMs(msBetween(job.createdAt, nowMs) ?? 0)}`;
  if (job.state === 'dispatched') return `on server ${formatDurationMs(msBetween(job.dispatchedAt ?? job.createdAt, nowMs) ?? 0)}`;
  if (job.state === 'running') return `running ${formatDurationMs(msBetween(job.startedAt ?? job.dispatchedAt, nowMs) ?? 0)}`;
  const waited = msBetween(job.createdAt, job.startedAt ?? job.dispatchedAt ?? job.finishedAt);
  const ran = msBetween(job.startedAt, job.finishedAt);
  const parts: string[] = [];
  if (waited !== null) parts.push(`waited ${formatDurationMs(waited)}`);
  if (ran !== null) parts.push(`ran ${formatDurationMs(ran)}`);
  return parts.join(' · ') || '–';
}

/** Bytes for people, in binary units as GPU tools print them: `23.6 GB` (GiB, shown as GB), `512 MB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '–';
  const gib = bytes / 1024 ** 3;
  if (gib >= 1) return `${gib.toFixed(gib >= 10 ? 0 : 1)} GB`;
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}

/** VRAM in use of a server: used and total bytes and the fraction, or null when the server did not say. */
export function vramOf(server: Pick<ServerStatus, 'vramTotalBytes' | 'vramFreeBytes'>): { usedBytes: number; totalBytes: number; fraction: number } | null {
  const total = server.vramTotalBytes;
  const free = server.vramFreeBytes;
  if (total === null || free === null || !(total > 0)) return null;
  const usedBytes = Math.min(total, Math.max(0, total - free));
  return { usedBytes, totalBytes: total, fraction: usedBytes / total };
}

/** A server's state in words for its status chip (the breaker wins over online when it is not closed). */
export function serverStateLabel(server: Pick<ServerStatus, 'status' | 'breaker'>): { label: string; tone: 'ok' | 'busy' | 'warn' | 'bad' | 'off' } {
  if (server.status === 'disabled') return { label: 'Disabled', tone: 'off' };
  if (server.breaker === 'open') return { label: 'Set aside', tone: 'bad' };
  if (server.status === 'offline') return { label: 'Offline', tone: 'bad' };
  if (server.breaker === 'half-open') return { label: 'On probation', tone: 'warn' };
  if (server.status === 'busy') return { label: 'Busy', tone: 'busy' };
  if (server.status === 'online') return { label: 'Online', tone: 'ok' };
  return { label: 'Not checked', tone: 'warn' };
}

/** The workflow's name for a row (`SD 1.5 text to image`), or its id when the list does not have it. */
export function workflowLabel(workflowId: string, workflows: ReadonlyArray<{ id: string; name: string }> | undefined): string {
  return workflows?.find((w) => w.id === workflowId)?.name ?? workflowId;
}

/** Execution providers as people name them (`cuda` -> CUDA). */
const PROVIDER_NAMES: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', tensorrt: 'TensorRT', dml: 'DirectML', directml: 'DirectML', coreml: 'CoreML', webgpu: 'WebGPU', cache: 'reused (cache)' };

/**
 * Where a job ran, for the Queue view's server column: the server's name for a ComfyUI job ("removed server" when
 * it was removed since), "This machine · CPU" for a local enhancement (the provider once it ran), "–" before dispatch.
 */
export function jobWhereLabel(job: { kind: string; serverId: string | null; provider?: string | null }, serverNames: ReadonlyMap<string, string>): string {
  if (job.kind === 'enhance') {
    const p = job.provider ? PROVIDER_NAMES[job.provider] ?? job.provider : null;
    return p ? `This machine · ${p}` : 'This machine';
  }
  if (!job.serverId) return '–';
  return serverNames.get(job.serverId) ?? 'removed server';
}

/** The second line under the workflow: the seed of a generation; nothing for jobs without one (enhancement). */
export function jobDetailLabel(job: { kind: string; seed: number }): string | null {
  return job.kind === 'comfy' ? `seed ${job.seed}` : null;
}
