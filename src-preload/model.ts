/**
 * The records of a StoryCanvas project, as zod schemas shared by the core, every shell and the renderer.
 *
 * Pure TypeScript (zod only): no Node, no DOM, no Electron. The renderer derives its types from here,
 * so there is no hand-written duplicate of any record.
 *
 * Units are in the names: `durationFrames` counts frames at the project's frame rate, `widthPx` pixels,
 * `lensMm` millimetres (35 mm full-frame equivalent).
 */
import { z } from 'zod';

/**
 * A frame rate as an exact rational `num/den` frames per second (24000/1001, never 23.976).
 * The supported rates are those an editor's timeline offers for storyboards:
 * 24, 25, 24000/1001, 30000/1001, 30, 60 (and 60000/1001, 50 for broadcast deliveries).
 */
export const FrameRate = z
  .object({ num: z.number().int().positive(), den: z.number().int().positive() })
  .refine((r) => SUPPORTED_FRAME_RATES.some((s) => s.num * r.den === r.num * s.den), {
    message: 'frame rate must be one of 24, 25, 30, 50, 60, 24000/1001, 30000/1001, 60000/1001',
  });
export type FrameRate = z.infer<typeof FrameRate>;

/** Every rate the app accepts, in the order the settings menu lists them. */
export const SUPPORTED_FRAME_RATES: ReadonlyArray<{ num: number; den: number; label: string }> = [
  { num: 24, den: 1, label: '24' },
  { num: 24000, den: 1001, label: '23.976 (24000/1001)' },
  { num: 25, den: 1, label: '25' },
  { num: 30000, den: 1001, label: '29.97 (30000/1001)' },
  { num: 30, den: 1, label: '30' },
  { num: 50, den: 1, label: '50' },
  { num: 60000, den: 1001, label: '59.94 (60000/1001)' },
  { num: 60, den: 1, label: '60' },
];

/**
 * Parses `"24"`, `"24000/1001"`, `"23.976"`, `"29.97"` into a rational frame rate.
 * Decimal NTSC spellings are accepted only as input from people and mapped to their exact rational.
 * @throws Error naming the accepted values when the text is not a supported rate.
 */
export function parseFrameRate(text: string): FrameRate {
  const t = text.trim();
  const decimal: Record<string, [number, number]> = {
    '23.976': [24000, 1001],
    '23.98': [24000, 1001],
    '29.97': [30000, 1001],
    '59.94': [60000, 1001],
  };
  let num: number;
  let den: number;
  if (decimal[t]) [num, den] = decimal[t];
  else if (/^\d+\/\d+$/.test(t)) [num, den] = t.split('/').map(Number) as [number, number];
  else if (/^\d+$/.test(t)) [num, den] = [Number(t), 1];
  else throw new Error(`"${text}" is not a frame rate: use 24, 25, 30, 50, 60, 24000/1001, 30000/1001 or 60000/1001`);
  const parsed = FrameRate.safeParse({ num, den });
  if (!parsed.success)
    throw new Error(`"${text}" is not a supported frame rate: use 24, 25, 30, 50, 60, 24000/1001, 30000/1001 or 60000/1001`);
  return parsed.data;
}

/** `24000/1001` or `24`: the form used in files, the CLI and settings. */
export function formatFrameRate(r: FrameRate): string {
  return r.den === 1 ? String(r.num) : `${r.num}/${r.den}`;
}

/** Shot sizes, widest to tightest (the trade's abbreviations). */
export const SHOT_SIZES = ['EWS', 'WS', 'MWS', 'MS', 'MCU', 'CU', 'ECU', 'INSERT'] as const;
export const ShotSize = z.enum(SHOT_SIZES);
export type ShotSize = z.infer<typeof ShotSize>;

/** Camera angles. */
export const CAMERA_ANGLES = ['eye-level', 'high', 'low', 'birds-eye', 'worms-eye', 'dutch', 'ots', 'pov'] as const;
export const CameraAngle = z.enum(CAMERA_ANGLES);
export type CameraAngle = z.infer<typeof CameraAngle>;

/** Camera moves. */
export const CAMERA_MOVES = [
  'static',
  'pan',
  'tilt',
  'dolly-in',
  'dolly-out',
  'truck',
  'crane',
  'handheld',
  'zoom',
] as const;
export const CameraMove = z.enum(CAMERA_MOVES);
export type CameraMove = z.infer<typeof CameraMove>;

