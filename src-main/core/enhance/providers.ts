/**
 * Choosing onnxruntime-node's execution provider at start, with a fallback to the CPU that always works.
 *
 * onnxruntime-node 1.30 does not fall back by itself: a list like `['cuda', 'cpu']` throws when CUDA cannot be
 * loaded. So each GPU provider the platform may have is probed ALONE: a tiny session (one 3x3 convolution, see
 * modelBuilders.ts) is created with that single provider and run once, and its output is checked. The first that
 * works is used; the CPU is the last resort. Every attempt is recorded (`tried`) so each job can report which
 * provider ran it and why the others did not.
 *
 * Provider names are those of onnxruntime-node's `executionProviders` option
 * (https://onnxruntime.ai/docs/api/js/interfaces/InferenceSession.SessionOptions.html); what each platform's
 * binary bundles is what `listSupportedBackends()` of the native binding says (Linux x64 1.30: cpu, webgpu, and
 * cuda / tensorrt when their provider libraries are installed beside the binding).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { buildProbeModel } from './modelBuilders.ts';

/** Execution providers the runtime knows, in onnxruntime-node's spelling. */
export type ProviderName = 'cuda' | 'tensorrt' | 'dml' | 'coreml' | 'webgpu' | 'cpu';

/** One attempt at a provider: whether it worked, and if not, why (the error message, or why it was not tried). */
export interface ProviderAttempt {
  name: ProviderName;
  ok: boolean;
  error?: string;
}

/** The provider that runs (or ran) a job, and every provider tried before it, in order. */
export interface ProviderChoice {
  provider: ProviderName;
  tried: ProviderAttempt[];
}

/**
 * Creates an onnxruntime session: onnxruntime-node's `InferenceSession.create` in production, injectable so tests
 * can make a provider throw. It must throw when the session cannot be made.
 */
export type SessionFactory = (model: string | Uint8Array, options: InferenceSession.SessionOptions) => Promise<InferenceSession>;

/** A backend as onnxruntime-node's native `listSupportedBackends()` reports it. */
export interface SupportedBackend {
  name: string;
  /** False when the provider is a separate library that must be installed beside the binding (CUDA, TensorRT). */
  bundled: boolean;
}

/** Every GPU provider in the order they are preferred; the CPU is always added last. */
export const GPU_PROVIDER_ORDER: readonly ProviderName[] = ['cuda', 'tensorrt', 'dml', 'coreml', 'webgpu'];

/** The platforms each provider exists on (Node's `process.platform`). */
const PROVIDER_PLATFORMS: Record<ProviderName, readonly NodeJS.Platform[]> = {
  cuda: ['linux', 'win32'],
  tensorrt: ['linux', 'win32'],
  dml: ['win32'],
  coreml: ['darwin'],
  webgpu: ['linux', 'win32', 'darwin'],
  cpu: ['linux', 'win32', 'darwin'],
};

/** The provider libraries CUDA and TensorRT need beside the binding, by platform. */
function providerLibraries(name: ProviderName, platform: NodeJS.Platform): string[] {
  if (name !== 'cuda' && name !== 'tensorrt') return [];
  return platform === 'win32'
    ? ['onnxruntime_providers_shared.dll', `onnxruntime_providers_${name}.dll`]
    : ['libonnxruntime_providers_shared.so', `libonnxruntime_providers_${name}.so`];
}

/** The folder of onnxruntime-node's native binding for this platform and architecture, or undefined. */
export function onnxBindingDir(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const root = path.dirname(require.resolve('onnxruntime-node/package.json'));
    return path.join(root, 'bin', 'napi-v6', platform, arch);
  } catch {
    return undefined;
  }
}

/** A candidate provider, or the reason it is not tried on this machine. */
export interface ProviderCandidate {
  name: ProviderName;
  /** Set when the provider is not tried: it is then reported with `ok: false` and this reason. */
  skipReason?: string;
}

/** Inputs of `providerCandidates` (all have defaults taken from this process). */
export interface CandidateOptions {
  platform?: NodeJS.Platform;
  /** What the binding supports; default: onnxruntime-node's `listSupportedBackends()`. */
  supported?: SupportedBackend[];
  /** Whether a provider library file exists; default: looks beside the binding. */
  libraryExists?: (fileName: string) => boolean;
  /** Providers to consider, in order; default GPU_PROVIDER_ORDER. `cpu` in the list is ignored (always last). */
  order?: readonly ProviderName[];
}

/**
 * The GPU providers worth probing on this platform, each with the reason it is skipped when it cannot work
 * (not on this platform, not in this binary, library not installed). The CPU is not in the list.
 */
export async function providerCandidates(options: CandidateOptions = {}): Promise<ProviderCandidate[]> {
  const platform = options.platform ?? process.platform;
  let supported = options.supported;
  if (!supported) {
    try {
      const { listSupportedBackends } = await import('onnxruntime-node');
      supported = listSupportedBackends() as SupportedBackend[];
    } catch {
      supported = [{ name: 'cpu', bundled: true }];
    }
  }
  const dir = onnxBindingDir(platform);
  const libraryExists = options.libraryExists ?? ((file: string) => (dir ? existsSync(path.join(dir, file)) : false));
  const out: ProviderCandidate[] = [];
  for (const name of options.order ?? GPU_PROVIDER_ORDER) {
    if (name === 'cpu') continue;
    if (!PROVIDER_PLATFORMS[name].includes(platform)) continue; // never available here: not worth a line
    const backend = supported.find((b) => b.name === name);
    if (!backend) {
      out.push({ name, skipReason: `not tried: this onnxruntime-node binary (${platform}) does not include the ${name} provider` });
      continue;
    }
    const missing = backend.bundled ? [] : providerLibraries(name, platform).filter((f) => !libraryExists(f));
    if (missing.length) {
      out.push({ name, skipReason: `not tried: ${missing.join(', ')} not installed beside onnxruntime-node's binding` });
      continue;
    }
    out.push({ name });
  }
  return out;
}

