/**
 * What the inspector shows for several selected shots: a field's shared value, or "mixed" where they differ.
 */

export type Common<T> = { mixed: false; value: T } | { mixed: true };

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The value every item shares for a field, or `{ mixed: true }`. Arrays and objects compare by content.
 * @throws Error for an empty list (there is no value to show; callers render "no selection" instead).
 */
export function commonValue<S, T>(items: ReadonlyArray<S>, get: (item: S) => T): Common<T> {
  if (items.length === 0) throw new Error('commonValue needs at least one item: show the empty inspector instead');
  const first = get(items[0]);
  for (let i = 1; i < items.length; i++) if (!same(get(items[i]), first)) return { mixed: true };
  return { mixed: false, value: first };
}

/** Camera angle names for people. */
export const CAMERA_ANGLE_LABELS: Record<string, string> = {
  'eye-level': 'Eye level',
  high: 'High angle',
  low: 'Low angle',
  'birds-eye': "Bird's eye",
  'worms-eye': "Worm's eye",
  dutch: 'Dutch',
  ots: 'Over the shoulder',
  pov: 'POV',
};

/** Camera move names for people. */
export const CAMERA_MOVE_LABELS: Record<string, string> = {
  static: 'Static',
  pan: 'Pan',
  tilt: 'Tilt',
  'dolly-in': 'Dolly in',
  'dolly-out': 'Dolly out',
  truck: 'Truck',
  crane: 'Crane',
  handheld: 'Handheld',
  zoom: 'Zoom',
};

/** Shot size names for tooltips. */
export const SHOT_SIZE_LABELS: Record<string, string> = {
  EWS: 'Extreme wide shot',
  WS: 'Wide shot',
  MWS: 'Medium wide shot',
  MS: 'Medium shot',
  MCU: 'Medium close-up',
  CU: 'Close-up',
  ECU: 'Extreme close-up',
  INSERT: 'Insert',
};

/**
 * Parses a lens focal length typed by a person: `35`, `35mm`, `85 mm`, `` (clears it).
 * @throws Error when it is not a number of millimetres from above 0 to 2000.
 */
export function parseLensMm(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  const m = /^(\d+(?:\.\d+)?)\s*(mm)?$/.exec(t);
  const mm = m ? Number(m[1]) : NaN;
  if (!(mm > 0) || mm > 2000) throw new Error(`"${text.trim()}" is not a focal length: type millimetres, like 35 or 85mm`);
  return mm;
}
