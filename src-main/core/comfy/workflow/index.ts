/**
 * ComfyUI workflows: API-format graphs (`graph.ts`), reading files (`workflowFile.ts`), the built-ins in
 * `resources/workflows/` (`builtins.ts`), parameter binding by structure (`binder.ts`) with mapping files
 * (`mapping.ts`), and model presets with family detection (`presets.ts`). See README.md in this folder.
 */
export * from './binder.ts';
export * from './builtins.ts';
export * from './graph.ts';
export * from './mapping.ts';
export * from './params.ts';
export * from './presets.ts';
export * from './workflowFile.ts';
export * from './adapters.ts';
export * from './img2img.ts';
