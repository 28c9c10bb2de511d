/**
 * The Queue view: every generation job of the project, grouped by state (running, waiting on a server, queued,
 * failed, then done and cancelled folded), under a strip of the servers' state. A row shows the shot's picture,
 * number and prompt, the workflow and seed, the priority (changeable while queued), the state, the server, a live
 * progress bar with the latest preview frame (or the take it made), timings, and the server's reason when it
 * failed. Queued jobs can be dragged into another order (dnd-kit, `queue.move`), moved up and down in priority,
 * cancelled; failed and cancelled ones retried.
 *
 * Live by events only (data/queue.ts): `job.updated` replaces a row's job, `job.progress` re-renders that row's
 * progress, `server.updated` the strip. Nothing polls; a one-second clock ticks only while jobs are active, for
 * the timings.
 */
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { memo, useEffect, useMemo, useState } from 'react';
import type { Job, JobPriority, ServerStatus } from '../../../src-preload/contract';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useProject } from '../../data/project';
import { useJobProgress, useJobs, useQueueActions, useServers, useWorkflows, type QueueActions } from '../../data/queue';
import { useUi } from '../../state/ui';
import { openGenerate } from '../generate/store';
import { shotPictureUrl, takePicture } from '../timeline/media';
import { ArrowDownIcon, ArrowUpIcon, CancelJobIcon, ChevronIcon, GenerateIcon, GripIcon, RetryIcon } from '../../components/icons';
import { showView } from './nav';
import {
  PRIORITY_LABELS,
  STATE_LABELS,
  describeCounts,
  formatProgress,
  formatTimings,
  groupJobs,
  isActive,
  jobDetailLabel,
  jobWhereLabel,
  moveTargetOf,
  queueCounts,
  stepPriority,
  workflowLabel,
  type JobGroup,
  type JobGroupId,
} from './queueModel';
import { PRIORITIES } from '../../data/queueCache';
import { ServerStrip } from './ServerStrip';
import { ViewHeader } from './ViewHeader';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];

/** What a row needs to know about its shot and the project's takes. */
interface ShotIndex {
  shots: ReadonlyMap<string, { shot: Shot; sceneNumber: string }>;
  takes: ReadonlyMap<string, Take>;
  /** The project's frame as width / height (thumbnails keep it). */
  aspect: number;
}

/** Shared by every row (one stable object, so memoized rows skip re-renders). */
interface RowContext {
  projectId: string;
  index: ShotIndex;
  servers: ReadonlyMap<string, string>;
  workflows: ReadonlyArray<{ id: string; name: string }> | undefined;
  actions: QueueActions;
}

/** A clock for the timings that ticks once a second while `active`, and stands still otherwise. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** The Queue view of one project. */
export function QueueView({ projectId }: { projectId: string }) {
  const jobs = useJobs(projectId);
  const servers = useServers();
  const workflows = useWorkflows();
  const snapshot = useProject(projectId).data;
  const actions = useQueueActions(projectId);
  const groups = useMemo(() => groupJobs(jobs.data ?? []), [jobs.data]);
  const counts = useMemo(() => queueCounts(jobs.data ?? []), [jobs.data]);
  const nowMs = useNow(counts.active > 0);
  const [folded, setFolded] = useState<Partial<Record<JobGroupId, boolean>>>({});

  const index = useMemo<ShotIndex>(() => {
    const shots = new Map<string, { shot: Shot; sceneNumber: string }>();
    for (const scene of snapshot?.scenes ?? []) for (const shot of scene.shots) shots.set(shot.id, { shot, sceneNumber: scene.number });
    const takes = new Map((snapshot?.takes ?? []).map((t) => [t.id, t]));
    const aspect = snapshot ? snapshot.settings.widthPx / snapshot.settings.heightPx : 16 / 9;
    return { shots, takes, aspect };
  }, [snapshot]);
  const serverNames = useMemo(() => new Map((servers.data ?? []).map((s: ServerStatus) => [s.id, s.name])), [servers.data]);
  const ctx = useMemo<RowContext>(
    () => ({ projectId, index, servers: serverNames, workflows: workflows.data, actions }),
    [projectId, index, serverNames, workflows.data, actions],
  );

  return (
    <div className="queue-view" style={{ ['--thumb-aspect' as string]: String(index.aspect) }}>
      <ViewHeader projectId={projectId} title="Queue" subtitle={jobs.data ? describeCounts(counts) : undefined}>
        <button
          className="button button-primary"
          onClick={() => {
            const sel = useUi.getState().selection;
            openGenerate({ shotIds: sel.ids, focusId: sel.focusId });
          }}
          title="Generate takes (G on the timeline)"
        >
          <GenerateIcon /> Generate…
        </button>
      </ViewHeader>
      <ServerStrip servers={servers.data} />
      <div className="queue-body">
        {jobs.error ? <ErrorNotice error={jobs.error} title="Could not read the queue" /> : null}
        {jobs.isPending ? (
          <div className="boot">
            <span className="spinner" aria-hidden="true" /> Reading the queue…
          </div>
        ) : groups.length === 0 ? (
          <div className="queue-empty">
            <GenerateIcon size={28} />
            <h2>Nothing queued yet</h2>
            <p>
              Select shots on the timeline and press <kbd>G</kbd>, or generate the whole project. Takes appear on their shots as they finish.
            </p>
            <button className="button button-primary" onClick={() => openGenerate({ scope: 'all' })}>
              <GenerateIcon /> Generate…
            </button>
          </div>
        ) : (
          groups.map((g) => (
            <JobGroupSection
              key={g.id}
              group={g}
              ctx={ctx}
              nowMs={nowMs}
              folded={folded[g.id] ?? g.collapsedByDefault}
              onToggle={() => setFolded((f) => ({ ...f, [g.id]: !(f[g.id] ?? g.collapsedByDefault) }))}
            />
          ))
        )}
      </div>
    </div>
  );
}

