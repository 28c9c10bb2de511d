import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { MethodArgs, MethodName, MethodResult, CallReply } from '../../src-preload/contract';
import type { RecentProject } from '../../src-preload/model';
import { call, dispatch, type Handlers } from './dispatch';
import { AppError } from './errors';
import { EventHub } from './events';
import { createHandlers } from './handlers';
import { QueueService, type QueueServiceOptions } from './queue/QueueService.ts';
import { EnhanceRuntime, type EnhanceRuntimeOptions } from './enhance/EnhanceRuntime.ts';
import { defaultBundledModelsDir, userModelsDir } from './enhance/registry.ts';
import { LocalEnhanceExecutor } from './queue/LocalEnhanceExecutor.ts';
import { LibraryStore } from './library/LibraryStore';
import { EnvSecretStore, type SecretStore } from './assistant/secrets';
import { DB_FILE, ProjectStore } from './store/ProjectStore';

export type ShellKind = 'electron' | 'web' | 'cli';

export interface CoreOptions {
  /** Where the app keeps its own settings (recent projects, servers). Default: $STORYCANVAS_HOME or ~/.config/storycanvas. */
  configDir?: string;
  shell: ShellKind;
  version?: string;
  /** The generation queue and server pool (timeouts, policy, built-in workflows folder); defaults suit the app. */
  queue?: QueueServiceOptions;
  /** The enhancement runtime (model folders, GPU use, idle time); default: bundled models and `<configDir>/models`. */
  enhance?: EnhanceRuntimeOptions;
  /**
   * Where secrets (the shot assistant's API key) are kept: the Electron shell passes one backed by safeStorage (the
   * OS keychain); default: `STORYCANVAS_ASSISTANT_KEY` from the environment, read-only (web mode, CLI).
   */
  secrets?: SecretStore;
}

/** The default settings folder: `$STORYCANVAS_HOME`, else `$XDG_CONFIG_HOME/storycanvas`, else `~/.config/storycanvas`. */
export function defaultConfigDir(): string {
  if (process.env.STORYCANVAS_HOME) return resolve(process.env.STORYCANVAS_HOME);
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'storycanvas');
}

/** A stable handle for an open project: the first 16 hex digits of the SHA-256 of its real path. */
export function projectIdFor(dir: string): string {
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    // not there yet: the resolved path is the best name
  }
  return createHash('sha256').update(real).digest('hex').slice(0, 16);
}

/**
 * The StoryCanvas core: open projects, the event hub and the contract's handler map.
 * It knows nothing of who calls it. Shells call `dispatch` (wire input) or `call` (typed, in-process),
 * and forward `events` to their clients.
 */
export class Core {
  readonly events = new EventHub();
  readonly configDir: string;
  readonly shell: ShellKind;
  readonly version: string;
  readonly handlers: Handlers;
  /** The generation queue of the open projects and the ComfyUI server pool (src-main/core/queue). */
  readonly queue: QueueService;
  /** Local enhancement (upscaling, frame interpolation) on this machine; its jobs run in `queue` (kind `enhance`). */
  readonly enhance: EnhanceRuntime;
  /** Where the shot assistant's API key is kept (never in a settings file or a project). */
  readonly secrets: SecretStore;
  private readonly open = new Map<string, ProjectStore>();
  private lib: LibraryStore | null = null;

  constructor(opts: CoreOptions) {
    this.configDir = opts.configDir ?? defaultConfigDir();
    this.shell = opts.shell;
    this.version = opts.version ?? '0.1.0';
    mkdirSync(this.configDir, { recursive: true });
    this.secrets = opts.secrets ?? new EnvSecretStore();
    this.queue = new QueueService(this, opts.queue);
    this.enhance = new EnhanceRuntime({ roots: { bundledDir: defaultBundledModelsDir(), userDir: userModelsDir(this.configDir) }, ...opts.enhance });
    this.queue.executors.set('enhance', new LocalEnhanceExecutor({ runtime: this.enhance, project: (projectId) => this.project(projectId) }));
    this.handlers = createHandlers(this);
  }

  /** Wire entry: validates and runs one call. Never throws. */
  dispatch(method: string, args: unknown): Promise<CallReply> {
    return dispatch(this.handlers, method, args);
  }

  /** Typed in-process call; throws ContractCallError. */
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    return call(this.handlers, method, args);
  }

  // ---- open projects -------------------------------------------------------------------------

  /**
   * Opens (or returns the already open) project at a folder path (or its project.db) and registers it. An open
   * project is found by its id, computed from the path, without opening the database a second time.
   */
  async openProject(path: string): Promise<{ projectId: string; store: ProjectStore }> {
    const resolved = resolve(path);
    const dir = basename(resolved) === DB_FILE ? dirname(resolved) : resolved;
    const existing = this.open.get(projectIdFor(dir));
    if (existing) return { projectId: projectIdFor(dir), store: existing };
    const store = await ProjectStore.open(dir);
    const projectId = projectIdFor(store.dir);
    this.register(projectId, store);
    return { projectId, store };
  }

  /** Registers a freshly opened store under its id and wires its change notifications to events. */
  register(projectId: string, store: ProjectStore): void {
    store.onChange = (label) =>
      this.events.emit('project.changed', { projectId, revision: store.revision, label, undo: store.undoState() });
    this.open.set(projectId, store);
    this.touchRecent(store.dir, store.settings().name);
    this.queue.attachProject(projectId, store);
  }

  /** The open project with this id. @throws AppError `project_not_open`. */
  project(projectId: string): ProjectStore {
    const s = this.open.get(projectId);
    if (!s) throw new AppError('project_not_open', `No open project has the id ${projectId}.`, 'Open the project first (project.open).');
    return s;
  }

  openProjects(): Array<{ projectId: string; store: ProjectStore }> {
    return [...this.open].map(([projectId, store]) => ({ projectId, store }));
  }

  closeProject(projectId: string): void {
    const s = this.project(projectId);
    this.queue.detachProject(projectId);
    s.close();
    this.open.delete(projectId);
    this.events.emit('project.closed', { projectId });
  }

  /** Closes every project (checkpointing their WAL). */
  async close(): Promise<void> {
    await this.queue.close();
    await this.enhance.close();
    for (const [id] of this.open) this.closeProject(id);
    this.lib?.close();
    this.lib = null;
  }

  /**
   * The character and style template library of this core's config folder (`<configDir>/library.db`), opened on
   * first use; its changes are emitted as `library.changed`.
   * @throws AppError `library_too_new`, `corrupt_library`, `cannot_open`.
   */
  library(): LibraryStore {
    if (!this.lib) {
      this.lib = LibraryStore.open(this.configDir);
      this.lib.onChange = (change) => this.events.emit('library.changed', change);
    }
    return this.lib;
  }

  // ---- recent projects ---------------------------------------------------------------------------

  private recentFile(): string {
    return join(this.configDir, 'recent.json');
  }

  recent(): RecentProject[] {
    try {
      const list = JSON.parse(readFileSync(this.recentFile(), 'utf8')) as RecentProject[];
      return Array.isArray(list) ? list.filter((r) => existsSync(r.path)) : [];
    } catch {
      return [];
    }
  }

  private touchRecent(path: string, name: string): void {
    const list = [{ path, name, openedAt: new Date().toISOString() }, ...this.recent().filter((r) => r.path !== path)].slice(0, 20);
    const tmp = `${this.recentFile()}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(list, null, 2));
    renameSync(tmp, this.recentFile());
  }
}
