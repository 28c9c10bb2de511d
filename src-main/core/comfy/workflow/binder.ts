/**
 * Parameter binding by graph structure: finds where a workflow takes its prompt, negative prompt, seed, steps,
 * cfg, sampler, scheduler, size, clip length, frame rate, checkpoint, LoRAs, reference image and guidance by
 * following links from its sampler(s), not by node ids or titles, and writes parameters there.
 *
 * - The samplers are KSampler, KSamplerAdvanced, SamplerCustom and SamplerCustomAdvanced (with its noise,
 *   guider, sampler and sigmas nodes). Samplers chained by their latents (SDXL base -> refiner, Wan 2.2 high ->
 *   low noise, hires fix) form one chain: seed, steps, cfg, sampler and scheduler go to every sampler of the
 *   chain, the size to the latent the first one starts from, the checkpoint to the first one's model loader.
 *   Staged KSamplerAdvanced chains keep their split: when steps change, `start_at_step`/`end_at_step` scale.
 * - The prompt goes to the text encoder reached from each sampler's `positive` (through FluxGuidance,
 *   ConditioningSetArea, WanImageToVideo, ControlNetApplyAdvanced...), the negative likewise.
 * - An input wired to a primitive node (PrimitiveInt, PrimitiveString...) is written on that node.
 * - A mapping file settles what the structure cannot (see `mapping.ts`).
 *
 * ComfyUI API format: comfyanonymous/ComfyUI `execution.py`; node classes and inputs: see `nodeRoles.ts`.
 */
import { AppError } from '../../errors.ts';
import {
  asLink,
  cloneGraph,
  consumersOf,
  formatInputRef,
  graphProblems,
  type InputRef,
  type NodeLink,
  nextNodeId,
  sortedNodeIds,
  type WorkflowGraph,
} from './graph.ts';
import { checkMappingAgainst, type WorkflowMapping } from './mapping.ts';
import {
  CLIP_PASS,
  conditioningInputsFor,
  CONDITIONING_MERGERS,
  CONDITIONING_ZEROING,
  CUSTOM_ADVANCED_SAMPLERS,
  FRAME_RATE_INPUTS,
  GUIDANCE_NODES,
  GUIDERS,
  IMAGE_LOADERS,
  isOutputClass,
  isSamplerClass,
  LATENT_PASS,
  LATENT_SOURCES,
  LORA_LOADERS,
  MODEL_FILE_INPUTS,
  MODEL_LOADERS,
  PIXEL_ENCODERS,
  PRIMITIVE_NODES,
  SEED_INPUT,
  SIZE_FOLLOWERS,
  TEXT_ENCODERS,
} from './nodeRoles.ts';
import { PARAM_NAMES, type LoraSpec, type ParamName, type WorkflowParams, WorkflowParamsSchema } from './params.ts';
import { detectFamily, FAMILY_PRESETS, type ModelFamily } from './presets.ts';

/** Where a parameter is written: the first input, and any more inputs that take the same value. */
export interface ParamBinding extends InputRef {
  also: InputRef[];
  /** `structure`: found by following links; `mapping`: named by a mapping file. */
  source: 'structure' | 'mapping';
}

/** A parameter the binder could not place: why, and the node ids it considered. */
export interface BindingProblem {
  param: ParamName | 'loras';
  reason: string;
  candidates: string[];
}

/** A LoRA node already in the workflow. */
export interface ExistingLora {
  nodeId: string;
  classType: string;
  name: string;
  strengthModel: number;
  /** LoraLoader only. */
  strengthClip?: number;
}

/** Where LoRAs go: after a model loader, continuing its existing LoRA chain. */
export interface LoraTarget {
  /** The model loader (CheckpointLoaderSimple, UNETLoader...). */
  loaderId: string;
  /** The loader's MODEL output. */
  modelLink: NodeLink;
  /** LoRA nodes already chained after the loader, loader side first. */
  chain: ExistingLora[];
  /** The CLIP output the prompt encoders take (before CLIPSetLastLayer), for LoraLoader's clip; null if none. */
  clipLink: NodeLink | null;
}

/** A model file the workflow names (what a server must have). */
export interface ModelFileRef extends InputRef {
  name: string;
}

/** What {@link analyzeWorkflow} finds. */
export interface WorkflowAnalysis {
  bindings: Partial<Record<ParamName, ParamBinding>>;
  /** Parameters the workflow has no place for (Flux with BasicGuider has no negative prompt...). */
  missing: BindingProblem[];
  /** Parameters the structure cannot settle; a mapping file must. */
  ambiguous: BindingProblem[];
  /** Samplers run by the outputs, each chain first sampler first. */
  samplers: string[];
  /** Output node ids (SaveImage, SaveVideo, PreviewImage...). */
  outputs: string[];
  /** LoRAs already on the first target's model path. */
  loras: ExistingLora[];
  /** Where added LoRAs go (empty when the workflow has no model loader). */
  loraTargets: LoraTarget[];
  /** Model family from the checkpoint's file name (null without a checkpoint). */
  family: ModelFamily | null;
  requires: {
    /** Every node class of the graph, sorted: a server without one refuses the workflow. */
    nodeTypes: string[];
    checkpoint?: string;
    /** LoRA file names the workflow already uses, sorted. */
    loras: string[];
    models: ModelFileRef[];
  };
}

/** Options of {@link bindWorkflow}. */
export interface BindOptions {
  /** Skip parameters the workflow has no place for instead of failing (ambiguous ones always fail). */
  skipMissing?: boolean;
  /** The most LoRAs allowed; by default the family's limit (`presets.ts`). */
  loraLimit?: number;
  /** The family for LoRA limit and node choice; by default detected from the checkpoint. */
  family?: ModelFamily;
  /** The workflow's name, for messages (`my_flow.api.json`). */
  workflowName?: string;
}

