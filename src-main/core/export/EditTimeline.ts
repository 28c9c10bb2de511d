/**
 * The plain in-memory edit model that every editorial exporter (FCPXML, xmeml, EDL, OTIO) reads.
 *
 * The project store builds it from the project's scenes, shots and selected takes; the exporters turn it into
 * file text without touching the disk. All times are whole frames at the timeline's frame rate.
 */

/** A rational number, used for the frame rate: 24000/1001 is `{ num: 24000, den: 1001 }` (never 23.976). */
export interface Rational { num: number; den: number }

/** The media file a clip shows: the selected take of a shot. */
export interface EditMedia {
  /** absolute path of the file the clip references (a still PNG/JPEG or a video) */
  path: string;
  kind: 'image' | 'video';
  widthPx: number; heightPx: number;
  /** video only: the source clip's length in frames at the timeline's rate */
  sourceDurationFrames?: number;
}

/** One shot on the timeline. */
export interface EditClip {
  shotId: string; shotNumber: string;          // '12A'
  sceneNumber: string; sceneHeading: string;   // '12', 'INT. KITCHEN - NIGHT'
  durationFrames: number;                      // >0, length on the timeline
  media: EditMedia;
  action: string; notes: string;
  dialogue: { character: string; parenthetical?: string; text: string }[];
}

/** The music bed: one audio file placed on the timeline. */
export interface EditMusic {
  /** absolute path of the audio file */
  path: string;
  /** where the music starts, in frames from record frame 0 (the first shot's first frame) */
  offsetFrames: number;
  /** how much of the music is used, in frames at the timeline's rate, from the file's start */
  durationFrames: number;
  /** default 48000 */
  sampleRateHz?: number;
  /** default 2 (stereo) */
  channels?: number;
}

/** A whole timeline ready for export. */
export interface EditTimeline {
  name: string;                 // project name, used as sequence/timeline name
  frameRate: Rational;
  widthPx: number; heightPx: number;
  clips: EditClip[];            // in order, back to back from record frame 0
  music?: EditMusic | null;
  /** timecode of the first frame, in frames; default 1 hour (01:00:00:00) */
  startFrames?: number;
}

