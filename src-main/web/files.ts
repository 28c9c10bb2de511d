/**
 * Sending files over HTTP for web mode: the built renderer's static files and a project's media, with
 * ETags, conditional requests and single byte ranges (a <video> element scrubs with `Range: bytes=…`).
 *
 * Follows RFC 9110: section 14 (Range, 206 Partial Content, 416 Range Not Satisfiable, If-Range) and
 * section 13.1.2 (If-None-Match, 304 Not Modified). https://www.rfc-editor.org/rfc/rfc9110
 */
import { createReadStream, realpathSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Content types of the files a Vite build of the renderer emits. */
const STATIC_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
  txt: 'text/plain; charset=utf-8',
  onnx: 'application/octet-stream',
};

/** The Content-Type of a static file of the renderer by its extension; `application/octet-stream` when unknown. */
export function staticContentType(filePath: string): string {
  const m = /\.([a-z0-9]+)$/i.exec(filePath);
  return (m && STATIC_TYPES[m[1].toLowerCase()]) || 'application/octet-stream';
}

/**
 * Resolves a URL path (still percent-encoded, starting with `/`) to a file inside `rootDir`, or null when
 * the path is malformed, tries to leave the folder (`..`, encoded or not; a link pointing outside), or names
 * no regular file.
 */
export function resolveStaticFile(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  let root: string;
  let real: string;
  try {
    root = realpathSync.native(rootDir);
    real = realpathSync.native(path.join(root, ...segments));
  } catch {
    return null;
  }
  const rel = path.relative(root, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  try {
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** A strong validator from size and modification time (a file rewritten in place changes at least one). */
export function etagFor(st: Stats): string {
  return `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
}

/**
 * Parses a `Range` header for a representation of `sizeBytes`.
 * @returns `null` when the header is absent, malformed or asks for several ranges (the full file is sent then,
 *   which RFC 9110 section 14.2 allows); `'unsatisfiable'` when no byte of the range exists; else the inclusive
 *   byte interval.
 */
export function parseRange(header: string | undefined, sizeBytes: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || sizeBytes === 0) return 'unsatisfiable';
    return { start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? sizeBytes - 1 : Math.min(Number(m[2]), sizeBytes - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= sizeBytes) return 'unsatisfiable';
  return { start, end };
}

/**
 * Sends a file: 200 with the whole body, 206 with one byte range, 304 when the client's copy is current,
 * 416 for a range past the end. HEAD gets the headers only. Headers already set on `res` (security headers,
 * Cache-Control) are kept.
 * @param absPath the file to send (already checked to be one the client may read).
 * @returns resolves when the response has ended (a client that goes away mid-stream ends it too).
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, absPath: string, contentType: string): Promise<void> {
  let st: Stats;
  try {
    st = statSync(absPath);
    if (!st.isFile()) throw new Error('not a file');
  } catch {
    sendText(res, 404, `Not found: ${path.basename(absPath)} does not exist.`);
    return;
  }
  const etag = etagFor(st);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', st.mtime.toUTCString());
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', contentType);

  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    res.statusCode = 304;
    res.end();
    return;
  }

  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, st.size);
  if (range === 'unsatisfiable') {
    res.statusCode = 416;
    res.setHeader('Content-Range', `bytes */${st.size}`);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`Range not satisfiable: the file has ${st.size} bytes.`);
    return;
  }
  const start = range ? range.start : 0;
  const end = range ? range.end : st.size - 1;
  res.statusCode = range ? 206 : 200;
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${st.size}`);
  res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
  if (req.method === 'HEAD' || st.size === 0) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(absPath, { start, end }), res);
  } catch {
    // the client went away or the file vanished mid-stream: the response is already ended or destroyed
    if (!res.destroyed) res.destroy();
  }
}

/** Ends a response with a plain-text body (error pages: 403, 404, 405, 503). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', String(Buffer.byteLength(text)));
  res.end(text);
}
