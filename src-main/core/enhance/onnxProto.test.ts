import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildConvModel } from './modelBuilders.ts';
import { encodeOnnxModel, ONNX_FLOAT, readOnnxSignature } from './onnxProto.ts';
import { BUNDLED_MODELS_DIR, cpuSession, ESPCN_ID } from './testSupport.ts';

describe('encodeOnnxModel', () => {
  it('writes a model onnxruntime loads and runs: an exact identity convolution returns its input', async () => {
    const session = await cpuSession(buildConvModel({ noise: 0, inputName: 'pic', outputName: 'out' }));
    expect(session.inputNames).toEqual(['pic']);
    expect(session.outputNames).toEqual(['out']);
    const data = Float32Array.from({ length: 3 * 5 * 7 }, (_, i) => (i % 11) / 10);
    const result = await session.run({ pic: new Tensor('float32', data, [1, 3, 5, 7]) });
    expect(result.out.dims).toEqual([1, 3, 5, 7]);
    expect(Array.from(result.out.data as Float32Array)).toEqual(Array.from(data));
  });

  it('upscales with a pixel shuffle: scale 2 with no noise is a nearest-neighbour upscale', async () => {
    const session = await cpuSession(buildConvModel({ noise: 0, scale: 2 }));
    const data = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.0, 0.5]); // 3 x 2 x 2
    const out = (await session.run({ input: new Tensor('float32', data, [1, 3, 2, 2]) })).output;
    expect(out.dims).toEqual([1, 3, 4, 4]);
    const values = out.data as Float32Array;
    // Channel 0, output row 1 (from input row 0): 0.1 0.1 0.2 0.2
    expect(Array.from(values.subarray(4, 8)).map((v) => Number(v.toFixed(5)))).toEqual([0.1, 0.1, 0.2, 0.2]);
  });

  it('refuses an initializer whose values do not fill its dims', () => {
    expect(() =>
      encodeOnnxModel({ inputs: [], outputs: [], nodes: [], initializers: [{ name: 'w', dims: [2, 2], values: new Float32Array(3) }] }),
    ).toThrow(/initializer w has 3 values but dims 2x2 need 4/);
  });
});

describe('readOnnxSignature', () => {
  it('reads names, element types and shapes (static and symbolic) of a model it wrote', () => {
    const sig = readOnnxSignature(buildConvModel({ channels: 1, inputName: 'y_in', outputName: 'y_out' }));
    expect(sig.inputs).toEqual([{ name: 'y_in', elemType: ONNX_FLOAT, shape: [1, 1, 'height', 'width'] }]);
    expect(sig.outputs.map((o) => o.name)).toEqual(['y_out']);
    expect(sig.opset).toBe(13);
  });

  it('reads the bundled model exported by PyTorch (initializers are not inputs)', () => {
    const sig = readOnnxSignature(readFileSync(path.join(BUNDLED_MODELS_DIR, ESPCN_ID, 'model.onnx')));
    expect(sig.inputs).toEqual([{ name: 'input', elemType: ONNX_FLOAT, shape: [1, 3, 'height', 'width'] }]);
    expect(sig.outputs[0].name).toBe('output');
    expect(sig.opset).toBeGreaterThanOrEqual(13);
  });

  it('says the bytes are not an ONNX model when they are not', () => {
    expect(() => readOnnxSignature(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(/not an ONNX model/);
    expect(() => readOnnxSignature(new Uint8Array([0x08, 0x07]))).toThrow(/not an ONNX model: it has no graph/);
  });
});
