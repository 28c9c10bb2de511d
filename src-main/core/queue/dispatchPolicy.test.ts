import { describe, expect, it } from 'vitest';
import { earliestFinishPolicy, fixedQuotaPolicy, type DispatchPolicy, type PlanJob, type PlanServer } from './dispatchPolicy.ts';

function job(id: string, units = 1, options: Partial<Pick<PlanJob, 'checkpoint'>> & { only?: string[]; avoid?: string[] } = {}): PlanJob {
  return {
    id,
    units,
    checkpoint: options.checkpoint ?? null,
    eligible: (serverId) => !options.only || options.only.includes(serverId),
    avoid: new Set(options.avoid ?? []),
  };
}

function server(id: string, msPerUnit: number, freeSlots = 2, availableAtMs = 0, lastCheckpoint: string | null = null): PlanServer {
  return { id, msPerUnit, freeSlots, availableAtMs, lastCheckpoint };
}

/**
 * A discrete-event simulation of servers running what a policy sends them (two slots each, jobs run one at a
 * time in the order received), with the policy consulted whenever a slot frees. Returns the makespan and the
 * jobs each server ran.
 */
function simulate(policy: DispatchPolicy, speeds: number[], units: number[]): { makespanMs: number; idealMs: number; perServer: number[] } {
  const msPerUnit = speeds.map((s) => 100 / s);
  const queues: Array<Array<{ units: number; startMs: number | null }>> = speeds.map(() => []);
  const waiting = units.map((u, i) => job(`j${i}`, u));
  let now = 0;
  const perServer = speeds.map(() => 0);
  for (;;) {
    // Start the head of every idle server's queue.
    queues.forEach((q) => {
      if (q.length > 0 && q[0].startMs === null) q[0].startMs = now;
    });
    const plan = speeds.map((_, i) => {
      const q = queues[i];
      let busy = 0;
      q.forEach((entry) => (busy += entry.startMs === null ? entry.units * msPerUnit[i] : entry.startMs + entry.units * msPerUnit[i] - now));
      return server(`s${i}`, msPerUnit[i], 2 - q.length, now + busy);
    });
    for (const { job: j, server: s } of policy.assign(waiting, plan, now)) {
      const i = Number(s.id.slice(1));
      queues[i].push({ units: j.units, startMs: queues[i].length === 0 ? now : null });
      perServer[i] += 1;
      waiting.splice(waiting.indexOf(j), 1);
    }
    const ends = queues.map((q, i) => (q.length > 0 && q[0].startMs !== null ? q[0].startMs + q[0].units * msPerUnit[i] : Infinity));
    const next = Math.min(...ends);
    if (next === Infinity) break;
    now = next;
    queues.forEach((q, i) => {
      if (ends[i] === next) q.shift();
    });
  }
  const total = units.reduce((a, b) => a + b, 0) * 100;
  return { makespanMs: now, idealMs: total / speeds.reduce((a, b) => a + b, 0), perServer };
}

const UNITS = Array.from({ length: 200 }, (_, i) => [2, 3, 4, 3, 2, 4][i % 6]);

describe('earliestFinishPolicy', () => {
  it('keeps every GPU busy: 200 jobs over speeds 1, 1, 2, 4 finish within 2% of the ideal', () => {
    const result = simulate(earliestFinishPolicy(), [1, 1, 2, 4], UNITS);
    expect(result.makespanMs / result.idealMs).toBeLessThan(1.02);
    expect(result.perServer.reduce((a, b) => a + b, 0)).toBe(200);
    expect(result.perServer[3]).toBeGreaterThan(result.perServer[2]);
    expect(result.perServer[2]).toBeGreaterThan(result.perServer[0]);
  });

  it('does the same when the slow servers are listed first and the speeds differ more', () => {
    const result = simulate(earliestFinishPolicy(), [1, 8], UNITS.slice(0, 60));
    expect(result.makespanMs / result.idealMs).toBeLessThan(1.05);
  });

  it('does not give the last job to an idle slow server when a busy fast one finishes it sooner', () => {
    const policy = earliestFinishPolicy();
    const slow = server('slow', 400, 2, 0);
    const fast = server('fast', 100, 0, 150);
    expect(policy.assign([job('last', 1)], [slow, fast], 0)).toEqual([]);
    // With more work waiting, the slow server takes its share.
    const many = [job('a', 1), job('b', 1), job('c', 1), job('d', 1), job('e', 1)];
    const assigned = policy.assign(many, [slow, fast], 0).map((a) => `${a.job.id}@${a.server.id}`);
    expect(assigned).toEqual(['c@slow']); // a, b on fast (ends 250, 350); c ends at 400 on slow, 450 on fast
  });

  it('prefers a server that has the checkpoint loaded, and avoids a server the job failed on', () => {
    const policy = earliestFinishPolicy({ checkpointSwitchMs: 1_000 });
    const a = server('a', 100, 2, 0, 'sdxl.safetensors');
    const b = server('b', 100, 2, 0, 'flux.safetensors');
    expect(policy.assign([job('j', 1, { checkpoint: 'flux.safetensors' })], [a, b], 0).map((x) => x.server.id)).toEqual(['b']);
    expect(policy.assign([job('j', 1, { avoid: ['a'] })], [a, b], 0).map((x) => x.server.id)).toEqual(['b']);
    // Still on the failed server when it is the only one that can run the job.
    expect(policy.assign([job('j', 1, { avoid: ['a'], only: ['a'] })], [a, b], 0).map((x) => x.server.id)).toEqual(['a']);
  });

  it('respects capabilities and priority order, and fills at most the free slots', () => {
    const policy = earliestFinishPolicy();
    const a = server('a', 100, 1);
    const b = server('b', 100, 1);
    const assigned = policy.assign([job('first', 1, { only: ['b'] }), job('second', 1), job('third', 1)], [a, b], 0);
    expect(assigned.map((x) => `${x.job.id}@${x.server.id}`)).toEqual(['first@b', 'second@a']);
    expect(policy.assign([job('x', 1, { only: ['c'] })], [a, b], 0)).toEqual([]);
  });
});

describe('fixedQuotaPolicy', () => {
  it('splits the batch into equal shares, so the fast GPU idles (the flaw it stands for)', () => {
    const result = simulate(fixedQuotaPolicy(), [1, 1, 2, 4], UNITS);
    expect(result.perServer).toEqual([50, 50, 50, 50]);
    expect(result.makespanMs / result.idealMs).toBeGreaterThan(1.8);
  });
});
