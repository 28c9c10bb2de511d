import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallReply } from '../../src-preload/contract';
import { Core } from '../core/Core';
import { createSenderCheck, FORBIDDEN_SENDER_REPLY, isTrustedSenderFrame, registerIpc, sendToWindows, type InvokeEvent, type IpcEventTarget, type SenderFrame } from './index';

/** A fake ipcMain: keeps the handlers registered per channel and lets the test invoke them like Electron does. */
class FakeIpcMain {
  handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: InvokeEvent, ...args: unknown[]): Promise<CallReply> {
    const h = this.handlers.get(IPC_INVOKE_CHANNEL);
    if (!h) throw new Error('No handler registered');
    return Promise.resolve(h(event, ...args)) as Promise<CallReply>;
  }
}

/** A fake WebContents: records what it was sent. */
class FakeWebContents implements IpcEventTarget {
  sent: unknown[][] = [];
  destroyed = false;
  readonly mainFrame: SenderFrame;
  constructor(url: string) {
    this.mainFrame = { url, parent: null };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
}

describe('registerIpc', () => {
  let work: string;
  let core: Core;
  let ipcMain: FakeIpcMain;
  let win: FakeWebContents;
  let stranger: FakeWebContents;
  let calls: Array<[string, boolean]>;
  let logs: string[];
  let unregister: () => void;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'sc-ipc-'));
    core = new Core({ shell: 'electron', configDir: join(work, 'config') });
    ipcMain = new FakeIpcMain();
    win = new FakeWebContents('app://ui/index.html');
    stranger = new FakeWebContents('app://ui/index.html');
    calls = [];
    logs = [];
    unregister = registerIpc({
      ipcMain,
      core,
      isTrustedSender: createSenderCheck({ allowedOrigins: ['app://ui'], isOurWebContents: (s) => s === win }),
      targets: () => [win],
      onCall: (method, reply) => calls.push([method, reply.ok]),
      log: (m) => logs.push(m),
    });
  });

  afterEach(async () => {
    unregister();
    await core.close();
    rmSync(work, { recursive: true, force: true });
  });

  const fromWindow = (frame: SenderFrame | null = win.mainFrame, sender: unknown = win): InvokeEvent => ({ sender, senderFrame: frame });

  it('round-trips a trusted call through the core', async () => {
    const reply = await ipcMain.invoke(fromWindow(), 'app.info', {});
    expect(reply).toMatchObject({ ok: true, result: { name: 'StoryCanvas', shell: 'electron', configDir: join(work, 'config') } });
    expect(calls).toEqual([['app.info', true]]);
  });

  it('creates a project and forwards the change events it causes to the window', async () => {
    const created = await ipcMain.invoke(fromWindow(), 'project.create', { dir: work, name: 'Night Shoot' });
    expect(created.ok).toBe(true);
    const projectId = (created as { ok: true; result: { projectId: string } }).result.projectId;
    const scene = await ipcMain.invoke(fromWindow(), 'scene.create', { projectId, heading: 'EXT. PIER - NIGHT' });
    expect(scene.ok).toBe(true);
    const changed = win.sent.filter(([channel, event]) => channel === IPC_EVENT_CHANNEL && event === 'project.changed');
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.at(-1)![2]).toMatchObject({ projectId });
  });

  it('refuses a call from a subframe of our window', async () => {
    const subframe: SenderFrame = { url: 'app://ui/index.html', parent: win.mainFrame };
    expect(await ipcMain.invoke(fromWindow(subframe), 'app.info', {})).toEqual(FORBIDDEN_SENDER_REPLY);
    expect(calls).toEqual([]);
    expect(logs.join('\n')).toMatch(/refused app\.info/);
  });

  it('refuses a call from a foreign URL, a destroyed frame, or another WebContents', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/page.html', 'app://media/x/y.html', 'http://localhost:5173/']) {
      const reply = await ipcMain.invoke(fromWindow({ url, parent: null }), 'app.info', {});
      expect(reply, url).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
    expect(await ipcMain.invoke(fromWindow(null), 'app.info', {})).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(await ipcMain.invoke(fromWindow(stranger.mainFrame, stranger), 'app.info', {})).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  it('refuses before validating: an untrusted frame cannot even probe the method names', async () => {
    const reply = await ipcMain.invoke(fromWindow({ url: 'https://evil.example/', parent: null }), 'no.such.method', {});
    expect(reply).toEqual(FORBIDDEN_SENDER_REPLY);
  });

  it('gives invalid_args for bad arguments and unknown_method for unknown names', async () => {
    const bad = await ipcMain.invoke(fromWindow(), 'project.create', { dir: '', name: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect((bad as { error: { message: string } }).error.message).toMatch(/^project\.create: /);
    expect(await ipcMain.invoke(fromWindow(), 'shell.exec', { cmd: 'rm -rf /' })).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await ipcMain.invoke(fromWindow(), 42, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('forwards every core event to every live window, and none after unregistering', () => {
    const second = new FakeWebContents('app://ui/index.html');
    const dead = new FakeWebContents('app://ui/index.html');
    dead.destroyed = true;
    unregister();
    unregister = registerIpc({ ipcMain, core, isTrustedSender: () => true, targets: () => [win, second, dead] });
    core.events.emit('project.closed', { projectId: 'abc' });
    expect(win.sent).toEqual([[IPC_EVENT_CHANNEL, 'project.closed', { projectId: 'abc' }]]);
    expect(second.sent).toEqual([[IPC_EVENT_CHANNEL, 'project.closed', { projectId: 'abc' }]]);
    expect(dead.sent).toEqual([]);
    unregister();
    core.events.emit('project.closed', { projectId: 'def' });
    expect(win.sent).toHaveLength(1);
    expect(ipcMain.handlers.size).toBe(0);
    unregister = () => undefined;
  });
});

describe('isTrustedSenderFrame', () => {
  it('trusts only a main frame showing an allowed origin', () => {
    const main: SenderFrame = { url: 'app://ui/index.html', parent: null };
    expect(isTrustedSenderFrame(main, ['app://ui'])).toBe(true);
    expect(isTrustedSenderFrame({ url: 'app://ui/index.html', parent: main }, ['app://ui'])).toBe(false);
    expect(isTrustedSenderFrame({ url: 'app://uix/index.html', parent: null }, ['app://ui'])).toBe(false);
    expect(isTrustedSenderFrame({ url: 'about:blank', parent: null }, ['app://ui'])).toBe(false);
    expect(isTrustedSenderFrame(null, ['app://ui'])).toBe(false);
    expect(isTrustedSenderFrame({ url: 'http://localhost:5173/', parent: null }, ['app://ui', 'http://localhost:5173'])).toBe(true);
  });
});

describe('sendToWindows', () => {
  it('sends a ui.command pseudo-event on the event channel', () => {
    const w = new FakeWebContents('app://ui/index.html');
    sendToWindows([w], 'ui.command', { command: 'new-project' });
    expect(w.sent).toEqual([[IPC_EVENT_CHANNEL, 'ui.command', { command: 'new-project' }]]);
  });
});
