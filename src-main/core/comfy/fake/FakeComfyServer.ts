/**
 * FakeComfyServer: a test double of a ComfyUI server (HTTP + WebSocket on 127.0.0.1, random port) that speaks
 * the protocol of `/work/shared/comfyui/PROTOCOL.md` with the shapes and message order of the recordings in
 * `../testdata/recorded/` (ComfyUI 0.3.64), or of a mid-2024 server with `mode: 'mid2024'`.
 *
 * It validates graphs as ComfyUI does (`validate.ts`), runs them with ComfyUI's execution order and caching
 * (`executionPlan.ts`) over simulated nodes (`nodeCatalog.ts`: solid-colour images, `speed` seconds per
 * sampling step), keeps a real queue (Python heap order), history, input/output/temp folders in a temp dir,
 * and offers fault injection for client tests: `kill()`, `restart()`, `dropSocket()`, `failNext()`,
 * `garbageJsonNext()`, `hangNext()`, `failPrompt()`.
 *
 * Usage: `const comfy = await FakeComfyServer.start({ speed: 0.001 }); ... await comfy.close();`
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID, createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir, totalmem, freemem } from 'node:os';
import { basename, dirname, join, normalize, resolve, sep, extname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocketServer, WebSocket } from 'ws';
import { heapify, heapPop, heapPush } from './heapq.ts';
import { solidJpeg, solidPng, type Rgb } from './images.ts';
import { cacheSignatures, isLink, planExecution } from './executionPlan.ts';
import {
  NODE_CATALOG,
  NodeRuntimeError,
  objectInfoEntry,
  type CatalogEnv,
  type FakeImage,
  type ImageFileRef,
  type NodeClassDef,
  type NodeRunContext,
} from './nodeCatalog.ts';
import { pyJsonDumps, pyRepr, torchImageRepr } from './pyJson.ts';
import { validatePrompt } from './validate.ts';

/** Which protocol generation the double speaks (see PROTOCOL.md, "Older servers"). */
export type FakeComfyMode = 'current' | 'mid2024';

/** Model files the double pretends to have (they appear in loader choice lists and `/models/{folder}`). */
export interface FakeComfyModels {
  checkpoints?: string[];
  loras?: string[];
  vaes?: string[];
  upscaleModels?: string[];
}

/** Options of {@link FakeComfyServer.start}. */
export interface FakeComfyServerOptions {
  /** Protocol generation; default `'current'` (ComfyUI 0.3.64). */
  mode?: FakeComfyMode;
  /** Model files; default one checkpoint `v1-5-pruned-emaonly.safetensors`, nothing else. */
  models?: FakeComfyModels;
  /** Node classes offered (names from the catalogue); default all of them. */
  nodeClasses?: string[];
  /** Simulated work per sampling step, in seconds (KSampler, ProbeSlowPassthrough); default 0.005. */
  speed?: number;
  /** Delay between `execution_success` and the history write (the race of PROTOCOL.md), ms; default 10. */
  historyDelayMs?: number;
  /** Send JPEG previews during sampling; default true. */
  previews?: boolean;
  /** Port to listen on; default 0 (a random free port). */
  port?: number;
  /** Headers every request (HTTP and WebSocket upgrade) must carry, else 401 (an auth proxy in front). */
  requiredHeaders?: Record<string, string>;
}

/** A runtime failure to inject into a run (see {@link FakeComfyServer.failPrompt}). */
export interface FakeRuntimeFailure {
  /** Node that fails; default the first sampling node, else the first output node. */
  nodeId?: string;
  /** `exception_message` (a newline is appended, as ComfyUI does); default a CUDA out-of-memory text. */
  message?: string;
  /** `exception_type`; default `torch.OutOfMemoryError`. */
  exceptionType?: string;
}

/** One HTTP request or WebSocket upgrade the double received. */
export interface FakeRequestRecord {
  method: string;
  /** Path as requested (with `/api` when the client used it). */
  path: string;
  /** Path without the `/api` prefix. */
  route: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined without a body. */
  body: unknown;
}

/** Restricts a fault to requests whose route starts with `route` (and have `method`, when given). */
export interface FakeFaultMatch {
  route?: string;
  method?: string;
}

interface Fault {
  kind: 'fail' | 'garbage' | 'hang';
  remaining: number;
  status: number;
  match: FakeFaultMatch;
}

interface QueueItem {
  number: number;
  promptId: string;
  prompt: Record<string, unknown>;
  extraData: Record<string, unknown>;
  outputs: string[];
}

interface SocketEntry {
  ws: WebSocket;
  featureFlags: Record<string, unknown>;
}

interface CacheEntry {
  outputs: unknown[];
  ui?: Record<string, unknown>;
}

interface ProgressEntry {
  value: number;
  max: number;
  state: 'running' | 'finished';
}

class InterruptProcessing extends Error {}
class Abandoned extends Error {}

