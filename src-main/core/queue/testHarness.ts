/**
 * Test support for the queue (imported by tests and the benchmark only): a Core in a temporary config folder
 * with fast pool timings, a project with shots, FakeComfyServers, and waiting helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Job, JobState } from '../../../src-preload/contract';
import { Core } from '../Core.ts';
import { FakeComfyServer, type FakeComfyServerOptions } from '../comfy/fake/FakeComfyServer.ts';
import type { QueueServiceOptions } from './QueueService.ts';

/** The repository's built-in workflows. */
export const WORKFLOWS_DIR = resolve(import.meta.dirname, '..', '..', '..', 'resources', 'workflows');

/** Queue options with short timeouts, so fault tests finish in seconds. */
export function fastQueueOptions(overrides: QueueServiceOptions = {}): QueueServiceOptions {
  return {
    workflowsDir: WORKFLOWS_DIR,
    autoStart: true,
    retryBackoff: { initialDelayMs: 50, maxDelayMs: 300 },
    progressIntervalMs: 20,
    previewIntervalMs: 20,
    ...overrides,
    pool: {
      requestTimeoutMs: 2_000,
      checkTimeoutMs: 1_000,
      healthIntervalMs: 0,
      offlineProbeMs: 200,
      connectionLostMs: 8_000,
      breaker: { coolDownMs: 300 },
      ...(overrides.pool ?? {}),
    },
  };
}

/** A core, a temporary config folder and project folder, and the servers started for the test. */
export class QueueHarness {
  readonly root: string;
  readonly configDir: string;
  core: Core;
  readonly servers: FakeComfyServer[] = [];
  readonly events: Array<{ event: string; payload: unknown }> = [];
  private off: () => void;

  constructor(readonly options: QueueServiceOptions = fastQueueOptions()) {
    this.root = mkdtempSync(join(tmpdir(), 'storycanvas-queue-'));
    this.configDir = join(this.root, 'config');
    this.core = new Core({ shell: 'cli', configDir: this.configDir, queue: options });
    this.off = this.core.events.onAny((event, payload) => this.events.push({ event, payload }));
  }

  /** Starts a FakeComfyServer (closed by `close`). */
  async server(options: FakeComfyServerOptions = {}): Promise<FakeComfyServer> {
    const server = await FakeComfyServer.start({ speed: 0.002, historyDelayMs: 2, ...options });
    this.servers.push(server);
    return server;
  }

  /** Adds a server to the pool through the contract; returns its id. */
  async addServer(server: FakeComfyServer, name?: string): Promise<string> {
    const status = await this.core.call('servers.add', { url: server.url, ...(name ? { name } : {}) });
    return status.id;
  }

  /** Creates a project with one scene of `shots` shots (actions "Shot action N"); returns ids. */
  async project(shots = 1, name = 'Queue Test'): Promise<{ projectId: string; path: string; sceneId: string; shotIds: string[] }> {
    const summary = await this.core.call('project.create', { dir: join(this.root, 'projects'), name, widthPx: 1280, heightPx: 720 });
    const { sceneId } = await this.core.call('scene.create', { projectId: summary.projectId, heading: 'INT. KITCHEN - NIGHT' });
    const shotIds: string[] = [];
    for (let i = 0; i < shots; i += 1) {
      const { shotId } = await this.core.call('shot.create', { projectId: summary.projectId, sceneId });
      await this.core.call('shot.update', { projectId: summary.projectId, shotIds: [shotId], patch: { action: `Shot action ${i + 1}`, shotSize: 'WS' } });
      shotIds.push(shotId);
    }
    return { projectId: summary.projectId, path: summary.path, sceneId, shotIds };
  }

  /** Closes the core and opens a new one on the same config folder (a restart of the app). */
  async restart(): Promise<void> {
    this.off();
    await this.core.close();
    this.core = new Core({ shell: 'cli', configDir: this.configDir, queue: this.options });
    this.off = this.core.events.onAny((event, payload) => this.events.push({ event, payload }));
  }

  /** The project's jobs by id. */
  async jobs(projectId: string): Promise<Map<string, Job>> {
    return new Map((await this.core.call('queue.list', { projectId })).map((job) => [job.id, job]));
  }

  /** Waits until every job is in one of `states`; returns them. Fails after `timeoutMs` naming the stragglers. */
  async waitForJobs(projectId: string, jobIds: string[], states: JobState[] = ['succeeded'], timeoutMs = 20_000): Promise<Job[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = await this.jobs(projectId);
      const jobs = jobIds.map((id) => all.get(id) as Job);
      if (jobs.every((job) => states.includes(job.state))) return jobs;
      if (Date.now() > deadline) {
        throw new Error(`jobs did not reach ${states.join('/')} within ${timeoutMs} ms: ${jobs.map((j) => `${j.id}=${j.state}${j.error ? ` (${j.error.message})` : ''}`).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Closes the core, the servers and removes the folders. */
  async close(): Promise<void> {
    this.off();
    await this.core.close();
    await Promise.all(this.servers.map((s) => s.close()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Waits until `predicate` holds (polling every 10 ms). @throws Error naming `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `POST /prompt` requests a fake server received (their prompt ids). */
export function postedPromptIds(server: FakeComfyServer): string[] {
  return server.requests.filter((r) => r.method === 'POST' && r.route === '/prompt').map((r) => String((r.body as { prompt_id?: unknown })?.prompt_id));
}
