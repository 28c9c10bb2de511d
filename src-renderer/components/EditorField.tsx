/** One labelled field of an editor panel (Character and Template editors): label, optional mark, control, then its error or help. */
import type { ReactNode } from 'react';

/** Props of EditorField: `error` wins over `help`; `mark` sits beside the label (e.g. an override dot). */
export interface EditorFieldProps {
  label: string;
  children: ReactNode;
  error?: string;
  help?: string;
  mark?: ReactNode;
}

/** A labelled editor field showing its error (role="alert") or, without one, its help line. */
export function EditorField(p: EditorFieldProps) {
  return (
    <div className="editor-field">
      <div className="editor-label">
        <span>{p.label}</span>
        {p.mark}
      </div>
      {p.children}
      {p.error ? (
        <div className="field-error" role="alert">
          {p.error}
        </div>
      ) : p.help ? (
        <div className="field-help">{p.help}</div>
      ) : null}
    </div>
  );
}
