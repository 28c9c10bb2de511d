/**
 * Execution order and cache signatures of the ComfyUI test double, ported from ComfyUI 0.3.64
 * (`comfy_execution/graph.py` ExecutionList with `ux_friendly_pick_node`, `comfy_execution/caching.py`
 * CacheKeySetInputSignature). With these the double runs nodes in the order a real server does
 * (SD 1.5 graph: 4, 5, 7, 6, 3, 8, 9; see `testdata/recorded/ws_ksampler_default.json`).
 */
import { pyJsonDumps } from './pyJson.ts';
import { shortHash, type CatalogEnv, type NodeClassDef } from './nodeCatalog.ts';

/** ComfyUI's `is_link`: `[node_id (string), slot (number)]`. */
export function isLink(value: unknown): value is [string, number] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';
}

function nodeInputs(prompt: Record<string, unknown>, nodeId: string): Record<string, unknown> {
  const node = prompt[nodeId] as { inputs?: Record<string, unknown> } | undefined;
  return node?.inputs ?? {};
}

/**
 * The order ComfyUI would execute `outputs` in. Nodes for which `isCached` is true are left out, except
 * output nodes themselves (a real server "executes" a cached output node by re-sending its `executed`).
 * @throws Error "Dependency cycle detected" when the graph has a cycle.
 */
export function planExecution(
  prompt: Record<string, unknown>,
  outputs: readonly string[],
  isOutputNode: (nodeId: string) => boolean,
  isCached: (nodeId: string) => boolean,
): string[] {
  const pending: string[] = [];
  const pendingSet = new Set<string>();
  const blockCount = new Map<string, number>();
  const blocking = new Map<string, Set<string>>();

  const addNode = (start: string): void => {
    const stack = [start];
    const links: Array<[string, string]> = [];
    while (stack.length > 0) {
      const nodeId = stack.pop() as string;
      if (pendingSet.has(nodeId)) continue;
      pending.push(nodeId);
      pendingSet.add(nodeId);
      blockCount.set(nodeId, 0);
      blocking.set(nodeId, new Set());
      for (const value of Object.values(nodeInputs(prompt, nodeId))) {
        if (!isLink(value)) continue;
        if (!isCached(value[0])) stack.push(value[0]);
        links.push([value[0], nodeId]);
      }
    }
    for (const [from, to] of links) {
      if (isCached(from)) continue;
      addNode(from);
      const blocked = blocking.get(from) as Set<string>;
      if (!blocked.has(to)) {
        blocked.add(to);
        blockCount.set(to, (blockCount.get(to) ?? 0) + 1);
      }
    }
  };

  const pick = (ready: string[]): string => {
    for (const nodeId of ready) if (isOutputNode(nodeId)) return nodeId;
    for (const nodeId of ready) {
      for (const blocked of blocking.get(nodeId) ?? []) if (isOutputNode(blocked)) return nodeId;
    }
    for (const nodeId of ready) {
      for (const blocked of blocking.get(nodeId) ?? []) {
        for (const next of blocking.get(blocked) ?? []) if (isOutputNode(next)) return nodeId;
      }
    }
    return ready[0];
  };

  for (const output of outputs) addNode(output);
  const order: string[] = [];
  while (pending.length > 0) {
    const ready = pending.filter((nodeId) => blockCount.get(nodeId) === 0);
    if (ready.length === 0) throw new Error('Dependency cycle detected');
    const nodeId = pick(ready);
    order.push(nodeId);
    pending.splice(pending.indexOf(nodeId), 1);
    pendingSet.delete(nodeId);
    for (const blocked of blocking.get(nodeId) ?? []) blockCount.set(blocked, (blockCount.get(blocked) ?? 1) - 1);
    blocking.delete(nodeId);
  }
  return order;
}

/**
 * Cache signature of every node of a prompt: its class, its IS_CHANGED value, its widget values and the
 * signatures of its ancestors (not its id), so the same sub-graph re-submitted is recognised as cached.
 */
export function cacheSignatures(
  prompt: Record<string, unknown>,
  classes: ReadonlyMap<string, NodeClassDef>,
  env: CatalogEnv,
): Map<string, string> {
  const signatures = new Map<string, string>();
  const visiting = new Set<string>();
  const signatureOf = (nodeId: string): string => {
    const known = signatures.get(nodeId);
    if (known) return known;
    if (visiting.has(nodeId)) return `cycle:${nodeId}`;
    visiting.add(nodeId);
    const node = prompt[nodeId] as { class_type?: string } | undefined;
    const def = classes.get(String(node?.class_type));
    const inputs = nodeInputs(prompt, nodeId);
    const parts: unknown[] = [String(node?.class_type), def?.isChanged ? def.isChanged(inputs, env) : null];
    for (const name of Object.keys(inputs).sort()) {
      const value = inputs[name];
      parts.push(isLink(value) && Object.hasOwn(prompt, value[0]) ? [name, 'ANCESTOR', signatureOf(value[0]), value[1]] : [name, value]);
    }
    visiting.delete(nodeId);
    const signature = shortHash(pyJsonDumps(parts));
    signatures.set(nodeId, signature);
    return signature;
  };
  for (const nodeId of Object.keys(prompt)) signatureOf(nodeId);
  return signatures;
}
