/**
 * A scene heading (slugline) split into interior/exterior, location and time of day.
 * Prefixes follow Fountain 1.1 (https://fountain.io/syntax#scene-headings): INT, EXT, EST, INT./EXT, INT/EXT, I/E,
 * plus EXT./INT and E/I, with or without the period.
 */

/** Interior, exterior, or both (a car moving past houses). */
export type IntExt = 'INT' | 'EXT' | 'INT/EXT';

/** The parts of a slugline. */
export interface SluglineParts {
  /** null when the heading has no INT/EXT prefix (a forced heading such as `.SNIPER SCOPE POV`). */
  intExt: IntExt | null;
  /** Upper case: `KITCHEN`, `HOUSE - KITCHEN`. */
  location: string;
  /** Upper case: `NIGHT`, `MOMENTS LATER`; '' when the heading names none. */
  timeOfDay: string;
}

const PREFIX = /^(?:(INT\.?\s*\/\s*EXT|EXT\.?\s*\/\s*INT|I\.?\s*\/\s*E|E\.?\s*\/\s*I)|(INT)|(EXT|EST))(?:\.\s*|\s+|$)/i;

/** Separators between location and time of day: ` - `, `--` (spaced or not), an en or em dash. */
const SEPARATOR = /\s+-\s+|\s*-{2,}\s*|\s*[\u2013\u2014]\s*/g;

/** A segment after a separator starts the time of day only when it names one; else it is part of the location. */
const TIME_WORDS =
  /(?<![\p{L}])(?:DAY|NIGHT|MORNING|AFTERNOON|EVENING|DAWN|DUSK|SUNRISE|SUNSET|TWILIGHT|NOON|MIDNIGHT|MIDDAY|NIGHTFALL|DAYBREAK|LATER|CONTINUOUS|SAME|MAGIC HOUR|GOLDEN HOUR)(?![\p{L}])/iu;

/**
 * Splits a heading: `EXT. PARK--DAY` -> {EXT, PARK, DAY}; `INT./EXT. CAR - MOVING - NIGHT` -> {INT/EXT,
 * CAR - MOVING, NIGHT}; `EST. CITY - DAWN` -> {EXT, CITY, DAWN} (an establishing shot is an exterior);
 * `INT. HOUSE - KITCHEN` -> {INT, HOUSE - KITCHEN, ''} (no segment names a time of day);
 * `INT. HOUSE - DAY - FLASHBACK` -> {INT, HOUSE, DAY - FLASHBACK}.
 * @param heading the slugline without the forcing period or the `#number#`.
 */
export function parseSlugline(heading: string): SluglineParts {
  let rest = heading.trim();
  let intExt: IntExt | null = null;
  const m = PREFIX.exec(rest);
  if (m) {
    intExt = m[1] ? 'INT/EXT' : m[2] ? 'INT' : 'EXT';
    rest = rest.slice(m[0].length);
  }
  let location = rest.trim();
  let timeOfDay = '';
  // The time of day starts at the first separator whose next segment names a time: `HOUSE - DAY - FLASHBACK`.
  const seps = [...rest.matchAll(SEPARATOR)].filter((s) => s.index !== undefined && s.index > 0);
  for (let i = 0; i < seps.length; i++) {
    const start = seps[i].index! + seps[i][0].length;
    const segment = rest.slice(start, seps[i + 1]?.index ?? rest.length);
    if (TIME_WORDS.test(segment)) {
      location = rest.slice(0, seps[i].index).trim();
      timeOfDay = rest.slice(start).trim();
      break;
    }
  }
  return { intExt, location: location.toUpperCase(), timeOfDay: timeOfDay.toUpperCase() };
}
