/**
 * Image-prompt adapters: reference pictures of characters wired into a bound workflow, so a server that has the
 * adapter nodes draws the character from its pictures as well as from the text and the LoRA. Pure functions over
 * API-format graphs (no I/O); the queue uploads the pictures and calls {@link insertImageAdapter} at submit time,
 * once it knows which server runs the job (`src-main/core/queue/references.ts`).
 *
 * Two adapter families, chosen by the model family of the workflow:
 * - `ipadapter` (SD 1.5, SDXL, Pony, Illustrious), the nodes of cubiq/ComfyUI_IPAdapter_plus
 *   (`IPAdapterPlus.py`): `IPAdapterUnifiedLoader {model, preset}` -> `(MODEL, IPADAPTER)`, then one
 *   `IPAdapterAdvanced {model, ipadapter, image, weight, weight_type, combine_embeds, start_at, end_at,
 *   embeds_scaling}` -> `MODEL` per picture, chained. The MODEL that fed the sampler now flows through them: every
 *   consumer of the sampler's model link is rewired to the last adapter's output.
 * - `redux` (Flux dev, schnell, krea, pro), ComfyUI's own nodes (`nodes.py`): `CLIPVisionLoader {clip_name}`,
 *   `StyleModelLoader {style_model_name}`, per picture `CLIPVisionEncode {clip_vision, image, crop}` and
 *   `StyleModelApply {conditioning, style_model, clip_vision_output, strength, strength_type}`, chained on the
 *   positive conditioning just before the sampler (or its guider): the sampler's conditioning now flows through them.
 * Each picture is a `LoadImage {image}` of a file already in the server's input folder.
 */
import { choicesFor, type ComfyNodeInfo } from '../capabilities.ts';
import { asLink, cloneGraph, consumersOf, type InputRef, type NodeLink, nextNodeId, type WorkflowGraph } from './graph.ts';
import { CUSTOM_ADVANCED_SAMPLERS, GUIDERS, isSamplerClass } from './nodeRoles.ts';
import { analyzeWorkflow } from './binder.ts';
import { AppError } from '../../errors.ts';

/** The adapter families StoryCanvas can wire in. */
export type AdapterKind = 'ipadapter' | 'redux';

/** The node classes a server needs for each adapter family. */
export const ADAPTER_NODE_CLASSES: Readonly<Record<AdapterKind, readonly string[]>> = {
  ipadapter: ['LoadImage', 'IPAdapterUnifiedLoader', 'IPAdapterAdvanced'],
  redux: ['LoadImage', 'CLIPVisionLoader', 'CLIPVisionEncode', 'StyleModelLoader', 'StyleModelApply'],
};

/** IPAdapterUnifiedLoader presets, most suited to a character's likeness first. */
export const IPADAPTER_PRESET_PREFERENCE = ['PLUS (high strength)', 'STANDARD (medium strength)', 'VIT-G (medium strength)'];

const IPADAPTER_FAMILIES = new Set(['sd15', 'sdxl', 'pony', 'illustrious']);
const REDUX_FAMILIES = new Set(['flux_dev', 'flux_schnell', 'flux_krea', 'flux_pro']);

/**
 * The adapter family a model family takes: IP-Adapter for SD 1.5 and SDXL (and its fine-tunes Pony and
 * Illustrious), Flux Redux for Flux; null for the others (video and other image families: none is wired).
 */
export function adapterKindForFamily(family: string | null | undefined): AdapterKind | null {
  if (!family) return null;
  if (IPADAPTER_FAMILIES.has(family)) return 'ipadapter';
  if (REDUX_FAMILIES.has(family)) return 'redux';
  return null;
}

/** What a server offers, as far as adapters are concerned (a `ServerCapabilities` fits). */
export interface AdapterServerInfo {
  nodeTypes: ReadonlySet<string>;
  /** The server's `/object_info` entries, by class (for the model lists of the loaders). */
  nodes: Record<string, ComfyNodeInfo>;
}

/** How the adapter is wired: the family and the model files chosen from the server's lists. */
export type AdapterPlan =
  | { kind: 'ipadapter'; preset: string }
  | { kind: 'redux'; styleModel: string; clipVision: string };

