/**
 * The Electron shell's secret store: secrets (the shot assistant's API key) encrypted with Electron's
 * `safeStorage` (the OS keychain: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and kept as
 * base64 ciphertext in `<configDir>/secrets.json`. Nothing readable is ever written: without keychain encryption
 * (`isEncryptionAvailable()` false, or Linux's plain-text `basic_text` backend) the store refuses to keep a secret
 * and says why, rather than writing it in the clear. Never in a project.
 * https://www.electronjs.org/docs/latest/api/safe-storage
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../core/assistant/secrets';
import { AppError } from '../core/errors';

/** The part of Electron's `safeStorage` this store uses (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keychain is in use (the "encryption" is a fixed key). */
  getSelectedStorageBackend?(): string;
}

/** A SecretStore over `safeStorage`, persisted as ciphertext in `<configDir>/secrets.json`. */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private readonly file: string;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    configDir: string,
  ) {
    this.file = join(configDir, 'secrets.json');
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private usable(): string | null {
    if (!this.safeStorage.isEncryptionAvailable()) return 'the OS keychain is not available';
    if (this.safeStorage.getSelectedStorageBackend?.() === 'basic_text') return 'no keychain (libsecret or kwallet) is running, so the key could only be stored in plain text';
    return null;
  }

  async get(name: string): Promise<string | null> {
    const cipher = this.read()[name];
    if (!cipher || this.usable()) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(cipher, 'base64'));
    } catch {
      return null; // encrypted by another user or machine: as if absent
    }
  }

  /** @throws AppError `secret_store_unavailable` when the keychain cannot encrypt. */
  async set(name: string, value: string | null): Promise<void> {
    const all = this.read();
    if (value === null) delete all[name];
    else {
      const why = this.usable();
      if (why) throw new AppError('secret_store_unavailable', `The API key was not saved: ${why}.`, 'Start your desktop keyring, or set STORYCANVAS_ASSISTANT_KEY in the environment instead.');
      all[name] = this.safeStorage.encryptString(value).toString('base64');
    }
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
