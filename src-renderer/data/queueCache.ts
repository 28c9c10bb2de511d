/**
 * Pure edits of the cached job and server lists (react-query data of data/queue.ts): an event or a call's
 * answer replaces the record with the same id, or adds it. The lists stay unsorted in the cache; views sort
 * (views/queue/queueModel.ts). No DOM, no React.
 *
 * Updates apply in arrival order: the core answers a call after the events the call caused, and over one
 * socket (or IPC channel) they arrive in that order, so the last one in is the newest.
 *
 * Also the queue's order: waiting jobs in dispatch order as the core's queue/README.md ("Dispatch") gives it
 * (priority, critical first; then the artist's order key, a fractional index compared as plain strings,
 * https://github.com/rocicorp/fractional-indexing; then age), and the optimistic result of `queue.move`.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import type { Job, JobPriority, ServerStatus } from '../../src-preload/contract';

/**
 * The list with each of `updates` replacing the record of the same id (or appended when new). Returns the same
 * array when nothing changed, so react-query's subscribers do not re-render for a repeated event.
 * `undefined` (the list is not loaded yet) stays undefined: the fetch brings the current state.
 */
export function upsertById<T extends { id: string }>(list: readonly T[] | undefined, updates: readonly T[]): T[] | undefined {
  if (!list) return undefined;
  if (updates.length === 0) return list as T[];
  const byId = new Map(updates.map((u) => [u.id, u]));
  let changed = false;
  const out = list.map((item) => {
    const u = byId.get(item.id);
    if (!u) return item;
    byId.delete(item.id);
    if (u !== item) changed = true;
    return u;
  });
  if (byId.size > 0) {
    changed = true;
    out.push(...byId.values());
  }
  return changed ? out : (list as T[]);
}

/** The list without the record of `id` (the same array when it was not there). */
export function removeById<T extends { id: string }>(list: readonly T[] | undefined, id: string): T[] | undefined {
  if (!list) return undefined;
  const out = list.filter((x) => x.id !== id);
  return out.length === list.length ? (list as T[]) : out;
}

/** Job updates of one project only (events carry every open project's jobs). */
export function jobsOfProject(jobs: readonly Job[], projectId: string): Job[] {
  return jobs.filter((j) => j.projectId === projectId);
}

/** The server list with one server's new status. */
export function upsertServer(list: readonly ServerStatus[] | undefined, server: ServerStatus): ServerStatus[] | undefined {
  return upsertById(list, [server]);
}

/** Priorities, most urgent first (the contract's JobPriority order). */
export const PRIORITIES: readonly JobPriority[] = ['critical', 'high', 'normal', 'low'];

/** Plain code-unit string order (fractional-indexing keys and ISO times sort this way; localeCompare does not). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Dispatch order of waiting jobs: priority, then the artist's order key, then age (as the core orders them). */
export function compareWaiting(a: Job, b: Job): number {
  return PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) || compareCodeUnits(a.orderKey, b.orderKey) || compareCodeUnits(a.createdAt, b.createdAt);
}

/**
 * The waiting jobs after moving `movingIds` (kept in their current order) before `beforeJobId`, taking its
 * priority, or to the end when it is null (keeping theirs): the same keys the core writes for `queue.move`
 * (QueueService.move), so the optimistic order matches the one the events then confirm.
 * Returns the changed jobs only (priority and order key), or an empty list when the move makes no sense
 * (a job not waiting, the target among the moved, the target not waiting).
 */
export function planMove(jobs: readonly Job[], movingIds: readonly string[], beforeJobId: string | null): Job[] {
  const moving = new Set(movingIds);
  const waiting = jobs.filter((j) => j.state === 'queued').sort(compareWaiting);
  const moved = waiting.filter((j) => moving.has(j.id));
  if (moved.length !== moving.size || moved.length === 0) return [];
  if (beforeJobId === null) {
    const last = jobs.reduce<string | null>((max, j) => (max === null || j.orderKey > max ? j.orderKey : max), null);
    const keys = generateNKeysBetween(last, null, moved.length);
    return moved.map((j, i) => ({ ...j, orderKey: keys[i] }));
  }
  if (moving.has(beforeJobId)) return [];
  const rest = waiting.filter((j) => !moving.has(j.id));
  const index = rest.findIndex((j) => j.id === beforeJobId);
  if (index < 0) return [];
  const target = rest[index];
  const previous = rest[index - 1];
  const left = previous && previous.priority === target.priority ? previous.orderKey : null;
  const keys = generateNKeysBetween(left, target.orderKey, moved.length);
  return moved.map((j, i) => ({ ...j, priority: target.priority, orderKey: keys[i] }));
}

