/**
 * The workflows generation can use: the built-in ones of `resources/workflows/` (read once, see
 * `comfy/workflow/builtins.ts`) and API-format files an artist points to (`comfy/workflow/workflowFile.ts`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowInfo } from '../../../src-preload/contract';
import { loadBuiltinWorkflows, type BuiltinWorkflow } from '../comfy/workflow/builtins.ts';
import type { WorkflowGraph } from '../comfy/workflow/graph.ts';
import type { WorkflowMapping } from '../comfy/workflow/mapping.ts';
import type { ModelFamily } from '../comfy/workflow/presets.ts';
import { loadWorkflowFile } from '../comfy/workflow/workflowFile.ts';
import { AppError } from '../errors.ts';

/** A workflow ready to bind. */
export interface ResolvedWorkflow {
  /** Built-in id, or the file's name. */
  id: string;
  graph: WorkflowGraph;
  /** SHA-256 of the template (canonical JSON). */
  hash: string;
  mapping: WorkflowMapping | null;
  /** The model family the workflow is made for, when known. */
  family: ModelFamily | null;
}

/** The built-in workflow used for a model family when none is chosen. */
export const DEFAULT_WORKFLOW_FOR_FAMILY: Readonly<Partial<Record<ModelFamily, string>>> = {
  sd15: 'sd15_txt2img',
  sdxl: 'sdxl_txt2img',
  pony: 'sdxl_txt2img',
  illustrious: 'sdxl_txt2img',
  flux_dev: 'flux_dev_txt2img',
  flux_schnell: 'flux_dev_txt2img',
  flux_krea: 'flux_dev_txt2img',
  wan_2_2: 'wan22_i2v',
};

/** The workflow used when neither a workflow nor a preset says otherwise. */
export const FALLBACK_WORKFLOW_ID = 'sd15_txt2img';

/**
 * Where the built-in workflows are: `$STORYCANVAS_WORKFLOWS_DIR`, else `resources/workflows` found above this
 * module (development, tests, the CLI from the repository) or in Electron's resources folder (packaged app).
 * Returns null when none is found.
 */
export function defaultWorkflowsDir(): string | null {
  if (process.env.STORYCANVAS_WORKFLOWS_DIR) return resolve(process.env.STORYCANVAS_WORKFLOWS_DIR);
  const candidates: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    candidates.push(join(dir, 'resources', 'workflows'));
    dir = dirname(dir);
  }
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'resources', 'workflows'), join(resourcesPath, 'workflows'));
  return candidates.find((candidate) => existsSync(join(candidate, `${FALLBACK_WORKFLOW_ID}.api.json`))) ?? null;
}

/** The built-in workflows (loaded once) and workflow files. */
export class WorkflowCatalog {
  private builtins: Promise<BuiltinWorkflow[]> | null = null;

  /** @param dir the built-in workflows folder, or null when the app has none (only files can be used). */
  constructor(private readonly dir: string | null) {}

  private loadBuiltins(): Promise<BuiltinWorkflow[]> {
    if (!this.dir) return Promise.resolve([]);
    this.builtins ??= loadBuiltinWorkflows(this.dir).catch((error: unknown) => {
      this.builtins = null;
      throw error;
    });
    return this.builtins;
  }

  /** The built-in workflows, by id. @throws AppError `invalid_workflow` for a damaged installation. */
  async list(): Promise<WorkflowInfo[]> {
    return (await this.loadBuiltins()).map((w) => ({
      id: w.meta.id,
      name: w.meta.name,
      description: w.meta.description,
      kind: w.meta.kind,
      family: w.meta.family,
      nodeTypes: w.meta.requires.nodeTypes,
      builtin: true,
    }));
  }

  /**
   * A built-in workflow by id, or a workflow file by path.
   * @throws AppError `not_found` (unknown id, or no such file), `ui_workflow`, `invalid_workflow`, `invalid_mapping`.
   */
  async resolve(choice: { workflowId?: string; workflowPath?: string }): Promise<ResolvedWorkflow> {
    if (choice.workflowPath) {
      const loaded = await loadWorkflowFile(resolve(choice.workflowPath));
      return { id: loaded.name, graph: loaded.graph, hash: loaded.hash, mapping: loaded.mapping, family: null };
    }
    const id = choice.workflowId ?? FALLBACK_WORKFLOW_ID;
    const builtins = await this.loadBuiltins();
    const found = builtins.find((w) => w.meta.id === id);
    if (!found) {
      const known = builtins.map((w) => w.meta.id);
      throw new AppError(
        'not_found',
        `There is no built-in workflow "${id}"${known.length ? `; the built-in ones are ${known.join(', ')}` : ' (the built-in workflows folder was not found)'}.`,
        'Choose one from workflows.list, or give the path of an API-format workflow file.',
      );
    }
    return {
      id,
      graph: found.graph,
      hash: found.hash,
      mapping: found.mapping,
      family: found.meta.family === 'none' ? null : found.meta.family,
    };
  }
}
