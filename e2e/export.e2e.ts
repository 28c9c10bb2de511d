/**
 * The editorial hand-off end to end, in web mode in Chromium at 1440x900, the way an artist does it: the Export
 * view (Ctrl+E) writes an FCPXML that validates against Apple's DTD and an animatic whose progress bar climbs to
 * 100%; after a reload the view opens on the last choice (export.lastChoice). Presentation mode (P) starts on the
 * selected shot, → steps to the next, Esc comes back to the timeline with that shot selected. The music lane
 * shows the music set with the CLI and draws its waveform.
 *
 * Screenshots land in e2e/.artifacts/ (gitignored).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, repoRoot, startWebMode, tempDir, type WebMode } from './support';

const FOUNTAIN = join(repoRoot, 'src-main', 'core', 'script', 'testdata', 'Cyber_Bob_ep00001.fountain');
const FCPXML_DTD = join(repoRoot, 'src-main', 'core', 'export', 'testdata', 'fcpxml-dtd', 'FCPXMLv1_10.dtd');
const ARTIFACTS = join(repoRoot, 'e2e', '.artifacts');
const VIEWPORT = { width: 1440, height: 900 };
const UI_TIMEOUT_MS = 15_000;
/** Shot 1A is made this long, so it is still on screen when the presentation is checked on a busy machine. */
const FIRST_SHOT_FRAMES = 240;

/** What the page code below uses of the DOM (this file is type-checked without the DOM library). */
interface PageGlobals {
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  requestAnimationFrame(cb: () => void): number;
  __progressSeen?: number[];
  __progressStop?: boolean;
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

function cli(home: string, ...args: string[]): string {
  return run(process.execPath, [join(repoRoot, 'bin', 'storycanvas.mjs'), ...args], { ...process.env, STORYCANVAS_HOME: home });
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `export-${name}.png`) });
}

