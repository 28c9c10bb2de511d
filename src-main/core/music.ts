/**
 * The music bed: one audio file under the whole timeline, with an offset in frames, and its waveform.
 *
 * - Import: the bytes are sniffed (WAV/RF64 `RIFF…WAVE`, FLAC `fLaC`, Ogg `OggS`, MP3 `ID3` or an MPEG audio frame
 *   sync, AAC ADTS, MP4/M4A `ftyp`), then probed with `ffprobe -show_streams -show_format`
 *   (https://ffmpeg.org/ffprobe.html): one audio stream and no picture stream (cover art is allowed). The file is
 *   copied into `media/music/<sha256>.<ext>` through a temp file in that folder (hashed while copied, fsynced,
 *   renamed), so the same song imported twice is stored once and nothing half-written is ever named.
 * - The project row records path, original name, offset, length in seconds, sample rate and channels; setting,
 *   moving and clearing are undoable edits. Clearing keeps the file in media/ (undo brings the music back).
 * - Waveform: ffmpeg decodes the file to mono 8 kHz signed 16-bit PCM; the largest absolute sample of every 5 ms
 *   (40 samples) is cached in `media/waveforms/<sha256>.peaks`, and any number of buckets is derived from it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FrameRate } from '../../src-preload/model';
import { AppError } from './errors';
import { resolveFfmpeg } from './export/animatic/ffmpegBinary';
import { writeFileAtomic } from './exports/files';
import { MediaError } from './media/MediaError';
import { runTool } from './media/tools';
import { musicDurationFrames, type ProjectStore, type StoredMusic } from './store/ProjectStore';

/** The folder of music files, relative to the project folder. */
export const MUSIC_DIR = 'media/music';
/** The folder of cached waveforms, relative to the project folder. */
export const WAVEFORMS_DIR = 'media/waveforms';
/** The largest music file accepted (by path or by value). */
export const MAX_MUSIC_BYTES = 1024 * 1024 * 1024;
/** Sample rate of the decoded waveform. */
export const WAVEFORM_SAMPLE_RATE_HZ = 8000;
/** Samples per cached peak: 40 at 8 kHz = 5 ms. */
export const WAVEFORM_WINDOW_SAMPLES = 40;

const FFPROBE_TIMEOUT_MS = 30_000;
const DECODE_TIMEOUT_MS = 120_000;
const AUDIO_HINT = 'Add a WAV, MP3, AAC/M4A, FLAC or Ogg audio file.';
const PEAKS_MAGIC = 'SCPK';

/** What the bytes of a file suggest it is; ffprobe has the last word. */
export type AudioContainerGuess = 'wav' | 'flac' | 'ogg' | 'mp3' | 'aac' | 'mp4';

/**
 * Recognises an audio container from a file's first bytes (at least 12), or null when it is none of WAV, FLAC, Ogg,
 * MP3, AAC (ADTS) or MP4/M4A. An `ftyp` file may still hold a picture: `probeMusic` refuses those.
 */
