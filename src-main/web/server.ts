/**
 * Web mode: the same app in a browser. One HTTP server on 127.0.0.1 serves the built renderer, a project's
 * media, and the contract over a WebSocket at `/ws`. It is a thin shell: every call goes to `core.dispatch`, and
 * every core event is forwarded to every open socket.
 *
 * Security (see ./security.ts): binds 127.0.0.1 only; every HTTP request and WebSocket upgrade must carry the
 * random token (`?token=` once, then an HttpOnly SameSite=Strict cookie), a local Host (DNS rebinding) and, when
 * present, a local Origin. Responses carry a Content-Security-Policy, `nosniff` and `no-referrer`.
 *
 * Wire protocol on `/ws` (JSON text frames, see `WsClientMessage` / `WsServerMessage` in
 * src-renderer/bridge/ws.ts):
 *   client -> server `{"t":"call","id":7,"method":"shot.move","args":{…}}`
 *   server -> client `{"t":"reply","id":7,"reply":<CallReply>}` (calls run concurrently; match replies by id)
 *   server -> every client `{"t":"event","event":"project.changed","payload":{…}}`
 * A malformed message gets a reply with error code `bad_message` (id null when it had no usable id).
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { CallReply } from '../../src-preload/contract';
import type { WsServerMessage } from '../../src-renderer/bridge/ws';
import type { Core } from '../core/Core';
import { resolveMedia } from '../core/mediaFiles';
import { resolveStaticFile, sendFile, sendText, staticContentType } from './files';
import { checkRequest, cookieNameFor, newToken } from './security';

/** The largest WebSocket message accepted: `take.importBytes` carries a file of up to 256 MiB as base64. */
export const MAX_WS_PAYLOAD_BYTES = 400 * 1024 * 1024;

/** How often open sockets are pinged; a socket that has not answered the previous ping is dropped. */
export const WS_HEARTBEAT_MS = 30_000;

/** What `startWebServer` needs: the core to dispatch to, where the built renderer is, and optionally port and token. */
export interface WebServerOptions {
  /** The core every call is dispatched to. The server does not close it. */
  core: Core;
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The built renderer (`out/renderer`, made by `npm run build:renderer`): index.html and its assets. */
  rendererDir: string;
  /** The access token; a random 32-byte base64url token when absent. */
  token?: string;
}

/** A running web-mode server. */
export interface WebServer {
  /** The address to open: `http://127.0.0.1:<port>/?token=<token>`. */
  url: string;
  port: number;
  token: string;
  /** Where the server listens (always 127.0.0.1), as `net.Server.address()` reports it. */
  address(): AddressInfo;
  /** Closes every socket and the server. Resolves when the port is free again. */
  close(): Promise<void>;
}