/** Rows a group shows at first, and how many more each "Show more" adds (a batch can hold thousands of jobs). */
const ROWS_PER_PAGE = 100;

/** One group: a header that folds it (with the group's own bulk action), then its rows. */
function JobGroupSection(p: { group: JobGroup; ctx: RowContext; nowMs: number; folded: boolean; onToggle(): void }) {
  const { group, ctx } = p;
  const [limit, setLimit] = useState(ROWS_PER_PAGE);
  const ids = group.jobs.map((j) => j.id);
  const shown = group.jobs.length > limit ? group.jobs.slice(0, limit) : group.jobs;
  const more = group.jobs.length - shown.length;
  const bulk =
    group.id === 'queued'
      ? { label: 'Cancel all', run: () => void ctx.actions.cancel(ids) }
      : group.id === 'failed' || group.id === 'cancelled'
        ? { label: 'Retry all', run: () => void ctx.actions.retry(ids) }
        : null;
  return (
    <section className={`job-group group-${group.id}`} aria-label={`${group.label}: ${group.jobs.length}`}>
      <header className="job-group-head">
        <button className={`job-group-toggle${p.folded ? '' : ' is-open'}`} onClick={p.onToggle} aria-expanded={!p.folded}>
          <ChevronIcon />
          <span className="job-group-label">{group.label}</span>
          <span className="job-group-count tabular">{group.jobs.length}</span>
        </button>
        {bulk && group.jobs.length > 1 ? (
          <button className="button button-ghost button-small" onClick={bulk.run}>
            {bulk.label}
          </button>
        ) : null}
      </header>
      {p.folded ? null : group.id === 'queued' ? (
        <SortableRows jobs={shown} allIds={ids} ctx={ctx} nowMs={p.nowMs} />
      ) : (
        <div className="job-rows" role="list">
          {shown.map((job) => (
            // finished rows do not read the clock: they skip its ticks
            <JobRow key={job.id} job={job} ctx={ctx} nowMs={isActive(job.state) ? p.nowMs : 0} />
          ))}
        </div>
      )}
      {!p.folded && more > 0 ? (
        <div className="job-more">
          <button className="button button-ghost button-small" onClick={() => setLimit((n) => n + ROWS_PER_PAGE)}>
            Show {Math.min(more, ROWS_PER_PAGE)} more of {more}
          </button>
        </div>
      ) : null}
    </section>
  );
}

