/**
 * The web-mode bridge: the contract over a WebSocket to the StoryCanvas web server on 127.0.0.1
 * (the web shell's web/server.ts). Browser code only: no Node import. Its browser globals (WebSocket, location,
 * sessionStorage, history) can be injected, which is how its tests run it in Node against the real server.
 *
 * - Connects to `ws(s)://<location.host>/ws`. The server's HttpOnly cookie carries the token; when the page was
 *   opened with `?token=…`, the token is also kept in sessionStorage (for reloads after the cookie was refused),
 *   sent as `?token=` on the socket URL, and stripped from the address bar with `history.replaceState`.
 * - Calls made while connecting are queued and sent once the socket opens; a queued call that cannot be sent
 *   within `queueTimeoutMs` rejects with code `disconnected`.
 * - When the socket drops, every call already sent rejects with `ContractCallError('disconnected', …)` (the
 *   server may or may not have run it: reload what the view shows), then the bridge reconnects with exponential
 *   backoff. Events missed while disconnected are not replayed: on `'open'` after a drop, refetch.
 */
import {
  ContractCallError,
  isEventName,
  type CallReply,
  type EventName,
  type EventPayload,
  type MethodArgs,
  type MethodName,
  type MethodResult,
} from '../../src-preload/contract';
import type { Bridge } from './types';

/** A message from the client to the server: one contract call. */
export interface WsClientMessage {
  t: 'call';
  /** Chosen by the client, unique among its calls in flight; the reply carries it back. */
  id: number;
  method: MethodName;
  args: unknown;
}

/** A message from the server: the reply to one call (id null for a message too malformed to have an id), or an event. */
export type WsServerMessage =
  | { t: 'reply'; id: number | null; reply: CallReply }
  | { t: 'event'; event: EventName; payload: unknown };

/** The part of the browser's WebSocket this bridge uses (the `ws` package's WebSocket has it too). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
/** A constructor of `WebSocketLike` sockets from a URL (the browser's `WebSocket`, or the `ws` package's). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The parts of `window.location`, `sessionStorage` and `history` the bridge reads or changes. */
export interface BrowserEnv {
  location?: { protocol: string; host: string; href: string };
  sessionStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  history?: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
}

/** Options of `createWebSocketBridge`; every one has a browser default, and tests inject their own. */
export interface WebSocketBridgeOptions {
  /** The socket URL. Default: `ws(s)://<location.host>/ws`. A token known to the page is appended as `?token=`. */
  url?: string;
  /** The WebSocket constructor. Default: the browser's `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Browser globals. Default: the page's own. */
  env?: BrowserEnv;
  /** First reconnect delay; doubles after each failed attempt up to `maxReconnectDelayMs`. Default 250 ms. */
  reconnectDelayMs?: number;
  /** Longest reconnect delay. Default 5000 ms. */
  maxReconnectDelayMs?: number;
  /** How long a call may wait for a connection before it rejects with `disconnected`. Default 15000 ms. */
  queueTimeoutMs?: number;
}

/** The web bridge, plus `close()` to stop it for good (tests, page unload). */
export interface WebSocketBridge extends Bridge {
  readonly shell: 'web';
  /** Closes the socket, stops reconnecting and rejects every call still waiting with `disconnected`. */
  close(): void;
}

/** The sessionStorage key of the token the page was opened with. */
export const TOKEN_STORAGE_KEY = 'storycanvas.token';

const WS_OPEN = 1;

