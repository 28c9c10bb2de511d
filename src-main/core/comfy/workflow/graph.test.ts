import { describe, expect, it } from 'vitest';
import {
  asLink,
  canonicalJson,
  cloneGraph,
  consumersOf,
  graphProblems,
  isLink,
  nextNodeId,
  sortedNodeIds,
  type WorkflowGraph,
  workflowHash,
} from './graph.ts';

const sd15: WorkflowGraph = {
  '3': { class_type: 'KSampler', inputs: { seed: 1, steps: 20, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] } },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 768, height: 432, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a street', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'sc' } },
};

describe('links', () => {
  it('recognises [nodeId, outputIndex] and nothing else', () => {
    expect(isLink(['4', 1])).toBe(true);
    expect(isLink([4, 0])).toBe(true);
    expect(asLink([4, 0])).toEqual(['4', 0]);
    expect(isLink(['4', -1])).toBe(false);
    expect(isLink(['4', 1.5])).toBe(false);
    expect(isLink(['4', 1, 2])).toBe(false);
    expect(isLink('4')).toBe(false);
    expect(asLink(7)).toBeNull();
  });

  it('finds every consumer of an output, in node order', () => {
    expect(consumersOf(sd15, ['4', 1])).toEqual([
      { nodeId: '6', input: 'clip' },
      { nodeId: '7', input: 'clip' },
    ]);
    expect(consumersOf(sd15, ['4', 0])).toEqual([{ nodeId: '3', input: 'model' }]);
    expect(consumersOf(sd15, ['9', 0])).toEqual([]);
  });
});

describe('graphProblems', () => {
  it('accepts a valid API graph', () => {
    expect(graphProblems(sd15)).toEqual([]);
  });

  it('names a link to a missing node, a malformed link and a node without class_type', () => {
    const broken = {
      ...cloneGraph(sd15),
      '3': { class_type: 'KSampler', inputs: { ...sd15['3'].inputs, model: ['40', 0] } },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 'x'], vae: ['4', 2] } },
      '10': { inputs: {} },
    };
    const problems = graphProblems(broken);
    expect(problems).toContain("node 3 input 'model' links to node 40, which is not in the workflow");
    expect(problems).toContain('node 8 input \'samples\' is a two-item list but not a link [nodeId, outputIndex]: ["3","x"]');
    expect(problems).toContain('node 10 has no class_type');
  });

  it('refuses what is not an object of nodes', () => {
    expect(graphProblems([])).toEqual(['the workflow is not a JSON object of node id -> node']);
    expect(graphProblems({})).toEqual(['the workflow has no nodes']);
  });
});

describe('workflowHash', () => {
  it('is the same whatever the key order, at every depth', () => {
    const reordered: WorkflowGraph = {};
    for (const id of Object.keys(sd15).reverse()) {
      const inputs = Object.fromEntries(Object.entries(sd15[id].inputs).reverse());
      reordered[id] = { inputs, class_type: sd15[id].class_type };
    }
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(sd15));
    expect(workflowHash(reordered)).toBe(workflowHash(sd15));
    expect(workflowHash(sd15)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a value changes', () => {
    const changed = cloneGraph(sd15);
    changed['3'].inputs.seed = 2;
    expect(workflowHash(changed)).not.toBe(workflowHash(sd15));
  });

  it('writes canonical JSON with sorted keys and no whitespace', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: null })).toBe('{"a":null,"b":[2,{"c":"x","d":1}]}');
  });
});

describe('ids', () => {
  it('orders numeric ids numerically and allocates the next free one', () => {
    const g: WorkflowGraph = { '10': sd15['5'], '9': sd15['5'], '12:3': sd15['5'], '100': sd15['5'] };
    expect(sortedNodeIds(g)).toEqual(['9', '10', '100', '12:3']);
    expect(nextNodeId(g)).toBe('101');
  });

  it('clones deeply', () => {
    const copy = cloneGraph(sd15);
    copy['6'].inputs.text = 'changed';
    expect(sd15['6'].inputs.text).toBe('a street');
  });
});
