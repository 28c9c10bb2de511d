/**
 * Recognising a take's file type from its first bytes (magic numbers), never from its name.
 *
 * Follows: PNG (ISO/IEC 15948, 8-byte signature), JPEG (JFIF/Exif, SOI marker FF D8 FF), WebP (RIFF container,
 * https://developers.google.com/speed/webp/docs/riff_container), ISO base media file format (ISO/IEC 14496-12,
 * the `ftyp` box with its major and compatible brands; https://mp4ra.org/registered-types/brands), QuickTime
 * (Apple QuickTime File Format: `ftyp` brand `qt  `, or older files that open with a `moov`/`mdat`/`wide` atom),
 * Matroska and WebM (RFC 8794 EBML header, DocType `matroska` or `webm`, https://www.matroska.org).
 */

/** The formats a take may have. */
export type MediaFormat = 'png' | 'jpeg' | 'webp' | 'mp4' | 'mov' | 'webm' | 'mkv';

/** What the bytes say a file is. */
export interface SniffedMedia {
  kind: 'image' | 'video';
  format: MediaFormat;
}

/** How many leading bytes `sniffMediaType` wants to see (it copes with fewer). */
export const SNIFF_BYTES = 4096;

/** File extension (without the dot) under which each format is stored in `media/takes/`. */
export const EXTENSION_BY_FORMAT: Readonly<Record<MediaFormat, string>> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  mp4: 'mp4',
  mov: 'mov',
  webm: 'webm',
  mkv: 'mkv',
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** ftyp brands of still images and sound-only files: they are ISO-BMFF but not takes. */
const NOT_TAKE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ', 'jp2 ', 'crx ']);

/**
 * The file type of a take from its first bytes, or null when it is none StoryCanvas reads.
 * @param head the first bytes of the file (`SNIFF_BYTES` is plenty; 12 suffice for PNG, JPEG and WebP).
 * @returns `{kind, format}`, or null for anything else (GIF, HEIC, sound files, text, truncated headers).
 */
export function sniffMediaType(head: Buffer): SniffedMedia | null {
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return { kind: 'image', format: 'png' };
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', format: 'jpeg' };
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { kind: 'image', format: 'webp' };
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') return sniffIsoBmff(head);
  if (head.length >= 8 && ['moov', 'mdat', 'wide', 'pnot'].includes(ascii(head, 4, 8))) return { kind: 'video', format: 'mov' };
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return sniffMatroska(head);
  return null;
}

function ascii(buf: Buffer, start: number, end: number): string {
  return buf.toString('latin1', start, end);
}

/** Reads the `ftyp` box: major brand at 8, minor version at 12, compatible brands from 16 to the box's end. */
function sniffIsoBmff(head: Buffer): SniffedMedia | null {
  const boxSize = head.readUInt32BE(0);
  const end = Math.min(head.length, boxSize >= 16 ? boxSize : head.length);
  const major = ascii(head, 8, 12);
  const brands = [major];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  if (major === 'qt  ') return { kind: 'video', format: 'mov' };
  if (NOT_TAKE_BRANDS.has(major)) return null;
  const isMp4 = brands.some((b) => /^(isom|iso[2-9a-f]|mp4[12v]|avc1|hvc1|hev1|av01|dash|mmp4|M4V |M4VH|M4VP|MSNV|3g[p2][0-9a-z]|f4v )$/.test(b));
  if (isMp4) return { kind: 'video', format: 'mp4' };
  if (brands.includes('qt  ')) return { kind: 'video', format: 'mov' };
  return null;
}

/**
 * Reads the EBML header (RFC 8794 §11.2) for its DocType element (ID 0x4282): `webm` or `matroska`.
 * Element IDs keep their length marker; sizes are variable-length integers with the marker cleared.
 */
function sniffMatroska(head: Buffer): SniffedMedia | null {
  let at = 4;
  const headerSize = readVint(head, at);
  if (!headerSize) return null;
  at += headerSize.length;
  const end = Math.min(head.length, at + headerSize.value);
  while (at < end) {
    const id = readElementId(head, at);
    if (!id) return null;
    at += id.length;
    const size = readVint(head, at);
    if (!size) return null;
    at += size.length;
    if (id.value === 0x4282) {
      const docType = ascii(head, at, Math.min(head.length, at + size.value)).replace(/\0+$/, '');
      if (docType === 'webm') return { kind: 'video', format: 'webm' };
      if (docType === 'matroska') return { kind: 'video', format: 'mkv' };
      return null;
    }
    at += size.value;
  }
  return null;
}

/** An EBML element ID: 1 to 4 bytes, the length marker kept in the value. */
function readElementId(buf: Buffer, at: number): { value: number; length: number } | null {
  if (at >= buf.length) return null;
  const first = buf[at];
  const length = first >= 0x80 ? 1 : first >= 0x40 ? 2 : first >= 0x20 ? 3 : first >= 0x10 ? 4 : 0;
  if (length === 0 || at + length > buf.length) return null;
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + buf[at + i];
  return { value, length };
}

/** An EBML variable-length integer (1 to 8 bytes), the length marker cleared. */
function readVint(buf: Buffer, at: number): { value: number; length: number } | null {
  if (at >= buf.length) return null;
  const first = buf[at];
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8 || at + length > buf.length) return null;
  let value = first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + buf[at + i];
  return { value, length };
}
