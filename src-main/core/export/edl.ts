/**
 * CMX 3600 edit decision list (EDL) for any editor.
 *
 * Column layout follows the CMX 3600 event line as OpenTimelineIO's cmx_3600 adapter writes it
 * (AcademySoftwareFoundation/OpenTimelineIO, `opentimelineio/adapters/cmx_3600.py`, `EventLine.to_edl_format`:
 * `"{edit:03d}  {reel:8} {kind:5} C        {src_in} {src_out} {rec_in} {rec_out}"`), the form Avid Media Composer,
 * Premiere Pro and DaVinci Resolve write and read:
 * ```
 * columns  1-3   event number, 3 digits, zero-padded (001)
 *          4-5   two spaces
 *          6-13  reel name, left-aligned, padded to 8 (AX = an auxiliary source: a file, not a tape)
 *          14    space
 *          15-19 channels, padded to 5 (V video; A audio 1; AA audio 1+2)
 *          20    space
 *          21    transition (C = cut)
 *          22-29 eight spaces (where a dissolve's duration would go)
 *          30-40 source in     42-52 source out     54-64 record in     66-76 record out (one space between)
 * ```
 * Header: `TITLE: <name>` (upper-case ASCII, at most 70 characters) and `FCM: DROP FRAME` / `FCM: NON-DROP FRAME`,
 * then a blank line. After each event: `* FROM CLIP NAME: <file name>`; after each shot's event also a locator
 * `* LOC: <record timecode> YELLOW  <shot number> <notes>` (color padded to 7, as the OTIO adapter writes it).
 * The music is an audio event (channels AA for stereo, A for mono) after the video events.
 * Record timecode starts at the timeline's startFrames (01:00:00:00 by default); source timecode of every file
 * starts at 00:00:00:00. Drop-frame timecode is written with `;` before the frames.
 *
 * CMX 3600 numbers events 001 to 999; from event 1000 on, the number takes four or more digits and pushes the rest
 * of that line right by as many columns (readers that split fields on spaces, such as Premiere Pro, Resolve and
 * OTIO, read it; strict column readers need a list of at most 999 events).
 */
import type { EditTimeline } from './EditTimeline.ts';
import { mediaFileName } from './fileUrl.ts';
import { layOutTimeline } from './layout.ts';
import type { ExportTimingOptions } from './layout.ts';
import { formatTimecode } from './time.ts';

/** EDL export options. */
export type EdlOptions = ExportTimingOptions;

/** Reel name for every event: CMX's name for an auxiliary source (a file rather than a tape). */
export const EDL_REEL = 'AX';

/** The longest reel name CMX 3600 allows. */
export const EDL_REEL_MAX_CHARS = 8;

/** The longest title this exporter writes. */
export const EDL_TITLE_MAX_CHARS = 70;

/**
 * The title as CMX 3600 readers take it: ASCII letters without accents, upper case, printable characters only,
 * at most `EDL_TITLE_MAX_CHARS`; `UNTITLED` when nothing is left.
 */
export function edlTitle(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase()
    .slice(0, EDL_TITLE_MAX_CHARS)
    .trim();
  return ascii === '' ? 'UNTITLED' : ascii;
}

/** Comment text on one line: line breaks and control characters become spaces, runs of spaces one. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * One CMX 3600 event line with the exact columns described in the module comment.
 * @throws Error for a reel longer than 8 characters or channels longer than 5.
 */
export function edlEventLine(
  eventNumber: number,
  reel: string,
  channels: string,
  sourceIn: string,
  sourceOut: string,
  recordIn: string,
  recordOut: string,
): string {
  if (reel.length === 0 || reel.length > EDL_REEL_MAX_CHARS) {
    throw new Error(`EDL reel name must be 1 to ${EDL_REEL_MAX_CHARS} characters; got ${JSON.stringify(reel)}`);
  }
  if (channels.length === 0 || channels.length > 5) throw new Error(`EDL channels must be 1 to 5 characters; got ${channels}`);
  const event = String(eventNumber).padStart(3, '0');
  return `${event}  ${reel.padEnd(8)} ${channels.padEnd(5)} C        ${sourceIn} ${sourceOut} ${recordIn} ${recordOut}`;
}

/**
 * Writes a timeline as a CMX 3600 EDL (ASCII header, LF line endings, file names and notes as given).
 * @param timeline the edit model; checked by `assertEditTimeline`.
 * @param options dropFrame (default on at 30000/1001 and 60000/1001): sets `FCM:` and every timecode.
 * @returns the EDL text, ending with a newline.
 * @throws Error for a bad timeline or a rate without timecode (see time.ts).
 */
export function exportEdl(timeline: EditTimeline, options: EdlOptions = {}): string {
  const layout = layOutTimeline(timeline, options);
  const tc = (frames: number) => formatTimecode(frames, layout.rate, { dropFrame: layout.dropFrame });
  const rec = (frames: number) => tc(layout.startFrames + frames);
  const lines: string[] = [
    `TITLE: ${edlTitle(timeline.name)}`,
    `FCM: ${layout.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`,
    '',
  ];
  let event = 0;
  for (const item of layout.clips) {
    event += 1;
    const { clip } = item;
    lines.push(
      edlEventLine(event, EDL_REEL, 'V', tc(0), tc(clip.durationFrames), rec(item.recordInFrames), rec(item.recordOutFrames)),
      `* FROM CLIP NAME: ${oneLine(item.media.fileName)}`,
      `* LOC: ${rec(item.recordInFrames)} ${'YELLOW'.padEnd(7)} ${oneLine(`${clip.shotNumber} ${clip.notes}`)}`,
      '',
    );
  }
  const music = layout.music;
  if (music) {
    event += 1;
    const channels = (music.channels ?? 2) >= 2 ? 'AA' : 'A';
    lines.push(
      edlEventLine(
        event,
        EDL_REEL,
        channels,
        tc(0),
        tc(music.durationFrames),
        rec(music.offsetFrames),
        rec(music.offsetFrames + music.durationFrames),
      ),
      `* FROM CLIP NAME: ${oneLine(mediaFileName(music.path))}`,
      '',
    );
  }
  return lines.join('\n');
}

