/**
 * Panel images for the storyboard PDF: PNG and JPEG files that already suit the page are embedded as they are;
 * anything else (WebP, TIFF, GIF, AVIF, CMYK or EXIF-rotated JPEG, big images) goes through sharp to a JPEG no larger
 * than the panel at the print resolution.
 */
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';

/** Print resolution the panels are prepared for. */
export const BOARD_IMAGE_DPI = 200;

/** An image ready for pdf-lib's `embedJpg` / `embedPng`. */
export interface BoardImage {
  kind: 'jpg' | 'png';
  bytes: Uint8Array;
  widthPx: number;
  heightPx: number;
}

/** Size of an image as it displays (EXIF orientations 5 to 8 swap width and height), or null when unreadable. */
export async function displaySizePx(path: string): Promise<{ widthPx: number; heightPx: number } | null> {
  try {
    const meta = await sharp(path).metadata();
    if (!meta.width || !meta.height) return null;
    const swapped = (meta.orientation ?? 1) >= 5;
    return swapped ? { widthPx: meta.height, heightPx: meta.width } : { widthPx: meta.width, heightPx: meta.height };
  } catch {
    return null;
  }
}

/**
 * Reads `path` and returns bytes pdf-lib can embed, at most `maxWidthPx` x `maxHeightPx` (aspect kept, never
 * enlarged). Transparency is flattened onto white.
 * @throws Error naming the file when it is missing or not an image sharp can read.
 */
export async function prepareBoardImage(path: string, maxWidthPx: number, maxHeightPx: number): Promise<BoardImage> {
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch (error) {
    throw new Error(`panel image ${path} could not be read: ${(error as Error).message}`, { cause: error });
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const fits = width <= maxWidthPx && height <= maxHeightPx;
  const upright = (meta.orientation ?? 1) === 1;
  if (fits && upright && meta.format === 'jpeg' && (meta.space === 'srgb' || meta.space === 'b-w')) {
    return { kind: 'jpg', bytes: await readFile(path), widthPx: width, heightPx: height };
  }
  if (fits && upright && meta.format === 'png' && !meta.hasAlpha && (meta.bitsPerSample ?? 8) <= 8) {
    return { kind: 'png', bytes: await readFile(path), widthPx: width, heightPx: height };
  }
  const { data, info } = await sharp(path)
    .rotate()
    .resize({ width: Math.max(1, Math.round(maxWidthPx)), height: Math.max(1, Math.round(maxHeightPx)), fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: 88, chromaSubsampling: '4:4:4' })
    .toBuffer({ resolveWithObject: true });
  return { kind: 'jpg', bytes: data, widthPx: info.width, heightPx: info.height };
}
