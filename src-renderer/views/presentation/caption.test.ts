import { describe, expect, it } from 'vitest';
import { captionOf, captionText } from './caption';

describe('captionOf', () => {
  it('joins number, slugline and the dialogue of the shot', () => {
    const c = captionOf(
      { number: '1A', dialogue: [{ character: 'BOB', text: 'Hi\nhello.' }, { character: 'DOG', parenthetical: '(barking)', text: 'YIP YUP!' }] },
      { heading: 'EXT. PARK--DAY' },
    );
    expect(c).toEqual({ shotNumber: '1A', sceneHeading: 'EXT. PARK--DAY', dialogue: ['BOB: Hi hello.', 'DOG: (barking) YIP YUP!'] });
    expect(captionText(c)).toBe('1A · EXT. PARK--DAY · BOB: Hi hello. / DOG: (barking) YIP YUP!');
  });

  it('leaves the dialogue out of a silent shot', () => {
    const c = captionOf({ number: '2C', dialogue: [] }, { heading: 'INT. LAB - NIGHT' });
    expect(captionText(c)).toBe('2C · INT. LAB - NIGHT');
  });
});
