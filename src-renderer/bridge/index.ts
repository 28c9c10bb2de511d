/**
 * Picks the renderer's bridge to the core and hands it to views through React context.
 *
 * - Electron: the preload exposes `window.storycanvas` -> `./ipc` (createIpcBridge).
 * - Browser (web mode, `storycanvas serve`): no preload -> `./ws` (createWebSocketBridge to 127.0.0.1).
 * Each implementation is loaded with a dynamic import, so a build ships both and a page runs only its own.
 *
 * Views call `useBridge()`; they never touch `window.storycanvas` or a socket themselves.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import type { EventName, EventPayload } from '../../src-preload/contract';
import type { Bridge } from './types';

export type { Bridge } from './types';

let pending: Promise<Bridge> | null = null;

/**
 * The bridge for this page, created once: IPC when the Electron preload is present, else the WebSocket bridge.
 * @throws (rejects) when the chosen implementation cannot start (for example no WebSocket in this browser).
 */
export function getBridge(): Promise<Bridge> {
  if (!pending) {
    const preload = typeof window !== 'undefined' ? window.storycanvas : undefined;
    pending = preload
      ? import('./ipc').then((m) => m.createIpcBridge(preload))
      : import('./ws').then((m) => m.createWebSocketBridge());
  }
  return pending;
}

const BridgeContext = createContext<Bridge | null>(null);

/** Provides a ready bridge to the tree below. */
export function BridgeProvider(props: { bridge: Bridge; children: ReactNode }) {
  return createElement(BridgeContext.Provider, { value: props.bridge }, props.children);
}

/**
 * The bridge of the nearest BridgeProvider.
 * @throws Error when used outside a BridgeProvider (a wiring mistake, not a user error).
 */
export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge() needs a <BridgeProvider> above it: render views inside <App>.');
  return bridge;
}

/**
 * Menu commands the Electron shell sends as the `ui.command` pseudo-event `{ command, path? }`
 * (the Electron shell's electron/menu.ts `MenuCommand`), plus the renderer's own (keyboard and buttons run the same).
 * `open-recent` carries the project's `path`.
 */
export const UI_COMMANDS = [
  'new-project',
  'open-project',
  'open-recent',
  'close-project',
  'save-as',
  'import-script',
  'export',
  'undo',
  'redo',
  'select-all',
  'delete',
  'new-shot',
  'zoom-in',
  'zoom-out',
  'zoom-fit',
] as const;
/** One of UI_COMMANDS. */
export type UiCommand = (typeof UI_COMMANDS)[number];

/**
 * Subscribes to `ui.command` (Electron menus). It is not one of the contract's core events, so it is read
 * loosely: an unknown command is ignored with a console warning; `path` is passed on when it is a string.
 */
export function onUiCommand(bridge: Bridge, listener: (command: UiCommand, path: string | null) => void): () => void {
  const on = bridge.on as unknown as (event: string, l: (payload: unknown) => void) => () => void;
  return on.call(bridge, 'ui.command', (payload) => {
    const p = (payload ?? {}) as { command?: unknown; path?: unknown };
    if (typeof p.command === 'string' && (UI_COMMANDS as readonly string[]).includes(p.command))
      listener(p.command as UiCommand, typeof p.path === 'string' ? p.path : null);
    else console.warn('[ui.command] ignored an unknown menu command:', payload);
  });
}

/** Typed helper: subscribe to a contract event for the lifetime of an effect. */
export function subscribe<E extends EventName>(bridge: Bridge, event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge.on(event, listener);
}
