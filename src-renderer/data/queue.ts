/**
 * Generation data through react-query, kept live by the core's events (no polling):
 * `['jobs', projectId]` holds `queue.list`, `['servers']` holds `servers.list`, `['workflows']` and `['presets']`
 * the choices of the Generate dialog. `job.updated` and `server.updated` replace one record in the cache;
 * `job.progress` goes to a small zustand store ({@link useJobProgress}) so a sampling step re-renders only the
 * row that shows it, never refetches. A reconnected socket refetches (events were missed).
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { Job, JobPriority, MethodArgs, ServerStatus } from '../../src-preload/contract';
import { useBridge, type Bridge } from '../bridge';
import { toastError } from './project';
import { jobsOfProject, planMove, removeById, upsertById, upsertServer } from './queueCache';

/** The react-query key of a project's jobs. */
export const jobsKey = (projectId: string) => ['jobs', projectId] as const;
/** The react-query key of the server pool (shared by every project). */
export const SERVERS_KEY = ['servers'] as const;
/** The react-query key of the workflows generation can use. */
export const WORKFLOWS_KEY = ['workflows'] as const;
/** The react-query key of the model presets. */
export const PRESETS_KEY = ['presets'] as const;

/** A project's jobs (`queue.list`), kept current by {@link useQueueEvents}. */
export function useJobs(projectId: string) {
  const bridge = useBridge();
  return useQuery({ queryKey: jobsKey(projectId), queryFn: () => bridge.call('queue.list', { projectId }), staleTime: Infinity });
}

/** The ComfyUI servers of the pool (`servers.list`), kept current by `server.updated`. */
export function useServers() {
  const bridge = useBridge();
  return useQuery({ queryKey: SERVERS_KEY, queryFn: () => bridge.call('servers.list', {}), staleTime: Infinity });
}

/** The workflows generation can use (`workflows.list`). */
export function useWorkflows() {
  const bridge = useBridge();
  return useQuery({ queryKey: WORKFLOWS_KEY, queryFn: () => bridge.call('workflows.list', {}), staleTime: Infinity });
}

/** The model presets (`presets.list`). */
export function usePresets() {
  const bridge = useBridge();
  return useQuery({ queryKey: PRESETS_KEY, queryFn: () => bridge.call('presets.list', {}), staleTime: Infinity });
}

/** The latest sampling progress of a running job (`job.progress`). */
export interface JobProgress {
  value: number;
  max: number;
  /** The project-relative path of the latest preview frame, or null before the first. */
  previewPath: string | null;
  /** Counts preview frames, to reload the picture (its path stays the same while its content changes). */
  previewVersion: number;
  /** When the event arrived (ms since the epoch): the pace so far is `value` steps by then. */
  reportedAtMs: number;
}

interface ProgressState {
  byJob: Readonly<Record<string, JobProgress>>;
  report(jobId: string, value: number, max: number, previewPath: string | undefined, atMs?: number): void;
  clear(jobId: string): void;
}

/**
 * Progress of running jobs by job id (zustand): rows select their own job's entry. Entries go when the job
 * leaves `running` (its preview file is removed by the core then).
 */
export const useProgressStore = create<ProgressState>((set) => ({
  byJob: {},
  report: (jobId, value, max, previewPath, atMs = Date.now()) =>
    set((s) => {
      const prev = s.byJob[jobId];
      const next: JobProgress = {
        value,
        max,
        previewPath: previewPath ?? prev?.previewPath ?? null,
        previewVersion: (prev?.previewVersion ?? 0) + (previewPath ? 1 : 0),
        reportedAtMs: atMs,
      };
      return { byJob: { ...s.byJob, [jobId]: next } };
    }),
  clear: (jobId) =>
    set((s) => {
      if (!(jobId in s.byJob)) return s;
      const { [jobId]: _gone, ...rest } = s.byJob;
      void _gone;
      return { byJob: rest };
    }),
}));

