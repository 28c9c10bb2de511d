import { describe, expect, it } from 'vitest';
import type { Rational } from './EditTimeline.ts';
import { buildOtioTimeline, exportOtio, serializeOtio, type OtioClip, type OtioGap } from './otio.ts';
import { makeSampleTimeline, makeSyntheticTimeline } from './synthetic.ts';
import { readGolden } from './testdata/testTools.ts';

const NTSC24: Rational = { num: 24000, den: 1001 };
const PAL: Rational = { num: 25, den: 1 };
const RATE_2398 = 23.976023976023978;

describe('exportOtio', () => {
  it('has the Timeline.1 > Stack.1 > Track.1 > Clip.2 shape with OTIO key order', () => {
    const doc = JSON.parse(exportOtio(makeSampleTimeline(NTSC24)));
    expect(Object.keys(doc)).toEqual(['OTIO_SCHEMA', 'metadata', 'name', 'global_start_time', 'tracks']);
    expect(doc.OTIO_SCHEMA).toBe('Timeline.1');
    expect(doc.global_start_time).toEqual({ OTIO_SCHEMA: 'RationalTime.1', rate: RATE_2398, value: 86400 });
    expect(doc.tracks.OTIO_SCHEMA).toBe('Stack.1');
    expect(doc.tracks.children.map((t: { OTIO_SCHEMA: string; kind: string }) => `${t.OTIO_SCHEMA}:${t.kind}`)).toEqual([
      'Track.1:Video',
      'Track.1:Audio',
    ]);
    const clip = doc.tracks.children[0].children[0];
    expect(Object.keys(clip)).toEqual([
      'OTIO_SCHEMA', 'metadata', 'name', 'source_range', 'effects', 'markers', 'enabled', 'media_references',
      'active_media_reference_key',
    ]);
    expect(clip.OTIO_SCHEMA).toBe('Clip.2');
    expect(clip.name).toBe('12A');
    expect(clip.active_media_reference_key).toBe('DEFAULT_MEDIA');
    expect(clip.media_references.DEFAULT_MEDIA).toMatchObject({
      OTIO_SCHEMA: 'ExternalReference.1',
      name: '12A #1.png',
      target_url: 'file:///Users/maya/Story%20Boards/scene%2012/12A%20%231.png',
      available_range: { OTIO_SCHEMA: 'TimeRange.1' },
    });
    expect(clip.source_range).toEqual({
      OTIO_SCHEMA: 'TimeRange.1',
      duration: { OTIO_SCHEMA: 'RationalTime.1', rate: RATE_2398, value: 48 },
      start_time: { OTIO_SCHEMA: 'RationalTime.1', rate: RATE_2398, value: 0 },
    });
    expect(clip.metadata.storycanvas).toMatchObject({ shot_number: '12A', scene_number: '12', scene_heading: 'INT. KITCHEN - NIGHT' });
    expect(clip.metadata.storycanvas.dialogue).toEqual([{ character: 'MAYA', parenthetical: 'whispering', text: 'Who ate it?' }]);
  });

  it('marks each clip with a Marker.2 carrying the shot number and notes', () => {
    const doc = buildOtioTimeline(makeSampleTimeline(NTSC24));
    const clips = doc.tracks.children[0]!.children as OtioClip[];
    const markers = clips.map((c) => c.markers);
    expect(markers.map((m) => m.length)).toEqual([1, 1, 1]);
    expect(markers[0]![0]).toEqual({
      OTIO_SCHEMA: 'Marker.2',
      metadata: {},
      name: '12A',
      color: 'YELLOW',
      marked_range: {
        OTIO_SCHEMA: 'TimeRange.1',
        duration: { OTIO_SCHEMA: 'RationalTime.1', rate: RATE_2398, value: 0 },
        start_time: { OTIO_SCHEMA: 'RationalTime.1', rate: RATE_2398, value: 0 },
      },
      comment: 'Hold for the beat & the hum\nthen cut',
    });
  });

  it('writes RationalTime rate and value as doubles, the rate as OTIO writes 24000/1001', () => {
    const text = exportOtio(makeSampleTimeline(NTSC24));
    expect(text).toContain('"rate": 23.976023976023978,\n');
    expect(text).toContain('"value": 48.0\n');
    expect(text).toContain('"value": 86400.0\n');
    expect(text).not.toMatch(/"(rate|value)": \d+\n/);
    // numbers outside RationalTime stay integers
    expect(text).toContain('"num": 24000,');
    expect(exportOtio(makeSampleTimeline(PAL))).toContain('"rate": 25.0,');
    expect(text.startsWith('{\n    "OTIO_SCHEMA": "Timeline.1",\n')).toBe(true);
  });

  it('round-trips through JSON unchanged', () => {
    const tree = buildOtioTimeline(makeSyntheticTimeline(50, NTSC24));
    expect(JSON.parse(serializeOtio(tree))).toEqual(JSON.parse(JSON.stringify(tree)));
  });

  it('sums clip durations to the timeline length and puts the music after a gap', () => {
    const timeline = makeSyntheticTimeline(120, NTSC24);
    timeline.music = { path: '/music/bed.wav', offsetFrames: 37, durationFrames: 500 };
    const doc = buildOtioTimeline(timeline);
    const [video, audio] = doc.tracks.children;
    const total = (video!.children as OtioClip[]).reduce((s, c) => s + c.source_range!.duration.value, 0);
    expect(total).toBe(timeline.clips.reduce((s, c) => s + c.durationFrames, 0));
    const [gap, music] = audio!.children as [OtioGap, OtioClip];
    expect(gap.OTIO_SCHEMA).toBe('Gap.1');
    expect(gap.source_range!.duration.value).toBe(37);
    expect(music.OTIO_SCHEMA).toBe('Clip.2');
    expect(music.source_range!.duration.value).toBe(500);
    expect(music.media_references.DEFAULT_MEDIA!.target_url).toBe('file:///music/bed.wav');
    // music from frame 0: no gap
    timeline.music.offsetFrames = 0;
    expect(buildOtioTimeline(timeline).tracks.children[1]!.children.map((c) => c.OTIO_SCHEMA)).toEqual(['Clip.2']);
    // no music: no audio track
    expect(buildOtioTimeline({ ...timeline, music: null }).tracks.children).toHaveLength(1);
  });

  it('gives a video reference its source length', () => {
    const clips = buildOtioTimeline(makeSampleTimeline(PAL)).tracks.children[0]!.children as OtioClip[];
    expect(clips[2]!.media_references.DEFAULT_MEDIA!.available_range!.duration.value).toBe(100);
    expect(clips[2]!.source_range!.duration.value).toBe(75);
  });

  it('matches the 24000/1001 golden file', () => {
    const text = exportOtio(makeSampleTimeline(NTSC24));
    expect(text).toBe(readGolden('sample-24000-1001.otio', text));
  });
});
