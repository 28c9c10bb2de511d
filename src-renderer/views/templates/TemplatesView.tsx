/**
 * The Template view: the style templates of the library (shared by every project) as cards with their latest
 * takes and use counts, the project's default marked, and the editor on the right (TemplateEditor.tsx). Templates
 * are imported from and exported to JSON files (`{"storycanvas":"template","version":1,…}`) so artists can share
 * them. Kept live by `library.changed`.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StyleTemplate } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useLibraryActions, useLibraryEvents, useOpenProjects, useTemplates, toastDone } from '../../data/library';
import { useProject } from '../../data/project';
import { toastError } from '../../data/project';
import { CheckIcon, ImportIcon, PlusIcon, TemplatesViewIcon } from '../../components/icons';
import { ViewHeader } from '../queue/ViewHeader';
import { TemplateEditor } from './TemplateEditor';
import { describeSampler, shownThumbnails, templateUseText } from './templateForm';
import { useTemplateView } from './store';
import '../characters/library.css';
import './templates.css';

/** The biggest template file the view reads (the core refuses more than 1 MiB too). */
const MAX_TEMPLATE_FILE_BYTES = 1_048_576;

/** The Template view of one open project. */
export function TemplatesView({ projectId }: { projectId: string }) {
  useLibraryEvents(projectId);
  const templates = useTemplates();
  const project = useProject(projectId);
  const actions = useLibraryActions(projectId);
  const selection = useTemplateView((s) => s.selection);
  const select = useTemplateView((s) => s.select);
  const fileRef = useRef<HTMLInputElement>(null);
  const [conflict, setConflict] = useState<{ text: string; fileName: string; message: string } | null>(null);
  const list = useMemo(() => templates.data ?? [], [templates.data]);
  const defaultId = project.data?.settings.defaultTemplateId ?? null;

  useEffect(() => {
    if (selection.kind === 'none' && list.length > 0) select({ kind: 'template', id: (list.find((t) => t.id === defaultId) ?? list[0]).id });
  }, [selection.kind, list, defaultId, select]);

  const current = selection.kind === 'template' ? (list.find((t) => t.id === selection.id) ?? null) : null;
  const defaultName = list.find((t) => t.id === defaultId)?.name ?? null;

  const runImport = async (text: string, fileName: string, onConflict: 'error' | 'rename' | 'replace') => {
    try {
      const r = await actions.importTemplate(text, fileName, onConflict);
      if (r.kind === 'name-taken') {
        setConflict({ text, fileName, message: r.message });
        return;
      }
      setConflict(null);
      select({ kind: 'template', id: r.template.id });
      toastDone(`Imported ${r.template.name}`);
    } catch (err) {
      setConflict(null);
      toastError(err, `Could not import ${fileName}`);
    }
  };

  return (
    <div className="library-view templates-view">
      <ViewHeader
        projectId={projectId}
        title="Style templates"
        subtitle={templates.data ? `${list.length} in the library · this project uses ${defaultName ?? 'none'}` : undefined}
      >
        <button className="button" onClick={() => fileRef.current?.click()}>
          <ImportIcon /> Import…
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          accept=".json,application/json"
          aria-label="Template file to import"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            if (file.size > MAX_TEMPLATE_FILE_BYTES) {
              toastError(new Error(`${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MiB; a template file is far smaller. Pick a file made with Export.`));
              return;
            }
            await runImport(await file.text(), file.name, 'error');
          }}
        />
        <button className="button button-primary" onClick={() => select({ kind: 'new' })}>
          <PlusIcon /> New template
        </button>
      </ViewHeader>
      <div className="library-body">
        <div className="library-list">
          {templates.error ? <ErrorNotice error={templates.error} title="Could not list the templates" /> : null}
          {templates.isPending ? (
            <div className="boot">
              <span className="spinner" aria-hidden="true" /> Reading the templates…
            </div>
          ) : list.length === 0 ? (
            <div className="library-empty">
              <h2>No style template yet</h2>
              <p>
                A style template is the look of a project: style words added to every prompt, a negative prompt, the workflow and preset to use, sampler
                settings and LoRAs. Create one, or import a file a colleague exported.
              </p>
            </div>
          ) : (
            <div className="template-grid">
              {list.map((t) => (
                <TemplateCard
                  key={t.id}
                  template={t}
                  on={current?.id === t.id}
                  isDefault={t.id === defaultId}
                  onSelect={() => select({ kind: 'template', id: t.id })}
                />
              ))}
            </div>
          )}
        </div>
        <TemplateEditor
          key={selection.kind === 'new' ? '__new__' : (current?.id ?? 'none')}
          projectId={projectId}
          template={current}
          isNew={selection.kind === 'new'}
          isDefault={!!current && current.id === defaultId}
        />
      </div>
      <Dialog
        open={conflict !== null}
        onOpenChange={(o) => !o && setConflict(null)}
        title="A template has this name"
        description={conflict?.message}
        widthPx={480}
        footer={
          <>
            <button className="button" onClick={() => setConflict(null)}>
              Cancel
            </button>
            <button className="button" onClick={() => conflict && void runImport(conflict.text, conflict.fileName, 'replace')}>
              Replace it
            </button>
            <button className="button button-primary" onClick={() => conflict && void runImport(conflict.text, conflict.fileName, 'rename')}>
              Import as a copy
            </button>
          </>
        }
      >
        <p className="muted">Replacing keeps the library’s template (its use count and the shots that chose it) with the file’s settings. A copy gets a new name.</p>
      </Dialog>
    </div>
  );
}

/** One template: its latest takes (or its style words), name, default mark, use count and sampler. */
function TemplateCard(p: { template: StyleTemplate; on: boolean; isDefault: boolean; onSelect(): void }) {
  const bridge = useBridge();
  const open = useOpenProjects();
  const t = p.template;
  const thumbs = shownThumbnails(t, open.data ?? []).filter((th) => /\.(png|jpe?g|webp)$/i.test(th.takePath));
  const sampler = describeSampler(t.sampler);
  return (
    <button
      type="button"
      className={`template-card${p.on ? ' is-on' : ''}`}
      aria-pressed={p.on}
      aria-label={`Template ${t.name}`}
      data-template-id={t.id}
      onClick={p.onSelect}
    >
      <div className={`template-thumbs thumbs-${Math.max(1, thumbs.length)}`}>
        {thumbs.length ? (
          thumbs.map((th) => <img key={`${th.projectId}/${th.takePath}`} src={bridge.mediaUrl(th.projectId, th.takePath)} alt="" loading="lazy" draggable={false} />)
        ) : (
          <span className="template-swatch">
            <TemplatesViewIcon />
            <span>{t.useCount ? 'Its takes are in projects not open here' : 'No takes yet'}</span>
          </span>
        )}
        {p.isDefault ? (
          <span className="badge badge-accent template-default-badge" title="The style template of this project">
            <CheckIcon /> Project default
          </span>
        ) : null}
      </div>
      <div className="template-card-body">
        <div className="template-card-head">
          <span className="template-card-name">{t.name}</span>
        </div>
        <p className={`template-card-style${t.stylePrompt ? '' : ' is-empty'}`}>{t.stylePrompt || 'No style words.'}</p>
        <div className="template-card-foot">
          <span>{templateUseText(t.useCount)}</span>
          {sampler ? <span className="mono">{sampler}</span> : null}
          {t.loras.length ? <span>{t.loras.length} LoRA{t.loras.length === 1 ? '' : 's'}</span> : null}
        </div>
      </div>
    </button>
  );
}
