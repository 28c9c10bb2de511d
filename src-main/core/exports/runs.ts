/**
 * Running exports by id: one AbortController each, so `export.cancel {exportId}` stops the right one, and a progress
 * reporter that turns many small steps into few `export.progress` events.
 */
import type { ExportStage } from '../../../src-preload/contract';
import { AppError } from '../errors';
import { newId } from '../ids';

/** The exports running in one core, by exportId. */
export class ExportRuns {
  private readonly running = new Map<string, AbortController>();

  /**
   * Runs `work` registered under `exportId` (or a new id `exp_…` when none is given) and unregisters it when it
   * settles. `work` gets the signal `cancel(exportId)` aborts.
   * @throws AppError `export_running` when an export with this id is already running.
   */
  async run<T>(exportId: string | undefined, work: (signal: AbortSignal, exportId: string) => Promise<T>): Promise<T> {
    const id = exportId ?? newId('exp');
    if (this.running.has(id)) {
      throw new AppError('export_running', `An export with the id ${id} is already running.`, 'Wait for it to finish, or cancel it (export.cancel), or use another exportId.');
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      return await work(controller.signal, id);
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
  }

  /** Aborts the export with this id. Returns false when none is running under it. */
  cancel(exportId: string): boolean {
    const controller = this.running.get(exportId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** The ids of the exports running now. */
  ids(): string[] {
    return [...this.running.keys()];
  }
}

/**
 * A progress callback that forwards `(stage, fraction)` only when the stage changes, the fraction has risen by at
 * least `step` (default 1%) since the last report, or it reaches 1; fractions never go backwards.
 */
export function throttledProgress(report: (stage: ExportStage, fraction: number) => void, step = 0.01): (stage: ExportStage, fraction: number) => void {
  let lastStage: ExportStage | null = null;
  let lastFraction = -1;
  return (stage, fraction) => {
    const f = Math.max(lastFraction, Math.min(1, Math.max(0, fraction)));
    if (stage === lastStage && f < lastFraction + step && !(f === 1 && lastFraction < 1)) return;
    lastStage = stage;
    lastFraction = f;
    report(stage, f);
  };
}
