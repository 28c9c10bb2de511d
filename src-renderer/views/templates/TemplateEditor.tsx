/**
 * The Template view's editor panel: name, style prompt, negative prompt, preferred workflow (`workflows.list`) and
 * preset (`presets.list`, those of the workflow's model family), sampler settings and LoRAs; "Use for this project"
 * (`project.setDefaultTemplate`), export as a JSON file (`template.export`, downloaded as a Blob), delete after a
 * confirmation. Errors are shown under their field.
 */
import { useMemo, useState } from 'react';
import type { StyleTemplate } from '../../../src-preload/model';
import { Dialog } from '../../components/Dialog';
import { EditorField } from '../../components/EditorField';
import { EditorFootActions } from '../../components/EditorFootActions';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CheckIcon, ExportFileIcon, TrashIcon } from '../../components/icons';
import { toastDone, useLibraryActions } from '../../data/library';
import { toastError } from '../../data/project';
import { usePresets, useWorkflows } from '../../data/queue';
import { errorInfo } from '../../lib/errors';
import { useTemplateView } from './store';
import {
  SAMPLER_SUGGESTIONS,
  SCHEDULER_SUGGESTIONS,
  exportFileName,
  isTemplateDirty,
  presetsForWorkflow,
  templateDraftOf,
  templatePatchOf,
  templateUseText,
  type TemplateDraft,
  type TemplateFieldErrors,
} from './templateForm';

/** Props of TemplateEditor: the template shown (null with `isNew` for a new one, or for none). */
export interface TemplateEditorProps {
  projectId: string;
  template: StyleTemplate | null;
  isNew: boolean;
  /** Whether it is the project's default template. */
  isDefault: boolean;
}

