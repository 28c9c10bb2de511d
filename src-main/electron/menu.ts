/**
 * The native application menu as plain data for Electron's `Menu.buildFromTemplate`
 * (https://www.electronjs.org/docs/latest/api/menu#menubuildfromtemplatetemplate), built without Electron so
 * it is tested with plain objects.
 *
 * Project actions do not run here: each item sends a `MenuCommand` to the renderer as the pseudo-event
 * `ui.command` (src-main/index.ts forwards it over IPC_EVENT_CHANNEL), and the renderer decides what to do
 * (it may ask for a folder, a file name, or confirm first). Clipboard, zoom, full screen and quit are
 * Electron roles.
 */

/** The pseudo-event name a menu command travels under on IPC_EVENT_CHANNEL (not a contract event). */
export const UI_COMMAND_EVENT = 'ui.command';

/**
 * What a menu item asks the renderer to do: the names of the renderer's `UI_COMMANDS`
 * (src-renderer/bridge/index.ts), plus `open-recent` (with `path`) and `save-as`.
 */
export type MenuCommand = 'new-project' | 'open-project' | 'open-recent' | 'close-project' | 'save-as' | 'import-script' | 'export' | 'undo' | 'redo';

/** The payload of a `ui.command` pseudo-event. `path` is set for `open-recent`. */
export interface UiCommandPayload {
  command: MenuCommand;
  path?: string;
}

/** The Electron menu roles this menu uses (a subset of MenuItemConstructorOptions['role']). */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'window';

/** One item of the template (a subset of Electron's MenuItemConstructorOptions). */
export interface MenuItemTemplate {
  id?: string;
  label?: string;
  sublabel?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  visible?: boolean;
  click?: () => void;
  submenu?: MenuItemTemplate[];
}

export interface MenuTemplateOptions {
  /** The product name shown as the macOS app menu's title. */
  appName: string;
  /** `process.platform`: darwin gets the app menu and a Window menu; Quit moves to the app menu there. */
  platform: string;
  /** Development build: adds Reload, Force Reload and Toggle Developer Tools. */
  isDev: boolean;
  /** Recent projects, newest first (from `project.recent`); at most 10 are listed. */
  recent: ReadonlyArray<{ path: string; name: string }>;
  /** Sends a command to the renderer. */
  send(payload: UiCommandPayload): void;
}

const sep = (): MenuItemTemplate => ({ type: 'separator' });

/**
 * Builds the menu template: [app menu on macOS], File, Edit, View, Window.
 * File: New Project (CmdOrCtrl+N), Open (CmdOrCtrl+O), Open Recent, Close Project, Save As Package (CmdOrCtrl+Shift+S),
 * Import Script (CmdOrCtrl+I), Export (CmdOrCtrl+E), Quit (not on macOS: it is in the app menu).
 * Edit: Undo (CmdOrCtrl+Z), Redo (CmdOrCtrl+Shift+Z, and Ctrl+Y on Windows), clipboard roles.
 * Accelerators only fire for keys the page did not handle: the timeline's own keys (and a text field's native
 * undo) win, so a menu command never doubles a keyboard action.
 * View: Reload and DevTools (development only), zoom, full screen.
 */
export function buildMenuTemplate(opts: MenuTemplateOptions): MenuItemTemplate[] {
  const mac = opts.platform === 'darwin';
  const command = (id: MenuCommand, label: string, accelerator?: string): MenuItemTemplate => ({
    id,
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => opts.send({ command: id }),
  });
  const windows = opts.platform === 'win32';

  const recentItems: MenuItemTemplate[] = opts.recent.length
    ? opts.recent.slice(0, 10).map((r, i) => ({
        id: `open-recent.${i}`,
        label: r.name,
        sublabel: r.path,
        click: () => opts.send({ command: 'open-recent', path: r.path }),
      }))
    : [{ id: 'open-recent.none', label: 'No Recent Projects', enabled: false }];

  const template: MenuItemTemplate[] = [];
  if (mac) {
    template.push({
      label: opts.appName,
      submenu: [
        { role: 'about' },
        sep(),
        { role: 'services' },
        sep(),
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        sep(),
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: 'File',
    submenu: [
      command('new-project', 'New Project…', 'CmdOrCtrl+N'),
      command('open-project', 'Open…', 'CmdOrCtrl+O'),
      { id: 'open-recent', label: 'Open Recent', submenu: recentItems },
      command('close-project', 'Close Project'),
      sep(),
      command('save-as', 'Save As Package…', 'CmdOrCtrl+Shift+S'),
      sep(),
      command('import-script', 'Import Script…', 'CmdOrCtrl+I'),
      command('export', 'Export…', 'CmdOrCtrl+E'),
      ...(mac ? [sep(), { role: 'close' } as MenuItemTemplate] : [sep(), { role: 'quit' } as MenuItemTemplate]),
    ],
  });
  template.push({
    label: 'Edit',
    submenu: [
      command('undo', 'Undo', 'CmdOrCtrl+Z'),
      command('redo', 'Redo', 'CmdOrCtrl+Shift+Z'),
      // Windows' second Redo chord: a menu item has one accelerator, so a hidden twin carries Ctrl+Y.
      ...(windows ? [{ ...command('redo', 'Redo', 'Ctrl+Y'), id: 'redo.windows', visible: false }] : []),
      sep(),
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as MenuItemTemplate, { role: 'delete' } as MenuItemTemplate] : []),
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: 'View',
    submenu: [
      ...(opts.isDev ? [{ role: 'reload' } as MenuItemTemplate, { role: 'forceReload' } as MenuItemTemplate, { role: 'toggleDevTools' } as MenuItemTemplate, sep()] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep(),
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: 'Window',
    ...(mac ? { role: 'window' as const } : {}),
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, sep(), { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  });
  return template;
}

/** Every item of a template, submenus included, depth first (for lookups and tests). */
export function flattenMenu(template: readonly MenuItemTemplate[]): MenuItemTemplate[] {
  return template.flatMap((item) => [item, ...(item.submenu ? flattenMenu(item.submenu) : [])]);
}
