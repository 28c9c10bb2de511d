import { execFile } from 'node:child_process';
import { writeFile, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_MODELS_DIR, ESPCN_ID, tempDir, writeTestPng } from './testSupport.ts';
import { resolveWorkerEntry } from './workerEntry.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('resolveWorkerEntry', () => {
  it('from sources finds worker.dev.mjs (which registers tsx, then loads worker.ts)', () => {
    const entry = resolveWorkerEntry(pathToFileURL(path.join(here, 'EnhanceRuntime.ts')).href, undefined, {});
    expect(entry).toEqual({ url: pathToFileURL(path.join(here, 'worker.dev.mjs')), kind: 'sources' });
  });

  it('in a bundle finds enhance-worker.js beside the bundle, or one folder up from a chunk', () => {
    const files = new Set(['/app/out/main/enhance-worker.js', '/app/out/main/index.js']);
    const exists = (f: string) => files.has(f);
    expect(resolveWorkerEntry('file:///app/out/main/index.js', exists, {})).toEqual({ url: pathToFileURL('/app/out/main/enhance-worker.js'), kind: 'bundled' });
    expect(resolveWorkerEntry('file:///app/out/main/chunks/EnhanceRuntime-x1.js', exists, {}).url.pathname).toBe('/app/out/main/enhance-worker.js');
  });

  it('prefers a compiled worker.js to the dev entry, and honours STORYCANVAS_ENHANCE_WORKER', () => {
    const files = new Set(['/lib/enhance/worker.js', '/lib/enhance/worker.ts', '/lib/enhance/worker.dev.mjs', '/custom/w.js']);
    const exists = (f: string) => files.has(f);
    expect(resolveWorkerEntry('file:///lib/enhance/EnhanceRuntime.js', exists, {}).kind).toBe('compiled');
    expect(resolveWorkerEntry('file:///lib/enhance/EnhanceRuntime.js', exists, { STORYCANVAS_ENHANCE_WORKER: '/custom/w.js' })).toEqual({ url: pathToFileURL('/custom/w.js'), kind: 'override' });
    expect(() => resolveWorkerEntry('file:///lib/enhance/EnhanceRuntime.js', exists, { STORYCANVAS_ENHANCE_WORKER: '/nope.js' })).toThrow(/STORYCANVAS_ENHANCE_WORKER names \/nope\.js, which does not exist/);
  });

  it('names every place it looked when the worker is missing', () => {
    expect(() => resolveWorkerEntry('file:///app/out/main/index.js', () => false, {})).toThrow(/none of \/app\/out\/main\/enhance-worker\.js, \/app\/out\/enhance-worker\.js, .* exists/);
  });
});

describe('the runtime bundled like the app build', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('sc-enhance-bundle-')));
  afterAll(() => cleanup());

  it('runs a job from a bundle with index.js + enhance-worker.js and no sources around', async () => {
    const out = path.join(dir, 'out', 'main');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(dir, 'out', 'package.json'), '{ "type": "module" }\n');
    const entry = path.join(dir, 'main.ts');
    await writeFile(
      entry,
      [
        `import { EnhanceRuntime } from ${JSON.stringify(path.join(here, 'EnhanceRuntime.ts'))};`,
        `import { resolveWorkerEntry } from ${JSON.stringify(path.join(here, 'workerEntry.ts'))};`,
        'const [inputPath, outputPath, bundledDir] = process.argv.slice(2);',
        'const runtime = new EnhanceRuntime({ roots: { bundledDir }, useGpu: false });',
        `const result = await runtime.enhance({ inputPath, outputPath, modelId: ${JSON.stringify(ESPCN_ID)} });`,
        'await runtime.close();',
        'console.log(JSON.stringify({ entry: resolveWorkerEntry(), result }));',
      ].join('\n'),
    );
    // Native modules stay external, loaded from this repository's node_modules (as the app loads them from its own).
    const require = createRequire(import.meta.url);
    await build({
      entryPoints: { index: entry, 'enhance-worker': path.join(here, 'worker.ts') },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: out,
      logLevel: 'silent',
      plugins: [
        {
          name: 'natives-from-repo',
          setup(b) {
            b.onResolve({ filter: /^(onnxruntime-node|sharp)$/ }, (args) => ({ path: pathToFileURL(require.resolve(args.path)).href, external: true }));
          },
        },
      ],
    });
    expect((await readdir(out)).sort()).toEqual(['enhance-worker.js', 'index.js']);
    const input = await writeTestPng(path.join(dir, 'take.png'), 64, 48);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(out, 'index.js'), input, path.join(dir, 'take@2x.png'), BUNDLED_MODELS_DIR], {
      timeout: 30_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { entry: { url: string; kind: string }; result: { widthPx: number; heightPx: number; provider: string } };
    expect(report.entry.kind).toBe('bundled');
    expect(report.entry.url).toBe(pathToFileURL(path.join(out, 'enhance-worker.js')).href);
    expect(report.result).toMatchObject({ widthPx: 128, heightPx: 96, provider: 'cpu' });
  });
});
