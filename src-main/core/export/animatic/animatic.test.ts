import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditClip, EditTimeline, Rational } from '../EditTimeline.ts';
import { filterGraphFileArgs, renderAnimatic, type AnimaticProgress } from './animatic.ts';
import { resolveFfmpeg } from './ffmpegBinary.ts';

let dir: string;
const media = { red: '', green: '', blue: '', clip: '', music: '' };
const quiet = (): void => undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'animatic-test-'));
  media.red = join(dir, 'red.png');
  media.green = join(dir, 'green.jpg');
  media.blue = join(dir, 'blue.webp');
  media.clip = join(dir, 'clip.mp4');
  media.music = join(dir, 'sine.m4a');
  // stills at odd sizes and in three formats; the blue one is a half-transparent WebP
  await sharp({ create: { width: 301, height: 157, channels: 3, background: '#ff0000' } }).png().toFile(media.red);
  await sharp({ create: { width: 97, height: 211, channels: 3, background: '#00ff00' } }).jpeg().toFile(media.green);
  await sharp({ create: { width: 333, height: 201, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 1 } } })
    .webp({ lossless: true })
    .toFile(media.blue);
  // 1 s of testsrc at 30 fps, 4:3: shorter than its shot (held) and a different rate and aspect
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=30', '-t', '1',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', media.clip]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3',
    '-c:a', 'aac', media.music]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function clip(shotNumber: string, path: string, kind: 'image' | 'video', durationFrames: number, extra: Partial<EditClip> = {}): EditClip {
  return {
    shotId: `id-${shotNumber}`, shotNumber, sceneNumber: '1', sceneHeading: 'INT. TEST - DAY', durationFrames,
    media: { path, kind, widthPx: 100, heightPx: 100 }, action: '', notes: '', dialogue: [], ...extra,
  };
}

/** red 13, green 7, clip 36 (longer than its 1 s source: held), blue 11 = 67 frames */
function fourShots(frameRate: Rational): EditTimeline {
  return {
    name: 'Test Film', frameRate, widthPx: 320, heightPx: 180,
    clips: [
      clip('1', media.red, 'image', 13, { dialogue: [{ character: 'ANNA', text: 'Où est “le café”?' }] }),
      clip('1A', media.green, 'image', 7),
      clip('2', media.clip, 'video', 36, { dialogue: [{ character: 'BEN', parenthetical: '(quietly)', text: "It's late." }] }),
      clip('3', media.blue, 'image', 11),
    ],
  };
}
const FOUR_SHOTS_FRAMES = 67;

function probe(path: string): { streams: Array<Record<string, string | number>> } {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', path], { encoding: 'utf8' }));
}

/** The colour of each frame's centre (an 8x8 crop averaged to one pixel) as [r, g, b]. */
function centreColours(path: string): Array<[number, number, number]> {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-vf', 'crop=8:8,scale=1:1:flags=area', '-f', 'rawvideo',
    '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const colours: Array<[number, number, number]> = [];
  for (let i = 0; i + 2 < raw.length; i += 3) colours.push([raw[i]!, raw[i + 1]!, raw[i + 2]!]);
  return colours;
}

/** Names each frame's centre: 'red', 'green', 'blue' when it is that pure colour, else 'other'. */
function colourNames(path: string): string[] {
  return centreColours(path).map(([r, g, b]) => {
    if (r > 200 && g < 60 && b < 60) return 'red';
    if (g > 200 && r < 60 && b < 60) return 'green';
    if (b > 200 && r < 60 && g < 60) return 'blue';
    return 'other';
  });
}

function expectedNames(): string[] {
  return [...Array(13).fill('red'), ...Array(7).fill('green'), ...Array(36).fill('other'), ...Array(11).fill('blue')];
}

