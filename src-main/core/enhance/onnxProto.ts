/**
 * Just enough of the ONNX protobuf format (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, proto3 wire
 * format: https://protobuf.dev/programming-guides/encoding/) to
 * - write small convolutional models in code: the tiny model that probes an execution provider at start
 *   (providers.ts) and the models the tests run, so neither needs Python nor a binary fixture;
 * - read a model's graph inputs and outputs (names, element types, shapes) without loading onnxruntime, so the
 *   model registry can check a sidecar against its model in the main process.
 *
 * Only the fields used here are written; the reader skips every field it does not know.
 */

/** ONNX TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;

/** A dimension of a graph input or output: a fixed size, or a symbolic name (`'H'`) for a dynamic one. */
export type OnnxDim = number | string;

/** A graph input or output: name, element type (ONNX DataType number, 1 = float32) and shape. */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape: OnnxDim[];
}

/** An initializer: a float32 tensor stored in the model (weights, biases). */
export interface OnnxInitializer {
  name: string;
  dims: number[];
  values: Float32Array;
}

/** An attribute of a node: integers, lists of integers or strings. */
export type OnnxAttribute = number | number[] | string;

/** One node of the graph: an operator from the default domain (`Conv`, `Relu`, `DepthToSpace`). */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, OnnxAttribute>;
}

/** A whole model: one graph with its inputs, outputs, initializers and nodes, at one opset of the default domain. */
export interface OnnxModelSpec {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxInitializer[];
  nodes: OnnxNode[];
  /** Opset of the default ONNX domain; 13 by default. */
  opset?: number;
  graphName?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Writer

class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`onnxProto: varint ${value} is not a non-negative safe integer.`);
    const out: number[] = [];
    let v = BigInt(value);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      out.push(byte);
    } while (v > 0n);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name); // ValueInfoProto.name
  w.message(2, (type) => {
    // TypeProto.tensor_type
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType); // elem_type
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    });
  });
}

/** ONNX AttributeProto.AttributeType values. */
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

/**
 * Serialises a model to ONNX protobuf bytes (IR version 8), loadable by onnxruntime's `InferenceSession.create`.
 * @throws Error when an initializer's values do not match its dims.
 */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version
  w.string(2, 'storycanvas'); // producer_name
  w.message(7, (g) => {
    // GraphProto
    spec.nodes.forEach((n, i) => {
      g.message(1, (node) => {
        for (const input of n.inputs) node.string(1, input);
        for (const output of n.outputs) node.string(2, output);
        node.string(3, n.name ?? `${n.opType.toLowerCase()}_${i}`);
        node.string(4, n.opType);
        for (const [name, value] of Object.entries(n.attributes ?? {})) {
          node.message(5, (a) => {
            a.string(1, name);
            if (typeof value === 'string') {
              a.bytes(4, new TextEncoder().encode(value));
              a.int(20, ATTR_STRING);
            } else if (Array.isArray(value)) {
              for (const v of value) a.int(8, v);
              a.int(20, ATTR_INTS);
            } else {
              a.int(3, value);
              a.int(20, ATTR_INT);
            }
          });
        }
      });
    });
    g.string(2, spec.graphName ?? 'storycanvas');
    for (const init of spec.initializers) {
      const count = init.dims.reduce((a, b) => a * b, 1);
      if (count !== init.values.length) {
        throw new Error(`onnxProto: initializer ${init.name} has ${init.values.length} values but dims ${init.dims.join('x')} need ${count}.`);
      }
      g.message(5, (t) => {
        for (const d of init.dims) t.int(1, d);
        t.int(2, ONNX_FLOAT);
        t.string(8, init.name);
        const raw = new Uint8Array(init.values.length * 4);
        const view = new DataView(raw.buffer);
        init.values.forEach((v, i) => view.setFloat32(i * 4, v, true));
        t.bytes(9, raw);
      });
    }
    for (const input of spec.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of spec.outputs) g.message(12, (v) => writeValueInfo(v, output));
  });
  w.message(8, (op) => op.int(2, spec.opset ?? 13)); // opset_import, default domain
  return w.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// Reader

