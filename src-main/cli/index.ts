/**
 * The `storycanvas` command: a thin shell over the core. Every command turns argv into calls of the contract
 * (src-preload/contract.ts) through `core.call` / `core.dispatch`, with the contract's method names; there is no
 * second path into the core.
 *
 * Exit codes: 0 success; 1 a call failed (`error: <message>` and `hint: <hint>` on stderr); 2 bad usage (the
 * usage text on stderr). A project is named by the path of its `<Name>.storycanvas` folder and opened with
 * `project.open` for the command. Settings live in `$STORYCANVAS_HOME` (see `defaultConfigDir` in core/Core.ts).
 *
 * The core is imported lazily, so `--help`, `--version` and `methods` answer without opening anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ContractCallError, ExportFormat, methods, type CallReply, type MethodResult } from '../../src-preload/contract';
import { formatFrameRate, parseFrameRate, type ProjectSnapshot } from '../../src-preload/model';
import type { Core } from '../core/Core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository (or installed package) root: two levels above this file. */
const PACKAGE_ROOT = path.resolve(HERE, '..', '..');
/** Where `npm run build:renderer` writes the web interface that `serve` hands out. */
export const RENDERER_DIR = path.join(PACKAGE_ROOT, 'out', 'renderer');

/** Where the CLI writes. Tests and embedders may pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether `err` is a terminal: progress is then one redrawn bar, otherwise plain percent lines. */
  isTTY?: boolean;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: process.stderr.isTTY === true,
};

/** Bad usage: exit code 2, with the usage of the command (or of the whole CLI). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure that is not a contract call (a port already taken): exit code 1 with `error:` and `hint:` lines. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

interface Command {
  usage: string;
  summary: string;
  details?: string;
  options: Options;
  positionals: [min: number, max: number];
  run(args: Parsed, ctx: Context): Promise<number>;
}

interface Context {
  io: CliIo;
  /** A core for this command (created on first use; closed by `main`). */
  core(shell?: 'cli' | 'web'): Promise<Core>;
}

