import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const repoRoot = join(import.meta.dirname, '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
