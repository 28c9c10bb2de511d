/**
 * Plans the one ffmpeg run that renders an animatic: its inputs, the small text files it reads (concat lists, the
 * burn-in command list) and the filter graph (FFmpeg Filters Documentation, https://ffmpeg.org/ffmpeg-filters.html;
 * concat demuxer, https://ffmpeg.org/ffmpeg-formats.html#concat-1). Pure: nothing here touches the disk or runs ffmpeg.
 *
 * Shape of the graph (see README.md beside this file):
 * - each run of consecutive still shots is ONE input, an ffconcat list of the stills (already scaled and padded to
 *   the frame by sharp, so every entry has the same codec and size) with each entry starting at its exact record
 *   frame; `fps` turns it into constant-rate frames, `tpad` + `trim` make it exactly the run's length;
 * - each video shot is one input: `fps` to the timeline rate, scale + pad keeping aspect, `tpad` (hold the last
 *   frame) + `trim` to exactly its durationFrames;
 * - the segments meet in one `concat` filter; the burn-in is one `sendcmd` (changing the text at each shot's first
 *   frame) and at most five `drawtext` filters for the whole timeline; the timecode is drawtext's own counter;
 * - the music: resample, trim to its used length, `adelay` by its offset, pad with silence and trim to the video's
 *   exact length in samples.
 */
import type { EditClip, EditTimeline, Rational } from '../EditTimeline.ts';
import { shotsDurationFrames } from '../EditTimeline.ts';
import { defaultDropFrame, defaultStartFrames, formatTimecode, normalizeFrameRate } from '../time.ts';

/** Which texts are drawn on the picture. */
export interface BurnInOptions {
  /** `SHOT 12A` top-left */
  shotNumber?: boolean;
  /** the shot's dialogue (`CHARACTER: line`), bottom centre, up to three lines */
  dialogue?: boolean;
  /** record timecode bottom-right, counted from the timeline's start timecode */
  timecode?: boolean;
}

/** One ffmpeg input: the options that go before its `-i`, and its path (relative to the work folder or absolute). */
export interface PlannedInput {
  options: string[];
  path: string;
}

/** A text file the run reads, written into the work folder under `name`. */
export interface PlannedFile {
  name: string;
  text: string;
}

/** Everything the ffmpeg run needs apart from the binary and the output options. */
export interface AnimaticPlan {
  /** inputs in `-i` order */
  inputs: PlannedInput[];
  /** files to write into the work folder before the run (the graph itself is `graphFileName`) */
  files: PlannedFile[];
  /** the filter graph's file name inside `files`, for `-filter_complex_script` */
  graphFileName: string;
  /** output pad labels to `-map` */
  videoLabel: string;
  audioLabel: string | null;
  /** the exact number of frames the video has: the sum of the shots' durationFrames */
  totalFrames: number;
  /** the exact number of audio samples at `audioSampleRateHz` when there is music, else 0 */
  totalAudioSamples: number;
}

/** The audio sample rate of the animatic's music track. */
export const AUDIO_SAMPLE_RATE_HZ = 48000;

/** What `planAnimatic` needs besides the timeline. */
export interface PlanOptions {
  /** for each image shot (by clip index), the name of its still scaled and padded to the frame, in the work folder */
  stillFiles: ReadonlyMap<number, string>;
  burnIn?: BurnInOptions;
  /** absolute path of the TrueType font drawtext uses; required when any burn-in is on */
  fontPath?: string;
}

/**
 * Quotes a value for FFmpeg's option parser (`av_get_token`): inside single quotes everything is literal, and a
 * quote itself is written `'\''` (FFmpeg Utilities Documentation, "Quoting and escaping",
 * https://ffmpeg.org/ffmpeg-utils.html#Quoting-and-escaping).
 */
