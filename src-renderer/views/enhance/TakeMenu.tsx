/**
 * A take's Enhance menu in the inspector's takes list: right-click a take, or its "…" button. It offers what
 * `takeMenuActions` (enhanceModel.ts) allows for the take: "Upscale ×2" with the default model, "Upscale to
 * project resolution", "Interpolate to project frame rate" for clips, "Compare with source" for an enhanced
 * picture, and "Enhance…" (the dialog with every choice). The one-click entries queue at once
 * (`enhance.enqueue`, normal priority) and say so in a toast.
 *
 * The menu is a small ARIA menu (role `menu`/`menuitem`): the first entry takes the focus, ↑/↓/Home/End move,
 * Enter or Space runs, Esc or a click elsewhere closes and gives the focus back to the take.
 */
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Take } from '../../../src-preload/model';
import { useProject } from '../../data/project';
import { frameRateLabel } from '../projects/resolution';
import { useEnhanceActions, useEnhanceModels } from './data';
import { enlargement, formatSize, providerLabel, sourceOf, takeMenuActions, type TakeMenuAction } from './enhanceModel';
import { MoreIcon } from '../../components/icons';
import { openEnhance, useEnhanceUi } from './store';
import './enhance.css';

/** Props of TakeCell: the take, its place in the list, and the take's own button as children. */
export interface TakeCellProps {
  projectId: string;
  take: Take;
  /** 1-based position in the shot's takes, for labels (`Take 2`). */
  index: number;
  children: ReactNode;
}

/**
 * One take of the inspector's takes list with its Enhance menu: wraps the take's button, adds the "…" button, the
 * right-click menu, and a badge on enhanced takes (`×2`, with the source's size in its tooltip).
 */
