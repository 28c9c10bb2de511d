/**
 * Keeps the keys typed in a dialog inside it: the timeline's shortcuts (Delete, arrows, N…) listen on the window,
 * and React hands a portal's events up its own tree, so stopping them here stops them before the window.
 */
import type { ReactNode } from 'react';

/** Wraps a dialog (rendered through a portal) so its keydown events never reach the window's listeners. */
export function KeepKeys({ children }: { children: ReactNode }) {
  return (
    <div style={{ display: 'contents' }} onKeyDown={(e) => e.stopPropagation()}>
      {children}
    </div>
  );
}
