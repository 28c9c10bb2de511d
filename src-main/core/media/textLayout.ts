/**
 * Approximate text measurement and word wrapping for SVG text rendered by librsvg (through sharp), where no
 * layout engine can be asked for widths before rendering.
 *
 * Widths are the advance widths of DejaVu Sans (the first family the cards ask for), in em, measured once with
 * pango at 100 px for ASCII 32–126. Liberation Sans and Arial are narrower, so text measured here never overflows
 * when they stand in. Other characters use a generous default (1 em for CJK and emoji, 0.62 em otherwise).
 */

/** DejaVu Sans advance widths (em) for ASCII 32 (space) to 126 (`~`). */
const REGULAR_EM = [
  0.32, 0.4, 0.46, 0.84, 0.64, 0.95, 0.78, 0.27, 0.39, 0.39, 0.5, 0.84, 0.32, 0.36, 0.32, 0.34, 0.64, 0.64, 0.64, 0.64,
  0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.34, 0.34, 0.84, 0.84, 0.84, 0.53, 1, 0.71, 0.69, 0.7, 0.77, 0.63, 0.58, 0.77,
  0.75, 0.29, 0.29, 0.66, 0.56, 0.86, 0.75, 0.79, 0.6, 0.79, 0.69, 0.63, 0.61, 0.73, 0.68, 0.99, 0.69, 0.61, 0.69, 0.39,
  0.34, 0.39, 0.84, 0.5, 0.5, 0.61, 0.63, 0.55, 0.63, 0.62, 0.36, 0.63, 0.63, 0.28, 0.28, 0.58, 0.28, 0.97, 0.63, 0.61,
  0.63, 0.63, 0.41, 0.52, 0.39, 0.63, 0.59, 0.82, 0.59, 0.59, 0.52, 0.64, 0.34, 0.64, 0.84,
];

/** DejaVu Sans Bold advance widths (em) for ASCII 32 to 126. */
const BOLD_EM = [
  0.35, 0.46, 0.52, 0.84, 0.7, 1, 0.87, 0.31, 0.46, 0.46, 0.52, 0.84, 0.38, 0.42, 0.38, 0.37, 0.7, 0.7, 0.7, 0.7, 0.7,
  0.7, 0.7, 0.7, 0.7, 0.7, 0.4, 0.4, 0.84, 0.84, 0.84, 0.58, 1, 0.77, 0.76, 0.73, 0.83, 0.68, 0.68, 0.82, 0.84, 0.37,
  0.37, 0.77, 0.64, 1, 0.84, 0.85, 0.73, 0.85, 0.77, 0.68, 0.71, 0.81, 0.77, 1.1, 0.77, 0.72, 0.73, 0.46, 0.37, 0.46,
  0.84, 0.5, 0.5, 0.67, 0.72, 0.59, 0.72, 0.68, 0.41, 0.72, 0.71, 0.34, 0.34, 0.67, 0.34, 1.04, 0.71, 0.69, 0.72, 0.72,
  0.49, 0.6, 0.48, 0.71, 0.65, 0.92, 0.65, 0.65, 0.58, 0.71, 0.37, 0.71, 0.84,
];

/** How a run of text is set. */
export interface TextStyle {
  /** Font size in pixels. */
  fontPx: number;
  bold?: boolean;
  /** Extra space after every character, in em (SVG `letter-spacing` divided by the font size). */
  letterSpacingEm?: number;
}

/** Width in em of one character (a code point). */
function charEm(codePoint: number, bold: boolean): number {
  if (codePoint >= 32 && codePoint <= 126) return (bold ? BOLD_EM : REGULAR_EM)[codePoint - 32];
  if (codePoint === 0x2026 || codePoint === 0x2014) return 1; // … —
  if (codePoint === 0x2013 || codePoint === 0x2018 || codePoint === 0x2019 || codePoint === 0x201c || codePoint === 0x201d) return 0.5; // – ‘ ’ “ ”
  if (codePoint >= 0x2e80 || (codePoint >= 0x1100 && codePoint <= 0x11ff)) return 1;
  if (codePoint >= 0x300 && codePoint <= 0x36f) return 0; // combining marks
  return bold ? 0.7 : 0.62;
}

/** Approximate rendered width of `text` in pixels. */
export function measureTextPx(text: string, style: TextStyle): number {
  let em = 0;
  let count = 0;
  for (const ch of text) {
    em += charEm(ch.codePointAt(0) ?? 0x20, style.bold ?? false);
    count++;
  }
  return (em + count * (style.letterSpacingEm ?? 0)) * style.fontPx;
}

/** Options of `wrapText`. */
export interface WrapOptions extends TextStyle {
  /** Width available to the first line, in pixels. */
  firstLineWidthPx: number;
  /** Width available to the following lines, in pixels (defaults to the first line's). */
  widthPx?: number;
  /** At most this many lines; the last one kept ends with `…` when text was left out. */
  maxLines?: number;
}

/** Result of `wrapText`. */
export interface WrappedText {
  lines: string[];
  /** True when text was left out (the last line then ends with `…`). */
  truncated: boolean;
}

/**
 * Greedy word wrap by measured width. Whitespace runs (line breaks included) become single spaces; a word longer
 * than a line is broken between characters. With `maxLines`, text that does not fit is cut at a word boundary where
 * possible and ends with an ellipsis that fits on the line.
 */
export function wrapText(text: string, options: WrapOptions): WrappedText {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const widthFor = (lineIndex: number) => (lineIndex === 0 ? options.firstLineWidthPx : (options.widthPx ?? options.firstLineWidthPx));
  const fits = (line: string, lineIndex: number) => measureTextPx(line, options) <= widthFor(lineIndex) + 0.01;
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate, lines.length)) {
      current = candidate;
      continue;
    }
    if (current) {
      lines.push(current);
      current = '';
    }
    // The word alone: break it between characters while it is too wide.
    let rest = word;
    while (!fits(rest, lines.length)) {
      const chars = Array.from(rest);
      let take = chars.length - 1;
      while (take > 1 && !fits(chars.slice(0, take).join(''), lines.length)) take--;
      if (take < 1) take = 1;
      lines.push(chars.slice(0, take).join(''));
      rest = chars.slice(take).join('');
    }
    current = rest;
  }
  if (current) lines.push(current);

  const maxLines = options.maxLines ?? Infinity;
  if (lines.length <= maxLines) return { lines, truncated: false };
  if (maxLines <= 0) return { lines: [], truncated: lines.length > 0 };
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(kept[maxLines - 1], widthFor(maxLines - 1), options);
  return { lines: kept, truncated: true };
}

/**
 * `line` shortened (at a word boundary when that keeps at least half of it) until `line…` fits in `widthPx`.
 */
export function withEllipsis(line: string, widthPx: number, style: TextStyle): string {
  let text = line.replace(/[\s.,;:!?-]+$/, '');
  const fits = (t: string) => measureTextPx(`${t}…`, style) <= widthPx + 0.01;
  if (fits(text)) return `${text}…`;
  const lastSpace = text.lastIndexOf(' ');
  if (lastSpace > text.length / 2) {
    const atWord = text.slice(0, lastSpace).replace(/[\s.,;:!?-]+$/, '');
    if (fits(atWord)) return `${atWord}…`;
    text = atWord;
  }
  const chars = Array.from(text);
  while (chars.length > 0 && !fits(chars.join(''))) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}
