/**
 * Model presets: for each model family a fast and a quality setting (steps, cfg, sampler, scheduler, size),
 * its LoRA limit, and model family detection from a checkpoint's file name. Artists keep their own presets
 * in `<configDir>/presets.json` through {@link PresetStore}; the built-in ones are read-only.
 *
 * Steps and sizes are the project's chosen values (fast/quality per family); cfg, sampler, scheduler,
 * guidance, frame rate and clip length follow each family's official example graph, cited per family below.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.ts';
import { type GenerationFrameRate, LoraSpecSchema, type LoraSpec } from './params.ts';

/** Every model family StoryCanvas has presets for. */
export const MODEL_FAMILIES = [
  'sd15',
  'sdxl',
  'pony',
  'illustrious',
  'flux_dev',
  'flux_schnell',
  'flux_pro',
  'flux_krea',
  'hidream',
  'qwen_image',
  'qwen_edit',
  'wan_2_1',
  'wan_2_2',
  'ltx_video',
  'hunyuan_video',
] as const;
/** A model family id (`flux_dev`, `wan_2_2`...). */
export type ModelFamily = (typeof MODEL_FAMILIES)[number];
/** zod schema of {@link ModelFamily}. */
export const ModelFamilySchema = z.enum(MODEL_FAMILIES);

/** The two built-in speeds of every family. */
export type PresetSpeed = 'fast' | 'quality';

/**
 * One generation setting. Field names are those of `WorkflowParams`, so a setting spreads straight into
 * `bindWorkflow`'s parameters. `guidance` only for families with distilled guidance (FluxGuidance).
 */
export interface GenerationSetting {
  steps: number;
  cfg: number;
  samplerName: string;
  scheduler: string;
  widthPx: number;
  heightPx: number;
  guidance?: number;
}

/** What StoryCanvas knows about one model family. */
export interface FamilyPreset {
  family: ModelFamily;
  /** Name shown to artists. */
  label: string;
  kind: 'image' | 'video';
  fast: GenerationSetting;
  quality: GenerationSetting;
  /** The most LoRAs a generation may stack on this family (0: none, e.g. API-only models). */
  loraLimit: number;
  /** The LoRA node the binder inserts: with the text encoder (`LoraLoader`) or the model only. */
  loraNode: 'LoraLoader' | 'LoraLoaderModelOnly';
  /** Whether the family has a refiner model (SDXL). */
  refiner: boolean;
  /** Largest width or height a setting may ask for, in pixels. */
  maxSidePx: number;
  /** Video families: default clip length and the frame rate the model was trained for. */
  lengthFrames?: number;
  frameRate?: GenerationFrameRate;
  /** The official example the cfg/sampler/scheduler come from. */
  source: string;
}

const square = (sidePx: number) => ({ widthPx: sidePx, heightPx: sidePx });

