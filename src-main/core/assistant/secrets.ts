/**
 * Where the shot assistant's API key is kept. Never in `assistant.json`, never in a project: the core asks a
 * {@link SecretStore}, which each shell provides:
 * - Electron: the OS keychain through Electron's `safeStorage` (the shell implements this interface; `kind` keychain);
 * - web mode and the CLI: {@link EnvSecretStore}, which reads `STORYCANVAS_ASSISTANT_KEY` and cannot store a key;
 * - tests and embedders: {@link MemorySecretStore}, for the life of the process.
 */
import { AppError } from '../errors';

/** The name under which the assistant's key is kept. */
export const ASSISTANT_KEY_NAME = 'assistant.apiKey';
/** The environment variable the CLI and web mode read the key from. */
export const ASSISTANT_KEY_ENV = 'STORYCANVAS_ASSISTANT_KEY';

/** A place for secrets (API keys). */
export interface SecretStore {
  /** `keychain` (OS keychain), `env` (read-only environment), `memory` (this process only). */
  readonly kind: 'keychain' | 'env' | 'memory';
  /** The secret, or null when there is none. */
  get(name: string): Promise<string | null>;
  /**
   * Keeps (or with null removes) a secret.
   * @throws AppError `secret_store_read_only` when this store cannot keep secrets.
   */
  set(name: string, value: string | null): Promise<void>;
}

/** Reads `STORYCANVAS_ASSISTANT_KEY`; keeps nothing (web mode, the CLI). */
export class EnvSecretStore implements SecretStore {
  readonly kind = 'env' as const;
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(name: string): Promise<string | null> {
    if (name !== ASSISTANT_KEY_NAME) return null;
    const value = this.env[ASSISTANT_KEY_ENV]?.trim();
    return value ? value : null;
  }

  async set(): Promise<void> {
    throw new AppError(
      'secret_store_read_only',
      'This shell cannot keep an API key: keys are never written to settings files or projects.',
      `Set the environment variable ${ASSISTANT_KEY_ENV} before starting StoryCanvas, or configure the key in the desktop app (it keeps it in the OS keychain).`,
    );
  }
}

/** Keeps secrets in memory for the life of the process. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly values = new Map<string, string>();

  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }

  async set(name: string, value: string | null): Promise<void> {
    if (value === null) this.values.delete(name);
    else this.values.set(name, value);
  }
}
