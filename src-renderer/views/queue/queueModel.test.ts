import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-preload/contract';
import {
  describeCounts,
  formatBytes,
  formatDurationMs,
  formatProgress,
  formatTimings,
  groupJobs,
  moveTargetOf,
  queueCounts,
  serverStateLabel,
  stepPriority,
  vramOf,
} from './queueModel';
import { compareWaiting } from '../../data/queueCache';

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

describe('groupJobs', () => {
  it('groups by state in the view order and leaves empty groups out', () => {
    const jobs = [
      job({ id: 'done', state: 'succeeded', finishedAt: '2025-01-01T00:01:00Z' }),
      job({ id: 'q', state: 'queued' }),
      job({ id: 'run', state: 'running', dispatchedAt: '2025-01-01T00:00:01Z' }),
      job({ id: 'disp', state: 'dispatched', dispatchedAt: '2025-01-01T00:00:02Z' }),
      job({ id: 'bad', state: 'failed', finishedAt: '2025-01-01T00:02:00Z' }),
    ];
    const groups = groupJobs(jobs);
    expect(groups.map((g) => g.id)).toEqual(['running', 'waiting', 'queued', 'failed', 'succeeded']);
    expect(groups.map((g) => g.jobs.map((j) => j.id))).toEqual([['run'], ['disp'], ['q'], ['bad'], ['done']]);
    expect(groups.find((g) => g.id === 'succeeded')?.collapsedByDefault).toBe(true);
    expect(groups.find((g) => g.id === 'failed')?.collapsedByDefault).toBe(false);
  });

  it('sorts queued jobs by priority, then order key (plain string order), then age', () => {
    const jobs = [
      job({ id: 'low', priority: 'low', orderKey: 'a0' }),
      job({ id: 'n2', priority: 'normal', orderKey: 'a1' }),
      job({ id: 'n1', priority: 'normal', orderKey: 'a0V' }),
      job({ id: 'crit', priority: 'critical', orderKey: 'a5' }),
      job({ id: 'n1old', priority: 'normal', orderKey: 'a0V', createdAt: '2024-12-31T00:00:00Z' }),
    ];
    expect(groupJobs(jobs)[0].jobs.map((j) => j.id)).toEqual(['crit', 'n1old', 'n1', 'n2', 'low']);
    // 'Zz' < 'a0' in code-unit order (fractional-indexing's order), although localeCompare says otherwise
    expect(compareWaiting(job({ orderKey: 'Zz' }), job({ orderKey: 'a0' }))).toBeLessThan(0);
  });

  it('lists jobs on a server by dispatch time and finished ones newest first', () => {
    const groups = groupJobs([
      job({ id: 'r2', state: 'running', dispatchedAt: '2025-01-01T00:00:05Z' }),
      job({ id: 'r1', state: 'running', dispatchedAt: '2025-01-01T00:00:01Z' }),
      job({ id: 'old', state: 'succeeded', finishedAt: '2025-01-01T00:00:10Z' }),
      job({ id: 'new', state: 'succeeded', finishedAt: '2025-01-01T00:00:20Z' }),
    ]);
    expect(groups[0].jobs.map((j) => j.id)).toEqual(['r1', 'r2']);
    expect(groups[1].jobs.map((j) => j.id)).toEqual(['new', 'old']);
  });
});

describe('queueCounts and describeCounts', () => {
  it('counts what the badge shows', () => {
    const c = queueCounts([
      job({ state: 'running' }),
      job({ state: 'dispatched' }),
      job({ state: 'queued' }),
      job({ state: 'queued' }),
      job({ state: 'failed' }),
      job({ state: 'succeeded' }),
      job({ state: 'cancelled' }),
    ]);
    expect(c).toEqual({ running: 1, onServer: 1, queued: 2, failed: 1, succeeded: 1, active: 4 });
    expect(describeCounts(c)).toBe('1 running, 3 waiting, 1 failed');
    expect(describeCounts(queueCounts([]))).toBe('Nothing queued');
  });
});

describe('stepPriority', () => {
  it('moves one step and stops at the ends', () => {
    expect(stepPriority('normal', -1)).toBe('high');
    expect(stepPriority('normal', 1)).toBe('low');
    expect(stepPriority('critical', -1)).toBeNull();
    expect(stepPriority('low', 1)).toBeNull();
  });
});

describe('moveTargetOf', () => {
  const order = ['a', 'b', 'c', 'd'];
  it('drops before the hovered job upwards and after it downwards', () => {
    expect(moveTargetOf(order, 'c', 'a')).toBe('a');
    expect(moveTargetOf(order, 'a', 'b')).toBe('c');
    expect(moveTargetOf(order, 'a', 'd')).toBeNull();
    expect(moveTargetOf(order, 'b', 'b')).toBeUndefined();
    expect(moveTargetOf(order, 'x', 'b')).toBeUndefined();
  });
});