/** The built-in presets, one per family. */
export const FAMILY_PRESETS: Readonly<Record<ModelFamily, FamilyPreset>> = {
  // ComfyUI's default graph and ComfyUI_examples "txt2img": KSampler cfg 8, euler, normal, 512x512.
  sd15: {
    family: 'sd15',
    label: 'Stable Diffusion 1.5',
    kind: 'image',
    fast: { steps: 20, cfg: 8, samplerName: 'euler', scheduler: 'normal', ...square(512) },
    quality: { steps: 30, cfg: 8, samplerName: 'euler', scheduler: 'normal', ...square(512) },
    loraLimit: 5,
    loraNode: 'LoraLoader',
    refiner: false,
    maxSidePx: 1024,
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/ (default txt2img graph)',
  },
  // ComfyUI_examples/sdxl: base + refiner KSamplerAdvanced, cfg 8, euler, normal, 1024x1024.
  sdxl: {
    family: 'sdxl',
    label: 'SDXL',
    kind: 'image',
    fast: { steps: 15, cfg: 8, samplerName: 'euler', scheduler: 'normal', ...square(1024) },
    quality: { steps: 35, cfg: 8, samplerName: 'euler', scheduler: 'normal', ...square(1024) },
    loraLimit: 5,
    loraNode: 'LoraLoader',
    refiner: true,
    maxSidePx: 2048,
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/sdxl/',
  },
  // Pony Diffusion V6 XL model card (AstraliteHeart): Euler a, ~25 steps, 1024px, CLIP skip 2; cfg 7.
  pony: {
    family: 'pony',
    label: 'Pony Diffusion (SDXL)',
    kind: 'image',
    fast: { steps: 12, cfg: 7, samplerName: 'euler_ancestral', scheduler: 'normal', ...square(1024) },
    quality: { steps: 28, cfg: 7, samplerName: 'euler_ancestral', scheduler: 'normal', ...square(1024) },
    loraLimit: 5,
    loraNode: 'LoraLoader',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://civitai.com/models/257749 (Pony Diffusion V6 XL, recommended settings)',
  },
  // Illustrious-XL model card (OnomaAI): Euler a, 20-28 steps, CFG 5-7.5; we take 6.
  illustrious: {
    family: 'illustrious',
    label: 'Illustrious XL',
    kind: 'image',
    fast: { steps: 15, cfg: 6, samplerName: 'euler_ancestral', scheduler: 'normal', ...square(1024) },
    quality: { steps: 30, cfg: 6, samplerName: 'euler_ancestral', scheduler: 'normal', ...square(1024) },
    loraLimit: 5,
    loraNode: 'LoraLoader',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://huggingface.co/OnomaAIResearch/Illustrious-xl-early-release-v0',
  },
  // ComfyUI_examples/flux "flux_dev_example": SamplerCustomAdvanced, euler, simple, FluxGuidance 3.5, cfg 1.
  flux_dev: {
    family: 'flux_dev',
    label: 'Flux.1 [dev]',
    kind: 'image',
    fast: { steps: 8, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 3.5, ...square(1024) },
    quality: { steps: 28, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 3.5, ...square(1024) },
    loraLimit: 3,
    loraNode: 'LoraLoader',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/flux/',
  },
  // ComfyUI_examples/flux "flux_schnell_example": 4 steps, cfg 1, euler, simple (schnell ignores guidance).
  flux_schnell: {
    family: 'flux_schnell',
    label: 'Flux.1 [schnell]',
    kind: 'image',
    fast: { steps: 4, cfg: 1, samplerName: 'euler', scheduler: 'simple', ...square(1024) },
    quality: { steps: 8, cfg: 1, samplerName: 'euler', scheduler: 'simple', ...square(1024) },
    loraLimit: 3,
    loraNode: 'LoraLoader',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/flux/',
  },
  // Flux Pro weights are served by Black Forest Labs' API (ComfyUI's BFL API nodes), up to 2048 px; no LoRAs.
  // Local graphs named "pro" are sampled like dev (cfg 1, euler, simple, guidance 3.5).
  flux_pro: {
    family: 'flux_pro',
    label: 'Flux.1 [pro]',
    kind: 'image',
    fast: { steps: 12, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 3.5, ...square(1024) },
    quality: { steps: 35, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 3.5, ...square(1024) },
    loraLimit: 0,
    loraNode: 'LoraLoader',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://docs.bfl.ai/ (FLUX.1 [pro] API) and ComfyUI comfy_api_nodes/nodes_bfl.py',
  },
  // ComfyUI "Flux.1 Krea Dev" template (docs.comfy.org/tutorials/flux/flux1-krea-dev): cfg 1, euler, simple,
  // FluxGuidance 4.5.
  flux_krea: {
    family: 'flux_krea',
    label: 'Flux.1 Krea [dev]',
    kind: 'image',
    fast: { steps: 4, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 4.5, ...square(1024) },
    quality: { steps: 8, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 4.5, ...square(1024) },
    loraLimit: 3,
    loraNode: 'LoraLoader',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://docs.comfy.org/tutorials/flux/flux1-krea-dev',
  },
  // ComfyUI_examples/hidream "hidream_dev_example": cfg 1, lcm, normal (ModelSamplingSD3 shift 6).
  hidream: {
    family: 'hidream',
    label: 'HiDream I1',
    kind: 'image',
    fast: { steps: 12, cfg: 1, samplerName: 'lcm', scheduler: 'normal', ...square(1024) },
    quality: { steps: 25, cfg: 1, samplerName: 'lcm', scheduler: 'normal', ...square(1024) },
    loraLimit: 2,
    loraNode: 'LoraLoaderModelOnly',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/hidream/',
  },
  // ComfyUI_examples/qwen_image "qwen_image_basic_example": cfg 2.5, euler, simple (ModelSamplingAuraFlow 3.1).
  qwen_image: {
    family: 'qwen_image',
    label: 'Qwen-Image',
    kind: 'image',
    fast: { steps: 10, cfg: 2.5, samplerName: 'euler', scheduler: 'simple', ...square(1024) },
    quality: { steps: 20, cfg: 2.5, samplerName: 'euler', scheduler: 'simple', ...square(1024) },
    loraLimit: 3,
    loraNode: 'LoraLoaderModelOnly',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/qwen_image/',
  },
  // ComfyUI_examples/qwen_image "qwen_image_edit_basic_example": cfg 2.5, euler, simple.
  qwen_edit: {
    family: 'qwen_edit',
    label: 'Qwen-Image-Edit',
    kind: 'image',
    fast: { steps: 8, cfg: 2.5, samplerName: 'euler', scheduler: 'simple', ...square(1024) },
    quality: { steps: 15, cfg: 2.5, samplerName: 'euler', scheduler: 'simple', ...square(1024) },
    loraLimit: 3,
    loraNode: 'LoraLoaderModelOnly',
    refiner: false,
    maxSidePx: 2048,
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/qwen_image/',
  },
  // ComfyUI_examples/wan "image_to_video_wan_example": KSampler cfg 6, uni_pc, simple; 33 frames; WEBP at 16 fps.
  wan_2_1: {
    family: 'wan_2_1',
    label: 'Wan 2.1',
    kind: 'video',
    fast: { steps: 15, cfg: 6, samplerName: 'uni_pc', scheduler: 'simple', ...square(512) },
    quality: { steps: 25, cfg: 6, samplerName: 'uni_pc', scheduler: 'simple', ...square(512) },
    loraLimit: 3,
    loraNode: 'LoraLoaderModelOnly',
    refiner: false,
    maxSidePx: 1280,
    lengthFrames: 33,
    frameRate: { num: 16, den: 1 },
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/wan/',
  },
  // Comfy-Org workflow_templates "video_wan2_2_14B_i2v": two KSamplerAdvanced (high/low noise), cfg 3.5,
  // euler, simple, 81 frames, CreateVideo at 16 fps.
  wan_2_2: {
    family: 'wan_2_2',
    label: 'Wan 2.2',
    kind: 'video',
    fast: { steps: 8, cfg: 3.5, samplerName: 'euler', scheduler: 'simple', ...square(768) },
    quality: { steps: 20, cfg: 3.5, samplerName: 'euler', scheduler: 'simple', ...square(768) },
    loraLimit: 2,
    loraNode: 'LoraLoaderModelOnly',
    refiner: false,
    maxSidePx: 1280,
    lengthFrames: 81,
    frameRate: { num: 16, den: 1 },
    source: 'https://github.com/Comfy-Org/workflow_templates (templates/video_wan2_2_14B_i2v.json)',
  },
  // ComfyUI_examples/ltxv: cfg 3, euler (LTXVScheduler in the official graph; "simple" for KSampler graphs),
  // 768x512, 97 frames, 24 fps.
  ltx_video: {
    family: 'ltx_video',
    label: 'LTX-Video',
    kind: 'video',
    fast: { steps: 10, cfg: 3, samplerName: 'euler', scheduler: 'simple', widthPx: 768, heightPx: 512 },
    quality: { steps: 30, cfg: 3, samplerName: 'euler', scheduler: 'simple', widthPx: 768, heightPx: 512 },
    loraLimit: 2,
    loraNode: 'LoraLoaderModelOnly',
    refiner: false,
    maxSidePx: 1280,
    lengthFrames: 97,
    frameRate: { num: 24, den: 1 },
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/ltxv/',
  },
  // ComfyUI_examples/hunyuan_video "hunyuan_video_text_to_video": BasicGuider (cfg 1), FluxGuidance 6,
  // euler, simple, 73 frames, 24 fps.
  hunyuan_video: {
    family: 'hunyuan_video',
    label: 'HunyuanVideo',
    kind: 'video',
    fast: { steps: 20, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 6, widthPx: 1024, heightPx: 576 },
    quality: { steps: 40, cfg: 1, samplerName: 'euler', scheduler: 'simple', guidance: 6, widthPx: 1024, heightPx: 576 },
    loraLimit: 3,
    loraNode: 'LoraLoaderModelOnly',
    refiner: false,
    maxSidePx: 1280,
    lengthFrames: 73,
    frameRate: { num: 24, den: 1 },
    source: 'https://comfyanonymous.github.io/ComfyUI_examples/hunyuan_video/',
  },
};

