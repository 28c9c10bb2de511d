import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const repoRoot = join(import.meta.dirname, '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The Cyber Bob screenplay (Fountain) the e2e projects are made from. */
export const FOUNTAIN_FIXTURE = join(repoRoot, 'src-main', 'core', 'script', 'testdata', 'Cyber_Bob_ep00001.fountain');
/** Where screenshots land for a person to look at (gitignored). */
export const ARTIFACTS_DIR = join(repoRoot, 'e2e', '.artifacts');
/** The browser window every web-mode test works in, in CSS pixels. */
export const VIEWPORT = { width: 1440, height: 900 };
/** How long to wait for a state the UI reaches by itself (a round trip to the core, a re-render). */
export const UI_TIMEOUT_MS = 15_000;
/** How long one CLI run may take before it is killed. */
const CLI_TIMEOUT_MS = 60_000;

/** Something to undo after a test: close a page, stop web mode, remove a folder. Run in reverse order. */
export type Cleanup = () => Promise<void> | void;

/**
 * Runs `bin/storycanvas.mjs <args…>` with `STORYCANVAS_HOME=home` (synchronously, at most 60 s) and returns its stdout.
 * Throws an Error naming the command, its exit status and its stderr when it does not exit with 0.
 */
export function cli(home: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'storycanvas.mjs'), ...args], {
    env: { ...process.env, STORYCANVAS_HOME: home },
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
  });
  if (r.status !== 0) throw new Error(`storycanvas ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

/**
 * Calls a contract method (`project.get`, `take.import`, …; see src-preload/contract.ts) through
 * `storycanvas call <method> <json> --project <project>` and parses its JSON result as T (not validated).
 * Throws like {@link cli} when the call fails, and a SyntaxError when stdout is not JSON.
 */
export function callContract<T>(home: string, project: string, method: string, args: object = {}): T {
  return JSON.parse(cli(home, 'call', method, JSON.stringify(args), '--project', project)) as T;
}

/**
 * Creates a project with `storycanvas new <parentDir> --name <name> <newArgs…>` (e.g. `['--fps', '24000/1001']` or
 * `['--size', '768x432']`) and imports the Cyber Bob screenplay into it with `storycanvas import`.
 * Returns the project folder the CLI printed. Throws like {@link cli} when either command fails.
 */
export function newScreenplayProject(home: string, parentDir: string, name: string, newArgs: string[]): string {
  const projectDir = cli(home, 'new', parentDir, '--name', name, ...newArgs).trim();
  cli(home, 'import', projectDir, FOUNTAIN_FIXTURE);
  return projectDir;
}

/**
 * Returns a function that saves a screenshot of a page as `e2e/.artifacts/<prefix>-<name>.png`, creating the folder.
 * Playwright's errors (a closed page) propagate.
 */
export function screenshotter(prefix: string): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, `${prefix}-${name}.png`) });
  };
}

/** The shot card of a shot number (`1A`, matched whole) on the timeline. */
export function shotCard(page: Page, number: string): Locator {
  return page.locator('.timeline .shot-card', { has: page.locator('.shot-number', { hasText: new RegExp(`^${number}$`) }) });
}

/**
 * Opens a web-mode URL in a new browser context at {@link VIEWPORT} (options such as `acceptDownloads` pass through),
 * with {@link UI_TIMEOUT_MS} as the page's default timeout and uncaught page errors collected in `pageErrors`.
 * The context's close is pushed onto `cleanups`. Throws Playwright's error when the page does not load.
 */
export async function openWebPage(
  browser: Browser,
  url: string,
  cleanups: Cleanup[],
  contextOptions: { acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT, ...contextOptions });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  return { context, page, pageErrors };
}

/** Debian's Chromium, headless, with the flags this closed network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface WebMode {
  url: string;
  home: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `storycanvas serve [project]` on a random port with its own settings folder, and resolves with the
 * URL it prints (`StoryCanvas web mode: http://127.0.0.1:…/?token=…`).
 */
export function startWebMode(opts: { project?: string; home?: string } = {}): Promise<WebMode> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'sc-e2e-home-'));
  const args = [join(repoRoot, 'bin', 'storycanvas.mjs'), 'serve', ...(opts.project ? [opts.project] : []), '--port', '0'];
  const proc = spawn(process.execPath, args, { env: { ...process.env, STORYCANVAS_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web mode did not start in 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /StoryCanvas web mode: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          home,
          proc,
          stop: () =>
            new Promise<void>((done) => {
              if (proc.exitCode !== null) return done();
              proc.once('exit', () => done());
              proc.kill('SIGTERM');
            }),
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}:\n${out}`));
    });
  });
}

/** A fresh folder under the OS temp folder named `<prefix>XXXXXX`, and a function that removes it (and all in it). */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
