import { describe, expect, it } from 'vitest';
import type { Rational } from './EditTimeline.ts';
import { makeSampleTimeline, makeSyntheticTimeline } from './synthetic.ts';
import { readGolden, xmllint } from './testdata/testTools.ts';
import { at, child, childrenNamed, descendants, parseXml, type XmlElement } from './xmlTree.ts';
import { exportXmeml } from './xmeml.ts';

const NTSC24: Rational = { num: 24000, den: 1001 };
const NTSC30: Rational = { num: 30000, den: 1001 };
const PAL: Rational = { num: 25, den: 1 };

const sequenceOf = (xml: string) => child(parseXml(xml), 'sequence');
const videoTrack = (seq: XmlElement) => at(seq, 'media', 'video', 'track');
const num = (e: XmlElement, name: string) => Number(child(e, name).text);

describe('exportXmeml', () => {
  it('is well-formed XML (xmllint) for the sample and a 300-shot timeline', () => {
    for (const xml of [exportXmeml(makeSampleTimeline(NTSC24)), exportXmeml(makeSyntheticTimeline(300, NTSC30))]) {
      const result = xmllint(['--noout'], xml);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    expect(xmllint(['--noout'], '<xmeml><sequence></xmeml>').status).not.toBe(0);
  });

  it('writes an xmeml version 5 sequence with the NTSC rate pair, duration and timecode', () => {
    const doc = parseXml(exportXmeml(makeSampleTimeline(NTSC24)));
    expect(doc.name).toBe('xmeml');
    expect(doc.attrs.version).toBe('5');
    const seq = child(doc, 'sequence');
    expect(child(seq, 'name').text).toBe('Night Shift & "Friends"');
    expect(at(seq, 'rate', 'timebase').text).toBe('24');
    expect(at(seq, 'rate', 'ntsc').text).toBe('TRUE');
    expect(num(seq, 'duration')).toBe(48 + 27 + 72);
    const tc = child(seq, 'timecode');
    expect(child(tc, 'string').text).toBe('01:00:00:00');
    expect(num(tc, 'frame')).toBe(86400);
    expect(child(tc, 'displayformat').text).toBe('NDF');
    expect(at(tc, 'rate', 'timebase').text).toBe('24');
  });

  it('writes drop-frame sequence timecode at 30000/1001', () => {
    const tc = child(sequenceOf(exportXmeml(makeSampleTimeline(NTSC30))), 'timecode');
    expect(child(tc, 'string').text).toBe('01:00:00;00');
    expect(num(tc, 'frame')).toBe(107892);
    expect(child(tc, 'displayformat').text).toBe('DF');
    expect(at(tc, 'rate', 'ntsc').text).toBe('TRUE');
  });

  it('fills the sequence format samplecharacteristics that Resolve reads', () => {
    const sc = at(sequenceOf(exportXmeml(makeSampleTimeline(PAL))), 'media', 'video', 'format', 'samplecharacteristics');
    expect(at(sc, 'rate', 'timebase').text).toBe('25');
    expect(at(sc, 'rate', 'ntsc').text).toBe('FALSE');
    expect(child(sc, 'width').text).toBe('1920');
    expect(child(sc, 'height').text).toBe('1080');
    expect(child(sc, 'pixelaspectratio').text).toBe('square');
    expect(child(sc, 'anamorphic').text).toBe('FALSE');
    expect(child(sc, 'fielddominance').text).toBe('none');
  });

  it('places clipitems back to back with start/end/in/out in frames', () => {
    const timeline = makeSyntheticTimeline(40, NTSC24);
    const items = childrenNamed(videoTrack(sequenceOf(exportXmeml(timeline))), 'clipitem');
    expect(items).toHaveLength(40);
    let record = 0;
    items.forEach((item, index) => {
      const frames = timeline.clips[index]!.durationFrames;
      expect(num(item, 'start')).toBe(record);
      expect(num(item, 'end')).toBe(record + frames);
      expect(num(item, 'in')).toBe(0);
      expect(num(item, 'out')).toBe(frames);
      expect(num(item, 'duration')).toBeGreaterThanOrEqual(frames);
      expect(child(item, 'name').text).toBe(timeline.clips[index]!.shotNumber);
      record += frames;
    });
  });

  it('marks stills as still frames and declares each file once, then by id', () => {
    const timeline = makeSampleTimeline(NTSC24);
    timeline.clips.push({ ...timeline.clips[0]!, shotId: 'shot-4', shotNumber: '14', durationFrames: 100 });
    const items = childrenNamed(videoTrack(sequenceOf(exportXmeml(timeline))), 'clipitem');
    const [first, second, video, reuse] = items as [XmlElement, XmlElement, XmlElement, XmlElement];
    expect(child(first, 'stillframe').text).toBe('TRUE');
    expect(childrenNamed(video, 'stillframe')).toHaveLength(0);
    const file = child(first, 'file');
    expect(file.attrs.id).toBe('file-1');
    expect(child(file, 'pathurl').text).toBe('file://localhost/Users/maya/Story%20Boards/scene%2012/12A%20%231.png');
    expect(child(file, 'name').text).toBe('12A #1.png');
    expect(at(file, 'media', 'video', 'stillframe').text).toBe('TRUE');
    expect(at(file, 'media', 'video', 'samplecharacteristics', 'width').text).toBe('1920');
    // the still's declared duration covers its longest use (100 frames in shot 14)
    expect(num(file, 'duration')).toBe(100);
    expect(num(first, 'duration')).toBe(100);
    expect(child(second, 'file').attrs.id).toBe('file-2');
    expect(at(child(second, 'file'), 'media', 'video', 'samplecharacteristics', 'height').text).toBe('858');
    expect(child(reuse, 'file').attrs.id).toBe('file-1');
    expect(child(reuse, 'file').children).toHaveLength(0);
    expect(descendants(parseXml(exportXmeml(timeline)), 'pathurl').filter((p) => p.text.endsWith('12A%20%231.png'))).toHaveLength(1);
    // a video declares its source length
    expect(num(child(video, 'file'), 'duration')).toBe(96);
    expect(num(video, 'duration')).toBe(96);
    expect(at(video, 'logginginfo', 'scene').text).toBe('13');
  });

  it('writes a sequence marker per shot: name = shot number, comment = notes, in = first frame', () => {
    const markers = childrenNamed(sequenceOf(exportXmeml(makeSampleTimeline(NTSC24))), 'marker');
    expect(markers.map((m) => child(m, 'name').text)).toEqual(['12A', '12B', '13']);
    expect(markers.map((m) => num(m, 'in'))).toEqual([0, 48, 75]);
    expect(markers.map((m) => num(m, 'out'))).toEqual([-1, -1, -1]);
    expect(child(markers[0]!, 'comment').text).toBe('Hold for the beat & the hum\nthen cut');
  });

  it('puts the music on an audio track', () => {
    const seq = sequenceOf(exportXmeml(makeSampleTimeline(NTSC24)));
    const items = childrenNamed(at(seq, 'media', 'audio', 'track'), 'clipitem');
    expect(items).toHaveLength(1);
    const music = items[0]!;
    expect([num(music, 'start'), num(music, 'end'), num(music, 'in'), num(music, 'out')]).toEqual([1, 145, 0, 144]);
    expect(child(music, 'file').attrs.id).toBe('file-music');
    expect(at(music, 'file', 'pathurl').text).toBe('file://localhost/Users/maya/Story%20Boards/music/theme%20%E2%80%93%20v2.wav');
    expect(at(music, 'file', 'media', 'audio', 'channelcount').text).toBe('2');
    expect(at(music, 'sourcetrack', 'mediatype').text).toBe('audio');
    const silent = sequenceOf(exportXmeml({ ...makeSampleTimeline(NTSC24), music: null }));
    expect(childrenNamed(child(silent, 'media'), 'audio')).toHaveLength(0);
  });

  it('matches the 24000/1001 golden file', () => {
    const xml = exportXmeml(makeSampleTimeline(NTSC24));
    expect(xml).toBe(readGolden('sample-24000-1001.xml', xml));
  });
});
