/**
 * The before/after compare in the viewer above the timeline. When the focused shot's selected take (or the take
 * "Compare with source" was picked on) is an enhanced picture (`meta.enhancedFrom`) whose source is still in the
 * project, a Compare button shows on the picture; it, or the C key, lays the source and the enhanced take over each
 * other in the same box: both drawn with `object-fit: contain`, so they are scaled identically (the source is
 * upscaled by the browser for display), the enhanced one clipped to the right of a vertical divider. The divider
 * follows the pointer (press anywhere on the picture and drag) and the keyboard (it is a `slider`: ←/→ by 1 %,
 * Shift by 10 %, Home/End), and the labels give both sizes (`768×432 → 1920×1080`).
 *
 * `CompareSlot` wraps the viewer's picture (views/timeline/Viewer.tsx) and shows it unchanged when there is
 * nothing to compare.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { useUi } from '../../state/ui';
import { usePresentation } from '../presentation/store';
import { useEnhanceModels } from './data';
import { compareLabel, dividerAt, formatSize, providerLabel, sourceOf, stepDivider } from './enhanceModel';
import { CompareIcon } from '../../components/icons';
import { useEnhanceUi } from './store';
import './enhance.css';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];

/** Props of CompareSlot: the shot the viewer shows, the project's takes by id, and the viewer's own picture. */
export interface CompareSlotProps {
  projectId: string;
  shot: Shot;
  takesById: ReadonlyMap<string, Take>;
  children: ReactNode;
}

