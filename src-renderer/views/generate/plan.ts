/**
 * The Generate dialog's pure logic: what can be targeted (the selected shots, their scene, the whole project),
 * which presets fit a workflow, the seed field, the sentence that says what will be queued, whether a server
 * can take the jobs, and the `queue.enqueue` request. No DOM, no React, no bridge.
 *
 * Seeds follow the contract's SeedMode (src-preload/contract.ts): `sequence` counts up from a base seed, one per
 * take in shot order; `random` draws one per take; `locked` gives each shot its own seed derived from its id.
 */
import type { JobPriority, PresetInfo, SeedMode, ServerStatus, WorkflowInfo } from '../../../src-preload/contract';
import type { ProjectSnapshot } from '../../../src-preload/model';
import type { EnqueueRequest } from '../../data/queue';

/** What a generation is for: shots by id, one scene, or every shot of the project. */
export type TargetScope = 'shot' | 'scene' | 'all';

/** One choice of the dialog's target row. */
export interface TargetOption {
  scope: TargetScope;
  /** `2 selected shots`, `Scene 3`, `Whole project`. */
  label: string;
  /** The shots it covers, in timeline order. */
  shotIds: string[];
  shotNumbers: string[];
  /** For scope `scene`. */
  sceneId: string | null;
  /** False when it covers no shot (nothing selected, an empty project). */
  enabled: boolean;
}

/** The most takes per shot the dialog offers (the contract allows 100; more is a batch job for the CLI). */
export const MAX_TAKES_PER_SHOT = 8;
/** The largest seed handed out (as the core: 2^48 - 1, exact in JavaScript). */
export const MAX_SEED = 2 ** 48 - 1;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The three targets for a selection: the selected shots (in timeline order), the scene of the focused (else first
 * selected) shot, and the whole project. Ids that are not shots of the snapshot are ignored.
 */
export function targetOptions(snapshot: ProjectSnapshot, selectedIds: readonly string[], focusId: string | null = null): TargetOption[] {
  const wanted = new Set(selectedIds);
  const sel: { id: string; number: string }[] = [];
  const all: { id: string; number: string }[] = [];
  let sceneOfFocus: ProjectSnapshot['scenes'][number] | null = null;
  let sceneOfFirst: ProjectSnapshot['scenes'][number] | null = null;
  for (const scene of snapshot.scenes) {
    for (const shot of scene.shots) {
      all.push(shot);
      if (!wanted.has(shot.id)) continue;
      sel.push(shot);
      if (!sceneOfFirst) sceneOfFirst = scene;
      if (shot.id === focusId) sceneOfFocus = scene;
    }
  }
  const scene = sceneOfFocus ?? sceneOfFirst;
  return [
    {
      scope: 'shot',
      label: sel.length === 0 ? 'Selected shots' : sel.length === 1 ? `Shot ${sel[0].number}` : `${sel.length} selected shots`,
      shotIds: sel.map((s) => s.id),
      shotNumbers: sel.map((s) => s.number),
      sceneId: null,
      enabled: sel.length > 0,
    },
    {
      scope: 'scene',
      label: scene ? `Scene ${scene.number}` : 'Scene',
      shotIds: scene ? scene.shots.map((s) => s.id) : [],
      shotNumbers: scene ? scene.shots.map((s) => s.number) : [],
      sceneId: scene?.id ?? null,
      enabled: !!scene && scene.shots.length > 0,
    },
    { scope: 'all', label: 'Whole project', shotIds: all.map((s) => s.id), shotNumbers: all.map((s) => s.number), sceneId: null, enabled: all.length > 0 },
  ];
}

/** The target the dialog starts on: the asked one when it covers shots, else the first that does. */
export function initialScope(options: readonly TargetOption[], wanted: TargetScope | null): TargetScope {
  const asked = options.find((o) => o.scope === wanted && o.enabled);
  return (asked ?? options.find((o) => o.enabled) ?? options[options.length - 1]).scope;
}

/** `1A, 1B, 2` or `1A, 1B, 2, 3, 4, 5 and 14 more`. */
export function listShotNumbers(numbers: readonly string[], max = 6): string {
  if (numbers.length <= max) return numbers.join(', ');
  return `${numbers.slice(0, max).join(', ')} and ${numbers.length - max} more`;
}

/** The workflows the dialog offers: images first, then clips, each by name. */
export function sortWorkflows(workflows: readonly WorkflowInfo[]): WorkflowInfo[] {
  return [...workflows].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'image' ? -1 : 1));
}

/**
 * The workflow to start on: the remembered one when it still exists, else SD 1.5 text to image (the reference
 * workflow), else the first image workflow.
 */
export function defaultWorkflowId(workflows: readonly WorkflowInfo[], remembered: string | null): string | null {
  if (remembered && workflows.some((w) => w.id === remembered)) return remembered;
  return (workflows.find((w) => w.id === 'sd15_txt2img') ?? sortWorkflows(workflows)[0])?.id ?? null;
}