/** One line of dialogue as the screenplay has it. `dual` marks the second speaker of dual dialogue. */
export const DialogueLine = z.object({
  character: z.string().min(1),
  parenthetical: z.string().optional(),
  text: z.string(),
  dual: z.boolean().optional(),
});
export type DialogueLine = z.infer<typeof DialogueLine>;

/** Project settings. `widthPx`x`heightPx` is the delivery resolution; the aspect ratio follows from it. */
export const ProjectSettings = z.object({
  name: z.string().min(1).max(200),
  frameRate: FrameRate,
  widthPx: z.number().int().min(16).max(16384),
  heightPx: z.number().int().min(16).max(16384),
  defaultShotDurationFrames: z.number().int().positive(),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

/** Interior/exterior from a slugline. */
export const IntExt = z.enum(['INT', 'EXT', 'INT/EXT']);
export type IntExt = z.infer<typeof IntExt>;

export const Scene = z.object({
  id: z.string(),
  /** The scene number as printed: `12`, `12A`, `2-B`. */
  number: z.string(),
  /** The whole slugline, e.g. `INT. KITCHEN - NIGHT`. */
  heading: z.string(),
  intExt: IntExt.nullable(),
  location: z.string(),
  timeOfDay: z.string(),
  synopsis: z.string(),
  orderKey: z.string(),
});
export type Scene = z.infer<typeof Scene>;

export const TakeSource = z.enum(['imported', 'placeholder', 'generated']);
export type TakeSource = z.infer<typeof TakeSource>;

export const Take = z.object({
  id: z.string(),
  shotId: z.string(),
  /** Path of the file relative to the project folder, always with `/`: `media/takes/ab12….png`. */
  path: z.string(),
  /** Path of a thumbnail relative to the project folder, or null while none is made. */
  thumbPath: z.string().nullable(),
  kind: z.enum(['image', 'video']),
  source: TakeSource,
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  /** For clips: length in frames at the project's rate. Null for stills. */
  durationFrames: z.number().int().positive().nullable(),
  /** SHA-256 of the file, hex. */
  contentHash: z.string(),
  originalName: z.string().nullable(),
  createdAt: z.string(),
  /** Free-form provenance (prompt, seed, workflow hash, server, timings for generated takes). */
  meta: z.record(z.string(), z.unknown()),
});
export type Take = z.infer<typeof Take>;

export const Shot = z.object({
  id: z.string(),
  sceneId: z.string(),
  /** The shot number as shown and exported: `12A`. */
  number: z.string(),
  orderKey: z.string(),
  shotSize: ShotSize.nullable(),
  cameraAngle: CameraAngle.nullable(),
  cameraMove: CameraMove.nullable(),
  lensMm: z.number().positive().max(2000).nullable(),
  action: z.string(),
  dialogue: z.array(DialogueLine),
  notes: z.string(),
  durationFrames: z.number().int().positive(),
  selectedTakeId: z.string().nullable(),
  /** Names of the characters present (speakers and names found in the action). */
  characters: z.array(z.string()),
});
export type Shot = z.infer<typeof Shot>;

export const Character = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  fromScript: z.boolean(),
});
export type Character = z.infer<typeof Character>;

/** The script's title page, key to value as written (`Title`, `Credit`, `Author`, `Draft date`, …). */
export const TitlePage = z.record(z.string(), z.string());

/** The whole project as the timeline shows it: scenes in order, shots in order within each. */
export const ProjectSnapshot = z.object({
  projectId: z.string(),
  /** Absolute path of the `<Name>.storycanvas` folder on the machine that runs the core. */
  path: z.string(),
  settings: ProjectSettings,
  titlePage: TitlePage,
  scenes: z.array(Scene.extend({ shots: z.array(Shot) })),
  takes: z.array(Take),
  characters: z.array(Character),
  /** Increases with every committed edit; lets clients drop stale answers. */
  revision: z.number().int().nonnegative(),
});
export type ProjectSnapshot = z.infer<typeof ProjectSnapshot>;

export const UndoState = z.object({
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  undoLabel: z.string().nullable(),
  redoLabel: z.string().nullable(),
});
export type UndoState = z.infer<typeof UndoState>;

export const ProjectSummary = z.object({
  projectId: z.string(),
  path: z.string(),
  settings: ProjectSettings,
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const RecentProject = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
export type RecentProject = z.infer<typeof RecentProject>;

/** The error every shell hands back: a stable code, a sentence for people, and what to do about it. */
export const ContractErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});
export type ContractErrorShape = z.infer<typeof ContractErrorShape>;