function isWholeNumber(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** True for `/abs/path`, `C:\dir\file`, `C:/dir/file` and `\\server\share\file`. */
export function isAbsoluteMediaPath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function describeClip(clip: EditClip, index: number): string {
  const shot = typeof clip?.shotNumber === 'string' && clip.shotNumber !== '' ? ` (shot ${clip.shotNumber})` : '';
  return `clip ${index + 1}${shot}`;
}

/**
 * Checks the shape and values of an edit timeline before export.
 *
 * Checks: a non-empty clip list; every duration, offset and size a whole number in range; media paths absolute;
 * a video clip no longer than its source (`sourceDurationFrames`); music inside sane bounds.
 * It does not check the frame rate's timecode support: `timecodeBase` in time.ts does that.
 * @throws Error naming the first bad field, its value and what to do about it.
 */
export function assertEditTimeline(timeline: EditTimeline): void {
  if (timeline === null || typeof timeline !== 'object') {
    throw new Error('export needs an edit timeline object; got ' + String(timeline));
  }
  if (typeof timeline.name !== 'string') throw new Error('timeline.name must be a string (the project name)');
  if (!isWholeNumber(timeline.widthPx, 1) || !isWholeNumber(timeline.heightPx, 1)) {
    throw new Error(
      `timeline size must be whole positive pixels; got ${timeline.widthPx}x${timeline.heightPx}: set the project's resolution`,
    );
  }
  if (!Array.isArray(timeline.clips) || timeline.clips.length === 0) {
    throw new Error('the timeline has no shots: add at least one shot before exporting');
  }
  if (timeline.startFrames !== undefined && !isWholeNumber(timeline.startFrames, 0)) {
    throw new Error(`timeline.startFrames must be a whole number of frames >= 0; got ${timeline.startFrames}`);
  }
  timeline.clips.forEach((clip, index) => {
    const where = describeClip(clip, index);
    if (clip === null || typeof clip !== 'object') throw new Error(`${where}: not a clip object`);
    for (const key of ['shotId', 'shotNumber', 'sceneNumber', 'sceneHeading', 'action', 'notes'] as const) {
      if (typeof clip[key] !== 'string') throw new Error(`${where}: ${key} must be a string; got ${typeof clip[key]}`);
    }
    if (!Array.isArray(clip.dialogue)) throw new Error(`${where}: dialogue must be an array (empty when none)`);
    if (!isWholeNumber(clip.durationFrames, 1)) {
      throw new Error(`${where}: durationFrames must be a whole number of frames > 0; got ${clip.durationFrames}`);
    }
    const media = clip.media;
    if (media === null || typeof media !== 'object') throw new Error(`${where}: has no media; select a take first`);
    if (typeof media.path !== 'string' || !isAbsoluteMediaPath(media.path)) {
      throw new Error(`${where}: media path must be absolute; got ${JSON.stringify(media.path)}`);
    }
    if (media.kind !== 'image' && media.kind !== 'video') {
      throw new Error(`${where}: media kind must be 'image' or 'video'; got ${JSON.stringify(media.kind)}`);
    }
    if (!isWholeNumber(media.widthPx, 1) || !isWholeNumber(media.heightPx, 1)) {
      throw new Error(`${where}: media size must be whole positive pixels; got ${media.widthPx}x${media.heightPx}`);
    }
    if (media.kind === 'video' && media.sourceDurationFrames !== undefined) {
      if (!isWholeNumber(media.sourceDurationFrames, 1)) {
        throw new Error(`${where}: sourceDurationFrames must be a whole number > 0; got ${media.sourceDurationFrames}`);
      }
      if (clip.durationFrames > media.sourceDurationFrames) {
        throw new Error(
          `${where}: durationFrames ${clip.durationFrames} is longer than its video (${media.sourceDurationFrames} frames); ` +
            'shorten the shot or select a longer take',
        );
      }
    }
  });
  const music = timeline.music;
  if (music !== undefined && music !== null) {
    if (typeof music.path !== 'string' || !isAbsoluteMediaPath(music.path)) {
      throw new Error(`music path must be absolute; got ${JSON.stringify(music.path)}`);
    }
    if (!isWholeNumber(music.offsetFrames, 0)) {
      throw new Error(`music.offsetFrames must be a whole number of frames >= 0; got ${music.offsetFrames}`);
    }
    if (!isWholeNumber(music.durationFrames, 1)) {
      throw new Error(`music.durationFrames must be a whole number of frames > 0; got ${music.durationFrames}`);
    }
    if (music.sampleRateHz !== undefined && !isWholeNumber(music.sampleRateHz, 8000)) {
      throw new Error(`music.sampleRateHz must be a whole number of hertz >= 8000; got ${music.sampleRateHz}`);
    }
    if (music.channels !== undefined && (!isWholeNumber(music.channels, 1) || music.channels > 32)) {
      throw new Error(`music.channels must be a whole number from 1 to 32; got ${music.channels}`);
    }
    const shotsEnd = shotsDurationFrames(timeline);
    if (music.offsetFrames >= shotsEnd) {
      throw new Error(
        `music starts at frame ${music.offsetFrames}, at or after the last shot ends (frame ${shotsEnd}); ` +
          'move the music to start during the shots',
      );
    }
  }
}

/** Total length of the timeline's shots in frames (the music may end later; see `timelineEndFrames`). */
export function shotsDurationFrames(timeline: EditTimeline): number {
  let total = 0;
  for (const clip of timeline.clips) total += clip.durationFrames;
  return total;
}

/** The last frame (exclusive) that anything on the timeline covers: the shots or the music, whichever ends later. */
export function timelineEndFrames(timeline: EditTimeline): number {
  const shots = shotsDurationFrames(timeline);
  const music = timeline.music ? timeline.music.offsetFrames + timeline.music.durationFrames : 0;
  return Math.max(shots, music);
}
