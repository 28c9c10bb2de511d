import { Fountain, type Token } from 'fountain-js';
import { normaliseNewlines, rejectNonFountainText } from './decode';
import { extractNotes, settleNoteLines, plainText, stripBoneyard, takeNotes } from './markup';
import { CharacterMatcher, parseCharacterCue } from './names';
import { scriptError } from './ScriptParseError';
import { parseSlugline, type IntExt } from './slugline';

/**
 * Fountain 1.1 screenplay text -> a plain `ScreenplayDoc` of scenes and shots (the parse half of script import;
 * src-main/core/scriptImport.ts writes it into a project). Spec: https://fountain.io/syntax. Lexing is done by
 * fountain-js; this module maps its tokens onto the storyboard's scenes and shots (see README.md here).
 */

export { decodeScriptBytes } from './decode';
export { ScriptParseError } from './ScriptParseError';

/** One speech of a character: one cue's dialogue, split where a parenthetical interrupts it. */
export interface ScriptDialogueLine {
  /** Canonical character name (see `ScreenplayDoc.characters`). */
  character: string;
  /** The parenthetical before this text as written, with its brackets: `(to dog)`. */
  parenthetical?: string;
  /** Plain text with real newlines; '' for a parenthetical that ends the speech (`(beat)`). */
  text: string;
  /** True on the lines of the second speaker of dual dialogue (the cue marked `^`). */
  dual?: boolean;
  /** The cue's extensions as written: `(V.O.)`, `(O.S.) (CONT'D)`. Absent when the cue has none. */
  extension?: string;
}

/** One shot: an action paragraph and the dialogue that follows it. */
export interface ScriptShot {
  /**
   * `<scene key>/<index>`: the shot's 0-based position among the shots of its scene. It survives re-imports of
   * an edited script as long as no shot is added or removed before it in the same scene; re-import matching
   * pairs shots by this key and then takes the new texts.
   */
  key: string;
  /** The action paragraph, plain text; '' when the scene opens with dialogue, or has no action or dialogue. */
  action: string;
  /** Dialogue that follows this action paragraph, until the next action paragraph. */
  dialogue: ScriptDialogueLine[];
  /** Canonical names: known characters mentioned in the action, then the speakers, each once, in that order. */
  characters: string[];
  /** Notes (`[[ ]]`) in or after the paragraph, and transitions as `Transition: CUT TO:`, one per line. */
  notes: string;
}

/** One scene: a scene heading (slugline) and its shots. */
export interface ScriptScene {
  /**
   * `n:<number>` when the script numbers the scene (`#12A#`), else `h:<normalised heading>#<occurrence>`
   * (upper case, single spaces, ` - ` for any dash separator; occurrence counts earlier unnumbered scenes with
   * the same normalised heading, from 0). A repeated number gets `#<occurrence>` too. Re-import matching pairs
   * scenes by this key. The content before the first heading, when it becomes a scene, is `h:OPENING#0`.
   */
  key: string;
  /** The forced scene number (`#1#`, `#2-B#` -> `1`, `2-B`), else null. */
  number: string | null;
  /** The slugline as written (plain text), without the forcing period or the `#number#`; `OPENING` for the opening. */
  heading: string;
  /** From the INT/EXT/EST/I/E prefix (EST counts as EXT); null when there is none. */
  intExt: IntExt | null;
  /** Upper case: `KITCHEN`; '' for the opening. */
  location: string;
  /** Upper case: `NIGHT`; '' when the heading names none. */
  timeOfDay: string;
  /** The `= synopsis` lines that follow the heading, joined by newlines; '' when none. */
  synopsis: string;
  /** The enclosing `# Section` path, e.g. `Act 1 / Opening`; null outside any section. */
  section: string | null;
  /** At least one shot per scene: a scene with no action or dialogue gets one shot with action ''. */
  shots: ScriptShot[];
}

/** A parsed screenplay. Plain data: no HTML, no markup, real newlines. */
export interface ScreenplayDoc {
  /** The title page's Title, its lines joined by spaces; null when the script has no Title. */
  title: string | null;
  /**
   * Title page fields by their Fountain key (`Title`, `Credit`, `Author`, `Authors`, `Source`, `Draft date`,
   * `Date`, `Contact`, `Copyright`, `Notes`, `Revision`; other keys capitalised as `Key name`); values are plain
   * text, several lines joined by newlines.
   */
  titlePage: Record<string, string>;
  scenes: ScriptScene[];
  /**
   * Canonical character names (upper case; extensions such as (V.O.), (O.S.), (CONT'D), `@` and `^` removed)
   * of everyone who speaks, in the order of first appearance: a mention in action text counts.
   */
  characters: string[];
}

/** Heading given to the content before the first scene heading when someone speaks in it (a cold open). */
export const OPENING_HEADING = 'OPENING';

