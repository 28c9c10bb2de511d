/**
 * The Models view: what local enhancement runs with. At the top, the execution provider chosen when the app
 * started (`enhance.providers`: each GPU provider tried alone, then the CPU) with every try and why it failed
 * (`CUDA: libraries not found · WebGPU: no adapter · CPU: ok`, the full message a click away). Then the installed
 * models (`models.list`): name and id, task, scale, layout, origin (bundled or the artist's), licence with its
 * source link as text, the weights' origin, SHA-256 (short; the whole one in the tooltip and copyable), file size
 * and the speed last measured in this project (output megapixels per second of model time, from the enhanced
 * takes and finished enhancement jobs; `—` until a model has run here). At the bottom, where the artist's own
 * models go: `<configDir>/models/<id>/` with `model.onnx` and its `model.json` sidecar (tools/models/README.md).
 */
import { useMemo, useState } from 'react';
import type { EnhanceModelInfo, EnhanceProviders } from '../../../src-preload/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useProject } from '../../data/project';
import { useJobs } from '../../data/queue';
import { useUi } from '../../state/ui';
import { ViewHeader } from '../queue/ViewHeader';
import { useAppInfo, useEnhanceModels, useEnhanceProviders } from '../enhance/data';
import { formatAgo, formatFileSize, formatSpeed, joinPath, measuredSpeeds, providerLabel, shortProviderError, shortSha256, summarizeProviders, type MeasuredSpeed } from '../enhance/enhanceModel';
import { CopyIcon, RefreshIcon } from '../../components/icons';
import './models.css';

/** Copies text and says so; the clipboard may be refused (an insecure origin, a denied permission). */
async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    useUi.getState().toast({ kind: 'success', message: `Copied ${what}`, timeoutMs: 2500 });
  } catch {
    useUi.getState().toast({ kind: 'error', message: `The clipboard refused ${what}: select it and copy it by hand.` });
  }
}

