/**
 * Prompt validation of the ComfyUI test double: a port of ComfyUI 0.3.64's `execution.validate_prompt` and
 * `validate_inputs` (comfyanonymous/ComfyUI, execution.py), so the double refuses the same graphs with the
 * same bodies (`testdata/recorded/error_*.json`).
 */
import { pyRepr, pyStr } from './pyJson.ts';
import type { CatalogEnv, InputSpec, NodeClassDef } from './nodeCatalog.ts';

/** One node error as ComfyUI reports it: `{type, message, details, extra_info}`. */
export interface ComfyNodeErrorBody {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** The result of validating a prompt. */
export interface ValidationOutcome {
  /** False: refuse with HTTP 400 `{error, node_errors}`. */
  ok: boolean;
  /** The top-level `error` when `ok` is false. */
  error?: ComfyNodeErrorBody;
  /** Output nodes that will run (`outputs_to_execute`). */
  outputs: string[];
  /** `node_errors`: `{node_id: {errors, dependent_outputs, class_type}}` (may be non-empty when `ok`). */
  nodeErrors: Record<string, { errors: ComfyNodeErrorBody[]; dependent_outputs: string[]; class_type: string }>;
}

type Validated = [boolean, ComfyNodeErrorBody[], string];

/** A Python exception raised inside validation (KeyError on a link to a missing node, and the like). */
class PyException extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

/** The traceback ComfyUI 0.3.64 reports for a KeyError while validating an output node (error_bad_link.json). */
const OUTER_TRACEBACK = [
  "  File \"/opt/comfy/execution.py\", line 1010, in validate_prompt\n    m = await validate_inputs(prompt_id, prompt, o, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
  "  File \"/opt/comfy/execution.py\", line 788, in validate_inputs\n    o_class_type = prompt[o_id]['class_type']\n                   ~~~~~~^^^^^^\n",
];
const INNER_TRACEBACK = [
  '  File "/opt/comfy/execution.py", line 818, in validate_inputs\n    r = await validate_inputs(prompt_id, prompt, o_id, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
  OUTER_TRACEBACK[1],
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ComfyUI's `validate_node_input`: `*` matches anything; comma lists match when they share a type. */
function typesMatch(receivedType: string, inputType: string | string[]): boolean {
  if (Array.isArray(inputType)) return receivedType === 'COMBO' || receivedType === '*';
  if (receivedType === '*' || inputType === '*') return true;
  if (receivedType === inputType) return true;
  const received = new Set(receivedType.split(',').map((part) => part.trim()));
  return inputType.split(',').some((part) => received.has(part.trim()));
}

/** Python's number text for a value of the given ComfyUI type (`0.0` for a FLOAT zero). */
function pyNumber(value: unknown, inputType: unknown): string {
  if (typeof value === 'number' && inputType === 'FLOAT' && Number.isInteger(value)) return `${value}.0`;
  return pyStr(value);
}

/** `int(val)`, `float(val)`, `str(val)`, `bool(val)` as Python converts ComfyUI widget values. */
function convert(value: unknown, inputType: unknown): unknown {
  if (inputType === 'INT') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
      return Math.trunc(value);
    }
    if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
    if (typeof value === 'string') throw new PyException('ValueError', `invalid literal for int() with base 10: ${pyRepr(value)}`);
    throw new PyException('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${value === null ? 'NoneType' : 'dict'}'`);
  }
  if (inputType === 'FLOAT') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (typeof value === 'string') throw new PyException('ValueError', `could not convert string to float: ${pyRepr(value)}`);
    throw new PyException('TypeError', `float() argument must be a string or a real number, not '${value === null ? 'NoneType' : 'dict'}'`);
  }
  if (inputType === 'STRING') return pyStr(value);
  if (inputType === 'BOOLEAN') {
    if (typeof value === 'string') return value.length > 0;
    if (isRecord(value)) return Object.keys(value).length > 0;
    return Boolean(value);
  }
  return value;
}

/** Validates a prompt against the double's node classes, exactly as ComfyUI 0.3.64 does. */
export function validatePrompt(
  prompt: Record<string, unknown>,
  classes: ReadonlyMap<string, NodeClassDef>,
  env: CatalogEnv,
): ValidationOutcome {
  const outputs: string[] = [];
  for (const [nodeId, node] of Object.entries(prompt)) {
    if (!isRecord(node) || !('class_type' in node)) {
      return {
        ok: false,
        error: {
          type: 'invalid_prompt',
          message: 'Cannot execute because a node is missing the class_type property.',
          details: `Node ID '#${nodeId}'`,
          extra_info: {},
        },
        outputs: [],
        nodeErrors: {},
      };
    }
    const def = classes.get(String(node.class_type));
    if (!def) {
      return {
        ok: false,
        error: {
          type: 'invalid_prompt',
          message: `Cannot execute because node ${pyStr(node.class_type)} does not exist.`,
          details: `Node ID '#${nodeId}'`,
          extra_info: {},
        },
        outputs: [],
        nodeErrors: {},
      };
    }
    if (def.outputNode) outputs.push(nodeId);
  }
  if (outputs.length === 0) {
    return {
      ok: false,
      error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} },
      outputs: [],
      nodeErrors: {},
    };
  }

  const validated = new Map<string, Validated>();

  const classOf = (nodeId: string): NodeClassDef => {
    const node = prompt[nodeId] as Record<string, unknown>;
    return classes.get(String(node.class_type)) as NodeClassDef;
  };

  const validateInputs = (nodeId: string): Validated => {
    const known = validated.get(nodeId);
    if (known) return known;
    const node = prompt[nodeId] as Record<string, unknown>;
    if (!('inputs' in node)) throw new PyException('KeyError', "'inputs'");
    const inputs = (isRecord(node.inputs) ? node.inputs : {}) as Record<string, unknown>;
    const def = classOf(nodeId);
    const types = def.inputTypes(env);
    const validateNames = def.validateInputNames ?? [];
    const errors: ComfyNodeErrorBody[] = [];
    let valid = true;
    const names = [...Object.keys(types.required), ...Object.keys(types.optional ?? {}).filter((name) => !(name in types.required))];
    for (const name of names) {
      const required = name in types.required;
      const spec = (required ? types.required[name] : types.optional?.[name]) as InputSpec;
      const inputType = spec[0];
      const extra = (spec[1] ?? {}) as Record<string, unknown>;
      if (!(name in inputs)) {
        if (required) {
          errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
        }
        continue;
      }
      let value = inputs[name];
      const info = [inputType, extra];
      if (Array.isArray(value)) {
        if (value.length !== 2) {
          errors.push({
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: name,
            extra_info: { input_name: name, input_config: info, received_value: value },
          });
          continue;
        }
        const [fromId, slot] = value as [unknown, unknown];
        if (typeof fromId !== 'string' || !Object.hasOwn(prompt, fromId)) throw new PyException('KeyError', pyRepr(fromId));
        const fromNode = prompt[fromId] as Record<string, unknown>;
        if (!('class_type' in fromNode)) throw new PyException('KeyError', "'class_type'");
        const returnTypes = classOf(fromId).output;
        if (typeof slot !== 'number' || !Number.isInteger(slot)) {
          throw new PyException('TypeError', `tuple indices must be integers or slices, not ${typeof slot === 'string' ? 'str' : 'float'}`);
        }
        const receivedType = returnTypes[slot < 0 ? returnTypes.length + slot : slot];
        if (receivedType === undefined) throw new PyException('IndexError', 'tuple index out of range');
        if (!typesMatch(receivedType, inputType)) {
          errors.push({
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${name}, received_type(${receivedType}) mismatch input_type(${pyStr(inputType)})`,
            extra_info: { input_name: name, input_config: info, received_type: receivedType, linked_node: value },
          });
          continue;
        }
        try {
          const result = validateInputs(fromId);
          if (!result[0]) {
            valid = false;
            continue;
          }
        } catch (error) {
          if (!(error instanceof PyException)) throw error;
          valid = false;
          validated.set(fromId, [
            false,
            [
              {
                type: 'exception_during_inner_validation',
                message: 'Exception when validating inner node',
                details: error.message,
                extra_info: {
                  input_name: name,
                  input_config: info,
                  exception_message: error.message,
                  exception_type: error.pyType,
                  traceback: INNER_TRACEBACK,
                  linked_node: value,
                },
              },
            ],
            fromId,
          ]);
          continue;
        }
      } else {
        try {
          value = convert(value, inputType);
          inputs[name] = value;
        } catch (error) {
          if (!(error instanceof PyException)) throw error;
          errors.push({
            type: 'invalid_input_type',
            message: `Failed to convert an input value to a ${pyStr(inputType)} value`,
            details: `${name}, ${pyStr(value)}, ${error.message}`,
            extra_info: { input_name: name, input_config: info, received_value: value, exception_message: error.message },
          });
          continue;
        }
        if (!validateNames.includes(name)) {
          if ('min' in extra && (value as number) < (extra.min as number)) {
            errors.push({
              type: 'value_smaller_than_min',
              message: `Value ${pyNumber(value, inputType)} smaller than min of ${pyNumber(extra.min, inputType)}`,
              details: name,
              extra_info: { input_name: name, input_config: info, received_value: value },
            });
            continue;
          }
          if ('max' in extra && (value as number) > (extra.max as number)) {
            errors.push({
              type: 'value_bigger_than_max',
              message: `Value ${pyNumber(value, inputType)} bigger than max of ${pyNumber(extra.max, inputType)}`,
              details: name,
              extra_info: { input_name: name, input_config: info, received_value: value },
            });
            continue;
          }
          if (Array.isArray(inputType) && !inputType.includes(value as string)) {
            const tooLong = inputType.length > 20;
            errors.push({
              type: 'value_not_in_list',
              message: 'Value not in list',
              details: `${name}: '${pyStr(value)}' not in ${tooLong ? `(list of length ${inputType.length})` : pyRepr(inputType)}`,
              extra_info: { input_name: name, input_config: tooLong ? null : info, received_value: value },
            });
            continue;
          }
        }
      }
    }
    const presentValidated = validateNames.filter((name) => name in inputs);
    if (def.validate && presentValidated.length === validateNames.length && validateNames.length > 0) {
      const verdict = def.validate(inputs, env);
      if (verdict !== true) {
        for (const name of presentValidated) {
          errors.push({
            type: 'custom_validation_failed',
            message: 'Custom validation failed for node',
            details: `${name} - ${verdict}`,
            extra_info: { input_name: name },
          });
        }
      }
    }
    const result: Validated = errors.length > 0 || !valid ? [false, errors, nodeId] : [true, [], nodeId];
    validated.set(nodeId, result);
    return result;
  };

  const goodOutputs: string[] = [];
  const failures: Array<[string, ComfyNodeErrorBody[]]> = [];
  const nodeErrors: ValidationOutcome['nodeErrors'] = {};
  for (const output of outputs) {
    let valid: boolean;
    let reasons: ComfyNodeErrorBody[];
    try {
      [valid, reasons] = validateInputs(output);
    } catch (error) {
      if (!(error instanceof PyException)) throw error;
      valid = false;
      reasons = [
        {
          type: 'exception_during_validation',
          message: 'Exception when validating node',
          details: error.message,
          extra_info: { exception_type: error.pyType, traceback: OUTER_TRACEBACK },
        },
      ];
      validated.set(output, [false, reasons, output]);
    }
    if (valid) {
      goodOutputs.push(output);
      continue;
    }
    failures.push([output, reasons]);
    for (const [nodeId, [nodeValid, nodeReasons]] of validated) {
      if (nodeValid || nodeReasons.length === 0) continue;
      nodeErrors[nodeId] ??= { errors: nodeReasons, dependent_outputs: [], class_type: String((prompt[nodeId] as Record<string, unknown>).class_type) };
      nodeErrors[nodeId].dependent_outputs.push(output);
    }
  }
  if (goodOutputs.length === 0) {
    const details = failures.flatMap(([, reasons]) => reasons.map((reason) => `${reason.message}: ${reason.details}`)).join('\n');
    return {
      ok: false,
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details, extra_info: {} },
      outputs: [],
      nodeErrors,
    };
  }
  return { ok: true, outputs: goodOutputs, nodeErrors };
}
