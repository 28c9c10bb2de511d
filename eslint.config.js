// The house's lines, enforced (ARCHITECTURE.md): the renderer cannot import src-main, electron or node:*;
// only src-main/ipc imports ipcMain; only the Electron entry, its helpers, ipc and the preload import electron;
// the core imports no shell (electron, web, ipc, cli) and no UI library.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads', 'url'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'bench/.work/**', '**/testdata/**'] },
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the main process only through the Bridge (src-renderer/bridge).' },
            { name: 'ws', message: 'The renderer cannot import main-process code; call the contract.' },
          ],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a sandboxed browser page: no Node modules.' },
            { group: ['**/src-main/**', '../src-main/*', 'better-sqlite3', 'onnxruntime-node', 'sharp', 'fluent-ffmpeg'], message: 'The renderer cannot import main-process code; call the contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The core runs in web mode and the CLI too: no electron.' }],
          patterns: [
            { group: ['**/src-main/web/**', '**/src-main/ipc/**', '**/src-main/cli/**', '**/src-main/electron/**', '../../web/*', '../web/*', '../ipc/*', '../cli/*', '../../ipc/*', '../../cli/*'], message: 'The core knows nothing of its shells.' },
            { group: ['react', 'react-dom', '@tanstack/*', 'zustand', '**/src-renderer/**'], message: 'The core has no UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/ipc/**', 'src-main/index.ts', 'src-main/electron/**', 'src-main/core/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/index.ts, src-main/electron and src-main/ipc import electron.' }] }],
    },
  },
  {
    files: ['src-main/index.ts', 'src-main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'Only src-main/ipc touches ipcMain.' }] }],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    ignores: ['src-preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'contract.ts and model.ts are pure: the renderer imports them.' }],
          patterns: [{ group: nodeBuiltins, message: 'contract.ts and model.ts are pure: the renderer imports them.' }],
        },
      ],
    },
  },
);
