import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { analyzeWorkflow, bindWorkflow } from './binder.ts';
import { cloneGraph, graphProblems, type WorkflowGraph } from './graph.ts';
import { parseMapping } from './mapping.ts';

const WORKFLOWS = fileURLToPath(new URL('../../../../resources/workflows/', import.meta.url));
const load = (id: string): WorkflowGraph => JSON.parse(readFileSync(`${WORKFLOWS}${id}.api.json`, 'utf8')) as WorkflowGraph;

/** Freezes a graph to its leaves, so any write to the caller's graph throws. */
function frozen(graph: WorkflowGraph): WorkflowGraph {
  const freeze = (v: unknown): unknown => {
    if (v && typeof v === 'object') {
      for (const child of Object.values(v)) freeze(child);
      Object.freeze(v);
    }
    return v;
  };
  return freeze(cloneGraph(graph)) as WorkflowGraph;
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

const everyImageParam = {
  prompt: 'INT. KITCHEN - NIGHT, close-up of a kettle',
  negativePrompt: 'text, watermark',
  seed: 123456789,
  steps: 28,
  cfg: 6.5,
  samplerName: 'dpmpp_2m',
  scheduler: 'karras',
  denoise: 0.9,
  widthPx: 1216,
  heightPx: 688,
  batchSize: 2,
  checkpoint: 'my_model.safetensors',
  filenamePrefix: 'storycanvas/12A',
};

describe('binding the shared SD 1.5 graph', () => {
  const graph = frozen(load('sd15_txt2img'));

  it('places every parameter on the inputs the structure leads to', () => {
    const a = analyzeWorkflow(graph);
    expect(a.samplers).toEqual(['3']);
    expect(a.outputs).toEqual(['9']);
    expect(a.bindings.prompt).toMatchObject({ nodeId: '6', input: 'text', also: [], source: 'structure' });
    expect(a.bindings.negativePrompt).toMatchObject({ nodeId: '7', input: 'text' });
    expect(a.bindings.seed).toMatchObject({ nodeId: '3', input: 'seed' });
    expect(a.bindings.widthPx).toMatchObject({ nodeId: '5', input: 'width' });
    expect(a.bindings.checkpoint).toMatchObject({ nodeId: '4', input: 'ckpt_name' });
    expect(a.ambiguous).toEqual([]);
    expect(a.missing.map((m) => m.param).sort()).toEqual(['frameRate', 'guidance', 'lengthFrames', 'referenceImage']);
    expect(a.family).toBe('sd15');
    expect(a.requires).toEqual({
      nodeTypes: ['CLIPTextEncode', 'CheckpointLoaderSimple', 'EmptyLatentImage', 'KSampler', 'SaveImage', 'VAEDecode'],
      checkpoint: 'v1-5-pruned-emaonly.safetensors',
      loras: [],
      models: [{ nodeId: '4', input: 'ckpt_name', name: 'v1-5-pruned-emaonly.safetensors' }],
    });
  });

  it('writes every parameter and leaves the input graph untouched', () => {
    const bound = bindWorkflow(graph, everyImageParam);
    expect(bound['3'].inputs).toEqual({
      seed: 123456789,
      steps: 28,
      cfg: 6.5,
      sampler_name: 'dpmpp_2m',
      scheduler: 'karras',
      denoise: 0.9,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    });
    expect(bound['4'].inputs).toEqual({ ckpt_name: 'my_model.safetensors' });
    expect(bound['5'].inputs).toEqual({ width: 1216, height: 688, batch_size: 2 });
    expect(bound['6'].inputs).toEqual({ text: 'INT. KITCHEN - NIGHT, close-up of a kettle', clip: ['4', 1] });
    expect(bound['7'].inputs).toEqual({ text: 'text, watermark', clip: ['4', 1] });
    expect(bound['9'].inputs).toEqual({ images: ['8', 0], filename_prefix: 'storycanvas/12A' });
    expect(bound['8']).toEqual(graph['8']);
    expect(graph['3'].inputs.seed).toBe(1);
  });

  it('refuses parameters the graph has no place for, unless told to skip them', () => {
    const e = thrown(() => bindWorkflow(graph, { prompt: 'x', lengthFrames: 33 }));
    expect(e.code).toBe('workflow_param_missing');
    expect(e.message).toContain('lengthFrames: EmptyLatentImage 5 makes a still image: no length');
    const bound = bindWorkflow(graph, { prompt: 'x', lengthFrames: 33 }, null, { skipMissing: true });
    expect(bound['6'].inputs.text).toBe('x');
  });

  it('refuses values out of range with the reason', () => {
    const e = thrown(() => bindWorkflow(graph, { widthPx: 1001, steps: 0 }));
    expect(e.code).toBe('invalid_params');
    expect(e.message).toContain('widthPx: must be a multiple of 8 pixels');
    expect(e.message).toContain('steps');
  });
});

describe('binding the built-in workflows', () => {
  it('sdxl_txt2img: the same places as SD 1.5', () => {
    const bound = bindWorkflow(frozen(load('sdxl_txt2img')), everyImageParam);
    expect(bound['3'].inputs).toMatchObject({ seed: 123456789, steps: 28, cfg: 6.5, sampler_name: 'dpmpp_2m', scheduler: 'karras', denoise: 0.9 });
    expect(bound['5'].inputs).toEqual({ width: 1216, height: 688, batch_size: 2 });
    expect(bound['6'].inputs.text).toBe(everyImageParam.prompt);
    expect(bound['7'].inputs.text).toBe('text, watermark');
    expect(bound['4'].inputs.ckpt_name).toBe('my_model.safetensors');
    expect(bound['9'].inputs.filename_prefix).toBe('storycanvas/12A');
  });

  it('sdxl_refiner_txt2img: prompts on base and refiner encoders, one schedule split in proportion', () => {
    const graph = frozen(load('sdxl_refiner_txt2img'));
    const a = analyzeWorkflow(graph);
    expect(a.samplers).toEqual(['10', '11']);
    expect(a.bindings.prompt).toMatchObject({ nodeId: '6', input: 'text', also: [{ nodeId: '15', input: 'text' }] });
    expect(a.bindings.negativePrompt).toMatchObject({ nodeId: '7', also: [{ nodeId: '16', input: 'text' }] });
    expect(a.bindings.checkpoint).toMatchObject({ nodeId: '4', input: 'ckpt_name' });
    const { denoise: _denoise, ...params } = everyImageParam;
    const bound = bindWorkflow(graph, { ...params, steps: 15 });
    expect(bound['10'].inputs).toMatchObject({ noise_seed: 123456789, steps: 15, cfg: 6.5, sampler_name: 'dpmpp_2m', scheduler: 'karras', start_at_step: 0, end_at_step: 12 });
    expect(bound['11'].inputs).toMatchObject({ noise_seed: 123456789, steps: 15, cfg: 6.5, start_at_step: 12, end_at_step: 10000 });
    expect([bound['6'].inputs.text, bound['15'].inputs.text]).toEqual([everyImageParam.prompt, everyImageParam.prompt]);
    expect([bound['7'].inputs.text, bound['16'].inputs.text]).toEqual(['text, watermark', 'text, watermark']);
    expect(bound['4'].inputs.ckpt_name).toBe('my_model.safetensors');
    expect(bound['12'].inputs.ckpt_name).toBe('sd_xl_refiner_1.0.safetensors');
    expect(bound['5'].inputs).toEqual({ width: 1216, height: 688, batch_size: 2 });
    expect(thrown(() => bindWorkflow(graph, { denoise: 0.5 })).message).toContain('KSamplerAdvanced 10 has no denoise');
  });

  it('flux_dev_txt2img: custom sampler nodes, FluxGuidance, ModelSamplingFlux follows the size, no negative', () => {
    const graph = frozen(load('flux_dev_txt2img'));
    const bound = bindWorkflow(graph, {
      prompt: 'a lighthouse in fog',
      seed: 42,
      steps: 8,
      samplerName: 'euler',
      scheduler: 'beta',
      denoise: 1,
      guidance: 3.5,
      widthPx: 1344,
      heightPx: 768,
      batchSize: 1,
      checkpoint: 'flux1-dev-fp8.safetensors',
      filenamePrefix: 'sc/3B',
    });
    expect(bound['6'].inputs).toEqual({ text: 'a lighthouse in fog', clip: ['11', 0] });
    expect(bound['25'].inputs).toEqual({ noise_seed: 42 });
    expect(bound['17'].inputs).toEqual({ scheduler: 'beta', steps: 8, denoise: 1, model: ['30', 0] });
    expect(bound['16'].inputs).toEqual({ sampler_name: 'euler' });
    expect(bound['26'].inputs).toEqual({ guidance: 3.5, conditioning: ['6', 0] });
    expect(bound['27'].inputs).toEqual({ width: 1344, height: 768, batch_size: 1 });
    expect(bound['30'].inputs).toEqual({ max_shift: 1.15, base_shift: 0.5, width: 1344, height: 768, model: ['12', 0] });
    expect(bound['12'].inputs).toEqual({ unet_name: 'flux1-dev-fp8.safetensors', weight_dtype: 'default' });
    expect(bound['9'].inputs.filename_prefix).toBe('sc/3B');
    const e = thrown(() => bindWorkflow(graph, { negativePrompt: 'blurry', cfg: 3 }));
    expect(e.code).toBe('workflow_param_missing');
    expect(e.message).toContain('negativePrompt: BasicGuider 22 takes no negative conditioning');
    expect(e.message).toContain('cfg: BasicGuider 22 has no cfg');
  });

  it('wan22_i2v: reference frame, both noise stages, clip length and frame rate', () => {
    const graph = frozen(load('wan22_i2v'));
    const a = analyzeWorkflow(graph);
    expect(a.samplers).toEqual(['86', '85']);
    const bound = bindWorkflow(graph, {
      prompt: 'she turns to the window',
      negativePrompt: 'static',
      seed: 7,
      steps: 8,
      cfg: 3.5,
      samplerName: 'euler',
      scheduler: 'simple',
      widthPx: 768,
      heightPx: 768,
      lengthFrames: 49,
      frameRate: { num: 24000, den: 1001 },
      checkpoint: 'wan2.2_i2v_high_noise_14B_fp16.safetensors',
      referenceImage: 'shot_12A_frame.png',
      filenamePrefix: 'video/12A',
    });
    expect(bound['93'].inputs.text).toBe('she turns to the window');
    expect(bound['89'].inputs.text).toBe('static');
    expect(bound['86'].inputs).toMatchObject({ noise_seed: 7, steps: 8, cfg: 3.5, start_at_step: 0, end_at_step: 4, add_noise: 'enable' });
    expect(bound['85'].inputs).toMatchObject({ noise_seed: 7, steps: 8, start_at_step: 4, end_at_step: 10000, add_noise: 'disable' });
    expect(bound['98'].inputs).toMatchObject({ width: 768, height: 768, length: 49, batch_size: 1, start_image: ['97', 0] });
    expect(bound['94'].inputs.fps).toBeCloseTo(24000 / 1001, 12);
    expect(bound['95'].inputs.unet_name).toBe('wan2.2_i2v_high_noise_14B_fp16.safetensors');
    expect(bound['96'].inputs.unet_name).toBe('wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors');
    expect(bound['97'].inputs).toEqual({ image: 'shot_12A_frame.png' });
    expect(bound['108'].inputs.filename_prefix).toBe('video/12A');
  });

  it('model_free_probe: only the file name prefix; a prompt is refused', () => {
    const graph = frozen(load('model_free_probe'));
    expect(bindWorkflow(graph, { filenamePrefix: 'health' })['3'].inputs.filename_prefix).toBe('health');
    const e = thrown(() => bindWorkflow(graph, { prompt: 'x' }));
    expect(e.code).toBe('workflow_param_missing');
    expect(e.message).toMatch(/prompt: the workflow has no sampler/);
  });
});

describe('LoRAs', () => {
  const lora = (name: string, strengthModel = 0.8, strengthClip?: number) => ({ name, strengthModel, strengthClip });

  it('adding 2 to SD 1.5 inserts a LoraLoader chain between the checkpoint and its consumers', () => {
    const graph = frozen(load('sd15_txt2img'));
    const bound = bindWorkflow(graph, { loras: [lora('film_grain.safetensors', 0.8, 0.6), lora('noir.safetensors', 1)] });
    expect(graphProblems(bound)).toEqual([]);
    expect(bound['10']).toMatchObject({
      class_type: 'LoraLoader',
      inputs: { lora_name: 'film_grain.safetensors', strength_model: 0.8, strength_clip: 0.6, model: ['4', 0], clip: ['4', 1] },
    });
    expect(bound['11']).toMatchObject({
      class_type: 'LoraLoader',
      inputs: { lora_name: 'noir.safetensors', strength_model: 1, strength_clip: 1, model: ['10', 0], clip: ['10', 1] },
    });
    expect(bound['3'].inputs.model).toEqual(['11', 0]);
    expect(bound['6'].inputs.clip).toEqual(['11', 1]);
    expect(bound['7'].inputs.clip).toEqual(['11', 1]);
    expect(bound['8'].inputs.vae).toEqual(['4', 2]);
    const again = analyzeWorkflow(bound);
    expect(again.loras.map((l) => [l.nodeId, l.name])).toEqual([
      ['10', 'film_grain.safetensors'],
      ['11', 'noir.safetensors'],
    ]);
    expect(again.requires.loras).toEqual(['film_grain.safetensors', 'noir.safetensors']);
  });

  it('reuses an existing chain, extends it after its end, and removes surplus nodes', () => {
    const twice = bindWorkflow(load('sd15_txt2img'), { loras: [lora('a.safetensors'), lora('b.safetensors')] });
    const three = bindWorkflow(frozen(twice), { loras: [lora('x.safetensors', 0.5), lora('y.safetensors'), lora('z.safetensors')] });
    expect(graphProblems(three)).toEqual([]);
    expect(three['10'].inputs).toMatchObject({ lora_name: 'x.safetensors', strength_model: 0.5, model: ['4', 0] });
    expect(three['11'].inputs).toMatchObject({ lora_name: 'y.safetensors', model: ['10', 0] });
    expect(three['12']).toMatchObject({ class_type: 'LoraLoader', inputs: { lora_name: 'z.safetensors', model: ['11', 0], clip: ['11', 1] } });
    expect(three['3'].inputs.model).toEqual(['12', 0]);
    expect(three['6'].inputs.clip).toEqual(['12', 1]);

    const none = bindWorkflow(frozen(three), { loras: [] });
    expect(Object.keys(none).sort()).toEqual(Object.keys(load('sd15_txt2img')).sort());
    expect(none['3'].inputs.model).toEqual(['4', 0]);
    expect(none['6'].inputs.clip).toEqual(['4', 1]);
    expect(none['7'].inputs.clip).toEqual(['4', 1]);

    const one = bindWorkflow(frozen(three), { loras: [lora('only.safetensors')] });
    expect(Object.keys(one).filter((id) => one[id].class_type === 'LoraLoader')).toEqual(['10']);
    expect(one['3'].inputs.model).toEqual(['10', 0]);
    expect(one['7'].inputs.clip).toEqual(['10', 1]);
  });

  it('goes before CLIPSetLastLayer, so the clip skip applies to the LoRA-patched encoder', () => {
    const graph = load('sd15_txt2img');
    graph['20'] = { class_type: 'CLIPSetLastLayer', inputs: { stop_at_clip_layer: -2, clip: ['4', 1] } };
    graph['6'].inputs.clip = ['20', 0];
    graph['7'].inputs.clip = ['20', 0];
    const bound = bindWorkflow(frozen(graph), { loras: [lora('a.safetensors')] });
    expect(bound['21'].inputs).toMatchObject({ model: ['4', 0], clip: ['4', 1] });
    expect(bound['20'].inputs.clip).toEqual(['21', 1]);
    expect(bound['6'].inputs.clip).toEqual(['20', 0]);
    expect(bound['3'].inputs.model).toEqual(['21', 0]);
  });

  it('Flux: the LoRA takes the UNETLoader model and the DualCLIPLoader clip', () => {
    const bound = bindWorkflow(frozen(load('flux_dev_txt2img')), { loras: [lora('style.safetensors', 1)] });
    expect(graphProblems(bound)).toEqual([]);
    expect(bound['31']).toMatchObject({ class_type: 'LoraLoader', inputs: { model: ['12', 0], clip: ['11', 0] } });
    expect(bound['30'].inputs.model).toEqual(['31', 0]);
    expect(bound['6'].inputs.clip).toEqual(['31', 1]);
    expect(bound['22'].inputs.model).toEqual(['30', 0]);
  });

  it('Wan 2.2: model-only LoRA on the high-noise path; a mapping can name both loaders', () => {
    const graph = frozen(load('wan22_i2v'));
    const bound = bindWorkflow(graph, { loras: [lora('motion.safetensors', 0.7)] });
    expect(bound['109']).toEqual({
      class_type: 'LoraLoaderModelOnly',
      inputs: { lora_name: 'motion.safetensors', strength_model: 0.7, model: ['95', 0] },
      _meta: { title: 'LoraLoaderModelOnly' },
    });
    expect(bound['104'].inputs.model).toEqual(['109', 0]);
    expect(bound['103'].inputs.model).toEqual(['96', 0]);
    const both = bindWorkflow(graph, { loras: [lora('motion.safetensors')] }, parseMapping({ loras: ['95', '96'] }));
    expect(both['104'].inputs.model).toEqual(['109', 0]);
    expect(both['103'].inputs.model).toEqual(['110', 0]);
    expect(both['110'].inputs.model).toEqual(['96', 0]);
    expect(graphProblems(both)).toEqual([]);
  });

  it("respects the family's LoRA limit", () => {
    const flux = frozen(load('flux_dev_txt2img'));
    const four = ['a', 'b', 'c', 'd'].map((n) => lora(`${n}.safetensors`));
    const e = thrown(() => bindWorkflow(flux, { loras: four }));
    expect(e.code).toBe('too_many_loras');
    expect(e.message).toContain('loras: 4 LoRAs asked for, but Flux.1 [dev] takes at most 3; remove 1');
    expect(() => bindWorkflow(flux, { loras: four.slice(0, 3) })).not.toThrow();
    const sdxl = frozen(load('sdxl_txt2img'));
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => lora(`${n}.safetensors`));
    expect(thrown(() => bindWorkflow(sdxl, { loras: six })).message).toContain('SDXL takes at most 5');
    expect(Object.keys(bindWorkflow(sdxl, { loras: six.slice(0, 5) })).length).toBe(Object.keys(sdxl).length + 5);
    expect(thrown(() => bindWorkflow(sdxl, { loras: six.slice(0, 2) }, null, { loraLimit: 1 })).code).toBe('too_many_loras');
  });
});

