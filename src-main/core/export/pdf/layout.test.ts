import { describe, expect, it } from 'vitest';
import { PANELS_PER_PAGE, fitInside, gridFor, panelLayout, sheetLayout, type Box } from './layout.ts';

function inside(inner: Box, outer: Box): boolean {
  const e = 1e-6;
  return inner.xPt >= outer.xPt - e && inner.yPt >= outer.yPt - e &&
    inner.xPt + inner.widthPt <= outer.xPt + outer.widthPt + e && inner.yPt + inner.heightPt <= outer.yPt + outer.heightPt + e;
}

function overlap(a: Box, b: Box): boolean {
  return a.xPt < b.xPt + b.widthPt && b.xPt < a.xPt + a.widthPt && a.yPt < b.yPt + b.heightPt && b.yPt < a.yPt + a.heightPt;
}

describe('sheet layout', () => {
  it('lays every panel count out as a grid that fits between header and footer without overlaps', () => {
    for (const pageSize of ['A4', 'Letter'] as const) {
      for (const orientation of ['portrait', 'landscape'] as const) {
        for (const perPage of PANELS_PER_PAGE) {
          const sheet = sheetLayout(perPage, orientation, pageSize);
          const { columns, rows } = gridFor(perPage, orientation);
          expect(columns * rows).toBe(perPage);
          expect(sheet.cells).toHaveLength(perPage);
          const page: Box = { xPt: 0, yPt: 0, widthPt: sheet.pageWidthPt, heightPt: sheet.pageHeightPt };
          for (const [i, cell] of sheet.cells.entries()) {
            expect(inside(cell, page)).toBe(true);
            expect(overlap(cell, sheet.header) || overlap(cell, sheet.footer)).toBe(false);
            for (const other of sheet.cells.slice(i + 1)) expect(overlap(cell, other)).toBe(false);
            const panel = panelLayout(cell, 16 / 9, 60);
            expect(inside(panel.frame, cell) && inside(panel.text, cell)).toBe(true);
            expect(overlap(panel.frame, panel.text)).toBe(false);
            expect(panel.frame.widthPt / panel.frame.heightPt).toBeCloseTo(16 / 9, 6);
          }
        }
      }
    }
  });

  it('stacks 2 and 3 panels on portrait pages, puts them side by side on landscape pages', () => {
    expect(gridFor(2, 'portrait')).toEqual({ columns: 1, rows: 2 });
    expect(gridFor(3, 'landscape')).toEqual({ columns: 3, rows: 1 });
    expect(gridFor(6, 'portrait')).toEqual({ columns: 2, rows: 3 });
    expect(gridFor(6, 'landscape')).toEqual({ columns: 3, rows: 2 });
    expect(() => gridFor(5 as never, 'portrait')).toThrow(/one of 1, 2, 3, 4, 6/);
  });

  it('puts the text beside wide, short cells and below the others', () => {
    const threeUp = sheetLayout(3, 'portrait', 'A4').cells[0]!;
    expect(panelLayout(threeUp, 16 / 9).textBeside).toBe(true);
    const sixUp = sheetLayout(6, 'landscape', 'A4').cells[0]!;
    expect(panelLayout(sixUp, 16 / 9).textBeside).toBe(false);
    const below = panelLayout(sixUp, 16 / 9, 80);
    expect(below.text.heightPt).toBeGreaterThanOrEqual(80);
  });

  it('fits an image inside a frame keeping its aspect, centred', () => {
    const frame: Box = { xPt: 0, yPt: 0, widthPt: 160, heightPt: 90 };
    expect(fitInside(frame, 9 / 16)).toEqual({ xPt: 80 - 90 * (9 / 16) / 2, yPt: 0, widthPt: 90 * (9 / 16), heightPt: 90 });
    expect(fitInside(frame, 2.4)).toEqual({ xPt: 0, yPt: (90 - 160 / 2.4) / 2, widthPt: 160, heightPt: 160 / 2.4 });
  });
});
