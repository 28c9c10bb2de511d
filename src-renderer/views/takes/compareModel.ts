/**
 * The pure logic of take compare (TakeCompare.tsx): which takes show in each mode, what a key does, what the caption
 * says about a take, and the optimistic edits of a cached ProjectSnapshot for star, reject and trash. The edits
 * mirror the core's take triage (the core's takes/triage.ts: starring and rejecting exclude each other; a
 * rejected or trashed selected take hands the selection to the shot's next best take) so the refetch that follows
 * `project.changed` changes nothing visible.
 *
 * Pure: no DOM, no React; inputs are never mutated.
 */
import type { ProjectSnapshot, Take } from '../../../src-preload/model';

/** How takes are compared: one large take flipped with ←/→, or 2 or 4 side by side. */
export type CompareMode = 'flip' | 'side-2' | 'side-4';

/** Every mode, in the order the overlay's switch lists them, with its label and key. */
export const COMPARE_MODES: ReadonlyArray<{ id: CompareMode; label: string; key: string }> = [
  { id: 'flip', label: 'Flip', key: '1' },
  { id: 'side-2', label: 'Side by side 2', key: '2' },
  { id: 'side-4', label: 'Grid of 4', key: '4' },
];

/** How many takes a mode shows at once (1, 2 or 4). */
export function takesPerView(mode: CompareMode): number {
  return mode === 'flip' ? 1 : mode === 'side-2' ? 2 : 4;
}

/**
 * The takes shown around the focused one: the page of `size` takes holding `index`, shifted left at the end so the
 * last page is full when there are enough takes. Returns the first index and how many show (0 for no takes).
 */
export function visibleWindow(index: number, size: number, count: number): { start: number; length: number } {
  if (count <= 0 || size <= 0) return { start: 0, length: 0 };
  const i = clampIndex(index, count);
  const start = Math.max(0, Math.min(Math.floor(i / size) * size, count - size));
  return { start, length: Math.min(size, count - start) };
}

/** `index` kept inside 0..count-1 (0 when there is nothing). */
export function clampIndex(index: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.max(0, Math.trunc(index)));
}

/** The index `delta` places on, wrapping around the ends (flipping past the last take shows the first). */
export function stepIndex(index: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return (((clampIndex(index, count) + delta) % count) + count) % count;
}

/** What a key press asks of the compare overlay. */
export type CompareAction =
  | { kind: 'step'; delta: number }
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'select' }
  | { kind: 'star' }
  | { kind: 'reject' }
  | { kind: 'trash' }
  | { kind: 'vary' }
  | { kind: 'mode'; mode: CompareMode }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'close' };

/** The modifier state and key of a keydown (a subset of KeyboardEvent, so tests need no DOM). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * The overlay's keyboard: ←/→ (and ↑/↓ in a grid row) flip, Home/End, Enter or S make the take selected, F stars,
 * X rejects, Delete or Backspace move it to the trash, V opens the variations, 1/2/4 switch mode, Ctrl+Z and
 * Ctrl+Shift+Z (or Ctrl+Y) undo and redo, Esc closes. Null for any other key (and for Alt combinations).
 */
export function compareKeyAction(e: KeyLike, mode: CompareMode = 'flip'): CompareAction | null {
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  const k = e.key;
  if (mod) {
    if ((k === 'z' || k === 'Z') && !e.shiftKey) return { kind: 'undo' };
    if (((k === 'z' || k === 'Z') && e.shiftKey) || k === 'y' || k === 'Y') return { kind: 'redo' };
    return null;
  }
  switch (k) {
    case 'ArrowRight':
      return { kind: 'step', delta: 1 };
    case 'ArrowLeft':
      return { kind: 'step', delta: -1 };
    case 'ArrowDown':
      return mode === 'side-4' ? { kind: 'step', delta: 2 } : null;
    case 'ArrowUp':
      return mode === 'side-4' ? { kind: 'step', delta: -2 } : null;
    case 'Home':
      return { kind: 'first' };
    case 'End':
      return { kind: 'last' };
    case 'Enter':
    case 's':
    case 'S':
      return { kind: 'select' };
    case 'f':
    case 'F':
      return { kind: 'star' };
    case 'x':
    case 'X':
      return { kind: 'reject' };
    case 'Delete':
    case 'Backspace':
      return { kind: 'trash' };
    case 'v':
    case 'V':
      return { kind: 'vary' };
    case 'Escape':
      return { kind: 'close' };
    default: {
      const m = COMPARE_MODES.find((x) => x.key === k);
      return m ? { kind: 'mode', mode: m.id } : null;
    }
  }
}

/** The seed a take was generated with (`meta.seed`), or null (imported takes have none). */
export function seedOf(take: Take): number | null {
  const s = take.meta.seed;
  return typeof s === 'number' && Number.isFinite(s) ? s : null;
}

/** The prompt a take was generated with (`meta.prompt`), or '' (imported takes have none). */
export function promptOf(take: Take): string {
  const p = take.meta.prompt;
  return typeof p === 'string' ? p.trim() : '';
}

/** What the caption of a take says. */
export interface TakeFacts {
  /** 1-based position among the shot's takes, as the inspector numbers them. */
  number: number;
  seed: number | null;
  /** `Generated`, `Imported` (with the file's name when known), `From <project>` for a take sent from the library, `Placeholder`. */
  sourceLabel: string;
  /** `1920×1080`, and for clips the length in frames: `1920×1080 · 48 frames`. */
  sizeLabel: string;
  prompt: string;
  starred: boolean;
  rejected: boolean;
  selected: boolean;
  /** A variation of which take and how (`new seed`, `same seed`), when meta records it. */
  variation: string | null;
}

