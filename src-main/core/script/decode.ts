import { scriptError, type ScriptParseError } from './ScriptParseError';

/**
 * Bytes of a script file -> text, and recognition of files that are not Fountain at all.
 *
 * Fountain is plain UTF-8 text (https://fountain.io/syntax). People also pick, by mistake, the PDF or the Final
 * Draft (.fdx) file of the same screenplay, or a word-processor document: those get a message naming the format.
 */

const EXPORT_HINT = 'Export or save the screenplay as Fountain (.fountain) from your writing app, then import that file.';

/** Formats recognised from their first bytes or their extension, with what to tell the person. */
const FOREIGN_FORMATS = {
  pdf: {
    problem: 'This is a PDF, not a Fountain screenplay: StoryCanvas reads the plain text of a Fountain file, not a PDF.',
    hint: EXPORT_HINT,
  },
  fdx: {
    problem: 'This is a Final Draft document (.fdx, XML), not a Fountain screenplay.',
    hint: 'Convert it to Fountain (.fountain) first (Fade In, Highland and other screenwriting apps open .fdx files and export Fountain), then import the .fountain file.',
  },
  zip: {
    problem: 'This is a ZIP package (such as a Word .docx, Highland .highland or Fade In .fadein file), not a plain-text Fountain screenplay.',
    hint: EXPORT_HINT,
  },
  ole: {
    problem: 'This is an old-style binary document (such as a Word .doc or a Celtx file), not a plain-text Fountain screenplay.',
    hint: EXPORT_HINT,
  },
  rtf: {
    problem: 'This is a Rich Text (.rtf) document, not a plain-text Fountain screenplay.',
    hint: EXPORT_HINT,
  },
  xml: {
    problem: 'This is an XML, HTML or DTD document (markup), not a Fountain screenplay.',
    hint: EXPORT_HINT,
  },
} as const;

type ForeignFormat = keyof typeof FOREIGN_FORMATS;

/** Extensions that name a foreign format, used when the bytes alone do not tell (a binary file with NUL bytes). */
const FOREIGN_EXTENSIONS: Record<string, ForeignFormat> = {
  pdf: 'pdf',
  fdx: 'fdx',
  docx: 'zip',
  highland: 'zip',
  fadein: 'zip',
  celtx: 'zip',
  doc: 'ole',
  rtf: 'rtf',
};

function foreignError(format: ForeignFormat): ScriptParseError {
  return scriptError(FOREIGN_FORMATS[format].problem, FOREIGN_FORMATS[format].hint);
}

function extensionOf(fileName: string | undefined): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName ?? '');
  return m ? m[1].toLowerCase() : '';
}

/**
 * Recognises text that is really another document format: a PDF, a Final Draft .fdx (XML with a `<FinalDraft>`
 * root), other XML or HTML, RTF, or a ZIP/OLE container read as text. Returns null for anything else.
 */
function foreignFormatOfText(text: string): ForeignFormat | null {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  if (head.startsWith('%PDF-')) return 'pdf';
  if (head.startsWith('PK\u0003\u0004')) return 'zip';
  if (head.startsWith('\u00D0\u00CF\u0011\u00E0') || head.startsWith('\uFFFD\uFFFD\u0011\uFFFD')) return 'ole';
  if (head.startsWith('{\\rtf')) return 'rtf';
  const trimmed = head.trimStart();
  if (/^<FinalDraft[\s>]/.test(trimmed) || (trimmed.startsWith('<') && /<FinalDraft[\s>]/.test(head))) return 'fdx';
  // any markup: an XML declaration, a comment or DTD declaration (<!-- …, <!ELEMENT …), or an element. Fountain
  // has no syntax that starts a script with '<' (centred text starts with '>').
  if (/^<(?:\?xml|![A-Za-z-]|[A-Za-z][\w:.-]*[\s>/])/.test(trimmed)) return 'xml';
  return null;
}

/**
 * Throws a ScriptParseError when `text` cannot be a Fountain screenplay before any parsing is tried: a foreign
 * format (PDF, Final Draft .fdx, RTF, XML/HTML, ZIP) or binary data (a NUL character). `fileName` (optional) only
 * helps name the format of a binary file.
 */
export function rejectNonFountainText(text: string, fileName?: string): void {
  const format = foreignFormatOfText(text);
  if (format) throw foreignError(format);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw binaryError(nul, fileName);
}

/** The error for binary data: names the format when the extension tells it, else says "binary". */
function binaryError(offset: number, fileName: string | undefined): ScriptParseError {
  const byExt = FOREIGN_EXTENSIONS[extensionOf(fileName)];
  if (byExt) return foreignError(byExt);
  return scriptError(
    `The file holds binary data (a NUL byte at offset ${offset}), so it is not a text file.`,
    'Pick the Fountain (.fountain) text file of the screenplay.',
  );
}

/**
 * Offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), or -1 when all of `buf` is valid UTF-8.
 */
export function firstInvalidUtf8Offset(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const c = buf[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const b = buf[i + k];
      if (b === undefined) return i;
      if (k === 1 ? b < lo || b > hi : b < 0x80 || b > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

function startsWith(buf: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

/**
 * Decodes the bytes of a script file into the text `parseFountain` takes.
 *
 * - UTF-8 (the Fountain encoding), with or without a byte-order mark: the BOM is removed.
 * - UTF-16 LE/BE with a byte-order mark (Windows Notepad's "Unicode"): decoded too.
 * - Line ends CRLF and lone CR become LF.
 * An empty buffer gives '' (parseFountain then reports the empty file).
 *
 * @param buf the file's bytes.
 * @param fileName the file's name, used only to name a binary format in the message (`draft.pdf`).
 * @throws ScriptParseError for a PDF, Final Draft .fdx, ZIP (.docx/.highland/.fadein), old Word/OLE or RTF file;
 *   for binary data (a NUL byte); for bytes that are not valid UTF-8 (the message gives the line and the byte).
 */
export function decodeScriptBytes(buf: Uint8Array, fileName: string): string {
  let text: string;
  if (startsWith(buf, [0xff, 0xfe])) text = new TextDecoder('utf-16le').decode(buf.subarray(2));
  else if (startsWith(buf, [0xfe, 0xff])) text = new TextDecoder('utf-16be').decode(buf.subarray(2));
  else {
    const body = startsWith(buf, [0xef, 0xbb, 0xbf]) ? buf.subarray(3) : buf;
    // The signature check comes first: a PDF or a ZIP is both binary and invalid UTF-8, and naming it helps more.
    const format = foreignFormatOfText(latin1Head(body));
    if (format) throw foreignError(format);
    const nul = body.indexOf(0);
    if (nul >= 0) throw binaryError(nul, fileName);
    const bad = firstInvalidUtf8Offset(body);
    if (bad >= 0) {
      let line = 1;
      for (let i = 0; i < bad; i++) if (body[i] === 0x0a) line++;
      const byte = body[bad].toString(16).toUpperCase().padStart(2, '0');
      throw scriptError(
        `The file is not valid UTF-8 text (byte 0x${byte} on line ${line} cannot be read): it was probably saved as Windows-1252, Latin-1 or Mac Roman.`,
        'Open it in a text editor, save it again with the encoding UTF-8, then import it again.',
      );
    }
    text = new TextDecoder('utf-8').decode(body);
  }
  rejectNonFountainText(text, fileName);
  return normaliseNewlines(text);
}

/** The first 4 KB as Latin-1 (one char per byte), enough to recognise a file signature. */
function latin1Head(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 4096)).toString('latin1');
}

/** CRLF and lone CR -> LF; a leading byte-order mark is removed. */
export function normaliseNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