/** The version in package.json. */
export function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const COMMANDS: Record<string, Command> = {
  new: {
    usage: 'storycanvas new <dir> --name <name> [--fps 24000/1001] [--size 1920x1080] [--duration-frames 72]',
    summary: 'Create a project folder <dir>/<name>.storycanvas and print its path.',
    details:
      '  --name             the project name (also the folder name)\n' +
      '  --fps              frame rate: 24, 25, 30, 50, 60, 24000/1001, 30000/1001, 60000/1001 (default 24)\n' +
      '  --size             delivery resolution WIDTHxHEIGHT in pixels (default 1920x1080)\n' +
      '  --duration-frames  default length of a new shot in frames (default 72)',
    options: {
      name: { type: 'string' },
      fps: { type: 'string' },
      size: { type: 'string' },
      'duration-frames': { type: 'string' },
    },
    positionals: [1, 1],
    async run({ values, positionals }, ctx) {
      const name = values.name;
      if (typeof name !== 'string' || name.trim() === '') throw new UsageError('--name is required.', 'new');
      let frameRate;
      try {
        frameRate = typeof values.fps === 'string' ? parseFrameRate(values.fps) : undefined;
      } catch (err) {
        throw new UsageError(`--fps: ${(err as Error).message}`, 'new');
      }
      let size: { widthPx: number; heightPx: number } | undefined;
      if (typeof values.size === 'string') {
        const m = /^(\d+)x(\d+)$/i.exec(values.size.trim());
        if (!m) throw new UsageError(`--size "${values.size}" is not WIDTHxHEIGHT in pixels, like 1920x1080.`, 'new');
        size = { widthPx: Number(m[1]), heightPx: Number(m[2]) };
      }
      const durationFrames = typeof values['duration-frames'] === 'string' ? positiveInt(values['duration-frames'], '--duration-frames', 'new') : undefined;
      const core = await ctx.core();
      const project = await core.call('project.create', {
        dir: path.resolve(positionals[0]),
        name,
        ...(frameRate ? { frameRate } : {}),
        ...(size ?? {}),
        ...(durationFrames ? { defaultShotDurationFrames: durationFrames } : {}),
      });
      ctx.io.out(`${project.path}\n`);
      return 0;
    },
  },

  import: {
    usage: 'storycanvas import <project> <script.fountain>',
    summary: 'Import (or re-import) a Fountain screenplay into a project and print what changed.',
    options: {},
    positionals: [2, 2],
    async run({ positionals }, ctx) {
      const core = await ctx.core();
      const projectId = await openProject(core, positionals[0]);
      const scriptPath = path.resolve(positionals[1]);
      const r = await core.call('script.import', { projectId, path: scriptPath });
      const lines = [
        `Imported ${path.basename(scriptPath)}${r.title ? ` ("${r.title}")` : ''}:`,
        `  scenes:     ${r.scenesAdded} added, ${r.scenesUpdated} updated`,
        `  shots:      ${r.shotsAdded} added, ${r.shotsUpdated} updated` +
          (r.shotsNoLongerInScript ? `, ${r.shotsNoLongerInScript} no longer in the script (kept)` : ''),
        `  characters: ${r.characters.length ? r.characters.join(', ') : '(none)'}`,
      ];
      ctx.io.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },

  info: {
    usage: 'storycanvas info <project> [--json]',
    summary: 'Show a project: settings, scenes and shots (a table, or JSON with --json).',
    details:
      '  --json  print { settings, scenes: [{ number, heading, shots: [{ number, durationFrames, action,\n' +
      '          dialogue, characters, takes: [{ path, widthPx, heightPx, selected }] }] }] }\n' +
      '          (take paths are relative to the project folder)',
    options: { json: { type: 'boolean' } },
    positionals: [1, 1],
    async run({ values, positionals }, ctx) {
      const core = await ctx.core();
      const projectId = await openProject(core, positionals[0]);
      const snapshot = await core.call('project.get', { projectId });
      ctx.io.out(values.json ? `${JSON.stringify(projectInfoJson(snapshot), null, 2)}\n` : formatProjectTable(snapshot));
      return 0;
    },
  },

  export: {
    usage:
      'storycanvas export <project> --format fcpxml|xmeml|edl|otio|resolve|mp4|pdf|zip [--out <path>] [--fcpxml-version 1.10]\n' +
      '         [--media relative|absolute] [--resolve-via otio|fcpxml] [--per-page N --orientation portrait|landscape\n' +
      '         --page-size A4|Letter] [--burn-in]',
    summary: 'Export the timeline (with a media/ folder), the animatic, PDF sheets or the project package.',
    details:
      `  --format          one of: ${ExportFormat.options.join(', ')}\n` +
      '                    resolve = a folder "<name> (Resolve)" with an OTIO (or FCPXML 1.10) timeline and media/\n' +
      '  --out             the file to write (resolve: the folder; default: <project>/exports/<name>.<ext>,\n' +
      '                    zip: <name>.storycanvas.zip beside the project folder)\n' +
      "  --fcpxml-version  1.9 to 1.13 (default 1.10)\n" +
      '  --media           relative or absolute media paths (default absolute; only OTIO can be relative)\n' +
      '  --resolve-via     the timeline format inside the Resolve folder: otio (default) or fcpxml\n' +
      '  --per-page        pdf: 1, 2, 3, 4 or 6 shots per page (default 6)\n' +
      '  --orientation     pdf: portrait or landscape (default landscape)\n' +
      '  --page-size       pdf: A4 or Letter (default A4)\n' +
      '  --burn-in         mp4: burn the shot number, dialogue and timecode into the picture\n' +
      '  Prints the main file written; progress, notes and the ffmpeg used (mp4) go to stderr. Ctrl+C cancels.',
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      'fcpxml-version': { type: 'string' },
      media: { type: 'string' },
      'resolve-via': { type: 'string' },
      'per-page': { type: 'string' },
      orientation: { type: 'string' },
      'page-size': { type: 'string' },
      'burn-in': { type: 'boolean' },
    },
    positionals: [1, 1],
    async run({ values, positionals }, ctx) {
      const format = ExportFormat.safeParse(values.format);
      if (!format.success) {
        throw new UsageError(
          values.format === undefined ? '--format is required.' : `--format "${String(values.format)}" is not one of: ${ExportFormat.options.join(', ')}.`,
          'export',
        );
      }
      const oneOf = (option: string, allowed: readonly string[]): string | undefined => {
        const v = values[option];
        if (v === undefined) return undefined;
        if (typeof v !== 'string' || !allowed.includes(v)) throw new UsageError(`--${option} "${String(v)}" is not one of: ${allowed.join(', ')}.`, 'export');
        return v;
      };
      const media = oneOf('media', ['relative', 'absolute']) as 'relative' | 'absolute' | undefined;
      const resolveVia = oneOf('resolve-via', ['otio', 'fcpxml']) as 'otio' | 'fcpxml' | undefined;
      const perPage = oneOf('per-page', ['1', '2', '3', '4', '6']);
      const orientation = oneOf('orientation', ['portrait', 'landscape']) as 'portrait' | 'landscape' | undefined;
      const pageSize = oneOf('page-size', ['A4', 'Letter']) as 'A4' | 'Letter' | undefined;
      const pdf = perPage || orientation || pageSize
        ? { ...(perPage ? { perPage: Number(perPage) as 1 | 2 | 3 | 4 | 6 } : {}), ...(orientation ? { orientation } : {}), ...(pageSize ? { pageSize } : {}) }
        : undefined;
      const core = await ctx.core();
      const projectId = await openProject(core, positionals[0]);
      const exportId = `cli-${process.pid}-${Date.now().toString(36)}`;
      const showProgress = format.data === 'mp4' || format.data === 'zip';
      const bar = progressPrinter(ctx.io);
      const stopProgress = showProgress
        ? core.events.on('export.progress', (p) => {
            if (p.exportId === exportId) bar(p.stage, p.fraction);
          })
        : () => undefined;
      const onSigint = () => void core.dispatch('export.cancel', { exportId });
      process.on('SIGINT', onSigint);
      let r: CallReply;
      try {
        r = await core.dispatch('export.run', {
          projectId,
          exportId,
          format: format.data,
          ...(typeof values.out === 'string' ? { outPath: path.resolve(values.out) } : {}),
          ...(typeof values['fcpxml-version'] === 'string' ? { fcpxmlVersion: values['fcpxml-version'] } : {}),
          ...(media ? { mediaPaths: media } : {}),
          ...(resolveVia ? { resolveVia } : {}),
          ...(pdf ? { pdf } : {}),
          ...(values['burn-in'] ? { burnIn: { shotNumber: true, dialogue: true, timecode: true } } : {}),
        });
      } finally {
        process.off('SIGINT', onSigint);
        stopProgress();
        bar.end();
      }
      if (!r.ok) throw new ContractCallError(r.error.code, r.error.message, r.error.hint);
      const result = r.result as MethodResult<'export.run'>;
      const [main, ...rest] = result.files;
      ctx.io.out(`${main}\n`);
      const mediaNote = rest.length ? `, with ${rest.length} media files` : '';
      ctx.io.err(`Exported ${result.shotCount} shots (${result.durationFrames} frames) as ${result.format}${mediaNote}.\n`);
      for (const note of result.notes ?? []) ctx.io.err(`note: ${note}\n`);
      return 0;
    },
  },

  'open-package': {
    usage: 'storycanvas open-package <package.zip> <destDir>',
    summary: 'Unpack a project package into a folder (checking every file) and print the project path.',
    options: {},
    positionals: [2, 2],
    async run({ positionals }, ctx) {
      const core = await ctx.core();
      const project = await core.call('project.openPackage', { zipPath: path.resolve(positionals[0]), destDir: path.resolve(positionals[1]) });
      ctx.io.out(`${project.path}\n`);
      return 0;
    },
  },

  music: {
    usage: 'storycanvas music <project> <audio> [--offset-frames N]',
    summary: 'Set the music under the timeline (WAV, MP3, AAC/M4A, FLAC, Ogg), copied into the project.',
    details: '  --offset-frames  where the music starts, in frames from the first shot (default 0)',
    options: { 'offset-frames': { type: 'string' } },
    positionals: [2, 2],
    async run({ values, positionals }, ctx) {
      const raw = values['offset-frames'];
      let offsetFrames = 0;
      if (typeof raw === 'string') {
        if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--offset-frames "${raw}" is not a whole number of frames (0 or more).`, 'music');
        offsetFrames = Number(raw);
      }
      const core = await ctx.core();
      const projectId = await openProject(core, positionals[0]);
      const music = await core.call('music.set', { projectId, path: path.resolve(positionals[1]), offsetFrames });
      ctx.io.out(`${music.path}\n`);
      ctx.io.err(`Music: ${music.originalName}, ${music.durationFrames} frames, from frame ${music.offsetFrames}.\n`);
      return 0;
    },
  },

  serve: {
    usage: 'storycanvas serve [<project>] [--port N]',
    summary: 'Run web mode on 127.0.0.1 and print the address to open (Ctrl+C stops it).',
    details: '  --port  the port on 127.0.0.1 (default 0: any free port)',
    options: { port: { type: 'string' } },
    positionals: [0, 1],
    async run({ values, positionals }, ctx) {
      const port = typeof values.port === 'string' ? portNumber(values.port) : 0;
      const core = await ctx.core('web');
      const projectId = positionals[0] ? await openProject(core, positionals[0]) : null;
      const { startWebServer } = await import('../web/server');
      const web = await startWebServer({ core, port, rendererDir: RENDERER_DIR }).catch((err: unknown) => {
        throw new CliFailure((err as Error).message, 'Run `storycanvas serve --port 0` to take any free port.');
      });
      if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
        ctx.io.err(`The web interface is not built yet: run \`npm run build:renderer\` in ${PACKAGE_ROOT}.\n`);
      }
      ctx.io.out(`StoryCanvas web mode: ${web.url}${projectId ? `&project=${projectId}` : ''}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await web.close();
      ctx.io.err('StoryCanvas web mode stopped.\n');
      return 0;
    },
  },

  call: {
    usage: 'storycanvas call <method> [json-args] [--project <path>]',
    summary: 'Call one contract method and print its JSON result.',
    details:
      '  json-args  the arguments as a JSON object (default {})\n' +
      '  --project  open this project first and fill in "projectId" when the arguments lack it\n' +
      '  Run `storycanvas methods` for the list of methods.',
    options: { project: { type: 'string' } },
    positionals: [1, 2],
    async run({ values, positionals }, ctx) {
      let args: unknown = {};
      if (positionals[1] !== undefined) {
        try {
          args = JSON.parse(positionals[1]);
        } catch (err) {
          throw new UsageError(`The arguments are not JSON: ${(err as Error).message}`, 'call');
        }
      }
      const core = await ctx.core();
      if (typeof values.project === 'string') {
        const projectId = await openProject(core, values.project);
        if (args && typeof args === 'object' && !Array.isArray(args) && !('projectId' in args)) args = { ...args, projectId };
      }
      const reply = await core.dispatch(positionals[0], args);
      if (!reply.ok) throw new ContractCallError(reply.error.code, reply.error.message, reply.error.hint);
      ctx.io.out(`${JSON.stringify(reply.result, null, 2)}\n`);
      return 0;
    },
  },

  methods: {
    usage: 'storycanvas methods',
    summary: 'List the contract methods with what each does.',
    options: {},
    positionals: [0, 0],
    async run(_args, ctx) {
      const names = Object.keys(methods) as Array<keyof typeof methods>;
      const width = Math.max(...names.map((n) => n.length));
      ctx.io.out(names.map((n) => `${n.padEnd(width)}  ${methods[n].summary}`).join('\n') + '\n');
      return 0;
    },
  },

  servers: {
    usage: 'storycanvas servers add <url> [--name <name>] [--header K:V]... | list [--check] [--json] | check <server> | remove <server>',
    summary: 'Set up the ComfyUI servers generation runs on (shared by every project).',
    details:
      '  add <url>      add a server (http://host:8188) and check it; --name names it (default host:port),\n' +
      '                 --header K:V sends a header with every request (an auth proxy), repeatable\n' +
      '  list           the servers with their last known state; --check asks each one first; --json for scripts\n' +
      '  check <server> ask one server now (by id or name): versions, VRAM, models, node types\n' +
      '  remove <server> remove one server (by id or name)',
    options: { name: { type: 'string' }, header: { type: 'string', multiple: true }, json: { type: 'boolean' }, check: { type: 'boolean' } },
    positionals: [1, 2],
    async run({ values, positionals }, ctx) {
      const [sub, arg] = positionals;
      const core = await ctx.core();
      const print = (list: ServerStatusLike[]) =>
        ctx.io.out(values.json ? `${JSON.stringify(list, null, 2)}\n` : formatServerTable(list));
      if (sub === 'add') {
        if (!arg) throw new UsageError('servers add needs the URL of the server.', 'servers');
        const headers = parseHeaders((values.header as unknown as string[] | undefined) ?? []);
        const status = await core.call('servers.add', { url: arg, ...(typeof values.name === 'string' ? { name: values.name } : {}), ...(headers ? { headers } : {}) });
        print([status]);
        if (status.status === 'offline') ctx.io.err(`warning: ${status.lastError ?? 'the server did not answer'}; it was added and will be checked again.\n`);
        return 0;
      }
      if (sub === 'list') {
        if (arg) throw new UsageError('servers list takes no argument.', 'servers');
        let list = await core.call('servers.list', {});
        if (values.check) list = await Promise.all(list.map((s) => (s.enabled ? core.call('servers.check', { serverId: s.id }) : s)));
        print(list);
        return 0;
      }
      if (sub === 'check' || sub === 'remove') {
        if (!arg) throw new UsageError(`servers ${sub} needs a server id or name.`, 'servers');
        const list = await core.call('servers.list', {});
        const found = list.find((s) => s.id === arg) ?? list.find((s) => s.name === arg);
        if (!found) throw new CliFailure(`There is no server "${arg}".`, 'Run `storycanvas servers list` to see the servers.');
        if (sub === 'remove') {
          await core.call('servers.remove', { serverId: found.id });
          ctx.io.err(`Removed ${found.name} (${found.url}).\n`);
          return 0;
        }
        print([await core.call('servers.check', { serverId: found.id })]);
        return 0;
      }
      throw new UsageError(`There is no "servers ${sub}"; use add, list, check or remove.`, 'servers');
    },
  },

  generate: {
    usage:
      'storycanvas generate <project> (--shot 12A... | --scene N | --all) [--takes N] [--workflow <file|id>] [--preset <id>] [--seed-mode sequence|random|locked] [--seed N] [--priority normal] [--wait]',
    summary: 'Queue takes of shots for generation on the ComfyUI servers (and follow them with --wait).',
    details:
      '  --shot       a shot number (12A); repeatable\n' +
      '  --scene      a scene number: all of its shots\n' +
      '  --all        every shot of the project\n' +
      '  --takes      takes per shot (default 1)\n' +
      '  --workflow   an API-format workflow file, or a built-in workflow id (default: the preset\'s, else sd15_txt2img)\n' +
      '  --preset     a preset id, such as sdxl.fast (see `storycanvas call presets.list`)\n' +
      '  --seed-mode  sequence (default), random, or locked (the same seeds for a shot every time)\n' +
      '  --priority   critical, high, normal (default) or low\n' +
      '  --wait       follow the jobs until they are done, with a progress bar on a terminal;\n' +
      '               exit code 1 when a job failed. Without it, the jobs wait in the project\'s queue.',
    options: {
      shot: { type: 'string', multiple: true },
      scene: { type: 'string' },
      all: { type: 'boolean' },
      takes: { type: 'string' },
      workflow: { type: 'string' },
      preset: { type: 'string' },
      'seed-mode': { type: 'string' },
      seed: { type: 'string' },
      priority: { type: 'string' },
      wait: { type: 'boolean' },
    },
    positionals: [1, 1],
    async run({ values, positionals }, ctx) {
      const shotNumbers = (values.shot as unknown as string[] | undefined) ?? [];
      const targets = (shotNumbers.length > 0 ? 1 : 0) + (typeof values.scene === 'string' ? 1 : 0) + (values.all ? 1 : 0);
      if (targets !== 1) throw new UsageError('Say what to generate: --shot 12A (repeatable), --scene N, or --all.', 'generate');
      const takes = typeof values.takes === 'string' ? positiveInt(values.takes, '--takes', 'generate') : 1;
      const seedMode = values['seed-mode'] ?? 'sequence';
      if (!['sequence', 'random', 'locked'].includes(String(seedMode))) throw new UsageError(`--seed-mode "${String(seedMode)}" is not sequence, random or locked.`, 'generate');
      const priority = values.priority ?? 'normal';
      if (!['critical', 'high', 'normal', 'low'].includes(String(priority))) throw new UsageError(`--priority "${String(priority)}" is not critical, high, normal or low.`, 'generate');
      if (typeof values.seed === 'string' && !/^\d+$/.test(values.seed)) throw new UsageError(`--seed "${values.seed}" is not a whole number.`, 'generate');
      const core = await ctx.core();
      const projectId = await openProject(core, positionals[0]);
      const snapshot = await core.call('project.get', { projectId });
      const target: { target: 'shot' | 'scene' | 'all'; shotIds?: string[]; sceneId?: string } = { target: 'all' };
      if (shotNumbers.length > 0) {
        const byNumber = new Map(snapshot.scenes.flatMap((scene) => scene.shots.map((shot) => [shot.number, shot.id] as const)));
        const missing = shotNumbers.filter((n) => !byNumber.has(n));
        if (missing.length > 0) throw new CliFailure(`The project has no shot ${missing.join(', ')}.`, 'Run `storycanvas info <project>` to see the shot numbers.');
        Object.assign(target, { target: 'shot', shotIds: shotNumbers.map((n) => byNumber.get(n) as string) });
      } else if (typeof values.scene === 'string') {
        const scene = snapshot.scenes.find((s) => s.number === values.scene);
        if (!scene) throw new CliFailure(`The project has no scene ${values.scene}.`, 'Run `storycanvas info <project>` to see the scene numbers.');
        Object.assign(target, { target: 'scene', sceneId: scene.id });
      }
      let workflow: { workflowId?: string; workflowPath?: string } = {};
      if (typeof values.workflow === 'string') {
        workflow = existsSync(values.workflow) || /[\\/]|\.json$/i.test(values.workflow) ? { workflowPath: path.resolve(values.workflow) } : { workflowId: values.workflow };
      }
      if (values.wait) {
        if (!(await core.call('servers.list', {})).some((s) => s.enabled)) {
          throw new CliFailure('No ComfyUI server is set up to generate on.', 'Add one with `storycanvas servers add http://127.0.0.1:8188`.');
        }
        core.queue.resume(); // the CLI's queue runs only while a command follows it
      }
      const { batchId, jobs } = await core.call('queue.enqueue', {
        projectId,
        ...target,
        takes,
        ...workflow,
        ...(typeof values.preset === 'string' ? { preset: values.preset } : {}),
        seedMode: seedMode as 'sequence' | 'random' | 'locked',
        ...(typeof values.seed === 'string' ? { seed: Number(values.seed) } : {}),
        priority: priority as 'critical' | 'high' | 'normal' | 'low',
      });
      if (!values.wait) {
        ctx.io.out(`${JSON.stringify({ batchId, jobs: jobs.length })}\n`);
        ctx.io.err(`Queued ${jobs.length} job${jobs.length === 1 ? '' : 's'} (batch ${batchId}). They run when the project is open in StoryCanvas, or with \`generate --wait\`.\n`);
        return 0;
      }
      const finished = await followJobs(core, projectId, jobs.map((j) => j.id), ctx.io);
      const failed = finished.filter((j) => j.state !== 'succeeded');
      ctx.io.out(`${JSON.stringify({ batchId, succeeded: finished.length - failed.length, failed: failed.length, takeIds: finished.flatMap((j) => j.takeIds) })}\n`);
      for (const job of failed) ctx.io.err(`shot ${job.shotNumber ?? job.shotId}: ${job.state}${job.error ? `: ${job.error.message}` : ''}\n`);
      return failed.length > 0 ? 1 : 0;
    },
  },

  queue: {
    usage: 'storycanvas queue <project> [--json]',
    summary: 'Show the generation queue of a project: waiting, running and finished jobs.',
    options: { json: { type: 'boolean' } },
    positionals: [1, 1],
    async run({ values, positionals }, ctx) {
      const core = await ctx.core();
      const projectId = await openProject(core, positionals[0]);
      const jobs = await core.call('queue.list', { projectId });
      ctx.io.out(values.json ? `${JSON.stringify(jobs, null, 2)}\n` : formatQueueTable(jobs));
      return 0;
    },
  },

  ...consistencyCommands(),
  ...enhanceCommands(),
  ...poolAndAssistantCommands(),

  help: {
    usage: 'storycanvas help [command]',
    summary: 'Show the usage of the CLI or of one command.',
    options: {},
    positionals: [0, 1],
    async run({ positionals }, ctx) {
      const name = positionals[0];
      if (name === undefined) {
        ctx.io.out(generalUsage());
        return 0;
      }
      if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`There is no command "${name}".`);
      ctx.io.out(commandUsage(name));
      return 0;
    },
  },
};