/** The Models view of a project's workspace (the models themselves are the app's, the speeds this project's). */
export function ModelsView({ projectId }: { projectId: string }) {
  const models = useEnhanceModels();
  const providers = useEnhanceProviders();
  const info = useAppInfo();
  const snapshot = useProject(projectId).data;
  const jobs = useJobs(projectId);
  const speeds = useMemo(() => measuredSpeeds(snapshot?.takes ?? [], jobs.data ?? [], models.data ?? []), [snapshot?.takes, jobs.data, models.data]);
  const [nowMs] = useState(() => Date.now());
  const list = models.data ?? [];
  const upscale = list.filter((m) => m.task === 'upscale');
  const interpolate = list.filter((m) => m.task === 'interpolate');
  const userDir = info.data ? joinPath(info.data.configDir, 'models') : null;

  const subtitle = models.data
    ? `${list.length} ${list.length === 1 ? 'model' : 'models'}${providers.data ? ` · enhancement runs on ${providerLabel(providers.data.provider)}` : ''}`
    : undefined;

  return (
    <div className="models-view">
      <ViewHeader projectId={projectId} title="Models" subtitle={subtitle}>
        <button className="button" onClick={() => void models.refetch()} disabled={models.isFetching} title="Read the models folders again (after adding a model)">
          {models.isFetching ? <span className="spinner" aria-hidden="true" /> : <RefreshIcon />} Refresh
        </button>
      </ViewHeader>
      <div className="models-body">
        <section className="models-provider" aria-label="Execution provider">
          <div className="models-provider-main">
            <div className="models-kicker">Execution provider</div>
            {providers.error ? (
              <ErrorNotice error={providers.error} title="No provider can run models" />
            ) : providers.data ? (
              <>
                <div className="models-provider-name" data-testid="enhance-provider">
                  {providerLabel(providers.data.provider)}
                </div>
                <p className="models-provider-note">
                  Chosen when StoryCanvas started: each GPU provider is tried alone, then the CPU. Every enhancement job records the provider that ran it.
                </p>
              </>
            ) : (
              <div className="models-provider-name muted">
                <span className="spinner" aria-hidden="true" /> Probing…
              </div>
            )}
          </div>
          {providers.data ? <ProviderTries providers={providers.data} /> : null}
        </section>

        {models.error ? <ErrorNotice error={models.error} title="Could not list the models" /> : null}
        {models.isPending ? (
          <div className="boot">
            <span className="spinner" aria-hidden="true" /> Reading the models…
          </div>
        ) : (
          <>
            <ModelTable title="Upscaling" hint="Pictures, ×2 to ×4 per pass; “to project resolution” runs as many passes as needed." models={upscale} speeds={speeds} nowMs={nowMs} />
            <ModelTable title="Frame interpolation" hint="Clips, brought to the project's frame rate." models={interpolate} speeds={speeds} nowMs={nowMs} />
          </>
        )}

        <section className="models-user" aria-label="Your own models">
          <h2 className="models-section-title">Your own models</h2>
          <p>
            Put each model in its own folder under the settings folder's <span className="mono">models</span>: the network as <span className="mono">model.onnx</span> and its sidecar{' '}
            <span className="mono">model.json</span> (task, scale, layout, licence, source and the file's SHA-256). Then press Refresh. A folder whose file does not match its
            sidecar is refused.
          </p>
          {userDir ? (
            <div className="models-path">
              <code data-testid="user-models-dir">{userDir}</code>
              <button type="button" className="button button-small" onClick={() => void copy(userDir, 'the folder path')}>
                <CopyIcon /> Copy
              </button>
            </div>
          ) : null}
          {info.data?.shell === 'web' ? <p className="field-help">A folder on the machine that runs StoryCanvas.</p> : null}
        </section>
      </div>
    </div>
  );
}

/** Every provider tried at start, in order, with why each failed in a few words; "details" shows the whole message. */
function ProviderTries({ providers }: { providers: EnhanceProviders }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (name: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  return (
    <ol className="models-tries" aria-label={`Providers tried: ${summarizeProviders(providers)}`}>
      {providers.tried.map((t) => {
        const chosen = t.name === providers.provider;
        const expanded = open.has(t.name);
        return (
          <li key={t.name} className={`models-try${t.ok ? ' is-ok' : ' is-failed'}${chosen ? ' is-chosen' : ''}`}>
            <span className="models-try-dot" aria-hidden="true" />
            <span className="models-try-name">{providerLabel(t.name)}</span>
            <span className="models-try-what">{t.ok ? (chosen ? 'in use' : 'works, not used') : shortProviderError(t.error)}</span>
            {!t.ok && t.error ? (
              <button type="button" className="link-button models-try-more" aria-expanded={expanded} onClick={() => toggle(t.name)}>
                {expanded ? 'less' : 'details'}
              </button>
            ) : (
              <span />
            )}
            {expanded ? <code className="models-try-error">{t.error}</code> : null}
          </li>
        );
      })}
    </ol>
  );
}

/** One table of models (a task), or nothing when there is none of it. */
function ModelTable(p: { title: string; hint: string; models: EnhanceModelInfo[]; speeds: ReadonlyMap<string, MeasuredSpeed>; nowMs: number }) {
  if (p.models.length === 0) return null;
  return (
    <section className="models-section" aria-label={p.title}>
      <h2 className="models-section-title">
        {p.title} <span className="models-section-hint">{p.hint}</span>
      </h2>
      <div className="models-table-wrap">
        <table className="models-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Task</th>
              <th scope="col">Layout</th>
              <th scope="col">Origin</th>
              <th scope="col">Licence</th>
              <th scope="col">SHA-256</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col" className="num" title="Output megapixels per second of model time, from the last enhancement with this model in this project">
                Speed here
              </th>
            </tr>
          </thead>
          <tbody>
            {p.models.map((m) => {
              const speed = p.speeds.get(m.id);
              return (
                <tr key={m.id} data-model-id={m.id}>
                  <td className="models-name-cell">
                    <div className="models-name">{m.name}</div>
                    <div className="models-id mono">{m.id}</div>
                    {m.description ? (
                      <div className="models-desc" title={m.description}>
                        {m.description}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <span className="chip chip-strong">{m.task === 'upscale' ? `Upscale ×${m.scale}` : 'Interpolate'}</span>
                  </td>
                  <td className="mono">{m.layout}</td>
                  <td>
                    <span className={`models-origin is-${m.origin}`}>{m.origin === 'bundled' ? 'Bundled' : 'Yours'}</span>
                  </td>
                  <td className="models-licence">
                    <div className="models-spdx">{m.licence.spdx}</div>
                    <div className="models-url mono" title={m.licence.url}>
                      {m.licence.url}
                    </div>
                    <div className="models-source" title={m.source}>
                      {m.source}
                    </div>
                  </td>
                  <td>
                    <button type="button" className="models-sha mono" title={`${m.sha256}\nClick to copy`} onClick={() => void copy(m.sha256, `the SHA-256 of ${m.id}`)}>
                      {shortSha256(m.sha256)}
                    </button>
                  </td>
                  <td className="num tabular">{formatFileSize(m.sizeBytes)}</td>
                  <td className="num">
                    <div className="models-speed tabular" title={speed ? undefined : 'Not measured in this project yet: enhance a take with this model.'}>
                      {formatSpeed(speed)}
                    </div>
                    {speed ? (
                      <div className="models-speed-when">
                        {providerLabel(speed.provider)} · {formatAgo(speed.finishedAt, p.nowMs)}
                      </div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
