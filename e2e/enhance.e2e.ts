/**
 * Local enhancement end to end in web mode: `storycanvas serve` (a child process with its own STORYCANVAS_HOME)
 * driven in Chromium at 1440x900 the way an artist works. Shot 1A gets a 320x180 PNG take through the inspector's
 * Import; its Enhance menu (right click) opens the Enhance dialog, where the bundled `storycanvas-espcn-x2` model is
 * picked and one upscale queued. The job runs on this machine (the CPU provider here); the new 640x360 take appears
 * on the shot and is selected (the source was). The viewer's compare (C) lays the source over the enhanced take and
 * its divider moves with the keyboard. The Models view lists the bundled models, the CPU provider and the speed
 * just measured. The core's record (the job and the provider that ran it) is read back with the CLI once web mode
 * has stopped.
 *
 * Screenshots land in e2e/.artifacts/ (gitignored) for a person to look at.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../src-preload/contract';
import { type Cleanup, cli, launchChromium, newScreenplayProject, openWebPage, screenshotter, shotCard as card, startWebMode, tempDir } from './support';

/** A 320x180 upscale on the CPU takes well under a second; the first job also starts the worker and probes providers. */
const JOB_TIMEOUT_MS = 30_000;

const shot = screenshotter('enhance');

/** A 320x180 picture with detail to upscale: a gradient sky, a skyline and a caption. */
function testPicture(): Promise<Buffer> {
  const towers = Array.from({ length: 12 }, (_, i) => `<rect x="${i * 27}" y="${180 - (40 + ((i * 37) % 90))}" width="${18 + ((i * 7) % 9)}" height="180" fill="#151b27"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#22335a"/><stop offset="1" stop-color="#e9a060"/></linearGradient></defs><rect width="320" height="180" fill="url(#g)"/><circle cx="230" cy="120" r="34" fill="#ffd98a"/>${towers}<text x="12" y="28" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="18" fill="#fff">SHOT 1A</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('local enhancement in web mode', () => {
  let browser: Browser;
  const cleanups: Cleanup[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('upscales an imported take x2 from its menu, selects the 640x360 result, compares it with the source, and lists the models on the CPU', async () => {
    const home = tempDir('sc-e2e-enh-home-');
    const projects = tempDir('sc-e2e-enh-projects-');
    cleanups.push(() => {
      home.remove();
      projects.remove();
    });
    const projectDir = newScreenplayProject(home.path, projects.path, 'Cyber Bob', ['--fps', '24000/1001']);
    const web = await startWebMode({ project: projectDir, home: home.path });
    let webStopped = false;
    cleanups.push(() => (webStopped ? undefined : web.stop()));

    const { page, pageErrors } = await openWebPage(browser, web.url, cleanups);
    await card(page, '1A').waitFor();

    // ---- a 320x180 take on 1A, through the inspector's Import (web mode sends it by value)
    await card(page, '1A').click();
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    await inspector.locator('input[type="file"]').setInputFiles({ name: 'rooftop.png', mimeType: 'image/png', buffer: await testPicture() });
    const takes = inspector.locator('.takes .take');
    await expect.poll(() => takes.count()).toBe(1);
    await expect(takes.first().getAttribute('title')).resolves.toContain('320×180');

    // ---- its Enhance menu (right click) → Enhance… → the dialog, with the bundled ESPCN x2 picked
    await takes.first().click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Enhance take 1' });
    await menu.waitFor();
    await expect(menu.getByRole('menuitem', { name: /Upscale to project resolution/ }).textContent()).resolves.toContain('1920×1080');
    await shot(page, '01-take-menu');
    await menu.getByRole('menuitem', { name: /^Enhance…/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Enhance takes' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /StoryCanvas ESPCN x2/ }).check();
    // keys typed in the dialog stay there: with the focus in it, Delete must not delete the selected shot
    await page.keyboard.press('Delete');
    await shot(page, '02-dialog');
    await dialog.getByRole('button', { name: 'Queue 1 upscale' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(/^Queued 1 upscale/).waitFor();
    await expect(card(page, '1A').count()).resolves.toBe(1);

    // ---- the job runs here; the 640x360 take appears on 1A and is selected (the source was)
    await expect.poll(() => takes.count(), { timeout: JOB_TIMEOUT_MS }).toBe(2);
    const selected = inspector.locator('.takes .take[aria-pressed="true"]');
    await expect.poll(() => selected.getAttribute('title')).toContain('640×360');
    await inspector.locator('.take-enhanced', { hasText: '×2' }).waitFor();
    await shot(page, '03-new-take');

    // ---- compare: C lays the source over the result; the divider moves with the keyboard
    await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('c');
    await page.getByTestId('compare-stage').waitFor();
    await expect(page.getByTestId('compare-sizes').textContent()).resolves.toContain('320×180 → 640×360');
    const divider = page.getByRole('slider', { name: 'Before and after divider' });
    // the divider has the focus as the compare opens: the arrows move it at once
    await expect(divider.getAttribute('aria-valuenow')).resolves.toBe('50');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await expect(divider.getAttribute('aria-valuenow')).resolves.toBe('47');
    await page.keyboard.press('Shift+ArrowRight');
    await expect(divider.getAttribute('aria-valuenow')).resolves.toBe('57');
    // the arrows moved the divider, not the timeline's selection
    await expect(card(page, '1A').getAttribute('aria-pressed')).resolves.toBe('true');
    await shot(page, '04-compare');
    await page.keyboard.press('c');
    await page.getByTestId('compare-stage').waitFor({ state: 'detached' });

    // ---- the Models view: the bundled models, the CPU provider, and the speed this upscale measured
    await page.keyboard.press('Alt+6');
    await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
    await expect(page.getByTestId('enhance-provider').textContent()).resolves.toBe('CPU');
    const espcn = page.locator('tr[data-model-id="storycanvas-espcn-x2"]');
    await espcn.waitFor();
    await expect(espcn.textContent()).resolves.toContain('Bundled');
    await expect(espcn.locator('.models-speed').textContent()).resolves.toMatch(/MP\/s$/);
    for (const id of ['realesrgan-x4fast', 'rife-v4.6']) await page.locator(`tr[data-model-id="${id}"]`).waitFor();
    await expect(page.getByTestId('user-models-dir').textContent()).resolves.toBe(join(home.path, 'models'));
    await shot(page, '05-models');

    // ---- the core's record: one enhancement job, run on the CPU, that made one take
    await web.stop();
    webStopped = true;
    const jobs = JSON.parse(cli(home.path, 'queue', projectDir, '--json')) as Job[];
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'enhance', state: 'succeeded', shotNumber: '1A', workflowId: 'storycanvas-espcn-x2', provider: 'cpu' });
    expect(jobs[0].takeIds).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
});