/** The usage text of the whole CLI. */
export function generalUsage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'StoryCanvas: storyboards and animatics from a screenplay.',
    '',
    'Usage: storycanvas <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    'Options:',
    '  -h, --help     show this text (or `storycanvas help <command>`)',
    '  -v, --version  print the version',
    '',
    'A <project> is the path of a <Name>.storycanvas folder. Settings live in $STORYCANVAS_HOME',
    '(default ~/.config/storycanvas). Exit codes: 0 done, 1 a call failed, 2 bad usage.',
    '',
  ].join('\n');
}

/** The usage text of one command. */
export function commandUsage(name: string): string {
  const c = COMMANDS[name];
  return `Usage: ${c.usage}\n\n${c.summary}\n${c.details ? `\n${c.details}\n` : ''}`;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code: 0, 1 (a failed call,
 * reported as `error:` and `hint:` lines) or 2 (bad usage, with the usage text). Never throws for a user error.
 * `serve` resolves only after SIGINT or SIGTERM.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  // `npx storycanvas -- --version` passes the separator through: it means nothing here.
  const [first, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  if (first === undefined) {
    io.err(generalUsage());
    return 2;
  }
  if (first === '--help' || first === '-h') {
    io.out(generalUsage());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(`${cliVersion()}\n`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, first)) {
    io.err(`error: ${first.startsWith('-') ? `unknown option ${first}` : `there is no command "${first}"`}\n\n${generalUsage()}`);
    return 2;
  }

  const command = COMMANDS[first];
  let core: Core | null = null;
  const ctx: Context = {
    io,
    async core(shell = 'cli') {
      if (!core) {
        const { Core } = await import('../core/Core');
        core = new Core({ shell, version: cliVersion() });
      }
      return core;
    },
  };
  try {
    let parsed: Parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      }) as Parsed;
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, '.'), first);
    }
    if (parsed.values.help) {
      io.out(commandUsage(first));
      return 0;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min) throw new UsageError(`${first} needs ${min === max ? min : `at least ${min}`} argument${min === 1 ? '' : 's'}.`, first);
    if (parsed.positionals.length > max) throw new UsageError(`${first} takes at most ${max} argument${max === 1 ? '' : 's'}: unexpected "${parsed.positionals[max]}".`, first);
    return await command.run(parsed, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${err.command ? commandUsage(err.command) : generalUsage()}`);
      return 2;
    }
    if (err instanceof ContractCallError || err instanceof CliFailure) {
      io.err(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
      return 1;
    }
    io.err(`error: ${(err as Error)?.stack ?? String(err)}\nhint: this is a bug in StoryCanvas; please report it with this output.\n`);
    return 1;
  } finally {
    if (core) await (core as Core).close();
  }
}

/** Opens a project by the path of its folder (through `project.open`) and returns its id. */
async function openProject(core: Core, projectPath: string): Promise<string> {
  const summary = await core.call('project.open', { path: path.resolve(projectPath) });
  return summary.projectId;
}

/**
 * Prints export progress on `io.err`: on a terminal one bar redrawn in place (`[#######-------]  45% encode`), else a
 * plain line per 10% (and per stage). `end()` finishes the bar's line.
 */
export function progressPrinter(io: CliIo): ((stage: string, fraction: number) => void) & { end(): void } {
  let drawn = false;
  let lastPercent = -1;
  let lastStage = '';
  const print = (stage: string, fraction: number): void => {
    const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
    if (io.isTTY) {
      if (percent === lastPercent && stage === lastStage) return;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      io.err(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${stage.padEnd(8)}`);
      drawn = true;
    } else {
      if (stage === lastStage && Math.floor(percent / 10) === Math.floor(lastPercent / 10)) return;
      io.err(`${percent}% ${stage}\n`);
    }
    lastPercent = percent;
    lastStage = stage;
  };
  return Object.assign(print, {
    end: () => {
      if (drawn) io.err('\n');
      drawn = false;
    },
  });
}

function positiveInt(text: string, option: string, command: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`${option} "${text}" is not a whole number of 1 or more.`, command);
  return Number(text);
}

function portNumber(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 65535) throw new UsageError(`--port "${text}" is not a port number (0 to 65535; 0 picks a free one).`, 'serve');
  return Number(text);
}

/** The `info --json` shape: settings and the timeline, takes by their project-relative paths. */
export interface ProjectInfoJson {
  settings: ProjectSnapshot['settings'];
  scenes: Array<{
    number: string;
    heading: string;
    shots: Array<{
      number: string;
      durationFrames: number;
      action: string;
      dialogue: ProjectSnapshot['scenes'][number]['shots'][number]['dialogue'];
      characters: string[];
      takes: Array<{ path: string; widthPx: number; heightPx: number; selected: boolean }>;
    }>;
  }>;
}

/** Builds the `info --json` document from a `project.get` snapshot. */
export function projectInfoJson(snapshot: ProjectSnapshot): ProjectInfoJson {
  return {
    settings: snapshot.settings,
    scenes: snapshot.scenes.map((scene) => ({
      number: scene.number,
      heading: scene.heading,
      shots: scene.shots.map((shot) => ({
        number: shot.number,
        durationFrames: shot.durationFrames,
        action: shot.action,
        dialogue: shot.dialogue,
        characters: shot.characters,
        takes: snapshot.takes
          .filter((t) => t.shotId === shot.id)
          .map((t) => ({ path: t.path, widthPx: t.widthPx, heightPx: t.heightPx, selected: t.id === shot.selectedTakeId })),
      })),
    })),
  };
}

/** Seconds of `durationFrames` at a rational rate, with two decimals: 72 frames at 24000/1001 -> "3.00". */
export function secondsText(durationFrames: number, frameRate: { num: number; den: number }): string {
  return ((durationFrames * frameRate.den) / frameRate.num).toFixed(2);
}

/** The readable `info` table: a header line, then per scene its heading and one row per shot. */
export function formatProjectTable(snapshot: ProjectSnapshot): string {
  const { settings } = snapshot;
  const shots = snapshot.scenes.flatMap((s) => s.shots);
  const totalFrames = shots.reduce((sum, s) => sum + s.durationFrames, 0);
  const lines = [
    `${settings.name}  (${snapshot.path})`,
    `${formatFrameRate(settings.frameRate)} fps, ${settings.widthPx}x${settings.heightPx}, ` +
      `${snapshot.scenes.length} scene${snapshot.scenes.length === 1 ? '' : 's'}, ${shots.length} shot${shots.length === 1 ? '' : 's'}, ` +
      `${totalFrames} frames (${secondsText(totalFrames, settings.frameRate)} s)`,
  ];
  if (snapshot.scenes.length === 0) {
    lines.push('', 'No scenes yet: import a screenplay with `storycanvas import <project> <script.fountain>`.');
    return `${lines.join('\n')}\n`;
  }
  const numberWidth = Math.max(4, ...shots.map((s) => s.number.length));
  const frameWidth = Math.max(...shots.map((s) => String(s.durationFrames).length), 1);
  const secWidth = Math.max(...shots.map((s) => secondsText(s.durationFrames, settings.frameRate).length), 1);
  for (const scene of snapshot.scenes) {
    lines.push('', `SCENE ${scene.number}  ${scene.heading}`);
    if (scene.shots.length === 0) lines.push('  (no shots)');
    for (const shot of scene.shots) {
      const firstLine = shot.action.split('\n').find((l) => l.trim() !== '')?.trim() ?? (shot.dialogue[0] ? `${shot.dialogue[0].character}: ${shot.dialogue[0].text}` : '');
      const action = firstLine.length > 72 ? `${firstLine.slice(0, 71)}…` : firstLine;
      lines.push(
        `  ${shot.number.padEnd(numberWidth)}  ${String(shot.durationFrames).padStart(frameWidth)} fr  ${secondsText(shot.durationFrames, settings.frameRate).padStart(secWidth)} s  ${action}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---- generation: servers, generate, queue --------------------------------------------------------------------

type ServerStatusLike = MethodResult<'servers.list'>[number];
type JobLike = MethodResult<'queue.list'>[number];

/** `--header K:V` values to a header map. @throws UsageError for a value without a colon or a name. */
export function parseHeaders(values: string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header "${value}" is not NAME:VALUE, like Authorization:Bearer abc.`, 'servers');
    headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
  }
  return headers;
}

/** The `servers list` table: name, state, breaker, models, address. */
export function formatServerTable(list: ServerStatusLike[]): string {
  if (list.length === 0) return 'No ComfyUI server yet: add one with `storycanvas servers add http://127.0.0.1:8188`.\n';
  const rows = list.map((s) => [
    s.name,
    s.id,
    s.status,
    s.breaker === 'closed' ? '' : `breaker ${s.breaker}`,
    `${s.checkpoints.length} checkpoint${s.checkpoints.length === 1 ? '' : 's'}, ${s.loras.length} LoRA${s.loras.length === 1 ? '' : 's'}`,
    s.url,
  ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}

/** The `queue` table: one line per job. */
export function formatQueueTable(jobs: JobLike[]): string {
  if (jobs.length === 0) return 'The queue is empty: queue takes with `storycanvas generate <project> --all`.\n';
  return (
    jobs
      .map((j) =>
        [
          j.state.padEnd(10),
          `shot ${(j.shotNumber ?? '?').padEnd(5)}`,
          j.priority.padEnd(8),
          `seed ${j.seed}`,
          j.attempts > 0 ? `attempt ${j.attempts}` : '',
          j.takeIds.length > 0 ? `${j.takeIds.length} take${j.takeIds.length === 1 ? '' : 's'}` : '',
          j.error ? `(${j.error.message})` : '',
        ]
          .filter((c) => c !== '')
          .join('  '),
      )
      .join('\n') + '\n'
  );
}

/** A text progress bar: `[#######-------------] 7/20`. */
export function progressBar(done: number, total: number, widthChars = 24): string {
  const filled = total === 0 ? widthChars : Math.round((done / total) * widthChars);
  return `[${'#'.repeat(filled)}${'-'.repeat(widthChars - filled)}] ${done}/${total}`;
}

/**
 * Follows jobs through the core's events until each is succeeded, failed or cancelled (or Ctrl+C): a progress
 * bar redrawn on stderr when it is a terminal, else one line per finished job. Resolves with the jobs.
 */
async function followJobs(core: Core, projectId: string, jobIds: string[], io: CliIo): Promise<JobLike[]> {
  const wanted = new Set(jobIds);
  const terminal = new Set(['succeeded', 'failed', 'cancelled']);
  const jobs = new Map<string, JobLike>();
  const tty = io === processIo && process.stderr.isTTY === true;
  let running = '';
  const draw = () => {
    const done = [...jobs.values()].filter((j) => terminal.has(j.state)).length;
    const failed = [...jobs.values()].filter((j) => j.state === 'failed').length;
    if (tty) io.err(`\r${progressBar(done, wanted.size)}${failed ? `, ${failed} failed` : ''}${running ? `  ${running}` : ''}\x1b[K`);
  };
  return new Promise<JobLike[]>((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      offUpdated();
      offProgress();
      process.off('SIGINT', interrupt);
      if (tty) io.err('\n');
      resolve(jobIds.map((id) => jobs.get(id) as JobLike));
    };
    const interrupt = () => {
      io.err('\nStopped following; the jobs stay in the queue.\n');
      finish();
    };
    const check = () => {
      draw();
      if (jobIds.every((id) => terminal.has(jobs.get(id)?.state ?? ''))) finish();
    };
    const offUpdated = core.events.on('job.updated', ({ job }) => {
      if (!wanted.has(job.id)) return;
      const before = jobs.get(job.id);
      jobs.set(job.id, job);
      if (!tty && terminal.has(job.state) && before?.state !== job.state) {
        io.err(`shot ${job.shotNumber ?? job.shotId}: ${job.state}${job.error ? ` (${job.error.message})` : ''}\n`);
      }
      check();
    });
    const offProgress = core.events.on('job.progress', (p) => {
      if (!wanted.has(p.jobId) || p.max <= 0) return;
      running = `shot ${jobs.get(p.jobId)?.shotNumber ?? ''} ${Math.round((p.value / p.max) * 100)}%`;
      draw();
    });
    process.on('SIGINT', interrupt);
    void core.call('queue.list', { projectId }).then((list) => {
      for (const job of list) if (wanted.has(job.id) && !jobs.has(job.id)) jobs.set(job.id, job);
      check();
    });
  });
}

// ---- characters, templates, prompt (the consistency commands; contract methods character.*, template.*, prompt.compose) ----

/**
 * The `characters`, `templates` and `prompt` commands. A function declaration (hoisted), spread into COMMANDS.
 * Every command calls the contract (character.*, template.*, prompt.compose) through `core.call`.
 */
function consistencyCommands(): Record<string, Command> {
  const loraOption = (text: string, option: string, command: string): { name: string; strength: number } => {
    const m = /^([^:].*?)(?::(-?\d+(?:\.\d+)?))?$/.exec(text.trim());
    if (!m || m[1].trim() === '') throw new UsageError(`${option} "${text}" is not FILE[:STRENGTH], like bob_v2.safetensors:0.8.`, command);
    return { name: m[1].trim(), strength: m[2] === undefined ? 1 : Number(m[2]) };
  };
  const triggerOption = (text: string) =>
    text
      .split(',')
      .map((w) => w.trim())
      .filter((w) => w !== '');
  const numberOption = (text: string, option: string, command: string): number => {
    if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new UsageError(`${option} "${text}" is not a number.`, command);
    return Number(text);
  };
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);

  /** The character fields given as options (`--lora none` removes the LoRA). */
  const characterFields = (values: Parsed['values'], command: string) => {
    const out: { description?: string; lora?: { name: string; strength: number } | null; triggerWords?: string[]; referenceWeight?: number } = {};
    if (str(values.description) !== undefined) out.description = str(values.description)!;
    const lora = str(values.lora);
    if (lora !== undefined) out.lora = lora.trim().toLowerCase() === 'none' ? null : loraOption(lora, '--lora', command);
    if (str(values.trigger) !== undefined) out.triggerWords = triggerOption(str(values.trigger)!);
    if (str(values['reference-weight']) !== undefined) out.referenceWeight = numberOption(str(values['reference-weight'])!, '--reference-weight', command);
    return out;
  };

  const characterOptions: Options = {
    project: { type: 'string' },
    json: { type: 'boolean' },
    name: { type: 'string' },
    description: { type: 'string' },
    lora: { type: 'string' },
    trigger: { type: 'string' },
    'reference-weight': { type: 'string' },
    ref: { type: 'string', multiple: true },
    scope: { type: 'string' },
    force: { type: 'boolean' },
  };

  return {
    characters: {
      usage:
        'storycanvas characters list [--project <project>] [--json]\n' +
        '       storycanvas characters add --name <name> [--description <text>] [--lora FILE[:STRENGTH]] [--trigger "a, b"]\n' +
        '                                  [--reference-weight 0.6] [--ref picture.png]...\n' +
        '       storycanvas characters update <name> [--name <new name>] [--description …] [--lora FILE[:STRENGTH]|none]\n' +
        '                                  [--trigger …] [--reference-weight …] [--ref …]... [--project <project> [--scope project]]\n' +
        '       storycanvas characters remove <name> [--project <project>] [--force]',
      summary: 'List, add, change or remove characters of the library (shared by every project).',
      details:
        '  --project           a project: list merges its script\'s names with the library and shows the shots of each;\n' +
        '                      update can adopt a script character; remove takes it off the project\'s shots\n' +
        '  --scope project     update changes only this project\'s version of the character (undoable)\n' +
        '  --lora              the LoRA file as the server lists it, and its strength (default 1); "none" removes it\n' +
        '  --trigger           trigger words, separated by commas\n' +
        '  --reference-weight  strength of the reference pictures for image-prompt adapters, 0..1\n' +
        '  --ref               a reference picture (PNG, JPEG, WebP) to copy into the library (repeatable)\n' +
        '  --force             remove a character that shots use (it is taken off them)',
      options: characterOptions,
      positionals: [1, 2],
      async run({ values, positionals }, ctx) {
        const [sub, name] = positionals;
        const core = await ctx.core();
        const projectPath = str(values.project);
        const projectId = projectPath ? await openProject(core, projectPath) : undefined;
        const addRefs = async (who: string) => {
          for (const ref of list(values.ref)) await core.call('character.addReference', { name: who, path: path.resolve(ref) });
        };
        if (sub === 'list') {
          if (name !== undefined) throw new UsageError('characters list takes no name.', 'characters');
          const chars = await core.call('character.list', projectId ? { projectId } : {});
          ctx.io.out(values.json ? `${JSON.stringify(chars, null, 2)}\n` : formatCharacterTable(chars, !!projectId));
          return 0;
        }
        if (sub === 'add') {
          const newName = str(values.name) ?? name;
          if (!newName) throw new UsageError('characters add needs --name.', 'characters');
          const c = await core.call('character.create', { character: { name: newName, ...characterFields(values, 'characters') } });
          await addRefs(c.name);
          ctx.io.out(`${c.name}\n`);
          return 0;
        }
        if (sub === 'update') {
          if (!name) throw new UsageError('characters update needs the name of the character.', 'characters');
          const scope = str(values.scope) ?? 'library';
          if (scope !== 'library' && scope !== 'project') throw new UsageError(`--scope "${scope}" is not one of: library, project.`, 'characters');
          if (scope === 'project' && !projectId) throw new UsageError('--scope project needs --project.', 'characters');
          const patch = { ...characterFields(values, 'characters'), ...(str(values.name) !== undefined ? { name: str(values.name)! } : {}) };
          if (Object.keys(patch).length === 0 && list(values.ref).length === 0) throw new UsageError('characters update needs something to change (--description, --lora, --trigger, --name, --ref…).', 'characters');
          let view = await core.call('character.update', { name, patch, scope, ...(projectId ? { projectId } : {}) });
          if (list(values.ref).length) {
            await addRefs(view.name);
            view = await core.call('character.get', { name: view.name, ...(projectId ? { projectId } : {}) });
          }
          ctx.io.out(values.json ? `${JSON.stringify(view, null, 2)}\n` : `${view.name}\n`);
          return 0;
        }
        if (sub === 'remove') {
          if (!name) throw new UsageError('characters remove needs the name of the character.', 'characters');
          const r = await core.call('character.delete', { name, force: values.force === true, ...(projectId ? { projectId } : {}) });
          ctx.io.err(`Removed ${name}${r.deletedFromLibrary ? ' from the library' : ''}${r.shotsChanged ? `, and from ${r.shotsChanged} shot${r.shotsChanged === 1 ? '' : 's'}` : ''}.\n`);
          return 0;
        }
        throw new UsageError(`"${sub}" is not one of: list, add, update, remove.`, 'characters');
      },
    },

    templates: {
      usage:
        'storycanvas templates list [--json]\n' +
        '       storycanvas templates add --name <name> [--style <text>] [--negative <text>] [--workflow <id>] [--preset <id>]\n' +
        '                                 [--steps N] [--cfg X] [--sampler <name>] [--scheduler <name>] [--lora FILE[:STRENGTH]]...\n' +
        '       storycanvas templates import <file.json> [--rename | --replace]\n' +
        '       storycanvas templates export <name> [--out <file.json>]',
      summary: 'List, add, import or export style templates (JSON files artists can share).',
      details:
        '  --style / --negative   the style prompt and the negative prompt\n' +
        '  --workflow / --preset  the preferred workflow and model preset (see `storycanvas call workflows.list`)\n' +
        '  --lora                 a LoRA file and its strength (default 1); repeatable\n' +
        '  --rename / --replace   import: when the name is taken, import as "Name (2)", or replace the old template\n' +
        '  --out                  export: the file to write (default: print the JSON)',
      options: {
        json: { type: 'boolean' },
        name: { type: 'string' },
        style: { type: 'string' },
        negative: { type: 'string' },
        workflow: { type: 'string' },
        preset: { type: 'string' },
        steps: { type: 'string' },
        cfg: { type: 'string' },
        sampler: { type: 'string' },
        scheduler: { type: 'string' },
        lora: { type: 'string', multiple: true },
        rename: { type: 'boolean' },
        replace: { type: 'boolean' },
        out: { type: 'string' },
      },
      positionals: [1, 2],
      async run({ values, positionals }, ctx) {
        const [sub, arg] = positionals;
        if (sub === 'list') {
          const core = await ctx.core();
          const templates = await core.call('template.list', {});
          ctx.io.out(values.json ? `${JSON.stringify(templates, null, 2)}\n` : formatTemplateTable(templates));
          return 0;
        }
        if (sub === 'add') {
          const name = str(values.name) ?? arg;
          if (!name) throw new UsageError('templates add needs --name.', 'templates');
          const sampler = {
            ...(str(values.steps) !== undefined ? { steps: positiveInt(str(values.steps)!, '--steps', 'templates') } : {}),
            ...(str(values.cfg) !== undefined ? { cfg: numberOption(str(values.cfg)!, '--cfg', 'templates') } : {}),
            ...(str(values.sampler) !== undefined ? { samplerName: str(values.sampler)! } : {}),
            ...(str(values.scheduler) !== undefined ? { scheduler: str(values.scheduler)! } : {}),
          };
          const loras = list(values.lora).map((l) => {
            const { name: file, strength } = loraOption(l, '--lora', 'templates');
            return { name: file, strengthModel: strength };
          });
          const core = await ctx.core();
          const t = await core.call('template.create', {
            template: {
              name,
              ...(str(values.style) !== undefined ? { stylePrompt: str(values.style)! } : {}),
              ...(str(values.negative) !== undefined ? { negativePrompt: str(values.negative)! } : {}),
              ...(str(values.workflow) !== undefined ? { workflowId: str(values.workflow)! } : {}),
              ...(str(values.preset) !== undefined ? { presetId: str(values.preset)! } : {}),
              sampler,
              loras,
            },
          });
          ctx.io.out(`${t.name}\n`);
          return 0;
        }
        if (sub === 'import') {
          if (!arg) throw new UsageError('templates import needs the file to import.', 'templates');
          if (values.rename && values.replace) throw new UsageError('Give --rename or --replace, not both.', 'templates');
          const core = await ctx.core();
          const t = await core.call('template.import', { path: path.resolve(arg), onConflict: values.rename ? 'rename' : values.replace ? 'replace' : 'error' });
          ctx.io.out(`${t.name}\n`);
          return 0;
        }
        if (sub === 'export') {
          if (!arg) throw new UsageError('templates export needs the name of the template.', 'templates');
          const core = await ctx.core();
          const out = str(values.out);
          const r = await core.call('template.export', { template: arg, ...(out ? { outPath: path.resolve(out) } : {}) });
          ctx.io.out(r.path ? `${r.path}\n` : r.json);
          return 0;
        }
        throw new UsageError(`"${sub}" is not one of: list, add, import, export.`, 'templates');
      },
    },

    prompt: {
      usage: 'storycanvas prompt <project> --shot <number> [--family sdxl] [--json]',
      summary: 'Print the composed prompt of a shot: framing, characters, action, style, LoRAs and notes.',
      details:
        '  --shot    the shot number as shown on the timeline (12A)\n' +
        '  --family  the model family (sdxl, flux_dev, wan_2_2…; default: the template preset\'s): decides the token window\n' +
        '  --json    print the whole composition (prompt.compose\'s result)',
      options: { shot: { type: 'string' }, family: { type: 'string' }, json: { type: 'boolean' } },
      positionals: [1, 1],
      async run({ values, positionals }, ctx) {
        const number = str(values.shot);
        if (!number) throw new UsageError('--shot is required.', 'prompt');
        const core = await ctx.core();
        const projectId = await openProject(core, positionals[0]);
        const snapshot = await core.call('project.get', { projectId });
        const shot = snapshot.scenes.flatMap((s) => s.shots).find((s) => s.number.toUpperCase() === number.trim().toUpperCase());
        if (!shot) throw new CliFailure(`The project has no shot ${number}.`, 'Run `storycanvas info <project>` to see the shot numbers.');
        const c = await core.call('prompt.compose', { projectId, shotId: shot.id, ...(str(values.family) ? { family: str(values.family)! } : {}) });
        ctx.io.out(values.json ? `${JSON.stringify(c, null, 2)}\n` : formatComposition(shot.number, c));
        return 0;
      },
    },
  };
}

/** The `characters list` table: name, where it comes from, shots, LoRA and description. */
export function formatCharacterTable(chars: MethodResult<'character.list'>, withProject: boolean): string {
  if (chars.length === 0) return withProject ? 'No characters: import a screenplay, or add one with `storycanvas characters add --name …`.\n' : 'The library has no characters yet: add one with `storycanvas characters add --name …`.\n';
  const width = Math.max(4, ...chars.map((c) => c.name.length));
  const lines = chars.map((c) => {
    const from = [c.fromScript ? 'script' : '', c.libraryId ? 'library' : '', c.override ? 'override' : ''].filter(Boolean).join('+') || 'project';
    const shots = withProject ? `${String(c.shots.length).padStart(4)} shots  ` : '';
    const lora = c.lora ? `lora ${c.lora.name}:${c.lora.strength}  ` : '';
    const description = c.description.length > 60 ? `${c.description.slice(0, 59)}…` : c.description;
    return `${c.name.padEnd(width)}  ${from.padEnd(22)}  ${shots}${lora}${description}`.trimEnd();
  });
  return `${lines.join('\n')}\n`;
}

/** The `templates list` table: name, use count, preset, workflow and style prompt. */
export function formatTemplateTable(templates: MethodResult<'template.list'>): string {
  if (templates.length === 0) return 'The library has no style templates yet: add one with `storycanvas templates add --name …`.\n';
  const width = Math.max(4, ...templates.map((t) => t.name.length));
  return `${templates
    .map((t) => {
      const style = t.stylePrompt.length > 60 ? `${t.stylePrompt.slice(0, 59)}…` : t.stylePrompt;
      return `${t.name.padEnd(width)}  ${String(t.useCount).padStart(5)} uses  ${(t.presetId ?? '-').padEnd(14)}  ${(t.workflowId ?? '-').padEnd(16)}  ${style}`.trimEnd();
    })
    .join('\n')}\n`;
}

/** The `prompt` command's readable output. */
export function formatComposition(shotNumber: string, c: MethodResult<'prompt.compose'>): string {
  const lines = [
    `Shot ${shotNumber}${c.template ? `  (template: ${c.template.name}, from the ${c.template.from})` : '  (no template)'}${c.pinned ? '  PINNED' : ''}`,
    `prompt:    ${c.prompt}`,
  ];
  if (c.pinned) lines.push(`composed:  ${c.composedPrompt}`);
  lines.push(`negative:  ${c.negativePrompt || '(none)'}`);
  if (c.loras.length) lines.push(`loras:     ${c.loras.map((l) => `${l.name} (${l.strengthModel})`).join(', ')}`);
  if (c.referenceImages.length) lines.push(`refs:      ${c.referenceImages.map((r) => `${r.path} (${r.weight}, ${r.character})`).join(', ')}`);
  if (c.lockedSeed) lines.push(`seed:      ${c.lockedSeed.seed} (locked on the ${c.lockedSeed.from})`);
  if (c.consistencyAids.length) lines.push(`aids:      ${c.consistencyAids.join(', ')}`);
  lines.push(`tokens:    about ${c.estimatedTokens}${c.tokenWindow ? ` of a ${c.tokenWindow}-token window` : ''}`, 'parts:');
  for (const p of c.parts) lines.push(`  ${p.source.padEnd(10)} ${p.text}`);
  if (c.notes.length) lines.push('notes:', ...c.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

// ---- enhancement: enhance, models (contract methods enhance.enqueue, enhance.providers, models.list) --------------

/**
 * The `enhance` and `models` commands. A function declaration (hoisted), spread into COMMANDS. Every command calls
 * the contract (enhance.*, models.list, queue.list) through `core.call`.
 */
function enhanceCommands(): Record<string, Command> {
  return {
    enhance: {
      usage: 'storycanvas enhance <project> (--shot 12A... | --all) --model <id> [--upscale-to-project] [--priority normal] [--wait]',
      summary: 'Upscale the selected takes of shots (or interpolate clips to the project frame rate) on this machine.',
      details:
        '  --shot                a shot number (12A); repeatable: its selected take is enhanced\n' +
        '  --all                 the selected take of every shot\n' +
        '  --model               a model id (see `storycanvas models list`): an upscale model for pictures,\n' +
        '                        an interpolate model for clips (brought to the project frame rate)\n' +
        '  --upscale-to-project  bring each picture to the project resolution (aspect kept); takes already\n' +
        '                        at or above it are skipped\n' +
        '  --priority            critical, high, normal (default) or low (the same queue as generation)\n' +
        '  --wait                run the jobs now and follow them (a progress bar on a terminal), then print\n' +
        '                        the execution provider that ran them; exit code 1 when a job failed.\n' +
        '  Each result is a new take on its shot (the source take is kept; the new one is selected when the\n' +
        '  source was). The same take, model and settings are never computed twice: the cached take is reused.',
      options: {
        shot: { type: 'string', multiple: true },
        all: { type: 'boolean' },
        model: { type: 'string' },
        'upscale-to-project': { type: 'boolean' },
        priority: { type: 'string' },
        wait: { type: 'boolean' },
      },
      positionals: [1, 1],
      async run({ values, positionals }, ctx) {
        const shotNumbers = (values.shot as unknown as string[] | undefined) ?? [];
        if ((shotNumbers.length > 0 ? 1 : 0) + (values.all ? 1 : 0) !== 1) throw new UsageError('Say which takes to enhance: --shot 12A (repeatable) or --all.', 'enhance');
        if (typeof values.model !== 'string' || values.model.trim() === '') throw new UsageError('--model is required (see `storycanvas models list`).', 'enhance');
        const priority = values.priority ?? 'normal';
        if (!['critical', 'high', 'normal', 'low'].includes(String(priority))) throw new UsageError(`--priority "${String(priority)}" is not critical, high, normal or low.`, 'enhance');
        const core = await ctx.core();
        const projectId = await openProject(core, positionals[0]);
        const snapshot = await core.call('project.get', { projectId });
        const shots = snapshot.scenes.flatMap((scene) => scene.shots);
        let shotIds: string[];
        if (values.all) {
          shotIds = shots.map((shot) => shot.id);
          if (shotIds.length === 0) throw new CliFailure('The project has no shots.', 'Import a screenplay or add shots first.');
        } else {
          const byNumber = new Map(shots.map((shot) => [shot.number.toUpperCase(), shot.id] as const));
          const missing = shotNumbers.filter((n) => !byNumber.has(n.trim().toUpperCase()));
          if (missing.length > 0) throw new CliFailure(`The project has no shot ${missing.join(', ')}.`, 'Run `storycanvas info <project>` to see the shot numbers.');
          shotIds = shotNumbers.map((n) => byNumber.get(n.trim().toUpperCase()) as string);
        }
        if (values.wait) core.queue.resume(); // the CLI's queue runs only while a command follows it
        const { batchId, jobs, skipped } = await core.call('enhance.enqueue', {
          projectId,
          shotIds,
          modelId: values.model.trim(),
          upscaleToProject: values['upscale-to-project'] === true,
          priority: priority as 'critical' | 'high' | 'normal' | 'low',
        });
        for (const s of skipped) ctx.io.err(`skipped shot ${s.shotNumber}: ${s.reason}\n`);
        if (jobs.length === 0) {
          ctx.io.out(`${JSON.stringify({ batchId, jobs: 0, skipped: skipped.length })}\n`);
          ctx.io.err('Nothing to enhance.\n');
          return skipped.length > 0 ? 1 : 0;
        }
        if (!values.wait) {
          ctx.io.out(`${JSON.stringify({ batchId, jobs: jobs.length, skipped: skipped.length })}\n`);
          ctx.io.err(`Queued ${jobs.length} enhancement job${jobs.length === 1 ? '' : 's'} (batch ${batchId}). They run when the project is open in StoryCanvas, or with \`enhance --wait\`.\n`);
          return 0;
        }
        const finished = await followJobs(core, projectId, jobs.map((j) => j.id), ctx.io);
        const failed = finished.filter((j) => j.state !== 'succeeded');
        for (const job of finished) {
          ctx.io.err(`shot ${job.shotNumber ?? job.shotId}: ${job.state}${job.provider ? ` on ${job.provider === 'cache' ? 'the cache (computed before)' : job.provider}` : ''}${job.error ? `: ${job.error.message}` : ''}\n`);
        }
        const providers = [...new Set(finished.map((j) => j.provider).filter((p): p is string => typeof p === 'string'))];
        const ran = providers.filter((p) => p !== 'cache');
        if (ran.length > 0) {
          const choice = await core.call('enhance.providers', {});
          const others = choice.tried.filter((t) => !t.ok).map((t) => `${t.name}: ${t.error ?? 'failed'}`);
          ctx.io.err(`Provider: ${ran.join(', ')}${others.length > 0 ? ` (also tried ${others.join('; ')})` : ''}\n`);
        }
        ctx.io.out(`${JSON.stringify({ batchId, succeeded: finished.length - failed.length, failed: failed.length, skipped: skipped.length, providers, takeIds: finished.flatMap((j) => j.takeIds) })}\n`);
        return failed.length > 0 ? 1 : 0;
      },
    },

    models: {
      usage: 'storycanvas models list [--json]',
      summary: 'List the enhancement models installed (bundled and in $STORYCANVAS_HOME/models).',
      details: '  --json  print the models.list result: [{ id, name, task, scale, layout, licence, source, sha256, origin, sizeBytes, provider }]',
      options: { json: { type: 'boolean' } },
      positionals: [1, 1],
      async run({ values, positionals }, ctx) {
        if (positionals[0] !== 'list') throw new UsageError(`There is no "models ${positionals[0]}"; use list.`, 'models');
        const core = await ctx.core();
        const models = await core.call('models.list', {});
        ctx.io.out(values.json ? `${JSON.stringify(models, null, 2)}\n` : formatModelTable(models));
        return 0;
      },
    },
  };
}

/** The `models list` table: id, task and scale, origin, licence, source. */
export function formatModelTable(models: MethodResult<'models.list'>): string {
  if (models.length === 0) return 'No enhancement model is installed: put a model folder (model.onnx + model.json) in $STORYCANVAS_HOME/models.\n';
  const rows = models.map((m) => [m.id, m.task === 'upscale' ? `upscale x${m.scale}` : 'interpolate', m.origin, m.licence.spdx, m.name]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}

// ---- the generation pool and the shot assistant (contract methods library.takes.*, assistant.*) -------------------

/**
 * The `takes` and `assistant` commands. A function declaration (hoisted), spread into COMMANDS. The CLI keeps no
 * API key: the assistant's key comes from `STORYCANVAS_ASSISTANT_KEY` (see core/assistant/secrets.ts).
 */
function poolAndAssistantCommands(): Record<string, Command> {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    takes: {
      usage:
        'storycanvas takes search [<words>] [--character <name>] [--template <id|name>] [--tag <tag>] [--limit N] [--json]\n' +
        '       storycanvas takes reindex',
      summary: 'Search the takes of every known project (prompt, tags, characters, template), or rebuild that index.',
      details:
        '  <words>      words of the prompt, tags, characters or template name (all must match; the last may be a prefix)\n' +
        '  --character  only takes with this character;  --template  only this style template;  --tag  only this tag\n' +
        '  --limit      how many (default 50, newest first)',
      options: { character: { type: 'string' }, template: { type: 'string' }, tag: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
      positionals: [1, 2],
      async run({ values, positionals }, ctx) {
        const [sub, query] = positionals;
        const core = await ctx.core();
        if (sub === 'reindex') {
          if (query !== undefined) throw new UsageError('takes reindex takes no words.', 'takes');
          const r = await core.call('library.reindex', {});
          ctx.io.out(`Indexed ${r.takes} take${r.takes === 1 ? '' : 's'} of ${r.projects} project${r.projects === 1 ? '' : 's'}.\n`);
          for (const path of r.removed) ctx.io.err(`gone: ${path}\n`);
          for (const f of r.failed) ctx.io.err(`could not read ${f.path}: ${f.message}\n`);
          return r.failed.length ? 1 : 0;
        }
        if (sub !== 'search') throw new UsageError(`"${sub}" is not one of: search, reindex.`, 'takes');
        const template = str(values.template);
        const templateId = template ? (await core.call('template.get', { template })).id : undefined;
        const page = await core.call('library.takes.search', {
          ...(query ? { query } : {}),
          ...(str(values.character) ? { character: str(values.character)! } : {}),
          ...(templateId ? { templateId } : {}),
          ...(str(values.tag) ? { tag: str(values.tag)! } : {}),
          limit: str(values.limit) !== undefined ? Math.min(500, positiveInt(str(values.limit)!, '--limit', 'takes')) : 50,
        });
        ctx.io.out(values.json ? `${JSON.stringify(page, null, 2)}\n` : formatTakeSearch(page.takes));
        return 0;
      },
    },

    assistant: {
      usage:
        'storycanvas assistant configure [--url <base url>] [--model <name>] [--enable | --disable] [--timeout-ms N]\n' +
        '       storycanvas assistant show | test\n' +
        '       storycanvas assistant propose <project> --scene N [--json]',
      summary: 'Set up the optional shot assistant (an OpenAI-compatible chat server) and ask it for a shot breakdown.',
      details:
        '  --url        the server, e.g. http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:1234/v1 (LM Studio)\n' +
        '  --model      the model name the server knows (ollama list)\n' +
        '  --enable     turn it on (configure with a --model turns it on unless --disable)\n' +
        '  --scene      the scene number to break down; nothing is changed in the project\n' +
        '  The API key of a hosted server is read from STORYCANVAS_ASSISTANT_KEY; it is never written to a file.',
      options: {
        url: { type: 'string' },
        model: { type: 'string' },
        enable: { type: 'boolean' },
        disable: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        scene: { type: 'string' },
        json: { type: 'boolean' },
      },
      positionals: [1, 2],
      async run({ values, positionals }, ctx) {
        const [sub, projectPath] = positionals;
        const core = await ctx.core();
        if (sub === 'configure') {
          if (values.enable && values.disable) throw new UsageError('Give --enable or --disable, not both.', 'assistant');
          const enabled = values.disable ? false : values.enable || str(values.model) !== undefined ? true : undefined;
          const s = await core.call('assistant.configure', {
            ...(str(values.url) !== undefined ? { baseUrl: str(values.url)! } : {}),
            ...(str(values.model) !== undefined ? { model: str(values.model)! } : {}),
            ...(enabled !== undefined ? { enabled } : {}),
            ...(str(values['timeout-ms']) !== undefined ? { timeoutMs: positiveInt(str(values['timeout-ms'])!, '--timeout-ms', 'assistant') } : {}),
          });
          ctx.io.out(formatAssistantSettings(s));
          return 0;
        }
        if (sub === 'show') {
          ctx.io.out(formatAssistantSettings(await core.call('assistant.get', {})));
          return 0;
        }
        if (sub === 'test') {
          const r = await core.call('assistant.test', {});
          ctx.io.out(`OK: ${r.model} answered in ${r.latencyMs} ms.\n`);
          return 0;
        }
        if (sub === 'propose') {
          if (!projectPath) throw new UsageError('assistant propose needs the project.', 'assistant');
          const number = str(values.scene);
          if (!number) throw new UsageError('--scene is required.', 'assistant');
          const projectId = await openProject(core, projectPath);
          const snapshot = await core.call('project.get', { projectId });
          const scene = snapshot.scenes.find((s) => s.number.toUpperCase() === number.trim().toUpperCase());
          if (!scene) throw new CliFailure(`The project has no scene ${number}.`, 'Run `storycanvas info <project>` to see the scene numbers.');
          const proposal = await core.call('assistant.proposeShots', { projectId, sceneId: scene.id });
          ctx.io.out(values.json ? `${JSON.stringify(proposal, null, 2)}\n` : formatProposal(scene.number, proposal));
          return 0;
        }
        throw new UsageError(`"${sub}" is not one of: configure, show, test, propose.`, 'assistant');
      },
    },
  };
}

/** The `takes search` table: when, project, shot, flags, characters and the prompt's start. */
export function formatTakeSearch(takes: MethodResult<'library.takes.search'>['takes']): string {
  if (takes.length === 0) return 'No take matches.\n';
  return `${takes
    .map((t) => {
      const flags = `${t.starred ? '*' : ' '}${t.rejected ? 'x' : ' '}`;
      const prompt = t.prompt.length > 70 ? `${t.prompt.slice(0, 69)}…` : t.prompt;
      const who = t.characters.length ? `[${t.characters.join(', ')}] ` : '';
      const tags = t.tags.length ? ` #${t.tags.join(' #')}` : '';
      return `${t.createdAt.slice(0, 16).replace('T', ' ')}  ${flags} ${t.projectName} ${t.shotNumber ?? '-'}  ${who}${prompt || t.path}${tags}`.trimEnd();
    })
    .join('\n')}\n`;
}

/** `assistant show` / `configure` output. */
export function formatAssistantSettings(s: MethodResult<'assistant.get'>): string {
  return [
    `enabled:  ${s.enabled ? 'yes' : 'no'}`,
    `url:      ${s.baseUrl}`,
    `model:    ${s.model || '(none)'}`,
    `timeout:  ${s.timeoutMs} ms`,
    `key:      ${s.hasKey ? `yes (${s.keyStore === 'env' ? 'STORYCANVAS_ASSISTANT_KEY' : s.keyStore})` : 'none'}`,
  ].join('\n') + '\n';
}

/** `assistant propose` output: one line per proposed shot. */
export function formatProposal(sceneNumber: string, p: MethodResult<'assistant.proposeShots'>): string {
  const lines = [`Scene ${sceneNumber}: ${p.shots.length} shot${p.shots.length === 1 ? '' : 's'} proposed by ${p.model}${p.structured ? '' : ' (plain JSON)'}`];
  p.shots.forEach((s, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${s.shotSize.padEnd(6)} ${s.cameraAngle.padEnd(9)} ${s.cameraMove.padEnd(9)} ${(s.lensMm ? `${s.lensMm}mm` : '-').padEnd(6)} ${s.description}`);
    for (const d of s.dialogue ?? []) lines.push(`       ${d.character}: ${d.text}`);
  });
  return `${lines.join('\n')}\n`;
}
