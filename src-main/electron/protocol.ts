/**
 * The `app://` protocol handler: the UI's files and the projects' media, for Electron's `protocol.handle`
 * (https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler), as a plain
 * `(Request) => Promise<Response>` function so it is tested without Electron.
 *
 * - `app://ui/<path>`: a file of out/renderer; `app://ui/` and extension-less paths (client routes) get index.html.
 * - `app://media/<projectId>/<relPath>[?v=…]`: a file of an open project through `resolveMediaRequest`
 *   (src-main/core/mediaFiles.ts), which refuses paths that leave the project and renders placeholder cards.
 *   Range requests (RFC 9110 §14) are answered with 206 so <video> can seek.
 * - Only GET and HEAD; every response carries the Content-Security-Policy (security.ts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { APP_SCHEME, securityHeaders } from './security';

/** Where a media request resolves to (what `resolveMediaRequest` returns). */
export interface ResolvedMedia {
  absPath: string;
  contentType: string;
}

export interface AppProtocolDeps {
  /** Absolute path of the built renderer (out/renderer). */
  rendererDir: string;
  /**
   * Resolves `app://media/<projectId>/<relPath>` to a file; `relPath` is already percent-decoded once.
   * Throws an error with `code` `project_not_open`/`not_found`/`media.notFound` (404) or
   * `forbidden_path`/`media.pathRejected` (403); anything else answers 500.
   */
  resolveMedia(projectId: string, relPath: string): Promise<ResolvedMedia>;
  /** Where refusals and failures are reported. Default: console.warn. */
  log?: (message: string) => void;
}

/** Content types of the files a Vite build writes. */
const UI_CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** A byte range of a file, both ends inclusive (as in `Content-Range`). */
export interface ByteRange {
  startByte: number;
  endByte: number;
}

/**
 * Parses a `Range` header for a file of `sizeBytes` (RFC 9110 §14.1.2): `bytes=start-end`, `bytes=start-`,
 * `bytes=-suffixLength`. Only single ranges are honoured.
 * @returns the range clamped to the file; `'unsatisfiable'` (answer 416) when it starts past the end or the
 *   file is empty; null when the header is absent, malformed or asks for several ranges (answer 200 with the
 *   whole file, which RFC 9110 allows).
 */
export function parseRangeHeader(header: string | null | undefined, sizeBytes: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, startText, endText] = m;
  if (startText === '' && endText === '') return null;
  if (startText === '') {
    const suffixBytes = Number(endText);
    if (suffixBytes === 0 || sizeBytes === 0) return 'unsatisfiable';
    return { startByte: Math.max(0, sizeBytes - suffixBytes), endByte: sizeBytes - 1 };
  }
  const startByte = Number(startText);
  const endByte = endText === '' ? sizeBytes - 1 : Math.min(Number(endText), sizeBytes - 1);
  if (endText !== '' && Number(endText) < startByte) return null;
  if (startByte >= sizeBytes) return 'unsatisfiable';
  return { startByte, endByte };
}

/**
 * Resolves the path of an `app://ui/` URL to a file under `rendererDir`, refusing every way out: the path is
 * percent-decoded once, then `..`/`.`/empty segments, backslashes, NUL and other control characters, and `:`
 * are refused, and the joined path must stay under `rendererDir`.
 * @param urlPathname the URL's pathname as the URL parser gives it (`/assets/index-abc.js`).
 * @returns the absolute path (index.html for `/`), or null when the path is refused.
 */
export function resolveUiPath(rendererDir: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  const rel = decoded.replace(/^\/+/, '');
  if (rel === '') return path.join(rendererDir, 'index.html');
  if (/[\\:\x00-\x1f\x7f]/.test(rel)) return null;
  const segments = rel.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const root = path.resolve(rendererDir);
  const abs = path.join(root, ...segments);
  return abs.startsWith(root + path.sep) ? abs : null;
}

function textResponse(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra } });
}

const STATUS_FOR_CODE: Record<string, number> = {
  project_not_open: 404,
  not_found: 404,
  'media.notFound': 404,
  ENOENT: 404,
  ENOTDIR: 404,
  forbidden_path: 403,
  'media.pathRejected': 403,
};

async function fileStat(absPath: string): Promise<{ sizeBytes: number; mtimeMs: number } | null> {
  try {
    const s = await stat(absPath);
    return s.isFile() ? { sizeBytes: s.size, mtimeMs: s.mtimeMs } : null;
  } catch {
    return null;
  }
}

function bodyOf(absPath: string, range?: ByteRange): ReadableStream<Uint8Array> {
  const stream = createReadStream(absPath, range ? { start: range.startByte, end: range.endByte } : {});
  return Readable.toWeb(stream) as NodeReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>;
}

