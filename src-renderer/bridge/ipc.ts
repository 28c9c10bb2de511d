/**
 * The Electron bridge: the contract over the preload's `window.storycanvas` (src-preload/index.ts).
 * Browser code only: no Node and no electron import; the preload API is passed in, which is how the tests
 * run it with a fake.
 *
 * - `call` resolves with the result or rejects with `ContractCallError(code, message, hint)`.
 * - Events: ONE subscription on the preload (ipcRenderer warns past 10 listeners on a channel), fanned out to
 *   the bridge's listeners by event name. `onMenuCommand` receives the native menu's `ui.command` pseudo-events.
 * - `mediaUrl` gives `app://media/<projectId>/<relPath>?v=<version>`, served by the main process's `app://`
 *   handler (src-main/electron/protocol.ts).
 */
import {
  ContractCallError,
  isEventName,
  type EventName,
  type EventPayload,
  type MethodArgs,
  type MethodName,
  type MethodResult,
} from '../../src-preload/contract';
import type { Bridge, PreloadApi } from './types';

/** The pseudo-event the native menu sends (src-main/electron/menu.ts `UI_COMMAND_EVENT`). */
export const UI_COMMAND_EVENT = 'ui.command';

/** A native menu command: `project.new`, `project.open`, `project.openRecent` (with `path`), `project.saveAs`,
 * `script.import`, `export.run`, `edit.undo`, `edit.redo`. */
export interface MenuCommand {
  command: string;
  path?: string;
}

/** The Electron bridge, plus the native menu's commands. */
export interface IpcBridge extends Bridge {
  readonly shell: 'electron';
  /** Subscribes to the native menu's commands; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
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
  const commandListeners = new Set<(command: MenuCommand) => void>();
  let unsubscribePreload: (() => void) | null = null;

  const dispatchEvent = (event: string, payload: unknown): void => {
    if (event === UI_COMMAND_EVENT) {
      const p = payload as Partial<MenuCommand> | null;
      if (!p || typeof p.command !== 'string') return;
      const command: MenuCommand = typeof p.path === 'string' ? { command: p.command, path: p.path } : { command: p.command };
      for (const l of [...commandListeners]) safely(() => l(command), event);
      return;
    }
    if (!isEventName(event)) return;
    for (const l of [...(eventListeners.get(event) ?? [])]) safely(() => l(payload), event);
  };

  const ensureSubscribed = (): void => {
    if (!unsubscribePreload) unsubscribePreload = api.on(dispatchEvent);
  };
  const maybeUnsubscribe = (): void => {
    const any = commandListeners.size > 0 || [...eventListeners.values()].some((s) => s.size > 0);
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

    onMenuCommand(listener: (command: MenuCommand) => void): () => void {
      commandListeners.add(listener);
      ensureSubscribed();
      return () => {
        commandListeners.delete(listener);
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
