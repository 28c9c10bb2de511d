import { describe, expect, it } from 'vitest';
import { measureTextPx, withEllipsis, wrapText } from './textLayout.ts';

describe('measureTextPx', () => {
  it('scales with the font size and counts bold and letter spacing wider', () => {
    const regular = measureTextPx('Hi hello.', { fontPx: 40 });
    expect(measureTextPx('Hi hello.', { fontPx: 80 })).toBeCloseTo(regular * 2);
    expect(measureTextPx('Hi hello.', { fontPx: 40, bold: true })).toBeGreaterThan(regular);
    expect(measureTextPx('Hi hello.', { fontPx: 40, letterSpacingEm: 0.1 })).toBeCloseTo(regular + 9 * 0.1 * 40);
  });

  it('knows narrow from wide letters (DejaVu Sans advances)', () => {
    expect(measureTextPx('iiii', { fontPx: 100 })).toBeCloseTo(4 * 28);
    expect(measureTextPx('MMMM', { fontPx: 100 })).toBeCloseTo(4 * 86);
  });

  it('gives CJK characters a full em and combining marks none', () => {
    expect(measureTextPx('日本', { fontPx: 10 })).toBeCloseTo(20);
    expect(measureTextPx('e\u0301', { fontPx: 100 })).toBeCloseTo(measureTextPx('e', { fontPx: 100 }));
  });
});

describe('wrapText', () => {
  const style = { fontPx: 10 };

  it('reflows line breaks and keeps every line within the width', () => {
    const text = 'CYBER BOB, 40, a white man,\na mild, goofy,\nfairly daft pawn of a soul,\nstrolls through the park.';
    const { lines, truncated } = wrapText(text, { ...style, firstLineWidthPx: 120 });
    expect(truncated).toBe(false);
    expect(lines.join(' ')).toBe(text.replace(/\s+/g, ' '));
    for (const line of lines) expect(measureTextPx(line, style)).toBeLessThanOrEqual(120.01);
    expect(lines.length).toBeGreaterThan(3);
  });

  it('gives the first line its own width (for a hanging name)', () => {
    const { lines } = wrapText('one two three four five six', { ...style, firstLineWidthPx: 40, widthPx: 200 });
    expect(measureTextPx(lines[0], style)).toBeLessThanOrEqual(40);
    expect(lines[1]).toBe('three four five six');
  });

  it('breaks a word longer than the line between characters', () => {
    const { lines } = wrapText('https://example.invalid/a/very/long/path/without/spaces', { ...style, firstLineWidthPx: 60 });
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('')).toBe('https://example.invalid/a/very/long/path/without/spaces');
    for (const line of lines) expect(measureTextPx(line, style)).toBeLessThanOrEqual(60.01);
  });

  it('cuts at maxLines with an ellipsis that fits', () => {
    const text = 'The dogs go silent. Cyber Boss stays there mostly motionless. Margaret is fearful, confused and befuddled.';
    const { lines, truncated } = wrapText(text, { ...style, firstLineWidthPx: 100, maxLines: 2 });
    expect(truncated).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
    expect(measureTextPx(lines[1], style)).toBeLessThanOrEqual(100.01);
  });

  it('returns no lines for blank text', () => {
    expect(wrapText('  \n\t ', { ...style, firstLineWidthPx: 100 })).toEqual({ lines: [], truncated: false });
  });
});

describe('withEllipsis', () => {
  it('drops trailing punctuation and whole words before the ellipsis', () => {
    const line = 'He smiles at them, and waves.';
    const cut = withEllipsis(line, measureTextPx('He smiles at them…', { fontPx: 10 }) + 1, { fontPx: 10 });
    expect(cut).toBe('He smiles at them…');
  });

  it('keeps the ellipsis alone when nothing else fits', () => {
    expect(withEllipsis('Watch.', 10, { fontPx: 10 })).toBe('…');
  });
});
