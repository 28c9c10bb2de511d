/**
 * Mapping files: `<workflow>.mapping.json` beside a user's workflow says where parameters go when the graph's
 * structure cannot (`{"prompt": "6.text", "seed": "3.seed", "negativePrompt": null, "loras": "4"}`).
 *
 * - A value `"<nodeId>.<input>"` (or a list of them) places the parameter there, overriding the binder.
 * - `null` says the workflow has no place for the parameter.
 * - `loras` takes model loader node ids (`"4"` or `["37", "56"]`): where LoRA nodes are inserted.
 * Keys are parameter names (`prompt`, `negativePrompt`, `widthPx`...) or ComfyUI's input names for them
 * (`negative`, `width`, `sampler_name`, `ckpt_name`, `image`...; see `PARAM_ALIASES`).
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { asLink, type InputRef, type WorkflowGraph } from './graph.ts';
import { canonicalParamName, PARAM_NAMES, type ParamName } from './params.ts';

/** A parsed mapping: parameter -> inputs (null: "not in this workflow"); `loras` -> model loader node ids. */
export interface WorkflowMapping {
  params: Partial<Record<ParamName, InputRef[] | null>>;
  /** Model loader node ids after which LoRA nodes go; null: the workflow takes no LoRAs. */
  loras?: string[] | null;
}

const MappingFileSchema = z.record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1), z.null()]));

function mappingError(source: string, message: string): AppError {
  return new AppError(
    'invalid_mapping',
    `${source}: ${message}`,
    'Write each parameter as "<nodeId>.<input>" (e.g. {"prompt": "6.text"}), a list of them, or null; "loras" takes model loader node ids.',
  );
}

/**
 * Parses the JSON of a mapping file.
 * @param source the file name, for messages.
 * @throws AppError `invalid_mapping` naming the key and what was wrong (unknown parameter, value without a dot...).
 */
export function parseMapping(json: unknown, source = 'mapping file'): WorkflowMapping {
  const parsed = MappingFileSchema.safeParse(json);
  if (!parsed.success) throw mappingError(source, 'a mapping is a JSON object of parameter -> "<nodeId>.<input>", a list of them, or null');
  const mapping: WorkflowMapping = { params: {} };
  for (const [key, value] of Object.entries(parsed.data)) {
    if (key.startsWith('$') || key === 'comment') continue;
    const name = canonicalParamName(key);
    if (!name)
      throw mappingError(source, `"${key}" is not a parameter; use one of ${[...PARAM_NAMES, 'loras'].join(', ')}`);
    const values = value === null ? null : Array.isArray(value) ? value : [value];
    if (name === 'loras') {
      if (values?.some((v) => v.includes('.'))) throw mappingError(source, `"loras" takes model loader node ids such as "4", not "${values.find((v) => v.includes('.'))}"`);
      mapping.loras = values;
      continue;
    }
    if (name in mapping.params) throw mappingError(source, `"${key}" sets ${name} a second time`);
    mapping.params[name] =
      values === null
        ? null
        : values.map((v) => {
            const dot = v.indexOf('.');
            if (dot <= 0 || dot === v.length - 1)
              throw mappingError(source, `"${key}": "${v}" is not "<nodeId>.<input>" (e.g. "6.text")`);
            return { nodeId: v.slice(0, dot), input: v.slice(dot + 1) };
          });
  }
  return mapping;
}

/**
 * Checks that every node and input a mapping names exists in the graph.
 * @throws AppError `invalid_mapping` naming the first wrong reference and the inputs the node does have.
 */
export function checkMappingAgainst(graph: WorkflowGraph, mapping: WorkflowMapping, source = 'mapping file'): void {
  for (const [param, refs] of Object.entries(mapping.params)) {
    for (const ref of refs ?? []) {
      const node = graph[ref.nodeId];
      if (!node) throw mappingError(source, `${param} points at node ${ref.nodeId}, which is not in the workflow`);
      if (!(ref.input in node.inputs))
        throw mappingError(
          source,
          `${param} points at ${ref.nodeId}.${ref.input}, but node ${ref.nodeId} (${node.class_type}) has no input '${ref.input}'; its inputs are ${Object.keys(node.inputs).join(', ')}`,
        );
    }
  }
  for (const id of mapping.loras ?? []) {
    const node = graph[id];
    if (!node) throw mappingError(source, `loras names node ${id}, which is not in the workflow`);
    if (asLink(node.inputs.model) !== null)
      throw mappingError(source, `loras names node ${id} (${node.class_type}), which is not a model loader (it takes a model itself)`);
  }
}
