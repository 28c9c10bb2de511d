/**
 * ComfyClient: one connection to one ComfyUI server (HTTP + WebSocket), following the protocol of
 * `/work/shared/comfyui/PROTOCOL.md` for ComfyUI 0.3.x and mid-2024 servers.
 *
 * - Requests carry our auth headers and a timeout (`timeoutMs`); failures are {@link ComfyError}s classified
 *   `transient` / `permanent`, with artist-readable messages (node, input, value, alternatives).
 * - `submit` sends our own `client_id` and `prompt_id` (a mid-2024 server ignores the id: we follow the one
 *   it returns), after making sure the WebSocket is up so no message is missed.
 * - The WebSocket reconnects with capped, jittered exponential backoff, sends `feature_flags` first, decodes
 *   text messages and binary previews (event 1 and 4) into typed events, and after a reconnect reads
 *   `/queue` and `/history` for every prompt it follows, reporting those that finished while it was away.
 * - A run is complete on `executing {node: null}` for its prompt (never on `execution_success`, which comes
 *   before the history is written); outputs are then read from `/history/{id}`, retrying an empty `{}`.
 * - `cancel` is targeted: a queued prompt is deleted from the queue, a running one of ours interrupted by id;
 *   never a bare interrupt (which would stop another client's work).
 *
 * Usage:
 * ```ts
 * const client = new ComfyClient({ baseUrl: 'http://127.0.0.1:8188', timeoutMs: 30_000 });
 * const { promptId } = await client.submit(graph);
 * const off = client.on('progress', (e) => { if (e.promptId === promptId) show(e.value / e.max); });
 * const result = await client.waitForResult(promptId); // {status, outputs, images}
 * const png = await client.view(result.images[0]);
 * off(); await client.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { WebSocket as NodeWebSocket } from 'ws';
import { z } from 'zod';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { capabilitiesFromObjectInfo, choicesFor, type ComfyNodeInfo, type ServerCapabilities } from './capabilities.ts';
import { ComfyError, executionError, problemsFromPromptError, validationError } from './ComfyError.ts';
import { deriveEndpoints, httpUrl, wsUrl, type ComfyEndpoints } from './endpoints.ts';
import { parsePreviewFrame } from './previewFrame.ts';
import type {
  CancelOutcome,
  ComfyClientEvent,
  ComfyClientEventType,
  ComfyGraph,
  ComfyProtocol,
  ComfyResult,
  HistoryEntry,
  ImageRef,
  NodeOutput,
  QueueEntry,
  QueueSnapshot,
  ResultImage,
  ServerFeatures,
  SubmitResult,
  SystemStats,
  WebSocketConstructor,
  WebSocketLike,
} from './types.ts';

/** Options of a {@link ComfyClient}. */
export interface ComfyClientOptions {
  /** The server: `http://host:8188`, `https://host/prefix`, `host:8188` (http). */
  baseUrl: string;
  /** Our client id (WebSocket `clientId`, `/prompt` `client_id`); default a random UUID. */
  clientId?: string;
  /** Extra headers on every request and the WebSocket upgrade (e.g. `Authorization` for an auth proxy). */
  headers?: Record<string, string>;
  /** fetch to use; default the global fetch. */
  fetchImpl?: typeof fetch;
  /** WebSocket constructor; default the `ws` package (which can send headers). */
  WebSocketImpl?: WebSocketConstructor;
  /** Timeout of every HTTP request and of opening the WebSocket, ms; default 30 000. */
  timeoutMs?: number;
  /** Reconnect backoff; default 250 ms doubling to 15 s, half jitter. */
  reconnect?: Partial<BackoffOptions>;
  /** Retries of an empty `/history/{id}` after a run ended; default 20 attempts, 50 ms apart. */
  historyRetry?: { attempts?: number; delayMs?: number };
  /** How long the WebSocket may stay down before followed prompts fail as `connection_lost`; default 120 000 ms. */
  connectionLostMs?: number;
  /** Interval of the `/queue` check while prompts are followed (catches removals by others); default 15 000 ms, 0: off. */
  watchdogMs?: number;
  /** Random source for the backoff jitter (tests); default Math.random. */
  random?: () => number;
}

type Listener<K extends ComfyClientEventType> = (event: Extract<ComfyClientEvent, { type: K }>) => void;

interface Waiter {
  resolve: (result: ComfyResult) => void;
  reject: (error: unknown) => void;
}

type TrackerState = 'submitting' | 'queued' | 'running' | 'finishing' | 'done';

interface Tracker {
  promptId: string;
  state: TrackerState;
  outputs: Record<string, NodeOutput>;
  executionError: Record<string, unknown> | null;
  interruptedNode: string | null | undefined;
  cancelRequested: boolean;
  waiters: Waiter[];
}

interface HeldMessage {
  promptId: string;
  type: string;
  data: Record<string, unknown>;
  preview?: { image: Buffer; mime: string; node: string | null };
}

const FINISHED_KEPT = 500;

