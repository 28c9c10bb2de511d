/**
 * The shot inspector (right panel). One shot: every field. Several: the fields they share, "Mixed" where they
 * differ, and each edit goes to all of them in ONE `shot.update` (one undo step). Characters are attached and
 * detached with the library's methods (characters/CharacterChips.tsx); the Prompt section (PromptSection.tsx)
 * shows the composed prompt live, with the shot's template, additions, pinned prompt and seed lock.
 */
import { useMemo, useRef, useState } from 'react';
import { CAMERA_ANGLES, CAMERA_MOVES, SHOT_SIZES, type DialogueLine, type ProjectSnapshot, type Take } from '../../../src-preload/model';
import type { ShotPatch } from '../../../src-preload/contract';
import { useBridge } from '../../bridge';
import { ImageIcon, TrashIcon } from '../../components/icons';
import type { ProjectActions } from '../../data/project';
import { dispatchCommand } from '../../lib/commands';
import { formatSeconds, formatTimecode, parseDuration } from '../../lib/duration';
import { useUi } from '../../state/ui';
import { CharacterChips } from '../characters/CharacterChips';
import { EnhanceSelectedButton } from '../enhance/EnhanceSelected';
import { TakeCell } from '../enhance/TakeMenu';
import { openTakeCompare } from '../takes/store';
import { TakeTriageMarks } from '../takes/TakeTriageMarks';
import { takePicture } from '../timeline/media';
import { CAMERA_ANGLE_LABELS, CAMERA_MOVE_LABELS, SHOT_SIZE_LABELS, commonValue, parseLensMm } from './common';
import { CommitField, Field, Segmented } from './fields';
import { PromptSection } from './PromptSection';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];
type Scene = ProjectSnapshot['scenes'][number];

/** Props of Inspector: the snapshot being shown and the edits to call. */
export interface InspectorProps {
  snapshot: ProjectSnapshot;
  actions: ProjectActions;
  projectId: string;
}

