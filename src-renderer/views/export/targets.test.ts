import { describe, expect, it } from 'vitest';
import { ExportChoice } from '../../../src-preload/contract';
import {
  EXPORT_TARGETS,
  choiceFromForm,
  defaultExportForm,
  defaultOutPath,
  formFromChoice,
  mediaPathsMode,
  newExportId,
  stageLabel,
  summarizePlan,
  summarizeWritten,
  targetOf,
  usesFcpxmlVersion,
} from './targets';

describe('export targets', () => {
  it('has one tile per format of the contract, named after the editor', () => {
    expect(EXPORT_TARGETS.map((t) => t.format).sort()).toEqual([...ExportChoice.shape.format.options].sort());
    expect(targetOf('fcpxml').title).toBe('Final Cut Pro');
    expect(targetOf('xmeml').title).toBe('Premiere Pro');
    expect(targetOf('resolve').title).toBe('DaVinci Resolve');
    expect(targetOf('edl').title).toBe('Avid / any EDL');
    expect(targetOf('mp4').title).toBe('Animatic');
    expect(targetOf('pdf').title).toBe('PDF boards');
    expect(targetOf('zip').title).toBe('Project package');
  });

  it('defaults to Final Cut Pro with FCPXML 1.10', () => {
    const f = defaultExportForm();
    expect(choiceFromForm(f)).toEqual({ format: 'fcpxml', fcpxmlVersion: '1.10' });
  });
});

describe('choiceFromForm', () => {
  it('sends only the options the chosen format uses, and each choice passes the contract schema', () => {
    const f = defaultExportForm();
    f.mediaPaths = 'relative';
    f.fcpxmlVersion = '1.12';
    const cases = {
      fcpxml: { format: 'fcpxml', fcpxmlVersion: '1.12' },
      xmeml: { format: 'xmeml' },
      edl: { format: 'edl' },
      otio: { format: 'otio', mediaPaths: 'relative' },
      resolve: { format: 'resolve', resolveVia: 'otio', mediaPaths: 'relative' },
      mp4: { format: 'mp4', burnIn: { shotNumber: true, dialogue: false, timecode: true } },
      pdf: { format: 'pdf', pdf: { perPage: 6, orientation: 'landscape', pageSize: 'A4' } },
      zip: { format: 'zip' },
    } as const;
    for (const [format, want] of Object.entries(cases)) {
      const choice = choiceFromForm({ ...f, format: format as keyof typeof cases });
      expect(choice).toEqual(want);
      expect(ExportChoice.safeParse(choice).success).toBe(true);
    }
  });

  it('Resolve via FCPXML leaves the version to the core (1.10, what Resolve reads) and writes absolute paths', () => {
    const f = { ...defaultExportForm(), format: 'resolve' as const, resolveVia: 'fcpxml' as const, mediaPaths: 'relative' as const, fcpxmlVersion: '1.13' as const };
    expect(choiceFromForm(f)).toEqual({ format: 'resolve', resolveVia: 'fcpxml' });
    expect(usesFcpxmlVersion(f)).toBe(false);
    expect(mediaPathsMode(f)).toBe('absolute-only');
  });

  it('sends a typed output path trimmed, per format, and leaves a blank one to the core', () => {
    const f = { ...defaultExportForm(), format: 'mp4' as const, outPaths: { mp4: '  /tmp/cut.mp4 ', pdf: '/tmp/boards.pdf', fcpxml: '   ' } };
    expect(choiceFromForm(f).outPath).toBe('/tmp/cut.mp4');
    expect(choiceFromForm({ ...f, format: 'pdf' }).outPath).toBe('/tmp/boards.pdf');
    expect(choiceFromForm({ ...f, format: 'fcpxml' }).outPath).toBeUndefined();
  });
});

describe('formFromChoice', () => {
  it('preselects the remembered choice and round-trips it', () => {
    const remembered = [
      { format: 'mp4', burnIn: { shotNumber: false, dialogue: true, timecode: false }, outPath: '/x/a.mp4' },
      { format: 'pdf', pdf: { perPage: 2, orientation: 'portrait', pageSize: 'Letter' } },
      { format: 'resolve', resolveVia: 'fcpxml' },
      { format: 'otio', mediaPaths: 'relative' },
      { format: 'fcpxml', fcpxmlVersion: '1.13' },
    ] as const;
    for (const choice of remembered) expect(choiceFromForm(formFromChoice(choice))).toEqual(choice);
  });

  it('fills what an older choice lacks from the defaults, and null keeps the defaults', () => {
    expect(formFromChoice(null)).toEqual(defaultExportForm());
    const f = formFromChoice({ format: 'pdf', pdf: { perPage: 3 } });
    expect(f.pdf).toEqual({ perPage: 3, orientation: 'landscape', pageSize: 'A4' });
    expect(f.fcpxmlVersion).toBe('1.10');
  });
});

