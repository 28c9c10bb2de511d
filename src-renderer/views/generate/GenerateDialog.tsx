/**
 * The Generate dialog (Radix, through components/Dialog): queue takes of the selected shots, their scene or the
 * whole project, with a workflow (`workflows.list`), a preset of its model family (`presets.list`: fast,
 * quality, the artist's own), takes per shot (1–8), seeds (sequence from a base seed, random, or each shot's
 * locked seed) and a priority. It says what will be queued and whether a server will take it, then calls
 * `queue.enqueue`; a toast offers the Queue view. New takes reach the timeline by `project.changed` as jobs finish.
 *
 * Opened with `openGenerate()` (store.ts): the timeline's `G`, the rail's Generate button, the Queue view.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { JobPriority, SeedMode } from '../../../src-preload/contract';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useProject } from '../../data/project';
import { usePresets, useQueueActions, useServers, useWorkflows } from '../../data/queue';
import { useUi } from '../../state/ui';
import { DiceIcon, GenerateIcon } from '../../components/icons';
import { showView } from '../queue/nav';
import { PRIORITIES } from '../../data/queueCache';
import { PRIORITY_LABELS } from '../queue/queueModel';
import {
  MAX_TAKES_PER_SHOT,
  defaultPresetId,
  defaultWorkflowId,
  describeBatch,
  describePreset,
  describeQueued,
  describeSeeds,
  enqueueRequestOf,
  initialScope,
  listShotNumbers,
  parseSeed,
  presetsFor,
  suggestedSeed,
  serverReadiness,
  sortWorkflows,
  targetOptions,
  type TargetScope,
} from './plan';
import { useGenerateDialog } from './store';
import './generate.css';

const SEED_MODES: ReadonlyArray<{ id: SeedMode; label: string; help: string }> = [
  { id: 'sequence', label: 'Sequence', help: 'Counts up from this seed, one per take: the same seed gives the same batch again.' },
  { id: 'random', label: 'Random', help: 'A new random seed for every take.' },
  { id: 'locked', label: 'Locked', help: 'Each shot starts from its own fixed seed: regenerating a shot keeps its composition.' },
];

/** The Generate dialog of a project; renders nothing while closed. */
export function GenerateDialog({ projectId }: { projectId: string }) {
  const open = useGenerateDialog((s) => s.open);
  const serial = useGenerateDialog((s) => s.serial);
  if (!open) return null;
  return <OpenGenerateDialog key={serial} projectId={projectId} />;
}

