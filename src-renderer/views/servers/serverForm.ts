/**
 * The Servers view's pure logic: the Add form's address and header fields (`servers.add` arguments), what a
 * server offers in a few words, and how long ago it was checked. No DOM, no React.
 *
 * Header names follow RFC 9110 §5.1 (a token: letters, digits and ``!#$%&'*+-.^_`|~``), as the contract's
 * `servers.add` schema checks them.
 */
import type { ServerStatus } from '../../../src-preload/contract';

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * The address field as a server URL: `gpu-box:8188` becomes `http://gpu-box:8188`; a trailing slash goes.
 * @returns the URL, or an error sentence saying what to type.
 */
export function normalizeServerUrl(text: string): { url: string } | { error: string } {
  let t = text.trim();
  if (!t) return { error: 'Type the address of the ComfyUI server, like http://127.0.0.1:8188.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) t = `http://${t}`;
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return { error: `"${text.trim()}" is not an address: type one like http://127.0.0.1:8188.` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { error: `A ComfyUI server is reached over http or https, not ${u.protocol.replace(/:$/, '')}.` };
  if (!u.hostname) return { error: 'The address needs a host name, like 127.0.0.1 or gpu-box.local.' };
  return { url: u.href.replace(/\/+$/, '') };
}

/**
 * The header field (`X-Api-Key: secret`, one per line, for an auth proxy in front of the server) as headers.
 * An empty field gives no headers.
 * @returns the headers, or an error sentence naming the line that is wrong.
 */
export function parseHeaderLines(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `"${line}" is not a header: write it as Name: value, like X-Api-Key: 123.` };
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name)) return { error: `"${name}" is not a header name: use letters, digits and - only, like X-Api-Key.` };
    if (!value) return { error: `The header ${name} has no value.` };
    headers[name] = value;
  }
  return { headers };
}

/** What a checked server offers: `3 checkpoints`, `12 LoRAs`, `611 node types`. Empty before the first check. */
export function capabilityCounts(server: Pick<ServerStatus, 'checkpoints' | 'loras' | 'nodeTypeCount' | 'checkedAt'>): string[] {
  if (!server.checkedAt) return [];
  const n = (count: number, word: string, plural = `${word}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? word : plural}`;
  return [n(server.checkpoints.length, 'checkpoint'), n(server.loras.length, 'LoRA'), n(server.nodeTypeCount, 'node type')];
}

/** `checked just now`, `checked 12 s ago`, `checked 5 min ago`, `checked 3 h ago`, or `not checked yet`. */
export function checkedAgo(checkedAt: string | null, nowMs: number): string {
  if (!checkedAt) return 'not checked yet';
  const t = Date.parse(checkedAt);
  if (!Number.isFinite(t)) return 'not checked yet';
  const s = Math.max(0, Math.round((nowMs - t) / 1000));
  if (s < 5) return 'checked just now';
  if (s < 60) return `checked ${s} s ago`;
  if (s < 3600) return `checked ${Math.round(s / 60)} min ago`;
  return `checked ${Math.round(s / 3600)} h ago`;
}

/** The ComfyUI version and protocol generation in words: `ComfyUI 0.3.64`, `ComfyUI 0.2.2 (mid-2024 protocol)`. */
export function versionLabel(server: Pick<ServerStatus, 'comfyuiVersion' | 'protocol'>): string | null {
  if (!server.comfyuiVersion) return server.protocol === 'mid2024' ? 'ComfyUI (mid-2024 protocol)' : null;
  return `ComfyUI ${server.comfyuiVersion}${server.protocol === 'mid2024' ? ' (mid-2024 protocol)' : ''}`;
}
