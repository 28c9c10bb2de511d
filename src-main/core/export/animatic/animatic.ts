/**
 * Renders the animatic: the timeline's shots, each exactly its durationFrames, as one H.264 MP4 at the timeline's
 * size and exact rational frame rate, with the music bed and an optional burn-in, in ONE ffmpeg run driven through
 * fluent-ffmpeg (https://github.com/fluent-ffmpeg/node-fluent-ffmpeg).
 *
 * ```ts
 * const result = await renderAnimatic(timeline, '/projects/film/exports/film-animatic.mp4', {
 *   burnIn: { shotNumber: true, dialogue: true, timecode: true },
 *   signal: controller.signal,
 *   onProgress: ({ fraction }) => job.report(fraction),
 * });
 * ```
 *
 * How: stills are scaled and padded to the frame once with sharp (so a run of stills is one concat-demuxer input
 * that decodes each still once), video shots are separate inputs; filterGraph.ts plans the graph; the output is
 * written to a temp name in the target folder and renamed into place when ffmpeg has finished.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import sharp from 'sharp';
import type { EditTimeline } from '../EditTimeline.ts';
import { assertEditTimeline } from '../EditTimeline.ts';
import { normalizeFrameRate, timecodeBase } from '../time.ts';
import { resolveFfmpeg, type FfmpegBinary } from './ffmpegBinary.ts';
import { planAnimatic, type BurnInOptions } from './filterGraph.ts';

export type { BurnInOptions } from './filterGraph.ts';
export type { FfmpegBinary, FfmpegSource } from './ffmpegBinary.ts';

/** Progress of a render: `frame` of `totalFrames` encoded; `fraction` in 0..1 (1 only once the file is in place). */
export interface AnimaticProgress {
  frame: number;
  totalFrames: number;
  fraction: number;
}

/** Options for `renderAnimatic`. */
export interface AnimaticOptions {
  /** texts drawn on the picture; default none */
  burnIn?: BurnInOptions;
  /** aborting kills ffmpeg, deletes the partial file and rejects with an `AbortError` */
  signal?: AbortSignal;
  /** called as frames are encoded (about four times a second) and once with fraction 1 at the end */
  onProgress?: (progress: AnimaticProgress) => void;
  /** the ffmpeg the app bundles; `STORYCANVAS_FFMPEG` overrides it; without either, `ffmpeg` on PATH */
  ffmpegPath?: string;
  /** TrueType font for the burn-in; default DejaVu Sans (or a system sans font where DejaVu is not installed) */
  fontPath?: string;
  /** where the `[animatic] ffmpeg: …` line goes; default `console.info` */
  log?: (line: string) => void;
}

/** What `renderAnimatic` wrote. */
export interface AnimaticResult {
  outPath: string;
  /** frames in the file: the sum of the shots' durationFrames */
  frames: number;
  /** frames × den / num */
  durationSeconds: number;
  ffmpeg: FfmpegBinary;
}

/** H.264 settings: visually clean for drawings, fast to encode, a keyframe at least every two seconds for scrubbing. */
const X264_PRESET = 'veryfast';
const X264_CRF = 18;
const AAC_BITRATE = '192k';

/** Fonts tried for the burn-in, in order (DejaVu on Linux, then common macOS and Windows sans fonts). */
export const BURN_IN_FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/Library/Fonts/DejaVuSans.ttf',
  '/System/Library/Fonts/Supplemental/Arial Unicode.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\DejaVuSans.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

function abortError(): Error {
  const error = new Error('the animatic render was cancelled');
  error.name = 'AbortError';
  return error;
}

function findBurnInFont(fontPath: string | undefined): string {
  if (fontPath) {
    if (!existsSync(fontPath)) throw new Error(`burn-in font ${fontPath} does not exist: pass an existing .ttf file`);
    return fontPath;
  }
  const found = BURN_IN_FONT_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      'no font for the burn-in was found: install DejaVu Sans (Debian/Ubuntu: `sudo apt install fonts-dejavu-core`) ' +
        'or pass fontPath, or render without burn-in',
    );
  }
  return found;
}

