/**
 * The Template view's pure logic: the editor's draft of a style template (numbers kept as typed text until they
 * are saved), its validation with a message per field (against the contract's `TemplateFields`, plus readable
 * number checks), the patch that saves what changed, the presets that fit a workflow, the file name an exported
 * template gets, and where a template's latest takes can be shown from.
 */
import { POOL_MEDIA_ID, poolFilePath } from '../../../src-preload/contract';
import { TemplateFields, type StyleTemplate, type TemplatePatch } from '../../../src-preload/model';

/** One LoRA row of the editor; strengths as typed ('' = the default: model 1, clip = model). */
export interface LoraRow {
  name: string;
  strengthModel: string;
  strengthClip: string;
}

/** What the editor holds while the artist types. `workflowId`/`presetId` '' = none. Sampler numbers as typed ('' = unset). */
export interface TemplateDraft {
  name: string;
  stylePrompt: string;
  negativePrompt: string;
  workflowId: string;
  presetId: string;
  steps: string;
  cfg: string;
  samplerName: string;
  scheduler: string;
  loras: LoraRow[];
}

/** The editor's fields that can carry an error; LoRA rows by index (`lora.2`). */
export type TemplateFieldErrors = Partial<Record<'name' | 'stylePrompt' | 'negativePrompt' | 'steps' | 'cfg' | 'samplerName' | 'scheduler' | `lora.${number}`, string>>;

/** The draft of a template (null: a new, empty one). */
export function templateDraftOf(t: StyleTemplate | null): TemplateDraft {
  const num = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    name: t?.name ?? '',
    stylePrompt: t?.stylePrompt ?? '',
    negativePrompt: t?.negativePrompt ?? '',
    workflowId: t?.workflowId ?? '',
    presetId: t?.presetId ?? '',
    steps: num(t?.sampler.steps),
    cfg: num(t?.sampler.cfg),
    samplerName: t?.sampler.samplerName ?? '',
    scheduler: t?.sampler.scheduler ?? '',
    loras: (t?.loras ?? []).map((l) => ({ name: l.name, strengthModel: num(l.strengthModel), strengthClip: num(l.strengthClip) })),
  };
}

/** A number typed by a person ('' -> undefined), or NaN when it is not one. */
function numberOf(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$|^-?\.\d+$/.test(t) ? Number(t) : NaN;
}

/** The template's fields from a draft, or the errors that keep it from being saved. */
export function fieldsOfDraft(d: TemplateDraft): { ok: true; fields: Required<TemplatePatch> } | { ok: false; errors: TemplateFieldErrors } {
  const errors: TemplateFieldErrors = {};
  const steps = numberOf(d.steps);
  if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1 && steps <= 10000)) errors.steps = 'Steps are a whole number from 1 to 10000 (20 to 40 is usual).';
  const cfg = numberOf(d.cfg);
  if (cfg !== undefined && !(cfg >= 0 && cfg <= 100)) errors.cfg = 'CFG is a number from 0 to 100 (about 7 for SD, 1 for Flux).';
  const loras = d.loras
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => row.name.trim() || row.strengthModel.trim() || row.strengthClip.trim())
    .map(({ row, i }) => {
      const strengthModel = numberOf(row.strengthModel);
      const strengthClip = numberOf(row.strengthClip);
      if (!row.name.trim()) errors[`lora.${i}`] = 'Give the LoRA file name the server lists, e.g. film_grain.safetensors.';
      else if ([strengthModel, strengthClip].some((s) => s !== undefined && !(s >= -100 && s <= 100)))
        errors[`lora.${i}`] = 'A LoRA strength is a number from -100 to 100 (0.5 to 1 is usual).';
      return { name: row.name.trim(), ...(strengthModel !== undefined ? { strengthModel } : {}), ...(strengthClip !== undefined ? { strengthClip } : {}) };
    });
  const fields = {
    name: d.name.trim(),
    stylePrompt: d.stylePrompt.trim(),
    negativePrompt: d.negativePrompt.trim(),
    workflowId: d.workflowId || null,
    presetId: d.presetId || null,
    sampler: {
      ...(steps !== undefined && !errors.steps ? { steps } : {}),
      ...(cfg !== undefined && !errors.cfg ? { cfg } : {}),
      ...(d.samplerName.trim() ? { samplerName: d.samplerName.trim() } : {}),
      ...(d.scheduler.trim() ? { scheduler: d.scheduler.trim() } : {}),
    },
    loras,
  };
  const parsed = TemplateFields.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path;
      const key = first === 'loras' ? (`lora.${Number(second)}` as const) : first === 'sampler' ? String(second) : String(first);
      const k = key as keyof TemplateFieldErrors;
      if (!errors[k]) errors[k] = readable(issue.message, String(first));
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, fields: parsed.data as Required<TemplatePatch> };
}

function readable(message: string, field: string): string {
  if (/too big|<=/.test(message)) return field === 'loras' ? 'A template has at most 16 LoRAs.' : 'This is too long: at most 4000 characters.';
  return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.');
}

