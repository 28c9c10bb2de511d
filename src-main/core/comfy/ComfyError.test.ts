import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComfyError, executionError, listChoices, validationError } from './ComfyError.ts';

const RECORDED = join(import.meta.dirname, 'testdata', 'recorded');
const SERVER = 'http://127.0.0.1:8188';

function body(name: string): unknown {
  return (JSON.parse(readFileSync(join(RECORDED, `${name}.json`), 'utf8')) as { body: unknown }).body;
}

describe('validationError (recorded ComfyUI 0.3.64 bodies)', () => {
  it.each([
    ['error_missing_input', "SaveImage #2: required input 'images' is missing; connect it or give it a value."],
    ['error_below_min', "EmptyImage #1: input 'width' is 0, below the minimum of 1."],
    ['error_not_in_list', "LoadImage #1: input 'image' was refused: Invalid image file: does_not_exist.png."],
    ['error_wrong_type_link', "SaveImage #2: input 'images' is linked to node #1, which gives LATENT, but it needs IMAGE."],
    ['error_bad_link', 'SaveImage #2: it links to node #99, which is not in the workflow.'],
    ['error_unknown_class', "Node #1 is of type 'NoSuchNode', which this server does not have; install that custom node on the server or use another server."],
    ['error_no_outputs', 'The workflow has no output node (such as Save Image); add one.'],
    ['error_no_prompt_key', 'The request carried no workflow.'],
  ])('%s reads: %s', (name, sentence) => {
    const error = validationError(body(name), SERVER);
    expect(error).toBeInstanceOf(ComfyError);
    expect([error.kind, error.code, error.status]).toEqual(['permanent', 'validation', 400]);
    expect(error.message).toBe(`ComfyUI at ${SERVER} refused the workflow. ${sentence}`);
  });

  it('reads mid-2024 bodies: a bare "no prompt" and node_errors as a list', () => {
    expect(validationError({ error: 'no prompt', node_errors: [] }, SERVER).message).toContain('The request carried no workflow.');
    const unknown = body('error_unknown_class') as Record<string, unknown>;
    expect(validationError({ ...unknown, node_errors: [] }, SERVER).problems[0]).toMatchObject({ nodeId: '1', classType: 'NoSuchNode' });
  });

  it('lists every problem of several nodes, and uses the lookup when the server sent no list', () => {
    const error = validationError(
      {
        error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
        node_errors: {
          '4': {
            class_type: 'CheckpointLoaderSimple',
            dependent_outputs: ['9'],
            errors: [{ type: 'value_not_in_list', message: 'Value not in list', details: "ckpt_name: 'x' not in (list of length 30)", extra_info: { input_name: 'ckpt_name', input_config: null, received_value: 'x' } }],
          },
          '3': {
            class_type: 'KSampler',
            dependent_outputs: ['9'],
            errors: [{ type: 'value_bigger_than_max', message: 'Value 20000 bigger than max of 10000', details: 'steps', extra_info: { input_name: 'steps', input_config: ['INT', { max: 10000 }], received_value: 20000 } }],
          },
        },
      },
      SERVER,
      (classType, input) => (classType === 'CheckpointLoaderSimple' && input === 'ckpt_name' ? ['a.safetensors'] : undefined),
    );
    expect(error.message).toBe(
      `ComfyUI at ${SERVER} refused the workflow:\n- KSampler #3: input 'steps' is 20000, above the maximum of 10000.\n- CheckpointLoaderSimple #4: input 'ckpt_name' is 'x', which this server does not have. The server has: a.safetensors.`,
    );
  });

  it('shortens long lists of alternatives', () => {
    expect(listChoices([])).toBe('none');
    expect(listChoices(Array.from({ length: 14 }, (_, index) => `m${index}`))).toBe('m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11 and 2 more');
  });
});

describe('executionError', () => {
  it('names the node and the exception; out of memory is transient, other failures permanent', () => {
    const recorded = JSON.parse(readFileSync(join(RECORDED, 'ws_run6_runtime_error.json'), 'utf8')) as Array<{ type: string; data: Record<string, unknown> }>;
    const data = recorded.find((message) => message.type === 'execution_error')?.data as Record<string, unknown>;
    const error = executionError(data, SERVER);
    expect([error.kind, error.code]).toEqual(['permanent', 'execution']);
    expect(error.message).toMatch(/^ComfyUI at http:\/\/127\.0\.0\.1:8188: SaveImage #2 failed on the server: \*\*\*\* ERROR: Saving image outside the output folder is not allowed\./);
    const oom = executionError({ node_id: '3', node_type: 'KSampler', exception_type: 'torch.OutOfMemoryError', exception_message: 'CUDA out of memory.\n' }, SERVER);
    expect([oom.kind, oom.transient]).toEqual(['transient', true]);
    expect(oom.message).toContain('try again, or use a smaller size or another server');
  });
});
