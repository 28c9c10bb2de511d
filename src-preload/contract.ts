/**
 * The contract: ONE map of methods and ONE map of events, each with zod schemas.
 *
 * Electron IPC (src-main/ipc), the web mode WebSocket (src-main/web) and the CLI (src-main/cli) all dispatch
 * through `methods` with `dispatch()` in src-main/core/dispatch.ts, so a method added here works, and is
 * validated, everywhere. The renderer's client types (`MethodArgs`, `MethodResult`, `EventPayload`) come from
 * this map too.
 *
 * Naming: `domain.verb`. Every method that touches a project takes `projectId`, the handle `project.open`
 * or `project.create` returned.
 *
 * Pure TypeScript (zod only): it is bundled into the preload, the renderer, and the Node side alike.
 */
import { z } from 'zod';
import {
  CameraAngle,
  CameraMove,
  CharacterInput,
  CharacterPatch,
  CharacterView,
  LibraryCharacter,
  PromptComposition,
  StyleTemplate,
  TemplateInput,
  TemplatePatch,
  DialogueLine,
  FrameRate,
  ProjectMusic,
  ProjectSettings,
  ProjectSnapshot,
  ProjectSummary,
  RecentProject,
  ShotSize,
  Take,
  UndoState,
} from './model';
import { AssistantSettings, LibraryTakePage, ProposedShot, ShotProposal } from './model';

/** A method's schemas and a one-line description (printed by `storycanvas methods`). */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  args: A;
  result: R;
  summary: string;
}

function method<A extends z.ZodType, R extends z.ZodType>(summary: string, args: A, result: R): MethodSpec<A, R> {
  return { args, result, summary };
}

const ProjectRef = z.object({ projectId: z.string().min(1) });
const Ok = z.object({ ok: z.literal(true) });

/** Fields of a shot an artist edits. Every key optional; `null` clears a field. */
export const ShotPatch = z
  .object({
    number: z.string().min(1).max(16),
    shotSize: ShotSize.nullable(),
    cameraAngle: CameraAngle.nullable(),
    cameraMove: CameraMove.nullable(),
    lensMm: z.number().positive().max(2000).nullable(),
    action: z.string().max(20000),
    dialogue: z.array(DialogueLine).max(200),
    notes: z.string().max(20000),
    durationFrames: z.number().int().positive().max(10_000_000),
    characters: z.array(z.string().min(1)).max(100),
  })
  .partial()
  .strict();
export type ShotPatch = z.infer<typeof ShotPatch>;

export const ScenePatch = z
  .object({
    number: z.string().min(1).max(16),
    heading: z.string().min(1).max(500),
    synopsis: z.string().max(20000),
  })
  .partial()
  .strict();
export type ScenePatch = z.infer<typeof ScenePatch>;

export const ScriptImportResult = z.object({
  title: z.string().nullable(),
  scenesAdded: z.number().int(),
  scenesUpdated: z.number().int(),
  shotsAdded: z.number().int(),
  shotsUpdated: z.number().int(),
  /** Shots that came from an earlier import of this script and are no longer in it. They are kept, never deleted. */
  shotsNoLongerInScript: z.number().int(),
  characters: z.array(z.string()),
});
export type ScriptImportResult = z.infer<typeof ScriptImportResult>;

/**
 * Export targets. Timeline formats: FCPXML (Final Cut Pro, Resolve), xmeml = FCP7 XML (Premiere), CMX3600 EDL (Avid,
 * any NLE), OpenTimelineIO (Resolve 18.5+). Presets and renders: `resolve` (a folder `<name> (Resolve)/` with an OTIO
 * or FCPXML 1.10 timeline and its media/), `mp4` (the animatic), `pdf` (storyboard sheets), `zip` (the project package).
 */
export const ExportFormat = z.enum(['fcpxml', 'xmeml', 'edl', 'otio', 'resolve', 'mp4', 'pdf', 'zip']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportResult = z.object({
  /** Absolute paths of every file written, the timeline file first. */
  files: z.array(z.string()),
  format: ExportFormat,
  shotCount: z.number().int(),
  durationFrames: z.number().int(),
  /** The id progress events and export.cancel used (the client's, or one the core chose). */
  exportId: z.string().optional(),
  /** What the artist should know about the result (same sentences as export.plan's notes). */
  notes: z.array(z.string()).optional(),
  /** The ffmpeg that rendered (mp4 only): where it came from and its version. */
  ffmpeg: z.object({ path: z.string(), source: z.enum(['system', 'bundled', 'env']), version: z.string() }).optional(),
});
export type ExportResult = z.infer<typeof ExportResult>;

/** Texts burnt into the animatic (mp4). */
export const ExportBurnIn = z
  .object({ shotNumber: z.boolean().optional(), dialogue: z.boolean().optional(), timecode: z.boolean().optional() })
  .strict();
export type ExportBurnIn = z.infer<typeof ExportBurnIn>;

/** Layout of the PDF storyboard sheets. Defaults: 6 per page, landscape, A4. */
export const ExportPdfLayout = z
  .object({
    perPage: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(6)]).optional(),
    orientation: z.enum(['portrait', 'landscape']).optional(),
    pageSize: z.enum(['A4', 'Letter']).optional(),
  })
  .strict();
export type ExportPdfLayout = z.infer<typeof ExportPdfLayout>;

/**
 * What an artist chooses in the Export view: the target and its options. export.lastChoice hands the last successful
 * one back. Paths are absolute, on the machine that runs the core.
 */
