/**
 * The shot vocabulary in the words image and video models understand: shot size, camera angle, camera move and
 * lens. The words are those of captioned training sets (LAION-style photo captions, cinematography terms): "medium
 * close-up", "low angle", "Dutch angle", "85mm portrait lens". Pure data and functions (no Node, no DOM).
 */
import type { CameraAngle, CameraMove, ShotSize } from '../../../src-preload/model';

/** Shot sizes, widest to tightest, with the framing each implies. */
export const SHOT_SIZE_WORDS: Readonly<Record<ShotSize, string>> = {
  EWS: 'extreme wide shot, establishing shot, tiny figures in a vast landscape',
  WS: 'wide shot, full body',
  MWS: 'medium wide shot, knees up',
  MS: 'medium shot, waist up',
  MCU: 'medium close-up, chest up',
  CU: 'close-up, face fills the frame',
  ECU: 'extreme close-up, detail of the eyes',
  INSERT: 'insert shot, detail of an object',
};

/** Camera angles. */
export const CAMERA_ANGLE_WORDS: Readonly<Record<CameraAngle, string>> = {
  'eye-level': 'eye-level shot',
  high: 'high angle looking down',
  low: 'low angle looking up',
  'birds-eye': "bird's-eye view from directly above",
  'worms-eye': "worm's-eye view from the ground",
  dutch: 'Dutch angle, tilted horizon',
  ots: 'over-the-shoulder shot',
  pov: 'point-of-view shot',
};

/**
 * Camera moves for still images: words a still can show (blur, a panning shot's streaks) or that image models
 * pass over without harm. A static camera needs no words in a still.
 */
export const CAMERA_MOVE_IMAGE_WORDS: Readonly<Record<CameraMove, string>> = {
  static: '',
  pan: 'panning shot',
  tilt: 'tilting camera',
  'dolly-in': 'dynamic camera movement',
  'dolly-out': 'dynamic camera movement',
  truck: 'tracking shot',
  crane: 'crane shot',
  handheld: 'handheld camera, motion blur',
  zoom: 'zoom shot',
};

/** Camera moves for video models (Wan, LTX-Video, HunyuanVideo read motion from the prompt). */
export const CAMERA_MOVE_VIDEO_WORDS: Readonly<Record<CameraMove, string>> = {
  static: 'static camera, locked-off shot',
  pan: 'the camera pans slowly across the scene',
  tilt: 'the camera tilts slowly',
  'dolly-in': 'the camera dollies in toward the subject',
  'dolly-out': 'the camera dollies out, pulling back from the subject',
  truck: 'the camera trucks sideways alongside the subject',
  crane: 'crane shot, the camera rises above the scene',
  handheld: 'handheld camera, slight shake',
  zoom: 'the camera zooms in slowly',
};

/**
 * Words for a lens focal length (millimetres, 35 mm full-frame equivalent): under 20 ultra wide, to 30 wide-angle,
 * to 44 a 35mm, to 60 a 50mm (natural perspective), to 105 an 85mm portrait lens, to 200 telephoto, beyond super
 * telephoto.
 * @throws Error when `lensMm` is not a positive number.
 */
export function lensWords(lensMm: number): string {
  if (!(lensMm > 0)) throw new Error(`lensWords: a focal length is a positive number of millimetres, not ${lensMm}`);
  if (lensMm < 20) return 'ultra wide-angle lens, strong perspective distortion';
  if (lensMm <= 30) return 'wide-angle lens';
  if (lensMm <= 44) return '35mm lens, natural perspective';
  if (lensMm <= 60) return '50mm lens, natural perspective';
  if (lensMm <= 105) return '85mm portrait lens, shallow depth of field';
  if (lensMm <= 200) return 'telephoto lens, compressed perspective';
  return 'super telephoto lens, compressed perspective';
}

/**
 * The text encoder window of a model family, in tokens read at full weight, or null for a long-context encoder.
 * CLIP (SD 1.5, SDXL and its fine-tunes Pony and Illustrious) reads 77 tokens including its start and end tokens:
 * 75 of text. ComfyUI splits a longer prompt into further 75-token chunks that are encoded on their own, so words
 * past the first chunk lose their tie to the rest. Flux, HiDream, Qwen-Image, Wan, LTX-Video and HunyuanVideo
 * encode with T5 or a language model (256 to 512 tokens and more). An unknown family counts as CLIP.
 */
export function tokenWindow(family: string | null | undefined): number | null {
  if (!family) return CLIP_WINDOW_TOKENS;
  return LONG_CONTEXT_FAMILIES.has(family) ? null : CLIP_WINDOW_TOKENS;
}

/** CLIP's 77-token window less its start and end tokens. */
export const CLIP_WINDOW_TOKENS = 75;
/** The most action tokens kept for a long-context encoder: enough for a paragraph, not a page. */
export const LONG_CONTEXT_ACTION_TOKENS = 200;

const LONG_CONTEXT_FAMILIES = new Set(['flux_dev', 'flux_schnell', 'flux_pro', 'flux_krea', 'hidream', 'qwen_image', 'qwen_edit', 'wan_2_1', 'wan_2_2', 'ltx_video', 'hunyuan_video']);
const VIDEO_FAMILIES = new Set(['wan_2_1', 'wan_2_2', 'ltx_video', 'hunyuan_video']);

/** Whether a model family makes clips (its prompt then describes camera motion in full). */
export function isVideoFamily(family: string | null | undefined): boolean {
  return !!family && VIDEO_FAMILIES.has(family);
}

/**
 * An estimate of the CLIP BPE tokens of a text: a word of up to 7 letters or digits is about one token, longer
 * words about one per 6 characters, each punctuation mark one. Close enough to decide what fits a 75-token window;
 * the exact count needs the tokenizer's vocabulary, which the core does not ship.
 */
export function estimateTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)) {
    const t = m[0];
    n += /^[\p{L}\p{N}]/u.test(t) ? (t.length <= 7 ? 1 : Math.ceil(t.length / 6)) : 1;
  }
  return n;
}
