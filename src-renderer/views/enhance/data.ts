/**
 * Local enhancement data through react-query: `['enhance', 'models']` holds `models.list`, `['enhance',
 * 'providers']` the provider choice (`enhance.providers`, probed once by the core), `['app.info']` where the
 * settings live (user models go in `<configDir>/models`). Queueing goes through {@link useEnhanceActions}: the jobs
 * it creates are put in the project's job cache (`['jobs', projectId]`, data/queue.ts) at once, and the queue's
 * events keep them live from there; the result is a toast with "Show queue".
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Job, MethodArgs, MethodResult } from '../../../src-preload/contract';
import { useBridge, type Bridge } from '../../bridge';
import { toastError } from '../../data/project';
import { jobsKey } from '../../data/queue';
import { upsertById } from '../../data/queueCache';
import { useUi } from '../../state/ui';
import { showView } from '../queue/nav';
import { describeEnqueued } from './enhanceModel';

/** The react-query key of the installed models. */
export const MODELS_KEY = ['enhance', 'models'] as const;
/** The react-query key of the provider choice. */
export const PROVIDERS_KEY = ['enhance', 'providers'] as const;
/** The react-query key of `app.info` (shared with the Projects screen). */
export const APP_INFO_KEY = ['app.info'] as const;

/** The installed enhancement models (`models.list`). Refetch to see a model the artist just put in the folder. */
export function useEnhanceModels() {
  const bridge = useBridge();
  return useQuery({ queryKey: MODELS_KEY, queryFn: () => bridge.call('models.list', {}), staleTime: 60_000 });
}

/** The execution provider enhancement runs on, with every provider tried (`enhance.providers`; fixed for the process). */
export function useEnhanceProviders() {
  const bridge = useBridge();
  return useQuery({ queryKey: PROVIDERS_KEY, queryFn: () => bridge.call('enhance.providers', {}), staleTime: Infinity, retry: false });
}

/** The app and where its settings live (`app.info`). */
export function useAppInfo() {
  const bridge = useBridge();
  return useQuery({ queryKey: APP_INFO_KEY, queryFn: () => bridge.call('app.info', {}), staleTime: Infinity });
}

/** `enhance.enqueue`'s arguments less the project. */
export type EnhanceRequest = Omit<MethodArgs<'enhance.enqueue'>, 'projectId'>;
/** What `enhance.enqueue` answers: the batch, its jobs and the takes left out with their reasons. */
export type EnhanceResult = MethodResult<'enhance.enqueue'>;

/**
 * Calls `enhance.enqueue` and puts the new jobs in the project's job cache (the Queue view and the rail's badge
 * show them before their first event).
 * @throws the core's ContractCallError (an unknown model, a bad tile size…) for the caller to show.
 */
export async function enqueueEnhance(bridge: Bridge, qc: QueryClient, projectId: string, request: EnhanceRequest): Promise<EnhanceResult> {
  const result = await bridge.call('enhance.enqueue', { projectId, ...request } as MethodArgs<'enhance.enqueue'>);
  qc.setQueryData<Job[]>(jobsKey(projectId), (list) => upsertById(list, result.jobs.filter((j) => j.projectId === projectId)));
  return result;
}

/** What views do to queue enhancement. */
export interface EnhanceActions {
  /** Queues and returns the result (it throws the core's error for a dialog to show inline). */
  enqueue(request: EnhanceRequest): Promise<EnhanceResult>;
  /**
   * Queues and says so in a toast (`what` names one job: `upscale`, `interpolation`), with the first reason a
   * take was left out as its hint and a "Show queue" action. Failures become an error toast; resolves null then.
   */
  enqueueWithToast(request: EnhanceRequest, what: string): Promise<EnhanceResult | null>;
}

/** The enhancement actions of one project, stable across renders. */
export function useEnhanceActions(projectId: string): EnhanceActions {
  const bridge = useBridge();
  const qc = useQueryClient();
  return useMemo<EnhanceActions>(
    () => ({
      enqueue: (request) => enqueueEnhance(bridge, qc, projectId, request),
      async enqueueWithToast(request, what) {
        try {
          const result = await enqueueEnhance(bridge, qc, projectId, request);
          const words = describeEnqueued(result, what);
          useUi.getState().toast({
            kind: words.kind,
            message: words.message,
            hint: words.hint,
            action: result.jobs.length > 0 ? { label: 'Show queue', run: () => showView('queue') } : undefined,
            timeoutMs: words.hint ? 9000 : 6000,
          });
          return result;
        } catch (err) {
          toastError(err, `Could not queue the ${what}`);
          return null;
        }
      },
    }),
    [bridge, qc, projectId],
  );
}
