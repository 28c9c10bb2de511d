import type { EventName, EventPayload } from '../../src-preload/contract';

export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The core's event hub. The core emits contract events here; each shell subscribes once with `onAny` and
 * forwards every event to its clients (IPC to windows, WebSocket to browsers, stderr lines in the CLI).
 * Listeners run synchronously in emit order; a throwing listener is reported and does not stop the others.
 */
export class EventHub {
  private listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, payload);
      } catch (err) {
        console.error(`[events] a listener of ${event} threw:`, err);
      }
    }
  }

  /** Subscribes to every event. Returns the unsubscribe function. */
  onAny(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to one event. Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.onAny((e: EventName, p: unknown) => {
      if (e === event) listener(p as EventPayload<E>);
    });
  }
}
