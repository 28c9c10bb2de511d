#!/usr/bin/python3
"""A small NumPy executor of an ncnn graph, layer by layer, to check ncnn2onnx's output against.

It runs the graph parsed by `ncnn2onnx.parse_param` with the weights of `ncnn2onnx.load_weights`, but shares none
of the ONNX building code: each layer is computed the way ncnn computes it (Tencent/ncnn src/layer/*.cpp,
reference C++ paths), in float32 on CHW arrays:
- Convolution / ConvolutionDepthWise: zero-padded cross-correlation, weights [out][in/group][kh][kw];
- Deconvolution: every input pixel scatters `value x kernel` into the output at (i*stride + k*dilation), then the
  padding is cut off (ncnn's deconvolution.cpp), weights [out][in][kh][kw];
- Interp: ncnn's own coefficient tables (interp.cpp): nearest = floor(dst * in/out); bilinear `linear_coeffs`
  (half-pixel centres, source clamped to [0, w-1]); bicubic `interpolate_cubic` with A = -0.75 and the edge taps
  folded onto the border pixel (`cubic_coeffs`);
- PixelShuffle (pixelshuffle.cpp: output channel p, row i*r+sh, column j*r+sw comes from input channel
  p*r*r + sh*r + sw), Crop (starts/ends/axes), Concat, BinaryOp, Eltwise, ReLU (leaky slope), PReLU, Sigmoid;
- rife.Warp: nihui/rife-ncnn-vulkan src/warp.comp (what its Vulkan build runs): sample at (x + fx, y + fy),
  x0 = floor, x1 = x0 + 1, both clamped to the picture, weights from the unclamped position.
The executor is slow (it is a reference, not a runtime): a few seconds for a 128x128 picture.

Library: run(graph, weights, feeds: {blob: CHW float32}) -> {blob: CHW float32} (every blob computed).
"""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ncnn2onnx import NcnnGraph, NcnnLayer, UnsupportedLayerError, Weight


def _conv(layer: NcnnLayer, x: np.ndarray, t: dict[str, Weight]) -> np.ndarray:
    out_ch = int(layer.get(0, 0))
    kw = int(layer.get(1, 0)); kh = int(layer.get(11, kw))
    dw = int(layer.get(2, 1)); dh = int(layer.get(12, dw))
    sw = int(layer.get(3, 1)); sh = int(layer.get(13, sw))
    pl = int(layer.get(4, 0)); pr = int(layer.get(15, pl)); pt = int(layer.get(14, pl)); pb = int(layer.get(16, pt))
    if min(pl, pr, pt, pb) < 0:
        raise layer.refuse('the reference executor does not implement SAME padding')
    group = int(layer.get(7, 1)) if layer.type == 'ConvolutionDepthWise' else 1
    c = x.shape[0]
    w = t['weight'].data.reshape(out_ch, c // group, kh, kw)
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr)))
    ext_h, ext_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    win = sliding_window_view(xp, (ext_h, ext_w), axis=(1, 2))[:, ::sh, ::sw, ::dh, ::dw]  # C, Ho, Wo, kh, kw
    outs = []
    cin_g, cout_g = c // group, out_ch // group
    for g in range(group):
        wg = w[g * cout_g:(g + 1) * cout_g]
        xg = win[g * cin_g:(g + 1) * cin_g]
        outs.append(np.tensordot(wg, xg, axes=([1, 2, 3], [0, 3, 4])))
    y = np.concatenate(outs, axis=0).astype(np.float32)
    if 'bias' in t:
        y += t['bias'].data[:, None, None]
    return _act(layer, y)


def _act(layer: NcnnLayer, y: np.ndarray) -> np.ndarray:
    act = int(layer.get(9, 0)); p = layer.get(10, [])
    if act == 0:
        return y
    if act == 1:
        return np.maximum(y, 0)
    if act == 2:
        return np.where(y > 0, y, y * np.float32(p[0])).astype(np.float32)
    if act == 3:
        return np.clip(y, p[0], p[1])
    if act == 4:
        return (1 / (1 + np.exp(-y))).astype(np.float32)
    raise layer.refuse(f'activation_type {act}')


