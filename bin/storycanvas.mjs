#!/usr/bin/env node
/**
 * The `storycanvas` command (package.json "bin"). Registers tsx so Node runs the TypeScript sources directly,
 * then hands argv to src-main/cli/index.ts, resolved relative to this file so it works from any working
 * directory and through `npx storycanvas`. Exit codes: 0 done, 1 a call failed, 2 bad usage.
 */
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../src-main/cli/index.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
