/**
 * The Projects screen: create a project, open one by its folder path, reopen a recent one, or return to a
 * project this StoryCanvas already has open (web mode serves one that way).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ProjectSummary } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Logo } from '../../components/Logo';
import { useUi } from '../../state/ui';
import { NewProjectDialog } from './NewProjectDialog';
import { frameRateLabel } from './resolution';

function parentDir(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return i > 0 ? trimmed.slice(0, i) : trimmed;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "5 minutes ago", "yesterday", or a date for older ones. */
function whenOpened(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const minutes = Math.round((t - Date.now()) / 60_000);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 7) return relative.format(days, 'day');
  return new Date(t).toLocaleDateString();
}

/** The Projects screen. `notice` is shown above the lists (e.g. an unknown `?project=`). */
export function ProjectsScreen(props: { notice?: string | null }) {
  const bridge = useBridge();
  const qc = useQueryClient();
  const setScreen = useUi((s) => s.setScreen);
  const dialog = useUi((s) => s.dialog);
  const setDialog = useUi((s) => s.setDialog);
  const info = useQuery({ queryKey: ['app.info'], queryFn: () => bridge.call('app.info', {}) });
  const recent = useQuery({ queryKey: ['project.recent'], queryFn: () => bridge.call('project.recent', {}), staleTime: 0 });
  const openNow = useQuery({ queryKey: ['project.list'], queryFn: () => bridge.call('project.list', {}), staleTime: 0 });
  const [path, setPath] = useState('');
  const [opening, setOpening] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const enter = (p: ProjectSummary) => {
    void qc.invalidateQueries({ queryKey: ['project.recent'] });
    void qc.invalidateQueries({ queryKey: ['project.list'] });
    setScreen({ kind: 'timeline', projectId: p.projectId });
  };

  async function open(target: string) {
    if (!target.trim()) return;
    setOpening(target);
    setError(null);
    try {
      enter(await bridge.call('project.open', { path: target.trim() }));
    } catch (err) {
      setError(err);
    } finally {
      setOpening(null);
    }
  }

  const submitOpen = (e: FormEvent) => {
    e.preventDefault();
    void open(path);
  };

  const recents = recent.data ?? [];
  const suggestedDir = recents[0] ? parentDir(recents[0].path) : '';
  const openList = openNow.data ?? [];

  return (
    <div className="projects-screen">
      <header className="projects-header">
        <div className="brand">
          <Logo size={28} />
          <div>
            <div className="brand-name">StoryCanvas</div>
            <div className="brand-sub">
              Storyboards and animatics from a screenplay
              {info.data ? ` · ${info.data.version} · ${info.data.shell === 'web' ? 'web mode' : info.data.shell}` : ''}
            </div>
          </div>
        </div>
        <button className="button button-primary" onClick={() => setDialog('new-project')}>
          <PlusIcon /> New project
        </button>
      </header>

      {props.notice ? <ErrorNotice error={{ message: props.notice }} /> : null}

      <div className="projects-grid">
        <section className="panel" aria-labelledby="recent-title">
          <h2 id="recent-title" className="panel-title">
            Recent projects
          </h2>
          {recent.isLoading ? <p className="muted">Loading…</p> : null}
          <ErrorNotice error={recent.error} title="Could not list recent projects" />
          {!recent.isLoading && recents.length === 0 && !recent.error ? (
            <div className="empty">
              <p>No recent projects yet.</p>
              <p className="muted">Create one, or open a project folder by its path.</p>
            </div>
          ) : null}
          <ul className="project-list">
            {recents.map((r) => (
              <li key={r.path}>
                <button className="project-row" onClick={() => void open(r.path)} disabled={opening !== null} title={`Open ${r.path}`}>
                  <span className="project-thumb" aria-hidden="true">
                    {r.name.slice(0, 1).toUpperCase()}
                  </span>
                  <span className="project-row-text">
                    <span className="project-row-name">{r.name}</span>
                    <span className="project-row-path mono">{r.path}</span>
                  </span>
                  <span className="project-row-when">{opening === r.path ? 'Opening…' : whenOpened(r.openedAt)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>

        <div className="projects-side">
          {openList.length > 0 ? (
            <section className="panel" aria-labelledby="open-now-title">
              <h2 id="open-now-title" className="panel-title">
                Open in this session
              </h2>
              <ul className="project-list">
                {openList.map((p) => (
                  <li key={p.projectId}>
                    <button className="project-row" onClick={() => enter(p)}>
                      <span className="project-thumb project-thumb-live" aria-hidden="true">
                        {p.settings.name.slice(0, 1).toUpperCase()}
                      </span>
                      <span className="project-row-text">
                        <span className="project-row-name">{p.settings.name}</span>
                        <span className="project-row-path">
                          {frameRateLabel(p.settings.frameRate)} fps · {p.settings.widthPx}×{p.settings.heightPx}
                        </span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section className="panel" aria-labelledby="open-title">
            <h2 id="open-title" className="panel-title">
              Open a project
            </h2>
            <form className="form" onSubmit={submitOpen}>
              <label className="field">
                <span className="field-label">Project folder or its project.db</span>
                <input
                  className="input mono"
                  value={path}
                  onChange={(e) => setPath(e.target.value)}
                  placeholder="/home/you/Storyboards/Pilot.storycanvas"
                  spellCheck={false}
                />
              </label>
              <div className="form-actions">
                <button type="submit" className="button" disabled={!path.trim() || opening !== null}>
                  {opening === path && path ? 'Opening…' : 'Open'}
                </button>
              </div>
            </form>
            <ErrorNotice error={error} title="Could not open the project" />
          </section>
        </div>
      </div>

      <NewProjectDialog
        open={dialog === 'new-project'}
        onOpenChange={(o) => setDialog(o ? 'new-project' : null)}
        suggestedDir={suggestedDir}
        onCreated={(p) => {
          setDialog(null);
          enter(p);
        }}
      />
    </div>
  );
}

/** A + glyph (12 px). */
export function PlusIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
      <path d="M6 1.5v9M1.5 6h9" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
