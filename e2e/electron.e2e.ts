/**
 * The desktop app end to end: Playwright's Electron driver launches the built app (out/main/index.js, through
 * the project folder and package.json `main`) with its own STORYCANVAS_HOME, and drives the window.
 *
 * Where there is no Electron binary (electron is an optional dependency whose download fails offline), or no
 * display on Linux, every test is skipped and the reason is printed once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreloadApi } from '../src-renderer/bridge/types';
import { repoRoot } from './support';

/** What the page code below uses of the window (this file is type-checked without the DOM library). */
interface PageGlobals {
  storycanvas?: PreloadApi;
  open(url: string): unknown;
  Image: new () => { src: string; decode(): Promise<void>; naturalWidth: number };
}

/** The Electron binary, or why these tests cannot run here. */
function electronAvailability(): { path: string; why?: undefined } | { path?: undefined; why: string } {
  let binary: unknown;
  try {
    binary = createRequire(join(repoRoot, 'package.json'))('electron');
  } catch (err) {
    return { why: `require('electron') failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { why: `the path require('electron') gives (${String(binary)}) does not exist` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { why: 'Electron is installed but this Linux machine has no display; run the e2e tests under xvfb-run' };
  }
  return { path: binary };
}

const electron = electronAvailability();
if (electron.why) console.warn(`[e2e] Electron app tests skipped: ${electron.why}`);

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds main, preload and renderer (scripts/build.mjs) when a bundle is missing or older than the sources. */
function ensureBuilt(): void {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(repoRoot, p));
  const sources = Math.max(...['src-main', 'src-preload', 'src-renderer'].map((d) => newest(join(repoRoot, d))));
  if (outputs.every((p) => existsSync(p) && statSync(p).mtimeMs >= sources)) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed; the Electron e2e tests need out/main, out/preload and out/renderer');
}

describe.skipIf(!electron.path)(`Electron app${electron.why ? ` (skipped: no Electron binary: ${electron.why})` : ''}`, () => {
  let home: string;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    home = mkdtempSync(join(tmpdir(), 'sc-e2e-electron-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RENDERER_URL' && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    env.STORYCANVAS_HOME = home;
    // Chromium's setuid sandbox refuses to start as root (CI containers); the renderers stay sandboxed by
    // `sandbox: true` either way.
    const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot];
    app = await _electron.launch({ executablePath: electron.path!, args, env, cwd: repoRoot, timeout: 60_000 });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('opens one window titled StoryCanvas on app://ui/, with the CSP header', async () => {
    expect(app.windows()).toHaveLength(1);
    await expect.poll(() => page.title()).toBe('StoryCanvas');
    expect(page.url()).toBe('app://ui/index.html');
    const csp = await page.evaluate(async () => (await fetch('app://ui/index.html')).headers.get('content-security-policy'));
    expect(csp).toMatch(/^default-src 'self'/);
  });

  it('renders the projects screen, talking to the core over IPC', async () => {
    await page.getByRole('heading', { name: 'Recent projects' }).waitFor({ timeout: 30_000 });
    await page.getByText(/· electron$/).waitFor({ timeout: 30_000 });
  });

  it('gives the page the contract and nothing of Node', async () => {
    const surface = await page.evaluate(() => ({
      api: Object.keys((globalThis as unknown as PageGlobals).storycanvas ?? {}).sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(surface).toEqual({ api: ['call', 'on', 'pathForFile', 'platform'], require: 'undefined', process: 'undefined' });
  });

  it('refuses remote content and new windows', async () => {
    const fetched = await page.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'loaded',
        () => 'blocked',
      ),
    );
    expect(fetched).toBe('blocked');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  it('creates a project through the New project dialog', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByLabel('Name').fill('Harbour Night');
    await page.getByLabel('Folder').fill(home);
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => existsSync(join(home, 'Harbour Night.storycanvas')), { timeout: 30_000 }).toBe(true);
    const open = await page.evaluate(() => (globalThis as unknown as PageGlobals).storycanvas!.call('project.list', {}));
    expect(open).toMatchObject({ ok: true, result: [{ settings: { name: 'Harbour Night' } }] });
  });

  it("serves a shot's placeholder card over app://media", async () => {
    const widthPx = await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      const api = g.storycanvas!;
      const list = (await api.call('project.list', {})) as { ok: true; result: Array<{ projectId: string }> };
      const projectId = list.result[0].projectId;
      const scene = (await api.call('scene.create', { projectId })) as { ok: true; result: { sceneId: string } };
      const shot = (await api.call('shot.create', { projectId, sceneId: scene.result.sceneId })) as { ok: true; result: { shotId: string } };
      const img = new g.Image();
      img.src = `app://media/${projectId}/cards/${shot.result.shotId}.png`;
      await img.decode();
      return img.naturalWidth;
    });
    expect(widthPx).toBe(480);
  });
});
