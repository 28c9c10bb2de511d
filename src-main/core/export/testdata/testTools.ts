/**
 * Helpers shared by this folder's tests: golden-file comparison and xmllint.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder (`src-main/core/export/testdata`). */
export const TESTDATA_DIR = dirname(fileURLToPath(import.meta.url));

/** Path of an FCPXML DTD copy, e.g. `fcpxmlDtdPath('1.10')`. */
export function fcpxmlDtdPath(version: string): string {
  return join(TESTDATA_DIR, 'fcpxml-dtd', `FCPXMLv${version.replace('.', '_')}.dtd`);
}

/**
 * The golden file's text. With `UPDATE_GOLDEN=1` in the environment it first (re)writes the file from `actual`
 * (through a temp name and a rename), so a reviewed change of output is one command.
 * @throws Error when the golden file is missing and UPDATE_GOLDEN is not set.
 */
export function readGolden(name: string, actual: string): string {
  const path = join(TESTDATA_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(`${path}.tmp`, actual);
    renameSync(`${path}.tmp`, path);
  }
  if (!existsSync(path)) throw new Error(`golden file ${name} is missing: run the tests once with UPDATE_GOLDEN=1 and review it`);
  return readFileSync(path, 'utf8');
}

/**
 * Runs xmllint on `xml` (given on stdin) with `args` before the `-`.
 * @returns xmllint's stderr and exit status (0 = no error).
 */
export function xmllint(args: string[], xml: string): { status: number; stderr: string } {
  try {
    execFileSync('xmllint', [...args, '-'], { input: xml, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    return { status: 0, stderr: '' };
  } catch (error) {
    const e = error as { status?: number; stderr?: Buffer | string };
    return { status: e.status ?? -1, stderr: String(e.stderr ?? error) };
  }
}