/** The progress of one job, or undefined before its first step. */
export function useJobProgress(jobId: string): JobProgress | undefined {
  return useProgressStore((s) => s.byJob[jobId]);
}

/**
 * Follows the queue's events for one project and the pool's for every server: `job.updated` replaces the job in
 * `['jobs', projectId]` (and drops its progress once it is no longer running), `job.progress` goes to the
 * progress store, `server.updated` replaces the server in `['servers']`; a reconnected socket refetches both.
 * Returns the function that stops following.
 */
export function followQueueEvents(bridge: Bridge, qc: QueryClient, projectId: string): () => void {
  let wasClosed = false;
  const progress = useProgressStore.getState();
  const offs = [
    bridge.on('job.updated', (p) => {
      if (p.projectId !== projectId) return;
      qc.setQueryData<Job[]>(jobsKey(projectId), (list) => upsertById(list, [p.job]));
      if (p.job.state !== 'running') progress.clear(p.job.id);
    }),
    bridge.on('job.progress', (p) => {
      if (p.projectId === projectId) progress.report(p.jobId, p.value, p.max, p.previewUrl);
    }),
    bridge.on('server.updated', (s) => {
      qc.setQueryData<ServerStatus[]>(SERVERS_KEY, (list) => upsertServer(list, s));
    }),
    bridge.onConnectionChange((state) => {
      if (state === 'closed') wasClosed = true;
      if (state === 'open' && wasClosed) {
        wasClosed = false;
        void qc.invalidateQueries({ queryKey: jobsKey(projectId) });
        void qc.invalidateQueries({ queryKey: SERVERS_KEY });
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** {@link followQueueEvents} for as long as the component is mounted (views/queue/ProjectWorkspace.tsx mounts it once per open project). */
export function useQueueEvents(projectId: string): void {
  const bridge = useBridge();
  const qc = useQueryClient();
  useEffect(() => followQueueEvents(bridge, qc, projectId), [bridge, qc, projectId]);
}

/** The arguments of `queue.enqueue` less the project. */
export type EnqueueRequest = Omit<MethodArgs<'queue.enqueue'>, 'projectId'>;

/** What the Queue view and the Generate dialog do to a project's queue. Failures show a toast and refetch. */
export interface QueueActions {
  /** Queues takes; resolves with the new jobs, rejects with the core's error (the dialog shows it inline). */
  enqueue(request: EnqueueRequest): Promise<Job[]>;
  cancel(jobIds: string[]): Promise<void>;
  retry(jobIds: string[]): Promise<void>;
  setPriority(jobIds: string[], priority: JobPriority): Promise<void>;
  /** Puts waiting jobs before another waiting job (taking its priority), or at the end; applied at once. */
  move(jobIds: string[], beforeJobId: string | null): Promise<void>;
}

/** The queue actions of one project over a bridge and a query client (useQueueActions memoizes it). */
export function createQueueActions(bridge: Bridge, qc: QueryClient, projectId: string): QueueActions {
  const key = jobsKey(projectId);
  const store = (jobs: Job[]) => qc.setQueryData<Job[]>(key, (list) => upsertById(list, jobsOfProject(jobs, projectId)));
  const fail = async (err: unknown, what: string) => {
    toastError(err, what);
    await qc.invalidateQueries({ queryKey: key }).catch(() => undefined);
  };
  const jobs = (n: number) => (n === 1 ? 'the job' : `${n} jobs`);
  return {
    async enqueue(request) {
      const { jobs: created } = await bridge.call('queue.enqueue', { projectId, ...request });
      store(created);
      return created;
    },
    async cancel(jobIds) {
      if (jobIds.length === 0) return;
      try {
        store(await bridge.call('queue.cancel', { projectId, jobIds }));
      } catch (err) {
        await fail(err, `Could not cancel ${jobs(jobIds.length)}`);
      }
    },
    async retry(jobIds) {
      if (jobIds.length === 0) return;
      try {
        store(await bridge.call('queue.retry', { projectId, jobIds }));
      } catch (err) {
        await fail(err, `Could not retry ${jobs(jobIds.length)}`);
      }
    },
    async setPriority(jobIds, priority) {
      if (jobIds.length === 0) return;
      const ids = new Set(jobIds);
      qc.setQueryData<Job[]>(key, (list) => list?.map((j) => (ids.has(j.id) && j.state === 'queued' ? { ...j, priority } : j)));
      try {
        store(await bridge.call('queue.setPriority', { projectId, jobIds, priority }));
      } catch (err) {
        await fail(err, `Could not change the priority of ${jobs(jobIds.length)}`);
      }
    },
    async move(jobIds, beforeJobId) {
      if (jobIds.length === 0) return;
      const changed = planMove(qc.getQueryData<Job[]>(key) ?? [], jobIds, beforeJobId);
      if (changed.length > 0) qc.setQueryData<Job[]>(key, (list) => upsertById(list, changed));
      try {
        await bridge.call('queue.move', { projectId, jobIds, beforeJobId });
      } catch (err) {
        await fail(err, `Could not move ${jobs(jobIds.length)}`);
      }
    },
  };
}

/** The queue actions of one project, stable across renders. */
export function useQueueActions(projectId: string): QueueActions {
  const bridge = useBridge();
  const qc = useQueryClient();
  return useMemo(() => createQueueActions(bridge, qc, projectId), [bridge, qc, projectId]);
}

/** What the Servers view does to the pool. Each resolves with the server's new status, or null after a toast. */
export interface ServerActions {
  /** Adds a server and checks it; rejects with the core's error (the form shows it inline). */
  add(args: MethodArgs<'servers.add'>): Promise<ServerStatus>;
  check(serverId: string): Promise<ServerStatus | null>;
  setEnabled(serverId: string, enabled: boolean): Promise<ServerStatus | null>;
  remove(serverId: string): Promise<boolean>;
}

/** The pool's actions over a bridge and a query client (useServerActions memoizes it). */
export function createServerActions(bridge: Bridge, qc: QueryClient): ServerActions {
  const store = (s: ServerStatus) => {
    qc.setQueryData<ServerStatus[]>(SERVERS_KEY, (list) => upsertServer(list, s) ?? [s]);
    return s;
  };
  const fail = (err: unknown, what: string) => {
    toastError(err, what);
    void qc.invalidateQueries({ queryKey: SERVERS_KEY });
    return null;
  };
  const nameOf = (serverId: string) => qc.getQueryData<ServerStatus[]>(SERVERS_KEY)?.find((s) => s.id === serverId)?.name ?? 'the server';
  return {
    async add(args) {
      return store(await bridge.call('servers.add', args));
    },
    async check(serverId) {
      try {
        return store(await bridge.call('servers.check', { serverId }));
      } catch (err) {
        return fail(err, `Could not check ${nameOf(serverId)}`);
      }
    },
    async setEnabled(serverId, enabled) {
      try {
        return store(await bridge.call('servers.update', { serverId, patch: { enabled } }));
      } catch (err) {
        return fail(err, `Could not ${enabled ? 'enable' : 'disable'} ${nameOf(serverId)}`);
      }
    },
    async remove(serverId) {
      const name = nameOf(serverId);
      try {
        await bridge.call('servers.remove', { serverId });
        qc.setQueryData<ServerStatus[]>(SERVERS_KEY, (list) => removeById(list, serverId));
        return true;
      } catch (err) {
        fail(err, `Could not remove ${name}`);
        return false;
      }
    },
  };
}

/** The pool's actions, stable across renders. */
export function useServerActions(): ServerActions {
  const bridge = useBridge();
  const qc = useQueryClient();
  return useMemo(() => createServerActions(bridge, qc), [bridge, qc]);
}