export function sniffAudio(head: Buffer): AudioContainerGuess | null {
  const ascii = (a: number, b: number): string => head.toString('latin1', a, b);
  if (head.length >= 12 && (ascii(0, 4) === 'RIFF' || ascii(0, 4) === 'RF64') && ascii(8, 12) === 'WAVE') return 'wav';
  if (head.length >= 4 && ascii(0, 4) === 'fLaC') return 'flac';
  if (head.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (head.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3';
  if (head.length >= 12 && ascii(4, 8) === 'ftyp') return 'mp4';
  if (head.length >= 2 && head[0] === 0xff) {
    const b = head[1]!;
    if ((b & 0xf6) === 0xf0) return 'aac'; // ADTS: sync 12 bits, layer 00 (ISO/IEC 13818-7)
    if ((b & 0xe0) === 0xe0 && (b & 0x06) !== 0 && (b & 0x18) !== 0x08) return 'mp3'; // MPEG audio frame: layer != 00, version != reserved
  }
  return null;
}

/** What `probeMusic` found. */
export interface MusicProbe {
  /** the extension the file is stored with: wav, flac, ogg, mp3, aac or m4a */
  extension: string;
  /** the audio codec as ffprobe names it (`pcm_s16le`, `mp3`, `aac`, `flac`, `vorbis`, `opus`) */
  codec: string;
  durationSeconds: number;
  sampleRateHz: number;
  channels: number;
}

interface FfprobeAudioOutput {
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    sample_rate?: string;
    channels?: number;
    duration?: string;
    disposition?: { attached_pic?: number };
  }>;
  format?: { duration?: string; format_name?: string };
}

function toAppError(error: unknown): never {
  if (error instanceof MediaError) {
    const code = error.code === 'media.toolMissing' ? 'tool_missing' : error.code === 'media.toolFailed' ? 'corrupt_audio' : error.code.replace('media.', 'media_');
    throw new AppError(code, error.message, error.hint);
  }
  throw error;
}

/** The extension for ffprobe's format name: `mov,mp4,m4a,3gp,3g2,mj2` -> m4a, `wav` -> wav, … */
function extensionFor(formatName: string, guess: AudioContainerGuess): string {
  const names = formatName.split(',');
  if (names.includes('wav') || names.includes('w64')) return 'wav';
  if (names.includes('flac')) return 'flac';
  if (names.includes('ogg')) return 'ogg';
  if (names.includes('mp3')) return 'mp3';
  if (names.includes('aac')) return 'aac';
  if (names.includes('mp4') || names.includes('m4a') || names.includes('mov')) return 'm4a';
  return guess === 'mp4' ? 'm4a' : guess;
}

/**
 * Checks that a file is a music file StoryCanvas can use and reads its length, rate and channels.
 * @param absPath the file (absolute); `name` is used in messages.
 * @throws AppError `file_not_found`, `music_empty`, `not_audio` (not one of the containers, or no sound stream),
 *   `music_has_picture` (a video: import it as a take), `corrupt_audio` (ffprobe cannot read it or it has no
 *   length), `tool_missing` (no ffprobe).
 */
export async function probeMusic(absPath: string, name = path.basename(absPath)): Promise<MusicProbe> {
  let size: number;
  try {
    const info = await stat(absPath);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw new AppError('file_not_found', `${name} was not found at ${absPath}.`, 'Check the path: the file may have been moved or renamed.');
  }
  if (size === 0) throw new AppError('music_empty', `${name} is empty (0 bytes).`, 'The file may still be downloading or copying: try again when it is complete.');
  if (size > MAX_MUSIC_BYTES) throw new AppError('file_too_large', `${name} is larger than 1 GB.`, 'Use a compressed copy of the music (MP3, AAC or FLAC).');
  const handle = await open(absPath, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(4096, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const guess = sniffAudio(head);
  if (!guess) throw new AppError('not_audio', `${name} is not an audio file StoryCanvas can read.`, AUDIO_HINT);
  const json = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path.resolve(absPath)], FFPROBE_TIMEOUT_MS).catch(toAppError);
  const output = JSON.parse(json) as FfprobeAudioOutput;
  const streams = output.streams ?? [];
  if (streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)) {
    throw new AppError('music_has_picture', `${name} is a video, not a music file.`, `Import it as a take of a shot, or ${AUDIO_HINT.toLowerCase()}`);
  }
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!audio) throw new AppError('not_audio', `${name} holds no sound.`, AUDIO_HINT);
  const durationSeconds = Number(output.format?.duration ?? audio.duration);
  const sampleRateHz = Number(audio.sample_rate);
  const channels = Number(audio.channels);
  if (!(durationSeconds > 0) || !(sampleRateHz > 0) || !(channels > 0)) {
    throw new AppError('corrupt_audio', `${name} has no readable length, sample rate or channel count.`, 'Export the music again from your audio editor (WAV or MP3), then add it.');
  }
  return {
    extension: extensionFor(output.format?.format_name ?? '', guess),
    codec: audio.codec_name ?? 'unknown',
    durationSeconds,
    sampleRateHz: Math.round(sampleRateHz),
    channels: Math.min(32, Math.round(channels)),
  };
}

