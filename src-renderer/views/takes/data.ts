/**
 * Take triage through the contract, for take compare, the trash panel and the inspector's take list:
 * `take.star`, `take.reject`, `take.delete` (to the trash, with an Undo toast that restores), `take.restore`,
 * `take.trash.list` (react-query `['takeTrash', projectId]`), `take.trash.empty {confirm: true}` and `take.vary`.
 *
 * Star, reject and trash apply optimistically to the cached snapshot (compareModel.ts mirrors the core), then call;
 * a refused call puts the snapshot back and shows the core's message. `project.changed` refetches the trash list.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { useBridge, type Bridge } from '../../bridge';
import { projectKey, toastError } from '../../data/project';
import { useUi } from '../../state/ui';
import { applyTakeReject, applyTakeStar, applyTakeTrash } from './compareModel';
import { describeVaryResult, type VaryChoice } from './varyForm';

/** The react-query key of a project's trash (`take.trash.list`). */
export const trashKey = (projectId: string) => ['takeTrash', projectId] as const;

/** The takes in the project's trash, most recently trashed first; refetched when the project changes. */
export function useTrash(projectId: string, enabled = true) {
  const bridge = useBridge();
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return bridge.on('project.changed', (p) => {
      if (p.projectId === projectId) void qc.invalidateQueries({ queryKey: trashKey(projectId) });
    });
  }, [bridge, qc, projectId, enabled]);
  return useQuery({ queryKey: trashKey(projectId), queryFn: () => bridge.call('take.trash.list', { projectId }), enabled, staleTime: Infinity });
}

/** The triage edits of one project. Each resolves true when the core took it; a refusal shows a toast and resolves false. */
export interface TakeActions {
  star(takeId: string, starred: boolean): Promise<boolean>;
  reject(takeId: string, rejected: boolean): Promise<boolean>;
  /** Moves takes to the trash and shows `label` with an Undo that restores them. */
  trash(takeIds: string[], label: string): Promise<boolean>;
  restore(takeIds: string[]): Promise<boolean>;
  /** Deletes the trash's takes and files for good; resolves with how many takes went, or null when refused. */
  emptyTrash(): Promise<number | null>;
  /** Queues variations of a generated take; `shotNumber` names it in the toast. */
  vary(takeId: string, choice: VaryChoice, shotNumber: string): Promise<boolean>;
}

/** The triage edits of one project over a bridge and a query client (useTakeActions memoizes it). */
export function createTakeActions(bridge: Bridge, qc: QueryClient, projectId: string): TakeActions {
  const key = projectKey(projectId);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: trashKey(projectId) });
  };
  /** Applies an edit to the cached snapshot; returns how to take it back (unless something newer replaced it). */
  const optimistic = (apply: (s: ProjectSnapshot) => ProjectSnapshot) => {
    const before = qc.getQueryData<ProjectSnapshot>(key);
    if (!before) return () => undefined;
    const stored = qc.setQueryData<ProjectSnapshot>(key, apply(before));
    return () => {
      if (qc.getQueryData(key) === stored) qc.setQueryData<ProjectSnapshot>(key, before);
    };
  };
  const run = async (what: string, call: () => Promise<unknown>, revert: () => void = () => undefined): Promise<boolean> => {
    try {
      await call();
      return true;
    } catch (err) {
      revert();
      toastError(err, what);
      refresh();
      return false;
    }
  };

  const actions: TakeActions = {
    star: (takeId, starred) =>
      run(starred ? 'Could not star the take' : 'Could not unstar the take', () => bridge.call('take.star', { projectId, takeId, starred }), optimistic((s) => applyTakeStar(s, takeId, starred))),
    reject: (takeId, rejected) =>
      run(
        rejected ? 'Could not reject the take' : 'Could not accept the take again',
        () => bridge.call('take.reject', { projectId, takeId, rejected }),
        optimistic((s) => applyTakeReject(s, takeId, rejected)),
      ),
    async trash(takeIds, label) {
      if (takeIds.length === 0) return true;
      const ok = await run('Could not move the take to the trash', () => bridge.call('take.delete', { projectId, takeIds }), optimistic((s) => applyTakeTrash(s, takeIds)));
      if (!ok) return false;
      void qc.invalidateQueries({ queryKey: trashKey(projectId) });
      useUi.getState().toast({ kind: 'info', message: label, action: { label: 'Undo', run: () => void actions.restore(takeIds) }, timeoutMs: 8000 });
      return true;
    },
    async restore(takeIds) {
      if (takeIds.length === 0) return true;
      const ok = await run('Could not restore the take', () => bridge.call('take.restore', { projectId, takeIds }));
      if (ok) refresh();
      return ok;
    },
    async emptyTrash() {
      try {
        const r = await bridge.call('take.trash.empty', { projectId, confirm: true });
        refresh();
        return r.deletedTakes;
      } catch (err) {
        toastError(err, 'Could not empty the trash');
        refresh();
        return null;
      }
    },
    async vary(takeId, choice, shotNumber) {
      try {
        const r = await bridge.call('take.vary', { projectId, takeId, ...choice });
        useUi.getState().toast({ kind: 'success', message: describeVaryResult(r, shotNumber), hint: 'They run in the Queue; the new takes join this shot.', timeoutMs: 6000 });
        return true;
      } catch (err) {
        toastError(err, 'Could not queue variations');
        return false;
      }
    },
  };
  return actions;
}

/** The triage edits of one project, stable across renders. */
export function useTakeActions(projectId: string): TakeActions {
  const bridge = useBridge();
  const qc = useQueryClient();
  return useMemo(() => createTakeActions(bridge, qc, projectId), [bridge, qc, projectId]);
}

/** The words a trash toast uses for takes of a shot: `Take 2 of shot 1A`, `3 takes of shot 1A`. */
export function takesLabel(takes: ReadonlyArray<Pick<Take, 'id'>>, numbers: ReadonlyMap<string, number>, shotNumber: string): string {
  if (takes.length === 1) {
    const n = numbers.get(takes[0].id);
    return n ? `Take ${n} of shot ${shotNumber}` : `A take of shot ${shotNumber}`;
  }
  return `${takes.length} takes of shot ${shotNumber}`;
}
