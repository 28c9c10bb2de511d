import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lines of ARCHITECTURE.md, checked on every test run with the project's ESLint rules
 * (eslint.config.js, `no-restricted-imports`).
 */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function errorsFor(code: string, filePath: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.filter((m) => m.severity === 2).map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'src-renderer/views/x.tsx', /no Node modules/],
    ["import { ipcRenderer } from 'electron';", 'src-renderer/views/x.tsx', /Bridge/],
    ["import { Core } from '../../src-main/core/Core';", 'src-renderer/views/x.tsx', /cannot import main-process code/],
    ["import { app } from 'electron';", 'src-main/core/x.ts', /no electron/],
    ["import { startWebServer } from '../web/server';", 'src-main/core/x.ts', /knows nothing of its shells/],
    ["import { ipcMain } from 'electron';", 'src-main/index.ts', /Only src-main\/ipc/],
    ["import { app } from 'electron';", 'src-main/web/x.ts', /Only src-main\/index.ts/],
    ["import { readFileSync } from 'node:fs';", 'src-preload/contract.ts', /pure/],
    ["import WebSocket from 'ws';", 'src-renderer/bridge/x.ts', /cannot import main-process code/],
  ])('refuses %s in %s', async (code, file, message) => {
    const errors = await errorsFor(code, file);
    expect(errors.join('\n')).toMatch(message);
  });

  it.each([
    ["import { ipcMain } from 'electron';", 'src-main/ipc/index.ts'],
    ["import { contextBridge } from 'electron';", 'src-preload/index.ts'],
    ["import { methods } from '../../src-preload/contract';", 'src-renderer/views/x.tsx'],
    ["import { createWebSocketBridge } from './ws';", 'src-renderer/bridge/index.ts'],
  ])('allows %s in %s', async (code, file) => {
    expect(await errorsFor(code, file)).toEqual([]);
  });

  it('the whole tree keeps the lines', async () => {
    const results = await eslint.lintFiles(['src-main', 'src-preload', 'src-renderer']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  }, 120_000);
});
