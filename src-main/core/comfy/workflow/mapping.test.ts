import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { checkMappingAgainst, parseMapping } from './mapping.ts';

describe('parseMapping', () => {
  it('reads "<nodeId>.<input>", lists, null and loader ids; ComfyUI input names are aliases', () => {
    expect(
      parseMapping({ prompt: '6.text', negative: null, seed: ['3.seed', '12.noise_seed'], width: '5.width', sampler_name: '16.sampler_name', loras: '4', $schema: 'x' }),
    ).toEqual({
      params: {
        prompt: [{ nodeId: '6', input: 'text' }],
        negativePrompt: null,
        seed: [
          { nodeId: '3', input: 'seed' },
          { nodeId: '12', input: 'noise_seed' },
        ],
        widthPx: [{ nodeId: '5', input: 'width' }],
        samplerName: [{ nodeId: '16', input: 'sampler_name' }],
      },
      loras: ['4'],
    });
  });

  it('keeps node ids of expanded subgraphs whole ("12:3.text")', () => {
    expect(parseMapping({ prompt: '12:3.text' }).params.prompt).toEqual([{ nodeId: '12:3', input: 'text' }]);
  });

  it.each([
    [{ promt: '6.text' }, /"promt" is not a parameter; use one of prompt, negativePrompt/],
    [{ prompt: '6' }, /"prompt": "6" is not "<nodeId>.<input>"/],
    [{ prompt: '6.' }, /is not "<nodeId>.<input>"/],
    [{ loras: '4.model' }, /"loras" takes model loader node ids/],
    [{ width: '5.width', widthPx: '5.width' }, /sets widthPx a second time/],
    [['6.text'], /a mapping is a JSON object/],
    [{ prompt: 6 }, /a mapping is a JSON object/],
  ])('refuses %j', (json, message) => {
    try {
      parseMapping(json, 'shot.mapping.json');
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('invalid_mapping');
      expect((error as AppError).message).toMatch(/^shot\.mapping\.json: /);
      expect((error as AppError).message).toMatch(message);
    }
  });
});

describe('checkMappingAgainst', () => {
  const graph = {
    '3': { class_type: 'KSampler', inputs: { seed: 1, model: ['4', 0] } },
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'a.safetensors' } },
  };

  it('accepts references that exist', () => {
    expect(() => checkMappingAgainst(graph, parseMapping({ seed: '3.seed', loras: '4' }))).not.toThrow();
  });

  it('names the missing input and the inputs the node has', () => {
    expect(() => checkMappingAgainst(graph, parseMapping({ seed: '3.noise_seed' }))).toThrow(
      "seed points at 3.noise_seed, but node 3 (KSampler) has no input 'noise_seed'; its inputs are seed, model",
    );
  });

  it('refuses a LoRA anchor that is not a model loader', () => {
    expect(() => checkMappingAgainst(graph, parseMapping({ loras: '3' }))).toThrow('loras names node 3 (KSampler), which is not a model loader');
    expect(() => checkMappingAgainst(graph, parseMapping({ loras: '9' }))).toThrow('loras names node 9, which is not in the workflow');
  });
});
