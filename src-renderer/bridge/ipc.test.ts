import { describe, expect, it } from 'vitest';
import { ContractCallError, type CallReply } from '../../src-preload/contract';
import { createIpcBridge } from './ipc';
import type { PreloadApi } from './types';

/** A fake `window.storycanvas`: scripted replies, and an event source with the preload's `on` semantics. */
function fakePreload(reply: (method: string, args: unknown) => CallReply = () => ({ ok: true, result: {} as never })) {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const calls: Array<[string, unknown]> = [];
  const api: PreloadApi = {
    call: async (method, args) => {
      calls.push([method, args]);
      return reply(method, args);
    },
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathForFile: (file) => (file.name === 'on-disk.png' ? '/films/on-disk.png' : ''),
    platform: 'darwin',
  };
  return { api, calls, listeners, emit: (event: string, payload: unknown) => [...listeners].forEach((l) => l(event, payload)) };
}

describe('createIpcBridge', () => {
  it('is the electron shell', () => {
    expect(createIpcBridge(fakePreload().api).shell).toBe('electron');
  });

  it('resolves a call with its result', async () => {
    const p = fakePreload((method) => ({ ok: true, result: { name: 'StoryCanvas', version: '0.1.0', shell: 'electron', platform: 'darwin', configDir: `/${method}` } }));
    const bridge = createIpcBridge(p.api);
    await expect(bridge.call('app.info', {})).resolves.toMatchObject({ shell: 'electron', configDir: '/app.info' });
    expect(p.calls).toEqual([['app.info', {}]]);
  });

  it("rejects a failed call with a ContractCallError carrying the core's code, message and hint", async () => {
    const p = fakePreload(() => ({ ok: false, error: { code: 'project_not_open', message: 'No open project has the id x.', hint: 'Open it first.' } }));
    const err = await createIpcBridge(p.api).call('project.get', { projectId: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractCallError);
    expect(err).toMatchObject({ code: 'project_not_open', message: 'No open project has the id x.', hint: 'Open it first.' });
  });

  it('delivers each event to the listeners of that event only, over one preload subscription', () => {
    const p = fakePreload();
    const bridge = createIpcBridge(p.api);
    const changed: unknown[] = [];
    const closed: unknown[] = [];
    const offChanged = bridge.on('project.changed', (e) => changed.push(e));
    bridge.on('project.closed', (e) => closed.push(e));
    bridge.on('project.closed', (e) => closed.push(e));
    expect(p.listeners.size).toBe(1);
    p.emit('project.closed', { projectId: 'a' });
    p.emit('project.closedX', { projectId: 'b' });
    expect(closed).toEqual([{ projectId: 'a' }, { projectId: 'a' }]);
    expect(changed).toEqual([]);
    offChanged();
    p.emit('project.changed', { projectId: 'a' });
    expect(changed).toEqual([]);
  });

  it('drops the preload subscription when the last listener leaves', () => {
    const p = fakePreload();
    const bridge = createIpcBridge(p.api);
    const off1 = bridge.on('project.closed', () => undefined);
    const off2 = bridge.on('project.changed', () => undefined);
    off1();
    expect(p.listeners.size).toBe(1);
    off2();
    expect(p.listeners.size).toBe(0);
  });

  it('keeps delivering when one listener throws', () => {
    const p = fakePreload();
    const bridge = createIpcBridge(p.api);
    const got: unknown[] = [];
    const original = console.error;
    console.error = () => undefined;
    try {
      bridge.on('project.closed', () => {
        throw new Error('boom');
      });
      bridge.on('project.closed', (e) => got.push(e));
      p.emit('project.closed', { projectId: 'a' });
    } finally {
      console.error = original;
    }
    expect(got).toEqual([{ projectId: 'a' }]);
  });

  it("delivers the native menu's ui.command pseudo-events to onUiCommand (src-renderer/bridge/index.ts)", async () => {
    const { onUiCommand } = await import('./index');
    const p = fakePreload();
    const bridge = createIpcBridge(p.api);
    const commands: string[] = [];
    const original = console.warn;
    console.warn = () => undefined;
    try {
      const off = onUiCommand(bridge, (c) => commands.push(c));
      p.emit('ui.command', { command: 'new-project' });
      p.emit('ui.command', { command: 'undo' });
      p.emit('ui.command', { command: 'format-disk' });
      p.emit('project.closed', { projectId: 'a' });
      off();
      p.emit('ui.command', { command: 'redo' });
    } finally {
      console.warn = original;
    }
    expect(commands).toEqual(['new-project', 'undo']);
    expect(p.listeners.size).toBe(0);
  });

  it('builds app://media URLs with each path segment escaped and a version', () => {
    const bridge = createIpcBridge(fakePreload().api);
    expect(bridge.mediaUrl('0123456789abcdef', 'media/takes/ab12.png')).toBe('app://media/0123456789abcdef/media/takes/ab12.png');
    expect(bridge.mediaUrl('0123456789abcdef', 'cards/shot 1#2.png', 7)).toBe('app://media/0123456789abcdef/cards/shot%201%232.png?v=7');
    expect(bridge.mediaUrl('p', 'media/a.png', 'r&3')).toBe('app://media/p/media/a.png?v=r%263');
  });

  it('gives a file path when the file is on disk and null otherwise', () => {
    const bridge = createIpcBridge(fakePreload().api);
    expect(bridge.pathForFile(new File(['x'], 'on-disk.png'))).toBe('/films/on-disk.png');
    expect(bridge.pathForFile(new File(['x'], 'pasted.png'))).toBeNull();
  });

  it("reports the connection as 'open' at once", () => {
    const states: string[] = [];
    createIpcBridge(fakePreload().api).onConnectionChange((s) => states.push(s));
    expect(states).toEqual(['open']);
  });

  it('refuses to start without a preload API', () => {
    expect(() => createIpcBridge(undefined as unknown as PreloadApi)).toThrow(/window\.storycanvas is missing/);
  });
});
