/**
 * Geometry of a storyboard sheet: page sizes, the header and footer bands, the grid of cells, and where a panel's
 * image and text sit inside its cell. All sizes in PDF points (1/72 in), boxes in PDF page coordinates (origin at
 * the bottom-left, y upwards; PDF 32000-1:2008 §8.3.2.3).
 */

/** Panels per page the sheet supports. */
export type PanelsPerPage = 1 | 2 | 3 | 4 | 6;
/** Every supported panel count, in menu order. */
export const PANELS_PER_PAGE: readonly PanelsPerPage[] = [1, 2, 3, 4, 6];
/** Page orientation: portrait is taller than wide. */
export type PageOrientation = 'portrait' | 'landscape';
/** Paper sizes the sheets print on. */
export type PageSizeName = 'A4' | 'Letter';

/** Portrait page sizes in points: ISO 216 A4 (210 x 297 mm) and US Letter (8.5 x 11 in). */
export const PAGE_SIZES_PT: Readonly<Record<PageSizeName, { widthPt: number; heightPt: number }>> = {
  A4: { widthPt: 595.28, heightPt: 841.89 },
  Letter: { widthPt: 612, heightPt: 792 },
};

/** A rectangle in page coordinates: `xPt`, `yPt` is its bottom-left corner. */
export interface Box {
  xPt: number;
  yPt: number;
  widthPt: number;
  heightPt: number;
}

/** Where everything on one sheet goes. */
export interface SheetLayout {
  pageWidthPt: number;
  pageHeightPt: number;
  header: Box;
  footer: Box;
  /** the grid cells in reading order (left to right, then top to bottom) */
  cells: Box[];
}

/** Where a panel's image frame and its text go inside a cell. */
export interface PanelLayout {
  /** the image frame, with the sheet's frame aspect */
  frame: Box;
  /** the text block: below the frame, or beside it when that gives a larger frame */
  text: Box;
  textBeside: boolean;
}

/** White margin around the page content, in points (about 11 mm: inside every office printer's unprintable edge). */
export const PAGE_MARGIN_PT = 32;
/** Height of the header band (title, subtitle, date), in points. */
export const HEADER_HEIGHT_PT = 46;
/** Height of the footer band ("Page 3 of 12"), in points. */
export const FOOTER_HEIGHT_PT = 20;
/** Space between panels, in points. */
export const GUTTER_PT = 16;

/** Columns and rows for a panel count and orientation (2 and 3 stack on portrait pages, sit side by side on landscape). */
export function gridFor(perPage: PanelsPerPage, orientation: PageOrientation): { columns: number; rows: number } {
  const portrait = orientation === 'portrait';
  switch (perPage) {
    case 1:
      return { columns: 1, rows: 1 };
    case 2:
      return portrait ? { columns: 1, rows: 2 } : { columns: 2, rows: 1 };
    case 3:
      return portrait ? { columns: 1, rows: 3 } : { columns: 3, rows: 1 };
    case 4:
      return { columns: 2, rows: 2 };
    case 6:
      return portrait ? { columns: 2, rows: 3 } : { columns: 3, rows: 2 };
    default:
      throw new Error(`panels per page must be one of ${PANELS_PER_PAGE.join(', ')}; got ${String(perPage)}`);
  }
}

