/**
 * The variations popover's form (VaryPopover.tsx): what the artist typed, turned into `take.vary` arguments
 * (src-preload/contract.ts: mode `new-seed` | `same-seed`, count 1..16, same-seed strength 0.05..1), and the
 * sentence that says what was queued.
 *
 * Pure: no DOM, no React.
 */
import type { MethodResult } from '../../../src-preload/contract';
import type { Take } from '../../../src-preload/model';

/** The most variations queued at once (the core's MAX_VARIATIONS). */
export const MAX_VARIATION_COUNT = 16;
/** The smallest and largest same-seed strength (largest denoise) the core takes. */
export const MIN_VARIATION_STRENGTH = 0.05;

/** What the form holds: the mode, and the count and strength as typed. */
export interface VaryDraft {
  mode: 'new-seed' | 'same-seed';
  count: string;
  /** same-seed only: the largest denoise, 0.05..1. */
  strength: string;
}

/** The form when it opens: 4 new seeds (same seed: strength 0.3, the core's default). */
export const DEFAULT_VARY_DRAFT: VaryDraft = { mode: 'new-seed', count: '4', strength: '0.3' };

/** take.vary's arguments without the project and take. */
export type VaryChoice = { mode: 'new-seed' | 'same-seed'; count: number; strength?: number };

/** The arguments of a valid draft, or the sentence that says what to fix. */
export function varyChoice(draft: VaryDraft): { ok: true; choice: VaryChoice } | { ok: false; error: string } {
  const count = Number(draft.count.trim());
  if (!draft.count.trim() || !Number.isInteger(count) || count < 1 || count > MAX_VARIATION_COUNT) {
    return { ok: false, error: `Ask for 1 to ${MAX_VARIATION_COUNT} variations, not "${draft.count}".` };
  }
  if (draft.mode === 'new-seed') return { ok: true, choice: { mode: 'new-seed', count } };
  const strength = Number(draft.strength.trim().replace(',', '.'));
  if (!draft.strength.trim() || !Number.isFinite(strength) || strength < MIN_VARIATION_STRENGTH || strength > 1) {
    return { ok: false, error: `The strength is between ${MIN_VARIATION_STRENGTH} and 1 (0.2 to 0.4 for small changes), not "${draft.strength}".` };
  }
  return { ok: true, choice: { mode: 'same-seed', count, strength } };
}

/**
 * Whether a take can be varied: only takes generated on a ComfyUI server (their job holds the workflow to repeat);
 * the reason otherwise, in words for the artist.
 */
export function canVary(take: Take): { ok: true } | { ok: false; reason: string } {
  if (take.source === 'generated') return { ok: true };
  return { ok: false, reason: 'Variations repeat a generation: this take was imported, so there is nothing to repeat. Generate the shot, then vary one of its takes.' };
}

/** The toast after take.vary: how many jobs were queued, and how the core made them differ. */
export function describeVaryResult(result: Pick<MethodResult<'take.vary'>, 'jobs' | 'method' | 'reason'>, shotNumber: string): string {
  const n = result.jobs.length;
  const what = `${n} variation${n === 1 ? '' : 's'} of shot ${shotNumber}`;
  const how =
    result.method === 'new-seed'
      ? 'new seeds'
      : result.method === 'same-seed-img2img'
        ? 'same seed, image to image from the take'
        : `same seed, neighbouring seeds${result.reason ? ` (${result.reason})` : ''}`;
  return `Queued ${what}: ${how}.`;
}
