/**
 * Music files of every supported container, made by ffmpeg, recognised by their bytes and probed; and the folding
 * of the 5 ms envelope into buckets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketPeaks, importMusicBytes, importMusicFile, probeMusic, sniffAudio } from './music';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sc-music-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CASES = [
  { file: 'a.wav', args: [], sniff: 'wav', extension: 'wav', codec: 'pcm_s16le' },
  { file: 'a.mp3', args: ['-c:a', 'libmp3lame'], sniff: 'mp3', extension: 'mp3', codec: 'mp3' },
  { file: 'a.aac', args: ['-c:a', 'aac', '-f', 'adts'], sniff: 'aac', extension: 'aac', codec: 'aac' },
  { file: 'a.m4a', args: ['-c:a', 'aac'], sniff: 'mp4', extension: 'm4a', codec: 'aac' },
  { file: 'a.flac', args: ['-c:a', 'flac'], sniff: 'flac', extension: 'flac', codec: 'flac' },
  { file: 'a.ogg', args: ['-c:a', 'libvorbis'], sniff: 'ogg', extension: 'ogg', codec: 'vorbis' },
] as const;

describe('music files', () => {
  it.each(CASES)('$file is sniffed as $sniff and probed: 1 s, 44.1 kHz, stereo', async ({ file, args, sniff, extension, codec }) => {
    const path = join(tmp, file);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=1:sample_rate=44100', '-ac', '2', ...args, path]);
    expect(sniffAudio(readFileSync(path).subarray(0, 4096))).toBe(sniff);
    const probe = await probeMusic(path);
    expect(probe).toMatchObject({ extension, codec, sampleRateHz: 44100, channels: 2 });
    expect(probe.durationSeconds).toBeGreaterThan(0.95);
    expect(probe.durationSeconds).toBeLessThan(1.1);
  });

  it('copies into media/music/<sha256>.<ext> once per content, from a path or by value, leaving no temp file', async () => {
    const project = join(tmp, 'P.storycanvas');
    const src = join(tmp, 'b.flac');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=0.5', '-c:a', 'flac', src]);
    const a = await importMusicFile(project, src);
    expect(a.relPath).toMatch(/^media\/music\/[0-9a-f]{64}\.flac$/);
    expect(a.originalName).toBe('b.flac');
    const b = await importMusicBytes(project, 'folder/other name.flac', readFileSync(src));
    expect(b.relPath).toBe(a.relPath);
    expect(b.originalName).toBe('other name.flac');
    expect(readdirSync(join(project, 'media', 'music'))).toEqual([a.relPath.split('/').pop()]);
  });

  it('refuses text, a picture and an empty file with what to do', async () => {
    const text = join(tmp, 'notes.mp3');
    writeFileSync(text, 'not music at all, just words');
    await expect(probeMusic(text)).rejects.toMatchObject({ code: 'not_audio', message: 'notes.mp3 is not an audio file StoryCanvas can read.' });
    const empty = join(tmp, 'empty.wav');
    writeFileSync(empty, '');
    await expect(probeMusic(empty)).rejects.toMatchObject({ code: 'music_empty' });
    await expect(probeMusic(join(tmp, 'missing.wav'))).rejects.toMatchObject({ code: 'file_not_found' });
    await expect(importMusicBytes(join(tmp, 'Q.storycanvas'), 'x.png', Buffer.from('89504e470d0a1a0a0000', 'hex'))).rejects.toMatchObject({ code: 'not_audio' });
  });
});

describe('bucketPeaks', () => {
  it('takes the maximum of each bucket over full scale, and repeats windows when buckets outnumber them', () => {
    const envelope = Uint16Array.from([0, 16384, 32768, 8192]);
    expect(bucketPeaks(envelope, 2)).toEqual([0.5, 1]);
    expect(bucketPeaks(envelope, 1)).toEqual([1]);
    expect(bucketPeaks(envelope, 8)).toEqual([0, 0, 0.5, 0.5, 1, 1, 0.25, 0.25]);
    expect(bucketPeaks(new Uint16Array(0), 3)).toEqual([0, 0, 0]);
  });
});
