/**
 * Prompt composition: a shot, its scene, a style template and the characters present -> the prompt of a
 * generation job. PURE: no I/O, no clock, no randomness; the same input gives the same output.
 *
 * Order of the parts, and why. CLIP (SD 1.5, SDXL and fine-tunes) weighs earlier tokens more: its causal attention
 * lets every later token see the earlier ones, and the pooled embedding SDXL also conditions on is taken at the end
 * token after reading left to right; captions in training sets start with the subject and framing. Past 75 tokens
 * ComfyUI encodes a new chunk on its own, so words there lose their tie to the rest. Hence:
 *
 *   1. framing    shot size, angle, lens, camera move ("medium close-up, chest up, low angle looking up")
 *   2. character  per character present: "<trigger words>, <Name>: <description>" (trigger words first, where a LoRA
 *                 looks for them)
 *   3. action     the shot's action text, cut to its first sentences to fit the window (the result says so)
 *   4. scene      the setting from the slugline ("exterior, park, day")
 *   5. additions  the artist's own words
 *   6. template   the style template's style prompt LAST: style words hold up well at the end (they describe the
 *                 whole picture, not a part of it), and a long style prompt must not push the subject out of
 *                 the first window.
 *
 * A pinned prompt replaces the composed text (the result still reports the composition). Negative prompt, LoRAs
 * and reference pictures come from the template and the characters either way.
 */
import type { PromptComposition, Scene, Shot, StyleTemplate } from '../../../src-preload/model';
import { displayName, nameKey } from '../library/names';
import {
  CAMERA_ANGLE_WORDS,
  CAMERA_MOVE_IMAGE_WORDS,
  CAMERA_MOVE_VIDEO_WORDS,
  CLIP_WINDOW_TOKENS,
  LONG_CONTEXT_ACTION_TOKENS,
  SHOT_SIZE_WORDS,
  estimateTokens,
  isVideoFamily,
  lensWords,
  tokenWindow,
} from './vocabulary';

/** A character as composition needs it: the library entry with the project's override applied. */
export interface ComposeCharacter {
  /** The name as people write it (the library's spelling, else the script's). Matched to the shot without case. */
  name: string;
  description: string;
  triggerWords: readonly string[];
  lora: { name: string; strength: number } | null;
  /** Absolute paths of reference pictures with their own weight (0..1). */
  referenceImages: ReadonlyArray<{ path: string; weight: number }>;
  /** Strength of the pictures for image-prompt adapters, 0..1. */
  referenceWeight: number;
}

/** What composition reads of a style template. */
export type ComposeTemplate = Pick<StyleTemplate, 'name' | 'stylePrompt' | 'negativePrompt' | 'loras'>;

/** The input of {@link composeShotPrompt}. */
export interface ComposeInput {
  shot: Pick<Shot, 'shotSize' | 'cameraAngle' | 'cameraMove' | 'lensMm' | 'action' | 'dialogue' | 'characters'>;
  scene?: Pick<Scene, 'intExt' | 'location' | 'timeOfDay'> | null;
  template: ComposeTemplate | null;
  /** Resolved characters; those the shot names (`shot.characters`, without case) are used, in the shot's order. */
  characters: readonly ComposeCharacter[];
  /** The artist's own words ('' or absent for none). */
  additions?: string;
  /** A hand-written prompt that wins over the composition (null, absent or blank: compose). */
  pinned?: string | null;
  /** The model family (`sdxl`, `flux_dev`, `wan_2_2`…): decides the token window and the motion words. Unknown: CLIP, still image. */
  family?: string | null;
}

/** The result of {@link composeShotPrompt}: a `PromptComposition` without the project's template and seed facts. */
export type ShotComposition = Omit<PromptComposition, 'template' | 'lockedSeed'>;

/** The fewest tokens of action kept, even when the rest of the prompt already fills the window. */
export const MIN_ACTION_TOKENS = 24;
/** A first sentence up to this many tokens is kept whole even past the window (it holds the subject). */
export const FIRST_SENTENCE_MAX_TOKENS = 40;

/**
 * Composes the prompt of one shot. See the module comment for the order of the parts.
 * @returns the prompt to send, the composition, negative prompt, LoRAs (template's, then characters' not already
 *   there; a character's strength wins for a file both name), trigger words, reference pictures with effective
 *   weights (picture weight x character reference weight), the consistency aids used, the parts, and notes.
 */
