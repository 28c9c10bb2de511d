/**
 * Row access to uncompressed 8-bit pictures on disk, in libvips's native `.v` format, so a picture of any size
 * flows through the runtime a band of rows at a time:
 * - the input is decoded once by sharp (libvips, which streams PNG/JPEG/WebP decoding) into a `.v` file, and
 *   tiles read the rows they need from it;
 * - the output is written row band by row band into a `.v` file that sharp then encodes to PNG/JPEG/WebP/TIFF,
 *   again streaming.
 *
 * The `.v` layout (libvips `vips.c`, https://www.libvips.org/API/current/file-format.html): a 64-byte header
 * (magic 0xb6a6f208 most significant byte first for little-endian data, then little-endian int32 Xsize, Ysize,
 * Bands, Bbits, BandFmt, Coding, Type, float32 Xres, Yres, ...), then the pixels, row by row, bands interleaved.
 * An optional XML extension after the pixels is ignored by readers here and not written.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Size of the `.v` header in bytes. */
export const VIPS_HEADER_BYTES = 64;

/** libvips's magic for little-endian pixel data, stored most significant byte first. */
const VIPS_MAGIC_INTEL = 0xb6a6f208;
/** VipsInterpretation values: B_W and sRGB. */
const VIPS_INTERPRETATION_B_W = 1;
const VIPS_INTERPRETATION_SRGB = 22;

/** Size and band count of an 8-bit picture. */
export interface RawImageInfo {
  widthPx: number;
  heightPx: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: number;
}

/** The 64-byte `.v` header of an 8-bit (uchar), uncoded picture (sRGB for 3 or 4 bands, B_W otherwise). */
export function vipsHeader(info: RawImageInfo): Buffer {
  const h = Buffer.alloc(VIPS_HEADER_BYTES);
  h.writeUInt32BE(VIPS_MAGIC_INTEL, 0);
  h.writeInt32LE(info.widthPx, 4);
  h.writeInt32LE(info.heightPx, 8);
  h.writeInt32LE(info.channels, 12);
  h.writeInt32LE(8, 16); // Bbits (unused by libvips, written for compatibility)
  h.writeInt32LE(0, 20); // BandFmt: VIPS_FORMAT_UCHAR
  h.writeInt32LE(0, 24); // Coding: none
  h.writeInt32LE(info.channels >= 3 ? VIPS_INTERPRETATION_SRGB : VIPS_INTERPRETATION_B_W, 28);
  h.writeFloatLE(1, 32); // Xres (pixels per mm)
  h.writeFloatLE(1, 36); // Yres
  return h;
}

/**
 * Parses a `.v` header written by libvips or `vipsHeader`.
 * @throws Error when the bytes are not a little-endian, uncoded, 8-bit `.v` header.
 */
export function parseVipsHeader(header: Uint8Array): RawImageInfo {
  const b = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (b.length < VIPS_HEADER_BYTES || b.readUInt32BE(0) !== VIPS_MAGIC_INTEL) throw new Error('not a little-endian libvips .v file');
  const info = { widthPx: b.readInt32LE(4), heightPx: b.readInt32LE(8), channels: b.readInt32LE(12) };
  if (b.readInt32LE(20) !== 0) throw new Error(`the .v file holds band format ${b.readInt32LE(20)}, not 8-bit`);
  if (b.readInt32LE(24) !== 0) throw new Error('the .v file is coded (LABQ/RAD), not plain pixels');
  return info;
}

/** Reads bands of rows from an 8-bit `.v` file. Close it when done. */
export class VipsRowReader {
  private constructor(
    private readonly file: FileHandle,
    readonly info: RawImageInfo,
  ) {}

  /**
   * Opens a `.v` file and reads its header.
   * @throws Error when the file is missing or not an 8-bit `.v` file.
   */
  static async open(filePath: string): Promise<VipsRowReader> {
    const file = await open(filePath, 'r');
    try {
      const header = Buffer.alloc(VIPS_HEADER_BYTES);
      await file.read(header, 0, VIPS_HEADER_BYTES, 0);
      return new VipsRowReader(file, parseVipsHeader(header));
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  /**
   * Rows `y0` to `y0 + count - 1`, interleaved bands: `count * widthPx * channels` bytes.
   * @throws RangeError when the rows are outside the picture.
   */
  async readRows(y0: number, count: number): Promise<Uint8Array> {
    const { widthPx, heightPx, channels } = this.info;
    if (y0 < 0 || count < 0 || y0 + count > heightPx) throw new RangeError(`rows ${y0}..${y0 + count - 1} are outside a picture of ${heightPx} rows`);
    const rowBytes = widthPx * channels;
    const out = Buffer.alloc(count * rowBytes);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.file.read(out, done, out.length - done, VIPS_HEADER_BYTES + y0 * rowBytes + done);
      if (bytesRead === 0) throw new Error(`the .v file ends before row ${y0 + count - 1}`);
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** Writes an 8-bit `.v` file row band by row band, top to bottom. Close it when done. */
export class VipsRowWriter {
  private rowsWritten = 0;

  private constructor(
    private readonly file: FileHandle,
    readonly info: RawImageInfo,
  ) {}

  /** Creates (or truncates) `filePath` and writes the header. */
  static async create(filePath: string, info: RawImageInfo): Promise<VipsRowWriter> {
    const file = await open(filePath, 'w');
    try {
      await file.write(vipsHeader(info), 0, VIPS_HEADER_BYTES, 0);
      return new VipsRowWriter(file, info);
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  /** Rows written so far. */
  get rows(): number {
    return this.rowsWritten;
  }

  /**
   * Appends whole rows (interleaved bands, `widthPx * channels` bytes each).
   * @throws RangeError when the bytes are not whole rows or would run past the picture's height.
   */
  async writeRows(pixels: Uint8Array): Promise<void> {
    const rowBytes = this.info.widthPx * this.info.channels;
    if (pixels.length % rowBytes !== 0) throw new RangeError(`${pixels.length} bytes are not whole rows of ${rowBytes} bytes`);
    const count = pixels.length / rowBytes;
    if (this.rowsWritten + count > this.info.heightPx) throw new RangeError(`writing ${count} rows after ${this.rowsWritten} runs past ${this.info.heightPx} rows`);
    let done = 0;
    while (done < pixels.length) {
      const { bytesWritten } = await this.file.write(pixels, done, pixels.length - done, VIPS_HEADER_BYTES + this.rowsWritten * rowBytes + done);
      done += bytesWritten;
    }
    this.rowsWritten += count;
  }

  /**
   * Closes the file.
   * @throws Error when fewer rows than the picture's height were written (the file would be incomplete).
   */
  async close(): Promise<void> {
    await this.file.close();
    if (this.rowsWritten !== this.info.heightPx) throw new Error(`only ${this.rowsWritten} of ${this.info.heightPx} rows were written`);
  }

  /** Closes the file without checking it is complete (after a failure or a cancel). */
  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }
}
