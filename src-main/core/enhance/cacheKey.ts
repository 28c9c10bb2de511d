/**
 * Cache keys of enhancement results: the same input bytes, the same model file (its SHA-256) and the same
 * parameters give the same picture, so a result can be reused instead of recomputed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Bumped whenever the pipeline changes what it writes for the same inputs (colour conversion, encoding). */
export const ENHANCE_PIPELINE_VERSION = 1;

/** Parameters that change the output: output format and tiling (tiles only change it when they cut context). */
export interface EnhanceCacheParams {
  /** Output extension, lowercase with the dot (`.png`). */
  outputExt: string;
  tileSizePx: number;
  overlapPx: number;
  /** "Upscale to project resolution": the size the result is fitted to (lanczos), when it is not the model's own. */
  targetWidthPx?: number;
  targetHeightPx?: number;
  /** Frame interpolation: the frame rate the clip is brought to (the project's), as a rational. */
  frameRate?: { num: number; den: number };
}

/**
 * The cache key of a result: SHA-256 (hex) over the pipeline version, the input's SHA-256, the model's SHA-256
 * and the parameters (output format, tiling, and when given the target size or frame rate), as canonical JSON.
 * @param input the input picture's bytes, or its SHA-256 as 64 lowercase hex digits.
 * @param modelSha256 the model's SHA-256 (its sidecar's `sha256`).
 * @throws Error when a SHA-256 is malformed.
 */
export function enhanceCacheKey(input: Uint8Array | string, modelSha256: string, params: EnhanceCacheParams): string {
  const inputSha256 = typeof input === 'string' ? input : createHash('sha256').update(input).digest('hex');
  for (const [what, value] of [['input', inputSha256], ['model', modelSha256]] as const) {
    if (!/^[0-9a-f]{64}$/.test(value)) throw new Error(`enhanceCacheKey: the ${what} SHA-256 "${value}" is not 64 lowercase hex digits.`);
  }
  const canonical = JSON.stringify({
    v: ENHANCE_PIPELINE_VERSION,
    input: inputSha256,
    model: modelSha256,
    outputExt: params.outputExt.toLowerCase(),
    overlapPx: params.overlapPx,
    tileSizePx: params.tileSizePx,
    // Present only when set, so keys of plain upscales stay what they were.
    ...(params.targetWidthPx !== undefined || params.targetHeightPx !== undefined ? { target: [params.targetWidthPx ?? null, params.targetHeightPx ?? null] } : {}),
    ...(params.frameRate ? { frameRate: `${params.frameRate.num}/${params.frameRate.den}` } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** SHA-256 (hex) of a file, streamed (for `enhanceCacheKey` on a file too large to read at once). */
export function sha256OfFile(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(filePath)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
