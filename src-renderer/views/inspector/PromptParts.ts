/**
 * The inspector's Prompt section, its pure part: names and order of the composed prompt's parts (by where each came
 * from, `PromptPartSource` in src-preload/model.ts), the token note, consistency aids and LoRAs in words, and the
 * seed typed by a person.
 */
import type { PromptComposition, PromptPartSource } from '../../../src-preload/model';

/** What each source of a prompt part is called in the legend. */
export const PART_LABELS: Record<PromptPartSource, string> = {
  framing: 'Framing',
  character: 'Characters',
  action: 'Action',
  scene: 'Setting',
  additions: 'Your additions',
  template: 'Template style',
};

/** The sources present in a composition, in the order they first appear (the legend under the prompt). */
export function legendOf(parts: ReadonlyArray<{ source: PromptPartSource }>): PromptPartSource[] {
  const out: PromptPartSource[] = [];
  for (const p of parts) if (!out.includes(p.source)) out.push(p.source);
  return out;
}

/** A part's text before the separator that follows it: without its closing full stop (`…go silent.` -> `…go silent`). */
export function partText(text: string): string {
  return text.replace(/[.;,:]+\s*$/, '');
}

/** The token note: how much of the encoder's window the prompt fills, and whether words fall past it. */
export function tokenNote(c: Pick<PromptComposition, 'estimatedTokens' | 'tokenWindow'>): { text: string; tone: 'ok' | 'warn' } {
  if (c.tokenWindow === null) return { text: `about ${c.estimatedTokens} tokens · long-context text encoder`, tone: 'ok' };
  if (c.estimatedTokens <= c.tokenWindow) return { text: `about ${c.estimatedTokens} of ${c.tokenWindow} tokens`, tone: 'ok' };
  return {
    text: `about ${c.estimatedTokens} tokens: past ${c.tokenWindow} the encoder reads a new chunk, and words there weigh less`,
    tone: 'warn',
  };
}

/** A consistency aid for people: `lora:bob_v2.safetensors` -> `LoRA bob_v2`, others capitalised. */
export function aidLabel(aid: string): string {
  if (aid.startsWith('lora:')) return `LoRA ${aid.slice(5).split(/[\\/]/).pop()!.replace(/\.(safetensors|ckpt|pt|bin)$/i, '')}`;
  return aid.charAt(0).toUpperCase() + aid.slice(1);
}

/** A LoRA of the composition in a few words: `bob_v2 0.8`, or `film 0.6/1` when clip and model differ. */
export function loraText(l: { name: string; strengthModel: number; strengthClip: number }): string {
  const name = l.name.split(/[\\/]/).pop()!.replace(/\.(safetensors|ckpt|pt|bin)$/i, '');
  const r = (n: number) => String(Math.round(n * 100) / 100);
  return l.strengthClip === l.strengthModel ? `${name} ${r(l.strengthModel)}` : `${name} ${r(l.strengthModel)}/${r(l.strengthClip)}`;
}

/** The largest seed the core accepts (2^48 - 1). */
export const MAX_SEED = 2 ** 48 - 1;

/**
 * A seed typed by a person: a whole number from 0 to 2^48-1 (spaces and thin separators ignored); '' -> null.
 * @throws Error saying what a seed is when the text is not one.
 */
export function parseSeedText(text: string): number | null {
  const t = text.replace(/[\s_,']/g, '');
  if (t === '') return null;
  if (!/^\d+$/.test(t) || Number(t) > MAX_SEED) throw new Error(`"${text.trim()}" is not a seed: type a whole number from 0 to ${MAX_SEED}.`);
  return Number(t);
}

/** Where the next take's seed comes from, in words. */
export function seedSourceText(c: Pick<PromptComposition, 'lockedSeed'>, shotLocked: boolean, sceneLocked: boolean): string {
  if (c.lockedSeed?.from === 'shot' || shotLocked) return 'Locked: every take of this shot uses this seed.';
  if (c.lockedSeed?.from === 'scene' || sceneLocked) return `The scene's seed is locked: this shot uses ${c.lockedSeed ? c.lockedSeed.seed : 'one derived from it'}.`;
  return 'Unlocked: each batch picks the seeds (Generate dialog).';
}

/** The words of a pinned prompt ready to edit: the pinned text, else the composed prompt to start from. */
export function pinDraftOf(c: Pick<PromptComposition, 'pinned' | 'prompt' | 'composedPrompt'>): string {
  return c.pinned ? c.prompt : c.composedPrompt;
}
