/**
 * The pure logic of local enhancement in the renderer (no DOM, no React): provider names and the one-line summary
 * of the provider choice, the measured speed of a model from the enhanced takes and jobs of a project, what a
 * take's Enhance menu offers, which shots an "upscale all to project resolution" would touch, the compare
 * slider's keyboard steps and the words of the toasts.
 *
 * The shapes are the contract's (src-preload/contract.ts `EnhanceModelInfo`, `EnhanceProviders`, `Job`) and the
 * enhanced take's `meta` written by the core's queue/LocalEnhanceExecutor.ts (`enhancedFrom`, `task`,
 * `modelId`, `provider`, `ms`, `frameCount`, `reusedFrom`); see the core's enhance/README.md.
 */
import type { EnhanceModelInfo, EnhanceProviders, Job } from '../../../src-preload/contract';
import type { FrameRate, ProjectSnapshot, Take } from '../../../src-preload/model';

/** How people write the execution providers of onnxruntime. Unknown names are shown as they come. */
export const PROVIDER_LABELS: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  tensorrt: 'TensorRT',
  webgpu: 'WebGPU',
  dml: 'DirectML',
  directml: 'DirectML',
  coreml: 'Core ML',
  rocm: 'ROCm',
  migraphx: 'MIGraphX',
  openvino: 'OpenVINO',
  qnn: 'QNN',
  cache: 'cache',
};

/** The label of an execution provider (`cuda` → `CUDA`); `—` when there is none yet. */
export function providerLabel(name: string | null | undefined): string {
  if (!name) return '—';
  return PROVIDER_LABELS[name.toLowerCase()] ?? name;
}

/**
 * A provider's failure in a few words for a summary line: missing shared libraries → `libraries not found`, no
 * WebGPU adapter → `no adapter`; anything else is its first sentence without source paths, at most 60
 * characters. The full message stays available to the view (a tooltip, a details line).
 */
export function shortProviderError(error: string | undefined): string {
  if (!error || !error.trim()) return 'failed';
  const e = error.trim();
  if (/\.so\b|\.dll\b|\.dylib\b|libraries|not installed|cannot open shared object|no such file/i.test(e)) return 'libraries not found';
  if (/adapter/i.test(e)) return 'no adapter';
  if (/no (cuda-capable )?device|no gpu|device not found/i.test(e)) return 'no device';
  if (/not (available|supported)|unsupported/i.test(e)) return 'not available here';
  let text = e.replace(/^not tried:\s*/i, '');
  // onnxruntime prefixes its messages with the source location (`/onnxruntime_src/…/x.cc:136 fn(…) `)
  text = text.replace(/^\S*\.(cc|cpp|h|c):\d+\s+/, '');
  text = text.split(/(?<=\.)\s|\n/)[0].replace(/\.$/, '');
  return text.length > 60 ? `${text.slice(0, 59).trimEnd()}…` : text;
}

/** The provider choice in one line, in the order they were tried: `CUDA: libraries not found · WebGPU: no adapter · CPU: ok`. */
export function summarizeProviders(p: EnhanceProviders): string {
  if (p.tried.length === 0) return `${providerLabel(p.provider)}: ok`;
  return p.tried.map((t) => `${providerLabel(t.name)}: ${t.ok ? (t.name === p.provider ? 'ok' : 'ok, not used') : shortProviderError(t.error)}`).join(' · ');
}

/** A model's speed as last measured in a project: one finished enhancement. */
export interface MeasuredSpeed {
  modelId: string;
  /** Output megapixels (all frames for a clip) per second of model work. */
  megapixelsPerSecond: number;
  /** For interpolation: output frames per second of work; null for pictures. */
  framesPerSecond: number | null;
  /** The provider that ran it (`cpu`, `cuda`, …), or null when the record does not say. */
  provider: string | null;
  /** When it finished (ISO 8601), to show how old the figure is. */
  finishedAt: string;
  /** The enhanced take it was measured on. */
  takeId: string;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The latest measured speed of each model, from a project's enhanced takes (`meta.enhancedFrom`) and its jobs:
 * the work time is the take's `meta.ms` (model time, measured by the runtime), else the job's `finishedAt -
 * startedAt`; the size is the output take's (times its frames for a clip: `meta.frameCount`, else its duration in
 * frames). An upscale of several passes (`meta.passes`, "to project resolution") counts what every pass produced
 * (source × scale^k for k = 1..passes) when the source take and the model's scale (`models`) are known, since the
 * last step down to the fitted size is not the model's work. Results reused from the cache (`meta.reusedFrom`,
 * provider `cache`) measured nothing and are left out, as are records with no time. Keyed by model id.
 */
