/**
 * The pool of ComfyUI servers: one {@link ComfyClient} per configured server (servers.json, see
 * {@link ServerRegistry}), its live state (online/offline, VRAM, queue length, models and node types), a
 * {@link CircuitBreaker}, and the measured speed the dispatcher plans with.
 *
 * - `start()` checks every enabled server (`/system_stats`, `/object_info`, `/queue`) and keeps watching: a
 *   health look every `healthIntervalMs`; an offline server is probed again with a growing delay; a dropped
 *   WebSocket triggers an immediate probe, so a server that died is known within about one request timeout.
 * - Going offline calls `onDown(serverId)`: its jobs in flight must move elsewhere. Becoming able to take work
 *   (online, breaker closed or half-open) calls `onReady(serverId)`.
 * - The breaker counts transient failures reported by the queue (`recordFailure`); while it is open the server
 *   takes no work; after the cool-down a `/system_stats` probe runs and one job may go (half-open).
 * Every change is reported through `onUpdate(status)` (the contract's `server.updated`).
 */
import { createHash } from 'node:crypto';
import type { ServerStatus } from '../../../src-preload/contract';
import { ComfyClient, type ComfyClientOptions } from '../comfy/ComfyClient.ts';
import type { ServerCapabilities } from '../comfy/capabilities.ts';
import type { ComfyProtocol } from '../comfy/types.ts';
import { AppError } from '../errors.ts';
import { CircuitBreaker, type BreakerOptions } from './CircuitBreaker.ts';
import { ServerRegistry, type ServerConfig, type ServerPatch } from './ServerRegistry.ts';

/** Options of a {@link ServerPool}. Times in ms. */
export interface ServerPoolOptions {
  /** Timeout of every request to a server (and of opening its WebSocket); default 30 000. */
  requestTimeoutMs?: number;
  /** Timeout of a health check; default 5 000. */
  checkTimeoutMs?: number;
  /** Interval of health looks at online servers; default 15 000; 0: none (tests drive checks). */
  healthIntervalMs?: number;
  /** First delay before an offline server is probed again (doubles to 60 s); default 2 000. */
  offlineProbeMs?: number;
  /** How long a client may stay disconnected before its prompts count as lost (a backstop); default 60 000. */
  connectionLostMs?: number;
  /** Interval of the clients' `/queue` look while prompts are followed (catches runs whose messages we missed); default 5 000. */
  watchdogMs?: number;
  /**
   * Our client id on a server. Stable across restarts of the same app (see `stableClientId`), so a prompt
   * posted before a restart sends its progress to the reconnected client; default a random id per client.
   */
  clientIdFor?: (serverId: string) => string;
  /** Breaker settings. */
  breaker?: Partial<BreakerOptions>;
  /** Jobs a server holds at once: the running one and the next one waiting; default 2. */
  slotsPerServer?: number;
  /** Builds the client of a server (tests may wrap it); default `new ComfyClient(options)`. */
  clientFactory?: (options: ComfyClientOptions) => ComfyClient;
}

const MAX_OFFLINE_PROBE_MS = 60_000;
/** Delay before a second look at a server whose check just failed while it was online. */
const RECHECK_DELAY_MS = 200;

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A client id that stays the same for one app (config folder and shell) on one server, in UUID form: after a
 * restart the app reconnects under the id its earlier prompts were posted with, and ComfyUI sends their
 * progress to it. Two shells (the app and the CLI) get different ids, so they never take each other's socket.
 */
