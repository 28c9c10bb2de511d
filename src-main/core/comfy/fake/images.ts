/**
 * Image bytes for the ComfyUI test double: solid-colour PNGs (what SaveImage / PreviewImage "generate") and
 * small JPEG sampling previews. PNGs carry ComfyUI's metadata the way `SaveImage` writes it: one `tEXt`
 * chunk `prompt` (the API graph as `json.dumps`) and one per `extra_pnginfo` key (usually `workflow`),
 * placed right after `IHDR` (PNG spec: https://www.w3.org/TR/png/#11tEXt).
 */
import { crc32 } from 'node:zlib';
import { createHash } from 'node:crypto';
import sharp from 'sharp';

/** An sRGB colour, 0..255 per channel. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** Colour from ComfyUI's EmptyImage `color` integer (0xRRGGBB). */
export function rgbFromInt(color: number): Rgb {
  const value = Math.max(0, Math.min(0xffffff, Math.trunc(color)));
  return { r: (value >> 16) & 0xff, g: (value >> 8) & 0xff, b: value & 0xff };
}

/** A stable colour derived from any seed-like value (the same seed always gives the same colour). */
export function rgbFromSeed(seed: unknown): Rgb {
  const digest = createHash('sha256').update(String(seed)).digest();
  return { r: digest[0], g: digest[1], b: digest[2] };
}

/** Each channel inverted (ComfyUI ImageInvert: 1 - x). */
export function invertRgb(colour: Rgb): Rgb {
  return { r: 255 - colour.r, g: 255 - colour.g, b: 255 - colour.b };
}

/** Linear mix of two colours, `t` in 0..1 (0 gives `from`). */
export function mixRgb(from: Rgb, to: Rgb, t: number): Rgb {
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * t);
  return { r: mix(from.r, to.r), g: mix(from.g, to.g), b: mix(from.b, to.b) };
}

function textChunk(keyword: string, text: string): Buffer {
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]);
  const type = Buffer.from('tEXt', 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])) >>> 0);
  return Buffer.concat([length, type, data, crc]);
}

const PNG_SIGNATURE_BYTES = 8;
const IHDR_CHUNK_BYTES = 25;

/**
 * A solid-colour PNG of `widthPx` x `heightPx` with the given `tEXt` chunks (keyword -> text, latin-1).
 * `compressionLevel` 0..9 (ComfyUI: 4 for SaveImage, 1 for PreviewImage).
 * @throws Error when a size is not a positive integer.
 */
export async function solidPng(
  widthPx: number,
  heightPx: number,
  colour: Rgb,
  textChunks: Record<string, string> = {},
  compressionLevel = 4,
): Promise<Buffer> {
  if (!Number.isInteger(widthPx) || !Number.isInteger(heightPx) || widthPx < 1 || heightPx < 1) {
    throw new Error(`solidPng: size ${widthPx}x${heightPx} px is not a positive integer size`);
  }
  const png = await sharp({ create: { width: widthPx, height: heightPx, channels: 3, background: colour } })
    .png({ compressionLevel })
    .toBuffer();
  const chunks = Object.entries(textChunks).map(([keyword, text]) => textChunk(keyword, text));
  if (chunks.length === 0) return png;
  const head = png.subarray(0, PNG_SIGNATURE_BYTES + IHDR_CHUNK_BYTES);
  const rest = png.subarray(PNG_SIGNATURE_BYTES + IHDR_CHUNK_BYTES);
  return Buffer.concat([head, ...chunks, rest]);
}

/** A solid-colour JPEG (quality 95, as ComfyUI encodes its previews). */
export async function solidJpeg(widthPx: number, heightPx: number, colour: Rgb): Promise<Buffer> {
  return sharp({ create: { width: Math.max(1, widthPx), height: Math.max(1, heightPx), channels: 3, background: colour } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** Reads the `tEXt` chunks of a PNG (keyword -> text). Returns `{}` for bytes that are not a PNG. */
export function readPngTextChunks(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  if (png.length < PNG_SIGNATURE_BYTES || png.readUInt32BE(0) !== 0x89504e47) return out;
  let offset = PNG_SIGNATURE_BYTES;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'tEXt') {
      const data = png.subarray(offset + 8, offset + 8 + length);
      const zero = data.indexOf(0);
      if (zero > 0) out[data.toString('latin1', 0, zero)] = data.toString('latin1', zero + 1);
    }
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return out;
}
