/**
 * Save a copy (the File menu's Save As…): the project's database by online backup and its media, into a new
 * `<Name>.storycanvas` folder in a directory (`project.saveAs`). The open project stays open; the copy can be
 * opened from here.
 */
import { useState, type FormEvent } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useUi } from '../../state/ui';

function parentDir(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return i > 0 ? trimmed.slice(0, i) : trimmed;
}

/** The Save a copy dialog (`project.saveAs`). */
export function SaveAsDialog(props: { snapshot: ProjectSnapshot; open: boolean; onOpenChange(open: boolean): void }) {
  const bridge = useBridge();
  const [dir, setDir] = useState(() => parentDir(props.snapshot.path));
  const [name, setName] = useState(() => `${props.snapshot.settings.name} copy`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [savedPath, setSavedPath] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!dir.trim() || !name.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await bridge.call('project.saveAs', { projectId: props.snapshot.projectId, dir: dir.trim(), name: name.trim() });
      setSavedPath(r.path);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function openCopy() {
    if (!savedPath) return;
    try {
      const p = await bridge.call('project.open', { path: savedPath });
      props.onOpenChange(false);
      useUi.getState().setScreen({ kind: 'timeline', projectId: p.projectId });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Dialog
      open={props.open}
      onOpenChange={(o) => {
        props.onOpenChange(o);
        if (!o) setSavedPath(null);
      }}
      title="Save a copy"
      description="Copies the project and its media into a new project folder. You keep working in this one."
      footer={
        savedPath ? (
          <>
            <button type="button" className="button" onClick={() => props.onOpenChange(false)}>
              Done
            </button>
            <button type="button" className="button button-primary" onClick={() => void openCopy()}>
              Open the copy
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={() => props.onOpenChange(false)}>
              Cancel
            </button>
            <button type="submit" form="save-as-form" className="button button-primary" disabled={busy || !dir.trim() || !name.trim()}>
              {busy ? 'Saving…' : 'Save copy'}
            </button>
          </>
        )
      }
    >
      <form id="save-as-form" className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        <label className="field">
          <span className="field-label">Folder</span>
          <input className="input mono" value={dir} onChange={(e) => setDir(e.target.value)} spellCheck={false} />
        </label>
        <ErrorNotice error={error} title="Could not save the copy" />
        {savedPath ? (
          <div className="result" role="status">
            <div className="result-title">Saved</div>
            <div className="mono file-main">{savedPath}</div>
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}