export const ExportChoice = z.object({
  format: ExportFormat,
  /**
   * Where to write. fcpxml/xmeml/edl/otio: the timeline file (media/ goes beside it); resolve: the folder to create
   * (default `<project>/exports/<name> (Resolve)`); mp4, pdf, zip: the file. Defaults to `<project>/exports/<name>.<ext>`,
   * except zip: `<name>.storycanvas.zip` beside the project folder (a package cannot be written inside what it packs).
   */
  outPath: z.string().min(1).optional(),
  /** FCPXML version; default 1.10 (also for resolve via fcpxml). */
  fcpxmlVersion: z.enum(['1.9', '1.10', '1.11', '1.12', '1.13']).optional(),
  /** How timeline files name their media; default absolute. Only OTIO can be relative (see export.plan's notes). */
  mediaPaths: z.enum(['absolute', 'relative']).optional(),
  /** The timeline format inside the Resolve folder; default otio (Resolve 18.5+). */
  resolveVia: z.enum(['otio', 'fcpxml']).optional(),
  /** mp4 only: texts burnt into the picture. */
  burnIn: ExportBurnIn.optional(),
  /** pdf only: sheet layout. */
  pdf: ExportPdfLayout.optional(),
});
export type ExportChoice = z.infer<typeof ExportChoice>;

/** export.run and export.plan arguments: a project, a choice, and an optional client-chosen id for progress and cancel. */
export const ExportArgs = ProjectRef.extend(ExportChoice.shape).extend({
  exportId: z.string().min(1).max(200).optional(),
});

/** What an export will write (export.plan): every file, in the order written, and notes for the artist. */
export const ExportPlan = z.object({
  files: z.array(z.object({ path: z.string(), kind: z.enum(['timeline', 'media', 'video', 'pdf', 'package']) })),
  notes: z.array(z.string()),
});
export type ExportPlan = z.infer<typeof ExportPlan>;

/** Stages of an export, in order: pictures gathered (cards rendered, media copied), then the one that writes. */
export const ExportStage = z.enum(['media', 'timeline', 'encode', 'pdf', 'package', 'done']);
export type ExportStage = z.infer<typeof ExportStage>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'web', 'cli']),
  platform: z.string(),
  /** Where the app keeps its own settings (recent projects, servers). */
  configDir: z.string(),
});


// ---- generation queue, ComfyUI servers, workflows and presets ------------------------------------------------
// (src-main/core/queue, src-main/core/pool; see src-main/core/queue/README.md)

/** Job priority, most urgent first. Within a priority, jobs run in the artist's order, then oldest first. */
export const JobPriority = z.enum(['critical', 'high', 'normal', 'low']);
export type JobPriority = z.infer<typeof JobPriority>;

/**
 * Job state: `queued` (waiting in StoryCanvas), `dispatched` (posted to a server, waiting there), `running` (the
 * server is executing it), then one of `succeeded`, `failed`, `cancelled`.
 */
export const JobState = z.enum(['queued', 'dispatched', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

/**
 * Seeds of a batch: `sequence` (a base seed, +1 per take), `random` (one random seed per take), `locked` (each
 * shot has its own fixed seed derived from its id, +1 per take: regenerating a shot gives the same pictures).
 */
export const SeedMode = z.enum(['sequence', 'random', 'locked']);
export type SeedMode = z.infer<typeof SeedMode>;

/** One generation job of a shot, as the Queue view shows it. Times are ISO 8601 strings. */
export const Job = z.object({
  id: z.string(),
  projectId: z.string(),
  /** `comfy`: runs on a ComfyUI server of the pool. */
  kind: z.enum(['comfy', 'enhance', 'render']),
  shotId: z.string(),
  /** The shot's number (`12A`), or null when the shot was deleted. */
  shotNumber: z.string().nullable(),
  batchId: z.string(),
  workflowId: z.string(),
  /** SHA-256 of the workflow template. */
  workflowHash: z.string(),
  prompt: z.string(),
  seed: z.number().int().nonnegative(),
  priority: JobPriority,
  /** The artist's order within the priority (fractional index key). */
  orderKey: z.string(),
  state: JobState,
  serverId: z.string().nullable(),
  /** The ComfyUI prompt id of the current (or last) attempt. */
  promptId: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  /** Why the last attempt failed (kept while a retry waits), or null. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Takes this job produced (one per output image; for an enhancement, its new or reused take). */
  takeIds: z.array(z.string()),
  /** Enhancement jobs: the execution provider that ran it (`cpu`, `cuda`, ...; `cache` when an identical result was reused), null until then. */
  provider: z.string().nullable().optional(),
  createdAt: z.string(),
  dispatchedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof Job>;

/** A LoRA to apply: the file name as the server lists it, and its strengths (model strength 1 by default). */
export const LoraChoice = z.object({
  name: z.string().min(1),
  strengthModel: z.number().min(-100).max(100).optional(),
  strengthClip: z.number().min(-100).max(100).optional(),
});
export type LoraChoice = z.infer<typeof LoraChoice>;

/** Generation values that override the preset's and the workflow's own (sizes in pixels, multiples of 8). */
export const GenerationOverrides = z
  .object({
    checkpoint: z.string().min(1),
    loras: z.array(LoraChoice).max(16),
    negativePrompt: z.string().max(20000),
    steps: z.number().int().min(1).max(10000),
    cfg: z.number().min(0).max(100),
    samplerName: z.string().min(1),
    scheduler: z.string().min(1),
    widthPx: z.number().int().min(16).max(16384),
    heightPx: z.number().int().min(16).max(16384),
  })
  .partial()
  .strict();
export type GenerationOverrides = z.infer<typeof GenerationOverrides>;

/** A ComfyUI server of the pool with its live state, as the Servers view shows it. */
export const ServerStatus = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  /** Names of the extra headers sent (values are never shown: they may hold credentials). */
  headerNames: z.array(z.string()),
  enabled: z.boolean(),
  /** `unknown` before the first check; `busy` when online with work in flight; `disabled` when switched off. */
  status: z.enum(['unknown', 'online', 'busy', 'offline', 'disabled']),
  /** Circuit breaker: `open` sets a failing server aside until a probe after the cool-down succeeds. */
  breaker: z.enum(['closed', 'open', 'half-open']),
  /** Prompts on the server (running and pending, all clients) at the last look. */
  queueLength: z.number().int().nonnegative(),
  /** Our jobs posted to it and not finished (at most 2: one running, one waiting). */
  inFlight: z.number().int().nonnegative(),
  vramTotalBytes: z.number().nullable(),
  vramFreeBytes: z.number().nullable(),
  comfyuiVersion: z.string().nullable(),
  protocol: z.enum(['current', 'mid2024']).nullable(),
  checkpoints: z.array(z.string()),
  loras: z.array(z.string()),
  nodeTypeCount: z.number().int().nonnegative(),
  /** Measured sampling speed, ms per step at 512x512 (null until a job has run). */
  msPerStep: z.number().nullable(),
  lastError: z.string().nullable(),
  checkedAt: z.string().nullable(),
});
export type ServerStatus = z.infer<typeof ServerStatus>;

const ServerHeaders = z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'a header name is a token like X-Api-Key'), z.string().max(8192));

