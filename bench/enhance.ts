/**
 * `npm run bench:enhance` (= `node --import tsx bench/enhance.ts`): speed and memory of local enhancement.
 *
 * For each bundled upscale model, through `EnhanceRuntime` (worker thread, default tiles of 256 px with 16 px of
 * overlap, PNG in and out, decode and encode included):
 * - throughput on a 512x512 picture and on a 2048x2048 picture, in megapixels of OUTPUT per second (after one
 *   warm-up job, so model loading is not counted);
 * - for the default model (storycanvas-espcn-x2): peak resident memory (RSS, the process's max RSS from getrusage, worker included) while
 *   upscaling a 4096x4096 picture, measured in a child process so nothing else in this process counts, with (on
 *   Linux) the peak of its anonymous part sampled from /proc/self/status (file-backed pages are libraries and
 *   libvips's mapping of the temporary 8-bit output file); and the same child's peak for a 64x64 picture, the
 *   baseline of Node + onnxruntime + sharp;
 * - onnxruntime-node (CPU) against onnxruntime-web (wasm) on the same model and 512x512 input, inference only, when
 *   onnxruntime-web is installed (the line says why it is skipped otherwise).
 * Ends with ONE line of JSON: the named figures with their units in the names (MpxPerS, Mb = MiB, Ms).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnhanceRuntime } from '../src-main/core/enhance/EnhanceRuntime.ts';
import { defaultBundledModelsDir, listModels } from '../src-main/core/enhance/registry.ts';
import { planarFromRgb, testPixels, writeTestPng } from '../src-main/core/enhance/testSupport.ts';

const here = fileURLToPath(import.meta.url);

/** camelCase key prefix of a model id: storycanvas-espcn-x2 -> espcnX2. */
function keyOf(modelId: string): string {
  const words = modelId.replace(/^storycanvas-/, '').split(/[^a-zA-Z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}

/** What a child run measures (MiB and ms). */
interface ChildReport {
  maxRssMb: number;
  /** Peaks of anonymous (heap, buffers) and file-backed (mapped files, libraries) resident memory, Linux only. */
  peakRssAnonMb?: number;
  peakRssFileMb?: number;
  ms: number;
}

/** Resident anonymous and file-backed memory in MiB from /proc/self/status (Linux), or undefined elsewhere. */
function rssSplit(): { anonMb: number; fileMb: number } | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const anon = /RssAnon:\s+(\d+) kB/.exec(status);
    const file = /RssFile:\s+(\d+) kB/.exec(status);
    return anon && file ? { anonMb: Number(anon[1]) / 1024, fileMb: Number(file[1]) / 1024 } : undefined;
  } catch {
    return undefined;
  }
}

async function child(): Promise<void> {
  // argv: --child <input> <output> <modelId> <bundledDir>
  const [input, output, modelId, bundledDir] = process.argv.slice(3);
  let anon = 0;
  let file = 0;
  // The job runs in the worker thread, so this thread is free to sample the whole process's memory.
  const sampler = setInterval(() => {
    const split = rssSplit();
    if (split) {
      anon = Math.max(anon, split.anonMb);
      file = Math.max(file, split.fileMb);
    }
  }, 20);
  const runtime = new EnhanceRuntime({ roots: { bundledDir }, useGpu: false });
  const result = await runtime.enhance({ inputPath: input, outputPath: output, modelId });
  await runtime.close();
  clearInterval(sampler);
  // maxRSS is in KiB (https://nodejs.org/api/process.html#processresourceusage)
  const report: ChildReport = { maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ms: result.ms };
  if (anon > 0) Object.assign(report, { peakRssAnonMb: Math.round(anon), peakRssFileMb: Math.round(file) });
  console.log(JSON.stringify(report));
}

function childRun(input: string, output: string, modelId: string, bundledDir: string): ChildReport {
  const r = spawnSync(process.execPath, ['--import', 'tsx', here, '--child', input, output, modelId, bundledDir], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildReport;
}

async function ortWebComparison(modelPath: string, figures: Record<string, number | string>, key: string): Promise<void> {
  type Ort = typeof import('onnxruntime-node');
  let ortWeb: Ort | undefined;
  try {
    ortWeb = (await import(/* @vite-ignore */ 'onnxruntime-' + 'web')) as unknown as Ort;
  } catch {
    console.log('onnxruntime-web (wasm) vs onnxruntime-node: skipped: onnxruntime-web is not installed (npm i -D onnxruntime-web to compare).');
    figures.ortWebComparison = 'skipped: onnxruntime-web not installed';
    return;
  }
  const ortNode = await import('onnxruntime-node');
  const [w, h] = [512, 512];
  const input = planarFromRgb(testPixels(w, h), w, h);
  const bytes = new Uint8Array(await readFile(modelPath));
  const timeIt = async (ort: Ort, providers: string[]): Promise<number> => {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: providers });
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, h, w]) };
    await session.run(feeds); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await session.run(feeds);
    await session.release();
    return (performance.now() - t0) / 3;
  };
  const nodeMs = await timeIt(ortNode, ['cpu']);
  const webMs = await timeIt(ortWeb, ['wasm']);
  console.log(`inference only, 512x512 -> x2: onnxruntime-node cpu ${nodeMs.toFixed(0)} ms, onnxruntime-web wasm ${webMs.toFixed(0)} ms`);
  figures[`${key}OrtNodeMs512`] = Math.round(nodeMs);
  figures[`${key}OrtWebWasmMs512`] = Math.round(webMs);
}

