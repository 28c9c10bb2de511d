import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, flattenMenu, type MenuTemplateOptions, type UiCommandPayload } from './menu';

function build(overrides: Partial<MenuTemplateOptions> = {}) {
  const sent: UiCommandPayload[] = [];
  const template = buildMenuTemplate({
    appName: 'StoryCanvas',
    platform: 'linux',
    isDev: false,
    recent: [],
    send: (p) => sent.push(p),
    ...overrides,
  });
  const items = flattenMenu(template);
  const byId = (id: string) => {
    const item = items.find((i) => i.id === id);
    if (!item) throw new Error(`no menu item ${id}`);
    return item;
  };
  return { template, items, byId, sent };
}

describe('buildMenuTemplate', () => {
  it('has File, Edit, View and Window menus (and no app menu) on Linux and Windows', () => {
    const { template } = build();
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window']);
  });

  it('puts the app menu first on macOS, with Quit there rather than in File', () => {
    const { template } = build({ platform: 'darwin' });
    expect(template.map((m) => m.label)).toEqual(['StoryCanvas', 'File', 'Edit', 'View', 'Window']);
    expect(template[0].submenu!.map((i) => i.role).filter(Boolean)).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(template[1].submenu!.some((i) => i.role === 'quit')).toBe(false);
  });

  it('binds the usual accelerators to commands the renderer receives', () => {
    const { byId, sent } = build();
    const expected: Array<[string, string]> = [
      ['new-project', 'CmdOrCtrl+N'],
      ['open-project', 'CmdOrCtrl+O'],
      ['save-as', 'CmdOrCtrl+Shift+S'],
      ['import-script', 'CmdOrCtrl+I'],
      ['export', 'CmdOrCtrl+E'],
      ['undo', 'CmdOrCtrl+Z'],
      ['redo', 'CmdOrCtrl+Shift+Z'],
    ];
    for (const [id, accelerator] of expected) {
      const item = byId(id);
      expect(item.accelerator, id).toBe(accelerator);
      item.click!();
    }
    expect(sent).toEqual(expected.map(([command]) => ({ command })));
  });

  it('lists recent projects (at most 10) and opens the one clicked by path', () => {
    const recent = Array.from({ length: 12 }, (_, i) => ({ name: `Film ${i}`, path: `/films/Film ${i}.storycanvas` }));
    const { byId, sent } = build({ recent });
    const submenu = byId('open-recent').submenu!;
    expect(submenu).toHaveLength(10);
    expect(submenu[0]).toMatchObject({ label: 'Film 0', sublabel: '/films/Film 0.storycanvas' });
    submenu[3].click!();
    expect(sent).toEqual([{ command: 'open-recent', path: '/films/Film 3.storycanvas' }]);
  });

  it('shows a disabled placeholder when there is no recent project', () => {
    const { byId } = build();
    expect(byId('open-recent').submenu).toEqual([{ id: 'open-recent.none', label: 'No Recent Projects', enabled: false }]);
  });

  it('closes the project from File without an accelerator', () => {
    const { byId, sent } = build();
    expect(byId('close-project').accelerator).toBeUndefined();
    byId('close-project').click!();
    expect(sent).toEqual([{ command: 'close-project' }]);
  });

  it('adds Ctrl+Y for Redo on Windows only, as a hidden twin of Redo', () => {
    const win = build({ platform: 'win32' });
    const twin = win.byId('redo.windows');
    expect(twin).toMatchObject({ accelerator: 'Ctrl+Y', visible: false });
    twin.click!();
    expect(win.sent).toEqual([{ command: 'redo' }]);
    for (const platform of ['linux', 'darwin']) expect(build({ platform }).items.some((i) => i.accelerator === 'Ctrl+Y')).toBe(false);
  });

  it('keeps the clipboard, zoom, full screen and quit as Electron roles', () => {
    const roles = build().items.map((i) => i.role).filter(Boolean);
    for (const role of ['cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'quit']) expect(roles).toContain(role);
  });

  it('offers Reload and DevTools only in development', () => {
    const prodRoles = build({ isDev: false }).items.map((i) => i.role);
    const devRoles = build({ isDev: true }).items.map((i) => i.role);
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) {
      expect(prodRoles).not.toContain(role);
      expect(devRoles).toContain(role);
    }
  });
});
