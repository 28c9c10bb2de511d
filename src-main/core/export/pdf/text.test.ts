import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { fitLine, isWinAnsi, layoutParagraph, toWinAnsi, type MeasuringFont } from './text.ts';

/** Every character 1 unit wide per point: easy widths to reason about. */
const mono: MeasuringFont = { widthOfTextAtSize: (text, size) => [...text].length * size };
const bold: MeasuringFont = { widthOfTextAtSize: (text, size) => [...text].length * size };

function lineTexts(lines: { text: string }[][]): string[] {
  return lines.map((line) => line.map((run) => run.text).join(''));
}

describe('toWinAnsi', () => {
  it('keeps accents, typographic quotes, dashes, the ellipsis and the euro sign', () => {
    const text = 'Élodie: “It’s 5 € — à la café…” ‘ok’ – Œuvre ™';
    expect(toWinAnsi(text)).toBe(text);
  });

  it('replaces what WinAnsi cannot encode', () => {
    expect(toWinAnsi('a\tb\nc')).toBe('a b c');
    expect(toWinAnsi('x − y ≤ z → w')).toBe('x - y <= z -> w');
    expect(toWinAnsi('Łódź Dvořák')).toBe('Lódz Dvorák');
    expect(toWinAnsi('Ωμέγα 🌊 東京')).toBe('????? ? ??');
    expect(toWinAnsi('zero\u200bwidth')).toBe('zerowidth');
  });

  it('agrees with the code points pdf-lib encodes in Helvetica', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const supported = new Set(font.getCharacterSet());
    for (let codePoint = 0x20; codePoint < 0x3000; codePoint++) {
      if (isWinAnsi(codePoint)) expect(supported.has(codePoint), codePoint.toString(16)).toBe(true);
    }
    const all = Array.from({ length: 0x2200 }, (_, i) => String.fromCodePoint(i + 1)).join('');
    expect(() => font.encodeText(toWinAnsi(all))).not.toThrow();
  });
});

describe('layoutParagraph', () => {
  it('wraps at spaces, keeps fonts apart and starts a paragraph on a new line', () => {
    const { lines, truncated } = layoutParagraph(
      [{ text: 'aa bb cc', font: mono }, { text: '\nBEN:', font: bold }, { text: ' dd ee', font: mono }],
      1, 6, 10,
    );
    expect(truncated).toBe(false);
    expect(lineTexts(lines)).toEqual(['aa bb', 'cc', 'BEN:', 'dd ee']);
    expect(lines[2]!.map((r) => r.font)).toEqual([bold]);
  });

  it('cuts words wider than a line and ends cut text with an ellipsis', () => {
    expect(lineTexts(layoutParagraph([{ text: 'abcdefghij', font: mono }], 1, 4, 5).lines)).toEqual(['abcd', 'efgh', 'ij']);
    const cut = layoutParagraph([{ text: 'one two three four five six', font: mono }], 1, 9, 2);
    expect(cut.truncated).toBe(true);
    expect(lineTexts(cut.lines)).toEqual(['one two', 'three…']);
    expect(cut.lines.every((line) => line.reduce((w, r) => w + r.text.length, 0) <= 9)).toBe(true);
  });

  it('returns nothing when there is no room', () => {
    expect(layoutParagraph([{ text: 'text', font: mono }], 1, 10, 0)).toEqual({ lines: [], truncated: true });
  });
});

describe('fitLine', () => {
  it('keeps a line that fits and cuts one that does not', () => {
    expect(fitLine('short', mono, 1, 10)).toBe('short');
    expect(fitLine('much too long', mono, 1, 8)).toBe('much to…');
  });
});
