/**
 * Which waiting job goes to which server, decided each time a server has a free slot (pull-based dispatch):
 * a server holds at most `slots` of our jobs (the running one and one waiting behind it), so it never idles
 * between two jobs, and nothing else is committed to it in advance.
 *
 * {@link earliestFinishPolicy} (the queue's policy) walks the waiting jobs in dispatch order (priority, the
 * artist's order, age) and plans each on the eligible server where it would finish first: that server's
 * current work (running + waiting, from its measured speed), plus the job's work at that speed, plus a
 * penalty when the server would have to load another checkpoint, plus a penalty for a server the job just
 * failed on. Servers without a free slot take part in the plan (a job planned on a busy fast server is not
 * given to an idle slow one), but only servers with a free slot receive jobs now. So a fast GPU is never left
 * idle while a slow one holds a backlog, and at the end of a batch a slow server does not take a job that a
 * fast one would finish sooner (list scheduling by earliest finish time; cf. HEFT, Topcuoglu et al. 2002).
 *
 * {@link fixedQuotaPolicy} is the baseline the benchmark compares with: jobs are split up front into equal
 * per-server shares (round robin), each server running its own share two at a time, as SwarmUI did
 * (mcmonkeyprojects/SwarmUI issue #247): a fast GPU idles once its share is done.
 */

/** A waiting job as the planner sees it. */
export interface PlanJob {
  id: string;
  /** Expected work in sampling-step units. */
  units: number;
  /** The checkpoint it loads, for affinity. */
  checkpoint: string | null;
  /** Whether a server can run it (has its models and node types, and did not refuse it). */
  eligible(serverId: string): boolean;
  /** Servers it just failed on (a soft penalty: another server is preferred when there is one). */
  avoid: ReadonlySet<string>;
}

/** A server as the planner sees it. */
export interface PlanServer {
  id: string;
  /** Jobs it can take now (slots minus jobs in flight). */
  freeSlots: number;
  /** When its current work should be done (ms since the epoch; `now` or earlier when idle). */
  availableAtMs: number;
  /** Its speed: ms per work unit. */
  msPerUnit: number;
  /** The checkpoint of the last job sent to it (likely loaded). */
  lastCheckpoint: string | null;
}

/** One decision: send this job to this server now. */
export interface Assignment {
  job: PlanJob;
  server: PlanServer;
}

/** Planner settings (ms). */
export interface PlanOptions {
  /** Added to a finish time when the server would load another checkpoint; default 4 000. */
  checkpointSwitchMs: number;
  /** Added for a server the job just failed on; default 600 000. */
  avoidPenaltyMs: number;
}

/** A dispatch policy: given the waiting jobs in dispatch order and the servers, the jobs to send now. */
export interface DispatchPolicy {
  readonly name: string;
  assign(jobs: Iterable<PlanJob>, servers: readonly PlanServer[], now: number): Assignment[];
  /** Forgets a job (finished, cancelled); policies that remember per-job state drop it. */
  forget?(jobId: string): void;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = { checkpointSwitchMs: 4_000, avoidPenaltyMs: 600_000 };

/** The earliest-finish pull policy (see the module documentation). */
export function earliestFinishPolicy(options: Partial<PlanOptions> = {}): DispatchPolicy {
  const { checkpointSwitchMs, avoidPenaltyMs } = { ...DEFAULT_PLAN_OPTIONS, ...options };
  return {
    name: 'earliest-finish',
    assign(jobs, servers, now) {
      const assignments: Assignment[] = [];
      let freeTotal = 0;
      const free = new Array<number>(servers.length);
      const available = new Array<number>(servers.length);
      const checkpoint = new Array<string | null>(servers.length);
      servers.forEach((server, i) => {
        free[i] = server.freeSlots;
        freeTotal += server.freeSlots;
        available[i] = Math.max(now, server.availableAtMs);
        checkpoint[i] = server.lastCheckpoint;
      });
      if (freeTotal === 0) return assignments;
      for (const job of jobs) {
        let best = -1;
        let bestFinish = Infinity;
        for (let i = 0; i < servers.length; i += 1) {
          const server = servers[i];
          if (!job.eligible(server.id)) continue;
          let finish = available[i] + job.units * server.msPerUnit;
          if (job.checkpoint !== null && checkpoint[i] !== null && checkpoint[i] !== job.checkpoint) finish += checkpointSwitchMs;
          if (job.avoid.has(server.id)) finish += avoidPenaltyMs;
          // Strictly earlier wins; on a tie the server with a free slot, then the first listed.
          if (finish < bestFinish || (finish === bestFinish && best >= 0 && free[i] > 0 && free[best] === 0)) {
            best = i;
            bestFinish = finish;
          }
        }
        if (best < 0) continue;
        available[best] = bestFinish;
        if (job.checkpoint !== null) checkpoint[best] = job.checkpoint;
        if (free[best] > 0) {
          free[best] -= 1;
          freeTotal -= 1;
          assignments.push({ job, server: servers[best] });
          if (freeTotal === 0) break;
        }
      }
      return assignments;
    },
  };
}

/**
 * The fixed-quota baseline (see the module documentation): the first time a job is seen it is given to the
 * next eligible server in turn, and only that server ever runs it.
 */
export function fixedQuotaPolicy(): DispatchPolicy {
  const quota = new Map<string, string>();
  let turn = 0;
  return {
    name: 'fixed-quota',
    assign(jobs, servers) {
      const assignments: Assignment[] = [];
      const free = new Map(servers.map((s) => [s.id, s.freeSlots]));
      for (const job of jobs) {
        let owner = quota.get(job.id);
        if (owner === undefined) {
          const eligible = servers.filter((s) => job.eligible(s.id));
          if (eligible.length === 0) continue;
          owner = eligible[turn % eligible.length].id;
          turn += 1;
          quota.set(job.id, owner);
        }
        const slots = free.get(owner) ?? 0;
        if (slots > 0) {
          free.set(owner, slots - 1);
          assignments.push({ job, server: servers.find((s) => s.id === owner) as PlanServer });
        }
      }
      return assignments;
    },
    forget(jobId) {
      quota.delete(jobId);
    },
  };
}