export function quoteForFfmpeg(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Escapes a filter's whole argument string for the filter-graph level: backslash before `\ ' [ ] , ;` so that the
 * graph parser hands the filter exactly `args` (FFmpeg Filters Documentation, "Notes on filtergraph escaping").
 */
export function escapeFilterArgs(args: string): string {
  return args.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** `name=args` with the args escaped for the graph; option values inside `args` must already be quoted. */
function filter(name: string, options: Array<[string, string | number]>): string {
  if (options.length === 0) return name;
  const args = options.map(([key, value]) => `${key}=${value}`).join(':');
  return `${name}=${escapeFilterArgs(args)}`;
}

/** Seconds as the concat demuxer's `duration` wants them, from whole microseconds (exact, no float printing). */
function microsecondsText(us: number): string {
  const whole = Math.floor(us / 1_000_000);
  const rest = us - whole * 1_000_000;
  return `${whole}.${String(rest).padStart(6, '0')}`;
}

/** Start of frame `frames` in whole microseconds at `rate` (rounded to nearest; an error far below half a frame). */
function framesToMicroseconds(frames: number, rate: Rational): number {
  return Math.round((frames * rate.den * 1_000_000) / rate.num);
}

/** One line of text safe for drawtext: no control characters, single spaces. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Wraps `text` into lines of at most `maxChars` characters at spaces (a word longer than a line is cut).
 * @returns the lines, without empty ones.
 */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(' ')) {
    if (word === '') continue;
    let rest = word;
    while (rest.length > maxChars) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(rest.slice(0, maxChars));
      rest = rest.slice(maxChars);
    }
    if (line === '') line = rest;
    else if (line.length + 1 + rest.length <= maxChars) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The dialogue of a shot as at most `maxLines` lines of at most `maxChars` characters: each speech is
 * `CHARACTER: (parenthetical) text`, wrapped; when it does not fit, the last line ends with an ellipsis.
 */
export function dialogueLines(clip: Pick<EditClip, 'dialogue'>, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  for (const speech of clip.dialogue) {
    const parenthetical = speech.parenthetical ? `${oneLine(speech.parenthetical)} ` : '';
    const text = `${oneLine(speech.character)}: ${parenthetical}${oneLine(speech.text)}`;
    lines.push(...wrapText(text, maxChars));
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = (last.length >= maxChars ? last.slice(0, maxChars - 1) : last).trimEnd() + '…';
  return kept;
}

/** Pixel sizes of the burn-in for a frame height. */
interface BurnInLayout {
  marginPx: number;
  labelFontPx: number;
  dialogueFontPx: number;
  dialogueLineHeightPx: number;
  dialogueMaxChars: number;
}

function burnInLayout(widthPx: number, heightPx: number): BurnInLayout {
  const marginPx = Math.max(4, Math.round(heightPx / 30));
  const labelFontPx = Math.max(8, Math.round(heightPx / 26));
  const dialogueFontPx = Math.max(8, Math.round(heightPx / 24));
  // DejaVu Sans averages about 0.55 em per character in mixed-case text; dialogue spans at most 84% of the width
  const dialogueMaxChars = Math.max(12, Math.floor((widthPx * 0.84) / (dialogueFontPx * 0.55)));
  return { marginPx, labelFontPx, dialogueFontPx, dialogueLineHeightPx: Math.round(dialogueFontPx * 1.6), dialogueMaxChars };
}

/** The number of dialogue lines the burn-in shows at most. */
export const DIALOGUE_MAX_LINES = 3;

/**
 * Plans the ffmpeg run for `timeline` (already validated, frame rate normalised or not).
 * @throws Error when burn-in is asked without a font, when timecode is asked at a rate without timecode, or when an
 *   image shot has no entry in `stillFiles`.
 */
export function planAnimatic(timeline: EditTimeline, options: PlanOptions): AnimaticPlan {
  const rate = normalizeFrameRate(timeline.frameRate);
  const rateText = `${rate.num}/${rate.den}`;
  const widthPx = timeline.widthPx;
  const heightPx = timeline.heightPx;
  const totalFrames = shotsDurationFrames(timeline);
  const inputs: PlannedInput[] = [];
  const files: PlannedFile[] = [];
  const chains: string[] = [];
  const segmentLabels: string[] = [];

  // --- picture: one segment per run of stills and per video shot
  let recordFrame = 0;
  let index = 0;
  while (index < timeline.clips.length) {
    const clip = timeline.clips[index]!;
    const label = `s${segmentLabels.length}`;
    const inputIndex = inputs.length;
    if (clip.media.kind === 'image') {
      const listName = `run-${String(inputIndex).padStart(4, '0')}.ffconcat`;
      const lines = ['ffconcat version 1.0'];
      const runStart = recordFrame;
      let runFrames = 0;
      while (index < timeline.clips.length && timeline.clips[index]!.media.kind === 'image') {
        const still = options.stillFiles.get(index);
        if (still === undefined) throw new Error(`planAnimatic: no prepared still for clip ${index + 1}`);
        const startUs = framesToMicroseconds(runFrames, rate);
        const endUs = framesToMicroseconds(runFrames + timeline.clips[index]!.durationFrames, rate);
        lines.push(`file ${quoteForFfmpeg(still)}`, `option framerate ${rateText}`, `duration ${microsecondsText(endUs - startUs)}`);
        runFrames += timeline.clips[index]!.durationFrames;
        index++;
      }
      files.push({ name: listName, text: lines.join('\n') + '\n' });
      inputs.push({ options: ['-f', 'concat', '-safe', '0'], path: listName });
      chains.push(
        `[${inputIndex}:v]` +
          [
            // convert each still once (full-range JPEG to yuv420p), before fps repeats it
            filter('format', [['pix_fmts', 'yuv420p']]),
            filter('setsar', [['sar', '1']]),
            filter('fps', [['fps', rateText]]),
            filter('tpad', [['stop_mode', 'clone'], ['stop', runFrames]]),
            filter('trim', [['end_frame', runFrames]]),
            'setpts=PTS-STARTPTS',
          ].join(',') +
          `[${label}]`,
      );
      recordFrame = runStart + runFrames;
    } else {
      inputs.push({ options: [], path: clip.media.path });
      const frames = clip.durationFrames;
      chains.push(
        `[${inputIndex}:v:0]` +
          [
            'setpts=PTS-STARTPTS',
            filter('fps', [['fps', rateText]]),
            // square pixels first (anamorphic sources), then fit inside the frame and centre on black
            filter('scale', [['w', 'iw*sar'], ['h', 'ih']]),
            filter('setsar', [['sar', '1']]),
            filter('scale', [['w', widthPx], ['h', heightPx], ['force_original_aspect_ratio', 'decrease'], ['force_divisible_by', 2]]),
            filter('pad', [['w', widthPx], ['h', heightPx], ['x', '(ow-iw)/2'], ['y', '(oh-ih)/2'], ['color', 'black']]),
            filter('format', [['pix_fmts', 'yuv420p']]),
            filter('tpad', [['stop_mode', 'clone'], ['stop', frames]]),
            filter('trim', [['end_frame', frames]]),
            'setpts=PTS-STARTPTS',
          ].join(',') +
          `[${label}]`,
      );
      recordFrame += frames;
      index++;
    }
    segmentLabels.push(label);
  }
  chains.push(`${segmentLabels.map((l) => `[${l}]`).join('')}concat=n=${segmentLabels.length}:v=1:a=0[vcat]`);

  // --- burn-in on the joined picture
  const burnIn = options.burnIn ?? {};
  const post: string[] = [];
  if (burnIn.shotNumber || burnIn.dialogue || burnIn.timecode) {
    const fontPath = options.fontPath;
    if (!fontPath) throw new Error('burn-in needs a TrueType font: pass fontPath (DejaVu Sans is used where installed)');
    const layout = burnInLayout(widthPx, heightPx);
    const font: Array<[string, string | number]> = [['fontfile', quoteForFfmpeg(fontPath)]];
    const box = (fontPx: number): Array<[string, string | number]> => [
      ['fontcolor', 'white'],
      ['box', 1],
      ['boxcolor', 'black@0.6'],
      ['boxborderw', Math.max(2, Math.round(fontPx / 5))],
    ];
    const commands: string[] = [];
    if (burnIn.shotNumber || burnIn.dialogue) {
      // one line per shot start: `T drawtext@shot reinit '...', drawtext@dlg0 reinit '...';`
      const previous = new Map<string, string>();
      let start = 0;
      for (const clip of timeline.clips) {
        const targets: Array<[string, string]> = [];
        if (burnIn.shotNumber) targets.push(['shot', `SHOT ${oneLine(clip.shotNumber)}`]);
        if (burnIn.dialogue) {
          const lines = dialogueLines(clip, layout.dialogueMaxChars, DIALOGUE_MAX_LINES);
          // slot 0 is the bottom line: fill from the bottom up
          for (let slot = 0; slot < DIALOGUE_MAX_LINES; slot++) targets.push([`dlg${slot}`, lines[lines.length - 1 - slot] ?? '']);
        }
        const changed = targets.filter(([target, text]) => previous.get(target) !== text);
        if (changed.length > 0) {
          // fire half a frame before the shot's first frame so float rounding of frame times cannot delay it
          const seconds = start === 0 ? 0 : ((start - 0.5) * rate.den) / rate.num;
          const parts = changed.map(([target, text]) => `drawtext@${target} reinit ${quoteForFfmpeg(`text=${quoteForFfmpeg(text)}`)}`);
          commands.push(`${seconds.toFixed(6)} ${parts.join(', ')};`);
          for (const [target, text] of changed) previous.set(target, text);
        }
        start += clip.durationFrames;
      }
      files.push({ name: 'burnin.cmd', text: commands.join('\n') + '\n' });
      post.push(filter('sendcmd', [['f', quoteForFfmpeg('burnin.cmd')]]));
    }
    if (burnIn.shotNumber) {
      post.push(
        filter('drawtext@shot', [
          ...font,
          ['expansion', 'none'],
          ['text', "''"],
          ['fontsize', layout.labelFontPx],
          ...box(layout.labelFontPx),
          ['x', layout.marginPx],
          ['y', layout.marginPx],
        ]),
      );
    }
    const bottomReservePx = layout.marginPx + (burnIn.timecode ? layout.labelFontPx + layout.marginPx : 0);
    if (burnIn.dialogue) {
      for (let slot = 0; slot < DIALOGUE_MAX_LINES; slot++) {
        const top = heightPx - bottomReservePx - (slot + 1) * layout.dialogueLineHeightPx;
        post.push(
          filter(`drawtext@dlg${slot}`, [
            ...font,
            ['expansion', 'none'],
            ['text', "''"],
            ['fontsize', layout.dialogueFontPx],
            ...box(layout.dialogueFontPx),
            ['x', '(w-text_w)/2'],
            ['y', top],
          ]),
        );
      }
    }
    if (burnIn.timecode) {
      const dropFrame = defaultDropFrame(rate);
      const startFrames = timeline.startFrames ?? defaultStartFrames(rate, dropFrame);
      const startTimecode = formatTimecode(startFrames, rate, { dropFrame }); // throws for rates without timecode
      post.push(
        filter('drawtext', [
          ...font,
          ['timecode', quoteForFfmpeg(startTimecode)],
          ['rate', rateText],
          ['fontsize', layout.labelFontPx],
          ...box(layout.labelFontPx),
          ['x', `w-tw-${layout.marginPx}`],
          ['y', `h-th-${layout.marginPx}`],
        ]),
      );
    }
  }
  post.push(filter('format', [['pix_fmts', 'yuv420p']]));
  chains.push(`[vcat]${post.join(',')}[vout]`);

  // --- music
  let audioLabel: string | null = null;
  let totalAudioSamples = 0;
  const music = timeline.music;
  if (music) {
    const inputIndex = inputs.length;
    inputs.push({ options: [], path: music.path });
    const samples = (frames: number): number => Math.round((frames * rate.den * AUDIO_SAMPLE_RATE_HZ) / rate.num);
    totalAudioSamples = samples(totalFrames);
    const delaySamples = samples(music.offsetFrames);
    chains.push(
      `[${inputIndex}:a:0]` +
        [
          filter('aresample', [['osr', AUDIO_SAMPLE_RATE_HZ]]),
          filter('aformat', [['sample_fmts', 'fltp'], ['channel_layouts', 'stereo']]),
          filter('atrim', [['end_sample', samples(music.durationFrames)]]),
          'asetpts=PTS-STARTPTS',
          ...(delaySamples > 0 ? [filter('adelay', [['delays', `${delaySamples}S`], ['all', 1]])] : []),
          filter('apad', [['whole_len', totalAudioSamples]]),
          filter('atrim', [['end_sample', totalAudioSamples]]),
        ].join(',') +
        '[aout]',
    );
    audioLabel = 'aout';
  }

  const graphFileName = 'graph.txt';
  files.push({ name: graphFileName, text: chains.join(';\n') + '\n' });
  return { inputs, files, graphFileName, videoLabel: 'vout', audioLabel, totalFrames, totalAudioSamples };
}
