import { plainText } from './markup';

/**
 * Character names: the canonical form of a speaker's cue, and finding known names in action text.
 * Spec for cues: https://fountain.io/syntax (Character: `@` forces a cue, `^` marks dual dialogue, extensions
 * such as (V.O.), (O.S.), (CONT'D) follow the name).
 */

/** A character cue split into the canonical name and its extensions as written. */
export interface CharacterCue {
  /** Upper case, single spaces, without `@`, `^`, extensions or emphasis: `CYBER BOB`. */
  name: string;
  /** The parenthesised extensions as written, space separated: `(V.O.)`, `(O.S.) (CONT'D)`; '' when none. */
  extension: string;
}

/** Splits a cue line (`@McCLANE (V.O.)^`, `BOB (CONT'D)`) into its canonical name and extensions. */
export function parseCharacterCue(cue: string): CharacterCue {
  const extensions: string[] = [];
  let name = cue
    .trim()
    .replace(/\^\s*$/, '')
    .replace(/^@/, '')
    .replace(/\([^()]*\)/g, (m) => {
      extensions.push(m.trim());
      return ' ';
    });
  name = plainText(name)
    .replace(/[()]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*:$/, '')
    .trim()
    .toUpperCase();
  return { name, extension: extensions.join(' ') };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds known character names in action text: case-insensitive, whole words (`BOB'S` and `Bob's` count for BOB,
 * `BOBBY` does not), a multi-word name winning over a shorter name it contains where they overlap
 * (`Cyber Bob` is CYBER BOB, not BOB). The words of a name may be split by any whitespace, a line break included.
 */
export class CharacterMatcher {
  private readonly pattern: RegExp | null;
  private readonly byKey: Map<string, string>;

  /** @param names canonical names (upper case, single spaces). */
  constructor(names: Iterable<string>) {
    const unique = [...new Set(names)].filter((n) => n.trim() !== '');
    // Longest first: at one position the regex engine takes the first alternative that matches.
    unique.sort((a, b) => b.length - a.length || a.localeCompare(b));
    this.byKey = new Map(unique.map((n) => [CharacterMatcher.key(n), n]));
    this.pattern =
      unique.length === 0
        ? null
        : new RegExp(`(?<![\\p{L}\\p{N}_])(?:${unique.map((n) => n.split(' ').map(escapeRegExp).join('\\s+')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  }

  private static key(text: string): string {
    return text.replace(/\s+/g, ' ').toUpperCase();
  }

  /** The canonical names found in `text`, each once, in the order of their first mention. */
  find(text: string): string[] {
    if (!this.pattern) return [];
    const found: string[] = [];
    for (const m of text.matchAll(this.pattern)) {
      const name = this.byKey.get(CharacterMatcher.key(m[0]));
      if (name !== undefined && !found.includes(name)) found.push(name);
    }
    return found;
  }
}