export function measuredSpeeds(takes: readonly Take[], jobs: readonly Job[] = [], models: ReadonlyArray<Pick<EnhanceModelInfo, 'id' | 'scale'>> = []): Map<string, MeasuredSpeed> {
  const scaleOf = new Map(models.map((m) => [m.id, m.scale]));
  const takesById = new Map(takes.map((t) => [t.id, t]));
  const jobByTake = new Map<string, Job>();
  for (const j of jobs) if (j.kind === 'enhance' && j.state === 'succeeded') for (const id of j.takeIds) jobByTake.set(id, j);
  const out = new Map<string, MeasuredSpeed>();
  for (const take of takes) {
    const meta = take.meta;
    if (typeof meta.enhancedFrom !== 'string' || meta.reusedFrom !== undefined || meta.provider === 'cache') continue;
    const job = jobByTake.get(take.id) ?? null;
    const modelId = typeof meta.modelId === 'string' ? meta.modelId : job?.workflowId;
    if (!modelId) continue;
    let ms = num(meta.ms);
    if (ms === null || ms <= 0) {
      const started = job?.startedAt ? Date.parse(job.startedAt) : NaN;
      const finished = job?.finishedAt ? Date.parse(job.finishedAt) : NaN;
      ms = Number.isFinite(started) && Number.isFinite(finished) && finished > started ? finished - started : null;
    }
    if (ms === null) continue;
    const frames = take.kind === 'video' ? (num(meta.frameCount) ?? take.durationFrames ?? 1) : 1;
    let pixels = take.widthPx * take.heightPx * frames;
    const passes = num(meta.passes);
    const scale = scaleOf.get(modelId);
    const source = takesById.get(meta.enhancedFrom);
    if (take.kind === 'image' && passes !== null && passes > 1 && scale && source) {
      pixels = 0;
      for (let k = 1; k <= passes; k++) pixels += source.widthPx * source.heightPx * scale ** (2 * k);
    }
    const seconds = ms / 1000;
    const speed: MeasuredSpeed = {
      modelId,
      megapixelsPerSecond: pixels / 1e6 / seconds,
      framesPerSecond: take.kind === 'video' ? frames / seconds : null,
      provider: typeof meta.provider === 'string' ? meta.provider : (job?.provider ?? null),
      finishedAt: job?.finishedAt ?? take.createdAt,
      takeId: take.id,
    };
    const prev = out.get(modelId);
    if (!prev || speed.finishedAt > prev.finishedAt || (speed.finishedAt === prev.finishedAt && speed.takeId > prev.takeId)) out.set(modelId, speed);
  }
  return out;
}

/** Two significant figures below 10, whole numbers above (`0.42`, `3.1`, `24`). */
function figure(n: number): string {
  if (n >= 9.95) return String(Math.round(n));
  if (n >= 0.995) return n.toFixed(1);
  return n.toPrecision(2);
}

/**
 * A speed for people: `3.1 MP/s`, `0.42 MP/s`, `24 MP/s`, with frames for clips (`1.8 MP/s · 6.5 frames/s`);
 * `<0.01 MP/s` for crawling ones and `—` when nothing was measured.
 */
export function formatSpeed(speed: Pick<MeasuredSpeed, 'megapixelsPerSecond' | 'framesPerSecond'> | null | undefined): string {
  if (!speed || !Number.isFinite(speed.megapixelsPerSecond) || speed.megapixelsPerSecond <= 0) return '—';
  const mp = speed.megapixelsPerSecond < 0.01 ? '<0.01 MP/s' : `${figure(speed.megapixelsPerSecond)} MP/s`;
  return speed.framesPerSecond !== null && speed.framesPerSecond > 0 ? `${mp} · ${figure(speed.framesPerSecond)} frames/s` : mp;
}