/** A workflow that can be chosen for generation. */
export const WorkflowInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(['image', 'video']),
  family: z.string(),
  nodeTypes: z.array(z.string()),
  builtin: z.boolean(),
});
export type WorkflowInfo = z.infer<typeof WorkflowInfo>;

/** A generation setting of a preset (field names of the workflow parameters; sizes in pixels). */
export const PresetSetting = z.object({
  steps: z.number().int().min(1).max(10000),
  cfg: z.number().min(0).max(100),
  samplerName: z.string().min(1),
  scheduler: z.string().min(1),
  widthPx: z.number().int().min(64),
  heightPx: z.number().int().min(64),
  guidance: z.number().min(0).max(100).optional(),
});

/** A model preset: built-in (`sdxl.fast`) or saved by an artist. */
export const PresetInfo = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  setting: PresetSetting,
  loras: z.array(z.object({ name: z.string(), strengthModel: z.number(), strengthClip: z.number().optional() })),
  builtin: z.boolean(),
});
export type PresetInfo = z.infer<typeof PresetInfo>;

const JobIds = z.array(z.string().min(1)).min(1).max(100_000);

/**
 * The queue, server and workflow methods (merged into `methods` below). Handlers: src-main/core/handlersQueue.ts.
 */
export const queueMethods = {
  'servers.list': method('ComfyUI servers of the pool with their live state.', z.object({}), z.array(ServerStatus)),
  'servers.add': method(
    'Add a ComfyUI server (http://host:8188; headers for an auth proxy) and check it.',
    z.object({ url: z.string().min(1).max(2000), name: z.string().min(1).max(120).optional(), headers: ServerHeaders.optional(), enabled: z.boolean().optional() }),
    ServerStatus,
  ),
  'servers.update': method(
    'Rename, re-address, change the headers of, enable or disable a server.',
    z.object({
      serverId: z.string().min(1),
      patch: z.object({ name: z.string().min(1).max(120), url: z.string().min(1).max(2000), headers: ServerHeaders, enabled: z.boolean() }).partial().strict(),
    }),
    ServerStatus,
  ),
  'servers.remove': method('Remove a server; its jobs in flight move to other servers.', z.object({ serverId: z.string().min(1) }), Ok),
  'servers.check': method('Check a server now: reachable, versions, VRAM, models and node types.', z.object({ serverId: z.string().min(1) }), ServerStatus),

  'queue.list': method(
    'Jobs of a project: the queue in dispatch order, then finished jobs, newest first.',
    ProjectRef.extend({ states: z.array(JobState).optional() }),
    z.array(Job),
  ),
  'queue.enqueue': method(
    'Queue takes for shots (a list, a scene, or the whole project) with a workflow and a preset.',
    ProjectRef.extend({
      target: z.enum(['shot', 'scene', 'all']),
      /** For target `shot`: the shots. */
      shotIds: z.array(z.string().min(1)).min(1).max(100_000).optional(),
      /** For target `scene`: the scene. */
      sceneId: z.string().min(1).optional(),
      /** Takes per shot. */
      takes: z.number().int().min(1).max(100).default(1),
      /** A built-in workflow (workflows.list); default: the preset family's, else sd15_txt2img. */
      workflowId: z.string().min(1).optional(),
      /** Or an API-format workflow file on the machine that runs the core. */
      workflowPath: z.string().min(1).optional(),
      /** A preset id (presets.list): steps, cfg, sampler, size (fitted to the project's aspect), LoRAs. */
      preset: z.string().min(1).optional(),
      seedMode: SeedMode.default('sequence'),
      /** The first seed of `sequence` (default random). */
      seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      priority: JobPriority.default('normal'),
      overrides: GenerationOverrides.optional(),
    }).refine((a) => !(a.workflowId && a.workflowPath), { message: 'give workflowId or workflowPath, not both' }),
    z.object({ batchId: z.string(), jobs: z.array(Job) }),
  ),
  'queue.cancel': method(
    'Cancel jobs: queued ones leave the queue, running ones are stopped on their server (only them).',
    ProjectRef.extend({ jobIds: JobIds }),
    z.array(Job),
  ),
  'queue.retry': method('Queue failed or cancelled jobs again.', ProjectRef.extend({ jobIds: JobIds }), z.array(Job)),
  'queue.setPriority': method('Change the priority of waiting jobs.', ProjectRef.extend({ jobIds: JobIds, priority: JobPriority }), z.array(Job)),
  'queue.move': method(
    'Reorder waiting jobs: put them before another waiting job (taking its priority), or at the end when beforeJobId is null.',
    ProjectRef.extend({ jobIds: JobIds, beforeJobId: z.string().nullable() }),
    Ok,
  ),

  'workflows.list': method('Workflows that can be chosen for generation (the built-in ones).', z.object({}), z.array(WorkflowInfo)),
  'presets.list': method('Model presets: built-in (family.fast, family.quality) and the artist\'s own.', z.object({}), z.array(PresetInfo)),
  'presets.save': method(
    'Save (add or replace) an artist\'s preset.',
    z.object({
      preset: z.object({
        id: z.string().min(1).max(64),
        name: z.string().min(1).max(120),
        family: z.string().min(1),
        setting: PresetSetting,
        loras: z.array(LoraChoice).optional(),
      }),
    }),
    PresetInfo,
  ),
  'presets.remove': method('Remove an artist\'s preset.', z.object({ presetId: z.string().min(1) }), Ok),
} as const;

