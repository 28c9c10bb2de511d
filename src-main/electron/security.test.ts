import { describe, expect, it } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  denyAllPermissions,
  guardWebContents,
  isAllowedNavigation,
  isAllowedRendererRequest,
  isSafeExternalUrl,
  originOf,
  windowOptions,
  type GuardedEvent,
} from './security';

describe('windowOptions', () => {
  it('sandboxes the page, isolates the context and keeps Node out', () => {
    const o = windowOptions('/opt/StoryCanvas/resources/app.asar/out/preload/index.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/opt/StoryCanvas/resources/app.asar/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('opens 1440x900, at least 1024x640, hidden until ready, on a dark background', () => {
    const o = windowOptions('C:\\Program Files\\StoryCanvas\\preload\\index.cjs');
    expect([o.width, o.height, o.minWidth, o.minHeight, o.show]).toEqual([1440, 900, 1024, 640, false]);
    const rgb = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(o.backgroundColor)!.slice(1).map((h) => parseInt(h, 16));
    expect(Math.max(...rgb)).toBeLessThan(64);
  });

  it('refuses a relative preload path, which Electron would ignore', () => {
    expect(() => windowOptions('out/preload/index.cjs')).toThrow(/must be absolute/);
  });
});

describe('app:// scheme', () => {
  it('is standard, secure, fetchable and streams (for video seeking)', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } });
  });

  it('has a CSP with default-src self, media from app:, inline styles, and no inline script', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['img-src']).toContain('app:');
    expect(directives['media-src']).toContain('app:');
    expect(directives['style-src']).toContain("'unsafe-inline'");
    expect(directives['object-src']).toEqual(["'none'"]);
  });
});

describe('originOf', () => {
  it('gives app://<host> for the custom scheme and the web origin otherwise', () => {
    expect(originOf('app://ui/index.html')).toBe('app://ui');
    expect(originOf('app://media/abc/media/takes/x.png')).toBe('app://media');
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173');
    expect(originOf('not a url')).toBeNull();
    expect(originOf('file:///etc/passwd')).toBeNull();
  });
});

describe('isAllowedNavigation', () => {
  it('allows only the UI origin by default', () => {
    expect(isAllowedNavigation('app://ui/index.html#/project/1')).toBe(true);
    expect(isAllowedNavigation('app://media/abc/x.png')).toBe(false);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
    expect(isAllowedNavigation('')).toBe(false);
  });

  it('allows the dev server only when it is listed', () => {
    expect(isAllowedNavigation('http://localhost:5173/', ['app://ui'])).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', ['app://ui', 'http://localhost:5173'])).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', ['app://ui', 'http://localhost:5173'])).toBe(false);
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts https URLs with a host', () => {
    expect(isSafeExternalUrl('https://docs.comfy.org/')).toBe(true);
  });
  it.each(['http://example.com/', 'file:///C:/Windows/System32/calc.exe', 'javascript:alert(1)', 'smb://host/share', 'app://ui/', 'https://user:pw@example.com/', 'https:', 'not a url', 'ms-msdt:/id PCWDiagnostic'])(
    'refuses %s',
    (url) => {
      expect(isSafeExternalUrl(url)).toBe(false);
    },
  );
});

describe('isAllowedRendererRequest', () => {
  it('allows the app scheme, data: and blob:, and nothing remote', () => {
    expect(isAllowedRendererRequest('app://ui/assets/index.js')).toBe(true);
    expect(isAllowedRendererRequest('app://media/abc/media/takes/a.mp4')).toBe(true);
    expect(isAllowedRendererRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRendererRequest('blob:app://ui/123')).toBe(true);
    expect(isAllowedRendererRequest('https://fonts.googleapis.com/css')).toBe(false);
    expect(isAllowedRendererRequest('ws://127.0.0.1:8188/ws')).toBe(false);
    expect(isAllowedRendererRequest('file:///etc/passwd')).toBe(false);
    expect(isAllowedRendererRequest('devtools://devtools/bundled/inspector.html')).toBe(false);
  });

  it('allows the dev server (http and its HMR socket) and DevTools in development', () => {
    const dev = 'http://localhost:5173';
    expect(isAllowedRendererRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedRendererRequest('ws://localhost:5173/?token=x', dev)).toBe(true);
    expect(isAllowedRendererRequest('devtools://devtools/bundled/inspector.html', dev)).toBe(true);
    expect(isAllowedRendererRequest('http://localhost:8188/prompt', dev)).toBe(false);
    expect(isAllowedRendererRequest('https://example.com/', dev)).toBe(false);
  });
});

