/**
 * The Electron IPC shell: the only place that touches `ipcMain` (ARCHITECTURE.md).
 *
 * One invoke channel (`IPC_INVOKE_CHANNEL`, `(method, args) -> CallReply`) and one event channel
 * (`IPC_EVENT_CHANNEL`, `(event, payload)`), both named in src-preload/contract.ts. Every call is checked for
 * its sender frame first (the main frame of one of our windows, showing the UI's origin), then validated and
 * run by `core.dispatch`, which parses the arguments with the method's zod schema and never throws.
 *
 * This module takes ipcMain as a parameter so it is tested with fakes; ./electron.ts passes the real one.
 * https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallReply } from '../../src-preload/contract';
import type { Core } from '../core/Core';

/** A frame as Electron's WebFrameMain shows it (the fields the sender check reads). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
}

/** An `ipcMain.handle` event (IpcMainInvokeEvent): the WebContents that sent it and the frame inside it. */
export interface InvokeEvent {
  readonly sender: unknown;
  /** Null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: SenderFrame | null;
}

/** The part of Electron's `ipcMain` this module uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** A WebContents as an event target. */
export interface IpcEventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface RegisterIpcOptions {
  ipcMain: IpcMainLike;
  /** The core; only `dispatch` and `events.onAny` are used. */
  core: Pick<Core, 'dispatch' | 'events'>;
  /** Whether a call comes from a frame allowed to use the contract (see `createSenderCheck`). */
  isTrustedSender(event: InvokeEvent): boolean;
  /** The WebContents of every open window, to forward core events to. */
  targets(): Iterable<IpcEventTarget>;
  /** Called after each trusted call with its reply (the shell refreshes its Open Recent menu). */
  onCall?: (method: string, reply: CallReply) => void;
  /** Where refusals are reported. Default: console.warn. */
  log?: (message: string) => void;
}

/** The reply to a call from an untrusted frame. */
export const FORBIDDEN_SENDER_REPLY: CallReply = {
  ok: false,
  error: {
    code: 'forbidden_sender',
    message: 'Refused a call from a frame that is not the StoryCanvas window.',
    hint: 'Only the main frame of the StoryCanvas window, showing app://ui/, may call the contract.',
  },
};

/**
 * Registers the invoke handler and forwards every core event to every window.
 * @returns a function that removes the handler and stops forwarding (app quit, tests).
 */
export function registerIpc(opts: RegisterIpcOptions): () => void {
  const log = opts.log ?? ((m: string) => console.warn(m));
  opts.ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: InvokeEvent, method: unknown, args: unknown): Promise<CallReply> => {
    if (!opts.isTrustedSender(event)) {
      log(`[ipc] refused ${typeof method === 'string' ? method : 'a call'} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return FORBIDDEN_SENDER_REPLY;
    }
    let reply: CallReply;
    try {
      reply = await opts.core.dispatch(typeof method === 'string' ? method : String(method), args);
    } catch (err) {
      // dispatch never throws; this keeps the promise for the renderer resolved if that ever changes.
      reply = { ok: false, error: { code: 'internal', message: `${String(method)} failed: ${(err as Error)?.message ?? String(err)}` } };
    }
    try {
      opts.onCall?.(String(method), reply);
    } catch (err) {
      log(`[ipc] the onCall hook failed: ${String(err)}`);
    }
    return reply;
  });
  const unsubscribe = opts.core.events.onAny((event, payload) => {
    sendToWindows(opts.targets(), event, payload);
  });
  return () => {
    unsubscribe();
    opts.ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}

/**
 * Sends `(event, payload)` on IPC_EVENT_CHANNEL to every live target: core events, and the menu's
 * `ui.command` pseudo-event. Destroyed WebContents are skipped.
 */
export function sendToWindows(targets: Iterable<IpcEventTarget>, event: string, payload: unknown): void {
  for (const target of targets) {
    if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event, payload);
  }
}

/** The origin of a frame URL: `app://host` for the custom scheme (WHATWG gives it "null"), else URL.origin. */
function frameOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol === 'app:') return u.host ? `app://${u.host}` : null;
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/**
 * Whether a frame may call the contract: it exists, is a main frame (no parent), and shows one of the
 * allowed origins (`app://ui`, and the dev server's origin in development).
 */
export function isTrustedSenderFrame(frame: SenderFrame | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (!frame || frame.parent !== null) return false;
  const origin = frameOrigin(frame.url);
  return origin !== null && allowedOrigins.includes(origin);
}

/**
 * The sender check src-main/index.ts uses: a trusted frame (`isTrustedSenderFrame`) inside one of our own
 * windows' WebContents.
 * @param isOurWebContents whether `event.sender` belongs to a StoryCanvas window.
 */
export function createSenderCheck(opts: { allowedOrigins: readonly string[]; isOurWebContents(sender: unknown): boolean }): (event: InvokeEvent) => boolean {
  return (event) => opts.isOurWebContents(event.sender) && isTrustedSenderFrame(event.senderFrame, opts.allowedOrigins);
}
