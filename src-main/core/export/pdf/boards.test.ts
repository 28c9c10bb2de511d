import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBoardsPdf, type BoardShot, type StoryboardSheets } from './boards.ts';
import { prepareBoardImage } from './images.ts';
import { PAGE_SIZES_PT, PANELS_PER_PAGE, type PageOrientation, type PageSizeName } from './layout.ts';

let dir: string;
let sheets: StoryboardSheets;

/** A drawing-like test image: a horizon, a figure and the shot number, on paper. */
function panelSvg(widthPx: number, heightPx: number, label: string, hue: number): string {
  const w = widthPx;
  const h = heightPx;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <rect width="${w}" height="${h}" fill="hsl(${hue},30%,92%)"/>
    <path d="M0 ${h * 0.62} Q ${w * 0.3} ${h * 0.55} ${w * 0.55} ${h * 0.63} T ${w} ${h * 0.6}" stroke="#333" stroke-width="${w / 300}" fill="none"/>
    <circle cx="${w * 0.62}" cy="${h * 0.33}" r="${h * 0.07}" fill="none" stroke="#222" stroke-width="${w / 250}"/>
    <path d="M${w * 0.62} ${h * 0.4} L ${w * 0.62} ${h * 0.62} M ${w * 0.55} ${h * 0.48} L ${w * 0.69} ${h * 0.48}" stroke="#222" stroke-width="${w / 250}"/>
    <rect x="${w * 0.08}" y="${h * 0.2}" width="${w * 0.2}" height="${h * 0.35}" fill="hsl(${hue},40%,70%)" stroke="#444"/>
    <text x="${w * 0.05}" y="${h * 0.92}" font-family="DejaVu Sans" font-size="${h / 9}" fill="#555">${label}</text>
  </svg>`;
}

async function image(name: string, widthPx: number, heightPx: number, hue: number, format: 'png' | 'jpeg' | 'webp'): Promise<string> {
  const path = join(dir, name);
  const pipeline = sharp(Buffer.from(panelSvg(widthPx, heightPx, name, hue))).removeAlpha();
  await (format === 'png' ? pipeline.png() : format === 'jpeg' ? pipeline.jpeg({ quality: 90 }) : pipeline.webp()).toFile(path);
  return path;
}

function shot(index: number, imagePath: string | null, extra: Partial<BoardShot> = {}): BoardShot {
  return {
    shotNumber: String(index + 1), sceneNumber: String(Math.floor(index / 4) + 1), sceneHeading: 'EXT. LIGHTHOUSE - NIGHT',
    imagePath, action: 'Waves break against the rocks below the lighthouse.', dialogue: [],
    shotSize: 'WS', cameraAngle: 'Low angle', cameraMove: 'Static', durationFrames: 48 + index * 12, notes: '', ...extra,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'boards-test-'));
  const wide = await image('wide.png', 1280, 720, 200, 'png');
  const photo = await image('photo.jpg', 1920, 1080, 30, 'jpeg');
  const webp = await image('sketch.webp', 1024, 576, 120, 'webp');
  const big = await image('big.jpg', 4000, 2250, 280, 'jpeg');
  const tall = await image('tall.png', 720, 1280, 340, 'png');
  const scope = await image('scope.jpg', 2048, 858, 60, 'jpeg');
  sheets = {
    title: 'The Lighthouse — Draft 3',
    subtitle: 'Sequence 1: “Arrival” · storyboard by Zoë Ångström',
    date: '2025-11-21',
    frameRate: { num: 24000, den: 1001 },
    shots: [
      shot(0, wide, { action: 'A storm rolls in over the bay. The lighthouse beam sweeps across the water.' }),
      shot(1, photo, {
        shotNumber: '1A', shotSize: 'MS', cameraAngle: 'Eye level', cameraMove: 'Push in',
        action: 'Élodie climbs the spiral stairs, lantern in hand.',
        dialogue: [{ character: 'Élodie', parenthetical: '(out of breath)', text: '“It’s still turning… after all these years?”' }],
      }),
      shot(2, webp, { shotSize: 'CU', cameraAngle: null, cameraMove: null, notes: 'Match the lantern flicker with shot 1A.' }),
      shot(3, big, {
        action: 'The keeper’s logbook lies open on the desk. Ink smudged, pages swollen with damp. The last entry is dated ' +
          'thirty years ago, the handwriting shaky and hurried, as if written in a storm just like this one, by someone ' +
          'who knew they would not be there to write the next. A gull screams outside. The beam passes again, lighting ' +
          'the page for a moment, then darkness.',
        dialogue: [
          { character: 'KEEPER (V.O.)', text: 'If you are reading this, the light has kept its promise. I could not keep mine.' },
          { character: 'ÉLODIE', text: 'Who were you waiting for?' },
        ],
      }),
      shot(4, tall, { shotNumber: '5', shotSize: null, cameraAngle: null, cameraMove: null, action: '' }),
      shot(5, scope, { action: 'Wide on the island. Greek and emoji are replaced: Ωμέγα 🌊 — “done”.' }),
      shot(6, null, { action: 'No take yet for this shot.' }),
      shot(7, join(dir, 'gone.png'), { action: 'The file of this take was deleted.' }),
      ...Array.from({ length: 5 }, (_, i) => shot(8 + i, [wide, photo, webp, big, tall][i]!, { shotNumber: `${9 + i}${i % 2 ? 'A' : ''}` })),
    ],
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderBoardsPdf', () => {
  it('makes ceil(13 / perPage) pages of the right size for every layout', async () => {
    for (const pageSize of ['A4', 'Letter'] as PageSizeName[]) {
      for (const orientation of ['portrait', 'landscape'] as PageOrientation[]) {
        for (const perPage of PANELS_PER_PAGE) {
          const bytes = await renderBoardsPdf(sheets, { perPage, orientation, pageSize });
          const doc = await PDFDocument.load(bytes);
          expect(doc.getPageCount(), `${pageSize} ${orientation} ${perPage}`).toBe(Math.ceil(13 / perPage));
          const { width, height } = doc.getPage(0).getSize();
          const portrait = PAGE_SIZES_PT[pageSize];
          expect([width, height]).toEqual(
            orientation === 'portrait' ? [portrait.widthPt, portrait.heightPt] : [portrait.heightPt, portrait.widthPt],
          );
        }
      }
    }
  });

  it('prints the title, accents, typographic quotes, the shot facts and "Page N of M"', async () => {
    const bytes = await renderBoardsPdf(sheets, { perPage: 6, orientation: 'landscape' });
    const pdfPath = join(dir, 'six.pdf');
    writeFileSync(pdfPath, bytes);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('The Lighthouse — Draft 3');
    expect(text).toContain('Sequence 1: “Arrival” · storyboard by Zoë Ångström');
    expect(text).toContain('Page 1 of 3');
    expect(text).toContain('Page 3 of 3');
    expect(text).toContain('MS · Eye level · Push in');
    expect(text).toContain('2.5 s · 60 fr'); // shot 1A: 60 frames at 24000/1001
    expect(text).toMatch(/ÉLODIE: \(out of breath\) “It’s still turning…/);
    expect(text).toContain('Greek and emoji are replaced: ????? ?');
    expect(text).toContain('Image missing or unreadable: gone.png');
    expect(text).toContain('13 shots');
    // the long action is cut with an ellipsis, not spilled over the next panel
    expect(text).not.toContain('then darkness.');
    expect(text).toMatch(/…/);
  });

  it('renders sheets an artist can print (PNG previews in /tmp/boards-*.png)', async () => {
    const cases = [
      { name: 'six-landscape', perPage: 6 as const, orientation: 'landscape' as const },
      { name: 'two-portrait', perPage: 2 as const, orientation: 'portrait' as const },
      { name: 'three-portrait', perPage: 3 as const, orientation: 'portrait' as const },
    ];
    for (const c of cases) {
      const pdfPath = join(dir, `${c.name}.pdf`);
      writeFileSync(pdfPath, await renderBoardsPdf(sheets, { perPage: c.perPage, orientation: c.orientation }));
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdfPath, `/tmp/boards-${c.name}`]);
      const preview = await sharp(`/tmp/boards-${c.name}-1.png`).stats();
      // mostly white paper with dark ink and coloured panels: not blank, not black
      expect(preview.channels[0]!.mean).toBeGreaterThan(150);
      expect(preview.channels[0]!.min).toBeLessThan(60);
    }
  });

  it('refuses bad input with a message naming the field', async () => {
    await expect(renderBoardsPdf({ ...sheets, shots: [] }, { perPage: 6, orientation: 'landscape' })).rejects.toThrow(/no shots/);
    await expect(renderBoardsPdf(sheets, { perPage: 5 as never, orientation: 'landscape' })).rejects.toThrow(/perPage must be one of 1, 2, 3, 4, 6/);
    await expect(renderBoardsPdf(sheets, { perPage: 4, orientation: 'sideways' as never })).rejects.toThrow(/orientation/);
    await expect(renderBoardsPdf(sheets, { perPage: 4, orientation: 'portrait', pageSize: 'A3' as never })).rejects.toThrow(/pageSize/);
    await expect(
      renderBoardsPdf({ ...sheets, shots: [shot(0, null, { durationFrames: 0 })] }, { perPage: 1, orientation: 'portrait' }),
    ).rejects.toThrow(/shot 1 \(1\): durationFrames must be a whole number/);
    await expect(renderBoardsPdf({ ...sheets, frameRate: { num: 24, den: 0 } }, { perPage: 1, orientation: 'portrait' })).rejects.toThrow(
      /frame rate/,
    );
  });
});

describe('prepareBoardImage', () => {
  it('embeds a small JPEG or PNG as it is and converts WebP to JPEG', async () => {
    const photo = await prepareBoardImage(join(dir, 'photo.jpg'), 4000, 4000);
    expect(photo).toMatchObject({ kind: 'jpg', widthPx: 1920, heightPx: 1080 });
    const png = await prepareBoardImage(join(dir, 'wide.png'), 4000, 4000);
    expect(png).toMatchObject({ kind: 'png', widthPx: 1280, heightPx: 720 });
    const webp = await prepareBoardImage(join(dir, 'sketch.webp'), 4000, 4000);
    expect(webp).toMatchObject({ kind: 'jpg', widthPx: 1024, heightPx: 576 });
    expect(Buffer.from(webp.bytes.subarray(0, 3)).toString('hex')).toBe('ffd8ff');
  });

  it('downscales a big image to the panel at print resolution, keeping its aspect', async () => {
    const big = await prepareBoardImage(join(dir, 'big.jpg'), 700, 700);
    expect(big).toMatchObject({ kind: 'jpg', widthPx: 700 });
    expect(Math.abs(big.heightPx - 700 / (4000 / 2250))).toBeLessThan(1);
  });

  it('names the file it could not read', async () => {
    await expect(prepareBoardImage(join(dir, 'gone.png'), 100, 100)).rejects.toThrow(/gone\.png could not be read/);
  });
});
