/**
 * Delivery resolution presets for a new project, and the frame-rate choices as select values.
 */
import { SUPPORTED_FRAME_RATES, type FrameRate } from '../../../src-preload/model';

/** A named delivery resolution in pixels. */
export interface ResolutionPreset {
  id: string;
  label: string;
  widthPx: number;
  heightPx: number;
}

/** The presets the New project dialog offers (Custom… is added by the dialog). */
export const RESOLUTION_PRESETS: ReadonlyArray<ResolutionPreset> = [
  { id: 'hd', label: 'HD 1920 × 1080 (16:9)', widthPx: 1920, heightPx: 1080 },
  { id: 'uhd', label: 'UHD 3840 × 2160 (16:9)', widthPx: 3840, heightPx: 2160 },
  { id: 'scope', label: 'Scope 2048 × 858 (2.39:1)', widthPx: 2048, heightPx: 858 },
  { id: 'vertical', label: 'Vertical 1080 × 1920 (9:16)', widthPx: 1080, heightPx: 1920 },
];

/** `24000/1001` for a rate: the value of a frame-rate <option>. */
export function frameRateValue(rate: FrameRate): string {
  return `${rate.num}/${rate.den}`;
}

/** The supported rate for an <option> value. @throws Error for a value that is not one of SUPPORTED_FRAME_RATES. */
export function frameRateFromValue(value: string): FrameRate {
  const found = SUPPORTED_FRAME_RATES.find((r) => frameRateValue(r) === value);
  if (!found) throw new Error(`${value} is not a supported frame rate: pick one from the list`);
  return { num: found.num, den: found.den };
}

/** The label of a rate as the menus show it (`23.976 (24000/1001)`). */
export function frameRateLabel(rate: FrameRate): string {
  return SUPPORTED_FRAME_RATES.find((r) => r.num * rate.den === rate.num * r.den)?.label ?? `${rate.num}/${rate.den}`;
}

/** Greatest common divisor of two whole numbers. */
function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The aspect ratio of a size as people say it: 1920x1080 -> `16:9`, 1080x1920 -> `9:16`, 2048x858 -> `2.39:1`
 * (ratios whose reduced terms exceed 32 are written as a decimal to one). Empty for sizes that are not positive.
 */
export function aspectLabel(widthPx: number, heightPx: number): string {
  if (!(widthPx > 0) || !(heightPx > 0) || !Number.isInteger(widthPx) || !Number.isInteger(heightPx)) return '';
  const g = gcd(widthPx, heightPx);
  const w = widthPx / g;
  const h = heightPx / g;
  return w <= 32 && h <= 32 ? `${w}:${h}` : `${(widthPx / heightPx).toFixed(2)}:1`;
}
