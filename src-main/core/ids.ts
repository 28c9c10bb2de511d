import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A new record id: `<prefix>_<14 base36 chars>` (about 72 bits of randomness), e.g. `sht_0k3j9x1m2q7a8z`.
 * Prefixes name the record type so an id read in a log or a file says what it is:
 * `scn` scene, `sht` shot, `tk` take, `chr` character, `job` job.
 */
export function newId(prefix: string): string {
  const bytes = randomBytes(14);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % 36];
  return `${prefix}_${s}`;
}
