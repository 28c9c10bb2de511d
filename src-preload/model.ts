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
  /** The style template of shots that name none (a library template id). Absent (or null) when the project has none. */
  defaultTemplateId: z.string().min(1).nullable().optional(),
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
  /** The scene's seed (0..2^48-1), or null; while `seedLocked`, unlocked shots derive theirs from it (see prompt/seeds.ts). Sent by project.get. */
  seed: z.number().int().nonnegative().nullable().optional(),
  seedLocked: z.boolean().optional(),
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
  // Triage (project migration 0006-take-triage). The core always sends these; optional in the type only so that
  // record mappers written before them still compile. Absent means false / [] / null.
  /** The artist's pick among the takes of a shot (more than one may be starred). */
  starred: z.boolean().optional(),
  /** Set aside: kept, never selected automatically. */
  rejected: z.boolean().optional(),
  /** Free tags for the library's search. */
  tags: z.array(z.string()).optional(),
  /** When the take went to the project's trash (ISO 8601), or null. project.get leaves trashed takes out. */
  trashedAt: z.string().nullable().optional(),
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
  // Consistency (migration 0004-consistency). The core always sends these in project.get; they are optional in
  // the type only so that record mappers written before them still compile. Absent means null / '' / false.
  /** The style template this shot uses instead of the project's default (a library template id), or null. */
  templateId: z.string().nullable().optional(),
  /** A hand-written prompt that replaces the composed one, or null to compose. */
  pinnedPrompt: z.string().nullable().optional(),
  /** The artist's own words added to the composed prompt ('' for none). */
  promptAdditions: z.string().optional(),
  /** The shot's own seed (0..2^48-1), or null. Used for every take while `seedLocked`. */
  seed: z.number().int().nonnegative().nullable().optional(),
  /** Whether regenerating this shot keeps `seed` (and so its composition). */
  seedLocked: z.boolean().optional(),
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

/**
 * The music bed: one audio file under the whole timeline. `path` is relative to the project folder
 * (`media/music/<sha256>.wav`); `offsetFrames` is where it starts, frames from the first shot's first frame;
 * `durationFrames` is the file's length at the project's rate (rounded down).
 */
export const ProjectMusic = z.object({
  path: z.string(),
  originalName: z.string(),
  offsetFrames: z.number().int().nonnegative(),
  durationFrames: z.number().int().positive(),
});
export type ProjectMusic = z.infer<typeof ProjectMusic>;

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
  /** The music bed under the timeline, or null when there is none (the core always sends it). */
  music: ProjectMusic.nullable().optional(),
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

// ---- consistency: the character and style template library (src-main/core/library, src-main/core/prompt) --------

/** A character's LoRA: the file name as the ComfyUI server lists it, and its strength (model and text encoder; LoraLoader takes -100..100, 0.6..1 is usual). */
export const CharacterLora = z.strictObject({
  name: z.string().trim().min(1, 'a LoRA needs the file name the server lists, e.g. "bob_v2.safetensors"').max(500),
  strength: z.number().min(-100).max(100),
});
export type CharacterLora = z.infer<typeof CharacterLora>;

/** Words that wake a LoRA (`ohwx man`). Joined with ", " in prompts, so none may hold a comma. At most 32. */
export const TriggerWords = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'a trigger word cannot be empty')
      .max(100)
      .refine((w) => !w.includes(','), { message: 'a trigger word cannot contain a comma: give each as its own entry' }),
  )
  .max(32);

/** One reference picture of a character, copied into the library (content-addressed). */
export const ReferenceImage = z.object({
  /** Path inside the library folder (`<configDir>/library`), with `/`: `refs/<sha256>.<ext>`. */
  path: z.string(),
  /** SHA-256 of the file, hex; names the picture in character.removeReference. */
  contentHash: z.string(),
  originalName: z.string(),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  /** This picture's share of the character's reference, 0..1 (1 by default); multiplied by the character's `referenceWeight`. */
  weight: z.number().min(0).max(1),
});
export type ReferenceImage = z.infer<typeof ReferenceImage>;

