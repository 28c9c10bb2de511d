/**
 * Take compare: a full-window overlay over the workspace for choosing between the takes of one shot. "Flip" shows
 * one take large (←/→ flip through them); "Side by side" shows 2 or 4 at once. Under the pictures, the focused
 * take's number, seed, source, size, star/reject state and prompt, and its actions: Enter or S make it the shot's
 * selected take, F stars, X rejects, Delete moves it to the project's trash (an Undo toast restores it; nothing is
 * deleted for real), V opens the variations popover (take.vary). Esc closes. The trash panel (TrashPanel.tsx) opens
 * from its bar.
 *
 * Opened from the inspector's "Compare" button or the T key on the timeline ({@link TakeCompareHost} listens).
 * While open, the overlay owns the keyboard: keys do not reach the timeline under it.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { CloseIcon } from '../../components/Dialog';
import { TrashIcon } from '../../components/icons';
import { useProject, useProjectActions } from '../../data/project';
import { useUi } from '../../state/ui';
import { useGenerateDialog } from '../generate/store';
import { usePresentation } from '../presentation/store';
import { useWorkspaceNav } from '../queue/nav';
import { takePicture } from '../timeline/media';
import {
  COMPARE_MODES,
  clampIndex,
  compareKeyAction,
  findShot,
  indexAfterRemoval,
  shotTakes,
  stepIndex,
  takeFacts,
  takesPerView,
  visibleWindow,
  type CompareAction,
} from './compareModel';
import { takesLabel, useTakeActions, useTrash } from './data';
import { FlipIcon, RejectIcon, SelectIcon, StarIcon, VariationsIcon } from './icons';
import { useTakeCompare } from './store';
import { TrashPanel } from './TrashPanel';
import { VaryPopover } from './VaryPopover';
import './takes.css';

/**
 * Mounts take compare and the trash panel for a project's workspace, and the T key that opens compare for the
 * focused shot of the timeline (ignored while typing, while a dialog is open and outside the Timeline view).
 */
