import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import * as contract from './src-preload/contract';
import { rendererConfig } from './vite.renderer.config';

/**
 * electron-vite 6 build of the Electron app (https://electron-vite.org/config/):
 * - main: src-main/index.ts -> out/main/index.js (ESM; Electron >= 28 loads ESM main). Native modules stay
 *   external (better-sqlite3, sharp, onnxruntime-node, and ws's optional bufferutil/utf-8-validate) and are
 *   loaded from node_modules (unpacked from the asar, see electron-builder.yml); the rest is bundled. The schema
 *   migrations are copied to out/main/migrations, where src-main/core/store/database.ts looks for them.
 * - preload: src-preload/index.ts -> out/preload/index.cjs, ONE CommonJS file with every dependency bundled
 *   (a sandboxed preload can only require 'electron').
 * - renderer: the same configuration as web mode (vite.renderer.config.ts) -> out/renderer.
 *
 * The build never needs the Electron binary: electron-vite reads Electron's major version from
 * node_modules/electron to pick targets and the output format; where electron is not installed (it is an
 * optional dependency whose download fails offline) the major version comes from package.json and the
 * targets below are explicit.
 */
const here = dirname(fileURLToPath(import.meta.url));
const requireCjs = createRequire(import.meta.url);

/** Electron's major version: the installed package's, else the one package.json asks for (`^45.4.1` -> 45). */
function electronMajorVersion(): string {
  try {
    return String((requireCjs('electron/package.json') as { version: string }).version.split('.')[0]);
  } catch {
    const pkg = requireCjs('./package.json') as { optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const range = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? '';
    const m = /(\d+)/.exec(range);
    if (!m) throw new Error('electron.vite.config.ts: package.json names no electron version; add electron to optionalDependencies.');
    return m[1];
  }
}
// electron-vite reads this instead of resolving electron/package.json (which throws where electron is absent).
process.env.ELECTRON_MAJOR_VER ??= electronMajorVersion();

/**
 * Build targets. Electron 45 ships a newer Node and Chromium than these; a lower target only means a little
 * more down-levelling, and it keeps the bundles loadable by any Electron >= 38 (Node 22.19, Chromium 140).
 */
const MAIN_TARGET = 'node22';

/** Modules loaded at run time from node_modules, never bundled: native addons and their optional helpers. */
const NATIVE_EXTERNALS = ['better-sqlite3', 'sharp', 'onnxruntime-node', 'bufferutil', 'utf-8-validate'];

/**
 * Copies the numbered SQL migrations next to the main bundle after it is written: the project store's
 * (src-main/core/store/migrations -> <outDir>/migrations, read by src-main/core/store/database.ts) and the
 * library's (src-main/core/library/migrations -> <outDir>/library-migrations, read by LibraryStore.ts).
 */
function copyMigrations(): Plugin {
  const sets = [
    { from: resolve(here, 'src-main/core/store/migrations'), to: 'migrations', what: 'the project store cannot open a project' },
    { from: resolve(here, 'src-main/core/library/migrations'), to: 'library-migrations', what: 'the character and template library cannot open' },
  ];
  let outDir = resolve(here, 'out/main');
  return {
    name: 'storycanvas:copy-migrations',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      for (const set of sets) {
        const to = join(outDir, set.to);
        mkdirSync(to, { recursive: true });
        const files = readdirSync(set.from).filter((f) => f.endsWith('.sql'));
        if (!files.length) throw new Error(`copy-migrations: no .sql file in ${set.from}; without them ${set.what}.`);
        for (const f of files) copyFileSync(join(set.from, f), join(to, f));
      }
    },
  };
}

/**
 * Gives the preload only the contract's string constants (the IPC channel names) instead of the whole
 * contract: src-preload/index.ts imports nothing else from it at run time, and the full module would pull zod
 * and every schema (about 190 kB) into a script that runs before each page load. The values are read from
 * src-preload/contract.ts itself, so the channel names have one source.
 */
function preloadContractConstants(): Plugin {
  const virtualId = '\0storycanvas:preload-contract';
  const constants = Object.entries(contract as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
  return {
    name: 'storycanvas:preload-contract-constants',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /[\\/]src-preload[\\/]index\.ts$/.test(importer) && /^\.\/contract(\.ts)?$/.test(source)) return virtualId;
      return null;
    },
    load(id) {
      if (id !== virtualId) return null;
      return constants.map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`).join('\n');
    },
  };
}

export default defineConfig({
  main: {
    build: {
      target: MAIN_TARGET,
      outDir: resolve(here, 'out/main'),
      externalizeDeps: false,
      sourcemap: true,
      rolldownOptions: {
        input: { index: resolve(here, 'src-main/index.ts'), 'enhance-worker': resolve(here, 'src-main/core/enhance/worker.ts') },
        external: NATIVE_EXTERNALS.flatMap((m) => [m, new RegExp(`^${m}/`)]),
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
    plugins: [copyMigrations()],
  },
  preload: {
    build: {
      target: MAIN_TARGET,
      outDir: resolve(here, 'out/preload'),
      externalizeDeps: false,
      sourcemap: 'inline',
      rolldownOptions: {
        input: { index: resolve(here, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
    plugins: [preloadContractConstants()],
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      outDir: resolve(here, 'out/renderer'),
      rolldownOptions: { ...rendererConfig.build?.rolldownOptions, input: resolve(here, 'src-renderer/index.html') },
    },
  },
});
