/**
 * The ComfyUI API-format workflow graph ("Export (API)" in ComfyUI's menu, the `prompt` body of `POST /prompt`):
 * an object of node id -> `{class_type, inputs, _meta?}` where an input is either a widget value or a link
 * `[sourceNodeId, outputIndex]`. Shape reference: ComfyUI `execution.py` (`validate_prompt`, an input is a link
 * when it is a list of two items) and `/work/shared/comfyui/PROTOCOL.md`.
 *
 * Pure helpers: validation, link tests, consumers of an output, deep copy, canonical JSON and its SHA-256.
 * The types are structurally the same as `ComfyGraph` in `../types.ts`, so a graph from here can be submitted
 * by the client as is.
 */
import { createHash } from 'node:crypto';

/** One node of an API-format workflow. */
export interface WorkflowNode {
  /** The node class, as in `/object_info` (`KSampler`, `CLIPTextEncode`, ...). */
  class_type: string;
  /** Widget values, or links `[nodeId, outputIndex]`. */
  inputs: Record<string, unknown>;
  /** The title the UI showed; ComfyUI ignores it when running. */
  _meta?: { title?: string };
}

/** An API-format workflow: node id -> node. Node ids are strings (`"3"`, or `"12:4"` inside expanded subgraphs). */
export type WorkflowGraph = Record<string, WorkflowNode>;

/** A link: output `outputIndex` (0-based) of node `nodeId`. */
export type NodeLink = [nodeId: string, outputIndex: number];

/** One input of one node: where a parameter is written (`{nodeId: "6", input: "text"}`). */
export interface InputRef {
  nodeId: string;
  input: string;
}

/**
 * Whether an input value is a link. ComfyUI treats any two-item list as a link; we also require the shape
 * `[string | number, integer >= 0]` so that a malformed link is reported by {@link graphProblems} instead.
 */
export function isLink(value: unknown): value is NodeLink | [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    (typeof value[0] === 'string' || typeof value[0] === 'number') &&
    Number.isInteger(value[1]) &&
    (value[1] as number) >= 0
  );
}

/** The link as `[string nodeId, outputIndex]`, or null when `value` is not a link. */
export function asLink(value: unknown): NodeLink | null {
  return isLink(value) ? [String(value[0]), value[1]] : null;
}

/** `"6.text"`: the way mapping files and error messages name an input. */
export function formatInputRef(ref: InputRef): string {
  return `${ref.nodeId}.${ref.input}`;
}

/**
 * Everything wrong with the shape of an API-format graph, one sentence per problem (empty when it is valid):
 * a node that is not an object, a missing `class_type` or `inputs`, a two-item list that is not a link, a link
 * to a node that does not exist. Output indexes are not checked against the node class (that needs
 * `/object_info`; the server reports it as `return_type_mismatch`).
 */
export function graphProblems(graph: unknown): string[] {
  if (graph === null || typeof graph !== 'object' || Array.isArray(graph)) {
    return ['the workflow is not a JSON object of node id -> node'];
  }
  const nodes = graph as Record<string, unknown>;
  const problems: string[] = [];
  if (Object.keys(nodes).length === 0) problems.push('the workflow has no nodes');
  for (const [id, node] of Object.entries(nodes)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      problems.push(`node ${id} is not an object with class_type and inputs`);
      continue;
    }
    const n = node as Record<string, unknown>;
    if (typeof n.class_type !== 'string' || n.class_type === '') problems.push(`node ${id} has no class_type`);
    if (n.inputs === null || typeof n.inputs !== 'object' || Array.isArray(n.inputs)) {
      problems.push(`node ${id} (${String(n.class_type)}) has no inputs object`);
      continue;
    }
    for (const [name, value] of Object.entries(n.inputs as Record<string, unknown>)) {
      if (!Array.isArray(value) || value.length !== 2) continue;
      if (!isLink(value)) {
        problems.push(`node ${id} input '${name}' is a two-item list but not a link [nodeId, outputIndex]: ${JSON.stringify(value)}`);
      } else if (!(String(value[0]) in nodes)) {
        problems.push(`node ${id} input '${name}' links to node ${String(value[0])}, which is not in the workflow`);
      }
    }
  }
  return problems;
}

/** Whether `graph` is a structurally valid API-format graph (see {@link graphProblems}). */
export function isValidGraph(graph: unknown): graph is WorkflowGraph {
  return graphProblems(graph).length === 0;
}

/** A deep copy (the binder never mutates the graph it is given). */
export function cloneGraph(graph: WorkflowGraph): WorkflowGraph {
  return structuredClone(graph);
}

/** Every input in the graph that links to output `outputIndex` of node `nodeId`, in node-id order. */
export function consumersOf(graph: WorkflowGraph, link: NodeLink): InputRef[] {
  const refs: InputRef[] = [];
  for (const id of sortedNodeIds(graph)) {
    for (const [input, value] of Object.entries(graph[id].inputs)) {
      const l = asLink(value);
      if (l && l[0] === link[0] && l[1] === link[1]) refs.push({ nodeId: id, input });
    }
  }
  return refs;
}

/** Node ids in a stable order: numeric ids ascending, then the others (`"12:4"`) by string order. */
export function sortedNodeIds(graph: WorkflowGraph): string[] {
  return Object.keys(graph).sort(compareNodeIds);
}

/** Order of node ids: numbers numerically, then other ids as strings. */
export function compareNodeIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A fresh numeric node id: one more than the largest numeric id in use. */
export function nextNodeId(graph: WorkflowGraph): string {
  let max = 0;
  for (const id of Object.keys(graph)) if (/^\d+$/.test(id)) max = Math.max(max, Number(id));
  return String(max + 1);
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit), arrays in order, no whitespace; numbers and strings
 * as `JSON.stringify` writes them. Two graphs that differ only in key order give the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** SHA-256 (lower-case hex, 64 characters) of the graph's {@link canonicalJson}: stable under key order. */
export function workflowHash(graph: WorkflowGraph): string {
  return createHash('sha256').update(canonicalJson(graph), 'utf8').digest('hex');
}
