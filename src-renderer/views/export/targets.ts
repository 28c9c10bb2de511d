/**
 * The Export view's model, without React: the targets an artist picks (named after the editor that opens them),
 * the options each one takes, and how the form turns into the contract's `ExportChoice` (src-preload/contract.ts)
 * and back (`export.lastChoice` preselects the form when the view opens).
 *
 * Pure TypeScript: no DOM, no Node.
 */
import type { ExportChoice, ExportFormat, ExportPlan, ExportStage } from '../../../src-preload/contract';

/** FCPXML versions the core writes. */
export type FcpxmlVersion = NonNullable<ExportChoice['fcpxmlVersion']>;
/** Every FCPXML version, oldest first. */
export const FCPXML_VERSIONS: readonly FcpxmlVersion[] = ['1.9', '1.10', '1.11', '1.12', '1.13'];
/** Who reads each FCPXML version, for the version menu (the core's export/fcpxml.ts). */
export const FCPXML_VERSION_NOTES: Readonly<Record<FcpxmlVersion, string>> = {
  '1.9': 'Final Cut Pro 10.5+',
  '1.10': 'Final Cut Pro 10.6+ and Resolve 17+',
  '1.11': 'newer Final Cut Pro only',
  '1.12': 'newer Final Cut Pro only',
  '1.13': 'the newest Final Cut Pro only',
};

/** Shots per PDF page the core lays out. */
export type PdfPerPage = 1 | 2 | 3 | 4 | 6;
/** The per-page choices, in menu order. */
export const PDF_PER_PAGE: readonly PdfPerPage[] = [1, 2, 3, 4, 6];

/** One tile of the Export view: a target named by the application that opens it. */
export interface ExportTarget {
  format: ExportFormat;
  /** The editor or the thing made: `Final Cut Pro`, `Animatic`. */
  title: string;
  /** What is written, in the trade's words: `FCPXML timeline + media`. */
  subtitle: string;
  /** Which family it belongs to, for grouping: an editor's timeline, or a deliverable made by StoryCanvas. */
  kind: 'timeline' | 'deliverable';
  /** The Export button's words for it. */
  action: string;
}

/** The tiles, in the order shown: the editors first, then what StoryCanvas renders itself. */
export const EXPORT_TARGETS: readonly ExportTarget[] = [
  { format: 'fcpxml', title: 'Final Cut Pro', subtitle: 'FCPXML timeline + media', kind: 'timeline', action: 'Export for Final Cut Pro' },
  { format: 'xmeml', title: 'Premiere Pro', subtitle: 'Premiere XML (xmeml) + media', kind: 'timeline', action: 'Export for Premiere Pro' },
  { format: 'resolve', title: 'DaVinci Resolve', subtitle: 'A folder: timeline + media', kind: 'timeline', action: 'Export for DaVinci Resolve' },
  { format: 'edl', title: 'Avid / any EDL', subtitle: 'CMX 3600 EDL + media', kind: 'timeline', action: 'Export the EDL' },
  { format: 'otio', title: 'OpenTimelineIO', subtitle: '.otio for any OTIO app', kind: 'timeline', action: 'Export OpenTimelineIO' },
  { format: 'mp4', title: 'Animatic', subtitle: 'H.264 MP4 with the music', kind: 'deliverable', action: 'Render the animatic' },
  { format: 'pdf', title: 'PDF boards', subtitle: 'Storyboard sheets to print', kind: 'deliverable', action: 'Make the PDF boards' },
  { format: 'zip', title: 'Project package', subtitle: 'The whole project in one ZIP', kind: 'deliverable', action: 'Pack the project' },
];

/** The tile of a format. @throws Error for a format without a tile (a contract change this view missed). */
export function targetOf(format: ExportFormat): ExportTarget {
  const t = EXPORT_TARGETS.find((x) => x.format === format);
  if (!t) throw new Error(`The Export view has no tile for the format "${format}": add it to EXPORT_TARGETS.`);
  return t;
}

/** Texts burnt into the animatic. */
export interface BurnInForm {
  shotNumber: boolean;
  dialogue: boolean;
  timecode: boolean;
}

/** PDF sheet layout. */
export interface PdfForm {
  perPage: PdfPerPage;
  orientation: 'portrait' | 'landscape';
  pageSize: 'A4' | 'Letter';
}

