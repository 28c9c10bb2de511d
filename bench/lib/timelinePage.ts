/**
 * Measurements of the timeline in a real browser page (playwright-core): how long a project takes to open,
 * and how smooth a drag of a shot card is. The timings are taken inside the page (performance.now(),
 * requestAnimationFrame timestamps), so Playwright's own round trips do not count.
 */
import type { Browser, Page } from 'playwright-core';
import { intervals } from './stats.ts';

/** The page size every measurement uses. */
export const BENCH_VIEWPORT = { width: 1440, height: 900 } as const;

/** What the page code below uses of the window (this folder is type-checked without the DOM library). */
interface BenchWindow {
  __scLoad?: { firstCardMs: number; interactiveMs: number };
  __scFrames?: { stop(): number[] };
  requestAnimationFrame(cb: (t: number) => void): number;
  document: {
    querySelector(s: string): { getBoundingClientRect(): BenchRect } | null;
    querySelectorAll(s: string): ArrayLike<{ complete: boolean; getBoundingClientRect(): BenchRect }>;
  };
}
interface BenchRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/**
 * Runs in the page before its own scripts: watches the DOM for the first shot card inside the viewport, then
 * records (a) that moment and (b) when the page has painted a frame with it AND the main thread has run a
 * task after that frame (input would be handled now): `window.__scLoad = { firstCardMs, interactiveMs }`,
 * both in ms from navigation start (performance.timeOrigin).
 */
const LOAD_PROBE = `(() => {
  const inView = () => {
    const el = document.querySelector('.timeline .shot-card');
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
  };
  const seen = () => {
    const firstCardMs = performance.now();
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { window.__scLoad = { firstCardMs, interactiveMs: performance.now() }; };
      ch.port2.postMessage(0);
    });
  };
  const obs = new MutationObserver(() => { if (inView()) { obs.disconnect(); seen(); } });
  obs.observe(document, { childList: true, subtree: true });
})();`;

/**
 * Starts recording requestAnimationFrame timestamps; `window.__scFrames.stop()` ends it and returns them.
 * (A string: tsx would wrap named functions of a TypeScript callback in a helper the page does not have.)
 */
const FRAME_RECORDER = `(() => {
  const stamps = [];
  let on = true;
  const tick = (t) => { if (!on) return; stamps.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__scFrames = { stop() { on = false; return stamps; } };
})()`;

/** One opening of the page: times from navigation start, and how many cards the DOM holds once open. */
export interface LoadResult {
  page: Page;
  close(): Promise<void>;
  /** Navigation start to the first shot card in the DOM inside the viewport. */
  firstCardMs: number;
  /** Navigation start to a painted frame with that card and a free main thread after it. */
  loadMs: number;
  /** `.shot-card` elements in the DOM once open (virtualization keeps this near what fits the view). */
  cardsInDom: number;
}

/**
 * Opens `url` in a fresh browser context (empty cache, no cookie: a first visit) at 1440x900 and waits until
 * the timeline is open. The context stays open for the next measurement; `close()` ends it.
 * @throws Error when no shot card appears within `timeoutMs` (default 60 s).
 */
export async function openTimeline(browser: Browser, url: string, timeoutMs = 60_000): Promise<LoadResult> {
  const context = await browser.newContext({ viewport: BENCH_VIEWPORT });
  const page = await context.newPage();
  await page.addInitScript(LOAD_PROBE);
  await page.goto(url);
  const handle = await page
    .waitForFunction(() => (globalThis as unknown as BenchWindow).__scLoad ?? null, undefined, { timeout: timeoutMs, polling: 50 })
    .catch((err: unknown) => {
      throw new Error(`no shot card appeared in ${timeoutMs} ms at ${url}: ${(err as Error).message.split('\n')[0]}`);
    });
  const times = (await handle.jsonValue()) as { firstCardMs: number; interactiveMs: number };
  const cardsInDom = await page.locator('.timeline .shot-card').count();
  return { page, close: () => context.close(), firstCardMs: times.firstCardMs, loadMs: times.interactiveMs, cardsInDom };
}

/**
 * Waits until every card picture inside the viewport has loaded (or failed), so a drag is not measured against
 * image decoding. (Cards in the overscan have lazy pictures that load only when scrolled near.)
 */
