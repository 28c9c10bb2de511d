/**
 * Reading workflow files: ComfyUI's API format ("Export (API)", the `prompt` of `POST /prompt`) is accepted,
 * the UI format (what "Save" writes: `{nodes: [...], links: [...], ...}`) is refused with a message that says
 * how to export the API format, and `<name>.mapping.json` beside the file is read with it.
 */
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../errors.ts';
import { graphProblems, type WorkflowGraph, workflowHash } from './graph.ts';
import { checkMappingAgainst, parseMapping, type WorkflowMapping } from './mapping.ts';

/** A workflow read from disk. */
export interface LoadedWorkflow {
  path: string;
  /** The file name without `.api.json` / `.json` (used in messages and for the mapping file). */
  name: string;
  graph: WorkflowGraph;
  /** {@link workflowHash} of the graph. */
  hash: string;
  /** The mapping file beside the workflow, if there is one. */
  mapping: WorkflowMapping | null;
  mappingPath: string | null;
}

/** `shot.api.json` -> `shot`, `shot.json` -> `shot`. */
export function workflowName(path: string): string {
  return basename(path).replace(/(\.api)?\.json$/i, '');
}

/** The mapping file that belongs beside a workflow file: `<dir>/<name>.mapping.json`. */
export function mappingPathFor(workflowPath: string): string {
  return join(dirname(workflowPath), `${workflowName(workflowPath)}.mapping.json`);
}

/**
 * Checks parsed JSON for the API format and returns it as a graph. A `{"prompt": {...}}` wrapper (the body of
 * `POST /prompt`) is unwrapped.
 * @param source the file name, for messages.
 * @throws AppError `ui_workflow` for the UI format, `invalid_workflow` for anything else that is not a valid
 *   API graph (the message lists the problems: missing class_type, broken links...).
 */
export function parseWorkflowJson(json: unknown, source: string): WorkflowGraph {
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (Array.isArray(o.nodes) && 'links' in o)
      throw new AppError(
        'ui_workflow',
        `${source} is a ComfyUI UI workflow (it has 'nodes' and 'links'), not the API format StoryCanvas sends to servers.`,
        "Open it in ComfyUI and export it with 'Export (API)' in the Workflow menu (older versions: enable 'Dev mode' in the settings, then 'Save (API Format)'); load that file instead.",
      );
    const keys = Object.keys(o);
    if ('prompt' in o && keys.every((k) => ['prompt', 'client_id', 'extra_data', 'prompt_id', 'front', 'number'].includes(k))) json = o.prompt;
  }
  const problems = graphProblems(json);
  if (problems.length > 0)
    throw new AppError(
      'invalid_workflow',
      `${source} is not a ComfyUI API-format workflow: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}.`,
      "Export the workflow from ComfyUI with 'Export (API)' and load that file.",
    );
  return json as WorkflowGraph;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('not_found', `Cannot read the ${what} ${path}: ${(error as Error).message}.`, 'Check that the file exists and can be read.');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(`invalid_${what === 'mapping file' ? 'mapping' : 'workflow'}`, `${path} is not valid JSON (${(error as Error).message}).`, `Save the ${what} again from ComfyUI or fix it by hand.`);
  }
}

/**
 * Reads a mapping file and parses it (see `mapping.ts`).
 * @throws AppError `not_found`, `invalid_mapping`.
 */
export async function loadMappingFile(path: string): Promise<WorkflowMapping> {
  return parseMapping(await readJson(path, 'mapping file'), basename(path));
}

/**
 * Reads an API-format workflow file, with `<name>.mapping.json` beside it when there is one (checked against
 * the graph).
 * @throws AppError `not_found`, `ui_workflow` (a UI-format file), `invalid_workflow`, `invalid_mapping`.
 */
export async function loadWorkflowFile(path: string): Promise<LoadedWorkflow> {
  const graph = parseWorkflowJson(await readJson(path, 'workflow'), basename(path));
  const candidate = mappingPathFor(path);
  let mapping: WorkflowMapping | null = null;
  let mappingPath: string | null = null;
  const exists = await access(candidate).then(
    () => true,
    () => false,
  );
  if (exists) {
    mapping = await loadMappingFile(candidate);
    checkMappingAgainst(graph, mapping, basename(candidate));
    mappingPath = candidate;
  }
  return { path, name: workflowName(path), graph, hash: workflowHash(graph), mapping, mappingPath };
}