def _deconv(layer: NcnnLayer, x: np.ndarray, t: dict[str, Weight]) -> np.ndarray:
    out_ch = int(layer.get(0, 0))
    kw = int(layer.get(1, 0)); kh = int(layer.get(11, kw))
    dw = int(layer.get(2, 1)); dh = int(layer.get(12, dw))
    sw = int(layer.get(3, 1)); sh = int(layer.get(13, sw))
    pl = int(layer.get(4, 0)); pr = int(layer.get(15, pl)); pt = int(layer.get(14, pl)); pb = int(layer.get(16, pt))
    opw = int(layer.get(18, 0)); oph = int(layer.get(19, opw))
    c, h, w = x.shape
    wt = t['weight'].data.reshape(out_ch, c, kh, kw)
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + oph
    full_w = (w - 1) * sw + dw * (kw - 1) + 1 + opw
    out = np.zeros((out_ch, full_h, full_w), dtype=np.float32)
    for ky in range(kh):
        for kx in range(kw):
            contrib = np.tensordot(wt[:, :, ky, kx], x, axes=([1], [0]))  # out_ch, h, w
            out[:, ky * dh:ky * dh + (h - 1) * sh + 1:sh, kx * dw:kx * dw + (w - 1) * sw + 1:sw] += contrib
    if 'bias' in t:
        out += t['bias'].data[:, None, None]
    out = out[:, pt:full_h - pb, pl:full_w - pr]
    return _act(layer, out)


def _linear_coeffs(n_in: int, n_out: int, align: bool) -> tuple[np.ndarray, np.ndarray]:
    idx = np.zeros(n_out, dtype=np.int64); alpha = np.zeros((n_out, 2), dtype=np.float32)
    scale = (n_in - 1) / (n_out - 1) if align else n_in / n_out
    for d in range(n_out):
        f = np.float32(d * scale) if align else np.float32((d + 0.5) * scale - 0.5)
        s = math.floor(f); f = np.float32(f - s)
        if s < 0:
            s, f = 0, np.float32(0)
        if s >= n_in - 1:
            s, f = n_in - 2, np.float32(1)
        idx[d] = s; alpha[d] = (1 - f, f)
    return idx, alpha


def _cubic_weights(f: np.float32) -> list[np.float32]:
    a = np.float32(-0.75)
    f0, f1, f2 = f + 1, f, 1 - f
    c0 = a * f0 * f0 * f0 - 5 * a * f0 * f0 + 8 * a * f0 - 4 * a
    c1 = (a + 2) * f1 * f1 * f1 - (a + 3) * f1 * f1 + 1
    c2 = (a + 2) * f2 * f2 * f2 - (a + 3) * f2 * f2 + 1
    return [c0, c1, c2, np.float32(1) - c0 - c1 - c2]


def _cubic_matrix(n_in: int, n_out: int, align: bool) -> np.ndarray:
    """Row d holds the weights of the source pixels for output d; taps outside the picture land on its edge."""
    m = np.zeros((n_out, n_in), dtype=np.float64)
    scale = (n_in - 1) / (n_out - 1) if align else n_in / n_out
    for d in range(n_out):
        f = np.float32(d * scale) if align else np.float32((d + 0.5) * scale - 0.5)
        s = math.floor(f)
        for k, c in enumerate(_cubic_weights(np.float32(f - s))):
            m[d, min(max(s - 1 + k, 0), n_in - 1)] += c
    return m


def _interp(layer: NcnnLayer, x: np.ndarray) -> np.ndarray:
    mode = int(layer.get(0, 0)); hs = float(layer.get(1, 1.0)); ws = float(layer.get(2, 1.0)); align = bool(int(layer.get(6, 0)))
    c, h, w = x.shape
    oh, ow = int(h * hs), int(w * ws)
    if mode == 1:
        ys = np.minimum((np.arange(oh) * (h / oh)).astype(np.int64), h - 1)
        xs = np.minimum((np.arange(ow) * (w / ow)).astype(np.int64), w - 1)
        return x[:, ys][:, :, xs]
    if mode == 2:
        yi, ya = _linear_coeffs(h, oh, align); xi, xa = _linear_coeffs(w, ow, align)
        rows = x[:, yi] * ya[None, :, 0, None] + x[:, yi + 1] * ya[None, :, 1, None]
        return (rows[:, :, xi] * xa[None, None, :, 0] + rows[:, :, xi + 1] * xa[None, None, :, 1]).astype(np.float32)
    if mode == 3:
        my = _cubic_matrix(h, oh, align); mx = _cubic_matrix(w, ow, align)
        return np.matmul(np.matmul(my, x.astype(np.float64)), mx.T).astype(np.float32)
    raise layer.refuse(f'resize_type {mode}')


def _pixel_shuffle(layer: NcnnLayer, x: np.ndarray) -> np.ndarray:
    r = int(layer.get(0, 1)); mode = int(layer.get(1, 0))
    c, h, w = x.shape
    oc = c // (r * r)
    out = np.empty((oc, h * r, w * r), dtype=np.float32)
    for p in range(oc):
        for sh in range(r):
            for sw in range(r):
                q = p * r * r + sh * r + sw if mode == 0 else (sh * r + sw) * oc + p
                out[p, sh::r, sw::r] = x[q]
    return out


