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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { renderAnimatic } from '../src-main/core/export/animatic/animatic.ts';
import type { EditClip, EditTimeline } from '../src-main/core/export/EditTimeline.ts';
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

/** A pseudo-random pencil drawing on off-white paper, 2048x1152. */
function drawingSvg(seed: number): string {
  let state = seed * 7919 + 1;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const shapes: string[] = [];
  for (let i = 0; i < 300; i++) {
    const x = random() * 2048;
    const y = random() * 1152;
    const grey = Math.round(random() * 120);
    if (i % 10 === 0) shapes.push(`<circle cx="${x}" cy="${y}" r="${20 + random() * 200}" fill="rgb(${grey + 100},${grey + 100},${grey + 110})" fill-opacity="0.35"/>`);
    else shapes.push(`<path d="M${x} ${y} q ${random() * 300 - 150} ${random() * 300 - 150} ${random() * 400 - 200} ${random() * 400 - 200}" stroke="rgb(${grey},${grey},${grey})" stroke-width="${1 + random() * 5}" fill="none"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="2048" height="1152"><rect width="2048" height="1152" fill="#f3efe6"/>${shapes.join('')}</svg>`;
}

/** Renders 30 s of 1080p24 stills; returns the speed as a multiple of real time. */
async function timeAnimatic(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
  try {
    const clips: EditClip[] = [];
    for (let i = 0; i < ANIMATIC_SHOTS; i++) {
      const path = join(dir, `still-${i}.png`);
      await sharp(Buffer.from(drawingSvg(i))).png({ compressionLevel: 1 }).toFile(path);
      clips.push({
        shotId: `s${i}`, shotNumber: `1${String.fromCharCode(65 + i)}`, sceneNumber: '1', sceneHeading: 'INT. ROOM - DAY',
        durationFrames: ANIMATIC_FRAMES_PER_SHOT, media: { path, kind: 'image', widthPx: 2048, heightPx: 1152 },
        action: '', notes: '', dialogue: [],
      });
    }
    const timeline: EditTimeline = { name: 'Bench', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, clips };
    const start = performance.now();
    const result = await renderAnimatic(timeline, join(dir, 'bench.mp4'), { log: (line) => console.log(line) });
    const seconds = (performance.now() - start) / 1000;
    const realtimeX = Math.round((result.durationSeconds / seconds) * 10) / 10;
    console.log(`animatic ${result.frames} frames (${result.durationSeconds} s of 1920x1080 at 24 fps) in ${seconds.toFixed(2)} s: ${realtimeX}x real time`);
    return realtimeX;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`${SHOTS} shots at 24000/1001`);
  const timeline = makeSyntheticTimeline(SHOTS, { num: 24000, den: 1001 });
  const text = timeTextFormats(timeline);
  const animatic1080pRealtimeX = await timeAnimatic();
  console.log(JSON.stringify({ shots: SHOTS, ...text, animatic1080pRealtimeX }));
}

await main();
