/**
 * The presentation's caption line: shot number · scene heading · the shot's dialogue, as one line a room reads
 * at a glance. Pure TypeScript.
 */
import type { DialogueLine } from '../../../src-preload/model';

/** The parts of the caption; `dialogue` is '' for a shot without lines. */
export interface Caption {
  shotNumber: string;
  sceneHeading: string;
  dialogue: string;
}

/**
 * The caption of a shot: its number, its scene's slugline, and its dialogue as `CHARACTER: text` joined by
 * two spaces (a parenthetical goes in brackets before the text; line breaks inside a speech become spaces).
 */
export function captionOf(shot: { number: string; dialogue: ReadonlyArray<DialogueLine> }, scene: { heading: string }): Caption {
  const dialogue = shot.dialogue
    .map((l) => {
      const text = l.text.replace(/\s*\n\s*/g, ' ').trim();
      const paren = l.parenthetical ? `(${l.parenthetical.replace(/^\(|\)$/g, '').trim()}) ` : '';
      return `${l.character}: ${paren}${text}`;
    })
    .join('  ');
  return { shotNumber: shot.number, sceneHeading: scene.heading, dialogue };
}

/** The caption as one plain line: `1A · EXT. PARK - DAY · BOB: Hi hello.` */
export function captionText(c: Caption): string {
  return [c.shotNumber, c.sceneHeading, c.dialogue].filter((s) => s !== '').join(' · ');
}
