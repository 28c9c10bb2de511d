/**
 * The preload: exposes exactly `PreloadApi` (src-renderer/bridge/types.ts) to the page as `window.storycanvas`
 * through `contextBridge.exposeInMainWorld`, and nothing else.
 * https://www.electronjs.org/docs/latest/api/context-bridge
 *
 * - `call(method, args)`: `ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args)`, resolving with the core's
 *   `CallReply` (the main process checks the sender and validates the arguments).
 * - `on(listener)`: every `(event, payload)` on IPC_EVENT_CHANNEL; the listener never sees the IpcRendererEvent
 *   (which would hand the page `ipcRenderer` itself). Returns the unsubscribe function.
 * - `pathForFile(file)`: `webUtils.getPathForFile`, '' for a File that is not on disk.
 * - `platform`: `process.platform`.
 *
 * The window is sandboxed, so this file is bundled into ONE CommonJS file (out/preload/index.cjs) that only
 * `require`s 'electron' (the sandbox's require knows a handful of modules and no files).
 */
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallReply } from './contract';
import type { PreloadApi } from '../src-renderer/bridge/types';

/** The part of Electron's `ipcRenderer` the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface PreloadDeps {
  ipcRenderer: IpcRendererLike;
  /** Electron's `webUtils.getPathForFile`. */
  getPathForFile(file: File): string;
  platform: string;
}

/**
 * Makes the object exposed as `window.storycanvas`: a frozen object with exactly call, on, pathForFile and
 * platform. Calls never reject: a transport failure (say, an argument that cannot be cloned) resolves as
 * `{ok:false, error:{code:'ipc_failed'}}`; a method name that is not a string resolves as `invalid_args`.
 */
export function createPreloadApi(deps: PreloadDeps): PreloadApi {
  const { ipcRenderer } = deps;
  const api: PreloadApi = {
    async call(method: string, args: unknown): Promise<CallReply> {
      if (typeof method !== 'string') {
        return { ok: false, error: { code: 'invalid_args', message: `The method name must be a string, got ${typeof method}.` } };
      }
      try {
        return (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args)) as CallReply;
      } catch (err) {
        return {
          ok: false,
          error: {
            code: 'ipc_failed',
            message: `${method}: the call could not reach the main process: ${(err as Error)?.message ?? String(err)}`,
            hint: 'Arguments must be plain data (no functions, DOM objects or class instances).',
          },
        };
      }
    },
    on(listener: (event: string, payload: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('storycanvas.on(listener): the listener must be a function.');
      const wrapped = (_event: unknown, ...args: unknown[]) => {
        if (typeof args[0] === 'string') listener(args[0], args[1]);
      };
      ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
      };
    },
    pathForFile(file: File): string {
      return deps.getPathForFile(file);
    },
    platform: deps.platform,
  };
  return Object.freeze(api);
}

/** The electron module as a sandboxed preload sees it (the parts used here). */
interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: IpcRendererLike;
  webUtils: { getPathForFile(file: File): string };
}

// Only inside Electron's renderer process: under Node (the unit tests) this file only defines the factory.
if (typeof process !== 'undefined' && process.versions?.electron && (process as { type?: string }).type === 'renderer') {
  // A plain require: the bundle is CommonJS and 'electron' stays external (electron.vite.config.ts).
  const electron = require('electron') as PreloadElectron;
  electron.contextBridge.exposeInMainWorld(
    'storycanvas',
    createPreloadApi({ ipcRenderer: electron.ipcRenderer, getPathForFile: (f) => electron.webUtils.getPathForFile(f), platform: process.platform }),
  );
}