interface Field {
  field: number;
  wireType: number;
  /** For varints. */
  value?: number;
  /** For length-delimited fields: the bytes. */
  bytes?: Uint8Array;
}

function readVarint(buf: Uint8Array, at: number): [number, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (at >= buf.length) throw new Error('truncated varint');
    const byte = buf[at++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
    if (shift > 70n) throw new Error('varint longer than 10 bytes');
  }
  // Negative int64 values come as 10-byte two's complement; fold them back.
  if (result >= 1n << 63n) result -= 1n << 64n;
  return [Number(result), at];
}

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  while (at < buf.length) {
    const [key, next] = readVarint(buf, at);
    at = next;
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      const [value, after] = readVarint(buf, at);
      at = after;
      yield { field, wireType, value };
    } else if (wireType === 2) {
      const [len, after] = readVarint(buf, at);
      if (len < 0 || after + len > buf.length) throw new Error(`field ${field} runs past the end of its message`);
      yield { field, wireType, bytes: buf.subarray(after, after + len) };
      at = after + len;
    } else if (wireType === 1) {
      at += 8;
    } else if (wireType === 5) {
      at += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
    if (at > buf.length) throw new Error('message truncated');
  }
}

const decoder = new TextDecoder();

function readValueInfo(buf: Uint8Array): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '', elemType: 0, shape: [] };
  for (const f of fields(buf)) {
    if (f.field === 1 && f.bytes) info.name = decoder.decode(f.bytes);
    if (f.field === 2 && f.bytes) {
      for (const t of fields(f.bytes)) {
        if (t.field !== 1 || !t.bytes) continue; // tensor_type
        for (const tt of fields(t.bytes)) {
          if (tt.field === 1 && tt.value !== undefined) info.elemType = tt.value;
          if (tt.field === 2 && tt.bytes) {
            for (const d of fields(tt.bytes)) {
              if (d.field !== 1 || !d.bytes) continue;
              let dim: OnnxDim = '?';
              for (const dv of fields(d.bytes)) {
                if (dv.field === 1 && dv.value !== undefined) dim = dv.value;
                if (dv.field === 2 && dv.bytes) dim = decoder.decode(dv.bytes);
              }
              info.shape.push(dim);
            }
          }
        }
      }
    }
  }
  return info;
}

/** What `readOnnxSignature` finds in a model: its real inputs (initializers excluded) and outputs, and its opsets. */
export interface OnnxSignature {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Opset version of the default domain (`''` or `ai.onnx`), or undefined when the model names none. */
  opset?: number;
}

/**
 * Reads the graph inputs and outputs of an ONNX model from its bytes (no onnxruntime needed). Inputs that are
 * also initializers (models of IR version < 4 list their weights as inputs) are left out.
 * @throws Error `not an ONNX model: <reason>` when the bytes are not a protobuf ModelProto with a graph.
 */
export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  let graph: Uint8Array | undefined;
  let opset: number | undefined;
  try {
    for (const f of fields(bytes)) {
      if (f.field === 7 && f.bytes) graph = f.bytes;
      if (f.field === 8 && f.bytes) {
        let domain = '';
        let version: number | undefined;
        for (const o of fields(f.bytes)) {
          if (o.field === 1 && o.bytes) domain = decoder.decode(o.bytes);
          if (o.field === 2 && o.value !== undefined) version = o.value;
        }
        if (domain === '' || domain === 'ai.onnx') opset = version;
      }
    }
    if (!graph) throw new Error('it has no graph');
    const inputs: OnnxValueInfo[] = [];
    const outputs: OnnxValueInfo[] = [];
    const initializerNames = new Set<string>();
    for (const f of fields(graph)) {
      if (!f.bytes) continue;
      if (f.field === 11) inputs.push(readValueInfo(f.bytes));
      if (f.field === 12) outputs.push(readValueInfo(f.bytes));
      if (f.field === 5) {
        for (const t of fields(f.bytes)) if (t.field === 8 && t.bytes) initializerNames.add(decoder.decode(t.bytes));
      }
    }
    return { inputs: inputs.filter((i) => !initializerNames.has(i.name)), outputs, opset };
  } catch (err) {
    throw new Error(`not an ONNX model: ${(err as Error).message}`);
  }
}
