/**
 * OpenTimelineIO JSON (`.otio`) for DaVinci Resolve, Nuke Studio, RV, Premiere (via OTIO) and pipeline tools.
 *
 * Follows the schemas OpenTimelineIO 0.17 writes (AcademySoftwareFoundation/OpenTimelineIO, `src/opentimelineio/*.cpp`
 * `write_to`, `CORE_VERSION_MAP.cpp`, and `tests/sample_data/*.otio`): the same schema versions, the same key order,
 * 4-space indentation, and `RationalTime.1` `rate` / `value` written as doubles (`24.0`, `23.976023976023978` for
 * 24000/1001: OTIO keeps rates as doubles, so the rate is the double nearest num/den). `Clip.2` needs OTIO 0.15 or
 * later to read; OTIO 0.18 reads `Timeline.1` and upgrades it to its `Timeline.2` itself.
 * ```
 * Timeline.1 {metadata, name, global_start_time: RationalTime.1 (startFrames), tracks:
 *   Stack.1 {children: [
 *     Track.1 "V1" kind "Video" {children: Clip.2* }
 *       Clip.2 {metadata.storycanvas (shot number, scene, action, notes, dialogue), name = shot number,
 *               source_range: TimeRange.1 (0, durationFrames), markers: [Marker.2],
 *               media_references: {DEFAULT_MEDIA: ExternalReference.1 {target_url: file:///..., available_range}},
 *               active_media_reference_key: "DEFAULT_MEDIA"}
 *       Marker.2 {name = shot number, color YELLOW, marked_range (0, 0) in the clip's media time, comment = notes}
 *     Track.1 "A1" kind "Audio" {children: [Gap.1 (music offset, when > 0), Clip.2 (the music)]}
 * ]}}
 * ```
 */
import type { EditTimeline, Rational } from './EditTimeline.ts';
import { fileUrlFromPath, mediaFileName } from './fileUrl.ts';
import { layOutTimeline } from './layout.ts';
import type { ExportTimingOptions, MediaFile, TimelineLayout } from './layout.ts';
import { otioRate } from './time.ts';

/** OTIO export options (dropFrame only lands in metadata: OTIO times are frames, not timecode). */
export type OtioOptions = ExportTimingOptions;

/** `RationalTime.1`: `value` frames at `rate` frames a second. */
export interface OtioRationalTime { OTIO_SCHEMA: 'RationalTime.1'; rate: number; value: number }
/** `TimeRange.1`. */
export interface OtioTimeRange { OTIO_SCHEMA: 'TimeRange.1'; duration: OtioRationalTime; start_time: OtioRationalTime }
/** `Marker.2`. */
export interface OtioMarker {
  OTIO_SCHEMA: 'Marker.2';
  metadata: Record<string, unknown>;
  name: string;
  color: string;
  marked_range: OtioTimeRange;
  comment: string;
}
/** `ExternalReference.1`. */
export interface OtioExternalReference {
  OTIO_SCHEMA: 'ExternalReference.1';
  metadata: Record<string, unknown>;
  name: string;
  available_range: OtioTimeRange | null;
  available_image_bounds: null;
  target_url: string;
}
interface OtioItemFields {
  metadata: Record<string, unknown>;
  name: string;
  source_range: OtioTimeRange | null;
  effects: unknown[];
  markers: OtioMarker[];
  enabled: boolean;
}
/** `Clip.2`. */
export interface OtioClip extends OtioItemFields {
  OTIO_SCHEMA: 'Clip.2';
  media_references: Record<string, OtioExternalReference>;
  active_media_reference_key: string;
}
/** `Gap.1`. */
export interface OtioGap extends OtioItemFields { OTIO_SCHEMA: 'Gap.1' }
/** `Track.1`. */
export interface OtioTrack extends OtioItemFields { OTIO_SCHEMA: 'Track.1'; children: (OtioClip | OtioGap)[]; kind: 'Video' | 'Audio' }
/** `Stack.1`. */
export interface OtioStack extends OtioItemFields { OTIO_SCHEMA: 'Stack.1'; children: OtioTrack[] }
/** `Timeline.1`, the document root. */
export interface OtioTimeline {
  OTIO_SCHEMA: 'Timeline.1';
  metadata: Record<string, unknown>;
  name: string;
  global_start_time: OtioRationalTime | null;
  tracks: OtioStack;
}

/** The marker color this exporter gives every shot marker. */
export const OTIO_MARKER_COLOR = 'YELLOW';

function rt(value: number, rate: number): OtioRationalTime {
  return { OTIO_SCHEMA: 'RationalTime.1', rate, value };
}

function range(start: number, duration: number, rate: number): OtioTimeRange {
  return { OTIO_SCHEMA: 'TimeRange.1', duration: rt(duration, rate), start_time: rt(start, rate) };
}

function externalReference(path: string, availableFrames: number, rate: number): OtioExternalReference {
  return {
    OTIO_SCHEMA: 'ExternalReference.1',
    metadata: {},
    name: mediaFileName(path),
    available_range: range(0, availableFrames, rate),
    available_image_bounds: null,
    target_url: fileUrlFromPath(path),
  };
}

