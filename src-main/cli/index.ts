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
