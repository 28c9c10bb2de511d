/** Line icons of take compare, the trash, the Library view and the shot assistant (16 px grid, currentColor). */
import type { ReactNode } from 'react';

function Icon(props: { children: ReactNode; size?: number; filled?: boolean }) {
  const s = props.size ?? 16;
  return (
    <svg
      width={s}
      height={s}
      viewBox="0 0 16 16"
      fill={props.filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {props.children}
    </svg>
  );
}

/** A star, outlined or filled (starred takes). */
export const StarIcon = (p: { filled?: boolean; size?: number }) => (
  <Icon filled={p.filled} size={p.size}>
    <path d="M8 1.8l1.85 3.85 4.2.55-3.08 2.9.78 4.15L8 11.2l-3.75 2.05.78-4.15-3.08-2.9 4.2-.55z" />
  </Icon>
);
/** A circle with a bar: reject. */
export const RejectIcon = (p: { size?: number }) => (
  <Icon size={p.size}>
    <circle cx="8" cy="8" r="6" />
    <path d="M3.8 12.2l8.4-8.4" />
  </Icon>
);
/** A check in a circle: make selected. */
export const SelectIcon = (p: { size?: number }) => (
  <Icon size={p.size}>
    <circle cx="8" cy="8" r="6" />
    <path d="M5.3 8.2l1.9 1.9 3.6-3.8" />
  </Icon>
);
/** Two overlapping frames: variations. */
export const VariationsIcon = () => (
  <Icon>
    <rect x="1.8" y="4.5" width="9" height="9" rx="1.5" />
    <path d="M5 4.5V3.3c0-.8.7-1.5 1.5-1.5h6.2c.8 0 1.5.7 1.5 1.5v6.2c0 .8-.7 1.5-1.5 1.5h-1.9" />
  </Icon>
);
/** Compare: two frames side by side. */
export const CompareIcon = () => (
  <Icon>
    <rect x="1.5" y="3" width="5.5" height="10" rx="1" />
    <rect x="9" y="3" width="5.5" height="10" rx="1" />
  </Icon>
);
/** A chevron pointing left (flip back) or right (flip on). */
export const FlipIcon = (p: { direction: 'left' | 'right' }) => (
  <Icon size={22}>
    <path d={p.direction === 'left' ? 'M10 3L5 8l5 5' : 'M6 3l5 5-5 5'} />
  </Icon>
);
/** Restore from the trash: an arrow curving back. */
export const RestoreIcon = () => (
  <Icon>
    <path d="M3 6.5h6.5a3.5 3.5 0 010 7H6" />
    <path d="M5.5 3.5L2.5 6.5l3 3" />
  </Icon>
);
/** The Library view: stacked pictures (18 px). */
export const LibraryViewIcon = () => (
  <Icon size={18}>
    <rect x="1.5" y="4.5" width="10" height="9" rx="1.2" />
    <path d="M4 2.5h9c.8 0 1.5.7 1.5 1.5v7.5" />
    <path d="M1.5 11l3-3 3 3 1.5-1.5 2.5 2.5" />
  </Icon>
);
/** Send to a shot: an arrow into a frame. */
export const SendIcon = () => (
  <Icon>
    <path d="M9.5 2.5h3c.8 0 1.5.7 1.5 1.5v8c0 .8-.7 1.5-1.5 1.5h-3" />
    <path d="M2 8h8M7 5l3 3-3 3" />
  </Icon>
);
/** The shot assistant: a speech bubble with a spark. */
export const AssistantIcon = (p: { size?: number }) => (
  <Icon size={p.size}>
    <path d="M2.5 3.5h11v7.5H8l-3 2.5V11H2.5z" />
    <path d="M8 5.2l.6 1.4 1.4.6-1.4.6L8 9.2l-.6-1.4L6 7.2l1.4-.6z" />
  </Icon>
);
/** Search: a magnifier. */
export const SearchIcon = () => (
  <Icon>
    <circle cx="7" cy="7" r="4.5" />
    <path d="M10.4 10.4L14 14" />
  </Icon>
);