/**
 * Everything the Export view's controls hold. Options of the targets not chosen are kept, so switching tiles
 * back and forth loses nothing; `choiceFromForm` sends only what the chosen format uses.
 */
export interface ExportForm {
  format: ExportFormat;
  fcpxmlVersion: FcpxmlVersion;
  resolveVia: 'otio' | 'fcpxml';
  mediaPaths: 'absolute' | 'relative';
  burnIn: BurnInForm;
  pdf: PdfForm;
  /** The output path the artist typed, per format; absent or blank means the core's default (export.plan shows it). */
  outPaths: Partial<Record<ExportFormat, string>>;
}

/** The form before any export: Final Cut Pro, FCPXML 1.10, absolute paths, shot number and timecode burnt in, 6 per A4 landscape page. */
export function defaultExportForm(): ExportForm {
  return {
    format: 'fcpxml',
    fcpxmlVersion: '1.10',
    resolveVia: 'otio',
    mediaPaths: 'absolute',
    burnIn: { shotNumber: true, dialogue: false, timecode: true },
    pdf: { perPage: 6, orientation: 'landscape', pageSize: 'A4' },
    outPaths: {},
  };
}

/**
 * The form that preselects a remembered choice (`export.lastChoice`), on top of `base` (default: the defaults).
 * Only what the choice names changes; a null choice gives `base` back.
 */