/** A music file copied into the project. */
export interface ImportedMusic extends MusicProbe {
  /** `media/music/<sha256>.<ext>`, relative to the project folder */
  relPath: string;
  /** SHA-256 of the file, 64 lowercase hex digits */
  contentHash: string;
  originalName: string;
}

async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Fills a temp file in media/music/ (hashing it), probes it, renames it to `<sha256>.<ext>` (or drops it when that
 * content is already there). The temp file never survives an error.
 */
async function storeMusic(
  projectDir: string,
  originalName: string,
  fill: (tempPath: string, hash: ReturnType<typeof createHash>) => Promise<void>,
  probe: (tempPath: string) => Promise<MusicProbe>,
): Promise<ImportedMusic> {
  const dir = path.join(projectDir, ...MUSIC_DIR.split('/'));
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.import-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const hash = createHash('sha256');
    await fill(temp, hash);
    const probed = await probe(temp);
    const contentHash = hash.digest('hex');
    const fileName = `${contentHash}.${probed.extension}`;
    const finalPath = path.join(dir, fileName);
    const there = await stat(finalPath).then((s) => s.isFile(), () => false);
    if (there) await rm(temp, { force: true });
    else {
      await rename(temp, finalPath);
      await syncFolder(dir);
    }
    return { ...probed, relPath: `${MUSIC_DIR}/${fileName}`, contentHash, originalName };
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Copies a music file from disk into `<projectDir>/media/music/` (checked first, then streamed while hashed).
 * @throws AppError as `probeMusic`.
 */
export async function importMusicFile(projectDir: string, srcPath: string): Promise<ImportedMusic> {
  const absPath = path.resolve(srcPath);
  const originalName = path.basename(absPath);
  const probed = await probeMusic(absPath, originalName);
  return storeMusic(
    projectDir,
    originalName,
    async (temp, hash) => {
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(createReadStream(absPath), hashing, createWriteStream(temp, { flags: 'wx', flush: true }));
    },
    async () => probed,
  );
}

/**
 * Stores a music file sent by value (web mode) in `<projectDir>/media/music/`: written to the temp file, probed
 * there, then named by its hash.
 * @param fileName the person's file name; only its last component is kept.
 * @throws AppError as `probeMusic` (naming `fileName`).
 */
export async function importMusicBytes(projectDir: string, fileName: string, bytes: Buffer): Promise<ImportedMusic> {
  const originalName = (fileName.split(/[\\/]/).pop() ?? '').replace(/[\x00-\x1f\x7f]/g, '').trim() || 'music';
  if (bytes.length === 0) throw new AppError('music_empty', `${originalName} is empty (0 bytes).`, 'Send the complete file.');
  if (bytes.length > MAX_MUSIC_BYTES) throw new AppError('file_too_large', `${originalName} is larger than 1 GB.`, 'Use a compressed copy of the music (MP3, AAC or FLAC).');
  if (!sniffAudio(bytes.subarray(0, 4096))) throw new AppError('not_audio', `${originalName} is not an audio file StoryCanvas can read.`, AUDIO_HINT);
  return storeMusic(
    projectDir,
    originalName,
    async (temp, hash) => {
      hash.update(bytes);
      await writeFile(temp, bytes, { flag: 'wx', flush: true });
    },
    (temp) => probeMusic(temp, originalName),
  );
}

/** The project's music as the contract shows it (`ProjectSnapshot.music`), or null. */
export interface ProjectMusicView {
  path: string;
  originalName: string;
  offsetFrames: number;
  durationFrames: number;
}

function view(music: StoredMusic, frameRate: FrameRate): ProjectMusicView {
  return {
    path: music.path,
    originalName: music.originalName,
    offsetFrames: music.offsetFrames,
    durationFrames: musicDurationFrames(music.durationSeconds, frameRate),
  };
}

/** The project's music for the contract, or null when it has none. */
export function projectMusic(store: ProjectStore): ProjectMusicView | null {
  const music = store.music();
  return music ? view(music, store.settings().frameRate) : null;
}

/**
 * Sets the project's music (one undoable edit, `Set music <name>`): from a file path, or from bytes sent by value.
 * @param source `{path}` or `{fileName, bytes}`.
 * @param offsetFrames where the music starts on the timeline, frames from the first shot's first frame (>= 0).
 * @throws AppError as `probeMusic`.
 */
export async function setMusic(
  store: ProjectStore,
  source: { path: string } | { fileName: string; bytes: Buffer },
  offsetFrames: number,
): Promise<ProjectMusicView> {
  const imported = 'path' in source ? await importMusicFile(store.dir, source.path) : await importMusicBytes(store.dir, source.fileName, source.bytes);
  const music: StoredMusic = {
    path: imported.relPath,
    originalName: imported.originalName,
    offsetFrames,
    durationSeconds: imported.durationSeconds,
    sampleRateHz: imported.sampleRateHz,
    channels: imported.channels,
  };
  store.setMusic(music, `Set music ${imported.originalName}`);
  return view(music, store.settings().frameRate);
}

function requireMusic(store: ProjectStore): StoredMusic {
  const music = store.music();
  if (!music) throw new AppError('no_music', 'The project has no music.', 'Add a music file first (music.set, or `storycanvas music <project> <audio>`).');
  return music;
}

/**
 * Moves the music to start at `offsetFrames` (one undoable edit).
 * @throws AppError `no_music` when the project has none.
 */
export function moveMusic(store: ProjectStore, offsetFrames: number): ProjectMusicView {
  const music = { ...requireMusic(store), offsetFrames };
  store.setMusic(music, `Move music to frame ${offsetFrames}`);
  return view(music, store.settings().frameRate);
}

/** Removes the music from the timeline (one undoable edit); its file stays in media/music/. No-op without music. */
export function clearMusic(store: ProjectStore): void {
  if (store.music()) store.setMusic(null, 'Remove music');
}

/** The decoded loudness envelope: the largest |sample| of every 5 ms window, and the decoded length. */
interface BasePeaks {
  sampleCount: number;
  peaks: Uint16Array;
}

function encodePeaks(base: BasePeaks): Buffer {
  const header = Buffer.alloc(12);
  header.write(PEAKS_MAGIC, 0, 'latin1');
  header.writeUInt32LE(base.sampleCount, 4);
  header.writeUInt32LE(WAVEFORM_WINDOW_SAMPLES, 8);
  return Buffer.concat([header, Buffer.from(base.peaks.buffer, base.peaks.byteOffset, base.peaks.byteLength)]);
}

function decodePeaks(buf: Buffer): BasePeaks | null {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== PEAKS_MAGIC || buf.readUInt32LE(8) !== WAVEFORM_WINDOW_SAMPLES) return null;
  if ((buf.length - 12) % 2 !== 0) return null;
  const peaks = new Uint16Array((buf.length - 12) / 2);
  for (let i = 0; i < peaks.length; i++) peaks[i] = buf.readUInt16LE(12 + i * 2);
  return { sampleCount: buf.readUInt32LE(4), peaks };
}

