/**
 * The workflows StoryCanvas ships in `resources/workflows/`: for each id an API-format graph
 * `<id>.api.json` and its description `<id>.meta.json` (`{id, name, description, kind, family, requires:
 * {nodeTypes}}`). The shell passes the folder (in a packaged app `<resources>/resources/workflows`, see
 * electron-builder.yml; in development `resources/workflows` of the repository).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { analyzeWorkflow } from './binder.ts';
import type { WorkflowGraph } from './graph.ts';
import type { WorkflowMapping } from './mapping.ts';
import { ModelFamilySchema } from './presets.ts';
import { loadWorkflowFile } from './workflowFile.ts';

/** The built-in workflow ids. */
export const BUILTIN_WORKFLOW_IDS = ['sd15_txt2img', 'sdxl_txt2img', 'sdxl_refiner_txt2img', 'flux_dev_txt2img', 'wan22_i2v', 'model_free_probe'] as const;

/** `<id>.meta.json`. `family` is `none` for workflows without a model (the health-check probe). */
export const WorkflowMetaSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/),
  name: z.string().min(1),
  description: z.string().min(1),
  kind: z.enum(['image', 'video']),
  family: z.union([ModelFamilySchema, z.literal('none')]),
  requires: z.strictObject({ nodeTypes: z.array(z.string().min(1)).min(1) }),
});
/** See {@link WorkflowMetaSchema}. */
export type WorkflowMeta = z.infer<typeof WorkflowMetaSchema>;

/** One built-in workflow, read and checked. */
export interface BuiltinWorkflow {
  meta: WorkflowMeta;
  graph: WorkflowGraph;
  hash: string;
  mapping: WorkflowMapping | null;
}

/**
 * Reads every `<id>.meta.json` in `dir` with its `<id>.api.json`, sorted by id. Each meta must match the
 * schema, carry its file's id, and list exactly the node classes the graph uses.
 * @throws AppError `invalid_workflow` naming the file and the mismatch (a packaging error, not a user's).
 */
export async function loadBuiltinWorkflows(dir: string): Promise<BuiltinWorkflow[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.meta.json')).sort();
  const result: BuiltinWorkflow[] = [];
  for (const file of files) {
    const id = file.slice(0, -'.meta.json'.length);
    const parsed = WorkflowMetaSchema.safeParse(JSON.parse(await readFile(join(dir, file), 'utf8')));
    if (!parsed.success)
      throw new AppError('invalid_workflow', `${file} is not a valid workflow description: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
    const meta = parsed.data;
    if (meta.id !== id) throw new AppError('invalid_workflow', `${file} says its id is ${meta.id}; it must be ${id}.`);
    const loaded = await loadWorkflowFile(join(dir, `${id}.api.json`));
    const nodeTypes = analyzeWorkflow(loaded.graph, loaded.mapping, id).requires.nodeTypes;
    const listed = [...meta.requires.nodeTypes].sort();
    if (listed.join() !== nodeTypes.join())
      throw new AppError('invalid_workflow', `${file} lists node types ${listed.join(', ')}, but ${id}.api.json uses ${nodeTypes.join(', ')}.`);
    result.push({ meta, graph: loaded.graph, hash: loaded.hash, mapping: loaded.mapping });
  }
  return result;
}
