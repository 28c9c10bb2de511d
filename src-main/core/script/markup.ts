import { InlineLexer } from 'fountain-js';

/**
 * Fountain inline markup -> plain text, and the notes `[[ ]]` and boneyard `/* *\/` that never reach the text.
 * Spec: https://fountain.io/syntax (Emphasis, Notes, Boneyard).
 *
 * fountain-js's tokens keep the raw Fountain markup (`*italic*`, `**bold**`, `_underline_`, `\*` escapes);
 * only its HTML renderer turns them into `<span>`s, `<br />` and entities. `plainText` runs that renderer's
 * inline pass and takes the HTML back out, so emphasis rules stay exactly those of fountain-js.
 */

/** Private-use characters that frame a note placeholder: U+E000 <index> U+E001. They never occur in scripts. */
const NOTE_OPEN = '\uE000';
const NOTE_CLOSE = '\uE001';
/**
 * Stands for a line break while the inline lexer runs, so emphasis may span the lines of one paragraph.
 * U+FEFF is whitespace to a JS regex (like the newline it replaces) yet matched by `.` (unlike a newline).
 */
const LINE_MARK = '\uFEFF';
/** One or more note placeholders in a row, with the spaces around them. */
const PLACEHOLDERS = /[^\S\n]*(?:\uE000\d+\uE001[^\S\n]*)+/g;
const ONLY_PLACEHOLDERS = /^[^\S\n]*(?:\uE000\d+\uE001[^\S\n]*)+$/;

/** A blank line that ends a note: empty or whitespace-only, except the two-space line that continues it. */
const NOTE_BREAKING_BLANK_LINE = /\n(?! {2}(?:\n|$))[^\S\n]*(?:\n|$)/;

/**
 * Removes the boneyard (`/* ... *\/`, possibly over many lines) exactly as fountain-js does: the span vanishes,
 * and when its closing `*\/` starts a line a blank line is left so the paragraphs on either side stay apart.
 * An unclosed `/*` is left as written.
 */
export function stripBoneyard(text: string): string {
  return text.replace(/\/\*[\S\s]*?\*\//g, (m) => (/^[^\S\n]*\*\//m.test(m) ? '\n\n' : ''));
}

/**
 * Replaces every note `[[ ... ]]` with a placeholder and returns the notes' texts in order.
 *
 * A note may span lines; a line of exactly two spaces continues it, a truly blank line ends it (Fountain 1.1):
 * an opening `[[` whose closing `]]` lies past a blank line stays in the text as written. Placeholders let the
 * Fountain lexer see a paragraph made only of notes as one paragraph, whatever its line count, and let each
 * note be attached to the shot its paragraph becomes (see `takeNotes`).
 */
export function extractNotes(text: string): { text: string; notes: string[] } {
  const clean = text.replace(/[\uE000\uE001]/g, '');
  const notes: string[] = [];
  let out = '';
  let from = 0;
  let scan = 0;
  for (;;) {
    const open = clean.indexOf('[[', scan);
    if (open < 0) break;
    const close = clean.indexOf(']]', open + 2);
    if (close < 0) break;
    const inner = clean.slice(open + 2, close);
    const nested = inner.lastIndexOf('[[');
    if (nested >= 0) {
      scan = open + 2 + nested;
      continue;
    }
    if (NOTE_BREAKING_BLANK_LINE.test(inner) || inner.trim() === '') {
      scan = open + 2;
      continue;
    }
    out += clean.slice(from, open) + NOTE_OPEN + notes.length + NOTE_CLOSE;
    notes.push(
      inner
        .split('\n')
        .map((l) => l.trim())
        .join('\n')
        .trim(),
    );
    from = scan = close + 2;
  }
  return { text: out + clean.slice(from), notes };
}

/**
 * Moves note-only lines where the Fountain lexer cannot misread them. Two lines of anything without lower-case
 * letters read as a character cue and its dialogue, so a note on its own line above an action line would make a
 * nameless speaker. A paragraph made only of notes goes on one line (one action paragraph, which becomes notes
 * only); note-only lines that open a paragraph are appended to its first real line.
 */
export function settleNoteLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (lines[i].trim() === '') {
      out.push(lines[i++]);
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j].trim() !== '') j++;
    const paragraph = lines.slice(i, j);
    const lead = paragraph.findIndex((l) => !ONLY_PLACEHOLDERS.test(l));
    if (lead < 0) out.push(paragraph.map((l) => l.trim()).join(' '));
    else if (lead === 0) out.push(...paragraph);
    else out.push(`${paragraph[lead].trimEnd()} ${paragraph.slice(0, lead).map((l) => l.trim()).join(' ')}`, ...paragraph.slice(lead + 1));
    i = j;
  }
  return out.join('\n');
}

/**
 * Takes the note placeholders out of one token's text: returns the text without them (a note between two words
 * leaves one space, a note glued to a word leaves nothing) and the notes they stood for, in order. Also drops
 * the parser's internal U+E003 line marks (see `guardLyricsAfterCue` in fountain.ts).
 */
export function takeNotes(text: string, notes: readonly string[]): { text: string; notes: string[] } {
  const found: string[] = [];
  const rest = text.replace(/\uE003\n?/g, '').replace(PLACEHOLDERS, (m) => {
    for (const [, index] of m.matchAll(/\uE000(\d+)\uE001/g)) found.push(notes[Number(index)] ?? '');
    return /^[^\S\n]|[^\S\n]$/.test(m) ? ' ' : '';
  });
  return { text: rest, notes: found };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ' };

/**
 * Fountain markup -> plain text: emphasis markers (`*`, `**`, `***`, `_`) removed where fountain-js reads them as
 * emphasis (also when a pair spans the lines of one paragraph), backslash escapes resolved (`\*` -> `*`), each
 * line trimmed, leading and trailing blank lines dropped. Line breaks stay real newlines. Note placeholders must
 * have been taken out first (`takeNotes`).
 */
export function plainText(text: string): string {
  const html = InlineLexer.reconstruct(text.replace(/\uFEFF/g, '').replace(/\n/g, LINE_MARK));
  const plain = html
    .replace(/<\/?span[^>]*>/g, '')
    .replace(/<br \/>/g, '\n')
    .replace(/<!-- ([\s\S]*?) -->/g, '[[$1]]')
    .replace(/&(amp|lt|gt|quot|nbsp);/g, (_m, name: string) => ENTITIES[name])
    .replace(new RegExp(LINE_MARK, 'g'), '\n');
  return plain
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}
