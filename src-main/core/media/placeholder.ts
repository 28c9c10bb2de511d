/**
 * Placeholder cards: a storyboard panel drawn from a shot's text, so the timeline, the animatic and every export are
 * complete before any picture exists.
 *
 * A card is an SVG rendered to PNG by sharp (librsvg). Its look: a dark neutral frame with faint composition guides
 * (thirds, the 93% action-safe and 90% title-safe areas of SMPTE ST 2046-1, viewfinder corners), the shot number big
 * at the top left with the scene number above it, shot size / angle / move as small-caps chips, the duration at the
 * top right, the action wrapped below, and the dialogue as `CHARACTER: line` in italics. Every size is relative to
 * the card's 16:9 box, with floors so that a 320x180 thumbnail still reads; text that does not fit ends with `…`.
 * Cards are cached in `media/cards/<sha256 of the card's content>-<widthPx>x<heightPx>.png`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { MediaError } from './MediaError.ts';
import { resolveInsideProject } from './paths.ts';
import { measureTextPx, withEllipsis, wrapText, type TextStyle } from './textLayout.ts';

/** The text a placeholder card shows: a shot's fields as the project stores them. */
export interface PlaceholderCard {
  /** Scene number as printed: `12`, `2-B`. */
  sceneNumber: string;
  /** Shot number as printed: `12A`. */
  shotNumber: string;
  /** Shot size (`MCU`, `WS`, …) or null. */
  shotSize: string | null;
  /** Camera angle (`low`, `ots`, `birds-eye`, …). */
  cameraAngle?: string | null;
  /** Camera move (`dolly-in`, `pan`, …). */
  cameraMove?: string | null;
  /** The shot's action text (line breaks are reflowed). */
  action: string;
  /** The shot's dialogue, in order. */
  dialogue: Array<{ character: string; parenthetical?: string; text: string }>;
  /** Length of the shot in frames at `frameRate`; shown at the top right with the rate. */
  durationFrames?: number;
  /** The project's frame rate as a rational (`{num: 24000, den: 1001}`). */
  frameRate?: { num: number; den: number };
}

/** The folder of cards, relative to the project folder. */
export const CARDS_DIR = 'media/cards';

/** Bumped whenever the drawing changes, so cached cards of the old design are not reused. */
export const PLACEHOLDER_DESIGN_VERSION = 1;

const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

const COLORS = {
  backgroundCenter: '#22262d',
  background: '#1d2026',
  backgroundEdge: '#16181d',
  guide: '#ffffff',
  corner: '#a9b3c2',
  shotNumber: '#f4f5f7',
  sceneLabel: '#8d97a6',
  action: '#d7dbe1',
  characterName: '#93c2f5',
  dialogue: '#bcc5d0',
  parenthetical: '#8a95a4',
  duration: '#e8eaed',
  durationDetail: '#7f8998',
  footer: '#5a626f',
  chips: {
    size: { stroke: '#d9a94f', text: '#f0c878' },
    angle: { stroke: '#4fb3ae', text: '#7fd6d1' },
    move: { stroke: '#9a84e8', text: '#bfaefc' },
  },
} as const;

const ANGLE_LABELS: Record<string, string> = {
  'eye-level': 'EYE LEVEL',
  high: 'HIGH ANGLE',
  low: 'LOW ANGLE',
  'birds-eye': "BIRD'S EYE",
  'worms-eye': "WORM'S EYE",
  dutch: 'DUTCH ANGLE',
  ots: 'OTS',
  pov: 'POV',
};

/**
 * The card as an SVG document (exported for tests and for the renderer's live preview).
 * @param widthPx card width in pixels (16 to 16384); `heightPx` likewise.
 * @throws MediaError `media.badArgument` for sizes out of range.
 */