// ---- local enhancement: models, execution providers, enhancement jobs --------------------------------------------
// (src-main/core/enhance, src-main/core/queue/LocalEnhanceExecutor.ts; handlers in src-main/core/enhance/handlers.ts)

/** An installed enhancement model (bundled or the user's), verified against its sidecar's SHA-256. */
export const EnhanceModelInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  /** `upscale` (pictures) or `interpolate` (frames of clips, to the project's frame rate). */
  task: z.enum(['upscale', 'interpolate']),
  /** Output pixels per input pixel on each axis. */
  scale: z.number().int().positive(),
  /** `RGB`, or `Y` for luma-only models. */
  layout: z.enum(['RGB', 'Y']),
  licence: z.object({ spdx: z.string(), url: z.string() }),
  /** Where the weights come from. */
  source: z.string(),
  sha256: z.string(),
  /** `bundled` with the app, or `user` (in <configDir>/models). */
  origin: z.enum(['bundled', 'user']),
  sizeBytes: z.number().int().nonnegative(),
  /** The execution provider models run on in this process (`cuda`, `cpu`...), null until it was chosen. */
  provider: z.string().nullable(),
});
export type EnhanceModelInfo = z.infer<typeof EnhanceModelInfo>;

/** The execution provider chosen at start, and every provider tried (with why each one that is not used failed). */
export const EnhanceProviders = z.object({
  provider: z.string(),
  tried: z.array(z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() })),
});
export type EnhanceProviders = z.infer<typeof EnhanceProviders>;

/** A take (or shot) `enhance.enqueue` left out, and why. */
export const EnhanceSkipped = z.object({ takeId: z.string().nullable(), shotId: z.string(), shotNumber: z.string(), reason: z.string() });

/** The enhancement methods (merged into `methods` below). */
export const enhanceMethods = {
  'models.list': method('Enhancement models installed (bundled and the user\'s), verified, with task, scale, licence and source.', z.object({}), z.array(EnhanceModelInfo)),
  'enhance.providers': method(
    'The execution provider enhancement runs on (probed once at start: each GPU provider alone, then the CPU), with every provider tried.',
    z.object({}),
    EnhanceProviders,
  ),
  'enhance.enqueue': method(
    'Queue enhancement jobs (run on this machine, one at a time, in the same queue as generation): each take (takeIds, or the selected take of each of shotIds) gets a new take on its shot; the source take is kept. Results are cached by input, model and parameters.',
    ProjectRef.extend({
      takeIds: z.array(z.string().min(1)).min(1).max(100_000).optional(),
      /** Or shots: their selected takes. */
      shotIds: z.array(z.string().min(1)).min(1).max(100_000).optional(),
      /** A model id (models.list): an upscale model for pictures, an interpolate model for clips. */
      modelId: z.string().min(1),
      /** Upscale models: bring each picture to the project's resolution (fitted, aspect kept; lanczos after an overshoot); takes already there are skipped. */
      upscaleToProject: z.boolean().default(false),
      priority: JobPriority.default('normal'),
      /** Tile size and overlap in input pixels (defaults 256 and 16). */
      tileSizePx: z.number().int().min(16).max(8192).optional(),
      overlapPx: z.number().int().min(0).max(1024).optional(),
    }).refine((a) => (a.takeIds ? 1 : 0) + (a.shotIds ? 1 : 0) === 1, { message: 'give takeIds or shotIds (one of them)' }),
    z.object({ batchId: z.string(), jobs: z.array(Job), skipped: z.array(EnhanceSkipped) }),
  ),
} as const;

// ---- consistency: characters, style templates, prompt composition, seed locks ------------------------------------
// (src-main/core/library, src-main/core/prompt; handlers in src-main/core/library/handlers.ts)

const CharacterName = z.string().trim().min(1, 'give the character\'s name').max(120);
const TemplateRef = z.string().min(1, 'give the template\'s id or name').max(200);
const ShotIds = z.array(z.string().min(1)).min(1).max(100_000);
const SeedValue = z.number().int().min(0).max(2 ** 48 - 1);

/** A template import's source and what to do when its name is taken. */
export const TemplateImportArgs = z
  .object({
    /** A template file on the machine that runs the core. */
    path: z.string().min(1).optional(),
    /** Or the file's text (web mode), with its name for messages. */
    text: z.string().max(1_048_576).optional(),
    fileName: z.string().min(1).max(500).optional(),
    /** When the name is taken: refuse (default), import as `Name (2)`, or replace the old template's fields. */
    onConflict: z.enum(['error', 'rename', 'replace']).default('error'),
  })
  .refine((a) => (a.path ? 1 : 0) + (a.text !== undefined ? 1 : 0) === 1, { message: 'give either path or text' });

