/**
 * Prompt composition over REAL shots of the Cyber Bob screenplay (parsed with the app's own Fountain parser),
 * picked by their action text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Shot } from '../../../src-preload/model';
import { parseFountain, type ScriptScene, type ScriptShot } from '../script/fountain';
import { composeShotPrompt, firstSentences, sceneWords, splitSentences, type ComposeCharacter, type ComposeInput } from './compose';
import { estimateTokens, lensWords, tokenWindow } from './vocabulary';

const doc = parseFountain(readFileSync(join(import.meta.dirname, '..', 'script', 'testdata', 'Cyber_Bob_ep00001.fountain'), 'utf8'), 'Cyber_Bob_ep00001.fountain');

/** The script shot whose action starts with `start`, as a timeline shot with the given framing. */
function realShot(start: string, framing: Partial<Pick<Shot, 'shotSize' | 'cameraAngle' | 'cameraMove' | 'lensMm'>> = {}): { shot: ComposeInput['shot']; scene: ScriptScene } {
  for (const scene of doc.scenes) {
    const s: ScriptShot | undefined = scene.shots.find((x) => x.action.startsWith(start));
    if (s) {
      return {
        shot: { shotSize: null, cameraAngle: null, cameraMove: null, lensMm: null, ...framing, action: s.action, dialogue: s.dialogue, characters: s.characters },
        scene,
      };
    }
  }
  throw new Error(`no Cyber Bob shot starts with ${start}`);
}

const cyberBob: ComposeCharacter = {
  name: 'Cyber Bob',
  description: 'a goofy man of 40 in a grey suit',
  triggerWords: ['cbob man'],
  lora: { name: 'cbob_v2.safetensors', strength: 0.8 },
  referenceImages: [
    { path: '/lib/refs/a.png', weight: 1 },
    { path: '/lib/refs/b.png', weight: 0.5 },
  ],
  referenceWeight: 0.6,
};
const margaret: ComposeCharacter = { name: 'MARGARET', description: 'a sharp woman of 37 with a red scarf', triggerWords: [], lora: null, referenceImages: [], referenceWeight: 0.6 };
const noir = { name: 'Noir', stylePrompt: 'charcoal storyboard sketch, high contrast', negativePrompt: 'color, photo', loras: [{ name: 'grain.safetensors', strengthModel: 0.5 }] };

