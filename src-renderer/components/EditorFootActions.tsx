/**
 * The right-hand group of an editor panel's footer (Character and Template editors): "Revert" (or "Cancel" for a
 * new record, shown only while there is something to drop) and the primary save button with its spinner.
 */

/** Props of EditorFootActions. */
export interface EditorFootActionsProps {
  /** Whether the record already exists (false while creating a new one). */
  exists: boolean;
  /** Whether the draft differs from the saved record. */
  dirty: boolean;
  /** Whether a save is in flight (shows the spinner and disables the button). */
  saving: boolean;
  /** The save button's text, e.g. "Save changes" or "Create template". */
  saveLabel: string;
  /** Drops the draft (Revert) or abandons the new record (Cancel). */
  onDiscard(): void;
  /** Saves the draft. */
  onSave(): void;
}

/** The Revert/Cancel and Save buttons of an editor panel's footer. */
export function EditorFootActions(p: EditorFootActionsProps) {
  return (
    <div className="editor-panel-foot-group">
      {p.dirty || !p.exists ? (
        <button type="button" className="button" onClick={p.onDiscard}>
          {p.exists ? 'Revert' : 'Cancel'}
        </button>
      ) : null}
      <button type="button" className="button button-primary" disabled={p.saving || (p.exists && !p.dirty)} onClick={p.onSave}>
        {p.saving ? <span className="spinner" aria-hidden="true" /> : null}
        {p.saveLabel}
      </button>
    </div>
  );
}
