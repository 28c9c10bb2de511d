import { describe, expect, it } from 'vitest';
import { methods } from '../../../src-preload/contract';
import type { LibraryTake, ProjectSnapshot } from '../../../src-preload/model';
import { NO_FILTERS, activeFilterCount, defaultTargetShot, mergePages, searchArgs, shotChoices, tilePicture, tileText } from './libraryModel';

function libTake(over: Partial<LibraryTake> = {}): LibraryTake {
  return {
    projectPath: '/films/Cyber Bob.storycanvas',
    projectName: 'Cyber Bob',
    projectId: 'p1',
    takeId: 't1',
    shotId: 's1',
    shotNumber: '1A',
    path: 'media/takes/abc.png',
    thumbPath: 'media/thumbs/abc.jpg',
    kind: 'image',
    source: 'generated',
    widthPx: 1920,
    heightPx: 1080,
    contentHash: 'abcdef0123456789',
    prompt: 'a man in a park at dusk',
    characters: ['BOB'],
    templateId: 'tpl',
    templateName: 'Charcoal',
    tags: ['hero'],
    starred: false,
    rejected: false,
    createdAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

describe('searchArgs', () => {
  it('leaves blank filters out and trims the rest; the result passes the contract schema', () => {
    const args = searchArgs({ query: '  park ', character: '', templateId: 'tpl', tag: ' hero ', hideRejected: true }, 'c2');
    expect(args).toEqual({ query: 'park', templateId: 'tpl', tag: 'hero', excludeRejected: true, limit: 48, cursor: 'c2' });
    expect(methods['library.takes.search'].args.safeParse(args).success).toBe(true);
    expect(searchArgs(NO_FILTERS)).toEqual({ excludeRejected: false, limit: 48 });
    expect(methods['library.takes.search'].args.safeParse(searchArgs(NO_FILTERS, null, 10)).success).toBe(true);
  });
  it('cuts an over-long tag to the 60 characters the contract takes', () => {
    const args = searchArgs({ ...NO_FILTERS, tag: 'x'.repeat(80) });
    expect(args.tag).toHaveLength(60);
    expect(methods['library.takes.search'].args.safeParse(args).success).toBe(true);
  });
  it('counts the filters in use', () => {
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...NO_FILTERS, query: 'a', tag: ' ', hideRejected: true })).toBe(2);
  });
});

describe('mergePages', () => {
  it('keeps page order and each take once, telling apart equal ids of different projects', () => {
    const a = libTake();
    const b = libTake({ takeId: 't2' });
    const other = libTake({ projectPath: '/films/Other.storycanvas' });
    expect(mergePages([{ takes: [a, b] }, { takes: [b, other] }]).map((t) => [t.projectPath, t.takeId])).toEqual([
      [a.projectPath, 't1'],
      [a.projectPath, 't2'],
      ['/films/Other.storycanvas', 't1'],
    ]);
  });
});

describe('tilePicture', () => {
  it('uses the thumbnail of an open project, else the picture itself', () => {
    expect(tilePicture(libTake())).toEqual({ projectId: 'p1', relPath: 'media/thumbs/abc.jpg', version: 'abcdef012345' });
    expect(tilePicture(libTake({ thumbPath: null }))).toEqual({ projectId: 'p1', relPath: 'media/takes/abc.png', version: 'abcdef012345' });
  });
  it('asks the take pool for the picture of a closed project, and has none for a clip without a thumbnail', () => {
    expect(tilePicture(libTake({ projectId: null }))).toEqual({ projectId: 'pool', relPath: 'take/t1', version: 'abcdef012345' });
    expect(tilePicture(libTake({ kind: 'video', thumbPath: null }))).toBeNull();
  });
});

describe('tileText', () => {
  it('says the shot, the project, the prompt and the characters and template', () => {
    expect(tileText(libTake())).toEqual({ shot: 'Shot 1A', project: 'Cyber Bob', prompt: 'a man in a park at dusk', hasPrompt: true, details: ['BOB', 'Charcoal'] });
  });
  it('describes an imported take without a prompt, and a take of a deleted shot', () => {
    const t = tileText(libTake({ prompt: ' ', source: 'imported', shotNumber: null, templateName: '', characters: [] }));
    expect(t).toMatchObject({ shot: 'A deleted shot', prompt: 'Imported picture, 1920×1080', hasPrompt: false, details: [] });
  });
});

describe('shotChoices and defaultTargetShot', () => {
  const shot = (id: string, number: string, action: string) => ({ id, number, action });
  const snap = {
    scenes: [
      { id: 'sc1', number: '1', heading: 'EXT. PARK - DUSK', shots: [shot('a', '1A', 'Bob   walks\nin.'), shot('b', '1B', '')] },
      { id: 'sc2', number: '2', heading: 'INT. FLAT - NIGHT', shots: [shot('c', '2A', 'x'.repeat(80))] },
      { id: 'sc3', number: '3', heading: 'EMPTY', shots: [] },
    ],
  } as unknown as ProjectSnapshot;
  it('groups shots by scene with their action shortened', () => {
    const groups = shotChoices(snap);
    expect(groups.map((g) => g.sceneLabel)).toEqual(['1 · EXT. PARK - DUSK', '2 · INT. FLAT - NIGHT', '3 · EMPTY']);
    expect(groups[0].shots.map((s) => s.label)).toEqual(['1A · Bob walks in.', '1B']);
    expect(groups[1].shots[0].label).toHaveLength(65);
    expect(groups[1].shots[0].label.endsWith('…')).toBe(true);
  });
  it('proposes the preferred shot when it is there, else the first shot', () => {
    expect(defaultTargetShot(snap, 'c')).toBe('c');
    expect(defaultTargetShot(snap, 'gone')).toBe('a');
    expect(defaultTargetShot(snap, null)).toBe('a');
    expect(defaultTargetShot({ scenes: [] } as unknown as ProjectSnapshot, 'a')).toBeNull();
  });
});
