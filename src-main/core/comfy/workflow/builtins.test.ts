import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeWorkflow } from './binder.ts';
import { BUILTIN_WORKFLOW_IDS, type BuiltinWorkflow, loadBuiltinWorkflows } from './builtins.ts';
import { asLink } from './graph.ts';

const DIR = fileURLToPath(new URL('../../../../resources/workflows/', import.meta.url));
const TESTDATA = fileURLToPath(new URL('../testdata/workflows/', import.meta.url));

/** Outputs of the node classes the built-ins use (ComfyUI nodes.py / comfy_extras RETURN_TYPES). */
const OUTPUT_COUNT: Record<string, number> = {
  CheckpointLoaderSimple: 3,
  UNETLoader: 1,
  DualCLIPLoader: 1,
  CLIPLoader: 1,
  VAELoader: 1,
  CLIPTextEncode: 1,
  EmptyLatentImage: 1,
  EmptySD3LatentImage: 1,
  KSampler: 1,
  KSamplerAdvanced: 1,
  SamplerCustomAdvanced: 2,
  KSamplerSelect: 1,
  BasicScheduler: 1,
  BasicGuider: 1,
  RandomNoise: 1,
  FluxGuidance: 1,
  ModelSamplingFlux: 1,
  ModelSamplingSD3: 1,
  VAEDecode: 1,
  LoadImage: 2,
  WanImageToVideo: 3,
  CreateVideo: 1,
  EmptyImage: 1,
  ImageInvert: 1,
  SaveImage: 0,
  SaveVideo: 0,
};

describe('built-in workflows', () => {
  let all: BuiltinWorkflow[] = [];
  beforeAll(async () => {
    all = await loadBuiltinWorkflows(DIR);
  });

  it('are all there, each with its description', () => {
    expect(all.map((w) => w.meta.id)).toEqual([...BUILTIN_WORKFLOW_IDS].sort());
    expect(Object.fromEntries(all.map((w) => [w.meta.id, [w.meta.kind, w.meta.family]]))).toEqual({
      flux_dev_txt2img: ['image', 'flux_dev'],
      model_free_probe: ['image', 'none'],
      sd15_txt2img: ['image', 'sd15'],
      sdxl_refiner_txt2img: ['image', 'sdxl'],
      sdxl_txt2img: ['image', 'sdxl'],
      wan22_i2v: ['video', 'wan_2_2'],
    });
  });

  it.each([...BUILTIN_WORKFLOW_IDS])('%s: every link points at an existing node and one of its outputs', (id) => {
    const { graph } = all.find((w) => w.meta.id === id)!;
    let links = 0;
    for (const [nodeId, node] of Object.entries(graph)) {
      expect(OUTPUT_COUNT, `class ${node.class_type} of node ${nodeId}`).toHaveProperty(node.class_type);
      for (const [input, value] of Object.entries(node.inputs)) {
        const link = asLink(value);
        if (!link) continue;
        links++;
        expect(graph, `${nodeId}.${input} -> ${link[0]}`).toHaveProperty([link[0]]);
        expect(link[1], `${nodeId}.${input} -> output ${link[1]} of ${graph[link[0]].class_type}`).toBeLessThan(OUTPUT_COUNT[graph[link[0]].class_type]);
      }
    }
    expect(links).toBeGreaterThan(1);
    expect(analyzeWorkflow(graph).outputs.length).toBe(1);
  });

  it('the model family of each matches its checkpoint', () => {
    for (const w of all) expect(analyzeWorkflow(w.graph).family ?? 'none').toBe(w.meta.family);
  });

  it('sd15_txt2img and model_free_probe are the project reference workflows, unchanged', async () => {
    for (const id of ['sd15_txt2img', 'model_free_probe'])
      expect(await readFile(join(DIR, `${id}.api.json`), 'utf8')).toBe(await readFile(join(TESTDATA, `${id}.api.json`), 'utf8'));
  });

  it('refuses a description whose node types do not match the graph', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sc-builtins-'));
    try {
      await copyFile(join(DIR, 'model_free_probe.api.json'), join(dir, 'model_free_probe.api.json'));
      const meta = JSON.parse(await readFile(join(DIR, 'model_free_probe.meta.json'), 'utf8'));
      meta.requires.nodeTypes = ['SaveImage'];
      await writeFile(join(dir, 'model_free_probe.meta.json'), JSON.stringify(meta));
      await expect(loadBuiltinWorkflows(dir)).rejects.toThrow(
        'model_free_probe.meta.json lists node types SaveImage, but model_free_probe.api.json uses EmptyImage, ImageInvert, SaveImage.',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
