import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { decodeScriptBytes, parseFountain, ScriptParseError, type ScreenplayDoc } from './fountain';

function fixture(name: string): string {
  return readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
}
function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`./testdata/${name}`, import.meta.url));
}
/** Replaces exactly one occurrence of `from` (so an edit that misses its target fails the test). */
function editOnce(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}
function thrown(fn: () => unknown): ScriptParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScriptParseError);
    return err as ScriptParseError;
  }
  throw new Error('expected a ScriptParseError, nothing was thrown');
}
function keys(doc: ScreenplayDoc): string[] {
  return doc.scenes.flatMap((s) => [s.key, ...s.shots.map((sh) => sh.key)]);
}

const CYBER_BOB = fixture('Cyber_Bob_ep00001.fountain');

describe('parseFountain: Cyber_Bob_ep00001 (public domain)', () => {
  const doc = parseFountain(CYBER_BOB, 'Cyber_Bob_ep00001.fountain');

  it('has the 3 scenes of its 3 sluglines: the action-only front matter before them is no scene', () => {
    expect(doc.scenes.map((s) => s.heading)).toEqual([
      'EXT. PARK--DAY',
      'EXT. SUBURBAN TRAFFIC INTERSECTION--DAY',
      'INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT',
    ]);
    expect(doc.scenes.map((s) => [s.intExt, s.location, s.timeOfDay])).toEqual([
      ['EXT', 'PARK', 'DAY'],
      ['EXT', 'SUBURBAN TRAFFIC INTERSECTION', 'DAY'],
      ['INT', 'TRAFFIC LIGHT HORIZONTAL BEAM', 'NIGHT'],
    ]);
    expect(doc.scenes.map((s) => s.shots.length)).toEqual([10, 4, 21]);
    expect(doc.scenes.every((s) => s.number === null && s.section === null && s.synopsis === '')).toBe(true);
  });

  it('finds its six speaking characters, in order of first appearance (action mentions count)', () => {
    expect(doc.characters).toEqual(['CYBER BOB', 'DOG', 'MARGARET', 'BOB', 'CYBER BOSS', 'BOSS']);
    const speakers = new Set(doc.scenes.flatMap((s) => s.shots.flatMap((sh) => sh.dialogue.map((d) => d.character))));
    expect([...speakers].sort()).toEqual(['BOB', 'BOSS', 'CYBER BOB', 'CYBER BOSS', 'DOG', 'MARGARET']);
  });

  it('reads the title page as plain text; the Draft date inside the boneyard is ignored', () => {
    expect(doc.title).toBe('BOB THE CYBER PAWN AND HIS CYBER CLOUD BOSS THING EPISODE 1: TRAFFIC CONTROL DOGS');
    expect(doc.titlePage).toEqual({
      Title: 'BOB THE CYBER PAWN AND HIS CYBER CLOUD BOSS THING\nEPISODE 1: TRAFFIC CONTROL DOGS',
      Credit: 'by',
      Author: 'Richard Alexander Hall',
      Source: 'Story by Richard Alexander Hall',
      Copyright: 'Dedicated to the Public Domain.',
      Contact: 'earthbound.io/contact',
    });
  });

  it('puts the front matter (notice, notes, FADE IN) before the first slugline in the notes of the first shot, bold markers removed', () => {
    const [park] = doc.scenes;
    expect(doc.scenes.map((s) => s.key)).not.toContain('h:OPENING#0');
    expect(park.shots[0].key).toBe('h:EXT. PARK - DAY#0/0');
    expect(park.shots[0].notes).toBe(
      'Before the first scene: Note: For your own creative purposes,\nplease refer to the Public Domain Dedication\nfor this and all works in this series:\ns.earthbound.io/CyberBobPD\n' +
        'archival web URL: https://github.com/earthbound19/_ebScreenplays/blob/master/cyber_bob/Cyber_Bob_ep00001.fountain\n' +
        'Second draft published at: http://pasted.co/66993b1e on 2016-10-06\n' +
        'Transition: FADE IN:',
    );
    // The notice is no shot: the first shot's action is the park's first paragraph.
    expect(park.shots[0].action.startsWith('CYBER BOB, 40,')).toBe(true);
    expect(park.shots.slice(1).every((sh) => !sh.notes.includes('Before the first scene'))).toBe(true);
  });

  it('makes one shot per action paragraph with the dialogue that follows it', () => {
    const park = doc.scenes[0];
    expect(park.key).toBe('h:EXT. PARK - DAY#0');
    expect(park.shots[0].key).toBe('h:EXT. PARK - DAY#0/0');
    expect(park.shots[0].action.split('\n')).toHaveLength(11);
    expect(park.shots[0].action.startsWith('CYBER BOB, 40, a white man,\na mild, goofy,')).toBe(true);
    expect(park.shots[0].dialogue).toEqual([
      { character: 'BOB', text: 'Hi hello.' },
      { character: 'DOG', text: 'YIP YUP!' },
      { character: 'MARGARET', text: 'Hiii.' },
    ]);
    // "CYBER BOB" wins over "BOB"; "a CUTE DOG" mentions DOG; then the speakers.
    expect(park.shots[0].characters).toEqual(['CYBER BOB', 'DOG', 'MARGARET', 'BOB']);
    // "Cyber Boss stays there" is CYBER BOSS, never BOSS.
    expect(park.shots[3].action).toBe('Cyber Boss stays there mostly motionless.\nThe dogs go silent.');
    expect(park.shots[3].characters).toEqual(['CYBER BOSS', 'BOB']);
    expect(park.shots[3].dialogue[0].text).toBe('Oh hey it\'s my Potentially Malevolent\nor Benevolent\nCyber Cloud Boss Thing\na.k.a. Cyber Boss!');
  });

  it("detects possessives (Boss', Bob's) and strips emphasis from action and dialogue", () => {
    const intersection = doc.scenes[1];
    expect(intersection.shots[1].action).toBe('"SHRINKER-TELEPORTER."');
    expect(intersection.shots[2].action).toBe("He opens the app.\nBoss' instructions display\nand read themselves aloud.");
    expect(intersection.shots[2].characters).toEqual(['BOSS']);
    const beam = doc.scenes[2];
    expect(beam.shots[4].action.startsWith("Bob's phone buzzes,")).toBe(true);
    expect(beam.shots[4].characters).toEqual(['BOB']);
    expect(beam.shots[5].action).toBe('"DOG TRANSLATOR"');
    expect(beam.shots[8].dialogue[0].text.split('\n')[0]).toBe('Why are you here?');
    expect(beam.shots[9].dialogue[0].text).toBe("HEY! Can't you see I'm talking here?");
  });

  it('keeps the parenthetical, puts FADE OUT on the shot it follows, and centred THE END is a shot', () => {
    const beam = doc.scenes[2];
    const affronted = beam.shots[18];
    expect(affronted.action).toBe('Bob is affronted.');
    expect(affronted.dialogue).toEqual([
      { character: 'BOB', parenthetical: '(to dog)', text: 'Is that a rhetorical question?!' },
      { character: 'DOG', text: 'Yes.' },
    ]);
    expect(beam.shots[19].action).toBe('Bob sees the dog means no ill, so his anger is defused.');
    expect(beam.shots[19].notes).toBe('Transition: FADE OUT:');
    expect(beam.shots[20]).toEqual({
      key: 'h:INT. TRAFFIC LIGHT HORIZONTAL BEAM - NIGHT#0/20',
      action: 'THE END',
      dialogue: [],
      characters: [],
      notes: '',
    });
  });

  it('never leaves markup in the text: no <br />, entity, ** or [[ anywhere', () => {
    const all = JSON.stringify(doc);
    for (const bit of ['<br', '&amp;', '&quot;', '**', '[[', ']]', '<span', '\uE000']) expect(all).not.toContain(bit);
  });
});