// ---- internal results ----------------------------------------------------------------------------------

type Found = { kind: 'targets'; targets: InputRef[]; fromMapping?: boolean } | { kind: 'missing'; reason: string } | { kind: 'ambiguous'; reason: string; candidates: string[] };

const targets = (refs: InputRef[]): Found => ({ kind: 'targets', targets: dedupe(refs) });
const missing = (reason: string): Found => ({ kind: 'missing', reason });
const ambiguous = (reason: string, candidates: string[]): Found => ({ kind: 'ambiguous', reason, candidates });

function dedupe(refs: InputRef[]): InputRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = formatInputRef(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const countWord = (n: number) => NUMBER_WORDS[n] ?? String(n);

const MAPPING_HINT = (name: string) =>
  `Add a mapping file beside the workflow (${name}.mapping.json) that says where each parameter goes, e.g. {"prompt": "6.text", "seed": "3.seed"}.`;

/** What the binder reads from one sampler. */
interface SamplerView {
  id: string;
  label: string;
  seed: Found;
  steps: Found;
  cfg: Found;
  samplerName: Found;
  scheduler: Found;
  denoise: Found;
  positive: { link: NodeLink; from: string } | null;
  negative: { link: NodeLink; from: string } | null;
  negativeAbsent?: string;
  model: NodeLink | null;
  latent: NodeLink | null;
}

class Reader {
  constructor(readonly graph: WorkflowGraph) {}

  label(id: string): string {
    return `${this.graph[id]?.class_type ?? 'node'} ${id}`;
  }

  /**
   * The literal input to write for `input` of node `id`: the input itself, or the value input of the primitive
   * node it is wired to.
   */
  literal(param: ParamName, id: string, input: string): Found {
    const node = this.graph[id];
    if (!node || !(input in node.inputs)) return missing(`${this.label(id)} has no '${input}' input`);
    const link = asLink(node.inputs[input]);
    if (!link) return targets([{ nodeId: id, input }]);
    const source = this.graph[link[0]];
    const primitiveInput = PRIMITIVE_NODES[source.class_type];
    if (primitiveInput && primitiveInput in source.inputs && !asLink(source.inputs[primitiveInput]))
      return targets([{ nodeId: link[0], input: primitiveInput }]);
    const entries = Object.entries(source.inputs);
    if (entries.length === 1 && !asLink(entries[0][1])) return targets([{ nodeId: link[0], input: entries[0][0] }]);
    return ambiguous(`${param}: '${input}' of ${this.label(id)} is wired to ${this.label(link[0])}, which the binder cannot set`, [link[0]]);
  }

  /** The literal of `input` on the node a link points to, when that node has it. */
  literalVia(param: ParamName, link: NodeLink | null, input: string, absent: string): Found {
    if (!link) return missing(absent);
    const node = this.graph[link[0]];
    if (!(input in node.inputs)) return missing(`${absent} (${this.label(link[0])} has no '${input}')`);
    return this.literal(param, link[0], input);
  }

  link(id: string, input: string): NodeLink | null {
    return asLink(this.graph[id]?.inputs[input]);
  }

  samplerView(id: string): SamplerView {
    const node = this.graph[id];
    const cls = node.class_type;
    const label = this.label(id);
    if (!CUSTOM_ADVANCED_SAMPLERS.has(cls)) {
      const noDenoise = cls === 'KSamplerAdvanced' ? `${label} has no denoise (it uses start_at_step)` : `${label} has no 'denoise' input`;
      const custom = cls === 'SamplerCustom';
      return {
        id,
        label,
        seed: this.literal('seed', id, SEED_INPUT[cls] ?? 'seed'),
        steps: custom ? this.literalVia('steps', this.link(id, 'sigmas'), 'steps', `${label} takes its sigmas from a node without steps`) : this.literal('steps', id, 'steps'),
        cfg: this.literal('cfg', id, 'cfg'),
        samplerName: custom
          ? this.literalVia('samplerName', this.link(id, 'sampler'), 'sampler_name', `${label}'s sampler node has no sampler_name`)
          : this.literal('samplerName', id, 'sampler_name'),
        scheduler: custom
          ? this.literalVia('scheduler', this.link(id, 'sigmas'), 'scheduler', `${label}'s sigmas node has no scheduler`)
          : this.literal('scheduler', id, 'scheduler'),
        denoise: custom
          ? this.literalVia('denoise', this.link(id, 'sigmas'), 'denoise', `${label}'s sigmas node has no denoise`)
          : 'denoise' in node.inputs
            ? this.literal('denoise', id, 'denoise')
            : missing(noDenoise),
        positive: this.conditioningFrom(id, 'positive'),
        negative: this.conditioningFrom(id, 'negative'),
        negativeAbsent: `${label} has no negative conditioning`,
        model: this.link(id, 'model'),
        latent: this.link(id, 'latent_image'),
      };
    }
    // SamplerCustomAdvanced: noise, guider, sampler, sigmas, latent_image.
    const noise = this.link(id, 'noise');
    const guider = this.link(id, 'guider');
    const sigmas = this.link(id, 'sigmas');
    const noiseNode = noise ? this.graph[noise[0]] : null;
    let seed: Found;
    if (!noise || !noiseNode) seed = missing(`${label} has no noise input`);
    else if (noiseNode.class_type === 'DisableNoise') seed = missing(`${label} uses DisableNoise ${noise[0]}: no seed`);
    else seed = this.literal('seed', noise[0], SEED_INPUT[noiseNode.class_type] ?? 'noise_seed');
    const guiderNode = guider ? this.graph[guider[0]] : null;
    const roles = guiderNode ? (GUIDERS[guiderNode.class_type] ?? genericGuider(guiderNode.inputs)) : null;
    const guiderLabel = guider ? this.label(guider[0]) : label;
    return {
      id,
      label,
      seed,
      steps: this.literalVia('steps', sigmas, 'steps', `${label}'s sigmas node has no steps`),
      cfg:
        guider && roles?.cfg
          ? this.literal('cfg', guider[0], roles.cfg)
          : missing(`${guiderLabel} has no cfg (a guidance-distilled model: use guidance instead)`),
      samplerName: this.literalVia('samplerName', this.link(id, 'sampler'), 'sampler_name', `${label}'s sampler node has no sampler_name`),
      scheduler: this.literalVia('scheduler', sigmas, 'scheduler', `${label}'s sigmas node has no scheduler`),
      denoise: this.literalVia('denoise', sigmas, 'denoise', `${label}'s sigmas node has no denoise`),
      positive: guider && roles ? this.conditioningFrom(guider[0], roles.positive) : null,
      negative: guider && roles?.negative ? this.conditioningFrom(guider[0], roles.negative) : null,
      negativeAbsent: `${guiderLabel} takes no negative conditioning`,
      model: guider ? this.link(guider[0], 'model') : null,
      latent: this.link(id, 'latent_image'),
    };
  }

  private conditioningFrom(id: string, input: string): { link: NodeLink; from: string } | null {
    const link = this.link(id, input);
    return link ? { link, from: `${this.label(id)} '${input}'` } : null;
  }

  /** Walks conditioning back from a link to the text encoders behind it. */
  traceConditioning(start: NodeLink): { encoders: string[]; mergers: string[]; zeroed: string[]; blocked: string[]; guidance: InputRef[] } {
    const out = { encoders: [] as string[], mergers: [] as string[], zeroed: [] as string[], blocked: [] as string[], guidance: [] as InputRef[] };
    const seen = new Set<string>();
    const visit = (link: NodeLink) => {
      const key = `${link[0]}:${link[1]}`;
      if (seen.has(key)) return;
      seen.add(key);
      const node = this.graph[link[0]];
      const guidanceInput = GUIDANCE_NODES[node.class_type];
      if (guidanceInput && guidanceInput in node.inputs) out.guidance.push({ nodeId: link[0], input: guidanceInput });
      if (TEXT_ENCODERS[node.class_type]) {
        if (!out.encoders.includes(link[0])) out.encoders.push(link[0]);
        return;
      }
      if (CONDITIONING_ZEROING.has(node.class_type)) {
        out.zeroed.push(link[0]);
        return;
      }
      const inputs = conditioningInputsFor(node.class_type, node.inputs, link[1]);
      if (!inputs) {
        out.blocked.push(link[0]);
        return;
      }
      if (CONDITIONING_MERGERS.has(node.class_type)) out.mergers.push(link[0]);
      for (const name of inputs) {
        const next = asLink(node.inputs[name]);
        if (next) visit(next);
      }
    };
    visit(start);
    return out;
  }

  /** The prompt inputs of the encoder behind one sampler's positive or negative conditioning. */
  promptOf(param: 'prompt' | 'negativePrompt', cond: { link: NodeLink; from: string } | null, absent: string, workflowName: string): Found & { encoder?: string } {
    if (!cond) return missing(absent);
    const trace = this.traceConditioning(cond.link);
    if (trace.blocked.length > 0)
      return ambiguous(
        `${param}: ${cond.from} comes through ${this.label(trace.blocked[0])}, which the binder cannot see through; ${mappingAdvice(param, workflowName)}`,
        trace.blocked,
      );
    if (trace.encoders.length === 0) {
      if (trace.zeroed.length > 0) return missing(`${cond.from} is ${this.label(trace.zeroed[0])}: the workflow takes no ${param === 'prompt' ? 'prompt' : 'negative prompt'}`);
      return missing(`no text encoder feeds ${cond.from}`);
    }
    if (trace.encoders.length > 1) {
      const classes = new Set(trace.encoders.map((e) => this.graph[e].class_type));
      const kind = classes.size === 1 ? `${[...classes][0]} nodes` : 'text encoders';
      const via = trace.mergers.length > 0 ? ` through a ${this.graph[trace.mergers[0]].class_type} (${trace.mergers[0]})` : '';
      const first = trace.encoders[0];
      const example = `{"${param}": "${first}.${TEXT_ENCODERS[this.graph[first].class_type][0]}"}`;
      return ambiguous(
        `${param}: ${countWord(trace.encoders.length)} ${kind} (${trace.encoders.join(', ')}) feed ${cond.from}${via}; add a mapping file beside the workflow (${workflowName}.mapping.json) with ${example} to say which one takes the ${param === 'prompt' ? 'prompt' : 'negative prompt'}`,
        trace.encoders,
      );
    }
    const encoder = trace.encoders[0];
    const node = this.graph[encoder];
    const refs: InputRef[] = [];
    for (const input of TEXT_ENCODERS[node.class_type]) {
      if (!(input in node.inputs)) continue;
      const found = this.literal(param, encoder, input);
      if (found.kind !== 'targets') return found;
      refs.push(...found.targets);
    }
    if (refs.length === 0) return missing(`${this.label(encoder)} has no text input`);
    return { ...targets(refs), encoder };
  }

  /** Where a sampler's latent comes from (following latent pass-through nodes). */
  latentOrigin(link: NodeLink | null): { kind: 'sampler' | 'source' | 'pixels' | 'unknown'; id: string } | null {
    const seen = new Set<string>();
    let current = link;
    while (current && !seen.has(current[0])) {
      seen.add(current[0]);
      const node = this.graph[current[0]];
      const cls = node.class_type;
      if (isSamplerClass(cls)) return { kind: 'sampler', id: current[0] };
      if (LATENT_SOURCES.has(cls)) return { kind: 'source', id: current[0] };
      if (PIXEL_ENCODERS.has(cls)) return { kind: 'pixels', id: current[0] };
      const pass = LATENT_PASS[cls] ?? ('samples' in node.inputs ? 'samples' : undefined);
      const next = pass ? asLink(node.inputs[pass]) : null;
      if (next) {
        current = next;
        continue;
      }
      if ('width' in node.inputs && 'height' in node.inputs && !asLink(node.inputs.width)) return { kind: 'source', id: current[0] };
      return { kind: 'unknown', id: current[0] };
    }
    return null;
  }

  /** Walks a MODEL link back to its loader, noting LoRA nodes and size followers on the way. */
  traceModel(link: NodeLink | null): { loaderId: string | null; loaderLink: NodeLink | null; loras: string[]; followers: string[]; blocked: string | null } {
    const out = { loaderId: null as string | null, loaderLink: null as NodeLink | null, loras: [] as string[], followers: [] as string[], blocked: null as string | null };
    const seen = new Set<string>();
    let current = link;
    while (current && !seen.has(current[0])) {
      seen.add(current[0]);
      const node = this.graph[current[0]];
      if (MODEL_LOADERS[node.class_type] || (!asLink(node.inputs.model) && ('ckpt_name' in node.inputs || 'unet_name' in node.inputs))) {
        out.loaderId = current[0];
        out.loaderLink = current;
        return out;
      }
      const next = asLink(node.inputs.model);
      if (!next) {
        out.blocked = current[0];
        return out;
      }
      if (LORA_LOADERS.has(node.class_type)) out.loras.unshift(current[0]);
      if (SIZE_FOLLOWERS[node.class_type]) out.followers.push(current[0]);
      current = next;
    }
    return out;
  }

  /** The CLIP output feeding an encoder, before any CLIPSetLastLayer (where a LoraLoader's clip goes). */
  clipAnchor(encoderId: string | undefined): NodeLink | null {
    if (!encoderId) return null;
    let link = this.link(encoderId, 'clip');
    const seen = new Set<string>();
    while (link && !seen.has(link[0])) {
      seen.add(link[0]);
      const node = this.graph[link[0]];
      if (node.class_type !== 'CLIPSetLastLayer') return link;
      link = asLink(node.inputs[CLIP_PASS.CLIPSetLastLayer]);
    }
    return link;
  }

  existingLora(id: string): ExistingLora {
    const inputs = this.graph[id].inputs;
    const lora: ExistingLora = {
      nodeId: id,
      classType: this.graph[id].class_type,
      name: typeof inputs.lora_name === 'string' ? inputs.lora_name : '',
      strengthModel: typeof inputs.strength_model === 'number' ? inputs.strength_model : 1,
    };
    if (this.graph[id].class_type === 'LoraLoader') lora.strengthClip = typeof inputs.strength_clip === 'number' ? inputs.strength_clip : 1;
    return lora;
  }

  /** LoRA nodes chained forward from a loader's MODEL output (each the only consumer of the one before). */
  forwardLoraChain(start: NodeLink): string[] {
    const chain: string[] = [];
    let current = start;
    for (;;) {
      const consumers = consumersOf(this.graph, current);
      if (consumers.length !== 1) return chain;
      const next = consumers[0];
      if (next.input !== 'model' || !LORA_LOADERS.has(this.graph[next.nodeId].class_type) || chain.includes(next.nodeId)) return chain;
      chain.push(next.nodeId);
      current = [next.nodeId, 0];
    }
  }
}

function genericGuider(inputs: Record<string, unknown>): { positive: string; negative?: string; cfg?: string } | null {
  if ('positive' in inputs) return { positive: 'positive', negative: 'negative' in inputs ? 'negative' : undefined, cfg: 'cfg' in inputs ? 'cfg' : undefined };
  if ('conditioning' in inputs) return { positive: 'conditioning', cfg: 'cfg' in inputs ? 'cfg' : undefined };
  return null;
}

function mappingAdvice(param: string, workflowName: string): string {
  return `add a mapping file beside the workflow (${workflowName}.mapping.json) that names the input, e.g. {"${param}": "<nodeId>.<input>"}`;
}

/** Merges per-sampler findings of one chain: the union of targets; ambiguous wins; missing only if all are. */
function unionFound(found: Found[]): Found {
  const amb = found.find((f) => f.kind === 'ambiguous');
  if (amb) return amb;
  const refs = found.flatMap((f) => (f.kind === 'targets' ? f.targets : []));
  if (refs.length > 0) return targets(refs);
  return found.find((f) => f.kind === 'missing') ?? missing('no sampler');
}

const sameTargets = (a: InputRef[], b: InputRef[]) =>
  a.length === b.length && a.map(formatInputRef).sort().join('|') === b.map(formatInputRef).sort().join('|');

/** Nodes the outputs depend on (ComfyUI runs only those). */
function reachableFromOutputs(graph: WorkflowGraph, outputs: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = outputs.length > 0 ? [...outputs] : Object.keys(graph);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id) || !graph[id]) continue;
    seen.add(id);
    for (const value of Object.values(graph[id].inputs)) {
      const link = asLink(value);
      if (link) stack.push(link[0]);
    }
  }
  return seen;
}

