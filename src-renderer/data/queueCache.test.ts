import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src-preload/contract';
import { compareWaiting, jobsOfProject, planMove, removeById, upsertById, upsertServer } from './queueCache';

describe('upsertById', () => {
  const a = { id: 'a', v: 1 };
  const b = { id: 'b', v: 1 };

  it('replaces records by id in place and appends new ones', () => {
    const list = [a, b];
    const b2 = { id: 'b', v: 2 };
    const c = { id: 'c', v: 1 };
    expect(upsertById(list, [b2, c])).toEqual([a, b2, c]);
    expect(list).toEqual([a, b]); // the cached array is not mutated
  });

  it('returns the same array when nothing changed, and leaves an unloaded list unloaded', () => {
    const list = [a, b];
    expect(upsertById(list, [b])).toBe(list);
    expect(upsertById(list, [])).toBe(list);
    expect(upsertById(undefined, [a])).toBeUndefined();
  });
});

describe('removeById', () => {
  it('drops the record, or returns the same list when it was not there', () => {
    const list = [{ id: 'a' }, { id: 'b' }];
    expect(removeById(list, 'a')).toEqual([{ id: 'b' }]);
    expect(removeById(list, 'x')).toBe(list);
    expect(removeById(undefined, 'a')).toBeUndefined();
  });
});

describe('jobsOfProject and upsertServer', () => {
  it('keeps one project\'s jobs and swaps a server\'s status', () => {
    const jobs = [{ projectId: 'p1', id: '1' }, { projectId: 'p2', id: '2' }] as never[];
    expect(jobsOfProject(jobs, 'p2')).toEqual([{ projectId: 'p2', id: '2' }]);
    const s1 = { id: 's1', status: 'online' } as never;
    const s1b = { id: 's1', status: 'busy' } as never;
    expect(upsertServer([s1], s1b)).toEqual([s1b]);
  });
});

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
    seed: 1,
    priority: 'normal',
    orderKey: 'a0',
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

describe('planMove', () => {
  const a = job({ id: 'A', orderKey: 'a0' });
  const b = job({ id: 'B', orderKey: 'a1' });
  const c = job({ id: 'C', orderKey: 'a2' });
  const h = job({ id: 'H', orderKey: 'a3', priority: 'high' });
  const done = job({ id: 'D', orderKey: 'a9', state: 'succeeded' });
  const all = [a, b, c, h, done];
  const order = (jobs: Job[]) => jobs.filter((j) => j.state === 'queued').sort(compareWaiting).map((j) => j.id);
  const apply = (changes: Job[]) => all.map((j) => changes.find((x) => x.id === j.id) ?? j);

  it('puts a job before another, between it and its predecessor of the same priority', () => {
    const changed = planMove(all, ['C'], 'B');
    expect(changed).toHaveLength(1);
    expect(changed[0].orderKey > 'a0' && changed[0].orderKey < 'a1').toBe(true);
    expect(order(apply(changed))).toEqual(['H', 'A', 'C', 'B']);
  });

  it('takes the priority of the job it is put before', () => {
    const changed = planMove(all, ['B'], 'H');
    expect(changed[0].priority).toBe('high');
    expect(changed[0].orderKey < 'a3').toBe(true);
    expect(order(apply(changed))).toEqual(['B', 'H', 'A', 'C']);
  });

  it('moves to the end after every key of the project (finished jobs included), keeping the priority', () => {
    const changed = planMove(all, ['A'], null);
    expect(changed[0].priority).toBe('normal');
    expect(changed[0].orderKey).toBe(generateKeyBetween('a9', null));
    expect(order(apply(changed))).toEqual(['H', 'B', 'C', 'A']);
  });

  it('refuses moves that make no sense', () => {
    expect(planMove(all, ['D'], 'A')).toEqual([]);
    expect(planMove(all, ['A'], 'A')).toEqual([]);
    expect(planMove(all, ['A'], 'D')).toEqual([]);
    expect(planMove(all, [], null)).toEqual([]);
  });
});

