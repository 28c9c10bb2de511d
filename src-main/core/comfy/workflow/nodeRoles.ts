/**
 * What the binder knows about ComfyUI node classes: which play the sampler, which encode a prompt, which pass
 * conditioning, latents, models or CLIP through, which make the empty latent, which load models and which
 * write results. Class and input names are ComfyUI's own (comfyanonymous/ComfyUI `nodes.py`,
 * `comfy_extras/nodes_custom_sampler.py`, `nodes_flux.py`, `nodes_sd3.py`, `nodes_wan.py`, `nodes_hunyuan.py`,
 * `nodes_lt.py`, `nodes_video.py`, `nodes_model_advanced.py`, `nodes_qwen.py`, `nodes_hidream.py`) and, for
 * `VHS_VideoCombine`, ComfyUI-VideoHelperSuite. Nodes not listed here are handled by their input names where
 * that is safe (a linked `conditioning`, `model` or `samples` input), otherwise the binder reports them.
 */

/** Sampler classes whose inputs carry the sampling parameters directly. */
export const DIRECT_SAMPLERS: ReadonlySet<string> = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom']);

/** Sampler classes that take noise, guider, sampler and sigmas from other nodes. */
export const CUSTOM_ADVANCED_SAMPLERS: ReadonlySet<string> = new Set(['SamplerCustomAdvanced']);

/** Whether a class is a sampler the binder understands. */
export function isSamplerClass(classType: string): boolean {
  return DIRECT_SAMPLERS.has(classType) || CUSTOM_ADVANCED_SAMPLERS.has(classType);
}

/** The seed input of each sampler or noise node. */
export const SEED_INPUT: Readonly<Record<string, string>> = {
  KSampler: 'seed',
  KSamplerAdvanced: 'noise_seed',
  SamplerCustom: 'noise_seed',
  RandomNoise: 'noise_seed',
};

/**
 * Text encoders: class -> the inputs that take the prompt text. Every listed input present on the node gets
 * the same text (Flux's `clip_l` and `t5xxl`, SDXL's `text_g` and `text_l`).
 */
export const TEXT_ENCODERS: Readonly<Record<string, readonly string[]>> = {
  CLIPTextEncode: ['text'],
  CLIPTextEncodeFlux: ['clip_l', 't5xxl'],
  CLIPTextEncodeSDXL: ['text_g', 'text_l'],
  CLIPTextEncodeSDXLRefiner: ['text'],
  CLIPTextEncodeSD3: ['clip_l', 'clip_g', 't5xxl'],
  CLIPTextEncodeHiDream: ['clip_l', 'clip_g', 't5xxl', 'llama'],
  CLIPTextEncodeHunyuanDiT: ['bert', 'mt5xl'],
  CLIPTextEncodePixArtAlpha: ['text'],
  CLIPTextEncodeLumina2: ['user_prompt'],
  TextEncodeQwenImageEdit: ['prompt'],
  TextEncodeQwenImageEditPlus: ['prompt'],
  TextEncodeHunyuanVideo_ImageToVideo: ['prompt'],
};

/** Conditioning nodes that make the conditioning empty: a negative behind one takes no prompt. */
export const CONDITIONING_ZEROING: ReadonlySet<string> = new Set(['ConditioningZeroOut']);

/** Nodes whose `guidance` input is Flux-style distilled guidance. */
export const GUIDANCE_NODES: Readonly<Record<string, string>> = { FluxGuidance: 'guidance', CLIPTextEncodeFlux: 'guidance' };

/**
 * Conditioning pass-through: which inputs of a node feed a given output slot with conditioning. Nodes with
 * `positive`/`negative` inputs and matching outputs (Wan, LTXV, ControlNetApplyAdvanced, InstructPix2Pix...)
 * are handled generically by {@link conditioningInputsFor}.
 */