/**
 * Finds the bindable parameters of an API-format workflow by its structure.
 *
 * @param mapping a parsed mapping file: its entries override (or settle) what the structure finds.
 * @param workflowName the workflow's name, used in messages (`<name>.mapping.json`).
 * @returns bindings per parameter, the parameters the workflow has no place for (`missing`) and those it
 *   cannot settle (`ambiguous`, each with the reason and the candidate node ids), samplers, outputs,
 *   LoRAs and LoRA targets, and what a server needs (`requires`).
 * @throws AppError `invalid_workflow` when the graph is malformed (a broken link...), `invalid_mapping` when
 *   the mapping names nodes or inputs that do not exist.
 */
export function analyzeWorkflow(graph: WorkflowGraph, mapping?: WorkflowMapping | null, workflowName = 'workflow'): WorkflowAnalysis {
  const problems = graphProblems(graph);
  if (problems.length > 0)
    throw new AppError('invalid_workflow', `The workflow is not a valid ComfyUI API graph: ${problems.join('; ')}.`, 'Export it again from ComfyUI with "Export (API)".');
  if (mapping) checkMappingAgainst(graph, mapping, `${workflowName}.mapping.json`);
  const r = new Reader(graph);
  const ids = sortedNodeIds(graph);
  const outputs = ids.filter((id) => isOutputClass(graph[id].class_type));
  const reachable = reachableFromOutputs(graph, outputs);
  const samplerIds = ids.filter((id) => reachable.has(id) && isSamplerClass(graph[id].class_type));

  // Sampler chains, linked by latents: roots start from their own latent.
  const previous = new Map<string, string>();
  const origin = new Map<string, ReturnType<Reader['latentOrigin']>>();
  for (const id of samplerIds) {
    const view = r.link(id, 'latent_image');
    const o = r.latentOrigin(view);
    origin.set(id, o);
    if (o?.kind === 'sampler' && o.id !== id) previous.set(id, o.id);
  }
  const roots = samplerIds.filter((id) => !previous.has(id));
  const chains = roots.map((root) => {
    const chain = [root];
    for (let i = 0; i < chain.length; i++)
      for (const id of samplerIds) if (previous.get(id) === chain[i] && !chain.includes(id)) chain.push(id);
    return chain;
  });
  const views = new Map(samplerIds.map((id) => [id, r.samplerView(id)]));

  const perChain: Array<Partial<Record<ParamName, Found>>> = [];
  const loraTargetsPerChain: LoraTarget[][] = [];
  for (const chain of chains) {
    const vs = chain.map((id) => views.get(id) as SamplerView);
    const root = vs[0];
    const f: Partial<Record<ParamName, Found>> = {};
    f.seed = unionFound(vs.map((v) => v.seed));
    f.steps = unionFound(vs.map((v) => v.steps));
    f.cfg = unionFound(vs.map((v) => v.cfg));
    f.samplerName = unionFound(vs.map((v) => v.samplerName));
    f.scheduler = unionFound(vs.map((v) => v.scheduler));
    f.denoise = root.denoise;

    const positives = vs.map((v) => r.promptOf('prompt', v.positive, `${v.label} has no positive conditioning`, workflowName));
    const negatives = vs.map((v) => r.promptOf('negativePrompt', v.negative, v.negativeAbsent ?? `${v.label} has no negative conditioning`, workflowName));
    f.prompt = unionFound(positives);
    f.negativePrompt = unionFound(negatives);
    vs.forEach((v, i) => {
      const pos = positives[i];
      const neg = negatives[i];
      if (pos.encoder && neg.encoder && pos.encoder === neg.encoder)
        f.negativePrompt = ambiguous(
          `negativePrompt: the same ${r.label(pos.encoder)} feeds both 'positive' and 'negative' of ${v.label}; ${mappingAdvice('negativePrompt', workflowName)}, or null if the workflow takes no negative prompt`,
          [pos.encoder],
        );
    });
    const guidance = vs.flatMap((v) => (v.positive ? r.traceConditioning(v.positive.link).guidance : []));
    f.guidance = guidance.length > 0 ? targets(guidance) : missing('no FluxGuidance on the positive conditioning (the model takes cfg instead)');

    // Size and clip length from the latent the chain starts from.
    const model = r.traceModel(root.model);
    const o = origin.get(root.id);
    if (o?.kind === 'source') {
      const size = (param: ParamName, input: string, absent: string): Found =>
        input in graph[o.id].inputs ? r.literal(param, o.id, input) : missing(absent);
      const followers = (side: 'width' | 'height') =>
        model.followers.flatMap((id) => {
          const names = SIZE_FOLLOWERS[graph[id].class_type];
          const input = side === 'width' ? names[0] : names[1];
          return input in graph[id].inputs && !asLink(graph[id].inputs[input]) ? [{ nodeId: id, input }] : [];
        });
      const withFollowers = (found: Found, side: 'width' | 'height'): Found =>
        found.kind === 'targets' ? targets([...found.targets, ...followers(side)]) : found;
      f.widthPx = withFollowers(size('widthPx', 'width', `${r.label(o.id)} has no width`), 'width');
      f.heightPx = withFollowers(size('heightPx', 'height', `${r.label(o.id)} has no height`), 'height');
      f.batchSize = size('batchSize', 'batch_size', `${r.label(o.id)} has no batch_size`);
      f.lengthFrames = size('lengthFrames', 'length', `${r.label(o.id)} makes a still image: no length`);
    } else {
      const why =
        o?.kind === 'pixels'
          ? `the size comes from the image encoded by ${r.label(o.id)}`
          : o?.kind === 'unknown'
            ? `${root.label} starts from ${r.label(o.id)}, which the binder does not know`
            : `${root.label} has no latent_image input`;
      const size = (param: ParamName): Found => (o?.kind === 'unknown' ? ambiguous(`${param}: ${why}; ${mappingAdvice(param, workflowName)}`, [o.id]) : missing(why));
      f.widthPx = size('widthPx');
      f.heightPx = size('heightPx');
      f.batchSize = size('batchSize');
      f.lengthFrames = missing(why);
    }

    // Checkpoint and LoRA placement from the first sampler's model path.
    if (model.loaderId && model.loaderLink) {
      const loader = graph[model.loaderId];
      const input = MODEL_LOADERS[loader.class_type] ?? ('ckpt_name' in loader.inputs ? 'ckpt_name' : 'unet_name');
      f.checkpoint = r.literal('checkpoint', model.loaderId, input);
      const rootEncoder = positives[0].encoder;
      loraTargetsPerChain.push([
        {
          loaderId: model.loaderId,
          modelLink: model.loaderLink,
          chain: model.loras.map((id) => r.existingLora(id)),
          clipLink: r.clipAnchor(rootEncoder),
        },
      ]);
    } else {
      f.checkpoint = model.blocked
        ? ambiguous(`checkpoint: the model of ${root.label} comes from ${r.label(model.blocked)}, which the binder does not know; ${mappingAdvice('checkpoint', workflowName)}`, [model.blocked])
        : missing(`${root.label} has no model input`);
      loraTargetsPerChain.push([]);
    }
    perChain.push(f);
  }

  // Merge chains: one chain decides; several must agree or the parameter is ambiguous.
  const found: Partial<Record<ParamName, Found>> = {};
  const samplerParams: ParamName[] = ['seed', 'steps', 'cfg', 'samplerName', 'scheduler', 'denoise', 'prompt', 'negativePrompt', 'guidance', 'widthPx', 'heightPx', 'batchSize', 'lengthFrames', 'checkpoint'];
  for (const param of samplerParams) {
    if (chains.length === 0) {
      found[param] = missing('the workflow has no sampler (KSampler, KSamplerAdvanced, SamplerCustom or SamplerCustomAdvanced) that an output depends on');
      continue;
    }
    const all = perChain.map((f) => f[param] as Found);
    if (all.length === 1) {
      found[param] = all[0];
      continue;
    }
    const first = all[0];
    if (all.every((f) => f.kind === 'targets') && all.every((f) => sameTargets((f as { targets: InputRef[] }).targets, (first as { targets: InputRef[] }).targets))) found[param] = first;
    else if (all.every((f) => f.kind === 'missing')) found[param] = first;
    else {
      const candidates = all.flatMap((f) => (f.kind === 'targets' ? f.targets.map(formatInputRef) : f.kind === 'ambiguous' ? f.candidates : []));
      found[param] = ambiguous(
        `${param}: ${countWord(roots.length)} independent samplers (${roots.join(', ')}) each start from their own latent, and the binder cannot tell which one is meant; ${mappingAdvice(param, workflowName)}`,
        [...new Set(candidates)],
      );
    }
  }

  // Reference image, frame rate and file name prefix: anywhere the outputs depend on.
  const imageLoaders = ids.filter((id) => reachable.has(id) && IMAGE_LOADERS[graph[id].class_type]);
  if (imageLoaders.length === 1) found.referenceImage = r.literal('referenceImage', imageLoaders[0], IMAGE_LOADERS[graph[imageLoaders[0]].class_type]);
  else if (imageLoaders.length === 0) found.referenceImage = missing('the workflow loads no image (no LoadImage)');
  else
    found.referenceImage = ambiguous(
      `referenceImage: ${countWord(imageLoaders.length)} LoadImage nodes (${imageLoaders.join(', ')}) feed the workflow; add a mapping file beside the workflow (${workflowName}.mapping.json) with {"referenceImage": "${imageLoaders[0]}.image"} to say which one takes the reference`,
      imageLoaders,
    );
  const rateRefs = ids.flatMap((id) => {
    const input = FRAME_RATE_INPUTS[graph[id].class_type];
    if (!reachable.has(id) || !input || !(input in graph[id].inputs)) return [];
    const f = r.literal('frameRate', id, input);
    return f.kind === 'targets' ? f.targets : [];
  });
  found.frameRate = rateRefs.length > 0 ? targets(rateRefs) : missing('the workflow writes no video (no CreateVideo, SaveAnimatedWEBP, SaveWEBM or VHS_VideoCombine)');
  const prefixRefs = outputs.flatMap((id) => ('filename_prefix' in graph[id].inputs && !asLink(graph[id].inputs.filename_prefix) ? [{ nodeId: id, input: 'filename_prefix' }] : []));
  found.filenamePrefix = prefixRefs.length > 0 ? targets(prefixRefs) : missing('no output node has a filename_prefix');

  // The mapping file overrides.
  for (const [param, refs] of Object.entries(mapping?.params ?? {}) as Array<[ParamName, InputRef[] | null]>) {
    if (refs === null) {
      found[param] = missing('the mapping file says the workflow has no place for it');
      continue;
    }
    const resolved: InputRef[] = [];
    for (const ref of refs) {
      const f = r.literal(param, ref.nodeId, ref.input);
      if (f.kind !== 'targets')
        throw new AppError('invalid_mapping', `${workflowName}.mapping.json: ${param} points at ${formatInputRef(ref)}: ${f.reason}.`, 'Point the mapping at the node that holds the value.');
      resolved.push(...f.targets);
    }
    found[param] = { kind: 'targets', targets: dedupe(resolved), fromMapping: true };
  }

  const bindings: Partial<Record<ParamName, ParamBinding>> = {};
  const missingList: BindingProblem[] = [];
  const ambiguousList: BindingProblem[] = [];
  for (const param of PARAM_NAMES) {
    const f = found[param] ?? missing('not found');
    if (f.kind === 'targets') {
      const [first, ...rest] = f.targets;
      bindings[param] = { nodeId: first.nodeId, input: first.input, also: rest, source: f.fromMapping ? 'mapping' : 'structure' };
    } else if (f.kind === 'missing') missingList.push({ param, reason: f.reason, candidates: [] });
    else ambiguousList.push({ param, reason: f.reason, candidates: f.candidates });
  }

  // LoRA targets: the mapping's loaders, else the first chain's loader (several chains must agree).
  let loraTargets: LoraTarget[] = [];
  if (mapping?.loras === null) missingList.push({ param: 'loras', reason: 'the mapping file says the workflow takes no LoRAs', candidates: [] });
  else if (mapping?.loras) {
    const structural = loraTargetsPerChain.flat();
    loraTargets = mapping.loras.map((loaderId) => {
      const known = structural.find((t) => t.loaderId === loaderId);
      if (known) return known;
      const modelLink: NodeLink = [loaderId, 0];
      const clipSlot = graph[loaderId].class_type === 'CheckpointLoaderSimple' ? 1 : null;
      return {
        loaderId,
        modelLink,
        chain: r.forwardLoraChain(modelLink).map((id) => r.existingLora(id)),
        clipLink: clipSlot === null ? null : ([loaderId, clipSlot] as NodeLink),
      };
    });
  } else {
    const distinct = [...new Map(loraTargetsPerChain.flat().map((t) => [t.loaderId, t])).values()];
    if (distinct.length === 1) loraTargets = distinct;
    else if (distinct.length === 0) missingList.push({ param: 'loras', reason: 'no model loader feeds a sampler, so there is nowhere to put LoRAs', candidates: [] });
    else
      ambiguousList.push({
        param: 'loras',
        reason: `loras: ${countWord(distinct.length)} independent samplers take their models from different loaders (${distinct.map((t) => t.loaderId).join(', ')}); add a mapping file beside the workflow (${workflowName}.mapping.json) with {"loras": "${distinct[0].loaderId}"}`,
        candidates: distinct.map((t) => t.loaderId),
      });
  }

  const checkpointBinding = bindings.checkpoint;
  const checkpointValue = checkpointBinding ? graph[checkpointBinding.nodeId].inputs[checkpointBinding.input] : undefined;
  const checkpoint = typeof checkpointValue === 'string' ? checkpointValue : undefined;
  const models: ModelFileRef[] = [];
  for (const id of ids)
    for (const input of MODEL_FILE_INPUTS[graph[id].class_type] ?? [])
      if (typeof graph[id].inputs[input] === 'string') models.push({ nodeId: id, input, name: graph[id].inputs[input] as string });

  return {
    bindings,
    missing: missingList,
    ambiguous: ambiguousList,
    samplers: chains.flat(),
    outputs,
    loras: loraTargets[0]?.chain ?? [],
    loraTargets,
    family: checkpoint ? detectFamily(checkpoint) : null,
    requires: {
      nodeTypes: [...new Set(ids.map((id) => graph[id].class_type))].sort(),
      ...(checkpoint ? { checkpoint } : {}),
      loras: [...new Set(models.filter((m) => LORA_LOADERS.has(graph[m.nodeId].class_type)).map((m) => m.name))].sort(),
      models,
    },
  };
}

