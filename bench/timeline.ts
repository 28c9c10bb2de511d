/**
 * `npm run bench:timeline` (= `node --import tsx bench/timeline.ts`): how the timeline holds up at 100 and at
 * 2,000 shots, in web mode, in Debian's Chromium at 1440x900 (headless, software rendering).
 *
 * Builds two projects with the core directly (bench/lib/projects.ts: 4 scenes x 25 shots and 40 scenes x 50
 * shots, durations 1 to 8 s at 24000/1001), serves each with `storycanvas serve` (its own child process, as a
 * person runs it), then, in the same run, 3 rounds alternating the two sizes, each in a fresh browser context:
 * - load: navigation start to the first shot card in the viewport with a painted frame and a free main thread
 *   after it (bench/lib/timelinePage.ts `openTimeline`);
 * - drag: press a card, move the pointer 1,500 px back and forth across the timeline in 60 steps (one per
 *   animation frame, away from the autoscroll edges), recording requestAnimationFrame timestamps in the page;
 *   frame durations give p50, p95 and max; Chromium's main-thread task time over the move, per step, shows the
 *   work that has not yet overflowed a frame; then drop;
 * - the `.shot-card` elements in the DOM once open and while dragging (virtualization: a screenful plus
 *   overscan, whatever the project's size).
 * The first round leaves a screenshot of each drag in bench/.work/ (gitignored), to see what was measured.
 * Reports the median of the 3 rounds of each figure. Ends with ONE line of JSON, units in the names (Ms, count).
 *
 * Timings depend on the machine and on what else runs on it: compare runs from the same machine only.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../src-main/core/Core.ts';
import buildRendererIfStale from '../e2e/global-setup.ts';
import { launchChromium, startWebMode, type WebMode } from '../e2e/support.ts';
import { buildBenchProject, type BenchProject } from './lib/projects.ts';
import { median, percentile, round } from './lib/stats.ts';
import { dragCard, openTimeline, waitForCardPictures } from './lib/timelinePage.ts';

const ROUNDS = 3;
/** Where the first round leaves a screenshot of each drag (gitignored). */
const SCREENSHOTS = join(import.meta.dirname, '.work');
const SIZES = [
  { key: 'shots100', name: 'Bench 100', scenes: 4, shotsPerScene: 25 },
  { key: 'shots2000', name: 'Bench 2000', scenes: 40, shotsPerScene: 50 },
] as const;

/** The figures of one round at one size. */
interface Round {
  loadMs: number;
  firstCardMs: number;
  cardsInDom: number;
  dragFrameP50Ms: number;
  dragFrameP95Ms: number;
  dragFrameMaxMs: number;
  dragFrames: number;
  dragMoveMs: number;
  dragBusyPerStepMs: number;
  cardsInDomWhileDragging: number;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'sc-bench-timeline-'));
  const servers: WebMode[] = [];
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    buildRendererIfStale();
    mkdirSync(SCREENSHOTS, { recursive: true });

    // ---- the projects, straight through the core
    const configDir = join(work, 'home');
    const core = new Core({ shell: 'cli', configDir });
    const projects: Record<string, BenchProject> = {};
    for (const size of SIZES) {
      const t0 = performance.now();
      projects[size.key] = await buildBenchProject(core, { dir: work, name: size.name, scenes: size.scenes, shotsPerScene: size.shotsPerScene, seed: 7 });
      const p = projects[size.key];
      console.log(`built ${size.name}: ${p.sceneCount} scenes, ${p.shotCount} shots, ${p.totalFrames} frames in ${round(performance.now() - t0, 0)} ms`);
    }
    await core.close();

    // ---- one web mode server per project, and the browser
    const urls: Record<string, string> = {};
    for (const size of SIZES) {
      const web = await startWebMode({ project: projects[size.key].path, home: configDir });
      servers.push(web);
      urls[size.key] = web.url;
    }
    browser = await launchChromium();

    // warm-up: one untimed open of each (the server's first snapshot, Chromium's first start of a renderer)
    for (const size of SIZES) await (await openTimeline(browser, urls[size.key])).close();

    const rounds: Record<string, Round[]> = Object.fromEntries(SIZES.map((s) => [s.key, []]));
    for (let r = 1; r <= ROUNDS; r++) {
      for (const size of SIZES) {
        const opened = await openTimeline(browser, urls[size.key]);
        try {
          await waitForCardPictures(opened.page);
          const screenshotPath = r === 1 ? join(SCREENSHOTS, `timeline-${size.key}-dragging.png`) : undefined;
          const drag = await dragCard(opened.page, { cardIndex: 1, distancePx: 1500, steps: 60, screenshotPath });
          const one: Round = {
            loadMs: opened.loadMs,
            firstCardMs: opened.firstCardMs,
            cardsInDom: opened.cardsInDom,
            dragFrameP50Ms: percentile(drag.frameMs, 50),
            dragFrameP95Ms: percentile(drag.frameMs, 95),
            dragFrameMaxMs: Math.max(...drag.frameMs),
            dragFrames: drag.frameMs.length,
            dragMoveMs: drag.moveMs,
            dragBusyPerStepMs: drag.mainThreadBusyMs / drag.steps,
            cardsInDomWhileDragging: drag.cardsInDomWhileDragging,
          };
          rounds[size.key].push(one);
          console.log(
            `round ${r} ${size.name.padEnd(10)} load ${round(one.loadMs, 0)} ms (first card ${round(one.firstCardMs, 0)} ms), ` +
              `${one.cardsInDom} cards in DOM; drag ${round(drag.distancePx, 0)} px: ${one.dragFrames} frames in ${round(one.dragMoveMs, 0)} ms, ` +
              `p50 ${round(one.dragFrameP50Ms)} ms, p95 ${round(one.dragFrameP95Ms)} ms, max ${round(one.dragFrameMaxMs)} ms; ` +
              `main thread ${round(one.dragBusyPerStepMs)} ms per step`,
          );
        } finally {
          await opened.close();
        }
      }
    }

    const figures: Record<string, number> = {};
    for (const size of SIZES) {
      const list = rounds[size.key];
      const med = (f: (x: Round) => number, digits = 1) => round(median(list.map(f)), digits);
      figures[`${size.key}LoadMs`] = med((x) => x.loadMs, 0);
      figures[`${size.key}FirstCardMs`] = med((x) => x.firstCardMs, 0);
      figures[`${size.key}DragFrameP50Ms`] = med((x) => x.dragFrameP50Ms);
      figures[`${size.key}DragFrameP95Ms`] = med((x) => x.dragFrameP95Ms);
      figures[`${size.key}DragFrameMaxMs`] = med((x) => x.dragFrameMaxMs);
      figures[`${size.key}DragBusyPerStepMs`] = med((x) => x.dragBusyPerStepMs);
      figures[`${size.key}CardsInDom`] = med((x) => x.cardsInDom, 0);
      figures[`${size.key}CardsInDomWhileDragging`] = med((x) => x.cardsInDomWhileDragging, 0);
    }
    console.log(JSON.stringify({ rounds: ROUNDS, viewport: '1440x900', ...figures }));
  } finally {
    await browser?.close().catch(() => undefined);
    for (const s of servers) await s.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
