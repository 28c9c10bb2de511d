/**
 * The presentation's caption line: shot number · scene heading · the shot's dialogue, as one line a room reads
 * at a glance. Pure TypeScript.
 */
import type { DialogueLine } from '../../../src-preload/model';

/** The parts of the caption; `dialogue` is empty for a shot without lines. */
export interface Caption {
  shotNumber: string;
  sceneHeading: string;
  /** One `CHARACTER: text` per speech, in order. */
  dialogue: string[];
}

/**
 * The caption of a shot: its number, its scene's slugline, and its dialogue as `CHARACTER: text` per speech (a
 * parenthetical goes in brackets before the text; line breaks inside a speech become spaces).
 */
export function captionOf(shot: { number: string; dialogue: ReadonlyArray<DialogueLine> }, scene: { heading: string }): Caption {
  const dialogue = shot.dialogue
    .map((l) => {
      const text = l.text.replace(/\s*\n\s*/g, ' ').trim();
      const paren = l.parenthetical ? `(${l.parenthetical.replace(/^\(|\)$/g, '').trim()}) ` : '';
      return `${l.character}: ${paren}${text}`;
    });
  return { shotNumber: shot.number, sceneHeading: scene.heading, dialogue };
}

/** The caption as one plain line: `1A · EXT. PARK - DAY · BOB: Hi hello. / DOG: Yip!` */
export function captionText(c: Caption): string {
  return [c.shotNumber, c.sceneHeading, c.dialogue.join(' / ')].filter((s) => s !== '').join(' · ');
}
