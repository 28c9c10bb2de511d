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