describe('renderAnimatic', () => {
  it('renders every shot for exactly its durationFrames at 24000/1001', async () => {
    const out = join(dir, 'ntsc.mp4');
    const progress: AnimaticProgress[] = [];
    const result = await renderAnimatic(fourShots({ num: 24000, den: 1001 }), out, {
      onProgress: (p) => progress.push(p), log: quiet,
    });
    expect(result).toMatchObject({ outPath: out, frames: FOUR_SHOTS_FRAMES, ffmpeg: { source: 'system' } });
    expect(result.durationSeconds).toBeCloseTo((67 * 1001) / 24000, 9);
    expect(result.ffmpeg.version).toMatch(/^\S+$/);
    const video = probe(out).streams.find((s) => s.codec_type === 'video')!;
    expect(video).toMatchObject({
      codec_name: 'h264', pix_fmt: 'yuv420p', width: 320, height: 180, r_frame_rate: '24000/1001', nb_read_frames: '67',
    });
    expect(probe(out).streams.filter((s) => s.codec_type === 'audio')).toHaveLength(0);
    // each still sits on exactly its frames; the clip fills its 36 frames (its 1 s source held on the last frame)
    expect(colourNames(out)).toEqual(expectedNames());
    expect(progress.at(-1)).toEqual({ frame: 67, totalFrames: 67, fraction: 1 });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.fraction).toBeGreaterThan(progress[i - 1]!.fraction);
      expect(progress[i]!.frame).toBeGreaterThanOrEqual(progress[i - 1]!.frame);
    }
    expect(readdirSync(dir).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('renders at 25 with the music at its offset, silent before and after, as long as the video', async () => {
    const out = join(dir, 'pal.mp4');
    // music from frame 10 (0.4 s) for 40 frames (1.6 s): sound from 0.4 s to 2.0 s of the 2.68 s video
    const timeline = { ...fourShots({ num: 25, den: 1 }), music: { path: media.music, offsetFrames: 10, durationFrames: 40 } };
    const result = await renderAnimatic(timeline, out, { log: quiet });
    expect(result.frames).toBe(FOUR_SHOTS_FRAMES);
    const streams = probe(out).streams;
    const video = streams.find((s) => s.codec_type === 'video')!;
    expect(video).toMatchObject({ codec_name: 'h264', r_frame_rate: '25/1', nb_read_frames: '67', width: 320, height: 180 });
    const audio = streams.find((s) => s.codec_type === 'audio')!;
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(Math.abs(Number(audio.duration) - 67 / 25)).toBeLessThan(0.03);
    expect(colourNames(out)).toEqual(expectedNames());

    const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-map', '0:a', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
    const rms = (fromS: number, toS: number): number => {
      let sum = 0;
      const a = Math.round(fromS * 8000);
      const b = Math.round(toS * 8000);
      for (let i = a; i < b; i++) sum += samples[i]! * samples[i]!;
      return Math.sqrt(sum / (b - a));
    };
    expect(rms(0, 0.35)).toBeLessThan(50);
    expect(rms(0.5, 1.9)).toBeGreaterThan(1000);
    expect(rms(2.1, 2.6)).toBeLessThan(50);
  });

  it('trims a clip that is longer than its shot', async () => {
    const out = join(dir, 'trim.mp4');
    const timeline: EditTimeline = { ...fourShots({ num: 30, den: 1 }), clips: [clip('5', media.clip, 'video', 10)] };
    await renderAnimatic(timeline, out, { log: quiet });
    expect(probe(out).streams[0]).toMatchObject({ nb_read_frames: '10', r_frame_rate: '30/1' });
  });

  it('burns in the shot number, the dialogue and the timecode', async () => {
    const out = join(dir, 'burnin.mp4');
    const plain = join(dir, 'plain.mp4');
    const timeline = fourShots({ num: 24000, den: 1001 });
    // a font path with the characters the filter graph treats as syntax
    const fontPath = join(dir, "O'Neil, [Sans]; 100%.ttf");
    copyFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', fontPath);
    await renderAnimatic(timeline, out, { burnIn: { shotNumber: true, dialogue: true, timecode: true }, fontPath, log: quiet });
    await renderAnimatic(timeline, plain, { log: quiet });
    expect(probe(out).streams[0]).toMatchObject({ nb_read_frames: '67' });
    // white text pixels in the top-left (shot), bottom-centre (dialogue) and bottom-right (timecode) of frame 0
    const whitePixels = (path: string, crop: string): number => {
      const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-frames:v', '1', '-vf', `crop=${crop}`, '-f', 'rawvideo',
        '-pix_fmt', 'gray', '-']);
      return raw.filter((v) => v > 200).length;
    };
    for (const crop of ['80:20:0:0', '200:25:60:140', '90:20:230:160']) {
      expect(whitePixels(out, crop), crop).toBeGreaterThan(5);
      expect(whitePixels(plain, crop), crop).toBe(0);
    }
    // shot 1A has no dialogue: the bottom centre is clean again there (frame 15)
    const frame15 = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-vf', 'select=eq(n\\,15),crop=200:25:60:140', '-frames:v', '1',
      '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    expect(frame15.filter((v) => v > 200).length).toBe(0);
  });

  it('cancels mid-way: kills ffmpeg, rejects with an AbortError and leaves no file', async () => {
    const out = join(dir, 'cancelled.mp4');
    const timeline: EditTimeline = {
      ...fourShots({ num: 24, den: 1 }),
      clips: [clip('1', media.red, 'image', 50_000), clip('2', media.clip, 'video', 50_000)],
    };
    const controller = new AbortController();
    let seen = 0;
    const render = renderAnimatic(timeline, out, {
      signal: controller.signal, log: quiet,
      onProgress: (p) => {
        seen = p.frame;
        if (p.frame > 0) controller.abort();
      },
    });
    await expect(render).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(100_000);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('.cancelled.mp4'))).toEqual([]);
  });

  it('rejects an already aborted signal before any work', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(renderAnimatic(fourShots({ num: 25, den: 1 }), join(dir, 'never.mp4'), { signal: controller.signal }))
      .rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(join(dir, 'never.mp4'))).toBe(false);
  });

  it('refuses bad input with messages that say what to do', async () => {
    const base = fourShots({ num: 25, den: 1 });
    await expect(renderAnimatic({ ...base, widthPx: 321 }, join(dir, 'x.mp4'), { log: quiet })).rejects.toThrow(/must be even/);
    await expect(
      renderAnimatic({ ...base, clips: [clip('9', join(dir, 'gone.png'), 'image', 5)] }, join(dir, 'x.mp4'), { log: quiet }),
    ).rejects.toThrow(/shot 9: its image .*gone\.png is missing/);
    await expect(renderAnimatic(base, join(dir, 'no-such-folder', 'x.mp4'), { log: quiet })).rejects.toThrow(/does not exist/);
    await expect(
      renderAnimatic({ ...base, frameRate: { num: 25, den: 2 } }, join(dir, 'x.mp4'), { burnIn: { timecode: true }, log: quiet }),
    ).rejects.toThrow(/has no SMPTE timecode/);
  });
});

