/**
 * The Export view's tile glyphs: plain line drawings of what each target makes (no editor's trademark), 28 px,
 * drawn in currentColor on a tinted square the CSS gives each format (`.export-glyph-<format>`).
 */
import type { ReactNode } from 'react';
import type { ExportFormat } from '../../../src-preload/contract';

function Glyph(props: { children: ReactNode }) {
  return (
    <svg width="28" height="28" viewBox="0 0 28 28" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {props.children}
    </svg>
  );
}

const GLYPHS: Record<ExportFormat, ReactNode> = {
  // a clapperboard
  fcpxml: (
    <Glyph>
      <rect x="5" y="11" width="18" height="12" rx="1.5" />
      <path d="M5 11l1.2-5 17.2 2.8L23 11" />
      <path d="M10 6.8l-1.6 4.2M15 7.6l-1.6 3.4M20 8.4l-1 2.6" />
    </Glyph>
  ),
  // stacked clips on tracks
  xmeml: (
    <Glyph>
      <rect x="4" y="7" width="11" height="5" rx="1" />
      <rect x="13" y="15" width="11" height="5" rx="1" />
      <path d="M4 17.5h6M18 9.5h6" />
    </Glyph>
  ),
  // three grading wheels
  resolve: (
    <Glyph>
      <circle cx="14" cy="9.5" r="5" />
      <circle cx="9" cy="18" r="5" />
      <circle cx="19" cy="18" r="5" />
    </Glyph>
  ),
  // an edit list
  edl: (
    <Glyph>
      <path d="M7 4.5h10l4 4v15H7z" />
      <path d="M10.5 12h7M10.5 15.5h7M10.5 19h4.5" />
    </Glyph>
  ),
  // a timeline graph
  otio: (
    <Glyph>
      <circle cx="7" cy="14" r="2.5" />
      <circle cx="21" cy="8" r="2.5" />
      <circle cx="21" cy="20" r="2.5" />
      <path d="M9.3 13l9.4-4M9.3 15l9.4 4" />
    </Glyph>
  ),
  // a frame with play
  mp4: (
    <Glyph>
      <rect x="4" y="6.5" width="20" height="15" rx="2" />
      <path d="M12 10.5v7l6-3.5z" fill="currentColor" />
    </Glyph>
  ),
  // a sheet of panels
  pdf: (
    <Glyph>
      <rect x="6" y="3.5" width="16" height="21" rx="1.5" />
      <rect x="9" y="7" width="4.5" height="3.5" rx="0.5" />
      <rect x="14.5" y="7" width="4.5" height="3.5" rx="0.5" />
      <rect x="9" y="13" width="4.5" height="3.5" rx="0.5" />
      <rect x="14.5" y="13" width="4.5" height="3.5" rx="0.5" />
      <path d="M9 20.5h10" />
    </Glyph>
  ),
  // a package
  zip: (
    <Glyph>
      <path d="M5 9.5L14 5l9 4.5v10L14 24l-9-4.5z" />
      <path d="M5 9.5l9 4.5 9-4.5M14 14v10" />
      <path d="M9.5 7.2l9 4.6" />
    </Glyph>
  ),
};

/** The glyph of a target, on its tinted square. */
export function ExportGlyph({ format }: { format: ExportFormat }) {
  return <span className={`export-glyph export-glyph-${format}`}>{GLYPHS[format]}</span>;
}
