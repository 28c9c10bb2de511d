import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilitiesFromObjectInfo, type ComfyNodeInfo } from '../capabilities.ts';
import { NODE_CATALOG, objectInfoEntry, type CatalogEnv } from '../fake/nodeCatalog.ts';
import { validatePrompt } from '../fake/validate.ts';
import { adapterKindForFamily, chooseAdapter, insertImageAdapter } from './adapters.ts';
import { analyzeWorkflow, bindWorkflow } from './binder.ts';
import { asLink, graphProblems, type WorkflowGraph } from './graph.ts';
import { imageToImageGraph } from './img2img.ts';

const WORKFLOWS = join(import.meta.dirname, '..', '..', '..', '..', 'resources', 'workflows');
const load = (id: string): WorkflowGraph => JSON.parse(readFileSync(join(WORKFLOWS, `${id}.api.json`), 'utf8')) as WorkflowGraph;

/** The fake server's catalogue as a server would describe it, with pictures in its input folder. */
const env: CatalogEnv = {
  models: { checkpoints: ['v1-5-pruned-emaonly.safetensors'], loras: ['bob.safetensors'] },
  inputImages: () => ['storycanvas_ref_a.png', 'storycanvas_ref_b.png'],
  inputImagePath: (name) => (['storycanvas_ref_a.png', 'storycanvas_ref_b.png'].includes(name) ? `/in/${name}` : null),
};
const objectInfo = (names: string[]): Record<string, ComfyNodeInfo> =>
  Object.fromEntries(names.map((n) => [n, objectInfoEntry(NODE_CATALOG.get(n)!, env) as ComfyNodeInfo]));
const everything = capabilitiesFromObjectInfo(objectInfo([...NODE_CATALOG.keys()]));
const stock = capabilitiesFromObjectInfo(objectInfo([...NODE_CATALOG.keys()].filter((n) => !n.startsWith('IPAdapter'))));

/** The node a link comes from, following `input` back from node `id`. */
const from = (graph: WorkflowGraph, id: string, input: string) => graph[asLink(graph[id].inputs[input])![0]];

describe('choosing an adapter', () => {
  it('maps model families to IP-Adapter or Redux', () => {
    expect(['sd15', 'sdxl', 'pony', 'illustrious'].map(adapterKindForFamily)).toEqual(['ipadapter', 'ipadapter', 'ipadapter', 'ipadapter']);
    expect(['flux_dev', 'flux_schnell', 'flux_krea'].map(adapterKindForFamily)).toEqual(['redux', 'redux', 'redux']);
    expect(adapterKindForFamily('wan_2_2')).toBeNull();
    expect(adapterKindForFamily(null)).toBeNull();
  });

  it('takes the PLUS preset when the server has the IP-Adapter nodes, and says what is missing otherwise', () => {
    expect(chooseAdapter('sd15', everything)).toEqual({ ok: true, plan: { kind: 'ipadapter', preset: 'PLUS (high strength)' } });
    const none = chooseAdapter('sd15', stock);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toBe('the server has no IP-Adapter nodes (ComfyUI_IPAdapter_plus): it lacks IPAdapterUnifiedLoader, IPAdapterAdvanced');
    expect(chooseAdapter('wan_2_2', everything)).toMatchObject({ ok: false, reason: expect.stringMatching(/wan_2_2 model family has no image-prompt adapter/) });
  });

  it('needs a Redux style model and a CLIP vision model for Flux', () => {
    const redux = (styles: string[], visions: string[]) => ({
      nodeTypes: new Set(['LoadImage', 'CLIPVisionLoader', 'CLIPVisionEncode', 'StyleModelLoader', 'StyleModelApply']),
      nodes: {
        StyleModelLoader: { input: { required: { style_model_name: [styles] } } },
        CLIPVisionLoader: { input: { required: { clip_name: [visions] } } },
      },
    });
    expect(chooseAdapter('flux_dev', redux(['flux1-redux-dev.safetensors'], ['clip_vit_l.safetensors', 'sigclip_vision_patch14_384.safetensors']))).toEqual({
      ok: true,
      plan: { kind: 'redux', styleModel: 'flux1-redux-dev.safetensors', clipVision: 'sigclip_vision_patch14_384.safetensors' },
    });
    expect(chooseAdapter('flux_dev', redux(['coadapter-style.pth'], ['sigclip.safetensors']))).toMatchObject({ ok: false, reason: expect.stringMatching(/no Flux Redux style model/) });
    expect(chooseAdapter('flux_dev', redux(['flux1-redux-dev.safetensors'], []))).toMatchObject({ ok: false, reason: expect.stringMatching(/no CLIP vision model/) });
    expect(chooseAdapter('flux_dev', everything)).toMatchObject({ ok: false, reason: expect.stringMatching(/no Flux Redux nodes: it lacks CLIPVisionLoader/) });
  });
});