describe('parseFountain: screenplain edge cases (MIT)', () => {
  it('scene numbers #1#, #2# and #2-B# give number and key; unnumbered scenes key by heading', () => {
    const doc = parseFountain(fixture('screenplain-tests-scene-numbers.fountain'));
    expect(doc.scenes.map((s) => [s.number, s.heading, s.key])).toEqual([
      ['1', 'INT. THE FIRST PLACE - DAY', 'n:1'],
      ['2', 'INT. THE SECOND PLACE - NIGHT', 'n:2'],
      [null, 'INT. A THIRD PLACE - DAY', 'h:INT. A THIRD PLACE - DAY#0'],
      [null, 'INT. A FOURTH PLACE - DAY', 'h:INT. A FOURTH PLACE - DAY#0'],
      ['2-B', 'INT. A FIFTH PLACE - DAY', 'n:2-B'],
    ]);
    expect(doc.scenes[4].shots).toEqual([{ key: 'n:2-B/0', action: 'This scene has number 2-B.', dialogue: [], characters: [], notes: '' }]);
  });

  it('dual dialogue keeps both speakers and marks the second one', () => {
    const doc = parseFountain(fixture('screenplain-tests-dual-dialogue.fountain'));
    expect(doc.scenes).toHaveLength(1);
    expect(doc.scenes[0].heading).toBe('OPENING');
    expect(doc.scenes[0].shots).toEqual([
      {
        key: 'h:OPENING#0/0',
        action: '',
        dialogue: [
          { character: 'GIRL', text: 'Hey!' },
          { character: 'GUY', text: 'Hello!', dual: true },
        ],
        characters: ['GIRL', 'GUY'],
        notes: '',
      },
    ]);
    expect(doc.characters).toEqual(['GIRL', 'GUY']);
  });

  it('notes go to the notes of their shot, never into the action', () => {
    const notes = fixture('screenplain-tests-notes.fountain');
    const doc = parseFountain(`INT. NOTES - DAY\n\n${notes}`);
    expect(doc.scenes[0].shots.map((s) => [s.action, s.notes])).toEqual([
      ['Before1 After1', 'some notes'],
      ['Before2 After2', 'multiline\nnote\nhere'],
      ['Before3 After3', 'multiline\nnote\n\nwith a blank line'],
      ['Multiple on one', 'notes\nline'],
      // A blank line inside [[ ]] ends the note: the brackets stay text (Fountain 1.1).
      ['This is not [[\na proper note', ''],
      ['because it contains a blank line\n]]', ''],
      ['Before full paragraph note', 'Note as its own paragraph does not generate an empty paragraph'],
      ['After full paragraph note', ''],
      ['Before multi-paragraph note', 'Note as its own paragraph\non several lines\ndoes not generate an empty paragraph'],
      ['After multi-paragraph note', ''],
    ]);
  });

  it('sections give the section path, synopses after a heading the scene synopsis', () => {
    const doc = parseFountain(fixture('screenplain-tests-sections.fountain'));
    expect(doc.scenes.map((s) => [s.heading, s.section, s.synopsis, s.timeOfDay])).toEqual([
      ['EXT. STREET - DAWN', 'First level / Second level', 'Synopsis for the street scene', 'DAWN'],
      ['EXT. ALLEY - CONTINUOUS', 'First level / Second level again', '', 'CONTINUOUS'],
    ]);
    // Sections and synopses never become shots.
    expect(doc.scenes.map((s) => s.shots.map((sh) => sh.action))).toEqual([['DAWN walks down the street.'], ['Dawn walks into this place.']]);
  });

  it('simple: action paragraphs and the dialogue after them; names in action are found for speakers only', () => {
    const doc = parseFountain(fixture('screenplain-tests-simple.fountain'));
    const [scene] = doc.scenes;
    expect(scene.shots.map((s) => [s.action, s.dialogue.map((d) => d.character), s.characters])).toEqual([
      ['GUY and GURL walk down the street.', [], ['GUY', 'GURL']],
      ["It's a sunny day.\nSunnier than normal.\nToo sunny to be funny.", ['GUY', 'GURL', 'GUY'], ['GUY', 'GURL']],
    ]);
    expect(scene.shots[1].dialogue[1].text).toBe('Nothing much.\nJust thinking.\nAnd you?');
  });

  it("title page: a multi-line Contact keeps its lines; FADE IN: and the action before the first heading go to the first shot's notes", () => {
    const titlePage = fixture('screenplain-tests-title-page.fountain');
    const doc = parseFountain(`${titlePage}\nINT. SPACESHIP - NIGHT\n\nThe stars.`);
    expect(doc.title).toBe('My Screenplay');
    expect(doc.titlePage).toEqual({ Title: 'My Screenplay', Author: 'Your Name', Contact: 'your.email@example.com\n(555) 123-4567' });
    expect(doc.scenes.map((s) => [s.heading, s.shots.map((sh) => [sh.action, sh.notes])])).toEqual([
      ['INT. SPACESHIP - NIGHT', [['The stars.', 'Before the first scene: SPACE\nTransition: FADE IN:']]],
    ]);
  });

  it('a title page with only action and no scene heading is refused', () => {
    const err = thrown(() => parseFountain(fixture('screenplain-tests-title-page.fountain')));
    expect(err.message).toMatch(/^No scene headings found: is this a Fountain screenplay\?/);
  });
});