describe('formatProgress', () => {
  it('shows steps, percent and the time left from the pace so far', () => {
    expect(formatProgress({ value: 7, max: 20 }, 7000)).toEqual({ fraction: 0.35, label: '7 / 20 · 35%', remaining: '~13 s left' });
  });
  it('says Starting… before any step and clamps values beyond the ends', () => {
    expect(formatProgress(undefined)).toEqual({ fraction: null, label: 'Starting…', remaining: null });
    expect(formatProgress({ value: 0, max: 0 })).toEqual({ fraction: null, label: 'Starting…', remaining: null });
    expect(formatProgress({ value: 25, max: 20 }, 1000)).toEqual({ fraction: 1, label: '20 / 20 · 100%', remaining: null });
    expect(formatProgress({ value: 0, max: 20 }, 1000).remaining).toBeNull();
  });
});

describe('durations, timings and bytes', () => {
  it('formats durations at a readable precision', () => {
    expect(formatDurationMs(850)).toBe('850 ms');
    expect(formatDurationMs(12_400)).toBe('12 s');
    expect(formatDurationMs(185_000)).toBe('3:05');
    expect(formatDurationMs(3_723_000)).toBe('1:02:03');
    expect(formatDurationMs(-1)).toBe('–');
  });

  it('tells how long a job waited and ran', () => {
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    expect(formatTimings(job({ state: 'queued' }), t0 + 12_000)).toBe('queued 12 s');
    expect(formatTimings(job({ state: 'running', dispatchedAt: '2025-01-01T00:00:02Z', startedAt: '2025-01-01T00:00:03Z' }), t0 + 44_000)).toBe('running 41 s');
    expect(
      formatTimings(job({ state: 'succeeded', dispatchedAt: '2025-01-01T00:00:02Z', startedAt: '2025-01-01T00:00:03Z', finishedAt: '2025-01-01T00:00:15Z' }), t0),
    ).toBe('waited 3 s · ran 12 s');
    expect(formatTimings(job({ state: 'cancelled', finishedAt: '2025-01-01T00:00:04Z' }), t0)).toBe('waited 4 s');
  });

  it('formats VRAM in binary units and knows when it is unknown', () => {
    expect(formatBytes(24 * 1024 ** 3)).toBe('24 GB');
    expect(formatBytes(5.5 * 1024 ** 3)).toBe('5.5 GB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MB');
    expect(formatBytes(null)).toBe('–');
    expect(vramOf({ vramTotalBytes: 8e9, vramFreeBytes: 6e9 })).toEqual({ usedBytes: 2e9, totalBytes: 8e9, fraction: 0.25 });
    expect(vramOf({ vramTotalBytes: null, vramFreeBytes: 1 })).toBeNull();
  });
});

describe('serverStateLabel', () => {
  it('puts disabled and an open breaker before the reachability', () => {
    expect(serverStateLabel({ status: 'disabled', breaker: 'open' }).label).toBe('Disabled');
    expect(serverStateLabel({ status: 'online', breaker: 'open' })).toEqual({ label: 'Set aside', tone: 'bad' });
    expect(serverStateLabel({ status: 'busy', breaker: 'closed' })).toEqual({ label: 'Busy', tone: 'busy' });
    expect(serverStateLabel({ status: 'unknown', breaker: 'closed' }).label).toBe('Not checked');
  });
});

describe('where a job ran', () => {
  it('names the server of a generation and the provider of a local enhancement, and hides the seed of the latter', async () => {
    const { jobWhereLabel, jobDetailLabel } = await import('./queueModel');
    const names = new Map([['srv1', 'Studio GPU']]);
    expect(jobWhereLabel({ kind: 'comfy', serverId: 'srv1' }, names)).toBe('Studio GPU');
    expect(jobWhereLabel({ kind: 'comfy', serverId: 'gone' }, names)).toBe('removed server');
    expect(jobWhereLabel({ kind: 'enhance', serverId: 'local:enhance', provider: 'cpu' }, names)).toBe('This machine · CPU');
    expect(jobWhereLabel({ kind: 'enhance', serverId: 'local:enhance', provider: 'cache' }, names)).toBe('This machine · reused (cache)');
    expect(jobWhereLabel({ kind: 'enhance', serverId: null }, names)).toBe('This machine');
    expect(jobDetailLabel({ kind: 'comfy', seed: 1001 })).toBe('seed 1001');
    expect(jobDetailLabel({ kind: 'enhance', seed: 0 })).toBeNull();
  });
});
