/**
 * Small convolutional ONNX models built in code (see onnxProto.ts): the probe that tests an execution provider
 * at start, and the models the tests of the enhancement runtime run. Each is deterministic: the same options
 * give the same bytes.
 */
import { encodeOnnxModel, ONNX_FLOAT, type OnnxInitializer, type OnnxNode } from './onnxProto.ts';

/** Options of `buildConvModel`. */
export interface ConvModelOptions {
  /** 3 for RGB models, 1 for luma-only (Y) models. Default 3. */
  channels?: 1 | 3;
  /** Upscale factor (1 to 4), done by a DepthToSpace (pixel shuffle) after the last convolution. Default 1. */
  scale?: number;
  /** Number of stacked 3x3 convolutions (each widens the receptive field by 1 px on each side). Default 1. */
  layers?: number;
  /**
   * When > 1 the model only accepts heights and widths divisible by this number (a SpaceToDepth/DepthToSpace
   * pair around the convolutions, as many real models have). Default 1.
   */
  requiredMultiple?: number;
  /** Graph input name. Default `input`. */
  inputName?: string;
  /** Graph output name. Default `output`. */
  outputName?: string;
  /** Seed of the pseudo-random perturbation added to the identity kernels. Default 1. */
  seed?: number;
  /** Size of that perturbation (0 gives an exact identity). Default 0.05. */
  noise?: number;
}

/** A small deterministic pseudo-random generator (mulberry32) so built models are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds an "identity-ish" convolutional model: NCHW float32 input `[1, C, H, W]` (H and W dynamic), a stack of
 * 3x3 convolutions whose kernels are the identity plus a little noise (so tiling errors would show), then a
 * pixel shuffle to `[1, C, H*scale, W*scale]`. Values in stay roughly values out, in [0, 1].
 * @returns the ONNX model bytes (opset 13).
 */
export function buildConvModel(options: ConvModelOptions = {}): Uint8Array {
  const c = options.channels ?? 3;
  const scale = options.scale ?? 1;
  const layers = options.layers ?? 1;
  const multiple = options.requiredMultiple ?? 1;
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  const random = rng(options.seed ?? 1);
  const noise = options.noise ?? 0.05;
  if (!Number.isInteger(scale) || scale < 1 || scale > 4) throw new Error(`buildConvModel: scale ${scale} must be an integer from 1 to 4.`);
  if (!Number.isInteger(multiple) || multiple < 1) throw new Error(`buildConvModel: requiredMultiple ${multiple} must be a positive integer.`);

  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  let current = inputName;
  // Working channels: the space-to-depth packs multiple^2 pixels into channels.
  const packed = c * multiple * multiple;
  if (multiple > 1) {
    nodes.push({ opType: 'SpaceToDepth', inputs: [current], outputs: ['packed'], attributes: { blocksize: multiple } });
    current = 'packed';
  }
  for (let l = 0; l < layers; l++) {
    const last = l === layers - 1;
    const outChannels = last ? packed * scale * scale : packed;
    const w = new Float32Array(outChannels * packed * 9);
    const b = new Float32Array(outChannels);
    for (let o = 0; o < outChannels; o++) {
      // With a pixel shuffle after, output channel o*scale^2 + k feeds sub-pixel k of channel o: copy channel o.
      const source = last ? Math.floor(o / (scale * scale)) : o;
      for (let i = 0; i < packed; i++) {
        for (let k = 0; k < 9; k++) {
          const identity = i === source && k === 4 ? 1 : 0;
          w[(o * packed + i) * 9 + k] = identity + (random() - 0.5) * noise;
        }
      }
      b[o] = (random() - 0.5) * noise;
    }
    initializers.push({ name: `w${l}`, dims: [outChannels, packed, 3, 3], values: w });
    initializers.push({ name: `b${l}`, dims: [outChannels], values: b });
    const out = last && scale === 1 && multiple === 1 ? outputName : `conv${l}`;
    nodes.push({ opType: 'Conv', inputs: [current, `w${l}`, `b${l}`], outputs: [out], attributes: { pads: [1, 1, 1, 1], kernel_shape: [3, 3] } });
    current = out;
  }
  if (scale > 1) {
    const out = multiple === 1 ? outputName : 'shuffled';
    nodes.push({ opType: 'DepthToSpace', inputs: [current], outputs: [out], attributes: { blocksize: scale, mode: 'CRD' } });
    current = out;
  }
  if (multiple > 1) {
    nodes.push({ opType: 'DepthToSpace', inputs: [current], outputs: [outputName], attributes: { blocksize: multiple, mode: 'DCR' } });
  }
  return encodeOnnxModel({
    inputs: [{ name: inputName, elemType: ONNX_FLOAT, shape: [1, c, 'height', 'width'] }],
    outputs: [{ name: outputName, elemType: ONNX_FLOAT, shape: [1, c, 'outHeight', 'outWidth'] }],
    initializers,
    nodes,
  });
}

