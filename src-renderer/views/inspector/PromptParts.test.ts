import { describe, expect, it } from 'vitest';
import { aidLabel, legendOf, loraText, parseSeedText, partText, pinDraftOf, seedSourceText, tokenNote } from './PromptParts';

describe('PromptParts', () => {
  it('lists each source once, in the order it first appears', () => {
    expect(legendOf([{ source: 'framing' }, { source: 'character' }, { source: 'character' }, { source: 'template' }])).toEqual(['framing', 'character', 'template']);
  });

  it('drops a part’s closing full stop before the separator', () => {
    expect(partText('The dogs go silent.')).toBe('The dogs go silent');
    expect(partText('exterior, park, day')).toBe('exterior, park, day');
  });

  it('says how much of the token window the prompt fills, and warns past it', () => {
    expect(tokenNote({ estimatedTokens: 60, tokenWindow: 75 })).toEqual({ text: 'about 60 of 75 tokens', tone: 'ok' });
    expect(tokenNote({ estimatedTokens: 90, tokenWindow: 75 }).tone).toBe('warn');
    expect(tokenNote({ estimatedTokens: 300, tokenWindow: null }).text).toMatch(/long-context/);
  });

  it('names consistency aids and LoRAs for people', () => {
    expect(aidLabel('lora:chars/bob_v2.safetensors')).toBe('LoRA bob_v2');
    expect(aidLabel('trigger words')).toBe('Trigger words');
    expect(loraText({ name: 'bob_v2.safetensors', strengthModel: 0.8, strengthClip: 0.8 })).toBe('bob_v2 0.8');
    expect(loraText({ name: 'film.safetensors', strengthModel: 0.6, strengthClip: 1 })).toBe('film 0.6/1');
  });

  it('reads a seed, refusing what is not one', () => {
    expect(parseSeedText(' 1 000 000 ')).toBe(1_000_000);
    expect(parseSeedText('')).toBeNull();
    expect(() => parseSeedText('-3')).toThrow(/not a seed: type a whole number from 0 to 281474976710655/);
    expect(() => parseSeedText('281474976710656')).toThrow(/not a seed/);
    expect(() => parseSeedText('12.5')).toThrow(/not a seed/);
  });

  it('says where the seed comes from', () => {
    expect(seedSourceText({ lockedSeed: { seed: 5, from: 'shot' } }, true, false)).toMatch(/^Locked/);
    expect(seedSourceText({ lockedSeed: { seed: 2005, from: 'scene' } }, false, true)).toMatch(/uses 2005/);
    expect(seedSourceText({ lockedSeed: null }, false, false)).toMatch(/^Unlocked/);
  });

  it('starts a pinned prompt from the pinned text, else the composed one', () => {
    expect(pinDraftOf({ pinned: true, prompt: 'mine', composedPrompt: 'composed' })).toBe('mine');
    expect(pinDraftOf({ pinned: false, prompt: 'composed', composedPrompt: 'composed' })).toBe('composed');
  });
});
