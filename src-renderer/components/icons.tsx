/** Small line icons (16 px grid, currentColor) shared by the toolbars, the workspace rail and every view. */
import type { ReactNode } from 'react';

function Icon(props: { children: ReactNode; size?: number }) {
  const s = props.size ?? 16;
  return (
    <svg width={s} height={s} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {props.children}
    </svg>
  );
}

/** The Undo icon (16 px). */
export const UndoIcon = () => (
  <Icon>
    <path d="M5.5 3.5L2.5 6.5l3 3" />
    <path d="M2.5 6.5h7a4 4 0 0 1 0 8h-2" />
  </Icon>
);
/** The Redo icon (16 px). */
export const RedoIcon = () => (
  <Icon>
    <path d="M10.5 3.5l3 3-3 3" />
    <path d="M13.5 6.5h-7a4 4 0 0 0 0 8h2" />
  </Icon>
);
/** The Back icon (16 px). */
export const BackIcon = () => (
  <Icon>
    <path d="M10 3L5 8l5 5" />
  </Icon>
);
/** The Script icon (16 px). */
export const ScriptIcon = () => (
  <Icon>
    <path d="M4 1.5h5.5l3 3v10H4z" />
    <path d="M9.5 1.5v3h3M6 8h4.5M6 10.5h4.5" />
  </Icon>
);
/** The Export icon (16 px). */
export const ExportIcon = () => (
  <Icon>
    <path d="M8 10V2M5 5l3-3 3 3" />
    <path d="M2.5 9.5v4h11v-4" />
  </Icon>
);
/** The ShotPlus icon (16 px). */
export const ShotPlusIcon = () => (
  <Icon>
    <rect x="1.5" y="3.5" width="9" height="9" rx="1.5" />
    <path d="M13 5.5v5M10.5 8h5" />
  </Icon>
);
/** The ScenePlus icon (16 px). */
export const ScenePlusIcon = () => (
  <Icon>
    <path d="M1.5 4.5h8M1.5 8h8M1.5 11.5h5" />
    <path d="M13 8.5v5M10.5 11h5" />
  </Icon>
);
/** The ZoomOut icon (16 px). */
export const ZoomOutIcon = () => (
  <Icon>
    <circle cx="7" cy="7" r="4.5" />
    <path d="M10.5 10.5l3.5 3.5M5 7h4" />
  </Icon>
);
/** The ZoomIn icon (16 px). */
export const ZoomInIcon = () => (
  <Icon>
    <circle cx="7" cy="7" r="4.5" />
    <path d="M10.5 10.5l3.5 3.5M5 7h4M7 5v4" />
  </Icon>
);
/** The Image icon (16 px). */
export const ImageIcon = () => (
  <Icon>
    <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
    <circle cx="5.5" cy="6" r="1.2" />
    <path d="M14.5 11l-4-4-6 6.5" />
  </Icon>
);
/** The Trash icon (16 px). */
export const TrashIcon = () => (
  <Icon>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4" />
  </Icon>
);

// Workspace rail, Queue, Servers and Generate views.

