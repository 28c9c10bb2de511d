/**
 * "Upscale all takes to project resolution first", in the Export view: when some shots' selected takes are
 * pictures smaller than the project frame (`shotsBelowProject`), a callout says how many and queues their
 * upscale in one click (`enhance.enqueue` with those shots, `upscaleToProject`, high priority, the default or
 * chosen upscale model). Then it follows the batch (its jobs in the project's job cache, live by events): `3 of 7
 * done`, and says when the export can go. The new takes become the shots' selected takes as they finish.
 */
import { useMemo, useState } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useJobs } from '../../data/queue';
import { showView } from '../queue/nav';
import { useUi } from '../../state/ui';
import { useEnhanceActions, useEnhanceModels, type EnhanceResult } from './data';
import { defaultModel, formatSize, modelsFor, shotsBelowProject } from './enhanceModel';
import { EnhanceIcon } from '../../components/icons';
import { useEnhanceUi } from './store';
import './enhance.css';

/** Props of UpscaleBeforeExport. */
export interface UpscaleBeforeExportProps {
  snapshot: ProjectSnapshot;
  /** Whether an export runs now (the action waits). */
  disabled?: boolean;
}

/** The callout (nothing when every selected take already fills the project frame and no batch is being followed). */
export function UpscaleBeforeExport({ snapshot, disabled }: UpscaleBeforeExportProps) {
  const projectId = snapshot.projectId;
  const models = useEnhanceModels();
  const jobs = useJobs(projectId);
  const actions = useEnhanceActions(projectId);
  const lastUpscale = useEnhanceUi((s) => s.lastModel.upscale);
  const [modelId, setModelId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [batch, setBatch] = useState<EnhanceResult | null>(null);

  const { below } = useMemo(() => shotsBelowProject(snapshot), [snapshot]);
  const upscalers = useMemo(() => modelsFor(models.data ?? [], 'upscale'), [models.data]);
  const chosen = upscalers.find((m) => m.id === modelId) ?? defaultModel(models.data ?? [], 'upscale', lastUpscale);
  const size = formatSize(snapshot.settings.widthPx, snapshot.settings.heightPx);

  const progress = useMemo(() => {
    if (!batch) return null;
    const mine = (jobs.data ?? []).filter((j) => j.batchId === batch.batchId);
    const done = mine.filter((j) => j.state === 'succeeded').length;
    const failed = mine.filter((j) => j.state === 'failed' || j.state === 'cancelled').length;
    return { total: batch.jobs.length, done, failed, running: mine.some((j) => j.state === 'running') };
  }, [batch, jobs.data]);

  if (below.length === 0 && !batch) return null;

  const start = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const r = await actions.enqueue({ shotIds: below.map((b) => b.shotId), modelId: chosen.id, upscaleToProject: true, priority: 'high' });
      useEnhanceUi.getState().rememberModel('upscale', chosen.id);
      setBatch(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const numbers = below.map((b) => b.shotNumber);
  const shown = numbers.slice(0, 6).join(', ') + (numbers.length > 6 ? ` and ${numbers.length - 6} more` : '');

  const finished = progress !== null && progress.total > 0 && progress.done >= progress.total;
  return (
    <div className={`upscale-export${finished ? ' is-done' : ''}`} role="region" aria-label="Upscale before export">
      <EnhanceIcon size={18} />
      <div className="upscale-export-text">
        {progress ? (
          progress.total === 0 ? (
            <strong>Nothing was queued.</strong>
          ) : progress.done + progress.failed >= progress.total ? (
            <>
              <strong>
                {progress.failed === 0 ? `All ${progress.total} upscaled to ${size}.` : `${progress.done} of ${progress.total} upscaled; ${progress.failed} did not finish (see the Queue).`}
              </strong>{' '}
              The new takes are selected on their shots: export now.
            </>
          ) : (
            <>
              <strong>
                Upscaling {progress.done} of {progress.total} done
              </strong>
              {progress.running ? <span className="spinner enhance-spinner" aria-hidden="true" /> : null} · the new takes replace the small ones on their shots as they finish;
              export when all are done.
            </>
          )
        ) : (
          <>
            <strong>
              {below.length === 1 ? `Shot ${numbers[0]} shows a take` : `${below.length} shots show takes`} smaller than the project's {size}
            </strong>{' '}
            ({shown}). Upscale them on this machine first for a sharper hand-off.
          </>
        )}
        {batch && batch.skipped.length > 0 ? (
          <div className="field-help">
            Left out: {batch.skipped[0].reason}
            {batch.skipped.length > 1 ? ` (and ${batch.skipped.length - 1} more)` : ''}
          </div>
        ) : null}
        <ErrorNotice error={error} title="Could not queue the upscales" />
      </div>
      <div className="upscale-export-actions">
        {progress ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              useUi.getState().setDialog(null);
              showView('queue');
            }}
          >
            Show queue
          </button>
        ) : (
          <>
            {upscalers.length > 1 ? (
              <select className="input input-small" aria-label="Upscale model" value={chosen?.id ?? ''} onChange={(e) => setModelId(e.target.value)} disabled={busy || disabled}>
                {upscalers.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            ) : null}
            <button type="button" className="button button-small button-primary" onClick={() => void start()} disabled={busy || disabled || !chosen}>
              {busy ? <span className="spinner enhance-spinner" aria-hidden="true" /> : null}
              Upscale all to project resolution
            </button>
          </>
        )}
      </div>
    </div>
  );
}