export function placeholderCardSvg(card: PlaceholderCard, widthPx: number, heightPx: number): string {
  checkSize(widthPx, heightPx);
  const W = widthPx;
  const H = heightPx;
  // One unit is a pixel of a 1920x1080 card: the 16:9 box (9:16 for portrait cards) that fits the card sets the scale.
  const u = Math.min(Math.max(W, H) / 1920, Math.min(W, H) / 1080);
  const size = (reference: number, minimumPx: number) => Math.max(reference * u, minimumPx);
  const out: string[] = [];

  // Background and composition guides.
  const hairline = Math.max(1, 1.5 * u);
  out.push(
    `<defs><radialGradient id="bg" cx="50%" cy="45%" r="75%"><stop offset="0" stop-color="${COLORS.backgroundCenter}"/>` +
      `<stop offset="0.6" stop-color="${COLORS.background}"/><stop offset="1" stop-color="${COLORS.backgroundEdge}"/></radialGradient></defs>`,
    `<rect width="${W}" height="${H}" fill="url(#bg)"/>`,
  );
  const thirds = [W / 3, (2 * W) / 3].map((x) => `M${n(x)} 0V${H}`).concat([H / 3, (2 * H) / 3].map((y) => `M0 ${n(y)}H${W}`));
  out.push(`<path d="${thirds.join('')}" stroke="${COLORS.guide}" stroke-opacity="0.035" stroke-width="${n(hairline)}" fill="none"/>`);
  const titleSafe = { x: W * 0.05, y: H * 0.05, w: W * 0.9, h: H * 0.9 };
  out.push(
    `<rect x="${n(titleSafe.x)}" y="${n(titleSafe.y)}" width="${n(titleSafe.w)}" height="${n(titleSafe.h)}" fill="none" stroke="${COLORS.guide}" ` +
      `stroke-opacity="0.05" stroke-width="${n(hairline)}" stroke-dasharray="${n(Math.max(3, 10 * u))} ${n(Math.max(3, 10 * u))}"/>`,
  );
  const actionSafe = { x: W * 0.035, y: H * 0.035, w: W * 0.93, h: H * 0.93 };
  const arm = Math.max(6, 44 * u);
  const corners = [
    `M${n(actionSafe.x)} ${n(actionSafe.y + arm)}V${n(actionSafe.y)}H${n(actionSafe.x + arm)}`,
    `M${n(actionSafe.x + actionSafe.w - arm)} ${n(actionSafe.y)}H${n(actionSafe.x + actionSafe.w)}V${n(actionSafe.y + arm)}`,
    `M${n(actionSafe.x)} ${n(actionSafe.y + actionSafe.h - arm)}V${n(actionSafe.y + actionSafe.h)}H${n(actionSafe.x + arm)}`,
    `M${n(actionSafe.x + actionSafe.w - arm)} ${n(actionSafe.y + actionSafe.h)}H${n(actionSafe.x + actionSafe.w)}V${n(actionSafe.y + actionSafe.h - arm)}`,
  ];
  out.push(`<path d="${corners.join('')}" stroke="${COLORS.corner}" stroke-opacity="0.28" stroke-width="${n(Math.max(1, 3 * u))}" fill="none" stroke-linecap="square"/>`);

  // Content box, inside title safe.
  const left = titleSafe.x + size(36, 5);
  const right = titleSafe.x + titleSafe.w - size(36, 5);
  const top = titleSafe.y + size(30, 4);
  const bottom = titleSafe.y + titleSafe.h - size(30, 4);
  const contentWidth = right - left;

  // Top right: duration in seconds, and frames at the rate.
  const durationStyle: TextStyle = { fontPx: size(46, 10), bold: true };
  const detailStyle: TextStyle = { fontPx: size(24, 7), letterSpacingEm: 0.04 };
  let topRightWidth = 0;
  let topRightBottom = top;
  if (card.durationFrames && card.durationFrames > 0) {
    const durationLabel = card.frameRate ? `${formatSeconds((card.durationFrames * card.frameRate.den) / card.frameRate.num)}s` : `${card.durationFrames} fr`;
    const durationBaseline = top + durationStyle.fontPx * 0.76;
    out.push(textElement(durationLabel, right, durationBaseline, durationStyle, COLORS.duration, { anchor: 'end' }));
    topRightWidth = measureTextPx(durationLabel, durationStyle);
    topRightBottom = durationBaseline + durationStyle.fontPx * 0.25;
    if (card.frameRate && H >= 270) {
      const detail = `${card.durationFrames} FR @ ${formatRate(card.frameRate)}`;
      const detailBaseline = durationBaseline + detailStyle.fontPx * 1.55;
      out.push(textElement(detail, right, detailBaseline, detailStyle, COLORS.durationDetail, { anchor: 'end' }));
      topRightWidth = Math.max(topRightWidth, measureTextPx(detail, detailStyle));
      topRightBottom = detailBaseline + detailStyle.fontPx * 0.3;
    }
  }

  // Top left: scene label, then the shot number.
  const sceneStyle: TextStyle = { fontPx: size(28, 8), letterSpacingEm: 0.16 };
  const shotStyle: TextStyle = { fontPx: size(170, 26), bold: true, letterSpacingEm: -0.02 };
  const sceneBaseline = top + sceneStyle.fontPx * 0.74;
  const headerTextWidth = Math.max(0, contentWidth - topRightWidth - size(40, 6));
  const sceneLabel = fitLine(`SCENE ${clean(card.sceneNumber)}`, headerTextWidth, sceneStyle);
  out.push(textElement(sceneLabel, left, sceneBaseline, sceneStyle, COLORS.sceneLabel));
  const shotCap = shotStyle.fontPx * 0.73;
  const shotBaseline = sceneBaseline + Math.max(sceneStyle.fontPx * 0.55, size(26, 0)) + shotCap;
  const shotLabel = fitLine(clean(card.shotNumber) || '?', Math.min(contentWidth * 0.6, headerTextWidth), shotStyle);
  out.push(textElement(shotLabel, left - shotStyle.fontPx * 0.04, shotBaseline, shotStyle, COLORS.shotNumber));
  const shotWidth = measureTextPx(shotLabel, shotStyle);

  // Chips: beside the shot number when they fit there, else in a row below it.
  const chipStyle: TextStyle = { fontPx: size(25, 8), bold: true, letterSpacingEm: 0.1 };
  const chipHeight = chipStyle.fontPx * 1.85;
  const chipPadding = chipStyle.fontPx * 0.8;
  const chipGap = chipStyle.fontPx * 0.55;
  const chips = chipLabels(card).map((chip) => ({ ...chip, width: measureTextPx(chip.label, chipStyle) - chipStyle.fontPx * (chipStyle.letterSpacingEm ?? 0) + 2 * chipPadding }));
  const chipsWidth = chips.reduce((sum, chip) => sum + chip.width, 0) + chipGap * Math.max(0, chips.length - 1);
  const besideX = left + shotWidth + shotStyle.fontPx * 0.22;
  const besideRoom = right - besideX - (topRightBottom > shotBaseline - shotCap ? topRightWidth + size(30, 5) : 0);
  let headerBottom = shotBaseline + shotStyle.fontPx * 0.08;
  if (chips.length > 0) {
    const inline = chipsWidth <= besideRoom;
    const rowX = inline ? besideX : left;
    const rowCenter = inline ? shotBaseline - shotCap / 2 : shotBaseline + size(34, 6) + chipHeight / 2;
    const room = inline ? besideRoom : contentWidth;
    let x = rowX;
    for (const chip of chips) {
      if (x + chip.width > rowX + room + 0.01) break;
      const colors = COLORS.chips[chip.type];
      out.push(
        `<rect x="${n(x)}" y="${n(rowCenter - chipHeight / 2)}" width="${n(chip.width)}" height="${n(chipHeight)}" rx="${n(chipHeight * 0.22)}" ` +
          `fill="${colors.stroke}" fill-opacity="0.1" stroke="${colors.stroke}" stroke-opacity="0.75" stroke-width="${n(Math.max(1, 2 * u))}"/>`,
      );
      out.push(textElement(chip.label, x + chipPadding, rowCenter + chipStyle.fontPx * 0.36, chipStyle, colors.text));
      x += chip.width + chipGap;
    }
    if (!inline) headerBottom = rowCenter + chipHeight / 2;
  }
  headerBottom = Math.max(headerBottom, topRightBottom);

  // Footer: a quiet label, only where it can be read.
  let bodyBottom = bottom;
  if (H >= 270) {
    const footerStyle: TextStyle = { fontPx: size(19, 7), letterSpacingEm: 0.22 };
    out.push(textElement('PLACEHOLDER · NO PICTURE YET', left, bottom, footerStyle, COLORS.footer));
    bodyBottom = bottom - footerStyle.fontPx * 2;
  }

  // Body: action, then dialogue, sharing the height left.
  const bodyTop = headerBottom + size(54, 7);
  const actionStyle: TextStyle = { fontPx: size(46, 10) };
  const actionLineHeight = actionStyle.fontPx * 1.34;
  const dialogueStyle: TextStyle = { fontPx: size(40, 9) };
  const nameStyle: TextStyle = { fontPx: dialogueStyle.fontPx, bold: true };
  const dialogueLineHeight = dialogueStyle.fontPx * 1.34;
  const dialogueGap = dialogueLineHeight * 0.3;
  // The last line needs its glyphs' height, not a whole line's: count that slack as room.
  const available = Math.max(0, bodyBottom - bodyTop + actionLineHeight - actionStyle.fontPx * 1.1);

  const action = clean(card.action);
  const actionAll = action ? wrapText(action, { ...actionStyle, firstLineWidthPx: contentWidth }).lines.length : 0;
  const speeches = card.dialogue
    .map((line) => ({ name: clean(line.character) ? `${clean(line.character).toUpperCase()}:` : '', parenthetical: formatParenthetical(line.parenthetical), text: clean(line.text) }))
    .filter((s) => s.name || s.text);
  const speechLayout = speeches.map((speech) => {
    const nameWidth = speech.name ? measureTextPx(`${speech.name} `, nameStyle) : 0;
    const indent = nameWidth <= contentWidth * 0.3 ? nameWidth : 0;
    const body = [speech.parenthetical, speech.text].filter(Boolean).join(' ');
    const options = { ...dialogueStyle, firstLineWidthPx: Math.max(dialogueStyle.fontPx * 4, contentWidth - nameWidth), widthPx: contentWidth - indent };
    return { ...speech, nameWidth, indent, body, options, lineCount: body ? wrapText(body, options).lines.length : 1 };
  });
  const dialogueAllLines = speechLayout.reduce((sum, s) => sum + s.lineCount, 0);
  const gapActionDialogue = actionAll > 0 && speeches.length > 0 ? dialogueLineHeight * 0.7 : 0;
  const dialogueHeight = (lines: number, blocks: number) => lines * dialogueLineHeight + Math.max(0, blocks - 1) * dialogueGap;

  let actionLines = actionAll;
  let dialogueLines = dialogueAllLines;
  if (actionAll * actionLineHeight + gapActionDialogue + dialogueHeight(dialogueAllLines, speeches.length) > available) {
    // Dialogue keeps up to ~40% of the body (at least a line per speech, up to two); the action gets the rest.
    const dialogueShare = Math.min(dialogueAllLines, Math.max(Math.min(speeches.length, 2), Math.floor((available * 0.4) / dialogueLineHeight)));
    actionLines = Math.max(0, Math.min(actionAll, Math.floor((available - gapActionDialogue - dialogueHeight(dialogueShare, Math.min(speeches.length, dialogueShare))) / actionLineHeight)));
    const remaining = available - actionLines * actionLineHeight - (actionLines > 0 ? gapActionDialogue : 0);
    dialogueLines = 0;
    let used = 0;
    for (const speech of speechLayout) {
      const gap = used > 0 ? dialogueGap : 0;
      const room = Math.floor((remaining - used - gap) / dialogueLineHeight);
      if (room <= 0) break;
      const lines = Math.min(speech.lineCount, room);
      dialogueLines += lines;
      used += gap + lines * dialogueLineHeight;
    }
  }

  let y = bodyTop + actionStyle.fontPx * 0.93;
  if (actionLines > 0) {
    const wrapped = wrapText(action, { ...actionStyle, firstLineWidthPx: contentWidth, maxLines: actionLines });
    for (const line of wrapped.lines) {
      out.push(textElement(line, left, y, actionStyle, COLORS.action));
      y += actionLineHeight;
    }
    y += gapActionDialogue - actionLineHeight + dialogueLineHeight;
  } else {
    y = bodyTop + dialogueStyle.fontPx * 0.93;
  }

  let budget = dialogueLines;
  for (let index = 0; index < speechLayout.length && budget > 0; index++) {
    const speech = speechLayout[index];
    const lastShown = index === speechLayout.length - 1 || budget <= speech.lineCount;
    const maxLines = Math.min(speech.lineCount, budget);
    const cutHere = lastShown && (maxLines < speech.lineCount || index < speechLayout.length - 1);
    let lines = speech.body ? wrapText(speech.body, { ...speech.options, maxLines }).lines : [''];
    if (cutHere && !lines[lines.length - 1].endsWith('…')) {
      const lastWidth = lines.length === 1 ? speech.options.firstLineWidthPx : speech.options.widthPx;
      lines = [...lines.slice(0, -1), withEllipsis(lines[lines.length - 1], lastWidth, dialogueStyle)];
    }
    const parenLength = speech.parenthetical.length;
    let consumed = 0;
    lines.forEach((line, lineIndex) => {
      const x = lineIndex === 0 ? left : left + speech.indent;
      const parts: string[] = [];
      if (lineIndex === 0 && speech.name) parts.push(tspan(`${speech.name} `, { bold: true, fill: COLORS.characterName }));
      // The parenthetical is the first part of the body: dimmer than the line itself.
      const bare = line.endsWith('…') ? line.slice(0, -1) : line;
      const parenChars = Math.max(0, Math.min(line.length, parenLength - consumed));
      if (parenChars > 0) parts.push(tspan(line.slice(0, parenChars), { italic: true, fill: COLORS.parenthetical }));
      if (line.length > parenChars) parts.push(tspan(line.slice(parenChars), { italic: true, fill: COLORS.dialogue }));
      consumed += bare.length + 1;
      out.push(
        `<text x="${n(x)}" y="${n(y)}" font-size="${n(dialogueStyle.fontPx)}" xml:space="preserve">${parts.join('')}</text>`,
      );
      y += dialogueLineHeight;
    });
    y += dialogueGap;
    budget -= lines.length;
  }

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
    `font-family="${FONT_FAMILY}">${out.join('')}</svg>`
  );
}

