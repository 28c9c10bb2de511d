/** Line icons of the Models view and the enhancement actions (16 px grid, currentColor). */
import type { ReactNode } from 'react';

function Icon(props: { children: ReactNode; size?: number }) {
  const s = props.size ?? 16;
  return (
    <svg width={s} height={s} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {props.children}
    </svg>
  );
}

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
