/**
 * Consistency aids in real jobs, end to end against the ComfyUI test double: a character with a reference picture
 * and a LoRA, attached to a shot, with a style template -> the prompt graph the server received holds the trigger
 * words, the description, the LoRA in a LoraLoader, the template's negative prompt and, on a server with the
 * IP-Adapter nodes, the adapter nodes and the uploaded picture. On a server without them the take's meta says the
 * pictures were not used and why. The take counts for its template and joins the generation pool.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_CATALOG } from '../comfy/fake/nodeCatalog.ts';
import type { FakeComfyServer } from '../comfy/fake/FakeComfyServer.ts';
import { QueueHarness } from './testHarness.ts';

const SMALL = { widthPx: 64, heightPx: 64, steps: 2 };
const MODELS = { checkpoints: ['v1-5-pruned-emaonly.safetensors'], loras: ['cbob_v2.safetensors', 'grain.safetensors'] };

let harness: QueueHarness;
afterEach(async () => {
  await harness?.close();
});

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

/** The graphs a fake server received with POST /prompt. */
function postedGraphs(server: FakeComfyServer): Graph[] {
  return server.requests.filter((r) => r.method === 'POST' && r.route === '/prompt').map((r) => (r.body as { prompt: Graph }).prompt);
}

/** A project with one shot of Cyber Bob, the character (LoRA, trigger words, description, one picture) and a template. */
async function setUp(): Promise<{ projectId: string; shotId: string; templateId: string }> {
  const { projectId, shotIds } = await harness.project(1, 'Refs');
  const core = harness.core;
  await core.call('character.create', {
    character: { name: 'Cyber Bob', description: 'a goofy man of 40 in a grey suit', triggerWords: ['cbob man'], lora: { name: 'cbob_v2.safetensors', strength: 0.8 }, referenceWeight: 0.5 },
  });
  const dir = join(harness.root, 'pictures');
  mkdirSync(dir, { recursive: true });
  const picture = join(dir, 'bob.png');
  writeFileSync(picture, await sharp({ create: { width: 32, height: 48, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer());
  await core.call('character.addReference', { name: 'Cyber Bob', path: picture, weight: 1 });
  await core.call('character.attach', { projectId, name: 'Cyber Bob', shotIds });
  const template = await core.call('template.create', {
    template: { name: 'Noir', stylePrompt: 'charcoal storyboard sketch', negativePrompt: 'color, photo', loras: [{ name: 'grain.safetensors', strengthModel: 0.4 }], sampler: { cfg: 5.5 } },
  });
  await core.call('project.setDefaultTemplate', { projectId, template: template.id });
  return { projectId, shotId: shotIds[0], templateId: template.id };
}

describe('composed prompts and reference pictures in generation jobs', () => {
  it('wires the character into the graph and, on a server with IP-Adapter, uploads the picture and inserts the adapter', async () => {
    harness = new QueueHarness();
    const comfy = await harness.server({ models: MODELS });
    await harness.addServer(comfy, 'With adapters');
    const { projectId, shotId, templateId } = await setUp();
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds: [shotId], takes: 1, seedMode: 'sequence', seed: 7, overrides: SMALL });
    expect(jobs[0].prompt).toBe('wide shot, full body, cbob man, Cyber Bob: a goofy man of 40 in a grey suit, Shot action 1, charcoal storyboard sketch');
    const [done] = await harness.waitForJobs(projectId, [jobs[0].id]);

    const [graph] = postedGraphs(comfy);
    const classes = Object.values(graph).map((n) => n.class_type);
    expect(classes).toEqual(expect.arrayContaining(['LoraLoader', 'IPAdapterUnifiedLoader', 'IPAdapterAdvanced', 'LoadImage']));
    const texts = Object.values(graph).filter((n) => n.class_type === 'CLIPTextEncode').map((n) => n.inputs.text);
    expect(texts).toContain(jobs[0].prompt);
    expect(texts).toContain('color, photo');
    const loras = Object.values(graph).filter((n) => n.class_type === 'LoraLoader').map((n) => [n.inputs.lora_name, n.inputs.strength_model]);
    expect(loras).toEqual([
      ['grain.safetensors', 0.4],
      ['cbob_v2.safetensors', 0.8],
    ]);
    const sampler = Object.values(graph).find((n) => n.class_type === 'KSampler')!;
    expect(sampler.inputs.cfg).toBe(5.5);
    expect(graph[(sampler.inputs.model as [string, number])[0]].class_type).toBe('IPAdapterAdvanced');
    const adapter = Object.values(graph).find((n) => n.class_type === 'IPAdapterAdvanced')!;
    expect(adapter.inputs.weight).toBe(0.5);
    const load = Object.values(graph).find((n) => n.class_type === 'LoadImage')!;
    const uploads = comfy.requests.filter((r) => r.route === '/upload/image');
    expect(uploads).toHaveLength(1);
    expect(load.inputs.image).toMatch(/^storycanvas_ref_[0-9a-f]{32}\.png$/);
    // The server has the picture, and its history holds the same graph.
    const history = (await (await fetch(`${comfy.url}/history/${done.promptId}`)).json()) as Record<string, { prompt: [number, string, Graph] }>;
    expect(Object.values(history[done.promptId!].prompt[2]).some((n) => n.class_type === 'IPAdapterAdvanced')).toBe(true);

    const snapshot = await harness.core.call('project.get', { projectId });
    const take = snapshot.takes.find((t) => t.id === done.takeIds[0])!;
    expect(take.meta).toMatchObject({
      prompt: jobs[0].prompt,
      negativePrompt: 'color, photo',
      seed: 7,
      seedSource: 'sequence',
      templateId,
      templateName: 'Noir',
      characters: ['Cyber Bob'],
      consistencyAids: ['lora:cbob_v2.safetensors', 'trigger words', 'description', 'reference images (ipadapter)'],
      references: { used: true, adapter: 'ipadapter', images: [load.inputs.image] },
    });
    expect(take.meta.params).not.toHaveProperty('consistency');
    // The template counted the take and shows it; the pool finds it by character and words of its prompt.
    const template = await harness.core.call('template.get', { template: templateId });
    expect(template.useCount).toBe(1);
    expect(template.thumbnails[0]).toMatchObject({ takePath: take.path });
    const found = await harness.core.call('library.takes.search', { query: 'goofy charcoal', character: 'CYBER BOB', limit: 10 });
    expect(found.takes.map((t) => t.takeId)).toEqual([take.id]);
  });

  it('runs without the pictures on a server without adapter nodes, and says so on the take', async () => {
    harness = new QueueHarness();
    const stock = [...NODE_CATALOG.keys()].filter((n) => !n.startsWith('IPAdapter'));
    const comfy = await harness.server({ models: MODELS, nodeClasses: stock });
    await harness.addServer(comfy, 'Stock');
    const { projectId, shotId } = await setUp();
    await harness.core.call('shot.setSeed', { projectId, shotIds: [shotId], seed: 4242, locked: true });
    const { jobs } = await harness.core.call('queue.enqueue', { projectId, target: 'shot', shotIds: [shotId], takes: 2, seedMode: 'random', overrides: SMALL });
    expect(jobs.map((j) => j.seed)).toEqual([4242, 4243]);
    const done = await harness.waitForJobs(projectId, jobs.map((j) => j.id));
    const graphs = postedGraphs(comfy);
    expect(graphs).toHaveLength(2);
    for (const graph of graphs) {
      const classes = Object.values(graph).map((n) => n.class_type);
      expect(classes).not.toContain('IPAdapterAdvanced');
      expect(classes).not.toContain('LoadImage');
      expect(classes.filter((c) => c === 'LoraLoader')).toHaveLength(2);
    }
    expect(comfy.requests.some((r) => r.route === '/upload/image')).toBe(false);
    const snapshot = await harness.core.call('project.get', { projectId });
    const take = snapshot.takes.find((t) => t.id === done[0].takeIds[0])!;
    expect(take.meta).toMatchObject({
      seedSource: 'shot',
      consistencyAids: ['lora:cbob_v2.safetensors', 'trigger words', 'description', 'seed locked (shot)'],
      references: { used: false, reason: 'the server has no IP-Adapter nodes (ComfyUI_IPAdapter_plus): it lacks IPAdapterUnifiedLoader, IPAdapterAdvanced' },
    });
  });
});
