/**
 * Toasts at the bottom centre: confirmations with an action ("Deleted 2 shots — Undo"), progress of imports,
 * and errors with the core's hint. Announced politely to screen readers.
 */
import { useEffect } from 'react';
import { useUi, type Toast } from '../state/ui';
import { CloseIcon } from './Dialog';

function ToastView({ toast }: { toast: Toast }) {
  const dismiss = useUi((s) => s.dismissToast);
  useEffect(() => {
    if (toast.timeoutMs <= 0) return;
    const t = setTimeout(() => dismiss(toast.id), toast.timeoutMs);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      {toast.kind === 'progress' ? <span className="spinner" aria-hidden="true" /> : <span className="toast-dot" aria-hidden="true" />}
      <div className="toast-text">
        <div>{toast.message}</div>
        {toast.hint ? <div className="toast-hint">{toast.hint}</div> : null}
      </div>
      {toast.action ? (
        <button
          className="toast-action"
          onClick={() => {
            toast.action!.run();
            dismiss(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button className="icon-button toast-close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        <CloseIcon />
      </button>
    </div>
  );
}

/** Renders the toasts of `useUi().toasts` (auto-dismissed after their `timeoutMs`). */
export function Toaster() {
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toaster" aria-live="polite">
      {toasts.map((t) => (
        <ToastView key={t.id} toast={t} />
      ))}
    </div>
  );
}
