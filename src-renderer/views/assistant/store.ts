/**
 * UI state of the shot assistant panel (zustand): the scene it proposes shots for, or null while closed.
 */
import { create } from 'zustand';

/** The assistant panel's state. */
export interface AssistantPanelState {
  sceneId: string | null;
  open(sceneId: string): void;
  close(): void;
}

/** The assistant panel's store. */
export const useAssistantPanel = create<AssistantPanelState>((set) => ({
  sceneId: null,
  open: (sceneId) => set({ sceneId }),
  close: () => set({ sceneId: null }),
}));

/** Opens the assistant panel for a scene (the scene header's "Propose shots"). */
export function openAssistant(sceneId: string): void {
  useAssistantPanel.getState().open(sceneId);
}
