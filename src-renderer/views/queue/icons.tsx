/** Line icons of the workspace rail, the Queue, Servers and Generate views (16 px grid, currentColor). */
import type { ReactNode } from 'react';

function Icon(props: { children: ReactNode; size?: number }) {
  const s = props.size ?? 16;
  return (
    <svg width={s} height={s} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {props.children}
    </svg>
  );
}

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