/** The page, header, footer and cells of a sheet. */
export function sheetLayout(perPage: PanelsPerPage, orientation: PageOrientation, pageSize: PageSizeName): SheetLayout {
  const portraitSize = PAGE_SIZES_PT[pageSize];
  const pageWidthPt = orientation === 'portrait' ? portraitSize.widthPt : portraitSize.heightPt;
  const pageHeightPt = orientation === 'portrait' ? portraitSize.heightPt : portraitSize.widthPt;
  const contentWidthPt = pageWidthPt - 2 * PAGE_MARGIN_PT;
  const header: Box = {
    xPt: PAGE_MARGIN_PT, yPt: pageHeightPt - PAGE_MARGIN_PT - HEADER_HEIGHT_PT, widthPt: contentWidthPt, heightPt: HEADER_HEIGHT_PT,
  };
  const footer: Box = { xPt: PAGE_MARGIN_PT, yPt: PAGE_MARGIN_PT, widthPt: contentWidthPt, heightPt: FOOTER_HEIGHT_PT };
  const gridTopPt = header.yPt - GUTTER_PT;
  const gridBottomPt = footer.yPt + footer.heightPt + GUTTER_PT * 0.75;
  const { columns, rows } = gridFor(perPage, orientation);
  const cellWidthPt = (contentWidthPt - (columns - 1) * GUTTER_PT) / columns;
  const cellHeightPt = (gridTopPt - gridBottomPt - (rows - 1) * GUTTER_PT) / rows;
  const cells: Box[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      cells.push({
        xPt: PAGE_MARGIN_PT + column * (cellWidthPt + GUTTER_PT),
        yPt: gridTopPt - (row + 1) * cellHeightPt - row * GUTTER_PT,
        widthPt: cellWidthPt,
        heightPt: cellHeightPt,
      });
    }
  }
  return { pageWidthPt, pageHeightPt, header, footer, cells };
}

/** The least height a panel's text gets below its frame, in points. */
export const MIN_TEXT_HEIGHT_PT = 64;
/** The least width a panel's text gets beside its frame, in points. */
export const MIN_TEXT_WIDTH_PT = 170;
const TEXT_GAP_PT = 6;

/**
 * Places the image frame (aspect `frameAspect` = width / height) and the text block inside `cell`, choosing text
 * below or beside the frame, whichever leaves the larger frame while the text keeps at least `minTextHeightPt`
 * (and `MIN_TEXT_HEIGHT_PT`, and a quarter of the cell) below, or `MIN_TEXT_WIDTH_PT` beside.
 */
export function panelLayout(cell: Box, frameAspect: number, minTextHeightPt = MIN_TEXT_HEIGHT_PT): PanelLayout {
  const top = cell.yPt + cell.heightPt;
  // text below
  const textBelowMin = Math.max(MIN_TEXT_HEIGHT_PT, minTextHeightPt, cell.heightPt * 0.25);
  const belowWidth = Math.min(cell.widthPt, (cell.heightPt - textBelowMin - TEXT_GAP_PT) * frameAspect);
  const belowHeight = belowWidth / frameAspect;
  // text beside
  const besideWidth = Math.min(cell.widthPt * 0.6, cell.widthPt - MIN_TEXT_WIDTH_PT - TEXT_GAP_PT, cell.heightPt * frameAspect);
  const besideHeight = besideWidth / frameAspect;

  if (besideWidth > 0 && besideWidth * besideHeight > belowWidth * belowHeight * 1.05) {
    const frame: Box = { xPt: cell.xPt, yPt: top - besideHeight, widthPt: besideWidth, heightPt: besideHeight };
    const textX = cell.xPt + besideWidth + TEXT_GAP_PT * 2;
    return {
      frame,
      text: { xPt: textX, yPt: cell.yPt, widthPt: cell.xPt + cell.widthPt - textX, heightPt: cell.heightPt },
      textBeside: true,
    };
  }
  const frame: Box = {
    xPt: cell.xPt + (cell.widthPt - belowWidth) / 2, yPt: top - belowHeight, widthPt: belowWidth, heightPt: belowHeight,
  };
  return {
    frame,
    text: { xPt: frame.xPt, yPt: cell.yPt, widthPt: belowWidth, heightPt: cell.heightPt - belowHeight - TEXT_GAP_PT },
    textBeside: false,
  };
}

/** `inner` (width / height) fitted inside `outer`, centred, keeping its aspect. */
export function fitInside(outer: Box, innerAspect: number): Box {
  const outerAspect = outer.widthPt / outer.heightPt;
  if (innerAspect >= outerAspect) {
    const heightPt = outer.widthPt / innerAspect;
    return { xPt: outer.xPt, yPt: outer.yPt + (outer.heightPt - heightPt) / 2, widthPt: outer.widthPt, heightPt };
  }
  const widthPt = outer.heightPt * innerAspect;
  return { xPt: outer.xPt + (outer.widthPt - widthPt) / 2, yPt: outer.yPt, widthPt, heightPt: outer.heightPt };
}
