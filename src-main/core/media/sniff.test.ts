import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffMediaType } from './sniff.ts';
import { HAS_FFMPEG, makeTempDir, writeAudioOnly, writeClip, writeJpeg, writePng, writeWebp } from './testFixtures.ts';

/** Builds an ISO-BMFF `ftyp` box with a major brand and compatible brands. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size + 8);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((b, i) => box.write(b, 16 + 4 * i, 'latin1'));
  box.writeUInt32BE(8, size);
  box.write('free', size + 4, 'latin1');
  return box;
}

/** Builds an EBML header holding EBMLVersion and a DocType string. */
function ebmlHeader(docType: string): Buffer {
  const version = Buffer.from([0x42, 0x86, 0x81, 0x01]);
  const doc = Buffer.concat([Buffer.from([0x42, 0x82, 0x80 | docType.length]), Buffer.from(docType, 'latin1')]);
  const body = Buffer.concat([version, doc]);
  return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | body.length]), body]);
}

describe('sniffMediaType on hand-built headers', () => {
  it('knows PNG, JPEG and WebP by their signatures', () => {
    expect(sniffMediaType(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toEqual({ kind: 'image', format: 'png' });
    expect(sniffMediaType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toEqual({ kind: 'image', format: 'jpeg' });
    expect(sniffMediaType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toEqual({ kind: 'image', format: 'webp' });
  });

  it('refuses a RIFF that is not WebP (WAV, AVI)', () => {
    expect(sniffMediaType(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
    expect(sniffMediaType(Buffer.from('RIFF\x10\x00\x00\x00AVI LIST', 'latin1'))).toBeNull();
  });

  it('tells MP4 from MOV by the ftyp brands', () => {
    expect(sniffMediaType(ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'))).toEqual({ kind: 'video', format: 'mp4' });
    expect(sniffMediaType(ftyp('mp42', 'mp42', 'isom'))).toEqual({ kind: 'video', format: 'mp4' });
    expect(sniffMediaType(ftyp('XAVC', 'XAVC', 'mp42', 'iso2'))).toEqual({ kind: 'video', format: 'mp4' });
    expect(sniffMediaType(ftyp('qt  ', 'qt  '))).toEqual({ kind: 'video', format: 'mov' });
  });

  it('recognises an old QuickTime file that opens with a moov or wide atom', () => {
    const wideThenMdat = Buffer.concat([Buffer.from('00000008', 'hex'), Buffer.from('wide', 'latin1'), Buffer.from('00001000', 'hex'), Buffer.from('mdat', 'latin1')]);
    expect(sniffMediaType(wideThenMdat)).toEqual({ kind: 'video', format: 'mov' });
    const moovFirst = Buffer.concat([Buffer.from('0000006c', 'hex'), Buffer.from('moovmvhd', 'latin1')]);
    expect(sniffMediaType(moovFirst)).toEqual({ kind: 'video', format: 'mov' });
  });

  it('refuses ISO-BMFF stills and sound files (HEIC, AVIF, M4A)', () => {
    expect(sniffMediaType(ftyp('heic', 'mif1', 'heic'))).toBeNull();
    expect(sniffMediaType(ftyp('avif', 'avif', 'mif1', 'miaf'))).toBeNull();
    expect(sniffMediaType(ftyp('M4A ', 'M4A ', 'mp42', 'isom'))).toBeNull();
  });

  it('reads the EBML DocType: webm or matroska', () => {
    expect(sniffMediaType(ebmlHeader('webm'))).toEqual({ kind: 'video', format: 'webm' });
    expect(sniffMediaType(ebmlHeader('matroska'))).toEqual({ kind: 'video', format: 'mkv' });
    expect(sniffMediaType(ebmlHeader('ogg'))).toBeNull();
  });

  it('refuses truncated headers, text, GIF and empty input without throwing', () => {
    expect(sniffMediaType(Buffer.alloc(0))).toBeNull();
    expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e]))).toBeNull();
    expect(sniffMediaType(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))).toBeNull();
    expect(sniffMediaType(ebmlHeader('webm').subarray(0, 9))).toBeNull();
    expect(sniffMediaType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBeNull();
    expect(sniffMediaType(Buffer.from('INT. KITCHEN - NIGHT\n', 'utf8'))).toBeNull();
  });

  it('does not believe the file name: a PNG signature wins whatever it is called', () => {
    // sniffMediaType never sees a name; this documents that a .jpg-named PNG sniffs as PNG.
    expect(sniffMediaType(Buffer.from('89504e470d0a1a0a', 'hex'))?.format).toBe('png');
  });
});

describe('sniffMediaType on files made by sharp', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('recognises real PNG, JPEG and WebP files', async () => {
    expect(sniffMediaType(await readFile(await writePng(dir, 'a.png')))).toEqual({ kind: 'image', format: 'png' });
    expect(sniffMediaType(await readFile(await writeJpeg(dir, 'a.jpg')))).toEqual({ kind: 'image', format: 'jpeg' });
    expect(sniffMediaType(await readFile(await writeWebp(dir, 'a.webp')))).toEqual({ kind: 'image', format: 'webp' });
  });
});

if (!HAS_FFMPEG) console.warn('sniff.test.ts: clip tests skipped because ffmpeg/ffprobe are not on PATH');
describe.skipIf(!HAS_FFMPEG)('sniffMediaType on clips made by ffmpeg', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('recognises MP4, MOV, WebM and Matroska, and refuses an M4A', async () => {
    expect(sniffMediaType(await readFile(await writeClip(dir, 'c.mp4', 'mp4')))).toEqual({ kind: 'video', format: 'mp4' });
    expect(sniffMediaType(await readFile(await writeClip(dir, 'c.mov', 'mov')))).toEqual({ kind: 'video', format: 'mov' });
    expect(sniffMediaType(await readFile(await writeClip(dir, 'c.webm', 'webm')))).toEqual({ kind: 'video', format: 'webm' });
    expect(sniffMediaType(await readFile(await writeClip(dir, 'c.mkv', 'mkv')))).toEqual({ kind: 'video', format: 'mkv' });
    expect(sniffMediaType(await readFile(await writeAudioOnly(dir, 'a.m4a')))).toBeNull();
  });
});
