/**
 * The Electron shell's security settings as plain data and pure checks (ARCHITECTURE.md, "Electron security,
 * from the start"), following Electron's security checklist: https://www.electronjs.org/docs/latest/tutorial/security
 *
 * Nothing here imports electron: src-main/index.ts hands electron's objects (or the values these functions
 * return) to electron, and the tests run these functions on plain objects.
 */

/** The custom scheme the UI and the media are served from. Never `file://`. */
export const APP_SCHEME = 'app';
/** The origin of the UI: `app://ui/<path>` are the files of out/renderer. */
export const APP_UI_ORIGIN = 'app://ui';
/** The page the window loads. */
export const APP_UI_ENTRY_URL = `${APP_UI_ORIGIN}/index.html`;
/** The origin of project media: `app://media/<projectId>/<relPath>`. */
export const APP_MEDIA_ORIGIN = 'app://media';

/**
 * What `protocol.registerSchemesAsPrivileged` gets, before the app is ready
 * (https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes):
 * `standard` (relative URLs and an origin per host), `secure` (a secure context like https),
 * `supportFetchAPI`, and `stream` (needed to stream video with Range requests).
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
} as const;

/**
 * The Content-Security-Policy sent with every `app://` response: scripts, styles, fonts and connections only
 * from the page's own origin; pictures and video also from `app:` (media is on `app://media`), `data:` and
 * `blob:`; inline styles allowed (React's style attributes); no plugins, no <base>, no forms, no framing.
 * https://www.w3.org/TR/CSP3/
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' app: data: blob:",
  "media-src 'self' app: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every `app://` response carries. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** The subset of Electron's `BrowserWindowConstructorOptions` StoryCanvas sets. */
export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    sandbox: true;
    contextIsolation: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    safeDialogs: true;
    spellcheck: boolean;
  };
}

/** The window's background before the UI paints (the renderer's dark theme), as `#rrggbb`. */
export const WINDOW_BACKGROUND_COLOR = '#17181b';

/**
 * Options of the one main window: 1440x900 by default, at least 1024x640, dark, shown on `ready-to-show`,
 * sandboxed with context isolation and no Node in the page.
 * https://www.electronjs.org/docs/latest/api/structures/web-preferences
 * @param preloadPath absolute path of the CommonJS preload bundle (out/preload/index.cjs).
 * @throws Error when preloadPath is not absolute (Electron would silently ignore a relative one).
 */
export function windowOptions(preloadPath: string): WindowOptions {
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(preloadPath)) {
    throw new Error(`windowOptions: the preload path must be absolute, got "${preloadPath}". Resolve it against the main bundle's folder.`);
  }
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'StoryCanvas',
    backgroundColor: WINDOW_BACKGROUND_COLOR,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
    },
  };
}

/**
 * The origin of a URL as a string: `app://ui` for the custom scheme (WHATWG URL gives non-special schemes the
 * opaque origin "null", so it is built from protocol and host), `https://host[:port]` for web URLs.
 * @returns null for a string that is not an absolute URL.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host ? `${APP_SCHEME}://${parsed.host}` : null;
  return parsed.origin === 'null' ? null : parsed.origin;
}

/**
 * Whether the window may navigate to a URL (`will-navigate`, `will-redirect`): only to the UI's own origin
 * (`app://ui`, plus the electron-vite dev server in development). Everything else is denied.
 * @param allowedOrigins origins as `originOf` writes them; default `[APP_UI_ORIGIN]`.
 */
export function isAllowedNavigation(url: string, allowedOrigins: readonly string[] = [APP_UI_ORIGIN]): boolean {
  const origin = originOf(url);
  return origin !== null && allowedOrigins.includes(origin);
}

