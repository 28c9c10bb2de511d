/**
 * Inspector fields that commit on blur or Enter (Ctrl/Cmd+Enter in text areas), revert on Esc, and show
 * "Mixed" when the selected shots differ. The commit function is the one from the moment editing began, so a
 * click on another shot (which changes the selection before this field blurs) still saves to the shots that
 * were being edited.
 */
import { useRef, useState, type ReactNode } from 'react';

/** Props of CommitField. `onCommit` throws an Error to refuse the text. */
export interface CommitFieldProps {
  /** The shown value; ignored while `mixed`. */
  value: string;
  mixed?: boolean;
  placeholder?: string;
  /** Saves the text. Throw an Error to refuse it: its message is shown under the field. */
  onCommit(text: string): void;
  ariaLabel: string;
  className?: string;
  disabled?: boolean;
  /** Text areas: rows to show. */
  rows?: number;
  multiline?: boolean;
  inputMode?: 'text' | 'numeric' | 'decimal';
  mono?: boolean;
}

/** A text input or text area that saves on blur or Enter and reverts on Esc. */
export function CommitField(p: CommitFieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commitRef = useRef(p.onCommit);
  const startRef = useRef('');
  /** Set while Esc reverts, so the blur that follows does not save the abandoned text. */
  const revertingRef = useRef(false);
  const editing = draft !== null;
  const shown = editing ? draft : p.mixed ? '' : p.value;

  const begin = () => {
    commitRef.current = p.onCommit;
    startRef.current = p.mixed ? '' : p.value;
    setDraft(startRef.current);
    setError(null);
  };
  const commit = (keepEditing: boolean): boolean => {
    if (revertingRef.current) {
      revertingRef.current = false;
      return true;
    }
    if (draft === null) return true;
    if (draft !== startRef.current || (p.mixed && draft !== '')) {
      try {
        commitRef.current(draft);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
        return false;
      }
    }
    setError(null);
    if (keepEditing) startRef.current = draft;
    else setDraft(null);
    return true;
  };
  const revert = (el: HTMLElement) => {
    setDraft(null);
    setError(null);
    revertingRef.current = true;
    el.blur();
    revertingRef.current = false;
  };

  const common = {
    className: `input${p.mono ? ' mono' : ''}${error ? ' has-error' : ''}${p.className ? ` ${p.className}` : ''}`,
    value: shown,
    placeholder: p.mixed ? 'Mixed' : p.placeholder,
    'aria-label': p.ariaLabel,
    'aria-invalid': error ? true : undefined,
    disabled: p.disabled,
    onFocus: begin,
    onBlur: () => {
      if (!commit(false)) {
        // keep the refused text visible with its message; the next focus starts from it
      }
    },
  };

  return (
    <>
      {p.multiline ? (
        <textarea
          {...common}
          rows={p.rows ?? 3}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              commit(true);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              revert(e.currentTarget);
            }
          }}
        />
      ) : (
        <input
          {...common}
          inputMode={p.inputMode}
          spellCheck={false}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (commit(true)) e.currentTarget.select();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              revert(e.currentTarget);
            }
          }}
        />
      )}
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </>
  );
}

/** A labelled inspector row, with an optional note at the label's right. */
export function Field(props: { label: string; children: ReactNode; aside?: ReactNode; htmlFor?: string }) {
  return (
    <div className="insp-field">
      <div className="insp-label">
        <span>{props.label}</span>
        {props.aside ? <span className="insp-label-aside">{props.aside}</span> : null}
      </div>
      {props.children}
    </div>
  );
}

/** Props of Segmented: the options, the value (null for none) and whether the selection differs. */
export interface SegmentedProps<T extends string> {
  options: ReadonlyArray<T>;
  value: T | null;
  mixed?: boolean;
  titles?: Record<string, string>;
  ariaLabel: string;
  /** Clicking the active option clears the value (null). */
  onChange(value: T | null): void;
  columns?: number;
}

/** Segmented buttons as a radio group; clicking the active option clears it. */
export function Segmented<T extends string>(p: SegmentedProps<T>) {
  return (
    <div className="segmented" role="radiogroup" aria-label={p.ariaLabel} style={{ gridTemplateColumns: `repeat(${p.columns ?? p.options.length}, 1fr)` }}>
      {p.options.map((o) => {
        const on = !p.mixed && p.value === o;
        return (
          <button
            key={o}
            type="button"
            role="radio"
            aria-checked={on}
            className={on ? 'is-on' : undefined}
            title={p.titles?.[o] ? `${p.titles[o]}${on ? ' (click again to clear)' : ''}` : undefined}
            onClick={() => p.onChange(on ? null : o)}
          >
            {o}
          </button>
        );
      })}
    </div>
  );
}
