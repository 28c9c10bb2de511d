/** Small line icons (16 px grid, currentColor) used by the toolbars. */
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