describe('inserting IP-Adapter', () => {
  const plan = { kind: 'ipadapter' as const, preset: 'PLUS (high strength)' };
  const images = [
    { image: 'storycanvas_ref_a.png', weight: 0.6 },
    { image: 'storycanvas_ref_b.png', weight: 0.3 },
  ];

  it('routes the sampler model through the loader and one IPAdapterAdvanced per picture, after the LoRAs', () => {
    const bound = bindWorkflow(load('sd15_txt2img'), { prompt: 'cbob man, Bob', loras: [{ name: 'bob.safetensors', strengthModel: 0.8 }] });
    const { graph, nodeIds } = insertImageAdapter(bound, plan, images);
    expect(graphProblems(graph)).toEqual([]);
    expect(nodeIds.map((id) => graph[id].class_type)).toEqual(['IPAdapterUnifiedLoader', 'LoadImage', 'IPAdapterAdvanced', 'LoadImage', 'IPAdapterAdvanced']);
    // KSampler <- IPAdapterAdvanced(b) <- IPAdapterAdvanced(a) <- UnifiedLoader <- LoraLoader <- checkpoint
    const second = from(graph, '3', 'model');
    expect(second.class_type).toBe('IPAdapterAdvanced');
    expect(second.inputs.weight).toBe(0.3);
    expect(from(graph, asLink(graph['3'].inputs.model)![0], 'image').inputs.image).toBe('storycanvas_ref_b.png');
    const first = from(graph, asLink(graph['3'].inputs.model)![0], 'model');
    expect(first.inputs).toMatchObject({ weight: 0.6, weight_type: 'linear', combine_embeds: 'concat', start_at: 0, end_at: 1, embeds_scaling: 'V only' });
    const loader = from(graph, asLink(second.inputs.ipadapter)![0], 'model');
    expect(loader.class_type).toBe('LoraLoader');
    expect(graph[asLink(second.inputs.ipadapter)![0]].inputs.preset).toBe('PLUS (high strength)');
    // The input graph is untouched, and the binder still finds every parameter in the new one.
    expect(from(bound, '3', 'model').class_type).toBe('LoraLoader');
    const again = analyzeWorkflow(graph);
    expect(again.bindings.prompt).toMatchObject({ nodeId: '6', input: 'text' });
    expect(again.loras.map((l) => l.name)).toEqual(['bob.safetensors']);
    expect(again.requires.nodeTypes).toEqual(expect.arrayContaining(['IPAdapterAdvanced', 'IPAdapterUnifiedLoader', 'LoadImage']));
  });

  it('gives a graph ComfyUI validates (the test double checks it like ComfyUI 0.3.64)', () => {
    const bound = bindWorkflow(load('sd15_txt2img'), { prompt: 'x', loras: [{ name: 'bob.safetensors' }] });
    const { graph } = insertImageAdapter(bound, plan, images);
    const outcome = validatePrompt(graph as Record<string, unknown>, NODE_CATALOG, env);
    expect(outcome.nodeErrors).toEqual({});
    expect(outcome.ok).toBe(true);
    const noPicture = insertImageAdapter(bound, plan, [{ image: 'missing.png', weight: 1 }]).graph;
    expect(validatePrompt(noPicture as Record<string, unknown>, NODE_CATALOG, env).ok).toBe(false);
  });

  it('adapts only the base of an SDXL refiner chain', () => {
    const { graph } = insertImageAdapter(load('sdxl_refiner_txt2img'), plan, images.slice(0, 1));
    expect(from(graph, '10', 'model').class_type).toBe('IPAdapterAdvanced');
    expect(from(graph, '11', 'model').class_type).toBe('CheckpointLoaderSimple');
  });

  it('refuses bad weights and leaves a graph without pictures as it was', () => {
    const bound = load('sd15_txt2img');
    expect(() => insertImageAdapter(bound, plan, [{ image: 'a.png', weight: 1.5 }])).toThrow(/between 0 and 1/);
    expect(insertImageAdapter(bound, plan, [])).toEqual({ graph: bound, nodeIds: [] });
  });
});

