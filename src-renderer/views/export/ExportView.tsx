/**
 * The one-click Export view: pick where the storyboard goes as a large tile named after the editor that opens
 * it (Final Cut Pro, Premiere Pro, DaVinci Resolve, Avid / any EDL, OpenTimelineIO) or what StoryCanvas renders
 * (Animatic, PDF boards, Project package), adjust the few options that target has, see what will be written
 * (`export.plan`, updated as options change), and export (`export.run` with a client exportId; progress from
 * `export.progress` events; Cancel sends `export.cancel`). The last successful choice of the project
 * (`export.lastChoice`) is preselected each time the view opens. When shots show pictures smaller than the project
 * frame, a callout offers to upscale them all to the project resolution first (enhance/UpscaleBeforeExport.tsx).
 *
 * Closing the view while an export runs leaves it running: a toast says so, and another says when it is done.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ExportChoice, ExportFormat, ExportResult, ExportStage } from '../../../src-preload/contract';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTimecode } from '../../lib/duration';
import { errorInfo } from '../../lib/errors';
import { useUi } from '../../state/ui';
import { UpscaleBeforeExport } from '../enhance/UpscaleBeforeExport';
import { ExportGlyph } from './ExportGlyphs';
import {
  EXPORT_TARGETS,
  FCPXML_VERSIONS,
  FCPXML_VERSION_NOTES,
  PDF_PER_PAGE,
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
  type ExportForm,
  type FcpxmlVersion,
  type PlanSummaryRow,
} from './targets';
import './export.css';

/** The sentence the core adds for EDL exports; the view shows it as a callout, so the notes list leaves it out. */
const EDL_RESOLVE_NOTE = 'Resolve does not import stills from an EDL';

/** Where an export stands in the view. */
type RunState =
  | { status: 'idle' }
  | { status: 'running'; exportId: string; format: ExportFormat; stage: ExportStage; fraction: number }
  | { status: 'done'; format: ExportFormat; result: ExportResult }
  | { status: 'failed'; format: ExportFormat; error: unknown }
  | { status: 'cancelled'; format: ExportFormat };

/** Props of ExportView: the project and the controlled open state. */
export interface ExportViewProps {
  snapshot: ProjectSnapshot;
  open: boolean;
  onOpenChange(open: boolean): void;
}

/** Waits `delayMs` after the last change of `value` before handing it on (typing a path must not plan per key). */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(t);
  }, [value, delayMs]);
  return settled;
}

