/**
 * The media module: takes on disk (`media/takes/<sha256>.<ext>`), thumbnails (`media/thumbs/<sha256>-<widthPx>.webp`),
 * placeholder cards (`media/cards/<sha256>-<widthPx>x<heightPx>.png`), file import, and the path guard for serving
 * media. Paths it returns are relative to the project folder with `/` separators. Errors are `MediaError`s with a
 * `code`, a `message` for people and a `hint`.
 */
export { MediaError, type MediaErrorCode } from './MediaError.ts';
export { sniffMediaType, EXTENSION_BY_FORMAT, SNIFF_BYTES, type MediaFormat, type SniffedMedia } from './sniff.ts';
export { probeMedia, parseRational, type MediaProbe, type RationalFrameRate } from './probe.ts';
export { importMediaFile, importMediaBytes, TAKES_DIR, type ImportedMedia } from './importMedia.ts';
export { ensureThumbnail, thumbnailRenderCount, THUMBS_DIR, DEFAULT_THUMBNAIL_WIDTH_PX } from './thumbnail.ts';
export {
  renderPlaceholderCard,
  ensurePlaceholderCard,
  placeholderCardSvg,
  placeholderCardHash,
  placeholderRenderCount,
  CARDS_DIR,
  PLACEHOLDER_DESIGN_VERSION,
  type PlaceholderCard,
} from './placeholder.ts';
export { resolveInsideProject, toProjectRelative, contentTypeFor } from './paths.ts';
export { findOnPath, requireTool } from './tools.ts';
