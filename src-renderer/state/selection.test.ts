import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, clickSelect, moveFocus, reconcileSelection, selectAll } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];

describe('clickSelect', () => {
  it('selects one shot on a plain click', () => {
    expect(clickSelect(EMPTY_SELECTION, order, 'c')).toEqual({ ids: ['c'], anchorId: 'c', focusId: 'c' });
  });

  it('selects the range from the anchor with Shift, either direction, in timeline order', () => {
    const s = clickSelect(EMPTY_SELECTION, order, 'b');
    expect(clickSelect(s, order, 'd', { range: true }).ids).toEqual(['b', 'c', 'd']);
    const back = clickSelect(clickSelect(s, order, 'd', { range: true }), order, 'a', { range: true });
    expect(back).toEqual({ ids: ['a', 'b'], anchorId: 'b', focusId: 'a' });
  });

  it('toggles with Ctrl/Cmd and keeps ids in timeline order', () => {
    let s = clickSelect(EMPTY_SELECTION, order, 'd');
    s = clickSelect(s, order, 'a', { toggle: true });
    expect(s.ids).toEqual(['a', 'd']);
    s = clickSelect(s, order, 'd', { toggle: true });
    expect(s).toEqual({ ids: ['a'], anchorId: 'd', focusId: 'a' });
  });

  it('adds a range to the selection with Ctrl+Shift', () => {
    let s = clickSelect(EMPTY_SELECTION, order, 'e');
    s = clickSelect(s, order, 'a', { toggle: true });
    s = clickSelect(s, order, 'b', { toggle: true, range: true });
    expect(s.ids).toEqual(['a', 'b', 'e']);
  });

  it('treats Shift without an anchor as a plain click', () => {
    expect(clickSelect(EMPTY_SELECTION, order, 'c', { range: true }).ids).toEqual(['c']);
  });
});

describe('selectAll and moveFocus', () => {
  it('selects everything and keeps the focus', () => {
    const s = selectAll(clickSelect(EMPTY_SELECTION, order, 'c'), order);
    expect(s).toEqual({ ids: order, anchorId: 'c', focusId: 'c' });
    expect(selectAll(s, [])).toEqual(EMPTY_SELECTION);
  });

  it('moves the focus with arrows, clamped at both ends', () => {
    const s = clickSelect(EMPTY_SELECTION, order, 'b');
    expect(moveFocus(s, order, 1)).toEqual({ ids: ['c'], anchorId: 'c', focusId: 'c' });
    expect(moveFocus(s, order, -5).focusId).toBe('a');
    expect(moveFocus(EMPTY_SELECTION, order, 1).focusId).toBe('a');
    expect(moveFocus(EMPTY_SELECTION, order, -1).focusId).toBe('e');
  });

  it('extends from the anchor with Shift+arrows', () => {
    let s = clickSelect(EMPTY_SELECTION, order, 'c');
    s = moveFocus(s, order, 1, true);
    s = moveFocus(s, order, 1, true);
    expect(s).toEqual({ ids: ['c', 'd', 'e'], anchorId: 'c', focusId: 'e' });
    s = moveFocus(s, order, -3, true);
    expect(s.ids).toEqual(['b', 'c']);
  });
});

describe('reconcileSelection', () => {
  it('drops deleted shots, follows the new order and keeps identity when unchanged', () => {
    const s = { ids: ['b', 'd'], anchorId: 'b', focusId: 'd' };
    expect(reconcileSelection(s, order)).toBe(s);
    expect(reconcileSelection(s, ['d', 'a', 'b'])).toEqual({ ids: ['d', 'b'], anchorId: 'b', focusId: 'd' });
    expect(reconcileSelection(s, ['a', 'b'])).toEqual({ ids: ['b'], anchorId: 'b', focusId: 'b' });
    expect(reconcileSelection(s, [])).toEqual(EMPTY_SELECTION);
  });
});