export function TakeCompareHost({ projectId }: { projectId: string }) {
  const open = useTakeCompare((s) => s.open);
  const trashOpen = useTakeCompare((s) => s.trashOpen);
  const project = useProject(projectId);
  const snapshot = project.data;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 't' && e.key !== 'T') return;
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (useTakeCompare.getState().open || useTakeCompare.getState().trashOpen) return;
      if (useWorkspaceNav.getState().view !== 'timeline' || useUi.getState().dialog || useGenerateDialog.getState().open || usePresentation.getState().open) return;
      const sel = useUi.getState().selection;
      const shotId = sel.focusId ?? sel.ids[0] ?? null;
      if (!shotId) return;
      e.preventDefault();
      useTakeCompare.getState().openCompare(shotId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // compare closes when the project goes away under it
  useEffect(() => () => useTakeCompare.getState().close(), [projectId]);

  return (
    <>
      {open && snapshot ? <TakeCompare projectId={projectId} snapshot={snapshot} /> : null}
      {trashOpen ? <TrashPanel projectId={projectId} snapshot={snapshot} /> : null}
    </>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** The overlay for the shot in the compare store. */
function TakeCompare({ projectId, snapshot }: { projectId: string; snapshot: ProjectSnapshot }) {
  const bridge = useBridge();
  const shotId = useTakeCompare((s) => s.shotId);
  const focusId = useTakeCompare((s) => s.takeId);
  const mode = useTakeCompare((s) => s.mode);
  const varyOpen = useTakeCompare((s) => s.varyOpen);
  const projectActions = useProjectActions(projectId);
  const takeActions = useTakeActions(projectId);
  const trash = useTrash(projectId);
  const rootRef = useRef<HTMLDivElement>(null);

  const found = findShot(snapshot, shotId);
  const shot = found?.shot ?? null;
  const takes = useMemo(() => (shot ? shotTakes(snapshot, shot.id) : []), [snapshot, shot]);
  const numbers = useMemo(() => new Map(takes.map((t, i) => [t.id, i + 1])), [takes]);
  const selectedId = shot?.selectedTakeId ?? null;
  const wanted = focusId ?? selectedId;
  const index = clampIndex(Math.max(0, takes.findIndex((t) => t.id === wanted)), takes.length);
  const focused: Take | null = takes[index] ?? null;

  // the overlay holds the focus, so keys land here and not on the timeline below
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    rootRef.current?.focus();
    return () => previous?.focus?.();
  }, []);

  // the store remembers the focused take by id: keep it pointing at a take that is there
  useEffect(() => {
    if (focused && focused.id !== focusId) useTakeCompare.getState().focusTake(focused.id);
  }, [focused, focusId]);

  /** Does what a key or a button asks, on the takes of this render. */
  const act = (action: CompareAction) => {
    const store = useTakeCompare.getState();
    switch (action.kind) {
      case 'close':
        return store.close();
      case 'step':
        return takes.length ? store.focusTake(takes[stepIndex(index, action.delta, takes.length)].id) : undefined;
      case 'first':
        return takes.length ? store.focusTake(takes[0].id) : undefined;
      case 'last':
        return takes.length ? store.focusTake(takes[takes.length - 1].id) : undefined;
      case 'mode':
        return store.setMode(action.mode);
      case 'undo':
        return void projectActions.undo();
      case 'redo':
        return void projectActions.redo();
      default:
        break;
    }
    if (!focused || !shot) return;
    if (action.kind === 'select') {
      if (shot.selectedTakeId !== focused.id) void projectActions.selectTake(focused.id);
    } else if (action.kind === 'star') {
      void takeActions.star(focused.id, !focused.starred);
    } else if (action.kind === 'reject') {
      void takeActions.reject(focused.id, !focused.rejected);
    } else if (action.kind === 'trash') {
      // the focus moves on to the next take (the one before at the end) before the take leaves
      const next = takes.filter((t) => t.id !== focused.id)[indexAfterRemoval(index, takes.length)] ?? null;
      store.focusTake(next?.id ?? null);
      void takeActions.trash([focused.id], `${takesLabel([focused], numbers, shot.number)} moved to the trash`);
    } else if (action.kind === 'vary') {
      store.setVaryOpen(true);
    }
  };
  const actRef = useRef(act);
  actRef.current = act;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const store = useTakeCompare.getState();
      // the variations popover and the trash panel (a dialog) have their own keys
      if (store.varyOpen || store.trashOpen) return;
      const target = e.target as HTMLElement | null;
      const onControl = !!target && target !== rootRef.current && (target.tagName === 'BUTTON' || isTyping(target));
      if (onControl && (e.key === 'Enter' || e.key === ' ')) {
        e.stopPropagation();
        return;
      }
      if (e.key === 'Tab') return;
      const action = compareKeyAction(e, store.mode);
      // keys never reach the timeline under the overlay
      e.stopPropagation();
      if (!action) return;
      e.preventDefault();
      actRef.current(action);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const perView = takesPerView(mode);
  const win = visibleWindow(index, perView, takes.length);
  const shown = takes.slice(win.start, win.start + win.length);
  const facts = focused ? takeFacts(focused, index, selectedId) : null;
  const store = useTakeCompare.getState;
  const trashCount = trash.data?.length ?? 0;

  const fullUrl = (t: Take) => (t.kind === 'image' ? bridge.mediaUrl(projectId, t.path, t.contentHash.slice(0, 12)) : null);
  const thumbUrl = (t: Take) => {
    const pic = takePicture(t);
    return pic ? bridge.mediaUrl(projectId, pic.relPath, pic.version) : null;
  };
  const picture = (t: Take, large: boolean): ReactNode => {
    if (t.kind === 'video') return <video src={bridge.mediaUrl(projectId, t.path, t.contentHash.slice(0, 12))} poster={thumbUrl(t) ?? undefined} controls={large} muted loop playsInline />;
    const url = (large ? fullUrl(t) : null) ?? thumbUrl(t);
    return url ? <img src={url} alt="" draggable={false} /> : null;
  };

  return (
    <div
      ref={rootRef}
      className="compare"
      role="dialog"
      aria-modal="true"
      aria-label={`Compare takes of shot ${shot?.number ?? ''}`}
      tabIndex={-1}
      // a click anywhere keeps the keyboard here (buttons do not take the focus from the overlay)
      onMouseDown={(e) => {
        if ((e.target as HTMLElement).closest('button')) e.preventDefault();
      }}
    >
      <header className="compare-bar">
        <div className="compare-title">
          <span className="compare-kicker">Compare takes</span>
          <span className="compare-shot">Shot {shot?.number ?? '—'}</span>
          {takes.length ? (
            <span className="compare-count tabular" data-testid="compare-position">
              Take {index + 1} of {takes.length}
            </span>
          ) : null}
          {found ? <span className="compare-scene">{snapshotSceneHeading(snapshot, found.shot.sceneId)}</span> : null}
        </div>
        <div className="segmented compare-modes" role="radiogroup" aria-label="Compare mode">
          {COMPARE_MODES.map((m) => (
            <button
              key={m.id}
              type="button"
              role="radio"
              aria-checked={mode === m.id}
              className={mode === m.id ? 'is-on' : undefined}
              title={`${m.label} (${m.key})`}
              onClick={() => store().setMode(m.id)}
            >
              <ModeGlyph mode={m.id} /> {m.label}
            </button>
          ))}
        </div>
        <div className="compare-bar-actions">
          <button
            type="button"
            className="button button-ghost"
            onClick={() => store().setTrashOpen(true)}
            aria-label={`Open the trash${trashCount ? ` (${trashCount} take${trashCount === 1 ? '' : 's'})` : ''}`}
            title="The project's trash: restore takes, or empty it"
          >
            <TrashIcon /> Trash{trashCount ? <span className="compare-trash-count">{trashCount}</span> : null}
          </button>
          <button type="button" className="icon-button compare-close" aria-label="Close compare" title="Close (Esc)" onClick={() => store().close()}>
            <CloseIcon />
          </button>
        </div>
      </header>

      {!shot || takes.length === 0 ? (
        <div className="compare-empty">
          <p>{shot ? `Shot ${shot.number} has no takes to compare.` : 'That shot is no longer on the timeline.'}</p>
          <p className="muted">Import or generate takes, or restore some from the trash.</p>
          <div className="empty-actions">
            <button type="button" className="button" onClick={() => store().setTrashOpen(true)}>
              Open the trash
            </button>
            <button type="button" className="button button-primary" onClick={() => store().close()}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <>
          <main className={`compare-stage is-${mode}`}>
            {mode === 'flip' && takes.length > 1 ? (
              <button type="button" className="compare-flip is-prev" aria-label="Previous take (←)" title="Previous take (←)" onClick={() => act({ kind: 'step', delta: -1 })}>
                <FlipIcon direction="left" />
              </button>
            ) : null}
            <div className={`compare-grid n-${shown.length}`}>
              {shown.map((t) => {
                const f = takeFacts(t, numbers.get(t.id)! - 1, selectedId);
                const isFocus = t.id === focused?.id;
                return (
                  <figure
                    key={t.id}
                    className={`compare-tile${isFocus && mode !== 'flip' ? ' is-focus' : ''}${f.rejected ? ' is-rejected' : ''}`}
                    data-take-id={t.id}
                    aria-current={isFocus ? 'true' : undefined}
                    onClick={() => store().focusTake(t.id)}
                    onDoubleClick={() => {
                      store().focusTake(t.id);
                      if (selectedId !== t.id) void projectActions.selectTake(t.id);
                    }}
                  >
                    <div className="compare-picture">{picture(t, true)}</div>
                    <figcaption className="compare-tile-caption">
                      <span className="compare-take-number">Take {f.number}</span>
                      <TakeBadges selected={f.selected} starred={f.starred} rejected={f.rejected} />
                      {mode !== 'flip' && f.seed !== null ? <span className="compare-tile-seed tabular">seed {f.seed}</span> : null}
                    </figcaption>
                  </figure>
                );
              })}
            </div>
            {mode === 'flip' && takes.length > 1 ? (
              <button type="button" className="compare-flip is-next" aria-label="Next take (→)" title="Next take (→)" onClick={() => act({ kind: 'step', delta: 1 })}>
                <FlipIcon direction="right" />
              </button>
            ) : null}
          </main>

          <div className="compare-strip" role="listbox" aria-label="Takes of the shot" aria-orientation="horizontal">
            {takes.map((t, i) => {
              const on = t.id === focused?.id;
              const inView = i >= win.start && i < win.start + win.length;
              return (
                <button
                  key={t.id}
                  type="button"
                  role="option"
                  aria-selected={on}
                  aria-label={`Take ${i + 1}${t.id === selectedId ? ', selected' : ''}${t.starred ? ', starred' : ''}${t.rejected ? ', rejected' : ''}`}
                  className={`compare-thumb${on ? ' is-focus' : inView ? ' is-shown' : ''}${t.rejected ? ' is-rejected' : ''}${t.id === selectedId ? ' is-selected' : ''}`}
                  onClick={() => store().focusTake(t.id)}
                >
                  {picture(t, false) ?? <span className="compare-thumb-clip">clip</span>}
                  <span className="compare-thumb-number">{i + 1}</span>
                  {t.starred ? (
                    <span className="compare-thumb-star">
                      <StarIcon filled size={11} />
                    </span>
                  ) : null}
                </button>
              );
            })}
          </div>

          {focused && facts ? (
            <footer className="compare-info" data-testid="compare-info">
              <div className="compare-facts">
                <div className="compare-facts-head">
                  <span className="compare-facts-title">Take {facts.number}</span>
                  <TakeBadges selected={facts.selected} starred={facts.starred} rejected={facts.rejected} />
                  {facts.variation ? <span className="take-badge">Variation · {facts.variation}</span> : null}
                </div>
                <dl className="compare-facts-list">
                  <div>
                    <dt>Seed</dt>
                    <dd className="tabular">{facts.seed ?? '—'}</dd>
                  </div>
                  <div>
                    <dt>Source</dt>
                    <dd>{facts.sourceLabel}</dd>
                  </div>
                  <div>
                    <dt>Size</dt>
                    <dd className="tabular">{facts.sizeLabel}</dd>
                  </div>
                </dl>
                <p className={`compare-prompt${facts.prompt ? '' : ' is-empty'}`} title={facts.prompt || undefined}>
                  {facts.prompt || 'No prompt: this take was not generated.'}
                </p>
              </div>
              <div className="compare-actions">
                <ActionButton
                  label={facts.selected ? 'Selected' : 'Make selected'}
                  keys={['⏎', 'S']}
                  primary={!facts.selected}
                  disabled={facts.selected}
                  onClick={() => act({ kind: 'select' })}
                >
                  <SelectIcon />
                </ActionButton>
                <ActionButton
                  label={facts.starred ? 'Starred' : 'Star'}
                  keys={['F']}
                  pressed={facts.starred}
                  className="is-star"
                  onClick={() => act({ kind: 'star' })}
                >
                  <StarIcon filled={facts.starred} />
                </ActionButton>
                <ActionButton
                  label={facts.rejected ? 'Rejected' : 'Reject'}
                  keys={['X']}
                  pressed={facts.rejected}
                  className="is-reject"
                  onClick={() => act({ kind: 'reject' })}
                >
                  <RejectIcon />
                </ActionButton>
                <div className="compare-vary-anchor">
                  <ActionButton label="Variations…" keys={['V']} pressed={varyOpen} onClick={() => store().setVaryOpen(!varyOpen)}>
                    <VariationsIcon />
                  </ActionButton>
                  {varyOpen && shot ? <VaryPopover take={focused} shotNumber={shot.number} actions={takeActions} onClose={() => store().setVaryOpen(false)} /> : null}
                </div>
                <ActionButton label="Trash" ariaLabel="Move the take to the trash" keys={['Del']} className="is-trash" onClick={() => act({ kind: 'trash' })}>
                  <TrashIcon />
                </ActionButton>
              </div>
            </footer>
          ) : null}
        </>
      )}
    </div>
  );
}

