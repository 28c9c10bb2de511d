import { describe, expect, it } from 'vitest';
import { parseSlugline } from './slugline';

describe('parseSlugline', () => {
  it.each([
    ['INT. KITCHEN - NIGHT', 'INT', 'KITCHEN', 'NIGHT'],
    ['EXT. PARK--DAY', 'EXT', 'PARK', 'DAY'],
    ['INT./EXT. CAR - MOVING - NIGHT', 'INT/EXT', 'CAR - MOVING', 'NIGHT'],
    ['EXT./INT. CAR - DAY', 'INT/EXT', 'CAR', 'DAY'],
    ['I/E. PORCH \u2013 DUSK', 'INT/EXT', 'PORCH', 'DUSK'],
    ['INT/EXT BARN - MOMENTS LATER', 'INT/EXT', 'BARN', 'MOMENTS LATER'],
    ['EST. CITY SKYLINE - DAWN', 'EXT', 'CITY SKYLINE', 'DAWN'],
    ['int kitchen - night', 'INT', 'KITCHEN', 'NIGHT'],
    ['INT. HOUSE - KITCHEN', 'INT', 'HOUSE - KITCHEN', ''],
    ['INT. HOUSE - DAY - FLASHBACK', 'INT', 'HOUSE', 'DAY - FLASHBACK'],
    ['EXT. DAY CARE CENTER - FRONT', 'EXT', 'DAY CARE CENTER - FRONT', ''],
    ['INT. SEWER-SIZED PIPE', 'INT', 'SEWER-SIZED PIPE', ''],
    ['SNIPER SCOPE POV', null, 'SNIPER SCOPE POV', ''],
    ['INTERIOR OF THE WHALE', null, 'INTERIOR OF THE WHALE', ''],
  ])('%s', (heading, intExt, location, timeOfDay) => {
    expect(parseSlugline(heading)).toEqual({ intExt, location, timeOfDay });
  });
});