/** The probe model of providers.ts: one 3x3 convolution on `[1, 3, H, W]`, input `x`, output `y`. */
export function buildProbeModel(): Uint8Array {
  return buildConvModel({ inputName: 'x', outputName: 'y', noise: 0 });
}

/** Options of `buildBlendModel`. */
export interface BlendModelOptions {
  /** The timestep input's shape: `[]` (scalar), `[1]`, `[1, 1, 1, 1]` or `[1, 1, 'height', 'width']`. Default `[1, 1, 1, 1]`. */
  timestepShape?: Array<number | string>;
  /** When > 1 the model only accepts heights and widths divisible by this (as RIFE needs 32). Default 1. */
  requiredMultiple?: number;
  /** Input names; defaults `img0`, `img1`, `timestep`; output `output`. */
  img0Name?: string;
  img1Name?: string;
  timestepName?: string;
  outputName?: string;
}

/**
 * A stand-in for a RIFE frame interpolation model with the same interface: inputs `img0` and `img1` (float32
 * `[1, 3, H, W]` in [0, 1]) and `timestep`, output the cross-fade `img0 * (1 - t) + img1 * t` (computed as
 * `img0 + (img1 - img0) * t`). With `requiredMultiple` a SpaceToDepth/DepthToSpace pair makes it refuse sizes that
 * are not padded to that multiple, as RIFE's pyramid does.
 * @returns the ONNX model bytes (opset 13).
 */
export function buildBlendModel(options: BlendModelOptions = {}): Uint8Array {
  const img0 = options.img0Name ?? 'img0';
  const img1 = options.img1Name ?? 'img1';
  const timestep = options.timestepName ?? 'timestep';
  const outputName = options.outputName ?? 'output';
  const multiple = options.requiredMultiple ?? 1;
  if (!Number.isInteger(multiple) || multiple < 1) throw new Error(`buildBlendModel: requiredMultiple ${multiple} must be a positive integer.`);
  const nodes: OnnxNode[] = [
    { opType: 'Sub', inputs: [img1, img0], outputs: ['delta'] },
    { opType: 'Mul', inputs: ['delta', timestep], outputs: ['step'] },
    { opType: 'Add', inputs: [img0, 'step'], outputs: [multiple > 1 ? 'blend' : outputName] },
  ];
  if (multiple > 1) {
    nodes.push({ opType: 'SpaceToDepth', inputs: ['blend'], outputs: ['packed'], attributes: { blocksize: multiple } });
    nodes.push({ opType: 'DepthToSpace', inputs: ['packed'], outputs: [outputName], attributes: { blocksize: multiple, mode: 'DCR' } });
  }
  return encodeOnnxModel({
    inputs: [
      { name: img0, elemType: ONNX_FLOAT, shape: [1, 3, 'height', 'width'] },
      { name: img1, elemType: ONNX_FLOAT, shape: [1, 3, 'height', 'width'] },
      { name: timestep, elemType: ONNX_FLOAT, shape: options.timestepShape ?? [1, 1, 1, 1] },
    ],
    outputs: [{ name: outputName, elemType: ONNX_FLOAT, shape: [1, 3, 'height', 'width'] }],
    initializers: [],
    nodes,
  });
}
