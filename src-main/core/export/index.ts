/**
 * The editorial exporters: one entry point from an edit timeline to the text of an FCPXML, xmeml (Premiere Pro /
 * FCP7 XML), CMX 3600 EDL or OpenTimelineIO file. Pure functions: nothing here reads or writes the disk; the caller
 * writes the text (to a temp name in the target folder, then a rename).
 *
 * ```ts
 * const text = exportTimeline(timeline, 'fcpxml', { fcpxmlVersion: '1.11' });
 * const name = `${base}${EXPORT_FILE_EXTENSIONS.fcpxml}`;
 * ```
 */
import type { EditTimeline } from './EditTimeline.ts';
import { exportEdl } from './edl.ts';
import { exportFcpxml, type FcpxmlVersion } from './fcpxml.ts';
import { exportOtio } from './otio.ts';
import { exportXmeml } from './xmeml.ts';

export type { EditClip, EditMedia, EditMusic, EditTimeline, Rational } from './EditTimeline.ts';
export { assertEditTimeline } from './EditTimeline.ts';
export { DEFAULT_FCPXML_VERSION, FCPXML_VERSIONS, exportFcpxml, type FcpxmlVersion } from './fcpxml.ts';
export { exportXmeml } from './xmeml.ts';
export { exportEdl } from './edl.ts';
export { exportOtio } from './otio.ts';
export { makeSyntheticTimeline } from './synthetic.ts';

/** The formats `exportTimeline` writes. */
export type ExportFormat = 'fcpxml' | 'xmeml' | 'edl' | 'otio';

/** All formats, in menu order. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['fcpxml', 'xmeml', 'edl', 'otio'];

/** The file name extension each format is saved with (xmeml is `.xml`, as Premiere Pro and Resolve expect). */
export const EXPORT_FILE_EXTENSIONS: Readonly<Record<ExportFormat, string>> = {
  fcpxml: '.fcpxml',
  xmeml: '.xml',
  edl: '.edl',
  otio: '.otio',
};

/** Options for `exportTimeline`; each format reads the ones that concern it. */
export interface ExportOptions {
  /** FCPXML only: '1.9' to '1.13'; default '1.10' */
  fcpxmlVersion?: FcpxmlVersion;
  /**
   * Drop-frame timecode (all formats). Default: on at 30000/1001 and 60000/1001, off elsewhere; asking for it at
   * another rate throws.
   */
  dropFrame?: boolean;
}

/**
 * Writes `timeline` in `format`.
 * @returns the file's text (UTF-8), ending with a newline.
 * @throws Error for an unknown format, a bad timeline (see `assertEditTimeline`), a frame rate without timecode,
 *   drop-frame at a rate that has none, or an unsupported FCPXML version.
 */
export function exportTimeline(timeline: EditTimeline, format: ExportFormat, opts: ExportOptions = {}): string {
  switch (format) {
    case 'fcpxml':
      return exportFcpxml(timeline, { version: opts.fcpxmlVersion, dropFrame: opts.dropFrame });
    case 'xmeml':
      return exportXmeml(timeline, { dropFrame: opts.dropFrame });
    case 'edl':
      return exportEdl(timeline, { dropFrame: opts.dropFrame });
    case 'otio':
      return exportOtio(timeline, { dropFrame: opts.dropFrame });
    default:
      throw new Error(`unknown export format ${JSON.stringify(format)}; use one of ${EXPORT_FORMATS.join(', ')}`);
  }
}
