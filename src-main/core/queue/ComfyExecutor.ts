/**
 * Runs job attempts on ComfyUI servers of the pool (see `Executor.ts`), through each server's
 * {@link ComfyClient}: `POST /prompt` with our own prompt id (chosen and stored by the queue beforehand) and the
 * job id in `extra_data`, then following the run (progress, previews, `executing {node: null}`, `/history`).
 * After a restart, `attach` looks the prompt up in the server's `/history` and `/queue` (PROTOCOL.md) and
 * follows it, or reports it absent. Errors become {@link ExecError}s: the client's `transient`/`permanent`
 * classification, with validation errors that name a missing model or node class marked `unsupported`.
 */
import type { ComfyClient } from '../comfy/ComfyClient.ts';
import { ComfyError } from '../comfy/ComfyError.ts';
import type { ComfyGraph, ComfyResult, ResultImage } from '../comfy/types.ts';
import type { ServerPool } from '../pool/ServerPool.ts';
import { ExecError, type AttemptHooks, type ExecAttempt, type ExecOutput, type ExecResult, type Executor } from './Executor.ts';
import { describeReferences, prepareSubmission } from './references.ts';

/** The key under which the job is named in a prompt's `extra_data` (found again in `/queue` after a restart). */
export const EXTRA_DATA_KEY = 'storycanvas';

/** Problem types of a refused workflow that mean "this server lacks something", not "the workflow is wrong". */
const UNSUPPORTED_PROBLEMS = new Set(['value_not_in_list']);

/** Converts a client error into an ExecError (abort reasons are passed through unchanged). */
export function toExecError(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof ExecError) return error;
  if (error instanceof ComfyError) {
    const unsupported =
      error.code === 'validation' &&
      error.problems.length > 0 &&
      error.problems.every((p) => UNSUPPORTED_PROBLEMS.has(p.type) || (p.type === 'invalid_prompt' && p.classType !== null));
    return new ExecError(error.kind, error.code, error.message, { unsupported }, { cause: error });
  }
  return new ExecError('transient', 'error', (error as Error)?.message ?? String(error), {}, { cause: error });
}

/** The files of a result that become takes: saved outputs (`type: output`), or every image when there are none. */
export function takeImages(result: ComfyResult): ResultImage[] {
  const saved = result.images.filter((image) => image.type === 'output');
  return saved.length > 0 ? saved : result.images;
}

/** See the module documentation. */
export class ComfyExecutor implements Executor {
  readonly kind = 'comfy' as const;
  private readonly followers = new Map<string, { hooks: AttemptHooks; started: boolean }>();
  private readonly wired = new WeakSet<ComfyClient>();

  constructor(private readonly pool: ServerPool) {}

  private clientOf(serverId: string): ComfyClient {
    const client = this.pool.get(serverId)?.client;
    if (!client) throw new ExecError('transient', 'server_gone', `The server ${serverId} is no longer in the pool.`);
    this.wire(client);
    return client;
  }

  /** Routes a client's run events to the attempt they belong to. */
  private wire(client: ComfyClient): void {
    if (this.wired.has(client)) return;
    this.wired.add(client);
    client.on('started', (event) => this.started(event.promptId));
    client.on('executing', (event) => this.started(event.promptId));
    client.on('progress', (event) => {
      const follower = this.followers.get(event.promptId);
      if (!follower) return;
      this.started(event.promptId);
      follower.hooks.onProgress(event.value, event.max);
    });
    client.on('preview', (event) => {
      if (event.promptId) this.followers.get(event.promptId)?.hooks.onPreview(event.image, event.mime);
    });
  }

  private started(promptId: string): void {
    const follower = this.followers.get(promptId);
    if (!follower || follower.started) return;
    follower.started = true;
    follower.hooks.onStarted(Date.now());
  }

