import { describe, expect, it } from 'vitest';
import { showView, useWorkspaceNav, viewForKey } from './nav';

const key = (code: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  code,
  ...mods,
});

describe('viewForKey', () => {
  it('maps Alt+1 … Alt+7 (and the keypad) to the views', () => {
    expect(viewForKey(key('Digit1', { altKey: true }))).toBe('timeline');
    expect(viewForKey(key('Digit2', { altKey: true }))).toBe('queue');
    expect(viewForKey(key('Numpad3', { altKey: true }))).toBe('servers');
    expect(viewForKey(key('Digit4', { altKey: true }))).toBe('characters');
    expect(viewForKey(key('Numpad5', { altKey: true }))).toBe('templates');
    expect(viewForKey(key('Digit6', { altKey: true }))).toBe('models');
    expect(viewForKey(key('Numpad7', { altKey: true }))).toBe('library');
  });
  it('ignores other digits, no Alt, and other modifiers with Alt', () => {
    expect(viewForKey(key('Digit8', { altKey: true }))).toBeNull();
    expect(viewForKey(key('Digit1'))).toBeNull();
    expect(viewForKey(key('Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(viewForKey(key('Digit2', { altKey: true, shiftKey: true }))).toBeNull();
  });
});

describe('showView', () => {
  it('switches the workspace view', () => {
    showView('servers');
    expect(useWorkspaceNav.getState().view).toBe('servers');
    showView('timeline');
    expect(useWorkspaceNav.getState().view).toBe('timeline');
  });
});