/** The character, template, prompt and seed methods (merged into `methods` below). */
export const consistencyMethods = {
  'character.list': method(
    'Characters: with a project, its script\'s names merged with the library (by name, without case; the project\'s overrides applied) and the shots that use each, then the library\'s others; without, the library.',
    z.object({ projectId: z.string().min(1).optional() }),
    z.array(CharacterView),
  ),
  'character.get': method('One character (by name, without case), as character.list shows it.', z.object({ projectId: z.string().min(1).optional(), name: CharacterName }), CharacterView),
  'character.create': method('Add a character to the library (names are unique without case).', z.object({ character: CharacterInput }), LibraryCharacter),
  'character.update': method(
    'Edit a character: in the library (scope library, the default; shared by every project) or as this project\'s override (scope project; undoable). A script character with no library entry is adopted into the library on its first edit.',
    z.object({
      name: CharacterName,
      patch: CharacterPatch,
      projectId: z.string().min(1).optional(),
      scope: z.enum(['library', 'project']).default('library'),
    }),
    CharacterView,
  ),
  'character.clearOverride': method('Drop the project\'s override of a character: the library\'s version applies again. Undoable.', ProjectRef.extend({ name: CharacterName }), CharacterView),
  'character.delete': method(
    'Delete a character from the library and (with projectId) from the project\'s shots. Refuses with code character_in_use, listing the shots, unless force is true.',
    z.object({ name: CharacterName, projectId: z.string().min(1).optional(), force: z.boolean().default(false) }),
    z.object({ deletedFromLibrary: z.boolean(), shotsChanged: z.number().int().nonnegative() }),
  ),
  'character.attach': method('Give shots a character by hand. Undoable.', ProjectRef.extend({ name: CharacterName, shotIds: ShotIds }), Ok),
  'character.detach': method('Take a character off shots. Undoable.', ProjectRef.extend({ name: CharacterName, shotIds: ShotIds }), Ok),
  'character.addReference': method(
    'Add a reference picture (PNG, JPEG, WebP) to a character, copied into the library; adopts a script character. weight: its share, 0..1 (default 1).',
    z
      .object({
        name: CharacterName,
        path: z.string().min(1).optional(),
        fileName: z.string().min(1).max(500).optional(),
        /** The picture by value (web mode), base64; at most 64 MiB once decoded. */
        dataBase64: z.string().max(90_000_000).optional(),
        weight: z.number().min(0).max(1).default(1),
      })
      .refine((a) => (a.path ? 1 : 0) + (a.dataBase64 !== undefined && a.fileName ? 1 : 0) === 1, { message: 'give either path, or fileName with dataBase64' }),
    LibraryCharacter,
  ),
  'character.removeReference': method(
    'Remove a reference picture from a character (by its contentHash or refs/ path).',
    z.object({ name: CharacterName, ref: z.string().min(1) }),
    LibraryCharacter,
  ),

  'template.list': method('Style templates of the library, by name, with use counts and their latest takes.', z.object({}), z.array(StyleTemplate)),
  'template.get': method('One style template (by id or name).', z.object({ template: TemplateRef }), StyleTemplate),
  'template.create': method('Add a style template to the library.', z.object({ template: TemplateInput }), StyleTemplate),
  'template.update': method('Edit a style template (sampler and loras are replaced whole).', z.object({ template: TemplateRef, patch: TemplatePatch }), StyleTemplate),
  'template.delete': method('Delete a style template; shots and projects that chose it fall back (prompt.compose says so).', z.object({ template: TemplateRef }), Ok),
  'template.import': method('Import a template file ({"storycanvas":"template","version":1,…}) from a path or its text.', TemplateImportArgs, StyleTemplate),
  'template.export': method(
    'A template as file text; with outPath, also written there (temp file, then rename).',
    z.object({ template: TemplateRef, outPath: z.string().min(1).optional() }),
    z.object({ json: z.string(), path: z.string().nullable() }),
  ),

  'project.setDefaultTemplate': method('Set (null clears) the project\'s style template. Undoable.', ProjectRef.extend({ template: TemplateRef.nullable() }), Ok),
  'shot.setTemplate': method('Give shots their own style template (null: the project\'s). Undoable.', ProjectRef.extend({ shotIds: ShotIds, template: TemplateRef.nullable() }), Ok),
  'shot.setPrompt': method(
    'Pin a hand-written prompt to shots (null unpins) and/or set the artist\'s additions to the composed prompt. Undoable.',
    ProjectRef.extend({ shotIds: ShotIds, pinned: z.string().max(20000).nullable().optional(), additions: z.string().max(20000).optional() }),
    Ok,
  ),
  'shot.setSeed': method(
    'Lock or unlock the seed of shots: a regenerated shot keeps its composition. Without seed, locking keeps the shot\'s seed or takes its selected take\'s. Undoable.',
    ProjectRef.extend({ shotIds: ShotIds, seed: SeedValue.nullable().optional(), locked: z.boolean() }),
    Ok,
  ),
  'scene.setSeed': method(
    'Lock or unlock a scene\'s seed: its shots without a locked seed derive theirs from it (+1000 per shot). Undoable.',
    ProjectRef.extend({ sceneId: z.string().min(1), seed: SeedValue.nullable().optional(), locked: z.boolean() }),
    Ok,
  ),
  'prompt.compose': method(
    'The composed prompt of a shot, as the inspector shows it live: parts, negative prompt, LoRAs, references, notes. family: the model family (default: the template preset\'s).',
    ProjectRef.extend({ shotId: z.string().min(1), family: z.string().min(1).max(64).optional(), additions: z.string().max(20000).optional() }),
    PromptComposition,
  ),
} as const;

// ---- takes: triage, trash, variations, the generation pool; the shot assistant --------------------------------------
// (src-main/core/takes, src-main/core/library/takeLibrary.ts, src-main/core/assistant; handlers in takes/handlers.ts
// and assistant/handlers.ts)