/** The queued rows, reorderable by dragging their handle (or Space and the arrows on it). */
function SortableRows({ jobs, allIds, ctx, nowMs }: { jobs: Job[]; allIds: string[]; ctx: RowContext; nowMs: number }) {
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const order = jobs.map((j) => j.id);
  const onDragEnd = (e: DragEndEvent) => {
    document.body.classList.remove('is-dragging');
    if (!e.over) return;
    // the whole group's order: dropped on the last row shown, a job lands before the first one not shown
    const before = moveTargetOf(allIds, String(e.active.id), String(e.over.id));
    if (before !== undefined) void ctx.actions.move([String(e.active.id)], before);
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragStart={() => document.body.classList.add('is-dragging')}
      onDragCancel={() => document.body.classList.remove('is-dragging')}
      onDragEnd={onDragEnd}
    >
      <SortableContext items={order} strategy={verticalListSortingStrategy}>
        <div className="job-rows" role="list">
          {jobs.map((job) => (
            <SortableJobRow key={job.id} job={job} ctx={ctx} nowMs={nowMs} />
          ))}
        </div>
      </SortableContext>
    </DndContext>
  );
}

function SortableJobRow({ job, ctx, nowMs }: { job: Job; ctx: RowContext; nowMs: number }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: job.id });
  return (
    <JobRow
      job={job}
      ctx={ctx}
      nowMs={nowMs}
      rowRef={setNodeRef}
      style={{ transform: transform ? `translate3d(0, ${Math.round(transform.y)}px, 0)` : undefined, transition }}
      dragging={isDragging}
      handle={
        <button
          ref={setActivatorNodeRef}
          className="job-grip"
          aria-label={`Drag job of shot ${job.shotNumber ?? ''} to reorder`}
          title="Drag to reorder"
          {...attributes}
          {...listeners}
        >
          <GripIcon />
        </button>
      }
    />
  );
}

/** Props of a row: the job, the shared context and, for queued rows, the drag handle and sortable wiring. */
interface JobRowProps {
  job: Job;
  ctx: RowContext;
  /** The clock for the timings of active jobs (finished ones get 0 and ignore it). */
  nowMs: number;
  handle?: React.ReactNode;
  rowRef?: (el: HTMLElement | null) => void;
  style?: React.CSSProperties;
  dragging?: boolean;
}

