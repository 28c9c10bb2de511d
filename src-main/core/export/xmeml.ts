/**
 * Final Cut Pro 7 XML ("xmeml", version 5) for Adobe Premiere Pro and DaVinci Resolve.
 *
 * Follows Apple's "Final Cut Pro XML Interchange Format" (developer.apple.com/library/archive/documentation/
 * AppleApplications/Reference/FinalCutPro_XML): Elements Catalog (sequence, media, track, clipitem, file, marker,
 * timecode, samplecharacteristics, stillframe), "The id Attribute" (a `<file id>` is written in full once and then
 * referenced as `<file id="file-1"/>`), "Timing Values" (`start`/`end` place a clipitem in the sequence, `in`/`out`
 * pick the media, all in frames of the `<rate>`), and Appendix B: Frame Rates (24000/1001 is timebase 24, ntsc TRUE).
 *
 * Shape written:
 * ```
 * xmeml version="5" > sequence id="sequence-1"
 *   name, duration, rate, timecode (rate, string, frame, displayformat), in/out -1
 *   media > video > format > samplecharacteristics (rate, width, height, anamorphic FALSE, pixelaspectratio square,
 *                                                   fielddominance none)   -- Resolve reads the sequence size here
 *                 > track > clipitem* (name = shot number, duration = the file's, start/end, in/out,
 *                                      stillframe TRUE for stills, file, sourcetrack, logginginfo)
 *         > audio > format, track > clipitem (the music)
 *   marker* (name = shot number, comment = notes, in = the shot's first frame, out = -1: a point marker)
 * ```
 * Stills carry `<stillframe>TRUE</stillframe>` on the clipitem and in the file's `media > video`, and the file
 * declares as its duration the longest shot that uses it. Paths are `file://localhost/...` URLs, percent-encoded.
 */
import type { EditTimeline } from './EditTimeline.ts';
import { fileUrlFromPath, mediaFileName } from './fileUrl.ts';
import { layOutTimeline } from './layout.ts';
import type { ExportTimingOptions, MediaFile, TimelineLayout } from './layout.ts';
import { formatTimecode, xmemlRate } from './time.ts';
import { escapeXmlText } from './xmlEscape.ts';

/** xmeml export options. */
export type XmemlOptions = ExportTimingOptions;

function el(indent: string, name: string, value: string | number): string {
  return `${indent}<${name}>${typeof value === 'number' ? value : escapeXmlText(value)}</${name}>`;
}

// Tab indentation, as Final Cut Pro 7 writes it (and a third of the bytes of four spaces on large timelines).
const PADS = Array.from({ length: 16 }, (_, level) => '\t'.repeat(level));
const pad = (level: number): string => PADS[level] ?? '\t'.repeat(level);

/** Text blocks that repeat on every clip, built once per export (the rate block alone appears 4 times a clip). */
class Blocks {
  private readonly rates = new Map<number, string>();
  private readonly samples = new Map<string, string>();
  private readonly timebase: number;
  private readonly ntsc: string;

  constructor(layout: TimelineLayout) {
    const { timebase, ntsc } = xmemlRate(layout.rate);
    this.timebase = timebase;
    this.ntsc = ntsc ? 'TRUE' : 'FALSE';
  }

  /** `<rate>` at nesting `level`, as lines joined by newlines. */
  rate(level: number): string {
    let block = this.rates.get(level);
    if (block === undefined) {
      const i = pad(level);
      block = [`${i}<rate>`, el(`${i}\t`, 'timebase', this.timebase), el(`${i}\t`, 'ntsc', this.ntsc), `${i}</rate>`].join('\n');
      this.rates.set(level, block);
    }
    return block;
  }