function OpenGenerateDialog({ projectId }: { projectId: string }) {
  const close = useGenerateDialog((s) => s.close);
  const target = useGenerateDialog((s) => s.target);
  const remembered = useGenerateDialog((s) => s.remembered);
  const remember = useGenerateDialog((s) => s.remember);
  const snapshot = useProject(projectId).data;
  const workflows = useWorkflows();
  const presets = usePresets();
  const servers = useServers();
  const actions = useQueueActions(projectId);

  const options = useMemo(() => (snapshot ? targetOptions(snapshot, target.shotIds, target.focusId) : []), [snapshot, target]);
  const [scopeChoice, setScope] = useState<TargetScope | null>(null);
  const [workflowChoice, setWorkflow] = useState<string | null>(null);
  const [presetChoice, setPreset] = useState<string | null>(null);
  const [takes, setTakes] = useState(remembered.takes);
  const [seedMode, setSeedMode] = useState<SeedMode>(remembered.seedMode);
  const [seedText, setSeedText] = useState(() => String(suggestedSeed()));
  const [priority, setPriority] = useState<JobPriority>(remembered.priority);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const scope = scopeChoice ?? (options.length > 0 ? initialScope(options, target.scope) : target.scope);
  const chosen = options.find((o) => o.scope === scope) ?? null;
  const workflowList = useMemo(() => sortWorkflows(workflows.data ?? []), [workflows.data]);
  const workflowId = workflowChoice ?? defaultWorkflowId(workflowList, remembered.workflowId);
  const workflow = workflowList.find((w) => w.id === workflowId) ?? null;
  const presetOptions = useMemo(() => presetsFor(presets.data ?? [], workflow), [presets.data, workflow]);
  const presetId = presetChoice && presetOptions.some((p) => p.id === presetChoice) ? presetChoice : defaultPresetId(presetOptions, remembered.presetId);
  const preset = presetOptions.find((p) => p.id === presetId) ?? null;
  const seedParsed = parseSeed(seedText);
  const seedError = seedMode === 'sequence' && 'error' in seedParsed ? seedParsed.error : null;
  const jobCount = (chosen?.shotIds.length ?? 0) * takes;
  const readiness = serverReadiness(servers.data);
  const built = chosen ? enqueueRequestOf({ scope, workflowId, presetId, takes, seedMode, seedText, priority }, chosen) : { error: 'Loading the project…' };
  const loading = workflows.isPending || presets.isPending || !snapshot;

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy || !chosen) return;
    if ('error' in built) return setError(new Error(built.error));
    setBusy(true);
    setError(null);
    try {
      const jobs = await actions.enqueue(built.request);
      remember({ workflowId, presetId, takes, seedMode, priority });
      close();
      useUi.getState().toast({
        kind: 'success',
        message: describeQueued(jobs.length, chosen.shotNumbers),
        action: { label: 'Show queue', run: () => showView('queue') },
        timeoutMs: 7000,
      });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    // Keys typed in the dialog stay in it: the timeline's shortcuts (Delete, arrows, N…) listen on the window.
    <div style={{ display: 'contents' }} onKeyDown={(e) => e.stopPropagation()}>
      <Dialog
        open
        onOpenChange={(o) => !o && close()}
        title="Generate takes"
        description="Queue takes on your ComfyUI servers. They appear on the timeline as they finish."
        widthPx={640}
        footer={
          <>
            <div className={`generate-readiness is-${readiness.tone}`}>
              <span className="generate-readiness-dot" aria-hidden="true" />
              {readiness.text}
              {readiness.tone === 'warn' ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    close();
                    showView('servers');
                  }}
                >
                  Servers
                </button>
              ) : null}
            </div>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" form="generate-form" className="button button-primary" disabled={busy || loading || 'error' in built} data-testid="generate-submit">
              {busy ? <span className="spinner" aria-hidden="true" /> : <GenerateIcon />}
              {jobCount > 0 ? `Queue ${jobCount} ${jobCount === 1 ? 'job' : 'jobs'}` : 'Queue'}
            </button>
          </>
        }
      >
        <form id="generate-form" className="form generate-form" onSubmit={(e) => void submit(e)}>
          <fieldset className="generate-fieldset">
            <legend className="field-label">Generate for</legend>
            <div className="segmented generate-targets" role="radiogroup" aria-label="Generate for">
              {options.map((o) => (
                <button
                  key={o.scope}
                  type="button"
                  role="radio"
                  aria-checked={o.scope === scope}
                  className={o.scope === scope ? 'is-on' : ''}
                  disabled={!o.enabled}
                  onClick={() => setScope(o.scope)}
                >
                  <span className="generate-target-label">{o.label}</span>
                  <span className="generate-target-count">{o.shotIds.length === 1 ? '1 shot' : `${o.shotIds.length} shots`}</span>
                </button>
              ))}
            </div>
            {chosen && chosen.shotNumbers.length > 0 ? <div className="field-help">
                {chosen.shotNumbers.length === 1 ? 'Shot' : 'Shots'} {listShotNumbers(chosen.shotNumbers, 10)}
              </div> : null}
          </fieldset>

          <label className="field">
            <span className="field-label">Workflow</span>
            <select className="input" value={workflowId ?? ''} onChange={(e) => setWorkflow(e.target.value)} disabled={workflows.isPending} aria-label="Workflow">
              {workflowList.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                  {w.kind === 'video' ? ' (clip)' : ''}
                </option>
              ))}
            </select>
            {workflow ? <span className="field-help">{workflow.description}</span> : null}
            {workflows.error ? <ErrorNotice error={workflows.error} title="Could not list the workflows" /> : null}
          </label>

          <fieldset className="generate-fieldset">
            <legend className="field-label">Preset</legend>
            {presetOptions.length === 0 ? (
              <div className="field-help">{presets.isPending ? 'Loading the presets…' : 'No preset for this model family: the workflow\'s own settings are used.'}</div>
            ) : (
              <div className="generate-presets" role="radiogroup" aria-label="Preset">
                {presetOptions.map((p) => (
                  <button
                    key={p.id}
                    type="button"
                    role="radio"
                    aria-checked={p.id === presetId}
                    className={`generate-preset${p.id === presetId ? ' is-on' : ''}`}
                    onClick={() => setPreset(p.id)}
                  >
                    <span className="generate-preset-name">
                      {p.name}
                      {!p.builtin ? <span className="generate-preset-own">yours</span> : null}
                    </span>
                    <span className="generate-preset-detail">{describePreset(p)}</span>
                  </button>
                ))}
              </div>
            )}
          </fieldset>

          <div className="field-row">
            <fieldset className="generate-fieldset field">
              <legend className="field-label">Takes per shot</legend>
              <div className="segmented generate-takes" role="radiogroup" aria-label="Takes per shot">
                {Array.from({ length: MAX_TAKES_PER_SHOT }, (_, i) => i + 1).map((n) => (
                  <button key={n} type="button" role="radio" aria-checked={n === takes} className={n === takes ? 'is-on' : ''} onClick={() => setTakes(n)}>
                    {n}
                  </button>
                ))}
              </div>
            </fieldset>
            <label className="field field-narrow">
              <span className="field-label">Priority</span>
              <select className="input" value={priority} onChange={(e) => setPriority(e.target.value as JobPriority)} aria-label="Priority">
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {PRIORITY_LABELS[p]}
                  </option>
                ))}
              </select>
            </label>
          </div>

          <fieldset className="generate-fieldset">
            <legend className="field-label">Seeds</legend>
            <div className="generate-seed-row">
              <div className="segmented generate-seed-modes" role="radiogroup" aria-label="Seeds">
                {SEED_MODES.map((m) => (
                  <button key={m.id} type="button" role="radio" aria-checked={m.id === seedMode} className={m.id === seedMode ? 'is-on' : ''} onClick={() => setSeedMode(m.id)}>
                    {m.label}
                  </button>
                ))}
              </div>
              {seedMode === 'sequence' ? (
                <div className="generate-seed-input">
                  <input
                    className={`input mono${seedError ? ' has-error' : ''}`}
                    value={seedText}
                    onChange={(e) => setSeedText(e.target.value)}
                    inputMode="numeric"
                    aria-label="First seed"
                    aria-invalid={!!seedError}
                  />
                  <button type="button" className="icon-button" title="A new random seed" aria-label="A new random seed" onClick={() => setSeedText(String(suggestedSeed()))}>
                    <DiceIcon />
                  </button>
                </div>
              ) : null}
            </div>
            {seedError ? <div className="field-error">{seedError}</div> : <div className="field-help">{SEED_MODES.find((m) => m.id === seedMode)?.help}</div>}
          </fieldset>

          <div className="generate-summary" aria-live="polite">
            <div className="generate-summary-title">{chosen && chosen.enabled ? `Will queue ${describeBatch(chosen.shotNumbers, takes)}` : 'Nothing to generate yet'}</div>
            <div className="generate-summary-detail">
              {[
                workflow?.name,
                preset?.name,
                describeSeeds(seedMode, 'seed' in seedParsed ? seedParsed.seed : null, jobCount),
                `${PRIORITY_LABELS[priority]} priority`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </div>
          </div>
          <ErrorNotice error={error} title="Could not queue the takes" />
        </form>
      </Dialog>
    </div>
  );
}