/** The animatic checks the timeline like the exporters do, except that a shot may outlast its clip (it holds). */
function checkTimeline(timeline: EditTimeline): void {
  assertEditTimeline({
    ...timeline,
    clips: Array.isArray(timeline?.clips)
      ? timeline.clips.map((clip) =>
          clip && typeof clip === 'object' && clip.media && typeof clip.media === 'object'
            ? { ...clip, media: { ...clip.media, sourceDurationFrames: undefined } }
            : clip,
        )
      : timeline?.clips,
  });
  normalizeFrameRate(timeline.frameRate);
  if (timeline.widthPx % 2 !== 0 || timeline.heightPx % 2 !== 0) {
    throw new Error(
      `animatic size ${timeline.widthPx}x${timeline.heightPx} must be even in both directions (H.264 with 4:2:0 colour): ` +
        'choose an even project resolution such as 1920x1080',
    );
  }
}

/** Scales and pads each still to the frame (black bars, transparency on white), as JPEG, once per distinct file. */
async function prepareStills(
  timeline: EditTimeline,
  workDir: string,
  signal: AbortSignal | undefined,
): Promise<Map<number, string>> {
  const byPath = new Map<string, string>();
  const byClip = new Map<number, string>();
  for (const [index, clip] of timeline.clips.entries()) {
    if (clip.media.kind !== 'image') continue;
    if (signal?.aborted) throw abortError();
    let name = byPath.get(clip.media.path);
    if (name === undefined) {
      name = `still-${String(byPath.size).padStart(5, '0')}.jpg`;
      try {
        await sharp(clip.media.path, { failOn: 'error' })
          .rotate() // EXIF orientation
          .flatten({ background: '#ffffff' })
          .resize({ width: timeline.widthPx, height: timeline.heightPx, fit: 'contain', background: '#000000' })
          .jpeg({ quality: 95, chromaSubsampling: '4:2:0' })
          .toFile(join(workDir, name));
      } catch (error) {
        throw new Error(
          `shot ${clip.shotNumber}: its image ${clip.media.path} could not be read (${(error as Error).message}); ` +
            'select another take or re-import the image',
          { cause: error },
        );
      }
      byPath.set(clip.media.path, name);
    }
    byClip.set(index, name);
  }
  return byClip;
}

async function assertMediaExist(timeline: EditTimeline): Promise<void> {
  for (const clip of timeline.clips) {
    try {
      await stat(clip.media.path);
    } catch {
      throw new Error(`shot ${clip.shotNumber}: its ${clip.media.kind} ${clip.media.path} is missing; relink or select another take`);
    }
  }
  if (timeline.music) {
    try {
      await stat(timeline.music.path);
    } catch {
      throw new Error(`the music ${timeline.music.path} is missing; relink it or remove the music from the timeline`);
    }
  }
}

/**
 * Renders `timeline` to an H.264 MP4 (libx264, yuv420p, +faststart) at `outPath`.
 *
 * Each shot lasts exactly its durationFrames at the exact rational rate (`-r 24000/1001`); stills are held, video
 * clips are converted to the rate, trimmed, or held on their last frame; everything is fitted inside the frame
 * keeping its aspect. The music (AAC 48 kHz stereo) starts at its offset and is cut or padded with silence to the
 * video's length. The file appears at `outPath` only when complete (temp name in the same folder, then a rename).
 * @throws Error for a bad timeline (see assertEditTimeline), an odd frame size, missing media, a missing ffmpeg (the
 *   message says what to install), a rate without timecode when the timecode burn-in is on, or ffmpeg failing.
 * @throws AbortError (`error.name === 'AbortError'`) when `signal` aborts; no partial file is left.
 */
