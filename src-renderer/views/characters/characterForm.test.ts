import { describe, expect, it } from 'vitest';
import type { CharacterView } from '../../../src-preload/model';
import {
  draftOf,
  formatStrength,
  groupCharacters,
  initials,
  isDirty,
  listFields,
  loraLabel,
  overriddenFields,
  parseTriggerWords,
  patchOf,
  usageText,
  validateDraft,
} from './characterForm';

const bob: CharacterView = {
  name: 'Bob',
  libraryId: 'lch_1',
  fromScript: true,
  description: 'a goofy man of 40',
  referenceImages: [],
  lora: { name: 'bob_v2.safetensors', strength: 0.8 },
  triggerWords: ['ohwx man'],
  referenceWeight: 0.6,
  override: null,
  shots: [{ shotId: 's1', number: '1A' }],
};

describe('draftOf and patchOf', () => {
  it('sends only what changed, and never a name in the project scope', () => {
    const d = { ...draftOf(bob), name: 'Robert', description: 'a goofy man of 41' };
    expect(patchOf(d, bob, 'library')).toEqual({ ok: true, patch: { name: 'Robert', description: 'a goofy man of 41' } });
    expect(patchOf(d, bob, 'project')).toEqual({ ok: true, patch: { description: 'a goofy man of 41' } });
  });

  it('removes the LoRA when its file name is cleared, and changes its strength alone', () => {
    expect(patchOf({ ...draftOf(bob), loraName: '  ' }, bob, 'library')).toEqual({ ok: true, patch: { lora: null } });
    expect(patchOf({ ...draftOf(bob), loraStrength: 0.65 }, bob, 'library')).toEqual({ ok: true, patch: { lora: { name: 'bob_v2.safetensors', strength: 0.65 } } });
  });

  it('gives a new character its name and only the fields that have a value', () => {
    const d = { ...draftOf(null), name: ' BOB ', triggerWords: ['ohwx man'] };
    expect(patchOf(d, null, 'library')).toEqual({ ok: true, patch: { name: 'BOB', triggerWords: ['ohwx man'] } });
  });

  it('refuses a draft with a message under each wrong field', () => {
    const r = patchOf({ ...draftOf(null), name: '', triggerWords: ['ok', 'a, b'], description: 'x'.repeat(4001) }, null, 'library');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.name).toBe('A character needs a name.');
    expect(r.errors.triggerWords).toMatch(/^Trigger word 2: a trigger word cannot contain a comma/);
    expect(r.errors.description).toMatch(/at most 4000 characters/);
    expect(r.errors.lora).toBeUndefined();
  });

  it('refuses a LoRA strength out of range', () => {
    expect(validateDraft({ ...draftOf(bob), loraStrength: 150 }).lora).toMatch(/-100 to 100/);
  });

  it('knows when the draft differs from the character', () => {
    expect(isDirty(draftOf(bob), bob)).toBe(false);
    expect(isDirty({ ...draftOf(bob), triggerWords: [] }, bob)).toBe(true);
    expect(isDirty(draftOf(null), null)).toBe(false);
    expect(isDirty({ ...draftOf(null), name: 'X' }, null)).toBe(true);
  });
});

describe('overrides', () => {
  it('lists the fields a project overrides, in editor order', () => {
    expect(overriddenFields(bob)).toEqual([]);
    expect(overriddenFields({ override: { referenceWeight: 0.9, description: 'older' } })).toEqual(['description', 'referenceWeight']);
    expect(listFields(['description', 'lora', 'triggerWords'])).toBe('the description, LoRA and trigger words');
    expect(listFields(['lora'])).toBe('the LoRA');
  });
});

describe('words', () => {
  it('splits typed trigger words at commas and new lines, without repeats', () => {
    expect(parseTriggerWords('ohwx man,  cyberbob\nOHWX MAN, ,bob', ['bob'])).toEqual(['ohwx man', 'cyberbob']);
    expect(parseTriggerWords('   ')).toEqual([]);
  });
  it('says how many shots, initials, strengths and LoRA names for cards', () => {
    expect([usageText(0), usageText(1), usageText(12)]).toEqual(['in no shot', 'in 1 shot', 'in 12 shots']);
    expect([initials('CYBER BOB'), initials('margaret'), initials('  ')]).toEqual(['CB', 'M', '']);
    expect([formatStrength(0.8), formatStrength(1), formatStrength(0.654)]).toEqual(['0.8', '1', '0.65']);
    expect(loraLabel('chars/bob_v2.safetensors')).toBe('bob_v2');
  });
  it('groups the script characters before the library ones, filtered and by name', () => {
    const list = [
      { name: 'Detective Ray', fromScript: false },
      { name: 'DOG', fromScript: true },
      { name: 'BOB', fromScript: true },
    ];
    expect(groupCharacters(list)).toEqual({ script: [list[2], list[1]], library: [list[0]] });
    expect(groupCharacters(list, 'ob')).toEqual({ script: [list[2]], library: [] });
  });
});
