/**
 * New project: name, the folder to create it in (typed: web mode has no native folder picker), frame rate,
 * delivery resolution (presets or custom) and the default shot duration in seconds.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ProjectSummary } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { secondsToFrames } from '../../lib/duration';
import { RateAndDurationFields } from './RateAndDurationFields';
import { RESOLUTION_PRESETS, frameRateFromValue } from './resolution';

/** Props of NewProjectDialog; `onCreated` receives the opened project. */
export interface NewProjectDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  /** A folder to suggest (the parent of the most recent project). */
  suggestedDir: string;
  onCreated(project: ProjectSummary): void;
}

/** The New project dialog; calls `project.create` and shows the core's error and hint on failure. */
export function NewProjectDialog(props: NewProjectDialogProps) {
  const bridge = useBridge();
  const [name, setName] = useState('Untitled storyboard');
  const [dir, setDir] = useState(props.suggestedDir);
  const [rate, setRate] = useState('24/1');
  const [preset, setPreset] = useState('hd');
  const [customW, setCustomW] = useState('1920');
  const [customH, setCustomH] = useState('1080');
  const [seconds, setSeconds] = useState('3');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (props.open && !dir) setDir(props.suggestedDir);
  }, [props.open, props.suggestedDir, dir]);

  const p = RESOLUTION_PRESETS.find((r) => r.id === preset);
  const widthPx = p ? p.widthPx : Number(customW);
  const heightPx = p ? p.heightPx : Number(customH);
  const secondsNumber = Number(seconds);
  const frameRate = frameRateFromValue(rate);
  const problems: string[] = [];
  if (!name.trim()) problems.push('Give the project a name.');
  if (!dir.trim()) problems.push('Type the folder to create the project in.');
  if (!Number.isInteger(widthPx) || !Number.isInteger(heightPx) || widthPx < 16 || heightPx < 16 || widthPx > 16384 || heightPx > 16384)
    problems.push('Width and height are whole pixels from 16 to 16384.');
  if (!(secondsNumber > 0) || secondsNumber > 3600) problems.push('The default shot duration is a number of seconds above 0.');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (problems.length > 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      const summary = await bridge.call('project.create', {
        dir: dir.trim(),
        name: name.trim(),
        frameRate,
        widthPx,
        heightPx,
        defaultShotDurationFrames: secondsToFrames(secondsNumber, frameRate),
      });
      props.onCreated(summary);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title="New project"
      description="A project is a folder (Name.storycanvas) holding the storyboard and its media."
      footer={
        <>
          <button type="button" className="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" form="new-project-form" className="button button-primary" disabled={problems.length > 0 || busy}>
            {busy ? 'Creating…' : 'Create project'}
          </button>
        </>
      }
    >
      <form id="new-project-form" className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={200} />
        </label>
        <div className="field">
          <label className="field-label" htmlFor="new-project-dir">
            Folder
          </label>
          <input
            id="new-project-dir"
            className="input mono"
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            placeholder="/home/you/Storyboards"
            spellCheck={false}
            aria-describedby="new-project-dir-help"
          />
          <span id="new-project-dir-help" className="field-help">
            The project folder is created inside it{name.trim() ? `: ${name.trim()}.storycanvas` : ''}.
          </span>
        </div>
        <RateAndDurationFields rate={rate} onRateChange={setRate} seconds={seconds} onSecondsChange={setSeconds} />
        <label className="field">
          <span className="field-label">Resolution</span>
          <select className="input" value={preset} onChange={(e) => setPreset(e.target.value)}>
            {RESOLUTION_PRESETS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </label>
        {preset === 'custom' ? (
          <div className="field-row">
            <label className="field">
              <span className="field-label">Width (px)</span>
              <input className="input" inputMode="numeric" value={customW} onChange={(e) => setCustomW(e.target.value)} />
            </label>
            <label className="field">
              <span className="field-label">Height (px)</span>
              <input className="input" inputMode="numeric" value={customH} onChange={(e) => setCustomH(e.target.value)} />
            </label>
          </div>
        ) : null}
        {problems.length > 0 && (name || dir) ? <p className="field-help field-warning">{problems[0]}</p> : null}
        <ErrorNotice error={error} title="Could not create the project" />
      </form>
    </Dialog>
  );
}
