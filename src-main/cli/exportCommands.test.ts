/**
 * The CLI's hand-off commands in-process through `main()`: `export` (all options parsed, progress lines off a
 * terminal, a redrawn bar on one), `open-package` and `music`, on the Cyber Bob screenplay at 320x180.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, progressPrinter, type CliIo } from './index';

const FIXTURE = join(import.meta.dirname, 'testdata', 'Cyber_Bob_ep00001.fountain');

let tmp: string;
let project: string;
let wav: string;

function io(isTTY = false): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), isTTY, stdout: () => out, stderr: () => err };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sc-cli-export-'));
  process.env.STORYCANVAS_HOME = join(tmp, 'home');
  const created = io();
  expect(await main(['new', tmp, '--name', 'Bob', '--size', '320x180'], created), created.stderr()).toBe(0);
  project = created.stdout().trim();
  const imported = io();
  expect(await main(['import', project, FIXTURE], imported), imported.stderr()).toBe(0);
  wav = join(tmp, 'Theme.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=3', '-ac', '2', wav]);
});

afterAll(() => {
  delete process.env.STORYCANVAS_HOME;
  rmSync(tmp, { recursive: true, force: true });
});

describe('storycanvas export, open-package, music', () => {
  it('sets music, exports a package with percent lines, and opens it elsewhere', async () => {
    const music = io();
    expect(await main(['music', project, wav, '--offset-frames', '12'], music), music.stderr()).toBe(0);
    expect(music.stdout()).toMatch(/^media\/music\/[0-9a-f]{64}\.wav\n$/);
    expect(music.stderr()).toBe('Music: Theme.wav, 72 frames, from frame 12.\n');

    const zip = join(tmp, 'out', 'Bob.zip');
    mkdirSync(join(tmp, 'out'));
    const exported = io();
    expect(await main(['export', project, '--format', 'zip', '--out', zip], exported), exported.stderr()).toBe(0);
    expect(exported.stdout()).toBe(`${zip}\n`);
    expect(exported.stderr()).toMatch(/^\d+% package$/m);
    expect(exported.stderr()).toMatch(/^100% done$/m);

    const dest = join(tmp, 'opened');
    mkdirSync(dest);
    const opened = io();
    expect(await main(['open-package', zip, dest], opened), opened.stderr()).toBe(0);
    expect(opened.stdout()).toBe(`${join(dest, basename(project))}\n`);
  });

  it('exports the Resolve preset with relative media and prints its notes', async () => {
    const folder = join(tmp, 'Bob (Resolve)');
    const r = io();
    expect(await main(['export', project, '--format', 'resolve', '--out', folder, '--media', 'relative'], r), r.stderr()).toBe(0);
    expect(r.stdout()).toBe(`${join(folder, 'Bob.otio')}\n`);
    expect(readdirSync(folder).sort()).toEqual(['Bob.otio', 'media']);
    expect(r.stderr()).toMatch(/^note: Media paths are relative to the \.otio file/m);
  });

  it('refuses bad option values with the usage (exit 2)', async () => {
    for (const [args, message] of [
      [['--format', 'pdf', '--per-page', '5'], /--per-page "5" is not one of: 1, 2, 3, 4, 6/],
      [['--format', 'otio', '--media', 'near'], /--media "near" is not one of: relative, absolute/],
      [['--format', 'pdf', '--orientation', 'diagonal'], /--orientation "diagonal" is not one of: portrait, landscape/],
      [['--format', 'avid'], /"avid" is not one of: fcpxml, xmeml, edl, otio, resolve, mp4, pdf, zip/],
    ] as const) {
      const bad = io();
      expect(await main(['export', project, ...args], bad)).toBe(2);
      expect(bad.stderr()).toMatch(message);
      expect(bad.stderr()).toMatch(/Usage: storycanvas export/);
    }
  });

  it('draws one bar redrawn in place on a terminal', () => {
    const tty = io(true);
    const bar = progressPrinter(tty);
    bar('encode', 0.1);
    bar('encode', 0.104); // same percent: nothing redrawn
    bar('encode', 0.5);
    bar.end();
    expect(tty.stderr()).toBe(`\r[###---------------------------]  10% encode  \r[###############---------------]  50% encode  \n`);
  });
});
