import { describe, expect, it } from 'vitest';
import { at, childrenNamed, descendants, parseXml } from './xmlTree.ts';

describe('parseXml', () => {
  it('reads declarations, elements, attributes, entities and CDATA', () => {
    const doc = parseXml(
      `<?xml version="1.0"?>\n<!DOCTYPE r>\n<!-- c -->\n<r a="1 &amp; 2" b='x'><k>&lt;&#65;&#x42;&gt;</k><k/><m><![CDATA[<raw>]]></m></r>\n`,
    );
    expect(doc.name).toBe('r');
    expect(doc.attrs).toEqual({ a: '1 & 2', b: 'x' });
    expect(childrenNamed(doc, 'k').map((k) => k.text)).toEqual(['<AB>', '']);
    expect(at(doc, 'm').text).toBe('<raw>');
    expect(descendants(doc, 'k')).toHaveLength(2);
  });

  it('refuses broken documents', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/does not close <b>/);
    expect(() => parseXml('<a>')).toThrow(/<a> is not closed/);
    expect(() => parseXml('<a/><b/>')).toThrow(/second root/);
    expect(() => parseXml('')).toThrow(/no root element/);
    expect(() => at(parseXml('<a/>'), 'b')).toThrow(/<a> has no <b>/);
  });
});
