import { readFile, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from './MediaError.ts';
import {
  ensurePlaceholderCard,
  placeholderCardHash,
  placeholderCardSvg,
  placeholderRenderCount,
  renderPlaceholderCard,
  type PlaceholderCard,
} from './placeholder.ts';
import { makeTempDir } from './testFixtures.ts';

/**
 * Scene 1 of /work/shared/fixtures/fountain/Cyber_Bob_ep00001.fountain (public-domain dedication, see
 * ../shared/fixtures/README.md): its first action paragraph and the three lines of dialogue after it.
 */
const cyberBob: PlaceholderCard = {
  sceneNumber: '1',
  shotNumber: '1A',
  shotSize: 'WS',
  cameraAngle: 'eye-level',
  cameraMove: 'truck',
  action:
    'CYBER BOB, 40, a white man,\na mild, goofy,\nfairly daft pawn of a soul,\nstrolls through the park.\nHe admires\na CUTE DOG\n' +
    'and MARGARET, 37, a white woman,\namicable, mild, curious, and very sharp,\nwho cross his path.\nShe leads the dog on a leash.\nHe smiles at them.',
  dialogue: [
    { character: 'BOB', text: 'Hi hello.' },
    { character: 'DOG', text: 'YIP YUP!' },
    { character: 'MARGARET', text: 'Hiii.' },
  ],
  durationFrames: 96,
  frameRate: { num: 24000, den: 1001 },
};

let project = '';
beforeAll(async () => {
  project = await makeTempDir('storycanvas-cards-');
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('renderPlaceholderCard', () => {
  it('renders a PNG of exactly the asked size, at 1920x1080 and at 320x180', async () => {
    for (const [widthPx, heightPx] of [
      [1920, 1080],
      [320, 180],
      [1080, 1920],
      [16, 16],
    ]) {
      const png = await renderPlaceholderCard(cyberBob, widthPx, heightPx);
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', widthPx, heightPx]);
    }
  });

  it('draws on the dark neutral background with light text on it', async () => {
    const { data, info } = await sharp(await renderPlaceholderCard(cyberBob, 320, 180)).raw().toBuffer({ resolveWithObject: true });
    let brightPixels = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i] > 180 && data[i + 1] > 180 && data[i + 2] > 180) brightPixels++;
    // Bottom middle, below any text: the background, close to #1d2026.
    expect(Math.abs(data[(178 * info.width + 160) * info.channels] - 0x1d)).toBeLessThan(16);
    expect(brightPixels).toBeGreaterThan(300);
  });

  it('renders different text as different pictures', async () => {
    const a = await sharp(await renderPlaceholderCard(cyberBob, 320, 180)).raw().toBuffer();
    const b = await sharp(await renderPlaceholderCard({ ...cyberBob, action: 'The dogs go silent.' }, 320, 180)).raw().toBuffer();
    expect(a.equals(b)).toBe(false);
  });

  it('escapes XML special characters and drops control characters instead of breaking', async () => {
    const nasty: PlaceholderCard = {
      ...cyberBob,
      shotNumber: '<12A>',
      sceneNumber: '1 & 2',
      cameraMove: '"zoom"',
      action: 'Bob types </text><script>alert(1)</script> & "quotes" \'apostrophes\' ]]> <!-- -->\u0000\u0007\ud800 done',
      dialogue: [{ character: 'R&D <BOT>', parenthetical: '(<beat>)', text: 'a < b && c > d' }],
    };
    const svg = placeholderCardSvg(nasty, 1920, 1080);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('R&amp;D &lt;BOT&gt;:');
    expect(svg).not.toMatch(/[\u0000\u0007]/);
    const png = await renderPlaceholderCard(nasty, 640, 360);
    expect((await sharp(png).metadata()).width).toBe(640);
  });

  it('shows the shot number, scene, chips, duration and dialogue in the SVG', () => {
    const svg = placeholderCardSvg(cyberBob, 1920, 1080);
    for (const text of ['>1A<', '>SCENE 1<', '>WS<', '>EYE LEVEL<', '>TRUCK<', '>4.0s<', '96 FR @ 23.976 FPS', '>BOB: <', 'Hi hello.', 'DejaVu Sans, Liberation Sans, Arial, sans-serif']) {
      expect(svg).toContain(text);
    }
  });

  it('shows a line without a character name without a stray colon', () => {
    const svg = placeholderCardSvg({ ...cyberBob, dialogue: [{ character: '  ', text: 'Voices, off.' }] }, 1920, 1080);
    expect(svg).toContain('Voices, off.');
    expect(svg).not.toContain('>: <');
  });

  it('ends text that does not fit with an ellipsis and keeps it inside the card', () => {
    const long = { ...cyberBob, action: cyberBob.action.repeat(20) };
    const svg = placeholderCardSvg(long, 320, 180);
    expect(svg).toContain('…');
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...ys)).toBeLessThanOrEqual(180);
  });

  it('refuses sizes out of range', async () => {
    await expect(renderPlaceholderCard(cyberBob, 0, 180)).rejects.toBeInstanceOf(MediaError);
    await expect(renderPlaceholderCard(cyberBob, 320, 180.5)).rejects.toThrow(/height of 180.5 px is out of range/);
  });
});

describe('ensurePlaceholderCard', () => {
  it('writes media/cards/<hash>-<w>x<h>.png and returns the same path without re-rendering', async () => {
    const rel = await ensurePlaceholderCard(project, cyberBob, 320, 180);
    expect(rel).toBe(`media/cards/${placeholderCardHash(cyberBob)}-320x180.png`);
    const file = path.join(project, rel);
    expect((await sharp(file).metadata()).width).toBe(320);
    const old = new Date('2022-02-02T00:00:00Z');
    await utimes(file, old, old);
    const before = placeholderRenderCount();
    expect(await ensurePlaceholderCard(project, cyberBob, 320, 180)).toBe(rel);
    expect(placeholderRenderCount()).toBe(before);
    expect((await stat(file)).mtime.getTime()).toBe(old.getTime());
  });

  it('gives different text and different sizes different files', async () => {
    const a = await ensurePlaceholderCard(project, cyberBob, 320, 180);
    const b = await ensurePlaceholderCard(project, { ...cyberBob, dialogue: [{ character: 'BOB', text: 'Watch.' }] }, 320, 180);
    const c = await ensurePlaceholderCard(project, cyberBob, 640, 360);
    expect(new Set([a, b, c]).size).toBe(3);
    expect((await readFile(path.join(project, a))).equals(await readFile(path.join(project, b)))).toBe(false);
  });

  it('renders once for concurrent calls', async () => {
    const card = { ...cyberBob, shotNumber: '1B' };
    const before = placeholderRenderCount();
    const paths = await Promise.all(Array.from({ length: 5 }, () => ensurePlaceholderCard(project, card, 480, 270)));
    expect(new Set(paths).size).toBe(1);
    expect(placeholderRenderCount()).toBe(before + 1);
  });

  it('hashes the content: equal cards share a file, the design version is part of it', () => {
    expect(placeholderCardHash({ ...cyberBob })).toBe(placeholderCardHash(cyberBob));
    expect(placeholderCardHash({ ...cyberBob, cameraMove: null })).not.toBe(placeholderCardHash(cyberBob));
    expect(placeholderCardHash(cyberBob)).toMatch(/^[0-9a-f]{64}$/);
  });
});
