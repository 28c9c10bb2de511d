/**
 * Preview frames of running jobs: the latest one of each job is kept at `media/previews/<jobId>.jpg` (or
 * `.png`) in the project, written at most every `intervalMs` (temporary file, then rename: a reader never
 * sees half a picture), and removed when the job ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The folder of preview frames, relative to the project folder. */
export const PREVIEWS_DIR = 'media/previews';

/** The project-relative path of a job's preview frame. */
export function previewPath(jobId: string, mime: string): string {
  return `${PREVIEWS_DIR}/${jobId}.${mime === 'image/png' ? 'png' : 'jpg'}`;
}

/** Throttled writer of preview frames for one project. */
export class PreviewWriter {
  private readonly last = new Map<string, { atMs: number; path: string | null; writing: boolean }>();

  constructor(
    private readonly projectDir: string,
    private readonly intervalMs = 400,
  ) {}

  /**
   * Writes the frame when the job's last one is older than the interval and none is being written.
   * Resolves with the project-relative path written, or null when the frame was skipped (or could not be
   * written: a preview is never worth failing a job for).
   */
  async offer(jobId: string, image: Buffer, mime: string, nowMs = Date.now()): Promise<string | null> {
    const state = this.last.get(jobId) ?? { atMs: -Infinity, path: null, writing: false };
    if (state.writing || nowMs - state.atMs < this.intervalMs) return null;
    state.writing = true;
    state.atMs = nowMs;
    this.last.set(jobId, state);
    const rel = previewPath(jobId, mime);
    const dir = join(this.projectDir, ...PREVIEWS_DIR.split('/'));
    const final = join(this.projectDir, ...rel.split('/'));
    const temporary = join(dir, `.${jobId}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(temporary, image);
      await rename(temporary, final);
      state.path = rel;
      return rel;
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
      return null;
    } finally {
      state.writing = false;
    }
  }

  /** Removes a job's preview frame (the job ended). */
  async clear(jobId: string): Promise<void> {
    const state = this.last.get(jobId);
    this.last.delete(jobId);
    if (state?.path) await rm(join(this.projectDir, ...state.path.split('/')), { force: true }).catch(() => undefined);
  }
}