const postPromptSchema = z.looseObject({ prompt_id: z.union([z.string(), z.number()]), number: z.number(), node_errors: z.unknown().optional() });
const queueSchema = z.looseObject({ queue_running: z.array(z.array(z.unknown())), queue_pending: z.array(z.array(z.unknown())) });
const historyEntrySchema = z.looseObject({
  outputs: z.record(z.string(), z.unknown()).optional(),
  status: z
    .looseObject({ status_str: z.string(), completed: z.boolean(), messages: z.array(z.unknown()).optional() })
    .nullable()
    .optional(),
});
const uploadSchema = z.looseObject({ name: z.string(), subfolder: z.string().optional(), type: z.string().optional() });
const systemStatsSchema = z.looseObject({
  system: z.looseObject({}).optional(),
  devices: z.array(z.looseObject({})).optional(),
});
const featuresSchema = z.looseObject({ supports_preview_metadata: z.boolean().optional(), max_upload_size: z.number().optional() });
const objectInfoSchema = z.record(z.string(), z.looseObject({}));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The output files of a set of UI outputs, flattened in node order: `images` (SaveImage, PreviewImage, and the
 * video savers SaveVideo, SaveWEBM, SaveAnimatedWEBP, which report their file there too) and `gifs` (the key
 * ComfyUI-VideoHelperSuite's VHS_VideoCombine uses for its mp4/webm/gif). Each is fetched through `/view`; the
 * take's kind (image or clip) comes from the file's bytes when it is imported.
 */
export function imagesOf(outputs: Record<string, NodeOutput>): ResultImage[] {
  const images: ResultImage[] = [];
  for (const [node, output] of Object.entries(outputs)) {
    const files = [...(output.images ?? []), ...(Array.isArray(output.gifs) ? (output.gifs as unknown[]) : [])];
    for (const image of files) {
      if (isRecord(image) && typeof image.filename === 'string') {
        images.push({ node, filename: image.filename, subfolder: String(image.subfolder ?? ''), type: String(image.type ?? 'output') });
      }
    }
  }
  return images;
}

function toOutputs(value: unknown): Record<string, NodeOutput> {
  const outputs: Record<string, NodeOutput> = {};
  if (!isRecord(value)) return outputs;
  for (const [node, output] of Object.entries(value)) if (isRecord(output)) outputs[node] = output as NodeOutput;
  return outputs;
}

function toQueueEntry(tuple: unknown[]): QueueEntry {
  const extraData = isRecord(tuple[3]) ? tuple[3] : {};
  return {
    number: Number(tuple[0]),
    promptId: String(tuple[1]),
    graph: (isRecord(tuple[2]) ? tuple[2] : {}) as ComfyGraph,
    extraData,
    outputsToExecute: Array.isArray(tuple[4]) ? tuple[4].map(String) : [],
    clientId: typeof extraData.client_id === 'string' ? extraData.client_id : null,
  };
}

/** A client of one ComfyUI server. See the module documentation for the behaviour. */
export class ComfyClient {
  /** Our client id on this server. */
  readonly clientId: string;
  /** The server's HTTP base (`http(s)://host:port[/prefix]`). */
  readonly serverUrl: string;

  private readonly endpoints: ComfyEndpoints;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly timeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly historyAttempts: number;
  private readonly historyDelayMs: number;
  private readonly connectionLostMs: number;
  private readonly watchdogMs: number;
  private readonly random: () => number;

  private readonly listeners = new Map<ComfyClientEventType, Set<(event: ComfyClientEvent) => void>>();
  private readonly trackers = new Map<string, Tracker>();
  private readonly finished = new Map<string, ComfyResult>();
  private held: HeldMessage[] = [];
  private pendingSubmits = 0;
  private currentPromptId: string | null = null;

  private socket: WebSocketLike | null = null;
  private socketOpen = false;
  private connecting: Promise<void> | null = null;
  private wantConnection = false;
  private hadConnection = false;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private lostTimer: NodeJS.Timeout | null = null;
  private watchdogTimer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  private closed = false;

  private protocolGeneration: ComfyProtocol | null = null;
  private capabilities: ServerCapabilities | null = null;

  /**
   * @throws Error when `baseUrl` is not an http(s)/ws(s) URL (see {@link deriveEndpoints}), or `timeoutMs`
   * is not a positive number.
   */
  constructor(options: ComfyClientOptions) {
    this.endpoints = deriveEndpoints(options.baseUrl);
    this.serverUrl = this.endpoints.httpBase;
    this.clientId = options.clientId ?? randomUUID();
    this.headers = { ...(this.endpoints.basicAuthHeader ? { Authorization: this.endpoints.basicAuthHeader } : {}), ...(options.headers ?? {}) };
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
    this.WebSocketImpl = options.WebSocketImpl ?? (NodeWebSocket as unknown as WebSocketConstructor);
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!(timeoutMs > 0)) throw new Error(`ComfyClient timeoutMs must be a positive number of milliseconds, not ${timeoutMs}`);
    this.timeoutMs = timeoutMs;
    this.backoff = { ...DEFAULT_BACKOFF, ...(options.reconnect ?? {}) };
    this.historyAttempts = Math.max(1, options.historyRetry?.attempts ?? 20);
    this.historyDelayMs = Math.max(0, options.historyRetry?.delayMs ?? 50);
    this.connectionLostMs = options.connectionLostMs ?? 120_000;
    this.watchdogMs = options.watchdogMs ?? 15_000;
    this.random = options.random ?? Math.random;
  }

  /** The WebSocket URL this client connects to (`ws(s)://.../ws?clientId=...`). */
  get webSocketUrl(): string {
    return wsUrl(this.endpoints, this.clientId);
  }

  /** Whether the WebSocket is open now. */
  get connected(): boolean {
    return this.socketOpen;
  }

  // ------------------------------------------------------------------------------------------ events

  /** Subscribes to one event type; returns the function that unsubscribes. */
  on<K extends ComfyClientEventType>(type: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const wrapped = listener as (event: ComfyClientEvent) => void;
    set.add(wrapped);
    return () => set?.delete(wrapped);
  }

  private emit(event: ComfyClientEvent): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not corrupt the client's state; report it like EventTarget does.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  // ------------------------------------------------------------------------------------------- HTTP

  private async request(
    method: 'GET' | 'POST',
    path: string,
    options: { query?: Record<string, string>; json?: unknown; form?: FormData; signal?: AbortSignal; allowStatus?: number[] } = {},
  ): Promise<{ status: number; body: Buffer }> {
    if (this.closed) throw this.closedError();
    const url = httpUrl(this.endpoints, path, options.query);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...this.headers };
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) body = options.form;
    try {
      const response = await this.fetchImpl(url, { method, headers, body, signal });
      const bytes = Buffer.from(await response.arrayBuffer());
      if (!response.ok && !(options.allowStatus ?? []).includes(response.status)) throw this.statusError(method, path, response.status, bytes);
      return { status: response.status, body: bytes };
    } catch (error) {
      if (error instanceof ComfyError) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) {
        throw new ComfyError(
          `ComfyUI at ${this.serverUrl} did not answer ${method} ${path} within ${this.timeoutMs} ms; the server may be busy or stuck. Try again, or check the server.`,
          { kind: 'transient', code: 'timeout', serverUrl: this.serverUrl, cause: error },
        );
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ComfyError(
        `Cannot reach ComfyUI at ${this.serverUrl} (${reason}). Check that the server is running and that the address is right.`,
        { kind: 'transient', code: 'unreachable', serverUrl: this.serverUrl, cause: error },
      );
    }
  }

  private statusError(method: string, path: string, status: number, body: Buffer): ComfyError {
    const text = body.toString('utf8').trim().replace(/\s+/g, ' ').slice(0, 200);
    const said = text ? `: "${text}"` : '';
    if (status === 401 || status === 403) {
      return new ComfyError(
        `ComfyUI at ${this.serverUrl} refused access (HTTP ${status}); check the authentication header set for this server.`,
        { kind: 'permanent', code: 'unauthorized', serverUrl: this.serverUrl, status },
      );
    }
    if (status === 404) {
      return new ComfyError(`ComfyUI at ${this.serverUrl} has no ${path} (HTTP 404)${said}.`, {
        kind: 'permanent',
        code: 'not_found',
        serverUrl: this.serverUrl,
        status,
      });
    }
    const transient = status >= 500 || status === 408 || status === 425 || status === 429;
    return new ComfyError(
      `ComfyUI at ${this.serverUrl} answered ${method} ${path} with HTTP ${status}${said}.${transient ? ' Try again; if it persists, look at the server\'s console.' : ''}`,
      { kind: transient ? 'transient' : 'permanent', code: 'http_status', serverUrl: this.serverUrl, status },
    );
  }

  /** Parses a JSON answer and checks its shape; garbage is a transient `bad_response`. */
  private parseJson<T>(schema: z.ZodType<T>, body: Buffer, path: string): T {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      const start = body.toString('utf8', 0, Math.min(body.length, 80));
      throw new ComfyError(
        `ComfyUI at ${this.serverUrl} answered ${path} with something that is not JSON ("${start}"); a proxy or a failing server may be in the way. Try again.`,
        { kind: 'transient', code: 'bad_response', serverUrl: this.serverUrl, cause: error },
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new ComfyError(
        `ComfyUI at ${this.serverUrl} answered ${path} with an unexpected shape (${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}); is it a ComfyUI server?`,
        { kind: 'transient', code: 'bad_response', serverUrl: this.serverUrl, cause: parsed.error },
      );
    }
    return parsed.data;
  }

  private closedError(): ComfyError {
    return new ComfyError(`The client of ComfyUI at ${this.serverUrl} is closed.`, { kind: 'transient', code: 'closed', serverUrl: this.serverUrl });
  }

  /** `GET /system_stats`: versions, RAM and devices. @throws ComfyError */
  async systemStats(options: { signal?: AbortSignal } = {}): Promise<SystemStats> {
    const { body } = await this.request('GET', '/system_stats', options);
    const stats = this.parseJson(systemStatsSchema, body, '/system_stats');
    const system = (stats.system ?? {}) as Record<string, unknown>;
    return {
      comfyuiVersion: stringOrNull(system.comfyui_version),
      pythonVersion: stringOrNull(system.python_version),
      pytorchVersion: stringOrNull(system.pytorch_version),
      os: stringOrNull(system.os),
      ramTotalBytes: numberOrNull(system.ram_total),
      ramFreeBytes: numberOrNull(system.ram_free),
      devices: (stats.devices ?? []).map((device) => ({
        name: String(device.name ?? ''),
        type: String(device.type ?? ''),
        vramTotalBytes: numberOrNull(device.vram_total),
        vramFreeBytes: numberOrNull(device.vram_free),
      })),
    };
  }

  /**
   * `GET /object_info`: the server's node classes and model lists. The answer is kept to name alternatives
   * in later validation errors. @throws ComfyError
   */
  async objectInfo(options: { signal?: AbortSignal } = {}): Promise<ServerCapabilities> {
    const { body } = await this.request('GET', '/object_info', options);
    const info = this.parseJson(objectInfoSchema, body, '/object_info') as Record<string, ComfyNodeInfo>;
    this.capabilities = capabilitiesFromObjectInfo(info);
    return this.capabilities;
  }

  /** `GET /features`; null on a mid-2024 server (404). Also settles {@link protocol}. @throws ComfyError */
  async features(options: { signal?: AbortSignal } = {}): Promise<ServerFeatures | null> {
    const { status, body } = await this.request('GET', '/features', { ...options, allowStatus: [404] });
    if (status === 404) {
      this.protocolGeneration = 'mid2024';
      return null;
    }
    const features = this.parseJson(featuresSchema, body, '/features');
    this.protocolGeneration ??= 'current';
    return { supportsPreviewMetadata: features.supports_preview_metadata === true, maxUploadSizeBytes: numberOrNull(features.max_upload_size) };
  }

  /** The server's protocol generation (asks `/features` once). @throws ComfyError */
  async protocol(): Promise<ComfyProtocol> {
    if (!this.protocolGeneration) await this.features();
    return this.protocolGeneration ?? 'current';
  }

  /** `GET /queue`: running and pending prompts of all clients. @throws ComfyError */
  async queue(options: { signal?: AbortSignal } = {}): Promise<QueueSnapshot> {
    const { body } = await this.request('GET', '/queue', options);
    const queue = this.parseJson(queueSchema, body, '/queue');
    return { running: queue.queue_running.map(toQueueEntry), pending: queue.queue_pending.map(toQueueEntry) };
  }

  /** `GET /history/{id}`: the finished prompt, or null when the server has none (`{}`). @throws ComfyError */
  async history(promptId: string, options: { signal?: AbortSignal } = {}): Promise<HistoryEntry | null> {
    const path = `/history/${encodeURIComponent(promptId)}`;
    const { body } = await this.request('GET', path, options);
    const all = this.parseJson(z.record(z.string(), z.unknown()), body, path);
    if (!(promptId in all)) return null;
    const entry = this.parseJson(historyEntrySchema, Buffer.from(JSON.stringify(all[promptId])), path);
    const outputs = toOutputs(entry.outputs);
    const messages = (entry.status?.messages ?? [])
      .filter((message): message is [string, Record<string, unknown>] => Array.isArray(message) && typeof message[0] === 'string' && isRecord(message[1]))
      .map(([type, data]) => [type, data] as [string, Record<string, unknown>]);
    return {
      promptId,
      outputs,
      images: imagesOf(outputs),
      statusStr: entry.status?.status_str ?? 'success',
      completed: entry.status?.completed ?? true,
      messages,
    };
  }

  /** `GET /view`: the bytes of an image the server produced or holds. @throws ComfyError (`not_found` if absent) */
  async view(image: ImageRef, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    const { body } = await this.request('GET', '/view', {
      ...options,
      query: { filename: image.filename, subfolder: image.subfolder, type: image.type },
    });
    return body;
  }

  /**
   * `POST /upload/image` (multipart): stores an image in the server's input folder. Without `overwrite`, the
   * same bytes under the same name keep the name; different bytes get `name (1).png`. Reference the result in
   * a LoadImage node as `subfolder/filename` (or `filename` at the top). @throws ComfyError
   */
  async uploadImage(
    bytes: Uint8Array,
    name: string,
    options: { subfolder?: string; overwrite?: boolean; type?: 'input' | 'temp' | 'output'; signal?: AbortSignal } = {},
  ): Promise<ImageRef> {
    if (!name || name.includes('/') || name.includes('\\')) {
      throw new Error(`uploadImage: file name '${name}' must be a plain name; put folders in options.subfolder`);
    }
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(bytes)]), name);
    form.append('type', options.type ?? 'input');
    form.append('overwrite', options.overwrite ? 'true' : 'false');
    if (options.subfolder) form.append('subfolder', options.subfolder);
    const { body } = await this.request('POST', '/upload/image', { form, signal: options.signal });
    const answer = this.parseJson(uploadSchema, body, '/upload/image');
    return { filename: answer.name, subfolder: answer.subfolder ?? '', type: answer.type ?? 'input' };
  }

  // ------------------------------------------------------------------------------------------ submit

  /**
   * Queues a workflow (`POST /prompt` with our client id and prompt id) and starts following it. Opens the
   * WebSocket first, so every message of the run reaches us.
   * @throws ComfyError permanent `validation` (message names node, input, value, alternatives), transient
   * when the server cannot be reached or answers garbage (when our own prompt id shows the server took the
   * prompt anyway, the submit succeeds instead).
   */
  async submit(graph: ComfyGraph, options: { promptId?: string; extraData?: Record<string, unknown>; front?: boolean; signal?: AbortSignal } = {}): Promise<SubmitResult> {
    if (!isRecord(graph) || Object.keys(graph).length === 0) {
      throw new Error('submit: the workflow must be a non-empty API-format graph (node id -> {class_type, inputs}); export it with "Export (API)"');
    }
    await this.connect();
    const ownId = options.promptId ?? randomUUID();
    const existing = this.trackers.get(ownId);
    if (existing && existing.state !== 'done') throw new Error(`submit: prompt id ${ownId} is already being followed; use a new id`);
    this.finished.delete(ownId);
    const tracker = this.track(ownId, 'submitting');
    this.pendingSubmits += 1;
    try {
      const payload: Record<string, unknown> = { prompt: graph, client_id: this.clientId, prompt_id: ownId };
      if (options.extraData) payload.extra_data = options.extraData;
      if (options.front) payload.front = true;
      let answer: { prompt_id: string | number; number: number; node_errors?: unknown };
      try {
        const { status, body } = await this.request('POST', '/prompt', { json: payload, signal: options.signal, allowStatus: [400] });
        if (status === 400) {
          let errorBody: unknown;
          try {
            errorBody = JSON.parse(body.toString('utf8'));
          } catch {
            errorBody = { error: body.toString('utf8') };
          }
          throw validationError(errorBody, this.serverUrl, this.choicesLookup());
        }
        answer = this.parseJson(postPromptSchema, body, '/prompt');
      } catch (error) {
        const found = error instanceof ComfyError && error.kind === 'transient' && error.code !== 'closed' ? await this.findAccepted(ownId) : null;
        if (found === null) throw error;
        answer = { prompt_id: ownId, number: found };
      }
      const promptId = String(answer.prompt_id);
      if (promptId !== ownId) {
        this.protocolGeneration = 'mid2024';
        this.trackers.delete(ownId);
        tracker.promptId = promptId;
        this.trackers.set(promptId, tracker);
      }
      if (tracker.state === 'submitting') tracker.state = 'queued';
      const warnings = isRecord(answer.node_errors) && Object.keys(answer.node_errors).length > 0
        ? problemsFromPromptError({ node_errors: answer.node_errors }, this.choicesLookup()).map((problem) => problem.message)
        : [];
      this.ensureWatchdog();
      return { promptId, number: answer.number, warnings };
    } catch (error) {
      if (tracker.state === 'submitting') this.trackers.delete(tracker.promptId);
      throw error;
    } finally {
      this.pendingSubmits -= 1;
      this.drainHeld();
    }
  }

  /** After a failed POST: did the server take our prompt id anyway? Returns its number, or null. */
  private async findAccepted(promptId: string): Promise<number | null> {
    try {
      const queue = await this.queue();
      const entry = [...queue.running, ...queue.pending].find((item) => item.promptId === promptId);
      if (entry) return entry.number;
      const { body } = await this.request('GET', `/history/${encodeURIComponent(promptId)}`);
      const all = JSON.parse(body.toString('utf8')) as Record<string, { prompt?: unknown[] }>;
      const tuple = all[promptId]?.prompt;
      return Array.isArray(tuple) ? Number(tuple[0]) : null;
    } catch {
      return null;
    }
  }

  private choicesLookup(): ((classType: string, inputName: string) => string[] | undefined) | undefined {
    const capabilities = this.capabilities;
    return capabilities ? (classType, inputName) => choicesFor(capabilities.nodes, classType, inputName) : undefined;
  }

  // ------------------------------------------------------------------------------------------ cancel

  /**
   * Stops a prompt without touching anyone else's work: queued -> `POST /queue {"delete":[id]}`; running and
   * ours -> `POST /interrupt {"prompt_id": id}`. On a mid-2024 server (whose interrupt ignores the id) it
   * interrupts only when `/queue` shows exactly this prompt running, just before asking. Never sends a bare
   * interrupt. The run's end is then reported by {@link waitForResult} (`interrupted`).
   * @throws ComfyError when the server cannot be asked.
   */
  async cancel(promptId: string): Promise<CancelOutcome> {
    const protocol = await this.protocol();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const queue = await this.queue();
      const pending = queue.pending.find((entry) => entry.promptId === promptId);
      if (pending) {
        if (pending.clientId !== this.clientId) return 'not-ours';
        this.markCancel(promptId);
        await this.request('POST', '/queue', { json: { delete: [promptId] } });
        const after = await this.queue();
        if ([...after.running, ...after.pending].some((entry) => entry.promptId === promptId)) continue;
        const tracker = this.trackers.get(promptId);
        if (tracker && tracker.state !== 'finishing' && tracker.state !== 'done') await this.finalize(tracker, 'cancel');
        return 'deleted';
      }
      const running = queue.running.find((entry) => entry.promptId === promptId);
      if (!running) return 'not-found';
      if (running.clientId !== this.clientId) return 'not-ours';
      this.markCancel(promptId);
      if (protocol === 'mid2024') {
        const again = await this.queue();
        if (!again.running.some((entry) => entry.promptId === promptId)) continue;
      }
      await this.request('POST', '/interrupt', { json: { prompt_id: promptId } });
      return 'interrupted';
    }
    return 'not-found';
  }

  private markCancel(promptId: string): void {
    const tracker = this.trackers.get(promptId);
    if (tracker) tracker.cancelRequested = true;
  }

  // --------------------------------------------------------------------------------------- following

  /**
   * Resolves with the outcome of a prompt: `success` (outputs and images), `error` (with a ComfyError) or
   * `interrupted`. A prompt not submitted through this client is adopted: its state is read from `/queue`
   * and `/history`.
   * @throws ComfyError transient `connection_lost` / `prompt_lost` when the outcome cannot be known; the
   * signal's reason when aborted.
   */
  waitForResult(promptId: string, options: { signal?: AbortSignal } = {}): Promise<ComfyResult> {
    const done = this.finished.get(promptId);
    if (done) return Promise.resolve(done);
    if (this.closed) return Promise.reject(this.closedError());
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    let tracker = this.trackers.get(promptId);
    if (!tracker) {
      tracker = this.track(promptId, 'queued');
      this.connect().catch(() => undefined);
      void this.reconcile();
      this.ensureWatchdog();
    }
    const target = tracker;
    return new Promise<ComfyResult>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (result) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          options.signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = (): void => {
        target.waiters = target.waiters.filter((item) => item !== waiter);
        reject(options.signal?.reason);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      target.waiters.push(waiter);
    });
  }

  private track(promptId: string, state: TrackerState): Tracker {
    const tracker: Tracker = { promptId, state, outputs: {}, executionError: null, interruptedNode: undefined, cancelRequested: false, waiters: [] };
    this.trackers.set(promptId, tracker);
    return tracker;
  }

  private complete(tracker: Tracker, result: ComfyResult): void {
    if (tracker.state === 'done') return;
    tracker.state = 'done';
    this.trackers.delete(tracker.promptId);
    this.finished.set(tracker.promptId, result);
    if (this.finished.size > FINISHED_KEPT) this.finished.delete(this.finished.keys().next().value as string);
    for (const waiter of tracker.waiters.splice(0)) waiter.resolve(result);
    if (result.status === 'success') this.emit({ type: 'success', promptId: result.promptId, result });
    else if (result.status === 'error') this.emit({ type: 'error', promptId: result.promptId, result, error: result.error as ComfyError });
    else this.emit({ type: 'interrupted', promptId: result.promptId, result });
    this.stopWatchdogIfIdle();
  }

  private fail(tracker: Tracker, error: ComfyError): void {
    if (tracker.state === 'done') return;
    tracker.state = 'done';
    this.trackers.delete(tracker.promptId);
    for (const waiter of tracker.waiters.splice(0)) waiter.reject(error);
    this.emit({ type: 'lost', promptId: tracker.promptId, error });
    this.stopWatchdogIfIdle();
  }

  /** Reads `/history/{id}`, retrying `{}` (the history is written a little after the run ends). */
  private async historyWithRetry(promptId: string): Promise<HistoryEntry | null> {
    for (let attempt = 0; attempt < this.historyAttempts; attempt += 1) {
      if (this.closed) return null;
      const entry = await this.history(promptId);
      if (entry) return entry;
      if (attempt + 1 < this.historyAttempts) await new Promise((resolve) => setTimeout(resolve, this.historyDelayMs).unref());
    }
    return null;
  }

  /**
   * Settles a prompt that is no longer running. `why`: `ended` (we saw `executing {node:null}`), `resync`
   * (it left the queue while we were not listening), `cancel` (we deleted it from the queue).
   */
  private async finalize(tracker: Tracker, why: 'ended' | 'resync' | 'cancel'): Promise<void> {
    if (tracker.state === 'finishing' || tracker.state === 'done') return;
    const previous = tracker.state;
    tracker.state = 'finishing';
    let entry: HistoryEntry | null = null;
    let historyError: unknown = null;
    try {
      entry = why === 'cancel' ? await this.history(tracker.promptId) : await this.historyWithRetry(tracker.promptId);
    } catch (error) {
      historyError = error;
    }
    if (this.closed) return;
    const promptId = tracker.promptId;
    if (entry) {
      const errorMessage = entry.messages.find(([type]) => type === 'execution_error');
      const interruptMessage = entry.messages.find(([type]) => type === 'execution_interrupted');
      const base = { promptId, outputs: entry.outputs, images: entry.images };
      if (errorMessage) {
        const error = executionError(errorMessage[1], this.serverUrl);
        this.complete(tracker, { ...base, status: 'error', error });
      } else if (interruptMessage) {
        this.complete(tracker, { ...base, status: 'interrupted', interruptedNode: stringOrNull(interruptMessage[1].node_id) });
      } else if (entry.statusStr !== 'success' && tracker.executionError) {
        this.complete(tracker, { ...base, status: 'error', error: executionError(tracker.executionError, this.serverUrl) });
      } else if (entry.statusStr !== 'success') {
        this.complete(tracker, { ...base, status: 'interrupted', interruptedNode: tracker.interruptedNode ?? null });
      } else {
        this.complete(tracker, { ...base, status: 'success' });
      }
      return;
    }
    if (why === 'ended') {
      // No history (it was deleted, or the server failed to answer): report what the messages said.
      const base = { promptId, outputs: tracker.outputs, images: imagesOf(tracker.outputs) };
      if (tracker.executionError) this.complete(tracker, { ...base, status: 'error', error: executionError(tracker.executionError, this.serverUrl) });
      else if (tracker.interruptedNode !== undefined) this.complete(tracker, { ...base, status: 'interrupted', interruptedNode: tracker.interruptedNode });
      else this.complete(tracker, { ...base, status: 'success' });
      return;
    }
    if (why === 'cancel' || tracker.cancelRequested) {
      this.complete(tracker, { promptId, outputs: tracker.outputs, images: imagesOf(tracker.outputs), status: 'interrupted', interruptedNode: tracker.interruptedNode ?? null });
      return;
    }
    if (historyError instanceof ComfyError && historyError.kind === 'transient') {
      tracker.state = previous; // try again at the next reconnect or watchdog tick
      return;
    }
    this.fail(
      tracker,
      new ComfyError(
        `ComfyUI at ${this.serverUrl} no longer knows prompt ${promptId} (not queued, not running, no history): the server may have restarted, or someone removed it. Submit it again.`,
        { kind: 'transient', code: 'prompt_lost', serverUrl: this.serverUrl, cause: historyError ?? undefined },
      ),
    );
  }

  /** Compares followed prompts with `/queue` and settles those that are no longer there. */
  private reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.reconcileAgain = false;
        const candidates = [...this.trackers.values()].filter((tracker) => tracker.state === 'queued' || tracker.state === 'running');
        if (candidates.length === 0 || this.closed) break;
        let queue: QueueSnapshot;
        try {
          queue = await this.queue();
        } catch {
          break; // unreachable now: the next reconnect or watchdog tick tries again
        }
        const running = new Set(queue.running.map((entry) => entry.promptId));
        const pending = new Set(queue.pending.map((entry) => entry.promptId));
        await Promise.all(
          candidates.map(async (tracker) => {
            if (tracker.state !== 'queued' && tracker.state !== 'running') return;
            if (running.has(tracker.promptId)) {
              tracker.state = 'running';
              return;
            }
            if (pending.has(tracker.promptId)) return;
            await this.finalize(tracker, 'resync');
          }),
        );
      } while (this.reconcileAgain && !this.closed);
    })().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private ensureWatchdog(): void {
    if (this.watchdogMs <= 0 || this.watchdogTimer || this.closed) return;
    this.watchdogTimer = setInterval(() => void this.reconcile(), this.watchdogMs);
    this.watchdogTimer.unref();
  }

  private stopWatchdogIfIdle(): void {
    if (this.trackers.size > 0 || !this.watchdogTimer) return;
    clearInterval(this.watchdogTimer);
    this.watchdogTimer = null;
  }

  // --------------------------------------------------------------------------------------- WebSocket

  /**
   * Opens the WebSocket (if not open) and keeps it open until {@link close}, reconnecting with backoff.
   * @throws ComfyError transient when it cannot be opened within `timeoutMs`.
   */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    this.wantConnection = true;
    if (this.socketOpen) return Promise.resolve();
    if (!this.connecting) {
      if (this.reconnectTimer) {
        clearTimeout(this.reconnectTimer);
        this.reconnectTimer = null;
      }
      this.connecting = this.openSocket().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private openSocket(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let socket: WebSocketLike;
      try {
        socket = new this.WebSocketImpl(this.webSocketUrl, { headers: this.headers, handshakeTimeout: this.timeoutMs });
      } catch (error) {
        reject(new ComfyError(`Cannot open the WebSocket of ComfyUI at ${this.serverUrl}: ${(error as Error).message}`, {
          kind: 'transient', code: 'unreachable', serverUrl: this.serverUrl, cause: error,
        }));
        return;
      }
      this.socket = socket;
      socket.binaryType = 'arraybuffer';
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        reject(new ComfyError(`The WebSocket of ComfyUI at ${this.serverUrl} did not open within ${this.timeoutMs} ms.`, {
          kind: 'transient', code: 'timeout', serverUrl: this.serverUrl,
        }));
        try {
          socket.close();
        } catch {
          // closing a socket that never opened can throw; it is gone either way
        }
      }, this.timeoutMs);
      timer.unref();
      socket.onopen = () => {
        clearTimeout(timer);
        if (settled || this.closed) {
          try {
            socket.close();
          } catch {
            // already closing
          }
          return;
        }
        settled = true;
        this.onSocketOpen(socket);
        resolve();
      };
      socket.onmessage = (event) => {
        if (this.socket === socket) this.onSocketMessage(event.data);
      };
      socket.onerror = () => undefined; // a close event follows
      socket.onclose = () => {
        clearTimeout(timer);
        if (!settled) {
          settled = true;
          reject(new ComfyError(`Cannot open the WebSocket of ComfyUI at ${this.serverUrl}; check that the server is running and the address is right.`, {
            kind: 'transient', code: 'unreachable', serverUrl: this.serverUrl,
          }));
        }
        this.onSocketClose(socket);
      };
    });
  }

  private onSocketOpen(socket: WebSocketLike): void {
    this.socketOpen = true;
    this.reconnectAttempt = 0;
    if (this.lostTimer) {
      clearTimeout(this.lostTimer);
      this.lostTimer = null;
    }
    socket.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
    this.emit({ type: 'connection', state: 'up' });
    if (this.hadConnection) void this.reconcile();
    this.hadConnection = true;
  }

  private onSocketClose(socket: WebSocketLike): void {
    if (this.socket !== socket) return;
    const wasOpen = this.socketOpen;
    this.socket = null;
    this.socketOpen = false;
    if (this.closed) return;
    const retryInMs = this.wantConnection ? this.scheduleReconnect() : undefined;
    if (wasOpen) this.emit({ type: 'connection', state: 'down', retryInMs });
    if (!this.lostTimer && this.connectionLostMs > 0 && [...this.trackers.values()].some((tracker) => tracker.state !== 'done')) {
      this.lostTimer = setTimeout(() => this.onConnectionLost(), this.connectionLostMs);
      this.lostTimer.unref();
    }
  }

  private scheduleReconnect(): number {
    const delayMs = backoffDelayMs(this.reconnectAttempt, this.backoff, this.random);
    this.reconnectAttempt += 1;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed || this.socketOpen || this.connecting) return;
      this.connect().catch(() => undefined); // a failed attempt schedules the next one
    }, delayMs);
    this.reconnectTimer.unref();
    return delayMs;
  }

  private onConnectionLost(): void {
    this.lostTimer = null;
    if (this.socketOpen || this.closed) return;
    const error = new ComfyError(
      `Lost the connection to ComfyUI at ${this.serverUrl} for more than ${Math.round(this.connectionLostMs / 1000)} s; the outcome of its prompts is unknown.`,
      { kind: 'transient', code: 'connection_lost', serverUrl: this.serverUrl },
    );
    for (const tracker of [...this.trackers.values()]) if (tracker.state !== 'finishing') this.fail(tracker, error);
  }

  private onSocketMessage(data: unknown): void {
    if (typeof data === 'string') {
      let message: unknown;
      try {
        message = JSON.parse(data);
      } catch {
        return; // not JSON: ignore (custom nodes send odd things)
      }
      if (isRecord(message) && typeof message.type === 'string') this.onTextMessage(message.type, isRecord(message.data) ? message.data : {});
      return;
    }
    const frame = Buffer.isBuffer(data) ? data : data instanceof ArrayBuffer ? Buffer.from(data) : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : null;
    if (!frame) return;
    let preview;
    try {
      preview = parsePreviewFrame(frame);
    } catch {
      return;
    }
    if (!preview) return;
    const promptId = preview.promptId ?? this.currentPromptId;
    const node = preview.node;
    if (promptId && this.shouldHold(promptId)) {
      this.held.push({ promptId, type: 'preview', data: {}, preview: { image: preview.image, mime: preview.mime, node } });
      return;
    }
    this.emit({ type: 'preview', promptId, node, image: preview.image, mime: preview.mime });
  }

  /** Messages for prompts we do not know yet wait while a submit is in flight (mid-2024: id known late). */
  private shouldHold(promptId: string): boolean {
    return this.pendingSubmits > 0 && !this.trackers.has(promptId);
  }

  private onTextMessage(type: string, data: Record<string, unknown>): void {
    if (type === 'status') {
      const status = isRecord(data.status) ? data.status : {};
      const execInfo = isRecord(status.exec_info) ? status.exec_info : {};
      this.emit({ type: 'status', queueRemaining: Number(execInfo.queue_remaining ?? 0) });
      return;
    }
    if (type === 'feature_flags') return;
    let promptId = stringOrNull(data.prompt_id);
    if (type === 'executing' && promptId === null) {
      // Sent on reconnect while our prompt runs: {node} without prompt_id.
      promptId = this.currentPromptId;
      if (promptId === null || data.node === null || data.node === undefined) return;
    }
    if (promptId === null) return;
    if (type === 'execution_start' || (type === 'executing' && data.node !== null && data.node !== undefined)) this.currentPromptId = promptId;
    if (this.shouldHold(promptId)) {
      this.held.push({ promptId, type, data });
      return;
    }
    this.handleExecutionMessage(promptId, type, data);
  }

  private drainHeld(): void {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const message of held) {
      if (this.shouldHold(message.promptId)) {
        this.held.push(message);
        continue;
      }
      if (message.preview) {
        this.emit({ type: 'preview', promptId: message.promptId, node: message.preview.node, image: message.preview.image, mime: message.preview.mime });
      } else this.handleExecutionMessage(message.promptId, message.type, message.data);
    }
  }

  private handleExecutionMessage(promptId: string, type: string, data: Record<string, unknown>): void {
    const tracker = this.trackers.get(promptId);
    switch (type) {
      case 'execution_start':
        if (tracker && (tracker.state === 'queued' || tracker.state === 'submitting')) tracker.state = 'running';
        this.emit({ type: 'started', promptId });
        return;
      case 'execution_cached':
        this.emit({ type: 'cached', promptId, nodes: Array.isArray(data.nodes) ? data.nodes.map(String) : [] });
        return;
      case 'executing': {
        if (data.node === null || data.node === undefined) {
          if (this.currentPromptId === promptId) this.currentPromptId = null;
          if (tracker) void this.finalize(tracker, 'ended');
          return;
        }
        if (tracker && (tracker.state === 'queued' || tracker.state === 'submitting')) tracker.state = 'running';
        this.emit({ type: 'executing', promptId, node: String(data.node) });
        return;
      }
      case 'progress':
        this.emit({ type: 'progress', promptId, node: String(data.node ?? ''), value: Number(data.value ?? 0), max: Number(data.max ?? 0) });
        return;
      case 'executed': {
        const node = String(data.node ?? '');
        const output = isRecord(data.output) ? (data.output as NodeOutput) : {};
        if (tracker) tracker.outputs[node] = output;
        this.emit({ type: 'executed', promptId, node, output });
        return;
      }
      case 'execution_error':
        if (tracker) tracker.executionError = data;
        return;
      case 'execution_interrupted':
        if (tracker) tracker.interruptedNode = stringOrNull(data.node_id);
        return;
      default:
        // execution_success (completion waits for executing {node:null}), progress_state, custom node messages
        return;
    }
  }

  /**
   * Closes the WebSocket, stops reconnecting and rejects every pending {@link waitForResult} with a
   * transient `closed` ComfyError (the server may still finish the work).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of [this.reconnectTimer, this.lostTimer]) if (timer) clearTimeout(timer);
    if (this.watchdogTimer) clearInterval(this.watchdogTimer);
    this.reconnectTimer = null;
    this.lostTimer = null;
    this.watchdogTimer = null;
    const error = this.closedError();
    for (const tracker of [...this.trackers.values()]) {
      tracker.state = 'done';
      for (const waiter of tracker.waiters.splice(0)) waiter.reject(error);
    }
    this.trackers.clear();
    const socket = this.socket;
    this.socket = null;
    this.socketOpen = false;
    if (socket) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          (socket as WebSocketLike & { terminate?: () => void }).terminate?.();
          resolve();
        }, 1000);
        const settleOpening = socket.onclose; // lets a connect() still in flight fail instead of hanging
        socket.onclose = (event) => {
          clearTimeout(timer);
          settleOpening?.(event);
          resolve();
        };
        try {
          socket.close(1000);
        } catch {
          clearTimeout(timer);
          resolve();
        }
        if (socket.readyState === 3) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    await this.reconciling?.catch(() => undefined);
  }
}