const JobRow = memo(function JobRow({ job, ctx, nowMs: clockMs, handle, rowRef, style, dragging }: JobRowProps) {
  const bridge = useBridge();
  const progress = useJobProgress(job.id);
  const entry = ctx.index.shots.get(job.shotId);
  const shotUrl = entry ? shotPictureUrl(bridge, ctx.projectId, entry.shot, entry.sceneNumber, ctx.index.takes) : null;
  const take = job.takeIds.map((id) => ctx.index.takes.get(id)).find((t): t is Take => !!t);
  const takePic = take ? takePicture(take) : null;
  const resultUrl =
    job.state === 'running' && progress?.previewPath
      ? bridge.mediaUrl(ctx.projectId, progress.previewPath, progress.previewVersion)
      : takePic
        ? bridge.mediaUrl(ctx.projectId, takePic.relPath, takePic.version)
        : null;
  // the pace is judged at the moment of the last step's report; the clock never shows less than that moment
  const nowMs = Math.max(clockMs, progress?.reportedAtMs ?? 0);
  const elapsedMs = job.startedAt && progress ? progress.reportedAtMs - Date.parse(job.startedAt) : null;
  const p = job.state === 'running' ? formatProgress(progress, elapsedMs) : null;
  const number = job.shotNumber ?? entry?.shot.number ?? null;
  const waiting = job.state === 'queued';
  const up = waiting ? stepPriority(job.priority, -1) : null;
  const down = waiting ? stepPriority(job.priority, 1) : null;
  const goToShot = () => {
    if (!entry) return;
    useUi.getState().setSelection({ ids: [job.shotId], anchorId: job.shotId, focusId: job.shotId });
    showView('timeline');
  };

  return (
    <div ref={rowRef} style={style} className={`job-row state-${job.state}${dragging ? ' is-dragging' : ''}`} role="listitem" data-job-id={job.id} data-state={job.state}>
      <div className="job-cell job-cell-grip">{handle}</div>
      <button className="job-thumb" onClick={goToShot} disabled={!entry} title={entry ? `Show shot ${number} on the timeline` : 'The shot was deleted'}>
        {shotUrl ? <img src={shotUrl} alt="" loading="lazy" draggable={false} /> : <span className="job-thumb-gone">deleted</span>}
      </button>
      <div className="job-cell job-shot">
        <div className="job-shot-number">{number ? `Shot ${number}` : 'Deleted shot'}</div>
        <div className="job-prompt" title={job.prompt}>
          {job.prompt}
        </div>
      </div>
      <div className="job-cell job-workflow">
        <div className="job-workflow-name" title={job.workflowId}>
          {workflowLabel(job.workflowId, ctx.workflows)}
        </div>
        {jobDetailLabel(job) ? (
          <div className="muted mono job-seed" title="Seed">
            {jobDetailLabel(job)}
          </div>
        ) : null}
      </div>
      <div className="job-cell job-priority">
        {waiting ? (
          <select
            className="input input-small"
            value={job.priority}
            aria-label={`Priority of the job of shot ${number ?? ''}`}
            onChange={(e) => void ctx.actions.setPriority([job.id], e.target.value as JobPriority)}
          >
            {PRIORITIES.map((pr) => (
              <option key={pr} value={pr}>
                {PRIORITY_LABELS[pr]}
              </option>
            ))}
          </select>
        ) : (
          <span className={`priority-tag priority-${job.priority}`}>{PRIORITY_LABELS[job.priority]}</span>
        )}
      </div>
      <div className="job-cell">
        <span className={`state-chip state-chip-${job.state}`}>{STATE_LABELS[job.state]}</span>
      </div>
      <div className="job-cell job-server" title={job.serverId ?? undefined}>
        {job.kind === 'comfy' && !job.serverId ? <span className="muted">–</span> : jobWhereLabel(job, ctx.servers)}
      </div>
      <div className="job-cell job-progress">
        {p ? (
          <>
            <div className={`progress${p.fraction === null ? ' is-indeterminate' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p.fraction === null ? undefined : Math.round(p.fraction * 100)} aria-label={`Progress of shot ${number ?? ''}`}>
              <div className="progress-fill" style={{ width: p.fraction === null ? undefined : `${p.fraction * 100}%` }} />
            </div>
            <div className="progress-text tabular">
              {p.label}
              {p.remaining ? <span className="muted"> · {p.remaining}</span> : null}
            </div>
          </>
        ) : job.state === 'dispatched' ? (
          <span className="muted">Waiting on the server…</span>
        ) : job.state === 'succeeded' ? (
          <span className="job-made">{job.takeIds.length === 1 ? '1 take' : `${job.takeIds.length} takes`}</span>
        ) : waiting && job.error ? (
          <span className="job-retrying" title={job.error.message}>
            Attempt {job.attempts} failed; retrying
          </span>
        ) : null}
      </div>
      <div className="job-cell">
        {resultUrl ? (
          <button className="job-preview" onClick={goToShot} title={job.state === 'running' ? 'Latest preview frame' : 'The take it made'} disabled={!entry}>
            <img src={resultUrl} alt={job.state === 'running' ? `Preview of shot ${number ?? ''}` : `Take of shot ${number ?? ''}`} draggable={false} />
          </button>
        ) : job.state === 'running' ? (
          <span className="job-preview job-preview-empty" aria-hidden="true" />
        ) : null}
      </div>
      <div className="job-cell job-timings tabular muted">{formatTimings(job, nowMs)}</div>
      <div className="job-cell job-actions">
        {waiting ? (
          <>
            <button className="icon-button icon-button-small" disabled={!up} onClick={() => up && void ctx.actions.setPriority([job.id], up)} title={up ? `More urgent (${PRIORITY_LABELS[up]})` : 'Already critical'} aria-label="More urgent">
              <ArrowUpIcon />
            </button>
            <button className="icon-button icon-button-small" disabled={!down} onClick={() => down && void ctx.actions.setPriority([job.id], down)} title={down ? `Less urgent (${PRIORITY_LABELS[down]})` : 'Already low'} aria-label="Less urgent">
              <ArrowDownIcon />
            </button>
          </>
        ) : null}
        {isActive(job.state) ? (
          <button className="icon-button icon-button-small job-cancel" onClick={() => void ctx.actions.cancel([job.id])} title="Cancel this job" aria-label={`Cancel the job of shot ${number ?? ''}`}>
            <CancelJobIcon />
          </button>
        ) : job.state === 'failed' || job.state === 'cancelled' ? (
          <button className="icon-button icon-button-small" onClick={() => void ctx.actions.retry([job.id])} title="Queue it again" aria-label={`Retry the job of shot ${number ?? ''}`}>
            <RetryIcon />
          </button>
        ) : null}
      </div>
      {job.state === 'failed' && job.error ? (
        <div className="job-error" role="note">
          <span className="job-error-code mono">{job.error.code}</span> {job.error.message}
        </div>
      ) : null}
    </div>
  );
});