describe('filterGraphFileArgs', () => {
  it('uses -filter_complex_script before FFmpeg 7 and -/filter_complex from 7 on', () => {
    expect(filterGraphFileArgs('5.1.9-0+deb12u1', 'g.txt')).toEqual(['-filter_complex_script', 'g.txt']);
    expect(filterGraphFileArgs('n6.1.2', 'g.txt')).toEqual(['-filter_complex_script', 'g.txt']);
    expect(filterGraphFileArgs('7.1', 'g.txt')).toEqual(['-/filter_complex', 'g.txt']);
    expect(filterGraphFileArgs('N-118000-g1234abcd', 'g.txt')).toEqual(['-/filter_complex', 'g.txt']);
  });
});

describe('resolveFfmpeg', () => {
  it('prefers STORYCANVAS_FFMPEG, then the bundled binary, then PATH', async () => {
    const system = await resolveFfmpeg(undefined, { PATH: process.env.PATH });
    expect(system.source).toBe('system');
    const bundled = await resolveFfmpeg(system.path, { PATH: '' });
    expect(bundled).toMatchObject({ source: 'bundled', path: system.path, version: system.version });
    const env = await resolveFfmpeg('/nonexistent/ffmpeg', { STORYCANVAS_FFMPEG: system.path, PATH: '' });
    expect(env).toMatchObject({ source: 'env', path: system.path });
  });

  it('names what to install when ffmpeg is missing', async () => {
    await expect(resolveFfmpeg(undefined, { PATH: join(dir, 'empty') })).rejects.toThrow(/ffmpeg was not found.*apt install ffmpeg/);
    await expect(resolveFfmpeg(undefined, { STORYCANVAS_FFMPEG: '/nonexistent/ffmpeg' })).rejects.toThrow(
      /STORYCANVAS_FFMPEG names \/nonexistent\/ffmpeg, which is not an executable file/,
    );
    await expect(resolveFfmpeg(media.music, { PATH: '' })).rejects.toThrow(/bundled ffmpeg .* missing or not executable/);
  });
});
