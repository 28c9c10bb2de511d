import { describe, expect, it } from 'vitest';
import { decodeScriptBytes, firstInvalidUtf8Offset, normaliseNewlines } from './decode';
import { ScriptParseError } from './ScriptParseError';

describe('firstInvalidUtf8Offset', () => {
  it('accepts valid UTF-8 of every length', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('café – 東京 – 🎬', 'utf8'))).toBe(-1);
  });

  it.each([
    ['a lone continuation byte', [0x41, 0x80], 1],
    ['Latin-1 é', [0x63, 0x61, 0x66, 0xe9], 3],
    ['an overlong slash', [0xc0, 0xaf], 0],
    ['an overlong 3-byte form', [0xe0, 0x80, 0x80], 0],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a truncated sequence', [0x41, 0xe6, 0x9d], 1],
  ])('rejects %s', (_what, bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });
});

describe('decodeScriptBytes', () => {
  it('decodes UTF-16 BE with a BOM and normalises lone CR line ends', () => {
    const text = 'INT. HOUSE - DAY\r\rBob waits.\r';
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeScriptBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'mac.fountain')).toBe('INT. HOUSE - DAY\n\nBob waits.\n');
  });

  it('names the format of a binary file from its extension when its bytes have no known signature', () => {
    const err = (() => {
      try {
        decodeScriptBytes(Buffer.from([0x00, 0x10, 0x20, 0x00]), 'Draft 3.pdf');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ScriptParseError);
    expect((err as ScriptParseError).message).toMatch(/^This is a PDF/);
  });

  it('rejects an old Word .doc by its OLE signature', () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00, 0x00]);
    expect(() => decodeScriptBytes(ole, 'script.doc')).toThrow(/old-style binary document/);
  });
});

describe('normaliseNewlines', () => {
  it('turns CRLF and CR into LF and drops a BOM', () => {
    expect(normaliseNewlines('\uFEFFa\r\nb\rc\n')).toBe('a\nb\nc\n');
  });
});