const FOLDER_NAMES = [
  'checkpoints', 'configs', 'loras', 'vae', 'text_encoders', 'diffusion_models', 'clip_vision', 'style_models',
  'embeddings', 'diffusers', 'vae_approx', 'controlnet', 'gligen', 'upscale_models', 'custom_nodes', 'hypernetworks',
  'photomaker', 'classifiers', 'model_patches', 'audio_encoders',
];
const MAX_UPLOAD_SIZE_BYTES = 104857600;
/** ComfyUI's `MAXIMUM_HISTORY_SIZE`: the oldest entry goes when the history is longer. */
const MAXIMUM_HISTORY_SIZE = 10000;
/** The request log keeps the newest this many (a long benchmark must not grow without bound). */
const MAX_RECORDED_REQUESTS = 10000;
const INTERNAL_ERROR_TEXT = '500 Internal Server Error\n\nServer got itself in trouble';
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);
/** First lines of every node traceback ComfyUI 0.3.64 reports (ws_run6_runtime_error.json). */
const EXECUTION_TRACEBACK = [
  "  File \"/opt/comfy/execution.py\", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n                                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
  "  File \"/opt/comfy/execution.py\", line 315, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
  "  File \"/opt/comfy/execution.py\", line 289, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n",
  "  File \"/opt/comfy/execution.py\", line 277, in process_inputs\n    result = f(**inputs)\n",
];
const SAVE_IMAGE_TRACEBACK = [
  ...EXECUTION_TRACEBACK,
  "  File \"/opt/comfy/nodes.py\", line 1590, in save_images\n    full_output_folder, filename, counter, subfolder, filename_prefix = folder_paths.get_save_image_path(filename_prefix, self.output_dir, images[0].shape[1], images[0].shape[0])\n                                                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
  "  File \"/opt/comfy/folder_paths.py\", line 397, in get_save_image_path\n    raise Exception(err)\n",
];
const PNG_1X1_GREY = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000376ef9240000000a49444154789c63680000008200814c0ba36b0000000049454e44ae426082',
  'hex',
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareItems(a: QueueItem, b: QueueItem): number {
  if (a.number !== b.number) return a.number - b.number;
  return a.promptId < b.promptId ? -1 : a.promptId > b.promptId ? 1 : 0;
}

function queueTuple(item: QueueItem): unknown[] {
  return [item.number, item.promptId, item.prompt, item.extraData, item.outputs];
}

/** Python `os.path.commonpath` of two absolute paths. */
function commonPath(a: string, b: string): string {
  const partsA = a.split(sep);
  const partsB = b.split(sep);
  const common: string[] = [];
  for (let i = 0; i < Math.min(partsA.length, partsB.length) && partsA[i] === partsB[i]; i += 1) common.push(partsA[i]);
  return common.join(sep) || sep;
}

/** `str(value)` of a node input in `execution_error.current_inputs` (ComfyUI's `format_value`). */
function formatInputValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (isRecord(value) && value.kind === 'IMAGE') {
    const image = value as unknown as FakeImage;
    return torchImageRepr(image.batch, image.heightPx, image.widthPx, [image.colour.r, image.colour.g, image.colour.b]);
  }
  if (isRecord(value) && typeof value.kind === 'string') {
    const address = createHash('sha256').update(pyJsonDumps(value)).digest('hex').slice(0, 12);
    return `<comfy.${String(value.kind).toLowerCase()} object at 0x7f${address}>`;
  }
  return pyRepr(value);
}

/**
 * The ComfyUI test double. Start with {@link FakeComfyServer.start}; always {@link FakeComfyServer.close}.
 */
export class FakeComfyServer {
  /** Every HTTP request and WebSocket upgrade received, oldest first (the newest 10 000). */
  readonly requests: FakeRequestRecord[] = [];
  /** Folders: `root` (temp dir, removed by close), `input`, `output`, `temp`. */
  readonly dirs: { root: string; input: string; output: string; temp: string };

  private readonly mode: FakeComfyMode;
  private readonly models: Record<string, string[]>;
  private readonly classes: Map<string, NodeClassDef>;
  private readonly speedMs: number;
  private readonly historyDelayMs: number;
  private readonly previews: boolean;
  private readonly requiredHeaders: Record<string, string>;
  private readonly env: CatalogEnv;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Socket>();
  private portNumber = 0;