/** A character of the library (shared by every project). `name` is unique, compared without case. */
export const LibraryCharacter = z.object({
  id: z.string(),
  name: z.string(),
  /** Words for the prompt: who they are and how they look (`a goofy man of 40 in a grey suit`). */
  description: z.string(),
  referenceImages: z.array(ReferenceImage),
  lora: CharacterLora.nullable(),
  triggerWords: TriggerWords,
  /** Strength of the reference pictures for image-prompt adapters (IP-Adapter and the like), 0..1. */
  referenceWeight: z.number().min(0).max(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LibraryCharacter = z.infer<typeof LibraryCharacter>;

/** The fields of a character an artist edits (names are trimmed; 1..120 characters). */
export const CharacterFields = z.strictObject({
  name: z.string().trim().min(1, 'a character needs a name').max(120),
  description: z.string().max(4000),
  lora: CharacterLora.nullable(),
  triggerWords: TriggerWords,
  referenceWeight: z.number().min(0).max(1),
});
/** A new library character: a name, the rest optional (description '', no LoRA, no trigger words, reference weight 0.6). */
export const CharacterInput = CharacterFields.partial().required({ name: true });
export type CharacterInput = z.input<typeof CharacterInput>;
/** Changes to a character: every key optional; `lora: null` removes the LoRA. */
export const CharacterPatch = CharacterFields.partial();
export type CharacterPatch = z.input<typeof CharacterPatch>;

/** A project's own version of a library character: the fields it replaces for this project only. */
export const CharacterOverride = CharacterFields.omit({ name: true }).partial();
export type CharacterOverride = z.infer<typeof CharacterOverride>;

/**
 * A character as the Character view shows it: the script's name merged with its library entry (matched by
 * name without case) and the project's override applied. Fields are the resolved values.
 */
export const CharacterView = z.object({
  /** The library's spelling when there is an entry, else the script's (`CYBER BOB`). */
  name: z.string(),
  /** The id of the library entry, or null for a script character not yet in the library. */
  libraryId: z.string().nullable(),
  /** Whether the project's script names this character. */
  fromScript: z.boolean(),
  description: z.string(),
  referenceImages: z.array(ReferenceImage),
  lora: CharacterLora.nullable(),
  triggerWords: TriggerWords,
  referenceWeight: z.number().min(0).max(1),
  /** The project's override (null when none, or when listed without a project). */
  override: CharacterOverride.nullable(),
  /** Shots of the project with this character, in timeline order ([] without a project). */
  shots: z.array(z.object({ shotId: z.string(), number: z.string() })),
});
export type CharacterView = z.infer<typeof CharacterView>;

/** Sampler values a style template sets (field names of the workflow parameters). */
export const SamplerSettings = z
  .strictObject({
    steps: z.number().int().min(1).max(10000),
    cfg: z.number().min(0).max(100),
    samplerName: z.string().min(1).max(100),
    scheduler: z.string().min(1).max(100),
  })
  .partial();
export type SamplerSettings = z.infer<typeof SamplerSettings>;

/** A LoRA of a style template (strengths as ComfyUI's LoraLoader: model 1 and clip = model when left out). */
export const TemplateLora = z.strictObject({
  name: z.string().trim().min(1, 'a LoRA needs the file name the server lists, e.g. "film_grain.safetensors"').max(500),
  strengthModel: z.number().min(-100).max(100).optional(),
  strengthClip: z.number().min(-100).max(100).optional(),
});
export type TemplateLora = z.infer<typeof TemplateLora>;

/** A take a template produced (newest first in `StyleTemplate.thumbnails`). */
export const TemplateThumbnail = z.object({
  /** Absolute path of the project folder that holds the take. */
  projectPath: z.string(),
  /** The take's path relative to that project folder (`media/takes/<sha256>.png`). */
  takePath: z.string(),
  createdAt: z.string(),
});
export type TemplateThumbnail = z.infer<typeof TemplateThumbnail>;

/** A style template of the library: the look of a project, reusable across projects. */
export const StyleTemplate = z.object({
  id: z.string(),
  name: z.string(),
  /** Style words added to every prompt (`charcoal storyboard sketch, loose lines, high contrast`). */
  stylePrompt: z.string(),
  negativePrompt: z.string(),
  /** The preferred workflow (workflows.list id), or null for the queue's choice. */
  workflowId: z.string().nullable(),
  /** The preferred model preset (presets.list id), or null. */
  presetId: z.string().nullable(),
  sampler: SamplerSettings,
  loras: z.array(TemplateLora),
  /** Takes generated with it, in every project. */
  useCount: z.number().int().nonnegative(),
  /** Its latest takes (at most 8, newest first). */
  thumbnails: z.array(TemplateThumbnail),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StyleTemplate = z.infer<typeof StyleTemplate>;

/** The fields of a style template an artist edits (and that a template file carries). */
export const TemplateFields = z.strictObject({
  name: z.string().trim().min(1, 'a template needs a name').max(120),
  stylePrompt: z.string().max(4000),
  negativePrompt: z.string().max(4000),
  workflowId: z.string().min(1).max(200).nullable(),
  presetId: z.string().min(1).max(200).nullable(),
  sampler: SamplerSettings,
  loras: z.array(TemplateLora).max(16),
});
/** A new template: a name, the rest optional ('' prompts, no workflow or preset, no sampler values, no LoRAs). */
export const TemplateInput = TemplateFields.partial().required({ name: true });
export type TemplateInput = z.input<typeof TemplateInput>;
export const TemplatePatch = TemplateFields.partial();
export type TemplatePatch = z.input<typeof TemplatePatch>;

/** The version of the template file format this build writes (`{"storycanvas":"template","version":1,…}`). */
export const TEMPLATE_FILE_VERSION = 1;
/** A shared template file: the header, then the template's fields (see TemplateFields). */
export const TemplateFile = TemplateFields.partial()
  .required({ name: true })
  .extend({ storycanvas: z.literal('template'), version: z.literal(TEMPLATE_FILE_VERSION) });
export type TemplateFile = z.infer<typeof TemplateFile>;

/** Where a piece of a composed prompt came from. */
export const PromptPartSource = z.enum(['framing', 'character', 'action', 'scene', 'additions', 'template']);
export type PromptPartSource = z.infer<typeof PromptPartSource>;

/** A composed prompt, as the inspector shows it live (prompt.compose). */
export const PromptComposition = z.object({
  /** What is sent: the pinned prompt when the shot has one, else `composedPrompt`. */
  prompt: z.string(),
  /** What composition gives, even while a pinned prompt wins. */
  composedPrompt: z.string(),
  pinned: z.boolean(),
  negativePrompt: z.string(),
  /** Template LoRAs and character LoRAs, one per file, strengths settled. */
  loras: z.array(z.object({ name: z.string(), strengthModel: z.number(), strengthClip: z.number() })),
  triggerWords: z.array(z.string()),
  /** Absolute paths of the characters' reference pictures, with their effective weight (0..1). */
  referenceImages: z.array(z.object({ path: z.string(), weight: z.number().min(0).max(1), character: z.string() })),
  /** What keeps the shot consistent: `lora:<file>`, `trigger words`, `description`, `reference images`, `seed locked`. */
  consistencyAids: z.array(z.string()),
  /** The composed prompt piece by piece, in order. */
  parts: z.array(z.object({ source: PromptPartSource, text: z.string() })),
  /** What the artist should know (action shortened, a character without a description, a missing template). */
  notes: z.array(z.string()),
  /** Estimated text-encoder tokens of `prompt`, and the window the model family reads at full weight (null: long-context encoder). */
  estimatedTokens: z.number().int().nonnegative(),
  tokenWindow: z.number().int().positive().nullable(),
  /** The template used and where it was chosen (the shot's own or the project's default), or null. */
  template: z.object({ id: z.string(), name: z.string(), from: z.enum(['shot', 'project']) }).nullable(),
  /** The seed the next take gets when it is locked (shot or scene), else null (the batch decides). */
  lockedSeed: z.object({ seed: z.number().int().nonnegative(), from: z.enum(['shot', 'scene']) }).nullable(),
});
export type PromptComposition = z.infer<typeof PromptComposition>;

// ---- takes: triage, trash and the generation pool (src-main/core/takes, src-main/core/library/takeLibrary.ts) -----

/** One tag of a take: 1..60 characters, trimmed, without commas (tags are listed with ", "). */
export const TakeTag = z
  .string()
  .trim()
  .min(1, 'a tag cannot be empty')
  .max(60)
  .refine((t) => !t.includes(','), { message: 'a tag cannot contain a comma: give each as its own entry' });
/** A take's tags: at most 32. */
export const TakeTags = z.array(TakeTag).max(32);

/**
 * A take of the generation pool: the takes of every project the app knows (recent and open projects), as the
 * library indexes them. `path` and `thumbPath` are relative to `projectPath`.
 */
export const LibraryTake = z.object({
  /** Absolute path of the `<Name>.storycanvas` folder that holds the take. */
  projectPath: z.string(),
  projectName: z.string(),
  /** The project's id when it is open in this core, else null. */
  projectId: z.string().nullable(),
  takeId: z.string(),
  shotId: z.string(),
  shotNumber: z.string().nullable(),
  path: z.string(),
  thumbPath: z.string().nullable(),
  kind: z.enum(['image', 'video']),
  source: TakeSource,
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  contentHash: z.string(),
  /** The prompt it was generated with ('' for an imported picture). */
  prompt: z.string(),
  characters: z.array(z.string()),
  templateId: z.string().nullable(),
  templateName: z.string(),
  tags: z.array(z.string()),
  starred: z.boolean(),
  rejected: z.boolean(),
  createdAt: z.string(),
});
export type LibraryTake = z.infer<typeof LibraryTake>;

/** One page of library.takes.search, newest first; `nextCursor` continues it (null at the end). */
export const LibraryTakePage = z.object({
  takes: z.array(LibraryTake),
  nextCursor: z.string().nullable(),
});
export type LibraryTakePage = z.infer<typeof LibraryTakePage>;

// ---- the shot assistant (src-main/core/assistant): an OpenAI-compatible chat endpoint proposes shots -------------

/**
 * The assistant's settings as shown to people. The API key is never part of them: it is kept by the shell's
 * secret store (the OS keychain through Electron's safeStorage), or read from `STORYCANVAS_ASSISTANT_KEY`.
 */
export const AssistantSettings = z.object({
  /** The server's base URL, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `http://127.0.0.1:1234/v1` (LM Studio). */
  baseUrl: z.string(),
  model: z.string(),
  /** Off until configured; the assistant never calls out while disabled. */
  enabled: z.boolean(),
  /** How long to wait for one reply, in milliseconds. */
  timeoutMs: z.number().int().positive(),
  /** Whether a key is available, and where it is kept. */
  hasKey: z.boolean(),
  keyStore: z.enum(['keychain', 'env', 'memory', 'none']),
});
export type AssistantSettings = z.infer<typeof AssistantSettings>;

/** One shot the assistant proposes (and the artist accepts, edits or rejects before it is applied). */
export const ProposedShot = z.strictObject({
  shotSize: ShotSize,
  cameraAngle: CameraAngle,
  cameraMove: CameraMove,
  /** Focal length in millimetres (35 mm full-frame equivalent), when the assistant names one. */
  lensMm: z.number().positive().max(2000).nullable().optional(),
  /** What the shot shows: becomes the shot's action text. */
  description: z.string().trim().min(1, 'a shot needs a description').max(4000),
  /** The lines spoken in the shot, when there are any. */
  dialogue: z.array(z.strictObject({ character: z.string().trim().min(1).max(120), text: z.string().max(4000) })).max(50).optional(),
});
export type ProposedShot = z.infer<typeof ProposedShot>;

/** A shot breakdown proposed for a scene. */
export const ShotProposal = z.object({
  sceneId: z.string(),
  shots: z.array(ProposedShot),
  /** The model that answered, as the server named it. */
  model: z.string(),
  /** Whether the server honoured `response_format: json_schema` (false: the plain JSON instruction was used). */
  structured: z.boolean(),
});
export type ShotProposal = z.infer<typeof ShotProposal>;
