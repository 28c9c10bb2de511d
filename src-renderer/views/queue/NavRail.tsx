/**
 * The slim left rail of a project's workspace: Timeline, Queue (with its badge: jobs running and waiting, or
 * failures), Servers, Characters, Templates, Models and the take Library, then the Generate button (the timeline's selection, else the whole project).
 */
import { useMemo } from 'react';
import { useJobs } from '../../data/queue';
import { useUi } from '../../state/ui';
import { CharactersViewIcon, GenerateIcon, ModelsViewIcon, QueueViewIcon, ServersViewIcon, TemplatesViewIcon, TimelineViewIcon } from '../../components/icons';
import { openGenerate } from '../generate/store';
import { LibraryViewIcon } from '../takes/icons';
import { WORKSPACE_VIEWS, useWorkspaceNav, type WorkspaceView } from './nav';
import { describeCounts, queueCounts } from './queueModel';

const ICONS: Record<WorkspaceView, () => React.JSX.Element> = {
  timeline: TimelineViewIcon,
  queue: QueueViewIcon,
  servers: ServersViewIcon,
  characters: CharactersViewIcon,
  templates: TemplatesViewIcon,
  models: ModelsViewIcon,
  library: LibraryViewIcon,
};

/** The workspace's view switcher. */
export function NavRail({ projectId }: { projectId: string }) {
  const view = useWorkspaceNav((s) => s.view);
  const setView = useWorkspaceNav((s) => s.setView);
  const jobs = useJobs(projectId);
  const counts = useMemo(() => queueCounts(jobs.data ?? []), [jobs.data]);
  const queueText = describeCounts(counts);

  return (
    <nav className="rail" aria-label="Views">
      {WORKSPACE_VIEWS.map((v) => {
        const Icon = ICONS[v.id];
        const on = view === v.id;
        const isQueue = v.id === 'queue';
        return (
          <button
            key={v.id}
            type="button"
            className={`rail-item${on ? ' is-on' : ''}`}
            aria-current={on ? 'page' : undefined}
            aria-label={isQueue ? `Queue: ${queueText}` : v.label}
            title={`${v.label} (${v.shortcut})${isQueue ? `\n${queueText}` : ''}`}
            onClick={() => setView(v.id)}
          >
            <span className="rail-icon">
              <Icon />
            </span>
            <span className="rail-label">{v.label}</span>
            {isQueue ? <QueueBadge running={counts.running} waiting={counts.onServer + counts.queued} failed={counts.failed} /> : null}
          </button>
        );
      })}
      <span className="rail-sep" aria-hidden="true" />
      <button
        type="button"
        className="rail-item rail-generate"
        title="Generate takes of the selected shots (G)"
        aria-label="Generate takes"
        onClick={() => {
          const sel = useUi.getState().selection;
          openGenerate({ shotIds: sel.ids, focusId: sel.focusId });
        }}
      >
        <span className="rail-icon">
          <GenerateIcon size={18} />
        </span>
        <span className="rail-label">Generate</span>
      </button>
    </nav>
  );
}

/** Running and waiting counts under the Queue label: `▸2 · 5`; a red count of failures when nothing else is going on. */
function QueueBadge(p: { running: number; waiting: number; failed: number }) {
  if (p.running + p.waiting === 0) {
    return p.failed > 0 ? (
      <span className="rail-badge is-failed" data-testid="queue-badge">
        {p.failed}
      </span>
    ) : null;
  }
  return (
    <span className={`rail-badge${p.running > 0 ? ' is-running' : ''}`} data-testid="queue-badge">
      {p.running > 0 ? <span className="rail-badge-run">{p.running}</span> : null}
      {p.running > 0 && p.waiting > 0 ? <span className="rail-badge-sep">·</span> : null}
      {p.waiting > 0 ? <span>{p.waiting}</span> : null}
    </span>
  );
}