def _warp(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    c, h, w = image.shape
    gy, gx = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing='ij')
    sx = gx + flow[0]; sy = gy + flow[1]
    x0 = np.floor(sx).astype(np.int64); y0 = np.floor(sy).astype(np.int64)
    x1 = x0 + 1; y1 = y0 + 1
    x0 = np.clip(x0, 0, w - 1); y0 = np.clip(y0, 0, h - 1); x1 = np.clip(x1, 0, w - 1); y1 = np.clip(y1, 0, h - 1)
    alpha = sx - x0; beta = sy - y0
    v0 = image[:, y0, x0]; v1 = image[:, y0, x1]; v2 = image[:, y1, x0]; v3 = image[:, y1, x1]
    v4 = v0 * (1 - alpha) + v1 * alpha
    v5 = v2 * (1 - alpha) + v3 * alpha
    return (v4 * (1 - beta) + v5 * beta).astype(np.float32)


def _binary(layer: NcnnLayer, xs: list[np.ndarray]) -> np.ndarray:
    op = int(layer.get(0, 0))
    a = xs[0]
    b = np.float32(layer.get(2, 0.0)) if int(layer.get(1, 0)) else xs[1]
    if not np.isscalar(b) and b.shape != a.shape:
        # ncnn broadcasts a one-channel blob over the channels of a blob of the same height and width.
        one_channel = (a.shape[1:] == b.shape[1:]) and (a.shape[0] == 1 or b.shape[0] == 1)
        if not one_channel:
            raise layer.refuse(f'the reference executor only implements same-shape or one-channel operands, got {a.shape} and {b.shape}')
    fns = {0: lambda: a + b, 1: lambda: a - b, 2: lambda: a * b, 3: lambda: a / b, 4: lambda: np.maximum(a, b),
           5: lambda: np.minimum(a, b), 6: lambda: np.power(a, b), 7: lambda: b - a, 8: lambda: b / a, 9: lambda: np.power(b, a)}
    if op not in fns:
        raise layer.refuse(f'op_type {op}')
    return np.asarray(fns[op](), dtype=np.float32)


def run(graph: NcnnGraph, weights: dict[str, dict[str, Weight]], feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Runs every layer in file order.

    @param feeds: Input blob name -> CHW float32 array.
    @returns every blob's CHW float32 value.
    @raises UnsupportedLayerError for a layer the reference does not implement.
    """
    blobs: dict[str, np.ndarray] = {}
    for layer in graph.layers:
        t = layer.type
        if t == 'Input':
            blobs[layer.outputs[0]] = np.asarray(feeds[layer.outputs[0]], dtype=np.float32)
            continue
        xs = [blobs[b] for b in layer.inputs]
        tw = weights.get(layer.name, {})
        if t == 'Split':
            for b in layer.outputs:
                blobs[b] = xs[0]
            continue
        if t in ('Convolution', 'ConvolutionDepthWise'):
            y = _conv(layer, xs[0], tw)
        elif t == 'Deconvolution':
            y = _deconv(layer, xs[0], tw)
        elif t == 'PReLU':
            s = tw['slope'].data
            y = np.where(xs[0] > 0, xs[0], xs[0] * (s[:, None, None] if s.size > 1 else s[0])).astype(np.float32)
        elif t == 'ReLU':
            slope = np.float32(layer.get(0, 0.0))
            y = np.where(xs[0] > 0, xs[0], xs[0] * slope).astype(np.float32)
        elif t == 'Sigmoid':
            y = (1 / (1 + np.exp(-xs[0]))).astype(np.float32)
        elif t == 'BinaryOp':
            y = _binary(layer, xs)
        elif t == 'Eltwise':
            op = int(layer.get(0, 0)); coeffs = layer.get(1, [])
            if op == 1:
                y = sum(x * np.float32(coeffs[i] if coeffs else 1.0) for i, x in enumerate(xs)).astype(np.float32)
            elif op == 0:
                y = np.prod(np.stack(xs), axis=0).astype(np.float32)
            else:
                y = np.max(np.stack(xs), axis=0)
        elif t == 'Interp':
            y = _interp(layer, xs[0])
        elif t == 'PixelShuffle':
            y = _pixel_shuffle(layer, xs[0])
        elif t == 'Concat':
            y = np.concatenate(xs, axis=int(layer.get(0, 0)))
        elif t == 'Crop':
            y = xs[0]
            for s, e, a in zip(layer.get(9, []), layer.get(10, []), layer.get(11, [])):
                sl = [slice(None)] * 3
                sl[int(a)] = slice(int(s), None if int(e) == -233 else int(e))
                y = y[tuple(sl)]
        elif t == 'rife.Warp':
            y = _warp(xs[0], xs[1])
        else:
            raise UnsupportedLayerError(f'layer "{layer.name}" ({t}): not implemented by the reference executor')
        blobs[layer.outputs[0]] = y
    return blobs
