import { describe, expect, it } from 'vitest';
import { EXPORT_FILE_EXTENSIONS, EXPORT_FORMATS, exportTimeline, type ExportFormat } from './index.ts';
import { exportEdl } from './edl.ts';
import { exportFcpxml } from './fcpxml.ts';
import { exportOtio } from './otio.ts';
import { makeSampleTimeline } from './synthetic.ts';
import { exportXmeml } from './xmeml.ts';

const NTSC30 = { num: 30000, den: 1001 };

describe('exportTimeline', () => {
  const timeline = makeSampleTimeline(NTSC30);

  it('dispatches each format to its exporter with its options', () => {
    expect(exportTimeline(timeline, 'fcpxml')).toBe(exportFcpxml(timeline));
    expect(exportTimeline(timeline, 'fcpxml', { fcpxmlVersion: '1.13' })).toContain('<fcpxml version="1.13">');
    expect(exportTimeline(timeline, 'xmeml')).toBe(exportXmeml(timeline));
    expect(exportTimeline(timeline, 'edl')).toBe(exportEdl(timeline));
    expect(exportTimeline(timeline, 'otio')).toBe(exportOtio(timeline));
    expect(exportTimeline(timeline, 'edl', { dropFrame: false })).toContain('FCM: NON-DROP FRAME');
    expect(exportTimeline(timeline, 'fcpxml', { dropFrame: false })).toContain('tcFormat="NDF"');
  });

  it('lists formats with their file extensions', () => {
    expect(EXPORT_FORMATS).toEqual(['fcpxml', 'xmeml', 'edl', 'otio']);
    expect(EXPORT_FORMATS.map((f) => EXPORT_FILE_EXTENSIONS[f])).toEqual(['.fcpxml', '.xml', '.edl', '.otio']);
  });

  it('refuses an unknown format and bad timelines', () => {
    expect(() => exportTimeline(timeline, 'aaf' as ExportFormat)).toThrow(/unknown export format "aaf"; use one of fcpxml, xmeml, edl, otio/);
    for (const format of EXPORT_FORMATS) {
      expect(() => exportTimeline({ ...timeline, clips: [] }, format)).toThrow(/no shots/);
    }
  });
});
