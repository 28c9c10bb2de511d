/**
 * A project's workspace: the top bar (with Present), the viewer, the timeline and its music lane, the shot
 * inspector, the Import script and Export views, presentation mode, and the keyboard shortcuts of the timeline.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import type { UiCommand } from '../../bridge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { COMMAND_EVENT } from '../../lib/commands';
import { useProject, useProjectActions, useProjectEvents, useUndoState, type ProjectActions } from '../../data/project';
import { keyboardMoveTarget, shotOrder } from '../../data/snapshotEdits';
import { moveFocus, reconcileSelection, selectAll, EMPTY_SELECTION } from '../../state/selection';
import { useUi } from '../../state/ui';
import { ImportScriptDialog } from '../dialogs/ImportScriptDialog';
import { SaveAsDialog } from '../dialogs/SaveAsDialog';
import { SettingsDialog } from '../dialogs/SettingsDialog';
import { ExportView } from '../export/ExportView';
import { openGenerate } from '../generate/store';
import { GenerateIcon } from '../../components/icons';
import { Inspector } from '../inspector/Inspector';
import { Presentation } from '../presentation/Presentation';
import { usePresentation } from '../presentation/store';
import { Timeline } from './Timeline';
import { TopBar } from './TopBar';
import { Viewer } from './Viewer';
import { WaveformLane } from './WaveformLane';

/** The workspace of one open project (`projectId` from project.open/create). */
export function TimelineScreen({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  const undo = useUndoState(projectId);
  const actions = useProjectActions(projectId);
  useProjectEvents(projectId);
  const dialog = useUi((s) => s.dialog);
  const setDialog = useUi((s) => s.setDialog);
  const presenting = usePresentation((s) => s.open);
  const snapshot = project.data;

  // keep the selection valid as the timeline changes
  const order = useMemo(() => (snapshot ? shotOrder(snapshot) : []), [snapshot]);
  const opened = useRef(false);
  useEffect(() => {
    const ui = useUi.getState();
    if (!opened.current && order.length > 0) {
      // on opening, show the first shot so the viewer and inspector have something to say
      opened.current = true;
      if (ui.selection.ids.length === 0) return ui.setSelection({ ids: [order[0]], anchorId: order[0], focusId: order[0] });
    }
    const next = reconcileSelection(ui.selection, order);
    if (next !== ui.selection) ui.setSelection(next);
  }, [order]);

  useEffect(() => {
    if (snapshot) document.title = `${snapshot.settings.name} · StoryCanvas`;
  }, [snapshot?.settings.name]); // eslint-disable-line react-hooks/exhaustive-deps

  const addShot = async () => {
    if (!snapshot) return;
    const after = findAfter(snapshot);
    let sceneId: string | null = after?.sceneId ?? snapshot.scenes[snapshot.scenes.length - 1]?.id ?? null;
    if (!sceneId) sceneId = await actions.createScene(null);
    if (!sceneId) return;
    const shotId = await actions.createShot(sceneId, after?.shotId ?? null);
    if (shotId) useUi.getState().setSelection({ ids: [shotId], anchorId: shotId, focusId: shotId });
  };
  const addScene = async () => {
    if (!snapshot) return;
    const after = findAfter(snapshot);
    const sceneId = await actions.createScene(after?.sceneId ?? snapshot.scenes[snapshot.scenes.length - 1]?.id ?? null);
    if (sceneId) useUi.getState().setSelection(EMPTY_SELECTION);
  };

  useTimelineKeys(snapshot, order, actions, addShot);

  // files dropped anywhere else must not make the browser navigate away
  useEffect(() => {
    const stop = (e: DragEvent) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault();
    };
    const clear = () => useUi.getState().setFileDropShotId(null);
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    window.addEventListener('dragend', clear);
    window.addEventListener('drop', clear);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
      window.removeEventListener('dragend', clear);
      window.removeEventListener('drop', clear);
    };
  }, []);

  return (
    <div className="workspace">
      <div className="workspace-top">
        <TopBar
          snapshot={snapshot}
          undo={undo.data}
          onUndo={() => void actions.undo()}
          onRedo={() => void actions.redo()}
          onAddShot={() => void addShot()}
          onAddScene={() => void addScene()}
          answered={project.isSuccess}
        />
        <button
          className="button button-primary button-generate"
          onClick={() => openGenerate({ shotIds: useUi.getState().selection.ids, focusId: useUi.getState().selection.focusId })}
          disabled={!snapshot}
          title="Generate takes of the selected shots on the ComfyUI servers (G)"
        >
          <GenerateIcon /> Generate
        </button>
        <button className="button button-present" onClick={startPresentation} disabled={!snapshot} title="Play the timeline full screen with its music (P)">
          <PresentIcon /> Present
        </button>
      </div>
      <main className="workspace-main">
        {project.error ? (
          <div className="workspace-error">
            <ErrorNotice error={project.error} title="Could not load the project" />
            <button className="button" onClick={() => useUi.getState().setScreen({ kind: 'projects' })}>
              Back to projects
            </button>
          </div>
        ) : !snapshot ? (
          <div className="boot">
            <span className="spinner" aria-hidden="true" /> Loading the timeline…
          </div>
        ) : (
          <>
            <Viewer projectId={projectId} snapshot={snapshot} onAddScene={() => void addScene()} />
            <Timeline projectId={projectId} snapshot={snapshot} actions={actions} />
            <WaveformLane projectId={projectId} snapshot={snapshot} />
          </>
        )}
      </main>
      {snapshot ? <Inspector snapshot={snapshot} actions={actions} projectId={projectId} /> : <aside className="inspector" />}
      <ImportScriptDialog projectId={projectId} open={dialog === 'import-script'} onOpenChange={(o) => setDialog(o ? 'import-script' : null)} />
      {snapshot ? <ExportView snapshot={snapshot} open={dialog === 'export'} onOpenChange={(o) => setDialog(o ? 'export' : null)} /> : null}
      {snapshot ? <SaveAsDialog snapshot={snapshot} open={dialog === 'save-as'} onOpenChange={(o) => setDialog(o ? 'save-as' : null)} /> : null}
      {snapshot ? <SettingsDialog snapshot={snapshot} open={dialog === 'settings'} onOpenChange={(o) => setDialog(o ? 'settings' : null)} /> : null}
      {snapshot && presenting ? (
        <Presentation
          projectId={projectId}
          snapshot={snapshot}
          startShotId={usePresentation.getState().startShotId}
          onExit={(shotId) => {
            usePresentation.getState().stop();
            if (shotId) useUi.getState().setSelection({ ids: [shotId], anchorId: shotId, focusId: shotId });
          }}
        />
      ) : null}
    </div>
  );
}

