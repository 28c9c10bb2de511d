/**
 * The `characters`, `templates` and `prompt` commands through the real `storycanvas` bin (a child process with
 * STORYCANVAS_HOME in a temp folder) on the Cyber Bob screenplay; usage errors through `main()` in-process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './index';

const BIN = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'bin', 'storycanvas.mjs');
const FIXTURE = resolve(fileURLToPath(import.meta.url), '..', 'testdata', 'Cyber_Bob_ep00001.fountain');

let tmp: string;
let project: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, STORYCANVAS_HOME: join(tmp, 'home') }, timeout: 30_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function inProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('storycanvas characters, templates and prompt', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'storycanvas-cli-consistency-'));
    process.env.STORYCANVAS_HOME = join(tmp, 'home');
    const made = await cli('new', tmp, '--name', 'Cyber Bob');
    expect(made.code, made.stderr).toBe(0);
    project = made.stdout.trim();
    const imported = await cli('import', project, FIXTURE);
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(() => {
    delete process.env.STORYCANVAS_HOME;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('adds a character and a template, lists them, and prints the composed prompt of a shot', async () => {
    const [addChar, addTemplate] = await Promise.all([
      cli('characters', 'add', '--name', 'Cyber Bob', '--description', 'a goofy man of 40 in a grey suit', '--lora', 'cbob_v2.safetensors:0.8', '--trigger', 'cbob man, bowler hat'),
      cli('templates', 'add', '--name', 'Noir', '--style', 'charcoal storyboard sketch', '--negative', 'color', '--preset', 'sdxl.fast', '--steps', '20', '--lora', 'grain.safetensors:0.5'),
    ]);
    expect(addChar, addChar.stderr).toMatchObject({ code: 0, stdout: 'Cyber Bob\n' });
    expect(addTemplate, addTemplate.stderr).toMatchObject({ code: 0, stdout: 'Noir\n' });

    const [list, templates, setDefault] = await Promise.all([
      cli('characters', 'list', '--project', project, '--json'),
      cli('templates', 'list'),
      cli('call', 'project.setDefaultTemplate', '{"template":"noir"}', '--project', project),
    ]);
    expect(list.code, list.stderr).toBe(0);
    const chars = JSON.parse(list.stdout) as Array<{ name: string; fromScript: boolean; libraryId: string | null; shots: unknown[] }>;
    expect(chars.find((c) => c.name === 'Cyber Bob')).toMatchObject({ fromScript: true, libraryId: expect.stringMatching(/^lch_/) });
    expect(chars.find((c) => c.name === 'Cyber Bob')!.shots).toHaveLength(3);
    expect(templates.stdout).toMatch(/^Noir +0 uses +sdxl\.fast +- +charcoal storyboard sketch\n$/);
    expect(setDefault.code, setDefault.stderr).toBe(0);

    const [text, json] = await Promise.all([cli('prompt', project, '--shot', '1a'), cli('prompt', project, '--shot', '1A', '--json')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Shot 1A {2}\(template: Noir, from the project\)\n/);
    expect(text.stdout).toContain('prompt:    cbob man, bowler hat, Cyber Bob: a goofy man of 40 in a grey suit, CYBER BOB, 40, a white man');
    expect(text.stdout).toContain('loras:     grain.safetensors (0.5), cbob_v2.safetensors (0.8)');
    expect(text.stdout).toMatch(/notes:\n {2}- /);
    const composition = JSON.parse(json.stdout) as { prompt: string; parts: Array<{ source: string }>; negativePrompt: string };
    expect(composition.negativePrompt).toBe('color');
    expect(composition.parts.map((p) => p.source)).toEqual(['character', 'action', 'scene', 'template']);
    expect(text.stdout).toContain(`prompt:    ${composition.prompt}\n`);
  });

  it('updates a script character (adopting it), and asks before removing one that shots use', async () => {
    const update = await cli('characters', 'update', 'MARGARET', '--project', project, '--description', 'a sharp woman of 37', '--reference-weight', '0.4');
    expect(update, update.stderr).toMatchObject({ code: 0, stdout: 'Margaret\n' });
    const refused = await cli('characters', 'remove', 'margaret', '--project', project);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: Margaret is in 4 shots: 1A, 1E, 1F, 1H.\nhint: Delete anyway with force: true (storycanvas characters remove --force): it is taken off those shots of this project.\n');
    const forced = await cli('characters', 'remove', 'margaret', '--project', project, '--force');
    expect(forced).toMatchObject({ code: 0, stderr: 'Removed margaret from the library, and from 4 shots.\n' });
    const list = await cli('characters', 'list');
    expect(list.stdout).not.toMatch(/Margaret/);
  });

  it('exports a template to a file and imports it back, refusing a taken name unless told', async () => {
    const out = join(tmp, 'look.json');
    await cli('templates', 'add', '--name', 'Sketch', '--style', 'pencil sketch');
    const exported = await cli('templates', 'export', 'sketch', '--out', out);
    expect(exported, exported.stderr).toMatchObject({ code: 0, stdout: `${out}\n` });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ storycanvas: 'template', version: 1, name: 'Sketch', stylePrompt: 'pencil sketch' });
    const [taken, renamed] = [await cli('templates', 'import', out), await cli('templates', 'import', out, '--rename')];
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^error: The library already has a template named "Sketch"\.\nhint: .*--rename/);
    expect(renamed).toMatchObject({ code: 0, stdout: 'Sketch (2)\n' });
    const printed = await cli('templates', 'export', 'Sketch (2)');
    expect(JSON.parse(printed.stdout)).toMatchObject({ name: 'Sketch (2)', stylePrompt: 'pencil sketch' });
  });

  it('exits 2 with the usage on bad usage, 1 for a shot that is not there', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['characters', 'frobnicate'], /^error: "frobnicate" is not one of: list, add, update, remove\.\n\nUsage: storycanvas characters list/],
      [['characters', 'add'], /^error: characters add needs --name\./],
      [['characters', 'add', '--name', 'X', '--lora', ':0.5'], /--lora ":0\.5" is not FILE\[:STRENGTH\]/],
      [['characters', 'update', 'X', '--scope', 'project'], /--scope project needs --project/],
      [['templates', 'import'], /templates import needs the file/],
      [['templates', 'add', '--name', 'X', '--cfg', 'high'], /--cfg "high" is not a number/],
      [['prompt', project], /^error: --shot is required\./],
    ];
    for (const [args, pattern] of cases) {
      const r = await inProcess(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
    const missing = await inProcess('prompt', project, '--shot', '99Z');
    expect(missing).toMatchObject({ code: 1, stderr: 'error: The project has no shot 99Z.\nhint: Run `storycanvas info <project>` to see the shot numbers.\n' });
  });
});
