/**
 * The Character view's editor panel: name, description, LoRA (file name as the server lists it, strength),
 * trigger words, reference pictures and their weight for image-prompt adapters. Saves go to the library (every
 * project) or to this project only (an override; the fields it replaces are marked, "Reset to library" drops it).
 * Errors are shown under their field. Deleting asks first, and lists the shots when the character is in use.
 */
import { useMemo, useState } from 'react';
import type { CharacterView, ProjectSnapshot } from '../../../src-preload/model';
import { Dialog } from '../../components/Dialog';
import { EditorField } from '../../components/EditorField';
import { EditorFootActions } from '../../components/EditorFootActions';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ResetIcon, TrashIcon } from '../../components/icons';
import { useLibraryActions, toastDone } from '../../data/library';
import { useServers } from '../../data/queue';
import { errorInfo } from '../../lib/errors';
import {
  draftOf,
  formatStrength,
  isDirty,
  listFields,
  overriddenFields,
  patchOf,
  usageText,
  type CharacterDraft,
  type CharacterField,
  type CharacterFieldErrors,
} from './characterForm';
import { ReferencePictures } from './ReferencePictures';
import { useCharacterView } from './store';
import { TagInput } from './TagInput';

/** Props of CharacterEditor: the character shown (null with `isNew` for a new one, or for none). */
export interface CharacterEditorProps {
  projectId: string;
  character: CharacterView | null;
  isNew: boolean;
  snapshot: ProjectSnapshot | null;
}

/** What the delete confirmation shows: the first question, then the core's answer when the character is in use. */
type DeleteState = null | { stage: 'ask' } | { stage: 'in-use'; message: string } | { stage: 'working' };

