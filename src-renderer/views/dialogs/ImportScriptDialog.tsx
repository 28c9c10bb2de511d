/**
 * Import script: pick a Fountain file (read here, sent as text) or type a path on the machine that runs
 * StoryCanvas; then the summary of what changed. Re-importing updates, never duplicates.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type { ScriptImportResult } from '../../../src-preload/contract';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ScriptIcon } from '../../components/icons';
import { projectKey } from '../../data/project';

/** The largest script text the contract accepts (script.import `text`). */
const MAX_SCRIPT_CHARS = 20_000_000;

/** The Import script dialog (`script.import`). */
export function ImportScriptDialog(props: { projectId: string; open: boolean; onOpenChange(open: boolean): void }) {
  const bridge = useBridge();
  const qc = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ from: string; r: ScriptImportResult } | null>(null);

  async function run(from: string, args: { path: string } | { text: string; fileName: string }) {
    setBusy(from);
    setError(null);
    setResult(null);
    try {
      const r = await bridge.call('script.import', { projectId: props.projectId, ...args });
      setResult({ from, r });
      void qc.invalidateQueries({ queryKey: projectKey(props.projectId) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  async function onFile(file: File | undefined) {
    if (!file) return;
    const path = bridge.pathForFile(file);
    if (path) return run(file.name, { path });
    if (file.size > MAX_SCRIPT_CHARS) {
      setError(new Error(`${file.name} is ${Math.round(file.size / 1e6)} MB: a screenplay is far smaller. Choose the .fountain file itself.`));
      return;
    }
    const text = await file.text();
    return run(file.name, { text, fileName: file.name });
  }

  const submitPath = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) void run(path.trim(), { path: path.trim() });
  };

  const close = (open: boolean) => {
    props.onOpenChange(open);
    if (!open) {
      setResult(null);
      setError(null);
    }
  };

  return (
    <Dialog
      open={props.open}
      onOpenChange={close}
      title="Import script"
      description="A Fountain screenplay becomes scenes (one per slugline) and shots (one per action paragraph), with dialogue and characters. Importing the same script again updates it and keeps your edits to shots it no longer has."
      footer={
        <button type="button" className="button" onClick={() => close(false)}>
          {result ? 'Done' : 'Cancel'}
        </button>
      }
    >
      <div className="form">
        <input
          ref={fileRef}
          type="file"
          accept=".fountain,.spmd,.txt"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            void onFile(f);
          }}
        />
        <button type="button" className="drop-zone" onClick={() => fileRef.current?.click()} disabled={busy !== null}>
          <ScriptIcon />
          <span className="drop-zone-title">{busy && busy !== path.trim() ? `Importing ${busy}…` : 'Choose a screenplay file…'}</span>
          <span className="drop-zone-sub">.fountain, .spmd or .txt</span>
        </button>

        <div className="or-divider">
          <span>or a path on this machine</span>
        </div>

        <form className="inline-form" onSubmit={submitPath}>
          <input
            className="input mono"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/you/Scripts/pilot.fountain"
            aria-label="Path of the script"
            spellCheck={false}
          />
          <button type="submit" className="button" disabled={!path.trim() || busy !== null}>
            {busy && busy === path.trim() ? 'Importing…' : 'Import'}
          </button>
        </form>

        <ErrorNotice error={error} title="Could not import the script" />

        {result ? (
          <div className="result" role="status">
            <div className="result-title">
              Imported {result.r.title ? <em>{result.r.title}</em> : result.from}
            </div>
            <dl className="result-grid">
              <dt>Scenes</dt>
              <dd>
                {result.r.scenesAdded} added · {result.r.scenesUpdated} updated
              </dd>
              <dt>Shots</dt>
              <dd>
                {result.r.shotsAdded} added · {result.r.shotsUpdated} updated
              </dd>
              {result.r.shotsNoLongerInScript > 0 ? (
                <>
                  <dt>Kept</dt>
                  <dd>{result.r.shotsNoLongerInScript} shots no longer in the script (nothing was deleted)</dd>
                </>
              ) : null}
              <dt>Characters</dt>
              <dd>{result.r.characters.length ? result.r.characters.join(', ') : 'none'}</dd>
            </dl>
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}
