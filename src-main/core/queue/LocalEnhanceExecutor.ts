/**
 * The local enhancement executor: runs the queue's `enhance` jobs (upscales and frame interpolations, built by
 * core/enhance/jobs.ts) in the enhancement runtime on this machine. It is its own worker for the dispatcher
 * (`local:enhance`, one slot: the GPU or CPU is one resource), so its jobs share the queue's persistence,
 * priorities, cancel and retry with the ComfyUI jobs without ever being sent to a server.
 *
 * An attempt:
 * 1. reads the job's spec, the source take and the model (verified); a missing take, file or model fails the job
 *    at once with the reason (a retry after fixing it runs it again);
 * 2. computes the cache key (`enhanceCacheKey`: the source's SHA-256, the model's SHA-256 and the parameters, plus
 *    the fitted size or the project's frame rate). A take of the project with that key whose file is there is the
 *    result: the job succeeds at once pointing at it (provider `cache`), nothing is computed;
 * 3. otherwise runs the model (per tile progress; an upscale to project resolution runs the passes it needs, then
 *    brings an overshoot down with sharp's lanczos3; an interpolation reports progress per frame), in a temporary
 *    folder, and copies the result into `media/takes/<sha256>.<ext>` with its thumbnail;
 * 4. commits: ONE transaction marks the job succeeded (for this attempt only), records the provider and the take,
 *    and inserts the new take on the source's shot (source `generated`, `meta.enhancedFrom`; the source take is
 *    kept) through the undo journal; the new take becomes selected only if the source was.
 * Cancel (`queue.cancel`) and shutdown abort the runtime between tiles (or frames).
 *
 * Errors: missing inputs, an unknown or refused model, a picture or clip that cannot be decoded, a failing model
 * -> permanent (the queue fails the job with the message); a dead worker thread or a file-system error ->
 * transient (retried with backoff).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Take } from '../../../src-preload/model';
import type { EnhanceRuntime } from '../enhance/EnhanceRuntime.ts';
import { EnhanceError } from '../enhance/EnhanceError.ts';
import { enhanceCacheKey } from '../enhance/cacheKey.ts';
import { parseEnhanceJobSpec, type EnhanceJobSpec } from '../enhance/jobs.ts';
import type { ProviderAttempt } from '../enhance/providers.ts';
import type { ModelEntry } from '../enhance/registry.ts';
import { planTiles } from '../enhance/tiling.ts';
import { newId } from '../ids.ts';
import { importMediaFile, type ImportedMedia } from '../media/importMedia.ts';
import { MediaError } from '../media/MediaError.ts';
import { ensureThumbnail } from '../media/thumbnail.ts';
import type { ProjectStore } from '../store/ProjectStore.ts';
import { ExecError, type AttemptHooks, type CommitContext, type ExecAttempt, type Executor, type ExecResult, type LocalWorker } from './Executor.ts';
import type { WriteOutcome } from './takeWriter.ts';

/** The id of this machine's enhancement worker, as stored in a job's `server_id`. */
export const LOCAL_ENHANCE_WORKER_ID = 'local:enhance';

/** The provider recorded for a job whose result was found in the cache (nothing ran). */
export const CACHE_PROVIDER = 'cache';

/** What the executor needs from the core. */
export interface LocalEnhanceHost {
  runtime: EnhanceRuntime;
  /** The open project with this id. */
  project(projectId: string): ProjectStore;
}

/** What a computed result records in its take's `meta`. */
interface Computed {
  media: ImportedMedia;
  thumbPath: string | null;
  provider: string;
  tried: ProviderAttempt[];
  ms: number;
  extra: Record<string, unknown>;
}

function permanent(code: string, message: string, cause?: unknown): ExecError {
  return new ExecError('permanent', code, message, {}, cause === undefined ? undefined : { cause });
}

