/**
 * The inspector's Characters field: the characters of the selected shots as chips. A chip on only some of the
 * shots is dashed (a click on it gives it to all); × takes a character off every selected shot
 * (`character.detach`), the field adds one to all of them (`character.attach`), suggesting the script's and the
 * library's characters. A dot marks a character with nothing that keeps its look (no description, trigger words
 * or LoRA); the name opens it in the Character view.
 */
import { useMemo, useState } from 'react';
import { useCharacters, useLibraryActions } from '../../data/library';
import { sameName } from './characterForm';
import { openCharacter } from './store';
import './characters.css';

/** Props of CharacterChips: the selected shots with their characters. */
export interface CharacterChipsProps {
  projectId: string;
  shots: ReadonlyArray<{ id: string; characters: string[] }>;
}

/** The characters of the selected shots, with attach and detach. */
export function CharacterChips({ projectId, shots }: CharacterChipsProps) {
  const actions = useLibraryActions(projectId);
  const characters = useCharacters(projectId);
  const [adding, setAdding] = useState('');
  const listId = useMemo(() => `cast-${Math.random().toString(36).slice(2)}`, []);
  const ids = shots.map((s) => s.id);

  // every name on any selected shot, in first-seen order, with how many shots have it
  const present = useMemo(() => {
    const out: Array<{ name: string; count: number }> = [];
    for (const s of shots)
      for (const n of s.characters) {
        const hit = out.find((o) => sameName(o.name, n));
        if (hit) hit.count++;
        else out.push({ name: n, count: 1 });
      }
    return out;
  }, [shots]);
  const known = characters.data ?? [];
  const undescribed = (name: string) => {
    const c = known.find((k) => sameName(k.name, name));
    return !!c && !c.description.trim() && c.triggerWords.length === 0 && !c.lora;
  };

  const add = () => {
    const n = adding.trim();
    setAdding('');
    if (!n) return;
    const existing = known.find((k) => sameName(k.name, n));
    const name = existing?.name ?? n.toUpperCase();
    if (present.some((p) => sameName(p.name, name) && p.count === shots.length)) return;
    void actions.attach(name, ids);
  };

  return (
    <div className="chips cast-chips">
      {present.map(({ name, count }) => {
        const partial = count < shots.length;
        return (
          <span key={name} className={`chip cast-chip${partial ? ' is-partial' : ''}`} title={partial ? `In ${count} of the ${shots.length} shots: click to give it to all` : undefined}>
            {undescribed(name) ? <span className="cast-dot" title="Not described yet: its look may change from shot to shot" aria-label="not described" /> : null}
            <button
              type="button"
              className="cast-name"
              onClick={() => (partial ? void actions.attach(name, ids) : openCharacter(name))}
              title={partial ? undefined : `Open ${name} in the Character view`}
            >
              {name}
            </button>
            <button type="button" className="chip-remove" aria-label={`Remove ${name}`} onClick={() => void actions.detach(name, ids)}>
              ×
            </button>
          </span>
        );
      })}
      <datalist id={listId}>
        {known
          .filter((k) => !present.some((p) => sameName(p.name, k.name) && p.count === shots.length))
          .map((k) => (
            <option key={k.name} value={k.name} />
          ))}
      </datalist>
      <input
        className="chip-input"
        value={adding}
        list={listId}
        placeholder={shots.length > 1 ? 'Add to all…' : '+ Add'}
        aria-label="Add a character"
        onChange={(e) => setAdding(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
    </div>
  );
}