describe('inserting Flux Redux', () => {
  it('chains StyleModelApply on the guider\'s conditioning, after FluxGuidance', () => {
    const bound = bindWorkflow(load('flux_dev_txt2img'), { prompt: 'Bob in the park' });
    const plan = { kind: 'redux' as const, styleModel: 'flux1-redux-dev.safetensors', clipVision: 'sigclip_vision_patch14_384.safetensors' };
    const { graph, nodeIds } = insertImageAdapter(bound, plan, [{ image: 'storycanvas_ref_a.png', weight: 0.5 }]);
    expect(graphProblems(graph)).toEqual([]);
    expect(nodeIds.map((id) => graph[id].class_type)).toEqual(['CLIPVisionLoader', 'StyleModelLoader', 'LoadImage', 'CLIPVisionEncode', 'StyleModelApply']);
    const apply = from(graph, '22', 'conditioning');
    expect(apply.class_type).toBe('StyleModelApply');
    expect(apply.inputs).toMatchObject({ strength: 0.5, strength_type: 'multiply', conditioning: ['26', 0] });
    expect(from(graph, asLink(apply.inputs.clip_vision_output)![0], 'image').inputs.image).toBe('storycanvas_ref_a.png');
    // The binder still reaches the prompt and the guidance through the new node.
    const again = analyzeWorkflow(graph);
    expect(again.bindings.prompt).toMatchObject({ nodeId: '6', input: 'text' });
    expect(again.bindings.guidance).toMatchObject({ nodeId: '26', input: 'guidance' });
  });
});

describe('image to image', () => {
  it('replaces the empty latent by the encoded picture and keeps denoise settable', () => {
    const r = imageToImageGraph(load('sd15_txt2img'), 'storycanvas_take.png');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(graphProblems(r.graph)).toEqual([]);
    expect(r.graph['5']).toBeUndefined();
    const encode = from(r.graph, '3', 'latent_image');
    expect(encode.class_type).toBe('VAEEncode');
    expect(encode.inputs.vae).toEqual(['4', 2]);
    expect(r.graph[r.loadImageId].inputs.image).toBe('storycanvas_take.png');
    const bound = bindWorkflow(r.graph, { denoise: 0.35 }, null, { skipMissing: true });
    expect(bound['3'].inputs.denoise).toBe(0.35);
    const flux = imageToImageGraph(load('flux_dev_txt2img'), 'x.png');
    expect(flux.ok && from(flux.graph, '13', 'latent_image').class_type).toBe('VAEEncode');
  });

  it('says why a workflow cannot start from a picture', () => {
    expect(imageToImageGraph(load('sdxl_refiner_txt2img'), 'x.png')).toMatchObject({ ok: false, reason: expect.stringMatching(/no denoise/) });
    expect(imageToImageGraph(load('wan22_i2v'), 'x.png').ok).toBe(false);
  });
});
