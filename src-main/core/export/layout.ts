/**
 * The timing every exporter shares: frame rate, drop-frame choice, start timecode, each shot's record in/out,
 * and the list of distinct media files with the duration each must declare.
 */
import { assertEditTimeline, shotsDurationFrames, timelineEndFrames } from './EditTimeline.ts';
import type { EditClip, EditMusic, EditTimeline, Rational } from './EditTimeline.ts';
import { mediaFileName } from './fileUrl.ts';
import { defaultStartFrames, formatTimecode, normalizeFrameRate, resolveDropFrame, timecodeBase } from './time.ts';

/** Timing options every format accepts. */
export interface ExportTimingOptions {
  /**
   * Drop-frame timecode. Default: on at 30000/1001 and 60000/1001, off elsewhere.
   * Asking for it at another rate throws.
   */
  dropFrame?: boolean;
}

/** A shot placed on the record side. */
export interface LaidOutClip {
  clip: EditClip;
  /** 0-based position in `timeline.clips` */
  index: number;
  /** first frame on the timeline, counted from record frame 0 (not including startFrames) */
  recordInFrames: number;
  /** frame after the last, from record frame 0 */
  recordOutFrames: number;
  media: MediaFile;
}

/** One distinct media file (by path and kind), declared once by formats that reference files by id. */
export interface MediaFile {
  path: string;
  fileName: string;
  kind: 'image' | 'video';
  widthPx: number;
  heightPx: number;
  /**
   * Frames the file declares: a video's `sourceDurationFrames` when known, else (and for stills) the longest
   * shot that uses it, so every use fits inside the file.
   */
  durationFrames: number;
  /** 0-based index of the first shot that uses it */
  firstUse: number;
}

/** The timeline with its timing worked out; built by `layOutTimeline`. */
export interface TimelineLayout {
  timeline: EditTimeline;
  /** the frame rate reduced by its gcd */
  rate: Rational;
  /** nominal whole frame rate timecode counts in (24 for 24000/1001) */
  timecodeBase: number;
  dropFrame: boolean;
  /** timecode of record frame 0, in frames */
  startFrames: number;
  clips: LaidOutClip[];
  /** distinct media in order of first use */
  media: MediaFile[];
  music: EditMusic | null;
  /** total frames of the shots */
  shotsFrames: number;
  /** last frame (exclusive) covered by shots or music */
  endFrames: number;
}

/**
 * Checks the timeline and works out its timing.
 * @throws Error from `assertEditTimeline`, from the rate checks in time.ts (no timecode, drop-frame where none
 *   exists), or when the timeline would run past 24 hours of timecode.
 */
export function layOutTimeline(timeline: EditTimeline, options: ExportTimingOptions = {}): TimelineLayout {
  assertEditTimeline(timeline);
  const rate = normalizeFrameRate(timeline.frameRate);
  const base = timecodeBase(rate);
  const dropFrame = resolveDropFrame(rate, options.dropFrame);
  const startFrames = timeline.startFrames ?? defaultStartFrames(rate, dropFrame);

  const mediaByKey = new Map<string, MediaFile>();
  const media: MediaFile[] = [];
  const clips: LaidOutClip[] = [];
  let record = 0;
  timeline.clips.forEach((clip, index) => {
    const key = `${clip.media.kind}\u0000${clip.media.path}`;
    let file = mediaByKey.get(key);
    if (!file) {
      file = {
        path: clip.media.path,
        fileName: mediaFileName(clip.media.path),
        kind: clip.media.kind,
        widthPx: clip.media.widthPx,
        heightPx: clip.media.heightPx,
        durationFrames: clip.media.kind === 'video' && clip.media.sourceDurationFrames ? clip.media.sourceDurationFrames : 0,
        firstUse: index,
      };
      mediaByKey.set(key, file);
      media.push(file);
    }
    if (file.durationFrames < clip.durationFrames) file.durationFrames = clip.durationFrames;
    clips.push({ clip, index, recordInFrames: record, recordOutFrames: record + clip.durationFrames, media: file });
    record += clip.durationFrames;
  });

  const endFrames = timelineEndFrames(timeline);
  // Fails early, with the timecode module's message, when the last frame is past 24 hours.
  formatTimecode(startFrames + endFrames, rate, { dropFrame });
  return {
    timeline,
    rate,
    timecodeBase: base,
    dropFrame,
    startFrames,
    clips,
    media,
    music: timeline.music ?? null,
    shotsFrames: shotsDurationFrames(timeline),
    endFrames,
  };
}

/** The shot whose record range holds `frame` (the last shot when `frame` is past the end). */
export function clipAtFrame(layout: TimelineLayout, frame: number): LaidOutClip {
  let lo = 0;
  let hi = layout.clips.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.clips[mid]!.recordInFrames <= frame) lo = mid;
    else hi = mid - 1;
  }
  return layout.clips[lo]!;
}