// ---- binding -------------------------------------------------------------------------------------------

function valueFor(param: ParamName, value: unknown): unknown {
  if (param === 'frameRate') {
    const rate = value as { num: number; den: number };
    return rate.num / rate.den;
  }
  return value;
}

/** KSamplerAdvanced stages split one schedule: keep the split when steps change (10 of 20 -> 4 of 8). */
function rescaleStages(graph: WorkflowGraph, ref: InputRef, newSteps: number): void {
  const node = graph[ref.nodeId];
  if (node.class_type !== 'KSamplerAdvanced' || ref.input !== 'steps') return;
  const oldSteps = node.inputs.steps;
  if (typeof oldSteps !== 'number' || oldSteps <= 0 || oldSteps === newSteps) return;
  for (const input of ['start_at_step', 'end_at_step']) {
    const v = node.inputs[input];
    if (typeof v !== 'number') continue;
    if (v === oldSteps) node.inputs[input] = newSteps;
    else if (v < oldSteps) node.inputs[input] = Math.round((v * newSteps) / oldSteps);
  }
}

function rewire(graph: WorkflowGraph, refs: InputRef[], link: NodeLink): void {
  for (const ref of refs) graph[ref.nodeId].inputs[ref.input] = [link[0], link[1]];
}

function loraNode(spec: LoraSpec, model: NodeLink, clip: NodeLink | null) {
  const strengthClip = spec.strengthClip ?? spec.strengthModel;
  return clip
    ? { class_type: 'LoraLoader', inputs: { lora_name: spec.name, strength_model: spec.strengthModel, strength_clip: strengthClip, model, clip }, _meta: { title: 'Load LoRA' } }
    : { class_type: 'LoraLoaderModelOnly', inputs: { lora_name: spec.name, strength_model: spec.strengthModel, model }, _meta: { title: 'LoraLoaderModelOnly' } };
}

