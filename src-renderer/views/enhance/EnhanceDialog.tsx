/**
 * The Enhance dialog (Radix, components/Dialog.tsx): enhance takes on this machine. It works on takes (a take's
 * menu) or on the selected takes of shots (the inspector's multi-selection, the Export view). The artist picks what
 * to do (upscale pictures or interpolate clips), the model (with its scale, origin and the speed measured in this
 * project), "upscale to project resolution" and the priority; `enhance.enqueue` queues one job per take. Takes the
 * core leaves out (a clip for an upscale model, a picture already at the project resolution, a shot without a
 * selected take) are listed with the core's reason before the dialog closes. Progress shows in the Queue view.
 *
 * Mounted once per open project (views/queue/ProjectWorkspace.tsx); opened with `openEnhance` (store.ts).
 */
import { useMemo, useState } from 'react';
import type { EnhanceModelInfo, JobPriority } from '../../../src-preload/contract';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useProject } from '../../data/project';
import { PRIORITIES } from '../../data/queueCache';
import { useUi } from '../../state/ui';
import { frameRateLabel } from '../projects/resolution';
import { showView } from '../queue/nav';
import { PRIORITY_LABELS } from '../queue/queueModel';
import { useEnhanceActions, useEnhanceModels, useEnhanceProviders, type EnhanceResult } from './data';
import { defaultModel, describeEnqueued, formatSize, formatSpeed, measuredSpeeds, modelsFor, projectFitSize, providerLabel } from './enhanceModel';
import { useEnhanceUi, type EnhanceDialogRequest } from './store';
import './enhance.css';

type Task = EnhanceModelInfo['task'];

/** The Enhance dialog of one project (renders nothing while closed). */
export function EnhanceDialog({ projectId }: { projectId: string }) {
  const request = useEnhanceUi((s) => s.dialog);
  const snapshot = useProject(projectId).data;
  if (!request || !snapshot) return null;
  return <EnhanceDialogOpen key={request.serial} projectId={projectId} snapshot={snapshot} request={request} />;
}

/** The takes a request names, with their shots' numbers, and the shots that have no selected take. */
function resolveTargets(snapshot: ProjectSnapshot, request: EnhanceDialogRequest): { takes: Array<{ take: Take; shotNumber: string }>; noTake: string[] } {
  const takes = new Map(snapshot.takes.map((t) => [t.id, t]));
  const shots = new Map(snapshot.scenes.flatMap((sc) => sc.shots.map((s) => [s.id, s] as const)));
  const out: Array<{ take: Take; shotNumber: string }> = [];
  const noTake: string[] = [];
  if ('takeIds' in request.target) {
    for (const id of request.target.takeIds) {
      const t = takes.get(id);
      if (t) out.push({ take: t, shotNumber: shots.get(t.shotId)?.number ?? '?' });
    }
  } else {
    for (const id of request.target.shotIds) {
      const shot = shots.get(id);
      if (!shot) continue;
      const t = shot.selectedTakeId ? takes.get(shot.selectedTakeId) : undefined;
      if (t) out.push({ take: t, shotNumber: shot.number });
      else noTake.push(shot.number);
    }
  }
  return { takes: out, noTake };
}

/** `1A, 1B, 2C` (and `… and 12 more` past eight). */
function listNumbers(numbers: string[]): string {
  const shown = numbers.slice(0, 8).join(', ');
  return numbers.length > 8 ? `${shown} and ${numbers.length - 8} more` : shown;
}