describe('mediaPathsMode', () => {
  it('offers relative paths only where the format can write them (OTIO)', () => {
    const f = defaultExportForm();
    expect(mediaPathsMode({ ...f, format: 'otio' })).toBe('choice');
    expect(mediaPathsMode({ ...f, format: 'resolve', resolveVia: 'otio' })).toBe('choice');
    expect(mediaPathsMode({ ...f, format: 'fcpxml' })).toBe('absolute-only');
    expect(mediaPathsMode({ ...f, format: 'xmeml' })).toBe('absolute-only');
    expect(mediaPathsMode({ ...f, format: 'edl' })).toBe('none');
    expect(mediaPathsMode({ ...f, format: 'mp4' })).toBe('none');
  });
});

describe('defaultOutPath', () => {
  const files = (...paths: string[]) => ({ files: paths.map((path, i) => ({ path, kind: i === 0 ? ('timeline' as const) : ('media' as const) })) });
  it('is the first file, or the folder the Resolve preset creates', () => {
    expect(defaultOutPath('fcpxml', files('/p/exports/Demo.fcpxml', '/p/exports/media/1A.png'))).toBe('/p/exports/Demo.fcpxml');
    expect(defaultOutPath('resolve', files('/p/exports/Demo (Resolve)/Demo.otio'))).toBe('/p/exports/Demo (Resolve)');
    expect(defaultOutPath('resolve', files('C:\\p\\exports\\Demo (Resolve)\\Demo.otio'))).toBe('C:\\p\\exports\\Demo (Resolve)');
    expect(defaultOutPath('mp4', { files: [] })).toBeNull();
    expect(defaultOutPath('mp4', null)).toBeNull();
  });
});

describe('summarizePlan', () => {
  it('lists the main file, the music, and folds the pictures into one row per folder', () => {
    const rows = summarizePlan({
      files: [
        { path: '/e/Demo.fcpxml', kind: 'timeline' },
        { path: '/e/media/1A.png', kind: 'media' },
        { path: '/e/media/1B.png', kind: 'media' },
        { path: '/e/media/1C.mp4', kind: 'media' },
        { path: '/e/media/1D.png', kind: 'media' },
        { path: '/e/media/music.wav', kind: 'media' },
      ],
    });
    expect(rows).toEqual([
      { kind: 'file', path: '/e/Demo.fcpxml', badge: 'timeline' },
      { kind: 'file', path: '/e/media/music.wav', badge: 'audio' },
      { kind: 'folder', path: '/e/media/', badge: 'media', count: 4, examples: ['1A.png', '1B.png', '1C.mp4'] },
    ]);
  });

  it('keeps a lone video or package as it is', () => {
    expect(summarizePlan({ files: [{ path: '/e/Demo.mp4', kind: 'video' }] })).toEqual([{ kind: 'file', path: '/e/Demo.mp4', badge: 'video' }]);
  });
});

describe('summarizeWritten', () => {
  it('names the main file by the format and folds the copied pictures', () => {
    expect(summarizeWritten('resolve', ['/e/D (Resolve)/D.otio', '/e/D (Resolve)/media/1A.png', '/e/D (Resolve)/media/1B.png'])).toEqual([
      { kind: 'file', path: '/e/D (Resolve)/D.otio', badge: 'timeline' },
      { kind: 'folder', path: '/e/D (Resolve)/media/', badge: 'media', count: 2, examples: ['1A.png', '1B.png'] },
    ]);
    expect(summarizeWritten('zip', ['/p/D.storycanvas.zip'])).toEqual([{ kind: 'file', path: '/p/D.storycanvas.zip', badge: 'package' }]);
  });
});

describe('stageLabel', () => {
  it('names every stage in words', () => {
    expect(stageLabel('encode', 'mp4')).toBe('Encoding the animatic');
    expect(stageLabel('media', 'fcpxml')).toBe('Copying the pictures');
    expect(stageLabel('media', 'mp4')).toBe('Preparing the pictures');
    expect(stageLabel('done', 'zip')).toBe('Done');
  });
});

describe('newExportId', () => {
  it('uses randomUUID where the page has it', () => {
    expect(newExportId({ randomUUID: () => 'abc', getRandomValues: (a) => a })).toBe('abc');
  });
  it('falls back to a v4 UUID from getRandomValues', () => {
    const id = newExportId({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => { new Uint8Array((a as unknown as Uint8Array).buffer).fill(0xff); return a; } });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});
