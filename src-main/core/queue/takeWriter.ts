/**
 * A finished job's images become takes of its shot, exactly once:
 * 1. each image is copied into `media/takes/<sha256>.<ext>` (content-addressed: writing it again is a no-op)
 *    and gets its thumbnail;
 * 2. ONE transaction marks the job `succeeded` for this attempt only (`markSucceeded` is guarded by the prompt
 *    id and the state) and inserts one take per output, keyed by (job id, output index) under a UNIQUE index.
 * A crash between 1 and 2 leaves only an unreferenced file; the restart finds the result in the server's
 * history and writes the takes then. The takes are an undoable edit of the project (through the journal), so
 * undoing an earlier "Add shot" stays consistent; the job row is not.
 *
 * A take's `meta` records how it was made: prompt, seed, workflow, parameters, server, timings, and, for a job
 * built with the library, the consistency facts (`prompt/provenance.ts`: negative prompt, seed source, template,
 * characters, the consistency aids actually used, whether the reference pictures were wired in and why not).
 * With the library, each take also counts for its style template (`recordTemplateTake`: use count, thumbnails)
 * and joins the generation pool (`library/takeLibrary.ts`); neither can fail the job.
 */
import type { Take } from '../../../src-preload/model';
import { importMediaBytes, type ImportedMedia } from '../media/importMedia.ts';
import { ensureThumbnail } from '../media/thumbnail.ts';
import { newId } from '../ids.ts';
import type { ProjectStore } from '../store/ProjectStore.ts';
import { describeShots } from '../store/ProjectStore.ts';
import type { JobRecord, JobStore } from './jobStore.ts';
import type { LibraryStore } from '../library/LibraryStore.ts';
import { indexTakes, projectTakes } from '../library/takeLibrary.ts';
import { consistencyMeta, jobConsistencyOf, type ReferenceUse } from '../prompt/provenance.ts';

/** One output image of a finished attempt. */
export interface FinishedOutput {
  index: number;
  fileName: string;
  bytes: Buffer;
}

/** What the take's `meta` records about its generation. */
export interface GenerationMeta {
  server: { id: string; name: string; url: string };
  promptId: string;
  timings: { queuedAt: string; dispatchedAt: string | null; startedAt: string | null; finishedAt: string; runMs: number | null; totalMs: number };
  /** What the executor reported about the run (`references`: whether the reference pictures were wired in). */
  executorMeta?: Record<string, unknown> | null;
}

/** The outcome of {@link writeTakes}. */
export type WriteOutcome =
  | { kind: 'written'; takes: Take[] }
  /** The attempt is no longer current (cancelled, moved, already done): nothing was recorded. */
  | { kind: 'stale' }
  /** The shot was deleted meanwhile: the job is failed, the files are kept. */
  | { kind: 'shot_deleted'; paths: string[] };

/**
 * Stores the outputs and records them as takes (see the module documentation).
 * @throws MediaError when an output is not a readable image (the job should fail), or a file-system error.
 */
export async function writeTakes(
  store: ProjectStore,
  jobs: JobStore,
  job: JobRecord,
  promptId: string,
  outputs: FinishedOutput[],
  meta: GenerationMeta,
  library: LibraryStore | null = null,
): Promise<WriteOutcome> {
  const imported: Array<{ output: FinishedOutput; media: ImportedMedia; thumbPath: string | null }> = [];
  for (const output of outputs) {
    const media = await importMediaBytes(store.dir, output.fileName, output.bytes);
    const thumbPath = await ensureThumbnail(store.dir, media.relPath, media.contentHash, media.kind).catch(() => null);
    imported.push({ output, media, thumbPath });
  }
  if (!store.db.open) return { kind: 'stale' };
  const finishedAt = meta.timings.finishedAt;
  const shotRow = store.db.prepare('SELECT number, selected_take_id FROM shot WHERE id = ?').get(job.shotId) as
    | { number: string; selected_take_id: string | null }
    | undefined;
  if (!shotRow) {
    const paths = imported.map((i) => i.media.relPath);
    const failed = jobs.markFailed(
      job.id,
      promptId,
      'shot_deleted',
      `The shot was deleted while its take was generated; the picture is kept at ${paths.join(', ')}.`,
      finishedAt,
    );
    return failed ? { kind: 'shot_deleted', paths } : { kind: 'stale' };
  }
  const label = `Generate ${imported.length === 1 ? 'a take' : `${imported.length} takes`} of ${describeShots([{ number: shotRow.number }])}`;
  const ids = imported.map(() => newId('tk'));
  const createdAt = new Date().toISOString();
  const { consistency: _consistency, ...params } = job.params;
  void _consistency;
  const consistency = jobConsistencyOf(job.params);
  const provenance = consistency ? consistencyMeta(consistency, (meta.executorMeta?.references as ReferenceUse | undefined) ?? null) : {};
  const written = store.db.transaction(() => {
    if (!jobs.markSucceeded(job.id, promptId, finishedAt)) return false;
    store.journal.edit(label, (tx) => {
      imported.forEach(({ output, media, thumbPath }, i) => {
        tx.insert('take', {
          id: ids[i],
          shot_id: job.shotId,
          path: media.relPath,
          thumb_path: thumbPath,
          kind: media.kind,
          source: 'generated',
          width_px: media.widthPx,
          height_px: media.heightPx,
          duration_frames: null,
          content_hash: media.contentHash,
          original_name: media.originalName,
          meta: JSON.stringify({
            jobId: job.id,
            prompt: job.prompt,
            seed: job.seed,
            workflowId: job.workflowId,
            workflowHash: job.workflowHash,
            params,
            ...provenance,
            checkpoint: job.requires.checkpoint ?? null,
            server: meta.server,
            promptId,
            outputIndex: output.index,
            timings: meta.timings,
            format: media.format,
          }),
          created_at: createdAt,
          job_id: job.id,
          output_index: output.index,
        });
      });
      if (!shotRow.selected_take_id && ids.length > 0) tx.update('shot', job.shotId, { selected_take_id: ids[0] });
    });
    return true;
  })();
  if (!written) return { kind: 'stale' };
  store.changed(label);
  if (library) recordInLibrary(library, store, ids, consistency?.templateId ?? null);
  return { kind: 'written', takes: ids.map((id) => store.take(id)) };
}

/**
 * Counts the takes for their style template (use count, thumbnails) and adds them to the generation pool. A library
 * that cannot be written (locked by another process for longer than its busy timeout, damaged) does not fail the
 * job: the takes are in the project, and `library.reindex` adds them later.
 */
function recordInLibrary(library: LibraryStore, store: ProjectStore, takeIds: string[], templateId: string | null): void {
  try {
    if (templateId) for (const id of takeIds) library.recordTemplateTake(templateId, { projectPath: store.dir, takePath: store.take(id).path });
    indexTakes(library, projectTakes(store, takeIds));
  } catch (error) {
    console.warn(`[takeWriter] the library could not record takes ${takeIds.join(', ')}: ${(error as Error).message}`);
  }
}