/** SD 1.5 with two prompts combined into the positive. */
function combinedPrompts(): WorkflowGraph {
  const g = load('sd15_txt2img');
  g['9'] = { class_type: 'CLIPTextEncode', inputs: { text: 'rain', clip: ['4', 1] } };
  g['10'] = { class_type: 'ConditioningCombine', inputs: { conditioning_1: ['6', 0], conditioning_2: ['9', 0] } };
  g['3'].inputs.positive = ['10', 0];
  g['11'] = { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'sc' } };
  return g;
}

describe('what the structure cannot decide', () => {
  it('two encoders through a ConditioningCombine: ambiguous, with the nodes and the mapping to write', () => {
    const graph = frozen(combinedPrompts());
    const a = analyzeWorkflow(graph, null, 'rainy');
    expect(a.bindings.prompt).toBeUndefined();
    expect(a.ambiguous).toEqual([
      {
        param: 'prompt',
        reason:
          'prompt: two CLIPTextEncode nodes (6, 9) feed KSampler 3 \'positive\' through a ConditioningCombine (10); add a mapping file beside the workflow (rainy.mapping.json) with {"prompt": "6.text"} to say which one takes the prompt',
        candidates: ['6', '9'],
      },
    ]);
    const e = thrown(() => bindWorkflow(graph, { prompt: 'x', seed: 3 }, null, { workflowName: 'rainy' }));
    expect(e.code).toBe('workflow_ambiguous');
    expect(e.message).toContain("prompt: two CLIPTextEncode nodes (6, 9) feed KSampler 3 'positive' through a ConditioningCombine (10)");
    expect(e.hint).toContain('rainy.mapping.json');
    expect(bindWorkflow(graph, { seed: 3 })['3'].inputs.seed).toBe(3);
  });

  it('a mapping file settles it and overrides what the structure found', () => {
    const graph = frozen(combinedPrompts());
    const mapping = parseMapping({ prompt: '9.text', negative: '7.text', seed: ['3.seed'] });
    const a = analyzeWorkflow(graph, mapping);
    expect(a.ambiguous).toEqual([]);
    expect(a.bindings.prompt).toMatchObject({ nodeId: '9', input: 'text', source: 'mapping' });
    expect(a.bindings.negativePrompt).toMatchObject({ nodeId: '7', source: 'mapping' });
    const bound = bindWorkflow(graph, { prompt: 'thunder', negativePrompt: 'sun' }, mapping);
    expect(bound['9'].inputs.text).toBe('thunder');
    expect(bound['6'].inputs.text).toBe('storyboard frame, wide shot of a city street at night');
    expect(bound['7'].inputs.text).toBe('sun');

    const swapped = bindWorkflow(frozen(load('sd15_txt2img')), { prompt: 'p' }, parseMapping({ prompt: '7.text' }));
    expect(swapped['7'].inputs.text).toBe('p');
    expect(swapped['6'].inputs.text).not.toBe('p');
  });

  it('a mapping null declares a parameter absent; a wrong reference is refused', () => {
    const graph = frozen(load('sd15_txt2img'));
    const mapping = parseMapping({ negativePrompt: null });
    expect(analyzeWorkflow(graph, mapping).missing.find((m) => m.param === 'negativePrompt')?.reason).toContain('mapping file says');
    expect(thrown(() => bindWorkflow(graph, { negativePrompt: 'x' }, mapping)).code).toBe('workflow_param_missing');
    const wrong = thrown(() => analyzeWorkflow(graph, parseMapping({ seed: '3.sed' }), 'mine'));
    expect(wrong.code).toBe('invalid_mapping');
    expect(wrong.message).toContain("mine.mapping.json: seed points at 3.sed, but node 3 (KSampler) has no input 'sed'");
    expect(thrown(() => analyzeWorkflow(graph, parseMapping({ prompt: '66.text' }))).message).toContain('node 66, which is not in the workflow');
  });

  it('a node the binder cannot see through is named', () => {
    const g = load('sd15_txt2img');
    g['20'] = { class_type: 'MyStyleMixer', inputs: { cond_a: ['6', 0], strength: 0.5 } };
    g['3'].inputs.positive = ['20', 0];
    const a = analyzeWorkflow(g);
    expect(a.ambiguous[0]).toMatchObject({ param: 'prompt', candidates: ['20'] });
    expect(a.ambiguous[0].reason).toMatch(/^prompt: KSampler 3 'positive' comes through MyStyleMixer 20, which the binder cannot see through; add a mapping file/);
  });

  it('the same encoder on positive and negative leaves the negative prompt ambiguous', () => {
    const g = load('sd15_txt2img');
    g['3'].inputs.negative = ['6', 0];
    delete g['7'];
    const a = analyzeWorkflow(g);
    expect(a.bindings.prompt).toMatchObject({ nodeId: '6' });
    expect(a.ambiguous.map((p) => p.param)).toEqual(['negativePrompt']);
  });

  it('two independent samplers: shared settings bind, per-sampler ones are ambiguous', () => {
    const g = load('sd15_txt2img');
    g['13'] = { class_type: 'KSampler', inputs: { ...g['3'].inputs, seed: 2, positive: ['16', 0] } };
    g['16'] = { class_type: 'CLIPTextEncode', inputs: { text: 'b', clip: ['4', 1] } };
    g['18'] = { class_type: 'VAEDecode', inputs: { samples: ['13', 0], vae: ['4', 2] } };
    g['19'] = { class_type: 'SaveImage', inputs: { images: ['18', 0], filename_prefix: 'b' } };
    const a = analyzeWorkflow(g);
    expect(a.bindings.checkpoint).toMatchObject({ nodeId: '4' });
    expect(a.bindings.widthPx).toMatchObject({ nodeId: '5' });
    expect(a.bindings.negativePrompt).toMatchObject({ nodeId: '7' });
    const seed = a.ambiguous.find((p) => p.param === 'seed');
    expect(seed?.reason).toMatch(/^seed: two independent samplers \(3, 13\)/);
    expect(seed?.candidates).toEqual(['3.seed', '13.seed']);
    expect(a.ambiguous.find((p) => p.param === 'prompt')?.candidates).toEqual(['6.text', '16.text']);
    expect(a.bindings.filenamePrefix).toMatchObject({ nodeId: '9', also: [{ nodeId: '19', input: 'filename_prefix' }] });
  });
});

