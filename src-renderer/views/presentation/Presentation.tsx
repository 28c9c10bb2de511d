/**
 * Presentation mode: the timeline played full screen with its music, for a room. Each shot's picture (its
 * selected take, image or clip, else its placeholder card) is on screen for exactly its duration: one clock drives
 * everything (clock.ts: the <audio> element's currentTime while music plays, else performance.now()), and the
 * shot comes from the frame by binary search over prefix sums, never from chained timeouts.
 *
 * Keys: Space plays/pauses, ←/→ step a shot, Home/End jump to the first/last shot, L loops, Esc leaves and
 * selects the shot that was on screen. The scrub bar (a tick per shot, taller at scenes) seeks by click or drag.
 * The Fullscreen API is used where the shell allows it; otherwise the overlay fills the window.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { useBridge, type Bridge } from '../../bridge';
import { formatTimecode } from '../../lib/duration';
import { shotViewerUrl } from '../timeline/media';
import { captionOf } from './caption';
import { PlaybackClock, buildShotTimeline, frameAtFraction, framesPerSecond, shotAt, shotStartFrame, stepFrame, type ClockTick, type ShotTimeline } from './clock';
import './presentation.css';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];
type Scene = ProjectSnapshot['scenes'][number];

/** Props of Presentation. */
export interface PresentationProps {
  projectId: string;
  snapshot: ProjectSnapshot;
  /** The shot to start from; null or unknown starts at the first shot. */
  startShotId: string | null;
  /** Leaves presentation mode; `shotId` is the shot that was on screen (null for an empty timeline). */
  onExit(shotId: string | null): void;
}

/** How long the pointer may rest before the controls fade while playing. */
const IDLE_HIDE_MS = 2500;