/** The editor of one character (mounted per character: its draft starts from the character's values). */
export function CharacterEditor(p: CharacterEditorProps) {
  const actions = useLibraryActions(p.projectId);
  const scopeChoice = useCharacterView((s) => s.scope);
  const setScope = useCharacterView((s) => s.setScope);
  const select = useCharacterView((s) => s.select);
  const servers = useServers();
  const base = p.isNew ? null : p.character;
  const scope = base ? scopeChoice : 'library';
  const [draft, setDraft] = useState<CharacterDraft | null>(null);
  const [errors, setErrors] = useState<CharacterFieldErrors>({});
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<DeleteState>(null);
  const d = draft ?? draftOf(base);
  const dirty = isDirty(d, base);
  const overridden = base ? overriddenFields(base) : [];
  const serverLoras = useMemo(() => [...new Set((servers.data ?? []).flatMap((s) => s.loras))].sort(), [servers.data]);

  if (!p.isNew && !p.character) {
    return (
      <aside className="editor-panel" aria-label="Character editor">
        <div className="editor-panel-empty">
          <h2>No character selected</h2>
          <p className="muted">Pick a character on the left, or create a new one.</p>
        </div>
      </aside>
    );
  }

  const change = (patch: Partial<CharacterDraft>) => {
    setDraft({ ...d, ...patch });
    // an edited field's error goes away; the rest stay until the next save
    const edited = new Set(Object.keys(patch).map((k) => DRAFT_FIELD[k as keyof CharacterDraft]));
    if ([...edited].some((f) => errors[f])) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([f]) => !edited.has(f as CharacterField))));
  };

  const save = async () => {
    const r = patchOf(d, base, scope);
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
        const created = await actions.createCharacter({ ...r.patch, name: r.patch.name ?? d.name.trim() });
        toastDone(`Created ${created.name}`);
        select({ kind: 'character', name: created.name });
      } else {
        const v = await actions.updateCharacter(base.name, r.patch, scope);
        toastDone(scope === 'project' ? `Saved ${v.name} for this project` : `Saved ${v.name}`);
        if (v.name !== base.name) select({ kind: 'character', name: v.name });
        setDraft(null);
      }
    } catch (err) {
      const info = errorInfo(err);
      if (info.code === 'character_exists') setErrors({ name: info.message });
      else setSaveError(err);
    } finally {
      setSaving(false);
    }
  };

  const askDelete = () => setDeleting({ stage: 'ask' });
  const runDelete = async (force: boolean) => {
    if (!base) return;
    setDeleting({ stage: 'working' });
    try {
      const r = await actions.deleteCharacter(base.name, force);
      if (r.kind === 'in-use') {
        setDeleting({ stage: 'in-use', message: r.message });
        return;
      }
      setDeleting(null);
      toastDone(
        r.shotsChanged ? `Deleted ${base.name} and took it off ${r.shotsChanged} shot${r.shotsChanged === 1 ? '' : 's'}` : `Deleted ${base.name}`,
      );
      select({ kind: 'none' });
    } catch (err) {
      setDeleting(null);
      setSaveError(err);
    }
  };

  const mark = (field: CharacterField) => (scope === 'project' && overridden.includes(field) ? <OverrideDot /> : null);
  const shots = base?.shots ?? [];

  return (
    <aside className="editor-panel" aria-label="Character editor">
      <header className="editor-panel-head">
        <div className="insp-kicker">{base ? (base.libraryId ? 'Library character' : 'Script character') : 'New character'}</div>
        <div className="editor-panel-title">{base ? base.name : d.name.trim() || 'Unnamed'}</div>
        {base ? (
          <div className="editor-panel-sub" title={shots.map((s) => s.number).join(', ')}>
            {base.fromScript || shots.length ? `${usageText(shots.length)}${shots.length ? `: ${shotList(shots.map((s) => s.number))}` : ''}` : 'Not in this project’s shots'}
          </div>
        ) : (
          <div className="editor-panel-sub">Characters are matched to the script by name (without case).</div>
        )}
      </header>

      <div className="editor-panel-body">
        {base ? (
          <div className="character-scope">
            <div className="segmented" role="radiogroup" aria-label="Where changes go" style={{ gridTemplateColumns: '1fr 1fr' }}>
              <button type="button" role="radio" aria-checked={scope === 'library'} className={scope === 'library' ? 'is-on' : undefined} onClick={() => setScope('library')}>
                Library
              </button>
              <button type="button" role="radio" aria-checked={scope === 'project'} className={scope === 'project' ? 'is-on' : undefined} onClick={() => setScope('project')}>
                This project only
              </button>
            </div>
            <div className="field-help">{scope === 'library' ? 'Changes apply in every project that has this character.' : 'Changes apply to this project only; the library keeps its version.'}</div>
            {overridden.length ? (
              <div className="override-banner" role="status">
                <span>
                  <OverrideDot /> This project overrides {listFields(overridden)}.
                </span>
                <button
                  type="button"
                  className="link-button"
                  onClick={async () => {
                    try {
                      await actions.clearOverride(base.name);
                      setDraft(null);
                      toastDone(`${base.name} uses the library’s version again`);
                    } catch (err) {
                      setSaveError(err);
                    }
                  }}
                >
                  <ResetIcon /> Reset to library
                </button>
              </div>
            ) : null}
          </div>
        ) : null}

        <EditorField label="Name" error={errors.name}>
          <input
            className={`input${errors.name ? ' has-error' : ''}`}
            value={d.name}
            aria-label="Name"
            placeholder="As the script writes it: BOB"
            disabled={scope === 'project'}
            title={scope === 'project' ? 'A project cannot rename a library character: switch to Library.' : undefined}
            autoFocus={!base}
            onChange={(e) => change({ name: e.target.value })}
          />
        </EditorField>

        <EditorField label="Description" mark={mark('description')} error={errors.description} help="Words for the prompt: who they are and how they look.">
          <textarea
            className={`input${errors.description ? ' has-error' : ''}`}
            rows={4}
            value={d.description}
            aria-label="Description"
            placeholder="a goofy man of 40 in a grey suit, round glasses, receding hair"
            onChange={(e) => change({ description: e.target.value })}
          />
        </EditorField>

        <EditorField label="LoRA" mark={mark('lora')} error={errors.lora} help={loraHelp(d.loraName, serverLoras, (servers.data ?? []).length)}>
          <input
            className={`input mono${errors.lora ? ' has-error' : ''}`}
            value={d.loraName}
            aria-label="LoRA file"
            placeholder="bob_v2.safetensors"
            list="character-lora-files"
            spellCheck={false}
            onChange={(e) => change({ loraName: e.target.value })}
          />
          <datalist id="character-lora-files">
            {serverLoras.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
          <Slider
            label="LoRA strength"
            min={0}
            max={2}
            step={0.05}
            value={d.loraStrength}
            disabled={!d.loraName.trim()}
            onChange={(v) => change({ loraStrength: v })}
          />
        </EditorField>

        <EditorField label="Trigger words" mark={mark('triggerWords')} error={errors.triggerWords} help="The words the LoRA was trained on; they lead the character’s part of the prompt.">
          <TagInput words={d.triggerWords} ariaLabel="Add a trigger word" placeholder="ohwx man, Enter to add" invalid={!!errors.triggerWords} onChange={(w) => change({ triggerWords: w })} />
        </EditorField>

        <EditorField label={`Reference pictures${base?.referenceImages.length ? ` · ${base.referenceImages.length}` : ''}`} help={scope === 'project' && base ? 'Pictures belong to the library: every project shares them.' : undefined}>
          <ReferencePictures
            pictures={base?.referenceImages ?? []}
            disabledReason={base ? null : 'Create the character first, then add its pictures.'}
            onAdd={(file, weight) => actions.addReference(base!.name, file, weight)}
            onRemove={(r) => void actions.removeReference(base!.name, r.contentHash)}
          />
        </EditorField>

        <EditorField label="Reference weight" mark={mark('referenceWeight')} error={errors.referenceWeight} help="How strongly image-prompt adapters (IP-Adapter) follow the pictures.">
          <Slider label="Reference weight" min={0} max={1} step={0.05} value={d.referenceWeight} onChange={(v) => change({ referenceWeight: v })} />
        </EditorField>

        {saveError ? <ErrorNotice error={saveError} title="Not saved" /> : null}
      </div>

      <footer className="editor-panel-foot">
        {base ? (
          <button type="button" className="button button-ghost button-danger" onClick={askDelete}>
            <TrashIcon /> Delete
          </button>
        ) : (
          <span />
        )}
        <EditorFootActions
          exists={!!base}
          dirty={dirty}
          saving={saving}
          saveLabel={base ? (scope === 'project' ? 'Save for this project' : 'Save changes') : 'Create character'}
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
        open={deleting !== null}
        onOpenChange={(o) => !o && deleting?.stage !== 'working' && setDeleting(null)}
        title={`Delete ${base?.name ?? 'the character'}?`}
        description={
          deleting?.stage === 'in-use'
            ? 'It is still in use. Deleting takes it off these shots of this project and out of the library for every project.'
            : shots.length
              ? `It is in ${shots.length} shot${shots.length === 1 ? '' : 's'} of this project: deleting takes it off them and out of the library for every project.`
              : 'It leaves the library for every project. This cannot be undone.'
        }
        widthPx={480}
        footer={
          <>
            <button className="button" onClick={() => setDeleting(null)} disabled={deleting?.stage === 'working'}>
              Keep it
            </button>
            <button className="button button-danger" disabled={deleting?.stage === 'working'} onClick={() => void runDelete(deleting?.stage === 'in-use' || shots.length > 0)}>
              <TrashIcon /> {deleting?.stage === 'in-use' || shots.length > 0 ? 'Delete anyway' : 'Delete'}
            </button>
          </>
        }
      >
        {deleting?.stage === 'in-use' ? (
          <p className="delete-in-use">{deleting.message}</p>
        ) : shots.length ? (
          <div className="delete-shots" aria-label="Shots with this character">
            {shots.map((s) => (
              <span key={s.shotId} className="chip">
                {s.number}
              </span>
            ))}
          </div>
        ) : null}
      </Dialog>
    </aside>
  );
}

