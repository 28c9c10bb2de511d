import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesFromObjectInfo, choicesOfSpec, type ComfyNodeInfo } from './capabilities.ts';
import { FakeComfyServer } from './fake/FakeComfyServer.ts';

describe('capabilitiesFromObjectInfo', () => {
  let server: FakeComfyServer;
  beforeAll(async () => {
    server = await FakeComfyServer.start({
      models: { checkpoints: ['sdxl.safetensors', 'sd15.safetensors'], loras: ['ink.safetensors'], vaes: ['vae.pt'], upscaleModels: ['4x-UltraSharp.pth'] },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads model lists, samplers and node types from a server object_info', async () => {
    const info = (await (await fetch(`${server.url}/object_info`)).json()) as Record<string, ComfyNodeInfo>;
    const capabilities = capabilitiesFromObjectInfo(info);
    expect(capabilities.checkpoints).toEqual(['sd15.safetensors', 'sdxl.safetensors']);
    expect(capabilities.loras).toEqual(['ink.safetensors']);
    expect(capabilities.vaes).toEqual(['vae.pt']);
    expect(capabilities.upscaleModels).toEqual(['4x-UltraSharp.pth']);
    expect(capabilities.samplers).toContain('euler');
    expect(capabilities.schedulers).toContain('karras');
    expect(capabilities.inputImages).toEqual(['example.png']);
    expect(capabilities.nodeTypes.has('KSampler')).toBe(true);
    expect(capabilities.nodeTypes.has('Canny')).toBe(false);
  });

  it('reads both choice encodings and nothing else', () => {
    expect(choicesOfSpec([['a', 'b'], { tooltip: 'x' }])).toEqual(['a', 'b']);
    expect(choicesOfSpec(['COMBO', { options: ['c', 'd'] }])).toEqual(['c', 'd']);
    expect(choicesOfSpec(['INT', { min: 0 }])).toBeUndefined();
    expect(choicesOfSpec('IMAGE')).toBeUndefined();
  });
});