/** The Content-Security-Policy of every response: only this server's own scripts, styles, media and socket. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "script-src 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>StoryCanvas: renderer not built</title></head>
<body><h1>The StoryCanvas interface has not been built yet</h1>
<p>Run <code>npm run build:renderer</code> in the StoryCanvas folder, then reload this page.</p></body></html>
`;

/**
 * Starts web mode on 127.0.0.1.
 * @returns the server's address with its token, and `close()`.
 * @throws Error when the port is taken (`EADDRINUSE`, with the port in the message) or cannot be bound.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const { core } = opts;
  const token = opts.token ?? newToken();
  if (token.length < 16) throw new Error('The web mode token must be at least 16 characters; leave it out to get a random one.');
  const rendererDir = path.resolve(opts.rendererDir);
  let port = opts.port ?? 0;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD_BYTES, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      console.error('[web] request failed:', err);
      if (!res.headersSent) sendText(res, 500, `Internal error: ${(err as Error)?.message ?? String(err)}`);
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');

    const gate = checkRequest(req, port, token);
    if (!gate.ok) return sendText(res, 403, gate.reason);
    if (gate.tokenFrom === 'query') {
      res.setHeader('Set-Cookie', `${cookieNameFor(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, `Method ${req.method} is not allowed: web mode serves files; calls go over the WebSocket at /ws.`);
    }
    const rawPath = (req.url ?? '/').split('?')[0];
    if (!rawPath.startsWith('/')) return sendText(res, 400, 'Bad request: the path must start with /.');

    if (rawPath === '/ws') {
      res.setHeader('Upgrade', 'websocket');
      return sendText(res, 426, '/ws is the WebSocket endpoint: connect with a WebSocket client.');
    }
    if (rawPath.startsWith('/media/')) return serveMedia(req, res, rawPath.slice('/media/'.length));

    const indexPath = path.join(rendererDir, 'index.html');
    const serveIndex = async () => {
      if (!existsSync(indexPath)) {
        res.setHeader('Cache-Control', 'no-store');
        res.statusCode = 503;
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(NOT_BUILT_PAGE);
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      await sendFile(req, res, indexPath, 'text/html; charset=utf-8');
    };
    if (rawPath === '/' || rawPath === '/index.html') return serveIndex();

    const file = resolveStaticFile(rendererDir, rawPath);
    if (file) {
      // Vite names built assets by their content hash: they never change under the same name.
      res.setHeader('Cache-Control', rawPath.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache');
      return sendFile(req, res, file, staticContentType(file));
    }
    // A client-side route reloaded in the address bar (no extension, asks for a page): the app's page.
    const lastSegment = rawPath.slice(rawPath.lastIndexOf('/') + 1);
    if (!lastSegment.includes('.') && !rawPath.includes('..') && !rawPath.toLowerCase().includes('%2e') && (req.headers.accept ?? '').includes('text/html')) {
      return serveIndex();
    }
    return sendText(res, 404, `Not found: ${rawPath.length > 200 ? `${rawPath.slice(0, 200)}…` : rawPath}`);
  }

  async function serveMedia(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const slash = rest.indexOf('/');
    let projectId: string;
    let relPath: string;
    try {
      projectId = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
      relPath = slash < 0 ? '' : decodeURIComponent(rest.slice(slash + 1));
    } catch {
      return sendText(res, 400, 'Bad request: the media path has a malformed percent-escape.');
    }
    if (!/^[\w-]+$/.test(projectId) || relPath === '') {
      return sendText(res, 404, 'Not found: media paths look like /media/<projectId>/<path inside the project>.');
    }
    let target: { absPath: string; contentType: string };
    try {
      target = await resolveMedia(core, projectId, relPath);
    } catch (err) {
      const e = err as { code?: string; message?: string; hint?: string };
      const text = `${e.message ?? String(err)}${e.hint ? ` ${e.hint}` : ''}`;
      if (e.code === 'forbidden_path' || e.code === 'media.pathRejected') return sendText(res, 403, text);
      if (e.code === 'not_found' || e.code === 'project_not_open' || e.code === 'media.notFound') return sendText(res, 404, text);
      throw err;
    }
    res.setHeader('Cache-Control', 'private, no-cache');
    await sendFile(req, res, target.absPath, target.contentType);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const rawPath = (req.url ?? '/').split('?')[0];
    if (rawPath !== '/ws') return refuseUpgrade(socket, 404, 'Not Found', `No WebSocket endpoint at ${rawPath}; use /ws.`);
    const gate = checkRequest(req, port, token);
    if (!gate.ok) return refuseUpgrade(socket, 403, 'Forbidden', gate.reason);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('error', (err) => console.error('[web] socket error:', err.message));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void handleMessage(ws, data, isBinary);
    });
  });

  async function handleMessage(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const parsed = isBinary ? null : parseCall(rawDataToString(data));
    if (!parsed || 'problem' in parsed) {
      const problem = parsed?.problem ?? 'binary frames are not accepted; send JSON text';
      send(ws, { t: 'reply', id: parsed?.id ?? null, reply: badMessage(problem) });
      return;
    }
    const reply = await core.dispatch(parsed.method, parsed.args);
    send(ws, { t: 'reply', id: parsed.id, reply });
  }

  const unsubscribe = core.events.onAny((event, payload) => {
    const text = JSON.stringify({ t: 'event', event, payload } satisfies WsServerMessage);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  });

  const heartbeat = setInterval(() => {
    for (const client of wss.clients) {
      if (!alive.has(client)) {
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, WS_HEARTBEAT_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on 127.0.0.1 is already in use. Pick another with --port, or 0 for any free port.`)
          : err,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  }).catch((err: unknown) => {
    unsubscribe();
    clearInterval(heartbeat);
    throw err;
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (err) => console.error('[web] server error:', err));

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    address: () => server.address() as AddressInfo,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(heartbeat);
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A call message as parsed, or the reason it is malformed (with its id when one could be read). */
type ParsedCall = { id: number; method: string; args: unknown } | { problem: string; id: number | null };

function parseCall(text: string): ParsedCall {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { problem: 'the message is not JSON', id: null };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { problem: 'the message is not a JSON object', id: null };
  const m = msg as Record<string, unknown>;
  const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) ? m.id : null;
  if (id === null) return { problem: 'the message has no integer "id"', id: null };
  if (m.t !== 'call') return { problem: `"t" must be "call", not ${JSON.stringify(m.t)}`, id };
  if (typeof m.method !== 'string') return { problem: 'the message has no string "method"', id };
  return { id, method: m.method, args: m.args ?? {} };
}

function badMessage(problem: string): CallReply {
  return {
    ok: false,
    error: {
      code: 'bad_message',
      message: `Malformed message: ${problem}.`,
      hint: 'Send {"t":"call","id":<integer>,"method":"<contract method>","args":{…}} as a JSON text frame.',
    },
  };
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function send(ws: WebSocket, msg: WsServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function refuseUpgrade(socket: Duplex, status: number, statusText: string, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
