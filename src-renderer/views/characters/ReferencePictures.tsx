/**
 * A character's reference pictures in the editor: thumbnails (see refThumbs.ts for where they come from), each
 * with its weight and a remove button, and a drop zone that also opens the file picker. Pictures are copied into
 * the library by `character.addReference` (PNG, JPEG, WebP; at most 16 per character).
 */
import { useRef, useState, useSyncExternalStore } from 'react';
import type { ReferenceImage } from '../../../src-preload/model';
import { ImageIcon } from '../../components/icons';
import { errorInfo } from '../../lib/errors';
import { dragHasFiles } from '../../lib/fileData';
import { formatStrength } from './characterForm';
import { refThumbCache, sha256Hex, thumbnailDataUrl } from './refThumbs';

/** The picture types the library takes. */
const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/** A reference picture's thumbnail, or a tile with its file name when this browser has none. */
export function RefThumb({ picture }: { picture: Pick<ReferenceImage, 'contentHash' | 'originalName' | 'widthPx' | 'heightPx'> }) {
  const cache = refThumbCache();
  useSyncExternalStore(cache.subscribe, cache.version);
  const url = cache.get(picture.contentHash);
  const title = `${picture.originalName} · ${picture.widthPx}×${picture.heightPx}`;
  return url ? (
    <img className="ref-thumb" src={url} alt={picture.originalName} title={title} draggable={false} />
  ) : (
    <span className="ref-thumb ref-thumb-missing" title={`${title} (kept in the library; added from another window)`}>
      <ImageIcon />
      <span className="ref-thumb-name">{picture.originalName}</span>
    </span>
  );
}

/** Props of ReferencePictures. `onAdd` uploads one file; `disabledReason` replaces the drop zone with a sentence. */
export interface ReferencePicturesProps {
  pictures: ReferenceImage[];
  onAdd(file: File): Promise<void>;
  onRemove(picture: ReferenceImage): void;
  disabledReason?: string | null;
}

/** The reference pictures of a character with drop/pick to add and × to remove. */
export function ReferencePictures(p: ReferencePicturesProps) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const add = async (files: File[]) => {
    setError(null);
    for (const f of files) {
      if (!PICTURE_TYPES.includes(f.type)) {
        setError(`${f.name} is not a PNG, JPEG or WebP picture.`);
        continue;
      }
      setBusy(f.name);
      try {
        // keep a small picture in this browser first: the library's copy is not served to pages (refThumbs.ts)
        const [hash, thumb] = await Promise.all([sha256Hex(f), thumbnailDataUrl(f).catch(() => null)]);
        if (thumb) refThumbCache().put(hash, thumb);
        await p.onAdd(f);
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
