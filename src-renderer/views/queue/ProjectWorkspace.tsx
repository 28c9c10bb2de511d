/**
 * An open project's workspace: the left rail (NavRail.tsx) and the view it picks — the Timeline, the Queue, the
 * Servers, the Characters, the style Templates, the enhancement Models or the take Library — with the Generate and
 * Enhance dialogs over all of them, take compare (T) and the shot assistant, and the shot cards' enhancement spinners.
 * Alt+1 … Alt+7 switch views. It follows the queue's
 * events for the whole time the project is open, so the rail's badge and the cached jobs stay live in every view;
 * the project's own events are followed by the Timeline while it shows and by {@link FollowProject} otherwise.
 */
import { useEffect } from 'react';
import { useProjectEvents } from '../../data/project';
import { useQueueEvents } from '../../data/queue';
import { useUi } from '../../state/ui';
import { GenerateDialog } from '../generate/GenerateDialog';
import { useGenerateDialog } from '../generate/store';
import { CharactersView } from '../characters/CharactersView';
import { EnhanceActivity } from '../enhance/EnhanceActivity';
import { EnhanceDialog } from '../enhance/EnhanceDialog';
import { useEnhanceUi } from '../enhance/store';
import { ModelsView } from '../models/ModelsView';
import { AssistantPanelHost } from '../assistant/AssistantPanel';
import { LibraryView } from '../library/LibraryView';
import { TakeCompareHost } from '../takes/TakeCompare';
import { ServersView } from '../servers/ServersView';
import { TemplatesView } from '../templates/TemplatesView';
import { TimelineScreen } from '../timeline/TimelineScreen';
import { NavRail } from './NavRail';
import { useWorkspaceNav, viewForKey } from './nav';
import { QueueView } from './QueueView';
import './queue.css';

/** The workspace of one open project (`projectId` from project.open/create). */
export function ProjectWorkspace({ projectId }: { projectId: string }) {
  const view = useWorkspaceNav((s) => s.view);
  useQueueEvents(projectId);
  useViewKeys();

  // a project opens on its timeline
  useEffect(() => {
    useWorkspaceNav.getState().setView('timeline');
  }, [projectId]);

  return (
    <div className="project-shell">
      <NavRail projectId={projectId} />
      <div className="project-shell-view">
        {view === 'queue' ? (
          <QueueView projectId={projectId} />
        ) : view === 'servers' ? (
          <ServersView projectId={projectId} />
        ) : view === 'characters' ? (
          <CharactersView projectId={projectId} />
        ) : view === 'templates' ? (
          <TemplatesView projectId={projectId} />
        ) : view === 'models' ? (
          <ModelsView projectId={projectId} />
        ) : view === 'library' ? (
          <LibraryView projectId={projectId} />
        ) : (
          <TimelineScreen projectId={projectId} />
        )}
      </div>
      {view !== 'timeline' ? <FollowProject projectId={projectId} /> : null}
      <GenerateDialog projectId={projectId} />
      <EnhanceDialog projectId={projectId} />
      <EnhanceActivity projectId={projectId} />
      <TakeCompareHost projectId={projectId} />
      <AssistantPanelHost projectId={projectId} />
    </div>
  );
}

/** Keeps the project's snapshot current while the Timeline (which follows it itself) is not mounted. */
function FollowProject({ projectId }: { projectId: string }) {
  useProjectEvents(projectId);
  return null;
}

/** Alt+1 … Alt+7: Timeline, Queue, Servers, Characters, Templates, Models, Library. Ignored while a dialog is open. */
function useViewKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || useUi.getState().dialog || useGenerateDialog.getState().open || useEnhanceUi.getState().dialog) return;
      const view = viewForKey(e);
      if (!view) return;
      e.preventDefault();
      useWorkspaceNav.getState().setView(view);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
