/**
 * FCPXML for Final Cut Pro (and DaVinci Resolve, Premiere Pro importers of FCPXML), versions 1.9 to 1.13.
 *
 * Follows Apple's "FCPXML Reference" (developer.apple.com/documentation/professional-video-applications/fcpxml-reference)
 * and its DTDs FCPXMLv1_9.dtd ... FCPXMLv1_13.dtd (copies in testdata/fcpxml-dtd; every version's output is validated
 * against its DTD in the tests). The elements used here have the same content models in all five versions.
 *
 * Shape written:
 * ```
 * fcpxml > resources > format (sequence: frameDuration + size; stills: FFVideoFormatRateUndefined, no frameDuration)
 *                      asset (stills: duration="0s" hasVideo="1"; videos: the source duration; music: hasAudio="1")
 *                        > media-rep kind="original-media" src="file:///..."   (percent-encoded, RFC 8089)
 *        library > event > project > sequence (format, duration, tcStart, tcFormat DF|NDF) > spine
 *          video (a still) | asset-clip (a video)   offset/start/duration, name = shot number
 *            > note (the shot's action)
 *            > asset-clip lane="-1" (the music, connected to the shot where it starts; offset in that shot's time)
 *            > marker start="<local time>" duration="<one frame>" value="12A" note="<shot notes>"
 * ```
 * Times are rational seconds (`time.ts`), always whole frames. As Final Cut Pro itself writes, the spine's time
 * starts at the sequence's `tcStart`: the first shot's `offset` equals `tcStart` (e.g. 3600s for 01:00:00:00 at 25),
 * and shot n's offset is tcStart + the durations before it. Each spine item's local time starts at its `start`
 * (0s), so a marker at a shot's first frame has `start="0s"`.
 */
import type { EditTimeline } from './EditTimeline.ts';
import { fileUrlFromPath, mediaFileName } from './fileUrl.ts';
import { clipAtFrame, layOutTimeline } from './layout.ts';
import type { ExportTimingOptions, LaidOutClip, MediaFile, TimelineLayout } from './layout.ts';
import { framesToRationalSeconds } from './time.ts';
import { escapeXmlAttr, escapeXmlText } from './xmlEscape.ts';

/** FCPXML versions this exporter writes. */
export type FcpxmlVersion = '1.9' | '1.10' | '1.11' | '1.12' | '1.13';

/** All supported versions, oldest first. */
export const FCPXML_VERSIONS: readonly FcpxmlVersion[] = ['1.9', '1.10', '1.11', '1.12', '1.13'];

/** The version written when none is asked: 1.10 (Final Cut Pro 10.6 and later; DaVinci Resolve 17 and later). */
export const DEFAULT_FCPXML_VERSION: FcpxmlVersion = '1.10';

/** FCPXML export options. */
export interface FcpxmlOptions extends ExportTimingOptions {
  /** default `DEFAULT_FCPXML_VERSION` */
  version?: FcpxmlVersion;
}

// The sequence's audioRate attribute is an enumeration in the DTD (%audioHz;).
const AUDIO_HZ: Record<number, string> = {
  32000: '32k', 44100: '44.1k', 48000: '48k', 88200: '88.2k', 96000: '96k', 176400: '176.4k', 192000: '192k',
};

/** Assigns `r1`, `r2`, ... ids and remembers the resource lines. */
class Resources {
  private next = 1;
  readonly formatLines: string[] = [];
  readonly assetLines: string[] = [];
  private readonly formatIds = new Map<string, string>();
  readonly assetIds = new Map<MediaFile, string>();
  readonly assetFormatIds = new Map<MediaFile, string>();

  id(): string {
    return `r${this.next++}`;
  }

  format(key: string, attrs: string): string {
    const existing = this.formatIds.get(key);
    if (existing) return existing;
    const id = this.id();
    this.formatIds.set(key, id);
    this.formatLines.push(`        <format id="${id}"${attrs}/>`);
    return id;
  }
}

function seconds(frames: number, layout: TimelineLayout): string {
  return framesToRationalSeconds(frames, layout.rate);
}

function mediaRep(path: string): string {
  return `            <media-rep kind="original-media" src="${escapeXmlAttr(fileUrlFromPath(path))}"/>`;
}

function clipChildren(item: LaidOutClip, layout: TimelineLayout, musicLine: string | null): string[] {
  const lines: string[] = [];
  const { clip } = item;
  if (clip.action.trim() !== '') lines.push(`                            <note>${escapeXmlText(clip.action)}</note>`);
  if (musicLine) lines.push(musicLine);
  const note = clip.notes.trim() !== '' ? ` note="${escapeXmlAttr(clip.notes)}"` : '';
  // Local time: the item's start is 0s, so its first frame is at 0s.
  lines.push(
    `                            <marker start="0s" duration="${seconds(1, layout)}" value="${escapeXmlAttr(clip.shotNumber)}"${note}/>`,
  );
  return lines;
}

/**
 * Writes a timeline as FCPXML text (UTF-8, with an XML declaration and `<!DOCTYPE fcpxml>`).
 * @param timeline the edit model; checked by `assertEditTimeline`.
 * @param options version (1.9 to 1.13, default 1.10) and dropFrame (default on at 30000/1001 and 60000/1001).
 * @returns the document; every time attribute is a whole number of frames.
 * @throws Error for an unknown version, a bad timeline, or a rate without timecode (see time.ts).
 */
