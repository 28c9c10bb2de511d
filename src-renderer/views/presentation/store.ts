/**
 * Whether presentation mode is on, and from which shot (UI state only, zustand). TimelineScreen opens it (the
 * Present button, the P key) and stops handling the timeline's keys while it is on; Presentation closes it.
 */
import { create } from 'zustand';

/** The presentation's UI state and its two actions. */
export interface PresentationState {
  open: boolean;
  /** The shot to start from (the focused shot when opened), or null for the first. */
  startShotId: string | null;
  start(shotId: string | null): void;
  stop(): void;
}

/** The presentation store: `usePresentation((s) => s.open)`. */
export const usePresentation = create<PresentationState>((set) => ({
  open: false,
  startShotId: null,
  start: (startShotId) => set({ open: true, startShotId }),
  stop: () => set({ open: false }),
}));
