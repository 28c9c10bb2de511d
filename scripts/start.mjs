#!/usr/bin/env node
/**
 * `npm start`: runs the desktop app when an Electron binary is installed; otherwise web mode on 127.0.0.1,
 * with a line that says so and the URL to open. Builds first when the build is missing or older than the sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = join(root, 'out', 'renderer', 'index.html');
const stale = !existsSync(built) || ['src-renderer', 'src-preload', 'src-main'].some((d) => newestMtime(join(root, d)) > statSync(built).mtimeMs);
if (stale) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The Electron binary's path, or the reason there is none. */
function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    if (typeof p === 'string' && existsSync(p)) return { path: p };
    return { why: 'the electron package is installed but its binary is missing' };
  } catch {
    return { why: 'the electron package is not installed (its binary download failed or was skipped)' };
  }
}

const electron = electronBinary();
const args = process.argv.slice(2);
let child;
if (electron.path) {
  child = spawn(electron.path, [root, ...args], { stdio: 'inherit' });
} else {
  console.log(`No Electron binary here (${electron.why}): starting web mode instead.`);
  child = spawn(process.execPath, [join(root, 'bin', 'storycanvas.mjs'), 'serve', ...args], { stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