describe('parseFountain: boneyard, forced headings, transitions, lyrics, cues', () => {
  it('boneyard around a whole scene removes that scene and its only speaker', () => {
    const start = CYBER_BOB.indexOf('EXT. SUBURBAN TRAFFIC INTERSECTION--DAY');
    const end = CYBER_BOB.indexOf('INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT');
    const doc = parseFountain(`${CYBER_BOB.slice(0, start)}/*\n${CYBER_BOB.slice(start, end)}*/\n\n${CYBER_BOB.slice(end)}`);
    expect(doc.scenes.map((s) => s.heading)).toEqual(['EXT. PARK--DAY', 'INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT']);
    expect(doc.characters).toEqual(['CYBER BOB', 'DOG', 'MARGARET', 'BOB', 'CYBER BOSS']);
    expect(JSON.stringify(doc)).not.toContain('SHRINKER');
  });

  it('forced headings start scenes: no prefix gives intExt null, a prefix is still read', () => {
    let text = editOnce(CYBER_BOB, 'INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT', '.INSIDE THE TRAFFIC LIGHT');
    text = editOnce(text, 'EXT. SUBURBAN TRAFFIC INTERSECTION--DAY', '.EXT. SUBURBAN TRAFFIC INTERSECTION--DAY #7#');
    const doc = parseFountain(text);
    expect(doc.scenes.slice(1).map((s) => [s.key, s.heading, s.intExt, s.location, s.timeOfDay, s.number])).toEqual([
      ['n:7', 'EXT. SUBURBAN TRAFFIC INTERSECTION--DAY', 'EXT', 'SUBURBAN TRAFFIC INTERSECTION', 'DAY', '7'],
      ['h:INSIDE THE TRAFFIC LIGHT#0', 'INSIDE THE TRAFFIC LIGHT', null, 'INSIDE THE TRAFFIC LIGHT', '', null],
    ]);
    expect(doc.scenes[2].shots).toHaveLength(21);
  });

  it('transitions go to the notes of the shot they follow, or of the first shot when they open the scene', () => {
    let text = editOnce(CYBER_BOB, 'BOB\nOtay!\n', 'BOB\nOtay!\n\nCUT TO:\n');
    text = editOnce(text, 'INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT\n', 'INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT\n\n> SMASH CUT\n');
    const doc = parseFountain(text);
    expect(doc.scenes[0].shots[9].notes).toBe('Transition: CUT TO:');
    expect(doc.scenes[2].shots[0].notes).toBe('Transition: SMASH CUT');
    expect(doc.scenes[2].shots[0].action.startsWith('This large sewer-sized horizontal pipe')).toBe(true);
  });

  it('a scene with no action or dialogue still gets one empty shot carrying its notes', () => {
    const doc = parseFountain('EXT. CITY - NIGHT\n\n[[establishing]]\n\nINT. FLAT - NIGHT\n\nShe reads.');
    expect(doc.scenes[0].shots).toEqual([{ key: 'h:EXT. CITY - NIGHT#0/0', action: '', dialogue: [], characters: [], notes: 'establishing' }]);
    expect(doc.scenes[1].shots.map((s) => s.action)).toEqual(['She reads.']);
  });

  it('lyrics are dialogue of the current speaker; cues lose @, ^ and extensions; page breaks vanish', () => {
    const doc = parseFountain(
      [
        'INT. CLUB - NIGHT',
        '',
        'The band plays.',
        '',
        '@McCLANE (V.O.)',
        '(singing)',
        '~Yippee ki-yay',
        '~all night long',
        '',
        '===',
        '',
        '~One more time',
        '',
        'MCCLANE (CONT\'D)',
        'Thank you!',
        '',
        'HOLLY^',
        'Boo!',
        '',
        'McClane\'s mic dies.',
      ].join('\n'),
    );
    const shots = doc.scenes[0].shots;
    expect(shots[0].dialogue).toEqual([
      { character: 'MCCLANE', parenthetical: '(singing)', text: 'Yippee ki-yay\nall night long', extension: '(V.O.)' },
      { character: 'MCCLANE', text: 'One more time' },
      { character: 'MCCLANE', text: 'Thank you!', extension: "(CONT'D)" },
      { character: 'HOLLY', text: 'Boo!', dual: true },
    ]);
    expect(shots[1]).toMatchObject({ action: "McClane's mic dies.", characters: ['MCCLANE'] });
    expect(doc.characters).toEqual(['MCCLANE', 'HOLLY']);
  });

  it('a lyric right under a cue or under an all-caps line (fountain-js 1.2.4 throws on the first) reads as sung dialogue', () => {
    const doc = parseFountain('INT. CHAPEL - DAY\n\nCHOIR\n~Ave Maria\n~gratia plena\n\nDOG\nWOOF WOOF\n~la la\n\nThe dog bows.');
    expect(doc.scenes[0].shots.map((s) => [s.action, s.dialogue])).toEqual([
      [
        '',
        [
          { character: 'CHOIR', text: 'Ave Maria\ngratia plena' },
          { character: 'DOG', text: 'WOOF WOOF' },
          { character: 'DOG', text: 'la la' },
        ],
      ],
      ['The dog bows.', []],
    ]);
  });

  it('a cold open with dialogue before the first heading is an OPENING scene and takes the section it is in', () => {
    const doc = parseFountain('# Cold open\n\nBlack screen. A phone rings.\n\nBOB (O.S.)\nHello?\n\n# Act 1\n\nINT. OFFICE - DAY\n\nBob answers.');
    expect(doc.scenes.map((s) => [s.key, s.heading, s.section, s.intExt, s.location, s.shots[0].action, s.shots[0].notes])).toEqual([
      ['h:OPENING#0', 'OPENING', 'Cold open', null, '', 'Black screen. A phone rings.', ''],
      ['h:INT. OFFICE - DAY#0', 'INT. OFFICE - DAY', 'Act 1', 'INT', 'OFFICE', 'Bob answers.', ''],
    ]);
    expect(doc.scenes[0].shots[0]).toMatchObject({ key: 'h:OPENING#0/0', dialogue: [{ character: 'BOB', text: 'Hello?', extension: '(O.S.)' }] });
  });

  it('a cold open of action only is front matter: no scene, its paragraphs and notes go to the first shot of the first scene', () => {
    const doc = parseFountain(
      '# Cold open\n\nBlack screen. A phone rings.\n\n[[sound only]]\n\nIt rings again.\n\n# Act 1\n\nINT. OFFICE - DAY\n\nBob answers.\n\nHe hangs up.',
    );
    expect(doc.scenes.map((s) => [s.key, s.section, s.shots.map((sh) => [sh.action, sh.notes])])).toEqual([
      [
        'h:INT. OFFICE - DAY#0',
        'Act 1',
        [
          ['Bob answers.', 'Before the first scene: Black screen. A phone rings.\nsound only\nBefore the first scene: It rings again.'],
          ['He hangs up.', ''],
        ],
      ],
    ]);
  });

  it('repeated headings key by occurrence; dash spellings count as the same heading', () => {
    const doc = parseFountain('INT. HOUSE - DAY\n\nOne.\n\nINT. GARDEN - DAY\n\nTwo.\n\nint. house -- day\n\nThree.\n\nINT. HOUSE - DAY #9#\n\nFour.');
    expect(doc.scenes.map((s) => s.key)).toEqual(['h:INT. HOUSE - DAY#0', 'h:INT. GARDEN - DAY#0', 'h:INT. HOUSE - DAY#1', 'n:9']);
    expect(doc.scenes[2]).toMatchObject({ heading: 'int. house -- day', intExt: 'INT', location: 'HOUSE', timeOfDay: 'DAY' });
  });

  it('a repeated scene number still gives unique keys', () => {
    const doc = parseFountain('INT. A - DAY #5#\n\nOne.\n\nINT. B - DAY #5#\n\nTwo.');
    expect(doc.scenes.map((s) => s.key)).toEqual(['n:5', 'n:5#1']);
  });
});

