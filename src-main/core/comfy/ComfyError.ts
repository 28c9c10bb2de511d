/**
 * ComfyError: every failure of the ComfyUI client, classified for retry (`transient`: connection refused,
 * timeouts, HTTP 5xx, dropped socket, garbage answers, out of GPU memory; `permanent`: the server refused the
 * workflow, a node failed, access refused) and worded for an artist: which node (class and id), which input,
 * which value, and for a missing model the models the server does have.
 * Error bodies: PROTOCOL.md "Validation errors", ComfyUI 0.3.64 `execution.validate_prompt`.
 */

/** Retry class: `transient` may work later or elsewhere; `permanent` needs a change of workflow or setup. */
export type ComfyErrorKind = 'transient' | 'permanent';

/** What went wrong. */
export type ComfyErrorCode =
  /** Connection refused, reset, DNS failure. */
  | 'unreachable'
  /** No answer within `timeoutMs`. */
  | 'timeout'
  /** An HTTP status the call does not expect (5xx: transient). */
  | 'http_status'
  /** An answer that is not JSON, or not the expected shape. */
  | 'bad_response'
  /** HTTP 401/403 (an auth proxy refused our headers). */
  | 'unauthorized'
  /** HTTP 404 (an endpoint or file the server does not have). */
  | 'not_found'
  /** HTTP 400 on /prompt: the server refused the workflow. */
  | 'validation'
  /** A node raised an exception while running (`execution_error`). */
  | 'execution'
  /** The WebSocket stayed down longer than `connectionLostMs` while prompts were running. */
  | 'connection_lost'
  /** The server has the prompt neither queued, running nor in history (restarted, or removed by someone). */
  | 'prompt_lost'
  /** The client was closed. */
  | 'closed';

/** One problem the server reported about a node (or the whole workflow when `nodeId` is null). */
export interface ComfyProblem {
  nodeId: string | null;
  classType: string | null;
  inputName: string | null;
  /** ComfyUI's error type: `value_not_in_list`, `required_input_missing`, `invalid_prompt`, ... */
  type: string;
  /** The value the server received, when it said. */
  value?: unknown;
  /** For `value_not_in_list`: the choices the server has. */
  alternatives?: string[];
  /** The artist-readable sentence. */
  message: string;
}

/** Options of the {@link ComfyError} constructor. */
export interface ComfyErrorOptions {
  kind: ComfyErrorKind;
  code: ComfyErrorCode;
  /** The server's HTTP base URL. */
  serverUrl: string;
  /** HTTP status, when an answer had one. */
  status?: number | null;
  problems?: ComfyProblem[];
  cause?: unknown;
}

/** An error of the ComfyUI client. `message` is meant for the artist; the fields are for code. */
export class ComfyError extends Error {
  readonly kind: ComfyErrorKind;
  readonly code: ComfyErrorCode;
  readonly serverUrl: string;
  readonly status: number | null;
  readonly problems: ComfyProblem[];

  constructor(message: string, options: ComfyErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ComfyError';
    this.kind = options.kind;
    this.code = options.code;
    this.serverUrl = options.serverUrl;
    this.status = options.status ?? null;
    this.problems = options.problems ?? [];
  }

  /** True for errors worth retrying later or on another server. */
  get transient(): boolean {
    return this.kind === 'transient';
  }
}

/** Looks up the choices a server offers for a class input (from its `/object_info`), when known. */
export type ChoicesLookup = (classType: string, inputName: string) => string[] | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_LISTED_CHOICES = 12;

/** `'a.safetensors'` for strings, the number itself for numbers. */
function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** "a, b, c and 9 more" (at most 12 names). */
export function listChoices(choices: readonly string[]): string {
  if (choices.length === 0) return 'none';
  const shown = choices.slice(0, MAX_LISTED_CHOICES).join(', ');
  return choices.length > MAX_LISTED_CHOICES ? `${shown} and ${choices.length - MAX_LISTED_CHOICES} more` : shown;
}

/** "KSampler #3" or "node #3" when the class is unknown. */
function nodeLabel(classType: string | null, nodeId: string | null): string {
  if (nodeId === null) return classType ?? 'The workflow';
  return `${classType ?? 'node'} #${nodeId}`;
}