/** The right-hand panel for the selected shots (the empty state lists the shortcuts). */
export function Inspector({ snapshot, actions, projectId }: InspectorProps) {
  const selectedIds = useUi((s) => s.selection.ids);
  const focusId = useUi((s) => s.selection.focusId);
  const { shots, scenesOf } = useMemo(() => {
    const want = new Set(selectedIds);
    const found: Shot[] = [];
    const scenes = new Map<string, Scene>();
    for (const scene of snapshot.scenes)
      for (const shot of scene.shots)
        if (want.has(shot.id)) {
          found.push(shot);
          scenes.set(shot.id, scene);
        }
    return { shots: found, scenesOf: scenes };
  }, [snapshot.scenes, selectedIds]);

  if (shots.length === 0) return <InspectorEmpty />;

  const ids = shots.map((s) => s.id);
  const single = shots.length === 1 ? shots[0] : null;
  const rate = snapshot.settings.frameRate;
  const update = (patch: ShotPatch) => void actions.updateShots(ids, patch);

  const duration = commonValue(shots, (s) => s.durationFrames);
  const size = commonValue(shots, (s) => s.shotSize);
  const angle = commonValue(shots, (s) => s.cameraAngle);
  const move = commonValue(shots, (s) => s.cameraMove);
  const lens = commonValue(shots, (s) => s.lensMm);
  const action = commonValue(shots, (s) => s.action);
  const notes = commonValue(shots, (s) => s.notes);
  const dialogue = commonValue(shots, (s) => s.dialogue);
  const sceneSet = new Set(shots.map((s) => s.sceneId));
  const focusScene = scenesOf.get(focusId ?? '') ?? scenesOf.get(shots[0].id)!;
  const totalFrames = shots.reduce((n, s) => n + s.durationFrames, 0);

  return (
    <aside className="inspector" aria-label="Shot inspector">
      <header className="insp-header">
        {single ? (
          <>
            <div className="insp-kicker">Shot</div>
            <div className="insp-title-row">
              <div className="insp-title">{single.number}</div>
              <div className="insp-title-aside tabular">{formatTimecode(single.durationFrames, rate)}</div>
            </div>
          </>
        ) : (
          <>
            <div className="insp-kicker">Selection</div>
            <div className="insp-title-row">
              <div className="insp-title">{shots.length} shots</div>
              <div className="insp-title-aside tabular">{formatSeconds(totalFrames, rate)} total</div>
            </div>
          </>
        )}
        <div className="insp-scene" title={sceneSet.size === 1 ? focusScene.heading : undefined}>
          {sceneSet.size === 1 ? (
            <>
              <span className="scene-number">{focusScene.number}</span> {focusScene.heading}
            </>
          ) : (
            `${sceneSet.size} scenes`
          )}
        </div>
      </header>

      <div className="insp-body">
        {single ? (
          <Field label="Number">
            <CommitField
              value={single.number}
              ariaLabel="Shot number"
              onCommit={(text) => {
                const t = text.trim();
                if (!t || t.length > 16) throw new Error('A shot number is 1 to 16 characters, like 12A.');
                void actions.updateShots([single.id], { number: t });
              }}
            />
          </Field>
        ) : null}

        <Field
          label="Duration"
          aside={!duration.mixed ? <span className="tabular">{`${formatSeconds(duration.value, rate)} · ${formatTimecode(duration.value, rate)}`}</span> : null}
        >
          <CommitField
            value={duration.mixed ? '' : `${duration.value}`}
            mixed={duration.mixed}
            placeholder="72, 3s, 2.5s or 00:00:03:00"
            inputMode="text"
            ariaLabel="Duration in frames, seconds or timecode"
            onCommit={(text) => {
              const frames = parseDuration(text, rate);
              update({ durationFrames: frames });
            }}
          />
          <div className="field-help">Frames, seconds (3s, 2.5s) or timecode. [ and ] trim by half a second.</div>
        </Field>

        <Field label="Shot size">
          <Segmented
            options={SHOT_SIZES}
            value={size.mixed ? null : size.value}
            mixed={size.mixed}
            titles={SHOT_SIZE_LABELS}
            columns={4}
            ariaLabel="Shot size"
            onChange={(v) => update({ shotSize: v })}
          />
          {size.mixed ? <div className="field-help">Mixed: a click sets all {shots.length} shots.</div> : null}
        </Field>

        <div className="insp-row">
          <Field label="Angle">
            <EnumSelect
              value={angle.mixed ? undefined : angle.value}
              options={CAMERA_ANGLES}
              labels={CAMERA_ANGLE_LABELS}
              ariaLabel="Camera angle"
              onChange={(v) => update({ cameraAngle: v as Shot['cameraAngle'] })}
            />
          </Field>
          <Field label="Move">
            <EnumSelect
              value={move.mixed ? undefined : move.value}
              options={CAMERA_MOVES}
              labels={CAMERA_MOVE_LABELS}
              ariaLabel="Camera move"
              onChange={(v) => update({ cameraMove: v as Shot['cameraMove'] })}
            />
          </Field>
        </div>

        <Field label="Lens">
          <div className="input-with-unit">
            <CommitField
              value={lens.mixed || lens.value === null ? '' : String(lens.value)}
              mixed={lens.mixed}
              placeholder="—"
              inputMode="decimal"
              ariaLabel="Lens focal length in millimetres"
              onCommit={(text) => update({ lensMm: parseLensMm(text) })}
            />
            <span className="unit">mm</span>
          </div>
        </Field>

        <Field label="Action">
          <CommitField
            multiline
            rows={4}
            value={action.mixed ? '' : action.value}
            mixed={action.mixed}
            placeholder="What we see"
            ariaLabel="Action"
            onCommit={(text) => update({ action: text })}
          />
        </Field>

        <Field label="Dialogue">
          <DialogueEditor
            lines={dialogue.mixed ? null : dialogue.value}
            count={shots.length}
            characterNames={snapshot.characters.map((c) => c.name)}
            onCommit={(lines) => update({ dialogue: lines })}
          />
        </Field>

        <Field label="Characters">
          <CharacterChips projectId={projectId} shots={shots} />
        </Field>

        <Field label="Notes">
          <CommitField
            multiline
            rows={3}
            value={notes.mixed ? '' : notes.value}
            mixed={notes.mixed}
            placeholder="For the editor, the artist, yourself"
            ariaLabel="Notes"
            onCommit={(text) => update({ notes: text })}
          />
        </Field>

        <PromptSection projectId={projectId} snapshot={snapshot} shots={shots} scene={focusScene} />

        {single ? (
          <TakesPanel shot={single} takes={snapshot.takes.filter((t) => t.shotId === single.id)} actions={actions} projectId={projectId} />
        ) : (
          <Field label="Takes" aside={<EnhanceSelectedButton shotIds={ids} />}>
            <div className="field-help">Select one shot to see and import its takes.</div>
          </Field>
        )}

        <div className="insp-danger">
          <button className="button button-ghost button-danger" onClick={() => dispatchCommand('delete')} title="Delete (Del). Undo brings them back.">
            <TrashIcon /> Delete {shots.length === 1 ? 'shot' : `${shots.length} shots`}
          </button>
        </div>
      </div>
    </aside>
  );
}

