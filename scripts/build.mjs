#!/usr/bin/env node
/**
 * `npm run build`: builds the renderer (for web mode and Electron) and, with electron-vite, the Electron main
 * process and preload bundles. The main/preload build does not need the Electron binary (its targets are set
 * in electron.vite.config.ts), so it runs everywhere and CI checks it compiles.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

function run(label, args) {
  console.log(`[build] ${label}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[build] ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

run('electron-vite build (main, preload, renderer)', [bin('electron-vite', 'bin/electron-vite.js'), 'build']);