describe('parseFountain: re-import of an edited script', () => {
  const before = parseFountain(CYBER_BOB);

  it('a reworded action and dialogue keep every key; only the texts change', () => {
    let text = editOnce(CYBER_BOB, 'Margaret is fearful, confused and befuddled.', 'Margaret is fearful and utterly lost.');
    text = editOnce(text, 'Suit yer suture!', 'Suit yourself!');
    const after = parseFountain(text);
    expect(keys(after)).toEqual(keys(before));
    expect(after.scenes[0].shots[4].action).toBe('Margaret is fearful and utterly lost.');
    expect(after.scenes[0].shots[8].dialogue[0].text).toBe('Suit yourself!');
    expect(after.scenes[1]).toEqual(before.scenes[1]);
  });

  it('a paragraph inserted in the last scene keeps all earlier scenes and the shots before it', () => {
    const text = editOnce(CYBER_BOB, 'There are SEVEN CHIHUAHUAS, all age 5.\n', 'There are SEVEN CHIHUAHUAS, all age 5.\n\nOne of them sneezes.\n');
    const after = parseFountain(text);
    expect(after.scenes.map((s) => s.key)).toEqual(before.scenes.map((s) => s.key));
    for (const i of [0, 1]) expect(after.scenes[i]).toEqual(before.scenes[i]);
    const beamBefore = before.scenes[2].shots;
    const beamAfter = after.scenes[2].shots;
    expect(beamAfter).toHaveLength(beamBefore.length + 1);
    expect(beamAfter.slice(0, 2)).toEqual(beamBefore.slice(0, 2));
    expect(beamAfter[2].action).toBe('One of them sneezes.');
    // Later shots move one place: their keys are positional within the scene.
    expect(beamAfter[3].action).toBe(beamBefore[2].action);
    expect(beamAfter[3].key).toBe('h:INT. TRAFFIC LIGHT HORIZONTAL BEAM - NIGHT#0/3');
  });

  it('a renamed slugline changes only that scene key; numbering a scene gives it an n: key', () => {
    let text = editOnce(CYBER_BOB, 'EXT. SUBURBAN TRAFFIC INTERSECTION--DAY', 'EXT. BUSY INTERSECTION--DAY');
    text = editOnce(text, 'INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT', 'INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT #3#');
    const after = parseFountain(text);
    expect(after.scenes.map((s) => s.key)).toEqual(['h:EXT. PARK - DAY#0', 'h:EXT. BUSY INTERSECTION - DAY#0', 'n:3']);
    expect(after.scenes[0]).toEqual(before.scenes[0]);
  });

  it('an edited front-matter notice changes only the first shot notes, never a key', () => {
    const text = editOnce(CYBER_BOB, 's.earthbound.io/CyberBobPD', 's.earthbound.io/CyberBobPD2');
    const after = parseFountain(text);
    expect(keys(after)).toEqual(keys(before));
    expect(after.scenes[0].shots[0].notes).toBe(before.scenes[0].shots[0].notes.replace('CyberBobPD', 'CyberBobPD2'));
    expect(after.scenes[0].shots[0].notes).not.toBe(before.scenes[0].shots[0].notes);
    expect(after.scenes[0].shots.slice(1)).toEqual(before.scenes[0].shots.slice(1));
    expect(after.scenes.slice(1)).toEqual(before.scenes.slice(1));
  });

  it('CRLF line ends and a BOM parse to the same document', () => {
    expect(parseFountain(`\uFEFF${CYBER_BOB.replace(/\n/g, '\r\n')}`)).toEqual(before);
  });
});

