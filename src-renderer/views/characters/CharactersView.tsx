/**
 * The Character view: the characters of this project's script (merged with the library by name, without case)
 * and the library's others, as cards (reference pictures, description, LoRA, trigger words, shots using them),
 * with the editor on the right (CharacterEditor.tsx). The library is shared by every project; a project can
 * override a character's fields for itself. Kept live by `library.changed` and `project.changed`.
 */
import { useEffect, useMemo } from 'react';
import type { CharacterView } from '../../../src-preload/model';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useProject } from '../../data/project';
import { useCharacters, useLibraryEvents } from '../../data/library';
import { PlusIcon } from '../../components/icons';
import { ViewHeader } from '../queue/ViewHeader';
import { CharacterEditor } from './CharacterEditor';
import { formatStrength, groupCharacters, initials, loraLabel, overriddenFields, sameName, usageText } from './characterForm';
import { RefThumb } from './ReferencePictures';
import { useCharacterView } from './store';
import './library.css';
import './characters.css';

/** The Character view of one open project. */
export function CharactersView({ projectId }: { projectId: string }) {
  useLibraryEvents(projectId);
  const characters = useCharacters(projectId);
  const project = useProject(projectId);
  const selection = useCharacterView((s) => s.selection);
  const select = useCharacterView((s) => s.select);
  const filter = useCharacterView((s) => s.filter);
  const setFilter = useCharacterView((s) => s.setFilter);
  const list = useMemo(() => characters.data ?? [], [characters.data]);
  const groups = useMemo(() => groupCharacters(list, filter), [list, filter]);

  // the editor starts on the first character (the script's first by name)
  useEffect(() => {
    if (selection.kind === 'none' && list.length > 0) select({ kind: 'character', name: (groups.script[0] ?? groups.library[0] ?? list[0]).name });
  }, [selection.kind, list, groups, select]);

  const selectedName = selection.kind === 'character' ? selection.name : null;
  const current = selectedName ? (list.find((c) => sameName(c.name, selectedName)) ?? null) : null;
  const scriptCount = list.filter((c) => c.fromScript).length;
  const libraryOnly = list.length - scriptCount;

  return (
    <div className="library-view characters-view">
      <ViewHeader
        projectId={projectId}
        title="Characters"
        subtitle={characters.data ? `${scriptCount} in the script · ${libraryOnly} more in the library` : undefined}
      >
        <input
          className="input characters-filter"
          type="search"
          value={filter}
          placeholder="Find a character"
          aria-label="Find a character"
          onChange={(e) => setFilter(e.target.value)}
        />
        <button className="button button-primary" onClick={() => select({ kind: 'new' })}>
          <PlusIcon /> New character
        </button>
      </ViewHeader>
      <div className="library-body">
        <div className="library-list">
          {characters.error ? <ErrorNotice error={characters.error} title="Could not list the characters" /> : null}
          {characters.isPending ? (
            <div className="boot">
              <span className="spinner" aria-hidden="true" /> Reading the characters…
            </div>
          ) : list.length === 0 ? (
            <div className="library-empty">
              <h2>No character yet</h2>
              <p>Import a screenplay to find its characters, or create one: a name, words that describe the look, a LoRA and reference pictures keep them the same from shot to shot.</p>
            </div>
          ) : (
            <>
              <CharacterGroup title="In this script" hint={project.data ? project.data.settings.name : undefined} items={groups.script} selectedName={selectedName} />
              <CharacterGroup title="Library" hint="shared by every project" items={groups.library} selectedName={selectedName} />
              {groups.script.length + groups.library.length === 0 ? <p className="muted">No character matches “{filter}”.</p> : null}
            </>
          )}
        </div>
        <CharacterEditor
          key={selection.kind === 'new' ? '__new__' : (current?.name.toLowerCase() ?? 'none')}
          projectId={projectId}
          character={current}
          isNew={selection.kind === 'new'}
          snapshot={project.data ?? null}
        />
      </div>
    </div>
  );
}

function CharacterGroup(p: { title: string; hint?: string; items: CharacterView[]; selectedName: string | null }) {
  if (p.items.length === 0) return null;
  return (
    <section className="character-group" aria-label={p.title}>
      <h2 className="character-group-title">
        {p.title} <span className="character-group-count">{p.items.length}</span>
        {p.hint ? <span className="character-group-hint">{p.hint}</span> : null}
      </h2>
      <div className="character-grid">
        {p.items.map((c) => (
          <CharacterCard key={c.name} character={c} on={!!p.selectedName && sameName(p.selectedName, c.name)} />
        ))}
      </div>
    </section>
  );
}

/** One character as a card: pictures (or initials), name and badges, description, LoRA and trigger words, usage. */
function CharacterCard({ character: c, on }: { character: CharacterView; on: boolean }) {
  const select = useCharacterView((s) => s.select);
  const overridden = overriddenFields(c);
  const first = c.referenceImages[0] ?? null;
  const words = c.triggerWords.slice(0, 3);
  const described = c.description.trim() !== '' || c.triggerWords.length > 0 || c.lora !== null;
  return (
    <button
      type="button"
      className={`character-card${on ? ' is-on' : ''}`}
      aria-pressed={on}
      aria-label={`Character ${c.name}`}
      data-character={c.name}
      onClick={() => select({ kind: 'character', name: c.name })}
    >
      <div className="character-pics">
        {first ? <RefThumb picture={first} /> : <span className="character-monogram" aria-hidden="true">{initials(c.name)}</span>}
        {c.referenceImages.length > 1 ? <span className="character-pics-more">+{c.referenceImages.length - 1}</span> : null}
      </div>
      <div className="character-card-body">
        <div className="character-card-head">
          <span className="character-card-name">{c.name}</span>
          {c.fromScript ? <span className="badge">Script</span> : null}
          {c.libraryId ? <span className="badge badge-accent">Library</span> : null}
          {overridden.length ? (
            <span className="badge badge-warn" title={`This project overrides ${overridden.length} field${overridden.length === 1 ? '' : 's'}`}>
              Override
            </span>
          ) : null}
        </div>
        <p className={`character-card-desc${c.description ? '' : ' is-empty'}`}>{c.description || (described ? 'No description.' : 'Not described yet: its look may change from shot to shot.')}</p>
        {c.lora || words.length ? (
          <div className="character-card-tags">
            {c.lora ? (
              <span className="chip chip-lora" title={`LoRA ${c.lora.name} at ${formatStrength(c.lora.strength)}`}>
                LoRA {loraLabel(c.lora.name)} <span className="chip-dim">{formatStrength(c.lora.strength)}</span>
              </span>
            ) : null}
            {words.map((w) => (
              <span key={w} className="chip chip-trigger">
                {w}
              </span>
            ))}
            {c.triggerWords.length > words.length ? <span className="chip-more">+{c.triggerWords.length - words.length}</span> : null}
          </div>
        ) : null}
        <div className="character-card-foot">
          <span>{c.fromScript || c.shots.length ? usageText(c.shots.length) : 'not in this project'}</span>
          {c.referenceImages.length ? (
            <span>
              {c.referenceImages.length} picture{c.referenceImages.length === 1 ? '' : 's'}
            </span>
          ) : null}
        </div>
      </div>
    </button>
  );
}