export function stableClientId(configDir: string, instance: string, serverId: string): string {
  const hex = createHash('sha256').update(`${configDir}\0${instance}\0${serverId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The live side of one configured server. The queue reads it to plan; the pool updates it. */
export class PoolServer {
  config: ServerConfig;
  client: ComfyClient | null = null;
  capabilities: ServerCapabilities | null = null;
  status: 'unknown' | 'online' | 'offline' = 'unknown';
  breaker: CircuitBreaker;
  /** Our jobs on the server (posted, not finished). Maintained by the queue. */
  inFlight = 0;
  /** Measured ms per work unit (sampling step at 512x512), or null before the first finished job. */
  msPerUnit: number | null = null;
  /** The checkpoint of the last job sent here (the one most likely loaded in its VRAM). */
  lastCheckpoint: string | null = null;
  queueLength = 0;
  vramTotalBytes: number | null = null;
  vramFreeBytes: number | null = null;
  comfyuiVersion: string | null = null;
  protocol: ComfyProtocol | null = null;
  lastError: string | null = null;
  checkedAt: string | null = null;
  /** @internal pool bookkeeping */
  checking: Promise<void> | null = null;
  /** @internal */
  probeTimer: NodeJS.Timeout | null = null;
  /** @internal */
  offlineProbes = 0;
  /** @internal */
  unsubscribe: Array<() => void> = [];

  constructor(config: ServerConfig, breaker: CircuitBreaker) {
    this.config = config;
    this.breaker = breaker;
  }

  get id(): string {
    return this.config.id;
  }

  get name(): string {
    return this.config.name;
  }

  /** Online, enabled, with known capabilities, and the breaker lets work through. */
  get dispatchable(): boolean {
    return this.config.enabled && this.status === 'online' && this.capabilities !== null && this.client !== null && this.breaker.allows;
  }

  /** How many jobs it may hold now: `slots` when closed, 1 while half-open (the probe), 0 when not dispatchable. */
  capacity(slots: number): number {
    if (!this.dispatchable) return 0;
    return this.breaker.state === 'half-open' ? 1 : slots;
  }
}

/** See the module documentation. */
export class ServerPool {
  readonly registry: ServerRegistry;
  /** Called with the new state of a server after every change. */
  onUpdate: (status: ServerStatus) => void = () => {};
  /** Called when a server that had work went offline (or was removed, or disabled): that work must move. */
  onDown: (serverId: string, reason: string) => void = () => {};
  /** Called when a server can take work (again). */
  onReady: (serverId: string) => void = () => {};

  private readonly options: Required<Omit<ServerPoolOptions, 'breaker' | 'clientFactory' | 'clientIdFor'>> & Pick<ServerPoolOptions, 'breaker' | 'clientIdFor'>;
  private readonly clientFactory: (options: ComfyClientOptions) => ComfyClient;
  private readonly runtime = new Map<string, PoolServer>();
  private healthTimer: NodeJS.Timeout | null = null;
  private started = false;
  private closed = false;

  constructor(configDir: string, options: ServerPoolOptions = {}) {
    this.registry = new ServerRegistry(configDir);
    this.options = {
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      checkTimeoutMs: options.checkTimeoutMs ?? 5_000,
      healthIntervalMs: options.healthIntervalMs ?? 15_000,
      offlineProbeMs: options.offlineProbeMs ?? 2_000,
      connectionLostMs: options.connectionLostMs ?? 60_000,
      watchdogMs: options.watchdogMs ?? 5_000,
      clientIdFor: options.clientIdFor,
      slotsPerServer: options.slotsPerServer ?? 2,
      breaker: options.breaker,
    };
    this.clientFactory = options.clientFactory ?? ((clientOptions) => new ComfyClient(clientOptions));
  }

  /** Jobs a closed-breaker server holds at once (running + waiting). */
  get slotsPerServer(): number {
    return this.options.slotsPerServer;
  }

  /**
   * Loads the configured servers and checks the enabled ones (in the background), then keeps watching them.
   * Idempotent. Resolves when the first checks are done.
   */
  async start(): Promise<void> {
    if (this.closed) return;
    if (!this.started) {
      this.started = true;
      this.sync();
      if (this.options.healthIntervalMs > 0) {
        this.healthTimer = setInterval(() => this.healthTick(), this.options.healthIntervalMs);
        this.healthTimer.unref();
      }
    }
    await Promise.all([...this.runtime.values()].filter((s) => s.config.enabled).map((s) => this.checkServer(s, s.capabilities === null)));
  }

  /** The live servers, in the order they were added. */
  servers(): PoolServer[] {
    if (!this.started) this.sync();
    return [...this.runtime.values()];
  }

  /** One live server, or undefined. */
  get(serverId: string): PoolServer | undefined {
    if (!this.started) this.sync();
    return this.runtime.get(serverId);
  }

  /** Every server with its state (no network). */
  list(): ServerStatus[] {
    return this.servers().map((s) => this.status(s));
  }

  /** Adds a server and checks it. @throws AppError `invalid_server_url`, `server_exists`. */
  async add(input: { url: string; name?: string; headers?: Record<string, string>; enabled?: boolean }): Promise<ServerStatus> {
    const config = this.registry.add(input);
    this.sync();
    const server = this.runtime.get(config.id) as PoolServer;
    if (config.enabled) await this.checkServer(server, true);
    return this.status(server);
  }

  /** Changes a server; a new URL or headers mean a new client and a fresh check. @throws AppError `not_found`... */
  async update(serverId: string, patch: ServerPatch): Promise<ServerStatus> {
    this.registry.update(serverId, patch);
    this.sync();
    const server = this.runtime.get(serverId) as PoolServer;
    if (server.config.enabled && server.status !== 'online') await this.checkServer(server, true);
    this.emit(server);
    return this.status(server);
  }

  /** Removes a server; its work in flight is reported through `onDown`. @throws AppError `not_found`. */
  async remove(serverId: string): Promise<void> {
    this.registry.remove(serverId);
    this.sync();
  }

  /** Checks one server now (versions, VRAM, models, node types, queue). @throws AppError `not_found`. */
  async check(serverId: string): Promise<ServerStatus> {
    const server = this.get(serverId);
    if (!server) throw new AppError('not_found', `No server with id ${serverId}.`, 'List the servers (servers.list): it may have been removed.');
    if (!server.config.enabled) return this.status(server);
    await this.checkServer(server, true);
    return this.status(server);
  }

  /** A job on the server succeeded: the breaker closes. */
  recordSuccess(serverId: string): void {
    const server = this.runtime.get(serverId);
    if (server && server.breaker.recordSuccess()) this.emit(server);
  }

  /**
   * A transient failure on the server (a refused or failed request, a lost prompt). May open the breaker; then a
   * probe is scheduled for the end of the cool-down.
   */
  recordFailure(serverId: string, error: unknown): void {
    const server = this.runtime.get(serverId);
    if (!server) return;
    server.lastError = errorText(error);
    if (server.breaker.recordFailure()) {
      this.scheduleProbe(server, Math.max(0, server.breaker.retryAt - Date.now()));
    }
    this.emit(server);
  }

  /** Records a finished run: `units` of work in `runMs`, for the speed estimate (a moving average). */
  recordRun(serverId: string, units: number, runMs: number): void {
    const server = this.runtime.get(serverId);
    if (!server || !(units > 0) || !(runMs > 0)) return;
    const sample = runMs / units;
    server.msPerUnit = server.msPerUnit === null ? sample : server.msPerUnit * 0.5 + sample * 0.5;
  }

  /** The contract's view of a server. */
  status(server: PoolServer): ServerStatus {
    const caps = server.capabilities;
    let status: ServerStatus['status'] = server.status;
    if (!server.config.enabled) status = 'disabled';
    else if (status === 'online' && (server.inFlight > 0 || server.queueLength > 0)) status = 'busy';
    return {
      id: server.id,
      name: server.name,
      url: server.config.url,
      headerNames: Object.keys(server.config.headers),
      enabled: server.config.enabled,
      status,
      breaker: server.breaker.state,
      queueLength: Math.max(server.queueLength, server.inFlight),
      inFlight: server.inFlight,
      vramTotalBytes: server.vramTotalBytes,
      vramFreeBytes: server.vramFreeBytes,
      comfyuiVersion: server.comfyuiVersion,
      protocol: server.protocol,
      checkpoints: caps?.checkpoints ?? [],
      loras: caps?.loras ?? [],
      nodeTypeCount: caps?.nodeTypes.size ?? 0,
      msPerStep: server.msPerUnit === null ? null : Math.round(server.msPerUnit * 10) / 10,
      lastError: server.lastError,
      checkedAt: server.checkedAt,
    };
  }

  /** Reports the server's state to `onUpdate`. */
  emit(server: PoolServer): void {
    if (this.closed) return;
    this.onUpdate(this.status(server));
  }

  /** Stops watching and closes every client (prompts on the servers go on). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    await Promise.all([...this.runtime.values()].map((s) => this.dropRuntime(s)));
    this.runtime.clear();
  }

  // ---------------------------------------------------------------------------------------------- internals

  /** Makes the runtime match servers.json: new entries, changed addresses (new client), removed servers. */
  private sync(): void {
    if (this.closed) return;
    const configs = this.registry.list();
    const seen = new Set<string>();
    for (const config of configs) {
      seen.add(config.id);
      const existing = this.runtime.get(config.id);
      if (!existing) {
        this.runtime.set(config.id, new PoolServer(config, new CircuitBreaker(this.options.breaker)));
        continue;
      }
      const addressChanged = existing.config.url !== config.url || JSON.stringify(existing.config.headers) !== JSON.stringify(config.headers);
      const disabled = existing.config.enabled && !config.enabled;
      existing.config = config;
      if (addressChanged || disabled) {
        const hadWork = existing.inFlight > 0;
        void this.dropRuntime(existing);
        existing.capabilities = null;
        existing.status = 'unknown';
        if (hadWork) this.onDown(existing.id, disabled ? `${existing.name} was disabled` : `the address of ${existing.name} changed`);
      }
    }
    for (const [id, server] of [...this.runtime]) {
      if (seen.has(id)) continue;
      this.runtime.delete(id);
      void this.dropRuntime(server);
      if (server.inFlight > 0) this.onDown(id, `${server.name} was removed`);
    }
    // Keep the file's order.
    const ordered = configs.map((c) => this.runtime.get(c.id) as PoolServer);
    this.runtime.clear();
    for (const server of ordered) this.runtime.set(server.id, server);
  }

  private async dropRuntime(server: PoolServer): Promise<void> {
    if (server.probeTimer) clearTimeout(server.probeTimer);
    server.probeTimer = null;
    for (const off of server.unsubscribe.splice(0)) off();
    const client = server.client;
    server.client = null;
    await client?.close().catch(() => undefined);
  }

  private clientFor(server: PoolServer): ComfyClient {
    if (server.client) return server.client;
    const client = this.clientFactory({
      baseUrl: server.config.url,
      headers: server.config.headers,
      timeoutMs: this.options.requestTimeoutMs,
      connectionLostMs: this.options.connectionLostMs,
      watchdogMs: this.options.watchdogMs,
      ...(this.options.clientIdFor ? { clientId: this.options.clientIdFor(server.id) } : {}),
      reconnect: { initialDelayMs: 100, maxDelayMs: 5_000 },
    });
    server.client = client;
    server.unsubscribe.push(
      client.on('connection', (event) => {
        if (event.state === 'down' && !this.closed) void this.checkServer(server, false);
      }),
      client.on('status', (event) => {
        if (server.queueLength !== event.queueRemaining) {
          server.queueLength = event.queueRemaining;
          this.emit(server);
        }
      }),
    );
    return client;
  }

  /** One check; concurrent calls share it. `full` also reads `/object_info` (models and node types). */
  private checkServer(server: PoolServer, full: boolean): Promise<void> {
    if (this.closed || !server.config.enabled) return Promise.resolve();
    if (server.checking) return server.checking;
    server.checking = this.runCheck(server, full || server.capabilities === null).finally(() => {
      server.checking = null;
    });
    return server.checking;
  }

  private async runCheck(server: PoolServer, full: boolean): Promise<void> {
    const client = this.clientFor(server);
    const look = () => {
      const signal = AbortSignal.timeout(this.options.checkTimeoutMs);
      return Promise.all([
        client.systemStats({ signal }),
        client.queue({ signal }),
        full ? client.objectInfo({ signal }) : Promise.resolve(server.capabilities),
      ]);
    };
    try {
      let answers: Awaited<ReturnType<typeof look>>;
      try {
        answers = await look();
      } catch (error) {
        // One failed look at a server that was fine is not yet a dead server (a blip, a slow answer): look again.
        if (server.status !== 'online' || this.closed) throw error;
        await new Promise((resolve) => setTimeout(resolve, RECHECK_DELAY_MS));
        answers = await look();
      }
      const [stats, queue, capabilities] = answers;
      if (this.closed || server.client !== client) return;
      if (server.protocol === null) server.protocol = await client.protocol().catch(() => null);
      server.capabilities = capabilities;
      server.comfyuiVersion = stats.comfyuiVersion;
      const device = stats.devices.find((d) => d.type !== 'cpu') ?? stats.devices[0];
      server.vramTotalBytes = device?.vramTotalBytes ?? null;
      server.vramFreeBytes = device?.vramFreeBytes ?? null;
      server.queueLength = queue.running.length + queue.pending.length;
      server.status = 'online';
      server.lastError = null;
      server.offlineProbes = 0;
      server.checkedAt = new Date().toISOString();
      // The cool-down is over and the server answers: it is half-open now, one job may go.
      server.breaker.beginProbe();
      this.emit(server);
      if (server.dispatchable) this.onReady(server.id);
    } catch (error) {
      if (this.closed || server.client !== client) return;
      const wasOnline = server.status === 'online';
      server.status = 'offline';
      server.lastError = `Cannot reach ${server.name}: ${errorText(error)}`;
      server.checkedAt = new Date().toISOString();
      this.emit(server);
      if (wasOnline || server.inFlight > 0) this.onDown(server.id, server.lastError);
      const delayMs = Math.min(MAX_OFFLINE_PROBE_MS, this.options.offlineProbeMs * 2 ** server.offlineProbes);
      server.offlineProbes += 1;
      this.scheduleProbe(server, delayMs);
    }
  }

  private scheduleProbe(server: PoolServer, delayMs: number): void {
    if (this.closed) return;
    if (server.probeTimer) clearTimeout(server.probeTimer);
    server.probeTimer = setTimeout(() => {
      server.probeTimer = null;
      void this.checkServer(server, server.status !== 'online');
    }, delayMs);
    server.probeTimer.unref();
  }

  private healthTick(): void {
    for (const server of this.runtime.values()) {
      if (!server.config.enabled || server.status === 'offline' || server.checking) continue;
      void this.checkServer(server, false);
    }
  }
}