/** The Timeline view: a strip of frames (18 px). */
export const TimelineViewIcon = () => (
  <Icon size={18}>
    <rect x="1.5" y="4" width="4" height="8" rx="1" />
    <rect x="6.5" y="4" width="6" height="8" rx="1" />
    <path d="M13.5 4.5v7" />
  </Icon>
);
/** The Queue view: stacked jobs (18 px). */
export const QueueViewIcon = () => (
  <Icon size={18}>
    <rect x="2" y="2.5" width="12" height="3.2" rx="1" />
    <path d="M2 8.5h12M2 12h8" />
  </Icon>
);
/** The Servers view: a rack (18 px). */
export const ServersViewIcon = () => (
  <Icon size={18}>
    <rect x="2" y="2" width="12" height="5" rx="1.2" />
    <rect x="2" y="9" width="12" height="5" rx="1.2" />
    <path d="M4.5 4.5h.01M4.5 11.5h.01M8 4.5h3.5M8 11.5h3.5" />
  </Icon>
);
/** Generate: sparkles (16 px, or `size`). */
export const GenerateIcon = (p: { size?: number }) => (
  <Icon size={p.size}>
    <path d="M6.5 1.8l1.2 3.3 3.3 1.2-3.3 1.2-1.2 3.3-1.2-3.3L2 6.3l3.3-1.2z" />
    <path d="M12 9.5l.6 1.6 1.6.6-1.6.6-.6 1.6-.6-1.6-1.6-.6 1.6-.6z" />
  </Icon>
);
/** Cancel a job: × in a circle. */
export const CancelJobIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="6" />
    <path d="M6 6l4 4M10 6l-4 4" />
  </Icon>
);
/** Retry: a circular arrow. */
export const RetryIcon = () => (
  <Icon>
    <path d="M13 8a5 5 0 1 1-1.6-3.7" />
    <path d="M13 2.5v3h-3" />
  </Icon>
);
/** More urgent: an arrow up. */
export const ArrowUpIcon = () => (
  <Icon>
    <path d="M8 13V3M4 7l4-4 4 4" />
  </Icon>
);
/** Less urgent: an arrow down. */
export const ArrowDownIcon = () => (
  <Icon>
    <path d="M8 3v10M4 9l4 4 4-4" />
  </Icon>
);
/** A drag handle: six dots. */
export const GripIcon = () => (
  <svg width="10" height="16" viewBox="0 0 10 16" aria-hidden="true" fill="currentColor">
    {[3, 8, 13].flatMap((y) => [<circle key={`a${y}`} cx="3" cy={y} r="1.2" />, <circle key={`b${y}`} cx="7" cy={y} r="1.2" />])}
  </svg>
);
/** A disclosure chevron pointing right (rotated by CSS when open). */
export const ChevronIcon = () => (
  <Icon size={12}>
    <path d="M6 3.5L10.5 8 6 12.5" />
  </Icon>
);
/** Add. */
export const PlusIcon = () => (
  <Icon>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);
/** Check a server: a pulse line. */
export const PulseIcon = () => (
  <Icon>
    <path d="M1.5 8.5h3l1.5-4 3 8 1.5-4h4" />
  </Icon>
);
/** Enable or disable: a power symbol. */
export const PowerIcon = () => (
  <Icon>
    <path d="M8 1.8v5.5" />
    <path d="M4.4 4.2a5 5 0 1 0 7.2 0" />
  </Icon>
);
/** Random seed: a die. */
export const DiceIcon = () => (
  <Icon>
    <rect x="2.5" y="2.5" width="11" height="11" rx="2.2" />
    <path d="M5.6 5.6h.01M10.4 5.6h.01M8 8h.01M5.6 10.4h.01M10.4 10.4h.01" strokeWidth="2" />
  </Icon>
);

// Character view, Template view and the inspector's Prompt section.

