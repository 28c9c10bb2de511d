import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePng } from '../media/testFixtures';
import { LIBRARY_DB_FILE, LibraryStore, loadLibraryMigrations, type LibraryChange } from './LibraryStore';

let dir: string;
let lib: LibraryStore;
let changes: LibraryChange[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-library-'));
  lib = LibraryStore.open(dir);
  changes = [];
  lib.onChange = (c) => changes.push(c);
});
afterEach(() => {
  lib.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `fn` and returns the AppError code it throws. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? 'no code';
  }
  return 'did not throw';
}

describe('the library database', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and the latest schema', () => {
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(lib.schemaVersion()).toBe(loadLibraryMigrations().length);
    const strict = lib.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%STRICT%' ORDER BY name").all();
    expect(strict).toEqual([{ name: 'character' }, { name: 'take_index' }, { name: 'template' }]);
  });

  it('refuses a library written by a newer StoryCanvas and leaves it untouched', () => {
    lib.createCharacter({ name: 'Bob' });
    lib.close();
    const raw = new Database(join(dir, LIBRARY_DB_FILE));
    raw.pragma('user_version = 99');
    raw.close();
    let err: unknown;
    try {
      LibraryStore.open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'library_too_new', message: expect.stringMatching(/newer StoryCanvas \(library format 99; this app reads up to 2\)/) });
    const again = new Database(join(dir, LIBRARY_DB_FILE), { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(99);
    expect(again.prepare('SELECT name FROM character').all()).toEqual([{ name: 'Bob' }]);
    again.close();
    lib = LibraryStore.open(join(dir, 'fresh'));
  });

  it('keeps what it wrote across a reopen', () => {
    lib.createCharacter({ name: 'Margaret', description: 'sharp', triggerWords: ['mgt woman'] });
    lib.close();
    lib = LibraryStore.open(dir);
    expect(lib.character('margaret')).toMatchObject({ name: 'Margaret', description: 'sharp', triggerWords: ['mgt woman'] });
  });
});

describe('characters', () => {
  it('creates with defaults, finds by id or name without case, updates and deletes', () => {
    const c = lib.createCharacter({ name: '  Cyber Bob ', description: 'a goofy man', lora: { name: 'cbob.safetensors', strength: 0.8 }, triggerWords: ['cbob man'] });
    expect(c).toMatchObject({ name: 'Cyber Bob', description: 'a goofy man', lora: { name: 'cbob.safetensors', strength: 0.8 }, triggerWords: ['cbob man'], referenceWeight: 0.6, referenceImages: [] });
    expect(c.id).toMatch(/^lch_/);
    expect(lib.character('CYBER BOB').id).toBe(c.id);
    expect(lib.characterByName('cyber   bob')?.id).toBe(c.id);
    const u = lib.updateCharacter(c.id, { lora: null, referenceWeight: 0.9, description: 'a goofy man in grey' });
    expect(u).toMatchObject({ lora: null, referenceWeight: 0.9, description: 'a goofy man in grey', triggerWords: ['cbob man'] });
    expect(lib.characters().map((x) => x.name)).toEqual(['Cyber Bob']);
    lib.deleteCharacter('cyber bob');
    expect(lib.characters()).toEqual([]);
    expect(changes.map((x) => x.action)).toEqual(['created', 'updated', 'deleted']);
  });

  it('refuses a taken name (without case), bad fields and unknown characters with clear errors', () => {
    lib.createCharacter({ name: 'Bob' });
    const other = lib.createCharacter({ name: 'Margaret' });
    expect(codeOf(() => lib.createCharacter({ name: 'BOB' }))).toBe('character_exists');
    expect(codeOf(() => lib.updateCharacter(other.id, { name: 'bob' }))).toBe('character_exists');
    expect(codeOf(() => lib.createCharacter({ name: '  ' }))).toBe('invalid_character');
    expect(() => lib.createCharacter({ name: 'X', referenceWeight: 1.5 })).toThrow(/Invalid character: .*referenceWeight/);
    expect(() => lib.createCharacter({ name: 'X', triggerWords: ['a, b'] })).toThrow(/cannot contain a comma/);
    expect(() => lib.createCharacter({ name: 'X', lora: { name: '', strength: 1 } })).toThrow(/file name the server lists/);
    expect(codeOf(() => lib.character('Nobody'))).toBe('not_found');
    expect(lib.characters()).toHaveLength(2);
  });

  it('copies reference pictures into refs/ by content, checks them, and removes unused files', async () => {
    const c = lib.createCharacter({ name: 'Bob' });
    const png = await writePng(dir, 'bob front.png', 64, 48);
    const withRef = await lib.addReference('bob', { path: png }, 0.7);
    expect(withRef.referenceImages).toHaveLength(1);
    const ref = withRef.referenceImages[0];
    expect(ref).toMatchObject({ originalName: 'bob front.png', widthPx: 64, heightPx: 48, weight: 0.7 });
    expect(ref.path).toBe(`refs/${ref.contentHash}.png`);
    expect(readFileSync(lib.absolutePath(ref.path))).toEqual(readFileSync(png));
    // Same picture again (as bytes): one entry, the new weight.
    const again = await lib.addReference(c.id, { fileName: 'copy.png', bytes: readFileSync(png) }, 0.4);
    expect(again.referenceImages).toEqual([{ ...ref, weight: 0.4 }]);
    // Another character shares the file; removing it from one keeps the file.
    const m = lib.createCharacter({ name: 'Margaret' });
    await lib.addReference(m.id, { path: png });
    lib.removeReference('bob', ref.contentHash);
    expect(existsSync(lib.absolutePath(ref.path))).toBe(true);
    lib.removeReference('margaret', ref.path);
    expect(existsSync(lib.absolutePath(ref.path))).toBe(false);
    await expect(lib.addReference('bob', { fileName: 'notes.txt', bytes: Buffer.from('hello, not a picture') })).rejects.toMatchObject({ code: 'invalid_reference' });
    await expect(lib.addReference('bob', { path: join(dir, 'missing.png') })).rejects.toMatchObject({ code: 'media.notFound' });
    await expect(lib.addReference('bob', { path: png }, 2)).rejects.toMatchObject({ code: 'invalid_reference' });
    expect(codeOf(() => lib.removeReference('bob', 'nope'))).toBe('not_found');
  });
});