export async function waitForCardPictures(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    (widthPx) =>
      Array.from((globalThis as unknown as BenchWindow).document.querySelectorAll('.timeline .shot-card img')).every((img) => {
        const r = img.getBoundingClientRect();
        return img.complete || r.right <= 0 || r.left >= widthPx;
      }),
    BENCH_VIEWPORT.width,
    { timeout: timeoutMs, polling: 100 },
  );
}

/** What one drag measured: every frame's duration while the pointer moved, and the cards in the DOM at the end. */
export interface DragResult {
  /** Durations between consecutive requestAnimationFrame callbacks during the move (ms). */
  frameMs: number[];
  /** From the first to the last animation frame of the move (ms, page clock). */
  moveMs: number;
  /**
   * Main-thread time the renderer spent on tasks during the move (script, style, layout, paint: Chromium's
   * `TaskDuration` metric from the DevTools protocol's Performance domain), in ms. Frame durations only show
   * work once it overflows a frame; this shows it before.
   */
  mainThreadBusyMs: number;
  steps: number;
  /** Horizontal distance the pointer travelled (px). */
  distancePx: number;
  cardsInDomWhileDragging: number;
}

/**
 * Drags the `cardIndex`-th visible shot card with the mouse: press on it, move 12 px (past dnd-kit's 4 px
 * activation distance) and wait for the drag overlay, then move the pointer `distancePx` in `steps` equal steps
 * back and forth across the timeline (staying 120 px inside its edges, where autoscroll does not start), one
 * step per animation frame, while the page records requestAnimationFrame timestamps; then drop it and wait
 * for the overlay to go.
 * @throws Error when the timeline or the card is not on screen, or the drag does not start.
 */
export async function dragCard(
  page: Page,
  opts: { cardIndex?: number; distancePx?: number; steps?: number; /** A PNG of the page half-way through the move (taken at the end of the move, after the timing). */ screenshotPath?: string } = {},
): Promise<DragResult> {
  const distancePx = opts.distancePx ?? 1500;
  const steps = opts.steps ?? 60;
  const timeline = await page.locator('.timeline').boundingBox();
  const cardBox = await page.locator('.timeline .shot-card').nth(opts.cardIndex ?? 1).boundingBox();
  if (!timeline || !cardBox) throw new Error('the timeline or its card is not on screen: open a project with shots first');
  const y = cardBox.y + cardBox.height / 2;
  const minX = timeline.x + 120;
  const maxX = timeline.x + timeline.width - 120;
  let x = cardBox.x + cardBox.width / 2;

  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 12, y, { steps: 3 });
  x += 12;
  await page.locator('.drag-overlay').waitFor({ timeout: 10_000 });

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  const busyBefore = await taskSeconds();
  await page.evaluate(FRAME_RECORDER);
  const nextFrame = () => page.evaluate(() => new Promise<void>((done) => (globalThis as unknown as BenchWindow).requestAnimationFrame(() => done())));

  const stepPx = distancePx / steps;
  let direction = 1;
  let travelled = 0;
  for (let i = 0; i < steps; i++) {
    let next = x + direction * stepPx;
    if (next > maxX || next < minX) {
      direction = -direction;
      next = x + direction * stepPx;
    }
    travelled += Math.abs(next - x);
    x = next;
    await page.mouse.move(x, y);
    await nextFrame();
  }
  const stamps = await page.evaluate(() => (globalThis as unknown as BenchWindow).__scFrames!.stop());
  const mainThreadBusyMs = ((await taskSeconds()) - busyBefore) * 1000;
  await cdp.detach();
  const cardsInDomWhileDragging = await page.locator('.timeline .shot-card').count();
  if (opts.screenshotPath) await page.screenshot({ path: opts.screenshotPath });
  await page.mouse.up();
  await page.locator('.drag-overlay').waitFor({ state: 'detached', timeout: 10_000 });
  const moveMs = stamps.length > 1 ? stamps[stamps.length - 1] - stamps[0] : 0;
  return { frameMs: intervals(stamps), moveMs, mainThreadBusyMs, steps, distancePx: travelled, cardsInDomWhileDragging };
}