function EnhanceDialogOpen({ projectId, snapshot, request }: { projectId: string; snapshot: ProjectSnapshot; request: EnhanceDialogRequest }) {
  const models = useEnhanceModels();
  const providers = useEnhanceProviders();
  const actions = useEnhanceActions(projectId);
  const lastModel = useEnhanceUi((s) => s.lastModel);
  const close = () => useEnhanceUi.getState().closeDialog();

  const { takes, noTake } = useMemo(() => resolveTargets(snapshot, request), [snapshot, request]);
  const pictures = takes.filter((t) => t.take.kind === 'image');
  const clips = takes.filter((t) => t.take.kind === 'video');
  const [task, setTask] = useState<Task>(request.task ?? (pictures.length === 0 && clips.length > 0 ? 'interpolate' : 'upscale'));
  const [modelId, setModelId] = useState<string | null>(null);
  const [toProject, setToProject] = useState(request.upscaleToProject ?? false);
  const [priority, setPriority] = useState<JobPriority>('normal');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<EnhanceResult | null>(null);

  const list = useMemo(() => modelsFor(models.data ?? [], task), [models.data, task]);
  const chosen = list.find((m) => m.id === modelId) ?? defaultModel(models.data ?? [], task, lastModel[task]);
  const speeds = useMemo(() => measuredSpeeds(snapshot.takes, [], models.data ?? []), [snapshot.takes, models.data]);
  const { widthPx, heightPx, frameRate } = snapshot.settings;
  const projectSize = formatSize(widthPx, heightPx);
  const usable = task === 'upscale' ? pictures : clips;
  const alreadyThere = task === 'upscale' && toProject ? pictures.filter((t) => !projectFitSize(t.take, snapshot.settings)).length : 0;
  const willQueue = Math.max(0, usable.length - alreadyThere);
  const what = task === 'upscale' ? 'upscale' : 'interpolation';

  const subject =
    'takeIds' in request.target
      ? takes.length === 1
        ? `The take of shot ${takes[0].shotNumber} (${formatSize(takes[0].take.widthPx, takes[0].take.heightPx)}${takes[0].take.kind === 'video' ? ', a clip' : ''})`
        : `${takes.length} takes`
      : `The selected takes of ${request.target.shotIds.length === 1 ? 'shot' : `${request.target.shotIds.length} shots`} ${listNumbers(takes.map((t) => t.shotNumber).concat(noTake))}`;

  const submit = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const r = await actions.enqueue({ ...request.target, modelId: chosen.id, upscaleToProject: task === 'upscale' && toProject, priority });
      useEnhanceUi.getState().rememberModel(task, chosen.id);
      if (r.skipped.length === 0) {
        close();
        const words = describeEnqueued(r, what);
        useUi.getState().toast({ kind: words.kind, message: words.message, action: { label: 'Show queue', run: () => showView('queue') }, timeoutMs: 6000 });
      } else {
        setResult(r);
        setBusy(false);
      }
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (result) {
    const words = describeEnqueued(result, what);
    return (
      <div style={{ display: 'contents' }} onKeyDown={(e) => e.stopPropagation()}>
        <Dialog
          open
          onOpenChange={(o) => !o && close()}
          title="Enhance takes"
          description={words.message}
          widthPx={560}
          footer={
            <>
              {result.jobs.length > 0 ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    close();
                    showView('queue');
                  }}
                >
                  Show queue
                </button>
              ) : null}
              <button type="button" className="button button-primary" onClick={close} autoFocus>
                Done
              </button>
            </>
          }
        >
          <div className="enhance-skipped" role="status">
            <div className="field-label">Left out</div>
            <ul>
              {result.skipped.map((s, i) => (
                <li key={`${s.shotId}-${s.takeId ?? ''}-${i}`}>
                  <span className="enhance-skipped-shot">{s.shotNumber}</span>
                  <span>{s.reason}</span>
                </li>
              ))}
            </ul>
          </div>
        </Dialog>
      </div>
    );
  }

  return (
    // Keys typed in the dialog stay in it: the timeline's shortcuts (Delete, arrows, C…) listen on the window.
    <div style={{ display: 'contents' }} onKeyDown={(e) => e.stopPropagation()}>
      <Dialog
        open
        onOpenChange={(o) => !o && close()}
        title="Enhance takes"
        description={`${subject}: each gets a new take on its shot; the original stays.`}
        widthPx={600}
        footer={
          <>
            <span className="enhance-footer-note">
              Runs on this machine
              {providers.data ? (
                <>
                  {' '}
                  · <strong>{providerLabel(providers.data.provider)}</strong>
                </>
              ) : null}
            </span>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="button" className="button button-primary" onClick={() => void submit()} disabled={busy || !chosen || willQueue === 0}>
              {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              {willQueue === 0 ? 'Nothing to queue' : `Queue ${willQueue === 1 ? `1 ${what}` : `${willQueue} ${what}s`}`}
            </button>
          </>
        }
      >
        <div className="form enhance-form">
          <div className="field">
            <span className="field-label">What</span>
            <div className="segmented enhance-tasks" role="radiogroup" aria-label="What to do">
              {(
                [
                  ['upscale', 'Upscale pictures', pictures.length],
                  ['interpolate', 'Interpolate clips', clips.length],
                ] as const
              ).map(([id, label, count]) => (
                <button
                  key={id}
                  type="button"
                  role="radio"
                  aria-checked={task === id}
                  className={task === id ? 'is-on' : undefined}
                  onClick={() => {
                    setTask(id);
                    setModelId(null);
                  }}
                >
                  {label} <span className="enhance-task-count">{count}</span>
                </button>
              ))}
            </div>
            {usable.length === 0 ? (
              <span className="field-help field-warning">
                {task === 'upscale' ? 'None of these takes is a picture.' : 'None of these takes is a clip.'}
              </span>
            ) : task === 'interpolate' ? (
              <span className="field-help">Each clip is brought to the project's frame rate ({frameRateLabel(frameRate)}), its sound kept.</span>
            ) : null}
          </div>

          <div className="field">
            <span className="field-label">Model</span>
            {models.error ? <ErrorNotice error={models.error} title="Could not list the models" /> : null}
            {models.isPending ? (
              <span className="muted">
                <span className="spinner spinner-small" aria-hidden="true" /> Reading the models…
              </span>
            ) : list.length === 0 ? (
              <span className="field-help field-warning">No {task === 'upscale' ? 'upscale' : 'interpolation'} model is installed. The Models view says where to put one.</span>
            ) : (
              <div className="enhance-models" role="radiogroup" aria-label="Model">
                {list.map((m) => {
                  const on = chosen?.id === m.id;
                  const speed = speeds.get(m.id);
                  return (
                    <label key={m.id} className={`enhance-model${on ? ' is-on' : ''}`} title={m.description}>
                      <input type="radio" name="enhance-model" value={m.id} checked={on} onChange={() => setModelId(m.id)} />
                      <span className="enhance-model-text">
                        <span className="enhance-model-name">{m.name}</span>
                        <span className="enhance-model-sub">
                          {m.task === 'upscale' ? `×${m.scale}` : 'frames'} · {m.origin === 'bundled' ? 'bundled' : 'yours'}
                          {speed ? ` · ${formatSpeed(speed)}` : ''}
                        </span>
                      </span>
                    </label>
                  );
                })}
              </div>
            )}
          </div>

          {task === 'upscale' ? (
            <label className="enhance-check">
              <input type="checkbox" checked={toProject} onChange={(e) => setToProject(e.target.checked)} />
              <span>
                <span className="enhance-check-title">Upscale to the project resolution ({projectSize})</span>
                <span className="field-help">
                  Fitted inside the frame with its aspect kept: the model runs as many times as needed, then a lanczos step lands on the size.
                  {alreadyThere > 0 ? ` ${alreadyThere === 1 ? '1 take is' : `${alreadyThere} takes are`} already that size and will be left out.` : ''}
                </span>
              </span>
            </label>
          ) : null}

          <div className="field">
            <span className="field-label">Priority</span>
            <div className="segmented enhance-priorities" role="radiogroup" aria-label="Priority">
              {PRIORITIES.map((p) => (
                <button key={p} type="button" role="radio" aria-checked={priority === p} className={priority === p ? 'is-on' : undefined} onClick={() => setPriority(p)}>
                  {PRIORITY_LABELS[p]}
                </button>
              ))}
            </div>
            <span className="field-help">Enhancement waits in the same queue as generation and runs one job at a time on this machine.</span>
          </div>

          {noTake.length > 0 ? <p className="field-help field-warning">{noTake.length === 1 ? `Shot ${noTake[0]} has` : `Shots ${listNumbers(noTake)} have`} no take yet.</p> : null}
          <ErrorNotice error={error} title="Could not queue" />
        </div>
      </Dialog>
    </div>
  );
}
