/**
 * The app shell: the Projects screen or a project's workspace (Timeline, Queue, Servers), the toasts, and the
 * wiring that is not a view's: `?project=<projectId>` in the address opens that project, and Electron menu
 * commands (`ui.command`).
 */
import { useEffect, useState } from 'react';
import { onUiCommand, useBridge } from './bridge';
import { Toaster } from './components/Toaster';
import { toastError } from './data/project';
import { dispatchCommand } from './lib/commands';
import { useUi } from './state/ui';
import { ProjectsScreen } from './views/projects/ProjectsScreen';
import { ProjectWorkspace } from './views/queue/ProjectWorkspace';

/** Reads `?project=` from the page address (web mode opens a served project this way). */
function projectIdFromAddress(): string | null {
  try {
    return new URL(window.location.href).searchParams.get('project');
  } catch {
    return null;
  }
}

/** Keeps `?project=` in the address in step with the open project, so a reload comes back to it. */
function syncAddress(projectId: string | null): void {
  const url = new URL(window.location.href);
  if ((url.searchParams.get('project') ?? null) === projectId) return;
  if (projectId) url.searchParams.set('project', projectId);
  else url.searchParams.delete('project');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

/** The root view under the bridge and query providers: Projects screen or a project's workspace. */
export function App() {
  const bridge = useBridge();
  const screen = useUi((s) => s.screen);
  const setScreen = useUi((s) => s.setScreen);
  const [addressError, setAddressError] = useState<string | null>(null);
  const [resolving, setResolving] = useState(() => projectIdFromAddress() !== null);

  useEffect(() => {
    const wanted = projectIdFromAddress();
    if (!wanted) return;
    let live = true;
    bridge
      .call('project.list', {})
      .then((list) => {
        if (!live) return;
        if (list.some((p) => p.projectId === wanted)) setScreen({ kind: 'timeline', projectId: wanted });
        else setAddressError(`No open project has the id ${wanted}. Open it from the list below, or from its folder.`);
      })
      .catch((err: unknown) => live && setAddressError(err instanceof Error ? err.message : String(err)))
      .finally(() => live && setResolving(false));
    return () => {
      live = false;
    };
  }, [bridge, setScreen]);

  useEffect(() => {
    if (bridge.shell === 'web' && !resolving) syncAddress(screen.kind === 'timeline' ? screen.projectId : null);
  }, [bridge.shell, screen, resolving]);

  useEffect(
    () =>
      onUiCommand(bridge, (command, path) => {
        const ui = useUi.getState();
        if (command === 'new-project') {
          ui.setScreen({ kind: 'projects' });
          ui.setDialog('new-project');
        } else if (command === 'open-project' || command === 'close-project') {
          ui.setScreen({ kind: 'projects' });
        } else if (command === 'open-recent' && path) {
          bridge.call('project.open', { path }).then(
            (p) => ui.setScreen({ kind: 'timeline', projectId: p.projectId }),
            (err: unknown) => toastError(err, `Could not open ${path}`),
          );
        } else {
          dispatchCommand(command);
        }
      }),
    [bridge],
  );

  useEffect(() => {
    document.title = screen.kind === 'projects' ? 'StoryCanvas' : document.title;
  }, [screen]);

  return (
    <>
      {resolving ? (
        <div className="boot">
          <span className="spinner" aria-hidden="true" /> Opening project…
        </div>
      ) : screen.kind === 'timeline' ? (
        <ProjectWorkspace key={screen.projectId} projectId={screen.projectId} />
      ) : (
        <ProjectsScreen notice={addressError} />
      )}
      <Toaster />
    </>
  );
}
