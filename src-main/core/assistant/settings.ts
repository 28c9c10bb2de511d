/**
 * The shot assistant's settings file, `<configDir>/assistant.json`: `{"version": 1, "baseUrl", "model", "enabled",
 * "timeoutMs"}`. It never holds the API key (see secrets.ts). Written to a temporary file in the same folder and
 * renamed into place; a file that does not match the schema is reported, never overwritten silently.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';

/** The settings file's name inside the config folder. */
export const ASSISTANT_FILE = 'assistant.json';
/** How long a reply may take by default: local models on a laptop are slow. */
export const DEFAULT_ASSISTANT_TIMEOUT_MS = 120_000;
/** The default endpoint: a local Ollama server's OpenAI-compatible API. */
export const DEFAULT_ASSISTANT_URL = 'http://127.0.0.1:11434/v1';

/** The file's schema. Unknown keys (an API key someone put there by hand) are refused. */
export const AssistantFile = z.strictObject({
  version: z.literal(1),
  baseUrl: z.string().url(),
  model: z.string(),
  enabled: z.boolean(),
  timeoutMs: z.number().int().min(1000).max(600_000),
});
export type AssistantFile = z.infer<typeof AssistantFile>;

/** The settings before any configuration: off, Ollama's default address, no model. */
export const DEFAULT_ASSISTANT_FILE: AssistantFile = { version: 1, baseUrl: DEFAULT_ASSISTANT_URL, model: '', enabled: false, timeoutMs: DEFAULT_ASSISTANT_TIMEOUT_MS };

/**
 * Reads the settings (the defaults when there is no file).
 * @throws AppError `assistant_settings_unreadable` naming the file and the problem.
 */
export function readAssistantFile(configDir: string): AssistantFile {
  const file = join(configDir, ASSISTANT_FILE);
  if (!existsSync(file)) return { ...DEFAULT_ASSISTANT_FILE };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError('assistant_settings_unreadable', `${file} is not JSON (${(err as Error).message}).`, 'Fix or delete the file, then configure the assistant again.');
  }
  const parsed = AssistantFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'assistant_settings_unreadable',
      `${file} is not a StoryCanvas assistant settings file: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}.`,
      'Fix or delete the file, then configure the assistant again (keys are never kept in it).',
    );
  }
  return parsed.data;
}

/** Writes the settings (temporary file, then rename; mode 0600). */
export function writeAssistantFile(configDir: string, settings: AssistantFile): void {
  const parsed = AssistantFile.parse(settings);
  mkdirSync(configDir, { recursive: true });
  const file = join(configDir, ASSISTANT_FILE);
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, `${JSON.stringify(parsed, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new AppError('cannot_write', `${file} could not be written: ${(err as Error).message}.`, `Check that ${configDir} is writable.`);
  }
}
