/**
 * The inspector's Prompt section: the shot's composed prompt, live (`prompt.compose`, recomposed whenever the
 * project, its characters, the template or the library change, and while the artist types additions), shown piece
 * by piece coloured by where each came from, with the negative prompt, LoRAs, consistency aids, notes and the token
 * window. The artist can add words, pin a hand-written prompt instead (the composed one stays, greyed, for
 * reference), choose the shot's own style template, and lock the shot's or the scene's seed.
 */
import { Fragment, useEffect, useRef, useState } from 'react';
import type { ProjectSnapshot } from '../../../src-preload/model';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useComposedPrompt, useLibraryActions, useLibraryEvents, useTemplates, type Composition } from '../../data/library';
import { LockIcon, PinIcon, UnlockIcon } from '../../components/icons';
import { showView } from '../queue/nav';
import { commonValue } from './common';
import { CommitField, Field } from './fields';
import { PART_LABELS, aidLabel, legendOf, loraText, parseSeedText, partText, pinDraftOf, seedSourceText, tokenNote } from './PromptParts';

type Shot = ProjectSnapshot['scenes'][number]['shots'][number];
type Scene = ProjectSnapshot['scenes'][number];

/** Props of PromptSection: the project and the selected shots (with the scene of the focused one). */
export interface PromptSectionProps {
  projectId: string;
  snapshot: ProjectSnapshot;
  shots: Shot[];
  scene: Scene;
}

/** How long typing in Additions waits before recomposing, in milliseconds. */
const ADDITIONS_DEBOUNCE_MS = 250;

