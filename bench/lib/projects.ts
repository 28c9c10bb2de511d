/**
 * Builds large projects for benchmarks, through the core (no shell): `project.create`, then every scene and
 * shot row written in ONE undoable edit (`ProjectStore.edit`), so 2,000 shots take well under a second instead
 * of 2,000 `shot.create` calls. Rows have the same columns `ProjectStore.createScene` / `createShot` write;
 * order keys come from fractional-indexing like theirs.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import { Core } from '../../src-main/core/Core.ts';
import { newId } from '../../src-main/core/ids.ts';
import { letters } from '../../src-main/core/store/ProjectStore.ts';
import type { FrameRate } from '../../src-preload/model.ts';

/** What to build: where, its name, how many scenes of how many shots, and the frame rate. */
export interface BenchProjectSpec {
  /** The directory the `<name>.storycanvas` folder is created in (absolute). */
  dir: string;
  name: string;
  scenes: number;
  shotsPerScene: number;
  /** Default 24000/1001. */
  frameRate?: FrameRate;
  /** Seed of the shot durations (so two runs build the same timeline). Default 1. */
  seed?: number;
}

/** A built project: its folder, its id in the core that built it, and what it holds. */
export interface BenchProject {
  path: string;
  projectId: string;
  sceneCount: number;
  shotCount: number;
  totalFrames: number;
}

/** mulberry32: a small seeded PRNG giving floats in [0, 1) (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADINGS = ['INT. HARBOUR OFFICE - NIGHT', 'EXT. PIER - DAWN', 'INT. TRAIN CARRIAGE - DAY', 'EXT. ROOFTOP - DUSK', 'INT. KITCHEN - MORNING'];
const ACTIONS = [
  'She crosses the room and stops at the window.',
  'Rain on the glass. The city lights blur behind it.',
  'He turns, hesitates, then picks up the receiver.',
  'A long look between them. Nobody speaks.',
  'The door swings shut behind them.',
];

/**
 * Creates a project with `scenes` x `shotsPerScene` shots in `core` (which keeps it open) and returns it.
 * Shot durations vary from 1 to 8 seconds (whole frames at the rate), from the seed; shots are numbered
 * `<scene><letters>` like the core numbers them (1A, 1B, …, 1Z, 1AA, …).
 * @throws ContractCallError from `project.create` (a folder that exists already, a bad directory).
 * @throws Error for a scene or shot count below 1.
 */
export async function buildBenchProject(core: Core, spec: BenchProjectSpec): Promise<BenchProject> {
  if (!(spec.scenes >= 1 && spec.shotsPerScene >= 1)) throw new Error(`a bench project needs at least one scene of one shot, got ${spec.scenes} x ${spec.shotsPerScene}`);
  const frameRate = spec.frameRate ?? { num: 24000, den: 1001 };
  const summary = await core.call('project.create', { dir: spec.dir, name: spec.name, frameRate });
  const store = core.project(summary.projectId);
  const random = seededRandom(spec.seed ?? 1);
  const oneSecondFrames = Math.round(frameRate.num / frameRate.den);
  let totalFrames = 0;
  const sceneKeys = generateNKeysBetween(null, null, spec.scenes);
  store.edit(`Bench: ${spec.scenes * spec.shotsPerScene} shots`, (tx) => {
    for (let s = 0; s < spec.scenes; s++) {
      const sceneId = newId('scn');
      const sceneNumber = String(s + 1);
      tx.insert('scene', {
        id: sceneId,
        number: sceneNumber,
        heading: HEADINGS[s % HEADINGS.length],
        int_ext: null,
        location: '',
        time_of_day: '',
        synopsis: '',
        order_key: sceneKeys[s],
        script_key: null,
      });
      const shotKeys = generateNKeysBetween(null, null, spec.shotsPerScene);
      for (let k = 0; k < spec.shotsPerScene; k++) {
        const durationFrames = Math.round(oneSecondFrames * (1 + random() * 7));
        totalFrames += durationFrames;
        tx.insert('shot', {
          id: newId('sht'),
          scene_id: sceneId,
          order_key: shotKeys[k],
          number: `${sceneNumber}${letters(k)}`,
          shot_size: null,
          camera_angle: null,
          camera_move: null,
          lens_mm: null,
          action: ACTIONS[(s + k) % ACTIONS.length],
          dialogue: '[]',
          notes: '',
          duration_frames: durationFrames,
          selected_take_id: null,
          characters: '[]',
          script_key: null,
        });
      }
    }
  });
  return { path: summary.path, projectId: summary.projectId, sceneCount: spec.scenes, shotCount: spec.scenes * spec.shotsPerScene, totalFrames };
}