/** The editor field each draft key belongs to (for clearing its error). */
const DRAFT_FIELD: Record<keyof CharacterDraft, CharacterField> = {
  name: 'name',
  description: 'description',
  loraName: 'lora',
  loraStrength: 'lora',
  triggerWords: 'triggerWords',
  referenceWeight: 'referenceWeight',
};

/** "1A, 1C, 2B and 9 more". */
function shotList(numbers: string[], max = 8): string {
  return numbers.length <= max ? numbers.join(', ') : `${numbers.slice(0, max).join(', ')} and ${numbers.length - max} more`;
}

function loraHelp(name: string, serverLoras: string[], serverCount: number): string {
  const n = name.trim();
  if (!n) return 'The file name as your ComfyUI server lists it (models/loras).';
  if (serverCount === 0) return 'No server yet to check the file against.';
  return serverLoras.includes(n) ? 'A server has this LoRA.' : 'No server lists this file yet: check the name, or copy the LoRA to the server.';
}

/** A small "overridden in this project" dot. */
function OverrideDot() {
  return <span className="override-dot" title="Overridden in this project" aria-label="overridden in this project" />;
}

/** A range slider with its value shown beside it. */
function Slider(p: { label: string; min: number; max: number; step: number; value: number; disabled?: boolean; onChange(v: number): void }) {
  return (
    <div className={`slider${p.disabled ? ' is-disabled' : ''}`}>
      <input
        type="range"
        min={p.min}
        max={p.max}
        step={p.step}
        value={p.value}
        disabled={p.disabled}
        aria-label={p.label}
        onChange={(e) => p.onChange(Number(e.target.value))}
      />
      <span className="slider-value tabular">{formatStrength(p.value)}</span>
    </div>
  );
}
