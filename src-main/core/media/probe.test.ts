import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MediaError, parseFfprobeOutput, parseRational, probeMedia } from './probe.ts';
import { HAS_FFMPEG, makeTempDir, writeAudioOnlyMp4, writeBytes, writeClip, writeJpeg, writePng, writeWebp } from './testFixtures.ts';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The MediaError a promise rejects with (fails the test if it resolves or throws something else). */
async function mediaErrorOf(promise: Promise<unknown>): Promise<MediaError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}

describe('probeMedia on images', () => {
  it('reads PNG, JPEG and WebP sizes', async () => {
    expect(await probeMedia(await writePng(dir, 'p.png', 64, 36))).toEqual({
      kind: 'image', format: 'png', widthPx: 64, heightPx: 36, durationSeconds: null, frameRate: null, codec: null, hasAudio: false,
    });
    expect(await probeMedia(await writeJpeg(dir, 'j.jpg', 40, 30))).toMatchObject({ kind: 'image', format: 'jpeg', widthPx: 40, heightPx: 30 });
    expect(await probeMedia(await writeWebp(dir, 'w.webp', 20, 10))).toMatchObject({ kind: 'image', format: 'webp', widthPx: 20, heightPx: 10 });
  });

  it('reads an animated WebP by its first frame', async () => {
    const red = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#f00' } }).png().toBuffer();
    const blue = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#00f' } }).png().toBuffer();
    const file = path.join(dir, 'animated.webp');
    await sharp([red, blue], { join: { animated: true } }).webp().toFile(file);
    expect(await probeMedia(file)).toMatchObject({ kind: 'image', format: 'webp', widthPx: 40, heightPx: 20 });
  });

  it('swaps width and height for an EXIF orientation that turns the picture sideways', async () => {
    const file = await writeJpeg(dir, 'portrait-phone.jpg', 64, 36, 6);
    expect(await probeMedia(file)).toMatchObject({ widthPx: 36, heightPx: 64 });
  });

  it('goes by the bytes, not the name: a PNG called .jpg is a PNG', async () => {
    const png = await readFile(await writePng(dir, 'real.png'));
    const misnamed = await writeBytes(dir, 'misnamed.jpg', png);
    expect((await probeMedia(misnamed)).format).toBe('png');
  });

  it('refuses a missing file with media.notFound', async () => {
    const error = await mediaErrorOf(probeMedia(path.join(dir, 'nope.png')));
    expect(error.code).toBe('media.notFound');
    expect(error.message).toContain('nope.png');
  });

  it('refuses a folder with media.notFound', async () => {
    const folder = path.join(dir, 'a-folder.png');
    await mkdir(folder, { recursive: true });
    expect((await mediaErrorOf(probeMedia(folder))).code).toBe('media.notFound');
  });

  it('refuses an empty file with media.empty', async () => {
    const error = await mediaErrorOf(probeMedia(await writeBytes(dir, 'empty.png', Buffer.alloc(0))));
    expect(error.code).toBe('media.empty');
  });

  it('refuses text and GIF with the message that names the readable formats', async () => {
    const text = await mediaErrorOf(probeMedia(await writeBytes(dir, 'script.png', 'INT. PARK - DAY\n')));
    expect(text.code).toBe('media.unsupported');
    expect(text.message).toBe(
      'script.png is not an image or video StoryCanvas can read. Import PNG, JPEG or WebP images, or MP4, MOV or WebM clips.',
    );
    const gif = await mediaErrorOf(probeMedia(await writeBytes(dir, 'anim.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))));
    expect(gif.code).toBe('media.unsupported');
  });

  it('refuses a truncated PNG with media.corrupt even though its header is whole', async () => {
    const png = await readFile(await writePng(dir, 'whole.png', 64, 36));
    const truncated = await writeBytes(dir, 'truncated.png', png.subarray(0, png.length - 40));
    const error = await mediaErrorOf(probeMedia(truncated));
    expect(error.code).toBe('media.corrupt');
    expect(error.hint).toMatch(/save it again/);
  });

  it('refuses a JPEG signature followed by garbage with media.corrupt', async () => {
    const file = await writeBytes(dir, 'garbage.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]));
    expect((await mediaErrorOf(probeMedia(file))).code).toBe('media.corrupt');
  });
});

describe('parseRational and parseFfprobeOutput', () => {
  it('reduces rationals and refuses 0/0 and decimals', () => {
    expect(parseRational('24000/1001')).toEqual({ num: 24000, den: 1001 });
    expect(parseRational('48/2')).toEqual({ num: 24, den: 1 });
    expect(parseRational('0/0')).toBeNull();
    expect(parseRational('23.976')).toBeNull();
    expect(parseRational(undefined)).toBeNull();
  });

  const mp4 = { kind: 'video', format: 'mp4' } as const;

  it('takes the average rate when a variable-rate clip reports an odd base rate', () => {
    const probe = parseFfprobeOutput(
      { streams: [{ codec_type: 'video', codec_name: 'hevc', width: 1920, height: 1080, r_frame_rate: '120/1', avg_frame_rate: '30000/1001' }], format: { duration: '4.2' } },
      mp4,
      'phone.mp4',
    );
    expect(probe.frameRate).toEqual({ num: 30000, den: 1001 });
    expect(probe.durationSeconds).toBeCloseTo(4.2);
  });

  it('swaps the size of a clip rotated by 90 degrees (display matrix side data)', () => {
    const probe = parseFfprobeOutput(
      { streams: [{ codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, r_frame_rate: '30/1', avg_frame_rate: '30/1', side_data_list: [{ rotation: -90 }] }], format: {} },
      mp4,
      'portrait.mp4',
    );
    expect(probe).toMatchObject({ widthPx: 1080, heightPx: 1920, durationSeconds: null });
  });

  it('ignores cover art and calls a file with sound and a cover picture audio-only', () => {
    let caught: unknown;
    try {
      parseFfprobeOutput(
        { streams: [{ codec_type: 'audio', codec_name: 'aac' }, { codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } }] },
        mp4,
        'song.mp4',
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MediaError);
    expect((caught as MediaError).code).toBe('media.audioOnly');
  });
});

if (!HAS_FFMPEG) console.warn('probe.test.ts: clip tests skipped because ffmpeg/ffprobe are not on PATH');
describe.skipIf(!HAS_FFMPEG)('probeMedia on clips', () => {
  it('reads an MP4 with sound: size, duration, 24000/1001, codec', async () => {
    const file = await writeClip(dir, 'clip.mp4', 'mp4', { rate: '24000/1001', withAudio: true });
    const probe = await probeMedia(file);
    expect(probe).toMatchObject({ kind: 'video', format: 'mp4', widthPx: 64, heightPx: 36, frameRate: { num: 24000, den: 1001 }, codec: 'h264', hasAudio: true });
    expect(probe.durationSeconds).toBeGreaterThan(0.9);
    expect(probe.durationSeconds).toBeLessThan(1.2);
  });

  it('reads MOV, WebM and Matroska clips without sound', async () => {
    expect(await probeMedia(await writeClip(dir, 'clip.mov', 'mov'))).toMatchObject({ format: 'mov', frameRate: { num: 24, den: 1 }, hasAudio: false });
    expect(await probeMedia(await writeClip(dir, 'clip.webm', 'webm', { rate: '25' }))).toMatchObject({ format: 'webm', codec: 'vp8', frameRate: { num: 25, den: 1 } });
    expect(await probeMedia(await writeClip(dir, 'clip.mkv', 'mkv'))).toMatchObject({ format: 'mkv', widthPx: 64, heightPx: 36 });
  });

  it('refuses a sound-only MP4 with media.audioOnly', async () => {
    const error = await mediaErrorOf(probeMedia(await writeAudioOnlyMp4(dir, 'tone.mp4')));
    expect(error.code).toBe('media.audioOnly');
  });

  it('refuses a clip cut off after its header with media.corrupt', async () => {
    const clip = await readFile(await writeClip(dir, 'whole.mp4', 'mp4'));
    const file = await writeBytes(dir, 'cut.mp4', clip.subarray(0, 64));
    expect((await mediaErrorOf(probeMedia(file))).code).toBe('media.corrupt');
  });
});

describe.skipIf(process.platform === 'win32')('probeMedia without ffprobe', () => {
  it('says ffprobe was not found and how to install ffmpeg', async () => {
    // An EBML header whose DocType is "webm": it sniffs as a clip, so probing needs ffprobe.
    const clipLike = await writeBytes(dir, 'noprobe.webm', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x87, 0x42, 0x82, 0x84]), Buffer.from('webm'), Buffer.alloc(16)]));
    const emptyBin = path.join(dir, 'empty-bin');
    await mkdir(emptyBin, { recursive: true });
    await chmod(emptyBin, 0o755);
    vi.stubEnv('PATH', emptyBin);
    try {
      const error = await mediaErrorOf(probeMedia(clipLike));
      expect(error.code).toBe('media.toolMissing');
      expect(error.message).toMatch(/^ffprobe was not found: install ffmpeg/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
