#!/usr/bin/python3
"""Tests of ncnn2onnx.py and ncnn_reference.py on small hand-made ncnn files.

Run: /usr/bin/python3 -m unittest discover -s tools/models -p 'test_*.py' -v
The graph test runs the ONNX file with onnxruntime-node (run-onnx.mjs), so it needs `node` and the project's
node_modules; without them it is skipped with the reason printed.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ncnn2onnx as n2o  # noqa: E402
import ncnn_reference  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))


def f32(values) -> bytes:
    return np.asarray(values, dtype='<f4').tobytes()


def tagged_fp32(values) -> bytes:
    return struct.pack('<I', 0) + f32(values)


def tagged_fp16(values) -> bytes:
    raw = np.asarray(values, dtype='<f2').tobytes()
    return struct.pack('<I', n2o.TAG_FP16) + raw + b'\0' * (-len(raw) % 4)


def tagged_quant(table, index) -> bytes:
    raw = np.asarray(index, dtype=np.uint8).tobytes()
    return bytes([1, 2, 3, 4]) + f32(table) + raw + b'\0' * (-len(raw) % 4)


class ParamParsing(unittest.TestCase):
    def test_reads_layers_ints_floats_and_arrays(self):
        g = n2o.parse_param('7767517\n2 2\nInput in 0 1 data\nConvolution c 1 1 data out 0=8 1=3 4=1 5=1 6=216 9=2 -23310=1,2.000000e-01\n')
        self.assertEqual([layer.type for layer in g.layers], ['Input', 'Convolution'])
        conv = g.layers[1]
        self.assertEqual((conv.inputs, conv.outputs), (['data'], ['out']))
        self.assertEqual(conv.params[0], 8)
        self.assertIsInstance(conv.params[6], int)
        self.assertEqual(conv.params[10], [0.2])

    def test_refuses_a_wrong_magic_number(self):
        with self.assertRaisesRegex(n2o.NcnnFormatError, 'magic number 7767517'):
            n2o.parse_param('1234\n1 1\nInput in 0 1 data\n')

    def test_refuses_counts_that_do_not_match(self):
        with self.assertRaisesRegex(n2o.NcnnFormatError, 'says 2 layers but the file has 1'):
            n2o.parse_param('7767517\n2 1\nInput in 0 1 data\n')
        with self.assertRaisesRegex(n2o.NcnnFormatError, 'the array says 2 values but holds 1'):
            n2o.parse_param('7767517\n1 1\nCrop c 0 1 data -23309=2,0\n')


class ModelBin(unittest.TestCase):
    def test_tags_fp32_fp16_with_padding_quantised_and_raw(self):
        data = tagged_fp32([1.5, -2]) + tagged_fp16([0.5, 0.25, -1]) + tagged_quant(np.arange(256) / 10, [3, 0, 255]) + f32([7, 8])
        r = n2o.ModelBinReader(data)
        w = r.load(2, 0, 'a')
        self.assertEqual((w.stored, w.data.tolist()), ('fp32', [1.5, -2.0]))
        w = r.load(3, 0, 'b')
        self.assertEqual((w.stored, w.data.tolist()), ('fp16', [0.5, 0.25, -1.0]))
        w = r.load(3, 0, 'c')
        self.assertEqual(w.stored, 'quant8')
        np.testing.assert_allclose(w.data, [0.3, 0.0, 25.5], rtol=1e-6)
        self.assertEqual(r.load(2, 1, 'd').data.tolist(), [7.0, 8.0])
        self.assertEqual(r.offset, len(data))

    def test_refuses_int8_and_a_short_file(self):
        with self.assertRaisesRegex(n2o.NcnnFormatError, 'int8-quantised'):
            n2o.ModelBinReader(struct.pack('<I', n2o.TAG_INT8) + b'\0' * 4).load(4, 0, 'w')
        with self.assertRaisesRegex(n2o.NcnnFormatError, 'ends at byte 8'):
            n2o.ModelBinReader(tagged_fp32([1])).load(2, 0, 'w')

    def test_refuses_bytes_left_after_the_last_layer(self):
        g = n2o.parse_param('7767517\n2 2\nInput in 0 1 data\nPReLU p 1 1 data out 0=2\n')
        with self.assertRaisesRegex(n2o.NcnnFormatError, '4 bytes of the .bin are left'):
            n2o.load_weights(g, f32([0.1, 0.2, 0.3]))

    def test_refuses_unknown_layer_types_by_name(self):
        g = n2o.parse_param('7767517\n2 2\nInput in 0 1 data\nReshape r 1 1 data out 0=-1\n')
        with self.assertRaisesRegex(n2o.UnsupportedLayerError, 'layer "r" \\(Reshape, line 4\\).*"Reshape" is not supported'):
            n2o.load_weights(g, b'')

    def test_refuses_unsupported_parameters(self):
        g = n2o.parse_param('7767517\n2 2\nInput in 0 1 data\nInterp i 1 1 data out 0=2 3=10 4=10\n')
        with self.assertRaisesRegex(n2o.UnsupportedLayerError, 'output size'):
            n2o.build_onnx(g, {}, {'data': n2o.InputSpec('input', 'image', 3)}, {'out': 'output'})


SYNTHETIC_PARAM = """7767517
14 15
Input            in     0 1 data
Split            sp     1 2 data a b
Convolution      conv1  1 1 a c1 0=8 1=3 4=1 5=1 6=288 9=2 -23310=1,1.000000e-01
ConvolutionDepthWise dw 1 1 c1 c2 0=8 1=3 3=2 4=1 5=1 6=72 7=8
Deconvolution    up     1 1 c2 c3 0=8 1=4 3=2 4=1 5=1 6=1024
PReLU            pr     1 1 c3 c4 0=8
Interp           it     1 1 b b2 0=2 1=2.000000e+00 2=2.000000e+00
Crop             cr     1 1 b2 b3 -23309=2,3,5 -23310=2,15,21 -23311=2,1,2
Concat           cat    2 1 c4 b3 cc
Convolution      conv2  1 1 cc d 0=4 1=1 5=0 6=48
Eltwise          es     2 1 d b e 0=1 -23301=2,5.000000e-01,2.000000e+00
BinaryOp         rs     1 1 e f 0=7 1=1 2=1.000000e+00
Sigmoid          sg     1 1 f g
PixelShuffle     ps     1 1 g out 0=2
"""


def synthetic_bin(rng) -> bytes:
    r = lambda *shape: (rng.standard_normal(shape) * 0.3).astype(np.float32)
    return (tagged_fp32(r(288)) + f32(r(8))
            + tagged_quant(np.linspace(-0.5, 0.5, 256), rng.integers(0, 256, 72)) + f32(r(8))
            + tagged_fp16(r(1024)) + f32(r(8))
            + f32(np.abs(r(8)))
            + tagged_fp16(r(48)))


class SyntheticGraph(unittest.TestCase):
    def test_onnx_matches_the_numpy_reference(self):
        if not shutil.which('node') or not os.path.isdir(os.path.join(ROOT, 'node_modules', 'onnxruntime-node')):
            self.skipTest('node or the project\'s onnxruntime-node is missing: cannot run the ONNX graph')
        rng = np.random.default_rng(5)
        graph = n2o.parse_param(SYNTHETIC_PARAM)
        weights = n2o.load_weights(graph, synthetic_bin(rng))
        self.assertEqual(sorted({w.stored for t in weights.values() for w in t.values()}), ['fp16', 'fp32', 'quant8'])
        model = n2o.build_onnx(graph, weights, {'data': n2o.InputSpec('input', 'image', 4)}, {'out': 'output'})
        x = rng.random((4, 12, 16), dtype=np.float32)
        ref = ncnn_reference.run(graph, weights, {'data': x})['out']
        self.assertEqual(ref.shape, (1, 24, 32))
        with tempfile.TemporaryDirectory() as work:
            mp, ip, op = (os.path.join(work, f) for f in ('m.onnx', 'in.f32', 'out.f32'))
            with open(mp, 'wb') as f:
                f.write(model.SerializeToString())
            x[None].tofile(ip)
            subprocess.run(['node', os.path.join(HERE, 'run-onnx.mjs'), mp, '--in', f'input={ip}:1x4x12x16', '--out', f'output={op}'], check=True, capture_output=True, cwd=ROOT)
            ours = np.fromfile(op, dtype=np.float32).reshape(1, 1, 24, 32)[0]
        self.assertLess(float(np.abs(ours - ref).max()), 1e-5)
        self.assertGreater(float(ref.std()), 0.01)  # the comparison is not between two constants


if __name__ == '__main__':
    unittest.main()
