/**
 * The timeline's top bar: back to Projects, the project's name and format, undo/redo (their labels as
 * tooltips), add shot/scene, Import script, Export, the zoom slider and the connection indicator.
 */
import { useEffect, useState } from 'react';
import type { ProjectSnapshot, UndoState } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { BackIcon, ExportIcon, RedoIcon, ScenePlusIcon, ScriptIcon, ShotPlusIcon, UndoIcon, ZoomInIcon, ZoomOutIcon } from '../../components/icons';
import { Logo } from '../../components/Logo';
import { formatTimecode } from '../../lib/duration';
import { sliderToZoom, useUi, zoomToSlider } from '../../state/ui';
import { frameRateLabel } from '../projects/resolution';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

/** Props of TopBar: the project (undefined while loading), the undo state and the toolbar actions. */
export interface TopBarProps {
  snapshot: ProjectSnapshot | undefined;
  undo: UndoState | undefined;
  onUndo(): void;
  onRedo(): void;
  onAddShot(): void;
  onAddScene(): void;
  /** The connection looked healthy (a query succeeded) even if no state change was reported yet. */
  answered: boolean;
}

/** The bridge's connection state, as a hook. */
export function useConnectionState(): 'connecting' | 'open' | 'closed' {
  const bridge = useBridge();
  const [state, setState] = useState<'connecting' | 'open' | 'closed'>(bridge.shell === 'electron' ? 'open' : 'connecting');
  useEffect(() => bridge.onConnectionChange(setState), [bridge]);
  return state;
}

/** The workspace toolbar. */
export function TopBar(p: TopBarProps) {
  const setScreen = useUi((s) => s.setScreen);
  const setDialog = useUi((s) => s.setDialog);
  const pxPerSecond = useUi((s) => s.pxPerSecond);
  const setPx = useUi((s) => s.setPxPerSecond);
  const conn = useConnectionState();
  const shown = conn === 'connecting' && p.answered ? 'open' : conn;
  const s = p.snapshot;
  const totalFrames = s ? s.scenes.reduce((n, sc) => n + sc.shots.reduce((m, sh) => m + sh.durationFrames, 0), 0) : 0;
  const shotCount = s ? s.scenes.reduce((n, sc) => n + sc.shots.length, 0) : 0;

  return (
    <header className="topbar">
      <div className="topbar-group">
        <button className="icon-button" onClick={() => setScreen({ kind: 'projects' })} title="Back to projects" aria-label="Back to projects">
          <BackIcon />
        </button>
        <Logo size={22} />
        <div className="topbar-title">
          <div className="project-name" title={s?.path}>
            {s?.settings.name ?? 'Loading…'}
          </div>
          {s ? (
            <button type="button" className="project-format project-format-button" onClick={() => setDialog('settings')} title="Project settings: name, frame rate, resolution, default shot duration">
              {frameRateLabel(s.settings.frameRate)} fps · {s.settings.widthPx}×{s.settings.heightPx} · {plural(s.scenes.length, 'scene')} · {plural(shotCount, 'shot')} ·{' '}
              <span className="tabular">{formatTimecode(totalFrames, s.settings.frameRate)}</span>
            </button>
          ) : null}
        </div>
      </div>

      <div className="topbar-group">
        <button
          className="icon-button"
          onClick={p.onUndo}
          disabled={!p.undo?.canUndo}
          title={p.undo?.canUndo ? `Undo ${p.undo.undoLabel ?? ''} (${MOD}Z)` : 'Nothing to undo'}
          aria-label={p.undo?.canUndo ? `Undo ${p.undo.undoLabel ?? ''}` : 'Undo'}
        >
          <UndoIcon />
        </button>
        <button
          className="icon-button"
          onClick={p.onRedo}
          disabled={!p.undo?.canRedo}
          title={p.undo?.canRedo ? `Redo ${p.undo.redoLabel ?? ''} (${MOD}Shift+Z)` : 'Nothing to redo'}
          aria-label={p.undo?.canRedo ? `Redo ${p.undo.redoLabel ?? ''}` : 'Redo'}
        >
          <RedoIcon />
        </button>
        <span className="toolbar-sep" />
        <button className="button button-ghost" onClick={p.onAddShot} title="Add a shot after the selection (N)">
          <ShotPlusIcon /> Shot
        </button>
        <button className="button button-ghost" onClick={p.onAddScene} title="Add a scene after the selected shot's scene">
          <ScenePlusIcon /> Scene
        </button>
        <span className="toolbar-sep" />
        <button className="button button-ghost" onClick={() => setDialog('import-script')} title="Import a Fountain screenplay">
          <ScriptIcon /> Import script
        </button>
        <button className="button" onClick={() => setDialog('export')} title="Export the timeline for an editor">
          <ExportIcon /> Export
        </button>
      </div>

      <div className="topbar-group">
        <div className="zoom" title="Zoom (Ctrl+wheel on the timeline, + and −)">
          <button className="icon-button icon-button-small" onClick={() => setPx(pxPerSecond / 1.4)} aria-label="Zoom out">
            <ZoomOutIcon />
          </button>
          <input
            type="range"
            min={0}
            max={1000}
            value={Math.round(zoomToSlider(pxPerSecond) * 1000)}
            onChange={(e) => setPx(sliderToZoom(Number(e.target.value) / 1000))}
            aria-label="Zoom"
            aria-valuetext={`${Math.round(pxPerSecond)} pixels per second`}
          />
          <button className="icon-button icon-button-small" onClick={() => setPx(pxPerSecond * 1.4)} aria-label="Zoom in">
            <ZoomInIcon />
          </button>
        </div>
        <div className={`connection connection-${shown}`} role="status" title={connectionTitle(shown)}>
          <span className="connection-dot" aria-hidden="true" />
          {shown === 'open' ? 'Live' : shown === 'connecting' ? 'Connecting…' : 'Offline'}
        </div>
      </div>
    </header>
  );
}

function connectionTitle(state: 'connecting' | 'open' | 'closed'): string {
  if (state === 'open') return 'Connected to StoryCanvas: edits save as you make them.';
  if (state === 'connecting') return 'Connecting to StoryCanvas…';
  return 'The connection to StoryCanvas was lost. It reconnects by itself; check that `storycanvas serve` still runs.';
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}
