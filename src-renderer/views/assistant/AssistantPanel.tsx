/**
 * The shot assistant panel (a dialog, opened from a scene header's "Propose shots"): when the assistant is not set
 * up, a small settings form (base URL, model, API key -> `assistant.configure`; "Test" -> `assistant.test`); else it
 * asks `assistant.proposeShots` for the scene and shows the proposed shots as editable rows (size, angle, move,
 * lens, description) with an accept toggle each. "Add N shots" sends only the accepted, edited rows to
 * `assistant.applyShots` (one undoable step). A refusal shows the core's message and hint and says that nothing
 * was added: a reply that does not fit the schema is never half-applied.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { CAMERA_ANGLES, CAMERA_MOVES, SHOT_SIZES, type AssistantSettings, type ProjectSnapshot } from '../../../src-preload/model';
import { useBridge } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { projectKey, useProject, useProjectActions } from '../../data/project';
import { errorInfo } from '../../lib/errors';
import { useUi } from '../../state/ui';
import { CAMERA_ANGLE_LABELS, CAMERA_MOVE_LABELS, SHOT_SIZE_LABELS } from '../inspector/common';
import { AssistantIcon } from '../takes/icons';
import { KeepKeys } from '../takes/KeepKeys';
import { acceptedShots, configureArgs, needsSetup, rowsFromProposal, settingsDraft, type ProposalRow, type SettingsDraft } from './assistantModel';
import { useAssistantPanel } from './store';
import './assistant.css';

/** What the panel shows. */
type Phase =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'proposing'; model: string }
  | { kind: 'proposal'; model: string; structured: boolean }
  | { kind: 'failed'; error: unknown; during: 'propose' | 'apply' | 'settings' };

/** Mounts the panel for the workspace of `projectId` (open while the store names a scene). */
export function AssistantPanelHost({ projectId }: { projectId: string }) {
  const sceneId = useAssistantPanel((s) => s.sceneId);
  const project = useProject(projectId);
  if (!sceneId || !project.data) return null;
  return <AssistantPanel key={sceneId} projectId={projectId} sceneId={sceneId} snapshot={project.data} />;
}

