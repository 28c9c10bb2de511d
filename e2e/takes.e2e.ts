/**
 * Choosing between takes end to end, in web mode in Chromium at 1440x900, the way an artist works: shot 1A has three
 * imported takes (PNGs made with sharp, imported and one tagged through the CLI); select the shot, press T to open
 * take compare, flip with →, star with F, make that take the shot's selected one with Enter (the timeline's card
 * shows it), flip on and reject the next take with X, move it to the trash with Delete (nothing is deleted: an Undo
 * toast shows), then restore it from the trash panel. Last, the Library view finds the tagged take by its tag. The
 * core's record is read back with the CLI once web mode has stopped.
 *
 * Screenshots land in e2e/.artifacts/ (gitignored) for a person to look at.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectSnapshot, Take } from '../src-preload/model';
import { callContract, type Cleanup, launchChromium, newScreenplayProject, openWebPage, screenshotter, shotCard as card, startWebMode, tempDir } from './support';

const TAG = 'hero-frame';

const shot = screenshotter('takes');

/** Writes a 320x180 PNG of one colour with a darker band, so each take looks different. */
async function writePng(path: string, rgb: [number, number, number]): Promise<void> {
  const band = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="60"><rect width="320" height="60" fill="rgb(${rgb.map((c) => Math.round(c * 0.4)).join(',')})"/></svg>`;
  await sharp({ create: { width: 320, height: 180, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .composite([{ input: Buffer.from(band), top: 120, left: 0 }])
    .png()
    .toFile(path);
}

describe('take compare, the trash and the library in web mode', () => {
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

  it('flips, stars, selects, rejects, trashes and restores takes of a shot, and finds a take by its tag in the library', async () => {
    const home = tempDir('sc-e2e-takes-home-');
    const work = tempDir('sc-e2e-takes-');
    cleanups.push(() => {
      home.remove();
      work.remove();
    });
    const projectDir = newScreenplayProject(home.path, work.path, 'Cyber Bob', ['--fps', '24000/1001']);
    const snapshot = callContract<ProjectSnapshot>(home.path, projectDir, 'project.get');
    const shot1A = snapshot.scenes[0].shots[0];
    expect(shot1A.number).toBe('1A');
    const colours: Array<[number, number, number]> = [
      [214, 120, 80],
      [80, 150, 214],
      [110, 190, 120],
    ];
    const paths = colours.map((_, i) => join(work.path, `take-${i + 1}.png`));
    await Promise.all(paths.map((p, i) => writePng(p, colours[i])));
    const imported = callContract<Take[]>(home.path, projectDir, 'take.import', { shotId: shot1A.id, paths });
    expect(imported).toHaveLength(3);
    const hashOf = new Map(imported.map((t) => [t.id, t.contentHash]));
    const tagged = imported[2];
    expect(callContract<Take>(home.path, projectDir, 'take.tag', { takeId: tagged.id, tags: [TAG] }).tags).toEqual([TAG]);

    const web = await startWebMode({ project: projectDir, home: home.path });
    let webStopped = false;
    cleanups.push(() => (webStopped ? undefined : web.stop()));
    const { page, pageErrors } = await openWebPage(browser, web.url, cleanups);
    await card(page, '1A').click();

    // ---- T opens compare on the shot's selected take
    await page.keyboard.press('t');
    const compare = page.getByRole('dialog', { name: 'Compare takes of shot 1A' });
    await compare.waitFor();
    const position = compare.getByTestId('compare-position');
    const info = compare.getByTestId('compare-info');
    const focusedId = () => compare.locator('.compare-tile[aria-current="true"]').getAttribute('data-take-id');
    await expect.poll(() => focusedId()).toBe(shot1A.selectedTakeId ?? imported[0].id);
    const first = (await position.textContent())!;
    expect(first).toMatch(/^Take [1-3] of 3$/);
    await info.locator('.take-badge.is-selected').waitFor();
    await shot(page, '01-flip');

    // ---- → flips to the next take; F stars it; Enter makes it the selected take, and the card shows it
    const startId = (await focusedId())!;
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focusedId()).not.toBe(startId);
    const starredId = (await focusedId())!;
    const n = Number(/^Take (\d)/.exec(first)![1]);
    await expect.poll(() => position.textContent()).toBe(`Take ${(n % 3) + 1} of 3`);
    await page.keyboard.press('f');
    await info.locator('.take-badge.is-starred').waitFor();
    await expect.poll(() => compare.getByRole('button', { name: /^Starred/ }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Enter');
    await info.locator('.take-badge.is-selected').waitFor();
    await expect.poll(() => card(page, '1A').locator('img').getAttribute('src')).toContain(hashOf.get(starredId)!);
    await compare.locator(`.compare-thumb.is-selected.is-focus`).waitFor();
    await shot(page, '02-starred-selected');

    // ---- → and X reject the next take; side by side shows both
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focusedId()).not.toBe(starredId);
    const rejectedId = (await focusedId())!;
    await page.keyboard.press('x');
    await info.locator('.take-badge.is-rejected').waitFor();
    await page.keyboard.press('4');
    await expect.poll(() => compare.locator('.compare-tile').count()).toBe(3);
    await compare.locator(`.compare-tile.is-rejected[data-take-id="${rejectedId}"]`).waitFor();
    await shot(page, '03-grid-rejected');

    // ---- Delete moves it to the trash (an Undo toast says so); the trash panel restores it
    await page.keyboard.press('Delete');
    await page.getByText(/moved to the trash/).waitFor();
    await expect.poll(() => compare.locator('.compare-tile').count()).toBe(2);
    await expect.poll(() => position.textContent()).toMatch(/ of 2$/);
    await compare.getByRole('button', { name: 'Open the trash (1 take)' }).click();
    const trash = page.getByRole('dialog', { name: 'Trash' });
    const row = trash.locator(`.trash-row[data-take-id="${rejectedId}"]`);
    await row.waitFor();
    await shot(page, '04-trash');
    await row.getByRole('button', { name: /^Restore/ }).click();
    await trash.getByText('The trash is empty.').waitFor();
    await trash.getByRole('button', { name: 'Done' }).click();
    await trash.waitFor({ state: 'detached' });
    await expect.poll(() => compare.locator('.compare-tile').count()).toBe(3);
    await page.keyboard.press('Escape');
    await compare.waitFor({ state: 'detached' });

    // ---- the Library finds the tagged take by its tag
    await page.keyboard.press('Alt+7');
    await page.getByRole('heading', { name: 'Library', exact: true }).waitFor();
    await expect.poll(() => page.locator('.lib-tile').count()).toBe(3);
    await page.getByLabel('Tag', { exact: true }).fill(TAG);
    await expect.poll(() => page.locator('.lib-tile').count()).toBe(1);
    const tile = page.locator(`.lib-tile[data-take-id="${tagged.id}"]`);
    await tile.getByText(`#${TAG}`).waitFor();
    await shot(page, '05-library-tag');
    expect(pageErrors).toEqual([]);

    // ---- the core's record: one starred and selected, one rejected, none in the trash, no file deleted
    await web.stop();
    webStopped = true;
    const after = callContract<ProjectSnapshot>(home.path, projectDir, 'project.get');
    const takes = new Map(after.takes.map((t) => [t.id, t]));
    expect(after.takes).toHaveLength(3);
    expect(after.scenes[0].shots[0].selectedTakeId).toBe(starredId);
    expect(takes.get(starredId)).toMatchObject({ starred: true, rejected: false });
    expect(takes.get(rejectedId)).toMatchObject({ starred: false, rejected: true, trashedAt: null });
    expect(callContract<Take[]>(home.path, projectDir, 'take.trash.list')).toEqual([]);
    expect(after.takes.map((t) => existsSync(join(projectDir, t.path)))).toEqual([true, true, true]);
  });
});