/** Opens presentation mode from the focused shot (the Present button, the P key). */
function startPresentation(): void {
  const sel = useUi.getState().selection;
  usePresentation.getState().start(sel.focusId ?? sel.ids[0] ?? null);
}

/** The Present button's icon (16 px): a screen with a play mark. */
function PresentIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" aria-hidden="true">
      <rect x="1.5" y="2.5" width="13" height="9" rx="1.5" />
      <path d="M6.5 5v4l3.5-2z" fill="currentColor" stroke="none" />
      <path d="M5.5 14h5" strokeLinecap="round" />
    </svg>
  );
}

/** Where "new shot" and "new scene" go: after the focused (or last selected) shot. */
function findAfter(snapshot: ProjectSnapshot): { sceneId: string; shotId: string } | null {
  const sel = useUi.getState().selection;
  const id = sel.focusId ?? sel.ids[sel.ids.length - 1];
  if (!id) return null;
  for (const scene of snapshot.scenes) if (scene.shots.some((s) => s.id === id)) return { sceneId: scene.id, shotId: id };
  return null;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/**
 * The timeline's keyboard: selection (←/→, Shift, Ctrl+A, Esc), moving shots (Alt+←/→ or Ctrl+Shift+←/→),
 * Delete, undo/redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y), [ and ] (half a second shorter/longer), N (new shot),
 * + and − (zoom), Ctrl+E (Export), P (Present), G (Generate takes of the selection).
 * Ignored while typing in a field, while a dialog is open, while a
 * shot is being dragged and while presenting (the presentation has its own keys).
 * Electron menu commands arrive as `storycanvas:command` window events and run the same actions.
 */
function useTimelineKeys(snapshot: ProjectSnapshot | undefined, order: string[], actions: ProjectActions, addShot: () => Promise<void>): void {
  const latest = useRef({ snapshot, order, actions, addShot });
  latest.current = { snapshot, order, actions, addShot };

  useEffect(() => {
    const run = (command: UiCommand | 'move-left' | 'move-right' | 'shorter' | 'longer') => {
      const { snapshot: snap, order: ord, actions: act } = latest.current;
      const ui = useUi.getState();
      const sel = ui.selection;
      switch (command) {
        case 'undo':
          return void act.undo();
        case 'redo':
          return void act.redo();
        case 'select-all':
          return ui.setSelection(selectAll(sel, ord));
        case 'delete': {
          if (sel.ids.length === 0) return;
          // the selection moves on to the shot after the deleted ones (or before them at the end)
          const gone = new Set(sel.ids);
          const last = Math.max(...sel.ids.map((id) => ord.indexOf(id)));
          const next = ord.slice(last + 1).find((id) => !gone.has(id)) ?? [...ord.slice(0, last)].reverse().find((id) => !gone.has(id));
          void act.deleteShots([...sel.ids]);
          ui.setSelection(next ? { ids: [next], anchorId: next, focusId: next } : EMPTY_SELECTION);
          return;
        }
        case 'new-shot':
          return void latest.current.addShot();
        case 'import-script':
          return ui.setDialog('import-script');
        case 'export':
          return ui.setDialog('export');
        case 'save-as':
          return ui.setDialog('save-as');
        case 'zoom-in':
          return ui.setPxPerSecond(ui.pxPerSecond * 1.4);
        case 'zoom-out':
          return ui.setPxPerSecond(ui.pxPerSecond / 1.4);
        case 'zoom-fit': {
          const el = document.querySelector('.timeline');
          const frames = snap ? snap.scenes.reduce((n, s) => n + s.shots.reduce((m, x) => m + x.durationFrames, 0), 0) : 0;
          if (el && snap && frames > 0) ui.setPxPerSecond(((el.clientWidth - 120) / frames) * (snap.settings.frameRate.num / snap.settings.frameRate.den));
          return;
        }
        case 'move-left':
        case 'move-right': {
          if (!snap) return;
          const t = keyboardMoveTarget(snap, sel.ids, command === 'move-left' ? -1 : 1);
          if (t) void act.moveShots([...sel.ids], t.sceneId, t.beforeShotId);
          return;
        }
        case 'shorter':
        case 'longer': {
          if (!snap || sel.ids.length === 0) return;
          const rate = snap.settings.frameRate;
          const step = Math.max(1, Math.round((0.5 * rate.num) / rate.den)) * (command === 'longer' ? 1 : -1);
          // one shot.update per resulting duration (shots of equal length change together)
          const byDuration = new Map<number, string[]>();
          const want = new Set(sel.ids);
          for (const scene of snap.scenes)
            for (const shot of scene.shots)
              if (want.has(shot.id)) {
                const d = Math.max(1, shot.durationFrames + step);
                if (d !== shot.durationFrames) byDuration.set(d, [...(byDuration.get(d) ?? []), shot.id]);
              }
          for (const [durationFrames, ids] of byDuration) void act.updateShots(ids, { durationFrames });
          return;
        }
        default:
          return;
      }
    };

    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      if (e.defaultPrevented || ui.dialog || usePresentation.getState().open || isTyping(e.target) || document.body.classList.contains('is-dragging')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key;
      const ord = latest.current.order;
      let handled = true;
      if (key === 'Escape') ui.setSelection(EMPTY_SELECTION);
      else if (mod && !e.shiftKey && (key === 'z' || key === 'Z')) run('undo');
      else if ((mod && e.shiftKey && (key === 'z' || key === 'Z')) || (mod && (key === 'y' || key === 'Y'))) run('redo');
      else if (mod && (key === 'a' || key === 'A')) run('select-all');
      else if (mod && !e.shiftKey && (key === 'e' || key === 'E')) run('export');
      else if ((key === 'p' || key === 'P') && !mod && !e.altKey) startPresentation();
      else if ((key === 'g' || key === 'G') && !mod && !e.altKey) openGenerate({ shotIds: ui.selection.ids, focusId: ui.selection.focusId });
      else if ((key === 'ArrowLeft' || key === 'ArrowRight') && (e.altKey || (mod && e.shiftKey))) run(key === 'ArrowLeft' ? 'move-left' : 'move-right');
      else if ((key === 'ArrowLeft' || key === 'ArrowRight') && !mod) ui.setSelection(moveFocus(ui.selection, ord, key === 'ArrowLeft' ? -1 : 1, e.shiftKey));
      else if (key === 'Home' && !mod) ui.setSelection(moveFocus(ui.selection, ord, -ord.length, e.shiftKey));
      else if (key === 'End' && !mod) ui.setSelection(moveFocus(ui.selection, ord, ord.length, e.shiftKey));
      else if ((key === 'Delete' || key === 'Backspace') && !mod) run('delete');
      else if (key === '[' && !mod) run('shorter');
      else if (key === ']' && !mod) run('longer');
      else if ((key === 'n' || key === 'N') && !mod && !e.altKey) run('new-shot');
      else if ((key === '+' || key === '=') && !mod) run('zoom-in');
      else if ((key === '-' || key === '_') && !mod) run('zoom-out');
      else if (key === '\\' && !mod) run('zoom-fit');
      else handled = false;
      if (handled) e.preventDefault();
    };
    const onCommand = (e: Event) => {
      if (usePresentation.getState().open) return;
      if (useUi.getState().dialog && (e as CustomEvent).detail !== 'undo') return;
      run((e as CustomEvent<UiCommand>).detail);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener(COMMAND_EVENT, onCommand);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(COMMAND_EVENT, onCommand);
    };
  }, []);
}
