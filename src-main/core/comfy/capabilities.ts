/**
 * ServerCapabilities: what a ComfyUI server can run, read from `GET /object_info` (PROTOCOL.md): its node
 * classes and the model files its loader nodes offer. Model lists are the choice lists of loader inputs, e.g.
 * `CheckpointLoaderSimple.input.required.ckpt_name[0]`. Both choice encodings are read: the classic
 * `[[choices...], {options}]` and the newer `["COMBO", {options: [choices...]}]`.
 */

/** One class of `/object_info` (the fields the client reads; everything else is kept in `nodes`). */
export interface ComfyNodeInfo {
  input?: { required?: Record<string, unknown>; optional?: Record<string, unknown>; hidden?: Record<string, unknown> };
  output?: unknown[];
  output_node?: boolean;
  display_name?: string;
  category?: string;
  [key: string]: unknown;
}

/** What a server offers. Lists keep the server's order, without duplicates. */
export interface ServerCapabilities {
  /** Checkpoint files (CheckpointLoaderSimple / CheckpointLoader `ckpt_name`). */
  checkpoints: string[];
  /** LoRA files (LoraLoader / LoraLoaderModelOnly `lora_name`). */
  loras: string[];
  /** VAE files (VAELoader `vae_name`). */
  vaes: string[];
  /** Upscale model files (UpscaleModelLoader `model_name`). */
  upscaleModels: string[];
  /** KSampler `sampler_name` choices. */
  samplers: string[];
  /** KSampler `scheduler` choices. */
  schedulers: string[];
  /** Images in the server's input folder (LoadImage `image`). */
  inputImages: string[];
  /** Every node class the server has. */
  nodeTypes: Set<string>;
  /** The raw `/object_info` entries, by class. */
  nodes: Record<string, ComfyNodeInfo>;
}

/** The choices of an input spec, or undefined when the input is not a choice list. */
export function choicesOfSpec(spec: unknown): string[] | undefined {
  if (!Array.isArray(spec)) return undefined;
  if (Array.isArray(spec[0])) return (spec[0] as unknown[]).map(String);
  if (spec[0] === 'COMBO' && typeof spec[1] === 'object' && spec[1] !== null) {
    const options = (spec[1] as { options?: unknown }).options;
    if (Array.isArray(options)) return options.map(String);
  }
  return undefined;
}

/** The choices a class offers for an input (required or optional), or undefined. */
export function choicesFor(nodes: Record<string, ComfyNodeInfo>, classType: string, inputName: string): string[] | undefined {
  const input = nodes[classType]?.input;
  return choicesOfSpec(input?.required?.[inputName] ?? input?.optional?.[inputName]);
}

function collect(nodes: Record<string, ComfyNodeInfo>, sources: Array<[string, string]>): string[] {
  const names = new Set<string>();
  for (const [classType, inputName] of sources) for (const name of choicesFor(nodes, classType, inputName) ?? []) names.add(name);
  return [...names];
}

/** Reads the capabilities from a `/object_info` answer (class -> definition). */
export function capabilitiesFromObjectInfo(objectInfo: Record<string, ComfyNodeInfo>): ServerCapabilities {
  return {
    checkpoints: collect(objectInfo, [['CheckpointLoaderSimple', 'ckpt_name'], ['CheckpointLoader', 'ckpt_name']]),
    loras: collect(objectInfo, [['LoraLoader', 'lora_name'], ['LoraLoaderModelOnly', 'lora_name']]),
    vaes: collect(objectInfo, [['VAELoader', 'vae_name']]),
    upscaleModels: collect(objectInfo, [['UpscaleModelLoader', 'model_name']]),
    samplers: collect(objectInfo, [['KSampler', 'sampler_name']]),
    schedulers: collect(objectInfo, [['KSampler', 'scheduler']]),
    inputImages: collect(objectInfo, [['LoadImage', 'image']]),
    nodeTypes: new Set(Object.keys(objectInfo)),
    nodes: objectInfo,
  };
}
