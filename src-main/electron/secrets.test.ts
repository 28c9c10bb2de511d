import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageSecretStore, type SafeStorageLike } from './secrets';

/** A stand-in for Electron's safeStorage: a reversible transform, so ciphertext differs from the text. */
function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString: (t) => Buffer.from([...Buffer.from(t, 'utf8')].map((b) => b ^ 0x5a)),
    decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString('utf8'),
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sc-secrets-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SafeStorageSecretStore', () => {
  it('keeps a secret encrypted on disk and reads it back; null removes it', async () => {
    const store = new SafeStorageSecretStore(fakeSafeStorage(), dir);
    await store.set('assistant.apiKey', 'sk-test-123');
    const onDisk = readFileSync(join(dir, 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain('sk-test-123');
    expect(await new SafeStorageSecretStore(fakeSafeStorage(), dir).get('assistant.apiKey')).toBe('sk-test-123');
    await store.set('assistant.apiKey', null);
    expect(await store.get('assistant.apiKey')).toBeNull();
  });

  it('refuses to keep a secret without a keychain, instead of writing it in plain text', async () => {
    for (const s of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      const store = new SafeStorageSecretStore(s, dir);
      await expect(store.set('assistant.apiKey', 'sk-x')).rejects.toMatchObject({ code: 'secret_store_unavailable' });
      expect(await store.get('assistant.apiKey')).toBeNull();
    }
  });
});