/** The sentence for one node error (`{type, message, details, extra_info}`) of node `nodeId`. */
export function describeNodeError(
  nodeId: string | null,
  classType: string | null,
  error: Record<string, unknown>,
  lookup?: ChoicesLookup,
): ComfyProblem {
  const type = String(error.type ?? 'unknown');
  const extra = isRecord(error.extra_info) ? error.extra_info : {};
  const details = String(error.details ?? '');
  const serverMessage = String(error.message ?? type);
  const inputName = typeof extra.input_name === 'string' ? extra.input_name : null;
  const label = nodeLabel(classType, nodeId);
  const input = inputName ? `input '${inputName}'` : 'an input';
  const problem: ComfyProblem = { nodeId, classType, inputName, type, message: '' };
  if ('received_value' in extra) problem.value = extra.received_value;
  const config = Array.isArray(extra.input_config) ? extra.input_config : null;
  const limits = config && isRecord(config[1]) ? config[1] : {};
  switch (type) {
    case 'required_input_missing':
      problem.message = `${label}: required ${input} is missing; connect it or give it a value.`;
      break;
    case 'value_smaller_than_min':
      problem.message = `${label}: ${input} is ${showValue(extra.received_value)}, below the minimum of ${String(limits.min ?? '?')}.`;
      break;
    case 'value_bigger_than_max':
      problem.message = `${label}: ${input} is ${showValue(extra.received_value)}, above the maximum of ${String(limits.max ?? '?')}.`;
      break;
    case 'value_not_in_list': {
      let choices: string[] | undefined =
        config && Array.isArray(config[0]) ? (config[0] as unknown[]).map(String) : undefined;
      if (!choices && classType && inputName) choices = lookup?.(classType, inputName);
      if (choices) problem.alternatives = choices;
      const has = choices ? ` The server has: ${listChoices(choices)}.` : ' Check the server\'s model folders.';
      problem.message = `${label}: ${input} is ${showValue(extra.received_value)}, which this server does not have.${has}`;
      break;
    }
    case 'return_type_mismatch': {
      const linked = Array.isArray(extra.linked_node) ? extra.linked_node : [];
      const wanted = config ? String(Array.isArray(config[0]) ? 'a choice' : config[0]) : 'another type';
      problem.message = `${label}: ${input} is linked to node #${String(linked[0] ?? '?')}, which gives ${String(extra.received_type ?? '?')}, but it needs ${wanted}.`;
      break;
    }
    case 'exception_during_validation':
    case 'exception_during_inner_validation': {
      const missing = /^'(.*)'$/.exec(details);
      if (extra.exception_type === 'KeyError' && missing) {
        problem.message = `${label}: it links to node #${missing[1]}, which is not in the workflow.`;
      } else {
        problem.message = `${label}: the server could not check it (${String(extra.exception_type ?? 'error')}: ${details}).`;
      }
      break;
    }
    case 'custom_validation_failed': {
      const reason = details.includes(' - ') ? details.slice(details.indexOf(' - ') + 3) : details;
      problem.message = `${label}: ${input} was refused: ${reason}.`;
      break;
    }
    case 'invalid_input_type':
      problem.message = `${label}: ${input} has a value of the wrong kind (${details}).`;
      break;
    case 'bad_linked_input':
      problem.message = `${label}: ${input} is a broken link; it must be [node id, output slot].`;
      break;
    default:
      problem.message = `${label}: ${serverMessage}${details ? `: ${details}` : ''}.`;
  }
  return problem;
}