/**
 * Answers one file, honouring `Range` and `HEAD`.
 * @returns 200 with the whole file, 206 with a range, 416 for an unsatisfiable range, 404 when it is not a file.
 */
export async function fileResponse(request: Request, absPath: string, contentType: string, cacheControl: string): Promise<Response> {
  const s = await fileStat(absPath);
  if (!s) return textResponse(404, 'Not found.');
  const headers: Record<string, string> = {
    ...securityHeaders(),
    'Content-Type': contentType,
    'Accept-Ranges': 'bytes',
    'Cache-Control': cacheControl,
    'Last-Modified': new Date(s.mtimeMs).toUTCString(),
  };
  const range = parseRangeHeader(request.headers.get('range'), s.sizeBytes);
  if (range === 'unsatisfiable') {
    return textResponse(416, 'Range not satisfiable.', { 'Content-Range': `bytes */${s.sizeBytes}` });
  }
  const head = request.method === 'HEAD';
  if (range) {
    headers['Content-Range'] = `bytes ${range.startByte}-${range.endByte}/${s.sizeBytes}`;
    headers['Content-Length'] = String(range.endByte - range.startByte + 1);
    return new Response(head ? null : bodyOf(absPath, range), { status: 206, headers });
  }
  headers['Content-Length'] = String(s.sizeBytes);
  return new Response(head || s.sizeBytes === 0 ? null : bodyOf(absPath), { status: 200, headers });
}

/**
 * Makes the `app://` handler. It never throws: every failure is a response (400 malformed, 403 refused,
 * 404 missing, 405 method, 500 unexpected, reported through `log`).
 */
export function appProtocolHandler(deps: AppProtocolDeps): (request: Request) => Promise<Response> {
  const log = deps.log ?? ((m: string) => console.warn(m));
  const rendererDir = path.resolve(deps.rendererDir);

  async function serveUi(request: Request, url: URL): Promise<Response> {
    const abs = resolveUiPath(rendererDir, url.pathname);
    if (!abs) {
      log(`[app://] refused the UI path ${url.pathname}`);
      return textResponse(403, 'Refused: the path leaves the app.');
    }
    const ext = path.extname(abs).toLowerCase();
    if (!(await fileStat(abs)) && ext === '') {
      // A client-side route (app://ui/projects/…): the single page answers it.
      return fileResponse(request, path.join(rendererDir, 'index.html'), UI_CONTENT_TYPES['.html'], 'no-cache');
    }
    return fileResponse(request, abs, UI_CONTENT_TYPES[ext] ?? 'application/octet-stream', ext === '.html' ? 'no-cache' : 'no-cache, must-revalidate');
  }

  async function serveMedia(request: Request, url: URL): Promise<Response> {
    const m = /^\/([\w-]{1,64})\/(.+)$/.exec(url.pathname);
    if (!m) return textResponse(404, 'Not found: media URLs are app://media/<projectId>/<path inside the project>.');
    let relPath: string;
    try {
      relPath = decodeURIComponent(m[2]);
    } catch {
      return textResponse(400, 'Bad request: the media path has a malformed percent-escape.');
    }
    let resolved: ResolvedMedia;
    try {
      resolved = await deps.resolveMedia(m[1], relPath);
    } catch (err) {
      const code = String((err as { code?: unknown })?.code ?? '');
      const status = STATUS_FOR_CODE[code] ?? 500;
      if (status === 500) log(`[app://] media ${url.pathname} failed: ${(err as Error)?.stack ?? String(err)}`);
      else if (status === 403) log(`[app://] refused the media path ${relPath}: ${(err as Error)?.message}`);
      return textResponse(status, status === 404 ? 'Not found.' : status === 403 ? 'Refused: the path leaves the project.' : 'The media could not be read.');
    }
    const cache = url.searchParams.has('v') ? 'private, max-age=31536000, immutable' : 'no-cache';
    return fileResponse(request, resolved.absPath, resolved.contentType, cache);
  }

  return async (request: Request): Promise<Response> => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return textResponse(405, 'Only GET and HEAD.', { Allow: 'GET, HEAD' });
      }
      const url = new URL(request.url);
      if (url.protocol !== `${APP_SCHEME}:`) return textResponse(404, 'Not found.');
      if (url.host === 'ui') return await serveUi(request, url);
      if (url.host === 'media') return await serveMedia(request, url);
      return textResponse(404, `Not found: app://${url.host}/ is not served.`);
    } catch (err) {
      log(`[app://] ${request.url} failed: ${(err as Error)?.stack ?? String(err)}`);
      return textResponse(500, 'Internal error.');
    }
  };
}