/** The outcome of {@link chooseAdapter}: a plan, or why none (a sentence for the take's provenance). */
export type AdapterChoice = { ok: true; plan: AdapterPlan } | { ok: false; reason: string };

/**
 * Whether a server can run the image-prompt adapter of a model family, and with which files.
 * - IP-Adapter: the three node classes, and a preset among the unified loader's choices (PLUS first). The unified
 *   loader finds its IP-Adapter and CLIP vision models by itself (models/ipadapter, models/clip_vision): a server
 *   that lacks them fails the run, with the loader's message.
 * - Redux: the five node classes, a style model whose name says `redux` (models/style_models, e.g.
 *   `flux1-redux-dev.safetensors`) and a CLIP vision model, SigLIP preferred (`sigclip_vision_patch14_384`).
 */
export function chooseAdapter(family: string | null | undefined, server: AdapterServerInfo): AdapterChoice {
  const kind = adapterKindForFamily(family);
  if (!kind) return { ok: false, reason: `the ${family ?? 'unknown'} model family has no image-prompt adapter StoryCanvas can wire in (IP-Adapter: SD 1.5 and SDXL; Redux: Flux)` };
  const absent = ADAPTER_NODE_CLASSES[kind].filter((c) => !server.nodeTypes.has(c));
  if (absent.length > 0) {
    const what = kind === 'ipadapter' ? 'IP-Adapter nodes (ComfyUI_IPAdapter_plus)' : 'Flux Redux nodes';
    return { ok: false, reason: `the server has no ${what}: it lacks ${absent.join(', ')}` };
  }
  if (kind === 'ipadapter') {
    const presets = choicesFor(server.nodes, 'IPAdapterUnifiedLoader', 'preset') ?? [];
    const preset = IPADAPTER_PRESET_PREFERENCE.find((p) => presets.includes(p)) ?? presets[0];
    if (!preset) return { ok: false, reason: 'the server\'s IPAdapterUnifiedLoader offers no preset' };
    return { ok: true, plan: { kind, preset } };
  }
  const styles = choicesFor(server.nodes, 'StyleModelLoader', 'style_model_name') ?? [];
  const styleModel = styles.find((s) => /redux/i.test(s));
  if (!styleModel) return { ok: false, reason: 'the server has no Flux Redux style model in models/style_models (flux1-redux-dev.safetensors)' };
  const visions = choicesFor(server.nodes, 'CLIPVisionLoader', 'clip_name') ?? [];
  const clipVision = visions.find((v) => /sigclip|siglip/i.test(v)) ?? visions[0];
  if (!clipVision) return { ok: false, reason: 'the server has no CLIP vision model in models/clip_vision (sigclip_vision_patch14_384.safetensors)' };
  return { ok: true, plan: { kind, styleModel, clipVision } };
}

/** One reference picture: a file in the server's input folder and its weight (0..1). */
export interface AdapterImage {
  image: string;
  weight: number;
}

/** The result of {@link insertImageAdapter}: the new graph and the ids of the nodes added. */
export interface AdapterInsertion {
  graph: WorkflowGraph;
  nodeIds: string[];
}

/** The input of a sampler (or of its guider, for SamplerCustomAdvanced) that takes `role`. */
function samplerInput(graph: WorkflowGraph, samplerId: string, role: 'model' | 'positive'): InputRef | null {
  const node = graph[samplerId];
  if (!CUSTOM_ADVANCED_SAMPLERS.has(node.class_type)) return role in node.inputs ? { nodeId: samplerId, input: role } : null;
  const guider = asLink(node.inputs.guider);
  if (!guider || !graph[guider[0]]) return null;
  const g = graph[guider[0]];
  if (role === 'model') return 'model' in g.inputs ? { nodeId: guider[0], input: 'model' } : null;
  const positive = GUIDERS[g.class_type]?.positive ?? ('positive' in g.inputs ? 'positive' : 'conditioning' in g.inputs ? 'conditioning' : null);
  return positive && positive in g.inputs ? { nodeId: guider[0], input: positive } : null;
}

/**
 * Adds the adapter nodes for `images` to a copy of a bound graph (the input is not changed).
 * The sampler is the first one the outputs depend on (the base of an SDXL refiner chain, the high-noise pass...).
 * @returns the new graph and the added node ids; with no images, a copy of the graph and no nodes.
 * @throws AppError `workflow_adapter` when the graph has no sampler whose model (IP-Adapter) or positive
 *   conditioning (Redux) is a link; `invalid_params` for a weight outside 0..1 or an empty file name.
 */
