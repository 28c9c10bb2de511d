/**
 * The music lane under the timeline: the music bed's waveform on a canvas, aligned with the ruler and the cards
 * (the same layout and the same piecewise frame->x mapping, scrolled with the timeline), and the music's controls:
 * add (file picker or drop; by path in Electron, by value in the browser), start time (frames, seconds or
 * timecode), replace, remove. Dragging the waveform sideways moves the music.
 *
 * Virtualized like the cards: the canvas is as wide as the viewport and draws only the visible columns. Peaks
 * come from `music.waveform` with about one bucket per pixel at the zoom, one cached request per zoom level
 * (WaveformModel.ts); a new music file (a new path in the snapshot after `project.changed`) fetches anew.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { projectKey, toastError, useProjectActions } from '../../data/project';
import { formatSeconds } from '../../lib/duration';
import { dragHasFiles, fileToBase64 } from '../../lib/fileData';
import { useUi } from '../../state/ui';
import { DEFAULT_LAYOUT_SPACING, computeLayout, xToFrame } from './layout';
import { COLUMN_GAP, COLUMN_SILENT, columnPeaks, formatMusicOffset, parseMusicOffset, peakToBarFraction, waveformBucketCount } from './WaveformModel';

/** Height of the lane's control row. */
export const MUSIC_HEAD_HEIGHT_PX = 26;
/** Height of the waveform canvas. */
export const WAVEFORM_HEIGHT_PX = 44;

const AUDIO_ACCEPT = 'audio/*,.wav,.mp3,.m4a,.aac,.flac,.ogg,.oga,.opus';

/** Props of WaveformLane: the open project. */
export interface WaveformLaneProps {
  projectId: string;
  snapshot: ProjectSnapshot;
}

