#!/usr/bin/env node
/**
 * `npm run dist [-- electron-builder args]`: builds the app (scripts/build.mjs) and packages it with
 * electron-builder (electron-builder.yml): AppImage and deb on Linux, dmg on macOS, nsis on Windows, under
 * release/<version>/.
 *
 * - Needs the Electron binary (node_modules/electron, an optional dependency whose download fails offline):
 *   without it, says why and exits 1.
 * - Native modules are rebuilt for Electron by electron-builder (@electron/rebuild). node-gyp takes
 *   `npm_config_nodedir` from the environment (npm exports it from `nodedir=` in .npmrc, as on these machines),
 *   which would point the rebuild at Node's headers instead of Electron's, so it is removed from the
 *   environment electron-builder gets.
 * - That rebuild happens in place in node_modules, which the CLI, web mode and the tests share: afterwards
 *   better-sqlite3 is rebuilt for Node again (`npm rebuild better-sqlite3`, with the original environment).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The environment for electron-builder: a copy of `env` without any spelling of npm_config_nodedir, nodedir or
 * npm_package_config_node_gyp_nodedir (node-gyp reads them case-insensitively).
 * @param {Record<string, string | undefined>} env
 * @returns {Record<string, string | undefined>}
 */
export function electronBuilderEnv(env) {
  const out = { ...env };
  for (const key of Object.keys(out)) {
    if (/^(npm_config_|npm_package_config_node_gyp_)?nodedir$/i.test(key)) delete out[key];
  }
  return out;
}

/**
 * Finds the Electron binary the way `require('electron')` does from a project folder.
 * @param {string} projectDir a folder with a package.json.
 * @returns {{ path: string } | { why: string }} the binary's path, or why there is none.
 */
export function electronBinary(projectDir) {
  const require = createRequire(join(projectDir, 'package.json'));
  let pkgPath;
  try {
    pkgPath = require.resolve('electron/package.json');
  } catch {
    return { why: 'the electron package is not installed (it is an optional dependency; its binary download fails without network)' };
  }
  let binary;
  try {
    binary = require('electron');
  } catch (err) {
    return { why: `the electron package at ${dirname(pkgPath)} has no binary (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { why: `the Electron binary ${String(binary)} does not exist` };
  return { path: binary };
}

function run(label, command, args, env) {
  console.log(`[dist] ${label}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' && command === 'npm' });
  return r.status ?? 1;
}

function main(argv) {
  const electron = electronBinary(root);
  if (!('path' in electron)) {
    console.error(`[dist] cannot package here: ${electron.why}.`);
    console.error('[dist] Install Electron on a machine with network access (npm install), then run `npm run dist` again.');
    process.exit(1);
  }
  const built = run('build (electron-vite)', process.execPath, [join(root, 'scripts', 'build.mjs')], process.env);
  if (built !== 0) process.exit(built);

  const builderCli = createRequire(join(root, 'package.json')).resolve('electron-builder/cli.js');
  const packaged = run('electron-builder', process.execPath, [builderCli, '--config', 'electron-builder.yml', ...argv], electronBuilderEnv(process.env));

  const restored = run('rebuild better-sqlite3 for Node (the CLI and the tests use the same node_modules)', 'npm', ['rebuild', 'better-sqlite3'], process.env);
  if (restored !== 0) console.error('[dist] better-sqlite3 could not be rebuilt for Node: run `npm rebuild better-sqlite3` before using the CLI or the tests.');
  process.exit(packaged);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