interface Waiting {
  method: MethodName;
  text: string;
  sent: boolean;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Reads `?token=` from the page address, keeps it in sessionStorage and removes it from the address bar
 * (other parameters such as `?project=` stay). Returns the token from the address or, failing that, the one
 * stored earlier in this tab; null when neither exists.
 */
export function takeTokenFromPage(env: BrowserEnv): string | null {
  const { location, sessionStorage, history } = env;
  if (location) {
    const url = new URL(location.href);
    const token = url.searchParams.get('token');
    if (token) {
      try {
        sessionStorage?.setItem(TOKEN_STORAGE_KEY, token);
      } catch {
        // storage disabled: the cookie still carries the token
      }
      url.searchParams.delete('token');
      history?.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
      return token;
    }
  }
  try {
    return sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * Creates the web-mode bridge and starts connecting.
 * @throws Error when neither `opts.url` nor a page location is available, or no WebSocket constructor exists.
 */
export function createWebSocketBridge(opts: WebSocketBridgeOptions = {}): WebSocketBridge {
  const g = globalThis as unknown as BrowserEnv & { WebSocket?: WebSocketConstructor };
  const env: BrowserEnv = opts.env ?? { location: g.location, sessionStorage: g.sessionStorage, history: g.history };
  const maybeCtor = opts.WebSocket ?? g.WebSocket;
  if (!maybeCtor) throw new Error('This browser has no WebSocket; StoryCanvas web mode needs one.');
  const Ctor: WebSocketConstructor = maybeCtor;
  const firstDelayMs = opts.reconnectDelayMs ?? 250;
  const maxDelayMs = opts.maxReconnectDelayMs ?? 5000;
  const queueTimeoutMs = opts.queueTimeoutMs ?? 15_000;

  const token = takeTokenFromPage(env);
  const socketUrl = withToken(opts.url ?? defaultSocketUrl(env), token);

  const waiting = new Map<number, Waiting>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: 'connecting' | 'open' | 'closed') => void>();
  let state: 'connecting' | 'open' | 'closed' = 'connecting';
  let socket: WebSocketLike | null = null;
  let nextId = 1;
  let delayMs = firstDelayMs;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const setState = (next: typeof state) => {
    if (next === state) return;
    state = next;
    for (const l of [...stateListeners]) l(next);
  };

  const disconnected = (what: string) =>
    new ContractCallError('disconnected', `${what}: the connection to StoryCanvas was lost.`, 'Check that `storycanvas serve` is still running; the page reconnects by itself.');

  function connect(): void {
    if (stopped) return;
    setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = new Ctor(socketUrl);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      delayMs = firstDelayMs;
      setState('open');
      for (const [, w] of waiting) if (!w.sent) sendWaiting(w);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') receive(ev.data);
    };
    ws.onerror = () => {
      // a close event follows; reconnecting happens there
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, w] of waiting) {
        if (!w.sent) continue;
        waiting.delete(id);
        w.reject(disconnected(w.method));
      }
      if (stopped) return;
      setState('closed');
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    const wait = Math.min(delayMs, maxDelayMs) * (0.75 + Math.random() * 0.5);
    delayMs = Math.min(delayMs * 2, maxDelayMs);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, wait);
  }

  function sendWaiting(w: Waiting): void {
    if (!socket || socket.readyState !== WS_OPEN) return;
    try {
      socket.send(w.text);
      w.sent = true;
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
    } catch {
      // the socket is closing: the call stays queued for the next connection
    }
  }

  function receive(text: string): void {
    let msg: WsServerMessage;
    try {
      msg = JSON.parse(text) as WsServerMessage;
    } catch {
      console.warn('[bridge] ignored a message that is not JSON');
      return;
    }
    if (msg.t === 'reply') {
      const w = msg.id === null ? undefined : waiting.get(msg.id);
      if (!w) {
        if (!msg.reply.ok) console.warn(`[bridge] server refused a message: ${msg.reply.error.message}`);
        return;
      }
      waiting.delete(msg.id as number);
      if (msg.reply.ok) w.resolve(msg.reply.result);
      else w.reject(new ContractCallError(msg.reply.error.code, msg.reply.error.message, msg.reply.error.hint));
    } else if (msg.t === 'event' && isEventName(msg.event)) {
      for (const l of [...(listeners.get(msg.event) ?? [])]) {
        try {
          l(msg.payload);
        } catch (err) {
          console.error(`[bridge] a listener of ${msg.event} threw:`, err);
        }
      }
    }
  }

  connect();

  return {
    shell: 'web',

    call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
      if (stopped) return Promise.reject(disconnected(method));
      const id = nextId++;
      const message: WsClientMessage = { t: 'call', id, method, args };
      return new Promise<MethodResult<M>>((resolve, reject) => {
        const w: Waiting = { method, text: JSON.stringify(message), sent: false, resolve: resolve as (r: unknown) => void, reject, timer: null };
        waiting.set(id, w);
        sendWaiting(w);
        if (!w.sent) {
          w.timer = setTimeout(() => {
            if (waiting.get(id) === w && !w.sent) {
              waiting.delete(id);
              reject(disconnected(method));
            }
          }, queueTimeoutMs);
        }
      });
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },

    mediaUrl(projectId: string, relPath: string, version?: string | number): string {
      const path = relPath.split('/').map(encodeURIComponent).join('/');
      const v = version === undefined ? '' : `?v=${encodeURIComponent(String(version))}`;
      return `/media/${encodeURIComponent(projectId)}/${path}${v}`;
    },

    pathForFile(): string | null {
      return null;
    },

    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },

    close(): void {
      if (stopped) return;
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const ws = socket;
      socket = null;
      for (const [id, w] of waiting) {
        waiting.delete(id);
        if (w.timer) clearTimeout(w.timer);
        w.reject(disconnected(w.method));
      }
      setState('closed');
      ws?.close(1000, 'bridge closed');
    },
  };
}

function defaultSocketUrl(env: BrowserEnv): string {
  if (!env.location) throw new Error('createWebSocketBridge needs a url outside a browser page.');
  return `${env.location.protocol === 'https:' ? 'wss' : 'ws'}://${env.location.host}/ws`;
}

function withToken(url: string, token: string | null): string {
  if (!token) return url;
  const u = new URL(url);
  if (!u.searchParams.has('token')) u.searchParams.set('token', token);
  return u.toString();
}
