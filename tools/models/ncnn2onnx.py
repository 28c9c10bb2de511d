#!/usr/bin/python3
"""Convert an ncnn model (`.param` text + `.bin` weights) to an ONNX graph, with our own parser and builder.

Formats followed (Tencent/ncnn, https://github.com/Tencent/ncnn):
- `.param` (wiki "param and model file structure"): the magic number 7767517; a line `layer_count blob_count`;
  then one line per layer: `type name input_count output_count inputs... outputs... k=v ...`. A key `k` >= 0
  holds an int (no `.`/`e` in the value) or a float; a key `-23300 - k` holds the array for id `k`, written
  `count,v1,v2,...`.
- `.bin` (src/modelbin.cpp, ModelBinFromDataReader::load): each layer's tensors in layer order, no header.
  `load(n, 0)` (weights of Convolution, ConvolutionDepthWise, Deconvolution) starts with a 4-byte tag:
  0x01306B47 = n float16 values (padded to 4 bytes); 0x000D4B38 = n int8 values; 0x0002C056 = n float32 with
  extra scaling; 0x00000000 = n float32; any other non-zero tag = a 256-entry float32 quantisation table then n
  uint8 indices (padded to 4 bytes). `load(n, 1)` (biases, PReLU slopes) is n raw float32 values, no tag.
  The converter checks that every byte of the `.bin` is consumed, which catches a misread layout.

Layer semantics (src/layer/*.cpp of ncnn, and the `rife.Warp` custom layer of nihui/rife-ncnn-vulkan,
src/warp.comp): blobs are CHW (batch 1); they become NCHW tensors with N = 1, so ncnn axis a is ONNX axis a + 1.
Supported layer types (what Real-ESRGAN SRVGGNetCompact and RIFE v4.6 need, plus near neighbours):
Input, Split, Convolution, ConvolutionDepthWise, Deconvolution, PReLU, ReLU, Sigmoid, BinaryOp, Eltwise, Interp,
PixelShuffle, Concat, Crop (starts/ends/axes form), rife.Warp. Any other type, or a supported type with a
parameter we do not implement, is refused with an UnsupportedLayerError naming the layer, its type and the key.

The ONNX graph: opset 17, dynamic height and width. Weights stored as float16 in the `.bin` stay float16 in the
ONNX file and are Cast to float32 in the graph (lossless; onnxruntime folds the Cast when it loads the model),
so the file is as small as the original. `rife.Warp` becomes GridSample (bilinear, border padding,
align_corners=1), which is the same sampling as rife-ncnn-vulkan's shader: sample at (x + flow_x, y + flow_y) in
pixels, bilinear, coordinates clamped to the picture.

Usage:
  /usr/bin/python3 tools/models/ncnn2onnx.py model.param model.bin model.onnx \
      --input data=input:3 [--scalar-input in2=timestep:in0] [--output output=output]
Library: parse_param(text) -> NcnnGraph; load_weights(graph, bytes) -> dict; build_onnx(...) -> onnx.ModelProto.
"""
from __future__ import annotations

import argparse
import struct
import sys
from dataclasses import dataclass, field
from typing import Union

import numpy as np

NCNN_MAGIC = 7767517
TAG_FP16 = 0x01306B47
TAG_INT8 = 0x000D4B38
TAG_FP32_SCALED = 0x0002C056
ARRAY_KEY_BASE = -23300
OPSET = 17

ParamValue = Union[int, float, list]


class NcnnFormatError(ValueError):
    """The .param or .bin is malformed (the message says where)."""


class UnsupportedLayerError(ValueError):
    """A layer type, or a parameter of a supported type, that this converter does not implement."""


@dataclass
class NcnnLayer:
    """One layer line of a .param file. `params` maps the ncnn parameter id to an int, a float or a list."""

    type: str
    name: str
    inputs: list[str]
    outputs: list[str]
    params: dict[int, ParamValue] = field(default_factory=dict)
    line: int = 0

    def get(self, key: int, default: ParamValue) -> ParamValue:
        return self.params.get(key, default)

    def refuse(self, what: str) -> UnsupportedLayerError:
        return UnsupportedLayerError(f'layer "{self.name}" ({self.type}, line {self.line}): {what}')


@dataclass
class NcnnGraph:
    """A parsed .param: its layers in file order and the declared blob count."""

    layers: list[NcnnLayer]
    blob_count: int