async function main(): Promise<void> {
  const bundledDir = defaultBundledModelsDir();
  if (!bundledDir) throw new Error('No resources/models folder found.');
  const { models } = await listModels({ bundledDir });
  // BENCH_ENHANCE_MODELS=id,id narrows the run (every bundled upscaler by default: on 2 CPU cores that is ~20 min).
  const only = process.env.BENCH_ENHANCE_MODELS?.split(',').map((s) => s.trim()).filter(Boolean);
  const upscalers = models.filter((m) => m.task === 'upscale' && (!only || only.includes(m.id)));
  if (!upscalers.length) throw new Error(`No bundled upscale model in ${bundledDir}.`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'sc-bench-enhance-'));
  const figures: Record<string, number | string> = {};
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
  try {
    const runtime = new EnhanceRuntime({ roots: { bundledDir }, useGpu: true });
    const choice = await runtime.providers();
    console.log(`provider: ${choice.provider} (tried: ${choice.tried.map((t) => `${t.name}${t.ok ? ' ok' : `: ${t.error}`}`).join('; ')})`);
    figures.provider = choice.provider;
    const small = await writeTestPng(path.join(work, 'in512.png'), 512, 512);
    const large = await writeTestPng(path.join(work, 'in2048.png'), 2048, 2048);
    for (const model of upscalers) {
      const key = keyOf(model.id);
      await runtime.enhance({ inputPath: small, outputPath: path.join(work, 'warm.png'), modelId: model.id });
      for (const [label, input, side] of [['512', small, 512], ['Tiled2048', large, 2048]] as const) {
        const runs = side === 512 ? 3 : 1;
        let ms = 0;
        let tiles = 0;
        for (let i = 0; i < runs; i++) {
          const r = await runtime.enhance({ inputPath: input, outputPath: path.join(work, `out${side}.png`), modelId: model.id });
          ms += r.ms;
          tiles = r.tilesTotal;
        }
        ms /= runs;
        const outMpx = (side * model.scale) ** 2 / 1e6;
        const rate = outMpx / (ms / 1000);
        console.log(`${model.id}: ${side}x${side} -> x${model.scale} (${tiles} tiles) ${ms.toFixed(0)} ms, ${rate.toFixed(2)} output Mpx/s (${(side * side / 1e6 / (ms / 1000)).toFixed(2)} input Mpx/s)`);
        figures[label === '512' ? `${key}Mpx512PerS` : `${key}Tiled2048MpxPerS`] = Number(rate.toFixed(3));
      }
      await ortWebComparison(model.modelPath, figures, key);
    }
    await runtime.close();

    // the memory test uses the default model (the app's own x2), else the first one measured
    const first = upscalers.find((m) => m.id === 'storycanvas-espcn-x2') ?? upscalers[0];
    const key = keyOf(first.id);
    const tiny = await writeTestPng(path.join(work, 'in64.png'), 64, 64);
    const baseline = childRun(tiny, path.join(work, 'out64.png'), first.id, bundledDir);
    const huge = await writeTestPng(path.join(work, 'in4096.png'), 4096, 4096);
    const peak = childRun(huge, path.join(work, 'out4096.png'), first.id, bundledDir);
    const float32OutputMb = Math.round(((4096 * first.scale) ** 2 * 3 * 4) / 2 ** 20);
    const split = peak.peakRssAnonMb !== undefined ? `; of it at most ${peak.peakRssAnonMb} MiB anonymous and ${peak.peakRssFileMb} MiB file-backed (libraries, and libvips's read-only mapping of the temporary 8-bit output, which the kernel can drop)` : '';
    console.log(`${first.id}: 4096x4096 -> x${first.scale} in a child process: peak RSS ${peak.maxRssMb} MiB${split} (baseline for 64x64: ${baseline.maxRssMb} MiB; the whole float32 output alone would be ${float32OutputMb} MiB), ${(peak.ms / 1000).toFixed(1)} s`);
    figures.peakRssMb4096 = peak.maxRssMb;
    if (peak.peakRssAnonMb !== undefined) figures.peakRssAnonMb4096 = peak.peakRssAnonMb;
    figures.baselineRssMb64 = baseline.maxRssMb;
    figures[`${key}Ms4096`] = peak.ms;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify(figures));
}

if (process.argv[2] === '--child') await child();
else await main();
