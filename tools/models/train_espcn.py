#!/usr/bin/python3
"""Train StoryCanvas's bundled x2 super-resolution model (ESPCN-like) on CPU and export it to ONNX.

The network (about 27 k parameters, ~105 KB of float32 weights) follows ESPCN (Shi et al. 2016,
https://arxiv.org/abs/1609.05158): three convolutions on the low-resolution picture (5x5 3->64, 3x3 64->32,
3x3 32->12) and a pixel shuffle to twice the size. Unlike the paper it learns a *residual* over a bicubic
upscale of its input (the bicubic is part of the exported graph), so a few minutes of CPU training start from
bicubic quality and only have to learn the missing detail.

Data: the photographs that ship with scikit-image (`skimage.data`), nothing downloaded. `coffee` and `chelsea`
are held out for evaluation (`cat` is the same picture as `chelsea`, so it is left out of training too).
Low-resolution inputs are made with PIL's bicubic (antialiased) downscale by 2.

Outputs (paths relative to the repository root, all written to a temp name then renamed):
  resources/models/storycanvas-espcn-x2/model.onnx   opset 13, input `input` [1,3,H,W], output `output`
                                                     [1,3,2H,2W], float32 RGB in [0,1], dynamic H and W
  resources/models/storycanvas-espcn-x2/model.json   the sidecar (see src-main/core/enhance/registry.ts)
  src-main/core/enhance/testdata/espcn-reference/    a held-out crop (input.png) and PyTorch's output on it
                                                     (output.f32: float32 NCHW little-endian) for the Node test

Usage (Debian: apt-get install python3-torch python3-onnx python3-skimage python3-numpy python3-pil):
  nice -n 19 /usr/bin/python3 tools/models/train_espcn.py --seconds 300
"""
import argparse
import hashlib
import io
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
import skimage.data

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
MODEL_DIR = os.path.join(ROOT, 'resources', 'models', 'storycanvas-espcn-x2')
REFERENCE_DIR = os.path.join(ROOT, 'src-main', 'core', 'enhance', 'testdata', 'espcn-reference')

TRAIN_COLOUR = ['astronaut', 'rocket', 'immunohistochemistry', 'retina', 'hubble_deep_field']
TRAIN_GREY = ['camera', 'coins', 'grass', 'gravel', 'brick', 'moon', 'page', 'text', 'clock', 'cell']
HELD_OUT = ['coffee', 'chelsea']


