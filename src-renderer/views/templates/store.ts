/** UI state of the Template view (zustand): which template the editor shows. */
import { create } from 'zustand';

/** The editor's subject: a template by id, a new one, or none yet (the view picks the project's default or the first). */
export type TemplateSelection = { kind: 'none' } | { kind: 'new' } | { kind: 'template'; id: string };

/** The Template view's state. */
export interface TemplateViewState {
  selection: TemplateSelection;
  select(selection: TemplateSelection): void;
}

/** The Template view's store. */
export const useTemplateView = create<TemplateViewState>((set) => ({
  selection: { kind: 'none' },
  select: (selection) => set({ selection }),
}));
