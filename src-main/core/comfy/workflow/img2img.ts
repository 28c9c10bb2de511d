/**
 * Image-to-image from a text-to-image workflow: the empty latent the first sampler starts from is replaced by the
 * picture to vary, encoded with the workflow's own VAE (`LoadImage {image}` -> `VAEEncode {pixels, vae}`), so the
 * sampler's `denoise` decides how much of the picture changes. Used by take variations ("same seed, small
 * changes"). Pure: returns a copy, or the reason the workflow does not allow it.
 *
 * Node shapes: ComfyUI `nodes.py` (`LoadImage`, `VAEEncode`, `VAEDecode`, `EmptyLatentImage`).
 */
import { analyzeWorkflow } from './binder.ts';
import { asLink, cloneGraph, consumersOf, nextNodeId, type NodeLink, type WorkflowGraph } from './graph.ts';
import { LATENT_PASS, LATENT_SOURCES, isSamplerClass } from './nodeRoles.ts';

/** The outcome of {@link imageToImageGraph}. */
export type ImageToImage = { ok: true; graph: WorkflowGraph; loadImageId: string } | { ok: false; reason: string };

/** Latent sources that only make an empty latent of a size (no picture, no video frames): these can be replaced. */
const EMPTY_LATENTS = new Set(['EmptyLatentImage', 'EmptySD3LatentImage', 'EmptyHunyuanLatentImage']);

/**
 * Rewrites a (bound) text-to-image graph to start from the picture `imageName` (a file in the server's input
 * folder). Allowed when: the first sampler starts from an empty latent (EmptyLatentImage, EmptySD3LatentImage),
 * the workflow decodes with a VAE (a VAEDecode whose `vae` is a link) and the sampler has a `denoise` to set
 * (KSampler, or SamplerCustomAdvanced with BasicScheduler; not KSamplerAdvanced).
 * @returns the new graph and the LoadImage node id, or `{ok: false, reason}`.
 */
export function imageToImageGraph(graph: WorkflowGraph, imageName: string, workflowName = 'workflow'): ImageToImage {
  const analysis = analyzeWorkflow(graph, null, workflowName);
  if (!analysis.bindings.denoise) return { ok: false, reason: `the workflow's sampler has no denoise to set (${analysis.missing.find((m) => m.param === 'denoise')?.reason ?? 'none found'})` };
  const first = analysis.samplers.find((id) => isSamplerClass(graph[id].class_type));
  if (!first) return { ok: false, reason: 'the workflow has no sampler' };
  // Follow the latent back through pass-through nodes to where it is made.
  let link: NodeLink | null = asLink(graph[first].inputs.latent_image);
  const seen = new Set<string>();
  while (link && !seen.has(link[0]) && !LATENT_SOURCES.has(graph[link[0]].class_type)) {
    seen.add(link[0]);
    const pass = LATENT_PASS[graph[link[0]].class_type];
    link = pass ? asLink(graph[link[0]].inputs[pass]) : null;
  }
  if (!link || !EMPTY_LATENTS.has(graph[link[0]].class_type)) return { ok: false, reason: 'the first sampler does not start from an empty latent image' };
  const vaeDecode = Object.values(graph).find((n) => n.class_type === 'VAEDecode' && asLink(n.inputs.vae));
  const vae = vaeDecode ? asLink(vaeDecode.inputs.vae) : null;
  if (!vae) return { ok: false, reason: 'the workflow has no VAEDecode to borrow the VAE from' };
  const out = cloneGraph(graph);
  const consumers = consumersOf(out, link);
  const loadImageId = nextNodeId(out);
  out[loadImageId] = { class_type: 'LoadImage', inputs: { image: imageName }, _meta: { title: 'Take to vary (StoryCanvas)' } };
  const encodeId = nextNodeId(out);
  out[encodeId] = { class_type: 'VAEEncode', inputs: { pixels: [loadImageId, 0], vae: [vae[0], vae[1]] }, _meta: { title: 'VAE Encode (StoryCanvas)' } };
  for (const ref of consumers) out[ref.nodeId].inputs[ref.input] = [encodeId, 0];
  // The empty latent now feeds nothing; ComfyUI skips nodes no output depends on, but a clean graph is easier to read.
  if (consumersOf(out, link).length === 0 && !Object.values(out).some((n) => Object.values(n.inputs).some((v) => asLink(v)?.[0] === link![0]))) delete out[link[0]];
  return { ok: true, graph: out, loadImageId };
}
