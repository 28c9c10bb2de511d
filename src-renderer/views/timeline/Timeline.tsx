/**
 * The horizontal timeline: a ruler, scenes as tinted groups with a header band (number + slugline), and shot
 * cards whose width is their duration × zoom.
 *
 * Virtualized: x offsets come from prefix sums over durations (layout.ts), and only the cards and scenes inside
 * the scrolled viewport (plus overscan) are rendered. Drag and drop (dnd-kit) reorders within and across scenes:
 * the drop position comes from the pointer's x and a binary search over the prefix sums, never from measuring
 * rendered drop targets (most are not rendered). Autoscroll near the edges is our own, so the drop position can
 * follow the scroll.
 */
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragMoveEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type Modifier,
} from '@dnd-kit/core';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import type { ProjectActions } from '../../data/project';
import { formatDuration, formatSeconds } from '../../lib/duration';
import { clickSelect } from '../../state/selection';
import { useUi } from '../../state/ui';
import { DEFAULT_LAYOUT_SPACING, computeLayout, dropTargetAt, visibleSceneRange, visibleShotRange, xToFrame, frameToX, type DropTarget } from './layout';
import { openAssistant } from '../assistant/store';
import { AssistantIcon } from '../takes/icons';
import { shotPictureUrl } from './media';
import { Ruler } from './Ruler';
import { ShotCard, type CardHandlers } from './ShotCard';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];

/** Height of the time ruler. */
export const RULER_HEIGHT_PX = 24;
/** Height of a scene's header band (number + slugline). */
export const SCENE_HEADER_HEIGHT_PX = 30;
/** Top of the shot cards in the track. */
export const CARD_TOP_PX = RULER_HEIGHT_PX + SCENE_HEADER_HEIGHT_PX + 4;
/** Height of a card's picture; its width follows the project's aspect ratio. */
export const THUMB_HEIGHT_PX = 104;
/** Height of a whole card: picture plus number and duration. */
export const CARD_HEIGHT_PX = THUMB_HEIGHT_PX + 40;
/** Height of the scrolled track (ruler, scene headers, cards, bottom margin). */
export const TRACK_HEIGHT_PX = CARD_TOP_PX + CARD_HEIGHT_PX + 10;

const OVERSCAN_PX = 800;
const AUTOSCROLL_EDGE_PX = 80;
const AUTOSCROLL_MAX_PX_PER_FRAME = 30;

/** Keyboard dragging moves the lifted shots in big horizontal steps; up and down do nothing. */
const keyboardCoordinates: KeyboardCoordinateGetter = (event, { currentCoordinates }) => {
  if (event.code === 'ArrowRight') return { ...currentCoordinates, x: currentCoordinates.x + 60 };
  if (event.code === 'ArrowLeft') return { ...currentCoordinates, x: currentCoordinates.x - 60 };
  return undefined;
};

/** Puts the drag overlay just right of and centred on the pointer, so the insertion line stays visible. */
const besidePointer: Modifier = ({ activatorEvent, draggingNodeRect, transform }) => {
  if (!draggingNodeRect || !activatorEvent || !('clientX' in activatorEvent)) return transform;
  const ev = activatorEvent as PointerEvent;
  return {
    ...transform,
    x: transform.x + ev.clientX - draggingNodeRect.left + 14,
    y: transform.y + ev.clientY - draggingNodeRect.top - draggingNodeRect.height / 2,
  };
};

/** Props of Timeline. */
export interface TimelineProps {
  projectId: string;
  snapshot: ProjectSnapshot;
  actions: ProjectActions;
}

interface DragState {
  activeId: string;
  ids: string[];
}

