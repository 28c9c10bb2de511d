#!/usr/bin/env node
/**
 * Runs an ONNX model once with the project's onnxruntime-node (CPU), for the Python verification scripts in this
 * folder (Debian has no onnxruntime for Python).
 *
 * Usage:
 *   node tools/models/run-onnx.mjs MODEL.onnx --in NAME=FILE.f32:D0xD1x... [--in ...] --out NAME=FILE.f32 [--out ...]
 *     [--threads N] [--repeat N]
 * Input files are raw little-endian float32 in the given shape (row-major, as numpy's tofile writes them);
 * each output is written the same way (to a temp name, then renamed). Prints one JSON line:
 *   {"outputs": {NAME: {"shape": [...], "path": FILE}}, "loadMs": n, "runMs": [n, ...]}
 * Exits 2 with a message on bad arguments, 1 when onnxruntime fails.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

function fail(message) {
  process.stderr.write(`run-onnx: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const modelPath = args.shift();
if (!modelPath || modelPath.startsWith('--')) fail('the first argument must be the model path (MODEL.onnx).');
const feeds = {};
const outs = {};
let threads = 1;
let repeat = 1;
while (args.length) {
  const flag = args.shift();
  const value = args.shift();
  if (value === undefined) fail(`${flag} needs a value.`);
  if (flag === '--in') {
    const m = /^([^=]+)=(.+):(\d+(?:x\d+)*)$/.exec(value);
    if (!m) fail(`--in ${value}: write NAME=FILE.f32:D0xD1x...`);
    const shape = m[3].split('x').map(Number);
    const buf = readFileSync(m[2]);
    const count = shape.reduce((a, b) => a * b, 1);
    if (buf.byteLength !== count * 4) fail(`--in ${m[1]}: ${m[2]} holds ${buf.byteLength} bytes, the shape ${m[3]} needs ${count * 4}.`);
    const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    feeds[m[1]] = new ort.Tensor('float32', data, shape);
  } else if (flag === '--out') {
    const m = /^([^=]+)=(.+)$/.exec(value);
    if (!m) fail(`--out ${value}: write NAME=FILE.f32`);
    outs[m[1]] = m[2];
  } else if (flag === '--threads') {
    threads = Number(value);
  } else if (flag === '--repeat') {
    repeat = Math.max(1, Number(value));
  } else {
    fail(`unknown option ${flag}`);
  }
}
if (Object.keys(outs).length === 0) fail('give at least one --out NAME=FILE.f32');

try {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  const loadMs = performance.now() - t0;
  const runMs = [];
  let results;
  for (let i = 0; i < repeat; i++) {
    const t1 = performance.now();
    results = await session.run(feeds, Object.keys(outs));
    runMs.push(Math.round((performance.now() - t1) * 10) / 10);
  }
  const report = { outputs: {}, loadMs: Math.round(loadMs), runMs };
  for (const [name, file] of Object.entries(outs)) {
    const tensor = results[name];
    const bytes = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    report.outputs[name] = { shape: tensor.dims, path: file };
  }
  await session.release();
  process.stdout.write(`${JSON.stringify(report)}\n`);
} catch (err) {
  process.stderr.write(`run-onnx: onnxruntime failed on ${modelPath}: ${err.message}\n`);
  process.exit(1);
}
