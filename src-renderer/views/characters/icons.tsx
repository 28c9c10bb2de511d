/** Line icons of the Character view, the Template view and the inspector's Prompt section (16 px grid, currentColor). */
import type { ReactNode } from 'react';

function Icon(props: { children: ReactNode; size?: number }) {
  const s = props.size ?? 16;
  return (
    <svg width={s} height={s} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {props.children}
    </svg>
  );
}

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