/** The sentence for a top-level error without node errors (`invalid_prompt`, `prompt_no_outputs`, `no_prompt`). */
function describeTopLevel(error: unknown): ComfyProblem {
  if (typeof error === 'string') {
    const message = error === 'no prompt' ? 'The request carried no workflow.' : `The server refused the workflow: ${error}.`;
    return { nodeId: null, classType: null, inputName: null, type: error === 'no prompt' ? 'no_prompt' : 'error', message };
  }
  const record = isRecord(error) ? error : {};
  const type = String(record.type ?? 'error');
  const serverMessage = String(record.message ?? '');
  const details = String(record.details ?? '');
  const nodeId = /#([^']+)'/.exec(details)?.[1] ?? null;
  if (type === 'invalid_prompt') {
    const missingClass = /node (.+) does not exist/.exec(serverMessage)?.[1] ?? null;
    if (missingClass) {
      return {
        nodeId,
        classType: missingClass,
        inputName: null,
        type,
        message: `Node #${nodeId ?? '?'} is of type '${missingClass}', which this server does not have; install that custom node on the server or use another server.`,
      };
    }
    return { nodeId, classType: null, inputName: null, type, message: `The workflow is malformed: ${serverMessage} (${details}).` };
  }
  if (type === 'prompt_no_outputs') {
    return { nodeId: null, classType: null, inputName: null, type, message: 'The workflow has no output node (such as Save Image); add one.' };
  }
  if (type === 'no_prompt') {
    return { nodeId: null, classType: null, inputName: null, type, message: 'The request carried no workflow.' };
  }
  return { nodeId, classType: null, inputName: null, type, message: `${serverMessage || 'The server refused the workflow'}${details ? `: ${details}` : ''}.` };
}

/**
 * The problems in a `/prompt` error body (`{error, node_errors}`), current or mid-2024 (`node_errors: []`,
 * `error: "no prompt"`). Node errors come first; the top-level error is used only when there are none.
 */
export function problemsFromPromptError(body: unknown, lookup?: ChoicesLookup): ComfyProblem[] {
  const record = isRecord(body) ? body : {};
  const problems: ComfyProblem[] = [];
  if (isRecord(record.node_errors)) {
    for (const [nodeId, entry] of Object.entries(record.node_errors)) {
      const nodeEntry = isRecord(entry) ? entry : {};
      const classType = typeof nodeEntry.class_type === 'string' ? nodeEntry.class_type : null;
      const errors = Array.isArray(nodeEntry.errors) ? nodeEntry.errors : [];
      for (const error of errors) problems.push(describeNodeError(nodeId, classType, isRecord(error) ? error : {}, lookup));
    }
  }
  if (problems.length === 0) problems.push(describeTopLevel(record.error));
  return problems;
}

/** The ComfyError for an HTTP 400 answer to `/prompt` (permanent, code `validation`). */
export function validationError(body: unknown, serverUrl: string, lookup?: ChoicesLookup): ComfyError {
  const problems = problemsFromPromptError(body, lookup);
  const lines = problems.map((problem) => problem.message);
  const message =
    lines.length === 1
      ? `ComfyUI at ${serverUrl} refused the workflow. ${lines[0]}`
      : `ComfyUI at ${serverUrl} refused the workflow:\n${lines.map((line) => `- ${line}`).join('\n')}`;
  return new ComfyError(message, { kind: 'permanent', code: 'validation', serverUrl, status: 400, problems });
}

const OUT_OF_MEMORY = /out of memory|OutOfMemory|Allocation on device|CUDA error/i;

/**
 * The ComfyError for an `execution_error` (a node raised while running). Out-of-memory failures are
 * `transient` (another try, or another server, may work); other node failures are `permanent`.
 */
export function executionError(data: Record<string, unknown>, serverUrl: string): ComfyError {
  const nodeId = data.node_id === undefined || data.node_id === null ? null : String(data.node_id);
  const classType = typeof data.node_type === 'string' ? data.node_type : null;
  const exceptionType = String(data.exception_type ?? 'Exception');
  const exceptionMessage = String(data.exception_message ?? '').trim();
  const transient = OUT_OF_MEMORY.test(exceptionMessage) || OUT_OF_MEMORY.test(exceptionType);
  const problem: ComfyProblem = {
    nodeId,
    classType,
    inputName: null,
    type: 'execution_error',
    message: `${nodeLabel(classType, nodeId)} failed on the server: ${exceptionMessage || exceptionType} (${exceptionType}).`,
  };
  const advice = transient ? ' The server ran out of memory; try again, or use a smaller size or another server.' : '';
  return new ComfyError(`ComfyUI at ${serverUrl}: ${problem.message}${advice}`, {
    kind: transient ? 'transient' : 'permanent',
    code: 'execution',
    serverUrl,
    problems: [problem],
  });
}