/**
 * Decodes an audio file with ffmpeg to mono 8 kHz s16le and keeps the largest |sample| of every 40 samples.
 * @throws AppError `corrupt_audio` when ffmpeg fails or runs past two minutes; `tool_missing` without ffmpeg.
 */
export async function decodePeaks8k(absPath: string): Promise<BasePeaks> {
  const ffmpeg = await resolveFfmpeg().catch((error: Error) => {
    throw new AppError('tool_missing', error.message, 'Install ffmpeg to see the music waveform.');
  });
  const args = ['-v', 'error', '-nostdin', '-i', absPath, '-map', '0:a:0', '-ac', '1', '-ar', String(WAVEFORM_SAMPLE_RATE_HZ), '-f', 's16le', '-acodec', 'pcm_s16le', '-'];
  return new Promise<BasePeaks>((resolve, reject) => {
    const child = spawn(ffmpeg.path, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const peaks: number[] = [];
    let sampleCount = 0;
    let windowMax = 0;
    let inWindow = 0;
    let carry: Buffer | null = null;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), DECODE_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      let data = carry ? Buffer.concat([carry, chunk]) : chunk;
      const even = data.length - (data.length % 2);
      carry = even < data.length ? Buffer.from(data.subarray(even)) : null;
      data = data.subarray(0, even);
      for (let at = 0; at < data.length; at += 2) {
        const value = data.readInt16LE(at);
        const magnitude = value < 0 ? -value : value;
        if (magnitude > windowMax) windowMax = magnitude;
        if (++inWindow === WAVEFORM_WINDOW_SAMPLES) {
          peaks.push(windowMax);
          windowMax = 0;
          inWindow = 0;
        }
      }
      sampleCount += data.length / 2;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new AppError('tool_missing', `ffmpeg (${ffmpeg.path}) could not run: ${error.message}`, 'Install ffmpeg to see the music waveform.'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal ? `it was stopped after ${DECODE_TIMEOUT_MS / 1000} s` : stderr.trim().split('\n').slice(-2).join(' ');
        return reject(new AppError('corrupt_audio', `The music ${path.basename(absPath)} could not be decoded: ${why}.`, 'Export the music again (WAV or MP3) and set it again.'));
      }
      if (inWindow > 0) peaks.push(windowMax);
      resolve({ sampleCount, peaks: Uint16Array.from(peaks) });
    });
  });
}

