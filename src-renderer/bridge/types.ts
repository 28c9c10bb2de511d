import type { ContractClient } from '../../src-preload/contract';

/**
 * What the renderer gets from its shell: the contract client plus the few things that depend on the transport.
 * Two implementations: `ipc.ts` (Electron, over the preload's `window.storycanvas`) and `ws.ts` (web mode,
 * over a WebSocket to 127.0.0.1). Views use only this interface, through `useBridge()`.
 */
export interface Bridge extends ContractClient {
  readonly shell: 'electron' | 'web';
  /**
   * URL of a file of an open project for <img>/<video>: `app://media/<projectId>/<relPath>` in Electron,
   * `/media/<projectId>/<relPath>` in web mode. `relPath` is relative to the project folder (`media/takes/…`),
   * or `cards/<shotId>.png` for a shot's placeholder card. `version` busts caches when the content changed.
   */
  mediaUrl(projectId: string, relPath: string, version?: string | number): string;
  /**
   * The absolute path of a dropped or picked File where the shell can know it (Electron), else null
   * (browsers never expose paths; upload the bytes with `take.importBytes` instead).
   */
  pathForFile(file: File): string | null;
  /** Connection state for a status line (web mode can lose its socket; Electron is always 'open'). */
  onConnectionChange(listener: (state: 'connecting' | 'open' | 'closed') => void): () => void;
}

/** The object the Electron preload exposes as `window.storycanvas` (see src-preload/index.ts). */
export interface PreloadApi {
  call(method: string, args: unknown): Promise<import('../../src-preload/contract').CallReply>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  pathForFile(file: File): string;
  readonly platform: string;
}

declare global {
  interface Window {
    storycanvas?: PreloadApi;
  }
}
