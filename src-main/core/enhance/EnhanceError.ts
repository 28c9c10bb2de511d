/**
 * The one error type of the enhancement runtime: a stable `code` for shells and tests, a sentence for people in
 * `message`, and what to do about it in `hint` (the fields of `ContractErrorShape` in src-preload/model.ts, so a
 * shell can hand it back as is).
 */

/** Every code the enhancement runtime throws. */
export type EnhanceErrorCode =
  /** A model folder has no sidecar, a sidecar that is not valid JSON or does not match the schema. */
  | 'enhance.badSidecar'
  /** The model file is missing, unreadable, or does not match the SHA-256 its sidecar names. */
  | 'enhance.badModel'
  /** The model's graph does not have the inputs and outputs its sidecar names. */
  | 'enhance.modelMismatch'
  /** No model with that id is installed. */
  | 'enhance.unknownModel'
  /** The model does another task than the one asked (an interpolation model given a picture, an upscaler a clip). */
  | 'enhance.unsupportedTask'
  /** ffmpeg or ffprobe is not installed (frame interpolation needs them). */
  | 'enhance.toolMissing'
  /** ffmpeg could not write the interpolated clip. */
  | 'enhance.encodeFailed'
  /** The input picture is missing or cannot be decoded. */
  | 'enhance.badInput'
  /** An argument is out of range (tile size, overlap, output extension). */
  | 'enhance.badArgument'
  /** Inference failed on every execution provider, or the output has an unexpected shape. */
  | 'enhance.inferenceFailed'
  /** The job was cancelled through its AbortSignal. */
  | 'enhance.cancelled'
  /** The worker thread died or could not be started. */
  | 'enhance.workerFailed';

/** An error of the enhancement runtime. `message` says what was wrong; `hint` says what to do. */
export class EnhanceError extends Error {
  override readonly name = 'EnhanceError';

  constructor(
    readonly code: EnhanceErrorCode,
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The error thrown when a job is cancelled between tiles. */
export function cancelledError(): EnhanceError {
  return new EnhanceError('enhance.cancelled', 'The enhancement was cancelled.', 'Start it again when you need it.');
}

/** Plain-data form of an EnhanceError (or any error) for a message between threads. */
export interface SerializedEnhanceError {
  code: EnhanceErrorCode;
  message: string;
  hint: string;
}

/** Turns any thrown value into plain data that survives `postMessage`. */
export function serializeError(err: unknown): SerializedEnhanceError {
  if (err instanceof EnhanceError) return { code: err.code, message: err.message, hint: err.hint };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'enhance.inferenceFailed', message, hint: 'Try again; if it keeps failing, try another model or report the message.' };
}

/** Rebuilds an EnhanceError from `serializeError`'s data. */
export function deserializeError(data: SerializedEnhanceError): EnhanceError {
  return new EnhanceError(data.code, data.message, data.hint);
}
