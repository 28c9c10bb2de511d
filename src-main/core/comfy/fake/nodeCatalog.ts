/**
 * The node classes the ComfyUI test double knows: their `/object_info` definitions (shapes as ComfyUI 0.3.64
 * serves them; EmptyImage, LoadImage and SaveImage match `testdata/recorded/object_info_*.json` exactly, the
 * others follow ComfyUI's `nodes.py`) and a cheap simulation of what each does. Images are solid colours
 * (`FakeImage`), so a whole SD 1.5 graph "runs" in milliseconds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { invertRgb, mixRgb, rgbFromInt, rgbFromSeed, type Rgb } from './images.ts';

/** `[type, options]` as in `object_info`: type is a name (`"INT"`, `"IMAGE"`) or a list of choices. */
export type InputSpec = [string | string[]] | [string | string[], Record<string, unknown>];

/** Inputs of a class, by category, in ComfyUI's order. */
export interface InputTypes {
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
  hidden?: Record<string, string>;
}

/** What the input lists depend on: the server's model folders and its input folder. */
export interface CatalogEnv {
  /** Model file names by ComfyUI folder name (`checkpoints`, `loras`, `vae`, `upscale_models`, ...). */
  models: Record<string, string[]>;
  /** Image files at the top of the input folder, sorted (LoadImage's choices). */
  inputImages(): string[];
  /** Absolute path of an input-folder file (`"sub/name.png"` or `"name.png [input]"`), or null if absent. */
  inputImagePath(name: string): string | null;
}

/** A simulated IMAGE batch: every image is one solid colour. */
export interface FakeImage {
  kind: 'IMAGE';
  widthPx: number;
  heightPx: number;
  batch: number;
  colour: Rgb;
}

/** A simulated LATENT batch (pixel size; colour is null until something sampled it). */
export interface FakeLatent {
  kind: 'LATENT';
  widthPx: number;
  heightPx: number;
  batch: number;
  colour: Rgb | null;
}

/** An image file a node wrote, as ComfyUI reports it in `executed` and `/history`. */
export interface ImageFileRef {
  filename: string;
  subfolder: string;
  type: 'output' | 'temp' | 'input';
}

/** Thrown by a node to fail the run with `execution_error` (message and type as Python would report them). */
export class NodeRuntimeError extends Error {
  constructor(
    message: string,
    readonly exceptionType = 'Exception',
    readonly traceback: string[] = [],
  ) {
    super(message);
    this.name = 'NodeRuntimeError';
  }
}

/** What the executor lends a running node. */
export interface NodeRunContext {
  promptId: string;
  nodeId: string;
  /** The whole API graph (hidden input PROMPT). */
  prompt: Record<string, unknown>;
  /** `extra_data.extra_pnginfo` (hidden input EXTRA_PNGINFO), if the client sent one. */
  extraPngInfo: Record<string, unknown> | undefined;
  /**
   * One sampling step finished: waits the server's `speed`, throws when interrupted, then reports progress
   * (`progress_state`, `progress`) and, when `preview` is given, a preview frame of that colour and size.
   */
  step(value: number, max: number, preview?: { colour: Rgb; widthPx: number; heightPx: number }): Promise<void>;
  /** Writes the batch as PNG files; `type` output (SaveImage) or temp (PreviewImage). */
  saveImages(images: FakeImage, filenamePrefix: string, type: 'output' | 'temp'): Promise<ImageFileRef[]>;
  env: CatalogEnv;
}

/** A node's result: its output values by slot, and the UI dict (`{images:[...]}`) for output nodes. */
export interface NodeResult {
  outputs: unknown[];
  ui?: Record<string, unknown>;
}