export function exportFcpxml(timeline: EditTimeline, options: FcpxmlOptions = {}): string {
  const version = options.version ?? DEFAULT_FCPXML_VERSION;
  if (!FCPXML_VERSIONS.includes(version)) {
    throw new Error(`FCPXML version ${JSON.stringify(version)} is not supported; use one of ${FCPXML_VERSIONS.join(', ')}`);
  }
  const layout = layOutTimeline(timeline, options);
  const frameDuration = seconds(1, layout);
  const res = new Resources();

  const sequenceFormat = res.format(
    `video:${timeline.widthPx}x${timeline.heightPx}`,
    ` frameDuration="${frameDuration}" width="${timeline.widthPx}" height="${timeline.heightPx}"`,
  );

  for (const file of layout.media) {
    const formatId =
      file.kind === 'image'
        ? res.format(
            `image:${file.widthPx}x${file.heightPx}`,
            ` name="FFVideoFormatRateUndefined" width="${file.widthPx}" height="${file.heightPx}"`,
          )
        : res.format(
            `video:${file.widthPx}x${file.heightPx}`,
            ` frameDuration="${frameDuration}" width="${file.widthPx}" height="${file.heightPx}"`,
          );
    res.assetFormatIds.set(file, formatId);
  }
  for (const file of layout.media) {
    const id = res.id();
    res.assetIds.set(file, id);
    const duration = file.kind === 'image' ? '0s' : seconds(file.durationFrames, layout);
    res.assetLines.push(
      `        <asset id="${id}" name="${escapeXmlAttr(file.fileName)}" start="0s" duration="${duration}" hasVideo="1" ` +
        `format="${res.assetFormatIds.get(file)}" videoSources="1">`,
      mediaRep(file.path),
      '        </asset>',
    );
  }

  let musicLine: string | null = null;
  let musicHost: LaidOutClip | null = null;
  const music = layout.music;
  let audioRate = '48k';
  if (music) {
    const id = res.id();
    const name = mediaFileName(music.path);
    const sampleRateHz = music.sampleRateHz ?? 48000;
    const channels = music.channels ?? 2;
    audioRate = AUDIO_HZ[sampleRateHz] ?? '48k';
    res.assetLines.push(
      `        <asset id="${id}" name="${escapeXmlAttr(name)}" start="0s" duration="${seconds(music.durationFrames, layout)}" ` +
        `hasAudio="1" audioSources="1" audioChannels="${channels}" audioRate="${sampleRateHz}">`,
      mediaRep(music.path),
      '        </asset>',
    );
    // Connected to the shot where the music starts; its offset is in that shot's local time (start 0s).
    musicHost = clipAtFrame(layout, music.offsetFrames);
    musicLine =
      `                            <asset-clip ref="${id}" lane="-1" offset="${seconds(music.offsetFrames - musicHost.recordInFrames, layout)}" ` +
      `name="${escapeXmlAttr(name)}" start="0s" duration="${seconds(music.durationFrames, layout)}" audioRole="music"/>`;
  }

  const spine: string[] = [];
  for (const item of layout.clips) {
    const { clip, media } = item;
    const ref = res.assetIds.get(media)!;
    const offset = seconds(layout.startFrames + item.recordInFrames, layout);
    const duration = seconds(clip.durationFrames, layout);
    const children = clipChildren(item, layout, item === musicHost ? musicLine : null);
    const formatId = res.assetFormatIds.get(media)!;
    const open =
      media.kind === 'image'
        ? `                        <video ref="${ref}" offset="${offset}" name="${escapeXmlAttr(clip.shotNumber)}" start="0s" duration="${duration}">`
        : `                        <asset-clip ref="${ref}" offset="${offset}" name="${escapeXmlAttr(clip.shotNumber)}" start="0s" ` +
          `duration="${duration}"${formatId !== sequenceFormat ? ` format="${formatId}"` : ''}>`;
    spine.push(open, ...children, media.kind === 'image' ? '                        </video>' : '                        </asset-clip>');
  }

  const name = escapeXmlAttr(timeline.name.trim() === '' ? 'Untitled' : timeline.name);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE fcpxml>',
    '',
    `<fcpxml version="${version}">`,
    '    <resources>',
    ...res.formatLines,
    ...res.assetLines,
    '    </resources>',
    '    <library>',
    `        <event name="${name}">`,
    `            <project name="${name}">`,
    `                <sequence format="${sequenceFormat}" duration="${seconds(layout.shotsFrames, layout)}" ` +
      `tcStart="${seconds(layout.startFrames, layout)}" tcFormat="${layout.dropFrame ? 'DF' : 'NDF'}" ` +
      `audioLayout="stereo" audioRate="${audioRate}">`,
    '                    <spine>',
    ...spine,
    '                    </spine>',
    '                </sequence>',
    '            </project>',
    '        </event>',
    '    </library>',
    '</fcpxml>',
    '',
  ];
  return lines.join('\n');
}