const CONDITIONING_PASS: Readonly<Record<string, readonly string[]>> = {
  FluxGuidance: ['conditioning'],
  ConditioningCombine: ['conditioning_1', 'conditioning_2'],
  ConditioningConcat: ['conditioning_to', 'conditioning_from'],
  ConditioningAverage: ['conditioning_to', 'conditioning_from'],
  ConditioningSetArea: ['conditioning'],
  ConditioningSetAreaPercentage: ['conditioning'],
  ConditioningSetAreaStrength: ['conditioning'],
  ConditioningSetMask: ['conditioning'],
  ConditioningSetTimestepRange: ['conditioning'],
  ControlNetApply: ['conditioning'],
  StyleModelApply: ['conditioning'],
  unCLIPConditioning: ['conditioning'],
  ReferenceLatent: ['conditioning'],
  GLIGENTextBoxApply: ['conditioning_to'],
};

/** Classes that merge two conditionings (the binder names them in ambiguity messages). */
export const CONDITIONING_MERGERS: ReadonlySet<string> = new Set(['ConditioningCombine', 'ConditioningConcat', 'ConditioningAverage']);

/**
 * The inputs to follow backwards from output `slot` of a conditioning node, or null when the binder cannot see
 * through this node. Generic rules: a node with `positive` and `negative` inputs maps output 0 to `positive`
 * and output 1 to `negative`; a node with a linked `conditioning` input passes it through.
 */
export function conditioningInputsFor(classType: string, inputs: Record<string, unknown>, slot: number): readonly string[] | null {
  const known = CONDITIONING_PASS[classType];
  if (known) return known;
  if ('positive' in inputs && 'negative' in inputs) return slot === 0 ? ['positive'] : slot === 1 ? ['negative'] : null;
  if ('positive' in inputs && slot === 0) return ['positive'];
  if ('conditioning' in inputs) return ['conditioning'];
  return null;
}

/** Guider nodes of `SamplerCustomAdvanced`: which input is the positive, the negative, the cfg. */
export const GUIDERS: Readonly<Record<string, { positive: string; negative?: string; cfg?: string }>> = {
  CFGGuider: { positive: 'positive', negative: 'negative', cfg: 'cfg' },
  BasicGuider: { positive: 'conditioning' },
  DualCFGGuider: { positive: 'cond1', negative: 'negative', cfg: 'cfg_conds' },
};

/**
 * Nodes that make the latent the first sampler starts from, with the size inputs they have. Any other node
 * with literal `width` and `height` inputs is treated the same way.
 */
export const LATENT_SOURCES: ReadonlySet<string> = new Set([
  'EmptyLatentImage',
  'EmptySD3LatentImage',
  'EmptyHunyuanLatentVideo',
  'EmptyHunyuanImageLatent',
  'EmptyLTXVLatentVideo',
  'EmptyMochiLatentVideo',
  'EmptyCosmosLatentVideo',
  'EmptyChromaRadianceLatentImage',
  'WanImageToVideo',
  'WanFirstLastFrameToVideo',
  'WanFunControlToVideo',
  'WanVaceToVideo',
  'Wan22ImageToVideoLatent',
  'HunyuanImageToVideo',
  'LTXVImgToVideo',
  'CosmosImageToVideoLatent',
]);

/** Latent pass-through nodes between samplers or before the first one: the input that carries the latent. */
export const LATENT_PASS: Readonly<Record<string, string>> = {
  LatentUpscale: 'samples',
  LatentUpscaleBy: 'samples',
  RepeatLatentBatch: 'samples',
  SetLatentNoiseMask: 'samples',
  LatentCrop: 'samples',
  LatentFlip: 'samples',
  LatentRotate: 'samples',
  LTXVAddGuide: 'latent',
};

/** Nodes that encode pixels into a latent (img2img): the size then comes from the image. */
export const PIXEL_ENCODERS: ReadonlySet<string> = new Set(['VAEEncode', 'VAEEncodeForInpaint', 'VAEEncodeTiled']);

/** Model loaders: class -> the input naming the model file (the "checkpoint" of the workflow). */
export const MODEL_LOADERS: Readonly<Record<string, string>> = {
  CheckpointLoaderSimple: 'ckpt_name',
  CheckpointLoader: 'ckpt_name',
  ImageOnlyCheckpointLoader: 'ckpt_name',
  unCLIPCheckpointLoader: 'ckpt_name',
  UNETLoader: 'unet_name',
  UnetLoaderGGUF: 'unet_name',
};