/** The change to save: the fields that differ from `base` (all of them for a new template). */
export function templatePatchOf(d: TemplateDraft, base: StyleTemplate | null): { ok: true; patch: TemplatePatch } | { ok: false; errors: TemplateFieldErrors } {
  const r = fieldsOfDraft(d);
  if (!r.ok) return r;
  if (!base) return { ok: true, patch: r.fields };
  const patch: TemplatePatch = {};
  const f = r.fields;
  if (f.name !== base.name) patch.name = f.name;
  if (f.stylePrompt !== base.stylePrompt) patch.stylePrompt = f.stylePrompt;
  if (f.negativePrompt !== base.negativePrompt) patch.negativePrompt = f.negativePrompt;
  if (f.workflowId !== base.workflowId) patch.workflowId = f.workflowId;
  if (f.presetId !== base.presetId) patch.presetId = f.presetId;
  if (JSON.stringify(sorted(f.sampler)) !== JSON.stringify(sorted(base.sampler))) patch.sampler = f.sampler;
  if (JSON.stringify(f.loras) !== JSON.stringify(base.loras)) patch.loras = f.loras;
  return { ok: true, patch };
}

function sorted(o: object): Array<[string, unknown]> {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

/** Whether the draft differs from the template shown (a new template: whether anything was typed). */
export function isTemplateDirty(d: TemplateDraft, base: StyleTemplate | null): boolean {
  return JSON.stringify(d) !== JSON.stringify(templateDraftOf(base));
}

/** The presets offered for a workflow: those of its model family; every preset when no workflow is chosen. */
export function presetsForWorkflow<P extends { family: string; name: string }>(presets: readonly P[], workflow: { family: string } | null | undefined): P[] {
  const list = workflow ? presets.filter((p) => p.family === workflow.family) : [...presets];
  return list.sort((a, b) => a.family.localeCompare(b.family) || a.name.localeCompare(b.name));
}

/** Sampler names ComfyUI's KSampler offers (the common ones, for the field's suggestions). */
export const SAMPLER_SUGGESTIONS = ['euler', 'euler_ancestral', 'heun', 'dpm_2', 'dpmpp_2m', 'dpmpp_2m_sde', 'dpmpp_sde', 'dpmpp_3m_sde', 'lcm', 'ddim', 'uni_pc'];
/** Scheduler names ComfyUI's KSampler offers. */
export const SCHEDULER_SUGGESTIONS = ['normal', 'karras', 'exponential', 'sgm_uniform', 'simple', 'ddim_uniform', 'beta'];

/**
 * The file name an exported template gets: its name with the characters file systems refuse replaced, then
 * `.storycanvas-template.json` (`Charcoal: night` -> `Charcoal- night.storycanvas-template.json`).
 */
export function exportFileName(templateName: string): string {
  const safe = templateName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').replace(/\s+/g, ' ').trim().replace(/^\.+/, '') || 'template';
  return `${safe.slice(0, 120)}.storycanvas-template.json`;
}

/** A thumbnail of a template that can be shown: the take's project is open in this core. */
export interface ShownThumbnail {
  projectId: string;
  takePath: string;
}

/**
 * The template's latest takes that can be shown (their project is open here), newest first, at most `max`.
 * Takes of projects not open are left out: the media routes serve open projects only.
 */
export function shownThumbnails(t: Pick<StyleTemplate, 'thumbnails'>, openProjects: ReadonlyArray<{ projectId: string; path: string }>, max = 4): ShownThumbnail[] {
  const byPath = new Map(openProjects.map((p) => [normalizePath(p.path), p.projectId]));
  const out: ShownThumbnail[] = [];
  for (const th of t.thumbnails) {
    const projectId = byPath.get(normalizePath(th.projectPath));
    // an open project serves its own media; for a closed one, the take pool serves the files it recorded
    out.push(projectId ? { projectId, takePath: th.takePath } : { projectId: POOL_MEDIA_ID, takePath: poolFilePath(th.projectPath, th.takePath) });
    if (out.length >= max) break;
  }
  return out;
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '');
}

/** "used for 12 takes", "used for 1 take", "not used yet". */
export function templateUseText(n: number): string {
  return n === 0 ? 'not used yet' : n === 1 ? 'used for 1 take' : `used for ${n} takes`;
}

/** The sampler values in a few words: `28 steps · cfg 6.5 · dpmpp_2m karras`, or '' when none is set. */
export function describeSampler(s: StyleTemplate['sampler']): string {
  const parts: string[] = [];
  if (s.steps !== undefined) parts.push(`${s.steps} steps`);
  if (s.cfg !== undefined) parts.push(`cfg ${s.cfg}`);
  const sampler = [s.samplerName, s.scheduler].filter(Boolean).join(' ');
  if (sampler) parts.push(sampler);
  return parts.join(' · ');
}
