/**
 * The enhancement UI state (zustand; UI state only, project data stays in react-query): the Enhance dialog (open,
 * and on what), the before/after compare in the viewer (on or off, and on which take), and the model the artist
 * last picked per task, which the one-click menu entries use.
 */
import { create } from 'zustand';

/** What the Enhance dialog works on: takes, or the selected takes of shots. */
export type EnhanceTarget = { takeIds: string[] } | { shotIds: string[] };

/** The Enhance dialog's opening: its target and what it preselects. */
export interface EnhanceDialogRequest {
  target: EnhanceTarget;
  task?: 'upscale' | 'interpolate';
  upscaleToProject?: boolean;
}

/** The store's state and setters. */
export interface EnhanceUiState {
  dialog: (EnhanceDialogRequest & { serial: number }) | null;
  /** Whether the viewer shows the before/after compare (for an enhanced take of the focused shot). */
  compare: boolean;
  /** The enhanced take to compare; null: the focused shot's selected take. */
  compareTakeId: string | null;
  /** The divider, percent of the width from the left (0..100). */
  dividerPercent: number;
  /** The model the artist last queued per task. */
  lastModel: { upscale: string | null; interpolate: string | null };

  openDialog(request: EnhanceDialogRequest): void;
  closeDialog(): void;
  setCompare(on: boolean, takeId?: string | null): void;
  setDivider(percent: number): void;
  rememberModel(task: 'upscale' | 'interpolate', modelId: string): void;
}

/** The enhancement UI store. */
export const useEnhanceUi = create<EnhanceUiState>((set) => ({
  dialog: null,
  compare: false,
  compareTakeId: null,
  dividerPercent: 50,
  lastModel: { upscale: null, interpolate: null },

  openDialog: (request) => set((s) => ({ dialog: { ...request, serial: (s.dialog?.serial ?? 0) + 1 } })),
  closeDialog: () => set({ dialog: null }),
  setCompare: (on, takeId = null) => set({ compare: on, compareTakeId: on ? takeId : null }),
  setDivider: (percent) => set({ dividerPercent: Math.min(100, Math.max(0, percent)) }),
  rememberModel: (task, modelId) => set((s) => ({ lastModel: { ...s.lastModel, [task]: modelId } })),
}));

/** Opens the Enhance dialog (from a take's menu, the inspector's multi-selection, anywhere). */
export function openEnhance(request: EnhanceDialogRequest): void {
  useEnhanceUi.getState().openDialog(request);
}