/** Loaders of CLIP / text encoders: the output slot carrying CLIP. */
export const CLIP_SOURCES: Readonly<Record<string, number>> = {
  CheckpointLoaderSimple: 1,
  CheckpointLoader: 1,
  unCLIPCheckpointLoader: 1,
  CLIPLoader: 0,
  DualCLIPLoader: 0,
  TripleCLIPLoader: 0,
  QuadrupleCLIPLoader: 0,
  CLIPLoaderGGUF: 0,
  DualCLIPLoaderGGUF: 0,
};

/** CLIP pass-through nodes: the input carrying CLIP (LoraLoader passes it on output 1). */
export const CLIP_PASS: Readonly<Record<string, string>> = { CLIPSetLastLayer: 'clip', LoraLoader: 'clip' };

/** LoRA loaders: `LoraLoader` (model and CLIP, outputs MODEL 0 and CLIP 1) and `LoraLoaderModelOnly` (MODEL 0). */
export const LORA_LOADERS: ReadonlySet<string> = new Set(['LoraLoader', 'LoraLoaderModelOnly']);

/** Inputs naming model files, per loader class (for `requires.models`: what a server must have). */
export const MODEL_FILE_INPUTS: Readonly<Record<string, readonly string[]>> = {
  CheckpointLoaderSimple: ['ckpt_name'],
  CheckpointLoader: ['config_name', 'ckpt_name'],
  ImageOnlyCheckpointLoader: ['ckpt_name'],
  unCLIPCheckpointLoader: ['ckpt_name'],
  UNETLoader: ['unet_name'],
  UnetLoaderGGUF: ['unet_name'],
  VAELoader: ['vae_name'],
  CLIPLoader: ['clip_name'],
  DualCLIPLoader: ['clip_name1', 'clip_name2'],
  TripleCLIPLoader: ['clip_name1', 'clip_name2', 'clip_name3'],
  QuadrupleCLIPLoader: ['clip_name1', 'clip_name2', 'clip_name3', 'clip_name4'],
  CLIPVisionLoader: ['clip_name'],
  LoraLoader: ['lora_name'],
  LoraLoaderModelOnly: ['lora_name'],
  ControlNetLoader: ['control_net_name'],
  UpscaleModelLoader: ['model_name'],
  StyleModelLoader: ['style_model_name'],
};

/** Nodes that read an image from the server's input folder. */
export const IMAGE_LOADERS: Readonly<Record<string, string>> = { LoadImage: 'image' };

/** Output nodes ComfyUI runs a workflow for (`output_node: true`). Other `Save*`/`Preview*` classes count too. */
const OUTPUT_NODES: ReadonlySet<string> = new Set([
  'SaveImage',
  'PreviewImage',
  'SaveAnimatedWEBP',
  'SaveAnimatedPNG',
  'SaveWEBM',
  'SaveVideo',
  'SaveLatent',
  'VHS_VideoCombine',
]);

/** Whether a class is an output node (writes or previews a result). */
export function isOutputClass(classType: string): boolean {
  return OUTPUT_NODES.has(classType) || /^(Save|Preview)[A-Z]/.test(classType);
}

/** Frame-rate inputs (frames per second, a float in ComfyUI) of video nodes. */
export const FRAME_RATE_INPUTS: Readonly<Record<string, string>> = {
  CreateVideo: 'fps',
  SaveAnimatedWEBP: 'fps',
  SaveAnimatedPNG: 'fps',
  SaveWEBM: 'fps',
  VHS_VideoCombine: 'frame_rate',
  LTXVConditioning: 'frame_rate',
};

/** Nodes that hold one value for other nodes' widget inputs (a converted widget): class -> value input. */
export const PRIMITIVE_NODES: Readonly<Record<string, string>> = {
  PrimitiveInt: 'value',
  PrimitiveFloat: 'value',
  PrimitiveString: 'value',
  PrimitiveStringMultiline: 'value',
  PrimitiveBoolean: 'value',
};

/** Model-sampling nodes whose `width`/`height` should follow the latent size (official Flux graph). */
export const SIZE_FOLLOWERS: Readonly<Record<string, readonly [string, string]>> = { ModelSamplingFlux: ['width', 'height'] };