/**
 * Renders a placeholder card to PNG.
 * @param widthPx card width in pixels (16 to 16384), usually the project's delivery size or a thumbnail's.
 * @param heightPx card height in pixels (16 to 16384).
 * @returns the PNG bytes, exactly `widthPx` x `heightPx`, RGB.
 * @throws MediaError `media.badArgument` for sizes out of range.
 */
export async function renderPlaceholderCard(card: PlaceholderCard, widthPx: number, heightPx: number): Promise<Buffer> {
  const svg = placeholderCardSvg(card, widthPx, heightPx);
  return sharp(Buffer.from(svg), { density: 72, limitInputPixels: false }).flatten({ background: COLORS.background }).png({ compressionLevel: 6 }).toBuffer();
}

/** Cards being rendered, by absolute output path: concurrent callers share one promise. */
const inFlight = new Map<string, Promise<string>>();

let renderedCount = 0;

/** How many cards `ensurePlaceholderCard` has rendered in this process (cache hits not counted). */
export function placeholderRenderCount(): number {
  return renderedCount;
}

/**
 * The SHA-256 (hex) that names a card: of its content as drawn (the fields the card shows, normalised) and the
 * design version. The size is not part of it; it is in the file name.
 */
export function placeholderCardHash(card: PlaceholderCard): string {
  const content = {
    design: PLACEHOLDER_DESIGN_VERSION,
    sceneNumber: card.sceneNumber,
    shotNumber: card.shotNumber,
    shotSize: card.shotSize ?? null,
    cameraAngle: card.cameraAngle ?? null,
    cameraMove: card.cameraMove ?? null,
    action: card.action,
    dialogue: card.dialogue.map((d) => [d.character, d.parenthetical ?? null, d.text]),
    durationFrames: card.durationFrames ?? null,
    frameRate: card.frameRate ? [card.frameRate.num, card.frameRate.den] : null,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * Makes (once) the card's PNG in `media/cards/` and returns its path relative to the project:
 * `media/cards/<placeholderCardHash(card)>-<widthPx>x<heightPx>.png`. An existing file is returned without
 * rendering; a new one is written to a temporary name and renamed.
 * @throws MediaError `media.badArgument` for sizes out of range, `media.notFound` when the project folder is missing.
 */
export async function ensurePlaceholderCard(projectDir: string, card: PlaceholderCard, widthPx: number, heightPx: number): Promise<string> {
  checkSize(widthPx, heightPx);
  const relPath = `${CARDS_DIR}/${placeholderCardHash(card)}-${widthPx}x${heightPx}.png`;
  const absPath = resolveInsideProject(projectDir, relPath);
  const pending = inFlight.get(absPath);
  if (pending) return pending;
  const making = (async () => {
    try {
      if (await isFile(absPath)) return relPath;
      const png = await renderPlaceholderCard(card, widthPx, heightPx);
      await mkdir(path.dirname(absPath), { recursive: true });
      const temp = path.join(path.dirname(absPath), `.card-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, png, { flag: 'wx', flush: true });
        await rename(temp, absPath);
      } finally {
        await rm(temp, { force: true });
      }
      renderedCount++;
      return relPath;
    } finally {
      inFlight.delete(absPath);
    }
  })();
  inFlight.set(absPath, making);
  return making;
}

// ---- helpers ---------------------------------------------------------------------------------------------------

type ChipType = 'size' | 'angle' | 'move';

function chipLabels(card: PlaceholderCard): Array<{ type: ChipType; label: string }> {
  const chips: Array<{ type: ChipType; label: string }> = [];
  const size = clean(card.shotSize ?? '');
  if (size) chips.push({ type: 'size', label: size.toUpperCase() });
  const angle = clean(card.cameraAngle ?? '');
  if (angle) chips.push({ type: 'angle', label: ANGLE_LABELS[angle] ?? humanLabel(angle) });
  const move = clean(card.cameraMove ?? '');
  if (move) chips.push({ type: 'move', label: humanLabel(move) });
  return chips;
}

function humanLabel(value: string): string {
  return value.replace(/[-_]+/g, ' ').toUpperCase();
}

function formatParenthetical(text: string | undefined): string {
  const inner = clean(text ?? '').replace(/^\(+|\)+$/g, '').trim();
  return inner ? `(${inner})` : '';
}

/** `24` → `24 FPS`; `24000/1001` → `23.976 FPS` (a label for people; the rate itself stays rational). */
function formatRate(rate: { num: number; den: number }): string {
  const fps = rate.num / rate.den;
  return `${Number.isInteger(fps) ? fps : Number(fps.toFixed(3))} FPS`;
}

function formatSeconds(seconds: number): string {
  return seconds >= 100 ? seconds.toFixed(0) : seconds.toFixed(1);
}

/** Collapses whitespace and drops characters XML 1.0 cannot hold (C0 controls, lone surrogates, U+FFFE/FFFF). */
function clean(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return clean(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
}

function fitLine(text: string, widthPx: number, style: TextStyle): string {
  return measureTextPx(text, style) <= widthPx ? text : withEllipsis(text, widthPx, style);
}

function textElement(text: string, x: number, y: number, style: TextStyle, fill: string, options: { anchor?: 'start' | 'end' } = {}): string {
  const attributes = [
    `x="${n(x)}"`,
    `y="${n(y)}"`,
    `font-size="${n(style.fontPx)}"`,
    `fill="${fill}"`,
    style.bold ? 'font-weight="bold"' : '',
    style.letterSpacingEm ? `letter-spacing="${n(style.letterSpacingEm * style.fontPx)}"` : '',
    options.anchor === 'end' ? 'text-anchor="end"' : '',
  ].filter(Boolean);
  return `<text ${attributes.join(' ')}>${escapeXml(text)}</text>`;
}

function tspan(text: string, style: { bold?: boolean; italic?: boolean; fill: string }): string {
  const attributes = [
    `fill="${style.fill}"`,
    style.bold ? 'font-weight="bold"' : '',
    style.italic ? 'font-style="italic"' : '',
  ].filter(Boolean);
  // Spaces are kept (the parent sets xml:space="preserve"), so escape without collapsing them.
  const escaped = text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
  return `<tspan ${attributes.join(' ')}>${escaped}</tspan>`;
}

/** A coordinate with at most two decimals. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function checkSize(widthPx: number, heightPx: number): void {
  for (const [name, value] of [['width', widthPx], ['height', heightPx]] as const) {
    if (!Number.isInteger(value) || value < 16 || value > 16384) {
      throw new MediaError('media.badArgument', `A placeholder card ${name} of ${value} px is out of range.`, 'Use whole pixels from 16 to 16384, usually the project\'s delivery size.');
    }
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    return info.isFile() && info.size > 0;
  } catch {
    return false;
  }
}
