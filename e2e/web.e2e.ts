/**
 * Web mode end to end: `storycanvas serve` (a child process with its own STORYCANVAS_HOME) driven in Debian's
 * Chromium through playwright-core, at 1440x900, the way a person uses it: real mouse drags (dnd-kit's pointer
 * sensor needs movement past its 4 px activation distance), typed fields, keyboard shortcuts, page reloads.
 * What the page shows is checked against the database through `storycanvas info --json`.
 *
 * Screenshots of every view land in e2e/.artifacts/ (gitignored) for a person to look at.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, type Cleanup, FOUNTAIN_FIXTURE, launchChromium, newScreenplayProject, screenshotter, shotCard as card, startWebMode, tempDir, UI_TIMEOUT_MS, VIEWPORT, type WebMode } from './support';

/** The `storycanvas info --json` document (the part these tests read). */
interface InfoJson {
  settings: { name: string; frameRate: { num: number; den: number } };
  scenes: Array<{ number: string; heading: string; shots: Array<{ number: string; durationFrames: number; takes: Array<{ path: string; selected: boolean }> }> }>;
}

/** One shot card as the page lays it out: id, number, left edge in viewport pixels. */
interface CardOnScreen {
  id: string;
  number: string;
  xPx: number;
}

/** What the page code below uses of the DOM (this file is type-checked without the DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  textContent: string | null;
}
interface PageGlobals {
  document: { querySelectorAll(selector: string): Iterable<PageElement> };
  DataTransfer: new () => { items: { add(file: unknown): unknown } };
  File: new (parts: unknown[], name: string, opts: { type: string }) => unknown;
  Uint8Array: typeof Uint8Array;
  atob(b64: string): string;
}

function info(home: string, projectDir: string): InfoJson {
  return JSON.parse(cli(home, 'info', projectDir, '--json')) as InfoJson;
}

const shot = screenshotter('web');

/** Every rendered shot card, left to right. */
async function cardsOnScreen(page: Page): Promise<CardOnScreen[]> {
  const cards = await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return Array.from(g.document.querySelectorAll('.timeline .shot-card[data-shot-id]')).map((el) => ({
      id: el.getAttribute('data-shot-id') ?? '',
      number: el.querySelector('.shot-number')?.textContent ?? '',
      xPx: el.getBoundingClientRect().left,
    }));
  });
  return cards.sort((a, b) => a.xPx - b.xPx);
}

/** The scene bands on screen, left to right: number and horizontal extent in viewport pixels. */
async function scenesOnScreen(page: Page): Promise<Array<{ number: string; leftPx: number; rightPx: number }>> {
  const bands = await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return Array.from(g.document.querySelectorAll('.timeline .scene-band')).map((el) => {
      const r = el.getBoundingClientRect();
      return { number: el.querySelector('.scene-number')?.textContent ?? '', leftPx: r.left, rightPx: r.left + r.width };
    });
  });
  return bands.sort((a, b) => a.leftPx - b.leftPx);
}

/** Shot numbers per scene as the screen shows them: each card goes to the scene band its left edge lies in. */
async function numbersByScene(page: Page): Promise<Record<string, string[]>> {
  const [cards, scenes] = await Promise.all([cardsOnScreen(page), scenesOnScreen(page)]);
  const out: Record<string, string[]> = {};
  for (const s of scenes) out[s.number] = [];
  for (const c of cards) {
    const s = scenes.find((b) => c.xPx >= b.leftPx && c.xPx < b.rightPx);
    if (s) out[s.number].push(c.number);
  }
  return out;
}

async function center(loc: Locator): Promise<{ x: number; y: number }> {
  const b = await loc.boundingBox();
  if (!b) throw new Error('the element is not on screen');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Waits until the workspace shows a project with its timeline (cards, or the empty state). */
async function waitForTimeline(page: Page, shotCount: number): Promise<void> {
  await page.getByRole('region', { name: 'Timeline' }).waitFor({ timeout: UI_TIMEOUT_MS });
  if (shotCount > 0) await page.locator('.timeline .shot-card').first().waitFor({ timeout: UI_TIMEOUT_MS });
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: UI_TIMEOUT_MS });
}