/**
 * Whether a URL may be handed to `shell.openExternal`: a parsed `https:` URL with a host and without
 * credentials. Anything else (`http:`, `file:`, `javascript:`, custom schemes, `smb:` shares) could run or
 * open local things and is refused.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.hostname.length > 0 && parsed.username === '' && parsed.password === '';
}

/**
 * Whether the renderer may load a URL at all (`session.webRequest.onBeforeRequest`): the app's own scheme,
 * `data:`/`blob:`, DevTools in development, and the dev server's http/ws origin when one is given.
 * No remote content: every other http(s)/ws(s)/ftp/file request is cancelled.
 * @param devServerUrl electron-vite's ELECTRON_RENDERER_URL in development, else undefined.
 */
export function isAllowedRendererRequest(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` || parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  if (!devServerUrl) return false;
  if (parsed.protocol === 'devtools:') return true;
  const dev = new URL(devServerUrl);
  const wsProtocol = dev.protocol === 'https:' ? 'wss:' : 'ws:';
  return (parsed.protocol === dev.protocol || parsed.protocol === wsProtocol) && parsed.host === dev.host;
}

/** An Electron event as the guard sees it: navigation events carry the target in `url` (and as the first argument). */
export interface GuardedEvent {
  preventDefault(): void;
  url?: string;
}

/** The part of a WebContents the navigation guard uses. */
export interface GuardableWebContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: GuardedEvent, ...args: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

/**
 * Guards a WebContents: navigation and redirects leave the UI's origin never, new windows are never opened,
 * `<webview>` is never attached; an https link the user clicked opens in the system browser instead
 * (`openExternal`, only for `isSafeExternalUrl`).
 * https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
 * @param openExternal electron's `shell.openExternal` (or a fake in tests).
 */
export function guardWebContents(
  contents: GuardableWebContents,
  opts: { allowedOrigins?: readonly string[]; openExternal: (url: string) => unknown; log?: (message: string) => void },
): void {
  const allowed = opts.allowedOrigins ?? [APP_UI_ORIGIN];
  const log = opts.log ?? ((m: string) => console.warn(m));
  const refuse = (kind: string) => (event: GuardedEvent, ...args: unknown[]) => {
    const url = typeof event.url === 'string' ? event.url : typeof args[0] === 'string' ? args[0] : '';
    if (isAllowedNavigation(url, allowed)) return;
    event.preventDefault();
    if (kind === 'will-navigate' && isSafeExternalUrl(url)) {
      void Promise.resolve(opts.openExternal(url)).catch((e: unknown) => log(`[security] could not open ${url} in the browser: ${String(e)}`));
      return;
    }
    log(`[security] refused ${kind} to ${url || '(no url)'}`);
  };
  contents.on('will-navigate', refuse('will-navigate'));
  contents.on('will-redirect', refuse('will-redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[security] refused to attach a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      void Promise.resolve(opts.openExternal(url)).catch((e: unknown) => log(`[security] could not open ${url} in the browser: ${String(e)}`));
    } else {
      log(`[security] refused to open a window for ${url}`);
    }
    return { action: 'deny' };
  });
}

/** The part of an Electron Session the permission policy uses. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details?: { requestingUrl?: string }) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string, requestingOrigin?: string) => boolean) | null): void;
}

/** Where the app's own UI is served from: the only origin that may take the screen for presentation mode. */
export const UI_ORIGIN_PREFIX = 'app://ui/';

/**
 * Denies every permission request and check (camera, microphone, notifications, geolocation, HID, serial, …),
 * with ONE exception: `fullscreen` requested by the app's own page (`app://ui/…`), which presentation mode uses
 * (the HTML Fullscreen API). Any other page asking for the screen is refused too.
 * https://www.electronjs.org/docs/latest/tutorial/security#5-handle-session-permission-requests-from-remote-content
 */
export function denyAllPermissions(session: PermissionSession, log: (message: string) => void = (m) => console.warn(m)): void {
  const isOwnFullscreen = (permission: string, url: string | undefined) => permission === 'fullscreen' && !!url && url.startsWith(UI_ORIGIN_PREFIX);
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    if (isOwnFullscreen(permission, details?.requestingUrl)) return callback(true);
    log(`[security] denied the permission request "${permission}"`);
    callback(false);
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isOwnFullscreen(permission, requestingOrigin ? `${requestingOrigin.replace(/\/$/, '')}/` : undefined));
}
