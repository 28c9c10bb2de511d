import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText } from './xmlEscape.ts';
import { parseXml } from './xmlTree.ts';

describe('XML escaping', () => {
  it('escapes text and attributes so they read back unchanged', () => {
    const value = `Tom & "Jerry" <run> it's\nover\ttab`;
    const doc = parseXml(`<a v="${escapeXmlAttr(value)}">${escapeXmlText(value)}</a>`);
    expect(doc.attrs.v).toBe(value);
    expect(doc.text).toBe(value);
    expect(escapeXmlAttr('a\nb')).toBe('a&#10;b');
  });

  it('drops characters XML 1.0 cannot hold and keeps astral characters', () => {
    expect(escapeXmlText('a\u0000b\u001Fc\uFFFFd')).toBe('abcd');
    expect(escapeXmlText('lone \uD800 surrogate')).toBe('lone  surrogate');
    expect(escapeXmlAttr('film 🎬')).toBe('film 🎬');
  });
});