/** An EnhanceError (or anything else thrown while running) as the queue's ExecError (see the module documentation). */
export function execErrorOf(err: unknown): ExecError {
  if (err instanceof ExecError) return err;
  if (err instanceof EnhanceError) {
    const message = err.hint ? `${err.message} ${err.hint}` : err.message;
    if (err.code === 'enhance.cancelled') return new ExecError('transient', 'cancelled', err.message, { interrupted: true }, { cause: err });
    if (err.code === 'enhance.workerFailed') return new ExecError('transient', 'worker_failed', message, {}, { cause: err });
    return permanent(err.code, message, err);
  }
  if (err instanceof MediaError) return permanent('bad_output', `The result could not be stored as a take: ${err.message}`, err);
  return new ExecError('transient', 'error', err instanceof Error ? err.message : String(err), {}, { cause: err });
}

/** Runs `enhance` jobs on this machine (see the module documentation). */
export class LocalEnhanceExecutor implements Executor {
  readonly kind = 'enhance' as const;
  readonly local: LocalWorker = { id: LOCAL_ENHANCE_WORKER_ID, slots: 1 };
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly host: LocalEnhanceHost) {}

  /** See {@link Executor.run}. @throws ExecError (see the module documentation). */
  async run(attempt: ExecAttempt, mode: 'submit' | 'attach', hooks: AttemptHooks): Promise<ExecResult> {
    if (mode === 'attach') {
      throw new ExecError('transient', 'interrupted', 'The enhancement stopped with StoryCanvas; it runs again.', { absent: true });
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(attempt.signal.reason);
    attempt.signal.addEventListener('abort', onAbort, { once: true });
    if (attempt.signal.aborted) controller.abort(attempt.signal.reason);
    this.running.set(attempt.promptId, controller);
    try {
      return await this.runAttempt(attempt, hooks, controller.signal);
    } catch (err) {
      throw execErrorOf(err);
    } finally {
      this.running.delete(attempt.promptId);
      attempt.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Stops one attempt between tiles (or frames). Never throws. */
  async cancel(_serverId: string, promptId: string): Promise<void> {
    this.running.get(promptId)?.abort(new Error('cancelled'));
  }

  private async runAttempt(attempt: ExecAttempt, hooks: AttemptHooks, signal: AbortSignal): Promise<ExecResult> {
    let spec: EnhanceJobSpec;
    try {
      spec = parseEnhanceJobSpec(attempt.graphJson);
    } catch (err) {
      throw permanent('bad_job', (err as Error).message, err);
    }
    const store = this.host.project(attempt.projectId);
    let source: Take;
    try {
      source = store.take(spec.sourceTakeId);
    } catch {
      throw permanent('source_missing', `The take to enhance (${spec.sourceTakeId}) is no longer in the project (deleted or undone).`);
    }
    const sourcePath = path.join(store.dir, ...source.path.split('/'));
    if (!existsSync(sourcePath)) {
      throw permanent('source_missing', `The file of the take to enhance is missing: ${source.path}. Put it back in the project folder (or import the take again), then retry.`);
    }
    if ((spec.task === 'upscale') !== (source.kind === 'image')) {
      throw permanent('enhance.unsupportedTask', spec.task === 'upscale' ? 'The take is a clip; upscale models run on still pictures.' : 'The take is a still picture; frame interpolation needs a clip.');
    }
    const model = await this.host.runtime.findModel(spec.modelId); // EnhanceError -> permanent
    if (model.task !== spec.task) throw permanent('enhance.unsupportedTask', `The model "${model.id}" now does ${model.task}, not ${spec.task}; queue the take again with another model.`);
    hooks.onSubmitted();
    const startedAtMs = Date.now();
    hooks.onStarted(startedAtMs);

    const frameRate = store.settings().frameRate;
    // The final size decides the passes, so it keys a multi-pass or fitted result (a plain pass has none).
    const finalSize =
      spec.targetWidthPx !== undefined && spec.targetHeightPx !== undefined
        ? { targetWidthPx: spec.targetWidthPx, targetHeightPx: spec.targetHeightPx }
        : spec.passes > 1
          ? { targetWidthPx: source.widthPx * model.scale ** spec.passes, targetHeightPx: source.heightPx * model.scale ** spec.passes }
          : {};
    const cacheKey = enhanceCacheKey(source.contentHash, model.sha256, {
      outputExt: spec.task === 'upscale' ? '.png' : '.mp4',
      tileSizePx: spec.tileSizePx,
      overlapPx: spec.overlapPx,
      ...(spec.task === 'upscale' ? finalSize : { frameRate }),
    });
    const cached = findCachedTake(store, cacheKey, source.shotId);
    if (cached) {
      return { outputs: [], startedAtMs, finishedAtMs: Date.now(), commit: (context) => Promise.resolve(commitCached(context, source, cached.take, cached.trashed, cacheKey)) };
    }

    const work = await mkdtemp(path.join(os.tmpdir(), 'storycanvas-enhance-'));
    try {
      const computed =
        spec.task === 'upscale' ? await this.upscale(store, spec, model, source, sourcePath, work, signal, hooks) : await this.interpolate(store, model, sourcePath, frameRate, work, signal, hooks);
      const finishedAtMs = Date.now();
      return { outputs: [], startedAtMs, finishedAtMs, commit: (context) => Promise.resolve(commitComputed(context, source, model, spec, cacheKey, computed)) };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async upscale(store: ProjectStore, spec: EnhanceJobSpec, model: ModelEntry, source: Take, sourcePath: string, work: string, signal: AbortSignal, hooks: AttemptHooks): Promise<Computed> {
    // Tiles of every pass, so progress runs once from 0 to the total.
    const tilesPerPass: number[] = [];
    for (let pass = 0; pass < spec.passes; pass++) {
      const widthPx = source.widthPx * model.scale ** pass;
      const heightPx = source.heightPx * model.scale ** pass;
      tilesPerPass.push(planTiles({ widthPx, heightPx, tileSizePx: spec.tileSizePx, overlapPx: spec.overlapPx, multiple: model.tileMultiple }).tiles.length);
    }
    const tilesTotal = tilesPerPass.reduce((a, b) => a + b, 0);
    let input = sourcePath;
    let done = 0;
    let ms = 0;
    let last: { provider: string; tried: ProviderAttempt[]; widthPx: number; heightPx: number } | undefined;
    for (let pass = 0; pass < spec.passes; pass++) {
      const output = path.join(work, `pass${pass + 1}.png`);
      const result = await this.host.runtime.enhance({
        inputPath: input,
        outputPath: output,
        modelId: model.id,
        tileSizePx: spec.tileSizePx,
        overlapPx: spec.overlapPx,
        signal,
        onProgress: (p) => hooks.onProgress(done + p.tilesDone, tilesTotal),
      });
      done += tilesPerPass[pass];
      ms += result.ms;
      last = { provider: result.provider, tried: result.tried, widthPx: result.widthPx, heightPx: result.heightPx };
      input = output;
    }
    let finalPath = input;
    if (spec.targetWidthPx !== undefined && spec.targetHeightPx !== undefined && last && (last.widthPx !== spec.targetWidthPx || last.heightPx !== spec.targetHeightPx)) {
      finalPath = path.join(work, 'fitted.png');
      await sharp(input).resize(spec.targetWidthPx, spec.targetHeightPx, { kernel: 'lanczos3', fit: 'fill' }).png().toFile(finalPath);
    }
    if (signal.aborted) throw new EnhanceError('enhance.cancelled', 'The enhancement was cancelled.', 'Start it again when you need it.');
    const media = await importMediaFile(store.dir, finalPath);
    const thumbPath = await ensureThumbnail(store.dir, media.relPath, media.contentHash, media.kind).catch(() => null);
    return {
      media,
      thumbPath,
      provider: last?.provider ?? 'cpu',
      tried: last?.tried ?? [],
      ms,
      extra: { passes: spec.passes, modelScale: model.scale, ...(spec.targetWidthPx !== undefined ? { fittedTo: { widthPx: spec.targetWidthPx, heightPx: spec.targetHeightPx } } : {}) },
    };
  }

  private async interpolate(store: ProjectStore, model: ModelEntry, sourcePath: string, frameRate: { num: number; den: number }, work: string, signal: AbortSignal, hooks: AttemptHooks): Promise<Computed> {
    const result = await this.host.runtime.interpolate({
      inputPath: sourcePath,
      outputPath: path.join(work, 'interpolated.mp4'),
      modelId: model.id,
      frameRate,
      signal,
      onProgress: (p) => hooks.onProgress(p.framesDone, p.framesTotal),
    });
    const media = await importMediaFile(store.dir, result.outputPath);
    const thumbPath = await ensureThumbnail(store.dir, media.relPath, media.contentHash, media.kind).catch(() => null);
    return {
      media,
      thumbPath,
      provider: result.provider,
      tried: result.tried,
      ms: result.ms,
      extra: {
        frameCount: result.frameCount,
        sourceFrameCount: result.sourceFrameCount,
        sourceFrameRateBefore: result.sourceFrameRate,
        sourceFrameRate: result.frameRate,
        interpolatedFrames: result.interpolatedFrames,
      },
    };
  }
}

/** A take holding a cached result, and whether it is in the project's trash (migration 0006). */
export interface CachedTake {
  take: Take;
  trashed: boolean;
}

/**
 * The take of the project holding the result with this cache key whose file is there: one on `shotId` and not in
 * the trash first, then any other (its file is reused for a new take).
 */
export function findCachedTake(store: ProjectStore, cacheKey: string, shotId: string): CachedTake | null {
  const rows = store.db
    .prepare(`SELECT id, trashed_at FROM take WHERE json_extract(meta, '$.cacheKey') = ? ORDER BY (shot_id = ? AND trashed_at IS NULL) DESC, created_at, id`)
    .all(cacheKey, shotId) as Array<{ id: string; trashed_at: string | null }>;
  for (const row of rows) {
    const take = store.take(row.id);
    if (existsSync(path.join(store.dir, ...take.path.split('/')))) return { take, trashed: row.trashed_at !== null };
  }
  return null;
}

function shotRowOf(store: ProjectStore, shotId: string): { number: string; selected_take_id: string | null } | undefined {
  return store.db.prepare('SELECT number, selected_take_id FROM shot WHERE id = ?').get(shotId) as { number: string; selected_take_id: string | null } | undefined;
}

function originalName(source: Take, modelId: string, ext: string): string {
  const stem = (source.originalName ?? 'take').replace(/\.[^.]+$/, '');
  return `${stem} (${modelId}).${ext}`;
}

/** Records a computed result: the job succeeded, its provider, and the new take (see the module documentation). */
function commitComputed(context: CommitContext, source: Take, model: ModelEntry, spec: EnhanceJobSpec, cacheKey: string, computed: Computed): WriteOutcome {
  const { store, jobs, record, promptId, finishedAt } = context;
  const shot = shotRowOf(store, record.shotId);
  if (!shot) {
    const failed = jobs.markFailed(record.id, promptId, 'shot_deleted', `The shot was deleted while its take was enhanced; the result is kept at ${computed.media.relPath}.`, finishedAt);
    return failed ? { kind: 'shot_deleted', paths: [computed.media.relPath] } : { kind: 'stale' };
  }
  const id = newId('tk');
  const label = `${spec.task === 'upscale' ? 'Upscale' : 'Interpolate'} a take of shot ${shot.number}`;
  const { media } = computed;
  const frameRate = store.settings().frameRate;
  const durationFrames = media.kind === 'video' && media.durationSeconds ? Math.max(1, Math.round((media.durationSeconds * frameRate.num) / frameRate.den)) : null;
  const written = store.db.transaction(() => {
    if (!jobs.markSucceeded(record.id, promptId, finishedAt)) return false;
    jobs.setOutcome(record.id, computed.provider, id);
    store.journal.edit(label, (tx) => {
      tx.insert('take', {
        id,
        shot_id: record.shotId,
        path: media.relPath,
        thumb_path: computed.thumbPath,
        kind: media.kind,
        source: 'generated',
        width_px: media.widthPx,
        height_px: media.heightPx,
        duration_frames: typeof computed.extra.frameCount === 'number' ? computed.extra.frameCount : durationFrames,
        content_hash: media.contentHash,
        original_name: originalName(source, model.id, media.kind === 'video' ? 'mp4' : 'png'),
        meta: JSON.stringify({
          enhancedFrom: source.id,
          task: spec.task,
          modelId: model.id,
          modelSha256: model.sha256,
          provider: computed.provider,
          tried: computed.tried,
          ms: computed.ms,
          cacheKey,
          jobId: record.id,
          params: { tileSizePx: spec.tileSizePx, overlapPx: spec.overlapPx },
          format: media.format,
          ...computed.extra,
        }),
        created_at: new Date().toISOString(),
        job_id: record.id,
        output_index: 0,
      });
      if (shot.selected_take_id === source.id) tx.update('shot', record.shotId, { selected_take_id: id });
    });
    return true;
  })();
  if (!written) return { kind: 'stale' };
  store.changed(label);
  return { kind: 'written', takes: [store.take(id)] };
}

/**
 * Records a cache hit: the job succeeded pointing at the existing take (provider `cache`). The cached take is
 * selected when the source was. A result found on another shot (the same picture imported twice) or in the trash
 * becomes a new take of this shot with the same file, so nothing is computed either.
 */
function commitCached(context: CommitContext, source: Take, cached: Take, trashed: boolean, cacheKey: string): WriteOutcome {
  const { store, jobs, record, promptId, finishedAt } = context;
  const shot = shotRowOf(store, record.shotId);
  if (!shot) {
    const failed = jobs.markFailed(record.id, promptId, 'shot_deleted', 'The shot was deleted before its take was enhanced.', finishedAt);
    return failed ? { kind: 'shot_deleted', paths: [cached.path] } : { kind: 'stale' };
  }
  const sameShot = cached.shotId === record.shotId && !trashed;
  const takeId = sameShot ? cached.id : newId('tk');
  const select = shot.selected_take_id === source.id;
  const label = sameShot ? `Select the enhanced take of shot ${shot.number}` : `Enhance a take of shot ${shot.number} (from the cache)`;
  let edited = false;
  const written = store.db.transaction(() => {
    if (!jobs.markSucceeded(record.id, promptId, finishedAt)) return false;
    jobs.setOutcome(record.id, CACHE_PROVIDER, takeId);
    if (!sameShot || select) {
      edited = true;
      store.journal.edit(label, (tx) => {
        if (!sameShot) {
          tx.insert('take', {
            id: takeId,
            shot_id: record.shotId,
            path: cached.path,
            thumb_path: cached.thumbPath,
            kind: cached.kind,
            source: 'generated',
            width_px: cached.widthPx,
            height_px: cached.heightPx,
            duration_frames: cached.durationFrames,
            content_hash: cached.contentHash,
            original_name: cached.originalName,
            meta: JSON.stringify({ ...cached.meta, enhancedFrom: source.id, cacheKey, jobId: record.id, reusedFrom: cached.id }),
            created_at: new Date().toISOString(),
            job_id: record.id,
            output_index: 0,
          });
        }
        if (select) tx.update('shot', record.shotId, { selected_take_id: takeId });
      });
    }
    return true;
  })();
  if (!written) return { kind: 'stale' };
  if (edited) store.changed(label);
  return { kind: 'written', takes: sameShot ? [] : [store.take(takeId)] };
}