describe('parseFountain and decodeScriptBytes: errors', () => {
  it('an empty or blank file', () => {
    for (const text of ['', '  \n\n\t\n']) {
      const err = thrown(() => parseFountain(text, 'empty.fountain'));
      expect(err.message).toMatch(/^The script is empty\./);
      expect(err.hint).toMatch(/Fountain \(\.fountain\)/);
      expect(err.message.endsWith(err.hint)).toBe(true);
    }
    expect(thrown(() => parseFountain(decodeScriptBytes(Buffer.alloc(0), 'empty.fountain'))).message).toMatch(/empty/);
  });

  it('a file that is all boneyard', () => {
    expect(thrown(() => parseFountain('/* INT. HOUSE - DAY\n\nNothing. */\n')).message).toMatch(/only a boneyard/);
  });

  it('no scene heading and no dialogue', () => {
    const err = thrown(() => parseFountain(fixture('screenplain-tests-notes.fountain')));
    expect(err.message).toBe(
      'No scene headings found: is this a Fountain screenplay? Scene headings start with INT. or EXT. (or a period to force one, as in .FLASHBACK); add them and import again.',
    );
  });

  it('no scene heading and a cue that says nothing (its only line a note) is refused, never an empty document', () => {
    for (const text of ['BOB\n[[just a note]]\n', 'A dedication.\n\nBOB\n[[only a note]]\n']) {
      expect(thrown(() => parseFountain(text)).message).toMatch(/^No scene headings found/);
    }
  });

  it('binary data: NUL bytes', () => {
    const bytes = Buffer.concat([fixtureBytes('screenplain-tests-simple.fountain'), Buffer.from([0, 1, 2, 0])]);
    const err = thrown(() => decodeScriptBytes(bytes, 'simple.fountain'));
    expect(err.message).toMatch(/binary data \(a NUL byte at offset 197\)/);
    expect(bytes.indexOf(0)).toBe(197);
    expect(thrown(() => parseFountain('INT. A - DAY\n\nx\u0000y')).message).toMatch(/binary data/);
  });

  it('bytes that are not UTF-8 name the line', () => {
    const latin1 = Buffer.from(editOnce(CYBER_BOB, 'Hiii.', 'Hiii, café.'), 'latin1');
    const err = thrown(() => decodeScriptBytes(latin1, 'Cyber_Bob.fountain'));
    expect(err.message).toMatch(/not valid UTF-8 text \(byte 0xE9 on line 45 cannot be read\)/);
    expect(CYBER_BOB.split('\n')[44]).toBe('Hiii.');
    expect(err.hint).toMatch(/save it again with the encoding UTF-8/);
  });

  it('UTF-8 with BOM and CRLF, and UTF-16 with BOM, decode to the same text', () => {
    const lf = decodeScriptBytes(fixtureBytes('Cyber_Bob_ep00001.fountain'), 'a.fountain');
    expect(lf).toBe(CYBER_BOB);
    const bomCrlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CYBER_BOB.replace(/\n/g, '\r\n'), 'utf8')]);
    expect(decodeScriptBytes(bomCrlf, 'a.fountain')).toBe(CYBER_BOB);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CYBER_BOB, 'utf16le')]);
    expect(decodeScriptBytes(utf16, 'a.fountain')).toBe(CYBER_BOB);
  });

  it('a PDF, given as bytes or as text, is named', async () => {
    const pdf = await PDFDocument.create();
    const page = pdf.addPage();
    page.drawText('INT. HOUSE - DAY', { font: await pdf.embedFont(StandardFonts.Courier) });
    const bytes = Buffer.from(await pdf.save());
    const err = thrown(() => decodeScriptBytes(bytes, 'script.pdf'));
    expect(err.message).toMatch(/^This is a PDF, not a Fountain screenplay/);
    expect(thrown(() => parseFountain(bytes.toString('latin1'), 'script.pdf')).message).toMatch(/^This is a PDF/);
  });

  it('markup that is not a screenplay is refused: a DTD (as Apple ships FCPXML’s), an HTML fragment, an XML element', () => {
    const dtd = readFileSync(join(import.meta.dirname, '..', 'export', 'testdata', 'fcpxml-dtd', 'FCPXMLv1_10.dtd'), 'utf8');
    for (const [text, name] of [
      [dtd, 'FCPXMLv1_10.dtd'],
      ['<!ELEMENT fcpxml (import-options?, library?)>\nINT. HOUSE - DAY\n\nBOB\nHi.\n', 'x.fountain'],
      ['<p>INT. HOUSE - DAY</p>\n\nBob waits.\n', 'page.txt'],
      ['<script-doc version="2">\n  <scene>INT. HOUSE - DAY</scene>\n</script-doc>\n', 'x.xml'],
    ] as const) {
      expect(thrown(() => parseFountain(text, name)).message).toMatch(/^This is an XML, HTML or DTD document \(markup\), not a Fountain screenplay/);
    }
    // centred text starts with '>' and stays a screenplay
    expect(parseFountain('> THE END <\n\nINT. HOUSE - DAY\n\nBob waits.\n').scenes).toHaveLength(1);
  });

  it('a Final Draft .fdx is named', () => {
    const fdx = [
      '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
      '<FinalDraft DocumentType="Script" Template="No" Version="5">',
      '  <Content>',
      '    <Paragraph Type="Scene Heading"><Text>INT. HOUSE - DAY</Text></Paragraph>',
      '    <Paragraph Type="Action"><Text>Bob waits.</Text></Paragraph>',
      '  </Content>',
      '</FinalDraft>',
    ].join('\r\n');
    const err = thrown(() => parseFountain(fdx, 'script.fdx'));
    expect(err.message).toMatch(/^This is a Final Draft document \(\.fdx, XML\)/);
    expect(err.hint).toMatch(/Convert it to Fountain/);
    expect(thrown(() => decodeScriptBytes(Buffer.from(fdx), 'script.fdx')).message).toMatch(/Final Draft/);
  });

  it('a Word .docx (ZIP) or an .rtf is named', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]);
    expect(thrown(() => decodeScriptBytes(zip, 'script.docx')).message).toMatch(/^This is a ZIP package/);
    expect(thrown(() => parseFountain('{\\rtf1\\ansi INT. HOUSE - DAY}')).message).toMatch(/Rich Text/);
  });
});