/** The Prompt section of the inspector. */
export function PromptSection({ projectId, snapshot, shots, scene }: PromptSectionProps) {
  useLibraryEvents(projectId);
  const actions = useLibraryActions(projectId);
  const templates = useTemplates();
  const single = shots.length === 1 ? shots[0] : null;
  const ids = shots.map((s) => s.id);

  // live additions: what the artist is typing, recomposed after a pause
  const [typing, setTyping] = useState<string | null>(null);
  const [liveAdditions, setLiveAdditions] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (typing === null) {
      setLiveAdditions(undefined);
      return;
    }
    const t = setTimeout(() => setLiveAdditions(typing), ADDITIONS_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [typing]);
  // the next revision of the project has the saved additions: compose from the shot again
  useEffect(() => setTyping(null), [snapshot.revision]);
  const composition = useComposedPrompt(projectId, single?.id ?? null, snapshot.revision, liveAdditions);
  const [pinDraft, setPinDraft] = useState<string | null>(null);

  const templateId = commonValue(shots, (s) => s.templateId ?? null);
  const additions = commonValue(shots, (s) => s.promptAdditions ?? '');
  const seedLocked = commonValue(shots, (s) => !!s.seedLocked);
  const defaultId = snapshot.settings.defaultTemplateId ?? null;
  const templateList = templates.data ?? [];
  const defaultName = templateList.find((t) => t.id === defaultId)?.name ?? null;
  const c = composition.data;

  return (
    <section className="prompt-section" aria-label="Prompt">
      <Field label="Style template">
        <select
          className="input"
          aria-label="Style template of the shot"
          value={templateId.mixed ? '__mixed' : (templateId.value ?? '')}
          onChange={(e) => {
            if (e.target.value === '__mixed') return;
            void actions.setShotTemplate(ids, e.target.value || null);
          }}
        >
          {templateId.mixed ? (
            <option value="__mixed" disabled>
              Mixed
            </option>
          ) : null}
          <option value="">{defaultName ? `Project default: ${defaultName}` : 'Project default: none'}</option>
          {templateList.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {templateList.length === 0 && templates.data ? (
          <div className="field-help">
            No style template yet.{' '}
            <button type="button" className="link-button" onClick={() => showView('templates')}>
              Create one
            </button>
          </div>
        ) : null}
      </Field>

      {single ? (
        <Field label="Prompt" aside={c ? <TokenBadge c={c} /> : null}>
          {composition.error ? <ErrorNotice error={composition.error} title="Could not compose the prompt" /> : null}
          {!c ? (
            <div className="prompt-box prompt-loading">
              <span className="spinner" aria-hidden="true" /> Composing…
            </div>
          ) : (
            <>
              {c.pinned && pinDraft === null ? (
                <div className="prompt-pinned" aria-label="Pinned prompt">
                  <div className="prompt-pinned-head">
                    <span className="badge badge-pin">
                      <PinIcon /> Pinned
                    </span>
                    <span className="prompt-pinned-actions">
                      <button type="button" className="link-button" onClick={() => setPinDraft(pinDraftOf(c))}>
                        Edit
                      </button>
                      <button type="button" className="link-button" onClick={() => void actions.setShotPrompt(ids, { pinned: null })}>
                        Unpin
                      </button>
                    </span>
                  </div>
                  <div className="prompt-pinned-text">{c.prompt}</div>
                </div>
              ) : null}
              {pinDraft !== null ? (
                <div className="prompt-pin-editor">
                  <textarea
                    className="input"
                    rows={6}
                    value={pinDraft}
                    aria-label="Hand-written prompt"
                    autoFocus
                    onChange={(e) => setPinDraft(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        e.preventDefault();
                        e.stopPropagation();
                        setPinDraft(null);
                      }
                    }}
                  />
                  <div className="prompt-pin-buttons">
                    <button type="button" className="button button-small" onClick={() => setPinDraft(null)}>
                      Cancel
                    </button>
                    <button
                      type="button"
                      className="button button-small button-primary"
                      disabled={pinDraft.trim() === ''}
                      onClick={() => {
                        const text = pinDraft;
                        setPinDraft(null);
                        void actions.setShotPrompt(ids, { pinned: text });
                      }}
                    >
                      <PinIcon /> Pin this prompt
                    </button>
                  </div>
                </div>
              ) : null}
              <ComposedPrompt c={c} stale={composition.isPlaceholderData || composition.isFetching} />
              {!c.pinned && pinDraft === null ? (
                <button type="button" className="link-button prompt-pin-open" onClick={() => setPinDraft(pinDraftOf(c))}>
                  <PinIcon /> Pin a hand-written prompt
                </button>
              ) : null}
              <PromptDetails c={c} />
            </>
          )}
        </Field>
      ) : (
        <Field label="Prompt">
          <div className="field-help">Select one shot to see its composed prompt. Template, additions and seed lock below apply to all {shots.length}.</div>
        </Field>
      )}

      <Field label="Additions" aside={typing !== null && single ? <span className="muted">preview</span> : null}>
        <AdditionsField
          value={additions.mixed ? '' : additions.value}
          mixed={additions.mixed}
          onTyping={setTyping}
          onCommit={(text) => void actions.setShotPrompt(ids, { additions: text })}
        />
      </Field>

      <Field label="Seed">
        <div className="prompt-seed-row">
          <CommitField
            value={single ? String(single.seed ?? c?.lockedSeed?.seed ?? '') : ''}
            mixed={!single}
            placeholder={single ? 'Random' : 'Each shot its own'}
            inputMode="numeric"
            mono
            ariaLabel="Seed of the shot"
            disabled={!single}
            onCommit={(text) => {
              const seed = parseSeedText(text);
              void actions.setShotSeed(ids, seed === null ? false : !!single?.seedLocked, seed);
            }}
          />
          <button
            type="button"
            className={`button button-small seed-lock${!seedLocked.mixed && seedLocked.value ? ' is-on' : ''}`}
            aria-pressed={!seedLocked.mixed && seedLocked.value}
            title={!seedLocked.mixed && seedLocked.value ? 'Unlock: each take gets a new seed' : 'Lock: regenerating keeps this seed (and the composition)'}
            onClick={() => void actions.setShotSeed(ids, seedLocked.mixed ? true : !seedLocked.value)}
          >
            {!seedLocked.mixed && seedLocked.value ? <LockIcon /> : <UnlockIcon />}
            {!seedLocked.mixed && seedLocked.value ? 'Locked' : 'Lock seed'}
          </button>
        </div>
        {single && c ? <div className="field-help">{seedSourceText(c, !!single.seedLocked, !!scene.seedLocked)}</div> : null}
        {new Set(shots.map((s) => s.sceneId)).size === 1 ? (
          <label className="prompt-scene-lock">
            <input type="checkbox" checked={!!scene.seedLocked} onChange={(e) => void actions.setSceneSeed(scene.id, e.target.checked)} />
            <span title="Shots of the scene without a locked seed of their own derive theirs from the scene's">
              Lock scene {scene.number}’s seed{scene.seedLocked && scene.seed != null ? <span className="mono muted"> {scene.seed}</span> : null}
            </span>
          </label>
        ) : null}
      </Field>
    </section>
  );
}

/**
 * The artist's additions: saved on blur or Ctrl+Enter, reverted by Esc. While typing, `onTyping` reports the text
 * (the section recomposes it live); null once the field is left without a change (after a save, the section clears
 * it when the project's next revision arrives).
 */
