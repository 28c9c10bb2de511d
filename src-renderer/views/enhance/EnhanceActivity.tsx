/**
 * A small spinner on the timeline's shot cards while an enhancement job of the shot runs (and a quiet ring while
 * one waits), from the project's jobs (`['jobs', projectId]`, kept live by the queue's events).
 *
 * It draws through a stylesheet keyed by the cards' `data-shot-id`, so the timeline's memoized cards
 * (views/timeline/ShotCard.tsx) do not re-render, and cards scrolled into view later are marked too. Mounted once
 * per open project (views/queue/ProjectWorkspace.tsx).
 */
import { useMemo } from 'react';
import { useJobs } from '../../data/queue';
import { activityCss, enhanceActivity } from './enhanceModel';

/** The cards' enhancement marks for one project. */
export function EnhanceActivity({ projectId }: { projectId: string }) {
  const jobs = useJobs(projectId);
  const css = useMemo(() => {
    const { running, queued } = enhanceActivity(jobs.data ?? []);
    return activityCss(running, queued);
  }, [jobs.data]);
  if (!css) return null;
  return <style data-enhance-activity="">{css}</style>;
}
