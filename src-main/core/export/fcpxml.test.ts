import { describe, expect, it } from 'vitest';
import type { EditTimeline, Rational } from './EditTimeline.ts';
import { DEFAULT_FCPXML_VERSION, FCPXML_VERSIONS, exportFcpxml, type FcpxmlVersion } from './fcpxml.ts';
import { makeSampleTimeline, makeSyntheticTimeline } from './synthetic.ts';
import { fcpxmlDtdPath, readGolden, xmllint } from './testdata/testTools.ts';
import { framesToRationalSeconds, rationalSecondsToFrames } from './time.ts';
import { at, childrenNamed, descendants, parseXml, type XmlElement } from './xmlTree.ts';

const NTSC24: Rational = { num: 24000, den: 1001 };
const NTSC30: Rational = { num: 30000, den: 1001 };
const PAL: Rational = { num: 25, den: 1 };
const TIME_ATTRS = ['offset', 'start', 'duration', 'tcStart', 'frameDuration'];

function spineItems(doc: XmlElement): XmlElement[] {
  return at(doc, 'library', 'event', 'project', 'sequence', 'spine').children;
}

function byId(doc: XmlElement, id: string): XmlElement {
  const found = at(doc, 'resources').children.find((e) => e.attrs.id === id);
  if (!found) throw new Error(`no resource ${id}`);
  return found;
}