/** One node class: its definition (as `/object_info` shows it) and its simulation. */
export interface NodeClassDef {
  name: string;
  displayName: string;
  category: string;
  description: string;
  pythonModule: string;
  outputNode: boolean;
  output: string[];
  outputName?: string[];
  outputTooltips?: string[];
  inputTypes(env: CatalogEnv): InputTypes;
  /** Inputs checked by the class's own VALIDATE_INPUTS (ComfyUI then skips the min/max/list checks for them). */
  validateInputNames?: string[];
  /** VALIDATE_INPUTS: true, or the text ComfyUI puts after "input - ". */
  validate?(inputs: Record<string, unknown>, env: CatalogEnv): true | string;
  /** IS_CHANGED: a value mixed into the cache signature (LoadImage: the file's hash). */
  isChanged?(inputs: Record<string, unknown>, env: CatalogEnv): string;
  run(inputs: Record<string, unknown>, ctx: NodeRunContext): Promise<NodeResult>;
}

const MAX_RESOLUTION = 16384;
const GREY: Rgb = { r: 128, g: 128, b: 128 };

/** ComfyUI 0.3.64's sampler names (`comfy.samplers.KSampler.SAMPLERS`). */
export const SAMPLER_NAMES = [
  'euler', 'euler_cfg_pp', 'euler_ancestral', 'euler_ancestral_cfg_pp', 'heun', 'heunpp2', 'dpm_2', 'dpm_2_ancestral',
  'lms', 'dpm_fast', 'dpm_adaptive', 'dpmpp_2s_ancestral', 'dpmpp_2s_ancestral_cfg_pp', 'dpmpp_sde', 'dpmpp_sde_gpu',
  'dpmpp_2m', 'dpmpp_2m_cfg_pp', 'dpmpp_2m_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m_sde_heun', 'dpmpp_2m_sde_heun_gpu',
  'dpmpp_3m_sde', 'dpmpp_3m_sde_gpu', 'ddpm', 'lcm', 'ipndm', 'ipndm_v', 'deis', 'res_multistep',
  'res_multistep_cfg_pp', 'res_multistep_ancestral', 'res_multistep_ancestral_cfg_pp', 'gradient_estimation',
  'gradient_estimation_cfg_pp', 'er_sde', 'seeds_2', 'seeds_3', 'sa_solver', 'sa_solver_pece', 'ddim', 'uni_pc',
  'uni_pc_bh2',
];

/** ComfyUI 0.3.64's scheduler names (`comfy.samplers.KSampler.SCHEDULERS`). */
export const SCHEDULER_NAMES = [
  'simple', 'sgm_uniform', 'karras', 'exponential', 'ddim_uniform', 'beta', 'normal', 'linear_quadratic', 'kl_optimal',
];

function asImage(value: unknown, what: string): FakeImage {
  const image = value as FakeImage | undefined;
  if (!image || image.kind !== 'IMAGE') throw new NodeRuntimeError(`${what} is not an IMAGE`, 'TypeError');
  return image;
}

function asLatent(value: unknown, what: string): FakeLatent {
  const latent = value as FakeLatent | undefined;
  if (!latent || latent.kind !== 'LATENT') throw new NodeRuntimeError(`${what} is not a LATENT`, 'TypeError');
  return latent;
}

function toInt(value: unknown): number {
  return Math.trunc(Number(value));
}

const IMAGE_OUTPUT_INPUTS: InputTypes = {
  required: { images: ['IMAGE', { tooltip: 'The images to save.' }] },
  hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' },
};

/** Preview frame size for a sampled latent: latent resolution (1/8), at least 8 px, at most 512 px. */
function previewSize(latent: FakeLatent): { widthPx: number; heightPx: number } {
  const clamp = (px: number): number => Math.max(8, Math.min(512, Math.round(px / 8)));
  return { widthPx: clamp(latent.widthPx), heightPx: clamp(latent.heightPx) };
}

/** Steps of a sampler-like node, reporting each and previewing the colour as it "emerges". */
async function sample(ctx: NodeRunContext, steps: number, latent: FakeLatent, target: Rgb, withPreview: boolean): Promise<void> {
  const start = latent.colour ?? GREY;
  const size = previewSize(latent);
  for (let value = 1; value <= steps; value += 1) {
    const preview = withPreview ? { colour: mixRgb(start, target, value / steps), ...size } : undefined;
    await ctx.step(value, steps, preview);
  }
}

