/**
 * The real `storycanvas` bin as a child process, from a working directory outside the repository, with
 * STORYCANVAS_HOME in a temp folder.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'bin', 'storycanvas.mjs');
const FIXTURE = resolve(fileURLToPath(import.meta.url), '..', 'testdata', 'Cyber_Bob_ep00001.fountain');

let tmp: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, STORYCANVAS_HOME: join(tmp, 'home') }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

describe('storycanvas CLI', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'storycanvas-cli-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints help, per-command help, the version and the methods', async () => {
    const [help, helpInfo, version, methods, infoDashH] = await Promise.all([cli('--help'), cli('help', 'info'), cli('--version'), cli('methods'), cli('info', '--help')]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: storycanvas <command> [options]');
    for (const command of ['new', 'import', 'info', 'export', 'serve', 'call', 'methods']) expect(help.stdout).toContain(`  ${command} `);
    expect(helpInfo.code).toBe(0);
    expect(helpInfo.stdout).toContain('Usage: storycanvas info <project> [--json]');
    expect(infoDashH.stdout).toBe(helpInfo.stdout);
    const pkg = JSON.parse(readFileSync(resolve(BIN, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(methods.code).toBe(0);
    expect(methods.stdout).toMatch(/^shot\.move +Move shots/m);
    expect(methods.stdout).toMatch(/^export\.run +Export the timeline/m);
  });

  it('exits 2 with the usage on bad usage', async () => {
    const [noArgs, unknownCommand, noName, badFps, unknownOption, extra, badJson, badFormat] = await Promise.all([
      cli(),
      cli('frobnicate'),
      cli('new', tmp),
      cli('new', tmp, '--name', 'X', '--fps', '23.5'),
      cli('info', 'x.storycanvas', '--colour'),
      cli('info', 'a', 'b'),
      cli('call', 'app.info', '{not json'),
      cli('export', 'x.storycanvas', '--format', 'avid'),
    ]);
    for (const r of [noArgs, unknownCommand, noName, badFps, unknownOption, extra, badJson, badFormat]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/Usage: storycanvas/);
    }
    expect(unknownCommand.stderr).toMatch(/^error: there is no command "frobnicate"/);
    expect(noName.stderr).toMatch(/^error: --name is required\.\n\nUsage: storycanvas new <dir>/);
    expect(badFps.stderr).toMatch(/"23\.5" is not a frame rate/);
    expect(unknownOption.stderr).toMatch(/--colour/);
    expect(badFormat.stderr).toMatch(/"avid" is not one of: fcpxml/);
  });

  it('creates a project and shows it empty with info --json, exactly', async () => {
    const created = await cli('new', 'films', '--name', 'Cyber Bob', '--fps', '24000/1001', '--size', '1280x720', '--duration-frames', '48');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`${join(tmp, 'films', 'Cyber Bob.storycanvas')}\n`);
    const [json, table] = await Promise.all([cli('info', 'films/Cyber Bob.storycanvas', '--json'), cli('info', 'films/Cyber Bob.storycanvas')]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      settings: { name: 'Cyber Bob', frameRate: { num: 24000, den: 1001 }, widthPx: 1280, heightPx: 720, defaultShotDurationFrames: 48 },
      scenes: [],
    });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('24000/1001 fps, 1280x720, 0 scenes, 0 shots, 0 frames (0.00 s)');
  });

  it('exits 1 with error and hint when a call fails', async () => {
    const [notProject, notOpen, callOk] = await Promise.all([
      cli('info', join(tmp, 'nowhere', 'Missing.storycanvas')),
      cli('call', 'project.get', '{"projectId":"0123456789abcdef"}'),
      cli('call', 'app.info'),
    ]);
    expect(notProject.code).toBe(1);
    expect(notProject.stdout).toBe('');
    expect(notProject.stderr).toMatch(/^error: .*Missing\.storycanvas.*\nhint: .+\n$/);
    expect(notOpen.code).toBe(1);
    expect(notOpen.stderr).toBe('error: No open project has the id 0123456789abcdef.\nhint: Open the project first (project.open).\n');
    expect(callOk.code).toBe(0);
    expect(JSON.parse(callOk.stdout)).toMatchObject({ name: 'StoryCanvas', shell: 'cli', configDir: join(tmp, 'home') });
  });

  it('imports the Cyber Bob screenplay (3 scenes), shows it, re-imports without duplicates', async () => {
    const created = await cli('new', tmp, '--name', 'Import Test');
    expect(created.code, created.stderr).toBe(0);
    const project = created.stdout.trim();
    copyFileSync(FIXTURE, join(tmp, 'bob.fountain'));
    const imported = await cli('import', project, 'bob.fountain');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/scenes: +3 added, 0 updated/);
    expect(imported.stdout).toMatch(/characters: .*CYBER BOB/);
    const info = await cli('info', project, '--json');
    expect(info.code, info.stderr).toBe(0);
    const doc = JSON.parse(info.stdout) as { scenes: Array<{ number: string; heading: string; shots: Array<Record<string, unknown>> }> };
    expect(doc.scenes).toHaveLength(3);
    expect(doc.scenes[0].heading).toBe('EXT. PARK--DAY');
    expect(doc.scenes[0].shots.length).toBeGreaterThan(0);
    expect(Object.keys(doc.scenes[0].shots[0]).sort()).toEqual(['action', 'characters', 'dialogue', 'durationFrames', 'number', 'takes']);
    const again = await cli('import', project, 'bob.fountain');
    expect(again.stdout).toMatch(/scenes: +0 added, 3 updated/);
    expect(again.stdout).toMatch(/shots: +0 added/);
  });

  it('exports FCPXML 1.10 to the given file', async () => {
    const created = await cli('new', tmp, '--name', 'Export Test');
    const project = created.stdout.trim();
    await cli('import', project, FIXTURE);
    const out = join(tmp, 'exports', 'bob.fcpxml');
    const exported = await cli('export', project, '--format', 'fcpxml', '--out', out, '--fcpxml-version', '1.10');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`${out}\n`);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toMatch(/<fcpxml version="1\.10"/);
  });

  it('serves web mode with the project in the URL and stops cleanly on SIGTERM', async () => {
    const created = await cli('new', tmp, '--name', 'Serve Test');
    const project = created.stdout.trim();
    const child = spawn(process.execPath, [BIN, 'serve', project, '--port', '0'], { cwd: tmp, env: { ...process.env, STORYCANVAS_HOME: join(tmp, 'home') } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const line = await new Promise<string>((resolveLine, reject) => {
      const t = setTimeout(() => reject(new Error(`no address printed; stderr: ${stderr}`)), 15_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
        if (stdout.includes('\n')) {
          clearTimeout(t);
          resolveLine(stdout.split('\n')[0]);
        }
      });
    });
    const m = /^StoryCanvas web mode: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43})&project=([0-9a-f]{16})$/.exec(line);
    expect(m, line).not.toBeNull();
    const page = await fetch(m![1]);
    expect([200, 503]).toContain(page.status); // 503 until `npm run build:renderer` has run
    const refused = await fetch(m![1].replace(/token=.*/, 'token=wrong'));
    expect(refused.status).toBe(403);
    const code = await new Promise<number | null>((done) => {
      child.on('exit', (c) => done(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stderr).toContain('StoryCanvas web mode stopped.');
  });
});
