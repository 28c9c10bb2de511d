/**
 * How names of characters and templates are compared: without case, after Unicode NFC normalisation and with
 * runs of white space made one space. The script's canonical names are upper case (`CYBER BOB`, see
 * script/names.ts); an artist may write `Cyber Bob` in the library: both have the key `CYBER BOB`.
 */

/** The comparison key of a name: NFC, trimmed, single spaces, upper case (locale-independent). */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Whether two names are the same character or template. */
export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

/**
 * A script name for people and prompts: `CYBER BOB` -> `Cyber Bob`, `MCCLANE` -> `Mcclane`. Names that are not all
 * upper case are the artist's spelling and are kept as they are.
 */
export function displayName(name: string): string {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (clean !== clean.toUpperCase()) return clean;
  return clean.toLowerCase().replace(/(^|[\s\-'.])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}