/** The preset of a family. */
export function familyPreset(family: ModelFamily): FamilyPreset {
  return FAMILY_PRESETS[family];
}

/** The fast or quality setting of a family (a copy: callers may change it). */
export function settingFor(family: ModelFamily, speed: PresetSpeed): GenerationSetting {
  return { ...FAMILY_PRESETS[family][speed] };
}

/**
 * Family detection rules, most specific first. Matched against the lower-cased file name with its folder
 * (a `flux/` folder is a hint too). SDXL derivatives (Pony, Illustrious/NoobAI) come before SDXL itself.
 */
const DETECTION_RULES: ReadonlyArray<[RegExp, ModelFamily]> = [
  [/qwen[\w.-]*edit/, 'qwen_edit'],
  [/qwen/, 'qwen_image'],
  [/wan[\s._-]?2[._]?2/, 'wan_2_2'],
  [/wan[\s._-]?2[._]?1|\bwan[\s._-]/, 'wan_2_1'],
  [/ltx/, 'ltx_video'],
  [/hunyuan[\s._-]?video/, 'hunyuan_video'],
  [/hidream/, 'hidream'],
  [/flux[\w.-]*schnell|schnell/, 'flux_schnell'],
  [/flux[\w.-]*krea|krea[\w.-]*flux/, 'flux_krea'],
  [/flux[\w.-]*pro\b|flux[\w.-]*pro[\s._-]/, 'flux_pro'],
  [/flux/, 'flux_dev'],
  [/pony/, 'pony'],
  [/illustrious|noobai/, 'illustrious'],
  [/sd[\s._-]?xl|\bxl\b|xl[\s._-]|[\s._-]xl/, 'sdxl'],
  [/v1[\s._-]?5|sd[\s._-]?1[\s._-]?5|sd15|v1[\s._-]?4|sd[\s._-]?1[\s._-]?4/, 'sd15'],
];

