import { describe, expect, it } from 'vitest';
import { extractNotes, plainText, settleNoteLines, stripBoneyard, takeNotes } from './markup';

describe('plainText', () => {
  it('removes emphasis the Fountain way and resolves escapes', () => {
    expect(plainText('We see _Bob_ through the **cross hairs**, *slowly*, ***now***.')).toBe('We see Bob through the cross hairs, slowly, now.');
    expect(plainText('\\*Literal\\* stars & <b>tags</b> "quoted"')).toBe('*Literal* stars & <b>tags</b> "quoted"');
    expect(plainText('5 * 3 = 15')).toBe('5 * 3 = 15');
    expect(plainText('snake_case_name')).toBe('snake_case_name');
  });

  it('keeps line breaks as newlines, lets emphasis span the lines of a paragraph, trims each line', () => {
    expect(plainText('**Note: one,\n  two,\nthree**  ')).toBe('Note: one,\ntwo,\nthree');
    expect(plainText('\n\nFirst\n\nSecond\n')).toBe('First\n\nSecond');
  });
});

describe('notes', () => {
  it('extractNotes replaces notes with placeholders; takeNotes takes them back out with the spacing fixed', () => {
    const { text, notes } = extractNotes('Before [[a note]]after, glued[[two]] [[three]] end.');
    expect(notes).toEqual(['a note', 'two', 'three']);
    expect(takeNotes(text, notes)).toEqual({ text: 'Before after, glued end.', notes: ['a note', 'two', 'three'] });
  });

  it('a two-space line continues a note, a blank line ends it, a nested [[ starts a new one', () => {
    expect(extractNotes('A [[one\n  \ntwo]] B').notes).toEqual(['one\n\ntwo']);
    const broken = extractNotes('A [[one\n\ntwo]] B');
    expect(broken).toEqual({ text: 'A [[one\n\ntwo]] B', notes: [] });
    expect(extractNotes('x [[ outer [[inner]] y').notes).toEqual(['inner']);
  });

  it('settleNoteLines keeps a note-only paragraph on one line and moves leading note lines after the first real line', () => {
    const { text } = extractNotes('[[a]]\n[[b]]\n\n[[c]]\nBob runs.\nFast.');
    const settled = settleNoteLines(text).split('\n');
    expect(settled).toHaveLength(4);
    expect(settled[1]).toBe('');
    expect(settled[2].startsWith('Bob runs. ')).toBe(true);
    expect(settled[3]).toBe('Fast.');
  });
});

describe('stripBoneyard', () => {
  it('removes the span; a */ that starts a line leaves a paragraph break', () => {
    expect(stripBoneyard('Keep /* drop */this.')).toBe('Keep this.');
    expect(stripBoneyard('One.\n/*\nGone.\n*/\nTwo.')).toBe('One.\n\n\n\nTwo.');
    expect(stripBoneyard('Unclosed /* stays')).toBe('Unclosed /* stays');
  });
});
