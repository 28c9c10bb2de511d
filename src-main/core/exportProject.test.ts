/**
 * The editorial hand-off end to end through the contract: a real imported screenplay (Cyber Bob) at 320x180 with an
 * image take, a video take, placeholder cards and a music bed, exported to every target and checked with the tools an
 * editor's import would trip on (xmllint with the FCPXML DTD, ffprobe, pdf-lib, the package's own reader).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-preload/contract';
import { Core } from './Core';

const CYBER_BOB = join(import.meta.dirname, 'script', 'testdata', 'Cyber_Bob_ep00001.fountain');
const DTD_1_10 = join(import.meta.dirname, 'export', 'testdata', 'fcpxml-dtd', 'FCPXMLv1_10.dtd');

let tmp: string;
let core: Core;
let projectId: string;
let projectDir: string;
let shotNumbers: string[];
let totalFrames: number;
const progress: Array<EventPayload<'export.progress'>> = [];

function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sc-export-'));
  core = new Core({ shell: 'cli', configDir: join(tmp, 'home') });
  core.events.on('export.progress', (p) => progress.push(p));
  const p = await core.call('project.create', { dir: tmp, name: 'Cyber Bob', frameRate: { num: 24000, den: 1001 }, widthPx: 320, heightPx: 180 });
  projectId = p.projectId;
  projectDir = p.path;
  await core.call('script.import', { projectId, path: CYBER_BOB });
  let snap = await core.call('project.get', { projectId });
  const shots = snap.scenes.flatMap((s) => s.shots);
  // shot 1: an image take; shot 2: a 4 s clip (longer than its 72-frame shot); the rest: placeholder cards
  const png = join(tmp, 'board.png');
  await sharp({ create: { width: 640, height: 360, channels: 3, background: '#446' } }).png().toFile(png);
  await core.call('take.import', { projectId, shotId: shots[0]!.id, paths: [png] });
  const clip = join(tmp, 'clip.mp4');
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=24', '-t', '4', '-pix_fmt', 'yuv420p', clip);
  await core.call('take.import', { projectId, shotId: shots[1]!.id, paths: [clip] });
  const wav = join(tmp, 'Theme v2.wav');
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', '-ac', '2', '-ar', '48000', wav);
  await core.call('music.set', { projectId, path: wav, offsetFrames: 24 });
  snap = await core.call('project.get', { projectId });
  shotNumbers = snap.scenes.flatMap((s) => s.shots).map((s) => s.number);
  totalFrames = snap.scenes.flatMap((s) => s.shots).reduce((n, s) => n + s.durationFrames, 0);
});

afterAll(async () => {
  await core?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('timeline formats with a media/ folder named by shot number', () => {
  it('FCPXML 1.10 validates against the DTD and every media-rep is an existing file in media/', async () => {
    const out = join(tmp, 'fcp', 'Cyber Bob.fcpxml');
    const plan = await core.call('export.plan', { projectId, format: 'fcpxml', outPath: out, mediaPaths: 'relative' });
    const r = await core.call('export.run', { projectId, format: 'fcpxml', outPath: out, mediaPaths: 'relative' });
    expect(r.files).toEqual(plan.files.map((f) => f.path));
    expect(plan.notes.join('\n')).toMatch(/FCPXML needs an absolute file URL/);
    execFileSync('xmllint', ['--noout', '--dtdvalid', DTD_1_10, out]);
    const xml = readFileSync(out, 'utf8');
    const srcs = [...xml.matchAll(/<media-rep [^>]*src="([^"]+)"/g)].map((m) => fileURLToPath(m[1]!.replace(/&amp;/g, '&')));
    expect(srcs.length).toBe(shotNumbers.length + 1); // every shot's file and the music
    for (const src of srcs) {
      expect(existsSync(src)).toBe(true);
      expect(dirname(src)).toBe(join(tmp, 'fcp', 'media'));
    }
    const media = readdirSync(join(tmp, 'fcp', 'media')).sort();
    expect(media).toContain(`${shotNumbers[0]}.png`);
    expect(media).toContain(`${shotNumbers[1]}.mp4`);
    expect(media).toContain('music - Theme v2.wav');
    expect(media.filter((f) => !f.startsWith('.')).length).toBe(shotNumbers.length + 1);
    expect(xml).toContain('audioRole="music"');
  });

  it('Premiere XML is well-formed and keeps absolute pathurls even when relative paths are asked for', async () => {
    const out = join(tmp, 'ppro', 'Cyber Bob.xml');
    const r = await core.call('export.run', { projectId, format: 'xmeml', outPath: out, mediaPaths: 'relative' });
    execFileSync('xmllint', ['--noout', out]);
    const urls = [...readFileSync(out, 'utf8').matchAll(/<pathurl>([^<]+)<\/pathurl>/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(shotNumbers.length);
    for (const url of urls) expect(url).toMatch(/^file:\/\/localhost\//);
    expect(r.notes?.join('\n')).toMatch(/pathurl cannot be relative/);
  });

  it('EDL has one video event per shot and one stereo music event; the plan warns about Resolve and stills', async () => {
    const out = join(tmp, 'avid', 'Cyber Bob.edl');
    const plan = await core.call('export.plan', { projectId, format: 'edl', outPath: out });
    expect(plan.notes).toContain('Resolve does not import stills from an EDL: use the DaVinci Resolve preset for Resolve.');
    await core.call('export.run', { projectId, format: 'edl', outPath: out });
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines.filter((l) => /^\d{3,}\s+\S+\s+V\s+C\s/.test(l)).length).toBe(shotNumbers.length);
    expect(lines.filter((l) => /^\d{3,}\s+\S+\s+AA\s+C\s/.test(l)).length).toBe(1);
  });

  it('OTIO parses as JSON; relative target_urls resolve against the .otio file, absolute ones are file URLs', async () => {
    const urls = (file: string): string[] => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { tracks: { children: Array<{ children: Array<{ media_references?: Record<string, { target_url: string }> }> }> } };
      return doc.tracks.children.flatMap((t) => t.children.flatMap((c) => Object.values(c.media_references ?? {}).map((m) => m.target_url)));
    };
    const rel = join(tmp, 'otio-rel', 'Cyber Bob.otio');
    await core.call('export.run', { projectId, format: 'otio', outPath: rel, mediaPaths: 'relative' });
    const relUrls = urls(rel);
    expect(relUrls.length).toBe(shotNumbers.length + 1);
    expect(relUrls[0]).toBe(`media/${shotNumbers[0]}.png`);
    for (const u of relUrls) expect(existsSync(join(dirname(rel), u))).toBe(true);
    const abs = join(tmp, 'otio-abs', 'Cyber Bob.otio');
    await core.call('export.run', { projectId, format: 'otio', outPath: abs });
    for (const u of urls(abs)) {
      expect(u).toMatch(/^file:\/\/\//);
      expect(existsSync(fileURLToPath(u))).toBe(true);
    }
  });

  it('the Resolve preset writes "<name> (Resolve)/" with the timeline and media/ only, and a re-export replaces it whole', async () => {
    const folder = join(tmp, 'resolve', 'Cyber Bob (Resolve)');
    const r = await core.call('export.run', { projectId, format: 'resolve', outPath: folder, mediaPaths: 'relative' });
    expect(readdirSync(folder).sort()).toEqual(['Cyber Bob.otio', 'media']);
    expect(r.files[0]).toBe(join(folder, 'Cyber Bob.otio'));
    expect(readdirSync(join(folder, 'media')).length).toBe(shotNumbers.length + 1);
    expect(readdirSync(join(tmp, 'resolve'))).toEqual(['Cyber Bob (Resolve)']); // no temp folder left beside it
    await core.call('export.run', { projectId, format: 'resolve', outPath: folder, resolveVia: 'fcpxml' });
    expect(readdirSync(folder).sort()).toEqual(['Cyber Bob.fcpxml', 'media']);
    execFileSync('xmllint', ['--noout', '--dtdvalid', DTD_1_10, join(folder, 'Cyber Bob.fcpxml')]);
    expect(readFileSync(join(folder, 'Cyber Bob.fcpxml'), 'utf8')).toContain(`src="file://${encodeURI(folder)}/media/`);
  });
});

describe('renders', () => {
  it('mp4: ffprobe counts exactly the timeline\'s frames, with the music as AAC; progress rises to 1', async () => {
    progress.length = 0;
    const out = join(tmp, 'animatic', 'Cyber Bob.mp4');
    const r = await core.call('export.run', { projectId, format: 'mp4', outPath: out, exportId: 'anim-1' });
    expect(r).toMatchObject({ exportId: 'anim-1', durationFrames: totalFrames, files: [out] });
    expect(r.ffmpeg?.source).toBe('system');
    const packets = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', out], { encoding: 'utf8' });
    expect(Number(packets.trim())).toBe(totalFrames);
    const audio = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', out], { encoding: 'utf8' });
    expect(audio.trim()).toBe('aac');
    const mine = progress.filter((p) => p.exportId === 'anim-1');
    expect(mine.some((p) => p.stage === 'encode' && p.fraction > 0.1 && p.fraction < 1)).toBe(true);
    expect(mine.at(-1)).toMatchObject({ stage: 'done', fraction: 1, projectId });
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.fraction).toBeGreaterThanOrEqual(mine[i - 1]!.fraction);
  });

  it('export.cancel during the mp4 encode stops ffmpeg and leaves no file', async () => {
    const long = await core.call('project.create', { dir: tmp, name: 'Long Night', widthPx: 320, heightPx: 180 });
    const scene = await core.call('scene.create', { projectId: long.projectId, heading: 'INT. HALL - NIGHT' });
    for (let i = 0; i < 2; i++) {
      const { shotId } = await core.call('shot.create', { projectId: long.projectId, sceneId: scene.sceneId });
      await core.call('shot.update', { projectId: long.projectId, shotIds: [shotId], patch: { durationFrames: 30_000 } });
    }
    const outDir = join(tmp, 'cancelled');
    mkdirSync(outDir);
    const stop = core.events.on('export.progress', (p) => {
      if (p.exportId === 'long-1' && p.stage === 'encode' && p.fraction > 0.1) void core.call('export.cancel', { exportId: 'long-1' });
    });
    const started = Date.now();
    const reply = await core.dispatch('export.run', { projectId: long.projectId, format: 'mp4', outPath: join(outDir, 'long.mp4'), exportId: 'long-1' });
    stop();
    expect(reply).toMatchObject({ ok: false, error: { code: 'export_cancelled' } });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(readdirSync(outDir)).toEqual([]);
    expect(await core.call('export.cancel', { exportId: 'long-1' })).toEqual({ cancelled: false });
  });

  it('pdf: one page per four shots in portrait', async () => {
    const out = join(tmp, 'boards', 'Cyber Bob.pdf');
    const plan = await core.call('export.plan', { projectId, format: 'pdf', outPath: out, pdf: { perPage: 4, orientation: 'portrait' } });
    expect(plan.files).toEqual([{ path: out, kind: 'pdf' }]);
    await core.call('export.run', { projectId, format: 'pdf', outPath: out, pdf: { perPage: 4, orientation: 'portrait' } });
    const doc = await PDFDocument.load(readFileSync(out));
    expect(doc.getPageCount()).toBe(Math.ceil(shotNumbers.length / 4));
    const { width, height } = doc.getPage(0).getSize();
    expect(height).toBeGreaterThan(width);
  });
});

describe('project package', () => {
  it('round-trips through project.openPackage, and a corrupted package is refused naming the damaged file', async () => {
    const zip = join(tmp, 'pkg', 'Cyber Bob.storycanvas.zip');
    const r = await core.call('export.run', { projectId, format: 'zip', outPath: zip });
    expect(r.files).toEqual([zip]);
    const dest = join(tmp, 'unpacked');
    mkdirSync(dest);
    const opened = await core.call('project.openPackage', { zipPath: zip, destDir: dest });
    expect(dirname(opened.path)).toBe(dest);
    const copy = await core.call('project.get', { projectId: opened.projectId });
    expect(copy.scenes.flatMap((s) => s.shots).map((s) => s.number)).toEqual(shotNumbers);
    expect(copy.music).toMatchObject({ originalName: 'Theme v2.wav', offsetFrames: 24 });
    expect(existsSync(join(opened.path, copy.music!.path))).toBe(true);
    await core.call('project.close', { projectId: opened.projectId });

    // flip one byte inside a stored (uncompressed) PNG: only its SHA-256 can tell
    const bytes = readFileSync(zip);
    const take = copy.takes.find((t) => t.path.endsWith('.png'))!;
    const content = readFileSync(join(projectDir, take.path));
    const at = bytes.indexOf(content.subarray(0, 64));
    expect(at).toBeGreaterThan(0);
    bytes[at + Math.floor(content.length / 2)] ^= 0xff;
    const bad = join(tmp, 'pkg', 'damaged.zip');
    writeFileSync(bad, bytes);
    const dest2 = join(tmp, 'unpacked2');
    mkdirSync(dest2);
    const reply = await core.dispatch('project.openPackage', { zipPath: bad, destDir: dest2 });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('corrupt_package');
      expect(reply.error.message).toContain(take.path);
      expect(reply.error.message).toContain('damaged.zip');
    }
    expect(readdirSync(dest2)).toEqual([]);
  });
});

describe('choices and music', () => {
  it('remembers the last successful export per project, not a failed one', async () => {
    const p = await core.call('project.create', { dir: tmp, name: 'Choice', widthPx: 320, heightPx: 180 });
    expect(await core.call('export.lastChoice', { projectId: p.projectId })).toBeNull();
    expect(await core.dispatch('export.run', { projectId: p.projectId, format: 'edl' })).toMatchObject({ ok: false, error: { code: 'empty_timeline' } });
    expect(await core.call('export.lastChoice', { projectId: p.projectId })).toBeNull();
    await core.call('script.import', { projectId: p.projectId, path: CYBER_BOB });
    const out = join(tmp, 'choice', 'sheets.pdf');
    await core.call('export.run', { projectId: p.projectId, format: 'pdf', outPath: out, pdf: { perPage: 2, orientation: 'landscape' }, exportId: 'x1' });
    expect(await core.call('export.lastChoice', { projectId: p.projectId })).toEqual({ format: 'pdf', outPath: out, pdf: { perPage: 2, orientation: 'landscape' } });
    await core.call('project.close', { projectId: p.projectId });
    const again = await core.call('project.open', { path: p.path });
    expect((await core.call('export.lastChoice', { projectId: again.projectId }))?.format).toBe('pdf');
  });

  it('music: waveform peaks in 0..1, cached by content; move and clear are undoable and the file stays', async () => {
    const wave = await core.call('music.waveform', { projectId, buckets: 120 });
    expect(wave.peaks).toHaveLength(120);
    expect(wave.durationFrames).toBe(143); // 6 s at 24000/1001, rounded down
    for (const v of wave.peaks) expect(v).toBeGreaterThanOrEqual(0);
    // lavfi's sine is 1/8 of full scale; the stereo-to-mono downmix takes it to 1/8 / sqrt(2)
    expect(Math.max(...wave.peaks)).toBeCloseTo(0.125 / Math.SQRT2, 2);
    const cached = readdirSync(join(projectDir, 'media', 'waveforms'));
    expect(cached).toHaveLength(1);
    expect(cached[0]).toMatch(/^[0-9a-f]{64}\.peaks$/);
    expect((await core.call('music.waveform', { projectId, buckets: 120 })).peaks).toEqual(wave.peaks);

    await core.call('music.update', { projectId, offsetFrames: 48 });
    expect((await core.call('project.get', { projectId })).music?.offsetFrames).toBe(48);
    await core.call('edit.undo', { projectId });
    expect((await core.call('project.get', { projectId })).music?.offsetFrames).toBe(24);
    const before = (await core.call('project.get', { projectId })).music!;
    await core.call('music.clear', { projectId });
    expect((await core.call('project.get', { projectId })).music).toBeNull();
    expect(existsSync(join(projectDir, before.path))).toBe(true);
    await core.call('edit.undo', { projectId });
    expect((await core.call('project.get', { projectId })).music).toEqual(before);

    const notAudio = await core.dispatch('music.set', { projectId, path: join(tmp, 'board.png') });
    expect(notAudio).toMatchObject({ ok: false, error: { code: 'not_audio' } });
    const video = await core.dispatch('music.set', { projectId, path: join(tmp, 'clip.mp4') });
    expect(video).toMatchObject({ ok: false, error: { code: 'music_has_picture' } });
    const bytes = readFileSync(join(tmp, 'Theme v2.wav')).toString('base64');
    const byValue = await core.call('music.set', { projectId, fileName: 'C:\\Users\\ana\\Theme v2.wav', dataBase64: bytes, offsetFrames: 24 });
    expect(byValue).toEqual(before); // same content: same file, same name
  });
});