/**
 * Builds the OTIO object tree for a timeline (what `exportOtio` serializes).
 * @throws Error for a bad timeline or a rate without timecode (see time.ts).
 */
export function buildOtioTimeline(timeline: EditTimeline, options: OtioOptions = {}): OtioTimeline {
  const layout: TimelineLayout = layOutTimeline(timeline, options);
  const rate = otioRate(layout.rate);
  const frameRate: Rational = layout.rate;
  const references = new Map<MediaFile, OtioExternalReference>();

  const videoClips: OtioClip[] = layout.clips.map(({ clip, media }) => {
    let reference = references.get(media);
    if (!reference) {
      reference = externalReference(media.path, media.durationFrames, rate);
      references.set(media, reference);
    }
    return {
      OTIO_SCHEMA: 'Clip.2',
      metadata: {
        storycanvas: {
          shot_id: clip.shotId,
          shot_number: clip.shotNumber,
          scene_number: clip.sceneNumber,
          scene_heading: clip.sceneHeading,
          action: clip.action,
          notes: clip.notes,
          dialogue: clip.dialogue.map((line) => ({
            character: line.character,
            ...(line.parenthetical !== undefined ? { parenthetical: line.parenthetical } : {}),
            text: line.text,
          })),
          media_kind: media.kind,
          media_width_px: media.widthPx,
          media_height_px: media.heightPx,
        },
      },
      name: clip.shotNumber,
      source_range: range(0, clip.durationFrames, rate),
      effects: [],
      markers: [
        {
          OTIO_SCHEMA: 'Marker.2',
          metadata: {},
          name: clip.shotNumber,
          color: OTIO_MARKER_COLOR,
          marked_range: range(0, 0, rate),
          comment: clip.notes,
        },
      ],
      enabled: true,
      media_references: { DEFAULT_MEDIA: reference },
      active_media_reference_key: 'DEFAULT_MEDIA',
    };
  });

  const tracks: OtioTrack[] = [
    {
      OTIO_SCHEMA: 'Track.1',
      metadata: {},
      name: 'V1',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: videoClips,
      kind: 'Video',
    },
  ];

  const music = layout.music;
  if (music) {
    const children: (OtioClip | OtioGap)[] = [];
    if (music.offsetFrames > 0) {
      children.push({
        OTIO_SCHEMA: 'Gap.1',
        metadata: {},
        name: '',
        source_range: range(0, music.offsetFrames, rate),
        effects: [],
        markers: [],
        enabled: true,
      });
    }
    children.push({
      OTIO_SCHEMA: 'Clip.2',
      metadata: {
        storycanvas: { role: 'music', sample_rate_hz: music.sampleRateHz ?? 48000, channels: music.channels ?? 2 },
      },
      name: mediaFileName(music.path),
      source_range: range(0, music.durationFrames, rate),
      effects: [],
      markers: [],
      enabled: true,
      media_references: { DEFAULT_MEDIA: externalReference(music.path, music.durationFrames, rate) },
      active_media_reference_key: 'DEFAULT_MEDIA',
    });
    tracks.push({
      OTIO_SCHEMA: 'Track.1',
      metadata: {},
      name: 'A1',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children,
      kind: 'Audio',
    });
  }

  return {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: {
      storycanvas: {
        frame_rate: { num: frameRate.num, den: frameRate.den },
        width_px: timeline.widthPx,
        height_px: timeline.heightPx,
        drop_frame: layout.dropFrame,
      },
    },
    name: timeline.name.trim() === '' ? 'Untitled' : timeline.name,
    global_start_time: rt(layout.startFrames, rate),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: tracks,
    },
  };
}

// `"rate": 24` / `"value": 48` (an integer, an optional comma, a line break) as JSON.stringify writes them.
// Only RationalTime.1 objects have `rate`/`value` keys in this tree (metadata uses other names); inside a JSON
// string a quote is escaped and a line break is `\n`, so no string content can match.
const INTEGER_TIME = /("(?:rate|value)": -?\d+)(,?\n)/g;

/**
 * Serializes an OTIO object tree as OTIO writes it: 4-space indentation, keys in schema order, RationalTime
 * `rate`/`value` as doubles (`48.0`), a newline at the end. The tree's numbers are finite by construction
 * (whole frames and a checked rate).
 */
export function serializeOtio(root: OtioTimeline): string {
  return `${JSON.stringify(root, null, 4).replace(INTEGER_TIME, '$1.0$2')}\n`;
}

/**
 * Writes a timeline as OpenTimelineIO JSON text (`.otio`).
 * @param timeline the edit model; checked by `assertEditTimeline`.
 * @param options dropFrame (default on at 30000/1001 and 60000/1001; recorded in the timeline's metadata).
 * @throws Error for a bad timeline or a rate without timecode (see time.ts).
 */
export function exportOtio(timeline: EditTimeline, options: OtioOptions = {}): string {
  return serializeOtio(buildOtioTimeline(timeline, options));
}
