/**
 * The project's trash (a dialog): the takes moved there, most recently trashed first, each with Restore
 * (`take.restore`), and "Empty the trash…", which asks first, in its own dialog, that the files will be deleted for
 * good -> `take.trash.empty {confirm: true}`. Nothing else in the app deletes a take's file.
 */
import { useState } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useUi } from '../../state/ui';
import { takePicture } from '../timeline/media';
import { useTakeActions, useTrash } from './data';
import { RestoreIcon } from './icons';
import { KeepKeys } from './KeepKeys';
import { useTakeCompare } from './store';
import { trashRows } from './trashModel';

/** The trash panel of one project (open while the compare store's `trashOpen` is). */
export function TrashPanel({ projectId, snapshot }: { projectId: string; snapshot: ProjectSnapshot | undefined }) {
  const bridge = useBridge();
  const trash = useTrash(projectId);
  const actions = useTakeActions(projectId);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = () => useTakeCompare.getState().setTrashOpen(false);
  const rows = trashRows(trash.data ?? [], snapshot, Date.now());
  const n = rows.length;

  return (
    <KeepKeys>
      <Dialog
        open={!confirming}
        onOpenChange={(o) => (!o ? close() : undefined)}
        title="Trash"
        widthPx={620}
        description={
          n === 0
            ? 'Takes you move to the trash wait here until you restore them or empty the trash.'
            : `${n} take${n === 1 ? '' : 's'} in this project's trash. Their files stay on disk until you empty the trash.`
        }
        footer={
          <>
            <button type="button" className="button button-danger trash-empty-button" disabled={n === 0 || busy} onClick={() => setConfirming(true)}>
              Empty the trash…
            </button>
            <span className="trash-footer-gap" />
            {n > 1 ? (
              <button type="button" className="button" disabled={busy} onClick={() => void actions.restore(rows.map((r) => r.take.id))}>
                Restore all
              </button>
            ) : null}
            <button type="button" className="button button-primary" onClick={close}>
              Done
            </button>
          </>
        }
      >
        {trash.error ? <ErrorNotice error={trash.error} title="Could not read the trash" /> : null}
        {trash.isPending ? (
          <div className="trash-empty">
            <span className="spinner" aria-hidden="true" /> Reading the trash…
          </div>
        ) : n === 0 ? (
          <div className="trash-empty">The trash is empty.</div>
        ) : (
          <ul className="trash-list" aria-label="Takes in the trash">
            {rows.map((r) => {
              const pic = takePicture(r.take);
              return (
                <li key={r.take.id} className="trash-row" data-take-id={r.take.id}>
                  <div className="trash-thumb">
                    {pic ? <img src={bridge.mediaUrl(projectId, pic.relPath, pic.version)} alt="" draggable={false} loading="lazy" /> : <span>clip</span>}
                  </div>
                  <div className="trash-text">
                    <div className="trash-title">
                      <span className="trash-shot">{r.shotNumber ? `Shot ${r.shotNumber}` : 'Deleted shot'}</span> {r.title}
                    </div>
                    {r.prompt ? (
                      <div className="trash-prompt" title={r.prompt}>
                        {r.prompt}
                      </div>
                    ) : null}
                    <div className="trash-when">Trashed {r.trashedAgo}</div>
                  </div>
                  <button type="button" className="button button-small" aria-label={`Restore the take of shot ${r.shotNumber ?? ''}`.trim()} onClick={() => void actions.restore([r.take.id])}>
                    <RestoreIcon /> Restore
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </Dialog>
      <Dialog
        open={confirming}
        onOpenChange={(o) => !o && setConfirming(false)}
        title="Empty the trash?"
        widthPx={440}
        description={`${n} take${n === 1 ? '' : 's'} and ${n === 1 ? 'its file' : 'their files'} will be deleted for good. This cannot be undone.`}
        footer={
          <>
            <button type="button" className="button" onClick={() => setConfirming(false)} autoFocus>
              Keep them
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                const deleted = await actions.emptyTrash();
                setBusy(false);
                setConfirming(false);
                if (deleted !== null) useUi.getState().toast({ kind: 'success', message: `Deleted ${deleted} take${deleted === 1 ? '' : 's'} for good.`, timeoutMs: 5000 });
              }}
            >
              {busy ? 'Deleting…' : `Delete ${n === 1 ? 'it' : `${n} takes`} for good`}
            </button>
          </>
        }
      >
        <p className="trash-confirm-text">Takes still on the timeline are not touched. Files another take of the project still uses are kept.</p>
      </Dialog>
    </KeepKeys>
  );
}
