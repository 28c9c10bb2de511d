/**
 * UI state of the Library view (zustand): the filters, kept while the artist switches views, and the take being
 * sent to a shot. The pool's takes themselves live in react-query (LibraryView.tsx).
 */
import { create } from 'zustand';
import type { LibraryTake } from '../../../src-preload/model';
import { NO_FILTERS, type LibraryFilters } from './libraryModel';

/** The Library view store's state and setters. */
export interface LibraryViewState {
  filters: LibraryFilters;
  /** The take "Send to shot…" is open for, or null. */
  sending: LibraryTake | null;
  setFilters(patch: Partial<LibraryFilters>): void;
  clearFilters(): void;
  setSending(take: LibraryTake | null): void;
}

/** The Library view's state. */
export const useLibraryView = create<LibraryViewState>((set) => ({
  filters: NO_FILTERS,
  sending: null,
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  clearFilters: () => set({ filters: NO_FILTERS }),
  setSending: (sending) => set({ sending }),
}));
