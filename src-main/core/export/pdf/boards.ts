/**
 * Storyboard sheets as a PDF, drawn with pdf-lib (https://pdf-lib.js.org): a header with the project's title,
 * subtitle and date, a grid of 1, 2, 3, 4 or 6 panels per page (each image fitted inside a thin frame), the shot's
 * facts and text under (or beside) each panel, and "Page 3 of 12" in the footer.
 *
 * ```ts
 * const bytes = await renderBoardsPdf({ title: 'The Lighthouse', subtitle: 'Draft 3', frameRate, shots },
 *   { perPage: 6, orientation: 'landscape', pageSize: 'A4' });
 * ```
 *
 * Fonts: the standard Helvetica faces (WinAnsiEncoding: accents, typographic quotes, dashes and `…` print; other
 * scripts are replaced, see `toWinAnsi`). Embedding DejaVu Sans for full Unicode needs the @pdf-lib/fontkit
 * package, which is not installed.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import type { Rational } from '../EditTimeline.ts';
import { normalizeFrameRate } from '../time.ts';
import { BOARD_IMAGE_DPI, displaySizePx, prepareBoardImage } from './images.ts';
import {
  PANELS_PER_PAGE, fitInside, panelLayout, sheetLayout,
  type Box, type PageOrientation, type PageSizeName, type PanelsPerPage,
} from './layout.ts';
import { fitLine, layoutParagraph, toWinAnsi, type TextRun } from './text.ts';

/** One shot on the sheet. */
export interface BoardShot {
  shotNumber: string;                 // '12A'
  sceneNumber: string;                // '12'
  sceneHeading: string;               // 'INT. KITCHEN - NIGHT'
  /** absolute path of the selected take's image (PNG, JPEG, WebP, ...); null when the shot has none yet */
  imagePath: string | null;
  action: string;
  dialogue: { character: string; parenthetical?: string; text: string }[];
  shotSize: string | null;            // 'MS', 'Close-up', ...
  cameraAngle: string | null;
  cameraMove: string | null;
  durationFrames: number;
  notes: string;
}

/** The sheets' content. */
export interface StoryboardSheets {
  title: string;
  subtitle?: string;
  /** printed top-right; default today's date (YYYY-MM-DD, local time) */
  date?: string;
  frameRate: Rational;
  shots: BoardShot[];
}

/** Layout of the sheets. */
export interface BoardsPdfOptions {
  perPage: PanelsPerPage;
  orientation: PageOrientation;
  /** default 'A4' */
  pageSize?: PageSizeName;
  /** width / height of the panel frames; default the most common aspect of the shots' images, else 16:9 */
  frameAspect?: number;
}

const INK = rgb(0.1, 0.1, 0.1);
const GREY = rgb(0.42, 0.42, 0.42);
const RULE = rgb(0.75, 0.75, 0.75);
const FRAME = rgb(0.2, 0.2, 0.2);
const EMPTY_FILL = rgb(0.93, 0.93, 0.93);
const LINE_SPACING = 1.28;
/** Lines of text a panel keeps room for when its text sits below the frame. */
const PANEL_TEXT_LINES = 6;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  oblique: PDFFont;
}

function checkInput(boards: StoryboardSheets, opts: BoardsPdfOptions): void {
  if (boards === null || typeof boards !== 'object') throw new Error('renderBoardsPdf needs the sheets object {title, frameRate, shots}');
  if (typeof boards.title !== 'string') throw new Error('the sheets need a title (the project name)');
  normalizeFrameRate(boards.frameRate);
  if (!Array.isArray(boards.shots) || boards.shots.length === 0) {
    throw new Error('there are no shots to print: add shots to the storyboard first');
  }
  boards.shots.forEach((shot, index) => {
    const where = `shot ${index + 1}${typeof shot?.shotNumber === 'string' ? ` (${shot.shotNumber})` : ''}`;
    if (shot === null || typeof shot !== 'object') throw new Error(`${where}: not a shot object`);
    for (const key of ['shotNumber', 'sceneNumber', 'sceneHeading', 'action', 'notes'] as const) {
      if (typeof shot[key] !== 'string') throw new Error(`${where}: ${key} must be a string; got ${typeof shot[key]}`);
    }
    if (!Number.isSafeInteger(shot.durationFrames) || shot.durationFrames < 1) {
      throw new Error(`${where}: durationFrames must be a whole number of frames > 0; got ${shot.durationFrames}`);
    }
    if (!Array.isArray(shot.dialogue)) throw new Error(`${where}: dialogue must be an array (empty when none)`);
    if (shot.imagePath !== null && typeof shot.imagePath !== 'string') throw new Error(`${where}: imagePath must be a path or null`);
  });
  if (!PANELS_PER_PAGE.includes(opts?.perPage)) {
    throw new Error(`perPage must be one of ${PANELS_PER_PAGE.join(', ')}; got ${String(opts?.perPage)}`);
  }
  if (opts.orientation !== 'portrait' && opts.orientation !== 'landscape') {
    throw new Error(`orientation must be 'portrait' or 'landscape'; got ${String(opts.orientation)}`);
  }
  if (opts.pageSize !== undefined && opts.pageSize !== 'A4' && opts.pageSize !== 'Letter') {
    throw new Error(`pageSize must be 'A4' or 'Letter'; got ${String(opts.pageSize)}`);
  }
  if (opts.frameAspect !== undefined && !(opts.frameAspect >= 0.2 && opts.frameAspect <= 5)) {
    throw new Error(`frameAspect must be a width / height ratio between 0.2 and 5; got ${opts.frameAspect}`);
  }
}

