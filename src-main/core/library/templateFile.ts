/**
 * Style template files, so artists can share a look: JSON text
 * `{"storycanvas": "template", "version": 1, "name": …, "stylePrompt": …, "negativePrompt": …, "workflowId": …,
 * "presetId": …, "sampler": {…}, "loras": […]}` (schema: `TemplateFile` in src-preload/model.ts).
 *
 * A file carries what makes the look and nothing local to one machine: no id, use count, thumbnails or dates.
 * Parsing is strict (an unknown key is refused, naming it), so a typo in a hand-edited file is found, not ignored.
 */
import { z } from 'zod';
import { TEMPLATE_FILE_VERSION, TemplateFile, type StyleTemplate, type TemplateInput } from '../../../src-preload/model';
import { AppError } from '../errors';

/** The largest template file read (a template is well under 10 KB). */
export const MAX_TEMPLATE_FILE_BYTES = 1024 * 1024;

/**
 * Reads a template file's text into the fields of a new template.
 * @param text the file's contents (UTF-8, a byte order mark is allowed).
 * @param fileName for messages.
 * @throws AppError `invalid_template_file` (not JSON, not a template file, a field out of range; the message names
 *   the field), `template_too_new` (written by a newer StoryCanvas).
 */
export function parseTemplateFile(text: string, fileName: string): TemplateInput {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AppError('invalid_template_file', `${fileName} is not JSON: ${(err as Error).message}.`, 'Export the template again from StoryCanvas, or fix the file in a text editor.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as Record<string, unknown>).storycanvas !== 'template') {
    throw new AppError(
      'invalid_template_file',
      `${fileName} is not a StoryCanvas template file (it lacks "storycanvas": "template").`,
      'Import a file made with `Export template` (storycanvas templates export).',
    );
  }
  const version = (raw as Record<string, unknown>).version;
  if (typeof version === 'number' && Number.isInteger(version) && version > TEMPLATE_FILE_VERSION) {
    throw new AppError(
      'template_too_new',
      `${fileName} is a template file of version ${version}; this StoryCanvas reads up to version ${TEMPLATE_FILE_VERSION}.`,
      'Update StoryCanvas to import it.',
    );
  }
  const parsed = TemplateFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid_template_file', `${fileName} is not a valid template: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}.`, 'Fix the named field, or export the template again.');
  }
  const { storycanvas: _kind, version: _version, ...fields } = parsed.data;
  void _kind;
  void _version;
  return fields;
}

/** The file text of a template: the header, then its fields, 2-space indented, with a final newline. */
export function templateFileText(t: StyleTemplate): string {
  const file: TemplateFile = {
    storycanvas: 'template',
    version: TEMPLATE_FILE_VERSION,
    name: t.name,
    stylePrompt: t.stylePrompt,
    negativePrompt: t.negativePrompt,
    workflowId: t.workflowId,
    presetId: t.presetId,
    sampler: t.sampler,
    loras: t.loras,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