/** The caption facts of the take at `index` of its shot (`selectedTakeId`: the shot's). */
export function takeFacts(take: Take, index: number, selectedTakeId: string | null): TakeFacts {
  const from = take.meta.from as { projectName?: unknown; projectPath?: unknown } | undefined;
  const fromName = from && typeof from === 'object' ? (typeof from.projectName === 'string' ? from.projectName : typeof from.projectPath === 'string' ? baseName(from.projectPath) : null) : null;
  const sourceLabel =
    take.source === 'generated'
      ? 'Generated'
      : take.source === 'placeholder'
        ? 'Placeholder'
        : fromName
          ? `From ${fromName}`
          : take.originalName
            ? `Imported · ${take.originalName}`
            : 'Imported';
  const mode = take.meta.variationMode;
  return {
    number: index + 1,
    seed: seedOf(take),
    sourceLabel,
    sizeLabel: `${take.widthPx}×${take.heightPx}${take.durationFrames ? ` · ${take.durationFrames} frames` : ''}`,
    prompt: promptOf(take),
    starred: take.starred === true,
    rejected: take.rejected === true,
    selected: selectedTakeId === take.id,
    variation: typeof take.meta.variationOf === 'string' ? (typeof mode === 'string' && mode.startsWith('same-seed') ? 'same seed' : 'new seed') : null,
  };
}

function baseName(path: string): string {
  const last = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path;
  return last.replace(/\.storycanvas$/i, '');
}

/** The takes of a shot that compare shows, in the order the inspector lists them (the snapshot's). */
export function shotTakes(snapshot: ProjectSnapshot, shotId: string): Take[] {
  return snapshot.takes.filter((t) => t.shotId === shotId && !t.trashedAt);
}

/** A shot of the snapshot by id, with its scene's number, or null. */
export function findShot(snapshot: ProjectSnapshot, shotId: string | null): { shot: ProjectSnapshot['scenes'][number]['shots'][number]; sceneNumber: string } | null {
  if (!shotId) return null;
  for (const scene of snapshot.scenes) for (const shot of scene.shots) if (shot.id === shotId) return { shot, sceneNumber: scene.number };
  return null;
}

/**
 * The take a shot should show when `excludeId` leaves it, as the core chooses it: among takes neither trashed nor
 * rejected, a starred one first, newest first; null when there is none.
 */
export function nextBestTake(takes: readonly Take[], excludeId: string | null): string | null {
  const candidates = takes.filter((t) => t.id !== excludeId && !t.trashedAt && !t.rejected);
  const newestFirst = (a: Take, b: Take) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
  const starred = candidates.filter((t) => t.starred).sort(newestFirst);
  return starred[0]?.id ?? [...candidates].sort(newestFirst)[0]?.id ?? null;
}

function setSelected(snapshot: ProjectSnapshot, shotId: string, selectedTakeId: string | null): ProjectSnapshot['scenes'] {
  return snapshot.scenes.map((scene) =>
    scene.shots.some((s) => s.id === shotId) ? { ...scene, shots: scene.shots.map((s) => (s.id === shotId ? { ...s, selectedTakeId } : s)) } : scene,
  );
}

/** Stars or unstars a take (a starred take is no longer rejected), as take.star does. */
export function applyTakeStar(snapshot: ProjectSnapshot, takeId: string, starred: boolean): ProjectSnapshot {
  if (!snapshot.takes.some((t) => t.id === takeId)) return snapshot;
  return { ...snapshot, takes: snapshot.takes.map((t) => (t.id === takeId ? { ...t, starred, ...(starred ? { rejected: false } : {}) } : t)) };
}

/**
 * Rejects or accepts a take (a rejected take is no longer starred); a rejected selected take hands the selection
 * to the shot's next best take when there is one, as take.reject does.
 */
export function applyTakeReject(snapshot: ProjectSnapshot, takeId: string, rejected: boolean): ProjectSnapshot {
  const take = snapshot.takes.find((t) => t.id === takeId);
  if (!take) return snapshot;
  const takes = snapshot.takes.map((t) => (t.id === takeId ? { ...t, rejected, ...(rejected ? { starred: false } : {}) } : t));
  const found = findShot(snapshot, take.shotId);
  if (!rejected || !found || found.shot.selectedTakeId !== takeId) return { ...snapshot, takes };
  const next = nextBestTake(
    takes.filter((t) => t.shotId === take.shotId),
    takeId,
  );
  return next ? { ...snapshot, takes, scenes: setSelected(snapshot, take.shotId, next) } : { ...snapshot, takes };
}

/**
 * Moves takes out of the snapshot (project.get leaves trashed takes out); a shot whose selected take goes selects
 * its next best take, as take.delete does.
 */
export function applyTakeTrash(snapshot: ProjectSnapshot, takeIds: readonly string[]): ProjectSnapshot {
  const gone = new Set(takeIds);
  const leaving = snapshot.takes.filter((t) => gone.has(t.id));
  if (leaving.length === 0) return snapshot;
  const takes = snapshot.takes.filter((t) => !gone.has(t.id));
  let next: ProjectSnapshot = { ...snapshot, takes };
  for (const shotId of new Set(leaving.map((t) => t.shotId))) {
    const found = findShot(next, shotId);
    if (!found || (found.shot.selectedTakeId && !gone.has(found.shot.selectedTakeId))) continue;
    next = {
      ...next,
      scenes: setSelected(
        next,
        shotId,
        nextBestTake(
          takes.filter((t) => t.shotId === shotId),
          null,
        ),
      ),
    };
  }
  return next;
}

/** Where the focus goes when the take at `index` leaves a list of `count` takes: the one after it, else the one before. */
export function indexAfterRemoval(index: number, count: number): number {
  return clampIndex(index, Math.max(0, count - 1));
}
