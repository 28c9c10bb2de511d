/**
 * `npm run bench:export` (= `node --import tsx bench/export.ts [shotCount]`): speed of the editorial hand-off.
 *
 * - Text formats: a 10,000-shot synthetic timeline at 24000/1001 (src-main/core/export/synthetic.ts: stills and
 *   clips, notes with XML-special characters, a music bed) written as FCPXML 1.10, xmeml, CMX 3600 EDL and OTIO;
 *   one warm-up run, then the median of 5 runs per format, in milliseconds. Target: well under 1000 ms each.
 * - Animatic: 30 s of 1920x1080 stills at 24 fps (ten 3-second shots of pencil-like drawings) rendered by
 *   `renderAnimatic` (sharp fitting + one ffmpeg/libx264 run, file written and renamed), as a multiple of real time.
 * Ends with ONE line of JSON: {"shots", "fcpxmlMs", "xmemlMs", "edlMs", "otioMs", "animatic1080pRealtimeX"}.
 */
import { performance } from 'node:perf_hooks';
import { measureAnimatic } from '../src-main/core/export/animatic/measure.ts';
import type { EditTimeline } from '../src-main/core/export/EditTimeline.ts';
import { EXPORT_FORMATS, exportTimeline } from '../src-main/core/export/index.ts';
import { makeSyntheticTimeline } from '../src-main/core/export/synthetic.ts';

const SHOTS = Number(process.argv[2] ?? 10_000);
const RUNS = 5;
const ANIMATIC_SHOTS = 10;
const ANIMATIC_FRAMES_PER_SHOT = 72; // 3 s at 24 fps: 30 s in all

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Milliseconds per format: median of RUNS after one warm-up. */
function timeTextFormats(timeline: EditTimeline): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const format of EXPORT_FORMATS) {
    const text = exportTimeline(timeline, format, { fcpxmlVersion: '1.10' });
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      exportTimeline(timeline, format, { fcpxmlVersion: '1.10' });
      times.push(performance.now() - start);
    }
    const ms = Math.round(median(times) * 10) / 10;
    figures[`${format}Ms`] = ms;
    console.log(`${format.padEnd(7)} ${String(ms).padStart(8)} ms (median of ${RUNS}; fastest ${Math.min(...times).toFixed(1)} ms)  ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB`);
  }
  return figures;
}

/** Renders 30 s of 1080p24 stills; returns the speed as a multiple of real time. */
async function timeAnimatic(): Promise<number> {
  const m = await measureAnimatic({ shots: ANIMATIC_SHOTS, framesPerShot: ANIMATIC_FRAMES_PER_SHOT, log: (line) => console.log(line) });
  const realtimeX = Math.round(m.realtimeX * 10) / 10;
  console.log(`animatic ${m.frames} frames (${m.durationSeconds} s of 1920x1080 at 24 fps) in ${m.seconds.toFixed(2)} s: ${realtimeX}x real time`);
  return realtimeX;
}

async function main(): Promise<void> {
  console.log(`${SHOTS} shots at 24000/1001`);
  const timeline = makeSyntheticTimeline(SHOTS, { num: 24000, den: 1001 });
  const text = timeTextFormats(timeline);
  const animatic1080pRealtimeX = await timeAnimatic();
  console.log(JSON.stringify({ shots: SHOTS, ...text, animatic1080pRealtimeX }));
}

await main();