/** The virtualized, drag-and-drop timeline of one project. */
export function Timeline({ projectId, snapshot, actions }: TimelineProps) {
  const bridge = useBridge();
  const pxPerSecond = useUi((s) => s.pxPerSecond);
  const selection = useUi((s) => s.selection);
  const setSelection = useUi((s) => s.setSelection);
  const trim = useUi((s) => s.trim);
  const setTrim = useUi((s) => s.setTrim);
  const fileDropShotId = useUi((s) => s.fileDropShotId);
  const setFileDropShotId = useUi((s) => s.setFileDropShotId);
  const rate = snapshot.settings.frameRate;

  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [viewportPx, setViewportPx] = useState(1200);
  const [drag, setDrag] = useState<DragState | null>(null);
  const [target, setTarget] = useState<DropTarget | null>(null);

  // ---- layout ------------------------------------------------------------------------------------
  const layout = useMemo(
    () => computeLayout(snapshot.scenes, { pxPerSecond, frameRate: rate, ...DEFAULT_LAYOUT_SPACING, durationOverride: trim }),
    [snapshot.scenes, pxPerSecond, rate, trim],
  );
  const flat = useMemo(() => {
    const shots: Shot[] = [];
    const sceneNumbers: string[] = [];
    for (const scene of snapshot.scenes)
      for (const shot of scene.shots) {
        shots.push(shot);
        sceneNumbers.push(scene.number);
      }
    return { shots, sceneNumbers };
  }, [snapshot.scenes]);
  const takesById = useMemo(() => new Map<string, Take>(snapshot.takes.map((t) => [t.id, t])), [snapshot.takes]);

  // latest values for stable callbacks
  const latest = useRef({ layout, selection, snapshot, pxPerSecond, drag, target, scrollLeft });
  latest.current = { layout, selection, snapshot, pxPerSecond, drag, target, scrollLeft };

  // ---- scrolling and viewport ---------------------------------------------------------------------
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    let raf = 0;
    const onScroll = () => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => setScrollLeft(el.scrollLeft));
      if (latest.current.drag) updateTargetRef.current();
    };
    const ro = new ResizeObserver(() => setViewportPx(el.clientWidth));
    ro.observe(el);
    setViewportPx(el.clientWidth);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(raf);
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, []);

  // Zoom keeps the frame under an anchor where it was: the pointer for Ctrl+wheel, else the viewport's centre.
  const zoomAnchor = useRef<{ frame: number; viewportX: number } | null>(null);
  const prevPx = useRef(pxPerSecond);
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el || prevPx.current === pxPerSecond) return;
    prevPx.current = pxPerSecond;
    const anchor = zoomAnchor.current;
    zoomAnchor.current = null;
    if (anchor) el.scrollLeft = Math.max(0, frameToX(layout, anchor.frame) - anchor.viewportX);
  }, [pxPerSecond, layout]);
  useEffect(() => {
    // Before a zoom change from outside (slider, keys), anchor on the focused shot when it is in view (so
    // zooming out and back in returns to it), else on the viewport's centre.
    const unsub = useUi.subscribe((s, prev) => {
      if (s.pxPerSecond === prev.pxPerSecond || zoomAnchor.current) return;
      const el = scrollerRef.current;
      if (!el) return;
      const l = latest.current.layout;
      const i = s.selection.focusId ? l.indexOfShot.get(s.selection.focusId) : undefined;
      if (i !== undefined && l.xPx[i] + l.widthPx[i] > el.scrollLeft && l.xPx[i] < el.scrollLeft + el.clientWidth) {
        zoomAnchor.current = { frame: l.startFrame[i], viewportX: l.xPx[i] - el.scrollLeft };
        return;
      }
      const viewportX = el.clientWidth / 2;
      zoomAnchor.current = { frame: xToFrame(l, el.scrollLeft + viewportX), viewportX };
    });
    return unsub;
  }, []);

  useEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const rect = el.getBoundingClientRect();
        const viewportX = e.clientX - rect.left;
        zoomAnchor.current = { frame: xToFrame(latest.current.layout, el.scrollLeft + viewportX), viewportX };
        const ui = useUi.getState();
        ui.setPxPerSecond(ui.pxPerSecond * Math.exp(-e.deltaY * 0.0025));
        return;
      }
      if (Math.abs(e.deltaY) > Math.abs(e.deltaX) && !e.shiftKey) {
        e.preventDefault();
        el.scrollLeft += e.deltaY;
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  // Keep the focused shot in view when the focus moves.
  useEffect(() => {
    const el = scrollerRef.current;
    const i = selection.focusId ? latest.current.layout.indexOfShot.get(selection.focusId) : undefined;
    if (!el || i === undefined) return;
    const { xPx, widthPx } = latest.current.layout;
    const margin = 48;
    if (xPx[i] < el.scrollLeft + margin / 2) el.scrollLeft = Math.max(0, xPx[i] - margin);
    else if (xPx[i] + widthPx[i] > el.scrollLeft + el.clientWidth - margin / 2)
      el.scrollLeft = Math.min(xPx[i] - margin, xPx[i] + widthPx[i] - el.clientWidth + margin);
  }, [selection.focusId]);

  // ---- selection, trimming, file drops (stable handlers for memoized cards) -----------------------
  const justDragged = useRef(false);
  const handlers = useMemo<CardHandlers>(
    () => ({
      onPress(id, e) {
        const { selection: sel, layout: l } = latest.current;
        const mods = { range: e.shiftKey, toggle: e.ctrlKey || e.metaKey };
        if (mods.range || mods.toggle) setSelection(clickSelect(sel, l.shotIds, id, mods));
        else if (!sel.ids.includes(id)) setSelection(clickSelect(sel, l.shotIds, id));
      },
      onClick(id, e) {
        if (justDragged.current || e.shiftKey || e.ctrlKey || e.metaKey) return;
        const { selection: sel, layout: l } = latest.current;
        if (sel.ids.length !== 1 || sel.ids[0] !== id || sel.focusId !== id) setSelection(clickSelect(sel, l.shotIds, id));
      },
      onTrimStart(id, e: ReactPointerEvent) {
        const { layout: l, pxPerSecond: pps, snapshot: snap } = latest.current;
        const i = l.indexOfShot.get(id);
        if (i === undefined) return;
        const startFrames = l.durationFrames[i];
        const pxPerFrame = (pps * snap.settings.frameRate.den) / snap.settings.frameRate.num;
        const startX = e.clientX;
        let frames = startFrames;
        const shotNumber = flatShotNumber(snap, id);
        const move = (ev: PointerEvent) => {
          const next = Math.max(1, Math.round(startFrames + (ev.clientX - startX) / pxPerFrame));
          if (next !== frames) {
            frames = next;
            setTrim({ shotId: id, durationFrames: next });
          }
        };
        const end = (commit: boolean) => {
          window.removeEventListener('pointermove', move);
          window.removeEventListener('pointerup', up);
          window.removeEventListener('keydown', key, true);
          document.body.classList.remove('is-trimming');
          if (commit && frames !== startFrames) void actions.updateShots([id], { durationFrames: frames });
          setTrim(null);
          if (commit && frames !== startFrames)
            useUi.getState().toast({ kind: 'info', message: `Shot ${shotNumber}: ${formatDuration(frames, snap.settings.frameRate)}`, timeoutMs: 2500 });
        };
        const up = () => end(true);
        const key = (ev: KeyboardEvent) => {
          if (ev.key === 'Escape') {
            ev.stopPropagation();
            end(false);
          }
        };
        document.body.classList.add('is-trimming');
        window.addEventListener('pointermove', move);
        window.addEventListener('pointerup', up);
        window.addEventListener('keydown', key, true);
        setTrim({ shotId: id, durationFrames: startFrames });
      },
      onFilesOver(id) {
        setFileDropShotId(id);
      },
      onFilesDrop(id, files) {
        const number = flatShotNumber(latest.current.snapshot, id);
        void actions.importTakeFiles(id, number, files);
      },
    }),
    [actions, setSelection, setTrim, setFileDropShotId],
  );

  // ---- drag and drop -------------------------------------------------------------------------------
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: keyboardCoordinates }),
  );
  const pointer = useRef<{ x: number; y: number } | null>(null);
  const overlayCenter = useRef<number | null>(null);

  const updateTargetRef = useRef<() => void>(() => undefined);
  const updateTarget = useCallback(() => {
    const el = scrollerRef.current;
    const d = latest.current.drag;
    if (!el || !d) return;
    const clientX = pointer.current?.x ?? overlayCenter.current;
    if (clientX === null || clientX === undefined) return;
    const rect = el.getBoundingClientRect();
    const x = clientX - rect.left + el.scrollLeft;
    const next = dropTargetAt(latest.current.layout, x, new Set(d.ids));
    const prev = latest.current.target;
    if (!next) {
      latest.current.target = null;
      return setTarget(null);
    }
    if (!prev || prev.sceneId !== next.sceneId || prev.beforeShotId !== next.beforeShotId || prev.lineXPx !== next.lineXPx) {
      latest.current.target = next;
      setTarget(next);
    }
  }, []);
  updateTargetRef.current = updateTarget;

  useEffect(() => {
    if (!drag) return;
    const onMove = (e: PointerEvent) => {
      pointer.current = { x: e.clientX, y: e.clientY };
    };
    window.addEventListener('pointermove', onMove, { passive: true });
    let raf = 0;
    // Pointer drags only: a keyboard drag scrolls through dnd-kit's KeyboardSensor as its steps leave the view.
    const tick = () => {
      const el = scrollerRef.current;
      const x = pointer.current?.x;
      if (el && x !== undefined) {
        const rect = el.getBoundingClientRect();
        const left = x - rect.left;
        const right = rect.right - x;
        let dx = 0;
        if (left < AUTOSCROLL_EDGE_PX) dx = -AUTOSCROLL_MAX_PX_PER_FRAME * ((AUTOSCROLL_EDGE_PX - Math.max(0, left)) / AUTOSCROLL_EDGE_PX) ** 2;
        else if (right < AUTOSCROLL_EDGE_PX) dx = AUTOSCROLL_MAX_PX_PER_FRAME * ((AUTOSCROLL_EDGE_PX - Math.max(0, right)) / AUTOSCROLL_EDGE_PX) ** 2;
        if (dx !== 0) {
          const before = el.scrollLeft;
          el.scrollLeft = before + dx;
          if (el.scrollLeft !== before) updateTarget();
        }
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      window.removeEventListener('pointermove', onMove);
      cancelAnimationFrame(raf);
    };
  }, [drag, updateTarget]);

  const onDragStart = useCallback((e: DragStartEvent) => {
    const id = String(e.active.id);
    const sel = latest.current.selection;
    const ids = sel.ids.includes(id) ? [...sel.ids] : [id];
    const act = e.activatorEvent as PointerEvent | KeyboardEvent;
    pointer.current = 'clientX' in act ? { x: act.clientX, y: act.clientY } : null;
    overlayCenter.current = null;
    const d = { activeId: id, ids };
    latest.current.drag = d;
    setDrag(d);
    document.body.classList.add('is-dragging');
    updateTarget();
  }, [updateTarget]);

  const onDragMove = useCallback(
    (e: DragMoveEvent) => {
      const r = e.active.rect.current.translated;
      if (!pointer.current && r) overlayCenter.current = r.left + r.width / 2;
      updateTarget();
    },
    [updateTarget],
  );

  const finishDrag = useCallback(() => {
    setDrag(null);
    setTarget(null);
    latest.current.drag = null;
    pointer.current = null;
    overlayCenter.current = null;
    document.body.classList.remove('is-dragging');
    justDragged.current = true;
    setTimeout(() => {
      justDragged.current = false;
    }, 0);
  }, []);

  const onDragEnd = useCallback(
    (_e: DragEndEvent) => {
      const d = latest.current.drag;
      const t = latest.current.target;
      finishDrag();
      if (d && t) void actions.moveShots(d.ids, t.sceneId, t.beforeShotId);
    },
    [actions, finishDrag],
  );

  // ---- what to render ----------------------------------------------------------------------------
  const fromPx = Math.max(0, scrollLeft - OVERSCAN_PX);
  const toPx = scrollLeft + viewportPx + OVERSCAN_PX;
  const [first, end] = visibleShotRange(layout, fromPx, toPx);
  const [sceneFirst, sceneEnd] = visibleSceneRange(layout, fromPx, toPx);
  const indices: number[] = [];
  for (let i = first; i < end; i++) indices.push(i);
  const activeIndex = drag ? layout.indexOfShot.get(drag.activeId) : undefined;
  if (activeIndex !== undefined && (activeIndex < first || activeIndex >= end)) indices.push(activeIndex);

  const pictureWidthPx = Math.round((THUMB_HEIGHT_PX * snapshot.settings.widthPx) / snapshot.settings.heightPx);
  const selectedSet = useMemo(() => new Set(selection.ids), [selection.ids]);
  const liftedSet = useMemo(() => new Set(drag?.ids ?? []), [drag]);
  const activeShot = activeIndex !== undefined ? flat.shots[activeIndex] : undefined;

  return (
    <DndContext
      sensors={sensors}
      autoScroll={false}
      onDragStart={onDragStart}
      onDragMove={onDragMove}
      onDragEnd={onDragEnd}
      onDragCancel={finishDrag}
      accessibility={{
        screenReaderInstructions: {
          draggable: 'To move a shot, press Space or Enter, use the arrow keys to choose the place, and press Space or Enter again to drop it. Escape cancels.',
        },
        announcements: {
          onDragStart: () => `Picked up ${latest.current.drag?.ids.length ?? 1} shot(s).`,
          onDragMove: () => describeTarget(latest.current.snapshot, latest.current.target),
          onDragOver: () => undefined,
          onDragEnd: () => `Dropped. ${describeTarget(latest.current.snapshot, latest.current.target) ?? ''}`,
          onDragCancel: () => 'Move cancelled.',
        },
      }}
    >
      <div className="timeline" ref={scrollerRef} aria-label="Timeline" role="region" style={{ ['--timeline-h' as string]: `${TRACK_HEIGHT_PX + 12}px` }}>
        <div className="timeline-content" style={{ width: layout.totalWidthPx, height: TRACK_HEIGHT_PX }}>
          <Ruler layout={layout} frameRate={rate} pxPerSecond={pxPerSecond} fromPx={fromPx} toPx={toPx} heightPx={RULER_HEIGHT_PX} />
          {layout.scenes.slice(sceneFirst, sceneEnd).map((ls, k) => {
            const si = sceneFirst + k;
            const scene = snapshot.scenes[si];
            const labelOffset = Math.min(Math.max(0, scrollLeft - ls.xPx + 8), Math.max(0, ls.widthPx - 200));
            const isTarget = target?.sceneIndex === si;
            return (
              <div
                key={ls.id}
                className={`scene-band${si % 2 ? ' is-odd' : ''}${isTarget ? ' is-drop-target' : ''}`}
                style={{ transform: `translateX(${ls.xPx}px)`, width: ls.widthPx, top: RULER_HEIGHT_PX, height: TRACK_HEIGHT_PX - RULER_HEIGHT_PX - 4 }}
              >
                <div
                  className="scene-header"
                  style={{ height: SCENE_HEADER_HEIGHT_PX, paddingLeft: 6 + labelOffset }}
                  title={`Scene ${scene.number} · ${scene.heading} · ${scene.shots.length} shot${scene.shots.length === 1 ? '' : 's'}, ${formatSeconds(ls.durationFrames, rate)}`}
                >
                  <span className="scene-number">{scene.number}</span>
                  <span className="scene-heading">{scene.heading}</span>
                  {ls.widthPx - labelOffset > 150 ? (
                    <button
                      type="button"
                      className="scene-assist"
                      title={`Assistant: propose shots for scene ${scene.number}`}
                      aria-label={`Assistant: propose shots for scene ${scene.number}`}
                      onClick={() => openAssistant(scene.id)}
                    >
                      <AssistantIcon size={12} />
                      {ls.widthPx - labelOffset > 420 ? 'Propose shots' : null}
                    </button>
                  ) : null}
                  {ls.widthPx - labelOffset > 260 ? (
                    <span className="scene-stats">
                      {scene.shots.length} shot{scene.shots.length === 1 ? '' : 's'} · {formatSeconds(ls.durationFrames, rate)}
                    </span>
                  ) : null}
                </div>
                {ls.shotCount === 0 ? (
                  <div className="scene-empty" style={{ top: CARD_TOP_PX - RULER_HEIGHT_PX, height: CARD_HEIGHT_PX }}>
                    <span>
                      Empty scene
                      <br />
                      drop shots here
                    </span>
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() =>
                        void actions.createShot(scene.id, null).then((id) => id && setSelection({ ids: [id], anchorId: id, focusId: id }))
                      }
                    >
                      + Add shot
                    </button>
                  </div>
                ) : null}
              </div>
            );
          })}
          {indices.map((i) => {
            const shot = flat.shots[i];
            const trimming = trim?.shotId === shot.id;
            return (
              <ShotCard
                key={shot.id}
                shot={shot}
                xPx={layout.xPx[i]}
                widthPx={layout.widthPx[i]}
                topPx={CARD_TOP_PX}
                heightPx={CARD_HEIGHT_PX}
                thumbHeightPx={THUMB_HEIGHT_PX}
                pictureWidthPx={pictureWidthPx}
                pictureUrl={shotPictureUrl(bridge, projectId, shot, flat.sceneNumbers[i], takesById)}
                durationLabel={formatDuration(trimming ? trim.durationFrames : shot.durationFrames, rate)}
                selected={selectedSet.has(shot.id)}
                focused={selection.focusId === shot.id}
                lifted={liftedSet.has(shot.id)}
                trimming={trimming}
                fileOver={fileDropShotId === shot.id}
                handlers={handlers}
              />
            );
          })}
          {drag && target ? (
            <div className="drop-line" style={{ transform: `translateX(${target.lineXPx - 1}px)`, top: CARD_TOP_PX - 8, height: CARD_HEIGHT_PX + 16 }} />
          ) : null}
        </div>
      </div>
      <DragOverlay dropAnimation={null} modifiers={[besidePointer]}>
        {drag && activeShot ? (
          <div className="drag-overlay">
            {drag.ids.length > 1 ? <div className="drag-overlay-stack" aria-hidden="true" /> : null}
            <div className="drag-overlay-card">
              <img src={shotPictureUrl(bridge, projectId, activeShot, flat.sceneNumbers[activeIndex!], takesById)} alt="" draggable={false} />
              <div className="drag-overlay-meta">
                <span className="shot-number">{activeShot.number}</span>
                <span className="shot-duration">{formatDuration(activeShot.durationFrames, rate)}</span>
              </div>
            </div>
            {drag.ids.length > 1 ? <div className="drag-count">{drag.ids.length}</div> : null}
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

function flatShotNumber(snapshot: ProjectSnapshot, shotId: string): string {
  for (const scene of snapshot.scenes) for (const shot of scene.shots) if (shot.id === shotId) return shot.number;
  return '?';
}

function describeTarget(snapshot: ProjectSnapshot, target: DropTarget | null): string | undefined {
  if (!target) return undefined;
  const scene = snapshot.scenes[target.sceneIndex];
  if (!scene) return undefined;
  const before = target.beforeShotId ? scene.shots.find((s) => s.id === target.beforeShotId) : null;
  return before ? `Before shot ${before.number} in scene ${scene.number}.` : `At the end of scene ${scene.number}.`;
}