  /** `<samplecharacteristics>` of a picture size at nesting `level`. */
  sampleCharacteristics(level: number, widthPx: number, heightPx: number): string {
    const key = `${level}:${widthPx}x${heightPx}`;
    let block = this.samples.get(key);
    if (block === undefined) {
      const i = pad(level);
      const i2 = pad(level + 1);
      block = [
        `${i}<samplecharacteristics>`,
        this.rate(level + 1),
        el(i2, 'width', widthPx),
        el(i2, 'height', heightPx),
        el(i2, 'anamorphic', 'FALSE'),
        el(i2, 'pixelaspectratio', 'square'),
        el(i2, 'fielddominance', 'none'),
        `${i}</samplecharacteristics>`,
      ].join('\n');
      this.samples.set(key, block);
    }
    return block;
  }
}

function videoFile(level: number, id: string, file: MediaFile, blocks: Blocks): string {
  const [i, i2, i3, i4] = [pad(level), pad(level + 1), pad(level + 2), pad(level + 3)];
  return [
    `${i}<file id="${id}">`,
    el(i2, 'name', file.fileName),
    el(i2, 'pathurl', fileUrlFromPath(file.path, 'localhost')),
    blocks.rate(level + 1),
    el(i2, 'duration', file.durationFrames),
    `${i2}<media>`,
    `${i3}<video>`,
    el(i4, 'duration', file.durationFrames),
    ...(file.kind === 'image' ? [el(i4, 'stillframe', 'TRUE')] : []),
    blocks.sampleCharacteristics(level + 3, file.widthPx, file.heightPx),
    `${i3}</video>`,
    `${i2}</media>`,
    `${i}</file>`,
  ].join('\n');
}

/**
 * Writes a timeline as xmeml (FCP7 XML, version 5) text for Premiere Pro and Resolve.
 * @param timeline the edit model; checked by `assertEditTimeline`.
 * @param options dropFrame (default on at 30000/1001 and 60000/1001): the sequence timecode's display format.
 * @returns the document (UTF-8, XML declaration, `<!DOCTYPE xmeml>`); all times in frames of the sequence rate.
 * @throws Error for a bad timeline or a rate without timecode (see time.ts).
 */
