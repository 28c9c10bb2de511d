/**
 * "Enhance selected…" for a multi-selection of shots (the inspector's multi-selection panel): opens the Enhance
 * dialog on the shots' selected takes.
 */
import { openEnhance } from './store';
import { EnhanceIcon } from '../../components/icons';
import './enhance.css';

/** The button; `shotIds` are the selected shots in timeline order. */
export function EnhanceSelectedButton({ shotIds }: { shotIds: readonly string[] }) {
  return (
    <button
      type="button"
      className="button button-small enhance-selected"
      disabled={shotIds.length === 0}
      title="Upscale the selected takes of these shots (or interpolate their clips) on this machine"
      onClick={() => openEnhance({ target: { shotIds: [...shotIds] } })}
    >
      <EnhanceIcon /> Enhance selected…
    </button>
  );
}
