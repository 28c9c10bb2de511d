/**
 * Web mode's gatekeeping: the token, the Host check (DNS rebinding) and the Origin check (cross-site requests),
 * applied to every HTTP request and every WebSocket upgrade before anything else runs.
 *
 * Why each check exists:
 * - The server binds 127.0.0.1, but any web page the user visits can still send requests there. The random
 *   token (in `?token=` once, then an HttpOnly SameSite=Strict cookie) is what proves a request comes from the
 *   page the CLI printed.
 * - A `Host` other than `127.0.0.1:<port>` / `localhost:<port>` means a DNS-rebinding attack: a foreign name that
 *   resolves to 127.0.0.1 (https://en.wikipedia.org/wiki/DNS_rebinding).
 * - A foreign `Origin` means a cross-site request or WebSocket (browsers do not apply CORS to WebSocket, so the
 *   upgrade must be checked by hand: https://datatracker.ietf.org/doc/html/rfc6455#section-10.2).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares two secrets in constant time (both are hashed first, so their lengths leak nothing either).
 * @returns true when `given` equals `expected`.
 */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * The cookie name for a server on a port. Cookies are shared by every port of a host
 * (https://datatracker.ietf.org/doc/html/rfc6265#section-8.5), so two web-mode servers keep separate names.
 */
export function cookieNameFor(port: number): string {
  return `storycanvas_token_${port}`;
}

/** Reads one cookie from a `Cookie` header (RFC 6265 section 5.4 syntax), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The outcome of the checks: allowed (with where the token came from), or refused with a reason for people. */
export type GateResult = { ok: true; tokenFrom: 'query' | 'cookie' } | { ok: false; reason: string };

/**
 * Checks Host, Origin and token of a request or upgrade, in that order.
 * @param req the incoming request (its `url`, `host`, `origin` and `cookie` headers are read).
 * @param port the port the server listens on.
 * @param token the server's token.
 */
export function checkRequest(req: IncomingMessage, port: number, token: string): GateResult {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { ok: false, reason: `Refused: the Host header "${req.headers.host ?? ''}" is not 127.0.0.1:${port} or localhost:${port}.` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const o = origin.toLowerCase();
    if (o !== `http://127.0.0.1:${port}` && o !== `http://localhost:${port}`) {
      return { ok: false, reason: `Refused: requests from the origin "${origin}" are not allowed.` };
    }
  }
  const fromQuery = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token');
  if (fromQuery !== null) {
    if (tokensEqual(fromQuery, token)) return { ok: true, tokenFrom: 'query' };
    return { ok: false, reason: 'Refused: the token in the address is wrong. Open the address `storycanvas serve` printed.' };
  }
  const fromCookie = readCookie(req.headers.cookie, cookieNameFor(port));
  if (fromCookie !== undefined && tokensEqual(fromCookie, token)) return { ok: true, tokenFrom: 'cookie' };
  return { ok: false, reason: 'Refused: no valid token. Open the address `storycanvas serve` printed (it ends in ?token=…).' };
}
