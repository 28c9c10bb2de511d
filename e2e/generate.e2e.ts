/**
 * Generation end to end in web mode: a ComfyUI test double (FakeComfyServer, in this process, 0.1 s per sampling
 * step) and `storycanvas serve` (a child process with its own STORYCANVAS_HOME), driven in Chromium at 1440x900
 * the way an artist works: add the server in the Servers view, select a shot, press G, queue 2 takes through the
 * Generate dialog, watch the Queue view run them (progress bar) to Done, see the take on the shot's card, then
 * queue more and cancel a queued job. The core's own record is read back with the CLI once web mode has stopped.
 *
 * Screenshots land in e2e/.artifacts/ (gitignored) for a person to look at.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../src-preload/contract';
import { FakeComfyServer } from '../src-main/core/comfy/fake/FakeComfyServer.ts';
import { type Cleanup, cli, launchChromium, newScreenplayProject, openWebPage, screenshotter, shotCard as card, startWebMode, tempDir } from './support';

/** How long two takes may take on the double: 2 x 20 steps x 0.1 s, plus dispatch and writing, with room for a busy machine. */
const JOBS_TIMEOUT_MS = 30_000;

/** The part of `storycanvas info --json` this test reads. */
interface InfoJson {
  scenes: Array<{ shots: Array<{ number: string; takes: Array<{ path: string; selected: boolean }> }> }>;
}

const shot = screenshotter('generate');

/** The count shown in a Queue group's header (`Done 2`), or 0 when the group is not shown. */
async function groupCount(page: Page, label: string): Promise<number> {
  const toggle = page.locator('.job-group-toggle', { has: page.locator('.job-group-label', { hasText: new RegExp(`^${label}$`) }) });
  if ((await toggle.count()) === 0) return 0;
  return Number(await toggle.locator('.job-group-count').textContent());
}

