/**
 * Shot selection as film tools do it, over the timeline's order of shot ids:
 * click selects one; Shift+click selects the range from the anchor; Ctrl/Cmd+click toggles one;
 * Ctrl+A selects all; ←/→ move the focus (Shift extends the range); Esc clears.
 *
 * Pure functions on an immutable `Selection`; the zustand store (state/ui.ts) holds the current value.
 * `ids` is kept in timeline order so multi-shot operations send the shots in the order people see them.
 */

export interface Selection {
  /** Selected shot ids, in timeline order. */
  ids: readonly string[];
  /** Where a Shift range starts. */
  anchorId: string | null;
  /** The shot keyboard moves start from (shown with a focus ring; the inspector's first shot). */
  focusId: string | null;
}

/** Nothing selected. */
export const EMPTY_SELECTION: Selection = { ids: [], anchorId: null, focusId: null };

/** The modifier keys held during a click. */
export interface ClickModifiers {
  /** Shift: extend a range from the anchor. */
  range?: boolean;
  /** Ctrl (Cmd on macOS): toggle one shot. */
  toggle?: boolean;
}

function inOrder(order: readonly string[], ids: Iterable<string>): string[] {
  const set = new Set(ids);
  return order.filter((id) => set.has(id));
}

function rangeIds(order: readonly string[], fromId: string, toId: string): string[] {
  const a = order.indexOf(fromId);
  const b = order.indexOf(toId);
  if (a < 0 || b < 0) return b >= 0 ? [toId] : [];
  return order.slice(Math.min(a, b), Math.max(a, b) + 1);
}

/** The selection after clicking shot `id` with the given modifiers. */
export function clickSelect(sel: Selection, order: readonly string[], id: string, mods: ClickModifiers = {}): Selection {
  if (mods.range && sel.anchorId && order.includes(sel.anchorId)) {
    const range = rangeIds(order, sel.anchorId, id);
    const ids = mods.toggle ? inOrder(order, [...sel.ids, ...range]) : range;
    return { ids, anchorId: sel.anchorId, focusId: id };
  }
  if (mods.toggle) {
    const has = sel.ids.includes(id);
    const ids = has ? sel.ids.filter((x) => x !== id) : inOrder(order, [...sel.ids, id]);
    return { ids, anchorId: id, focusId: has ? (ids[ids.length - 1] ?? null) : id };
  }
  return { ids: [id], anchorId: id, focusId: id };
}

/** Every shot selected; the focus stays where it was (or goes to the first shot). */
export function selectAll(sel: Selection, order: readonly string[]): Selection {
  if (order.length === 0) return EMPTY_SELECTION;
  const focusId = sel.focusId && order.includes(sel.focusId) ? sel.focusId : order[0];
  return { ids: [...order], anchorId: sel.anchorId && order.includes(sel.anchorId) ? sel.anchorId : order[0], focusId };
}

/**
 * ←/→: moves the focus `delta` shots along the order, clamped to the ends. Without `extend` the focused shot
 * becomes the only selection; with it (Shift) the range from the anchor to the new focus is selected.
 * With nothing focused, → starts at the first shot and ← at the last.
 */
export function moveFocus(sel: Selection, order: readonly string[], delta: number, extend = false): Selection {
  if (order.length === 0) return EMPTY_SELECTION;
  const at = sel.focusId ? order.indexOf(sel.focusId) : -1;
  const next = at < 0 ? (delta > 0 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, at + delta));
  const id = order[next];
  if (extend) {
    const anchor = sel.anchorId && order.includes(sel.anchorId) ? sel.anchorId : (sel.focusId ?? id);
    return { ids: rangeIds(order, anchor, id), anchorId: anchor, focusId: id };
  }
  return { ids: [id], anchorId: id, focusId: id };
}

/**
 * The selection after the timeline changed (shots deleted, reordered, undo): drops ids that are gone, puts the
 * rest in the new order, and moves a lost focus to the nearest surviving selected shot.
 * Returns the same object when nothing changed, so subscribers do not re-render.
 */
export function reconcileSelection(sel: Selection, order: readonly string[]): Selection {
  const ids = inOrder(order, sel.ids);
  const same = ids.length === sel.ids.length && ids.every((id, i) => id === sel.ids[i]);
  const present = new Set(order);
  const focusId = sel.focusId && present.has(sel.focusId) ? sel.focusId : (ids[0] ?? null);
  const anchorId = sel.anchorId && present.has(sel.anchorId) ? sel.anchorId : focusId;
  if (same && focusId === sel.focusId && anchorId === sel.anchorId) return sel;
  return { ids, anchorId, focusId };
}
