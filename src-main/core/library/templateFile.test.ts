import { describe, expect, it } from 'vitest';
import { parseTemplateFile } from './templateFile';

function errorOf(text: string): { code?: string; message?: string } {
  try {
    parseTemplateFile(text, 'shared.json');
  } catch (err) {
    return err as { code?: string; message?: string };
  }
  return {};
}

describe('template files', () => {
  it('reads a minimal file (a byte order mark allowed) into template fields', () => {
    expect(parseTemplateFile('\uFEFF{"storycanvas":"template","version":1,"name":"Sketch"}', 'a.json')).toEqual({ name: 'Sketch' });
  });

  it('refuses what is not JSON, not a template, too new, or has a bad field, naming it', () => {
    expect(errorOf('{"storycanvas": "template", ')).toMatchObject({ code: 'invalid_template_file', message: expect.stringMatching(/^shared\.json is not JSON: /) });
    expect(errorOf('[1,2]')).toMatchObject({ code: 'invalid_template_file', message: expect.stringMatching(/not a StoryCanvas template file/) });
    expect(errorOf('{"storycanvas":"preset","version":1,"name":"x"}')).toMatchObject({ code: 'invalid_template_file' });
    expect(errorOf('{"storycanvas":"template","version":2,"name":"x"}')).toMatchObject({ code: 'template_too_new', message: expect.stringMatching(/version 2; this StoryCanvas reads up to version 1/) });
    expect(errorOf('{"storycanvas":"template","version":1,"name":"x","sampler":{"cfg":"high"}}')).toMatchObject({ code: 'invalid_template_file', message: expect.stringMatching(/sampler\.cfg/) });
    expect(errorOf('{"storycanvas":"template","version":1,"name":"x","stylePromt":"typo"}')).toMatchObject({ code: 'invalid_template_file', message: expect.stringMatching(/stylePromt/) });
    expect(errorOf('{"storycanvas":"template","version":1}')).toMatchObject({ code: 'invalid_template_file', message: expect.stringMatching(/name/) });
  });
});