export async function renderAnimatic(
  timeline: EditTimeline,
  outPath: string,
  opts: AnimaticOptions = {},
): Promise<AnimaticResult> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError();
  checkTimeline(timeline);
  const rate = normalizeFrameRate(timeline.frameRate);
  const burnIn = opts.burnIn ?? {};
  if (burnIn.timecode) timecodeBase(rate); // a clear error before any work for rates without timecode
  const fontPath = burnIn.shotNumber || burnIn.dialogue || burnIn.timecode ? findBurnInFont(opts.fontPath) : undefined;
  const outDir = dirname(outPath);
  if (!existsSync(outDir)) throw new Error(`the folder ${outDir} does not exist: choose an existing folder for the animatic`);
  await assertMediaExist(timeline);

  const binary = await resolveFfmpeg(opts.ffmpegPath);
  (opts.log ?? console.info)(`[animatic] ffmpeg: ${binary.path} (${binary.source}, ${binary.version})`);

  const workDir = await mkdtemp(join(tmpdir(), 'storycanvas-animatic-'));
  const tempOut = join(outDir, `.${basename(outPath)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  try {
    const stillFiles = await prepareStills(timeline, workDir, signal);
    if (signal?.aborted) throw abortError();
    const plan = planAnimatic(timeline, { stillFiles, burnIn, fontPath });
    for (const file of plan.files) await writeFile(join(workDir, file.name), file.text, 'utf8');

    await runFfmpeg(binary, plan, workDir, tempOut, timeline, opts);
    await rename(tempOut, outPath);
    const totalFrames = plan.totalFrames;
    onProgress?.({ frame: totalFrames, totalFrames, fraction: 1 });
    return { outPath, frames: totalFrames, durationSeconds: (totalFrames * rate.den) / rate.num, ffmpeg: binary };
  } catch (error) {
    await unlink(tempOut).catch(() => undefined);
    if (signal?.aborted) throw abortError();
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * The arguments that make ffmpeg read its filter graph from a file: `-filter_complex_script FILE` up to FFmpeg 6,
 * `-/filter_complex FILE` from FFmpeg 7 (which deprecates the former); unnumbered git builds (`N-…`) are taken as new.
 */
export function filterGraphFileArgs(ffmpegVersion: string, graphFile: string): string[] {
  const major = /^n?(\d+)\./.exec(ffmpegVersion);
  return major && Number(major[1]) < 7 ? ['-filter_complex_script', graphFile] : ['-/filter_complex', graphFile];
}

function runFfmpeg(
  binary: FfmpegBinary,
  plan: ReturnType<typeof planAnimatic>,
  workDir: string,
  tempOut: string,
  timeline: EditTimeline,
  opts: AnimaticOptions,
): Promise<void> {
  const rate = normalizeFrameRate(timeline.frameRate);
  const keyframeInterval = 2 * Math.max(1, Math.round(rate.num / rate.den));
  const command = ffmpeg({ cwd: workDir, stdoutLines: 0 });
  command.setFfmpegPath(binary.path);
  for (const input of plan.inputs) {
    command.input(input.path);
    // several arguments: fluent-ffmpeg then takes each as one argument (one array would be split at spaces)
    if (input.options.length > 0) command.inputOptions(...(input.options as [string, ...string[]]));
  }
  const outputOptions = [
    '-nostdin',
    '-loglevel', 'error',
    '-stats',
    '-stats_period', '0.25',
    ...filterGraphFileArgs(binary.version, plan.graphFileName),
    '-map', `[${plan.videoLabel}]`,
    ...(plan.audioLabel ? ['-map', `[${plan.audioLabel}]`] : []),
    '-r', `${rate.num}/${rate.den}`,
    '-c:v', 'libx264',
    '-preset', X264_PRESET,
    '-crf', String(X264_CRF),
    '-pix_fmt', 'yuv420p',
    '-g', String(keyframeInterval),
    ...(plan.audioLabel ? ['-c:a', 'aac', '-b:a', AAC_BITRATE, '-ar', '48000'] : []),
    '-movflags', '+faststart',
    '-metadata', `title=${timeline.name}`,
    '-metadata', 'comment=StoryCanvas animatic',
  ];
  command.outputOptions(...(outputOptions as [string, ...string[]])).format('mp4').output(tempOut);

  return new Promise<void>((resolve, reject) => {
    const { signal, onProgress } = opts;
    let lastFrame = -1;
    const onAbort = (): void => {
      command.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (error?: Error): void => {
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    command.on('progress', (progress: { frames?: number }) => {
      const frame = Math.min(Number(progress.frames), plan.totalFrames);
      if (!Number.isFinite(frame) || frame <= lastFrame || !onProgress) return;
      lastFrame = frame;
      // 1 is reported only once the file is in place
      onProgress({ frame, totalFrames: plan.totalFrames, fraction: Math.min(frame / plan.totalFrames, 0.999) });
    });
    command.on('error', (error: Error) => {
      if (signal?.aborted) return done(abortError());
      done(new Error(`ffmpeg (${binary.path}) failed to render the animatic: ${error.message.trim()}`, { cause: error }));
    });
    // an abort that came while fluent-ffmpeg was still checking capabilities: stop the process as soon as it exists
    command.on('start', () => {
      if (signal?.aborted) command.kill('SIGKILL');
    });
    command.on('end', () => done());
    if (signal?.aborted) return done(abortError());
    command.run();
  });
}