/**
 * The model family of a checkpoint, from its file name (`flux1-dev-fp8.safetensors` -> `flux_dev`,
 * `wan2.2_i2v_high_noise_14B_fp8.safetensors` -> `wan_2_2`, `v1-5-pruned-emaonly.safetensors` -> `sd15`).
 * A name no rule recognises is taken for SDXL, the most common family of community checkpoints.
 */
export function detectFamily(checkpointFileName: string): ModelFamily {
  const name = checkpointFileName.replace(/\\/g, '/').toLowerCase();
  for (const [rule, family] of DETECTION_RULES) if (rule.test(name)) return family;
  return 'sdxl';
}

// ---- artists' presets ---------------------------------------------------------------------------------

/** A preset as {@link PresetStore.list} gives it: built-in (`flux_dev.fast`) or saved by an artist. */
export interface Preset {
  /** Built-ins: `<family>.<speed>`; artists' presets: letters, digits, `-` and `_` (never a dot). */
  id: string;
  name: string;
  family: ModelFamily;
  setting: GenerationSetting;
  /** LoRAs the preset applies (artists' presets only; empty for built-ins). */
  loras: LoraSpec[];
  builtin: boolean;
}

const GenerationSettingSchema = z.strictObject({
  steps: z.number().int().min(1).max(10000),
  cfg: z.number().min(0).max(100),
  samplerName: z.string().min(1),
  scheduler: z.string().min(1),
  widthPx: z.number().int().min(64),
  heightPx: z.number().int().min(64),
  guidance: z.number().min(0).max(100).optional(),
});

/** An artist's preset as saved in `presets.json` and accepted by {@link PresetStore.save}. */
export const UserPresetSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id is 1-64 letters, digits, "-" or "_", starting with a letter or digit'),
    name: z.string().trim().min(1, 'a preset needs a name').max(120),
    family: ModelFamilySchema,
    setting: GenerationSettingSchema,
    loras: z.array(LoraSpecSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const fam = FAMILY_PRESETS[p.family];
    for (const side of ['widthPx', 'heightPx'] as const) {
      const v = p.setting[side];
      if (v % 8 !== 0) ctx.addIssue({ code: 'custom', path: ['setting', side], message: `${side} ${v} is not a multiple of 8` });
      if (v > fam.maxSidePx)
        ctx.addIssue({ code: 'custom', path: ['setting', side], message: `${side} ${v} is over ${fam.label}'s limit of ${fam.maxSidePx} px` });
    }
    if (p.loras.length > fam.loraLimit)
      ctx.addIssue({ code: 'custom', path: ['loras'], message: `${fam.label} takes at most ${fam.loraLimit} LoRAs, the preset has ${p.loras.length}` });
  });
/** An artist's preset as given to {@link PresetStore.save}. */
export type UserPresetInput = z.input<typeof UserPresetSchema>;

const PresetsFileSchema = z.strictObject({ version: z.literal(1), presets: z.array(UserPresetSchema) });