function applyLoras(graph: WorkflowGraph, target: LoraTarget, loras: LoraSpec[], withClip: boolean): void {
  const chain = target.chain.map((l) => l.nodeId);
  // Existing LoRA nodes take the first LoRAs.
  for (let i = 0; i < Math.min(chain.length, loras.length); i++) {
    const node = graph[chain[i]];
    node.inputs.lora_name = loras[i].name;
    node.inputs.strength_model = loras[i].strengthModel;
    if (node.class_type === 'LoraLoader') node.inputs.strength_clip = loras[i].strengthClip ?? loras[i].strengthModel;
  }
  if (loras.length > chain.length) {
    // New LoRA nodes go between the chain's end (or the loader) and everything that consumed it.
    const last = chain.at(-1);
    const modelSource: NodeLink = last ? [last, 0] : target.modelLink;
    const clipSource = withClip ? target.clipLink : null;
    const modelConsumers = consumersOf(graph, modelSource);
    const clipConsumers = clipSource ? consumersOf(graph, clipSource) : [];
    let model = modelSource;
    let clip = clipSource;
    for (const spec of loras.slice(chain.length)) {
      const id = nextNodeId(graph);
      graph[id] = loraNode(spec, model, clip);
      model = [id, 0];
      if (clip) clip = [id, 1];
    }
    rewire(graph, modelConsumers, model);
    if (clipSource && clip) rewire(graph, clipConsumers, clip);
  }
  // Surplus LoRA nodes are bypassed and removed, last first.
  for (const id of chain.slice(loras.length).reverse()) {
    const node = graph[id];
    const modelIn = asLink(node.inputs.model);
    if (modelIn) rewire(graph, consumersOf(graph, [id, 0]), modelIn);
    const clipIn = asLink(node.inputs.clip);
    if (node.class_type === 'LoraLoader' && clipIn) rewire(graph, consumersOf(graph, [id, 1]), clipIn);
    delete graph[id];
  }
}

