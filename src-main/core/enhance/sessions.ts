/**
 * Warm onnxruntime sessions, one per model, kept while in use and released after an idle time.
 *
 * Loading a model costs from a few milliseconds (the bundled ESPCN) to seconds (a large GAN on a GPU provider), so a
 * session stays open between jobs; once no job has used it for `idleMs` it is released, giving its memory back.
 * A model whose file changed (another SHA-256) gets a new session. Lives in the enhancement worker.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { createSessionWithFallback, defaultSessionFactory, type ProviderAttempt, type ProviderChoice, type ProviderName, type SessionFactory } from './providers.ts';

/** The model a session is for: its id, file and hash. */
export interface SessionModel {
  id: string;
  modelPath: string;
  sha256: string;
}

/** A session lent to one job; call `release()` when the job ends (it is then kept warm, not closed). */
export interface SessionLease {
  session: InferenceSession;
  provider: ProviderName;
  tried: ProviderAttempt[];
  release(): void;
}

/** Something that happened to a pooled session (for the runtime's bookkeeping and the tests). */
export interface SessionEvent {
  type: 'opened' | 'released';
  modelId: string;
  provider: ProviderName;
}

/** Options of `SessionPool`. */
export interface SessionPoolOptions {
  /** How long an unused session stays open, in ms. */
  idleMs: number;
  /** Gives the provider choice (made once at start, see providers.ts). */
  choice: () => Promise<ProviderChoice>;
  createSession?: SessionFactory;
  onEvent?: (event: SessionEvent) => void;
}

interface PoolEntry {
  model: SessionModel;
  opening: Promise<{ session: InferenceSession; provider: ProviderName; tried: ProviderAttempt[] }>;
  users: number;
  timer?: NodeJS.Timeout;
}

/** One warm session per model, released after `idleMs` unused. */
export class SessionPool {
  private readonly entries = new Map<string, PoolEntry>();

  constructor(private readonly options: SessionPoolOptions) {}

  /**
   * Lends the session of `model`, opening it (on the chosen provider, falling back to the CPU) when it is not warm.
   * @throws Error when the model cannot be loaded on any provider.
   */
  async acquire(model: SessionModel): Promise<SessionLease> {
    let entry = this.entries.get(model.id);
    if (entry && entry.model.sha256 !== model.sha256 && entry.users === 0) {
      await this.close(entry);
      entry = undefined;
    }
    if (!entry || entry.model.sha256 !== model.sha256) {
      const opening = (async () => {
        const choice = await this.options.choice();
        const made = await createSessionWithFallback(model.modelPath, choice, this.options.createSession ?? defaultSessionFactory);
        this.options.onEvent?.({ type: 'opened', modelId: model.id, provider: made.provider });
        return made;
      })();
      entry = { model, opening, users: 0 };
      this.entries.set(model.id, entry);
      opening.catch(() => {
        if (this.entries.get(model.id) === entry) this.entries.delete(model.id);
      });
    }
    const current = entry;
    clearTimeout(current.timer);
    current.timer = undefined;
    current.users++;
    let made;
    try {
      made = await current.opening;
    } catch (err) {
      current.users--;
      throw err;
    }
    let released = false;
    return {
      ...made,
      release: () => {
        if (released) return;
        released = true;
        current.users--;
        if (current.users !== 0) return;
        if (this.entries.get(model.id) === current) {
          current.timer = setTimeout(() => void this.close(current), this.options.idleMs);
          current.timer.unref?.();
        } else {
          void this.close(current); // superseded by a newer file of the same model
        }
      },
    };
  }

  /** Ids of the models whose session is open (or opening). */
  warmModelIds(): string[] {
    return [...this.entries.keys()];
  }

  /** Whether any session is in use by a job. */
  busy(): boolean {
    return [...this.entries.values()].some((e) => e.users > 0);
  }

  private async close(entry: PoolEntry): Promise<void> {
    clearTimeout(entry.timer);
    if (this.entries.get(entry.model.id) === entry) this.entries.delete(entry.model.id);
    try {
      const made = await entry.opening;
      await made.session.release();
      this.options.onEvent?.({ type: 'released', modelId: entry.model.id, provider: made.provider });
    } catch {
      // a session that never opened has nothing to release
    }
  }

  /** Releases every session now, in use or not (at shutdown). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.close(e)));
  }
}
