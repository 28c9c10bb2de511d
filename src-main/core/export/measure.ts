/**
 * Times the four editorial exporters on a 10,000-shot synthetic timeline at 24000/1001 (run by hand, not a test):
 *   npx tsx src-main/core/export/measure.ts [shotCount]
 * Prints, per format, the median and fastest of 7 runs in milliseconds and the output size. Target: well under
 * one second per format.
 */
import { performance } from 'node:perf_hooks';
import { EXPORT_FORMATS, exportTimeline } from './index.ts';
import { makeSyntheticTimeline } from './synthetic.ts';

const shotCount = Number(process.argv[2] ?? 10_000);
const timeline = makeSyntheticTimeline(shotCount, { num: 24000, den: 1001 });
const RUNS = 7;

console.log(`shots: ${shotCount}, rate 24000/1001, ${RUNS} runs each (after one warm-up run)`);
for (const format of EXPORT_FORMATS) {
  const text = exportTimeline(timeline, format); // warm-up
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    exportTimeline(timeline, format);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)]!;
  console.log(
    `${format.padEnd(7)} median ${median.toFixed(1).padStart(7)} ms   fastest ${times[0]!.toFixed(1).padStart(7)} ms   ` +
      `${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB`,
  );
}
