/**
 * An inline error: the core's sentence and, under it, what to do (the hint of a ContractCallError).
 */
import { errorInfo } from '../lib/errors';

/** Shows an error's message and hint in a red box; renders nothing for a falsy `error`. */
export function ErrorNotice(props: { error: unknown; title?: string }) {
  if (!props.error) return null;
  const info = errorInfo(props.error);
  return (
    <div className="error-notice" role="alert">
      <div className="error-notice-message">
        {props.title ? <strong>{props.title}: </strong> : null}
        {info.message}
      </div>
      {info.hint ? <div className="error-notice-hint">{info.hint}</div> : null}
    </div>
  );
}
