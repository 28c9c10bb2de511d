/**
 * The per-server strip over the Queue: each server's state (online, busy, offline, set aside by its circuit
 * breaker, disabled), VRAM in use, prompts in its queue, our jobs on it and its measured speed. Live by
 * `server.updated` (data/queue.ts).
 */
import type { ServerStatus } from '../../../src-preload/contract';
import { showView } from './nav';
import { formatBytes, serverStateLabel, vramOf } from './queueModel';

/** A bar of VRAM in use, with `5.1 / 24 GB`. */
export function VramMeter({ server }: { server: Pick<ServerStatus, 'vramTotalBytes' | 'vramFreeBytes'> }) {
  const v = vramOf(server);
  if (!v) return <span className="vram vram-unknown">VRAM –</span>;
  const level = v.fraction > 0.9 ? ' is-high' : v.fraction > 0.7 ? ' is-mid' : '';
  return (
    <span className="vram" title={`VRAM: ${formatBytes(v.usedBytes)} in use of ${formatBytes(v.totalBytes)}`}>
      <span className="vram-bar" aria-hidden="true">
        <span className={`vram-fill${level}`} style={{ width: `${Math.round(v.fraction * 100)}%` }} />
      </span>
      <span className="tabular">
        {formatBytes(v.usedBytes).replace(/ GB$/, '')} / {formatBytes(v.totalBytes)}
      </span>
    </span>
  );
}

/** The state chip of a server: a coloured dot and a word. */
export function ServerStateChip({ server }: { server: Pick<ServerStatus, 'status' | 'breaker'> }) {
  const s = serverStateLabel(server);
  return (
    <span className={`server-state tone-${s.tone}`}>
      <span className="server-state-dot" aria-hidden="true" />
      {s.label}
    </span>
  );
}

/** The strip of servers at the top of the Queue view. */
export function ServerStrip({ servers }: { servers: ServerStatus[] | undefined }) {
  if (!servers) return <div className="server-strip server-strip-empty muted">Looking at the servers…</div>;
  if (servers.length === 0) {
    return (
      <div className="server-strip server-strip-empty">
        <span>No ComfyUI server is set up yet: jobs wait here until one is.</span>
        <button className="button button-small button-primary" onClick={() => showView('servers')}>
          Add a server
        </button>
      </div>
    );
  }
  return (
    <div className="server-strip" role="list" aria-label="Servers">
      {servers.map((s) => (
        <div key={s.id} className={`server-tile${s.enabled ? '' : ' is-disabled'}`} role="listitem" aria-label={`Server ${s.name}`}>
          <div className="server-tile-head">
            <span className="server-tile-name" title={s.url}>
              {s.name}
            </span>
            <ServerStateChip server={s} />
          </div>
          <div className="server-tile-stats">
            <VramMeter server={s} />
            <span title="Prompts in the server's own queue (every client), and ours on it">
              queue <b className="tabular">{s.queueLength}</b>
              {s.inFlight > 0 ? <span className="muted"> ({s.inFlight} ours)</span> : null}
            </span>
            {s.msPerStep !== null ? <span className="muted tabular" title="Measured sampling speed at 512×512">{Math.round(s.msPerStep)} ms/step</span> : null}
          </div>
          {s.lastError && (s.status === 'offline' || s.breaker !== 'closed') ? (
            <div className="server-tile-error" title={s.lastError}>
              {s.lastError}
            </div>
          ) : null}
        </div>
      ))}
      <button className="server-tile server-tile-manage" onClick={() => showView('servers')}>
        Manage servers…
      </button>
    </div>
  );
}
