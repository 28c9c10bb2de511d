/**
 * The one error type of the media module: a stable `code` for shells and tests, a sentence for people in
 * `message`, and what to do about it in `hint`. It has the fields of `ContractErrorShape`
 * (src-preload/model.ts), so a shell can hand it back as is.
 */

/** Every code the media module throws. */
export type MediaErrorCode =
  /** The file (or folder) named does not exist. */
  | 'media.notFound'
  /** The file has no bytes. */
  | 'media.empty'
  /** Not a PNG, JPEG, WebP image or an MP4, MOV, WebM or Matroska clip (decided from the bytes, not the name). */
  | 'media.unsupported'
  /** A sound file, or a container without a picture stream: takes need a picture. */
  | 'media.audioOnly'
  /** The container was recognised but its picture could not be decoded. */
  | 'media.corrupt'
  /** Larger than the decoder accepts. */
  | 'media.tooLarge'
  /** ffprobe or ffmpeg is not installed or not on PATH. */
  | 'media.toolMissing'
  /** ffprobe or ffmpeg ran but failed or took too long. */
  | 'media.toolFailed'
  /** A path points outside the project folder, or is not a plain relative path. */
  | 'media.pathRejected'
  /** An argument is out of range (a width of 0, a malformed hash). */
  | 'media.badArgument';

/** An error of the media module. `message` says what was wrong; `hint` says what to do. */
export class MediaError extends Error {
  override readonly name = 'MediaError';

  constructor(
    readonly code: MediaErrorCode,
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
