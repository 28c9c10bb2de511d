/**
 * The Generate dialog's UI state (zustand): whether it is open, what it was opened on (the timeline selection,
 * a scene, the whole project), and the choices the artist made last time (workflow, preset, takes, seed mode,
 * priority), kept in localStorage so the next batch starts from them.
 */
import { create } from 'zustand';
import type { JobPriority, SeedMode } from '../../../src-preload/contract';
import type { TargetScope } from './plan';

/** What the dialog was opened on. */
export interface GenerateRequestTarget {
  /** The target it starts on (falls back to one that covers shots). */
  scope: TargetScope;
  /** The selected shots at the time (for scope `shot`; also picks the scene). */
  shotIds: string[];
  /** The shot whose scene `scene` means (the focused one). */
  focusId: string | null;
}

/** Choices remembered between batches. */
export interface RememberedChoices {
  workflowId: string | null;
  presetId: string | null;
  takes: number;
  seedMode: SeedMode;
  priority: JobPriority;
}

const STORAGE_KEY = 'storycanvas.generate.v1';
const DEFAULTS: RememberedChoices = { workflowId: null, presetId: null, takes: 2, seedMode: 'sequence', priority: 'normal' };

function load(): RememberedChoices {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return DEFAULTS;
    const v = JSON.parse(raw) as Partial<RememberedChoices>;
    return {
      workflowId: typeof v.workflowId === 'string' ? v.workflowId : null,
      presetId: typeof v.presetId === 'string' ? v.presetId : null,
      takes: typeof v.takes === 'number' && Number.isInteger(v.takes) && v.takes >= 1 && v.takes <= 8 ? v.takes : DEFAULTS.takes,
      seedMode: v.seedMode === 'random' || v.seedMode === 'locked' || v.seedMode === 'sequence' ? v.seedMode : DEFAULTS.seedMode,
      priority: v.priority === 'critical' || v.priority === 'high' || v.priority === 'low' || v.priority === 'normal' ? v.priority : DEFAULTS.priority,
    };
  } catch {
    return DEFAULTS; // no storage (private mode) or a damaged entry: start from the defaults
  }
}

/** The store's state. */
export interface GenerateDialogState {
  open: boolean;
  /** Counts openings: the dialog's form starts afresh (a new seed, the current selection) each time. */
  serial: number;
  target: GenerateRequestTarget;
  remembered: RememberedChoices;
  openWith(target: GenerateRequestTarget): void;
  close(): void;
  remember(choices: RememberedChoices): void;
}

/** The Generate dialog's state. */
export const useGenerateDialog = create<GenerateDialogState>((set) => ({
  open: false,
  serial: 0,
  target: { scope: 'all', shotIds: [], focusId: null },
  remembered: load(),
  openWith: (target) => set((s) => ({ open: true, target, serial: s.serial + 1 })),
  close: () => set({ open: false }),
  remember: (remembered) => {
    set({ remembered });
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(remembered));
    } catch {
      // storage full or denied: the choices are still kept for this session
    }
  },
}));

/**
 * Opens the Generate dialog on shots (the timeline's `G` and the rail's Generate button pass the selection),
 * on the scene of `focusId`, or on the whole project.
 */
export function openGenerate(target: { scope?: TargetScope; shotIds?: readonly string[]; focusId?: string | null } = {}): void {
  const shotIds = [...(target.shotIds ?? [])];
  useGenerateDialog.getState().openWith({
    scope: target.scope ?? (shotIds.length > 0 ? 'shot' : 'all'),
    shotIds,
    focusId: target.focusId ?? shotIds[0] ?? null,
  });
}
