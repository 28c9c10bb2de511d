/**
 * The enhancement worker thread: owns the onnxruntime sessions and runs jobs one at a time, so neither the UI nor
 * the queue ever waits on inference. Started by `EnhanceRuntime` (see workerEntry.ts for how its file is found);
 * speaks the messages of protocol.ts.
 *
 * At start it probes the execution providers (providers.ts) once, unless the runtime passes an earlier choice.
 * Jobs (upscales and frame interpolations) queue in arrival order; a cancel aborts the running job between tiles
 * (or frames), or drops a queued one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { cancelledError, serializeError } from './EnhanceError.ts';
import { interpolateClipFile } from './interpolate.ts';
import { enhanceImageFile } from './pipeline.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.ts';
import { chooseProvider, type ProviderChoice } from './providers.ts';
import { SessionPool } from './sessions.ts';

if (!parentPort) throw new Error('worker.ts is the enhancement worker thread; start it through EnhanceRuntime.');
const port = parentPort;
const config = workerData as WorkerConfig;

// libvips's operation cache would keep decoded pictures (and the temporary .v files) open between jobs.
sharp.cache(false);

function send(message: FromWorker): void {
  port.postMessage(message);
}

const choice: Promise<ProviderChoice> = config.knownChoice
  ? Promise.resolve(config.knownChoice)
  : chooseProvider({ useGpu: config.useGpu, order: config.providerOrder });
choice.catch(() => undefined); // reported to each job that needs it

const pool = new SessionPool({
  idleMs: config.sessionIdleMs,
  choice: () => choice,
  onEvent: (event) => {
    send({ type: 'session', event: event.type, modelId: event.modelId, provider: event.provider });
    reportIfIdle();
  },
});

type EnhanceMessage = Extract<ToWorker, { type: 'enhance' | 'interpolate' }>;
const queue: EnhanceMessage[] = [];
let running: { jobId: number; controller: AbortController; done: Promise<void> } | undefined;

function reportIfIdle(): void {
  if (!running && queue.length === 0 && pool.warmModelIds().length === 0) send({ type: 'idle' });
}

async function runJob(job: EnhanceMessage): Promise<void> {
  const controller = new AbortController();
  let finished!: () => void;
  running = { jobId: job.jobId, controller, done: new Promise<void>((r) => (finished = r)) };
  let lease;
  try {
    lease = await pool.acquire(job.model);
    if (controller.signal.aborted) throw cancelledError();
    if (job.type === 'interpolate') {
      const result = await interpolateClipFile({
        inputPath: job.inputPath,
        outputPath: job.outputPath,
        model: job.model,
        session: lease.session,
        frameRate: job.frameRate,
        signal: controller.signal,
        onProgress: (progress) => send({ type: 'frameProgress', jobId: job.jobId, progress }),
      });
      send({ type: 'interpolated', jobId: job.jobId, result: { ...result, provider: lease.provider, tried: lease.tried } });
      return;
    }
    const result = await enhanceImageFile({
      inputPath: job.inputPath,
      outputPath: job.outputPath,
      model: job.model,
      session: lease.session,
      tileSizePx: job.tileSizePx,
      overlapPx: job.overlapPx,
      signal: controller.signal,
      onProgress: (progress) => send({ type: 'progress', jobId: job.jobId, progress }),
    });
    send({ type: 'done', jobId: job.jobId, result: { ...result, provider: lease.provider, tried: lease.tried } });
  } catch (err) {
    send({ type: 'failed', jobId: job.jobId, error: serializeError(err) });
  } finally {
    lease?.release();
    running = undefined;
    finished();
  }
}

let draining = false;
async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) await runJob(job);
  } finally {
    draining = false;
  }
  reportIfIdle();
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'enhance':
    case 'interpolate':
      queue.push(message);
      void drain();
      break;
    case 'cancel': {
      if (running?.jobId === message.jobId) {
        running.controller.abort();
        break;
      }
      const at = queue.findIndex((j) => j.jobId === message.jobId);
      if (at >= 0) {
        queue.splice(at, 1);
        send({ type: 'failed', jobId: message.jobId, error: serializeError(cancelledError()) });
      }
      break;
    }
    case 'providers':
      choice.then(
        (c) => send({ type: 'providers', requestId: message.requestId, choice: c }),
        (err: unknown) => send({ type: 'providers', requestId: message.requestId, error: err instanceof Error ? err.message : String(err) }),
      );
      break;
    case 'shutdown': {
      // Abort the running job and wait for it to stop at its next tile or frame boundary BEFORE releasing the
      // sessions: releasing (or terminating the thread) while onnxruntime is inside a run aborts the process.
      queue.length = 0;
      const stopping = running;
      stopping?.controller.abort();
      void (stopping?.done ?? Promise.resolve())
        .then(() => pool.releaseAll())
        .then(() => {
          send({ type: 'closed' });
          port.close();
        });
      break;
    }
  }
});