describe('generation in web mode', () => {
  let browser: Browser;
  let comfy: FakeComfyServer;
  const cleanups: Cleanup[] = [];

  beforeAll(async () => {
    [browser, comfy] = await Promise.all([launchChromium(), FakeComfyServer.start({ speed: 0.1 })]);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await browser?.close();
    await comfy?.close();
  });

  it('adds a server, queues 2 takes of a shot from the dialog, runs them to Done with the take on the card, and cancels a queued job', async () => {
    const home = tempDir('sc-e2e-gen-home-');
    const projects = tempDir('sc-e2e-gen-projects-');
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

    // ---- Servers view: add the double through the form; it is checked and shows what it offers
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Servers', exact: true }).click();
    await page.getByRole('heading', { name: 'No server yet' }).waitFor();
    await page.getByLabel('Server address').fill(comfy.url);
    await page.getByLabel('Server name').fill('gpu-1');
    await page.getByRole('button', { name: 'Add and check' }).click();
    const serverCard = page.getByRole('article', { name: 'Server gpu-1' });
    await serverCard.locator('.server-state', { hasText: 'Online' }).waitFor();
    await serverCard.getByText('1 checkpoint', { exact: true }).waitFor();
    await shot(page, '01-servers');

    // ---- Timeline: select 1A, press G, ask for 2 takes
    await page.keyboard.press('Alt+1');
    await card(page, '1A').click();
    await page.keyboard.press('g');
    const dialog = page.getByRole('dialog', { name: 'Generate takes' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByRole('radio', { name: /^Shot 1A/ }).getAttribute('aria-checked')).toBe('true');
    await dialog.getByRole('radiogroup', { name: 'Takes per shot' }).getByRole('radio', { name: '2', exact: true }).click();
    await dialog.getByText('Will queue 2 jobs: 2 takes of shot 1A').waitFor();
    await dialog.getByText('gpu-1 is ready to generate.').waitFor();
    // keys pressed in the dialog stay there: with the focus on a button, Delete would delete the selected shot
    await page.keyboard.press('Delete');
    await dialog.getByLabel('First seed').fill('1000');
    await dialog.getByText(/seeds 1000 to 1001/).waitFor();
    await shot(page, '02-dialog');
    await dialog.getByRole('button', { name: 'Queue 2 jobs' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Queued 2 jobs for shot 1A').waitFor();
    await expect(card(page, '1A').count()).resolves.toBe(1);

    // ---- Queue view: the jobs run (a live progress bar) and reach Done
    await page.getByRole('button', { name: 'Show queue' }).click();
    await page.getByRole('heading', { name: 'Queue', exact: true }).waitFor();
    await page.getByRole('progressbar', { name: 'Progress of shot 1A' }).first().waitFor({ timeout: JOBS_TIMEOUT_MS });
    await shot(page, '03-queue-running');
    await expect.poll(() => groupCount(page, 'Done'), { timeout: JOBS_TIMEOUT_MS }).toBe(2);
    expect(await groupCount(page, 'Failed')).toBe(0);
    await page.locator('.job-group-toggle', { hasText: 'Done' }).click();
    const doneRows = page.locator('.group-succeeded .job-row');
    await expect.poll(() => doneRows.count()).toBe(2);
    expect(await doneRows.locator('.job-seed').allTextContents()).toEqual(['seed 1001', 'seed 1000']);
    await shot(page, '04-queue-done');

    // ---- the takes are the shot's; its card shows the first one
    const afterRun = JSON.parse(cli(home.path, 'info', projectDir, '--json')) as InfoJson;
    const shot1A = afterRun.scenes[0].shots.find((s) => s.number === '1A')!;
    expect(shot1A.takes).toHaveLength(2);
    expect(shot1A.takes.every((t) => t.path.startsWith('media/'))).toBe(true);
    const selected = shot1A.takes.find((t) => t.selected)!;
    await page.keyboard.press('Alt+1');
    // the card shows the selected take's thumbnail, named by the take's content hash like the take's own file
    const contentHash = selected.path.split('/').pop()!.replace(/\.[a-z0-9]+$/i, '');
    await expect.poll(() => card(page, '1A').locator('img').getAttribute('src')).toContain(contentHash);
    await shot(page, '05-timeline-take');

    // ---- queue 6 takes of 1B and cancel the last queued job (one runs, one waits on the server, the rest wait here)
    await card(page, '1B').click();
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.waitFor();
    await dialog.getByRole('radiogroup', { name: 'Takes per shot' }).getByRole('radio', { name: '6', exact: true }).click();
    await dialog.getByRole('button', { name: 'Queue 6 jobs' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Alt+2');
    const lastQueued = page.locator('.group-queued .job-row').last();
    await lastQueued.waitFor();
    const cancelledId = (await lastQueued.getAttribute('data-job-id'))!;
    await lastQueued.getByRole('button', { name: 'Cancel the job of shot 1B' }).click();
    await expect.poll(() => groupCount(page, 'Cancelled')).toBe(1);
    await page.locator('.job-group-toggle', { hasText: 'Cancelled' }).click();
    await page.locator(`.group-cancelled .job-row[data-job-id="${cancelledId}"][data-state="cancelled"]`).waitFor();
    await shot(page, '06-queue-cancelled');
    // the rest of the batch goes too, so nothing is in flight when web mode stops
    const active = page.locator('.group-running, .group-waiting, .group-queued');
    await expect
      .poll(
        async () => {
          const button = active.getByRole('button', { name: /^Cancel the job/ }).first();
          if ((await button.count()) > 0) await button.click({ timeout: 2000 }).catch(() => undefined); // a row may finish meanwhile
          return active.count();
        },
        { timeout: JOBS_TIMEOUT_MS },
      )
      .toBe(0);

    // ---- the core's record, read with the CLI after web mode stopped
    await web.stop();
    webStopped = true;
    const jobs = JSON.parse(cli(home.path, 'queue', projectDir, '--json')) as Job[];
    const cancelled = jobs.find((j) => j.id === cancelledId)!;
    expect(cancelled).toMatchObject({ state: 'cancelled', shotNumber: '1B', takeIds: [] });
    const of1A = jobs.filter((j) => j.shotNumber === '1A');
    expect(of1A.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    expect(of1A.flatMap((j) => j.takeIds)).toHaveLength(2);
    expect(pageErrors).toEqual([]);
  });
});