def _parse_number(text: str, where: str) -> Union[int, float]:
    try:
        if any(c in text for c in '.eE') and not text.lower().startswith('0x'):
            return float(text)
        return int(text)
    except ValueError as err:
        raise NcnnFormatError(f'{where}: "{text}" is not a number') from err


def parse_param(text: str) -> NcnnGraph:
    """Parses the text form of an ncnn .param file.

    @raises NcnnFormatError: wrong magic number, counts that do not match the lines, or a malformed parameter.
    """
    lines = [ln.strip() for ln in text.splitlines()]
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln]
    if not numbered or numbered[0][1] != str(NCNN_MAGIC):
        raise NcnnFormatError(f'not an ncnn text .param: the first line must be the magic number {NCNN_MAGIC} (a binary .param.bin is not supported)')
    if len(numbered) < 2:
        raise NcnnFormatError('the .param has no "layer_count blob_count" line')
    counts = numbered[1][1].split()
    if len(counts) != 2:
        raise NcnnFormatError(f'line {numbered[1][0]}: expected "layer_count blob_count", got "{numbered[1][1]}"')
    layer_count, blob_count = int(counts[0]), int(counts[1])
    layers: list[NcnnLayer] = []
    for lineno, ln in numbered[2:]:
        tok = ln.split()
        if len(tok) < 4:
            raise NcnnFormatError(f'line {lineno}: a layer line needs "type name inputs outputs", got "{ln}"')
        ltype, name = tok[0], tok[1]
        n_in, n_out = int(tok[2]), int(tok[3])
        if len(tok) < 4 + n_in + n_out:
            raise NcnnFormatError(f'line {lineno}: layer "{name}" declares {n_in} inputs and {n_out} outputs but lists fewer blobs')
        inputs = tok[4:4 + n_in]
        outputs = tok[4 + n_in:4 + n_in + n_out]
        params: dict[int, ParamValue] = {}
        for kv in tok[4 + n_in + n_out:]:
            if '=' not in kv:
                raise NcnnFormatError(f'line {lineno}: parameter "{kv}" of layer "{name}" is not key=value')
            key_text, value_text = kv.split('=', 1)
            key = int(key_text)
            where = f'line {lineno}, layer "{name}", key {key}'
            if key <= ARRAY_KEY_BASE:
                items = value_text.split(',')
                count = int(items[0])
                values = [_parse_number(v, where) for v in items[1:]]
                if len(values) != count:
                    raise NcnnFormatError(f'{where}: the array says {count} values but holds {len(values)}')
                params[ARRAY_KEY_BASE - key] = values
            else:
                params[key] = _parse_number(value_text, where)
        layers.append(NcnnLayer(ltype, name, inputs, outputs, params, lineno))
    if len(layers) != layer_count:
        raise NcnnFormatError(f'the header says {layer_count} layers but the file has {len(layers)}')
    produced = [b for layer in layers for b in layer.outputs]
    if len(set(produced)) != len(produced):
        dup = sorted({b for b in produced if produced.count(b) > 1})
        raise NcnnFormatError(f'blobs produced twice: {", ".join(dup[:5])}')
    if len(produced) != blob_count:
        raise NcnnFormatError(f'the header says {blob_count} blobs but the layers produce {len(produced)}')
    return NcnnGraph(layers, blob_count)


@dataclass
class Weight:
    """A tensor read from the .bin: float32 values, and how they were stored (`fp32`, `fp16`, `quant8`)."""

    data: np.ndarray
    stored: str
    fp16: np.ndarray | None = None  # the exact float16 values when stored == 'fp16'


