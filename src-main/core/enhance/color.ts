/**
 * RGB <-> YCbCr for luma-only (`Y`) models: ITU-R BT.601 with studio swing (Y in [16, 235], Cb and Cr in
 * [16, 240]), the convention of MATLAB's `rgb2ycbcr` on which Y-channel super-resolution models (SRCNN, ESPCN,
 * FSRCNN) are trained. Values here are in [0, 1] units of 255 (Y = 16/255 for black).
 */

/** Forward matrix rows (R, G, B in [0,1] -> units of 1/255) and offsets, from BT.601. */
const FORWARD = [
  [65.481, 128.553, 24.966],
  [-37.797, -74.203, 112.0],
  [112.0, -93.786, -18.214],
] as const;
const OFFSET = [16, 128, 128] as const;

function invert3(m: readonly (readonly number[])[]): number[][] {
  const [a, b, c] = m[0];
  const [d, e, f] = m[1];
  const [g, h, i] = m[2];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

const INVERSE = invert3(FORWARD);

/** Luma of an RGB colour, all in [0, 1]: Y = (16 + 65.481 R + 128.553 G + 24.966 B) / 255. */
export function lumaOf(r: number, g: number, b: number): number {
  return (OFFSET[0] + FORWARD[0][0] * r + FORWARD[0][1] * g + FORWARD[0][2] * b) / 255;
}

/** Full YCbCr of an RGB colour, all in [0, 1]. */
export function rgbToYcbcr(r: number, g: number, b: number): [number, number, number] {
  return [0, 1, 2].map((k) => (OFFSET[k] + FORWARD[k][0] * r + FORWARD[k][1] * g + FORWARD[k][2] * b) / 255) as [number, number, number];
}

/** RGB of a YCbCr colour, all in [0, 1] (not clamped: out-of-gamut colours come out below 0 or above 1). */
export function ycbcrToRgb(y: number, cb: number, cr: number): [number, number, number] {
  const v = [y * 255 - OFFSET[0], cb * 255 - OFFSET[1], cr * 255 - OFFSET[2]];
  return [0, 1, 2].map((k) => INVERSE[k][0] * v[0] + INVERSE[k][1] * v[1] + INVERSE[k][2] * v[2]) as [number, number, number];
}

/**
 * Replaces the luma of 8-bit RGB pixels with `luma` (in [0, 1]) keeping their chroma, in place.
 * @param rgb interleaved 8-bit RGB, `luma.length * 3` bytes.
 */
export function replaceLuma(rgb: Uint8Array, luma: Float32Array): void {
  const [f1, f2] = [FORWARD[1], FORWARD[2]];
  const [i0, i1, i2] = INVERSE;
  for (let p = 0, q = 0; p < luma.length; p++, q += 3) {
    const r = rgb[q] / 255;
    const g = rgb[q + 1] / 255;
    const b = rgb[q + 2] / 255;
    // Chroma in units of 255, centred: (Cb - 128), (Cr - 128).
    const cb = f1[0] * r + f1[1] * g + f1[2] * b;
    const cr = f2[0] * r + f2[1] * g + f2[2] * b;
    const y = luma[p] * 255 - OFFSET[0];
    const outR = Math.round((i0[0] * y + i0[1] * cb + i0[2] * cr) * 255);
    const outG = Math.round((i1[0] * y + i1[1] * cb + i1[2] * cr) * 255);
    const outB = Math.round((i2[0] * y + i2[1] * cb + i2[2] * cr) * 255);
    rgb[q] = outR < 0 ? 0 : outR > 255 ? 255 : outR;
    rgb[q + 1] = outG < 0 ? 0 : outG > 255 ? 255 : outG;
    rgb[q + 2] = outB < 0 ? 0 : outB > 255 ? 255 : outB;
  }
}