  private sockets = new Map<string, SocketEntry>();
  private pending: QueueItem[] = [];
  private running: QueueItem | null = null;
  private history = new Map<string, Record<string, unknown>>();
  private cache = new Map<string, CacheEntry>();
  private nextNumber = 0;
  private interruptFlag = false;
  private execClientId: string | null = null;
  private lastNodeId: string | null = null;
  private faults: Fault[] = [];
  private failures: Array<{ match: string | ((prompt: Record<string, unknown>, promptId: string) => boolean); failure: FakeRuntimeFailure }> = [];
  private dead = false;
  private epoch = 0;
  private abort = new AbortController();
  private worker: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];

  private constructor(root: string, options: FakeComfyServerOptions) {
    this.mode = options.mode ?? 'current';
    const sorted = (names: string[] | undefined): string[] => [...(names ?? [])].sort();
    this.models = {
      checkpoints: sorted(options.models?.checkpoints ?? ['v1-5-pruned-emaonly.safetensors']),
      loras: sorted(options.models?.loras),
      vae: sorted(options.models?.vaes),
      upscale_models: sorted(options.models?.upscaleModels),
    };
    const wanted = options.nodeClasses ?? [...NODE_CATALOG.keys()];
    this.classes = new Map();
    for (const name of wanted) {
      const def = NODE_CATALOG.get(name);
      if (!def) {
        throw new Error(`FakeComfyServer: unknown node class '${name}'; the catalogue has ${[...NODE_CATALOG.keys()].join(', ')}`);
      }
      this.classes.set(name, def);
    }
    this.speedMs = (options.speed ?? 0.005) * 1000;
    this.historyDelayMs = options.historyDelayMs ?? 10;
    this.previews = options.previews ?? true;
    this.requiredHeaders = Object.fromEntries(Object.entries(options.requiredHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    this.dirs = { root, input: join(root, 'input'), output: join(root, 'output'), temp: join(root, 'temp') };
    this.env = {
      models: this.models,
      inputImages: () => this.listInputImages(),
      inputImagePath: (name) => this.annotatedPath(name),
    };
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.http.on('connection', (socket: Socket) => {
      if (this.dead) {
        socket.destroy();
        return;
      }
      this.connections.add(socket);
      socket.on('close', () => this.connections.delete(socket));
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(req, socket, head));
    this.wss = new WebSocketServer({ noServer: true });
  }

  /**
   * Starts a double on 127.0.0.1 (random port unless `options.port`), with an empty queue and history, and
   * an input folder holding `example.png`.
   * @throws Error for an unknown node class name, or when the port cannot be bound.
   */
  static async start(options: FakeComfyServerOptions = {}): Promise<FakeComfyServer> {
    const root = await mkdtemp(join(tmpdir(), 'fake-comfy-'));
    const server = new FakeComfyServer(root, options);
    await Promise.all([mkdir(server.dirs.input), mkdir(server.dirs.output), mkdir(server.dirs.temp)]);
    await writeFile(join(server.dirs.input, 'example.png'), PNG_1X1_GREY);
    await server.listen(options.port ?? 0);
    return server;
  }

  /** Base URL, `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** The port listened on. */
  get port(): number {
    return this.portNumber;
  }

  /** `queue_remaining`: pending plus running prompts. */
  get queueRemaining(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  /** Client ids with a registered WebSocket. */
  get connectedClientIds(): string[] {
    return [...this.sockets.keys()];
  }

  /** The next `count` HTTP requests (matching `match`) answer `status` with ComfyUI's 500 text, unprocessed. */
  failNext(count: number, status = 500, match: FakeFaultMatch = {}): void {
    this.faults.push({ kind: 'fail', remaining: count, status, match });
  }

  /** The next `count` HTTP requests (matching `match`) answer 200 with a truncated JSON body, unprocessed. */
  garbageJsonNext(count: number, match: FakeFaultMatch = {}): void {
    this.faults.push({ kind: 'garbage', remaining: count, status: 200, match });
  }

  /** The next `count` HTTP requests (matching `match`) are never answered (until kill or close). */
  hangNext(count: number, match: FakeFaultMatch = {}): void {
    this.faults.push({ kind: 'hang', remaining: count, status: 0, match });
  }

  /**
   * Makes the run of a prompt fail with `execution_error` (once): `target` is a prompt id or a predicate on
   * the graph and prompt id.
   */
  failPrompt(target: string | ((prompt: Record<string, unknown>, promptId: string) => boolean), failure: FakeRuntimeFailure = {}): void {
    this.failures.push({ match: target, failure });
  }

  /** Terminates WebSocket connections abruptly (all, or one client's); the server and its jobs go on. */
  dropSocket(clientId?: string): number {
    let dropped = 0;
    for (const [sid, entry] of this.sockets) {
      if (clientId !== undefined && sid !== clientId) continue;
      entry.ws.terminate();
      dropped += 1;
    }
    return dropped;
  }

  /**
   * The server process "dies": the running job stops mid-way, every connection is destroyed, the port stops
   * accepting (connection refused). Use {@link restart} to bring up a fresh process on the same port.
   */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.epoch += 1;
    this.abort.abort();
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    this.http.close();
  }

  /**
   * Starts a fresh "process" on the same port after {@link kill}: empty queue, history and cache, no
   * sockets; files in the input and output folders stay (they are on disk).
   */
  async restart(): Promise<void> {
    this.kill();
    await this.worker?.catch(() => undefined);
    this.sockets = new Map();
    this.pending = [];
    this.running = null;
    this.history = new Map();
    this.cache = new Map();
    this.nextNumber = 0;
    this.interruptFlag = false;
    this.execClientId = null;
    this.lastNodeId = null;
    this.faults = [];
    this.abort = new AbortController();
    this.dead = false;
    await this.listen(this.portNumber);
  }

  /** Resolves when nothing runs and nothing is pending. */
  waitForIdle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolveIdle) => this.idleWaiters.push(resolveIdle));
  }

  /** Stops everything and removes the temp folder. Safe to call twice. */
  async close(): Promise<void> {
    this.kill();
    await this.worker?.catch(() => undefined);
    await new Promise<void>((resolveClose) => this.wss.close(() => resolveClose()));
    for (const waiter of this.idleWaiters.splice(0)) waiter();
    await rm(this.dirs.root, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------------------------------------- HTTP

  private listen(port: number): Promise<void> {
    return new Promise((resolveListen, rejectListen) => {
      const onError = (error: Error): void => rejectListen(error);
      this.http.once('error', onError);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', onError);
        const address = this.http.address();
        if (address && typeof address === 'object') this.portNumber = address.port;
        resolveListen();
      });
    });
  }

  private takeFault(method: string, route: string): Fault | null {
    for (const fault of this.faults) {
      if (fault.remaining <= 0) continue;
      if (fault.match.route && !route.startsWith(fault.match.route)) continue;
      if (fault.match.method && fault.match.method.toUpperCase() !== method) continue;
      fault.remaining -= 1;
      return fault;
    }
    return null;
  }

  private headersAllowed(req: IncomingMessage): boolean {
    return Object.entries(this.requiredHeaders).every(([name, value]) => req.headers[name] === value);
  }

  private record(req: IncomingMessage, url: URL, route: string, raw: Buffer | null): void {
    let body: unknown;
    if (raw && raw.length > 0) {
      const text = raw.toString('utf8');
      try {
        body = JSON.parse(text);
      } catch {
        body = (req.headers['content-type'] ?? '').startsWith('multipart/') ? '<multipart>' : text;
      }
    }
    if (this.requests.length >= MAX_RECORDED_REQUESTS) this.requests.shift();
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      route,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.dead) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      req.socket.destroy();
      return;
    }
    if (this.dead) {
      req.socket.destroy();
      return;
    }
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
    const method = req.method ?? 'GET';
    this.record(req, url, route, raw);
    if (!this.headersAllowed(req)) {
      this.sendText(res, 401, '401: Unauthorized');
      return;
    }
    const fault = this.takeFault(method, route);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'fail') {
      this.sendText(res, fault.status, fault.status === 500 ? INTERNAL_ERROR_TEXT : `${fault.status}: Injected failure`);
      return;
    }
    if (fault?.kind === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"prompt_id": "3375e670-7200-4977-8f8a-dae0d7894887", "number": 0, "node_err');
      return;
    }
    try {
      await this.route(method, route, url, raw, req, res);
    } catch (error) {
      if (error instanceof Abandoned) return;
      if (!res.headersSent) this.sendText(res, 500, INTERNAL_ERROR_TEXT);
    }
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    if (this.dead) return;
    const text = pyJsonDumps(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendText(res: ServerResponse, status: number, text: string): void {
    if (this.dead) return;
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** aiohttp's `web.Response(status=...)`: no body, no Content-Type. */
  private sendEmpty(res: ServerResponse, status = 200): void {
    if (this.dead) return;
    res.writeHead(status, { 'Content-Length': 0 });
    res.end();
  }

  /** Parses a JSON request body; a body that is not JSON is answered 500 as aiohttp does. */
  private parseJson(raw: Buffer, res: ServerResponse): { ok: true; value: unknown } | { ok: false } {
    try {
      return { ok: true, value: JSON.parse(raw.toString('utf8')) };
    } catch {
      this.sendText(res, 500, INTERNAL_ERROR_TEXT);
      return { ok: false };
    }
  }

  private async route(method: string, route: string, url: URL, raw: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const get = method === 'GET' || method === 'HEAD';
    const post = method === 'POST';
    const current = this.mode === 'current';
    const segments = route.split('/').filter(Boolean).map((part) => decodeURIComponent(part));
    const [first, second] = segments;
    const notAllowed = (): void => this.sendText(res, 405, '405: Method Not Allowed');

    if (route === '/system_stats') return get ? this.sendJson(res, 200, this.systemStats()) : notAllowed();
    if (first === 'object_info' && segments.length <= 2) {
      if (!get) return notAllowed();
      if (second !== undefined) {
        const def = this.classes.get(second);
        return this.sendJson(res, 200, def ? { [second]: objectInfoEntry(def, this.env) } : {});
      }
      const all: Record<string, unknown> = {};
      for (const [name, def] of this.classes) all[name] = objectInfoEntry(def, this.env);
      return this.sendJson(res, 200, all);
    }
    if (route === '/features' && current) {
      return get ? this.sendJson(res, 200, { supports_preview_metadata: true, max_upload_size: MAX_UPLOAD_SIZE_BYTES }) : notAllowed();
    }
    if (first === 'models' && current && segments.length <= 2) {
      if (!get) return notAllowed();
      if (second === undefined) return this.sendJson(res, 200, FOLDER_NAMES);
      if (!FOLDER_NAMES.includes(second)) return this.sendText(res, 404, '404: Not Found');
      return this.sendJson(res, 200, this.models[second] ?? []);
    }
    if (route === '/embeddings' || route === '/extensions') return get ? this.sendJson(res, 200, []) : notAllowed();
    if (route === '/prompt') {
      if (get) return this.sendJson(res, 200, { exec_info: { queue_remaining: this.queueRemaining } });
      if (post) return this.postPrompt(raw, res);
      return notAllowed();
    }
    if (route === '/queue') {
      if (get) {
        return this.sendJson(res, 200, {
          queue_running: this.running ? [queueTuple(this.running)] : [],
          queue_pending: this.pending.map(queueTuple),
        });
      }
      if (post) return this.postQueue(raw, res);
      return notAllowed();
    }
    if (route === '/interrupt') return post ? this.postInterrupt(raw, res) : notAllowed();
    if (first === 'history' && segments.length <= 2) {
      if (get && second !== undefined) {
        const entry = this.history.get(second);
        return this.sendJson(res, 200, entry ? { [second]: entry } : {});
      }
      if (get) return this.sendJson(res, 200, this.historySlice(url));
      if (post && second === undefined) return this.postHistory(raw, res);
      return notAllowed();
    }
    if (route === '/view') return get ? this.view(url, res) : notAllowed();
    if (route === '/upload/image') return post ? this.uploadImage(raw, req, res) : notAllowed();
    return this.sendText(res, 404, '404: Not Found');
  }

  private systemStats(): Record<string, unknown> {
    const ramTotal = totalmem();
    const ramFree = freemem();
    const system: Record<string, unknown> = { os: 'posix' };
    if (this.mode === 'current') {
      Object.assign(system, {
        ram_total: ramTotal,
        ram_free: ramFree,
        comfyui_version: '0.3.64',
        required_frontend_version: '1.27.10',
        installed_templates_version: null,
        required_templates_version: '0.1.95',
      });
    }
    Object.assign(system, {
      python_version: '3.13.5 (main, Aug 10 2026, 12:06:59) [GCC 14.2.0]',
      pytorch_version: '2.6.0+debian',
      embedded_python: false,
      argv: ['main.py', '--cpu', '--listen', '127.0.0.1', '--port', String(this.portNumber), '--disable-auto-launch'],
    });
    return {
      system,
      devices: [
        { name: 'cpu', type: 'cpu', index: null, vram_total: ramTotal, vram_free: ramFree, torch_vram_total: ramTotal, torch_vram_free: ramFree },
      ],
    };
  }

  private historySlice(url: URL): Record<string, unknown> {
    const entries = [...this.history.entries()];
    const maxItems = url.searchParams.has('max_items') ? Number.parseInt(url.searchParams.get('max_items') ?? '', 10) : undefined;
    const offset = Number.parseInt(url.searchParams.get('offset') ?? '-1', 10);
    let start = 0;
    if (maxItems !== undefined && Number.isFinite(maxItems)) {
      start = offset >= 0 ? offset : Math.max(0, entries.length - maxItems);
      return Object.fromEntries(entries.slice(start, start + maxItems));
    }
    if (offset > 0) start = offset;
    return Object.fromEntries(entries.slice(start));
  }

  // ------------------------------------------------------------------------------------ POST handlers

  private postPrompt(raw: Buffer, res: ServerResponse): void {
    const parsed = this.parseJson(raw, res);
    if (!parsed.ok) return;
    const body = isRecord(parsed.value) ? parsed.value : {};
    const current = this.mode === 'current';
    if (!('prompt' in body)) {
      if (!current) return this.sendJson(res, 400, { error: 'no prompt', node_errors: [] });
      return this.sendJson(res, 400, {
        error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
        node_errors: {},
      });
    }
    if (!isRecord(body.prompt)) return this.sendText(res, 500, INTERNAL_ERROR_TEXT);
    const prompt = body.prompt;
    let number = this.nextNumber;
    if ('number' in body && Number.isFinite(Number(body.number))) number = Number(body.number);
    else if (body.front === true) number = -number;
    this.nextNumber += 1;
    const promptId = current && body.prompt_id !== undefined && body.prompt_id !== null ? String(body.prompt_id) : randomUUID();
    const outcome = validatePrompt(prompt, this.classes, this.env);
    const extraData: Record<string, unknown> = isRecord(body.extra_data) ? { ...body.extra_data } : {};
    if ('client_id' in body) extraData.client_id = body.client_id;
    if (!outcome.ok) {
      const structural = outcome.error?.type === 'invalid_prompt' || outcome.error?.type === 'prompt_no_outputs';
      return this.sendJson(res, 400, { error: outcome.error, node_errors: !current && structural ? [] : outcome.nodeErrors });
    }
    const item: QueueItem = { number, promptId, prompt, extraData, outputs: outcome.outputs };
    heapPush(this.pending, item, compareItems);
    this.broadcastStatus();
    this.sendJson(res, 200, { prompt_id: promptId, number, node_errors: outcome.nodeErrors });
    setImmediate(() => this.kick());
  }

  private postQueue(raw: Buffer, res: ServerResponse): void {
    const parsed = this.parseJson(raw, res);
    if (!parsed.ok) return;
    const body = isRecord(parsed.value) ? parsed.value : {};
    if (body.clear === true) this.wipeQueue();
    if (Array.isArray(body.delete)) {
      for (const id of body.delete) {
        const index = this.pending.findIndex((item) => item.promptId === id);
        if (index < 0) continue;
        if (this.pending.length === 1) this.wipeQueue();
        else {
          this.pending.splice(index, 1);
          heapify(this.pending, compareItems);
        }
        this.broadcastStatus();
      }
    }
    this.sendEmpty(res);
    this.notifyIdle();
  }

  private wipeQueue(): void {
    this.pending = [];
    this.broadcastStatus();
  }

  private postInterrupt(raw: Buffer, res: ServerResponse): void {
    let body: unknown = {};
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = {};
    }
    const promptId = isRecord(body) ? body.prompt_id : undefined;
    if (this.mode === 'mid2024' || !promptId) this.interruptFlag = true;
    else if (this.running?.promptId === promptId) this.interruptFlag = true;
    this.sendEmpty(res);
  }

  private postHistory(raw: Buffer, res: ServerResponse): void {
    const parsed = this.parseJson(raw, res);
    if (!parsed.ok) return;
    const body = isRecord(parsed.value) ? parsed.value : {};
    if (body.clear === true) this.history.clear();
    if (Array.isArray(body.delete)) for (const id of body.delete) this.history.delete(String(id));
    this.sendEmpty(res);
  }

  private async view(url: URL, res: ServerResponse): Promise<void> {
    const filename = url.searchParams.get('filename');
    if (filename === null) return this.sendText(res, 404, '404: Not Found');
    const annotated = /^(.*) \[(input|output|temp)\]$/.exec(filename);
    const name = annotated ? annotated[1] : filename;
    if (!name || name.startsWith('/') || name.includes('..')) return this.sendEmpty(res, 400);
    const type = annotated?.[2] ?? url.searchParams.get('type') ?? 'output';
    const base = this.dirFor(type);
    if (!base) return this.sendEmpty(res, 400);
    let folder = base;
    const subfolder = url.searchParams.get('subfolder');
    if (subfolder) {
      folder = resolve(base, subfolder);
      if (commonPath(folder, base) !== base) return this.sendEmpty(res, 403);
    }
    const file = join(folder, basename(name));
    if (!existsSync(file) || !statSync(file).isFile()) return this.sendEmpty(res, 404);
    const bytes = await readFile(file);
    const types: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif' };
    res.writeHead(200, {
      'Content-Type': types[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Disposition': `filename="${basename(name)}"`,
      'Content-Length': bytes.length,
    });
    res.end(bytes);
  }

  private async uploadImage(raw: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = String(req.headers['content-type'] ?? '');
    let form: FormData;
    try {
      form = await new Request('http://127.0.0.1/upload', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    } catch {
      return this.sendEmpty(res, 400);
    }
    const image = form.get('image');
    if (!image || typeof image === 'string' || !image.name) return this.sendEmpty(res, 400);
    const type = String(form.get('type') ?? 'input') || 'input';
    const base = this.dirFor(type) ?? this.dirs.input;
    const subfolder = String(form.get('subfolder') ?? '');
    const overwrite = String(form.get('overwrite') ?? '');
    const folder = join(base, normalize(subfolder));
    let filename = image.name;
    let filePath = resolve(folder, filename);
    if (commonPath(filePath, base) !== base) return this.sendEmpty(res, 400);
    await mkdir(folder, { recursive: true });
    const bytes = Buffer.from(await image.arrayBuffer());
    let duplicate = false;
    if (overwrite !== 'true' && overwrite !== '1') {
      const stem = filename.slice(0, filename.length - extname(filename).length);
      const extension = extname(filename);
      for (let i = 1; existsSync(filePath); i += 1) {
        const existing = await readFile(filePath);
        if (existing.equals(bytes)) {
          duplicate = true;
          break;
        }
        filename = `${stem} (${i})${extension}`;
        filePath = join(folder, filename);
      }
    }
    if (!duplicate) await this.writeAtomically(filePath, bytes);
    this.sendJson(res, 200, { name: filename, subfolder, type: type === 'output' || type === 'temp' ? type : 'input' });
  }

  private dirFor(type: string): string | null {
    if (type === 'output') return this.dirs.output;
    if (type === 'input') return this.dirs.input;
    if (type === 'temp') return this.dirs.temp;
    return null;
  }

  private async writeAtomically(filePath: string, bytes: Buffer): Promise<void> {
    const temporary = `${filePath}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, filePath);
  }

  private listInputImages(): string[] {
    if (!existsSync(this.dirs.input)) return [];
    return readdirSync(this.dirs.input, { withFileTypes: true })
      .filter((entry) => entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort();
  }

  /** ComfyUI's annotated file path: `"name.png"`, `"sub/name.png"`, `"name.png [output]"`. */
  private annotatedPath(name: string): string | null {
    const annotated = /^(.*) \[(input|output|temp)\]$/.exec(name);
    const base = this.dirFor(annotated?.[2] ?? 'input') as string;
    const file = resolve(base, annotated ? annotated[1] : name);
    if (commonPath(file, base) !== base) return null;
    return existsSync(file) && statSync(file).isFile() ? file : null;
  }

  // ------------------------------------------------------------------------------------- WebSocket

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.dead) {
      socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
    this.record(req, url, route, null);
    if (route !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!this.headersAllowed(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, url.searchParams.get('clientId') ?? ''));
  }

  private onSocket(ws: WebSocket, requestedId: string): void {
    let sid = requestedId;
    if (sid) this.sockets.delete(sid);
    else sid = randomUUID().replace(/-/g, '');
    const entry: SocketEntry = { ws, featureFlags: {} };
    this.sockets.set(sid, entry);
    this.sendOn(ws, 'status', { status: { exec_info: { queue_remaining: this.queueRemaining } }, sid });
    if (this.execClientId === sid && this.lastNodeId !== null) this.sendOn(ws, 'executing', { node: this.lastNodeId });
    let firstMessage = true;
    ws.on('message', (data, isBinary) => {
      if (isBinary || this.mode !== 'current') return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (firstMessage && isRecord(message) && message.type === 'feature_flags') {
        entry.featureFlags = isRecord(message.data) ? message.data : {};
        this.sendOn(ws, 'feature_flags', { supports_preview_metadata: true, max_upload_size: MAX_UPLOAD_SIZE_BYTES });
      }
      firstMessage = false;
    });
    // ComfyUI pops the client id when any of its sockets closes, even an older one (server.py).
    ws.on('close', () => this.sockets.delete(sid));
    ws.on('error', () => undefined);
  }

  private sendOn(ws: WebSocket, type: string, data: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(pyJsonDumps({ type, data }));
  }

  /** aiohttp `send_sync(event, data, sid)`: to one client id, or to everyone when `sid` is null. */
  private send(sid: string | null, type: string, data: unknown): void {
    if (this.dead) return;
    if (sid === null) for (const entry of this.sockets.values()) this.sendOn(entry.ws, type, data);
    else {
      const entry = this.sockets.get(sid);
      if (entry) this.sendOn(entry.ws, type, data);
    }
  }

  private sendBinary(sid: string | null, frame: Buffer): void {
    if (this.dead) return;
    const targets = sid === null ? [...this.sockets.values()] : [this.sockets.get(sid)].filter((entry): entry is SocketEntry => !!entry);
    for (const entry of targets) if (entry.ws.readyState === WebSocket.OPEN) entry.ws.send(frame);
  }

  private broadcastStatus(): void {
    this.send(null, 'status', { status: { exec_info: { queue_remaining: this.queueRemaining } } });
  }

  // ------------------------------------------------------------------------------------- Execution

  private kick(): void {
    if (this.dead || this.worker || this.running || this.pending.length === 0) return;
    const epoch = this.epoch;
    this.worker = this.workLoop(epoch)
      .catch(() => undefined)
      .finally(() => {
        this.worker = null;
        if (this.epoch === epoch) this.notifyIdle();
      });
  }

  private notifyIdle(): void {
    if (this.running || this.pending.length > 0) return;
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  private async workLoop(epoch: number): Promise<void> {
    while (this.epoch === epoch && !this.dead && this.pending.length > 0) {
      const item = heapPop(this.pending, compareItems) as QueueItem;
      this.running = item;
      this.broadcastStatus();
      await this.execute(item, epoch);
      if (this.epoch !== epoch) return;
    }
  }

  private alive(epoch: number): void {
    if (this.dead || this.epoch !== epoch) throw new Abandoned();
  }

  private async execute(item: QueueItem, epoch: number): Promise<void> {
    const current = this.mode === 'current';
    const { promptId, prompt } = item;
    const clientId = typeof item.extraData.client_id === 'string' ? item.extraData.client_id : null;
    const extraPngInfo = isRecord(item.extraData.extra_pnginfo) ? item.extraData.extra_pnginfo : undefined;
    this.execClientId = clientId;
    this.interruptFlag = false;
    const statusMessages: Array<[string, Record<string, unknown>]> = [];
    const addMessage = (type: string, data: Record<string, unknown>, broadcast = false): void => {
      const stamped = current ? { ...data, timestamp: Date.now() } : data;
      statusMessages.push([type, stamped]);
      if (clientId !== null || broadcast) this.send(clientId, type, stamped);
    };
    const toClient = (type: string, data: Record<string, unknown>): void => {
      if (clientId !== null) this.send(clientId, type, data);
    };
    const progress = new Map<string, ProgressEntry>();
    const sendProgressState = (): void => {
      if (!current) return;
      const nodes: Record<string, unknown> = {};
      for (const [nodeId, entry] of progress) {
        nodes[nodeId] = {
          value: entry.value,
          max: entry.max,
          state: entry.state,
          node_id: nodeId,
          prompt_id: promptId,
          display_node_id: nodeId,
          parent_node_id: null,
          real_node_id: nodeId,
        };
      }
      this.send(clientId, 'progress_state', { prompt_id: promptId, nodes });
    };
    const finishProgress = (nodeId: string): void => {
      const entry = progress.get(nodeId) ?? { value: 0, max: 1, state: 'running' };
      progress.set(nodeId, { value: entry.max, max: entry.max, state: 'finished' });
      sendProgressState();
    };

    addMessage('execution_start', { prompt_id: promptId });
    const signatures = cacheSignatures(prompt, this.classes, this.env);
    const keep = new Set(signatures.values());
    for (const key of [...this.cache.keys()]) if (!keep.has(key)) this.cache.delete(key);
    const isCached = (nodeId: string): boolean => this.cache.has(signatures.get(nodeId) ?? '');
    const cachedNodes = Object.keys(prompt).filter(isCached);
    addMessage('execution_cached', { nodes: cachedNodes, prompt_id: promptId });

    const classOf = (nodeId: string): NodeClassDef => this.classes.get(String((prompt[nodeId] as Record<string, unknown>).class_type)) as NodeClassDef;
    const results = new Map<string, unknown[]>();
    const uiOutputs: Record<string, unknown> = {};
    const meta: Record<string, unknown> = {};
    const executed: string[] = [];
    let failed = false;
    const failureIndex = this.failures.findIndex(({ match }) => (typeof match === 'string' ? match === promptId : match(prompt, promptId)));
    const injected = failureIndex >= 0 ? this.failures.splice(failureIndex, 1)[0].failure : null;

    let order: string[] = [];
    try {
      order = planExecution(prompt, item.outputs, (nodeId) => classOf(nodeId).outputNode, isCached);
    } catch (error) {
      failed = true;
      addMessage('execution_error', {
        prompt_id: promptId,
        node_id: item.outputs[0],
        node_type: classOf(item.outputs[0]).name,
        executed: [],
        exception_message: `${(error as Error).message}\n`,
        exception_type: 'comfy_execution.graph.DependencyCycleError',
        traceback: [],
        current_inputs: [],
        current_outputs: Object.keys(prompt),
      });
    }
    const failingNode = injected
      ? injected.nodeId ?? order.find((nodeId) => ['KSampler', 'ProbeSlowPassthrough'].includes(classOf(nodeId).name)) ?? item.outputs[0]
      : null;

    const valueOf = (link: [string, number]): unknown => {
      const outputs = results.get(link[0]) ?? this.cache.get(signatures.get(link[0]) ?? '')?.outputs ?? [];
      return outputs[link[1]];
    };

    for (const nodeId of failed ? [] : order) {
      this.alive(epoch);
      const def = classOf(nodeId);
      const signature = signatures.get(nodeId) as string;
      const cached = this.cache.get(signature);
      if (cached) {
        if (cached.ui) {
          uiOutputs[nodeId] = cached.ui;
          meta[nodeId] = { node_id: nodeId, display_node: nodeId, parent_node: null, real_node_id: nodeId };
        }
        if (current) {
          toClient('executed', { node: nodeId, display_node: nodeId, output: cached.ui ?? null, prompt_id: promptId });
          finishProgress(nodeId);
        }
        continue;
      }
      progress.set(nodeId, { value: 0, max: 1, state: 'running' });
      sendProgressState();
      toClient('executing', current ? { node: nodeId, display_node: nodeId, prompt_id: promptId } : { node: nodeId, prompt_id: promptId });
      this.lastNodeId = nodeId;
      const node = prompt[nodeId] as { inputs?: Record<string, unknown> };
      const inputs: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(node.inputs ?? {})) inputs[name] = isLink(value) ? valueOf(value) : value;
      try {
        if (this.interruptFlag) throw new InterruptProcessing();
        if (nodeId === failingNode && injected) {
          throw new NodeRuntimeError(
            injected.message ?? 'Allocation on device 0 would exceed allowed memory. (out of memory)',
            injected.exceptionType ?? 'torch.OutOfMemoryError',
            [...EXECUTION_TRACEBACK, `  File "/opt/comfy/nodes.py", line 1, in ${def.name}\n    raise\n`],
          );
        }
        const result = await def.run(inputs, this.nodeContext(promptId, nodeId, prompt, extraPngInfo, clientId, epoch, progress, sendProgressState));
        this.alive(epoch);
        results.set(nodeId, result.outputs);
        this.cache.set(signature, { outputs: result.outputs, ui: result.ui });
        if (result.ui) {
          uiOutputs[nodeId] = result.ui;
          meta[nodeId] = { node_id: nodeId, display_node: nodeId, parent_node: null, real_node_id: nodeId };
          toClient('executed', current ? { node: nodeId, display_node: nodeId, output: result.ui, prompt_id: promptId } : { node: nodeId, output: result.ui, prompt_id: promptId });
        }
        finishProgress(nodeId);
        executed.push(nodeId);
      } catch (error) {
        if (error instanceof Abandoned) throw error;
        failed = true;
        if (error instanceof InterruptProcessing) {
          addMessage('execution_interrupted', { prompt_id: promptId, node_id: nodeId, node_type: def.name, executed: [...executed] }, true);
        } else {
          const runtime = error instanceof NodeRuntimeError ? error : new NodeRuntimeError(String((error as Error)?.message ?? error));
          const currentInputs: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(inputs)) currentInputs[name] = [formatInputValue(value)];
          const hidden = def.inputTypes(this.env).hidden ?? {};
          if ('prompt' in hidden) currentInputs.prompt = [pyRepr(prompt)];
          if ('extra_pnginfo' in hidden) currentInputs.extra_pnginfo = [extraPngInfo ? pyRepr(extraPngInfo) : null];
          addMessage('execution_error', {
            prompt_id: promptId,
            node_id: nodeId,
            node_type: def.name,
            executed: [...executed],
            exception_message: `${runtime.message}\n`,
            exception_type: runtime.exceptionType,
            traceback: runtime.traceback.length > 0 ? runtime.traceback : EXECUTION_TRACEBACK,
            current_inputs: currentInputs,
            current_outputs: Object.keys(prompt),
          });
        }
        break;
      }
    }
    this.lastNodeId = null;
    if (!failed && current) addMessage('execution_success', { prompt_id: promptId });
    if (current && this.historyDelayMs > 0) await this.sleep(this.historyDelayMs, epoch);
    this.alive(epoch);
    const entry: Record<string, unknown> = {
      prompt: queueTuple(item),
      outputs: uiOutputs,
      status: { status_str: failed ? 'error' : 'success', completed: !failed, messages: statusMessages },
    };
    if (current) entry.meta = meta;
    if (this.history.size > MAXIMUM_HISTORY_SIZE) this.history.delete(this.history.keys().next().value as string);
    this.history.set(promptId, entry);
    this.running = null;
    this.broadcastStatus();
    toClient('executing', { node: null, prompt_id: promptId });
  }

  private async sleep(ms: number, epoch: number): Promise<void> {
    try {
      await delay(ms, undefined, { signal: this.abort.signal });
    } catch {
      throw new Abandoned();
    }
    this.alive(epoch);
  }

  private nodeContext(
    promptId: string,
    nodeId: string,
    prompt: Record<string, unknown>,
    extraPngInfo: Record<string, unknown> | undefined,
    clientId: string | null,
    epoch: number,
    progress: Map<string, ProgressEntry>,
    sendProgressState: () => void,
  ): NodeRunContext {
    const current = this.mode === 'current';
    return {
      promptId,
      nodeId,
      prompt,
      extraPngInfo,
      env: this.env,
      step: async (value, max, preview) => {
        const jpeg = preview && this.previews ? await solidJpeg(preview.widthPx, preview.heightPx, preview.colour) : null;
        await this.sleep(this.speedMs, epoch);
        if (this.interruptFlag) throw new InterruptProcessing();
        progress.set(nodeId, { value, max, state: 'running' });
        const withMetadata = current && clientId !== null && this.sockets.get(clientId)?.featureFlags.supports_preview_metadata === true;
        sendProgressState();
        if (jpeg && withMetadata) {
          const metadata = Buffer.from(
            pyJsonDumps({ node_id: nodeId, prompt_id: promptId, display_node_id: nodeId, parent_node_id: null, real_node_id: nodeId, image_type: 'image/jpeg' }),
          );
          const header = Buffer.alloc(8);
          header.writeUInt32BE(4, 0);
          header.writeUInt32BE(metadata.length, 4);
          this.sendBinary(clientId, Buffer.concat([header, metadata, jpeg]));
        }
        this.send(clientId, 'progress', { value, max, prompt_id: promptId, node: nodeId });
        if (jpeg && !withMetadata) {
          const header = Buffer.alloc(8);
          header.writeUInt32BE(1, 0);
          header.writeUInt32BE(1, 4);
          this.sendBinary(clientId, Buffer.concat([header, jpeg]));
        }
      },
      saveImages: (images, filenamePrefix, type) => this.saveImages(images, filenamePrefix, type, prompt, extraPngInfo),
    };
  }

  private async saveImages(
    images: FakeImage,
    filenamePrefix: string,
    type: 'output' | 'temp',
    prompt: Record<string, unknown>,
    extraPngInfo: Record<string, unknown> | undefined,
  ): Promise<ImageFileRef[]> {
    const base = type === 'output' ? this.dirs.output : this.dirs.temp;
    const normalised = normalize(filenamePrefix);
    const subfolder = dirname(normalised) === '.' ? '' : dirname(normalised);
    const filename = basename(normalised);
    const folder = resolve(base, subfolder);
    if (commonPath(folder, base) !== base) {
      throw new NodeRuntimeError(
        `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${folder}\n         output_dir: ${base}\n         commonpath: ${commonPath(folder, base)}`,
        'Exception',
        SAVE_IMAGE_TRACEBACK,
      );
    }
    await mkdir(folder, { recursive: true });
    const pattern = new RegExp(`^${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d{5,})_`);
    let counter = 1;
    for (const existing of readdirSync(folder)) {
      const match = pattern.exec(existing);
      if (match) counter = Math.max(counter, Number(match[1]) + 1);
    }
    const chunks: Record<string, string> = { prompt: pyJsonDumps(prompt) };
    for (const [key, value] of Object.entries(extraPngInfo ?? {})) chunks[key] = pyJsonDumps(value);
    const png = await solidPng(images.widthPx, images.heightPx, images.colour as Rgb, chunks, type === 'output' ? 4 : 1);
    const refs: ImageFileRef[] = [];
    for (let index = 0; index < images.batch; index += 1) {
      const file = `${filename}_${String(counter).padStart(5, '0')}_.png`;
      counter += 1;
      await this.writeAtomically(join(folder, file), png);
      refs.push({ filename: file, subfolder, type });
    }
    return refs;
  }
}
