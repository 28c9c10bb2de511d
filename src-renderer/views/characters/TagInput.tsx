/**
 * Words as chips with a text field: Enter or a comma adds what was typed (a pasted list is split at commas),
 * Backspace in the empty field removes the last chip, × removes one.
 */
import { useState } from 'react';
import { parseTriggerWords } from './characterForm';

/** Props of TagInput. */
export interface TagInputProps {
  words: string[];
  onChange(words: string[]): void;
  ariaLabel: string;
  placeholder?: string;
  invalid?: boolean;
}

/** Chips with an input that adds words. */
export function TagInput(p: TagInputProps) {
  const [text, setText] = useState('');
  const flush = (t: string) => {
    const added = parseTriggerWords(t, p.words);
    setText('');
    if (added.length) p.onChange([...p.words, ...added]);
  };
  return (
    <div className={`tag-input${p.invalid ? ' has-error' : ''}`}>
      {p.words.map((w, i) => (
        <span key={`${w}-${i}`} className="chip chip-trigger">
          {w}
          <button type="button" className="chip-remove" aria-label={`Remove ${w}`} onClick={() => p.onChange(p.words.filter((_, k) => k !== i))}>
            ×
          </button>
        </span>
      ))}
      <input
        className="tag-input-field"
        value={text}
        aria-label={p.ariaLabel}
        placeholder={p.words.length ? '' : p.placeholder}
        onChange={(e) => {
          const v = e.target.value;
          if (v.includes(',')) flush(v);
          else setText(v);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            flush(text);
          } else if (e.key === 'Backspace' && text === '' && p.words.length) {
            p.onChange(p.words.slice(0, -1));
          }
        }}
        onBlur={() => flush(text)}
      />
    </div>
  );
}