/** The editor of one template (mounted per template: its draft starts from the template's values). */
export function TemplateEditor(p: TemplateEditorProps) {
  const actions = useLibraryActions(p.projectId);
  const select = useTemplateView((s) => s.select);
  const workflows = useWorkflows();
  const presets = usePresets();
  const base = p.isNew ? null : p.template;
  const [draft, setDraft] = useState<TemplateDraft | null>(null);
  const [errors, setErrors] = useState<TemplateFieldErrors>({});
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const d = draft ?? templateDraftOf(base);
  const dirty = isTemplateDirty(d, base);
  const workflowList = useMemo(() => [...(workflows.data ?? [])].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'image' ? -1 : 1)), [workflows.data]);
  const workflow = workflowList.find((w) => w.id === d.workflowId) ?? null;
  const presetOptions = useMemo(() => presetsForWorkflow(presets.data ?? [], workflow), [presets.data, workflow]);

  if (!p.isNew && !p.template) {
    return (
      <aside className="editor-panel" aria-label="Template editor">
        <div className="editor-panel-empty">
          <h2>No template selected</h2>
          <p className="muted">Pick a template on the left, create one, or import a file.</p>
        </div>
      </aside>
    );
  }

  const change = (patch: Partial<TemplateDraft>) => {
    setDraft({ ...d, ...patch });
    const touched = Object.keys(patch);
    if (touched.some((k) => k in errors)) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !touched.includes(k))));
  };
  const setLora = (i: number, patch: Partial<TemplateDraft['loras'][number]>) => {
    setDraft({ ...d, loras: d.loras.map((l, k) => (k === i ? { ...l, ...patch } : l)) });
    if (errors[`lora.${i}`]) setErrors((e) => ({ ...e, [`lora.${i}`]: undefined }));
  };

  const save = async () => {
    const r = templatePatchOf(d, base);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    setSaveError(null);
    if (base && Object.keys(r.patch).length === 0) {
      setDraft(null);
      return;
    }
    setSaving(true);
    try {
      if (!base) {
        const t = await actions.createTemplate({ ...r.patch, name: r.patch.name ?? d.name.trim() });
        toastDone(`Created ${t.name}`);
        select({ kind: 'template', id: t.id });
      } else {
        const t = await actions.updateTemplate(base.id, r.patch);
        toastDone(`Saved ${t.name}`);
        setDraft(null);
      }
    } catch (err) {
      const info = errorInfo(err);
      if (info.code === 'template_exists') setErrors({ name: info.message });
      else setSaveError(err);
    } finally {
      setSaving(false);
    }
  };

  const exportFile = async () => {
    if (!base) return;
    try {
      const json = await actions.exportTemplate(base.id);
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(base.name);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      toastDone(`Exported ${base.name} as ${a.download}`);
    } catch (err) {
      toastError(err, `Could not export ${base.name}`);
    }
  };

  return (
    <aside className="editor-panel" aria-label="Template editor">
      <header className="editor-panel-head">
        <div className="insp-kicker">{base ? 'Style template' : 'New style template'}</div>
        <div className="template-editor-title-row">
          <div className="editor-panel-title">{base ? base.name : d.name.trim() || 'Unnamed'}</div>
          {base ? (
            p.isDefault ? (
              <button
                type="button"
                className="button button-small template-default is-on"
                title="This project uses it: click to stop (shots with their own template keep it)"
                onClick={() => void actions.setDefaultTemplate(null)}
              >
                <CheckIcon /> Project default
              </button>
            ) : (
              <button type="button" className="button button-small template-default" onClick={() => void actions.setDefaultTemplate(base.id).then((ok) => ok && toastDone(`This project now uses ${base.name}`))}>
                Use for this project
              </button>
            )
          ) : null}
        </div>
        {base ? <div className="editor-panel-sub">{templateUseText(base.useCount)} · shared by every project</div> : null}
      </header>

      <div className="editor-panel-body">
        <EditorField label="Name" error={errors.name}>
          <input className={`input${errors.name ? ' has-error' : ''}`} value={d.name} aria-label="Template name" placeholder="Charcoal storyboard" autoFocus={!base} onChange={(e) => change({ name: e.target.value })} />
        </EditorField>
        <EditorField label="Style prompt" error={errors.stylePrompt} help="Added at the end of every prompt: the look of the whole picture.">
          <textarea
            className={`input${errors.stylePrompt ? ' has-error' : ''}`}
            rows={3}
            value={d.stylePrompt}
            aria-label="Style prompt"
            placeholder="charcoal storyboard sketch, loose lines, high contrast, grey wash"
            onChange={(e) => change({ stylePrompt: e.target.value })}
          />
        </EditorField>
        <EditorField label="Negative prompt" error={errors.negativePrompt} help="What the picture must not show (ignored by Flux workflows).">
          <textarea
            className={`input${errors.negativePrompt ? ' has-error' : ''}`}
            rows={2}
            value={d.negativePrompt}
            aria-label="Negative prompt"
            placeholder="colour, photo, text, watermark"
            onChange={(e) => change({ negativePrompt: e.target.value })}
          />
        </EditorField>

        <div className="editor-stack">
          <EditorField label="Workflow">
            <select className="input" value={d.workflowId} aria-label="Preferred workflow" onChange={(e) => change({ workflowId: e.target.value, presetId: '' })}>
              <option value="">The batch’s choice</option>
              {workflowList.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </EditorField>
          <EditorField label="Preset">
            <select className="input" value={d.presetId} aria-label="Preferred preset" onChange={(e) => change({ presetId: e.target.value })}>
              <option value="">The batch’s choice</option>
              {presetOptions.map((pr) => (
                <option key={pr.id} value={pr.id}>
                  {workflow ? pr.name : `${pr.family} · ${pr.name}`}
                </option>
              ))}
            </select>
          </EditorField>
        </div>
        {workflows.error ? <ErrorNotice error={workflows.error} title="Could not list the workflows" /> : null}

        <div className="editor-field">
          <div className="editor-label">
            <span>Sampler</span>
            <span className="editor-label-aside">empty: the preset’s</span>
          </div>
          <div className="sampler-grid">
            <NumberBox label="Steps" value={d.steps} placeholder="28" error={errors.steps} onChange={(v) => change({ steps: v })} />
            <NumberBox label="CFG" value={d.cfg} placeholder="6.5" error={errors.cfg} onChange={(v) => change({ cfg: v })} />
            <TextBox label="Sampler" value={d.samplerName} placeholder="dpmpp_2m" suggestions={SAMPLER_SUGGESTIONS} onChange={(v) => change({ samplerName: v })} />
            <TextBox label="Scheduler" value={d.scheduler} placeholder="karras" suggestions={SCHEDULER_SUGGESTIONS} onChange={(v) => change({ scheduler: v })} />
          </div>
          {errors.steps || errors.cfg || errors.samplerName || errors.scheduler ? (
            <div className="field-error" role="alert">
              {errors.steps ?? errors.cfg ?? errors.samplerName ?? errors.scheduler}
            </div>
          ) : null}
        </div>

        <div className="editor-field">
          <div className="editor-label">
            <span>LoRAs{d.loras.length ? ` · ${d.loras.length}` : ''}</span>
            <span className="editor-label-aside">strength: model / clip</span>
          </div>
          {d.loras.length === 0 ? <div className="field-help">No LoRA: characters’ LoRAs are still added.</div> : null}
          {d.loras.map((l, i) => (
            <div key={i} className="lora-row-wrap">
              <div className="lora-row">
                <input
                  className={`input input-small mono${errors[`lora.${i}`] ? ' has-error' : ''}`}
                  value={l.name}
                  placeholder="film_grain.safetensors"
                  aria-label={`LoRA ${i + 1} file`}
                  spellCheck={false}
                  onChange={(e) => setLora(i, { name: e.target.value })}
                />
                <input className="input input-small" value={l.strengthModel} placeholder="1" inputMode="decimal" aria-label={`LoRA ${i + 1} model strength`} onChange={(e) => setLora(i, { strengthModel: e.target.value })} />
                <input className="input input-small" value={l.strengthClip} placeholder="=" inputMode="decimal" aria-label={`LoRA ${i + 1} clip strength`} onChange={(e) => setLora(i, { strengthClip: e.target.value })} />
                <button type="button" className="icon-button icon-button-small" aria-label={`Remove LoRA ${i + 1}`} title="Remove this LoRA" onClick={() => change({ loras: d.loras.filter((_, k) => k !== i) })}>
                  <TrashIcon />
                </button>
              </div>
              {errors[`lora.${i}`] ? (
                <div className="field-error" role="alert">
                  {errors[`lora.${i}`]}
                </div>
              ) : null}
            </div>
          ))}
          <button type="button" className="button button-small button-ghost" onClick={() => change({ loras: [...d.loras, { name: '', strengthModel: '', strengthClip: '' }] })} disabled={d.loras.length >= 16}>
            + Add LoRA
          </button>
        </div>

        {saveError ? <ErrorNotice error={saveError} title="Not saved" /> : null}
      </div>

      <footer className="editor-panel-foot">
        {base ? (
          <span className="editor-panel-foot-group">
            <button type="button" className="button button-ghost button-danger" onClick={() => setConfirmDelete(true)}>
              <TrashIcon /> Delete
            </button>
            <button type="button" className="button button-ghost" onClick={() => void exportFile()} title="Download the template as a JSON file to share">
              <ExportFileIcon /> Export
            </button>
          </span>
        ) : (
          <span />
        )}
        <EditorFootActions
          exists={!!base}
          dirty={dirty}
          saving={saving}
          saveLabel={base ? 'Save changes' : 'Create template'}
          onDiscard={() => {
            setDraft(null);
            setErrors({});
            setSaveError(null);
            if (!base) select({ kind: 'none' });
          }}
          onSave={() => void save()}
        />
      </footer>

      <Dialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={`Delete ${base?.name ?? 'the template'}?`}
        description="It leaves the library for every project. Projects and shots that chose it fall back to no template; takes keep what they were made with."
        widthPx={460}
        footer={
          <>
            <button className="button" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
            <button
              className="button button-danger"
              onClick={async () => {
                setConfirmDelete(false);
                if (base && (await actions.deleteTemplate(base.id))) {
                  toastDone(`Deleted ${base.name}`);
                  select({ kind: 'none' });
                }
              }}
            >
              <TrashIcon /> Delete
            </button>
          </>
        }
      >
        {base?.useCount ? <p className="muted">It made {base.useCount} take{base.useCount === 1 ? '' : 's'}; they stay.</p> : null}
      </Dialog>
    </aside>
  );
}

function NumberBox(p: { label: string; value: string; placeholder: string; error?: string; onChange(v: string): void }) {
  return (
    <label className="sampler-box">
      <span>{p.label}</span>
      <input className={`input input-small${p.error ? ' has-error' : ''}`} value={p.value} placeholder={p.placeholder} inputMode="decimal" aria-label={p.label} onChange={(e) => p.onChange(e.target.value)} />
    </label>
  );
}

function TextBox(p: { label: string; value: string; placeholder: string; suggestions: string[]; onChange(v: string): void }) {
  const listId = `sampler-${p.label.toLowerCase()}`;
  return (
    <label className="sampler-box">
      <span>{p.label}</span>
      <input className="input input-small mono" value={p.value} placeholder={p.placeholder} list={listId} spellCheck={false} aria-label={p.label} onChange={(e) => p.onChange(e.target.value)} />
      <datalist id={listId}>
        {p.suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </label>
  );
}
