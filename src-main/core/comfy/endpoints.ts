/**
 * Where a ComfyUI server answers: the HTTP base and the WebSocket URL derived from the base URL an artist
 * typed (`http://gpu-box:8188`, `https://comfy.studio.example/proxy/`, `gpu-box:8188`).
 * http -> ws and https -> wss (https://developer.mozilla.org/en-US/docs/Web/API/WebSockets_API); a path
 * prefix is kept (a server behind a reverse proxy); credentials in the URL become a Basic auth header
 * (fetch refuses URLs with credentials: https://fetch.spec.whatwg.org/#dom-request).
 */

/** The derived addresses of one ComfyUI server. */
export interface ComfyEndpoints {
  /** `http(s)://host[:port][/prefix]`, no trailing slash. */
  httpBase: string;
  /** `ws(s)://host[:port][/prefix]`, no trailing slash. */
  wsBase: string;
  /** `Authorization: Basic ...` from `user:password@` in the URL, if there was one. */
  basicAuthHeader: string | null;
}

/**
 * Derives the HTTP and WebSocket bases from a server's base URL. A URL without a scheme is taken as http;
 * `ws://` and `wss://` are accepted and mean http and https.
 * @throws Error when the text is not a URL, or its scheme is not http, https, ws or wss, or it has a query.
 */
export function deriveEndpoints(baseUrl: string): ComfyEndpoints {
  const text = baseUrl.trim();
  if (text === '') throw new Error('ComfyUI server URL is empty: enter an address such as http://127.0.0.1:8188');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`ComfyUI server URL '${baseUrl}' is not a valid URL: enter an address such as http://127.0.0.1:8188`);
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  const secure = scheme === 'https' || scheme === 'wss';
  if (!['http', 'https', 'ws', 'wss'].includes(scheme)) {
    throw new Error(`ComfyUI server URL '${baseUrl}' uses '${scheme}:'; use http:// or https:// (ws:// and wss:// are accepted too)`);
  }
  if (url.search || url.hash) {
    throw new Error(`ComfyUI server URL '${baseUrl}' has a query or fragment; give only the server address and path`);
  }
  let basicAuthHeader: string | null = null;
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    basicAuthHeader = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const path = url.pathname.replace(/\/+$/, '');
  const hostPart = url.host;
  return {
    httpBase: `${secure ? 'https' : 'http'}://${hostPart}${path}`,
    wsBase: `${secure ? 'wss' : 'ws'}://${hostPart}${path}`,
    basicAuthHeader,
  };
}

/** The URL of an HTTP endpoint: `path` starts with `/`; `query` values are URL-encoded. */
export function httpUrl(endpoints: ComfyEndpoints, path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${endpoints.httpBase}${path}${search ? `?${search}` : ''}`;
}

/** The WebSocket URL for a client id: `ws(s)://.../ws?clientId=ID`. */
export function wsUrl(endpoints: ComfyEndpoints, clientId: string): string {
  return `${endpoints.wsBase}/ws?clientId=${encodeURIComponent(clientId)}`;
}
