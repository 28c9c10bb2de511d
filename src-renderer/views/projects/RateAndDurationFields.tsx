/**
 * The frame rate select and the default shot duration (in seconds, with its frame count at that rate) of a project:
 * one row shared by the New project and Project settings dialogs.
 */
import { SUPPORTED_FRAME_RATES } from '../../../src-preload/model';
import { secondsToFrames } from '../../lib/duration';
import { frameRateFromValue, frameRateValue } from './resolution';

export function RateAndDurationFields(p: { rate: string; onRateChange(value: string): void; seconds: string; onSecondsChange(value: string): void }) {
  const secondsNumber = Number(p.seconds);
  const frameRate = frameRateFromValue(p.rate);
  return (
    <div className="field-row">
      <label className="field">
        <span className="field-label">Frame rate</span>
        <select className="input" value={p.rate} onChange={(e) => p.onRateChange(e.target.value)}>
          {SUPPORTED_FRAME_RATES.map((r) => (
            <option key={frameRateValue(r)} value={frameRateValue(r)}>
              {r.label} fps
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Default shot duration</span>
        <span className="input-with-unit">
          <input className="input" inputMode="decimal" value={p.seconds} onChange={(e) => p.onSecondsChange(e.target.value)} />
          <span className="unit">seconds{secondsNumber > 0 ? ` · ${secondsToFrames(secondsNumber, frameRate)}f` : ''}</span>
        </span>
      </label>
    </div>
  );
}