export function composeShotPrompt(input: ComposeInput): ShotComposition {
  const { shot, template } = input;
  const family = input.family ?? null;
  const window = tokenWindow(family);
  const notes: string[] = [];
  const parts: ShotComposition['parts'] = [];

  // 1. framing
  const video = isVideoFamily(family);
  const framing = [
    shot.shotSize ? SHOT_SIZE_WORDS[shot.shotSize] : '',
    shot.cameraAngle ? CAMERA_ANGLE_WORDS[shot.cameraAngle] : '',
    shot.lensMm ? lensWords(shot.lensMm) : '',
    shot.cameraMove ? (video ? CAMERA_MOVE_VIDEO_WORDS : CAMERA_MOVE_IMAGE_WORDS)[shot.cameraMove] : '',
  ].filter((w) => w !== '');
  if (framing.length) parts.push({ source: 'framing', text: framing.join(', ') });

  // 2. characters present
  const byKey = new Map(input.characters.map((c) => [nameKey(c.name), c]));
  const present: ComposeCharacter[] = [];
  for (const name of shot.characters) {
    const c = byKey.get(nameKey(name));
    if (c && !present.includes(c)) present.push(c);
    else if (!c) notes.push(`${displayName(name)} has no description, trigger words or LoRA: describe them in the Character view to keep their look from shot to shot.`);
  }
  for (const c of present) {
    const words = c.triggerWords.filter((w) => w.trim() !== '');
    const description = c.description.replace(/\s+/g, ' ').trim();
    const name = displayName(c.name);
    if (!description && !words.length) {
      if (!c.lora) notes.push(`${name} has no description or trigger words: describe them in the Character view to keep their look from shot to shot.`);
      continue;
    }
    const who = description ? `${name}: ${description}` : name;
    parts.push({ source: 'character', text: words.length ? `${words.join(', ')}, ${who}` : who });
  }

  // 4-6 before 3: the action gets what the window leaves
  const tail: ShotComposition['parts'] = [];
  const setting = sceneWords(input.scene);
  if (setting) tail.push({ source: 'scene', text: setting });
  const additions = (input.additions ?? '').replace(/\s+/g, ' ').trim();
  if (additions) tail.push({ source: 'additions', text: additions });
  const style = (template?.stylePrompt ?? '').replace(/\s+/g, ' ').trim();
  if (style) tail.push({ source: 'template', text: style });

  // 3. action, cut at sentence ends to fit
  const actionText = shot.action.replace(/\s+/g, ' ').trim();
  const action = actionText || shot.dialogue.map((l) => `${displayName(l.character)} speaking`).filter((v, i, a) => a.indexOf(v) === i).join(', ');
  if (action) {
    const used = estimateTokens([...parts, ...tail].map((p) => p.text).join(', '));
    const budget = window === null ? LONG_CONTEXT_ACTION_TOKENS : Math.max(MIN_ACTION_TOKENS, window - used - 1);
    let cut = firstSentences(action, budget);
    if (cut.kept === 0 && window !== null) {
      // The subject is in the first sentence: keep it whole unless it is a paragraph of its own.
      const first = splitSentences(action)[0];
      if (estimateTokens(first) <= FIRST_SENTENCE_MAX_TOKENS) cut = { text: first, kept: 1, total: cut.total };
    }
    if (cut.kept < cut.total) {
      const why = window === null ? `${LONG_CONTEXT_ACTION_TOKENS} tokens of action are plenty for a frame` : `CLIP reads ${CLIP_WINDOW_TOKENS + 2} tokens at a time`;
      notes.push(
        cut.kept === 0
          ? `The action text was cut mid-sentence to about ${budget} tokens (${why}).`
          : `The action text was shortened to its first ${cut.kept} of ${cut.total} sentences (${why}); pin a prompt or add words to say more.`,
      );
    }
    parts.push({ source: 'action', text: cut.text });
  }
  parts.push(...tail);

  // Parts are joined with commas; a part's own closing full stop would read `park., exterior`.
  const composedPrompt = parts.map((p) => p.text.replace(/[\s.,;:]+$/u, '')).filter((t) => t !== '').join(', ');
  const pinnedText = (input.pinned ?? '').trim();
  const pinned = pinnedText !== '';
  const prompt = pinned ? pinnedText : composedPrompt;

  // LoRAs: the template's, then the characters'; one per file, a character's strength winning.
  const loras: ShotComposition['loras'] = [];
  for (const l of template?.loras ?? []) {
    const strengthModel = l.strengthModel ?? 1;
    const entry = { name: l.name, strengthModel, strengthClip: l.strengthClip ?? strengthModel };
    const i = loras.findIndex((x) => x.name === l.name);
    if (i < 0) loras.push(entry);
    else loras[i] = entry;
  }
  const loraAids: string[] = [];
  let described = false;
  const triggerWords: string[] = [];
  const referenceImages: ShotComposition['referenceImages'] = [];
  for (const c of present) {
    if (c.lora) {
      const entry = { name: c.lora.name, strengthModel: c.lora.strength, strengthClip: c.lora.strength };
      const i = loras.findIndex((x) => x.name === c.lora!.name);
      if (i < 0) loras.push(entry);
      else loras[i] = entry;
      if (!loraAids.includes(`lora:${c.lora.name}`)) loraAids.push(`lora:${c.lora.name}`);
    }
    for (const w of c.triggerWords) if (w.trim() && !triggerWords.includes(w.trim())) triggerWords.push(w.trim());
    if (c.description.trim()) described = true;
    for (const r of c.referenceImages) {
      const weight = round3(Math.min(1, Math.max(0, r.weight * c.referenceWeight)));
      if (weight > 0) referenceImages.push({ path: r.path, weight, character: displayName(c.name) });
    }
  }
  // In the order of their strength: a LoRA, its trigger words, the description, the reference pictures.
  const consistencyAids = [
    ...loraAids,
    ...(triggerWords.length ? ['trigger words'] : []),
    ...(described ? ['description'] : []),
    ...(referenceImages.length ? ['reference images'] : []),
  ];

  if (pinned) {
    notes.push('A pinned prompt replaces the composed one; the negative prompt, LoRAs and reference pictures still apply.');
    const missing = triggerWords.filter((w) => !prompt.toLowerCase().includes(w.toLowerCase()));
    if (missing.length) notes.push(`The pinned prompt lacks the trigger words ${missing.map((w) => `"${w}"`).join(', ')}: their LoRA may not show.`);
  }
  const estimatedTokens = estimateTokens(prompt);
  if (window !== null && estimatedTokens > window) {
    notes.push(`The prompt is about ${estimatedTokens} tokens; CLIP reads ${window} at a time, so the words past that weigh less.`);
  }
  return {
    prompt,
    composedPrompt,
    pinned,
    negativePrompt: (template?.negativePrompt ?? '').trim(),
    loras,
    triggerWords,
    referenceImages,
    consistencyAids,
    parts,
    notes,
    estimatedTokens,
    tokenWindow: window,
  };
}

