/**
 * The Servers view: the ComfyUI servers generation runs on (shared by every project). Add one (address, name,
 * headers for an auth proxy), check it (`servers.check`: reachable, version, VRAM, checkpoints, LoRAs, node
 * types), enable or disable it, remove it (after a confirmation). Every enabled server is checked when the view
 * opens (`servers.list` only reads the last known state); afterwards `server.updated` keeps the cards live.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ServerStatus } from '../../../src-preload/contract';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PlusIcon, PowerIcon, PulseIcon, TrashIcon } from '../../components/icons';
import { useServerActions, useServers } from '../../data/queue';
import { formatBytes } from '../queue/queueModel';
import { ServerStateChip, VramMeter } from '../queue/ServerStrip';
import { ViewHeader } from '../queue/ViewHeader';
import { capabilityCounts, checkedAgo, normalizeServerUrl, parseHeaderLines, versionLabel } from './serverForm';
import './servers.css';

/** The Servers view (within a project's workspace; the pool itself is the app's). */
export function ServersView({ projectId }: { projectId: string }) {
  const servers = useServers();
  const actions = useServerActions();
  const [checking, setChecking] = useState<ReadonlySet<string>>(new Set());
  const [removing, setRemoving] = useState<ServerStatus | null>(null);
  const [nowMs, setNowMs] = useState(() => Date.now());

  const check = async (ids: string[]) => {
    setChecking((s) => new Set([...s, ...ids]));
    await Promise.all(
      ids.map(async (id) => {
        await actions.check(id);
        setChecking((s) => {
          const next = new Set(s);
          next.delete(id);
          return next;
        });
      }),
    );
    setNowMs(Date.now());
  };

  // check every enabled server once when the view opens (the list only holds the last known state)
  const checkedOnOpen = useRef(false);
  useEffect(() => {
    if (checkedOnOpen.current || !servers.data) return;
    checkedOnOpen.current = true;
    const ids = servers.data.filter((s) => s.enabled).map((s) => s.id);
    if (ids.length > 0) void check(ids);
  }, [servers.data]); // eslint-disable-line react-hooks/exhaustive-deps

  // "checked 12 s ago" stays true
  useEffect(() => {
    const t = setInterval(() => setNowMs(Date.now()), 10_000);
    return () => clearInterval(t);
  }, []);

  const list = servers.data ?? [];
  const enabledIds = list.filter((s) => s.enabled).map((s) => s.id);

  return (
    <div className="servers-view">
      <ViewHeader projectId={projectId} title="Servers" subtitle={servers.data ? (list.length === 0 ? 'No ComfyUI server yet' : `${list.length} ComfyUI ${list.length === 1 ? 'server' : 'servers'}, shared by every project`) : undefined}>
        <button className="button" onClick={() => void check(enabledIds)} disabled={enabledIds.length === 0 || checking.size > 0}>
          {checking.size > 0 ? <span className="spinner" aria-hidden="true" /> : <PulseIcon />} Check all
        </button>
      </ViewHeader>
      <div className="servers-body">
        <div className="servers-columns">
          <section className="servers-list" aria-label="Servers">
            {servers.error ? <ErrorNotice error={servers.error} title="Could not list the servers" /> : null}
            {servers.isPending ? (
              <div className="boot">
                <span className="spinner" aria-hidden="true" /> Reading the servers…
              </div>
            ) : list.length === 0 ? (
              <div className="servers-empty">
                <h2>No server yet</h2>
                <p>
                  StoryCanvas generates on ComfyUI servers: your own GPU (<span className="mono">http://127.0.0.1:8188</span>), a machine on your network, or a
                  rented one behind a proxy. Add the first one on the right.
                </p>
              </div>
            ) : (
              list.map((s) => (
                <ServerCard
                  key={s.id}
                  server={s}
                  nowMs={nowMs}
                  checking={checking.has(s.id)}
                  onCheck={() => void check([s.id])}
                  onToggle={() => void actions.setEnabled(s.id, !s.enabled)}
                  onRemove={() => setRemoving(s)}
                />
              ))
            )}
          </section>
          <AddServerForm existing={list} />
        </div>
      </div>
      <Dialog
        open={removing !== null}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Remove ${removing?.name ?? 'the server'}?`}
        description="Its jobs in flight go back to the queue for the other servers. You can add it again later."
        widthPx={440}
        footer={
          <>
            <button className="button" onClick={() => setRemoving(null)}>
              Keep it
            </button>
            <button
              className="button button-danger"
              onClick={() => {
                const s = removing;
                setRemoving(null);
                if (s) void actions.remove(s.id);
              }}
            >
              <TrashIcon /> Remove
            </button>
          </>
        }
      >
        <div className="mono muted">{removing?.url}</div>
      </Dialog>
    </div>
  );
}

/** One server with its state, what it offers and its buttons. */
function ServerCard(p: { server: ServerStatus; nowMs: number; checking: boolean; onCheck(): void; onToggle(): void; onRemove(): void }) {
  const s = p.server;
  const [showModels, setShowModels] = useState(false);
  const version = versionLabel(s);
  const caps = capabilityCounts(s);
  return (
    <article className={`server-card${s.enabled ? '' : ' is-disabled'}`} aria-label={`Server ${s.name}`} data-server-id={s.id}>
      <header className="server-card-head">
        <div className="server-card-title">
          <h3>{s.name}</h3>
          <span className="mono muted server-card-url">{s.url}</span>
        </div>
        <ServerStateChip server={s} />
      </header>
      <dl className="server-facts">
        <div>
          <dt>VRAM</dt>
          <dd>
            <VramMeter server={s} />
          </dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd className="tabular">
            {s.queueLength} {s.queueLength === 1 ? 'prompt' : 'prompts'}
            {s.inFlight > 0 ? <span className="muted"> · {s.inFlight} ours</span> : null}
          </dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd className="tabular">{s.msPerStep !== null ? `${Math.round(s.msPerStep)} ms/step` : <span className="muted">after the first job</span>}</dd>
        </div>
        <div>
          <dt>Breaker</dt>
          <dd className={s.breaker === 'closed' ? '' : 'server-breaker-open'}>{s.breaker === 'closed' ? 'closed' : s.breaker === 'open' ? 'open: set aside after failures' : 'half-open: one probe job'}</dd>
        </div>
      </dl>
      <div className="server-card-caps">
        {version ? <span className="chip">{version}</span> : null}
        {caps.map((c) => (
          <span key={c} className="chip">
            {c}
          </span>
        ))}
        {s.vramTotalBytes !== null ? <span className="chip">{formatBytes(s.vramTotalBytes)} GPU</span> : null}
        {s.headerNames.length > 0 ? <span className="chip" title="Headers sent with every request (values hidden)">headers: {s.headerNames.join(', ')}</span> : null}
        {s.checkpoints.length + s.loras.length > 0 ? (
          <button className="link-button" onClick={() => setShowModels((v) => !v)} aria-expanded={showModels}>
            {showModels ? 'Hide models' : 'Show models'}
          </button>
        ) : null}
      </div>
      {showModels ? (
        <div className="server-models">
          <ModelList title="Checkpoints" names={s.checkpoints} />
          <ModelList title="LoRAs" names={s.loras} />
        </div>
      ) : null}
      {s.lastError ? (
        <div className="server-card-error" role="note">
          {s.lastError}
        </div>
      ) : null}
      <footer className="server-card-foot">
        <span className="muted">{p.checking ? 'checking…' : checkedAgo(s.checkedAt, p.nowMs)}</span>
        <div className="server-card-actions">
          <button className="button button-small" onClick={p.onCheck} disabled={p.checking || !s.enabled} aria-label={`Check ${s.name}`}>
            {p.checking ? <span className="spinner" aria-hidden="true" /> : <PulseIcon />} Check
          </button>
          <button className="button button-small" onClick={p.onToggle} aria-label={`${s.enabled ? 'Disable' : 'Enable'} ${s.name}`} title={s.enabled ? 'Stop sending jobs to it' : 'Send jobs to it again'}>
            <PowerIcon /> {s.enabled ? 'Disable' : 'Enable'}
          </button>
          <button className="button button-small button-ghost button-danger" onClick={p.onRemove} aria-label={`Remove ${s.name}`}>
            <TrashIcon /> Remove
          </button>
        </div>
      </footer>
    </article>
  );
}

function ModelList({ title, names }: { title: string; names: string[] }) {
  return (
    <div>
      <div className="field-label">
        {title} <span className="muted">({names.length})</span>
      </div>
      {names.length === 0 ? (
        <div className="muted">none</div>
      ) : (
        <ul className="server-model-list">
          {names.map((n) => (
            <li key={n} className="mono" title={n}>
              {n}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The Add form: address, optional name, optional headers; adds and checks the server (`servers.add`). */
function AddServerForm({ existing }: { existing: ServerStatus[] }) {
  const actions = useServerActions();
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [headersText, setHeadersText] = useState('');
  const [showHeaders, setShowHeaders] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<ServerStatus | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const u = normalizeServerUrl(url);
    if ('error' in u) return setError(new Error(u.error));
    const h = parseHeaderLines(headersText);
    if ('error' in h) return setError(new Error(h.error));
    if (existing.some((s) => s.url === u.url)) return setError(new Error(`${u.url} is already in the list.`));
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const s = await actions.add({
        url: u.url,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(Object.keys(h.headers).length > 0 ? { headers: h.headers } : {}),
      });
      setAdded(s);
      setUrl('');
      setName('');
      setHeadersText('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="panel server-add" aria-label="Add a server">
      <h2 className="panel-title">
        <PlusIcon /> Add a server
      </h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">Address</span>
          <input className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://127.0.0.1:8188" aria-label="Server address" autoComplete="off" spellCheck={false} />
        </label>
        <label className="field">
          <span className="field-label">
            Name <span className="muted">(optional)</span>
          </span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="host:port" aria-label="Server name" />
        </label>
        {showHeaders ? (
          <label className="field">
            <span className="field-label">Headers for a proxy</span>
            <textarea
              className="input mono input-small"
              rows={2}
              value={headersText}
              onChange={(e) => setHeadersText(e.target.value)}
              placeholder="X-Api-Key: your-key"
              aria-label="Headers"
              spellCheck={false}
            />
            <span className="field-help">One per line, Name: value. Sent with every request; the values are never shown again.</span>
          </label>
        ) : (
          <button type="button" className="link-button server-add-headers" onClick={() => setShowHeaders(true)}>
            Add headers for an auth proxy…
          </button>
        )}
        <ErrorNotice error={error} title="Could not add the server" />
        {added ? (
          <div className={`server-added${added.status === 'offline' ? ' is-offline' : ''}`} role="status">
            {added.status === 'offline'
              ? `Added ${added.name}, but it did not answer: ${added.lastError ?? 'unreachable'}. It is checked again before each job.`
              : `Added ${added.name}: ${[versionLabel(added), ...capabilityCounts(added)].filter(Boolean).join(', ')}.`}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || !url.trim()}>
            {busy ? <span className="spinner" aria-hidden="true" /> : <PlusIcon />} Add and check
          </button>
        </div>
      </form>
    </aside>
  );
}
