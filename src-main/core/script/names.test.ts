import { describe, expect, it } from 'vitest';
import { CharacterMatcher, parseCharacterCue } from './names';

describe('parseCharacterCue', () => {
  it('gives the upper-case name without @, ^ or extensions, and the extensions as written', () => {
    expect(parseCharacterCue('@McCLANE (V.O.)')).toEqual({ name: 'MCCLANE', extension: '(V.O.)' });
    expect(parseCharacterCue("CYBER  BOB (O.S.) (CONT'D)^")).toEqual({ name: 'CYBER BOB', extension: "(O.S.) (CONT'D)" });
    expect(parseCharacterCue('HANS (on the radio)')).toEqual({ name: 'HANS', extension: '(on the radio)' });
    expect(parseCharacterCue('DOG')).toEqual({ name: 'DOG', extension: '' });
  });
});

describe('CharacterMatcher', () => {
  const m = new CharacterMatcher(['BOB', 'CYBER BOB', 'BOSS', 'CYBER BOSS', 'DOG']);

  it('matches whole words case-insensitively, possessives included', () => {
    expect(m.find("Bob's phone buzzes. BOB'S too. The dog barks.")).toEqual(['BOB', 'DOG']);
    expect(m.find('BOBBY and the doggy and the DOGS')).toEqual([]);
    expect(m.find("Boss' instructions")).toEqual(['BOSS']);
  });

  it('prefers the multi-word name where names overlap, also across a line break', () => {
    expect(m.find('Cyber Bob waves at Cyber\nBoss.')).toEqual(['CYBER BOB', 'CYBER BOSS']);
    expect(m.find('Cyber Bob, then Bob.')).toEqual(['CYBER BOB', 'BOB']);
  });

  it('finds nothing when no names are known', () => {
    expect(new CharacterMatcher([]).find('Bob runs.')).toEqual([]);
  });
});