/** The music lane (controls and waveform) under the timeline. */
export function WaveformLane({ projectId, snapshot }: WaveformLaneProps) {
  const bridge = useBridge();
  const qc = useQueryClient();
  const actions = useProjectActions(projectId);
  const pxPerSecond = useUi((s) => s.pxPerSecond);
  const trim = useUi((s) => s.trim);
  const rate = snapshot.settings.frameRate;
  const music = snapshot.music ?? null;

  const rootRef = useRef<HTMLElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [viewportPx, setViewportPx] = useState(0);
  const [dragOffset, setDragOffset] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [fileOver, setFileOver] = useState(false);

  // the same layout the timeline draws its cards with
  const layout = useMemo(
    () => computeLayout(snapshot.scenes, { pxPerSecond, frameRate: rate, ...DEFAULT_LAYOUT_SPACING, durationOverride: trim }),
    [snapshot.scenes, pxPerSecond, rate, trim],
  );

  // ---- follow the timeline's scroller (its sibling in the workspace): scroll position and width
  useLayoutEffect(() => {
    const el = rootRef.current?.parentElement?.querySelector<HTMLElement>('.timeline') ?? null;
    setScroller(el);
    if (!el) return;
    let raf = 0;
    const onScroll = () => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => setScrollLeft(el.scrollLeft));
    };
    const ro = new ResizeObserver(() => {
      setViewportPx(el.clientWidth);
      setScrollLeft(el.scrollLeft);
    });
    ro.observe(el);
    setViewportPx(el.clientWidth);
    setScrollLeft(el.scrollLeft);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(raf);
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, []);
  // the timeline re-anchors its scroll after a zoom in a layout effect; read it again once the layout changed
  useEffect(() => {
    if (scroller) setScrollLeft(scroller.scrollLeft);
  }, [layout, scroller]);

  // the wheel over the lane scrolls (and with Ctrl zooms) the timeline, as over the cards
  useEffect(() => {
    const lane = rootRef.current;
    if (!lane || !scroller) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) {
        // zoom as over the cards (the timeline keeps the focused shot or its centre in place)
        const ui = useUi.getState();
        ui.setPxPerSecond(ui.pxPerSecond * Math.exp(-e.deltaY * 0.0025));
        return;
      }
      scroller.scrollLeft += Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.deltaY;
    };
    lane.addEventListener('wheel', onWheel, { passive: false });
    return () => lane.removeEventListener('wheel', onWheel);
  }, [scroller]);

  // ---- peaks, one request per zoom level and music file
  const buckets = music ? waveformBucketCount(music.durationFrames, rate, pxPerSecond) : 0;
  const wave = useQuery({
    queryKey: ['music.waveform', projectId, music?.path ?? null, music?.durationFrames ?? 0, buckets],
    queryFn: async () => ({ path: music!.path, ...(await bridge.call('music.waveform', { projectId, buckets })) }),
    enabled: !!music,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  const peaks = wave.data && music && wave.data.path === music.path ? wave.data : null;
  const offsetFrames = dragOffset ?? music?.offsetFrames ?? 0;

  // ---- draw the visible columns
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || viewportPx <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(viewportPx * dpr);
    const h = Math.round(WAVEFORM_HEIGHT_PX * dpr);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    if (!music || !peaks) return;
    const cols = columnPeaks({
      layout,
      fromPx: scrollLeft,
      columns: w,
      columnWidthPx: 1 / dpr,
      offsetFrames,
      musicDurationFrames: peaks.durationFrames,
      peaks: peaks.peaks,
    });
    const mid = h / 2;
    const reach = mid - 3 * dpr;
    const band = new Path2D();
    const bars = new Path2D();
    const silent = new Path2D();
    let runStart = -1;
    for (let c = 0; c <= w; c++) {
      const v = c < w ? cols[c] : COLUMN_GAP;
      const inMusic = v >= 0;
      if (inMusic && runStart < 0) runStart = c;
      if (!inMusic && runStart >= 0) {
        band.rect(runStart, 1 * dpr, c - runStart, h - 2 * dpr);
        runStart = -1;
      }
      if (c === w) break;
      if (v === COLUMN_SILENT) silent.rect(c, mid - dpr / 2, 1, dpr);
      else if (inMusic) {
        const bar = Math.max(dpr / 2, peakToBarFraction(v) * reach);
        bars.rect(c, mid - bar, 1, bar * 2);
      }
    }
    ctx.fillStyle = 'rgba(76, 195, 138, 0.10)';
    ctx.fill(band);
    ctx.fillStyle = 'rgba(108, 116, 128, 0.55)';
    ctx.fill(silent);
    ctx.fillStyle = dragOffset !== null ? 'rgba(124, 177, 255, 0.95)' : 'rgba(76, 195, 138, 0.9)';
    ctx.fill(bars);
  }, [layout, scrollLeft, viewportPx, music, peaks, offsetFrames, dragOffset]);

  // ---- the music's actions
  const refresh = useCallback(() => qc.invalidateQueries({ queryKey: projectKey(projectId) }), [qc, projectId]);
  const setMusicFile = async (file: File) => {
    setBusy(`Adding ${file.name}…`);
    try {
      const path = bridge.pathForFile(file);
      const offset = music?.offsetFrames ?? 0;
      const set = path
        ? await bridge.call('music.set', { projectId, path, offsetFrames: offset })
        : await bridge.call('music.set', { projectId, fileName: file.name, dataBase64: await fileToBase64(file), offsetFrames: offset });
      useUi.getState().toast({ kind: 'success', message: `Music: ${set.originalName}, ${formatSeconds(set.durationFrames, rate)}`, timeoutMs: 4000 });
      await refresh();
    } catch (err) {
      toastError(err, `Could not use ${file.name} as the music`);
    } finally {
      setBusy(null);
    }
  };
  const moveMusic = async (frames: number) => {
    if (!music || frames === music.offsetFrames) return;
    try {
      await bridge.call('music.update', { projectId, offsetFrames: frames });
      await refresh();
    } catch (err) {
      toastError(err, 'Could not move the music');
    }
  };
  const removeMusic = async () => {
    if (!music) return;
    try {
      await bridge.call('music.clear', { projectId });
      await refresh();
      useUi.getState().toast({ kind: 'info', message: `Removed the music ${music.originalName}`, action: { label: 'Undo', run: () => void actions.undo() }, timeoutMs: 8000 });
    } catch (err) {
      toastError(err, 'Could not remove the music');
    }
  };

  // ---- drag the waveform to move the music
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (!music || e.button !== 0) return;
    const box = e.currentTarget.getBoundingClientRect();
    const startFrame = xToFrame(layout, scrollLeft + e.clientX - box.left);
    const startOffset = music.offsetFrames;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    let latest = startOffset;
    const move = (ev: PointerEvent) => {
      const frame = xToFrame(layout, (scroller?.scrollLeft ?? scrollLeft) + ev.clientX - box.left);
      latest = Math.max(0, Math.round(startOffset + frame - startFrame));
      setDragOffset(latest);
    };
    const finish = (commit: boolean) => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', cancel);
      window.removeEventListener('keydown', key, true);
      if (commit && latest !== startOffset) void moveMusic(latest).finally(() => setDragOffset(null));
      else setDragOffset(null);
    };
    const up = () => finish(true);
    const cancel = () => finish(false);
    const key = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        finish(false);
      }
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', cancel);
    window.addEventListener('keydown', key, true);
  };

  // ---- audio files dropped on the lane
  const onDragOver = (e: DragEvent) => {
    if (!dragHasFiles(e.dataTransfer)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setFileOver(true);
  };
  const onDrop = (e: DragEvent) => {
    if (!dragHasFiles(e.dataTransfer)) return;
    e.preventDefault();
    setFileOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void setMusicFile(file);
  };

  return (
    <section
      ref={rootRef}
      className={`music-lane${fileOver ? ' is-file-over' : ''}${music ? '' : ' is-empty'}`}
      aria-label="Music"
      onDragOver={onDragOver}
      onDragLeave={() => setFileOver(false)}
      onDrop={onDrop}
    >
      <div className="music-lane-head" style={{ height: MUSIC_HEAD_HEIGHT_PX }}>
        <span className="music-lane-title">
          <NoteIcon /> Music
        </span>
        {music ? (
          <>
            <span className="music-lane-name" title={`${music.originalName} · ${formatSeconds(music.durationFrames, rate)}`}>
              {music.originalName}
            </span>
            <span className="music-lane-length tabular">{formatSeconds(music.durationFrames, rate)}</span>
            <OffsetField key={`${music.path}:${music.offsetFrames}`} offsetFrames={offsetFrames} rate={rate} onCommit={(f) => void moveMusic(f)} />
          </>
        ) : (
          <span className="music-lane-hint">None yet: add an audio file (WAV, MP3, AAC, FLAC, Ogg) to hear the cut with it in Present and the animatic.</span>
        )}
        <span className="music-lane-actions">
          {busy ? (
            <span className="music-lane-busy">
              <span className="spinner spinner-small" aria-hidden="true" /> {busy}
            </span>
          ) : null}
          <button type="button" className="button button-small button-ghost" onClick={() => fileRef.current?.click()} disabled={!!busy}>
            {music ? 'Replace…' : 'Add music…'}
          </button>
          {music ? (
            <button type="button" className="button button-small button-ghost" onClick={() => void removeMusic()} disabled={!!busy}>
              Remove
            </button>
          ) : null}
        </span>
        <input
          ref={fileRef}
          type="file"
          accept={AUDIO_ACCEPT}
          hidden
          aria-label="Music file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void setMusicFile(file);
          }}
        />
      </div>
      <div
        className={`music-lane-wave${dragOffset !== null ? ' is-dragging' : ''}`}
        style={music ? { height: WAVEFORM_HEIGHT_PX } : undefined}
        onPointerDown={onPointerDown}
        title={music ? 'Drag sideways to move the music' : undefined}
      >
        <canvas ref={canvasRef} className="music-lane-canvas" style={{ width: viewportPx || '100%', height: WAVEFORM_HEIGHT_PX }} aria-hidden="true" />
        {!music ? <div className="music-lane-empty">Drop an audio file here</div> : null}
        {music && !peaks && wave.isFetching ? <div className="music-lane-empty">Reading the waveform…</div> : null}
        {music && wave.error ? <div className="music-lane-empty music-lane-error">The waveform could not be read: {(wave.error as Error).message}</div> : null}
        {dragOffset !== null ? <div className="music-lane-drag-label tabular">Starts at {formatMusicOffset(dragOffset, rate)}</div> : null}
      </div>
    </section>
  );
}

/** The music's start time: shows a timecode, takes frames, seconds or timecode; Enter or leaving the field applies it. */
function OffsetField(props: { offsetFrames: number; rate: ProjectSnapshot['settings']['frameRate']; onCommit(frames: number): void }) {
  const shown = formatMusicOffset(props.offsetFrames, props.rate);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    try {
      const frames = parseMusicOffset(text, props.rate);
      setError(null);
      setText(null);
      props.onCommit(frames);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <label className="music-offset" title={error ?? 'Where the music starts on the timeline: frames (24), seconds (1.5s) or a timecode'}>
      <span>starts at</span>
      <input
        className={`input input-small mono${error ? ' has-error' : ''}`}
        aria-label="Music start"
        aria-invalid={!!error}
        value={text ?? shown}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setText(null);
            setError(null);
            (e.target as HTMLInputElement).blur();
          }
        }}
        onBlur={commit}
        spellCheck={false}
      />
      {error ? <span className="music-offset-error">{error}</span> : null}
    </label>
  );
}

function NoteIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M6 12.5V3.5l7-1.5v9" />
      <circle cx="4.3" cy="12.5" r="1.8" />
      <circle cx="11.3" cy="11" r="1.8" />
    </svg>
  );
}