describe('editorial hand-off in web mode', () => {
  let browser: Browser;
  let web: WebMode;
  let page: Page;
  let projectDir: string;
  const home = tempDir('sc-e2e-export-home-');
  const projects = tempDir('sc-e2e-export-projects-');

  beforeAll(async () => {
    // a small project (640x360) from the Fountain fixture, its first shot long, and five seconds of music
    projectDir = cli(home.path, 'new', projects.path, '--name', 'Handoff', '--size', '640x360').trim();
    cli(home.path, 'import', projectDir, FOUNTAIN);
    const snapshot = JSON.parse(cli(home.path, 'call', 'project.get', '{}', '--project', projectDir)) as { scenes: Array<{ shots: Array<{ id: string }> }> };
    const firstShotId = snapshot.scenes[0].shots[0].id;
    cli(home.path, 'call', 'shot.update', JSON.stringify({ shotIds: [firstShotId], patch: { durationFrames: FIRST_SHOT_FRAMES } }), '--project', projectDir);
    const wav = join(projects.path, 'tones.wav');
    run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', "aevalsrc='0.8*sin(2*PI*330*t)*exp(-5*mod(t,0.5))':s=22050:d=5", wav]);
    cli(home.path, 'music', projectDir, wav);
    [web, browser] = await Promise.all([startWebMode({ project: projectDir, home: home.path }), launchChromium()]);
    const context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(web.url);
    await page.locator('.timeline .shot-card').first().waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    home.remove();
    projects.remove();
  });

  it('shows the music under the timeline with its waveform drawn', async () => {
    const lane = page.getByRole('region', { name: 'Music' });
    await lane.getByText('tones.wav').waitFor();
    await expect.poll(() => lane.getByLabel('Music start').inputValue()).toBe('00:00:00:00');
    // the canvas has green waveform pixels once the peaks arrive
    await expect
      .poll(() =>
        lane.locator('canvas').evaluate((el) => {
          const c = el as unknown as CanvasLike;
          const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
          let lit = 0;
          if (data) for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && data[i + 1] > data[i]) lit++;
          return lit;
        }),
      )
      .toBeGreaterThan(200);
    await shot(page, '01-music-lane');
  });

  it('exports FCPXML 1.10 from the Export view, and the file validates against the DTD', async () => {
    await page.keyboard.press('Control+e');
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /Final Cut Pro/ }).click();
    await expect.poll(() => dialog.getByLabel('FCPXML version').inputValue()).toBe('1.10');
    const plan = dialog.getByRole('region', { name: 'What will be written' });
    await plan.getByText(/Handoff\.fcpxml$/).waitFor();
    await plan.getByText(/\d+ files: 1A\.png, 1B\.png/).waitFor();
    await shot(page, '02-fcpxml-chosen');

    await dialog.getByRole('button', { name: 'Export for Final Cut Pro' }).click();
    const result = dialog.getByRole('status').filter({ hasText: 'Exported for Final Cut Pro' });
    await result.waitFor({ timeout: 60_000 });
    const written = (await result.locator('.export-file-timeline .export-file-path').textContent())!.trim();
    expect(written).toBe(join(projectDir, 'exports', 'Handoff.fcpxml'));
    expect(existsSync(written)).toBe(true);
    expect(existsSync(join(projectDir, 'exports', 'media', '1A.png'))).toBe(true);
    await result.getByRole('button', { name: 'Copy path' }).click();
    await page.locator('.toast-success', { hasText: `Copied ${written}` }).waitFor();
    const lint = spawnSync('xmllint', ['--noout', '--dtdvalid', FCPXML_DTD, written], { encoding: 'utf8' });
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    await shot(page, '03-fcpxml-done');
  });

  it('renders the animatic with progress up to 100%, and preselects that choice after a reload', async () => {
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.getByRole('radio', { name: /Animatic/ }).click();
    const timecode = dialog.getByRole('checkbox', { name: 'Timecode' });
    await timecode.uncheck(); // a non-default choice, to recognise it after the reload
    await dialog.getByRole('region', { name: 'What will be written' }).getByText(/Handoff\.mp4$/).waitFor();

    // watch the progress bar on every animation frame while the export runs
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      g.__progressSeen = [];
      g.__progressStop = false;
      const watch = () => {
        const bar = g.document.querySelector('[role=progressbar][aria-label="Export progress"]');
        const v = bar ? Number(bar.getAttribute('aria-valuenow')) : NaN;
        if (!Number.isNaN(v) && g.__progressSeen!.at(-1) !== v) g.__progressSeen!.push(v);
        if (!g.__progressStop) g.requestAnimationFrame(watch);
      };
      watch();
    });
    await dialog.getByRole('button', { name: 'Render the animatic' }).click();
    await dialog.getByRole('button', { name: 'Cancel export' }).waitFor();
    await shot(page, '04-animatic-running');
    const result = dialog.getByRole('status').filter({ hasText: 'Animatic rendered' });
    await result.waitFor({ timeout: 60_000 });
    await shot(page, '05-animatic-done');
    const seen = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      g.__progressStop = true;
      return g.__progressSeen!;
    });
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((v) => v > 0 && v < 100)).toBe(true); // it moved through the stages, not straight to done
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // and never went back
    const mp4 = join(projectDir, 'exports', 'Handoff.mp4');
    expect(existsSync(mp4)).toBe(true);
    const probe = JSON.parse(run('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height,nb_frames', '-select_streams', 'v', '-of', 'json', mp4])) as {
      streams: Array<{ width: number; height: number; nb_frames: string }>;
    };
    expect(probe.streams[0]).toMatchObject({ width: 640, height: 360 });

    // a fresh page knows nothing of this session: the view opens on the core's last choice
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await page.locator('.timeline .shot-card').first().waitFor();
    await page.keyboard.press('Control+e');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByRole('radio', { name: /Animatic/ }).getAttribute('aria-checked')).toBe('true');
    expect(await dialog.getByRole('radio', { name: /Final Cut Pro/ }).getAttribute('aria-checked')).toBe('false');
    expect(await dialog.getByRole('checkbox', { name: 'Timecode' }).isChecked()).toBe(false);
    expect(await dialog.getByRole('checkbox', { name: 'Shot number' }).isChecked()).toBe(true);
    await shot(page, '06-last-choice');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('presents from the selected shot: P opens it playing on 1A, Space pauses, → shows 1B, Esc selects 1B on the timeline', async () => {
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    await inspector.locator('.insp-title', { hasText: /^1A$/ }).waitFor();
    await page.keyboard.press('p');
    const presentation = page.getByRole('dialog', { name: 'Presentation' });
    await presentation.waitFor();
    const number = presentation.locator('.presentation-caption .presentation-shot');
    await expect.poll(() => number.textContent()).toBe('1A');
    expect(await presentation.locator('.presentation-caption').textContent()).toContain('EXT. PARK--DAY');
    await shot(page, '07-presenting');
    await page.keyboard.press('Space'); // pause, so 1B stays on screen however slow the machine
    await presentation.getByRole('button', { name: 'Play' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => number.textContent()).toBe('1B');
    await expect.poll(() => presentation.getByRole('slider', { name: 'Position' }).getAttribute('aria-valuenow')).not.toBe('0');
    await page.keyboard.press('Escape');
    await presentation.waitFor({ state: 'detached' });
    await inspector.locator('.insp-title', { hasText: /^1B$/ }).waitFor();
  });
});
