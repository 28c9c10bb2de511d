/**
 * The Electron entry's wiring, run without Electron: `electron` is replaced by a fake that records what
 * src-main/index.ts asks of it (the real binary is an optional dependency, absent on offline machines; the
 * e2e test drives the real app where it exists). The core, the protocol handler, the IPC shell and the menu
 * are the real ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallReply } from '../src-preload/contract';
import type { MenuItemTemplate } from './electron/menu';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    listeners = new Map<string, Handler[]>();
    on(event: string, l: Handler) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
      return this;
    }
    once(event: string, l: Handler) {
      return this.on(event, l);
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of this.listeners.get(event) ?? []) l(...args);
    }
  }
  class FakeWebContents extends Emitter {
    sent: unknown[][] = [];
    loaded: string[] = [];
    windowOpenHandler: Handler | null = null;
    mainFrame = { url: 'app://ui/index.html', parent: null };
    isDestroyed() {
      return false;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    setWindowOpenHandler(h: Handler) {
      this.windowOpenHandler = h;
    }
  }
  const windows: FakeBrowserWindow[] = [];
  const app = new (class extends Emitter {
    isPackaged = true;
    name = 'StoryCanvas';
    paths: Record<string, string> = {};
    sandboxEnabled = false;
    lockRequested = false;
    readyResolve: () => void = () => undefined;
    ready = new Promise<void>((r) => (this.readyResolve = r));
    setPath(name: string, value: string) {
      this.paths[name] = value;
    }
    enableSandbox() {
      this.sandboxEnabled = true;
    }
    requestSingleInstanceLock() {
      this.lockRequested = true;
      return true;
    }
    whenReady() {
      return this.ready;
    }
    getVersion() {
      return '0.1.0';
    }
    quit() {}
    exit(code: number) {
      throw new Error(`app.exit(${code})`);
    }
  })();
  class FakeBrowserWindow extends Emitter {
    static getAllWindows() {
      return windows;
    }
    static getFocusedWindow() {
      return windows[0] ?? null;
    }
    webContents = new FakeWebContents();
    shown = false;
    constructor(public options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    isDestroyed() {
      return false;
    }
    show() {
      this.shown = true;
    }
    loadURL(url: string) {
      this.webContents.loaded.push(url);
      return Promise.resolve();
    }
  }
  const menus: unknown[][] = [];
  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (r: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(s: unknown[]) {
      if (app.lockRequested) throw new Error('schemes must be registered before anything else');
      this.privileged.push(...s);
    },
    handle(scheme: string, h: (r: Request) => Promise<Response>) {
      this.handlers.set(scheme, h);
    },
  };
  const session = {
    defaultSession: {
      permissionRequest: null as Handler | null,
      permissionCheck: null as Handler | null,
      beforeRequest: null as Handler | null,
      setPermissionRequestHandler(h: Handler) {
        this.permissionRequest = h;
      },
      setPermissionCheckHandler(h: Handler) {
        this.permissionCheck = h;
      },
      webRequest: {
        onBeforeRequest(h: Handler) {
          session.defaultSession.beforeRequest = h;
        },
      },
    },
  };
  const ipcMain = {
    handlers: new Map<string, Handler>(),
    handle(channel: string, h: Handler) {
      this.handlers.set(channel, h);
    },
    removeHandler(channel: string) {
      this.handlers.delete(channel);
    },
  };
  const opened: string[] = [];
  return {
    app,
    windows,
    menus,
    protocol,
    session,
    ipcMain,
    opened,
    module: {
      app,
      BrowserWindow: FakeBrowserWindow,
      Menu: {
        buildFromTemplate: (t: unknown[]) => t,
        setApplicationMenu: (m: unknown[]) => menus.push(m),
      },
      protocol,
      session,
      ipcMain,
      shell: { openExternal: async (u: string) => void opened.push(u) },
      safeStorage: {
        isEncryptionAvailable: () => false,
        encryptString: () => Buffer.alloc(0),
        decryptString: () => '',
      },
    },
  };
});

vi.mock('electron', () => fake.module);

describe('src-main/index.ts (Electron entry) with a fake electron', () => {
  let home: string;
  const previousHome = process.env.STORYCANVAS_HOME;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'sc-main-'));
    process.env.STORYCANVAS_HOME = home;
    await import('./index');
    fake.app.readyResolve();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
  });

  afterAll(() => {
    if (previousHome === undefined) delete process.env.STORYCANVAS_HOME;
    else process.env.STORYCANVAS_HOME = previousHome;
    fake.app.emit('will-quit');
    rmSync(home, { recursive: true, force: true });
  });

  const win = () => fake.windows[0];
  const invoke = (frame: { url: string; parent: unknown }, method: string, args: unknown) =>
    fake.ipcMain.handlers.get(IPC_INVOKE_CHANNEL)!({ sender: win().webContents, senderFrame: frame }, method, args) as Promise<CallReply>;
  const lastMenu = () => fake.menus.at(-1) as MenuItemTemplate[];
  const findItem = (items: MenuItemTemplate[], id: string): MenuItemTemplate | undefined => {
    for (const i of items) {
      if (i.id === id) return i;
      const inner = i.submenu && findItem(i.submenu, id);
      if (inner) return inner;
    }
    return undefined;
  };

  it('registers app:// as privileged, sandboxes every renderer and takes the single-instance lock, before ready', () => {
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.app.lockRequested).toBe(true);
    expect(fake.app.paths.userData).toBe(join(home, 'electron'));
  });

  it('opens one sandboxed window on app://ui/ with the CommonJS preload, shown when ready', () => {
    const o = win().options as { width: number; height: number; show: boolean; webPreferences: Record<string, unknown> };
    expect([o.width, o.height, o.show]).toEqual([1440, 900, false]);
    expect(o.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(String(o.webPreferences.preload)).toMatch(/[\\/]preload[\\/]index\.cjs$/);
    expect(win().webContents.loaded).toEqual(['app://ui/index.html']);
    win().emit('ready-to-show');
    expect(win().shown).toBe(true);
  });

  it('guards the window: navigation away and new windows are refused', () => {
    let prevented = false;
    win().webContents.emit('will-navigate', { preventDefault: () => (prevented = true), url: 'https://example.com/' }, 'https://example.com/');
    expect(prevented).toBe(true);
    expect(win().webContents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });

  it('denies permissions and cancels remote requests', () => {
    const s = fake.session.defaultSession;
    const granted: boolean[] = [];
    s.permissionRequest!({}, 'media', (g: boolean) => granted.push(g));
    expect(granted).toEqual([false]);
    expect(s.permissionCheck!({}, 'notifications')).toBe(false);
    const decisions: unknown[] = [];
    s.beforeRequest!({ url: 'https://tracker.example/pixel.gif' }, (r: unknown) => decisions.push(r));
    s.beforeRequest!({ url: 'app://ui/assets/index.js' }, (r: unknown) => decisions.push(r));
    expect(decisions).toEqual([{ cancel: true }, { cancel: false }]);
  });

  it('answers contract calls from the window and refuses other frames', async () => {
    const info = await invoke(win().webContents.mainFrame, 'app.info', {});
    expect(info).toMatchObject({ ok: true, result: { shell: 'electron', configDir: home } });
    const refused = await invoke({ url: 'https://evil.example/', parent: null }, 'app.info', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  it('creates a project over IPC, lists it under Open Recent, and serves its media over app://media', async () => {
    const created = await invoke(win().webContents.mainFrame, 'project.create', { dir: home, name: 'Harbour' });
    expect(created.ok).toBe(true);
    const { projectId, path } = (created as { ok: true; result: { projectId: string; path: string } }).result;
    const recent = findItem(lastMenu(), 'open-recent')!.submenu!;
    expect(recent[0]).toMatchObject({ label: 'Harbour', sublabel: path });

    const { sceneId } = ((await invoke(win().webContents.mainFrame, 'scene.create', { projectId })) as { ok: true; result: { sceneId: string } }).result;
    const { shotId } = ((await invoke(win().webContents.mainFrame, 'shot.create', { projectId, sceneId })) as { ok: true; result: { shotId: string } }).result;
    expect(win().webContents.sent.some(([channel, event]) => channel === IPC_EVENT_CHANNEL && event === 'project.changed')).toBe(true);

    const handler = fake.protocol.handlers.get('app')!;
    const card = await handler(new Request(`app://media/${projectId}/cards/${shotId}.png`));
    expect(card.status).toBe(200);
    expect(card.headers.get('content-type')).toBe('image/png');
    expect(card.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    expect((await handler(new Request(`app://media/${projectId}/..%2f..%2fetc%2fpasswd`))).status).toBe(403);
  });

  it('sends menu commands to the renderer as ui.command pseudo-events', () => {
    win().webContents.sent.length = 0;
    findItem(lastMenu(), 'new-project')!.click!();
    findItem(lastMenu(), 'undo')!.click!();
    expect(win().webContents.sent).toEqual([
      [IPC_EVENT_CHANNEL, 'ui.command', { command: 'new-project' }],
      [IPC_EVENT_CHANNEL, 'ui.command', { command: 'undo' }],
    ]);
  });
});