const TITLE_PAGE_KEYS: Record<string, string> = {
  title: 'Title',
  credit: 'Credit',
  author: 'Author',
  authors: 'Authors',
  source: 'Source',
  draft_date: 'Draft date',
  date: 'Date',
  contact: 'Contact',
  copyright: 'Copyright',
  notes: 'Notes',
  revision: 'Revision',
  revisions: 'Revisions',
};

interface ShotDraft {
  action: string;
  dialogue: ScriptDialogueLine[];
  notes: string[];
}

interface SceneDraft {
  number: string | null;
  heading: string;
  isOpening: boolean;
  synopsis: string[];
  /** False once a section starts after the heading: later synopses describe that section, not the scene. */
  synopsisOpen: boolean;
  section: string | null;
  shots: ShotDraft[];
  /** Notes and transitions met before the scene's first shot. */
  pendingNotes: string[];
  lastSpeaker: string | null;
}

interface DialogueDraft {
  character: string;
  extension: string;
  dual: boolean;
  parenthetical: string | null;
}

/**
 * Parses a Fountain 1.1 screenplay into scenes and shots.
 *
 * Mapping (README.md in this folder has the full table): each scene heading, forced `.HEADING` included, starts
 * a scene; each action paragraph (centered text included) starts a shot; dialogue, parentheticals and lyrics
 * attach to the shot they follow; notes and transitions go to that shot's `notes`; sections give `section`,
 * synopses after a heading give `synopsis`; boneyard and page breaks vanish. Content before the first heading
 * becomes a scene headed `OPENING` only when someone speaks in it (a cold open is boarded like any scene);
 * otherwise it is front matter, and its action, notes and transitions go to the notes of the first shot of the first scene.
 *
 * @param text the script (LF or CRLF line ends; a BOM is ignored). Use `decodeScriptBytes` for file bytes.
 * @param fileName only helps name a foreign format in a message.
 * @throws ScriptParseError when the text is empty, binary, a PDF / Final Draft / XML / RTF document, or has no
 *   scene heading and no spoken line at all.
 */
export function parseFountain(text: string, fileName?: string): ScreenplayDoc {
  rejectNonFountainText(text, fileName);
  const source = normaliseNewlines(text);
  if (source.trim() === '') {
    throw scriptError('The script is empty.', 'Pick the Fountain (.fountain) file of the screenplay, with at least one scene heading.');
  }
  const unboned = stripBoneyard(source);
  if (unboned.trim() === '') {
    throw scriptError(
      'The script holds only a boneyard (text between /* and */, which Fountain ignores).',
      'Remove the /* */ around the part of the script to import, then import it again.',
    );
  }
  const { text: withPlaceholders, notes } = extractNotes(unboned.replace(/\uE003/g, ''));
  let tokens: Token[];
  try {
    tokens = new Fountain().parse(guardLyricsAfterCue(settleNoteLines(withPlaceholders)), true).tokens;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw scriptError(
      `The Fountain reader (fountain-js) failed on this script: ${reason}.`,
      'Look for unusual markup near the part that was edited last, simplify it, and import again.',
    );
  }
  const builder = new DocBuilder(notes);
  for (const token of tokens) {
    if (token.is_title) builder.titleField(token);
    else builder.token(token);
  }
  return builder.finish();
}

/**
 * Transitions Fountain reads as action because they do not end in `TO:` (https://fountain.io/syntax#transition):
 * a storyboard has no panel for FADE IN:, so they become notes like any transition.
 */
const UNMARKED_TRANSITION = /^(?:FADE IN|FADE UP|FADE OUT|FADE TO BLACK|CUT TO BLACK|SMASH CUT|MATCH CUT|JUMP CUT)[:.]?$/;

/** A dialogue line that stands for nothing; `takeNotes` drops it. See `guardLyricsAfterCue`. */
const EMPTY_SPEECH = '\uE003';

/**
 * fountain-js 1.2.4 throws a TypeError when a cue is followed directly by a lyric line (`BOB` then `~La la`).
 * An invisible speech line is put between them; the builder drops it again.
 */
