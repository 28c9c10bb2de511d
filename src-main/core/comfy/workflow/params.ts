/**
 * The parameters a workflow can be given (prompt, seed, steps, size, checkpoint, LoRAs...), their names as
 * mapping files may spell them, and their zod schemas. Ranges follow ComfyUI's node definitions
 * (comfyanonymous/ComfyUI `nodes.py`: KSampler seed 0..0xffffffffffffffff, steps 1..10000, cfg 0..100,
 * EmptyLatentImage width/height 16..MAX_RESOLUTION (16384) in steps of 8, LoraLoader strengths -100..100).
 */
import { z } from 'zod';

/**
 * Every parameter the binder can place by structure, in the order reports list them. `loras` is handled
 * apart (it may add nodes); see `bindWorkflow`.
 */
export const PARAM_NAMES = [
  'prompt',
  'negativePrompt',
  'seed',
  'steps',
  'cfg',
  'samplerName',
  'scheduler',
  'denoise',
  'guidance',
  'widthPx',
  'heightPx',
  'batchSize',
  'lengthFrames',
  'frameRate',
  'checkpoint',
  'referenceImage',
  'filenamePrefix',
] as const;

/** A parameter bound to node inputs. */
export type ParamName = (typeof PARAM_NAMES)[number];

/**
 * Names a hand-written mapping file may use for a parameter, besides the names above: ComfyUI's own input
 * names (`negative`, `width`, `sampler_name`, `ckpt_name`, `image`, `fps`...).
 */
export const PARAM_ALIASES: Readonly<Record<string, ParamName | 'loras'>> = {
  positive: 'prompt',
  negative: 'negativePrompt',
  negative_prompt: 'negativePrompt',
  noise_seed: 'seed',
  sampler_name: 'samplerName',
  sampler: 'samplerName',
  width: 'widthPx',
  height: 'heightPx',
  batch_size: 'batchSize',
  length: 'lengthFrames',
  frames: 'lengthFrames',
  fps: 'frameRate',
  frame_rate: 'frameRate',
  ckpt_name: 'checkpoint',
  unet_name: 'checkpoint',
  model: 'checkpoint',
  image: 'referenceImage',
  filename_prefix: 'filenamePrefix',
  lora: 'loras',
};

/** The canonical name of a parameter spelled `name` in a mapping file, or null if it names none. */
export function canonicalParamName(name: string): ParamName | 'loras' | null {
  if ((PARAM_NAMES as readonly string[]).includes(name) || name === 'loras') return name as ParamName | 'loras';
  return PARAM_ALIASES[name] ?? null;
}

/** One LoRA to apply: the file name as the server lists it in `loras/`, and its strengths. */
export const LoraSpecSchema = z.strictObject({
  name: z.string().min(1, 'a LoRA needs the file name the server lists (e.g. "film_grain.safetensors")'),
  /** Strength on the diffusion model; 1 by default. */
  strengthModel: z.number().min(-100).max(100).default(1),
  /** Strength on the text encoder; the model strength when left out. Ignored by LoraLoaderModelOnly. */
  strengthClip: z.number().min(-100).max(100).optional(),
});
/** One LoRA as given by a caller (strengths optional). */
export type LoraSpecInput = z.input<typeof LoraSpecSchema>;
/** One LoRA with its model strength settled. */
export type LoraSpec = z.output<typeof LoraSpecSchema>;

/** A generation frame rate as an exact rational `num/den` frames per second (16/1 for Wan, 24000/1001...). */
export const GenerationFrameRateSchema = z.strictObject({ num: z.number().int().positive(), den: z.number().int().positive() });
/** See {@link GenerationFrameRateSchema}. */
export type GenerationFrameRate = z.infer<typeof GenerationFrameRateSchema>;

const sidePx = z
  .number()
  .int()
  .min(16)
  .max(16384)
  .refine((v) => v % 8 === 0, { message: 'must be a multiple of 8 pixels (latents are 1/8 of the image)' });

/**
 * Parameters for `bindWorkflow`; every one optional (only those given are written).
 * Units: `widthPx`/`heightPx` pixels, `lengthFrames` frames of the generated clip, `frameRate` frames per second.
 */
export const WorkflowParamsSchema = z.strictObject({
  prompt: z.string().optional(),
  negativePrompt: z.string().optional(),
  /** 0..2^53-1 (ComfyUI takes up to 2^64-1; JavaScript numbers are exact to 2^53). */
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  steps: z.number().int().min(1).max(10000).optional(),
  cfg: z.number().min(0).max(100).optional(),
  samplerName: z.string().min(1).optional(),
  scheduler: z.string().min(1).optional(),
  /** 0..1: how much of the start latent is replaced (1 for text-to-image). */
  denoise: z.number().min(0).max(1).optional(),
  /** Flux-style distilled guidance (FluxGuidance), 0..100. */
  guidance: z.number().min(0).max(100).optional(),
  widthPx: sidePx.optional(),
  heightPx: sidePx.optional(),
  batchSize: z.number().int().min(1).max(4096).optional(),
  lengthFrames: z.number().int().min(1).max(16384).optional(),
  frameRate: GenerationFrameRateSchema.optional(),
  /** The model file: `ckpt_name` of CheckpointLoaderSimple or `unet_name` of UNETLoader. */
  checkpoint: z.string().min(1).optional(),
  /** A file in the server's input folder (as `/upload/image` named it), for LoadImage. */
  referenceImage: z.string().min(1).optional(),
  filenamePrefix: z.string().min(1).optional(),
  /** The LoRAs the result should have, in order (replaces the workflow's own LoRA chain). */
  loras: z.array(LoraSpecSchema).optional(),
});
/** Parameters as a caller gives them. */
export type WorkflowParams = z.input<typeof WorkflowParamsSchema>;