class ModelBinReader:
    """Reads tensors from .bin bytes the way ncnn's ModelBinFromDataReader does (see the module docstring)."""

    def __init__(self, data: bytes):
        self.data = data
        self.offset = 0

    def _take(self, nbytes: int, what: str) -> bytes:
        if self.offset + nbytes > len(self.data):
            raise NcnnFormatError(f'the .bin ends at byte {len(self.data)} while reading {what} ({nbytes} bytes at offset {self.offset})')
        chunk = self.data[self.offset:self.offset + nbytes]
        self.offset += nbytes
        return chunk

    def load(self, n: int, kind: int, what: str) -> Weight:
        """`kind` 0: tagged (weights); 1: raw float32 (bias, slopes)."""
        if kind == 1:
            return Weight(np.frombuffer(self._take(4 * n, what), dtype='<f4').astype(np.float32), 'fp32')
        tag_bytes = self._take(4, f'the tag of {what}')
        tag = struct.unpack('<I', tag_bytes)[0]
        if tag == TAG_FP16:
            raw = self._take((2 * n + 3) // 4 * 4, what)
            half = np.frombuffer(raw[:2 * n], dtype='<f2')
            return Weight(half.astype(np.float32), 'fp16', half.astype(np.float16))
        if tag == TAG_INT8:
            raise NcnnFormatError(f'{what} is int8-quantised (tag 0x000D4B38); int8 models are not supported')
        if tag == TAG_FP32_SCALED or tag == 0:
            return Weight(np.frombuffer(self._take(4 * n, what), dtype='<f4').astype(np.float32), 'fp32')
        if sum(tag_bytes) != 0:
            table = np.frombuffer(self._take(256 * 4, f'the quantisation table of {what}'), dtype='<f4')
            index = np.frombuffer(self._take((n + 3) // 4 * 4, what)[:n], dtype=np.uint8)
            return Weight(table[index].astype(np.float32), 'quant8')
        raise NcnnFormatError(f'{what}: unknown tag 0x{tag:08X}')


def _conv_kernel(layer: NcnnLayer) -> tuple[int, int]:
    kw = int(layer.get(1, 0))
    kh = int(layer.get(11, kw))
    return kh, kw


def load_weights(graph: NcnnGraph, data: bytes) -> dict[str, dict[str, Weight]]:
    """Reads each layer's tensors from the .bin bytes, in layer order.

    @returns {layer name: {"weight"|"bias"|"slope": Weight}} with weights shaped as ncnn stores them (flat).
    @raises NcnnFormatError when the .bin is too short or has bytes left over (a misread layout).
    @raises UnsupportedLayerError for a layer type this converter does not know.
    """
    reader = ModelBinReader(data)
    out: dict[str, dict[str, Weight]] = {}
    for layer in graph.layers:
        t = layer.type
        if t in ('Convolution', 'ConvolutionDepthWise', 'Deconvolution'):
            if int(layer.get(8, 0)):
                raise layer.refuse('int8_scale_term (8) is set; int8 models are not supported')
            if int(layer.get(19, 0)):
                raise layer.refuse('dynamic_weight (19) is set; weights given as inputs are not supported')
            size = int(layer.get(6, 0))
            tensors = {'weight': reader.load(size, 0, f'the weights of "{layer.name}"')}
            if int(layer.get(5, 0)):
                tensors['bias'] = reader.load(int(layer.get(0, 0)), 1, f'the bias of "{layer.name}"')
            out[layer.name] = tensors
        elif t == 'PReLU':
            out[layer.name] = {'slope': reader.load(int(layer.get(0, 0)), 1, f'the slopes of "{layer.name}"')}
        elif t in NO_WEIGHT_TYPES:
            continue
        else:
            raise layer.refuse(f'layer type "{t}" is not supported by ncnn2onnx (supported: {", ".join(sorted(SUPPORTED_TYPES))})')
    if reader.offset != len(data):
        raise NcnnFormatError(f'{len(data) - reader.offset} bytes of the .bin are left after the last layer: the .param and .bin do not belong together, or a layer was misread')
    return out


NO_WEIGHT_TYPES = {'Input', 'Split', 'ReLU', 'Sigmoid', 'BinaryOp', 'Eltwise', 'Interp', 'PixelShuffle', 'Concat', 'Crop', 'rife.Warp'}
SUPPORTED_TYPES = NO_WEIGHT_TYPES | {'Convolution', 'ConvolutionDepthWise', 'Deconvolution', 'PReLU'}


@dataclass
class InputSpec:
    """How an ncnn Input blob is fed from ONNX.

    kind `image`: a graph input [1, channels, H, W] float32 (H and W dynamic).
    kind `scalar_map`: a graph input of shape [1] float32, broadcast in the graph to [1, 1, H, W] where H and W
    are those of the ncnn blob `like` (rife-ncnn-vulkan feeds RIFE v4's timestep as such a constant map).
    """

    onnx_name: str
    kind: str = 'image'
    channels: int = 3
    like: str | None = None


class _Builder:
    def __init__(self, keep_fp16: bool):
        from onnx import TensorProto, helper, numpy_helper

        self.helper, self.TensorProto, self.numpy_helper = helper, TensorProto, numpy_helper
        self.nodes = []
        self.initializers = []
        self.keep_fp16 = keep_fp16
        self.counter = 0
        self.consts: dict[tuple, str] = {}

    def fresh(self, hint: str) -> str:
        self.counter += 1
        return f'n2o/{hint}/{self.counter}'

    def node(self, op: str, inputs: list[str], hint: str, outputs: list[str] | None = None, **attrs) -> str:
        outs = outputs or [self.fresh(hint)]
        self.nodes.append(self.helper.make_node(op, inputs, outs, name=self.fresh(op), **attrs))
        return outs[0]

    def const(self, array: np.ndarray, hint: str) -> str:
        array = np.asarray(array)
        key = (array.dtype.str, array.shape, array.tobytes())
        if key in self.consts:
            return self.consts[key]
        name = self.fresh(hint)
        self.initializers.append(self.numpy_helper.from_array(array, name))
        self.consts[key] = name
        return name

    def weight(self, w: Weight, shape: tuple, hint: str) -> str:
        """A float32 tensor for the graph; float16-stored weights stay float16 on disk behind a Cast."""
        if w.stored == 'fp16' and self.keep_fp16:
            half = self.const(w.fp16.reshape(shape), hint + '_fp16')
            return self.node('Cast', [half], hint, to=self.TensorProto.FLOAT)
        return self.const(w.data.reshape(shape).astype(np.float32), hint)


def _activation(b: _Builder, layer: NcnnLayer, x: str) -> str:
    act = int(layer.get(9, 0))
    p = layer.get(10, [])
    if act == 0:
        return x
    if act == 1:
        return b.node('Relu', [x], 'relu')
    if act == 2:
        return b.node('LeakyRelu', [x], 'leakyrelu', alpha=float(p[0]) if p else 0.0)
    if act == 3:
        lo = b.const(np.array(float(p[0]), dtype=np.float32), 'clip_min')
        hi = b.const(np.array(float(p[1]), dtype=np.float32), 'clip_max')
        return b.node('Clip', [x, lo, hi], 'clip')
    if act == 4:
        return b.node('Sigmoid', [x], 'sigmoid')
    raise layer.refuse(f'activation_type (9) = {act} is not supported (0 none, 1 ReLU, 2 LeakyReLU, 3 Clip, 4 Sigmoid are)')


def _conv_pads(layer: NcnnLayer) -> dict:
    pl = int(layer.get(4, 0))
    pr = int(layer.get(15, pl))
    pt = int(layer.get(14, pl))
    pb = int(layer.get(16, pt))
    if float(layer.get(18, 0.0)) != 0.0:
        raise layer.refuse('pad_value (18) is not zero; only zero padding is supported')
    if pl in (-233, -234):
        return {'auto_pad': 'SAME_UPPER' if pl == -233 else 'SAME_LOWER'}
    if min(pl, pr, pt, pb) < 0:
        raise layer.refuse(f'negative padding {pl},{pr},{pt},{pb} is not supported')
    return {'pads': [pt, pl, pb, pr]}


def _convolution(b: _Builder, layer: NcnnLayer, x: str, tensors: dict[str, Weight]) -> str:
    out_ch = int(layer.get(0, 0))
    kh, kw = _conv_kernel(layer)
    dw = int(layer.get(2, 1)); dh = int(layer.get(12, dw))
    sw = int(layer.get(3, 1)); sh = int(layer.get(13, sw))
    group = int(layer.get(7, 1)) if layer.type == 'ConvolutionDepthWise' else 1
    size = int(layer.get(6, 0))
    per_out = size // (out_ch * kh * kw)
    if per_out * out_ch * kh * kw != size:
        raise layer.refuse(f'weight_data_size {size} is not a multiple of num_output x kernel ({out_ch}x{kh}x{kw})')
    w = b.weight(tensors['weight'], (out_ch, per_out, kh, kw), f'{layer.name}.weight')
    inputs = [x, w]
    if 'bias' in tensors:
        inputs.append(b.weight(tensors['bias'], (out_ch,), f'{layer.name}.bias'))
    y = b.node('Conv', inputs, layer.name, kernel_shape=[kh, kw], strides=[sh, sw], dilations=[dh, dw], group=group, **_conv_pads(layer))
    return _activation(b, layer, y)


def _deconvolution(b: _Builder, layer: NcnnLayer, x: str, tensors: dict[str, Weight]) -> str:
    out_ch = int(layer.get(0, 0))
    kh, kw = _conv_kernel(layer)
    dw = int(layer.get(2, 1)); dh = int(layer.get(12, dw))
    sw = int(layer.get(3, 1)); sh = int(layer.get(13, sw))
    if int(layer.get(20, 0)) or int(layer.get(21, 0)):
        raise layer.refuse('output_w/output_h (20/21) are not supported')
    opw = int(layer.get(18, 0)); oph = int(layer.get(19, opw))
    size = int(layer.get(6, 0))
    in_ch = size // (out_ch * kh * kw)
    if in_ch * out_ch * kh * kw != size:
        raise layer.refuse(f'weight_data_size {size} is not a multiple of num_output x kernel ({out_ch}x{kh}x{kw})')
    # ncnn stores deconvolution weights [out][in][kh][kw]; ONNX ConvTranspose wants [in][out][kh][kw].
    wt = tensors['weight']
    perm = lambda a: np.ascontiguousarray(a.reshape(out_ch, in_ch, kh, kw).transpose(1, 0, 2, 3))
    wt = Weight(perm(wt.data), wt.stored, perm(wt.fp16) if wt.fp16 is not None else None)
    w = b.weight(wt, (in_ch, out_ch, kh, kw), f'{layer.name}.weight')
    inputs = [x, w]
    if 'bias' in tensors:
        inputs.append(b.weight(tensors['bias'], (out_ch,), f'{layer.name}.bias'))
    pads = _conv_pads(layer)
    if 'auto_pad' in pads:
        raise layer.refuse('SAME padding (-233/-234) is not supported for Deconvolution')
    y = b.node('ConvTranspose', inputs, layer.name, kernel_shape=[kh, kw], strides=[sh, sw], dilations=[dh, dw], output_padding=[oph, opw], **pads)
    return _activation(b, layer, y)


def _interp(b: _Builder, layer: NcnnLayer, x: str) -> str:
    mode = int(layer.get(0, 0))
    hs = float(layer.get(1, 1.0)); ws = float(layer.get(2, 1.0))
    if int(layer.get(3, 0)) or int(layer.get(4, 0)) or int(layer.get(5, 0)):
        raise layer.refuse('output size (3/4) or dynamic target size (5) are not supported; only scale factors are')
    align = int(layer.get(6, 0))
    scales = b.const(np.array([1.0, 1.0, hs, ws], dtype=np.float32), 'scales')
    if mode == 1:  # nearest: source index = floor(dst * in / out)
        attrs = dict(mode='nearest', coordinate_transformation_mode='asymmetric', nearest_mode='floor')
    elif mode == 2:
        attrs = dict(mode='linear', coordinate_transformation_mode='align_corners' if align else 'half_pixel')
    elif mode == 3:  # ncnn bicubic: a = -0.75, edge taps clamped
        attrs = dict(mode='cubic', cubic_coeff_a=-0.75, exclude_outside=0, coordinate_transformation_mode='align_corners' if align else 'half_pixel')
    else:
        raise layer.refuse(f'resize_type (0) = {mode} is not supported (1 nearest, 2 bilinear, 3 bicubic are)')
    return b.node('Resize', [x, '', scales], layer.name, **attrs)


BINARY_OPS = {0: 'Add', 1: 'Sub', 2: 'Mul', 3: 'Div', 4: 'Max', 5: 'Min', 6: 'Pow'}
REVERSED_OPS = {7: 'Sub', 8: 'Div', 9: 'Pow'}


def _binary(b: _Builder, layer: NcnnLayer, xs: list[str]) -> str:
    op = int(layer.get(0, 0))
    with_scalar = int(layer.get(1, 0))
    if with_scalar:
        if len(xs) != 1:
            raise layer.refuse('with_scalar (1) is set but the layer has more than one input')
        a, other = xs[0], b.const(np.array(float(layer.get(2, 0.0)), dtype=np.float32), 'scalar')
    else:
        if len(xs) != 2:
            raise layer.refuse(f'a two-operand BinaryOp needs 2 inputs, got {len(xs)}')
        a, other = xs
    if op in BINARY_OPS:
        return b.node(BINARY_OPS[op], [a, other], layer.name)
    if op in REVERSED_OPS:
        return b.node(REVERSED_OPS[op], [other, a], layer.name)
    raise layer.refuse(f'op_type (0) = {op} is not supported (0..9 are)')


def _eltwise(b: _Builder, layer: NcnnLayer, xs: list[str]) -> str:
    op = int(layer.get(0, 0))
    coeffs = [float(c) for c in layer.get(1, [])]
    if op == 1:
        terms = []
        for i, x in enumerate(xs):
            c = coeffs[i] if coeffs else 1.0
            terms.append(x if c == 1.0 else b.node('Mul', [x, b.const(np.array(c, dtype=np.float32), 'coeff')], 'scaled'))
        return b.node('Sum', terms, layer.name)
    if coeffs:
        raise layer.refuse('coefficients (1) are only supported with op_type 1 (sum)')
    if op == 0:
        y = xs[0]
        for i, x in enumerate(xs[1:]):
            y = b.node('Mul', [y, x], layer.name if i == len(xs) - 2 else 'prod')
        return y
    if op == 2:
        return b.node('Max', xs, layer.name)
    raise layer.refuse(f'op_type (0) = {op} is not supported (0 prod, 1 sum, 2 max are)')


def _crop(b: _Builder, layer: NcnnLayer, x: str) -> str:
    if 9 not in layer.params:
        raise layer.refuse('only the starts/ends/axes form of Crop (-23309/-23310/-23311) is supported, not offsets or reference blobs')
    starts = [int(v) for v in layer.get(9, [])]
    ends = [int(v) for v in layer.get(10, [])]
    axes = [int(v) for v in layer.get(11, list(range(len(starts))))]
    if not (len(starts) == len(ends) == len(axes)):
        raise layer.refuse('starts, ends and axes differ in length')
    if any(a < 0 for a in axes):
        raise layer.refuse('negative axes are not supported')
    big = np.iinfo(np.int64).max
    ends = [big if e == -233 else e for e in ends]  # ncnn writes -233 for "to the end"
    return b.node('Slice', [x, b.const(np.array(starts, dtype=np.int64), 'starts'), b.const(np.array(ends, dtype=np.int64), 'ends'),
                            b.const(np.array([a + 1 for a in axes], dtype=np.int64), 'axes')], layer.name)


def _warp(b: _Builder, layer: NcnnLayer, image: str, flow: str) -> str:
    """rife.Warp: out(c, y, x) = bilinear(image(c), x + flow(0, y, x), y + flow(1, y, x)), edges clamped."""
    f32 = b.TensorProto.FLOAT
    shape = b.node('Shape', [flow], 'flow_shape')
    h = b.node('Gather', [shape, b.const(np.array(2, dtype=np.int64), 'i2')], 'h', axis=0)
    w = b.node('Gather', [shape, b.const(np.array(3, dtype=np.int64), 'i3')], 'w', axis=0)
    zero = b.const(np.array(0, dtype=np.int64), 'zero')
    one = b.const(np.array(1, dtype=np.int64), 'one')
    xs = b.node('Cast', [b.node('Range', [zero, w, one], 'xs_i')], 'xs', to=f32)
    ys = b.node('Cast', [b.node('Range', [zero, h, one], 'ys_i')], 'ys', to=f32)
    xs = b.node('Reshape', [xs, b.const(np.array([1, 1, 1, -1], dtype=np.int64), 'row')], 'xs4')
    ys = b.node('Reshape', [ys, b.const(np.array([1, 1, -1, 1], dtype=np.int64), 'col')], 'ys4')
    one_f = b.const(np.array(1.0, dtype=np.float32), 'one_f')
    two_f = b.const(np.array(2.0, dtype=np.float32), 'two_f')
    # align_corners=1: pixel p maps to 2 p / (size - 1) - 1.
    sx = b.node('Div', [two_f, b.node('Sub', [b.node('Cast', [w], 'wf', to=f32), one_f], 'wm1')], 'sx')
    sy = b.node('Div', [two_f, b.node('Sub', [b.node('Cast', [h], 'hf', to=f32), one_f], 'hm1')], 'sy')
    fx = b.node('Slice', [flow, b.const(np.array([0], dtype=np.int64), 's0'), b.const(np.array([1], dtype=np.int64), 's1'), b.const(np.array([1], dtype=np.int64), 'ax1')], 'fx')
    fy = b.node('Slice', [flow, b.const(np.array([1], dtype=np.int64), 's1'), b.const(np.array([2], dtype=np.int64), 's2'), b.const(np.array([1], dtype=np.int64), 'ax1')], 'fy')
    gx = b.node('Sub', [b.node('Mul', [b.node('Add', [xs, fx], 'px'), sx], 'gx0'), one_f], 'gx')
    gy = b.node('Sub', [b.node('Mul', [b.node('Add', [ys, fy], 'py'), sy], 'gy0'), one_f], 'gy')
    grid = b.node('Transpose', [b.node('Concat', [gx, gy], 'grid_nchw', axis=1)], 'grid', perm=[0, 2, 3, 1])
    return b.node('GridSample', [image, grid], layer.name, mode='bilinear', padding_mode='border', align_corners=1)


def build_onnx(graph: NcnnGraph, weights: dict[str, dict[str, Weight]], inputs: dict[str, InputSpec], outputs: dict[str, str], *,
               keep_fp16: bool = True, graph_name: str = 'ncnn2onnx', doc: str = ''):
    """Builds an ONNX model (opset 17, dynamic H/W) from a parsed ncnn graph and its weights.

    @param inputs: ncnn Input blob name -> InputSpec (every Input layer must be listed).
    @param outputs: ncnn blob name -> ONNX output name; each output is float32 [1, C, H', W'].
    @param keep_fp16: keep float16-stored weights as float16 initializers behind a Cast (lossless, half the size).
    @raises UnsupportedLayerError for a layer type or parameter not implemented.
    @returns an onnx.ModelProto that passes onnx.checker.
    """
    import onnx
    from onnx import TensorProto, helper

    b = _Builder(keep_fp16)
    tensor_of: dict[str, str] = {}  # ncnn blob -> ONNX tensor name
    graph_inputs = []
    pending_scalar: list[tuple[NcnnLayer, InputSpec]] = []
    for layer in graph.layers:
        if layer.type != 'Input':
            continue
        blob = layer.outputs[0]
        if blob not in inputs:
            raise layer.refuse(f'the Input blob "{blob}" has no InputSpec (give --input {blob}=NAME:C)')
        spec = inputs[blob]
        if spec.kind == 'image':
            graph_inputs.append(helper.make_tensor_value_info(spec.onnx_name, TensorProto.FLOAT, [1, spec.channels, 'height', 'width']))
            tensor_of[blob] = spec.onnx_name
        elif spec.kind == 'scalar_map':
            graph_inputs.append(helper.make_tensor_value_info(spec.onnx_name, TensorProto.FLOAT, [1]))
            pending_scalar.append((layer, spec))
        else:
            raise ValueError(f'unknown InputSpec kind "{spec.kind}"')
    unknown = set(inputs) - {layer.outputs[0] for layer in graph.layers if layer.type == 'Input'}
    if unknown:
        raise ValueError(f'--input names blobs that are not Input layers: {", ".join(sorted(unknown))}')
    for layer, spec in pending_scalar:
        if spec.like not in tensor_of:
            raise layer.refuse(f'the scalar map "{spec.onnx_name}" needs an image input to take its size from (like="{spec.like}")')
        ref_shape = b.node('Shape', [tensor_of[spec.like]], 'like_shape')
        hw = b.node('Slice', [ref_shape, b.const(np.array([2], dtype=np.int64), 's2'), b.const(np.array([4], dtype=np.int64), 's4')], 'hw')
        target = b.node('Concat', [b.const(np.array([1, 1], dtype=np.int64), 'n1c1'), hw], 'target', axis=0)
        value = b.node('Reshape', [spec.onnx_name, b.const(np.array([1, 1, 1, 1], dtype=np.int64), 'r1111')], 'ts4')
        tensor_of[layer.outputs[0]] = b.node('Expand', [value, target], spec.onnx_name + '_map')

    for layer in graph.layers:
        t = layer.type
        if t == 'Input':
            continue
        missing = [blob for blob in layer.inputs if blob not in tensor_of]
        if missing:
            raise NcnnFormatError(f'layer "{layer.name}" reads blob "{missing[0]}" before any layer produced it')
        xs = [tensor_of[blob] for blob in layer.inputs]
        tensors = weights.get(layer.name, {})
        if t == 'Split':
            for blob in layer.outputs:
                tensor_of[blob] = xs[0]
            continue
        if t in ('Convolution', 'ConvolutionDepthWise'):
            y = _convolution(b, layer, xs[0], tensors)
        elif t == 'Deconvolution':
            y = _deconvolution(b, layer, xs[0], tensors)
        elif t == 'PReLU':
            n = int(layer.get(0, 0))
            slope = b.weight(tensors['slope'], (n, 1, 1) if n > 1 else (1,), f'{layer.name}.slope')
            y = b.node('PRelu', [xs[0], slope], layer.name)
        elif t == 'ReLU':
            slope = float(layer.get(0, 0.0))
            y = b.node('Relu', xs, layer.name) if slope == 0.0 else b.node('LeakyRelu', xs, layer.name, alpha=slope)
        elif t == 'Sigmoid':
            y = b.node('Sigmoid', xs, layer.name)
        elif t == 'BinaryOp':
            y = _binary(b, layer, xs)
        elif t == 'Eltwise':
            y = _eltwise(b, layer, xs)
        elif t == 'Interp':
            y = _interp(b, layer, xs[0])
        elif t == 'PixelShuffle':
            if int(layer.get(1, 0)) != 0:
                raise layer.refuse('mode (1) = 1 is not supported; only the PyTorch order (mode 0) is')
            y = b.node('DepthToSpace', xs, layer.name, blocksize=int(layer.get(0, 1)), mode='CRD')
        elif t == 'Concat':
            axis = int(layer.get(0, 0))
            if axis < 0:
                raise layer.refuse('a negative concat axis is not supported')
            y = b.node('Concat', xs, layer.name, axis=axis + 1)
        elif t == 'Crop':
            y = _crop(b, layer, xs[0])
        elif t == 'rife.Warp':
            y = _warp(b, layer, xs[0], xs[1])
        else:
            raise layer.refuse(f'layer type "{t}" is not supported by ncnn2onnx (supported: {", ".join(sorted(SUPPORTED_TYPES))})')
        if len(layer.outputs) != 1:
            raise layer.refuse(f'{len(layer.outputs)} outputs; only Split may have more than one')
        tensor_of[layer.outputs[0]] = y

    graph_outputs = []
    for blob, onnx_name in outputs.items():
        if blob not in tensor_of:
            raise ValueError(f'output blob "{blob}" is not produced by the graph')
        b.node('Identity', [tensor_of[blob]], 'out', outputs=[onnx_name])
        graph_outputs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, [1, None, None, None]))

    g = helper.make_graph(b.nodes, graph_name, graph_inputs, graph_outputs, initializer=b.initializers, doc_string=doc)
    model = helper.make_model(g, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='storycanvas-ncnn2onnx', producer_version='1')
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def _parse_spec(text: str, scalar: bool) -> tuple[str, InputSpec]:
    blob, rest = text.split('=', 1)
    if scalar:
        name, like = rest.split(':', 1)
        return blob, InputSpec(name, 'scalar_map', 1, like)
    name, _, channels = rest.partition(':')
    return blob, InputSpec(name, 'image', int(channels or 3))


def convert(param_path: str, bin_path: str, inputs: dict[str, InputSpec], outputs: dict[str, str], **kw):
    """Reads the two files and returns (graph, weights, onnx model)."""
    with open(param_path, encoding='utf-8') as f:
        graph = parse_param(f.read())
    with open(bin_path, 'rb') as f:
        weights = load_weights(graph, f.read())
    return graph, weights, build_onnx(graph, weights, inputs, outputs, **kw)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('param'); ap.add_argument('bin'); ap.add_argument('onnx')
    ap.add_argument('--input', action='append', default=[], help='BLOB=NAME[:CHANNELS] an ncnn Input fed by an image tensor [1,C,H,W]')
    ap.add_argument('--scalar-input', action='append', default=[], help='BLOB=NAME:LIKE an ncnn Input fed by a [1] tensor broadcast to LIKE\'s H,W')
    ap.add_argument('--output', action='append', default=[], help='BLOB=NAME (default: output=output)')
    ap.add_argument('--fp32', action='store_true', help='store float16 weights as float32 (twice the size)')
    args = ap.parse_args(argv)
    inputs = dict(_parse_spec(s, False) for s in args.input)
    inputs.update(dict(_parse_spec(s, True) for s in args.scalar_input))
    outputs = dict(s.split('=', 1) for s in (args.output or ['output=output']))
    try:
        _, _, model = convert(args.param, args.bin, inputs, outputs, keep_fp16=not args.fp32)
    except (NcnnFormatError, UnsupportedLayerError) as err:
        print(f'ncnn2onnx: {err}', file=sys.stderr)
        return 2
    import os
    tmp = args.onnx + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(model.SerializeToString())
    os.replace(tmp, args.onnx)
    print(f'wrote {args.onnx} ({os.path.getsize(args.onnx)} bytes, {len(model.graph.node)} nodes)')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
