/**
 * Which view of an open project shows: the Timeline, the Queue, the Servers, the Characters, the style Templates or
 * the enhancement Models, and the take Library of every project. UI state only (zustand); the left rail (NavRail.tsx)
 * and the keyboard (Alt+1 … Alt+7) switch it,
 * and a toast's "Show queue" too.
 */
import { create } from 'zustand';

/** A view of the project workspace. */
export type WorkspaceView = 'timeline' | 'queue' | 'servers' | 'characters' | 'templates' | 'models' | 'library';

/** The views in rail order, with their shortcut (`code` is KeyboardEvent.code: layout independent). */
export const WORKSPACE_VIEWS: ReadonlyArray<{ id: WorkspaceView; label: string; shortcut: string; code: string }> = [
  { id: 'timeline', label: 'Timeline', shortcut: 'Alt+1', code: 'Digit1' },
  { id: 'queue', label: 'Queue', shortcut: 'Alt+2', code: 'Digit2' },
  { id: 'servers', label: 'Servers', shortcut: 'Alt+3', code: 'Digit3' },
  { id: 'characters', label: 'Characters', shortcut: 'Alt+4', code: 'Digit4' },
  { id: 'templates', label: 'Templates', shortcut: 'Alt+5', code: 'Digit5' },
  { id: 'models', label: 'Models', shortcut: 'Alt+6', code: 'Digit6' },
  { id: 'library', label: 'Library', shortcut: 'Alt+7', code: 'Digit7' },
];

/** The nav store's state. */
export interface WorkspaceNavState {
  view: WorkspaceView;
  setView(view: WorkspaceView): void;
}

/** The workspace's current view (zustand). */
export const useWorkspaceNav = create<WorkspaceNavState>((set) => ({
  view: 'timeline',
  setView: (view) => set({ view }),
}));

/** Switches the workspace to a view (from anywhere: a toast action, a link). */
export function showView(view: WorkspaceView): void {
  useWorkspaceNav.getState().setView(view);
}

/**
 * The view a key press asks for: Alt with 1 to 7 (by physical key, so Alt+1 on a Mac, which types `¡`, works
 * too), or with the digit keypad. Null for any other key or modifier mix.
 */
export function viewForKey(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; code: string }): WorkspaceView | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const code = e.code.replace(/^Numpad/, 'Digit');
  return WORKSPACE_VIEWS.find((v) => v.code === code)?.id ?? null;
}
