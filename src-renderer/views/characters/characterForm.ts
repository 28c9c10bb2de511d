/**
 * The Character view's pure logic: the editor's draft of a character, its validation against the contract's
 * schema (src-preload/model.ts `CharacterFields`) with a message per field, the patch that saves only what the
 * artist changed (so a project override names only the fields it replaces), which fields a project overrides,
 * trigger words typed as text, and the words the cards show.
 */
import { CharacterFields, type CharacterPatch, type CharacterView } from '../../../src-preload/model';

/** What the editor holds while the artist types. `loraName` '' means no LoRA. Strengths and weights are numbers. */
export interface CharacterDraft {
  name: string;
  description: string;
  loraName: string;
  /** LoRA strength (model and text encoder), usually 0.6..1. */
  loraStrength: number;
  triggerWords: string[];
  /** Strength of the reference pictures for image-prompt adapters, 0..1. */
  referenceWeight: number;
}

/** The fields of the editor that can carry an error. */
export type CharacterField = 'name' | 'description' | 'lora' | 'triggerWords' | 'referenceWeight';
/** One message per field that is wrong. */
export type CharacterFieldErrors = Partial<Record<CharacterField, string>>;

/** The LoRA strength a new LoRA starts at. */
export const DEFAULT_LORA_STRENGTH = 0.8;
/** The reference weight of a new character (the core's default too). */
export const DEFAULT_REFERENCE_WEIGHT = 0.6;

/** The draft of an existing character (its resolved values), or of a new one (null). */
export function draftOf(view: Pick<CharacterView, 'name' | 'description' | 'lora' | 'triggerWords' | 'referenceWeight'> | null): CharacterDraft {
  return {
    name: view?.name ?? '',
    description: view?.description ?? '',
    loraName: view?.lora?.name ?? '',
    loraStrength: view?.lora?.strength ?? DEFAULT_LORA_STRENGTH,
    triggerWords: [...(view?.triggerWords ?? [])],
    referenceWeight: view?.referenceWeight ?? DEFAULT_REFERENCE_WEIGHT,
  };
}

/** The fields of a draft as the contract writes them (`lora: null` without a LoRA file). */
function fieldsOf(d: CharacterDraft) {
  const loraName = d.loraName.trim();
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    lora: loraName ? { name: loraName, strength: d.loraStrength } : null,
    triggerWords: d.triggerWords.map((w) => w.trim()),
    referenceWeight: d.referenceWeight,
  };
}

const FIELD_OF_PATH: Record<string, CharacterField> = {
  name: 'name',
  description: 'description',
  lora: 'lora',
  triggerWords: 'triggerWords',
  referenceWeight: 'referenceWeight',
};

/** Validates a draft against the contract's schema: one message per wrong field (empty when it is valid). */
export function validateDraft(d: CharacterDraft): CharacterFieldErrors {
  const parsed = CharacterFields.safeParse(fieldsOf(d));
  const errors: CharacterFieldErrors = {};
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF_PATH[String(issue.path[0])];
    if (field && !errors[field]) errors[field] = messageFor(field, issue.message, issue.path);
  }
  return errors;
}

function messageFor(field: CharacterField, message: string, path: ReadonlyArray<PropertyKey>): string {
  if (field === 'triggerWords' && typeof path[1] === 'number') return `Trigger word ${path[1] + 1}: ${message}.`;
  if (field === 'lora' && path[1] === 'strength') return 'The LoRA strength is a number from -100 to 100 (0.6 to 1 is usual).';
  if (field === 'description' && /too big|at most|<=/.test(message)) return 'The description is at most 4000 characters: keep the words that describe the look.';
  if (field === 'name' && /too big|at most|<=/.test(message)) return 'A name is at most 120 characters.';
  return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.');
}

/** The result of {@link patchOf}: what to send, or the errors to show. `patch` is empty when nothing changed. */
export type PatchResult = { ok: true; patch: CharacterPatch } | { ok: false; errors: CharacterFieldErrors };

/**
 * The change to save: only the fields that differ from `base` (the character as shown; null for a new one, where
 * every field with a value is sent). In the project's scope a name is never sent (a project cannot rename a
 * library character), so the override names only what this project replaces.
 */