/**
 * Returns a copy of `graph` with `params` written where {@link analyzeWorkflow} places them. The input graph is
 * never changed.
 *
 * LoRAs (`params.loras`, the complete list wanted): the workflow's own LoRA nodes after the model loader take
 * the first ones (names and strengths); more are inserted as new LoraLoader (or LoraLoaderModelOnly, per the
 * family or when no CLIP is found) nodes between the chain's end and all its consumers, which are rewired;
 * surplus LoRA nodes are bypassed and removed. With several model loaders (SDXL refiner, Wan 2.2 high/low
 * noise) LoRAs go on the first sampler's path unless the mapping names loaders.
 *
 * @param params values to write (see `WorkflowParamsSchema`); only those given are written.
 * @param mapping a parsed mapping file that overrides the structure.
 * @throws AppError `invalid_params` (a value out of range), `workflow_ambiguous` (a parameter the structure
 *   cannot place: the message names it, why, and the mapping that would settle it), `workflow_param_missing`
 *   (the workflow has no place for a given parameter; pass `skipMissing` to ignore), `too_many_loras` (more
 *   than the family's limit), plus the errors of {@link analyzeWorkflow}. All problems are reported at once.
 */
export function bindWorkflow(graph: WorkflowGraph, params: WorkflowParams, mapping?: WorkflowMapping | null, options: BindOptions = {}): WorkflowGraph {
  const name = options.workflowName ?? 'workflow';
  const parsed = WorkflowParamsSchema.safeParse(params);
  if (!parsed.success)
    throw new AppError(
      'invalid_params',
      `Workflow parameters are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}.`,
      'Correct the values and try again.',
    );
  const values = parsed.data;
  const analysis = analyzeWorkflow(graph, mapping, name);
  const out = cloneGraph(graph);
  const errors: string[] = [];
  let missingOnly = true;

  for (const param of PARAM_NAMES) {
    const value = values[param];
    if (value === undefined) continue;
    const binding = analysis.bindings[param];
    if (binding) {
      const refs = [{ nodeId: binding.nodeId, input: binding.input }, ...binding.also];
      for (const ref of refs) {
        if (param === 'steps') rescaleStages(out, ref, value as number);
        out[ref.nodeId].inputs[ref.input] = valueFor(param, value);
      }
      continue;
    }
    const amb = analysis.ambiguous.find((p) => p.param === param);
    if (amb) {
      errors.push(amb.reason);
      missingOnly = false;
      continue;
    }
    const miss = analysis.missing.find((p) => p.param === param);
    if (!options.skipMissing) errors.push(`${param}: ${miss?.reason ?? 'not found'}`);
  }

  if (values.loras !== undefined) {
    const loras = values.loras;
    const checkpoint = values.checkpoint ?? analysis.requires.checkpoint;
    const family = options.family ?? (checkpoint ? detectFamily(checkpoint) : null);
    const preset = family ? FAMILY_PRESETS[family] : null;
    const limit = options.loraLimit ?? preset?.loraLimit ?? Infinity;
    const amb = analysis.ambiguous.find((p) => p.param === 'loras');
    if (loras.length > limit) {
      errors.push(
        `loras: ${loras.length} LoRAs asked for, but ${preset ? preset.label : 'this workflow'} takes at most ${limit}${limit > 0 ? `; remove ${loras.length - limit}` : ''}`,
      );
      missingOnly = false;
    } else if (amb) {
      // Without a place, an empty list is harmless only when the workflow has no LoRA nodes to remove.
      if (loras.length > 0 || analysis.requires.loras.length > 0) {
        errors.push(amb.reason);
        missingOnly = false;
      }
    } else if (analysis.loraTargets.length === 0) {
      if (loras.length > 0 && !options.skipMissing) errors.push(`loras: ${analysis.missing.find((p) => p.param === 'loras')?.reason ?? 'nowhere to put LoRAs'}`);
    } else {
      const withClip = (preset?.loraNode ?? 'LoraLoader') === 'LoraLoader';
      for (const target of analysis.loraTargets) applyLoras(out, target, loras, withClip);
    }
  }

  if (errors.length > 0) {
    const tooMany = errors.some((e) => e.startsWith('loras:') && e.includes('at most'));
    throw new AppError(
      tooMany && errors.length === 1 ? 'too_many_loras' : missingOnly ? 'workflow_param_missing' : 'workflow_ambiguous',
      `The workflow cannot take these parameters: ${errors.join('; ')}.`,
      missingOnly ? 'Leave those parameters out for this workflow, or choose a workflow that has them.' : MAPPING_HINT(name),
    );
  }
  return out;
}