/** Zooms the timeline to fit (the `\` shortcut) and waits for the cards to narrow. */
async function zoomToFit(page: Page): Promise<void> {
  const before = await page.locator('.timeline .shot-card').first().boundingBox();
  await page.keyboard.press('\\');
  await expect.poll(async () => (await page.locator('.timeline .shot-card').first().boundingBox())?.width, { timeout: UI_TIMEOUT_MS }).toBeLessThan(before!.width);
}

/** Drops files (name, MIME type, bytes) onto an element the way the OS does: a `drop` event with a DataTransfer. */
async function dropFiles(page: Page, target: Locator, files: Array<{ name: string; type: string; bytes: Buffer }>): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const g = globalThis as unknown as PageGlobals;
    const dt = new g.DataTransfer();
    for (const f of list) {
      const raw = g.atob(f.b64);
      const bytes = new g.Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      dt.items.add(new g.File([bytes], f.name, { type: f.type }));
    }
    return dt;
  }, payload);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

describe('web mode in Chromium', () => {
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

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    return { context, page };
  }

  /** A project made with the CLI from the Fountain fixture, served in web mode. */
  async function servedProject(name: string): Promise<{ web: WebMode; home: string; projectDir: string }> {
    const home = tempDir('sc-e2e-web-home-');
    const projects = tempDir('sc-e2e-web-projects-');
    const projectDir = newScreenplayProject(home.path, projects.path, name, ['--fps', '24000/1001']);
    const web = await startWebMode({ project: projectDir, home: home.path });
    cleanups.push(() => {
      home.remove();
      projects.remove();
    });
    cleanups.push(() => web.stop());
    return { web, home: home.path, projectDir };
  }

  it('creates a project, imports a screenplay, drags a shot across scenes and edits a duration; all of it survives a reload and undoes', async () => {
    const home = tempDir('sc-e2e-web-home-');
    const projects = tempDir('sc-e2e-web-projects-');
    cleanups.push(() => {
      home.remove();
      projects.remove();
    });
    const web = await startWebMode({ home: home.path });
    cleanups.push(() => web.stop());
    const { page } = await newPage();

    // ---- Projects screen, New project dialog
    await page.goto(web.url);
    await page.getByRole('heading', { name: 'Recent projects' }).waitFor();
    await page.getByText(/· web mode$/).waitFor();
    await shot(page, '01-projects');
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name').fill('Cyber Bob');
    await dialog.getByLabel('Folder').fill(projects.path);
    await dialog.getByLabel('Frame rate').selectOption('24000/1001');
    await shot(page, '02-new-project');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.locator('.project-name', { hasText: 'Cyber Bob' }).waitFor();
    await waitForTimeline(page, 0);
    await expect.poll(() => page.title()).toBe('Cyber Bob · StoryCanvas');
    const projectDir = join(projects.path, 'Cyber Bob.storycanvas');
    expect(info(home.path, projectDir).settings).toMatchObject({ name: 'Cyber Bob', frameRate: { num: 24000, den: 1001 } });

    // ---- Import script dialog, by the file input (the browser reads the file and sends its text)
    await shot(page, '03-empty-project');
    await page.getByRole('button', { name: 'Import script', exact: true }).click();
    const importDialog = page.getByRole('dialog', { name: 'Import script' });
    await importDialog.locator('input[type=file]').setInputFiles(FOUNTAIN_FIXTURE);
    const summary = importDialog.getByRole('status');
    await summary.waitFor();
    await expect.poll(() => summary.textContent()).toMatch(/Scenes\s*3 added/);
    await shot(page, '04-import-result');
    await importDialog.getByRole('button', { name: 'Done' }).click();
    await importDialog.waitFor({ state: 'detached' });

    const imported = info(home.path, projectDir);
    const shotTotal = imported.scenes.reduce((n, s) => n + s.shots.length, 0);
    expect(imported.scenes.map((s) => s.number)).toEqual(['1', '2', '3']);
    expect(shotTotal).toBeGreaterThan(20);
    await page.locator('.project-format', { hasText: `3 scenes · ${shotTotal} shots` }).waitFor();
    await shot(page, '05-timeline');

    // Fit the whole timeline in view: every card is then rendered (the virtualizer keeps 800 px either side).
    await zoomToFit(page);
    await expect.poll(async () => (await cardsOnScreen(page)).length).toBe(shotTotal);
    await expect.poll(async () => (await scenesOnScreen(page)).map((s) => s.number)).toEqual(['1', '2', '3']);
    const firstOrder = await numbersByScene(page);
    expect(firstOrder).toEqual(Object.fromEntries(imported.scenes.map((s) => [s.number, s.shots.map((x) => x.number)])));
    await shot(page, '06-timeline-fit');

    // ---- drag 1B with the real mouse into scene 2, between 2B and 2C
    expect(firstOrder['2']).toEqual(['2A', '2B', '2C', '2D']);
    const moving = card(page, '1B');
    const from = await center(moving);
    const left = (await card(page, '2B').boundingBox())!;
    const right = (await card(page, '2C').boundingBox())!;
    const to = { x: (left.x + left.width + right.x) / 2, y: from.y };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 12, from.y, { steps: 4 }); // past dnd-kit's 4 px activation distance
    await page.locator('.drag-overlay').waitFor();
    await page.mouse.move(to.x, to.y, { steps: 25 });
    await page.locator('.drop-line').waitFor();
    await page.locator('.scene-band.is-drop-target .scene-number', { hasText: /^2$/ }).waitFor();
    await shot(page, '07-dragging');
    await page.mouse.up();
    await page.locator('.drag-overlay').waitFor({ state: 'detached' });

    const expected: Record<string, string[]> = {
      '1': firstOrder['1'].filter((n) => n !== '1B'),
      '2': ['2A', '2B', '1B', '2C', '2D'],
      '3': firstOrder['3'],
    };
    await expect.poll(() => numbersByScene(page), { timeout: UI_TIMEOUT_MS }).toEqual(expected);

    // ---- change its duration in the inspector: 2.5 s at 24000/1001 is 60 frames
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    await inspector.locator('.insp-title', { hasText: /^1B$/ }).waitFor();
    const durationField = inspector.getByLabel('Duration in frames, seconds or timecode');
    await durationField.fill('2.5s');
    await durationField.press('Enter');
    await expect.poll(() => card(page, '1B').getAttribute('aria-label')).toBe('Shot 1B, 2.5s · 60f');
    await expect.poll(() => card(page, '1B').locator('.shot-duration').textContent()).toMatch(/^2\.5s( · 60f)?$/);
    await durationField.blur(); // the field shows the frame count once editing ends
    await expect.poll(() => durationField.inputValue()).toBe('60');
    await shot(page, '08-duration');

    // ---- reload: the page comes back to the project (token from the session, ?project= in the address)
    await page.reload();
    await waitForTimeline(page, shotTotal);
    await zoomToFit(page);
    await expect.poll(() => numbersByScene(page)).toEqual(expected);
    expect(await card(page, '1B').getAttribute('aria-label')).toBe('Shot 1B, 2.5s · 60f');
    await shot(page, '09-after-reload');

    // ... and the database has both
    const saved = info(home.path, projectDir);
    expect(Object.fromEntries(saved.scenes.map((s) => [s.number, s.shots.map((x) => x.number)]))).toEqual(expected);
    const savedShot = saved.scenes[1].shots.find((s) => s.number === '1B');
    expect(savedShot?.durationFrames).toBe(60);

    // ---- undo (Ctrl+Z) takes back the duration only; redo (Ctrl+Shift+Z) brings it back
    await page.keyboard.press('Control+z');
    await expect.poll(() => card(page, '1B').getAttribute('aria-label')).toBe('Shot 1B, 3.0s · 72f');
    await expect.poll(() => numbersByScene(page)).toEqual(expected);
    await shot(page, '10-undone');
    expect(info(home.path, projectDir).scenes[1].shots.find((s) => s.number === '1B')?.durationFrames).toBe(72);
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => card(page, '1B').getAttribute('aria-label')).toBe('Shot 1B, 2.5s · 60f');
    expect(info(home.path, projectDir).scenes[1].shots.find((s) => s.number === '1B')?.durationFrames).toBe(60);
  });

  it('refuses a page without the token, and shows every client the edits of another', async () => {
    const { web } = await servedProject('Two Clients');
    const bare = new URL(web.url);
    bare.searchParams.delete('token');

    // a fresh browser (no cookie, no session) without ?token= gets a 403 page
    const stranger = await newPage();
    const refused = await stranger.page.goto(bare.href);
    expect(refused?.status()).toBe(403);
    expect(await stranger.page.locator('body').textContent()).toMatch(/token/i);
    await shot(stranger.page, '11-no-token-403');

    const a = await newPage();
    const b = await newPage();
    await a.page.goto(web.url);
    await b.page.goto(web.url);
    await Promise.all([waitForTimeline(a.page, 1), waitForTimeline(b.page, 1)]);
    await expect.poll(() => card(b.page, '1A').getAttribute('aria-label')).toBe('Shot 1A, 3.0s · 72f');

    // A changes shot 1A (selected on opening); B sees it without reloading
    const inspector = a.page.getByRole('complementary', { name: 'Shot inspector' });
    await inspector.locator('.insp-title', { hasText: /^1A$/ }).waitFor();
    await inspector.getByLabel('Duration in frames, seconds or timecode').fill('4s');
    await inspector.getByLabel('Duration in frames, seconds or timecode').press('Enter');
    await expect.poll(() => card(a.page, '1A').getAttribute('aria-label')).toBe('Shot 1A, 4.0s · 96f');
    await expect.poll(() => card(b.page, '1A').getAttribute('aria-label')).toBe('Shot 1A, 4.0s · 96f');
    await expect.poll(() => card(b.page, '1A').locator('.shot-duration').textContent()).toBe('4.0s · 96f');
    // and B's undo button now offers to undo A's edit
    await b.page.getByRole('button', { name: /^Undo Change duration of/ }).waitFor();
    await shot(b.page, '12-second-client');
  });

  it('shows the core’s message for a file that is not a picture, and a dropped PNG becomes the take on the card', async () => {
    const { web, home, projectDir } = await servedProject('Takes');
    const { page } = await newPage();
    await page.goto(web.url);
    await waitForTimeline(page, 1);
    const target = card(page, '1C');
    await target.click();
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    await inspector.locator('.insp-title', { hasText: /^1C$/ }).waitFor();
    const placeholderSrc = await target.locator('img').getAttribute('src');

    // not a picture: the core refuses it and the toast says so, with its hint
    await dropFiles(page, target, [{ name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('INT. NOT A PICTURE - DAY\n') }]);
    const error = page.locator('.toast-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Could not import notes\.txt: notes\.txt is not an image or video StoryCanvas can read/);
    await shot(page, '13-not-an-image');
    expect(info(home, projectDir).scenes[0].shots[2].takes).toEqual([]);
    await error.getByRole('button', { name: 'Dismiss' }).click();

    // a real PNG, a flat orange: the card's picture becomes that take
    const orange = { r: 240, g: 120, b: 20 };
    const png = await sharp({ create: { width: 640, height: 360, channels: 3, background: orange } }).png().toBuffer();
    await dropFiles(page, target, [{ name: 'board-1C.png', type: 'image/png', bytes: png }]);
    await page.locator('.toast-success', { hasText: 'Imported board-1C.png into shot 1C' }).waitFor();
    await inspector.getByText('Takes · 1').waitFor();
    await expect.poll(() => target.locator('img').getAttribute('src')).not.toBe(placeholderSrc);
    await expect.poll(() => target.locator('img').evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(true);
    const pixels = await sharp(await target.locator('img').screenshot()).stats();
    const [r, g, b] = pixels.channels.map((c) => c.mean);
    expect(Math.abs(r - orange.r)).toBeLessThan(12);
    expect(Math.abs(g - orange.g)).toBeLessThan(12);
    expect(Math.abs(b - orange.b)).toBeLessThan(12);
    await shot(page, '14-take-on-card');

    const takes = info(home, projectDir).scenes[0].shots[2].takes;
    expect(takes).toHaveLength(1);
    expect(takes[0]).toMatchObject({ selected: true });
  });
});
