/**
 * Entry of the enhancement worker when the app runs from sources (tsx, vitest): Node 20 cannot load worker.ts
 * by itself and a worker's `--import tsx` comes too late for its main module, so this plain module registers
 * tsx's loader in the worker thread first, then loads the TypeScript entry. Bundled builds never use it (they
 * run enhance-worker.js, see workerEntry.ts).
 */
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