describe('style templates', () => {
  const noir = {
    name: 'Noir',
    stylePrompt: 'charcoal storyboard sketch, high contrast',
    negativePrompt: 'color, photo',
    presetId: 'sdxl.fast',
    workflowId: null,
    sampler: { steps: 20, cfg: 6.5, samplerName: 'euler' },
    loras: [{ name: 'grain.safetensors', strengthModel: 0.5 }],
  };

  it('creates, updates, counts uses with the latest takes, and deletes', () => {
    const t = lib.createTemplate(noir);
    expect(t).toMatchObject({ ...noir, useCount: 0, thumbnails: [] });
    expect(t.id).toMatch(/^tpl_/);
    expect(lib.updateTemplate('noir', { sampler: { steps: 30 } }).sampler).toEqual({ steps: 30 });
    for (let i = 0; i < 10; i++) lib.recordTemplateTake(t.id, { projectPath: '/p/A.storycanvas', takePath: `media/takes/${i}.png` });
    const used = lib.template(t.id);
    expect(used.useCount).toBe(10);
    expect(used.thumbnails.map((x) => x.takePath)).toEqual([9, 8, 7, 6, 5, 4, 3, 2].map((i) => `media/takes/${i}.png`));
    lib.deleteTemplate('NOIR');
    expect(lib.templates()).toEqual([]);
    expect(lib.recordTemplateTake(t.id, { projectPath: '/p', takePath: 'x.png' })).toBe(false);
    expect(codeOf(() => lib.template('Noir'))).toBe('not_found');
  });

  it('refuses bad templates and taken names', () => {
    lib.createTemplate({ name: 'Noir' });
    expect(codeOf(() => lib.createTemplate({ name: 'noir' }))).toBe('template_exists');
    expect(() => lib.createTemplate({ name: 'X', sampler: { steps: 0 } })).toThrow(/Invalid template: .*sampler\.steps/);
    expect(() => lib.createTemplate({ name: 'X', loras: [{ name: 'a.safetensors', strengthModel: 500 }] })).toThrow(/loras/);
    expect(codeOf(() => lib.createTemplate({ name: 'X', colour: 'red' } as never))).toBe('invalid_template');
  });

  it('exports to a versioned file and imports it back (round trip), with conflict handling', () => {
    const t = lib.createTemplate(noir);
    lib.recordTemplateTake(t.id, { projectPath: '/p', takePath: 'a.png' });
    const text = lib.exportTemplate('Noir');
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(file).toEqual({ storycanvas: 'template', version: 1, ...noir });
    expect(text.endsWith('\n')).toBe(true);

    expect(codeOf(() => lib.importTemplate(text, 'noir.json'))).toBe('template_exists');
    const copy = lib.importTemplate(text, 'noir.json', 'rename');
    expect(copy).toMatchObject({ ...noir, name: 'Noir (2)', useCount: 0 });
    const edited = text.replace('high contrast', 'soft grey wash');
    const replaced = lib.importTemplate(edited, 'noir.json', 'replace');
    expect(replaced.id).toBe(t.id);
    expect(replaced.stylePrompt).toBe('charcoal storyboard sketch, soft grey wash');
    expect(replaced.useCount).toBe(1);

    // Into another library: the same fields.
    const other = LibraryStore.open(mkdtempSync(join(tmpdir(), 'sc-library-b-')));
    try {
      const imported = other.importTemplate(text, 'noir.json');
      expect(JSON.parse(other.exportTemplate(imported.id))).toEqual(file);
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
      other.close();
    }
  });
});