export function exportXmeml(timeline: EditTimeline, options: XmemlOptions = {}): string {
  const layout = layOutTimeline(timeline, options);
  const name = timeline.name.trim() === '' ? 'Untitled' : timeline.name;
  const fileIds = new Map<MediaFile, string>();
  const i = pad;
  const blocks = new Blocks(layout);

  const videoClips: string[] = [];
  for (const item of layout.clips) {
    const { clip, media } = item;
    const isStill = media.kind === 'image';
    let fileBlock: string;
    const known = fileIds.get(media);
    if (known) {
      fileBlock = `${i(6)}<file id="${known}"/>`;
    } else {
      const id = `file-${fileIds.size + 1}`;
      fileIds.set(media, id);
      fileBlock = videoFile(6, id, media, blocks);
    }
    const [i5, i6, i7] = [i(5), i(6), i(7)];
    // One string per clip keeps a 10,000-shot export to a few thousand allocations.
    videoClips.push(
      `${i5}<clipitem id="clipitem-${item.index + 1}">
${i6}<name>${escapeXmlText(clip.shotNumber)}</name>
${i6}<enabled>TRUE</enabled>
${i6}<duration>${media.durationFrames}</duration>
${blocks.rate(6)}
${i6}<start>${item.recordInFrames}</start>
${i6}<end>${item.recordOutFrames}</end>
${i6}<in>0</in>
${i6}<out>${clip.durationFrames}</out>
${isStill ? `${i6}<stillframe>TRUE</stillframe>\n` : ''}${i6}<pixelaspectratio>square</pixelaspectratio>
${i6}<anamorphic>FALSE</anamorphic>
${fileBlock}
${i6}<sourcetrack>
${i7}<mediatype>video</mediatype>
${i7}<trackindex>1</trackindex>
${i6}</sourcetrack>
${i6}<logginginfo>
${i7}<description>${escapeXmlText(clip.action)}</description>
${i7}<scene>${escapeXmlText(clip.sceneNumber)}</scene>
${i7}<shottake>${escapeXmlText(clip.shotNumber)}</shottake>
${i7}<lognote>${escapeXmlText(clip.notes)}</lognote>
${i6}</logginginfo>
${i5}</clipitem>`,
    );
  }

  const audio: string[] = [];
  const music = layout.music;
  if (music) {
    const sampleRateHz = music.sampleRateHz ?? 48000;
    const channels = music.channels ?? 2;
    audio.push(
      `${i(3)}<audio>`,
      el(i(4), 'numOutputChannels', 2),
      `${i(4)}<format>`,
      `${i(5)}<samplecharacteristics>`,
      el(i(6), 'depth', 16),
      el(i(6), 'samplerate', 48000),
      `${i(5)}</samplecharacteristics>`,
      `${i(4)}</format>`,
      `${i(4)}<track>`,
      `${i(5)}<clipitem id="clipitem-music">`,
      el(i(6), 'name', mediaFileName(music.path)),
      el(i(6), 'enabled', 'TRUE'),
      el(i(6), 'duration', music.durationFrames),
      blocks.rate(6),
      el(i(6), 'start', music.offsetFrames),
      el(i(6), 'end', music.offsetFrames + music.durationFrames),
      el(i(6), 'in', 0),
      el(i(6), 'out', music.durationFrames),
      `${i(6)}<file id="file-music">`,
      el(i(7), 'name', mediaFileName(music.path)),
      el(i(7), 'pathurl', fileUrlFromPath(music.path, 'localhost')),
      blocks.rate(7),
      el(i(7), 'duration', music.durationFrames),
      `${i(7)}<media>`,
      `${i(8)}<audio>`,
      `${i(9)}<samplecharacteristics>`,
      el(i(10), 'depth', 16),
      el(i(10), 'samplerate', sampleRateHz),
      `${i(9)}</samplecharacteristics>`,
      el(i(9), 'channelcount', channels),
      `${i(8)}</audio>`,
      `${i(7)}</media>`,
      `${i(6)}</file>`,
      `${i(6)}<sourcetrack>`,
      el(i(7), 'mediatype', 'audio'),
      el(i(7), 'trackindex', 1),
      `${i(6)}</sourcetrack>`,
      `${i(5)}</clipitem>`,
      el(i(5), 'enabled', 'TRUE'),
      el(i(5), 'locked', 'FALSE'),
      `${i(4)}</track>`,
      `${i(3)}</audio>`,
    );
  }

  const markers: string[] = [];
  for (const item of layout.clips) {
    markers.push(
      `${i(2)}<marker>`,
      el(i(3), 'name', item.clip.shotNumber),
      el(i(3), 'comment', item.clip.notes),
      el(i(3), 'in', item.recordInFrames),
      el(i(3), 'out', -1),
      `${i(2)}</marker>`,
    );
  }

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE xmeml>',
    '<xmeml version="5">',
    `${i(1)}<sequence id="sequence-1">`,
    el(i(2), 'name', name),
    el(i(2), 'duration', layout.endFrames),
    blocks.rate(2),
    `${i(2)}<timecode>`,
    blocks.rate(3),
    el(i(3), 'string', formatTimecode(layout.startFrames, layout.rate, { dropFrame: layout.dropFrame })),
    el(i(3), 'frame', layout.startFrames),
    el(i(3), 'displayformat', layout.dropFrame ? 'DF' : 'NDF'),
    `${i(2)}</timecode>`,
    el(i(2), 'in', -1),
    el(i(2), 'out', -1),
    `${i(2)}<media>`,
    `${i(3)}<video>`,
    `${i(4)}<format>`,
    blocks.sampleCharacteristics(5, timeline.widthPx, timeline.heightPx),
    `${i(4)}</format>`,
    `${i(4)}<track>`,
    ...videoClips,
    el(i(5), 'enabled', 'TRUE'),
    el(i(5), 'locked', 'FALSE'),
    `${i(4)}</track>`,
    `${i(3)}</video>`,
    ...audio,
    `${i(2)}</media>`,
    ...markers,
    `${i(1)}</sequence>`,
    '</xmeml>',
    '',
  ];
  return lines.join('\n');
}