function snapshotSceneHeading(snapshot: ProjectSnapshot, sceneId: string): string {
  const scene = snapshot.scenes.find((s) => s.id === sceneId);
  return scene ? `${scene.number} · ${scene.heading}` : '';
}

/** The Selected, Starred and Rejected badges of a take (nothing for a plain take). */
export function TakeBadges(p: { selected: boolean; starred: boolean; rejected: boolean }) {
  return (
    <span className="take-badges">
      {p.selected ? <span className="take-badge is-selected">Selected</span> : null}
      {p.starred ? (
        <span className="take-badge is-starred">
          <StarIcon filled size={11} /> Starred
        </span>
      ) : null}
      {p.rejected ? <span className="take-badge is-rejected">Rejected</span> : null}
    </span>
  );
}

function ActionButton(p: {
  label: string;
  /** The accessible name when the label alone is ambiguous. */
  ariaLabel?: string;
  keys: string[];
  onClick(): void;
  children: ReactNode;
  primary?: boolean;
  pressed?: boolean;
  disabled?: boolean;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={`compare-action${p.primary ? ' is-primary' : ''}${p.pressed ? ' is-pressed' : ''}${p.className ? ` ${p.className}` : ''}`}
      aria-pressed={p.pressed}
      aria-label={p.ariaLabel}
      disabled={p.disabled}
      title={`${p.label} (${p.keys.join(' or ')})`}
      onClick={p.onClick}
    >
      {p.children}
      <span className="compare-action-label">{p.label}</span>
      <span className="compare-action-keys">
        {p.keys.map((k) => (
          <kbd key={k}>{k}</kbd>
        ))}
      </span>
    </button>
  );
}

function ModeGlyph({ mode }: { mode: string }) {
  const cells = mode === 'flip' ? [[2, 3, 12, 10]] : mode === 'side-2' ? [[1.5, 3.5, 6, 9], [8.5, 3.5, 6, 9]] : [[1.5, 2, 6, 5.5], [8.5, 2, 6, 5.5], [1.5, 8.5, 6, 5.5], [8.5, 8.5, 6, 5.5]];
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" aria-hidden="true">
      {cells.map(([x, y, w, h], i) => (
        <rect key={i} x={x} y={y} width={w} height={h} rx="1" />
      ))}
    </svg>
  );
}