/**
 * The music's waveform: `buckets` peaks in 0..1 (the largest |sample| in each bucket over full scale), evenly over
 * the decoded file, and its length in frames at the project's rate. The 5 ms envelope is decoded once per file and
 * cached in `media/waveforms/<sha256>.peaks` (keyed by the file's content hash).
 * @param buckets 1 to 100,000.
 * @throws AppError `no_music`, `file_not_found` (the music file is gone from media/), `corrupt_audio`, `tool_missing`.
 */
export async function musicWaveform(store: ProjectStore, buckets: number): Promise<{ peaks: number[]; durationFrames: number }> {
  if (!Number.isSafeInteger(buckets) || buckets < 1 || buckets > 100_000) {
    throw new AppError('invalid_args', `buckets must be a whole number from 1 to 100000; got ${buckets}.`, 'Ask for about one bucket per pixel of the timeline.');
  }
  const music = requireMusic(store);
  const absPath = path.join(store.dir, ...music.path.split('/'));
  if (!(await stat(absPath).then((s) => s.isFile(), () => false))) {
    throw new AppError('file_not_found', `The music file ${music.path} is missing from the project.`, 'Set the music again (music.set).');
  }
  const stem = path.basename(music.path).replace(/\.[^.]+$/, '');
  const hash = /^[0-9a-f]{64}$/.test(stem) ? stem : await hashFile(absPath);
  const cacheFile = path.join(store.dir, ...WAVEFORMS_DIR.split('/'), `${hash}.peaks`);
  let base = await readFile(cacheFile).then(decodePeaks, () => null);
  if (!base) {
    base = await decodePeaks8k(absPath);
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFileAtomic(cacheFile, encodePeaks(base));
  }
  const { num, den } = store.settings().frameRate;
  const durationFrames = Math.max(1, Math.floor(((base.sampleCount / WAVEFORM_SAMPLE_RATE_HZ) * num) / den + 1e-9));
  return { peaks: bucketPeaks(base.peaks, buckets), durationFrames };
}

/**
 * Folds the 5 ms envelope (values 0..32768) into `buckets` maxima in 0..1, rounded to 4 decimals. A bucket narrower
 * than one window takes the window it falls in; an empty envelope gives zeros.
 */
export function bucketPeaks(envelope: Uint16Array, buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  const n = envelope.length;
  if (n === 0) return out;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.max(start + 1, Math.floor(((b + 1) * n) / buckets));
    let max = 0;
    for (let i = start; i < end && i < n; i++) if (envelope[i]! > max) max = envelope[i]!;
    out[b] = Math.round(Math.min(1, max / 32768) * 10_000) / 10_000;
  }
  return out;
}

async function hashFile(absPath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(absPath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
