/**
 * One shot on the timeline: its picture, number, size, duration (`3.0s · 72f`) and what it carries
 * (dialogue, notes). Draggable (dnd-kit) to reorder; its right edge trims the duration; files from the OS can
 * be dropped on it to import takes. Memoized: it re-renders only when its own props change.
 */
import { useDraggable } from '@dnd-kit/core';
import { memo, useRef, type DragEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { dragHasFiles } from '../../lib/fileData';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];

/** Callbacks shared by every card (one stable object, so memoized cards skip re-renders). */
export interface CardHandlers {
  /** Pointer pressed on the card (selection happens here so a drag carries the right shots). */
  onPress(shotId: string, e: ReactPointerEvent): void;
  /** A click without a drag. */
  onClick(shotId: string, e: React.MouseEvent): void;
  onTrimStart(shotId: string, e: ReactPointerEvent): void;
  onFilesOver(shotId: string | null): void;
  onFilesDrop(shotId: string, files: File[]): void;
}

/** Props of ShotCard; positions and sizes are content pixels from the layout. */
export interface ShotCardProps {
  shot: Shot;
  xPx: number;
  widthPx: number;
  topPx: number;
  heightPx: number;
  thumbHeightPx: number;
  /** The picture's width at the thumbnail height and the project's aspect ratio; a longer card shows a hold after it. */
  pictureWidthPx: number;
  pictureUrl: string;
  durationLabel: string;
  selected: boolean;
  focused: boolean;
  /** Being dragged (shown dimmed in place). */
  lifted: boolean;
  /** Being trimmed: the duration label is live. */
  trimming: boolean;
  fileOver: boolean;
  handlers: CardHandlers;
}

function ShotCardImpl(p: ShotCardProps) {
  const { attributes, listeners, setNodeRef } = useDraggable({ id: p.shot.id });
  const imgFailed = useRef(false);
  const hasDialogue = p.shot.dialogue.length > 0;
  const hasNotes = p.shot.notes.trim().length > 0;
  const narrow = p.widthPx < 76;
  const cls = [
    'shot-card',
    p.selected && 'is-selected',
    p.focused && 'is-focused',
    p.lifted && 'is-lifted',
    p.trimming && 'is-trimming',
    p.fileOver && 'is-file-over',
    narrow && 'is-narrow',
  ]
    .filter(Boolean)
    .join(' ');

  const onDragOver = (e: DragEvent) => {
    if (!dragHasFiles(e.dataTransfer)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (!p.fileOver) p.handlers.onFilesOver(p.shot.id);
  };

  return (
    <div
      ref={setNodeRef}
      {...attributes}
      aria-roledescription="shot"
      aria-label={`Shot ${p.shot.number}, ${p.durationLabel}${p.shot.shotSize ? `, ${p.shot.shotSize}` : ''}`}
      aria-pressed={p.selected}
      data-shot-id={p.shot.id}
      className={cls}
      // left/top, not a transform: dnd-kit measures draggables ignoring transforms
      style={{ left: p.xPx, top: p.topPx, width: p.widthPx, height: p.heightPx }}
      {...listeners}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        p.handlers.onPress(p.shot.id, e);
        listeners?.onPointerDown?.(e);
      }}
      onClick={(e) => p.handlers.onClick(p.shot.id, e)}
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) p.handlers.onFilesOver(null);
      }}
      onDrop={(e) => {
        if (!dragHasFiles(e.dataTransfer)) return;
        e.preventDefault();
        p.handlers.onFilesOver(null);
        p.handlers.onFilesDrop(p.shot.id, Array.from(e.dataTransfer.files));
      }}
    >
      <div className="shot-thumb" style={{ height: p.thumbHeightPx }}>
        <img
          style={{ width: Math.min(p.widthPx - 2, p.pictureWidthPx) }}
          src={p.pictureUrl}
          alt=""
          draggable={false}
          loading="lazy"
          decoding="async"
          onError={(e) => {
            if (!imgFailed.current) {
              imgFailed.current = true;
              (e.currentTarget as HTMLImageElement).style.visibility = 'hidden';
            }
          }}
          onLoad={(e) => {
            imgFailed.current = false;
            (e.currentTarget as HTMLImageElement).style.visibility = '';
          }}
        />
        {p.fileOver ? <div className="shot-file-over">Drop to add takes</div> : null}
      </div>
      <div className="shot-meta">
        <div className="shot-meta-row">
          <span className="shot-label">
            <span className="shot-number">{p.shot.number}</span>
            {!narrow && p.shot.shotSize ? <span className="shot-size">{p.shot.shotSize}</span> : null}
          </span>
          {narrow ? null : (
            <span className="shot-icons">
              {hasDialogue ? <DialogueIcon /> : null}
              {hasNotes ? <NotesIcon /> : null}
            </span>
          )}
        </div>
        <div className={`shot-duration${p.trimming ? ' is-live' : ''}`}>{narrow ? p.durationLabel.split(' · ')[0] : p.durationLabel}</div>
      </div>
      <div
        className="trim-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Trim shot ${p.shot.number}`}
        title="Drag to change the duration"
        onPointerDown={(e) => {
          e.stopPropagation();
          if (e.button === 0) p.handlers.onTrimStart(p.shot.id, e);
        }}
        onClick={(e) => e.stopPropagation()}
      />
    </div>
  );
}

/** A shot card on the timeline (memoized). */
export const ShotCard = memo(ShotCardImpl);

/** Speech-bubble glyph: the shot has dialogue. */
export function DialogueIcon() {
  return (
    <svg className="icon-dialogue" width="12" height="12" viewBox="0 0 12 12" aria-label="has dialogue" role="img">
      <path d="M2 2.5h8a1 1 0 0 1 1 1v4a1 1 0 0 1-1 1H5.5L3 10.5V8.5H2a1 1 0 0 1-1-1v-4a1 1 0 0 1 1-1z" fill="currentColor" />
    </svg>
  );
}

/** Note glyph: the shot has notes. */
export function NotesIcon() {
  return (
    <svg className="icon-notes" width="12" height="12" viewBox="0 0 12 12" aria-label="has notes" role="img">
      <path d="M2.5 1.5h5l2 2v7h-7z" fill="none" stroke="currentColor" strokeWidth="1.2" />
      <path d="M4 5.5h4M4 7.5h3" stroke="currentColor" strokeWidth="1.1" />
    </svg>
  );
}