function guardLyricsAfterCue(text: string): string {
  return text.replace(/^([^\S\n]*(?:@|[^\s!.>~=#[a-z])[^\na-z]*)\n(?=[^\S\n]*~)/gm, `$1\n${EMPTY_SPEECH}\n`);
}

class DocBuilder {
  private readonly titlePage: Record<string, string> = {};
  private readonly scenes: SceneDraft[] = [];
  private scene: SceneDraft;
  private readonly sectionPath: string[] = [];
  private dialogue: DialogueDraft | null = null;
  private previousType = '';

  constructor(private readonly notes: readonly string[]) {
    this.scene = this.newScene(OPENING_HEADING, null, true);
  }

  titleField(token: Token): void {
    const key = TITLE_PAGE_KEYS[token.type] ?? capitalise(token.type.replace(/_/g, ' '));
    const value = plainText(takeNotes(token.text ?? '', this.notes).text);
    this.titlePage[key] = value;
  }

  /**
   * Handles one script token. fountain-js 1.2 token types: scene_heading, action, centered, transition,
   * dual_dialogue_begin/end, dialogue_begin/end, character, parenthetical, dialogue, lyrics, section, synopsis,
   * note, page_break, spaces (boneyard_begin/end are never produced: the lexer drops the boneyard).
   */
  token(token: Token): void {
    const type = token.type;
    switch (type) {
      case 'scene_heading':
        this.startScene(token);
        break;
      case 'action':
      case 'centered': {
        const { text, notes } = takeNotes(token.text ?? '', this.notes);
        const action = plainText(text);
        if (type === 'action' && UNMARKED_TRANSITION.test(action)) this.addNotes([`Transition: ${action}`]);
        else if (action !== '') this.newShot(action);
        this.addNotes(notes);
        break;
      }
      case 'transition': {
        const { text, notes } = takeNotes(token.text ?? '', this.notes);
        this.addNotes([`Transition: ${plainText(text)}`, ...notes]);
        break;
      }
      case 'note':
        this.addNotes([(token.text ?? '').trim()]);
        break;
      case 'dialogue_begin':
        this.dialogue = {
          character: '',
          extension: '',
          dual: token.dual === 'right' && this.previousType === 'dialogue_end',
          parenthetical: null,
        };
        break;
      case 'character':
        if (this.dialogue) {
          const { text, notes } = takeNotes(token.text ?? '', this.notes);
          const cue = parseCharacterCue(text);
          this.dialogue.character = cue.name;
          this.dialogue.extension = cue.extension;
          this.scene.lastSpeaker = cue.name;
          this.addNotes(notes);
        }
        break;
      case 'parenthetical':
        if (this.dialogue) {
          if (this.dialogue.parenthetical !== null) this.speak('');
          this.dialogue.parenthetical = this.textWithNotes(token);
        }
        break;
      case 'dialogue':
        if (this.dialogue) {
          const text = this.textWithNotes(token);
          // A line that was only a note says nothing (its note went to the shot).
          if (text !== '' || this.dialogue.parenthetical !== null) this.speak(text);
        }
        break;
      case 'lyrics':
        this.lyrics(token);
        break;
      case 'dialogue_end':
        if (this.dialogue?.parenthetical != null) this.speak('');
        this.dialogue = null;
        break;
      case 'section':
        this.section(token);
        break;
      case 'synopsis': {
        const line = this.textWithNotes(token);
        if (this.scene.synopsisOpen && line !== '') this.scene.synopsis.push(line);
        break;
      }
      default:
        // page_break, spaces, dual_dialogue_begin/end: layout only, nothing for the storyboard.
        break;
    }
    if (type !== 'spaces') this.previousType = type;
  }

  finish(): ScreenplayDoc {
    this.closeScene();
    // No heading and no spoken line: the opening (if any) was front matter only, so nothing became a scene.
    if (this.scenes.length === 0) {
      throw scriptError(
        'No scene headings found: is this a Fountain screenplay?',
        'Scene headings start with INT. or EXT. (or a period to force one, as in .FLASHBACK); add them and import again.',
      );
    }
    const speakers = new Set<string>();
    for (const sc of this.scenes) for (const sh of sc.shots) for (const d of sh.dialogue) if (d.character) speakers.add(d.character);
    const matcher = new CharacterMatcher(speakers);
    const characters: string[] = [];
    const headingCounts = new Map<string, number>();
    const usedKeys = new Set<string>();
    const scenes = this.scenes.map((sc): ScriptScene => {
      let key = sc.number !== null ? `n:${sc.number}` : `h:${headingKey(sc.heading)}`;
      if (sc.number === null) {
        const n = headingCounts.get(key) ?? 0;
        headingCounts.set(key, n + 1);
        key = `${key}#${n}`;
      }
      for (let n = 1; usedKeys.has(key); n++) key = `n:${sc.number}#${n}`;
      usedKeys.add(key);
      const slug = sc.isOpening ? { intExt: null, location: '', timeOfDay: '' } : parseSlugline(sc.heading);
      return {
        key,
        number: sc.number,
        heading: sc.heading,
        ...slug,
        synopsis: sc.synopsis.join('\n'),
        section: sc.section,
        shots: sc.shots.map((sh, index): ScriptShot => {
          const inShot = [...matcher.find(sh.action)];
          for (const d of sh.dialogue) if (d.character && !inShot.includes(d.character)) inShot.push(d.character);
          for (const c of inShot) if (!characters.includes(c)) characters.push(c);
          return { key: `${key}/${index}`, action: sh.action, dialogue: sh.dialogue, characters: inShot, notes: sh.notes.join('\n') };
        }),
      };
    });
    const title = this.titlePage.Title ? this.titlePage.Title.split('\n').join(' ') : null;
    return { title, titlePage: this.titlePage, scenes, characters };
  }

  private newScene(heading: string, number: string | null, isOpening: boolean): SceneDraft {
    return {
      number,
      heading,
      isOpening,
      synopsis: [],
      synopsisOpen: true,
      section: this.sectionPath.length ? this.sectionPath.join(' / ') : null,
      shots: [],
      pendingNotes: [],
      lastSpeaker: null,
    };
  }

  private startScene(token: Token): void {
    const carried = this.closeScene();
    const { text, notes } = takeNotes(token.text ?? '', this.notes);
    let heading = text;
    let number = token.scene_number ?? null;
    // fountain-js misses a #number# that a note follows (`INT. HOUSE #4# [[note]]`): the note left the line now.
    const late = number === null ? /\s*#([\w.-]+)#\s*$/.exec(heading) : null;
    if (late) {
      number = late[1];
      heading = heading.slice(0, late.index);
    }
    this.scene = this.newScene(plainText(heading), number, false);
    this.scene.pendingNotes.push(...carried, ...notes);
  }

  /**
   * Ends the current scene; returns the notes an opening that is not a scene hands on to the first real scene.
   * Text before the first heading is a scene only when someone speaks in it (a cold open); action alone there
   * is front matter (a notice, a dedication, `FADE IN:`): it goes to the first scene's notes, nothing is lost.
   */
  private closeScene(): string[] {
    const sc = this.scene;
    if (sc.isOpening && sc.shots.every((sh) => sh.dialogue.length === 0)) {
      const front = sc.shots.flatMap((sh) => [...(sh.action ? [`Before the first scene: ${sh.action}`] : []), ...sh.notes]);
      return [...front, ...sc.pendingNotes];
    }
    if (sc.shots.length === 0) sc.shots.push({ action: '', dialogue: [], notes: sc.pendingNotes });
    this.scenes.push(sc);
    return [];
  }

  private newShot(action: string): void {
    // The opening takes the section it turned out to be in (its draft was made before any section was read).
    if (this.scene.isOpening && this.scene.shots.length === 0) this.scene.section = this.sectionPath.length ? this.sectionPath.join(' / ') : null;
    this.scene.shots.push({ action, dialogue: [], notes: this.scene.pendingNotes });
    this.scene.pendingNotes = [];
  }

  /** The shot dialogue attaches to: the last one, or a new one with no action when the scene opens with dialogue. */
  private currentShot(): ShotDraft {
    if (this.scene.shots.length === 0) this.newShot('');
    return this.scene.shots[this.scene.shots.length - 1];
  }

  private addNotes(notes: string[]): void {
    const kept = notes.filter((n) => n !== '');
    if (kept.length === 0) return;
    const shot = this.scene.shots.at(-1);
    (shot ? shot.notes : this.scene.pendingNotes).push(...kept);
  }

  /** Plain text of a token; notes inside it go to the current shot's notes. */
  private textWithNotes(token: Token): string {
    const { text, notes } = takeNotes(token.text ?? '', this.notes);
    this.addNotes(notes);
    return plainText(text);
  }

  private speak(text: string): void {
    const d = this.dialogue;
    if (!d) return;
    const line: ScriptDialogueLine = { character: d.character, text };
    if (d.parenthetical !== null) line.parenthetical = d.parenthetical;
    if (d.dual) line.dual = true;
    if (d.extension) line.extension = d.extension;
    this.currentShot().dialogue.push(line);
    d.parenthetical = null;
  }

  /** Lyrics are sung dialogue: of the cue they are under, else of the scene's last speaker, else plain action. */
  private lyrics(token: Token): void {
    if (this.dialogue) {
      this.speak(this.textWithNotes(token));
      return;
    }
    const speaker = this.scene.lastSpeaker;
    const { text, notes } = takeNotes(token.text ?? '', this.notes);
    const sung = plainText(text);
    if (speaker && sung !== '') this.currentShot().dialogue.push({ character: speaker, text: sung });
    else if (sung !== '') this.newShot(sung);
    this.addNotes(notes);
  }

  private section(token: Token): void {
    const depth = Math.max(1, token.depth ?? 1);
    const title = this.textWithNotes(token);
    this.sectionPath.splice(depth - 1);
    this.sectionPath.push(title);
    this.scene.synopsisOpen = false;
  }
}

/** Upper case, single spaces, every dash separator written ` - `: the heading part of a scene key. */
function headingKey(heading: string): string {
  return heading
    .toUpperCase()
    .replace(/\s+-\s+|\s*-{2,}\s*|\s*[\u2013\u2014]\s*/g, ' - ')
    .replace(/\s+/g, ' ')
    .trim();
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