/** How long ago a moment was, in words (`just now`, `5 min ago`, `3 h ago`, `2 days ago`). */
export function formatAgo(iso: string, nowMs: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, (nowMs - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  const d = Math.floor(s / 86400);
  return d === 1 ? 'yesterday' : `${d} days ago`;
}

/** A file size in binary units as file managers show it: `106 KB`, `1.2 MB`, `10.7 MB`, `1.5 GB`. */
export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 || v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Joins a folder and a name with the folder's own separator (`\` for a Windows path such as `C:\Users\…`, else `/`). */
export function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** A picture size as people write it: `768×432`. */
export function formatSize(widthPx: number, heightPx: number): string {
  return `${widthPx}×${heightPx}`;
}

/** The first 12 hex digits of a SHA-256, enough to tell files apart on screen. */
export function shortSha256(sha256: string): string {
  return sha256.slice(0, 12);
}

/**
 * The size a picture is fitted to inside the project frame (aspect kept; the same rule as the core's
 * `projectFit` in the core's enhance/jobs.ts), or null when it already fills the frame in one direction.
 */
export function projectFitSize(take: { widthPx: number; heightPx: number }, project: { widthPx: number; heightPx: number }): { widthPx: number; heightPx: number } | null {
  const factor = Math.min(project.widthPx / take.widthPx, project.heightPx / take.heightPx);
  if (!(factor > 1)) return null;
  return { widthPx: Math.round(take.widthPx * factor), heightPx: Math.round(take.heightPx * factor) };
}

/** Whether a clip take is already at a frame rate (its `meta.sourceFrameRate`, as the core records it on import). */
export function clipAtRate(take: Take, rate: FrameRate): boolean {
  const r = take.meta.sourceFrameRate as { num?: unknown; den?: unknown } | undefined;
  return !!r && typeof r.num === 'number' && typeof r.den === 'number' && r.num * rate.den === rate.num * r.den;
}

/** The models of one task, by scale then name. */
export function modelsFor(models: readonly EnhanceModelInfo[], task: EnhanceModelInfo['task']): EnhanceModelInfo[] {
  return models.filter((m) => m.task === task).sort((a, b) => a.scale - b.scale || a.name.localeCompare(b.name));
}

/** The model id the app offers first for a task when the artist has not picked one: the fast bundled x2. */
export const DEFAULT_UPSCALE_MODEL_ID = 'storycanvas-espcn-x2';

/**
 * The model a one-click action uses for a task: the artist's last pick when still installed, else (for upscaling)
 * the bundled fast x2, else the first x2, else the first of the task. Null when no model of the task is installed.
 */
export function defaultModel(models: readonly EnhanceModelInfo[], task: EnhanceModelInfo['task'], preferredId?: string | null): EnhanceModelInfo | null {
  const list = modelsFor(models, task);
  if (list.length === 0) return null;
  return (
    list.find((m) => m.id === preferredId) ??
    (task === 'upscale' ? (list.find((m) => m.id === DEFAULT_UPSCALE_MODEL_ID) ?? list.find((m) => m.scale === 2)) : undefined) ??
    list[0]
  );
}

/** One entry of a take's Enhance menu. */
export interface TakeMenuAction {
  id: 'upscale' | 'upscale-project' | 'interpolate' | 'compare' | 'dialog';
  label: string;
  /** A short aside on the right: the model, the target size or rate. */
  detail?: string;
  /** Why the entry cannot be used now (it shows disabled, with this as its tooltip). */
  disabledReason?: string;
  /** What `enhance.enqueue` gets for this take (less the project and priority), for the queueing entries. */
  request?: { modelId: string; upscaleToProject: boolean };
}

/**
 * What a take's Enhance menu offers. A picture: "Upscale ×N" with the default upscale model, "Upscale to project
 * resolution" (disabled when the picture already fills the frame), "Compare with source" for an enhanced picture
 * whose source is still in the project. A clip: "Interpolate to project frame rate" (disabled when it is already
 * at that rate or no interpolation model is installed). Always last: "Enhance…", the dialog with every choice.
 */
export function takeMenuActions(
  take: Take,
  models: readonly EnhanceModelInfo[],
  settings: Pick<ProjectSnapshot['settings'], 'widthPx' | 'heightPx' | 'frameRate'>,
  opts: { preferredUpscaleId?: string | null; preferredInterpolateId?: string | null; frameRateLabel?: string; hasSource?: boolean } = {},
): TakeMenuAction[] {
  const out: TakeMenuAction[] = [];
  if (take.kind === 'image') {
    const model = defaultModel(models, 'upscale', opts.preferredUpscaleId);
    const none = 'No upscale model is installed: see the Models view.';
    out.push(
      model
        ? { id: 'upscale', label: `Upscale ×${model.scale}`, detail: model.name, request: { modelId: model.id, upscaleToProject: false } }
        : { id: 'upscale', label: 'Upscale ×2', disabledReason: none },
    );
    const fit = projectFitSize(take, settings);
    const target = formatSize(settings.widthPx, settings.heightPx);
    out.push(
      !model
        ? { id: 'upscale-project', label: 'Upscale to project resolution', detail: target, disabledReason: none }
        : !fit
          ? { id: 'upscale-project', label: 'Upscale to project resolution', detail: target, disabledReason: `This take is ${formatSize(take.widthPx, take.heightPx)}: it already fills the project's ${target} frame.` }
          : { id: 'upscale-project', label: 'Upscale to project resolution', detail: `→ ${formatSize(fit.widthPx, fit.heightPx)}`, request: { modelId: model.id, upscaleToProject: true } },
    );
    if (typeof take.meta.enhancedFrom === 'string') {
      out.push(
        opts.hasSource === false
          ? { id: 'compare', label: 'Compare with source', detail: 'C', disabledReason: 'The source take is no longer in the project (trashed or deleted).' }
          : { id: 'compare', label: 'Compare with source', detail: 'C' },
      );
    }
  } else {
    const model = defaultModel(models, 'interpolate', opts.preferredInterpolateId);
    const rate = opts.frameRateLabel ?? `${settings.frameRate.num}/${settings.frameRate.den}`;
    out.push(
      !model
        ? { id: 'interpolate', label: 'Interpolate to project frame rate', detail: rate, disabledReason: 'No interpolation model is installed: see the Models view.' }
        : clipAtRate(take, settings.frameRate)
          ? { id: 'interpolate', label: 'Interpolate to project frame rate', detail: rate, disabledReason: `This clip already plays at the project's ${rate} fps.` }
          : { id: 'interpolate', label: 'Interpolate to project frame rate', detail: `${rate} fps`, request: { modelId: model.id, upscaleToProject: false } },
    );
  }
  out.push({ id: 'dialog', label: 'Enhance…', detail: 'model, priority' });
  return out;
}

/** A shot whose selected take an "upscale all to project resolution" would enlarge. */
export interface BelowProjectShot {
  shotId: string;
  shotNumber: string;
  take: Take;
  fit: { widthPx: number; heightPx: number };
}

/**
 * The shots whose selected take is a picture smaller than the project frame (in timeline order), and how many
 * shots have a selected take at all: what "Upscale all takes to project resolution" before an export would do.
 */
export function shotsBelowProject(snapshot: Pick<ProjectSnapshot, 'scenes' | 'takes' | 'settings'>): { below: BelowProjectShot[]; withTake: number } {
  const takes = new Map(snapshot.takes.map((t) => [t.id, t]));
  const below: BelowProjectShot[] = [];
  let withTake = 0;
  for (const scene of snapshot.scenes)
    for (const shot of scene.shots) {
      const take = shot.selectedTakeId ? takes.get(shot.selectedTakeId) : undefined;
      if (!take) continue;
      withTake++;
      if (take.kind !== 'image') continue;
      const fit = projectFitSize(take, snapshot.settings);
      if (fit) below.push({ shotId: shot.id, shotNumber: shot.number, take, fit });
    }
  return { below, withTake };
}

/** The enhanced take's source, when it is an enhancement (`meta.enhancedFrom`) whose source is in `takesById`. */
export function sourceOf(take: Take | undefined | null, takesById: ReadonlyMap<string, Take>): Take | null {
  const from = take?.meta.enhancedFrom;
  return typeof from === 'string' ? (takesById.get(from) ?? null) : null;
}

/** How much larger an enhanced take is than its source, for its badge: `×2`, `×2.5`. */
export function enlargement(take: Take, source: Take | null): string {
  if (!source) return typeof take.meta.task === 'string' && take.meta.task === 'interpolate' ? 'fps' : '×';
  if (take.kind === 'video' && take.widthPx === source.widthPx) return 'fps';
  const f = take.widthPx / source.widthPx;
  return `×${Number.isInteger(f) ? f : f.toFixed(1)}`;
}

/** The compare label: `768×432 → 1920×1080`. */
export function compareLabel(source: Pick<Take, 'widthPx' | 'heightPx'>, enhanced: Pick<Take, 'widthPx' | 'heightPx'>): string {
  return `${formatSize(source.widthPx, source.heightPx)} → ${formatSize(enhanced.widthPx, enhanced.heightPx)}`;
}

/**
 * Where the compare divider goes for a key (percent of the width from the left, 0..100): ←/→ by 1 (10 with
 * Shift), Page Up/Down by 10, Home/End to the edges. Null for any other key.
 */
export function stepDivider(percent: number, key: string, shift = false): number | null {
  const step = shift ? 10 : 1;
  let next: number;
  if (key === 'ArrowLeft' || key === 'ArrowDown') next = percent - step;
  else if (key === 'ArrowRight' || key === 'ArrowUp') next = percent + step;
  else if (key === 'PageDown') next = percent - 10;
  else if (key === 'PageUp') next = percent + 10;
  else if (key === 'Home') next = 0;
  else if (key === 'End') next = 100;
  else return null;
  return Math.min(100, Math.max(0, Math.round(next * 10) / 10));
}

/** The divider position for a pointer at `clientX` over a box (percent, 0..100). */
export function dividerAt(clientX: number, box: { left: number; width: number }): number {
  if (!(box.width > 0)) return 50;
  return Math.min(100, Math.max(0, ((clientX - box.left) / box.width) * 100));
}

/** The shots with enhancement work ahead: a job running now, or queued for this machine. */
export function enhanceActivity(jobs: readonly Job[]): { running: Set<string>; queued: Set<string> } {
  const running = new Set<string>();
  const queued = new Set<string>();
  for (const j of jobs) {
    if (j.kind !== 'enhance') continue;
    if (j.state === 'running') running.add(j.shotId);
    else if (j.state === 'queued' || j.state === 'dispatched') queued.add(j.shotId);
  }
  for (const id of running) queued.delete(id);
  return { running, queued };
}

/** A CSS attribute selector value for an id (quotes and backslashes escaped, CSS Syntax 3 §4.3.5). */
export function cssString(id: string): string {
  return `"${id.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, '\\a ')}"`;
}

/** What every mark shares: a 14 px ring in the picture's top right corner, over a dark disc. */
const MARK =
  "content: ''; position: absolute; top: 6px; right: 6px; width: 14px; height: 14px; box-sizing: border-box; border-radius: 50%; " +
  'background: rgba(0, 0, 0, 0.45); box-shadow: 0 0 0 2px rgba(0, 0, 0, 0.35); pointer-events: none;';

/** The stylesheet that marks the cards of running shots (a spinner) and waiting ones (a dotted ring); empty when none. */
export function activityCss(running: Iterable<string>, queued: Iterable<string>): string {
  const sel = (ids: Iterable<string>) => [...ids].map((id) => `.shot-card[data-shot-id=${cssString(id)}] .shot-thumb::after`).join(',\n');
  const r = sel(running);
  const q = sel(queued);
  let css = '';
  if (r) css += `${r} { ${MARK} border: 2px solid rgba(255, 255, 255, 0.3); border-top-color: var(--accent-strong); animation: spin 0.8s linear infinite; }\n`;
  if (q) css += `${q} { ${MARK} border: 2px dotted rgba(255, 255, 255, 0.7); }\n`;
  return css;
}

/** The words of a toast after `enhance.enqueue`: what was queued and, when some were left out, the first reason. */
export function describeEnqueued(
  result: { jobs: ReadonlyArray<unknown>; skipped: ReadonlyArray<{ reason: string }> },
  what: string,
): { kind: 'success' | 'info'; message: string; hint: string | null } {
  const n = result.jobs.length;
  const s = result.skipped.length;
  const queued = n === 0 ? 'Nothing was queued' : `Queued ${n === 1 ? `1 ${what}` : `${n} ${what}s`}`;
  if (s === 0) return { kind: n === 0 ? 'info' : 'success', message: n === 0 ? `${queued}.` : `${queued}: ${n === 1 ? 'it runs' : 'they run'} on this machine, with progress in the Queue.`, hint: null };
  const left = s === 1 ? '1 take was left out' : `${s} takes were left out`;
  return { kind: n === 0 ? 'info' : 'success', message: `${queued}; ${left}.`, hint: result.skipped[0].reason + (s > 1 ? ` (and ${s - 1} more)` : '') };
}
