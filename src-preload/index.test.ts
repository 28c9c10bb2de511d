import { describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './contract';
import { createPreloadApi, type IpcRendererLike } from './index';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A fake ipcRenderer: records invokes, answers with a scripted reply, and emits events like Electron. */
class FakeIpcRenderer implements IpcRendererLike {
  invoked: unknown[][] = [];
  listeners = new Map<string, Set<Listener>>();
  reply: (method: unknown, args: unknown) => Promise<unknown> = async () => ({ ok: true, result: null });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return this.reply(args[0], args[1]);
  }
  on(channel: string, listener: Listener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  /** Emits like Electron: the IpcRendererEvent (which carries `sender`, the ipcRenderer itself) first. */
  emit(channel: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: this, senderId: 0 }, ...args);
  }
}

const make = () => {
  const ipc = new FakeIpcRenderer();
  const api = createPreloadApi({ ipcRenderer: ipc, getPathForFile: (f) => (f.name === 'on-disk.png' ? '/home/ana/on-disk.png' : ''), platform: 'linux' });
  return { ipc, api };
};

describe('createPreloadApi', () => {
  it('exposes exactly call, on, pathForFile and platform, frozen', () => {
    const { api } = make();
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'pathForFile', 'platform']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(api.platform).toBe('linux');
  });

  it('invokes the one contract channel with the method and args and resolves with the reply', async () => {
    const { ipc, api } = make();
    ipc.reply = async (method) => ({ ok: true, result: { echoed: method } });
    await expect(api.call('app.info', {})).resolves.toEqual({ ok: true, result: { echoed: 'app.info' } });
    expect(ipc.invoked).toEqual([[IPC_INVOKE_CHANNEL, 'app.info', {}]]);
  });

  it('passes error replies through unchanged', async () => {
    const { ipc, api } = make();
    ipc.reply = async () => ({ ok: false, error: { code: 'forbidden_sender', message: 'no' } });
    await expect(api.call('app.info', {})).resolves.toEqual({ ok: false, error: { code: 'forbidden_sender', message: 'no' } });
  });

  it('turns a transport failure into an ipc_failed reply instead of a rejection', async () => {
    const { ipc, api } = make();
    ipc.reply = async () => {
      throw new Error('An object could not be cloned.');
    };
    const reply = await api.call('shot.update', { fn: () => 1 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc_failed' } });
    expect((reply as { error: { message: string } }).error.message).toMatch(/could not be cloned/);
  });

  it('refuses a method name that is not a string without sending it', async () => {
    const { ipc, api } = make();
    expect(await api.call(42 as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(ipc.invoked).toEqual([]);
  });

  it('hands listeners (event, payload) and never the IpcRendererEvent', () => {
    const { ipc, api } = make();
    const got: unknown[][] = [];
    api.on((...args) => got.push(args));
    ipc.emit(IPC_EVENT_CHANNEL, 'project.closed', { projectId: 'abc' });
    ipc.emit('some-other-channel', 'project.closed', { projectId: 'xyz' });
    expect(got).toEqual([['project.closed', { projectId: 'abc' }]]);
    for (const args of got) for (const a of args) expect(a).not.toBe(ipc);
  });

  it('unsubscribes exactly its own listener, once', () => {
    const { ipc, api } = make();
    const a: string[] = [];
    const b: string[] = [];
    const offA = api.on((e) => a.push(e));
    api.on((e) => b.push(e));
    offA();
    offA();
    ipc.emit(IPC_EVENT_CHANNEL, 'project.closed', { projectId: 'abc' });
    expect(a).toEqual([]);
    expect(b).toEqual(['project.closed']);
    expect(ipc.listeners.get(IPC_EVENT_CHANNEL)!.size).toBe(1);
  });

  it('refuses a listener that is not a function', () => {
    const { api } = make();
    expect(() => api.on('nope' as unknown as () => void)).toThrow(/must be a function/);
  });

  it("gives a dropped file's path through webUtils", () => {
    const { api } = make();
    expect(api.pathForFile(new File(['x'], 'on-disk.png'))).toBe('/home/ana/on-disk.png');
    expect(api.pathForFile(new File(['x'], 'in-memory.png'))).toBe('');
  });
});