  async run(attempt: ExecAttempt, mode: 'submit' | 'attach', hooks: AttemptHooks): Promise<ExecResult> {
    const follower = { hooks, started: false };
    let promptId = attempt.promptId;
    this.followers.set(promptId, follower);
    let meta: Record<string, unknown> = {};
    try {
      const client = this.clientOf(attempt.serverId);
      const capabilities = this.pool.get(attempt.serverId)?.capabilities ?? null;
      if (mode === 'submit') {
        // Reference pictures are wired in for this server when it can (references.ts).
        const prepared = await prepareSubmission(attempt.graphJson, attempt.params ?? {}, { client, capabilities }, attempt.signal);
        meta = prepared.meta;
        const graph = prepared.graph as ComfyGraph;
        const submitted = await client.submit(graph, {
          promptId,
          extraData: { [EXTRA_DATA_KEY]: { jobId: attempt.jobId, projectId: attempt.projectId } },
          signal: attempt.signal,
        });
        if (submitted.promptId !== promptId) {
          this.followers.delete(promptId);
          promptId = submitted.promptId;
          this.followers.set(promptId, follower);
          hooks.onPromptId(promptId);
        }
        hooks.onSubmitted();
      } else {
        promptId = await this.locate(client, attempt, follower);
        const references = describeReferences(attempt.params ?? {}, capabilities);
        if (references) meta = { references };
      }
      if (attempt.signal.aborted) throw attempt.signal.reason;
      const result = await client.waitForResult(promptId, { signal: attempt.signal });
      const finishedAtMs = Date.now();
      if (result.status === 'error') throw toExecError(result.error ?? new Error('the run failed on the server'));
      if (result.status === 'interrupted') {
        throw new ExecError('transient', 'interrupted', `The run was interrupted on the server${result.interruptedNode ? ` at node #${result.interruptedNode}` : ''}.`, {
          interrupted: true,
        });
      }
      const outputs: ExecOutput[] = takeImages(result).map((image, index) => ({
        index,
        fileName: image.filename,
        fetch: () => this.fetchImage(client, image),
      }));
      if (outputs.length === 0) {
        throw new ExecError('permanent', 'no_output', 'The workflow ran but produced no image; it needs a Save Image node (or another image output).');
      }
      return { outputs, startedAtMs: null, finishedAtMs, meta };
    } catch (error) {
      throw toExecError(error, attempt.signal);
    } finally {
      this.followers.delete(promptId);
      this.followers.delete(attempt.promptId);
    }
  }

  /**
   * Finds an attempt started before a restart: in `/history` (finished while we were away), in `/queue`
   * (running or waiting), by its id or, for a mid-2024 server that ignored our id, by the job id in its
   * `extra_data`. Returns the prompt id to follow.
   * @throws ExecError `absent` when the server has no trace of it, transient when the server cannot be asked.
   */
  private async locate(client: ComfyClient, attempt: ExecAttempt, follower: { hooks: AttemptHooks; started: boolean }): Promise<string> {
    const [history, queue] = await Promise.all([client.history(attempt.promptId, { signal: attempt.signal }), client.queue({ signal: attempt.signal })]);
    if (history) return attempt.promptId;
    const byId = (entry: { promptId: string; extraData: Record<string, unknown> }): boolean => {
      if (entry.promptId === attempt.promptId) return true;
      const tag = entry.extraData[EXTRA_DATA_KEY] as { jobId?: unknown } | undefined;
      return tag?.jobId === attempt.jobId;
    };
    const running = queue.running.find(byId);
    const pending = queue.pending.find(byId);
    const found = running ?? pending;
    if (!found) {
      throw new ExecError('transient', 'not_on_server', `The server has no trace of prompt ${attempt.promptId} (never submitted, or lost in a restart).`, { absent: true });
    }
    if (found.promptId !== attempt.promptId) {
      this.followers.set(found.promptId, follower);
      follower.hooks.onPromptId(found.promptId);
    }
    if (running) {
      follower.started = true;
      follower.hooks.onStarted(Date.now());
    }
    return found.promptId;
  }

  /** `GET /view`, retried twice on a transient failure. */
  private async fetchImage(client: ComfyClient, image: ResultImage): Promise<Buffer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        return await client.view(image);
      } catch (error) {
        lastError = error;
        if (!(error instanceof ComfyError) || error.kind !== 'transient') break;
        await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      }
    }
    throw toExecError(lastError);
  }

  async cancel(serverId: string, promptId: string): Promise<void> {
    const client = this.pool.get(serverId)?.client;
    if (!client) return;
    try {
      await client.cancel(promptId);
    } catch {
      // unreachable now: the queue remembers the prompt and cancels it when the server is back
    }
  }
}