/** The enhanced picture to compare on a shot and its source, or null when there is none. */
function comparePair(shot: Shot, takesById: ReadonlyMap<string, Take>, compareTakeId: string | null): { source: Take; enhanced: Take } | null {
  const picked = compareTakeId ? takesById.get(compareTakeId) : undefined;
  const enhanced = picked && picked.shotId === shot.id ? picked : shot.selectedTakeId ? takesById.get(shot.selectedTakeId) : undefined;
  const source = sourceOf(enhanced, takesById);
  if (!enhanced || !source || enhanced.kind !== 'image' || source.kind !== 'image') return null;
  return { source, enhanced };
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** The viewer's picture, or the compare when it is on and the shot has an enhanced picture; the Compare button and the C key. */
export function CompareSlot({ projectId, shot, takesById, children }: CompareSlotProps) {
  const on = useEnhanceUi((s) => s.compare);
  const compareTakeId = useEnhanceUi((s) => s.compareTakeId);
  const pair = comparePair(shot, takesById, compareTakeId);
  const pairRef = useRef(pair);
  pairRef.current = pair;
  const showing = on && pair !== null;

  // C toggles the compare (not while typing, in a dialog or presenting)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'c' && e.key !== 'C') return;
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (useUi.getState().dialog || usePresentation.getState().open || useEnhanceUi.getState().dialog || document.querySelector('[role="dialog"]')) return;
      e.preventDefault();
      const store = useEnhanceUi.getState();
      if (store.compare) return store.setCompare(false);
      if (pairRef.current) return store.setCompare(true, pairRef.current.enhanced.id);
      useUi.getState().toast({
        kind: 'info',
        message: 'Nothing to compare on this shot.',
        hint: 'Compare shows an enhanced take over its source: select an enhanced take (its badge reads ×2), or enhance one from its menu in the takes list.',
        timeoutMs: 6000,
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="enh-compare-slot">
      {showing ? <CompareStage projectId={projectId} source={pair.source} enhanced={pair.enhanced} /> : children}
      {pair ? (
        <button
          type="button"
          className={`enh-compare-toggle${showing ? ' is-on' : ''}`}
          aria-pressed={showing}
          title={showing ? 'Back to the picture (C)' : `Compare with the source take, ${compareLabel(pair.source, pair.enhanced)} (C)`}
          onClick={() => (showing ? useEnhanceUi.getState().setCompare(false) : useEnhanceUi.getState().setCompare(true, pair.enhanced.id))}
        >
          <CompareIcon /> {showing ? 'Done' : 'Before / after'} <kbd>C</kbd>
        </button>
      ) : null}
    </div>
  );
}

/** Props of CompareStage. */
interface CompareStageProps {
  projectId: string;
  source: Take;
  enhanced: Take;
}

/** The two pictures over each other with the divider, the labels and the pointer and keyboard handling. */
function CompareStage({ projectId, source, enhanced }: CompareStageProps) {
  const bridge = useBridge();
  const models = useEnhanceModels();
  const percent = useEnhanceUi((s) => s.dividerPercent);
  const setDivider = useEnhanceUi((s) => s.setDivider);
  const boxRef = useRef<HTMLDivElement>(null);
  const sliderRef = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);

  // the divider takes the focus when the compare opens, so the arrows move it at once
  useEffect(() => {
    sliderRef.current?.focus({ preventScroll: true });
  }, [enhanced.id]);

  const beforeUrl = bridge.mediaUrl(projectId, source.path, source.contentHash.slice(0, 12));
  const afterUrl = bridge.mediaUrl(projectId, enhanced.path, enhanced.contentHash.slice(0, 12));
  const modelId = typeof enhanced.meta.modelId === 'string' ? enhanced.meta.modelId : null;
  const modelName = (modelId && models.data?.find((m) => m.id === modelId)?.name) ?? modelId;
  const provider = typeof enhanced.meta.provider === 'string' ? providerLabel(enhanced.meta.provider) : null;
  const sizes = compareLabel(source, enhanced);

  const moveTo = (clientX: number) => {
    const r = boxRef.current?.getBoundingClientRect();
    if (r) setDivider(dividerAt(clientX, r));
  };

  return (
    <div
      ref={boxRef}
      className={`enh-compare-stage${dragging ? ' is-dragging' : ''}`}
      data-testid="compare-stage"
      onPointerDown={(e) => {
        if (e.button !== 0 || (e.target as HTMLElement).closest('.enh-compare-toggle')) return;
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
        moveTo(e.clientX);
        sliderRef.current?.focus({ preventScroll: true });
      }}
      onPointerMove={(e) => {
        if (dragging) moveTo(e.clientX);
      }}
      onPointerUp={(e) => {
        if (!dragging) return;
        setDragging(false);
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onPointerCancel={() => setDragging(false)}
    >
      <img className="enh-compare-img" src={beforeUrl} alt={`Before: the source take, ${formatSize(source.widthPx, source.heightPx)}`} draggable={false} />
      <div className="enh-compare-after" style={{ clipPath: `inset(0 0 0 ${percent}%)` }}>
        <img className="enh-compare-img" src={afterUrl} alt={`After: the enhanced take, ${formatSize(enhanced.widthPx, enhanced.heightPx)}`} draggable={false} />
      </div>
      <div
        ref={sliderRef}
        className="enh-compare-divider"
        style={{ left: `${percent}%` }}
        role="slider"
        tabIndex={0}
        aria-label="Before and after divider"
        aria-orientation="horizontal"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={`${Math.round(percent)}% before, ${100 - Math.round(percent)}% after`}
        onKeyDown={(e) => {
          const next = stepDivider(percent, e.key, e.shiftKey);
          if (next === null) return;
          // the arrows move the divider, not the timeline's selection
          e.preventDefault();
          e.stopPropagation();
          setDivider(next);
        }}
      >
        <span className="enh-compare-knob" aria-hidden="true">
          <svg width="14" height="14" viewBox="0 0 14 14">
            <path d="M5 3.5L1.5 7 5 10.5M9 3.5L12.5 7 9 10.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </span>
      </div>
      <span className="enh-compare-label enh-compare-label-before" style={{ opacity: percent < 12 ? 0 : 1 }}>
        Before · {formatSize(source.widthPx, source.heightPx)}
      </span>
      <span className="enh-compare-label enh-compare-label-after" style={{ opacity: percent > 88 ? 0 : 1 }}>
        After · {formatSize(enhanced.widthPx, enhanced.heightPx)}
      </span>
      <span className="enh-compare-caption" data-testid="compare-sizes">
        <strong>{sizes}</strong>
        {modelName ? <> · {modelName}</> : null}
        {provider ? <> on {provider}</> : null}
      </span>
    </div>
  );
}
