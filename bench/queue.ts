/**
 * bench/queue: 200 jobs of known GPU time over 4 FakeComfyServers of speeds 1x, 1x, 2x and 4x, through the
 * whole queue (the contract's `queue.enqueue`, the pool, the ComfyUI client, takes written to a project),
 * once with the queue's pull-based earliest-finish dispatch and once with a fixed-quota policy (the batch split
 * into equal per-server shares, two jobs at a time per server: SwarmUI issue #247), in the same process.
 *
 * Figures:
 * - makespanOverIdeal: time from the first enqueue to the last take, over the ideal = total work / total speed
 *   (the physical bound: every GPU busy all the time). Target: <= 1.05.
 * - dispatchOverheadMsPerJob: time spent in dispatch passes (planning, the durable dispatch write, the event)
 *   per job. Target: < 2 ms.
 * The work of a job is its sampling steps x the 1x step time (the fake sleeps that long per step, divided by
 * the server's speed); previews are off and images 64x64, so the fake's own overhead stays small.
 *
 * Run: `node --import tsx bench/queue.ts` (env BENCH_STEP_MS: 1x step time in ms, default 350; BENCH_JOBS: 200).
 * Prints progress on stderr and ends with ONE line of JSON on stdout.
 */
import type { Job } from '../src-preload/contract';
import { earliestFinishPolicy, fixedQuotaPolicy, type DispatchPolicy } from '../src-main/core/queue/dispatchPolicy.ts';
import { QueueHarness, WORKFLOWS_DIR, postedPromptIds } from '../src-main/core/queue/testHarness.ts';

const SPEEDS = [1, 1, 2, 4];
const JOBS = Number(process.env.BENCH_JOBS ?? 200);
const STEP_MS_1X = Number(process.env.BENCH_STEP_MS ?? 350);
/** Steps of the jobs, cycling: known, uneven work. */
const STEP_PATTERN = [2, 3, 4, 3, 2, 4];
const TAKES_PER_SHOT = 10;

interface RunResult {
  policy: string;
  makespanMs: number;
  idealMs: number;
  dispatchOverheadMsPerJob: number;
  takes: number;
  posts: number;
  jobsPerServer: number[];
}

async function run(policy: DispatchPolicy): Promise<RunResult> {
  const harness = new QueueHarness({
    workflowsDir: WORKFLOWS_DIR,
    autoStart: true,
    policy,
    progressIntervalMs: 250,
    pool: { healthIntervalMs: 0, requestTimeoutMs: 30_000, checkTimeoutMs: 10_000 },
  });
  try {
    const servers = [];
    for (const speed of SPEEDS) {
      servers.push(await harness.server({ speed: STEP_MS_1X / 1000 / speed, previews: false, historyDelayMs: 0 }));
    }
    for (const [i, server] of servers.entries()) await harness.addServer(server, `GPU ${i + 1} (${SPEEDS[i]}x)`);
    const shots = Math.ceil(JOBS / TAKES_PER_SHOT);
    const { projectId, shotIds } = await harness.project(shots, `Bench ${policy.name}`);
    await harness.core.queue.startPool();

    let succeeded = 0;
    let failed = 0;
    let finishedAt = 0;
    let resolveDone: () => void = () => {};
    const allDone = new Promise<void>((resolve) => (resolveDone = resolve));
    const off = harness.core.events.on('job.updated', ({ job }: { job: Job }) => {
      if (job.state === 'succeeded') succeeded += 1;
      else if (job.state === 'failed') failed += 1;
      else return;
      if (succeeded + failed === JOBS) {
        finishedAt = performance.now();
        resolveDone();
      }
    });

    const startedAt = performance.now();
    let totalSteps = 0;
    let queued = 0;
    for (let i = 0; queued < JOBS; i += 1) {
      const takes = Math.min(TAKES_PER_SHOT, JOBS - queued);
      const steps = STEP_PATTERN[i % STEP_PATTERN.length];
      await harness.core.call('queue.enqueue', {
        projectId,
        target: 'shot',
        shotIds: [shotIds[i]],
        takes,
        seed: i * 1000,
        overrides: { steps, widthPx: 64, heightPx: 64 },
      });
      totalSteps += steps * takes;
      queued += takes;
    }
    const progress = setInterval(() => process.stderr.write(`  ${policy.name}: ${succeeded}/${JOBS} done\n`), 5_000);
    await allDone;
    clearInterval(progress);
    off();
    if (failed > 0) throw new Error(`${failed} jobs failed under ${policy.name}`);
    const snapshot = await harness.core.call('project.get', { projectId });
    const stats = harness.core.queue.dispatchStats();
    const totalSpeed = SPEEDS.reduce((a, b) => a + b, 0);
    return {
      policy: policy.name,
      makespanMs: finishedAt - startedAt,
      idealMs: (totalSteps * STEP_MS_1X) / totalSpeed,
      dispatchOverheadMsPerJob: stats.passMs / JOBS,
      takes: snapshot.takes.length,
      posts: servers.reduce((sum, s) => sum + postedPromptIds(s).length, 0),
      jobsPerServer: servers.map((s) => postedPromptIds(s).length),
    };
  } finally {
    await harness.close();
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

const pull = await run(earliestFinishPolicy());
process.stderr.write(`pull-based: ${JSON.stringify(pull)}\n`);
const fixed = await run(fixedQuotaPolicy());
process.stderr.write(`fixed quota: ${JSON.stringify(fixed)}\n`);
for (const result of [pull, fixed]) {
  if (result.takes !== JOBS || result.posts !== JOBS) throw new Error(`${result.policy}: ${result.takes} takes and ${result.posts} posts for ${JOBS} jobs`);
}
process.stdout.write(
  `${JSON.stringify({
    jobs: JOBS,
    speeds: SPEEDS,
    stepMs1x: STEP_MS_1X,
    idealMs: Math.round(pull.idealMs),
    makespanMs: Math.round(pull.makespanMs),
    makespanOverIdeal: round(pull.makespanMs / pull.idealMs, 3),
    dispatchOverheadMsPerJob: round(pull.dispatchOverheadMsPerJob, 3),
    jobsPerServer: pull.jobsPerServer,
    fixedMakespanOverIdeal: round(fixed.makespanMs / fixed.idealMs, 3),
    fixedDispatchOverheadMsPerJob: round(fixed.dispatchOverheadMsPerJob, 3),
    fixedJobsPerServer: fixed.jobsPerServer,
  })}\n`,
);