export function insertImageAdapter(graph: WorkflowGraph, plan: AdapterPlan, images: readonly AdapterImage[], workflowName = 'workflow'): AdapterInsertion {
  for (const img of images) {
    if (!img.image) throw new AppError('invalid_params', 'A reference picture needs the name of its file in the server\'s input folder.', 'Upload the picture first.');
    if (!(img.weight >= 0 && img.weight <= 1)) throw new AppError('invalid_params', `A reference weight is between 0 and 1, not ${img.weight}.`, 'Give a weight such as 0.6.');
  }
  const out = cloneGraph(graph);
  if (images.length === 0) return { graph: out, nodeIds: [] };
  const analysis = analyzeWorkflow(graph, null, workflowName);
  const sampler = analysis.samplers.find((id) => isSamplerClass(graph[id].class_type));
  const role = plan.kind === 'ipadapter' ? 'model' : 'positive';
  const target = sampler ? samplerInput(out, sampler, role) : null;
  const source = target ? asLink(out[target.nodeId].inputs[target.input]) : null;
  if (!target || !source) {
    throw new AppError(
      'workflow_adapter',
      `The workflow ${workflowName} has no sampler whose ${role === 'model' ? 'model' : 'positive conditioning'} can pass through an image-prompt adapter.`,
      'Use a workflow with a KSampler or SamplerCustomAdvanced, or generate without reference pictures.',
    );
  }
  const added: string[] = [];
  const add = (node: WorkflowGraph[string]): NodeLink => {
    const id = nextNodeId(out);
    out[id] = node;
    added.push(id);
    return [id, 0];
  };

  if (plan.kind === 'ipadapter') {
    // Every consumer of the model link (the sampler, a hires pass of the same model...) moves to the adapter's output.
    const consumers = consumersOf(out, source);
    const loader = add({ class_type: 'IPAdapterUnifiedLoader', inputs: { model: source, preset: plan.preset }, _meta: { title: 'IPAdapter Unified Loader (StoryCanvas)' } });
    let model: NodeLink = [loader[0], 0];
    for (const img of images) {
      const picture = add({ class_type: 'LoadImage', inputs: { image: img.image }, _meta: { title: 'Reference picture (StoryCanvas)' } });
      model = add({
        class_type: 'IPAdapterAdvanced',
        inputs: {
          model,
          ipadapter: [loader[0], 1],
          image: picture,
          weight: img.weight,
          weight_type: 'linear',
          combine_embeds: 'concat',
          start_at: 0,
          end_at: 1,
          embeds_scaling: 'V only',
        },
        _meta: { title: 'IPAdapter Advanced (StoryCanvas)' },
      });
    }
    for (const ref of consumers) out[ref.nodeId].inputs[ref.input] = [model[0], model[1]];
    return { graph: out, nodeIds: added };
  }

  // Redux: only the sampler's (or guider's) positive input moves; other users of the text conditioning keep it.
  const vision = add({ class_type: 'CLIPVisionLoader', inputs: { clip_name: plan.clipVision }, _meta: { title: 'Load CLIP Vision (StoryCanvas)' } });
  const style = add({ class_type: 'StyleModelLoader', inputs: { style_model_name: plan.styleModel }, _meta: { title: 'Load Style Model (StoryCanvas)' } });
  let conditioning: NodeLink = source;
  for (const img of images) {
    const picture = add({ class_type: 'LoadImage', inputs: { image: img.image }, _meta: { title: 'Reference picture (StoryCanvas)' } });
    const encoded = add({ class_type: 'CLIPVisionEncode', inputs: { clip_vision: vision, image: picture, crop: 'center' }, _meta: { title: 'CLIP Vision Encode (StoryCanvas)' } });
    conditioning = add({
      class_type: 'StyleModelApply',
      inputs: { conditioning, style_model: style, clip_vision_output: encoded, strength: img.weight, strength_type: 'multiply' },
      _meta: { title: 'Apply Style Model (StoryCanvas)' },
    });
  }
  out[target.nodeId].inputs[target.input] = [conditioning[0], conditioning[1]];
  return { graph: out, nodeIds: added };
}
