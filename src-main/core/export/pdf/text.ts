/**
 * Text for the storyboard sheets: making it printable in the PDF standard fonts (WinAnsiEncoding, PDF 32000-1:2008
 * Annex D.2) and laying out wrapped, mixed-weight paragraphs that end in an ellipsis when they do not fit.
 *
 * The standard Helvetica faces cover Western European text: accents, typographic quotes, dashes, the ellipsis and
 * the euro sign. Anything else (Greek, Cyrillic, CJK, emoji) needs an embedded Unicode font, which pdf-lib can only
 * embed through @pdf-lib/fontkit; without it such characters are replaced (see `toWinAnsi`).
 */

/** Measures text in one font: the width of `text` at `sizePt`, in points. pdf-lib's `PDFFont` fits this shape. */
export interface MeasuringFont {
  widthOfTextAtSize(text: string, sizePt: number): number;
}

/** A stretch of text in one font. */
export interface TextRun<F extends MeasuringFont = MeasuringFont> {
  text: string;
  font: F;
}

/** A piece of a laid-out line: draw `text` in `font` at `xPt` from the line's left edge. */
export interface PlacedRun<F extends MeasuringFont = MeasuringFont> {
  text: string;
  font: F;
  xPt: number;
}

/** Code points WinAnsiEncoding has beyond Latin-1 (0xA0-0xFF) and ASCII (0x20-0x7E): its 0x80-0x9F block. */
const WIN_ANSI_EXTRA = new Set(
  [0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d,
    0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178],
);

/** Look-alikes for common characters WinAnsi lacks. */
const WIN_ANSI_SUBSTITUTES: Record<string, string> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '\u2013', '\u2015': '\u2014', '\u2212': '-',
  '\u2032': "'", '\u2033': '"', '\u201b': '\u2018', '\u201f': '\u201c',
  '\u0141': 'L', '\u0142': 'l', '\u0110': 'D', '\u0111': 'd', '\u0131': 'i', '\u0126': 'H', '\u0127': 'h',
  '\u2002': ' ', '\u2003': ' ', '\u2009': ' ', '\u200a': ' ', '\u202f': ' ', '\u2007': ' ',
  '\u2190': '<-', '\u2192': '->', '\u2194': '<->', '\u21d2': '=>', '\u2264': '<=', '\u2265': '>=', '\u2260': '!=',
  '\u2248': '~', '\u2715': 'x', '\u2713': 'v', '\u266a': '', '\u266b': '',
};

/** True when WinAnsiEncoding can encode the code point (and it is a printable character). */
export function isWinAnsi(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || WIN_ANSI_EXTRA.has(codePoint);
}

/**
 * Makes `text` printable with a standard PDF font: control characters and line breaks become spaces, look-alikes
 * replace known characters (`−` -> `-`), accented letters outside WinAnsi lose the accent (`ő` -> `o`), zero-width
 * characters vanish, and anything else becomes `?`. Accents, typographic quotes, dashes and `…` are kept.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const codePoint = char.codePointAt(0)!;
    if (isWinAnsi(codePoint)) {
      out += char;
      continue;
    }
    if (codePoint < 0x20 || codePoint === 0x7f || (codePoint >= 0x80 && codePoint < 0xa0)) {
      out += ' ';
      continue;
    }
    if (/[\u200b-\u200d\u2060\ufeff\ufe00-\ufe0f]/u.test(char)) continue;
    const substitute = WIN_ANSI_SUBSTITUTES[char];
    if (substitute !== undefined) {
      out += substitute;
      continue;
    }
    const stripped = char.normalize('NFD').replace(/\p{M}+/gu, '');
    if (stripped !== '' && [...stripped].every((c) => isWinAnsi(c.codePointAt(0)!))) out += stripped;
    else out += '?';
  }
  return out;
}

interface Word<F extends MeasuringFont> {
  text: string;
  font: F;
  /** a space precedes this word on the same line */
  spaceBefore: boolean;
  /** a line break (`\n` in the run text) precedes this word */
  breakBefore: boolean;
}

function splitWords<F extends MeasuringFont>(runs: TextRun<F>[]): Word<F>[] {
  const words: Word<F>[] = [];
  let pendingSpace = false;
  let pendingBreak = false;
  for (const run of runs) {
    for (const part of run.text.split(/(\s+)/)) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        pendingSpace = words.length > 0;
        pendingBreak = pendingBreak || (part.includes('\n') && words.length > 0);
        continue;
      }
      words.push({ text: part, font: run.font, spaceBefore: pendingSpace && !pendingBreak, breakBefore: pendingBreak });
      pendingSpace = false;
      pendingBreak = false;
    }
  }
  return words;
}