const TakeIds = z.array(z.string().min(1)).min(1).max(10_000);

/** Take triage, the trash, variations and the generation pool (merged into `methods` below). */
export const takeMethods = {
  'take.star': method('Star (or unstar) a take; a starred take is no longer rejected. Undoable.', ProjectRef.extend({ takeId: z.string().min(1), starred: z.boolean() }), Take),
  'take.reject': method(
    'Reject (or accept again) a take; a rejected selected take hands the selection to the shot\'s next best take. Undoable.',
    ProjectRef.extend({ takeId: z.string().min(1), rejected: z.boolean() }),
    Take,
  ),
  'take.tag': method('Replace a take\'s tags (at most 32, 1..60 characters, no commas). Undoable.', ProjectRef.extend({ takeId: z.string().min(1), tags: z.array(z.string().max(200)).max(100) }), Take),
  'take.delete': method(
    'Move takes to the project\'s trash (their files stay; a shot whose selected take goes selects its next best: starred first). Undoable.',
    ProjectRef.extend({ takeIds: TakeIds }),
    z.object({ shots: z.array(z.object({ shotId: z.string(), selectedTakeId: z.string().nullable() })) }),
  ),
  'take.restore': method('Take takes out of the trash (a shot without a selected take selects the first). Undoable.', ProjectRef.extend({ takeIds: TakeIds }), z.array(Take)),
  'take.trash.list': method('The takes in the project\'s trash, most recently trashed first.', ProjectRef, z.array(Take)),
  'take.trash.empty': method(
    'Delete the takes in the trash and their files for good (not undoable). Refuses with code confirm_required unless confirm is true.',
    ProjectRef.extend({ confirm: z.boolean().default(false) }),
    z.object({ deletedTakes: z.number().int().nonnegative(), deletedFiles: z.array(z.string()) }),
  ),
  'take.vary': method(
    'Queue variations of a generated take with its recorded prompt, workflow and parameters: new-seed (new random seeds) or same-seed (image to image from the take with a growing denoise up to strength when the workflow allows it, else seeds +1..n).',
    ProjectRef.extend({
      takeId: z.string().min(1),
      mode: z.enum(['new-seed', 'same-seed']),
      /** same-seed: the largest denoise, 0.05..1 (default 0.3). */
      strength: z.number().min(0.05).max(1).optional(),
      count: z.number().int().min(1).max(16).default(1),
      priority: JobPriority.optional(),
    }),
    z.object({ batchId: z.string(), jobs: z.array(Job), method: z.enum(['new-seed', 'same-seed-img2img', 'same-seed-neighbours']), reason: z.string().optional() }),
  ),
  'library.takes.search': method(
    'The generation pool: takes of every known project (recent and open), newest first, searched by words of prompt, tags, characters and template (full text), and filtered by character, template and tag.',
    z.object({
      query: z.string().max(500).optional(),
      character: z.string().min(1).max(120).optional(),
      templateId: z.string().min(1).max(200).optional(),
      tag: z.string().min(1).max(60).optional(),
      excludeRejected: z.boolean().default(false),
      limit: z.number().int().min(1).max(500).default(50),
      cursor: z.string().min(1).max(500).optional(),
    }),
    LibraryTakePage,
  ),
  'library.takes.send': method(
    'Copy a take of any known project into a shot of an open project (the file under its content hash); the new take is imported, with meta.from. Undoable in the target.',
    z.object({ fromProjectPath: z.string().min(1), takeId: z.string().min(1), toProjectId: z.string().min(1), shotId: z.string().min(1) }),
    Take,
  ),
  'library.reindex': method(
    'Rebuild the generation pool from every recent and open project (closed ones are read without being changed).',
    z.object({}),
    z.object({ projects: z.number().int(), takes: z.number().int(), removed: z.array(z.string()), failed: z.array(z.object({ path: z.string(), message: z.string() })) }),
  ),
} as const;

/** The shot assistant (an OpenAI-compatible chat endpoint; off until configured). */
export const assistantMethods = {
  'assistant.get': method('The shot assistant\'s settings (never the key: only whether one is available and where it is kept).', z.object({}), AssistantSettings),
  'assistant.configure': method(
    'Set the assistant\'s endpoint, model, on/off and timeout. apiKey goes to the shell\'s secret store (the OS keychain), never to a file; null removes it.',
    z.object({
      baseUrl: z.string().url().max(2000).optional(),
      model: z.string().min(1).max(200).optional(),
      enabled: z.boolean().optional(),
      timeoutMs: z.number().int().min(1000).max(600_000).optional(),
      apiKey: z.string().min(1).max(4000).nullable().optional(),
    }),
    AssistantSettings,
  ),
  'assistant.test': method(
    'Ask the configured endpoint for a one-word answer: checks the URL, the key and the model.',
    z.object({}),
    z.object({ ok: z.literal(true), model: z.string(), latencyMs: z.number().nonnegative() }),
  ),
  'assistant.proposeShots': method(
    'Ask the assistant for a shot breakdown of a scene (size, angle, move, lens, description, dialogue). A reply that does not fit the schema is refused (assistant_invalid_reply); nothing is applied.',
    ProjectRef.extend({ sceneId: z.string().min(1) }),
    ShotProposal,
  ),
  'assistant.applyShots': method(
    'Add the shots the artist accepted (and edited) at the end of the scene, in one undoable step.',
    ProjectRef.extend({ sceneId: z.string().min(1), shots: z.array(ProposedShot).min(1).max(200) }),
    z.object({ shotIds: z.array(z.string()) }),
  ),
} as const;

/**
 * Every method of the contract. Keys are the wire names; each shell dispatches these exact names.
 */
