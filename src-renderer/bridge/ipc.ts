/**
 * The Electron bridge: the contract over the preload's `window.storycanvas` (src-preload/index.ts).
 * Browser code only: no Node and no electron import; the preload API is passed in, which is how the tests
 * run it with a fake.
 *
 * - `call` resolves with the result or rejects with `ContractCallError(code, message, hint)`.
 * - Events: ONE subscription on the preload (ipcRenderer warns past 10 listeners on a channel), fanned out to
 *   the bridge's listeners by event name: the contract's events, and the native menu's `ui.command`
 *   pseudo-event `{command, path?}` (read by `onUiCommand` in ./index.ts).
 * - `mediaUrl` gives `app://media/<projectId>/<relPath>?v=<version>`, served by the main process's `app://`
 *   handler (the Electron shell's electron/protocol.ts).
 */
import {
  ContractCallError,
  type EventName,
  type EventPayload,
  type MethodArgs,
  type MethodName,
  type MethodResult,
} from '../../src-preload/contract';
import type { Bridge, PreloadApi } from './types';

/** The Electron bridge. */
export interface IpcBridge extends Bridge {
  readonly shell: 'electron';
}

/**
 * Makes the Electron bridge over the preload API.
 * @param api `window.storycanvas`.
 * @throws TypeError when `api` is not a preload API (the page is not running inside StoryCanvas's window).
 */
export function createIpcBridge(api: PreloadApi): IpcBridge {
  if (!api || typeof api.call !== 'function' || typeof api.on !== 'function') {
    throw new TypeError('createIpcBridge: window.storycanvas is missing; this page must run inside the StoryCanvas window (or use the web bridge).');
  }
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  let unsubscribePreload: (() => void) | null = null;

  const dispatchEvent = (event: string, payload: unknown): void => {
    for (const l of [...(eventListeners.get(event) ?? [])]) safely(() => l(payload), event);
  };

  const ensureSubscribed = (): void => {
    if (!unsubscribePreload) unsubscribePreload = api.on(dispatchEvent);
  };
  const maybeUnsubscribe = (): void => {
    const any = [...eventListeners.values()].some((s) => s.size > 0);
    if (!any && unsubscribePreload) {
      unsubscribePreload();
      unsubscribePreload = null;
    }
  };

  return {
    shell: 'electron',

    async call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
      const reply = await api.call(method, args);
      if (!reply.ok) throw new ContractCallError(reply.error.code, reply.error.message, reply.error.hint);
      return reply.result as MethodResult<M>;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      ensureSubscribed();
      return () => {
        set.delete(l);
        maybeUnsubscribe();
      };
    },

    mediaUrl(projectId: string, relPath: string, version?: string | number): string {
      const path = relPath.split('/').map(encodeURIComponent).join('/');
      const v = version === undefined ? '' : `?v=${encodeURIComponent(String(version))}`;
      return `app://media/${encodeURIComponent(projectId)}/${path}${v}`;
    },

    pathForFile(file: File): string | null {
      try {
        const p = api.pathForFile(file);
        return p ? p : null;
      } catch {
        return null;
      }
    },

    onConnectionChange(listener: (state: 'connecting' | 'open' | 'closed') => void): () => void {
      // IPC has no connection to lose: the state is 'open' from the start and stays so.
      listener('open');
      return () => undefined;
    },
  };
}

function safely(fn: () => void, event: string): void {
  try {
    fn();
  } catch (err) {
    console.error(`[bridge] a listener of ${event} threw:`, err);
  }
}
