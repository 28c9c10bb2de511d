/**
 * Times `renderAnimatic` on 60 s of 1920x1080 stills at 24 fps (run by hand, not a test):
 *   npx tsx src-main/core/export/animatic/measure.ts [--burn-in]
 * Makes twelve 2048x1152 stills that look like storyboard drawings (pencil strokes and washes on paper), renders 12 shots of 5 s each, and prints the wall time and the speed as a multiple
 * of real time.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { EditClip, EditTimeline } from '../EditTimeline.ts';
import { renderAnimatic } from './animatic.ts';

const SHOTS = 12;
const FRAMES_PER_SHOT = 120; // 5 s at 24 fps

/** A pseudo-random pencil drawing: a few hundred strokes and shapes on off-white paper. */
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

/** What one timed animatic render gave. */
export interface AnimaticMeasure {
  frames: number;
  durationSeconds: number;
  /** Wall time of the render, s. */
  seconds: number;
  /** Seconds of animatic per second of rendering. */
  realtimeX: number;
  sizeBytes: number;
}

/**
 * Renders `shots` 2048x1152 storyboard-like stills (each `framesPerShot` long) to a 1920x1080 24 fps animatic in a
 * temporary folder and times it. Used by this script and by bench/export.ts.
 */
export async function measureAnimatic(opts: { shots: number; framesPerShot: number; burnIn?: boolean; log?: (line: string) => void }): Promise<AnimaticMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'animatic-measure-'));
  try {
    const clips: EditClip[] = [];
    for (let i = 0; i < opts.shots; i++) {
      const path = join(dir, `still-${i}.png`);
      await sharp(Buffer.from(drawingSvg(i))).png({ compressionLevel: 1 }).toFile(path);
      clips.push({
        shotId: `s${i}`, shotNumber: String(i + 1), sceneNumber: '1', sceneHeading: 'INT. ROOM - DAY',
        durationFrames: opts.framesPerShot, media: { path, kind: 'image', widthPx: 2048, heightPx: 1152 },
        action: '', notes: '', dialogue: [{ character: 'ANNA', text: `Line ${i + 1}, said with feeling.` }],
      });
    }
    const timeline: EditTimeline = { name: 'Measure', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, clips };
    const out = join(dir, 'measure.mp4');
    const start = performance.now();
    const result = await renderAnimatic(timeline, out, {
      burnIn: opts.burnIn ? { shotNumber: true, dialogue: true, timecode: true } : undefined,
      log: opts.log,
    });
    const seconds = (performance.now() - start) / 1000;
    return { frames: result.frames, durationSeconds: result.durationSeconds, seconds, realtimeX: result.durationSeconds / seconds, sizeBytes: statSync(out).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const burnIn = process.argv.includes('--burn-in');
  const m = await measureAnimatic({ shots: SHOTS, framesPerShot: FRAMES_PER_SHOT, burnIn });
  console.log(
    `${m.frames} frames (${m.durationSeconds} s of 1920x1080 at 24 fps${burnIn ? ', burn-in' : ''}) in ` +
      `${m.seconds.toFixed(2)} s: ${m.realtimeX.toFixed(1)}x real time, ${(m.sizeBytes / 1e6).toFixed(1)} MB`,
  );
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
