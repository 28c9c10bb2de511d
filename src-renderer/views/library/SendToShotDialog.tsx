/**
 * "Send to shot…" of the Library view: pick an open project (the current one first) and one of its shots (the
 * timeline's focused shot by default), then `library.takes.send` copies the take's file into that project as a new
 * take of the shot (undoable there).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { LibraryTake } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useOpenProjects } from '../../data/library';
import { projectKey, useProject } from '../../data/project';
import { useUi } from '../../state/ui';
import { showView } from '../queue/nav';
import { KeepKeys } from '../takes/KeepKeys';
import { defaultTargetShot, shotChoices, tilePicture, tileText } from './libraryModel';

/** Props of SendToShotDialog. */
export interface SendToShotDialogProps {
  /** The workspace's project: proposed first, with its focused shot. */
  projectId: string;
  take: LibraryTake;
  onClose(): void;
}

/** The dialog; open while mounted. */
export function SendToShotDialog(p: SendToShotDialogProps) {
  const bridge = useBridge();
  const qc = useQueryClient();
  const open = useOpenProjects();
  const [targetId, setTargetId] = useState(p.projectId);
  const target = useProject(targetId);
  const [shotId, setShotId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const groups = useMemo(() => (target.data ? shotChoices(target.data) : []), [target.data]);
  const pic = tilePicture(p.take);
  const text = tileText(p.take);

  // a project's default: the timeline's focused shot in the current project, else its first shot
  useEffect(() => {
    if (!target.data) return;
    const sel = useUi.getState().selection;
    setShotId(defaultTargetShot(target.data, targetId === p.projectId ? (sel.focusId ?? sel.ids[0] ?? null) : null));
  }, [target.data, targetId, p.projectId]);

  const projects = open.data ?? [];
  const shotNumber = target.data?.scenes.flatMap((s) => s.shots).find((s) => s.id === shotId)?.number ?? null;

  const send = async () => {
    if (!shotId) return;
    setBusy(true);
    setError(null);
    try {
      await bridge.call('library.takes.send', { fromProjectPath: p.take.projectPath, takeId: p.take.takeId, toProjectId: targetId, shotId });
      await qc.invalidateQueries({ queryKey: projectKey(targetId) });
      const name = target.data?.settings.name ?? 'the project';
      const here = targetId === p.projectId;
      useUi.getState().toast({
        kind: 'success',
        message: shotNumber ? `Sent to shot ${shotNumber} of ${name}.` : `Sent to ${name}.`,
        hint: here ? null : `The file was copied into ${name}.`,
        action: here
          ? {
              label: 'Show',
              run: () => {
                useUi.getState().setSelection({ ids: [shotId], anchorId: shotId, focusId: shotId });
                showView('timeline');
              },
            }
          : undefined,
        timeoutMs: 6000,
      });
      p.onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <KeepKeys>
      <Dialog
        open
        onOpenChange={(o) => !o && p.onClose()}
        title="Send to shot"
        widthPx={560}
        description="The take's file is copied into the project you pick, as a new take of the shot."
        footer={
          <>
            <button type="button" className="button" onClick={p.onClose}>
              Cancel
            </button>
            <button type="button" className="button button-primary" disabled={!shotId || busy} onClick={() => void send()}>
              {busy ? 'Sending…' : shotNumber ? `Send to shot ${shotNumber}` : 'Send'}
            </button>
          </>
        }
      >
        <div className="send-take">
          <div className="send-pic">
            {pic ? <img src={bridge.mediaUrl(pic.projectId, pic.relPath, pic.version)} alt="" draggable={false} /> : <span className="send-pic-text">{text.prompt}</span>}
          </div>
          <div className="send-take-text">
            <div>
              <strong>{text.shot}</strong> · {text.project}
            </div>
            <div className="send-prompt">{text.prompt}</div>
          </div>
        </div>
        <div className="form send-form">
          <label className="field">
            <span className="field-label">Project</span>
            <select className="input" value={targetId} onChange={(e) => setTargetId(e.target.value)} aria-label="Project">
              {projects.length === 0 ? <option value={p.projectId}>This project</option> : null}
              {projects.map((pr) => (
                <option key={pr.projectId} value={pr.projectId}>
                  {pr.settings.name}
                  {pr.projectId === p.projectId ? ' (this project)' : ''}
                </option>
              ))}
            </select>
            <span className="field-help">Only open projects can receive takes.</span>
          </label>
          <label className="field">
            <span className="field-label">Shot</span>
            <select className="input" value={shotId ?? ''} onChange={(e) => setShotId(e.target.value || null)} aria-label="Shot" disabled={!target.data || groups.every((g) => g.shots.length === 0)}>
              {!target.data ? <option value="">Loading the shots…</option> : null}
              {target.data && groups.every((g) => g.shots.length === 0) ? <option value="">This project has no shots yet</option> : null}
              {groups
                .filter((g) => g.shots.length)
                .map((g) => (
                  <optgroup key={g.sceneLabel} label={g.sceneLabel}>
                    {g.shots.map((s) => (
                      <option key={s.shotId} value={s.shotId}>
                        {s.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
            </select>
          </label>
          {target.error ? <ErrorNotice error={target.error} title="Could not read that project" /> : null}
          {error ? <ErrorNotice error={error} title="Could not send the take" /> : null}
        </div>
      </Dialog>
    </KeepKeys>
  );
}
