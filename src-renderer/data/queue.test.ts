import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractCallError, type EventName, type Job, type MethodName, type ServerStatus } from '../../src-preload/contract';
import type { Bridge } from '../bridge';
import { useUi } from '../state/ui';
import { SERVERS_KEY, createQueueActions, createServerActions, followQueueEvents, jobsKey, useProgressStore } from './queue';

let n = 0;
function job(over: Partial<Job>): Job {
  n += 1;
  return {
    id: `job${n}`,
    projectId: 'p',
    kind: 'comfy',
    shotId: 's1',
    shotNumber: '1A',
    batchId: 'b',
    workflowId: 'sd15_txt2img',
    workflowHash: 'h',
    prompt: 'a man',
    seed: n,
    priority: 'normal',
    orderKey: `a${n}`,
    state: 'queued',
    serverId: null,
    promptId: null,
    attempts: 0,
    error: null,
    takeIds: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    dispatchedAt: null,
    startedAt: null,
    finishedAt: null,
    ...over,
  };
}

/**
 * A bridge whose calls the test answers (`answer`), recording what was sent, and whose events and connection
 * changes the test sends (`emit`, `connection`).
 */
function testBridge(answer: (method: MethodName, args: Record<string, unknown>) => unknown = () => ({ ok: true })) {
  const calls: Array<{ method: MethodName; args: Record<string, unknown> }> = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const connection = new Set<(s: 'connecting' | 'open' | 'closed') => void>();
  const bridge = {
    shell: 'web',
    call: async (method: MethodName, args: Record<string, unknown>) => {
      calls.push({ method, args });
      return answer(method, args);
    },
    on: (event: string, l: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(l);
      listeners.set(event, set);
      return () => set.delete(l);
    },
    mediaUrl: () => '',
    pathForFile: () => null,
    onConnectionChange: (l: (s: 'connecting' | 'open' | 'closed') => void) => {
      connection.add(l);
      return () => connection.delete(l);
    },
  } as unknown as Bridge;
  return {
    bridge,
    calls,
    emit: (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    connection: (s: 'connecting' | 'open' | 'closed') => connection.forEach((l) => l(s)),
    listenerCount: () => [...listeners.values()].reduce((k, s) => k + s.size, 0) + connection.size,
  };
}

const server = (over: Partial<ServerStatus>): ServerStatus => ({
  id: 'srv1',
  name: 'gpu-1',
  url: 'http://127.0.0.1:8188',
  headerNames: [],
  enabled: true,
  status: 'online',
  breaker: 'closed',
  queueLength: 0,
  inFlight: 0,
  vramTotalBytes: null,
  vramFreeBytes: null,
  comfyuiVersion: null,
  protocol: null,
  checkpoints: [],
  loras: [],
  nodeTypeCount: 0,
  msPerStep: null,
  lastError: null,
  checkedAt: null,
  ...over,
});

afterEach(() => {
  useProgressStore.setState({ byJob: {} });
  useUi.setState({ toasts: [] });
});

describe('followQueueEvents', () => {
  it('replaces a job in the cache on job.updated, ignoring other projects', () => {
    const t = testBridge();
    const qc = new QueryClient();
    const a = job({});
    qc.setQueryData(jobsKey('p'), [a]);
    const stop = followQueueEvents(t.bridge, qc, 'p');
    t.emit('job.updated', { projectId: 'p', job: { ...a, state: 'running' } });
    t.emit('job.updated', { projectId: 'other', job: job({ projectId: 'other' }) });
    expect(qc.getQueryData<Job[]>(jobsKey('p'))?.map((j) => [j.id, j.state])).toEqual([[a.id, 'running']]);
    stop();
    expect(t.listenerCount()).toBe(0);
  });

  it('keeps progress per job, counts preview frames, and drops it when the job leaves running', () => {
    const t = testBridge();
    const qc = new QueryClient();
    const a = job({ state: 'running' });
    qc.setQueryData(jobsKey('p'), [a]);
    followQueueEvents(t.bridge, qc, 'p');
    t.emit('job.progress', { projectId: 'p', jobId: a.id, value: 3, max: 20 });
    t.emit('job.progress', { projectId: 'p', jobId: a.id, value: 5, max: 20, previewUrl: `media/previews/${a.id}.jpg` });
    t.emit('job.progress', { projectId: 'p', jobId: a.id, value: 6, max: 20 });
    expect(useProgressStore.getState().byJob[a.id]).toMatchObject({ value: 6, max: 20, previewPath: `media/previews/${a.id}.jpg`, previewVersion: 1 });
    t.emit('job.updated', { projectId: 'p', job: { ...a, state: 'succeeded' } });
    expect(useProgressStore.getState().byJob[a.id]).toBeUndefined();
  });

  it('replaces a server on server.updated and refetches after the socket came back', async () => {
    const t = testBridge((method) => (method === 'queue.list' ? [job({ id: 'fresh' })] : [server({ status: 'offline' })]));
    const qc = new QueryClient();
    qc.setQueryData(SERVERS_KEY, [server({})]);
    followQueueEvents(t.bridge, qc, 'p');
    t.emit('server.updated', server({ status: 'busy', inFlight: 2 }));
    expect(qc.getQueryData<ServerStatus[]>(SERVERS_KEY)?.map((s) => [s.status, s.inFlight])).toEqual([['busy', 2]]);

    // a query with an observer refetches when invalidated
    const unsubscribe = qc.getQueryCache().subscribe(() => undefined);
    await qc.fetchQuery({ queryKey: jobsKey('p'), queryFn: () => t.bridge.call('queue.list', { projectId: 'p' }) });
    t.calls.length = 0;
    t.connection('open'); // the first open is not a reconnection
    expect(t.calls).toEqual([]);
    t.connection('closed');
    t.connection('open');
    await new Promise((r) => setTimeout(r, 0));
    unsubscribe();
    expect(qc.getQueryState(jobsKey('p'))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(SERVERS_KEY)?.isInvalidated).toBe(true);
  });
});

describe('createQueueActions', () => {
  it('stores the jobs enqueue answers, for this project only', async () => {
    const created = [job({}), job({})];
    const t = testBridge(() => ({ batchId: 'b', jobs: created }));
    const qc = new QueryClient();
    qc.setQueryData(jobsKey('p'), []);
    const jobs = await createQueueActions(t.bridge, qc, 'p').enqueue({ target: 'shot', shotIds: ['s1'], takes: 2 });
    expect(jobs).toEqual(created);
    expect(t.calls).toEqual([{ method: 'queue.enqueue', args: { projectId: 'p', target: 'shot', shotIds: ['s1'], takes: 2 } }]);
    expect(qc.getQueryData<Job[]>(jobsKey('p'))?.map((j) => j.id)).toEqual(created.map((j) => j.id));
  });

  it('reorders at once on move, with the keys the core will write', async () => {
    const [a, b, c] = [job({ orderKey: 'a0' }), job({ orderKey: 'a1' }), job({ orderKey: 'a2' })];
    const t = testBridge();
    const qc = new QueryClient();
    qc.setQueryData(jobsKey('p'), [a, b, c]);
    const moving = createQueueActions(t.bridge, qc, 'p').move([c.id], b.id);
    const moved = qc.getQueryData<Job[]>(jobsKey('p'))!.find((j) => j.id === c.id)!;
    expect(moved.orderKey > 'a0' && moved.orderKey < 'a1').toBe(true);
    await moving;
    expect(t.calls).toEqual([{ method: 'queue.move', args: { projectId: 'p', jobIds: [c.id], beforeJobId: b.id } }]);
  });

  it('changes the priority at once, and on a refusal says why and refetches', async () => {
    const a = job({});
    const t = testBridge((method) => {
      if (method === 'queue.setPriority') throw new ContractCallError('not_waiting', 'None of these jobs is waiting in the queue.', 'Only waiting jobs can change priority.');
      return [a];
    });
    const qc = new QueryClient();
    qc.setQueryData(jobsKey('p'), [a]);
    const unsubscribe = qc.getQueryCache().subscribe(() => undefined);
    const pending = createQueueActions(t.bridge, qc, 'p').setPriority([a.id], 'critical');
    expect(qc.getQueryData<Job[]>(jobsKey('p'))?.[0].priority).toBe('critical');
    await pending;
    unsubscribe();
    expect(useUi.getState().toasts.map((x) => [x.kind, x.message, x.hint])).toEqual([
      ['error', 'Could not change the priority of the job: None of these jobs is waiting in the queue.', 'Only waiting jobs can change priority.'],
    ]);
    expect(qc.getQueryState(jobsKey('p'))?.isInvalidated).toBe(true);
  });
});

describe('createServerActions', () => {
  it('adds, disables and removes servers in the cached list', async () => {
    const t = testBridge((method, args) => {
      if (method === 'servers.add') return server({ id: 'new', url: String(args.url) });
      if (method === 'servers.update') return server({ id: 'new', enabled: false, status: 'disabled' });
      return { ok: true };
    });
    const qc = new QueryClient();
    qc.setQueryData(SERVERS_KEY, [server({})]);
    const actions = createServerActions(t.bridge, qc);
    await actions.add({ url: 'http://127.0.0.1:9000' });
    expect(qc.getQueryData<ServerStatus[]>(SERVERS_KEY)?.map((s) => s.id)).toEqual(['srv1', 'new']);
    await actions.setEnabled('new', false);
    expect(qc.getQueryData<ServerStatus[]>(SERVERS_KEY)?.find((s) => s.id === 'new')?.status).toBe('disabled');
    expect(await actions.remove('new')).toBe(true);
    expect(qc.getQueryData<ServerStatus[]>(SERVERS_KEY)?.map((s) => s.id)).toEqual(['srv1']);
    expect(t.calls.map((c) => c.method)).toEqual(['servers.add', 'servers.update', 'servers.remove']);
  });
});