export function formFromChoice(choice: ExportChoice | null | undefined, base: ExportForm = defaultExportForm()): ExportForm {
  if (!choice) return base;
  const form: ExportForm = { ...base, format: choice.format, burnIn: { ...base.burnIn }, pdf: { ...base.pdf }, outPaths: { ...base.outPaths } };
  if (choice.fcpxmlVersion && choice.format === 'fcpxml') form.fcpxmlVersion = choice.fcpxmlVersion;
  if (choice.resolveVia) form.resolveVia = choice.resolveVia;
  if (choice.mediaPaths) form.mediaPaths = choice.mediaPaths;
  if (choice.burnIn) form.burnIn = { shotNumber: !!choice.burnIn.shotNumber, dialogue: !!choice.burnIn.dialogue, timecode: !!choice.burnIn.timecode };
  if (choice.pdf) form.pdf = { ...form.pdf, ...definedOnly(choice.pdf) };
  if (choice.outPath) form.outPaths[choice.format] = choice.outPath;
  return form;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The timeline format a choice writes: its own for the timeline formats, the Resolve folder's, or null (mp4, pdf, zip). */
export function timelineFormatOf(form: Pick<ExportForm, 'format' | 'resolveVia'>): 'fcpxml' | 'xmeml' | 'edl' | 'otio' | null {
  if (form.format === 'resolve') return form.resolveVia;
  if (form.format === 'fcpxml' || form.format === 'xmeml' || form.format === 'edl' || form.format === 'otio') return form.format;
  return null;
}

/**
 * How the chosen target names its media files: `choice` (absolute or relative, the artist picks: OTIO only),
 * `absolute-only` (FCPXML and Premiere XML need absolute file URLs), or `none` (an EDL names clips, not files;
 * renders and packages carry their pictures inside).
 */
export function mediaPathsMode(form: Pick<ExportForm, 'format' | 'resolveVia'>): 'choice' | 'absolute-only' | 'none' {
  const t = timelineFormatOf(form);
  if (t === 'otio') return 'choice';
  if (t === 'fcpxml' || t === 'xmeml') return 'absolute-only';
  return 'none';
}

/**
 * Whether the chosen target takes an FCPXML version: Final Cut Pro only. The Resolve preset via FCPXML always
 * writes 1.10, the version Resolve reads (the core's default).
 */
export function usesFcpxmlVersion(form: Pick<ExportForm, 'format'>): boolean {
  return form.format === 'fcpxml';
}

/**
 * The contract's choice for a form: the format and only the options it uses (so `export.lastChoice` remembers
 * a clean choice). A blank output path is left out: the core writes to its default.
 */
export function choiceFromForm(form: ExportForm): ExportChoice {
  const choice: ExportChoice = { format: form.format };
  const outPath = form.outPaths[form.format]?.trim();
  if (outPath) choice.outPath = outPath;
  if (form.format === 'resolve') choice.resolveVia = form.resolveVia;
  if (usesFcpxmlVersion(form)) choice.fcpxmlVersion = form.fcpxmlVersion;
  if (mediaPathsMode(form) === 'choice') choice.mediaPaths = form.mediaPaths;
  if (form.format === 'mp4') choice.burnIn = { ...form.burnIn };
  if (form.format === 'pdf') choice.pdf = { ...form.pdf };
  return choice;
}

/**
 * The path an export creates by default, read from `export.plan`'s files: the first file, except for the Resolve
 * preset, whose first file is the timeline inside the folder it creates (the folder is returned). Null for an
 * empty plan (no shots).
 */
export function defaultOutPath(format: ExportFormat, plan: Pick<ExportPlan, 'files'> | null | undefined): string | null {
  const first = plan?.files[0]?.path;
  if (!first) return null;
  if (format !== 'resolve') return first;
  const cut = Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\'));
  return cut > 0 ? first.slice(0, cut) : first;
}

/** What an export stage is doing, for the progress line. */
export function stageLabel(stage: ExportStage, format: ExportFormat): string {
  switch (stage) {
    case 'media':
      return format === 'mp4' || format === 'pdf' ? 'Preparing the pictures' : 'Copying the pictures';
    case 'timeline':
      return 'Writing the timeline';
    case 'encode':
      return 'Encoding the animatic';
    case 'pdf':
      return 'Laying out the pages';
    case 'package':
      return 'Packing the project';
    case 'done':
      return 'Done';
  }
}

/** A plan's files as the view lists them: each file that is not a picture, and the pictures folded into one line per folder. */
export interface PlanSummaryRow {
  kind: 'file' | 'folder';
  /** The file, or the media folder (with a trailing separator). */
  path: string;
  /** For a file: `timeline`, `video`, `pdf`, `package`, or `audio` for the music copied into media/. */
  badge: string;
  /** For a folder: how many files go into it, and the first few names. */
  count?: number;
  examples?: string[];
}

const AUDIO_EXT = /\.(wav|mp3|m4a|aac|flac|ogg|oga|opus)$/i;

/**
 * Folds a plan into rows: the main files in order, then one row per media folder (`…/media/`, 35 files:
 * 1A.png, 1B.png, …), with the music named separately. `exampleCount` names at most that many files per folder.
 */
export function summarizePlan(plan: Pick<ExportPlan, 'files'>, exampleCount = 3): PlanSummaryRow[] {
  const rows: PlanSummaryRow[] = [];
  const folders = new Map<string, PlanSummaryRow>();
  for (const f of plan.files) {
    if (f.kind !== 'media') {
      rows.push({ kind: 'file', path: f.path, badge: f.kind });
      continue;
    }
    const cut = Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\'));
    const dir = f.path.slice(0, cut + 1);
    const name = f.path.slice(cut + 1);
    if (AUDIO_EXT.test(name)) {
      rows.push({ kind: 'file', path: f.path, badge: 'audio' });
      continue;
    }
    let row = folders.get(dir);
    if (!row) {
      row = { kind: 'folder', path: dir, badge: 'media', count: 0, examples: [] };
      folders.set(dir, row);
      rows.push(row);
    }
    row.count = (row.count ?? 0) + 1;
    if (row.examples!.length < exampleCount) row.examples!.push(name);
  }
  // the main files first, then the music, then the picture folders
  const order = (r: PlanSummaryRow) => (r.kind === 'folder' ? 2 : r.badge === 'audio' ? 1 : 0);
  return rows.map((r, i) => ({ r, i })).sort((a, b) => order(a.r) - order(b.r) || a.i - b.i).map((x) => x.r);
}

/**
 * A fresh id for `export.run`'s progress events and `export.cancel`: `crypto.randomUUID()` where the page has it
 * (secure contexts), else 122 random bits from `crypto.getRandomValues` in the same UUID v4 form.
 */
export function newExportId(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = globalThis.crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** What a finished export wrote, as plan rows: the first file is the main one (timeline, video, PDF or package), the rest media. */
export function summarizeWritten(format: ExportFormat, files: ReadonlyArray<string>): PlanSummaryRow[] {
  const mainKind: ExportPlan['files'][number]['kind'] = format === 'mp4' ? 'video' : format === 'pdf' ? 'pdf' : format === 'zip' ? 'package' : 'timeline';
  return summarizePlan({ files: files.map((path, i) => ({ path, kind: i === 0 ? mainKind : 'media' })) });
}