export function patchOf(d: CharacterDraft, base: CharacterView | null, scope: 'library' | 'project'): PatchResult {
  const errors = validateDraft(d);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const f = fieldsOf(d);
  const patch: CharacterPatch = {};
  if (!base) {
    patch.name = f.name;
    if (f.description) patch.description = f.description;
    if (f.lora) patch.lora = f.lora;
    if (f.triggerWords.length) patch.triggerWords = f.triggerWords;
    if (f.referenceWeight !== DEFAULT_REFERENCE_WEIGHT) patch.referenceWeight = f.referenceWeight;
    return { ok: true, patch };
  }
  if (scope === 'library' && f.name !== base.name) patch.name = f.name;
  if (f.description !== base.description.trim()) patch.description = f.description;
  if (JSON.stringify(f.lora) !== JSON.stringify(base.lora)) patch.lora = f.lora;
  if (JSON.stringify(f.triggerWords) !== JSON.stringify(base.triggerWords)) patch.triggerWords = f.triggerWords;
  if (f.referenceWeight !== base.referenceWeight) patch.referenceWeight = f.referenceWeight;
  return { ok: true, patch };
}

/** Whether the draft differs from the character shown (a new character: whether anything was typed). */
export function isDirty(d: CharacterDraft, base: CharacterView | null): boolean {
  return JSON.stringify(fieldsOf(d)) !== JSON.stringify(fieldsOf(draftOf(base)));
}

/** The fields this project overrides (in editor order), from the view's `override`. */
export function overriddenFields(view: Pick<CharacterView, 'override'>): CharacterField[] {
  const o = view.override;
  if (!o) return [];
  const order: CharacterField[] = ['description', 'lora', 'triggerWords', 'referenceWeight'];
  return order.filter((k) => k in o && (o as Record<string, unknown>)[k] !== undefined);
}

/** Names of the editor's fields for sentences ("Overrides the description and LoRA"). */
export const FIELD_LABELS: Record<CharacterField, string> = {
  name: 'name',
  description: 'description',
  lora: 'LoRA',
  triggerWords: 'trigger words',
  referenceWeight: 'reference weight',
};

/** "the description", "the description and LoRA", "the description, LoRA and trigger words". */
export function listFields(fields: readonly CharacterField[]): string {
  const words = fields.map((f) => FIELD_LABELS[f]);
  if (words.length === 0) return 'nothing';
  if (words.length === 1) return `the ${words[0]}`;
  return `the ${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * Trigger words typed or pasted as text: split at commas and new lines, trimmed, empty ones dropped, and those
 * already in `existing` (compared without case) or repeated left out.
 */
export function parseTriggerWords(text: string, existing: readonly string[] = []): string[] {
  const seen = new Set(existing.map((w) => w.toLowerCase()));
  const out: string[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const w = raw.trim().replace(/\s+/g, ' ');
    if (!w || seen.has(w.toLowerCase())) continue;
    seen.add(w.toLowerCase());
    out.push(w);
  }
  return out;
}

/** "in 12 shots", "in 1 shot", "in no shot". */
export function usageText(shotCount: number): string {
  return shotCount === 0 ? 'in no shot' : shotCount === 1 ? 'in 1 shot' : `in ${shotCount} shots`;
}

/** Up to two initials of a name for a card without pictures: `CYBER BOB` -> `CB`, `Margaret` -> `M`. */
export function initials(name: string): string {
  const words = name.trim().split(/[\s_-]+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

/** A strength or weight for people: two decimals without trailing zeros (`0.8`, `1`, `0.65`). */
export function formatStrength(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The LoRA file's name without folders and `.safetensors`, for chips: `chars/bob_v2.safetensors` -> `bob_v2`. */
export function loraLabel(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.(safetensors|ckpt|pt|bin)$/i, '');
}

/** The characters split for the view: the script's (of this project) and the library's others, each by name. */
export function groupCharacters<T extends Pick<CharacterView, 'name' | 'fromScript'>>(list: readonly T[], filter = ''): { script: T[]; library: T[] } {
  const q = filter.trim().toLowerCase();
  const wanted = q ? list.filter((c) => c.name.toLowerCase().includes(q)) : [...list];
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
  return { script: wanted.filter((c) => c.fromScript).sort(byName), library: wanted.filter((c) => !c.fromScript).sort(byName) };
}

/** Whether two names are the same character (the core compares them without case). */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
