/**
 * UI state of the Character view (zustand): which character the editor shows, and where its edits go. The
 * inspector's character chips open a character here ({@link openCharacter}).
 */
import { create } from 'zustand';
import { showView } from '../queue/nav';

/** The editor's subject: a character by name, a new one, or none yet (the view picks the first). */
export type CharacterSelection = { kind: 'none' } | { kind: 'new' } | { kind: 'character'; name: string };

/** The Character view's state. */
export interface CharacterViewState {
  selection: CharacterSelection;
  /** Where saves go: the library (every project) or this project only (an override). */
  scope: 'library' | 'project';
  /** The list's filter text. */
  filter: string;
  select(selection: CharacterSelection): void;
  setScope(scope: 'library' | 'project'): void;
  setFilter(filter: string): void;
}

/** The Character view's store. */
export const useCharacterView = create<CharacterViewState>((set) => ({
  selection: { kind: 'none' },
  scope: 'library',
  filter: '',
  select: (selection) => set({ selection }),
  setScope: (scope) => set({ scope }),
  setFilter: (filter) => set({ filter }),
}));

/** Shows the Character view with a character in the editor. */
export function openCharacter(name: string): void {
  useCharacterView.getState().select({ kind: 'character', name });
  showView('characters');
}