describe('structures from the official examples', () => {
  it('Flux checkpoint with KSampler (cfg 1) and ConditioningZeroOut: no negative prompt, guidance found', () => {
    const g: WorkflowGraph = {
      '3': { class_type: 'KSampler', inputs: { seed: 1, steps: 20, cfg: 1, sampler_name: 'euler', scheduler: 'simple', denoise: 1, model: ['4', 0], positive: ['35', 0], negative: ['33', 0], latent_image: ['27', 0] } },
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'flux1-dev-fp8.safetensors' } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
      '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'ComfyUI' } },
      '27': { class_type: 'EmptySD3LatentImage', inputs: { width: 1024, height: 1024, batch_size: 1 } },
      '33': { class_type: 'ConditioningZeroOut', inputs: { conditioning: ['6', 0] } },
      '35': { class_type: 'FluxGuidance', inputs: { guidance: 3.5, conditioning: ['6', 0] } },
    };
    const a = analyzeWorkflow(g);
    expect(a.bindings.prompt).toMatchObject({ nodeId: '6', input: 'text' });
    expect(a.bindings.guidance).toMatchObject({ nodeId: '35', input: 'guidance' });
    expect(a.missing.find((m) => m.param === 'negativePrompt')?.reason).toBe("KSampler 3 'negative' is ConditioningZeroOut 33: the workflow takes no negative prompt");
    expect(a.family).toBe('flux_dev');
    expect(bindWorkflow(g, { guidance: 2.5, cfg: 1 })['35'].inputs.guidance).toBe(2.5);
  });

  it('Wan 2.1 image to video: one LoadImage feeds CLIPVisionEncode and WanImageToVideo', () => {
    const g: WorkflowGraph = {
      '3': { class_type: 'KSampler', inputs: { seed: 1, steps: 20, cfg: 6, sampler_name: 'uni_pc', scheduler: 'simple', denoise: 1, model: ['54', 0], positive: ['50', 0], negative: ['50', 1], latent_image: ['50', 2] } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a girl turns around', clip: ['38', 0] } },
      '7': { class_type: 'CLIPTextEncode', inputs: { text: 'static', clip: ['38', 0] } },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['39', 0] } },
      '28': { class_type: 'SaveAnimatedWEBP', inputs: { images: ['8', 0], filename_prefix: 'ComfyUI', fps: 16, lossless: false, quality: 90, method: 'default' } },
      '37': { class_type: 'UNETLoader', inputs: { unet_name: 'wan2.1_i2v_480p_14B_fp16.safetensors', weight_dtype: 'default' } },
      '38': { class_type: 'CLIPLoader', inputs: { clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', type: 'wan', device: 'default' } },
      '39': { class_type: 'VAELoader', inputs: { vae_name: 'wan_2.1_vae.safetensors' } },
      '49': { class_type: 'CLIPVisionLoader', inputs: { clip_name: 'clip_vision_h.safetensors' } },
      '50': { class_type: 'WanImageToVideo', inputs: { width: 512, height: 512, length: 33, batch_size: 1, positive: ['6', 0], negative: ['7', 0], vae: ['39', 0], clip_vision_output: ['51', 0], start_image: ['52', 0] } },
      '51': { class_type: 'CLIPVisionEncode', inputs: { crop: 'none', clip_vision: ['49', 0], image: ['52', 0] } },
      '52': { class_type: 'LoadImage', inputs: { image: 'flux_dev_example.png' } },
      '54': { class_type: 'ModelSamplingSD3', inputs: { shift: 8, model: ['37', 0] } },
    };
    const bound = bindWorkflow(g, { prompt: 'p', negativePrompt: 'n', referenceImage: 'ref.png', lengthFrames: 81, frameRate: { num: 16, den: 1 }, checkpoint: 'wan2.1_i2v_720p_14B_fp16.safetensors' });
    expect(bound['6'].inputs.text).toBe('p');
    expect(bound['7'].inputs.text).toBe('n');
    expect(bound['52'].inputs.image).toBe('ref.png');
    expect(bound['50'].inputs.length).toBe(81);
    expect(bound['28'].inputs.fps).toBe(16);
    expect(bound['37'].inputs.unet_name).toBe('wan2.1_i2v_720p_14B_fp16.safetensors');
    expect(analyzeWorkflow(g).family).toBe('wan_2_1');
    expect(analyzeWorkflow(g).requires.models.map((m) => m.name)).toContain('clip_vision_h.safetensors');
  });

  it('hires fix through LatentUpscale: the size goes to the first latent, steps to both passes', () => {
    const g = load('sd15_txt2img');
    g['10'] = { class_type: 'LatentUpscale', inputs: { upscale_method: 'nearest-exact', width: 1536, height: 864, crop: 'disabled', samples: ['3', 0] } };
    g['11'] = { class_type: 'KSampler', inputs: { ...g['3'].inputs, denoise: 0.5, latent_image: ['10', 0] } };
    g['8'].inputs.samples = ['11', 0];
    const a = analyzeWorkflow(g);
    expect(a.samplers).toEqual(['3', '11']);
    expect(a.bindings.widthPx).toMatchObject({ nodeId: '5', input: 'width', also: [] });
    expect(a.bindings.steps).toMatchObject({ nodeId: '3', also: [{ nodeId: '11', input: 'steps' }] });
    expect(a.bindings.denoise).toMatchObject({ nodeId: '3', also: [] });
  });

  it('writes a widget wired to a primitive node on that node', () => {
    const g = load('sd15_txt2img');
    g['20'] = { class_type: 'PrimitiveInt', inputs: { value: 5 } };
    g['21'] = { class_type: 'PrimitiveStringMultiline', inputs: { value: 'old' } };
    g['3'].inputs.seed = ['20', 0];
    g['6'].inputs.text = ['21', 0];
    const bound = bindWorkflow(frozen(g), { seed: 99, prompt: 'new' });
    expect(bound['20'].inputs.value).toBe(99);
    expect(bound['21'].inputs.value).toBe('new');
    expect(bound['3'].inputs.seed).toEqual(['20', 0]);
  });

  it('refuses a malformed graph with the broken link named', () => {
    const g = load('sd15_txt2img');
    g['3'].inputs.model = ['44', 0];
    const e = thrown(() => analyzeWorkflow(g));
    expect(e.code).toBe('invalid_workflow');
    expect(e.message).toContain("node 3 input 'model' links to node 44, which is not in the workflow");
  });
});