/** The Character view: two heads (18 px). */
export const CharactersViewIcon = () => (
  <Icon size={18}>
    <circle cx="6" cy="5.5" r="2.4" />
    <path d="M1.8 13.5c.4-2.5 2.1-4 4.2-4s3.8 1.5 4.2 4" />
    <path d="M10.6 3.4a2.3 2.3 0 1 1 .6 4.4" />
    <path d="M12 9.6c1.3.4 2.1 1.7 2.3 3.9" />
  </Icon>
);
/** The Template view: a palette (18 px). */
export const TemplatesViewIcon = () => (
  <Icon size={18}>
    <path d="M8 1.8a6.2 6.2 0 1 0 0 12.4c1 0 1.4-.6 1.4-1.3 0-.9-.8-1.2-.8-2 0-.7.6-1.2 1.3-1.2h1.7a2.6 2.6 0 0 0 2.6-2.6c0-2.9-2.8-5.3-6.2-5.3z" />
    <circle cx="4.8" cy="7.4" r=".5" fill="currentColor" />
    <circle cx="6.9" cy="4.6" r=".5" fill="currentColor" />
    <circle cx="10.2" cy="4.9" r=".5" fill="currentColor" />
  </Icon>
);
/** A closed padlock (a locked seed). */
export const LockIcon = () => (
  <Icon size={14}>
    <rect x="3" y="7" width="10" height="7" rx="1.5" />
    <path d="M5.2 7V5a2.8 2.8 0 0 1 5.6 0v2" />
  </Icon>
);
/** An open padlock (an unlocked seed). */
export const UnlockIcon = () => (
  <Icon size={14}>
    <rect x="3" y="7" width="10" height="7" rx="1.5" />
    <path d="M5.2 7V5a2.8 2.8 0 0 1 5.4-1" />
  </Icon>
);
/** A pin (a hand-written prompt pinned to a shot). */
export const PinIcon = () => (
  <Icon size={14}>
    <path d="M6 1.8h4l-.6 4.2 2.4 2.2H4.2L6.6 6z" />
    <path d="M8 8.2v6" />
  </Icon>
);
/** Upload / import: an arrow into a tray. */
export const ImportIcon = () => (
  <Icon>
    <path d="M8 2v8M4.8 6.8L8 10l3.2-3.2" />
    <path d="M2.5 10.5v2.2c0 .7.6 1.3 1.3 1.3h8.4c.7 0 1.3-.6 1.3-1.3v-2.2" />
  </Icon>
);
/** Download / export: an arrow out of a tray. */
export const ExportFileIcon = () => (
  <Icon>
    <path d="M8 10V2M4.8 5.2L8 2l3.2 3.2" />
    <path d="M2.5 10.5v2.2c0 .7.6 1.3 1.3 1.3h8.4c.7 0 1.3-.6 1.3-1.3v-2.2" />
  </Icon>
);
/** A check mark (the project's default). */
export const CheckIcon = () => (
  <Icon size={14}>
    <path d="M3 8.5l3.2 3L13 4.5" />
  </Icon>
);
/** Reset: a counter-clockwise arrow. */
export const ResetIcon = () => (
  <Icon size={14}>
    <path d="M3 8a5 5 0 1 0 1.6-3.7" />
    <path d="M3 2.5v3h3" />
  </Icon>
);

// Models view and the enhancement actions.

/** The Models view: a chip with pins (18 px). */
export const ModelsViewIcon = () => (
  <Icon size={18}>
    <rect x="3.5" y="3.5" width="9" height="9" rx="1.5" />
    <rect x="6.2" y="6.2" width="3.6" height="3.6" rx=".6" />
    <path d="M6 1.5v2M10 1.5v2M6 12.5v2M10 12.5v2M1.5 6h2M1.5 10h2M12.5 6h2M12.5 10h2" />
  </Icon>
);

/** Enhance: a small picture growing into a large one (16 px, or `size`). */
export const EnhanceIcon = (p: { size?: number }) => (
  <Icon size={p.size}>
    <rect x="1.5" y="8.5" width="5" height="5" rx="1" />
    <path d="M9 1.5h5.5V7" />
    <path d="M14.5 1.5L8.5 7.5" />
    <path d="M9.5 13.5h3a2 2 0 0 0 2-2v-1" strokeDasharray="1.5 1.6" />
  </Icon>
);

/** More actions: three dots (16 px). */
export const MoreIcon = () => (
  <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
    <circle cx="3.5" cy="8" r="1.3" fill="currentColor" />
    <circle cx="8" cy="8" r="1.3" fill="currentColor" />
    <circle cx="12.5" cy="8" r="1.3" fill="currentColor" />
  </svg>
);

/** Compare: a frame split down the middle (16 px). */
export const CompareIcon = () => (
  <Icon>
    <rect x="1.5" y="3" width="13" height="10" rx="1.5" />
    <path d="M8 1.5v13" />
    <path d="M4 8h1.5M10.5 8H12" />
  </Icon>
);

/** Refresh: a circular arrow (16 px). */
export const RefreshIcon = () => (
  <Icon>
    <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9" />
    <path d="M13.5 2v3h-3" />
  </Icon>
);

/** Copy: two sheets (16 px). */
export const CopyIcon = () => (
  <Icon>
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.2" />
    <path d="M10.5 5.5v-2a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2" />
  </Icon>
);