/** The Export view (a Radix dialog). Mount it once per project; it keeps a running export across close and reopen. */
export function ExportView({ snapshot, open, onOpenChange }: ExportViewProps) {
  const bridge = useBridge();
  const projectId = snapshot.projectId;
  const [form, setForm] = useState<ExportForm>(defaultExportForm);
  const [run, setRun] = useState<RunState>({ status: 'idle' });
  const [choiceLoaded, setChoiceLoaded] = useState(false);
  /** Default output path per format (and Resolve timeline), learned from plans made without a typed path. */
  const [defaults, setDefaults] = useState<Record<string, string>>({});
  const runRef = useRef<RunState>(run);
  runRef.current = run;
  const openRef = useRef(open);
  openRef.current = open;
  /** Whether the finished run's outcome was on screen (then reopening starts afresh). */
  const outcomeSeen = useRef(false);
  const backgroundToast = useRef<number | null>(null);
  const shotCount = snapshot.scenes.reduce((n, s) => n + s.shots.length, 0);
  const rate = snapshot.settings.frameRate;

  // ---- on opening: preselect the last choice, and start afresh unless an export runs or finished unseen
  useEffect(() => {
    if (!open) return;
    const r = runRef.current;
    if (r.status !== 'running' && (r.status === 'idle' || outcomeSeen.current)) setRun({ status: 'idle' });
    if (r.status !== 'idle') outcomeSeen.current = true;
    if (r.status === 'running') return;
    let live = true;
    setChoiceLoaded(false);
    bridge
      .call('export.lastChoice', { projectId })
      .then((choice) => live && setForm((f) => formFromChoice(choice, f)))
      .catch(() => undefined) // nothing remembered is not an error worth showing: the defaults stand
      .finally(() => live && setChoiceLoaded(true));
    return () => {
      live = false;
    };
  }, [open, bridge, projectId]);

  // ---- progress events of our export
  useEffect(
    () =>
      bridge.on('export.progress', (p) => {
        const r = runRef.current;
        if (r.status !== 'running' || p.exportId !== r.exportId) return;
        setRun({ ...r, stage: p.stage, fraction: Math.max(r.fraction, p.fraction) });
      }),
    [bridge],
  );

  // ---- the plan: what will be written, updated as options change
  const defaultKey = form.format === 'resolve' ? `resolve:${form.resolveVia}` : form.format;
  const defaultPath = defaults[defaultKey] ?? null;
  const typedPath = form.outPaths[form.format];
  const choice = useMemo<ExportChoice>(() => {
    const c = choiceFromForm(form);
    if (c.outPath && defaultPath && c.outPath === defaultPath) delete c.outPath;
    return c;
  }, [form, defaultPath]);
  const planChoice = useDebounced(choice, 250);
  const plan = useQuery({
    queryKey: ['export.plan', projectId, snapshot.revision, JSON.stringify(planChoice)],
    queryFn: () => bridge.call('export.plan', { projectId, ...planChoice }),
    enabled: open && choiceLoaded,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    retry: false,
  });
  useEffect(() => {
    if (!plan.data || plan.isPlaceholderData || planChoice.outPath) return;
    const path = defaultOutPath(planChoice.format, plan.data);
    const key = planChoice.format === 'resolve' ? `resolve:${planChoice.resolveVia ?? 'otio'}` : planChoice.format;
    if (path) setDefaults((d) => (d[key] === path ? d : { ...d, [key]: path }));
  }, [plan.data, plan.isPlaceholderData, planChoice]);
  const planIsCurrent = !plan.isPlaceholderData && JSON.stringify(planChoice) === JSON.stringify(choice);

  // ---- run, cancel, close
  const running = run.status === 'running';
  async function startExport() {
    const exportId = newExportId();
    const format = choice.format;
    outcomeSeen.current = false;
    setRun({ status: 'running', exportId, format, stage: 'media', fraction: 0 });
    let outcome: RunState;
    try {
      const result = await bridge.call('export.run', { projectId, ...choice, exportId });
      outcome = { status: 'done', format, result };
    } catch (error) {
      outcome = errorInfo(error).code === 'export_cancelled' ? { status: 'cancelled', format } : { status: 'failed', format, error };
    }
    setRun(outcome);
    if (openRef.current) outcomeSeen.current = true;
    else announceInBackground(outcome);
  }

  function announceInBackground(outcome: RunState) {
    const ui = useUi.getState();
    if (backgroundToast.current !== null) ui.dismissToast(backgroundToast.current);
    backgroundToast.current = null;
    const title = targetOf(outcome.status === 'idle' ? 'fcpxml' : outcome.format).title;
    const show = { label: 'Show', run: () => ui.setDialog('export') };
    if (outcome.status === 'done') ui.toast({ kind: 'success', message: `${title} export finished: ${outcome.result.files[0] ?? ''}`, action: show, timeoutMs: 12_000 });
    else if (outcome.status === 'failed') ui.toast({ kind: 'error', message: `${title} export failed: ${errorInfo(outcome.error).message}`, action: show });
    else if (outcome.status === 'cancelled') ui.toast({ kind: 'info', message: `${title} export cancelled.` });
  }

  async function cancelExport() {
    const r = runRef.current;
    if (r.status !== 'running') return;
    try {
      await bridge.call('export.cancel', { exportId: r.exportId });
    } catch (error) {
      useUi.getState().toast({ kind: 'error', message: `Could not cancel the export: ${errorInfo(error).message}` });
    }
  }

  function close(next: boolean) {
    if (!next && runRef.current.status === 'running') {
      const title = targetOf(runRef.current.format).title;
      backgroundToast.current = useUi.getState().toast({ kind: 'progress', message: `Exporting ${title} in the background…`, action: { label: 'Show', run: () => useUi.getState().setDialog('export') } });
    }
    if (next && backgroundToast.current !== null) {
      useUi.getState().dismissToast(backgroundToast.current);
      backgroundToast.current = null;
    }
    onOpenChange(next);
  }

  const update = (patch: Partial<ExportForm>) => {
    if (run.status !== 'running' && run.status !== 'idle') setRun({ status: 'idle' });
    setForm((f) => ({ ...f, ...patch }));
  };
  const target = targetOf(form.format);
  const outPathValue = typedPath ?? defaultPath ?? '';
  const customPath = typedPath !== undefined && typedPath.trim() !== '' && typedPath.trim() !== defaultPath;

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Export"
      widthPx={960}
      description={`Hand the storyboard on: ${shotCount} shot${shotCount === 1 ? '' : 's'}, ${formatTimecode(totalFrames(snapshot), rate)}. Pick where it goes.`}
      footer={
        <>
          <span className="export-footer-hint">
            <kbd>Ctrl</kbd>+<kbd>E</kbd> opens this view
          </span>
          {running ? (
            <button type="button" className="button" onClick={() => void cancelExport()}>
              Cancel export
            </button>
          ) : (
            <button type="button" className="button" onClick={() => close(false)}>
              {run.status === 'done' ? 'Done' : 'Close'}
            </button>
          )}
          <button
            type="button"
            className="button button-primary export-go"
            onClick={() => void startExport()}
            disabled={running || shotCount === 0 || !choiceLoaded}
          >
            {running ? 'Exporting…' : run.status === 'done' ? 'Export again' : target.action}
          </button>
        </>
      }
    >
      <div className="export-view">
        <div className="export-tiles" role="radiogroup" aria-label="Export target">
          {EXPORT_TARGETS.map((t) => (
            <button
              key={t.format}
              type="button"
              role="radio"
              aria-checked={form.format === t.format}
              className={`export-tile${form.format === t.format ? ' is-on' : ''}`}
              disabled={running}
              onClick={() => update({ format: t.format })}
              onKeyDown={(e) => {
                // arrow keys move the choice along the tiles, as in any radio group
                const i = EXPORT_TARGETS.findIndex((x) => x.format === form.format);
                const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
                if (!step) return;
                e.preventDefault();
                const next = EXPORT_TARGETS[(i + step + EXPORT_TARGETS.length) % EXPORT_TARGETS.length];
                update({ format: next.format });
                (e.currentTarget.parentElement?.querySelector(`[data-format="${next.format}"]`) as HTMLElement | null)?.focus();
              }}
              data-format={t.format}
              tabIndex={form.format === t.format ? 0 : -1}
            >
              <ExportGlyph format={t.format} />
              <span className="export-tile-text">
                <span className="export-tile-title">{t.title}</span>
                <span className="export-tile-sub">{t.subtitle}</span>
              </span>
            </button>
          ))}
        </div>

        <div className="export-columns">
          <fieldset className="export-options" disabled={running}>
            <legend className="export-section-title">{target.title} options</legend>
            <TargetOptions form={form} update={update} />
            <label className="field">
              <span className="field-label">
                {form.format === 'resolve' ? 'Folder to create' : 'Save as'}
                {customPath ? (
                  <button type="button" className="link-button export-reset" onClick={() => update({ outPaths: { ...form.outPaths, [form.format]: undefined } })}>
                    Use the default
                  </button>
                ) : null}
              </span>
              <input
                className="input mono export-path"
                aria-label="Output path"
                value={outPathValue}
                placeholder={defaultPath ?? 'The default place in the project’s exports folder'}
                onChange={(e) => update({ outPaths: { ...form.outPaths, [form.format]: e.target.value } })}
                spellCheck={false}
              />
              <span className="field-help">
                {bridge.shell === 'web' ? 'A path on the machine that runs StoryCanvas. ' : ''}Folders are created as needed; nothing is left half-written.
              </span>
            </label>
          </fieldset>

          <section className="export-plan" aria-label="What will be written" aria-busy={!planIsCurrent}>
            <h3 className="export-section-title">
              What will be written
              {!planIsCurrent || plan.isFetching ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            </h3>
            {plan.error ? <ErrorNotice error={plan.error} /> : null}
            {plan.data ? <PlanView rows={summarizePlan(plan.data)} notes={plan.data.notes.filter((n) => !(form.format === 'edl' && n.includes(EDL_RESOLVE_NOTE)))} /> : null}
            {!plan.data && !plan.error ? <p className="muted">Working it out…</p> : null}
          </section>
        </div>

        <UpscaleBeforeExport snapshot={snapshot} disabled={running} />

        <RunView run={run} rate={rate} onCopied={(what) => useUi.getState().toast({ kind: 'success', message: `Copied ${what}`, timeoutMs: 2500 })} />
      </div>
    </Dialog>
  );
}