/** The built-in presets: two per family, `<family>.fast` and `<family>.quality`. */
export function builtinPresets(): Preset[] {
  return MODEL_FAMILIES.flatMap((family) =>
    (['fast', 'quality'] as const).map((speed) => ({
      id: `${family}.${speed}`,
      name: `${FAMILY_PRESETS[family].label} (${speed})`,
      family,
      setting: settingFor(family, speed),
      loras: [],
      builtin: true,
    })),
  );
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`).join('; ');
}

/**
 * Artists' presets in `<configDir>/presets.json` (`{"version": 1, "presets": [...]}`), listed together with
 * the read-only built-ins. Writes go to a temporary file in the same folder and are renamed into place, one at
 * a time per store. A file that cannot be read or does not match the schema is never overwritten: calls fail
 * with an `AppError` (`presets_unreadable`) naming the file and the problem.
 */
export class PresetStore {
  private readonly filePath: string;
  private queue: Promise<unknown> = Promise.resolve();

  /** @param configDir the app's configuration folder (created on first save). */
  constructor(private readonly configDir: string) {
    this.filePath = join(configDir, 'presets.json');
  }

  /** The path of the presets file. */
  get path(): string {
    return this.filePath;
  }

  /** Built-ins (family order, fast then quality), then artists' presets by name. */
  async list(): Promise<Preset[]> {
    const own = await this.readOwn();
    const mine = own
      .map((p): Preset => ({ ...p, setting: { ...p.setting }, builtin: false }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return [...builtinPresets(), ...mine];
  }

  /** One preset by id. @throws AppError `not_found` when there is none. */
  async get(id: string): Promise<Preset> {
    const found = (await this.list()).find((p) => p.id === id);
    if (!found) throw notFound('preset', id, 'Pick a preset from the list; it may have been removed.');
    return found;
  }

  /**
   * Saves (adds or replaces by id) an artist's preset and returns it as listed.
   * @throws AppError `invalid_preset` when it fails the schema (the message names each problem),
   *   `read_only` when the id is a built-in's, `presets_unreadable` when the file on disk is damaged.
   */
  save(input: UserPresetInput): Promise<Preset> {
    return this.serialised(async () => {
      if (typeof input?.id === 'string' && builtinPresets().some((b) => b.id === input.id))
        throw new AppError('read_only', `Preset ${input.id} is built in and cannot be changed.`, 'Save it under a new id instead.');
      const parsed = UserPresetSchema.safeParse(input);
      if (!parsed.success)
        throw new AppError('invalid_preset', `The preset is not valid: ${describeIssues(parsed.error)}.`, 'Correct the values and save again.');
      const own = (await this.readOwn()).filter((p) => p.id !== parsed.data.id);
      own.push(parsed.data);
      await this.writeOwn(own);
      return { ...parsed.data, builtin: false };
    });
  }

  /**
   * Removes an artist's preset.
   * @throws AppError `read_only` for a built-in, `not_found` when no preset has that id.
   */
  remove(id: string): Promise<void> {
    return this.serialised(async () => {
      if (builtinPresets().some((b) => b.id === id))
        throw new AppError('read_only', `Preset ${id} is built in and cannot be removed.`, 'Only presets you saved can be removed.');
      const own = await this.readOwn();
      const rest = own.filter((p) => p.id !== id);
      if (rest.length === own.length) throw notFound('preset', id, 'Reload the preset list: it may have been removed already.');
      await this.writeOwn(rest);
    });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readOwn(): Promise<Array<z.output<typeof UserPresetSchema>>> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new AppError('presets_unreadable', `Cannot read ${this.filePath}: ${(error as Error).message}.`, 'Check the file permissions.');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new AppError(
        'presets_unreadable',
        `${this.filePath} is not valid JSON (${(error as Error).message}).`,
        'Fix the file by hand or move it away; StoryCanvas does not overwrite a damaged presets file.',
      );
    }
    const parsed = PresetsFileSchema.safeParse(json);
    if (!parsed.success)
      throw new AppError(
        'presets_unreadable',
        `${this.filePath} does not hold valid presets: ${describeIssues(parsed.error)}.`,
        'Fix the file by hand or move it away; StoryCanvas does not overwrite a damaged presets file.',
      );
    return parsed.data.presets;
  }

  private async writeOwn(presets: Array<z.output<typeof UserPresetSchema>>): Promise<void> {
    await mkdir(this.configDir, { recursive: true });
    const body = `${JSON.stringify({ version: 1, presets }, null, 2)}\n`;
    const temporary = join(this.configDir, `.presets.json.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      await writeFile(temporary, body, { encoding: 'utf8', flag: 'wx' });
      await rename(temporary, this.filePath);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