describe('exportFcpxml: DTD validity', () => {
  for (const version of FCPXML_VERSIONS) {
    it(`validates against FCPXMLv${version} for stills, a video and music`, () => {
      const xml = exportFcpxml(makeSampleTimeline(NTSC24), { version });
      expect(xml).toContain(`<fcpxml version="${version}">`);
      const result = xmllint(['--noout', '--dtdvalid', fcpxmlDtdPath(version)], xml);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  }

  it('validates a 300-shot drop-frame timeline at the default version', () => {
    const xml = exportFcpxml(makeSyntheticTimeline(300, NTSC30));
    const result = xmllint(['--noout', '--dtdvalid', fcpxmlDtdPath(DEFAULT_FCPXML_VERSION)], xml);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('is caught by the DTD when the document is wrong (the check can fail)', () => {
    const xml = exportFcpxml(makeSampleTimeline(NTSC24)).replace('<media-rep kind="original-media"', '<media-rep kind="bogus"');
    expect(xmllint(['--noout', '--dtdvalid', fcpxmlDtdPath('1.10')], xml).status).not.toBe(0);
  });
});

describe('exportFcpxml: times', () => {
  for (const [label, rate] of [['24000/1001', NTSC24], ['25', PAL], ['30000/1001', NTSC30]] as const) {
    it(`writes every time as a whole number of frames, back to back, at ${label}`, () => {
      const timeline = makeSyntheticTimeline(60, rate);
      const doc = parseXml(exportFcpxml(timeline));
      const all = [doc, ...descendants(doc, 'format'), ...descendants(doc, 'sequence'), ...descendants(doc, 'spine')];
      for (const element of [...all, ...descendants(doc, 'video'), ...descendants(doc, 'asset-clip'), ...descendants(doc, 'marker')]) {
        for (const name of TIME_ATTRS) {
          const value = element.attrs[name];
          if (value === undefined) continue;
          expect(value).toMatch(/^\d+(\/\d+)?s$/);
          expect(() => rationalSecondsToFrames(value, rate)).not.toThrow();
        }
      }
      const sequence = at(doc, 'library', 'event', 'project', 'sequence');
      const tcStartFrames = rationalSecondsToFrames(sequence.attrs.tcStart!, rate);
      let sum = 0;
      spineItems(doc).forEach((item, index) => {
        // Final Cut Pro's spine time starts at tcStart: offset of shot n = tcStart + durations before it.
        expect(rationalSecondsToFrames(item.attrs.offset!, rate)).toBe(tcStartFrames + sum);
        expect(item.attrs.start).toBe('0s');
        const frames = rationalSecondsToFrames(item.attrs.duration!, rate);
        expect(frames).toBe(timeline.clips[index]!.durationFrames);
        sum += frames;
      });
      expect(rationalSecondsToFrames(sequence.attrs.duration!, rate)).toBe(sum);
    });
  }

  it('starts at 01:00:00:00 by default and at startFrames when given', () => {
    const seq = (t: EditTimeline) => at(parseXml(exportFcpxml(t)), 'library', 'event', 'project', 'sequence');
    expect(seq(makeSampleTimeline(PAL)).attrs.tcStart).toBe('3600s');
    expect(seq(makeSampleTimeline(NTSC24)).attrs.tcStart).toBe('18018/5s'); // 86400 frames = 3603.6 s
    expect(seq({ ...makeSampleTimeline(PAL), startFrames: 0 }).attrs.tcStart).toBe('0s');
    expect(spineItems(parseXml(exportFcpxml({ ...makeSampleTimeline(PAL), startFrames: 0 })))[0]!.attrs.offset).toBe('0s');
  });

  it('marks drop-frame sequences DF at 30000/1001 unless asked otherwise', () => {
    const seq = (dropFrame?: boolean) =>
      at(parseXml(exportFcpxml(makeSampleTimeline(NTSC30), { dropFrame })), 'library', 'event', 'project', 'sequence');
    expect(seq().attrs.tcFormat).toBe('DF');
    expect(seq().attrs.tcStart).toBe(framesToRationalSeconds(107892, NTSC30));
    expect(seq(false).attrs.tcFormat).toBe('NDF');
    expect(seq(false).attrs.tcStart).toBe(framesToRationalSeconds(108000, NTSC30));
    expect(at(parseXml(exportFcpxml(makeSampleTimeline(PAL))), 'library', 'event', 'project', 'sequence').attrs.tcFormat).toBe('NDF');
    expect(() => exportFcpxml(makeSampleTimeline(NTSC24), { dropFrame: true })).toThrow(/drop-frame timecode exists only/);
  });
});

describe('exportFcpxml: resources and clips', () => {
  const timeline = makeSampleTimeline(NTSC24);
  const doc = parseXml(exportFcpxml(timeline));
  const items = spineItems(doc);

  it('has the sequence format with frameDuration and the project size', () => {
    const sequence = at(doc, 'library', 'event', 'project', 'sequence');
    const format = byId(doc, sequence.attrs.format!);
    expect(format.attrs).toMatchObject({ frameDuration: '1001/24000s', width: '1920', height: '1080' });
    expect(at(doc, 'library', 'event').attrs.name).toBe('Night Shift & "Friends"');
    expect(at(doc, 'library', 'event', 'project').attrs.name).toBe('Night Shift & "Friends"');
  });

  it('puts stills on the spine as <video> of a 0s asset with a rate-undefined format of the still size', () => {
    expect(items.map((i) => i.name)).toEqual(['video', 'video', 'asset-clip']);
    const still = byId(doc, items[1]!.attrs.ref!);
    expect(still.attrs).toMatchObject({ duration: '0s', hasVideo: '1', start: '0s', name: '12B café.jpg' });
    const format = byId(doc, still.attrs.format!);
    expect(format.attrs).toEqual({ id: still.attrs.format, name: 'FFVideoFormatRateUndefined', width: '2048', height: '858' });
    expect(format.attrs.frameDuration).toBeUndefined();
    expect(at(still, 'media-rep').attrs).toEqual({
      kind: 'original-media',
      src: 'file:///Users/maya/Story%20Boards/scene%2012/12B%20caf%C3%A9.jpg',
    });
    // one format per still size
    const formats = childrenNamed(at(doc, 'resources'), 'format');
    expect(formats.filter((f) => f.attrs.name === 'FFVideoFormatRateUndefined').map((f) => `${f.attrs.width}x${f.attrs.height}`))
      .toEqual(['1920x1080', '2048x858']);
  });

  it('puts videos on the spine as <asset-clip> of an asset as long as the source', () => {
    const clip = items[2]!;
    expect(clip.attrs).toMatchObject({ name: '13', start: '0s', duration: '3003/1000s' });
    const asset = byId(doc, clip.attrs.ref!);
    expect(rationalSecondsToFrames(asset.attrs.duration!, NTSC24)).toBe(96);
    expect(asset.attrs.hasVideo).toBe('1');
    expect(at(asset, 'media-rep').attrs.src).toBe('file:///Users/maya/Story%20Boards/scene%2013/13%20take%204%20(final).mp4');
  });

  it('marks each shot with its number and notes, at its first frame in local time, one frame long', () => {
    const markers = items.map((item) => childrenNamed(item, 'marker'));
    expect(markers.map((m) => m.length)).toEqual([1, 1, 1]);
    expect(markers.map((m) => m[0]!.attrs.value)).toEqual(['12A', '12B', '13']);
    expect(markers[0]![0]!.attrs).toMatchObject({ start: '0s', duration: '1001/24000s', note: 'Hold for the beat & the hum\nthen cut' });
    expect(markers[1]![0]!.attrs.note).toBeUndefined();
    expect(at(items[0]!, 'note').text).toBe('Maya opens the fridge. Light spills <out>.');
  });

  it('connects the music below the first shot with its offset in that shot\'s time', () => {
    const music = childrenNamed(items[0]!, 'asset-clip');
    expect(music).toHaveLength(1);
    expect(music[0]!.attrs).toMatchObject({ lane: '-1', offset: '1001/24000s', start: '0s', duration: '3003/500s', audioRole: 'music' });
    const asset = byId(doc, music[0]!.attrs.ref!);
    expect(asset.attrs).toMatchObject({ hasAudio: '1', audioChannels: '2', audioRate: '48000' });
    expect(asset.attrs.hasVideo).toBeUndefined();
    expect(at(asset, 'media-rep').attrs.src).toBe('file:///Users/maya/Story%20Boards/music/theme%20%E2%80%93%20v2.wav');
    // children order the DTD requires: note, anchored items, markers
    expect(items[0]!.children.map((c) => c.name)).toEqual(['note', 'asset-clip', 'marker']);
  });

  it('connects music that starts later to the shot where it starts', () => {
    const t = makeSampleTimeline(PAL);
    t.music = { path: '/m/score.wav', offsetFrames: 60, durationFrames: 50 }; // shot 2 holds frames 50 to 77
    const later = spineItems(parseXml(exportFcpxml(t)));
    expect(childrenNamed(later[0]!, 'asset-clip')).toHaveLength(0);
    expect(childrenNamed(later[1]!, 'asset-clip')[0]!.attrs.offset).toBe(framesToRationalSeconds(10, PAL));
  });

  it('declares a file used by several shots once', () => {
    const t = makeSyntheticTimeline(4, PAL);
    t.clips[2]!.media = { ...t.clips[0]!.media };
    const d = parseXml(exportFcpxml(t));
    const refs = spineItems(d).map((i) => i.attrs.ref);
    expect(refs[0]).toBe(refs[2]);
    expect(childrenNamed(at(d, 'resources'), 'asset').filter((a) => a.attrs.id === refs[0])).toHaveLength(1);
  });
});

describe('exportFcpxml: goldens and errors', () => {
  it('matches the 24000/1001 golden file', () => {
    const xml = exportFcpxml(makeSampleTimeline(NTSC24));
    expect(xml).toBe(readGolden('sample-24000-1001.fcpxml', xml));
  });

  it('matches the 25 golden file', () => {
    const xml = exportFcpxml(makeSampleTimeline(PAL));
    expect(xml).toBe(readGolden('sample-25.fcpxml', xml));
  });

  it('refuses an unknown version', () => {
    expect(() => exportFcpxml(makeSampleTimeline(PAL), { version: '1.8' as FcpxmlVersion })).toThrow(
      /FCPXML version "1.8" is not supported; use one of 1.9, 1.10, 1.11, 1.12, 1.13/,
    );
  });

  it('refuses a rate without timecode', () => {
    expect(() => exportFcpxml(makeSampleTimeline({ num: 25, den: 2 }))).toThrow(/has no SMPTE timecode/);
  });
});