describe('composeShotPrompt on Cyber Bob', () => {
  it('puts framing first, then characters, action, setting, additions, and the style last', () => {
    const { shot, scene } = realShot('Margaret is fearful', { shotSize: 'MCU', cameraAngle: 'low', lensMm: 85, cameraMove: 'handheld' });
    const c = composeShotPrompt({ shot, scene, template: noir, characters: [cyberBob, margaret], additions: 'rain on the lens', family: 'sdxl' });
    expect(c.parts.map((p) => p.source)).toEqual(['framing', 'character', 'action', 'scene', 'additions', 'template']);
    expect(c.parts[0].text).toBe('medium close-up, chest up, low angle looking up, 85mm portrait lens, shallow depth of field, handheld camera, motion blur');
    expect(c.parts[1].text).toBe('Margaret: a sharp woman of 37 with a red scarf');
    expect(c.parts[2].text).toBe('Margaret is fearful, confused and befuddled.');
    expect(c.parts[3].text).toBe('exterior, park, day');
    expect(c.prompt).toBe(
      'medium close-up, chest up, low angle looking up, 85mm portrait lens, shallow depth of field, handheld camera, motion blur, ' +
        'Margaret: a sharp woman of 37 with a red scarf, Margaret is fearful, confused and befuddled, exterior, park, day, rain on the lens, ' +
        'charcoal storyboard sketch, high contrast',
    );
    expect(c.composedPrompt).toBe(c.prompt);
    expect(c.negativePrompt).toBe('color, photo');
    // BOB speaks in this shot but has no library entry: a note says so, nothing is invented.
    expect(c.notes.some((n) => n.startsWith('Bob has no description'))).toBe(true);
    expect(c.consistencyAids).toEqual(['description']);
    expect(c.tokenWindow).toBe(75);
  });

  it('writes a character as "<trigger words>, <Name>: <description>" and merges LoRAs, trigger words and references', () => {
    const { shot, scene } = realShot('He holds up his phone toward the cloud', { shotSize: 'WS' });
    expect(shot.characters).toEqual(['MARGARET', 'CYBER BOB']);
    const c = composeShotPrompt({ shot, scene, template: noir, characters: [cyberBob, margaret], family: 'sdxl' });
    const chars = c.parts.filter((p) => p.source === 'character').map((p) => p.text);
    expect(chars).toEqual(['Margaret: a sharp woman of 37 with a red scarf', 'cbob man, Cyber Bob: a goofy man of 40 in a grey suit']);
    expect(c.loras).toEqual([
      { name: 'grain.safetensors', strengthModel: 0.5, strengthClip: 0.5 },
      { name: 'cbob_v2.safetensors', strengthModel: 0.8, strengthClip: 0.8 },
    ]);
    expect(c.triggerWords).toEqual(['cbob man']);
    expect(c.referenceImages).toEqual([
      { path: '/lib/refs/a.png', weight: 0.6, character: 'Cyber Bob' },
      { path: '/lib/refs/b.png', weight: 0.3, character: 'Cyber Bob' },
    ]);
    expect(c.consistencyAids).toEqual(['lora:cbob_v2.safetensors', 'trigger words', 'description', 'reference images']);
  });

  it("lets a character's LoRA strength win over the template's for the same file, once", () => {
    const { shot, scene } = realShot('He holds up his phone toward the cloud');
    const template = { ...noir, loras: [{ name: 'cbob_v2.safetensors', strengthModel: 0.3, strengthClip: 0.2 }] };
    const c = composeShotPrompt({ shot, scene, template, characters: [cyberBob] });
    expect(c.loras).toEqual([{ name: 'cbob_v2.safetensors', strengthModel: 0.8, strengthClip: 0.8 }]);
  });

  it("keeps the first sentences of a long action within CLIP's window, and says so", () => {
    const { shot, scene } = realShot('CYBER BOB, 40, a white man', { shotSize: 'EWS' });
    expect(splitSentences(shot.action.replace(/\s+/g, ' '))).toHaveLength(4);
    const c = composeShotPrompt({ shot, scene, template: noir, characters: [cyberBob, margaret], family: 'sdxl' });
    const action = c.parts.find((p) => p.source === 'action')!.text;
    expect(action).toBe('CYBER BOB, 40, a white man, a mild, goofy, fairly daft pawn of a soul, strolls through the park.');
    expect(c.notes).toContain(
      'The action text was shortened to its first 1 of 4 sentences (CLIP reads 77 tokens at a time); pin a prompt or add words to say more.',
    );
    // A long-context encoder (Flux reads with T5) keeps the whole paragraph.
    const flux = composeShotPrompt({ shot, scene, template: noir, characters: [cyberBob, margaret], family: 'flux_dev' });
    expect(flux.tokenWindow).toBeNull();
    expect(flux.parts.find((p) => p.source === 'action')!.text).toBe(shot.action.replace(/\s+/g, ' ').trim());
    expect(flux.notes.some((n) => n.includes('shortened'))).toBe(false);
  });

  it('describes a dialogue-only shot by its speakers', () => {
    const { shot, scene } = realShot('He holds up his phone toward the cloud');
    const dialogueOnly = { ...shot, action: '' };
    const c = composeShotPrompt({ shot: dialogueOnly, scene, template: null, characters: [] });
    expect(c.parts.find((p) => p.source === 'action')!.text).toBe('Margaret speaking, Cyber Bob speaking');
  });

  it('sends a pinned prompt but still reports the composition, the negative prompt and the LoRAs', () => {
    const { shot, scene } = realShot('He holds up his phone toward the cloud', { shotSize: 'CU' });
    const base = { shot, scene, template: noir, characters: [cyberBob] };
    const c = composeShotPrompt({ ...base, pinned: '  Bob raises a glowing phone to the sky  ' });
    expect(c.pinned).toBe(true);
    expect(c.prompt).toBe('Bob raises a glowing phone to the sky');
    expect(c.composedPrompt).toBe(composeShotPrompt(base).prompt);
    expect(c.negativePrompt).toBe('color, photo');
    expect(c.loras.map((l) => l.name)).toEqual(['grain.safetensors', 'cbob_v2.safetensors']);
    expect(c.notes).toContain('The pinned prompt lacks the trigger words "cbob man": their LoRA may not show.');
    // A blank pin composes.
    expect(composeShotPrompt({ ...base, pinned: '   ' }).pinned).toBe(false);
  });

  it('uses motion words for video families and none for a static still', () => {
    const { shot, scene } = realShot('Cyber Boss stays there', { cameraMove: 'dolly-in' });
    expect(composeShotPrompt({ shot, scene, template: null, characters: [], family: 'sdxl' }).parts[0].text).toBe('dynamic camera movement');
    expect(composeShotPrompt({ shot, scene, template: null, characters: [], family: 'wan_2_2' }).parts[0].text).toBe('the camera dollies in toward the subject');
    const still = composeShotPrompt({ shot: { ...shot, cameraMove: 'static' }, scene, template: null, characters: [] });
    expect(still.parts.some((p) => p.source === 'framing')).toBe(false);
  });

  it('is pure: the same input gives the same output', () => {
    const { shot, scene } = realShot('Bob materializes beside the dog', { shotSize: 'MS', cameraAngle: 'dutch' });
    const input = { shot, scene, template: noir, characters: [cyberBob, margaret], additions: 'neon light' };
    expect(composeShotPrompt(input)).toEqual(composeShotPrompt(input));
    expect(composeShotPrompt(input).parts[0].text).toBe('medium shot, waist up, Dutch angle, tilted horizon');
    expect(composeShotPrompt(input).parts.find((p) => p.source === 'scene')!.text).toBe('interior, traffic light horizontal beam, night');
  });
});

