import react from '@vitejs/plugin-react';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The renderer's Vite configuration, used twice: by electron.vite.config.ts for the Electron build, and
 * alone (`npm run build:renderer`) for web mode. Output: out/renderer.
 */
const here = dirname(fileURLToPath(import.meta.url));

export const rendererConfig: UserConfig = {
  root: resolve(here, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
  },
};

export default defineConfig(rendererConfig);
