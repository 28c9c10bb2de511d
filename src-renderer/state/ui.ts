/**
 * UI state only (zustand): which screen, selection, zoom, open dialog, the live trim of a shot's duration,
 * and toasts. Project data never lives here: it is react-query's (data/project.ts).
 */
import { create } from 'zustand';
import { EMPTY_SELECTION, type Selection } from './selection';

/** Which screen shows: the Projects screen, or the workspace of an open project. */
export type Screen = { kind: 'projects' } | { kind: 'timeline'; projectId: string };
/** The dialog open over the workspace or Projects screen, if any. */
export type DialogName = 'new-project' | 'import-script' | 'export' | 'save-as' | 'settings' | null;

/** Zoom limits in pixels per second of screen time. */
export const MIN_PX_PER_SECOND = 6;
/** Zoom in limit. */
export const MAX_PX_PER_SECOND = 480;
/** Zoom when the app starts: a 3 s shot is 180 px wide. */
export const DEFAULT_PX_PER_SECOND = 60;

/** A toast: a message, an optional hint and action, and how long it stays. */
export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error' | 'progress';
  message: string;
  hint?: string | null;
  action?: { label: string; run: () => void };
  /** Auto-dismiss after this long; 0 keeps it until dismissed or replaced. */
  timeoutMs: number;
}

/** The UI store's state and setters. */
export interface UiState {
  screen: Screen;
  selection: Selection;
  pxPerSecond: number;
  dialog: DialogName;
  /** The live duration of a shot whose right edge is being dragged. */
  trim: { shotId: string; durationFrames: number } | null;
  /** The shot the pointer drags files from the OS onto. */
  fileDropShotId: string | null;
  toasts: Toast[];

  setScreen(screen: Screen): void;
  setSelection(selection: Selection): void;
  setPxPerSecond(px: number): void;
  setDialog(dialog: DialogName): void;
  setTrim(trim: UiState['trim']): void;
  setFileDropShotId(id: string | null): void;
  /** Shows a toast (or replaces the one with the same id) and returns its id. */
  toast(t: Omit<Toast, 'id' | 'timeoutMs'> & { id?: number; timeoutMs?: number }): number;
  dismissToast(id: number): void;
}

let nextToastId = 1;

/** The UI store (zustand). Views select slices: `useUi((s) => s.selection)`. */
export const useUi = create<UiState>((set) => ({
  screen: { kind: 'projects' },
  selection: EMPTY_SELECTION,
  pxPerSecond: DEFAULT_PX_PER_SECOND,
  dialog: null,
  trim: null,
  fileDropShotId: null,
  toasts: [],

  setScreen: (screen) => set({ screen, selection: EMPTY_SELECTION, dialog: null, trim: null }),
  setSelection: (selection) => set({ selection }),
  setPxPerSecond: (px) => set({ pxPerSecond: Math.min(MAX_PX_PER_SECOND, Math.max(MIN_PX_PER_SECOND, px)) }),
  setDialog: (dialog) => set({ dialog }),
  setTrim: (trim) => set({ trim }),
  setFileDropShotId: (fileDropShotId) => set({ fileDropShotId }),
  toast: (t) => {
    const id = t.id ?? nextToastId++;
    const toast: Toast = { timeoutMs: t.kind === 'error' ? 9000 : t.kind === 'progress' ? 0 : 5000, ...t, id };
    set((s) => ({ toasts: [...s.toasts.filter((x) => x.id !== id), toast].slice(-4) }));
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** The zoom slider's position (0..1) for a zoom, on a logarithmic scale. */
export function zoomToSlider(pxPerSecond: number): number {
  return Math.log(pxPerSecond / MIN_PX_PER_SECOND) / Math.log(MAX_PX_PER_SECOND / MIN_PX_PER_SECOND);
}

/** The zoom for a slider position (0..1). */
export function sliderToZoom(t: number): number {
  return MIN_PX_PER_SECOND * Math.pow(MAX_PX_PER_SECOND / MIN_PX_PER_SECOND, Math.min(1, Math.max(0, t)));
}