function AdditionsField(p: { value: string; mixed: boolean; onTyping(text: string | null): void; onCommit(text: string): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  /** Set while Esc reverts, so the blur that follows does not save the abandoned text. */
  const reverting = useRef(false);
  const end = (save: boolean) => {
    if (reverting.current) return;
    // a saved change keeps its preview until the project's next revision brings it back composed
    if (save && draft !== null && draft.trim() !== p.value.trim()) p.onCommit(draft.trim());
    else p.onTyping(null);
    setDraft(null);
  };
  return (
    <textarea
      className="input"
      rows={2}
      value={draft ?? p.value}
      placeholder={p.mixed ? 'Mixed: typing here sets all' : 'Your own words, before the style: rain on the windows'}
      aria-label="Prompt additions"
      onChange={(e) => {
        setDraft(e.target.value);
        p.onTyping(e.target.value);
      }}
      onBlur={() => end(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          end(true);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          end(false);
          reverting.current = true;
          e.currentTarget.blur();
          reverting.current = false;
        }
      }}
    />
  );
}

function TokenBadge({ c }: { c: Composition }) {
  const note = tokenNote(c);
  return (
    <span className={`prompt-tokens${note.tone === 'warn' ? ' is-warn' : ''}`} title={note.text}>
      {c.tokenWindow === null ? `~${c.estimatedTokens} tok` : `${c.estimatedTokens}/${c.tokenWindow} tok`}
    </span>
  );
}

/** The composed prompt, part by part in its source's colour, with a legend; greyed while a pinned prompt wins. */
function ComposedPrompt({ c, stale }: { c: Composition; stale: boolean }) {
  const legend = legendOf(c.parts);
  return (
    <div className={`prompt-composed${c.pinned ? ' is-reference' : ''}${stale ? ' is-stale' : ''}`}>
      {c.pinned ? <div className="prompt-caption">Composed prompt, for reference (not sent while pinned)</div> : null}
      <div className="prompt-box" aria-label="Composed prompt" data-testid="composed-prompt">
        {c.parts.length === 0 ? (
          <span className="muted">Nothing to compose yet: give the shot an action, a size or characters.</span>
        ) : (
          c.parts.map((p, i) => (
            <Fragment key={i}>
              <span className={`prompt-part part-${p.source}`} title={PART_LABELS[p.source]} data-source={p.source}>
                {i < c.parts.length - 1 ? partText(p.text) : p.text}
              </span>
              {i < c.parts.length - 1 ? <span className="prompt-sep">, </span> : null}
            </Fragment>
          ))
        )}
      </div>
      {legend.length ? (
        <div className="prompt-legend" aria-hidden="true">
          {legend.map((s) => (
            <span key={s} className={`prompt-legend-item part-${s}`}>
              {PART_LABELS[s]}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** Negative prompt, LoRAs, consistency aids, template, notes and the token note. */
function PromptDetails({ c }: { c: Composition }) {
  const note = tokenNote(c);
  return (
    <dl className="prompt-details">
      <div>
        <dt>Template</dt>
        <dd>{c.template ? `${c.template.name}${c.template.from === 'shot' ? ' (this shot’s)' : ' (project default)'}` : <span className="muted">none</span>}</dd>
      </div>
      <div>
        <dt>Negative</dt>
        <dd className={c.negativePrompt ? 'prompt-negative' : 'muted'}>{c.negativePrompt || 'none'}</dd>
      </div>
      {c.loras.length ? (
        <div>
          <dt>LoRAs</dt>
          <dd className="prompt-chips">
            {c.loras.map((l) => (
              <span key={l.name} className="chip chip-lora" title={`${l.name}: model ${l.strengthModel}, clip ${l.strengthClip}`}>
                {loraText(l)}
              </span>
            ))}
          </dd>
        </div>
      ) : null}
      {c.consistencyAids.length ? (
        <div>
          <dt>Keeps</dt>
          <dd className="prompt-chips">
            {c.consistencyAids.map((a) => (
              <span key={a} className="chip chip-aid">
                {aidLabel(a)}
              </span>
            ))}
          </dd>
        </div>
      ) : null}
      {c.referenceImages.length ? (
        <div>
          <dt>Pictures</dt>
          <dd>
            {c.referenceImages.length} reference picture{c.referenceImages.length === 1 ? '' : 's'} ({[...new Set(c.referenceImages.map((r) => r.character))].join(', ')})
          </dd>
        </div>
      ) : null}
      <div>
        <dt>Tokens</dt>
        <dd className={note.tone === 'warn' ? 'prompt-warn' : undefined}>{note.text}</dd>
      </div>
      {c.notes.length ? (
        <ul className="prompt-notes">
          {c.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </dl>
  );
}