const CATALOG: NodeClassDef[] = [
  {
    name: 'EmptyImage',
    displayName: 'EmptyImage',
    category: 'image',
    description: '',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['IMAGE'],
    inputTypes: () => ({
      required: {
        width: ['INT', { default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }],
        height: ['INT', { default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
        color: ['INT', { default: 0, min: 0, max: 0xffffff, step: 1, display: 'color' }],
      },
    }),
    run: async (inputs) => ({
      outputs: [
        {
          kind: 'IMAGE',
          widthPx: toInt(inputs.width),
          heightPx: toInt(inputs.height),
          batch: toInt(inputs.batch_size),
          colour: rgbFromInt(toInt(inputs.color)),
        } satisfies FakeImage,
      ],
    }),
  },
  {
    name: 'ImageInvert',
    displayName: 'Invert Image',
    category: 'image',
    description: '',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['IMAGE'],
    inputTypes: () => ({ required: { image: ['IMAGE'] } }),
    run: async (inputs) => {
      const image = asImage(inputs.image, 'image');
      return { outputs: [{ ...image, colour: invertRgb(image.colour) }] };
    },
  },
  {
    name: 'ImageScale',
    displayName: 'Upscale Image',
    category: 'image/upscaling',
    description: '',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['IMAGE'],
    inputTypes: () => ({
      required: {
        image: ['IMAGE'],
        upscale_method: [['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']],
        width: ['INT', { default: 512, min: 0, max: MAX_RESOLUTION, step: 1 }],
        height: ['INT', { default: 512, min: 0, max: MAX_RESOLUTION, step: 1 }],
        crop: [['disabled', 'center']],
      },
    }),
    run: async (inputs) => {
      const image = asImage(inputs.image, 'image');
      let widthPx = toInt(inputs.width);
      let heightPx = toInt(inputs.height);
      if (widthPx === 0 && heightPx === 0) return { outputs: [image] };
      if (widthPx === 0) widthPx = Math.max(1, Math.round((image.widthPx * heightPx) / image.heightPx));
      if (heightPx === 0) heightPx = Math.max(1, Math.round((image.heightPx * widthPx) / image.widthPx));
      return { outputs: [{ ...image, widthPx, heightPx }] };
    },
  },
  {
    name: 'LoadImage',
    displayName: 'Load Image',
    category: 'image',
    description: '',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['IMAGE', 'MASK'],
    inputTypes: (env) => ({ required: { image: [env.inputImages(), { image_upload: true }] } }),
    validateInputNames: ['image'],
    validate: (inputs, env) =>
      env.inputImagePath(String(inputs.image)) ? true : `Invalid image file: ${String(inputs.image)}`,
    isChanged: (inputs, env) => {
      const path = env.inputImagePath(String(inputs.image));
      return path ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing';
    },
    run: async (inputs, ctx) => {
      const path = ctx.env.inputImagePath(String(inputs.image));
      if (!path) throw new NodeRuntimeError(`[Errno 2] No such file or directory: '${String(inputs.image)}'`, 'FileNotFoundError');
      const bytes = await readFile(path);
      const [meta, stats] = await Promise.all([sharp(bytes).metadata(), sharp(bytes).stats()]);
      const mean = (index: number): number => Math.round(stats.channels[Math.min(index, stats.channels.length - 1)].mean);
      const image: FakeImage = {
        kind: 'IMAGE',
        widthPx: meta.width ?? 1,
        heightPx: meta.height ?? 1,
        batch: 1,
        colour: { r: mean(0), g: mean(1), b: mean(2) },
      };
      return { outputs: [image, { kind: 'MASK', widthPx: image.widthPx, heightPx: image.heightPx }] };
    },
  },
  {
    name: 'SaveImage',
    displayName: 'Save Image',
    category: 'image',
    description: 'Saves the input images to your ComfyUI output directory.',
    pythonModule: 'nodes',
    outputNode: true,
    output: [],
    inputTypes: () => ({
      required: {
        images: ['IMAGE', { tooltip: 'The images to save.' }],
        filename_prefix: [
          'STRING',
          {
            default: 'ComfyUI',
            tooltip:
              'The prefix for the file to save. This may include formatting information such as %date:yyyy-MM-dd% or %Empty Latent Image.width% to include values from nodes.',
          },
        ],
      },
      hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' },
    }),
    run: async (inputs, ctx) => {
      const images = asImage(inputs.images, 'images');
      const refs = await ctx.saveImages(images, String(inputs.filename_prefix ?? 'ComfyUI'), 'output');
      return { outputs: [], ui: { images: refs } };
    },
  },
  {
    name: 'PreviewImage',
    displayName: 'Preview Image',
    category: 'image',
    description: 'Saves the input images to your ComfyUI output directory.',
    pythonModule: 'nodes',
    outputNode: true,
    output: [],
    inputTypes: () => IMAGE_OUTPUT_INPUTS,
    run: async (inputs, ctx) => {
      const images = asImage(inputs.images, 'images');
      const letters = Array.from({ length: 5 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
      const refs = await ctx.saveImages(images, `ComfyUI_temp_${letters}`, 'temp');
      return { outputs: [], ui: { images: refs } };
    },
  },
  {
    // The recording server's probe node. Its `delay` input is validated, but the double's `speed` sets the pace.
    name: 'ProbeSlowPassthrough',
    displayName: 'ProbeSlowPassthrough',
    category: 'testing',
    description: '',
    pythonModule: 'custom_nodes.comfyprobe_slow',
    outputNode: false,
    output: ['IMAGE'],
    inputTypes: () => ({
      required: {
        image: ['IMAGE'],
        steps: ['INT', { default: 10, min: 1, max: 10000 }],
        delay: ['FLOAT', { default: 0.1, min: 0.0, max: 10.0, step: 0.01 }],
      },
    }),
    run: async (inputs, ctx) => {
      const steps = toInt(inputs.steps);
      for (let value = 1; value <= steps; value += 1) await ctx.step(value, steps);
      return { outputs: [asImage(inputs.image, 'image')] };
    },
  },
  {
    name: 'CheckpointLoaderSimple',
    displayName: 'Load Checkpoint',
    category: 'loaders',
    description: 'Loads a diffusion model checkpoint, diffusion models are used to denoise latents.',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['MODEL', 'CLIP', 'VAE'],
    outputTooltips: [
      'The model used for denoising latents.',
      'The CLIP model used for encoding text prompts.',
      'The VAE model used for encoding and decoding images to and from latent space.',
    ],
    inputTypes: (env) => ({
      required: { ckpt_name: [env.models.checkpoints ?? [], { tooltip: 'The name of the checkpoint (model) to load.' }] },
    }),
    run: async (inputs) => {
      const name = String(inputs.ckpt_name);
      return { outputs: [{ kind: 'MODEL', name }, { kind: 'CLIP', name }, { kind: 'VAE', name }] };
    },
  },
  {
    name: 'LoraLoader',
    displayName: 'Load LoRA',
    category: 'loaders',
    description:
      'LoRAs are used to modify diffusion and CLIP models, altering the way in which latents are denoised such as applying styles. Multiple LoRA nodes can be linked together.',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['MODEL', 'CLIP'],
    outputTooltips: ['The modified diffusion model.', 'The modified CLIP model.'],
    inputTypes: (env) => ({
      required: {
        model: ['MODEL', { tooltip: 'The diffusion model the LoRA will be applied to.' }],
        clip: ['CLIP', { tooltip: 'The CLIP model the LoRA will be applied to.' }],
        lora_name: [env.models.loras ?? [], { tooltip: 'The name of the LoRA.' }],
        strength_model: ['FLOAT', { default: 1.0, min: -100.0, max: 100.0, step: 0.01, tooltip: 'How strongly to modify the diffusion model. This value can be negative.' }],
        strength_clip: ['FLOAT', { default: 1.0, min: -100.0, max: 100.0, step: 0.01, tooltip: 'How strongly to modify the CLIP model. This value can be negative.' }],
      },
    }),
    run: async (inputs) => ({ outputs: [inputs.model, inputs.clip] }),
  },
  {
    name: 'VAELoader',
    displayName: 'Load VAE',
    category: 'loaders',
    description: '',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['VAE'],
    inputTypes: (env) => ({ required: { vae_name: [env.models.vae ?? []] } }),
    run: async (inputs) => ({ outputs: [{ kind: 'VAE', name: String(inputs.vae_name) }] }),
  },
  {
    name: 'UpscaleModelLoader',
    displayName: 'Load Upscale Model',
    category: 'loaders',
    description: '',
    pythonModule: 'comfy_extras.nodes_upscale_model',
    outputNode: false,
    output: ['UPSCALE_MODEL'],
    inputTypes: (env) => ({ required: { model_name: [env.models.upscale_models ?? []] } }),
    run: async (inputs) => {
      const name = String(inputs.model_name);
      const scale = Number(/(\d+)x/i.exec(name)?.[1] ?? /x(\d+)/i.exec(name)?.[1] ?? 4);
      return { outputs: [{ kind: 'UPSCALE_MODEL', name, scale }] };
    },
  },
  {
    name: 'ImageUpscaleWithModel',
    displayName: 'Upscale Image (using Model)',
    category: 'image/upscaling',
    description: '',
    pythonModule: 'comfy_extras.nodes_upscale_model',
    outputNode: false,
    output: ['IMAGE'],
    inputTypes: () => ({ required: { upscale_model: ['UPSCALE_MODEL'], image: ['IMAGE'] } }),
    run: async (inputs, ctx) => {
      const image = asImage(inputs.image, 'image');
      const scale = (inputs.upscale_model as { scale?: number } | undefined)?.scale ?? 4;
      await ctx.step(1, 1);
      return { outputs: [{ ...image, widthPx: image.widthPx * scale, heightPx: image.heightPx * scale }] };
    },
  },
  {
    name: 'EmptyLatentImage',
    displayName: 'Empty Latent Image',
    category: 'latent',
    description: 'Create a new batch of empty latent images to be denoised via sampling.',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['LATENT'],
    outputTooltips: ['The empty latent image batch.'],
    inputTypes: () => ({
      required: {
        width: ['INT', { default: 512, min: 16, max: MAX_RESOLUTION, step: 8, tooltip: 'The width of the latent images in pixels.' }],
        height: ['INT', { default: 512, min: 16, max: MAX_RESOLUTION, step: 8, tooltip: 'The height of the latent images in pixels.' }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096, tooltip: 'The number of latent images in the batch.' }],
      },
    }),
    run: async (inputs) => ({
      outputs: [
        {
          kind: 'LATENT',
          widthPx: toInt(inputs.width),
          heightPx: toInt(inputs.height),
          batch: toInt(inputs.batch_size),
          colour: null,
        } satisfies FakeLatent,
      ],
    }),
  },
  {
    name: 'CLIPTextEncode',
    displayName: 'CLIP Text Encode (Prompt)',
    category: 'conditioning',
    description:
      'Encodes a text prompt using a CLIP model into an embedding that can be used to guide the diffusion model towards generating specific images.',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['CONDITIONING'],
    outputTooltips: ['A conditioning containing the embedded text used to guide the diffusion model.'],
    inputTypes: () => ({
      required: {
        text: ['STRING', { multiline: true, dynamicPrompts: true, tooltip: 'The text to be encoded.' }],
        clip: ['CLIP', { tooltip: 'The CLIP model used for encoding the text.' }],
      },
    }),
    run: async (inputs) => ({ outputs: [{ kind: 'CONDITIONING', text: String(inputs.text) }] }),
  },
  {
    name: 'KSampler',
    displayName: 'KSampler',
    category: 'sampling',
    description: 'Uses the provided model, positive and negative conditioning to denoise the latent image.',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['LATENT'],
    outputTooltips: ['The denoised latent.'],
    inputTypes: () => ({
      required: {
        model: ['MODEL', { tooltip: 'The model used for denoising the input latent.' }],
        seed: ['INT', { default: 0, min: 0, max: 0xffffffffffffffffn, control_after_generate: true, tooltip: 'The random seed used for creating the noise.' }],
        steps: ['INT', { default: 20, min: 1, max: 10000, tooltip: 'The number of steps used in the denoising process.' }],
        cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01, tooltip: 'The Classifier-Free Guidance scale balances creativity and adherence to the prompt. Higher values result in images more closely matching the prompt however too high values will negatively impact quality.' }],
        sampler_name: [SAMPLER_NAMES, { tooltip: 'The algorithm used when sampling, this can affect the quality, speed, and style of the generated output.' }],
        scheduler: [SCHEDULER_NAMES, { tooltip: 'The scheduler controls how noise is gradually removed to form the image.' }],
        positive: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes you want to include in the image.' }],
        negative: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes you want to exclude from the image.' }],
        latent_image: ['LATENT', { tooltip: 'The latent image to denoise.' }],
        denoise: ['FLOAT', { default: 1.0, min: 0.0, max: 1.0, step: 0.01, tooltip: 'The amount of denoising applied, lower values will maintain the structure of the initial image allowing for image to image sampling.' }],
      },
    }),
    run: async (inputs, ctx) => {
      const latent = asLatent(inputs.latent_image, 'latent_image');
      const steps = toInt(inputs.steps);
      const seedColour = rgbFromSeed(inputs.seed);
      const denoise = Number(inputs.denoise ?? 1);
      const target = latent.colour ? mixRgb(latent.colour, seedColour, denoise) : seedColour;
      await sample(ctx, steps, latent, target, true);
      return { outputs: [{ ...latent, colour: target } satisfies FakeLatent] };
    },
  },
  {
    name: 'VAEDecode',
    displayName: 'VAE Decode',
    category: 'latent',
    description: 'Decodes latent images back into pixel space images.',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['IMAGE'],
    outputTooltips: ['The decoded image.'],
    inputTypes: () => ({
      required: {
        samples: ['LATENT', { tooltip: 'The latent to be decoded.' }],
        vae: ['VAE', { tooltip: 'The VAE model used for decoding the latent.' }],
      },
    }),
    run: async (inputs) => {
      const latent = asLatent(inputs.samples, 'samples');
      const image: FakeImage = {
        kind: 'IMAGE',
        widthPx: latent.widthPx,
        heightPx: latent.heightPx,
        batch: latent.batch,
        colour: latent.colour ?? GREY,
      };
      return { outputs: [image] };
    },
  },
  {
    name: 'VAEEncode',
    displayName: 'VAE Encode',
    category: 'latent',
    description: '',
    pythonModule: 'nodes',
    outputNode: false,
    output: ['LATENT'],
    inputTypes: () => ({ required: { pixels: ['IMAGE'], vae: ['VAE'] } }),
    run: async (inputs) => {
      const image = asImage(inputs.pixels, 'pixels');
      const latent: FakeLatent = {
        kind: 'LATENT',
        widthPx: Math.floor(image.widthPx / 8) * 8,
        heightPx: Math.floor(image.heightPx / 8) * 8,
        batch: image.batch,
        colour: image.colour,
      };
      return { outputs: [latent] };
    },
  },
  // IP-Adapter, from the custom node pack cubiq/ComfyUI_IPAdapter_plus (IPAdapterPlus.py): input shapes as its
  // INPUT_TYPES declare them. The simulation passes the model on, marked with the reference pictures it received.
  {
    name: 'IPAdapterUnifiedLoader',
    displayName: 'IPAdapter Unified Loader',
    category: 'ipadapter',
    description: '',
    pythonModule: 'custom_nodes.ComfyUI_IPAdapter_plus',
    outputNode: false,
    output: ['MODEL', 'IPADAPTER'],
    outputName: ['model', 'ipadapter'],
    inputTypes: () => ({
      required: { model: ['MODEL'], preset: [IPADAPTER_PRESETS] },
      optional: { ipadapter: ['IPADAPTER'] },
    }),
    run: async (inputs) => ({ outputs: [inputs.model, { kind: 'IPADAPTER', preset: String(inputs.preset) }] }),
  },
  {
    name: 'IPAdapterAdvanced',
    displayName: 'IPAdapter Advanced',
    category: 'ipadapter',
    description: '',
    pythonModule: 'custom_nodes.ComfyUI_IPAdapter_plus',
    outputNode: false,
    output: ['MODEL'],
    inputTypes: () => ({
      required: {
        model: ['MODEL'],
        ipadapter: ['IPADAPTER'],
        image: ['IMAGE'],
        weight: ['FLOAT', { default: 1.0, min: -1, max: 5, step: 0.05 }],
        weight_type: [IPADAPTER_WEIGHT_TYPES],
        combine_embeds: [['concat', 'add', 'subtract', 'average', 'norm average']],
        start_at: ['FLOAT', { default: 0.0, min: 0.0, max: 1.0, step: 0.001 }],
        end_at: ['FLOAT', { default: 1.0, min: 0.0, max: 1.0, step: 0.001 }],
        embeds_scaling: [['V only', 'K+V', 'K+V w/ C penalty', 'K+mean(V) w/ C penalty']],
      },
      optional: { image_negative: ['IMAGE'], attn_mask: ['MASK'], clip_vision: ['CLIP_VISION'] },
    }),
    run: async (inputs) => {
      const model = inputs.model as Record<string, unknown>;
      const image = asImage(inputs.image, 'image');
      const references = [...((model.references as unknown[] | undefined) ?? []), { colour: image.colour, weight: Number(inputs.weight) }];
      return { outputs: [{ ...model, references }] };
    },
  },
];

/** IPAdapterUnifiedLoader's presets (ComfyUI_IPAdapter_plus). */
export const IPADAPTER_PRESETS = [
  'LIGHT - SD1.5 only (low strength)',
  'STANDARD (medium strength)',
  'VIT-G (medium strength)',
  'PLUS (high strength)',
  'PLUS FACE (portraits)',
  'FULL FACE - SD1.5 only (portraits stronger)',
];

/** IPAdapterAdvanced's weight types (ComfyUI_IPAdapter_plus `WEIGHT_TYPES`). */
export const IPADAPTER_WEIGHT_TYPES = [
  'linear', 'ease in', 'ease out', 'ease in-out', 'reverse in-out', 'weak input', 'weak output', 'weak middle',
  'strong middle', 'style transfer', 'composition', 'strong style transfer', 'style and composition',
  'style transfer precise', 'composition precise',
];

/** Every node class the double can offer, by name. */
export const NODE_CATALOG: ReadonlyMap<string, NodeClassDef> = new Map(CATALOG.map((def) => [def.name, def]));

/**
 * The `/object_info` entry of a class, in ComfyUI's key order:
 * `input, input_order, output, output_is_list, output_name, name, display_name, description, python_module,
 * category, output_node[, output_tooltips]`.
 */
export function objectInfoEntry(def: NodeClassDef, env: CatalogEnv): Record<string, unknown> {
  const types = def.inputTypes(env);
  const input: Record<string, unknown> = { required: types.required };
  const inputOrder: Record<string, string[]> = { required: Object.keys(types.required) };
  if (types.optional) {
    input.optional = types.optional;
    inputOrder.optional = Object.keys(types.optional);
  }
  if (types.hidden) {
    input.hidden = types.hidden;
    inputOrder.hidden = Object.keys(types.hidden);
  }
  const entry: Record<string, unknown> = {
    input,
    input_order: inputOrder,
    output: def.output,
    output_is_list: def.output.map(() => false),
    output_name: def.outputName ?? def.output,
    name: def.name,
    display_name: def.displayName,
    description: def.description,
    python_module: def.pythonModule,
    category: def.category,
    output_node: def.outputNode,
  };
  if (def.outputTooltips) entry.output_tooltips = def.outputTooltips;
  return entry;
}

/** A short stable hash, for cache signatures. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
