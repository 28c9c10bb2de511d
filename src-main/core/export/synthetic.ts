/**
 * Made-up edit timelines for benchmarks and tests: deterministic, no disk access, no randomness.
 */
import type { EditClip, EditTimeline, Rational } from './EditTimeline.ts';

const HEADINGS = ['INT. KITCHEN - NIGHT', 'EXT. ROOFTOP - DAY', 'INT. CAR (MOVING) - DUSK', 'EXT. PIER - CONTINUOUS'];
const CHARACTERS = ['MAYA', 'JONAS', 'DR. OKAFOR'];

function letterSuffix(n: number): string {
  // 0 -> 'A', 25 -> 'Z', 26 -> 'AA'
  let out = '';
  let k = n;
  do {
    out = String.fromCharCode(65 + (k % 26)) + out;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return out;
}

/**
 * A timeline of `shotCount` shots for benchmarking the exporters (`bench/export.ts`).
 *
 * Shots are grouped eight to a scene (`12A` ... `12H`), last 1 to 4 seconds (in whole frames), and alternate
 * between stills (PNG, two sizes) and video takes (every fifth shot, with a source longer than the shot); every
 * third shot has notes with XML-special characters and a line break; a music bed runs under the whole cut.
 * @param shotCount number of shots, >= 1
 * @param frameRate the timeline's rate, e.g. `{ num: 24000, den: 1001 }`
 * @throws Error when shotCount is not a whole number >= 1.
 */
export function makeSyntheticTimeline(shotCount: number, frameRate: Rational): EditTimeline {
  if (!Number.isSafeInteger(shotCount) || shotCount < 1) {
    throw new Error(`shotCount must be a whole number >= 1; got ${shotCount}`);
  }
  const framesPerSecond = Math.max(1, Math.round(frameRate.num / frameRate.den));
  const clips: EditClip[] = [];
  let total = 0;
  for (let i = 0; i < shotCount; i++) {
    const scene = Math.floor(i / 8) + 1;
    const shotNumber = `${scene}${letterSuffix(i % 8)}`;
    const durationFrames = framesPerSecond * (1 + (i % 4)) + (i % 3);
    const isVideo = i % 5 === 4;
    clips.push({
      shotId: `shot-${String(i + 1).padStart(6, '0')}`,
      shotNumber,
      sceneNumber: String(scene),
      sceneHeading: HEADINGS[scene % HEADINGS.length]!,
      durationFrames,
      media: isVideo
        ? {
            path: `/Users/artist/StoryCanvas/Projects/Long Night/takes/scene ${scene}/${shotNumber} take 2.mp4`,
            kind: 'video',
            widthPx: 1920,
            heightPx: 1080,
            sourceDurationFrames: durationFrames + framesPerSecond,
          }
        : {
            path: `/Users/artist/StoryCanvas/Projects/Long Night/takes/scene ${scene}/${shotNumber} take 1.png`,
            kind: 'image',
            widthPx: i % 2 === 0 ? 1920 : 2048,
            heightPx: i % 2 === 0 ? 1080 : 858,
          },
      action: `Shot ${shotNumber}: the camera pushes in as the light flickers.`,
      notes: i % 3 === 0 ? `Hold on the <door> & "wait"\nthen cut` : '',
      dialogue:
        i % 2 === 0
          ? [{ character: CHARACTERS[i % CHARACTERS.length]!, parenthetical: 'quietly', text: 'We should not be here.' }]
          : [],
    });
    total += durationFrames;
  }
  return {
    name: 'Long Night',
    frameRate,
    widthPx: 1920,
    heightPx: 1080,
    clips,
    music: { path: '/Users/artist/StoryCanvas/Projects/Long Night/music/score v3.wav', offsetFrames: 0, durationFrames: total },
  };
}

/**
 * The small hand-made timeline behind the golden files: three shots (two stills of different sizes and one video)
 * with a scene break, notes full of XML/URL-special characters, non-ASCII names, and music starting on the
 * second frame of the first shot.
 * @param frameRate the timeline's rate
 */
export function makeSampleTimeline(frameRate: Rational): EditTimeline {
  const fps = Math.max(1, Math.round(frameRate.num / frameRate.den));
  return {
    name: 'Night Shift & "Friends"',
    frameRate,
    widthPx: 1920,
    heightPx: 1080,
    clips: [
      {
        shotId: 'shot-1',
        shotNumber: '12A',
        sceneNumber: '12',
        sceneHeading: 'INT. KITCHEN - NIGHT',
        durationFrames: 2 * fps,
        media: { path: '/Users/maya/Story Boards/scene 12/12A #1.png', kind: 'image', widthPx: 1920, heightPx: 1080 },
        action: 'Maya opens the fridge. Light spills <out>.',
        notes: 'Hold for the beat & the hum\nthen cut',
        dialogue: [{ character: 'MAYA', parenthetical: 'whispering', text: 'Who ate it?' }],
      },
      {
        shotId: 'shot-2',
        shotNumber: '12B',
        sceneNumber: '12',
        sceneHeading: 'INT. KITCHEN - NIGHT',
        durationFrames: fps + 3,
        media: { path: '/Users/maya/Story Boards/scene 12/12B café.jpg', kind: 'image', widthPx: 2048, heightPx: 858 },
        action: 'Close on the empty shelf.',
        notes: '',
        dialogue: [],
      },
      {
        shotId: 'shot-3',
        shotNumber: '13',
        sceneNumber: '13',
        sceneHeading: 'EXT. ROOFTOP - DAY',
        durationFrames: 3 * fps,
        media: {
          path: '/Users/maya/Story Boards/scene 13/13 take 4 (final).mp4',
          kind: 'video',
          widthPx: 1920,
          heightPx: 1080,
          sourceDurationFrames: 4 * fps,
        },
        action: 'Wide: the city at dawn.',
        notes: '50% slower? ask director',
        dialogue: [{ character: 'JONAS', text: 'Morning.' }],
      },
    ],
    music: { path: '/Users/maya/Story Boards/music/theme – v2.wav', offsetFrames: 1, durationFrames: 6 * fps },
  };
}