/** Cuts `text` to the longest prefix that, followed by `suffix`, fits `maxWidthPt`. */
function fitPrefix<F extends MeasuringFont>(text: string, suffix: string, font: F, sizePt: number, maxWidthPt: number): string {
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (font.widthOfTextAtSize(chars.slice(0, mid).join('') + suffix, sizePt) <= maxWidthPt) low = mid;
    else high = mid - 1;
  }
  return chars.slice(0, low).join('');
}

/**
 * Lays out runs of text (each in its own font, e.g. a bold character name then the line) into at most `maxLines`
 * lines of at most `maxWidthPt`, breaking at spaces, at `\n` (a new paragraph) and inside words longer than a line.
 * When the text does not fit, the last line ends with `…`.
 * @returns the lines, each a list of runs placed from the line's left edge, and whether text was cut.
 */
export function layoutParagraph<F extends MeasuringFont>(
  runs: TextRun<F>[],
  sizePt: number,
  maxWidthPt: number,
  maxLines: number,
): { lines: PlacedRun<F>[][]; truncated: boolean } {
  const lines: PlacedRun<F>[][] = [];
  if (maxLines <= 0) return { lines, truncated: runs.some((r) => r.text.trim() !== '') };
  const words = splitWords(runs);
  let line: PlacedRun<F>[] = [];
  let x = 0;
  let truncated = false;

  const place = (text: string, font: F, spaceBefore: boolean): void => {
    const last = line[line.length - 1];
    const space = spaceBefore && line.length > 0 ? ' ' : '';
    if (last && last.font === font) {
      last.text += space + text;
    } else {
      line.push({ text: space + text, font, xPt: x });
    }
    x += font.widthOfTextAtSize(space + text, sizePt);
  };
  const newLine = (): boolean => {
    lines.push(line);
    line = [];
    x = 0;
    return lines.length < maxLines;
  };

  outer: for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.breakBefore && line.length > 0 && !newLine()) {
      truncated = true;
      break;
    }
    const spaceWidth = word.spaceBefore && line.length > 0 ? word.font.widthOfTextAtSize(' ', sizePt) : 0;
    const width = word.font.widthOfTextAtSize(word.text, sizePt);
    if (x + spaceWidth + width <= maxWidthPt) {
      place(word.text, word.font, word.spaceBefore);
      continue;
    }
    if (line.length > 0) {
      if (!newLine()) {
        truncated = true;
        break;
      }
    }
    // a word wider than a whole line is cut into line-wide pieces
    let rest = word.text;
    while (word.font.widthOfTextAtSize(rest, sizePt) > maxWidthPt) {
      const piece = fitPrefix(rest, '', word.font, sizePt, maxWidthPt) || [...rest][0]!;
      place(piece, word.font, false);
      rest = rest.slice(piece.length);
      if (!newLine()) {
        truncated = true;
        break outer;
      }
    }
    if (rest !== '') place(rest, word.font, false);
  }
  if (!truncated && line.length > 0) lines.push(line);

  if (truncated && lines.length > 0) {
    // end the last kept line with an ellipsis, cutting its tail until it fits
    const last = lines[lines.length - 1]!;
    const ellipsis = '…';
    for (;;) {
      const tail = last[last.length - 1];
      if (!tail) break;
      const room = maxWidthPt - tail.xPt;
      const trimmed = tail.text.replace(/\s+$/, '');
      if (tail.font.widthOfTextAtSize(trimmed + ellipsis, sizePt) <= room) {
        tail.text = trimmed + ellipsis;
        break;
      }
      let kept = fitPrefix(trimmed, ellipsis, tail.font, sizePt, room);
      // end at a word boundary when one is near (within the last third of the run)
      const space = kept.lastIndexOf(' ');
      if (space > 0 && space >= kept.length * 0.66 && kept.length < trimmed.length && trimmed[kept.length] !== ' ') {
        kept = kept.slice(0, space);
      }
      kept = kept.replace(/\s+$/, '');
      if (kept !== '') {
        tail.text = kept + ellipsis;
        break;
      }
      last.pop();
    }
    if (last.length === 0) last.push({ text: ellipsis, font: runs[0]!.font, xPt: 0 });
  }
  return { lines, truncated };
}

/** One line of `text` in `font`, cut with `…` when wider than `maxWidthPt`. */
export function fitLine(text: string, font: MeasuringFont, sizePt: number, maxWidthPt: number): string {
  if (font.widthOfTextAtSize(text, sizePt) <= maxWidthPt) return text;
  return fitPrefix(text, '…', font, sizePt, maxWidthPt).replace(/\s+$/, '') + '…';
}