describe('the pieces', () => {
  it('names lenses by focal length', () => {
    expect(lensWords(14)).toMatch(/^ultra wide-angle/);
    expect(lensWords(24)).toBe('wide-angle lens');
    expect(lensWords(50)).toMatch(/^50mm/);
    expect(lensWords(85)).toMatch(/^85mm portrait lens/);
    expect(lensWords(135)).toMatch(/^telephoto lens/);
    expect(lensWords(600)).toMatch(/^super telephoto/);
    expect(() => lensWords(0)).toThrow(/positive number of millimetres/);
  });

  it('cuts an over-long first sentence at a word with an ellipsis', () => {
    const long = 'Bob walks ' + 'very '.repeat(60) + 'slowly. He stops.';
    const r = firstSentences(long, 20);
    expect(r.kept).toBe(0);
    expect(r.total).toBe(2);
    expect(r.text.endsWith('…')).toBe(true);
    expect(estimateTokens(r.text)).toBeLessThanOrEqual(20);
  });

  it('knows which encoders read past 77 tokens', () => {
    expect(tokenWindow('sd15')).toBe(75);
    expect(tokenWindow('illustrious')).toBe(75);
    expect(tokenWindow(null)).toBe(75);
    expect(tokenWindow('qwen_image')).toBeNull();
    expect(sceneWords(null)).toBe('');
    expect(sceneWords({ intExt: 'INT/EXT', location: 'CAR', timeOfDay: '' })).toBe('interior and exterior, car');
  });
});
