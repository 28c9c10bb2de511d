/**
 * Project data through react-query: `['project', id]` holds the ProjectSnapshot (`project.get`), `['undo', id]`
 * the UndoState. `project.changed` events invalidate them (no polling); edits apply optimistically to the cache
 * (data/snapshotEdits.ts) and then call the contract. A failed edit refetches and shows the core's message.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { ShotPatch } from '../../src-preload/contract';
import type { ProjectSnapshot, UndoState } from '../../src-preload/model';
import { useBridge, type Bridge } from '../bridge';
import { errorInfo } from '../lib/errors';
import { fileToBase64 } from '../lib/fileData';
import { useUi } from '../state/ui';
import { applyShotDelete, applyShotMove, applyShotPatch, applyTakeSelect, isNoopMove } from './snapshotEdits';

/** The react-query key of a project's snapshot. */
export const projectKey = (projectId: string) => ['project', projectId] as const;
/** The react-query key of a project's undo state. */
export const undoKey = (projectId: string) => ['undo', projectId] as const;

/** The project's snapshot; refetched only when an event says it changed. */
export function useProject(projectId: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: projectKey(projectId),
    queryFn: () => bridge.call('project.get', { projectId }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** What undo and redo would do, kept current by `project.changed`. */
export function useUndoState(projectId: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: undoKey(projectId),
    queryFn: () => bridge.call('edit.state', { projectId }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/**
 * Follows the core's events for one project: `project.changed` refetches the snapshot (unless the cache already
 * has that revision) and stores the undo state it carries; `media.ready` refetches; `project.closed` returns to
 * the Projects screen; a reconnected socket refetches everything (events were missed).
 */
export function useProjectEvents(projectId: string): void {
  const bridge = useBridge();
  const qc = useQueryClient();
  useEffect(() => {
    let wasClosed = false;
    const offs = [
      bridge.on('project.changed', (p) => {
        if (p.projectId !== projectId) return;
        qc.setQueryData<UndoState>(undoKey(projectId), p.undo);
        const cached = qc.getQueryData<ProjectSnapshot>(projectKey(projectId));
        if (!cached || cached.revision !== p.revision) {
          void qc.invalidateQueries({ queryKey: projectKey(projectId) });
        }
      }),
      bridge.on('media.ready', (p) => {
        if (p.projectId === projectId) void qc.invalidateQueries({ queryKey: projectKey(projectId) });
      }),
      bridge.on('project.closed', (p) => {
        if (p.projectId !== projectId) return;
        useUi.getState().setScreen({ kind: 'projects' });
        useUi.getState().toast({ kind: 'info', message: 'The project was closed.' });
      }),
      bridge.onConnectionChange((state) => {
        if (state === 'closed') wasClosed = true;
        if (state === 'open' && wasClosed) {
          wasClosed = false;
          void qc.invalidateQueries();
        }
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge, qc, projectId]);
}

/** Shows a failed call as an error toast with the core's message and hint. */
export function toastError(err: unknown, what?: string): void {
  const info = errorInfo(err);
  useUi.getState().toast({ kind: 'error', message: what ? `${what}: ${info.message}` : info.message, hint: info.hint });
}

/** An optimistic edit in the cache, and how to take it back. */
interface Applied {
  /** Puts the snapshot from before the edit back, unless something newer replaced the edited one meanwhile. */
  revert(): void;
}

async function optimistic(qc: QueryClient, projectId: string, apply: (s: ProjectSnapshot) => ProjectSnapshot): Promise<Applied> {
  const key = projectKey(projectId);
  // Only wait when a fetch is in flight (it must not land over the edit); otherwise the cache changes in this
  // very tick, so a caller clearing its own live preview right after the call shows no flicker.
  if (qc.isFetching({ queryKey: key }) > 0) await qc.cancelQueries({ queryKey: key });
  const before = qc.getQueryData<ProjectSnapshot>(key);
  if (!before) return { revert: () => undefined };
  // what the cache holds after structural sharing, to recognise our edit later
  const stored = qc.setQueryData<ProjectSnapshot>(key, apply(before));
  return {
    revert: () => {
      if (qc.getQueryData(key) === stored) qc.setQueryData<ProjectSnapshot>(key, before);
    },
  };
}

/** The edits views make, each optimistic where the result is known in advance. */
export interface ProjectActions {
  moveShots(shotIds: string[], sceneId: string, beforeShotId: string | null): Promise<void>;
  updateShots(shotIds: string[], patch: ShotPatch): Promise<void>;
  deleteShots(shotIds: string[]): Promise<void>;
  /** Adds a shot after `afterShotId` (or at the scene's end) and returns its id, or null when it failed. */
  createShot(sceneId: string, afterShotId: string | null): Promise<string | null>;
  createScene(afterSceneId: string | null): Promise<string | null>;
  selectTake(takeId: string): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Imports files as takes of a shot: by path in Electron, by value in the browser. Shows progress as a toast. */
  importTakeFiles(shotId: string, shotNumber: string, files: File[]): Promise<void>;
}

/** The edits of one project over a bridge and a query client (useProjectActions memoizes it). */
export function createProjectActions(bridge: Bridge, qc: QueryClient, projectId: string): ProjectActions {
  const refetch = () => qc.invalidateQueries({ queryKey: projectKey(projectId) });
  const snapshot = () => qc.getQueryData<ProjectSnapshot>(projectKey(projectId));
  const fail = async (err: unknown, what: string, applied?: Applied) => {
    toastError(err, what);
    applied?.revert();
    await refetch().catch(() => undefined);
  };
  const ui = () => useUi.getState();

  return {
    async moveShots(shotIds, sceneId, beforeShotId) {
      const snap = snapshot();
      if (snap && isNoopMove(snap, shotIds, sceneId, beforeShotId)) return;
      let applied: Applied | undefined;
      try {
        applied = await optimistic(qc, projectId, (s) => applyShotMove(s, shotIds, sceneId, beforeShotId));
        await bridge.call('shot.move', { projectId, shotIds, sceneId, beforeShotId });
      } catch (err) {
        await fail(err, 'Could not move the shots', applied);
      }
    },
    async updateShots(shotIds, patch) {
      if (shotIds.length === 0 || Object.keys(patch).length === 0) return;
      let applied: Applied | undefined;
      try {
        applied = await optimistic(qc, projectId, (s) => applyShotPatch(s, shotIds, patch));
        await bridge.call('shot.update', { projectId, shotIds, patch });
      } catch (err) {
        await fail(err, 'Could not save the change', applied);
      }
    },
    async deleteShots(shotIds) {
      if (shotIds.length === 0) return;
      let applied: Applied | undefined;
      try {
        applied = await optimistic(qc, projectId, (s) => applyShotDelete(s, shotIds));
        await bridge.call('shot.delete', { projectId, shotIds });
        const n = shotIds.length;
        ui().toast({
          kind: 'info',
          message: `Deleted ${n === 1 ? '1 shot' : `${n} shots`}`,
          action: { label: 'Undo', run: () => void this.undo() },
          timeoutMs: 8000,
        });
      } catch (err) {
        await fail(err, 'Could not delete the shots', applied);
      }
    },
    async createShot(sceneId, afterShotId) {
      try {
        const { shotId } = await bridge.call('shot.create', { projectId, sceneId, afterShotId });
        await refetch();
        return shotId;
      } catch (err) {
        await fail(err, 'Could not add a shot');
        return null;
      }
    },
    async createScene(afterSceneId) {
      try {
        const { sceneId } = await bridge.call('scene.create', { projectId, afterSceneId });
        await refetch();
        return sceneId;
      } catch (err) {
        await fail(err, 'Could not add a scene');
        return null;
      }
    },
    async selectTake(takeId) {
      let applied: Applied | undefined;
      try {
        applied = await optimistic(qc, projectId, (s) => applyTakeSelect(s, takeId));
        await bridge.call('take.select', { projectId, takeId });
      } catch (err) {
        await fail(err, 'Could not select the take', applied);
      }
    },
    async undo() {
      try {
        const state = await bridge.call('edit.undo', { projectId });
        qc.setQueryData(undoKey(projectId), state);
        await refetch();
      } catch (err) {
        toastError(err, 'Could not undo');
      }
    },
    async redo() {
      try {
        const state = await bridge.call('edit.redo', { projectId });
        qc.setQueryData(undoKey(projectId), state);
        await refetch();
      } catch (err) {
        toastError(err, 'Could not redo');
      }
    },
    async importTakeFiles(shotId, shotNumber, files) {
      if (files.length === 0) return;
      const label = files.length === 1 ? files[0].name : `${files.length} files`;
      const toastId = ui().toast({ kind: 'progress', message: `Importing ${label} into shot ${shotNumber}…` });
      try {
        const paths = files.map((f) => bridge.pathForFile(f));
        if (paths.every((p): p is string => !!p)) {
          await bridge.call('take.import', { projectId, shotId, paths });
        } else {
          for (let i = 0; i < files.length; i++) {
            const f = files[i];
            if (files.length > 1) ui().toast({ id: toastId, kind: 'progress', message: `Importing ${f.name} into shot ${shotNumber} (${i + 1} of ${files.length})…` });
            const dataBase64 = await fileToBase64(f);
            await bridge.call('take.importBytes', { projectId, shotId, fileName: f.name, dataBase64 });
          }
        }
        ui().toast({ id: toastId, kind: 'success', message: `Imported ${label} into shot ${shotNumber}`, timeoutMs: 4000 });
        await refetch();
      } catch (err) {
        ui().dismissToast(toastId);
        await fail(err, `Could not import ${label}`);
      }
    },
  };
}

/** The edits for one project, stable across renders. */
export function useProjectActions(projectId: string): ProjectActions {
  const bridge = useBridge();
  const qc = useQueryClient();
  return useMemo(() => createProjectActions(bridge, qc, projectId), [bridge, qc, projectId]);
}
