/**
 * UI state of take compare and the trash panel (zustand): whether the compare overlay is open, for which shot,
 * which take has the focus, the mode, and which of its own popups is open (the keyboard of the overlay rests while
 * one is). Project data stays in react-query.
 */
import { create } from 'zustand';
import type { CompareMode } from './compareModel';

/** The compare store's state and setters. */
export interface TakeCompareState {
  open: boolean;
  shotId: string | null;
  /** The focused take (the one the keys act on); null: the shot's selected take, else its first. */
  takeId: string | null;
  mode: CompareMode;
  /** The variations popover over the overlay. */
  varyOpen: boolean;
  /** The project's trash panel (a dialog; also opened from outside the overlay). */
  trashOpen: boolean;
  /** Opens compare for a shot, focused on a take (default: the shot's selected take). */
  openCompare(shotId: string, takeId?: string | null): void;
  close(): void;
  focusTake(takeId: string | null): void;
  setMode(mode: CompareMode): void;
  setVaryOpen(open: boolean): void;
  setTrashOpen(open: boolean): void;
}

/** The compare overlay's state. The mode is remembered between openings. */
export const useTakeCompare = create<TakeCompareState>((set) => ({
  open: false,
  shotId: null,
  takeId: null,
  mode: 'flip',
  varyOpen: false,
  trashOpen: false,
  openCompare: (shotId, takeId = null) => set({ open: true, shotId, takeId, varyOpen: false }),
  close: () => set({ open: false, varyOpen: false }),
  focusTake: (takeId) => set({ takeId }),
  setMode: (mode) => set({ mode }),
  setVaryOpen: (varyOpen) => set({ varyOpen }),
  setTrashOpen: (trashOpen) => set({ trashOpen }),
}));

/** Opens take compare for a shot (the inspector's "Compare" button, the T key). */
export function openTakeCompare(shotId: string, takeId?: string | null): void {
  useTakeCompare.getState().openCompare(shotId, takeId ?? null);
}

/** Opens the project's trash panel. */
export function openTrash(): void {
  useTakeCompare.getState().setTrashOpen(true);
}