export function TakeCell({ projectId, take, index, children }: TakeCellProps) {
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const moreRef = useRef<HTMLButtonElement>(null);
  const snapshot = useProject(projectId).data;
  const source = useMemo(() => (snapshot && typeof take.meta.enhancedFrom === 'string' ? (snapshot.takes.find((t) => t.id === take.meta.enhancedFrom) ?? null) : null), [snapshot, take]);
  const enhanced = typeof take.meta.enhancedFrom === 'string';

  return (
    <div
      className={`take-cell${menuAt ? ' is-menu-open' : ''}`}
      onContextMenu={(e) => {
        e.preventDefault();
        setMenuAt({ x: e.clientX, y: e.clientY });
      }}
    >
      {children}
      {enhanced ? (
        <span
          className={`take-enhanced${take.kind === 'video' ? ' is-clip' : ''}`}
          title={`Enhanced${source ? ` from ${formatSize(source.widthPx, source.heightPx)}` : ''}${typeof take.meta.modelId === 'string' ? ` with ${take.meta.modelId}` : ''}${typeof take.meta.provider === 'string' ? ` on ${providerLabel(take.meta.provider)}` : ''}`}
        >
          {enlargement(take, source)}
        </span>
      ) : null}
      <button
        ref={moreRef}
        type="button"
        className="take-more"
        aria-label={`Enhance take ${index}`}
        aria-haspopup="menu"
        aria-expanded={menuAt !== null}
        title="Enhance this take (or right-click it)"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setMenuAt({ x: r.left, y: r.bottom + 4 });
        }}
      >
        <MoreIcon />
      </button>
      {menuAt ? (
        <TakeMenu
          projectId={projectId}
          take={take}
          index={index}
          at={menuAt}
          onClose={(refocus) => {
            setMenuAt(null);
            if (refocus) moreRef.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

/** Props of TakeMenu. */
interface TakeMenuProps {
  projectId: string;
  take: Take;
  index: number;
  /** Where it opens (viewport pixels); it moves in to stay on screen. */
  at: { x: number; y: number };
  /** Closes it; `refocus` gives the focus back to the take's "…" button (Esc), not after a click elsewhere. */
  onClose(refocus: boolean): void;
}

/** The menu itself, in a portal over everything. */
function TakeMenu({ projectId, take, index, at, onClose }: TakeMenuProps) {
  const snapshot = useProject(projectId).data;
  const models = useEnhanceModels();
  const lastModel = useEnhanceUi((s) => s.lastModel);
  const actions = useEnhanceActions(projectId);
  const menuRef = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState(at);

  const items = useMemo<TakeMenuAction[]>(() => {
    if (!snapshot) return [];
    const byId = new Map(snapshot.takes.map((t) => [t.id, t]));
    return takeMenuActions(take, models.data ?? [], snapshot.settings, {
      preferredUpscaleId: lastModel.upscale,
      preferredInterpolateId: lastModel.interpolate,
      frameRateLabel: frameRateLabel(snapshot.settings.frameRate).split(' ')[0],
      hasSource: sourceOf(take, byId) !== null,
    });
  }, [snapshot, take, models.data, lastModel]);

  // stay inside the window
  useLayoutEffect(() => {
    const el = menuRef.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    const x = Math.max(8, Math.min(at.x, window.innerWidth - r.width - 8));
    const y = at.y + r.height + 8 > window.innerHeight ? Math.max(8, at.y - r.height - 4) : at.y;
    if (x !== pos.x || y !== pos.y) setPos({ x, y });
  }, [at, items.length]); // eslint-disable-line react-hooks/exhaustive-deps

  // the first usable entry takes the focus once the entries are known
  useEffect(() => {
    const first = menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]');
    first?.focus();
  }, [items.length]);

  // a click elsewhere, a scroll or the window losing focus closes it
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) onClose(false);
    };
    const onGone = () => onClose(false);
    document.addEventListener('pointerdown', onDown, true);
    window.addEventListener('blur', onGone);
    window.addEventListener('resize', onGone);
    return () => {
      document.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('blur', onGone);
      window.removeEventListener('resize', onGone);
    };
  }, [onClose]);

  const run = (a: TakeMenuAction) => {
    if (a.disabledReason) return;
    onClose(a.id === 'compare');
    if (a.id === 'dialog') {
      openEnhance({ target: { takeIds: [take.id] }, task: take.kind === 'video' ? 'interpolate' : 'upscale' });
    } else if (a.id === 'compare') {
      useEnhanceUi.getState().setCompare(true, take.id);
    } else if (a.request) {
      const task = a.id === 'interpolate' ? 'interpolate' : 'upscale';
      useEnhanceUi.getState().rememberModel(task, a.request.modelId);
      void actions.enqueueWithToast({ takeIds: [take.id], modelId: a.request.modelId, upscaleToProject: a.request.upscaleToProject, priority: 'normal' }, task === 'upscale' ? 'upscale' : 'interpolation');
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    // keys stay in the menu: the timeline's shortcuts listen on the window
    e.stopPropagation();
    const entries = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = entries.indexOf(document.activeElement as HTMLElement);
    const go = (k: number) => entries[(k + entries.length) % entries.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(entries.length - 1);
    else if (e.key === 'Escape') onClose(true);
    else if (e.key === 'Tab') onClose(false);
    else return;
    e.preventDefault();
  };

  return createPortal(
    <div
      ref={menuRef}
      className="take-menu"
      role="menu"
      aria-label={`Enhance take ${index}`}
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div className="take-menu-head" aria-hidden="true">
        Take {index} · {formatSize(take.widthPx, take.heightPx)}
        {take.kind === 'video' ? ' · clip' : ''}
      </div>
      {models.isPending ? (
        <div className="take-menu-note">
          <span className="spinner enhance-spinner" aria-hidden="true" /> Reading the models…
        </div>
      ) : null}
      {items.map((a) => (
        <Fragment key={a.id}>
          {a.id === 'dialog' || a.id === 'compare' ? <div className="take-menu-sep" role="separator" /> : null}
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="take-menu-item"
            aria-disabled={a.disabledReason ? true : undefined}
            title={a.disabledReason}
            onClick={() => run(a)}
          >
            <span className="take-menu-label">{a.label}</span>
            {a.detail ? <span className="take-menu-detail">{a.detail}</span> : null}
            {a.disabledReason ? <span className="take-menu-why">{a.disabledReason}</span> : null}
          </button>
        </Fragment>
      ))}
    </div>,
    document.body,
  );
}