class EspcnX2(nn.Module):
    """ESPCN x2 with a bicubic skip: y = bicubic(x) + shuffle(conv3(tanh(conv2(tanh(conv1(x))))))."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 5, padding=2)
        self.conv2 = nn.Conv2d(64, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 3 * 4, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        nn.init.zeros_(self.conv3.weight)  # start exactly at bicubic
        nn.init.zeros_(self.conv3.bias)

    def forward(self, x):
        base = F.interpolate(x, scale_factor=2.0, mode='bicubic', align_corners=False)
        r = torch.tanh(self.conv1(x))
        r = torch.tanh(self.conv2(r))
        return base + self.shuffle(self.conv3(r))


def load(name):
    im = getattr(skimage.data, name)()
    if im.ndim == 2:
        im = np.stack([im] * 3, axis=-1)
    im = im[..., :3]
    h, w = im.shape[0] // 2 * 2, im.shape[1] // 2 * 2
    return np.ascontiguousarray(im[:h, :w])


def downscale(hr):
    """PIL bicubic (antialiased) downscale by 2 of an HxWx3 uint8 array."""
    h, w = hr.shape[:2]
    return np.asarray(Image.fromarray(hr).resize((w // 2, h // 2), Image.BICUBIC))


def pil_bicubic_up(lr):
    h, w = lr.shape[:2]
    return np.asarray(Image.fromarray(lr).resize((w * 2, h * 2), Image.BICUBIC))


def to_tensor(u8):
    return torch.from_numpy(u8.astype(np.float32) / 255.0).permute(2, 0, 1).unsqueeze(0)


def to_u8(t):
    return (t.squeeze(0).permute(1, 2, 0).clamp(0, 1).numpy() * 255.0 + 0.5).astype(np.uint8)


def psnr(a, b, shave=2):
    """PSNR in dB of two HxWx3 uint8 pictures over all three channels, `shave` pixels cut from each border."""
    a = a[shave:-shave, shave:-shave].astype(np.float64)
    b = b[shave:-shave, shave:-shave].astype(np.float64)
    mse = np.mean((a - b) ** 2)
    return 10 * math.log10(255.0 ** 2 / mse)


def evaluate(model, pairs):
    model.eval()
    rows = []
    with torch.no_grad():
        for name, hr, lr in pairs:
            out = to_u8(model(to_tensor(lr)))
            torch_bicubic = to_u8(F.interpolate(to_tensor(lr), scale_factor=2.0, mode='bicubic', align_corners=False))
            rows.append({
                'image': name,
                'bicubicPil': round(psnr(pil_bicubic_up(lr), hr), 3),
                'bicubicTorch': round(psnr(torch_bicubic, hr), 3),
                'model': round(psnr(out, hr), 3),
            })
    model.train()
    return rows


def write_atomic(path, data):
    tmp = path + '.tmp-%d' % os.getpid()
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seconds', type=float, default=300, help='training time budget in seconds of wall clock')
    ap.add_argument('--patch', type=int, default=64, help='high-resolution patch size in pixels (even)')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--threads', type=int, default=1)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)

    train = []
    for name in TRAIN_COLOUR + TRAIN_GREY:
        hr = load(name)
        train.append((to_tensor(hr)[0], to_tensor(downscale(hr))[0]))
    held = [(name, load(name), downscale(load(name))) for name in HELD_OUT]

    model = EspcnX2()
    params = sum(p.numel() for p in model.parameters())
    print(f'parameters: {params} ({params * 4 / 1024:.1f} KiB float32)', flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    weights = np.array([t[0].shape[1] * t[0].shape[2] for t in train], dtype=np.float64)
    weights /= weights.sum()

    p = args.patch
    q = p // 2
    start = time.time()
    step = 0
    while time.time() - start < args.seconds:
        frac = (time.time() - start) / args.seconds
        for g in opt.param_groups:
            g['lr'] = 1e-3 if frac < 0.6 else (3e-4 if frac < 0.85 else 1e-4)
        hrs, lrs = [], []
        for _ in range(args.batch):
            hr, lr = train[np.random.choice(len(train), p=weights)]
            y = random.randrange(0, lr.shape[1] - q + 1)
            x = random.randrange(0, lr.shape[2] - q + 1)
            h = hr[:, 2 * y:2 * y + p, 2 * x:2 * x + p]
            l = lr[:, y:y + q, x:x + q]
            if random.random() < 0.5:
                h, l = h.flip(2), l.flip(2)
            k = random.randrange(4)
            h, l = torch.rot90(h, k, (1, 2)), torch.rot90(l, k, (1, 2))
            hrs.append(h)
            lrs.append(l)
        hrb, lrb = torch.stack(hrs), torch.stack(lrs)
        out = model(lrb)
        # Compare away from the patch border, where the padding differs from a whole picture.
        loss = F.mse_loss(out[:, :, 4:-4, 4:-4], hrb[:, :, 4:-4, 4:-4])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 500 == 0:
            print(f'step {step} {time.time() - start:.0f}s loss {loss.item():.6f}', flush=True)
    trained_s = time.time() - start
    rows = evaluate(model, held)
    for r in rows:
        print(r, flush=True)
    mean = {k: round(sum(r[k] for r in rows) / len(rows), 3) for k in ('bicubicPil', 'bicubicTorch', 'model')}
    print('mean', mean, flush=True)

    # Export: dynamic height and width, opset 13.
    model.eval()
    os.makedirs(MODEL_DIR, exist_ok=True)
    buf = io.BytesIO()
    torch.onnx.export(model, torch.rand(1, 3, 32, 48), buf, opset_version=13, input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {2: 'height', 3: 'width'}, 'output': {2: 'outHeight', 3: 'outWidth'}})
    onnx_bytes = buf.getvalue()
    import onnx
    onnx.checker.check_model(onnx.load_from_string(onnx_bytes))
    write_atomic(os.path.join(MODEL_DIR, 'model.onnx'), onnx_bytes)
    sha = hashlib.sha256(onnx_bytes).hexdigest()

    sidecar = {
        'schemaVersion': 1,
        'id': 'storycanvas-espcn-x2',
        'name': 'StoryCanvas ESPCN x2 (fast)',
        'description': 'Small, fast x2 upscaler (ESPCN-like, residual over bicubic) trained on CPU on scikit-image sample photos. '
                       'Sharper than bicubic; no hallucinated detail.',
        'task': 'upscale',
        'scale': 2,
        'inputLayout': 'RGB',
        'valueRange': [0, 1],
        'tileMultiple': 1,
        'receptiveFieldPx': 4,
        'inputName': 'input',
        'outputName': 'output',
        'file': 'model.onnx',
        'sha256': sha,
        'licence': {'spdx': 'MIT', 'url': 'https://opensource.org/license/mit'},
        'source': 'StoryCanvas: tools/models/train_espcn.py (trained from scratch; training data: scikit-image sample images)',
        'metrics': {
            'heldOut': HELD_OUT,
            'psnrDb': mean['model'],
            'bicubicPsnrDb': mean['bicubicPil'],
            'bicubicTorchPsnrDb': mean['bicubicTorch'],
            'perImage': rows,
            'note': 'RGB PSNR against the original after a PIL bicubic (antialiased) x0.5 downscale, 2 px border shaved; '
                    'bicubic = PIL bicubic x2 upscale.',
            'trainingSeconds': round(trained_s),
            'trainingSteps': step,
        },
    }
    write_atomic(os.path.join(MODEL_DIR, 'model.json'), (json.dumps(sidecar, indent=2) + '\n').encode())

    # Reference for the Node test: a held-out crop and PyTorch's float output on it.
    os.makedirs(REFERENCE_DIR, exist_ok=True)
    crop = held[0][2][60:100, 100:156]  # coffee, low resolution, 40 x 56
    png = io.BytesIO()
    Image.fromarray(crop).save(png, format='PNG')
    write_atomic(os.path.join(REFERENCE_DIR, 'input.png'), png.getvalue())
    with torch.no_grad():
        ref = model(to_tensor(crop)).numpy().astype('<f4')
    write_atomic(os.path.join(REFERENCE_DIR, 'output.f32'), ref.tobytes())
    meta = {'inputWidthPx': crop.shape[1], 'inputHeightPx': crop.shape[0], 'outputShape': list(ref.shape),
            'modelSha256': sha, 'layout': 'NCHW float32 little-endian, RGB in [0,1] (input is input.png / 255)'}
    write_atomic(os.path.join(REFERENCE_DIR, 'reference.json'), (json.dumps(meta, indent=2) + '\n').encode())
    print(f'wrote {MODEL_DIR} (sha256 {sha}, {len(onnx_bytes)} bytes) and {REFERENCE_DIR}', flush=True)


if __name__ == '__main__':
    sys.exit(main())