function totalFrames(snapshot: ProjectSnapshot): number {
  return snapshot.scenes.reduce((n, s) => n + s.shots.reduce((m, x) => m + x.durationFrames, 0), 0);
}

/** A row of mutually exclusive buttons (`.segmented`), labelled for assistive technology. */
function Segmented<T extends string | number>(props: { label: string; value: T; options: ReadonlyArray<{ value: T; label: ReactNode; title?: string }>; onChange(v: T): void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          role="radio"
          aria-checked={props.value === o.value}
          className={props.value === o.value ? 'is-on' : undefined}
          title={o.title}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** The options of the chosen target. */
function TargetOptions({ form, update }: { form: ExportForm; update(patch: Partial<ExportForm>): void }) {
  const paths = mediaPathsMode(form);
  return (
    <div className="export-option-list">
      {form.format === 'resolve' ? (
        <div className="field">
          <span className="field-label">Timeline inside the folder</span>
          <div className="export-radio-cards" role="radiogroup" aria-label="Resolve timeline format">
            {(
              [
                { value: 'otio', title: 'OpenTimelineIO', sub: 'Recommended · DaVinci Resolve 18.5 and later' },
                { value: 'fcpxml', title: 'FCPXML 1.10', sub: 'For older Resolve versions' },
              ] as const
            ).map((o) => (
              <label key={o.value} className={`export-radio-card${form.resolveVia === o.value ? ' is-on' : ''}`}>
                <input type="radio" name="resolveVia" value={o.value} checked={form.resolveVia === o.value} onChange={() => update({ resolveVia: o.value })} />
                <span>
                  <span className="export-radio-title">{o.title}</span>
                  <span className="export-radio-sub">{o.sub}</span>
                </span>
              </label>
            ))}
          </div>
        </div>
      ) : null}

      {usesFcpxmlVersion(form) ? (
        <label className="field">
          <span className="field-label">FCPXML version</span>
          <select className="input" aria-label="FCPXML version" value={form.fcpxmlVersion} onChange={(e) => update({ fcpxmlVersion: e.target.value as FcpxmlVersion })}>
            {FCPXML_VERSIONS.map((v) => (
              <option key={v} value={v}>
                {v} · {FCPXML_VERSION_NOTES[v]}
              </option>
            ))}
          </select>
          <span className="field-help">Pick the newest version the editor’s Final Cut Pro reads; 1.10 is the safe choice.</span>
        </label>
      ) : null}

      {paths === 'choice' ? (
        <div className="field">
          <span className="field-label">Media paths</span>
          <Segmented
            label="Media paths"
            value={form.mediaPaths}
            onChange={(mediaPaths) => update({ mediaPaths })}
            options={[
              { value: 'absolute', label: 'Absolute', title: 'Full paths: the timeline finds its pictures wherever it is opened on this machine' },
              { value: 'relative', label: 'Relative', title: 'Paths from the timeline file: move it and its media folder together' },
            ]}
          />
          <span className="field-help">
            {form.mediaPaths === 'relative' ? 'Keep the timeline file and its media folder together when you move them.' : 'The timeline finds its pictures on this machine wherever it is opened.'}
          </span>
        </div>
      ) : paths === 'absolute-only' ? (
        <div className="field">
          <span className="field-label">Media paths</span>
          <span className="export-static">
            Absolute <span className="muted">· {form.format === 'xmeml' ? 'Premiere XML cannot name a file relatively' : 'FCPXML needs a full file URL for every picture'}</span>
          </span>
        </div>
      ) : null}

      {form.format === 'edl' ? (
        <div className="export-callout" role="note">
          <strong>Resolve does not import stills from an EDL.</strong> For DaVinci Resolve, pick the DaVinci Resolve tile. An EDL names clips, not
          files: in Avid or another editor, relink to the media folder beside it (files are named by shot number).
        </div>
      ) : null}
      {form.format === 'otio' ? <p className="export-static muted">For applications that read OpenTimelineIO, such as DaVinci Resolve 18.5 and later.</p> : null}

      {form.format === 'mp4' ? (
        <div className="field">
          <span className="field-label">Burnt into the picture</span>
          <div className="export-checks">
            {(
              [
                ['shotNumber', 'Shot number'],
                ['dialogue', 'Dialogue'],
                ['timecode', 'Timecode'],
              ] as const
            ).map(([key, label]) => (
              <label key={key} className="export-check">
                <input type="checkbox" checked={form.burnIn[key]} onChange={(e) => update({ burnIn: { ...form.burnIn, [key]: e.target.checked } })} />
                {label}
              </label>
            ))}
          </div>
          <span className="field-help">The animatic plays every shot for its duration, with the music under it.</span>
        </div>
      ) : null}

      {form.format === 'pdf' ? (
        <>
          <div className="field">
            <span className="field-label">Shots per page</span>
            <Segmented label="Shots per page" value={form.pdf.perPage} onChange={(perPage) => update({ pdf: { ...form.pdf, perPage } })} options={PDF_PER_PAGE.map((n) => ({ value: n, label: String(n) }))} />
          </div>
          <div className="field-row">
            <div className="field">
              <span className="field-label">Orientation</span>
              <Segmented
                label="Orientation"
                value={form.pdf.orientation}
                onChange={(orientation) => update({ pdf: { ...form.pdf, orientation } })}
                options={[
                  { value: 'portrait', label: 'Portrait' },
                  { value: 'landscape', label: 'Landscape' },
                ]}
              />
            </div>
            <div className="field">
              <span className="field-label">Page size</span>
              <Segmented
                label="Page size"
                value={form.pdf.pageSize}
                onChange={(pageSize) => update({ pdf: { ...form.pdf, pageSize } })}
                options={[
                  { value: 'A4', label: 'A4' },
                  { value: 'Letter', label: 'Letter' },
                ]}
              />
            </div>
          </div>
        </>
      ) : null}

      {form.format === 'zip' ? (
        <p className="export-static muted">
          Everything in one file to send or archive: the project database and all its media. Open it on another machine with Open package.
        </p>
      ) : null}
    </div>
  );
}

/** The plan's (or the result's) files, folded, and the notes. */
function PlanView({ rows, notes }: { rows: PlanSummaryRow[]; notes: string[] }) {
  return (
    <>
      {rows.length > 0 ? (
        <ul className="export-files">
          {rows.map((r) => (
            <li key={r.path} className={`export-file export-file-${r.badge}`}>
              <span className="export-file-badge">{r.badge === 'media' ? 'pictures' : r.badge}</span>
              <span className="export-file-path mono" title={r.path}>
                {r.path}
              </span>
              {r.kind === 'folder' ? (
                <span className="export-file-count">
                  {r.count} file{r.count === 1 ? '' : 's'}: {r.examples!.join(', ')}
                  {r.count! > r.examples!.length ? ', …' : ''}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {notes.length > 0 ? (
        <ul className="export-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** Copies text to the clipboard: the async Clipboard API, else a selected textarea and execCommand (older shells). */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw new Error('The clipboard refused the path: select it and copy it by hand.');
  }
}

/** The progress of a running export, or the outcome of the last one. */
function RunView({ run, rate, onCopied }: { run: RunState; rate: ProjectSnapshot['settings']['frameRate']; onCopied(what: string): void }) {
  const [copyError, setCopyError] = useState<unknown>(null);
  if (run.status === 'idle') return null;
  if (run.status === 'running' || run.status === 'done') {
    const fraction = run.status === 'done' ? 1 : run.fraction;
    const percent = Math.round(fraction * 100);
    const label = run.status === 'done' ? 'Done' : stageLabel(run.stage, run.format);
    return (
      <div className={`export-run${run.status === 'done' ? ' is-done' : ''}`}>
        <div className="export-progress-head">
          <span className="export-stage">
            {run.status === 'running' ? <span className="spinner spinner-small" aria-hidden="true" /> : <CheckIcon />} {label}
          </span>
          <span className="tabular">{percent}%</span>
        </div>
        <div className="export-progress" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${label}, ${percent}%`}>
          <div className="export-progress-fill" style={{ width: `${fraction * 100}%` }} />
        </div>
        {run.status === 'done' ? (
          <div className="export-result" role="status">
            <div className="export-result-head">
              <span className="export-result-title">
                {doneTitle(run.format)}: {run.result.shotCount} shot{run.result.shotCount === 1 ? '' : 's'} · {formatTimecode(run.result.durationFrames, rate)}
              </span>
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  const main = run.format === 'resolve' ? (defaultOutPath('resolve', { files: run.result.files.map((path) => ({ path, kind: 'timeline' as const })) }) ?? '') : (run.result.files[0] ?? '');
                  copyText(main).then(() => onCopied(main), setCopyError);
                }}
              >
                Copy path
              </button>
            </div>
            <PlanView rows={summarizeWritten(run.format, run.result.files)} notes={[]} />
            <ErrorNotice error={copyError} />
          </div>
        ) : null}
      </div>
    );
  }
  if (run.status === 'cancelled') {
    return (
      <div className="export-run is-cancelled" role="status">
        Export cancelled. Nothing was left behind.
      </div>
    );
  }
  return <ErrorNotice error={run.error} title="Export failed" />;
}

/** The result's headline: what was made, in the trade's words. */
function doneTitle(format: ExportFormat): string {
  if (format === 'mp4') return 'Animatic rendered';
  if (format === 'pdf') return 'PDF boards made';
  if (format === 'zip') return 'Project packed';
  return `Exported for ${targetOf(format).title}`;
}

function CheckIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
      <path d="M2.5 7.5l3 3 6-7" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