/** The full-screen presentation overlay. */
export function Presentation({ projectId, snapshot, startShotId, onExit }: PresentationProps) {
  const bridge = useBridge();
  const rate = snapshot.settings.frameRate;
  const flat = useMemo(() => {
    const out: Array<{ shot: Shot; scene: Scene; firstInScene: boolean }> = [];
    for (const scene of snapshot.scenes) scene.shots.forEach((shot, i) => out.push({ shot, scene, firstInScene: i === 0 }));
    return out;
  }, [snapshot.scenes]);
  const timeline = useMemo(() => buildShotTimeline(flat.map((x) => x.shot.durationFrames)), [flat]);
  const takesById = useMemo(() => new Map<string, Take>(snapshot.takes.map((t) => [t.id, t])), [snapshot.takes]);
  const music = snapshot.music ?? null;
  const musicUrl = music ? bridge.mediaUrl(projectId, music.path) : null;

  const rootRef = useRef<HTMLDivElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const clockRef = useRef<PlaybackClock | null>(null);
  /**
   * What the viewer asked for, kept apart from any one clock: effects may run again (StrictMode, a changed
   * timeline or music), and each run makes a fresh clock that must carry on where the last one was.
   */
  const intent = useRef<{ playing: boolean; loop: boolean; frame: number | null }>({ playing: true, loop: false, frame: null });
  const [now, setNow] = useState<ClockTick | null>(null);
  const [loop, setLoop] = useState(false);
  const [idle, setIdle] = useState(false);
  const exited = useRef(false);

  // ---- the clock: made once the <audio> exists; made anew (same frame, same play state) when the timeline or music changes
  useLayoutEffect(() => {
    if (flat.length === 0) return;
    const state = intent.current; // one object for the component's life: the cleanup writes into it
    const startIndex = Math.max(0, flat.findIndex((x) => x.shot.id === startShotId));
    const clock = new PlaybackClock({
      timeline,
      frameRate: rate,
      music: music ? { offsetFrames: music.offsetFrames, durationFrames: music.durationFrames } : null,
      audio: music ? audioRef.current : null,
      nowMs: () => performance.now(),
      loop: state.loop,
      startFrame: state.frame !== null ? Math.min(state.frame, timeline.totalFrames) : shotStartFrame(timeline, startIndex),
    });
    clockRef.current = clock;
    if (state.playing) clock.play(); // opening plays at once
    setNow(clock.tick());
    return () => {
      state.frame = clock.frame();
      clock.pause();
      if (clockRef.current === clock) clockRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- startShotId matters only for the first clock
  }, [timeline, rate, music?.offsetFrames, music?.durationFrames, musicUrl, flat.length]);

  // ---- one animation-frame loop reads the clock; React re-renders only when what is shown changes
  useEffect(() => {
    let raf = 0;
    let last: ClockTick | null = null;
    const loopTick = () => {
      const clock = clockRef.current;
      if (clock) {
        const t = clock.tick();
        if (t.ended) intent.current.playing = false;
        if (!last || t.index !== last.index || t.playing !== last.playing || Math.floor(t.frame) !== Math.floor(last.frame) || t.ended !== last.ended) {
          last = t;
          setNow(t);
        }
        syncVideo(videoRef.current, t, rate);
      }
      raf = requestAnimationFrame(loopTick);
    };
    raf = requestAnimationFrame(loopTick);
    return () => cancelAnimationFrame(raf);
  }, [rate]);

  // ---- leaving: pause, leave full screen, hand back the shot on screen
  const exit = useCallback(() => {
    if (exited.current) return;
    exited.current = true;
    const clock = clockRef.current;
    clock?.pause();
    intent.current.playing = false;
    const frame = clock ? clock.frame() : intent.current.frame;
    const index = frame !== null && flat.length > 0 ? shotAt(timeline, Math.min(frame, timeline.totalFrames)).index : -1;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    onExit(flat[index]?.shot.id ?? null);
  }, [flat, timeline, onExit]);

  // ---- full screen where allowed; leaving full screen (the browser's own Esc) leaves the presentation
  useEffect(() => {
    const el = rootRef.current;
    el?.focus();
    let entered = false;
    const onChange = () => {
      if (document.fullscreenElement === el) entered = true;
      else if (entered) exit();
    };
    document.addEventListener('fullscreenchange', onChange);
    if (el && typeof el.requestFullscreen === 'function') el.requestFullscreen({ navigationUI: 'hide' }).catch(() => undefined); // refused: the overlay fills the window
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [exit]);

  // ---- keys (capture phase, before the timeline's own shortcuts)
  const seek = useCallback((frame: number) => {
    const clock = clockRef.current;
    if (!clock) return;
    clock.seek(frame);
    setNow(clock.tick());
  }, []);
  const step = useCallback(
    (delta: number) => {
      const clock = clockRef.current;
      if (clock) seek(stepFrame(timeline, clock.frame(), delta));
    },
    [seek, timeline],
  );
  const toggle = useCallback(() => {
    const clock = clockRef.current;
    if (!clock) return;
    clock.toggle();
    intent.current.playing = clock.playing;
    setNow(clock.tick());
  }, []);
  const toggleLoop = useCallback(() => {
    const clock = clockRef.current;
    if (!clock) return;
    clock.loop = !clock.loop;
    intent.current.loop = clock.loop;
    setLoop(clock.loop);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      let handled = true;
      if (e.key === ' ' || e.key === 'k' || e.key === 'K') toggle();
      else if (e.key === 'ArrowRight') step(1);
      else if (e.key === 'ArrowLeft') step(-1);
      else if (e.key === 'Home') seek(0);
      else if (e.key === 'End') seek(shotStartFrame(timeline, flat.length - 1));
      else if (e.key === 'l' || e.key === 'L') toggleLoop();
      else if (e.key === 'Escape') exit();
      else handled = false;
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [toggle, step, seek, toggleLoop, exit, timeline, flat.length]);

  // ---- the controls fade while playing and the pointer rests
  useEffect(() => {
    if (!now?.playing) {
      setIdle(false);
      return;
    }
    let timer = setTimeout(() => setIdle(true), IDLE_HIDE_MS);
    const wake = () => {
      setIdle(false);
      clearTimeout(timer);
      timer = setTimeout(() => setIdle(true), IDLE_HIDE_MS);
    };
    window.addEventListener('pointermove', wake);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointermove', wake);
    };
  }, [now?.playing]);

  const current = now && flat[now.index] ? flat[now.index] : null;
  const next = now && flat[now.index + 1] ? flat[now.index + 1] : null;
  const caption = current ? captionOf(current.shot, current.scene) : null;

  // keep the next picture warm so the cut is instant
  const nextUrl = next ? pictureOf(bridge, projectId, next.shot, next.scene.number, takesById).url : null;
  useEffect(() => {
    if (!nextUrl) return;
    const img = new Image();
    img.src = nextUrl;
  }, [nextUrl]);

  const aspect = snapshot.settings.widthPx / snapshot.settings.heightPx;
  return (
    <div
      ref={rootRef}
      className={`presentation${idle ? ' is-idle' : ''}`}
      role="dialog"
      aria-modal="true"
      aria-label="Presentation"
      tabIndex={-1}
      onDoubleClick={() => {
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
        else void rootRef.current?.requestFullscreen?.().catch(() => undefined);
      }}
    >
      {musicUrl ? <audio ref={audioRef} src={musicUrl} preload="auto" /> : null}
      <div className="presentation-stage" onClick={toggle}>
        {current ? (
          <div className="presentation-frame" style={{ aspectRatio: String(aspect) }}>
            <ShotPicture bridge={bridge} projectId={projectId} shot={current.shot} sceneNumber={current.scene.number} takesById={takesById} videoRef={videoRef} />
          </div>
        ) : (
          <div className="presentation-empty">The timeline has no shots to present. Press Esc to go back.</div>
        )}
      </div>

      {caption ? (
        <div className="presentation-caption" aria-live="polite">
          <span className="presentation-shot">{caption.shotNumber}</span>
          <span className="presentation-sep">·</span>
          <span className="presentation-heading">{caption.sceneHeading}</span>
          {caption.dialogue.length > 0 ? (
            <>
              <span className="presentation-sep">·</span>
              <span className="presentation-dialogue">
                {caption.dialogue.map((line, i) => (
                  <span key={i} className="presentation-line">
                    {line}
                  </span>
                ))}
              </span>
            </>
          ) : null}
        </div>
      ) : null}

      {now && flat.length > 0 ? (
        <div className="presentation-controls" onMouseDown={(e) => e.preventDefault() /* keep focus on the overlay for Space */}>
          <button type="button" className="pres-button" tabIndex={-1} onClick={() => step(-1)} aria-label="Previous shot" title="Previous shot (←)">
            <StepIcon back />
          </button>
          <button type="button" className="pres-button pres-play" tabIndex={-1} onClick={toggle} aria-label={now.playing ? 'Pause' : 'Play'} title={now.playing ? 'Pause (Space)' : 'Play (Space)'}>
            {now.playing ? <PauseIcon /> : <PlayIcon />}
          </button>
          <button type="button" className="pres-button" tabIndex={-1} onClick={() => step(1)} aria-label="Next shot" title="Next shot (→)">
            <StepIcon />
          </button>
          <span className="pres-time tabular">
            {formatTimecode(Math.floor(Math.min(now.frame, timeline.totalFrames)), rate)}
            <span className="pres-time-total"> / {formatTimecode(timeline.totalFrames, rate)}</span>
          </span>
          <ScrubBar flat={flat} timeline={timeline} frame={now.frame} onSeek={seek} />
          <span className="pres-count tabular" title={`Shot ${flat[now.index].shot.number}, ${now.index + 1} of ${flat.length}`}>
            {now.index + 1} / {flat.length}
          </span>
          <button
            type="button"
            className={`pres-button pres-loop${loop ? ' is-on' : ''}`}
            tabIndex={-1}
            onClick={toggleLoop}
            aria-pressed={loop}
            aria-label="Loop"
            title="Loop (L)"
          >
            <LoopIcon />
          </button>
          {music ? (
            <span className={`pres-music${now.source === 'music' ? ' is-heard' : ''}`} title={now.source === 'music' ? 'The music drives the clock here' : 'No music at this point of the timeline'}>
              ♪ {music.originalName}
            </span>
          ) : null}
          <button type="button" className="pres-button pres-exit" tabIndex={-1} onClick={exit} title="Leave the presentation (Esc)">
            Exit <kbd>Esc</kbd>
          </button>
        </div>
      ) : (
        <div className="presentation-controls">
          <button type="button" className="pres-button pres-exit" onClick={exit}>
            Exit <kbd>Esc</kbd>
          </button>
        </div>
      )}
    </div>
  );
}

/** Keeps a shot's clip in step with the clock: seeked to the offset within the shot, playing (muted) while the clock plays. */
function syncVideo(video: HTMLVideoElement | null, t: ClockTick, rate: ProjectSnapshot['settings']['frameRate']): void {
  if (!video || video.readyState < 1) return;
  const want = t.offsetFrames / framesPerSecond(rate);
  const duration = Number.isFinite(video.duration) ? video.duration : Infinity;
  if (want >= duration) {
    // the shot outlasts its clip: hold the last frame
    if (!video.paused) video.pause();
    return;
  }
  if (Math.abs(video.currentTime - want) > (t.playing ? 0.25 : 0.02)) video.currentTime = want;
  if (t.playing && video.paused) void video.play().catch(() => undefined);
  else if (!t.playing && !video.paused) video.pause();
}

/** What a shot shows: its selected take's clip, else its picture (the take's image, or the placeholder card). */
function pictureOf(bridge: Bridge, projectId: string, shot: Shot, sceneNumber: string, takesById: ReadonlyMap<string, Take>): { kind: 'image' | 'video'; url: string } {
  const take = shot.selectedTakeId ? takesById.get(shot.selectedTakeId) : undefined;
  if (take && take.kind === 'video') return { kind: 'video', url: bridge.mediaUrl(projectId, take.path, take.contentHash.slice(0, 12)) };
  return { kind: 'image', url: shotViewerUrl(bridge, projectId, shot, sceneNumber, takesById) };
}

const ShotPicture = memo(function ShotPicture(props: {
  bridge: Bridge;
  projectId: string;
  shot: Shot;
  sceneNumber: string;
  takesById: ReadonlyMap<string, Take>;
  videoRef: RefObject<HTMLVideoElement | null>;
}) {
  const pic = pictureOf(props.bridge, props.projectId, props.shot, props.sceneNumber, props.takesById);
  if (pic.kind === 'video') return <video key={pic.url} ref={props.videoRef} src={pic.url} muted playsInline preload="auto" aria-label={`Shot ${props.shot.number}`} />;
  return <img key={pic.url} src={pic.url} alt={`Shot ${props.shot.number}`} draggable={false} />;
});

/** The scrub bar: a tick per shot (taller where a scene starts), the played part, and seeking by click or drag. */
function ScrubBar(props: { flat: ReadonlyArray<{ shot: Shot; firstInScene: boolean }>; timeline: ShotTimeline; frame: number; onSeek(frame: number): void }) {
  const { flat, timeline } = props;
  const { startFrames, totalFrames } = timeline;
  const barRef = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ x: number; label: string } | null>(null);
  const ticks = useMemo(() => {
    let shotPath = '';
    let scenePath = '';
    for (let i = 1; i < flat.length; i++) {
      const x = startFrames[i];
      if (flat[i].firstInScene) scenePath += `M${x} 0V10`;
      else shotPath += `M${x} 3V7`;
    }
    return { shotPath, scenePath };
  }, [flat, startFrames]);

  const frameAt = (clientX: number) => {
    const r = barRef.current!.getBoundingClientRect();
    return frameAtFraction(timeline, (clientX - r.left) / r.width);
  };
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    props.onSeek(Math.min(frameAt(e.clientX), totalFrames - 1e-6));
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const f = Math.min(frameAt(e.clientX), totalFrames - 1e-6);
    const r = barRef.current!.getBoundingClientRect();
    setHover({ x: e.clientX - r.left, label: flat[shotAt(timeline, f).index]?.shot.number ?? '' });
    if (e.currentTarget.hasPointerCapture(e.pointerId)) props.onSeek(f);
  };
  const played = totalFrames > 0 ? Math.min(1, props.frame / totalFrames) : 0;
  return (
    <div
      ref={barRef}
      className="pres-scrub"
      role="slider"
      aria-label="Position"
      aria-valuemin={0}
      aria-valuemax={totalFrames}
      aria-valuenow={Math.floor(Math.min(props.frame, totalFrames))}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerLeave={() => setHover(null)}
    >
      <div className="pres-scrub-track">
        <div className="pres-scrub-played" style={{ width: `${played * 100}%` }} />
      </div>
      <svg className="pres-scrub-ticks" viewBox={`0 0 ${Math.max(1, totalFrames)} 10`} preserveAspectRatio="none" aria-hidden="true">
        <path d={ticks.shotPath} className="pres-tick" vectorEffect="non-scaling-stroke" />
        <path d={ticks.scenePath} className="pres-tick-scene" vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="pres-scrub-head" style={{ left: `${played * 100}%` }} />
      {hover ? (
        <div className="pres-scrub-label" style={{ left: hover.x }}>
          {hover.label}
        </div>
      ) : null}
    </div>
  );
}

function PlayIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
      <path d="M5 3.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}
function PauseIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
      <path d="M5 3.5h3v11H5zM10 3.5h3v11h-3z" fill="currentColor" />
    </svg>
  );
}
function StepIcon({ back }: { back?: boolean }) {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" style={back ? { transform: 'scaleX(-1)' } : undefined}>
      <path d="M3.5 3v10l7-5z" fill="currentColor" />
      <path d="M12 3v10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}
function LoopIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M3 7.5V6a2 2 0 0 1 2-2h7.5M10.5 2l2 2-2 2" />
      <path d="M13 8.5V10a2 2 0 0 1-2 2H3.5M5.5 14l-2-2 2-2" />
    </svg>
  );
}
