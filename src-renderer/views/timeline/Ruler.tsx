/**
 * The time ruler above the cards: labelled ticks every `rulerStepSeconds` of screen time, minor ticks between,
 * placed through the layout's piecewise time->x mapping so they line up with the cards. Only the visible range
 * is drawn.
 */
import { memo } from 'react';
import type { FrameRate } from '../../../src-preload/model';
import { formatRulerLabel } from '../../lib/duration';
import { frameToX, rulerStepSeconds, xToFrame, type TimelineLayout } from './layout';

/** Props of Ruler: the layout, the zoom, and the content-pixel range to draw. */
export interface RulerProps {
  layout: TimelineLayout;
  frameRate: FrameRate;
  pxPerSecond: number;
  fromPx: number;
  toPx: number;
  heightPx: number;
}

function RulerImpl(p: RulerProps) {
  const stepSeconds = rulerStepSeconds(p.pxPerSecond);
  const minorPerMajor = stepSeconds >= 60 ? 4 : stepSeconds === 15 || stepSeconds === 30 ? 3 : stepSeconds >= 1 ? 5 : 2;
  const framesPerSecond = p.frameRate.num / p.frameRate.den;
  const minorFrames = (stepSeconds * framesPerSecond) / minorPerMajor;
  const f0 = xToFrame(p.layout, p.fromPx);
  const f1 = xToFrame(p.layout, p.toPx);
  const ticks: Array<{ x: number; major: boolean; label: string | null }> = [];
  let lastLabelX = -Infinity;
  let lastX = -Infinity;
  const total = p.layout.totalFrames;
  for (let k = Math.max(0, Math.floor(f0 / minorFrames)); k * minorFrames <= Math.min(f1, total) + 1e-9; k++) {
    const frame = Math.round(k * minorFrames);
    const x = frameToX(p.layout, frame);
    if (x - lastX < 4) continue; // squeezed by a widened card: skip rather than smear
    lastX = x;
    const major = k % minorPerMajor === 0;
    let label: string | null = null;
    if (major && x - lastLabelX >= 56) {
      label = formatRulerLabel(frame, p.frameRate);
      lastLabelX = x;
    }
    ticks.push({ x, major, label });
  }
  return (
    <div className="ruler" style={{ height: p.heightPx }} aria-hidden="true">
      {ticks.map((t) => (
        <div key={t.x} className={t.major ? 'tick tick-major' : 'tick'} style={{ transform: `translateX(${t.x}px)` }}>
          {t.label ? <span className="tick-label">{t.label}</span> : null}
        </div>
      ))}
    </div>
  );
}

/** The time ruler (memoized). */
export const Ruler = memo(RulerImpl);
