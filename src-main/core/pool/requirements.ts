/**
 * What a job needs from a server, and whether a server has it: every node class of the workflow, and every
 * model file a loader names (checkpoint, LoRAs, VAE, upscaler...) among the choices the server's `/object_info`
 * offers for that loader input. The same lists ComfyUI validates a prompt against (`value_not_in_list`), so a
 * server that passes here does not refuse the workflow for a missing model or node.
 */
import { choicesFor, type ServerCapabilities } from '../comfy/capabilities.ts';
import { listChoices } from '../comfy/ComfyError.ts';

/** One model file the workflow names: loader class, its input, and the file name. */
export interface ModelRequirement {
  classType: string;
  input: string;
  name: string;
}

/** What a job needs (stored with the job as JSON). */
export interface JobRequirements {
  /** Node classes, sorted. */
  nodeTypes: string[];
  /** The main model file, when the workflow has one (for checkpoint affinity). */
  checkpoint?: string;
  /** LoRA file names, sorted. */
  loras: string[];
  /** Every model file with the loader input that names it. */
  models: ModelRequirement[];
}

/** Why a server cannot run a job: one sentence per missing thing (empty when it can). */
export function missingOn(requirements: JobRequirements, capabilities: ServerCapabilities): string[] {
  const missing: string[] = [];
  const absentNodes = requirements.nodeTypes.filter((type) => !capabilities.nodeTypes.has(type));
  if (absentNodes.length > 0) missing.push(`node type${absentNodes.length === 1 ? '' : 's'} ${absentNodes.join(', ')}`);
  for (const model of requirements.models) {
    if (!capabilities.nodeTypes.has(model.classType)) continue; // already reported as a missing node type
    const choices = choicesFor(capabilities.nodes, model.classType, model.input);
    if (choices && !choices.includes(model.name)) {
      missing.push(`${model.classType} '${model.input}' '${model.name}' (it has: ${listChoices(choices)})`);
    }
  }
  return missing;
}

/** Whether a server can run a job. */
export function canRun(requirements: JobRequirements, capabilities: ServerCapabilities): boolean {
  return missingOn(requirements, capabilities).length === 0;
}
