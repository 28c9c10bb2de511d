/**
 * The Electron entry (bundled to out/main/index.js by electron.vite.config.ts): one window, the native menu,
 * the `app://` protocol, the security settings, and the IPC shell. Thin on purpose: the decisions live in
 * src-main/electron/*.ts (pure, tested without Electron) and src-main/ipc; the work lives in the core.
 *
 * Security (ARCHITECTURE.md, https://www.electronjs.org/docs/latest/tutorial/security): every renderer
 * sandboxed (`app.enableSandbox`), context isolation on, no Node in pages; the UI comes from `app://ui/`, never
 * `file://`; every `app://` response carries a CSP; navigation, new windows and <webview> are refused; no remote
 * content (every http/ws request of a page is cancelled, except the dev server in development); every
 * permission denied; every IPC call checked for its sender frame, then parsed with its schema by the core.
 *
 * Environment: STORYCANVAS_HOME moves the app's settings (and Electron's own profile, to
 * $STORYCANVAS_HOME/electron) for tests; ELECTRON_RENDERER_URL (set by `electron-vite dev`) loads the UI from
 * the dev server when the app is not packaged.
 */
// @ts-ignore -- electron is an optional dependency (its binary download fails offline); where it is absent its types are too.
import { app, BrowserWindow, Menu, protocol, safeStorage, session, shell } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core, defaultConfigDir } from './core/Core';
import { resolveMedia } from './core/mediaFiles';
import { buildMenuTemplate, UI_COMMAND_EVENT, type UiCommandPayload } from './electron/menu';
import { appProtocolHandler } from './electron/protocol';
import { SafeStorageSecretStore } from './electron/secrets';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  APP_UI_ENTRY_URL,
  APP_UI_ORIGIN,
  denyAllPermissions,
  guardWebContents,
  isAllowedRendererRequest,
  originOf,
  windowOptions,
  type GuardableWebContents,
} from './electron/security';
import { createSenderCheck, sendToWindows, type IpcEventTarget } from './ipc';
import { registerElectronIpc } from './ipc/electron';

/** The Electron objects as this file uses them (electron's own types where the package is installed). */
type AppWindow = InstanceType<typeof BrowserWindow>;

const here = dirname(fileURLToPath(import.meta.url));
/** The sandboxed preload: one CommonJS file (out/preload/index.cjs). */
const PRELOAD_PATH = join(here, '..', 'preload', 'index.cjs');
/** The built UI (out/renderer), served as app://ui/. */
const RENDERER_DIR = join(here, '..', 'renderer');
/** Methods after which the Open Recent menu is rebuilt (they add to the recent list). */
const RECENT_CHANGING_METHODS = new Set(['project.create', 'project.open']);

const devServerUrl: string | undefined = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : undefined;
const devOrigin = devServerUrl ? originOf(devServerUrl) : null;
const allowedOrigins: string[] = devOrigin ? [APP_UI_ORIGIN, devOrigin] : [APP_UI_ORIGIN];

if (process.env.STORYCANVAS_HOME) app.setPath('userData', join(resolve(process.env.STORYCANVAS_HOME), 'electron'));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  // Another StoryCanvas runs with this profile: it gets the 'second-instance' event and comes to the front.
  app.quit();
} else {
  start();
}

function start(): void {
  let core: Core | null = null;
  let mainWindow: AppWindow | null = null;

  const windows = (): AppWindow[] => BrowserWindow.getAllWindows() as AppWindow[];
  const targets = (): IpcEventTarget[] => windows().map((w) => w.webContents as IpcEventTarget);
  const sendCommand = (payload: UiCommandPayload): void => {
    const win = (BrowserWindow.getFocusedWindow() as AppWindow | null) ?? mainWindow;
    if (win && !win.isDestroyed()) sendToWindows([win.webContents as IpcEventTarget], UI_COMMAND_EVENT, payload);
  };

  const refreshMenu = (): void => {
    const template = buildMenuTemplate({
      appName: app.name,
      platform: process.platform,
      isDev: !app.isPackaged,
      recent: core ? core.recent() : [],
      send: sendCommand,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  const createWindow = (): AppWindow => {
    const win: AppWindow = new BrowserWindow(windowOptions(PRELOAD_PATH));
    mainWindow = win;
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    win.webContents.on('render-process-gone', (_event: unknown, details: { reason: string; exitCode: number }) => {
      console.error(`[electron] the window's renderer is gone (${details.reason}, exit code ${details.exitCode})`);
    });
    void win.loadURL(devServerUrl ?? APP_UI_ENTRY_URL);
    return win;
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event: unknown, contents: GuardableWebContents) => {
    guardWebContents(contents, { allowedOrigins, openExternal: (url) => shell.openExternal(url) });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && windows().length === 0) createWindow();
  });
  app.on('will-quit', () => {
    void core?.close();
  });

  app
    .whenReady()
    .then(() => {
      const configDir = defaultConfigDir();
      const c = new Core({ shell: 'electron', configDir, version: app.getVersion(), secrets: new SafeStorageSecretStore(safeStorage, configDir) });
      core = c;

      const ses = session.defaultSession;
      denyAllPermissions(ses);
      ses.webRequest.onBeforeRequest((details: { url: string }, callback: (response: { cancel: boolean }) => void) => {
        const allowed = isAllowedRendererRequest(details.url, devServerUrl);
        if (!allowed) console.warn(`[security] cancelled a request for remote content: ${details.url}`);
        callback({ cancel: !allowed });
      });
      protocol.handle(
        APP_SCHEME,
        appProtocolHandler({
          rendererDir: RENDERER_DIR,
          resolveMedia: (mediaId, relPath) => resolveMedia(c, mediaId, relPath),
        }),
      );

      registerElectronIpc({
        core: c,
        isTrustedSender: createSenderCheck({
          allowedOrigins,
          isOurWebContents: (sender) => windows().some((w) => w.webContents === sender),
        }),
        targets,
        onCall: (method, reply) => {
          if (reply.ok && RECENT_CHANGING_METHODS.has(method)) refreshMenu();
        },
      });

      refreshMenu();
      createWindow();
    })
    .catch((err: unknown) => {
      console.error('[electron] StoryCanvas could not start:', err);
      app.exit(1);
    });
}
