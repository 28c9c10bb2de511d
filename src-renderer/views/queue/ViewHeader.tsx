/**
 * The top bar of the Queue and Servers views: back to Projects, the view's title over the project's name, and
 * the view's own buttons on the right. Same height and look as the Timeline's top bar.
 */
import type { ReactNode } from 'react';
import { BackIcon } from '../../components/icons';
import { useProject } from '../../data/project';
import { useUi } from '../../state/ui';

/** Props of ViewHeader. */
export interface ViewHeaderProps {
  projectId: string;
  title: string;
  /** A short line after the project's name (`3 running · 4 waiting`). */
  subtitle?: ReactNode;
  children?: ReactNode;
}

/** A view's top bar. */
export function ViewHeader(p: ViewHeaderProps) {
  const name = useProject(p.projectId).data?.settings.name;
  return (
    <header className="view-header">
      <div className="view-header-title">
        <button className="icon-button" onClick={() => useUi.getState().setScreen({ kind: 'projects' })} title="Back to projects" aria-label="Back to projects">
          <BackIcon />
        </button>
        <div>
          <h1 className="view-title">{p.title}</h1>
          <div className="view-subtitle">
            {name ?? 'Loading…'}
            {p.subtitle ? <> · {p.subtitle}</> : null}
          </div>
        </div>
      </div>
      <div className="view-header-actions">{p.children}</div>
    </header>
  );
}