export const methods = {
  'app.info': method('The app and the shell it runs in.', z.object({}), AppInfo),

  'project.create': method(
    'Create a <Name>.storycanvas folder in a directory and open it.',
    z.object({
      /** The directory to create the project folder in (absolute). */
      dir: z.string().min(1),
      name: z.string().min(1).max(200),
      frameRate: FrameRate.optional(),
      widthPx: z.number().int().min(16).max(16384).optional(),
      heightPx: z.number().int().min(16).max(16384).optional(),
      defaultShotDurationFrames: z.number().int().positive().optional(),
    }),
    ProjectSummary,
  ),
  'project.open': method(
    'Open a project folder (or its project.db). Migrates an older project after a backup.',
    z.object({ path: z.string().min(1) }),
    ProjectSummary,
  ),
  'project.close': method('Close an open project.', ProjectRef, Ok),
  'project.list': method('Projects open in this core.', z.object({}), z.array(ProjectSummary)),
  'project.recent': method('Recently opened projects, newest first.', z.object({}), z.array(RecentProject)),
  'project.get': method('The whole project: settings, scenes with their shots in order, takes, characters.', ProjectRef, ProjectSnapshot),
  'project.updateSettings': method(
    'Change name, frame rate, resolution or default shot duration. Undoable. With retimeShots, a new frame rate keeps every shot\'s length in seconds (rounded to whole frames); without, shots keep their frame counts.',
    ProjectRef.extend({ patch: ProjectSettings.partial().strict(), retimeShots: z.boolean().optional() }),
    ProjectSettings,
  ),
  'project.saveAs': method(
    'Copy the project (database by online backup, and its media) to a new folder in a directory.',
    ProjectRef.extend({ dir: z.string().min(1), name: z.string().min(1).max(200).optional() }),
    z.object({ path: z.string() }),
  ),

  'script.import': method(
    'Import a Fountain screenplay: scenes, shots (one per action paragraph), dialogue, characters. Re-importing updates, never duplicates.',
    ProjectRef.extend({
      /** Path of the script on the machine that runs the core. */
      path: z.string().min(1).optional(),
      /** Or the script's text itself (web mode uploads), with its file name for messages. */
      text: z.string().max(20_000_000).optional(),
      fileName: z.string().optional(),
    }).refine((a) => (a.path ? 1 : 0) + (a.text !== undefined ? 1 : 0) === 1, {
      message: 'give either path or text',
    }),
    ScriptImportResult,
  ),

  'scene.create': method(
    'Add an empty scene after another (or at the end).',
    ProjectRef.extend({ afterSceneId: z.string().nullable().optional(), heading: z.string().min(1).max(500).optional() }),
    z.object({ sceneId: z.string() }),
  ),
  'scene.update': method('Edit a scene. Undoable.', ProjectRef.extend({ sceneId: z.string(), patch: ScenePatch }), Ok),
  'scene.move': method(
    'Move a scene before another scene (or to the end). Writes one row.',
    ProjectRef.extend({ sceneId: z.string(), beforeSceneId: z.string().nullable() }),
    Ok,
  ),
  'scene.delete': method('Delete a scene with its shots (and their takes stay on disk). Undoable.', ProjectRef.extend({ sceneId: z.string() }), Ok),

  'shot.create': method(
    'Add a shot to a scene after another shot (or at the end of the scene).',
    ProjectRef.extend({ sceneId: z.string(), afterShotId: z.string().nullable().optional() }),
    z.object({ shotId: z.string() }),
  ),
  'shot.update': method(
    'Edit one or more shots with the same patch (multi-select). Undoable as one step.',
    ProjectRef.extend({ shotIds: z.array(z.string()).min(1).max(100_000), patch: ShotPatch }),
    Ok,
  ),
  'shot.move': method(
    'Move shots (kept in their current relative order) into a scene before a shot, or to the end of the scene when beforeShotId is null. Writes one row per moved shot.',
    ProjectRef.extend({
      shotIds: z.array(z.string()).min(1).max(100_000),
      sceneId: z.string(),
      beforeShotId: z.string().nullable(),
    }),
    Ok,
  ),
  'shot.delete': method('Delete shots. Their takes stay on disk; undo brings them back.', ProjectRef.extend({ shotIds: z.array(z.string()).min(1) }), Ok),

  'take.import': method(
    'Import image (PNG, JPEG, WebP) or video files from paths as takes of a shot; the first becomes selected if the shot had none.',
    ProjectRef.extend({ shotId: z.string(), paths: z.array(z.string().min(1)).min(1).max(500) }),
    z.array(Take),
  ),
  'take.importBytes': method(
    'Import one file sent by value (web mode drag and drop) as a take of a shot.',
    ProjectRef.extend({
      shotId: z.string(),
      fileName: z.string().min(1).max(500),
      /** The file, base64. At most 256 MiB once decoded. */
      dataBase64: z.string().max(360_000_000),
    }),
    Take,
  ),
  'take.select': method('Make a take the selected take of its shot. Undoable.', ProjectRef.extend({ takeId: z.string() }), Ok),

  'edit.undo': method('Undo the last edit.', ProjectRef, UndoState),
  'edit.redo': method('Redo the last undone edit.', ProjectRef, UndoState),
  'edit.state': method('What undo and redo would do.', ProjectRef, UndoState),

  'export.run': method(
    'Export the timeline for an editor (with a media/ folder beside it), the animatic, PDF sheets or the project package. Emits export.progress; export.cancel stops it.',
    ExportArgs,
    ExportResult,
  ),
  'export.plan': method('What export.run would write with these arguments (files and notes), without writing anything.', ExportArgs, ExportPlan),
  'export.cancel': method(
    'Cancel a running export by its exportId; its partial output is removed. False when no such export runs.',
    z.object({ exportId: z.string().min(1) }),
    z.object({ cancelled: z.boolean() }),
  ),
  'export.lastChoice': method('The arguments of the project\'s last successful export, or null.', ProjectRef, ExportChoice.nullable()),
  'project.openPackage': method(
    'Unpack a project package (.zip) into a folder and open it. A damaged package is refused, naming the file that failed.',
    z.object({ zipPath: z.string().min(1), destDir: z.string().min(1) }),
    ProjectSummary,
  ),

  'music.set': method(
    'Set the music under the timeline from an audio file (WAV, MP3, AAC/M4A, FLAC, Ogg), copied into media/music/. Undoable.',
    ProjectRef.extend({
      /** Path of the audio file on the machine that runs the core. */
      path: z.string().min(1).optional(),
      /** Or the file by value (web mode), with its name. At most 256 MiB once decoded. */
      fileName: z.string().min(1).max(500).optional(),
      dataBase64: z.string().max(360_000_000).optional(),
      /** Where the music starts: frames from the first shot's first frame. Default 0. */
      offsetFrames: z.number().int().nonnegative().max(100_000_000).optional(),
    }).refine((a) => (a.path ? 1 : 0) + (a.dataBase64 !== undefined && a.fileName ? 1 : 0) === 1, {
      message: 'give either path, or fileName with dataBase64',
    }),
    ProjectMusic,
  ),
  'music.update': method(
    'Move the music to start at another frame. Undoable.',
    ProjectRef.extend({ offsetFrames: z.number().int().nonnegative().max(100_000_000) }),
    ProjectMusic,
  ),
  'music.clear': method('Remove the music from the timeline (its file stays in media/). Undoable.', ProjectRef, Ok),
  'music.waveform': method(
    'The music\'s waveform: the loudest sample of each of `buckets` equal slices (0..1), and its length in frames. Cached.',
    ProjectRef.extend({ buckets: z.number().int().min(1).max(100_000) }),
    z.object({ peaks: z.array(z.number().min(0).max(1)), durationFrames: z.number().int().positive() }),
  ),

  ...queueMethods,
  ...consistencyMethods,
  ...takeMethods,
  ...assistantMethods,
  ...enhanceMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodArgs<M extends MethodName> = z.input<Methods[M]['args']>;
export type MethodArgsParsed<M extends MethodName> = z.output<Methods[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;

/** What changed in a project, so clients invalidate exactly what they show. */
export const ProjectChanged = z.object({
  projectId: z.string(),
  revision: z.number().int(),
  /** A label for people: `Move shot 12A`, `Import script`, `Undo Move shot 12A`. */
  label: z.string(),
  undo: UndoState,
});

/** Every event of the contract. The core emits them; each shell forwards them to every connected client. */
export const events = {
  'project.changed': ProjectChanged,
  'project.closed': z.object({ projectId: z.string() }),
  'media.ready': z.object({ projectId: z.string(), shotId: z.string(), path: z.string() }),
  /** A running export's progress: `fraction` of the whole export (0..1, rising), in `stage`. */
  'export.progress': z.object({ projectId: z.string(), exportId: z.string(), stage: ExportStage, fraction: z.number().min(0).max(1) }),

  /** A job changed state (queued, dispatched, running, finished), priority, order or server. */
  'job.updated': z.object({ projectId: z.string(), job: Job }),
  /**
   * Sampling progress of a running job (throttled). `previewUrl`: the project-relative path of the latest preview
   * frame (`media/previews/<jobId>.jpg`, served like any media path); it changes content, so reload it per event.
   */
  'job.progress': z.object({
    projectId: z.string(),
    jobId: z.string(),
    value: z.number().nonnegative(),
    max: z.number().nonnegative(),
    previewUrl: z.string().optional(),
  }),
  /** A server's state changed: online/offline/busy, VRAM, queue length, breaker. */
  'server.updated': ServerStatus,
  /** The character and template library changed (another window or the CLI may have changed it): reload characters and templates. */
  'library.changed': z.object({ kind: z.enum(['character', 'template']), id: z.string().nullable(), action: z.enum(['created', 'updated', 'deleted']) }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** The reply every transport carries for one call. */
export type CallReply<M extends MethodName = MethodName> =
  | { ok: true; result: MethodResult<M> }
  | { ok: false; error: { code: string; message: string; hint?: string } };

/**
 * The client side of the contract, implemented by the preload bridge (Electron) and the WebSocket client
 * (web mode). Views use only this.
 */
export interface ContractClient {
  /** Calls a method. Rejects with a `ContractCallError` carrying the core's code, message and hint. */
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The error a client call rejects with. */
export class ContractCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ContractCallError';
  }
}

/**
 * Media ids besides project ids in media URLs (`/media/<id>/<path>`, `app://media/<id>/<path>`):
 * `library` serves the character library's reference pictures (`refs/<file>`); `pool` serves pictures of takes of
 * projects that are not open, as recorded by the take pool (`take/<takeId>`, or `file/<base64url project folder>/<media path>`).
 * Project ids are 16 hex digits, so these never name a project. See src-main/core/mediaFiles.ts.
 */
export const LIBRARY_MEDIA_ID = 'library';
export const POOL_MEDIA_ID = 'pool';

/** The pool path of a take's thumbnail (or picture): `take/<takeId>`. */
export function poolTakePath(takeId: string): string {
  return `take/${takeId}`;
}

/** The pool path of a file of a project: `file/<base64url of the UTF-8 project folder path>/<path inside it>`. */
export function poolFilePath(projectPath: string, relPath: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(projectPath)) binary += String.fromCharCode(b);
  const b64url = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `file/${b64url}/${relPath}`;
}

/** The single IPC channel names, shared by src-main/ipc and src-preload/index.ts. */
export const IPC_INVOKE_CHANNEL = 'storycanvas:call';
export const IPC_EVENT_CHANNEL = 'storycanvas:event';

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