/** onnxruntime-node's `InferenceSession.create`, loaded on first use. */
export const defaultSessionFactory: SessionFactory = async (model, options) => {
  const { InferenceSession } = await import('onnxruntime-node');
  return typeof model === 'string' ? InferenceSession.create(model, options) : InferenceSession.create(model, options);
};

/** The session options used for one provider: that provider alone, warnings and errors only. */
export function sessionOptionsFor(provider: ProviderName, extra: InferenceSession.SessionOptions = {}): InferenceSession.SessionOptions {
  return { graphOptimizationLevel: 'all', logSeverityLevel: 3, ...extra, executionProviders: [provider] };
}

/** Runs the probe model once on `session` and checks it returns its input (it is an exact identity). */
async function runProbe(session: InferenceSession): Promise<void> {
  const { Tensor } = await import('onnxruntime-node');
  const h = 8;
  const w = 8;
  const data = new Float32Array(3 * h * w);
  for (let i = 0; i < data.length; i++) data[i] = (i % 17) / 16;
  const out = await session.run({ x: new Tensor('float32', data, [1, 3, h, w]) });
  const y = out.y;
  if (!y || y.dims.join('x') !== `1x3x${h}x${w}`) throw new Error(`probe returned shape ${y ? y.dims.join('x') : 'none'}, expected 1x3x${h}x${w}`);
  const values = y.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    if (!(Math.abs(values[i] - data[i]) < 1e-3)) throw new Error(`probe returned wrong values (${values[i]} for ${data[i]} at ${i})`);
  }
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // onnxruntime messages can carry long source paths; keep the first line.
  return text.split('\n')[0].slice(0, 400);
}

/** Options of `chooseProvider`. */
export interface ChooseProviderOptions extends CandidateOptions {
  /** Session factory (tests inject one that throws). Default: onnxruntime-node. */
  createSession?: SessionFactory;
  /** When false, only the CPU is used (and the GPU providers are reported as not tried). Default true. */
  useGpu?: boolean;
}

/**
 * Picks the execution provider for this process: probes each candidate GPU provider alone (a tiny session,
 * created and run once, output checked), takes the first that works, and falls back to the CPU.
 * @returns `{provider, tried}`; `tried` lists every provider considered, in order, with `ok` and the error of
 *   each that failed or was skipped, ending with the chosen one.
 * @throws Error only when even the CPU probe fails (onnxruntime-node itself is broken), naming every error.
 */
export async function chooseProvider(options: ChooseProviderOptions = {}): Promise<ProviderChoice> {
  const createSession = options.createSession ?? defaultSessionFactory;
  const tried: ProviderAttempt[] = [];
  const probe = buildProbeModel();
  const candidates = options.useGpu === false ? [] : await providerCandidates(options);
  for (const candidate of candidates) {
    if (candidate.skipReason) {
      tried.push({ name: candidate.name, ok: false, error: candidate.skipReason });
      continue;
    }
    let session: InferenceSession | undefined;
    try {
      session = await createSession(probe, sessionOptionsFor(candidate.name));
      await runProbe(session);
      tried.push({ name: candidate.name, ok: true });
      return { provider: candidate.name, tried };
    } catch (err) {
      tried.push({ name: candidate.name, ok: false, error: message(err) });
    } finally {
      await session?.release().catch(() => undefined);
    }
  }
  let session: InferenceSession | undefined;
  try {
    session = await createSession(probe, sessionOptionsFor('cpu'));
    await runProbe(session);
    tried.push({ name: 'cpu', ok: true });
    return { provider: 'cpu', tried };
  } catch (err) {
    tried.push({ name: 'cpu', ok: false, error: message(err) });
    throw new Error(`No execution provider works: ${tried.map((t) => `${t.name}: ${t.error ?? 'ok'}`).join('; ')}`);
  } finally {
    await session?.release().catch(() => undefined);
  }
}

/** A session for a real model, on the chosen provider or the CPU. */
export interface ProvidedSession {
  session: InferenceSession;
  provider: ProviderName;
  tried: ProviderAttempt[];
}

/**
 * Creates the session of a model on the provider `chooseProvider` picked; when that fails (a GPU provider that
 * cannot run one of the model's operators, or runs out of memory), creates it on the CPU instead and records why.
 * @param model the model file path or bytes.
 * @throws Error when the CPU session cannot be created either (the model is broken), with both errors.
 */
export async function createSessionWithFallback(
  model: string | Uint8Array,
  choice: ProviderChoice,
  createSession: SessionFactory = defaultSessionFactory,
  extra: InferenceSession.SessionOptions = {},
): Promise<ProvidedSession> {
  const tried = choice.tried.filter((t) => t.name !== choice.provider);
  if (choice.provider !== 'cpu') {
    try {
      const session = await createSession(model, sessionOptionsFor(choice.provider, extra));
      return { session, provider: choice.provider, tried: [...tried, { name: choice.provider, ok: true }] };
    } catch (err) {
      tried.push({ name: choice.provider, ok: false, error: `model session failed: ${message(err)}` });
    }
  }
  try {
    const session = await createSession(model, sessionOptionsFor('cpu', extra));
    return { session, provider: 'cpu', tried: [...tried, { name: 'cpu', ok: true }] };
  } catch (err) {
    throw new Error(`The model could not be loaded: ${message(err)}${tried.length ? ` (after: ${tried.map((t) => `${t.name}: ${t.error ?? 'ok'}`).join('; ')})` : ''}`);
  }
}