function AssistantPanel({ projectId, sceneId, snapshot }: { projectId: string; sceneId: string; snapshot: ProjectSnapshot }) {
  const bridge = useBridge();
  const qc = useQueryClient();
  const projectActions = useProjectActions(projectId);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [settings, setSettings] = useState<AssistantSettings | null>(null);
  const [rows, setRows] = useState<ProposalRow[]>([]);
  const [answeredBy, setAnsweredBy] = useState<{ model: string; structured: boolean }>({ model: '', structured: true });
  const [applying, setApplying] = useState(false);
  const live = useRef(true);
  const scene = snapshot.scenes.find((s) => s.id === sceneId) ?? null;
  const close = () => useAssistantPanel.getState().close();

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const propose = async (model: string) => {
    setPhase({ kind: 'proposing', model });
    try {
      const p = await bridge.call('assistant.proposeShots', { projectId, sceneId });
      if (!live.current) return;
      setRows(rowsFromProposal(p));
      setAnsweredBy({ model: p.model, structured: p.structured });
      setPhase({ kind: 'proposal', model: p.model, structured: p.structured });
    } catch (err) {
      if (live.current) setPhase({ kind: 'failed', error: err, during: 'propose' });
    }
  };

  // on opening: read the settings; propose at once when the assistant is set up
  useEffect(() => {
    bridge.call('assistant.get', {}).then(
      (s) => {
        if (!live.current) return;
        setSettings(s);
        if (needsSetup(s)) setPhase({ kind: 'setup' });
        else void propose(s.model);
      },
      (err: unknown) => live.current && setPhase({ kind: 'failed', error: err, during: 'settings' }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const apply = async () => {
    const { shots, problems } = acceptedShots(rows);
    if (problems.length || shots.length === 0) return;
    setApplying(true);
    try {
      const { shotIds } = await bridge.call('assistant.applyShots', { projectId, sceneId, shots });
      await qc.invalidateQueries({ queryKey: projectKey(projectId) });
      if (shotIds.length) useUi.getState().setSelection({ ids: shotIds, anchorId: shotIds[0], focusId: shotIds[0] });
      useUi.getState().toast({
        kind: 'success',
        message: `Added ${shotIds.length} shot${shotIds.length === 1 ? '' : 's'} to scene ${scene?.number ?? ''}.`,
        action: { label: 'Undo', run: () => void projectActions.undo() },
        timeoutMs: 8000,
      });
      close();
    } catch (err) {
      if (live.current) setPhase({ kind: 'failed', error: err, during: 'apply' });
    } finally {
      if (live.current) setApplying(false);
    }
  };

  const { shots: accepted, problems } = acceptedShots(rows);
  const title = `Propose shots · scene ${scene?.number ?? ''}`;

  let body: React.ReactNode;
  let footer: React.ReactNode;
  if (phase.kind === 'loading') {
    body = (
      <div className="assist-wait">
        <span className="spinner" aria-hidden="true" /> Reading the assistant's settings…
      </div>
    );
  } else if (phase.kind === 'setup' && settings) {
    return (
      <KeepKeys>
        <SetupDialog
          title={title}
          settings={settings}
          onClose={close}
          onSaved={(s) => {
            setSettings(s);
            void propose(s.model);
          }}
        />
      </KeepKeys>
    );
  } else if (phase.kind === 'proposing') {
    body = (
      <div className="assist-wait" role="status">
        <span className="spinner" aria-hidden="true" /> Asking {phase.model} for a shot breakdown of scene {scene?.number}… A local model can take a minute.
      </div>
    );
    footer = (
      <button type="button" className="button" onClick={close}>
        Cancel
      </button>
    );
  } else if (phase.kind === 'failed') {
    body = (
      <div className="assist-failed">
        <ErrorNotice error={phase.error} title={phase.during === 'apply' ? 'Could not add the shots' : phase.during === 'propose' ? 'The assistant could not propose shots' : 'Could not read the assistant\'s settings'} />
        {phase.during !== 'settings' && !saysNothingApplied(phase.error) ? <p className="assist-nothing">Nothing was added to the scene.</p> : null}
      </div>
    );
    footer = (
      <>
        <button type="button" className="button button-ghost assist-settings-link" onClick={() => setPhase({ kind: 'setup' })} disabled={!settings}>
          Assistant settings…
        </button>
        <span className="assist-gap" />
        <button type="button" className="button" onClick={close}>
          Close
        </button>
        {phase.during === 'apply' ? (
          <button type="button" className="button button-primary" onClick={() => setPhase({ kind: 'proposal', ...answeredBy })}>
            Back to the shots
          </button>
        ) : settings && !needsSetup(settings) ? (
          <button type="button" className="button button-primary" onClick={() => void propose(settings.model)}>
            Try again
          </button>
        ) : null}
      </>
    );
  } else if (phase.kind === 'proposal') {
    body = (
      <ProposalTable
        rows={rows}
        problems={problems}
        onChange={(i, patch) => setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)))}
        intro={
          rows.length === 0
            ? `${phase.model} proposed no shots for this scene.`
            : `${phase.model} proposed ${rows.length} shot${rows.length === 1 ? '' : 's'}. Edit them, untick the ones you do not want, then add them at the end of scene ${scene?.number ?? ''}.`
        }
      />
    );
    footer = (
      <>
        <button type="button" className="button button-ghost assist-settings-link" onClick={() => setPhase({ kind: 'setup' })}>
          Assistant settings…
        </button>
        <span className="assist-gap" />
        <button type="button" className="button" onClick={() => settings && void propose(settings.model)} disabled={applying}>
          Ask again
        </button>
        <button type="button" className="button button-primary" disabled={applying || accepted.length === 0 || problems.length > 0} onClick={() => void apply()}>
          {applying ? 'Adding…' : `Add ${accepted.length} shot${accepted.length === 1 ? '' : 's'}`}
        </button>
      </>
    );
  } else {
    body = null;
  }

  return (
    <KeepKeys>
      <Dialog open onOpenChange={(o) => !o && close()} title={title} widthPx={phase.kind === 'proposal' ? 1040 : 560} description={scene?.heading} footer={footer}>
        {body}
      </Dialog>
    </KeepKeys>
  );
}

/** Whether the core's own words already say that nothing was applied (assistant_invalid_reply does). */
function saysNothingApplied(err: unknown): boolean {
  const info = errorInfo(err);
  return /nothing was (applied|added)/i.test(`${info.message} ${info.hint ?? ''}`);
}

/** The accepted/rejected, editable rows of a proposal. */
function ProposalTable(p: { rows: ProposalRow[]; problems: Array<{ row: number; error: string }>; intro: string; onChange(index: number, patch: Partial<ProposalRow>): void }) {
  const problemOf = new Map(p.problems.map((x) => [x.row, x.error]));
  return (
    <div className="assist-proposal">
      <p className="assist-intro">{p.intro}</p>
      {p.rows.length ? (
        <div className="assist-rows" role="list" aria-label="Proposed shots">
          <div className="assist-row assist-row-head" aria-hidden="true">
            <span />
            <span>#</span>
            <span>Size</span>
            <span>Angle</span>
            <span>Move</span>
            <span>Lens</span>
            <span>Description</span>
          </div>
          {p.rows.map((r, i) => {
            const problem = problemOf.get(i + 1);
            const n = i + 1;
            return (
              <div key={r.key} className={`assist-row${r.accepted ? '' : ' is-rejected'}${problem ? ' has-error' : ''}`} role="listitem" aria-label={`Proposed shot ${n}`}>
                <label className="assist-accept" title={r.accepted ? 'Accepted: will be added (click to reject)' : 'Rejected: will not be added (click to accept)'}>
                  <input type="checkbox" checked={r.accepted} aria-label={`Accept shot ${n}`} onChange={(e) => p.onChange(i, { accepted: e.target.checked })} />
                  <span className="assist-accept-box" aria-hidden="true" />
                </label>
                <span className="assist-n tabular">{n}</span>
                <select className="input input-small" aria-label={`Shot ${n} size`} value={r.shotSize} title={SHOT_SIZE_LABELS[r.shotSize]} onChange={(e) => p.onChange(i, { shotSize: e.target.value as ProposalRow['shotSize'] })}>
                  {SHOT_SIZES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
                <select className="input input-small" aria-label={`Shot ${n} angle`} value={r.cameraAngle} onChange={(e) => p.onChange(i, { cameraAngle: e.target.value as ProposalRow['cameraAngle'] })}>
                  {CAMERA_ANGLES.map((a) => (
                    <option key={a} value={a}>
                      {CAMERA_ANGLE_LABELS[a] ?? a}
                    </option>
                  ))}
                </select>
                <select className="input input-small" aria-label={`Shot ${n} move`} value={r.cameraMove} onChange={(e) => p.onChange(i, { cameraMove: e.target.value as ProposalRow['cameraMove'] })}>
                  {CAMERA_MOVES.map((m) => (
                    <option key={m} value={m}>
                      {CAMERA_MOVE_LABELS[m] ?? m}
                    </option>
                  ))}
                </select>
                <div className="assist-lens">
                  <input className="input input-small" aria-label={`Shot ${n} lens`} value={r.lens} placeholder="—" inputMode="decimal" onChange={(e) => p.onChange(i, { lens: e.target.value })} />
                  <span className="assist-unit">mm</span>
                </div>
                <div className="assist-desc">
                  <textarea className="input input-small" rows={2} aria-label={`Shot ${n} description`} value={r.description} onChange={(e) => p.onChange(i, { description: e.target.value })} />
                  {r.dialogue.length ? (
                    <div className="assist-dialogue">
                      {r.dialogue.map((d, k) => (
                        <div key={k}>
                          <span className="assist-speaker">{d.character}</span> {d.text}
                        </div>
                      ))}
                    </div>
                  ) : null}
                  {problem ? <div className="field-error">{problem}</div> : null}
                </div>
              </div>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}

/** The assistant's settings: address, model, key; Test, and Save (which turns it on and proposes). */
function SetupDialog(p: { title: string; settings: AssistantSettings; onClose(): void; onSaved(settings: AssistantSettings): void }) {
  const bridge = useBridge();
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(p.settings));
  const [fieldError, setFieldError] = useState<{ field: 'baseUrl' | 'model'; error: string } | null>(null);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [tested, setTested] = useState<{ ok: true; model: string; latencyMs: number } | { ok: false; error: unknown } | null>(null);
  const set = (patch: Partial<SettingsDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setFieldError(null);
    setTested(null);
  };

  /** Saves the form; resolves with the new settings, or null when the form or the core refused. */
  const save = async (): Promise<AssistantSettings | null> => {
    const r = configureArgs(draft);
    if (!r.ok) {
      setFieldError({ field: r.field, error: r.error });
      return null;
    }
    try {
      const s = await bridge.call('assistant.configure', r.args);
      setDraft((d) => ({ ...d, apiKey: '', removeKey: false }));
      return s;
    } catch (err) {
      setTested({ ok: false, error: err });
      return null;
    }
  };

  const test = async () => {
    setBusy('test');
    setTested(null);
    try {
      if (!(await save())) return;
      const r = await bridge.call('assistant.test', {});
      setTested({ ok: true, model: r.model, latencyMs: r.latencyMs });
    } catch (err) {
      setTested({ ok: false, error: err });
    } finally {
      setBusy(null);
    }
  };

  const keyText =
    p.settings.keyStore === 'env'
      ? 'A key comes from STORYCANVAS_ASSISTANT_KEY.'
      : p.settings.hasKey
        ? `A key is kept ${p.settings.keyStore === 'keychain' ? "in the system's keychain" : 'for this session only'}. Type a new one to replace it.`
        : 'None needed for a server on this machine (Ollama, LM Studio).';

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && p.onClose()}
      title={p.title}
      widthPx={560}
      description="The assistant is an OpenAI-compatible chat server, such as Ollama or LM Studio on this machine. It proposes a shot list for the scene; nothing is added until you accept it."
      footer={
        <>
          <button type="button" className="button" onClick={() => void test()} disabled={busy !== null}>
            {busy === 'test' ? <span className="spinner" aria-hidden="true" /> : null} Test
          </button>
          <span className="assist-gap" />
          <button type="button" className="button" onClick={p.onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null}
            onClick={async () => {
              setBusy('save');
              const s = await save();
              setBusy(null);
              if (s) p.onSaved(s);
            }}
          >
            Save and propose shots
          </button>
        </>
      }
    >
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void test();
        }}
      >
        <label className="field">
          <span className="field-label">Server address</span>
          <input
            className={`input mono${fieldError?.field === 'baseUrl' ? ' has-error' : ''}`}
            value={draft.baseUrl}
            onChange={(e) => set({ baseUrl: e.target.value })}
            placeholder="http://127.0.0.1:11434/v1"
            aria-label="Assistant server address"
            spellCheck={false}
          />
          {fieldError?.field === 'baseUrl' ? <span className="field-error">{fieldError.error}</span> : <span className="field-help">The address of its OpenAI-compatible API, usually ending in /v1.</span>}
        </label>
        <label className="field">
          <span className="field-label">Model</span>
          <input
            className={`input mono${fieldError?.field === 'model' ? ' has-error' : ''}`}
            value={draft.model}
            onChange={(e) => set({ model: e.target.value })}
            placeholder="llama3.1:8b"
            aria-label="Assistant model"
            spellCheck={false}
          />
          {fieldError?.field === 'model' ? <span className="field-error">{fieldError.error}</span> : <span className="field-help">The name the server knows (ollama list; LM Studio's loaded model).</span>}
        </label>
        <label className="field">
          <span className="field-label">API key</span>
          <input
            className="input mono"
            type="password"
            autoComplete="off"
            value={draft.apiKey}
            onChange={(e) => set({ apiKey: e.target.value, removeKey: false })}
            placeholder={p.settings.hasKey ? '•••••••• (kept)' : 'Only for a hosted server'}
            aria-label="Assistant API key"
          />
          <span className="field-help">{keyText}</span>
          {p.settings.hasKey && p.settings.keyStore !== 'env' ? (
            <label className="assist-forget">
              <input type="checkbox" checked={draft.removeKey} onChange={(e) => set({ removeKey: e.target.checked, apiKey: '' })} /> Forget the stored key
            </label>
          ) : null}
        </label>
        {tested?.ok ? (
          <div className="assist-tested" role="status">
            <AssistantIcon /> Connected: {tested.model} answered in {Math.round(tested.latencyMs)} ms.
          </div>
        ) : tested ? (
          <ErrorNotice error={tested.error} title="The test failed" />
        ) : null}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