/** Today's local date as YYYY-MM-DD. */
function today(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `24 fps`, `23.976 fps` (for people; the rate itself stays a rational). */
function fpsLabel(rate: Rational): string {
  const r = normalizeFrameRate(rate);
  return r.den === 1 ? `${r.num} fps` : `${(r.num / r.den).toFixed(3)} fps`;
}

/** Seconds with one decimal: `3.0 s`. */
function secondsLabel(frames: number, rate: Rational): string {
  const r = normalizeFrameRate(rate);
  return `${((frames * r.den) / r.num).toFixed(1)} s`;
}

/** `2:05` for a running time. */
function runningTimeLabel(frames: number, rate: Rational): string {
  const r = normalizeFrameRate(rate);
  const seconds = Math.round((frames * r.den) / r.num);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The most common aspect among the images (rounded to 0.01), else 16:9. */
async function commonAspect(shots: BoardShot[]): Promise<number> {
  const counts = new Map<number, number>();
  for (const shot of shots) {
    if (!shot.imagePath) continue;
    const size = await displaySizePx(shot.imagePath);
    if (!size) continue;
    const aspect = Math.round((size.widthPx / size.heightPx) * 100) / 100;
    if (aspect < 0.2 || aspect > 5) continue;
    counts.set(aspect, (counts.get(aspect) ?? 0) + 1);
  }
  let best = 16 / 9;
  let bestCount = 0;
  for (const [aspect, count] of counts) {
    if (count > bestCount) {
      best = aspect;
      bestCount = count;
    }
  }
  return best;
}

function drawText(page: PDFPage, text: string, x: number, y: number, size: number, font: PDFFont, color: RGB): void {
  if (text !== '') page.drawText(text, { x, y, size, font, color });
}

function drawHeader(page: PDFPage, box: Box, boards: StoryboardSheets, fonts: Fonts, totalFrames: number): void {
  const top = box.yPt + box.heightPt;
  const rightWidth = 190;
  const titleSize = 17;
  const title = fitLine(toWinAnsi(boards.title.trim() || 'Untitled'), fonts.bold, titleSize, box.widthPt - rightWidth - 12);
  drawText(page, title, box.xPt, top - titleSize, titleSize, fonts.bold, INK);
  if (boards.subtitle) {
    const subtitle = fitLine(toWinAnsi(boards.subtitle.trim()), fonts.regular, 10, box.widthPt - rightWidth - 12);
    drawText(page, subtitle, box.xPt, top - titleSize - 15, 10, fonts.regular, GREY);
  }
  const right = box.xPt + box.widthPt;
  const date = toWinAnsi(boards.date ?? today());
  drawText(page, date, right - fonts.regular.widthOfTextAtSize(date, 10), top - 12, 10, fonts.regular, INK);
  const count = boards.shots.length;
  const facts = `${count} shot${count === 1 ? '' : 's'}  ·  ${runningTimeLabel(totalFrames, boards.frameRate)}  ·  ${fpsLabel(boards.frameRate)}`;
  drawText(page, facts, right - fonts.regular.widthOfTextAtSize(facts, 9), top - 27, 9, fonts.regular, GREY);
  page.drawLine({ start: { x: box.xPt, y: box.yPt + 2 }, end: { x: right, y: box.yPt + 2 }, thickness: 1, color: INK });
}

function drawFooter(page: PDFPage, box: Box, boards: StoryboardSheets, fonts: Fonts, pageNumber: number, pageCount: number): void {
  const size = 8;
  const y = box.yPt + 4;
  page.drawLine({
    start: { x: box.xPt, y: box.yPt + box.heightPt - 4 }, end: { x: box.xPt + box.widthPt, y: box.yPt + box.heightPt - 4 },
    thickness: 0.5, color: RULE,
  });
  const label = `Page ${pageNumber} of ${pageCount}`;
  const labelWidth = fonts.regular.widthOfTextAtSize(label, size);
  drawText(page, label, box.xPt + (box.widthPt - labelWidth) / 2, y, size, fonts.regular, INK);
  const title = fitLine(toWinAnsi(boards.title.trim()), fonts.regular, size, box.widthPt / 2 - labelWidth / 2 - 12);
  drawText(page, title, box.xPt, y, size, fonts.regular, GREY);
  const app = 'StoryCanvas';
  drawText(page, app, box.xPt + box.widthPt - fonts.regular.widthOfTextAtSize(app, size), y, size, fonts.regular, GREY);
}

/** Text size for a panel, from its cell's width: 7.5 pt in the narrowest cells up to 10 pt. */
function textSizeFor(cellWidthPt: number): number {
  return Math.max(7.5, Math.min(10, Math.round((cellWidthPt / 30) * 2) / 2));
}

function drawPanelText(page: PDFPage, box: Box, size: number, shot: BoardShot, rate: Rational, fonts: Fonts): void {
  const lineHeight = size * LINE_SPACING;
  const left = box.xPt;
  const right = box.xPt + box.widthPt;
  let y = box.yPt + box.heightPt - size * 1.3; // baseline of the first line

  // shot number (bold), duration right-aligned, and the scene between them when it fits whole, else on its own line
  const numberSize = size * 1.3;
  const shotLabel = fitLine(toWinAnsi(shot.shotNumber), fonts.bold, numberSize, box.widthPt * 0.4);
  drawText(page, shotLabel, left, y, numberSize, fonts.bold, INK);
  const duration = `${secondsLabel(shot.durationFrames, rate)} · ${shot.durationFrames} fr`;
  const durationWidth = fonts.bold.widthOfTextAtSize(duration, size);
  drawText(page, duration, right - durationWidth, y, size, fonts.bold, INK);
  const sceneParts = [shot.sceneNumber.trim() ? `Sc ${shot.sceneNumber.trim()}` : '', shot.sceneHeading.trim()].filter(Boolean);
  const scene = toWinAnsi(sceneParts.join(' · '));
  const sceneX = left + fonts.bold.widthOfTextAtSize(shotLabel, numberSize) + size * 0.7;
  const sceneRoom = right - durationWidth - size - sceneX;
  if (fonts.regular.widthOfTextAtSize(scene, size) <= sceneRoom) {
    drawText(page, scene, sceneX, y, size, fonts.regular, GREY);
  } else if (scene !== '') {
    y -= lineHeight * 1.05;
    drawText(page, fitLine(scene, fonts.regular, size, box.widthPt), left, y, size, fonts.regular, GREY);
  }

  // shot size, angle, move
  const camera = [shot.shotSize, shot.cameraAngle, shot.cameraMove]
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim().replace(/[_]+/g, ' '))
    .join(' · ');
  if (camera !== '') {
    y -= lineHeight * 1.05;
    drawText(page, fitLine(toWinAnsi(camera), fonts.oblique, size, box.widthPt), left, y, size, fonts.oblique, INK);
  }
  // a hairline under the facts, then the text
  const ruleY = y - size * 0.55;
  page.drawLine({ start: { x: left, y: ruleY }, end: { x: right, y: ruleY }, thickness: 0.4, color: RULE });
  y = ruleY - size * 1.25;

  // action, dialogue (CHARACTER: line) and notes, wrapped, cut with an ellipsis where the block ends
  const runs: TextRun<PDFFont>[] = [];
  const paragraph = (parts: TextRun<PDFFont>[]): void => {
    const clean = parts.map((p) => ({ ...p, text: toWinAnsi(p.text).replace(/\s+/g, ' ').trim() })).filter((p) => p.text !== '');
    if (clean.length === 0) return;
    if (runs.length > 0) clean[0] = { ...clean[0]!, text: `\n${clean[0]!.text}` };
    runs.push(...clean.map((p, i) => (i === 0 ? p : { ...p, text: ` ${p.text}` })));
  };
  paragraph([{ text: shot.action, font: fonts.regular }]);
  for (const line of shot.dialogue) {
    paragraph([
      { text: `${line.character.trim().toUpperCase()}:`, font: fonts.bold },
      ...(line.parenthetical?.trim() ? [{ text: line.parenthetical.trim(), font: fonts.oblique }] : []),
      { text: line.text, font: fonts.regular },
    ]);
  }
  if (shot.notes.trim()) paragraph([{ text: 'Note:', font: fonts.oblique }, { text: shot.notes, font: fonts.oblique }]);
  const maxLines = y < box.yPt + size * 0.2 ? 0 : Math.floor((y - box.yPt - size * 0.2) / lineHeight) + 1;
  const { lines } = layoutParagraph(runs, size, box.widthPt, Math.max(0, maxLines));
  for (const line of lines) {
    for (const run of line) {
      const color = run.font === fonts.oblique ? GREY : INK;
      drawText(page, run.text, left + run.xPt, y, size, run.font, color);
    }
    y -= lineHeight;
  }
}

function drawFrame(page: PDFPage, frame: Box, image: PDFImage | null, fonts: Fonts, missingLabel: string | null): void {
  page.drawRectangle({ x: frame.xPt, y: frame.yPt, width: frame.widthPt, height: frame.heightPt, color: image ? rgb(1, 1, 1) : EMPTY_FILL });
  if (image) {
    const placed = fitInside(frame, image.width / image.height);
    page.drawImage(image, { x: placed.xPt, y: placed.yPt, width: placed.widthPt, height: placed.heightPt });
  } else if (missingLabel) {
    const size = Math.max(7, Math.min(11, frame.widthPt / 22));
    const text = fitLine(toWinAnsi(missingLabel), fonts.regular, size, frame.widthPt - 12);
    const width = fonts.regular.widthOfTextAtSize(text, size);
    drawText(page, text, frame.xPt + (frame.widthPt - width) / 2, frame.yPt + frame.heightPt / 2 - size / 3, size, fonts.regular, GREY);
  }
  page.drawRectangle({
    x: frame.xPt, y: frame.yPt, width: frame.widthPt, height: frame.heightPt, borderColor: FRAME, borderWidth: 0.75,
  });
}

/**
 * Renders storyboard sheets to PDF bytes: `ceil(shots / perPage)` pages of `pageSize` (default A4) in
 * `orientation`, panels in reading order.
 *
 * A shot without an image (imagePath null) gets an empty grey frame; a missing or unreadable image gets a frame
 * that says so, so one bad file does not stop the print. Images are embedded at most at 200 dpi of their frame.
 * @throws Error naming the bad field for malformed input (no shots, a bad perPage, orientation, pageSize, frame
 *   rate, or shot field).
 */
export async function renderBoardsPdf(boards: StoryboardSheets, opts: BoardsPdfOptions): Promise<Uint8Array> {
  checkInput(boards, opts);
  const rate = normalizeFrameRate(boards.frameRate);
  const pageSize = opts.pageSize ?? 'A4';
  const layout = sheetLayout(opts.perPage, opts.orientation, pageSize);
  const frameAspect = opts.frameAspect ?? (await commonAspect(boards.shots));

  const doc = await PDFDocument.create();
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    oblique: await doc.embedFont(StandardFonts.HelveticaOblique),
  };
  doc.setTitle(toWinAnsi(boards.title));
  if (boards.subtitle) doc.setSubject(toWinAnsi(boards.subtitle));
  doc.setCreator('StoryCanvas');
  doc.setProducer('StoryCanvas (pdf-lib)');
  doc.setCreationDate(new Date());

  const totalFrames = boards.shots.reduce((sum, shot) => sum + shot.durationFrames, 0);
  const pageCount = Math.ceil(boards.shots.length / opts.perPage);
  const embedded = new Map<string, PDFImage | string>(); // path -> image, or the reason it could not be used
  for (let pageIndex = 0; pageIndex < pageCount; pageIndex++) {
    const page = doc.addPage([layout.pageWidthPt, layout.pageHeightPt]);
    drawHeader(page, layout.header, boards, fonts, totalFrames);
    drawFooter(page, layout.footer, boards, fonts, pageIndex + 1, pageCount);
    const pageShots = boards.shots.slice(pageIndex * opts.perPage, (pageIndex + 1) * opts.perPage);
    for (const [slot, shot] of pageShots.entries()) {
      const cell = layout.cells[slot]!;
      const textSize = textSizeFor(cell.widthPt);
      // room below the frame for the facts (two or three lines) and three or four lines of action and dialogue
      const panel = panelLayout(cell, frameAspect, textSize * LINE_SPACING * PANEL_TEXT_LINES + 8);
      let image: PDFImage | null = null;
      let missing: string | null = null;
      if (shot.imagePath) {
        let entry = embedded.get(shot.imagePath);
        if (entry === undefined) {
          const scale = BOARD_IMAGE_DPI / 72;
          try {
            const prepared = await prepareBoardImage(shot.imagePath, panel.frame.widthPt * scale, panel.frame.heightPt * scale);
            entry = prepared.kind === 'jpg' ? await doc.embedJpg(prepared.bytes) : await doc.embedPng(prepared.bytes);
          } catch {
            entry = `Image missing or unreadable: ${shot.imagePath.split(/[\\/]/).pop()}`;
          }
          embedded.set(shot.imagePath, entry);
        }
        if (typeof entry === 'string') missing = entry;
        else image = entry;
      }
      drawFrame(page, panel.frame, image, fonts, missing);
      drawPanelText(page, panel.text, textSize, shot, rate, fonts);
    }
  }
  return doc.save({ useObjectStreams: true });
}
