/**
 * Project settings, changeable at any time (`project.updateSettings`, one undoable step): name, frame rate,
 * resolution and aspect ratio, default shot duration. Changing the frame rate asks what the shots should keep:
 * their length in seconds (re-timed to whole frames of the new rate: the cut plays the same) or their frame
 * counts (every shot gets longer or shorter).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { framesToSeconds, secondsToFrames } from '../../lib/duration';
import { RateAndDurationFields } from '../projects/RateAndDurationFields';
import { RESOLUTION_PRESETS, aspectLabel, frameRateFromValue, frameRateValue } from '../projects/resolution';

/** The Project settings dialog. */
export function SettingsDialog(props: { snapshot: ProjectSnapshot; open: boolean; onOpenChange(open: boolean): void }) {
  const bridge = useBridge();
  const current = props.snapshot.settings;
  const [name, setName] = useState(current.name);
  const [rate, setRate] = useState(frameRateValue(current.frameRate));
  const [widthText, setWidthText] = useState(String(current.widthPx));
  const [heightText, setHeightText] = useState(String(current.heightPx));
  const [seconds, setSeconds] = useState(String(framesToSeconds(current.defaultShotDurationFrames, current.frameRate).toFixed(2).replace(/\.?0+$/, '')));
  const [keep, setKeep] = useState<'seconds' | 'frames'>('seconds');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!props.open) return;
    setName(current.name);
    setRate(frameRateValue(current.frameRate));
    setWidthText(String(current.widthPx));
    setHeightText(String(current.heightPx));
    setSeconds(String(framesToSeconds(current.defaultShotDurationFrames, current.frameRate).toFixed(2).replace(/\.?0+$/, '')));
    setError(null);
  }, [props.open, current]);

  const frameRate = frameRateFromValue(rate);
  const widthPx = Number(widthText);
  const heightPx = Number(heightText);
  const secondsNumber = Number(seconds);
  const rateChanged = frameRate.num * current.frameRate.den !== current.frameRate.num * frameRate.den;
  const shotCount = props.snapshot.scenes.reduce((n, s) => n + s.shots.length, 0);
  const problems: string[] = [];
  if (!name.trim()) problems.push('Give the project a name.');
  if (!Number.isInteger(widthPx) || !Number.isInteger(heightPx) || widthPx < 16 || heightPx < 16 || widthPx > 16384 || heightPx > 16384)
    problems.push('Width and height are whole pixels from 16 to 16384.');
  if (!(secondsNumber > 0) || secondsNumber > 3600) problems.push('The default shot duration is a number of seconds above 0.');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (problems.length > 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      await bridge.call('project.updateSettings', {
        projectId: props.snapshot.projectId,
        patch: { name: name.trim(), frameRate, widthPx, heightPx, defaultShotDurationFrames: secondsToFrames(secondsNumber, frameRate) },
        retimeShots: rateChanged && keep === 'seconds',
      });
      props.onOpenChange(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const preset = RESOLUTION_PRESETS.find((r) => r.widthPx === widthPx && r.heightPx === heightPx)?.id ?? 'custom';

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title="Project settings"
      description="Every change here is one step you can undo."
      footer={
        <>
          <button type="button" className="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" form="settings-form" className="button button-primary" disabled={problems.length > 0 || busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </>
      }
    >
      <form id="settings-form" className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        <RateAndDurationFields rate={rate} onRateChange={setRate} seconds={seconds} onSecondsChange={setSeconds} />
        {rateChanged && shotCount > 0 ? (
          <fieldset className="field">
            <legend className="field-label">The {shotCount} shots keep</legend>
            <label className="radio">
              <input type="radio" name="keep" checked={keep === 'seconds'} onChange={() => setKeep('seconds')} /> their length in seconds (re-timed to
              whole frames: the cut plays the same)
            </label>
            <label className="radio">
              <input type="radio" name="keep" checked={keep === 'frames'} onChange={() => setKeep('frames')} /> their frame counts (each shot plays
              longer or shorter)
            </label>
          </fieldset>
        ) : null}
        <label className="field">
          <span className="field-label">Resolution</span>
          <select
            className="input"
            value={preset}
            onChange={(e) => {
              const p = RESOLUTION_PRESETS.find((r) => r.id === e.target.value);
              if (p) {
                setWidthText(String(p.widthPx));
                setHeightText(String(p.heightPx));
              }
            }}
          >
            {RESOLUTION_PRESETS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
            <option value="custom">Custom</option>
          </select>
        </label>
        <div className="field-row">
          <label className="field">
            <span className="field-label">Width (px)</span>
            <input className="input" inputMode="numeric" value={widthText} onChange={(e) => setWidthText(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Height (px)</span>
            <span className="input-with-unit">
              <input className="input" inputMode="numeric" value={heightText} onChange={(e) => setHeightText(e.target.value)} />
              <span className="unit">{aspectLabel(widthPx, heightPx)}</span>
            </span>
          </label>
        </div>
        {problems.length > 0 ? <p className="field-help field-warning">{problems[0]}</p> : null}
        <ErrorNotice error={error} title="Could not change the settings" />
      </form>
    </Dialog>
  );
}