function InspectorEmpty() {
  const rows: Array<[string, string]> = [
    ['Click', 'select a shot'],
    ['Shift+click', 'select a range'],
    ['Ctrl+click', 'add or remove one'],
    ['Ctrl+A', 'select all'],
    ['Esc', 'select none'],
    ['← →', 'step through shots'],
    ['Alt+← →', 'move the selected shots'],
    ['[ ]', 'shorter / longer by ½ s'],
    ['N', 'new shot after the selection'],
    ['Del', 'delete (undoable)'],
    ['T', 'compare the takes of the shot'],
    ['Ctrl+Z', 'undo'],
    ['Ctrl+Shift+Z', 'redo'],
    ['+ −', 'zoom'],
  ];
  return (
    <aside className="inspector" aria-label="Shot inspector">
      <header className="insp-header">
        <div className="insp-kicker">Inspector</div>
        <div className="insp-title insp-title-muted">No shot selected</div>
      </header>
      <div className="insp-body">
        <p className="muted">Select a shot on the timeline to edit it. Drop images or clips on a card to add takes; drag its right edge to change its duration.</p>
        <dl className="shortcuts">
          {rows.map(([k, v]) => (
            <div key={k} className="shortcut">
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
    </aside>
  );
}

function EnumSelect(p: {
  value: string | null | undefined;
  options: ReadonlyArray<string>;
  labels: Record<string, string>;
  ariaLabel: string;
  onChange(v: string | null): void;
}) {
  const mixed = p.value === undefined;
  return (
    <select
      className="input"
      aria-label={p.ariaLabel}
      value={mixed ? '__mixed' : (p.value ?? '')}
      onChange={(e) => {
        if (e.target.value === '__mixed') return;
        p.onChange(e.target.value === '' ? null : e.target.value);
      }}
    >
      {mixed ? (
        <option value="__mixed" disabled>
          Mixed
        </option>
      ) : null}
      <option value="">—</option>
      {p.options.map((o) => (
        <option key={o} value={o}>
          {p.labels[o] ?? o}
        </option>
      ))}
    </select>
  );
}

/** Dialogue lines: character, parenthetical, text; add and remove. Saves when focus leaves the editor. */
function DialogueEditor(p: { lines: DialogueLine[] | null; count: number; characterNames: string[]; onCommit(lines: DialogueLine[]): void }) {
  const [draft, setDraft] = useState<DialogueLine[] | null>(null);
  const [replacingMixed, setReplacingMixed] = useState(false);
  const commitRef = useRef(p.onCommit);
  const rootRef = useRef<HTMLDivElement>(null);
  const listId = useMemo(() => `chars-${Math.random().toString(36).slice(2)}`, []);
  const lines = draft ?? p.lines ?? [];

  const begin = () => {
    if (draft === null) {
      commitRef.current = p.onCommit;
      setDraft(p.lines ?? []);
    }
  };
  const save = (next: DialogueLine[]) => {
    const clean = next
      .map((l) => ({ ...l, character: l.character.trim().toUpperCase(), parenthetical: l.parenthetical?.trim() || undefined }))
      .filter((l) => l.character !== '' || l.text.trim() !== '');
    const bad = clean.find((l) => l.character === '');
    if (bad) return; // keep editing until the line has a speaker
    const out = clean.map(({ parenthetical, ...rest }) => (parenthetical ? { ...rest, parenthetical } : rest));
    if (JSON.stringify(out) !== JSON.stringify(p.lines ?? [])) commitRef.current(out);
    setDraft(null);
    setReplacingMixed(false);
  };
  const setLine = (i: number, patch: Partial<DialogueLine>) => {
    const next = lines.map((l, k) => (k === i ? { ...l, ...patch } : l));
    setDraft(next);
  };

  if (p.lines === null && !replacingMixed) {
    return (
      <div className="dialogue-mixed">
        <span className="muted">Mixed: the {p.count} shots have different dialogue.</span>
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            commitRef.current = p.onCommit;
            setReplacingMixed(true);
            setDraft([]);
          }}
        >
          Replace for all
        </button>
      </div>
    );
  }

  return (
    <div
      ref={rootRef}
      className="dialogue-editor"
      onFocus={begin}
      onBlur={(e) => {
        if (!rootRef.current?.contains(e.relatedTarget as Node | null) && draft) save(draft);
      }}
    >
      <datalist id={listId}>
        {p.characterNames.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {lines.length === 0 ? <div className="field-help">No dialogue.</div> : null}
      {lines.map((line, i) => (
        <div key={i} className="dialogue-line">
          <div className="dialogue-line-head">
            <input
              className="input input-small dialogue-character-input"
              value={line.character}
              list={listId}
              placeholder="CHARACTER"
              aria-label={`Line ${i + 1} character`}
              onChange={(e) => setLine(i, { character: e.target.value })}
            />
            <input
              className="input input-small"
              value={line.parenthetical ?? ''}
              placeholder="(parenthetical)"
              aria-label={`Line ${i + 1} parenthetical`}
              onChange={(e) => setLine(i, { parenthetical: e.target.value })}
            />
            <button
              type="button"
              className="icon-button icon-button-small"
              aria-label={`Remove line ${i + 1}`}
              title="Remove this line"
              onClick={() => {
                commitRef.current = draft ? commitRef.current : p.onCommit;
                save(lines.filter((_, k) => k !== i));
              }}
            >
              <TrashIcon />
            </button>
          </div>
          <textarea
            className="input input-small"
            rows={2}
            value={line.text}
            placeholder="Line"
            aria-label={`Line ${i + 1} text`}
            onChange={(e) => setLine(i, { text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                save(lines);
              }
            }}
          />
        </div>
      ))}
      <button
        type="button"
        className="button button-small button-ghost"
        onClick={() => {
          if (draft === null) commitRef.current = p.onCommit;
          setDraft([...lines, { character: lines[lines.length - 1]?.character ?? '', text: '' }]);
        }}
      >
        + Add line
      </button>
    </div>
  );
}

function TakesPanel(p: { shot: Shot; takes: Take[]; actions: ProjectActions; projectId: string }) {
  const bridge = useBridge();
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <Field
      label={`Takes${p.takes.length ? ` · ${p.takes.length}` : ''}`}
      aside={
        <span className="takes-aside">
          {p.takes.length ? (
            <button type="button" className="link-button" title="Compare the takes side by side or by flipping; star, reject, select (T)" onClick={() => openTakeCompare(p.shot.id)}>
              Compare
            </button>
          ) : null}
          <button type="button" className="link-button" onClick={() => fileRef.current?.click()}>
            Import…
          </button>
        </span>
      }
    >
      <input
        ref={fileRef}
        type="file"
        hidden
        multiple
        accept="image/png,image/jpeg,image/webp,video/*"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          void p.actions.importTakeFiles(p.shot.id, p.shot.number, files);
        }}
      />
      {p.takes.length === 0 ? (
        <button type="button" className="takes-empty" onClick={() => fileRef.current?.click()}>
          <ImageIcon />
          <span>No takes yet. Import images or clips, or drop them on the card.</span>
        </button>
      ) : (
        <div className="takes">
          {p.takes.map((t, i) => {
            const pic = takePicture(t);
            const on = p.shot.selectedTakeId === t.id;
            return (
              <TakeCell key={t.id} projectId={p.projectId} take={t} index={i + 1}>
                <button
                  type="button"
                  className={`take${on ? ' is-on' : ''}${t.rejected ? ' is-rejected' : ''}`}
                  aria-pressed={on}
                  title={`${t.originalName ?? `Take ${i + 1}`} · ${t.source} · ${t.widthPx}×${t.heightPx}${t.starred ? ' · starred' : ''}${t.rejected ? ' · rejected' : ''}${on ? ' (selected)' : ' (click to select)'}`}
                  onClick={() => !on && void p.actions.selectTake(t.id)}
                >
                  {pic ? <img src={bridge.mediaUrl(p.projectId, pic.relPath, pic.version)} alt="" draggable={false} loading="lazy" /> : <span className="take-video">clip</span>}
                  <span className="take-index">{i + 1}</span>
                  {t.kind === 'video' ? <span className="take-kind">▶</span> : null}
                  <TakeTriageMarks starred={t.starred === true} rejected={t.rejected === true} />
                </button>
              </TakeCell>
            );
          })}
        </div>
      )}
    </Field>
  );
}
