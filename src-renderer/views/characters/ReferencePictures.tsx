/**
 * A character's reference pictures in the editor: thumbnails (see refThumbs.ts for where they come from), each
 * with its share of the reference and a remove button, a drop zone that also opens the file picker, and the share
 * the next pictures get. Pictures are copied into the library by `character.addReference` (PNG, JPEG, WebP; at
 * most 16 per character).
 */
import { useRef, useState, useSyncExternalStore } from 'react';
import { LIBRARY_MEDIA_ID } from '../../../src-preload/contract';
import type { LibraryCharacter, ReferenceImage } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { ImageIcon } from '../../components/icons';
import { errorInfo } from '../../lib/errors';
import { dragHasFiles } from '../../lib/fileData';
import { formatStrength } from './characterForm';
import { refThumbCache, sha256Hex, thumbnailDataUrl } from './refThumbs';

/** The picture types the library takes. */
const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/**
 * A reference picture's thumbnail: the library's own copy (`/media/library/refs/…`, `app://media/library/…`), with
 * the small copy this browser kept while uploading shown first so a new picture appears at once; a tile with the
 * file name when neither loads.
 */
export function RefThumb({ picture }: { picture: Pick<ReferenceImage, 'contentHash' | 'originalName' | 'widthPx' | 'heightPx' | 'path'> }) {
  const bridge = useBridge();
  const cache = refThumbCache();
  useSyncExternalStore(cache.subscribe, cache.version);
  const [failed, setFailed] = useState(false);
  const local = cache.get(picture.contentHash);
  const url = failed ? local : bridge.mediaUrl(LIBRARY_MEDIA_ID, picture.path, picture.contentHash.slice(0, 12));
  const title = `${picture.originalName} · ${picture.widthPx}×${picture.heightPx}`;
  return url ? (
    <img className="ref-thumb" src={url} alt={picture.originalName} title={title} draggable={false} onError={() => setFailed(true)} />
  ) : (
    <span className="ref-thumb ref-thumb-missing" title={`${title} (the picture could not be loaded)`}>
      <ImageIcon />
      <span className="ref-thumb-name">{picture.originalName}</span>
    </span>
  );
}

/**
 * Props of ReferencePictures. `onAdd` uploads one file with its share of the reference (0..1) and resolves with the
 * character as the library has it then; `disabledReason` replaces the drop zone with a sentence.
 */
export interface ReferencePicturesProps {
  pictures: ReferenceImage[];
  onAdd(file: File, weight: number): Promise<Pick<LibraryCharacter, 'referenceImages'>>;
  onRemove(picture: ReferenceImage): void;
  disabledReason?: string | null;
}

/** The reference pictures of a character with drop/pick to add and × to remove. */
export function ReferencePictures(p: ReferencePicturesProps) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The share of the reference the next pictures get (the core's default is 1). */
  const [weight, setWeight] = useState(1);

  const add = async (files: File[]) => {
    setError(null);
    // the pictures known so far: the one an upload adds is the one not among them
    let known = new Set(p.pictures.map((r) => r.contentHash));
    for (const f of files) {
      if (!PICTURE_TYPES.includes(f.type)) {
        setError(`${f.name} is not a PNG, JPEG or WebP picture.`);
        continue;
      }
      setBusy(f.name);
      try {
        // keep a small picture in this browser: shown at once, and if the library's copy cannot be loaded
        const thumb = await thumbnailDataUrl(f).catch(() => null);
        const character = await p.onAdd(f, weight);
        const hash = character.referenceImages.find((r) => !known.has(r.contentHash))?.contentHash ?? (await sha256Hex(f).catch(() => null));
        known = new Set(character.referenceImages.map((r) => r.contentHash));
        if (thumb && hash) refThumbCache().put(hash, thumb);
      } catch (err) {
        const info = errorInfo(err);
        setError(info.hint ? `${info.message} ${info.hint}` : info.message);
      } finally {
        setBusy(null);
      }
    }
  };

  return (
    <div className="ref-pictures">
      {p.pictures.length ? (
        <div className="ref-grid">
          {p.pictures.map((r) => (
            <figure key={r.contentHash} className="ref-item">
              <RefThumb picture={r} />
              <figcaption className="ref-caption">
                <span className="ref-weight" title="This picture's share of the reference">
                  ×{formatStrength(r.weight)}
                </span>
                <button type="button" className="ref-remove" aria-label={`Remove ${r.originalName}`} title="Remove this picture" onClick={() => p.onRemove(r)}>
                  ×
                </button>
              </figcaption>
            </figure>
          ))}
        </div>
      ) : null}
      {p.disabledReason ? (
        <div className="field-help">{p.disabledReason}</div>
      ) : (
        <button
          type="button"
          className={`ref-drop${over ? ' is-over' : ''}`}
          onClick={() => fileRef.current?.click()}
          onDragOver={(e) => {
            if (!dragHasFiles(e.dataTransfer)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            void add(Array.from(e.dataTransfer.files));
          }}
          disabled={busy !== null}
        >
          {busy ? <span className="spinner" aria-hidden="true" /> : <ImageIcon />}
          <span>{busy ? `Adding ${busy}…` : p.pictures.length ? 'Drop more pictures, or pick…' : 'Drop reference pictures here, or pick…'}</span>
        </button>
      )}
      {p.disabledReason ? null : (
        <label className="ref-share">
          <span>Share of new pictures</span>
          <input type="range" min={0.05} max={1} step={0.05} value={weight} aria-label="Share of new pictures" onChange={(e) => setWeight(Number(e.target.value))} />
          <span className="slider-value tabular">{formatStrength(weight)}</span>
        </label>
      )}
      <input
        ref={fileRef}
        type="file"
        hidden
        multiple
        accept={PICTURE_TYPES.join(',')}
        aria-label="Reference picture files"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          void add(files);
        }}
      />
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
