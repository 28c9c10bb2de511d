import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the renderer once before the end-to-end tests when out/renderer is missing or older than its sources. */
export default function setup(): void {
  const index = join(root, 'out', 'renderer', 'index.html');
  const stale = !existsSync(index) || Math.max(newest(join(root, 'src-renderer')), newest(join(root, 'src-preload'))) > statSync(index).mtimeMs;
  if (!stale) return;
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('the renderer build failed; end-to-end tests need out/renderer');
}
