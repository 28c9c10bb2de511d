/**
 * The real `storycanvas` bin as a child process, from a working directory outside the repository, with
 * STORYCANVAS_HOME in a temp folder; usage errors and help texts also through `main()` in-process (a child costs
 * about half a second).
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './index';

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

/** `main()` in this process, for the cases that need no process of their own (bad usage, help texts). */
async function inProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('storycanvas CLI', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'storycanvas-cli-'));
    process.env.STORYCANVAS_HOME = join(tmp, 'home');
  });
  afterAll(() => {
    delete process.env.STORYCANVAS_HOME;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints help and the version (bin), per-command help and the methods', async () => {
    const [help, version] = await Promise.all([cli('--help'), cli('--version')]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: storycanvas <command> [options]');
    for (const command of ['new', 'import', 'info', 'export', 'serve', 'call', 'methods']) expect(help.stdout).toContain(`  ${command} `);
    const pkg = JSON.parse(readFileSync(resolve(BIN, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });

    const helpInfo = await inProcess('help', 'info');
    expect(helpInfo.code).toBe(0);
    expect(helpInfo.stdout).toContain('Usage: storycanvas info <project> [--json]');
    expect((await inProcess('info', '--help')).stdout).toBe(helpInfo.stdout);
    const methods = await inProcess('methods');
    expect(methods.code).toBe(0);
    expect(methods.stdout).toMatch(/^shot\.move +Move shots/m);
    expect(methods.stdout).toMatch(/^export\.run +Export the timeline/m);
  });

  it('exits 2 with the usage on bad usage', async () => {
    const bin = await cli('new', tmp);
    expect(bin.code).toBe(2);
    expect(bin.stdout).toBe('');
    expect(bin.stderr).toMatch(/^error: --name is required\.\n\nUsage: storycanvas new <dir>/);

    const cases: Array<[string[], RegExp]> = [
      [[], /^StoryCanvas: storyboards[\s\S]*Usage: storycanvas <command>/],
      [['frobnicate'], /^error: there is no command "frobnicate"/],
      [['new', tmp, '--name', 'X', '--fps', '23.5'], /"23\.5" is not a frame rate/],
      [['new', tmp, '--name', 'X', '--size', '1920by1080'], /--size "1920by1080" is not WIDTHxHEIGHT/],
      [['info', 'x.storycanvas', '--colour'], /--colour/],
      [['info', 'a', 'b'], /at most 1 argument: unexpected "b"/],
      [['call', 'app.info', '{not json'], /The arguments are not JSON/],
      [['export', 'x.storycanvas', '--format', 'avid'], /"avid" is not one of: fcpxml/],
      [['serve', '--port', '70000'], /--port "70000" is not a port number/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toMatch(/Usage: storycanvas/);
    }
  });

  it('creates a project and shows it empty with info --json, exactly', async () => {
    const created = await cli('new', 'films', '--name', 'Cyber Bob', '--fps', '24000/1001', '--size', '1280x720', '--duration-frames', '48');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`${join(tmp, 'films', 'Cyber Bob.storycanvas')}\n`);
    const json = await cli('info', 'films/Cyber Bob.storycanvas', '--json');
    const table = await inProcess('info', join(tmp, 'films', 'Cyber Bob.storycanvas'));
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      settings: { name: 'Cyber Bob', frameRate: { num: 24000, den: 1001 }, widthPx: 1280, heightPx: 720, defaultShotDurationFrames: 48 },
      scenes: [],
    });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('24000/1001 fps, 1280x720, 0 scenes, 0 shots, 0 frames (0.00 s)');
    const raw = await inProcess('call', 'project.get', '--project', join(tmp, 'films', 'Cyber Bob.storycanvas'));
    expect(raw.code, raw.stderr).toBe(0);
    expect(JSON.parse(raw.stdout)).toMatchObject({ settings: { name: 'Cyber Bob' }, scenes: [], revision: expect.any(Number) });
  });

  it('exits 1 with error and hint when a call fails', async () => {
    const notProject = await cli('info', join(tmp, 'nowhere', 'Missing.storycanvas'));
    expect(notProject.code).toBe(1);
    expect(notProject.stdout).toBe('');
    expect(notProject.stderr).toMatch(/^error: .*Missing\.storycanvas.*\nhint: .+\n$/);
    const notOpen = await inProcess('call', 'project.get', '{"projectId":"0123456789abcdef"}');
    expect(notOpen.code).toBe(1);
    expect(notOpen.stderr).toBe('error: No open project has the id 0123456789abcdef.\nhint: Open the project first (project.open).\n');
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const takenPort = (taken.address() as AddressInfo).port;
    const busy = await inProcess('serve', '--port', String(takenPort)).finally(() => taken.close());
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(
      `error: Port ${takenPort} on 127.0.0.1 is already in use. Pick another with --port, or 0 for any free port.\nhint: Run \`storycanvas serve --port 0\` to take any free port.\n`,
    );
    const callOk = await inProcess('call', 'app.info');
    expect(callOk.code).toBe(0);
    expect(JSON.parse(callOk.stdout)).toMatchObject({ name: 'StoryCanvas', shell: 'cli', configDir: join(tmp, 'home') });
  });

  it('imports the Cyber Bob screenplay (3 scenes), re-imports without duplicates, exports FCPXML 1.10', async () => {
    const created = await cli('new', tmp, '--name', 'Import Test', '--size', '320x180'); // small placeholder cards: a fast export
    expect(created.code, created.stderr).toBe(0);
    const project = created.stdout.trim();
    copyFileSync(FIXTURE, join(tmp, 'bob.fountain'));
    const imported = await cli('import', project, 'bob.fountain');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/scenes: +3 added, 0 updated/);
    expect(imported.stdout).toMatch(/characters: .*CYBER BOB/);
    const again = await cli('import', project, 'bob.fountain');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/scenes: +0 added/);
    expect(again.stdout).toMatch(/shots: +0 added/);

    const info = await cli('info', project, '--json');
    expect(info.code, info.stderr).toBe(0);
    const doc = JSON.parse(info.stdout) as { scenes: Array<{ number: string; heading: string; shots: Array<Record<string, unknown>> }> };
    expect(doc.scenes).toHaveLength(3);
    expect(doc.scenes[0].heading).toBe('EXT. PARK--DAY');
    expect(doc.scenes[0].shots.length).toBeGreaterThan(0);
    expect(Object.keys(doc.scenes[0].shots[0]).sort()).toEqual(['action', 'characters', 'dialogue', 'durationFrames', 'number', 'takes']);
    const table = await inProcess('info', project);
    expect(table.stdout).toMatch(/3 scenes, \d+ shots/);
    expect(table.stdout).toContain('SCENE 1  EXT. PARK--DAY');

    const out = join(tmp, 'exports', 'bob.fcpxml');
    const exported = await cli('export', project, '--format', 'fcpxml', '--out', out, '--fcpxml-version', '1.10');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`${out}\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/<fcpxml version="1\.10"/);
  });

  it('serves web mode with the project in the URL and stops cleanly on SIGTERM', async () => {
    const created = await inProcess('new', tmp, '--name', 'Serve Test');
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