/** The setting from a slugline: `exterior, park, day` (lower case; '' when the scene names nothing). */
export function sceneWords(scene: ComposeInput['scene']): string {
  if (!scene) return '';
  const where = { INT: 'interior', EXT: 'exterior', 'INT/EXT': 'interior and exterior' } as const;
  return [scene.intExt ? where[scene.intExt] : '', scene.location, scene.timeOfDay]
    .map((w) => w.replace(/\s+/g, ' ').trim().toLowerCase())
    .filter((w) => w !== '')
    .join(', ');
}

/**
 * The first whole sentences of a text that fit `budgetTokens` (estimated). When even the first sentence is
 * longer, it is cut at a word boundary with `…`.
 * @returns the text kept, and how many of how many sentences (`kept` 0 when the first was cut).
 */
export function firstSentences(text: string, budgetTokens: number): { text: string; kept: number; total: number } {
  const sentences = splitSentences(text);
  let kept = 0;
  let out = '';
  for (const s of sentences) {
    const next = out ? `${out} ${s}` : s;
    if (estimateTokens(next) > budgetTokens) break;
    out = next;
    kept++;
  }
  if (kept > 0) return { text: out, kept, total: sentences.length };
  const words = sentences[0].split(' ');
  let cut = '';
  for (const w of words) {
    const next = cut ? `${cut} ${w}` : w;
    if (estimateTokens(next) > budgetTokens - 1) break;
    cut = next;
  }
  return { text: `${cut.replace(/[,;:]$/, '')}…`, kept: 0, total: sentences.length };
}

/** Sentences of a one-line text: split after `.`, `!`, `?` or `…` (and a closing quote) before white space. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…]["'”’)]?)\s+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