/** A fake WebContents that records the listeners and the window-open handler the guard installs. */
function fakeContents() {
  const listeners = new Map<string, (event: GuardedEvent, ...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    contents: {
      on(event: string, l: (event: GuardedEvent, ...args: unknown[]) => void) {
        listeners.set(event, l);
        return this;
      },
      setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' } | { action: 'allow' }) {
        openHandler = h;
      },
    },
    fire(event: string, url?: string) {
      let prevented = false;
      listeners.get(event)!({ preventDefault: () => (prevented = true), url }, url);
      return prevented;
    },
    open(url: string) {
      return openHandler!({ url });
    },
  };
}

describe('guardWebContents', () => {
  const setup = () => {
    const opened: string[] = [];
    const logs: string[] = [];
    const fake = fakeContents();
    guardWebContents(fake.contents, { openExternal: (u) => opened.push(u), log: (m) => logs.push(m) });
    return { fake, opened, logs };
  };

  it('lets the UI navigate inside app://ui and stops everything else', () => {
    const { fake, opened } = setup();
    expect(fake.fire('will-navigate', 'app://ui/index.html')).toBe(false);
    expect(fake.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fake.fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(fake.fire('will-navigate', 'http://example.com/')).toBe(true);
    expect(opened).toEqual([]);
  });

  it('sends a clicked https link to the system browser instead of navigating', () => {
    const { fake, opened } = setup();
    expect(fake.fire('will-navigate', 'https://docs.comfy.org/')).toBe(true);
    expect(opened).toEqual(['https://docs.comfy.org/']);
  });

  it('denies every new window and opens only https ones externally', () => {
    const { fake, opened, logs } = setup();
    expect(fake.open('https://example.com/help')).toEqual({ action: 'deny' });
    expect(fake.open('app://ui/index.html')).toEqual({ action: 'deny' });
    expect(fake.open('file:///tmp/x.html')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/help']);
    expect(logs.join('\n')).toMatch(/refused to open a window for file:/);
  });

  it('never attaches a <webview>', () => {
    const { fake } = setup();
    expect(fake.fire('will-attach-webview')).toBe(true);
  });
});

describe('denyAllPermissions', () => {
  it('denies requests and checks of every kind', () => {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, permission: string) => boolean) | null = null;
    denyAllPermissions(
      {
        setPermissionRequestHandler: (h) => (request = h),
        setPermissionCheckHandler: (h) => (check = h),
      },
      () => undefined,
    );
    for (const permission of ['media', 'notifications', 'geolocation', 'fullscreen', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      request!({}, permission, (g) => answers.push(g));
      expect(answers).toEqual([false]);
      expect(check!({}, permission)).toBe(false);
    }
  });

  it('lets only the app’s own page take the screen (presentation mode), and nothing else', () => {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: { requestingUrl?: string }) => void) | null = null;
    let check: ((wc: unknown, permission: string, origin?: string) => boolean) | null = null;
    denyAllPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) }, () => undefined);
    const ask = (permission: string, url: string) => {
      const answers: boolean[] = [];
      request!({}, permission, (g) => answers.push(g), { requestingUrl: url });
      return answers[0];
    };
    expect(ask('fullscreen', 'app://ui/index.html')).toBe(true);
    expect(ask('fullscreen', 'https://evil.example/')).toBe(false);
    expect(ask('fullscreen', 'app://media/x/cards/a.png')).toBe(false);
    expect(ask('media', 'app://ui/index.html')).toBe(false);
    expect(check!({}, 'fullscreen', 'app://ui')).toBe(true);
    expect(check!({}, 'fullscreen', 'https://evil.example')).toBe(false);
    expect(check!({}, 'notifications', 'app://ui')).toBe(false);
  });
});