/** The presets of a workflow's model family: the built-in fast and quality first, then the artist's, by name. */
export function presetsFor(presets: readonly PresetInfo[], workflow: Pick<WorkflowInfo, 'family'> | null | undefined): PresetInfo[] {
  if (!workflow) return [];
  const rank = (p: PresetInfo) => (p.builtin ? (p.id.endsWith('.fast') ? 0 : p.id.endsWith('.quality') ? 1 : 2) : 3);
  return presets.filter((p) => p.family === workflow.family).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The preset to start on: the remembered one when it fits the workflow, else the family's fast one, else the first. */
export function defaultPresetId(options: readonly PresetInfo[], remembered: string | null): string | null {
  if (remembered && options.some((p) => p.id === remembered)) return remembered;
  return (options.find((p) => p.builtin && p.id.endsWith('.fast')) ?? options[0])?.id ?? null;
}

/** A preset's setting in a few words: `20 steps · cfg 8 · euler · 512×512`. */
export function describePreset(p: Pick<PresetInfo, 'setting' | 'loras'>): string {
  const s = p.setting;
  const parts = [plural(s.steps, 'step'), `cfg ${s.cfg}`, s.samplerName, `${s.widthPx}×${s.heightPx}`];
  if (p.loras.length > 0) parts.push(plural(p.loras.length, 'LoRA'));
  return parts.join(' · ');
}

/**
 * A random seed to start a sequence from, in 0..2^32-1: short enough to read out and note down (any seed up to
 * MAX_SEED may be typed). Web Crypto: available in every browser and in Node 20.
 */
export function suggestedSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

/**
 * The seed field's text as a seed.
 * @returns the seed, or an error sentence saying what to type.
 */
export function parseSeed(text: string): { seed: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: 'A seed is a whole number, 0 or more.' };
  const seed = Number(t);
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) return { error: `A seed is at most ${MAX_SEED.toLocaleString('en-US')}.` };
  return { seed };
}

/** What the seeds of a batch will be, in words: `seeds 41 to 46`, `a random seed per take`, `each shot's own seed`. */
export function describeSeeds(mode: SeedMode, seed: number | null, jobCount: number): string {
  if (mode === 'random') return jobCount === 1 ? 'a random seed' : 'a random seed per take';
  if (mode === 'locked') return "each shot's own locked seed, +1 per take";
  if (seed === null) return 'seeds counting up';
  return jobCount <= 1 ? `seed ${seed}` : `seeds ${seed} to ${Math.min(MAX_SEED, seed + jobCount - 1)}`;
}

/** `6 jobs: 3 takes of 2 shots` (or `1 job: 1 take of shot 4A`). */
export function describeBatch(shotNumbers: readonly string[], takes: number): string {
  const jobs = shotNumbers.length * takes;
  const of = shotNumbers.length === 1 ? `shot ${shotNumbers[0]}` : plural(shotNumbers.length, 'shot');
  return `${plural(jobs, 'job')}: ${plural(takes, 'take')} of ${of}`;
}

/** The toast after queueing: `Queued 6 jobs for shots 1A, 1B` (or `for 14 shots` when there are many). */
export function describeQueued(jobCount: number, shotNumbers: readonly string[]): string {
  const shots = shotNumbers.length === 1 ? `shot ${shotNumbers[0]}` : shotNumbers.length <= 4 ? `shots ${shotNumbers.join(', ')}` : plural(shotNumbers.length, 'shot');
  return `Queued ${plural(jobCount, 'job')} for ${shots}`;
}

/** Whether a server of the pool will take the jobs now, in a sentence for the dialog. */
export function serverReadiness(servers: readonly ServerStatus[] | undefined): { tone: 'ok' | 'warn'; text: string } {
  if (!servers) return { tone: 'ok', text: 'Checking the servers…' };
  const enabled = servers.filter((s) => s.enabled);
  if (servers.length === 0) return { tone: 'warn', text: 'No ComfyUI server is set up: the jobs wait in the queue until you add one in Servers.' };
  if (enabled.length === 0) {
    return { tone: 'warn', text: `${servers.length === 1 ? 'The server is' : 'Every server is'} disabled: the jobs wait in the queue until you enable one in Servers.` };
  }
  const ready = enabled.filter((s) => (s.status === 'online' || s.status === 'busy') && s.breaker !== 'open');
  if (ready.length === 0) return { tone: 'warn', text: `None of the ${plural(enabled.length, 'server')} is online now: the jobs wait in the queue until one is.` };
  return { tone: 'ok', text: `${ready.length === 1 ? `${ready[0].name} is` : `${ready.length} servers are`} ready to generate.` };
}

/** The dialog's choices. */
export interface GenerateForm {
  scope: TargetScope;
  workflowId: string | null;
  presetId: string | null;
  takes: number;
  seedMode: SeedMode;
  /** The seed field's text (sequence only). */
  seedText: string;
  priority: JobPriority;
}

/**
 * The `queue.enqueue` request of the dialog's choices for a target.
 * @returns the request, or an error sentence (a bad seed, a target without shots, no workflow).
 */
export function enqueueRequestOf(form: GenerateForm, target: TargetOption): { request: EnqueueRequest } | { error: string } {
  if (!target.enabled) return { error: 'Choose shots to generate: select them on the timeline, or pick the scene or the whole project.' };
  if (!form.workflowId) return { error: 'Choose a workflow.' };
  if (!Number.isInteger(form.takes) || form.takes < 1 || form.takes > MAX_TAKES_PER_SHOT) return { error: `Takes per shot: 1 to ${MAX_TAKES_PER_SHOT}.` };
  let seed: number | undefined;
  if (form.seedMode === 'sequence') {
    const parsed = parseSeed(form.seedText);
    if ('error' in parsed) return parsed;
    seed = parsed.seed;
  }
  const request: EnqueueRequest = {
    target: target.scope,
    takes: form.takes,
    workflowId: form.workflowId,
    seedMode: form.seedMode,
    priority: form.priority,
    ...(form.presetId ? { preset: form.presetId } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(target.scope === 'shot' ? { shotIds: target.shotIds } : {}),
    ...(target.scope === 'scene' && target.sceneId ? { sceneId: target.sceneId } : {}),
  };
  return { request };
}
