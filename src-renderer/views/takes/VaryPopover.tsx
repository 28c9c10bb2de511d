/**
 * The variations popover of take compare (the V key): new seeds with the same prompt, or the same seed with small
 * changes (image to image from the take up to a strength), and how many -> `take.vary`. Esc or a click outside
 * closes it; Enter queues.
 */
import { useEffect, useRef, useState } from 'react';
import type { Take } from '../../../src-preload/model';
import type { TakeActions } from './data';
import { DEFAULT_VARY_DRAFT, MAX_VARIATION_COUNT, MIN_VARIATION_STRENGTH, canVary, varyChoice, type VaryDraft } from './varyForm';

/** Props of VaryPopover. */
export interface VaryPopoverProps {
  take: Take;
  shotNumber: string;
  actions: TakeActions;
  onClose(): void;
}

/** A small form anchored above the Variations button. */
export function VaryPopover(p: VaryPopoverProps) {
  const [draft, setDraft] = useState<VaryDraft>(DEFAULT_VARY_DRAFT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLFormElement>(null);
  const allowed = canVary(p.take);
  const parsed = varyChoice(draft);
  const count = parsed.ok ? parsed.choice.count : null;
  const onClose = useRef(p.onClose);
  onClose.current = p.onClose;

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, button')?.focus();
    const outside = (e: MouseEvent) => {
      const t = e.target as Node;
      if (ref.current?.contains(t) || (t as HTMLElement).closest?.('.compare-vary-anchor')) return;
      onClose.current();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, []);

  const submit = async () => {
    const r = varyChoice(draft);
    if (!r.ok) return setError(r.error);
    setBusy(true);
    const ok = await p.actions.vary(p.take.id, r.choice, p.shotNumber);
    setBusy(false);
    if (ok) p.onClose();
  };

  return (
    <form
      ref={ref}
      className="vary-popover"
      aria-label="Variations"
      onSubmit={(e) => {
        e.preventDefault();
        if (allowed.ok) void submit();
      }}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') {
          e.preventDefault();
          p.onClose();
        }
      }}
    >
      <div className="vary-title">Variations</div>
      {!allowed.ok ? (
        <>
          <p className="vary-note">{allowed.reason}</p>
          <div className="vary-buttons">
            <button type="button" className="button button-small" onClick={p.onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <>
          <div className="vary-modes" role="radiogroup" aria-label="How the variations differ">
            <label className={`vary-mode${draft.mode === 'new-seed' ? ' is-on' : ''}`}>
              <input type="radio" name="vary-mode" checked={draft.mode === 'new-seed'} onChange={() => setDraft({ ...draft, mode: 'new-seed' })} />
              <span>
                <strong>New seed</strong>
                <span className="vary-mode-sub">Same prompt, new compositions</span>
              </span>
            </label>
            <label className={`vary-mode${draft.mode === 'same-seed' ? ' is-on' : ''}`}>
              <input type="radio" name="vary-mode" checked={draft.mode === 'same-seed'} onChange={() => setDraft({ ...draft, mode: 'same-seed' })} />
              <span>
                <strong>Same seed, small changes</strong>
                <span className="vary-mode-sub">Keeps this composition</span>
              </span>
            </label>
          </div>
          <div className="vary-row">
            <label htmlFor="vary-count">How many</label>
            <input
              id="vary-count"
              className="input input-small vary-count"
              type="number"
              min={1}
              max={MAX_VARIATION_COUNT}
              value={draft.count}
              onChange={(e) => {
                setError(null);
                setDraft({ ...draft, count: e.target.value });
              }}
            />
          </div>
          {draft.mode === 'same-seed' ? (
            <div className="vary-row">
              <label htmlFor="vary-strength">Strength</label>
              <input
                id="vary-strength"
                type="range"
                min={MIN_VARIATION_STRENGTH}
                max={1}
                step={0.05}
                value={Number(draft.strength) || 0.3}
                onChange={(e) => setDraft({ ...draft, strength: e.target.value })}
              />
              <span className="vary-strength tabular">{Number(draft.strength).toFixed(2)}</span>
            </div>
          ) : null}
          {error ? <div className="field-error">{error}</div> : null}
          <div className="vary-buttons">
            <button type="button" className="button button-small button-ghost" onClick={p.onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-small button-primary" disabled={busy || !parsed.ok}>
              {busy ? 'Queueing…' : count ? `Queue ${count} variation${count === 1 ? '' : 's'}` : 'Queue'}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
