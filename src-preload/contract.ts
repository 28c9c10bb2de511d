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
  Character,
  DialogueLine,
  FrameRate,
  ProjectSettings,
  ProjectSnapshot,
  ProjectSummary,
  RecentProject,
  ShotSize,
  Take,
  UndoState,
} from './model';

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

/** Timeline formats: FCPXML (Final Cut Pro, Resolve), xmeml = FCP7 XML (Premiere), CMX3600 EDL (Avid, any NLE), OpenTimelineIO (Resolve 18.5+). */
export const ExportFormat = z.enum(['fcpxml', 'xmeml', 'edl', 'otio']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportResult = z.object({
  /** Absolute paths of every file written, the timeline file first. */
  files: z.array(z.string()),
  format: ExportFormat,
  shotCount: z.number().int(),
  durationFrames: z.number().int(),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'web', 'cli']),
  platform: z.string(),
  /** Where the app keeps its own settings (recent projects, servers). */
  configDir: z.string(),
});

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
    'Change name, frame rate, resolution or default shot duration. Undoable.',
    ProjectRef.extend({ patch: ProjectSettings.partial().strict() }),
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

  'character.list': method('Characters of the project.', ProjectRef, z.array(Character)),

  'edit.undo': method('Undo the last edit.', ProjectRef, UndoState),
  'edit.redo': method('Redo the last undone edit.', ProjectRef, UndoState),
  'edit.state': method('What undo and redo would do.', ProjectRef, UndoState),

  'export.run': method(
    'Export the timeline for an editor. Writes the file and a media/ folder beside it with every picture it references.',
    ProjectRef.extend({
      format: ExportFormat,
      /** Absolute path of the file to write; its folder is created. Defaults to <project>/exports/<name>.<ext>. */
      outPath: z.string().min(1).optional(),
      fcpxmlVersion: z.enum(['1.9', '1.10', '1.11', '1.12', '1.13']).optional(),
    }),
    ExportResult,
  ),
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

/** The single IPC channel names, shared by src-main/ipc and src-preload/index.ts. */
export const IPC_INVOKE_CHANNEL = 'storycanvas:call';
export const IPC_EVENT_CHANNEL = 'storycanvas:event';

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
