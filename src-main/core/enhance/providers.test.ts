import type { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildConvModel } from './modelBuilders.ts';
import { chooseProvider, createSessionWithFallback, defaultSessionFactory, providerCandidates, type SessionFactory } from './providers.ts';

const LINUX_BACKENDS = [
  { name: 'cpu', bundled: true },
  { name: 'webgpu', bundled: true },
  { name: 'cuda', bundled: false },
  { name: 'tensorrt', bundled: false },
];

/** A factory that throws for the named providers and makes real CPU sessions for the others, recording calls. */
function factoryFailingFor(failing: Record<string, string>): { factory: SessionFactory; calls: string[][] } {
  const calls: string[][] = [];
  const factory: SessionFactory = async (model, options) => {
    const providers = (options.executionProviders ?? []).map((p) => (typeof p === 'string' ? p : p.name));
    calls.push(providers);
    const name = providers[0];
    if (failing[name]) throw new Error(failing[name]);
    return defaultSessionFactory(model, { ...options, executionProviders: ['cpu'] });
  };
  return { factory, calls };
}

describe('providerCandidates', () => {
  it('on Linux: skips CUDA and TensorRT whose libraries are missing, with the reason, and keeps WebGPU', async () => {
    const list = await providerCandidates({ platform: 'linux', supported: LINUX_BACKENDS, libraryExists: () => false });
    expect(list.map((c) => c.name)).toEqual(['cuda', 'tensorrt', 'webgpu']);
    expect(list[0].skipReason).toMatch(/libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so not installed/);
    expect(list[2].skipReason).toBeUndefined();
  });

  it('tries CUDA when its libraries are present', async () => {
    const list = await providerCandidates({ platform: 'linux', supported: LINUX_BACKENDS, libraryExists: () => true });
    expect(list.find((c) => c.name === 'cuda')?.skipReason).toBeUndefined();
  });

  it('on Windows: DirectML and WebGPU; on macOS: CoreML and WebGPU; a provider missing from the binary is skipped', async () => {
    const win = await providerCandidates({ platform: 'win32', supported: [{ name: 'cpu', bundled: true }, { name: 'dml', bundled: true }, { name: 'webgpu', bundled: true }], libraryExists: () => false });
    expect(win.filter((c) => !c.skipReason).map((c) => c.name)).toEqual(['dml', 'webgpu']);
    expect(win.find((c) => c.name === 'cuda')?.skipReason).toMatch(/does not include the cuda provider/);
    const mac = await providerCandidates({ platform: 'darwin', supported: [{ name: 'cpu', bundled: true }, { name: 'coreml', bundled: true }] });
    expect(mac.map((c) => [c.name, !c.skipReason])).toEqual([
      ['coreml', true],
      ['webgpu', false],
    ]);
  });
});

describe('chooseProvider', () => {
  it('falls back to the CPU when the GPU provider throws, and reports why', async () => {
    const { factory, calls } = factoryFailingFor({ webgpu: 'Failed to get a WebGPU adapter: No supported adapters' });
    const choice = await chooseProvider({ platform: 'linux', supported: LINUX_BACKENDS, libraryExists: () => false, createSession: factory });
    expect(choice.provider).toBe('cpu');
    expect(choice.tried).toEqual([
      { name: 'cuda', ok: false, error: expect.stringMatching(/not tried/) },
      { name: 'tensorrt', ok: false, error: expect.stringMatching(/not tried/) },
      { name: 'webgpu', ok: false, error: 'Failed to get a WebGPU adapter: No supported adapters' },
      { name: 'cpu', ok: true },
    ]);
    // Every session was made with ONE provider: never a list that could throw as a whole.
    expect(calls).toEqual([['webgpu'], ['cpu']]);
  });

  it('takes the first GPU provider that works', async () => {
    const { factory } = factoryFailingFor({ cuda: 'CUDA driver version is insufficient' });
    const choice = await chooseProvider({ platform: 'linux', supported: LINUX_BACKENDS, libraryExists: () => true, createSession: factory });
    expect(choice.provider).toBe('tensorrt');
    expect(choice.tried.map((t) => [t.name, t.ok])).toEqual([
      ['cuda', false],
      ['tensorrt', true],
    ]);
    expect(choice.tried[0].error).toBe('CUDA driver version is insufficient');
  });

  it('refuses a provider whose session loads but computes wrong values', async () => {
    const wrong: SessionFactory = async (model, options) => {
      const provider = (options.executionProviders ?? [])[0];
      // "webgpu" here runs a different model: a noisy convolution instead of the probe's identity.
      const bytes = provider === 'webgpu' ? buildConvModel({ inputName: 'x', outputName: 'y', noise: 0.5 }) : model;
      return defaultSessionFactory(bytes, { ...options, executionProviders: ['cpu'] });
    };
    const choice = await chooseProvider({ platform: 'linux', supported: LINUX_BACKENDS, libraryExists: () => false, createSession: wrong });
    expect(choice.provider).toBe('cpu');
    expect(choice.tried.find((t) => t.name === 'webgpu')?.error).toMatch(/probe returned wrong values/);
  });

  it('uses only the CPU when GPUs are turned off', async () => {
    const choice = await chooseProvider({ useGpu: false });
    expect(choice).toEqual({ provider: 'cpu', tried: [{ name: 'cpu', ok: true }] });
  });

  it('on this machine picks a provider that works, after recording every attempt', async () => {
    const choice = await chooseProvider();
    const last = choice.tried.at(-1)!;
    expect(last).toEqual({ name: choice.provider, ok: true });
    for (const t of choice.tried.slice(0, -1)) expect(t.ok === false && typeof t.error === 'string' && t.error.length > 0).toBe(true);
  });
});

describe('createSessionWithFallback', () => {
  it('loads the model on the CPU when the chosen GPU provider cannot load it, and says so', async () => {
    const { factory } = factoryFailingFor({ webgpu: 'Unsupported operator DepthToSpace' });
    const made = await createSessionWithFallback(buildConvModel({ scale: 2 }), { provider: 'webgpu', tried: [{ name: 'webgpu', ok: true }] }, factory);
    expect(made.provider).toBe('cpu');
    expect(made.tried).toEqual([
      { name: 'webgpu', ok: false, error: 'model session failed: Unsupported operator DepthToSpace' },
      { name: 'cpu', ok: true },
    ]);
    await (made.session as InferenceSession).release();
  });

  it('throws with both errors when the model cannot load anywhere', async () => {
    const { factory } = factoryFailingFor({});
    await expect(createSessionWithFallback(new Uint8Array([1, 2, 3]), { provider: 'cpu', tried: [{ name: 'cpu', ok: true }] }, factory)).rejects.toThrow(/The model could not be loaded/);
  });
});
