/**
 * The bundled model (resources/models/storycanvas-espcn-x2, trained by tools/models/train_espcn.py) gives in
 * onnxruntime-node what it gave in PyTorch: the training script saved a held-out crop (input.png) and PyTorch's
 * float output on it (output.f32) in testdata/espcn-reference.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadModelEntry } from './registry.ts';
import { BUNDLED_MODELS_DIR, cpuSession, ESPCN_ID, planarFromRgb, runUntiled } from './testSupport.ts';

const REFERENCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'espcn-reference');

describe('bundled ESPCN x2', () => {
  it('matches PyTorch on a held-out picture within 1e-4', async () => {
    const meta = JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'reference.json'), 'utf8')) as { inputWidthPx: number; inputHeightPx: number; outputShape: number[]; modelSha256: string };
    const entry = await loadModelEntry(path.join(BUNDLED_MODELS_DIR, ESPCN_ID), 'bundled');
    expect(meta.modelSha256).toBe(entry.sha256); // the reference was made with the committed model
    const { data, info } = await sharp(path.join(REFERENCE_DIR, 'input.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([meta.inputWidthPx, meta.inputHeightPx]);
    const session = await cpuSession(entry.modelPath);
    const out = await runUntiled(session, planarFromRgb(data, info.width, info.height), 3, info.width, info.height);
    const refBytes = readFileSync(path.join(REFERENCE_DIR, 'output.f32'));
    const ref = new Float32Array(refBytes.buffer.slice(refBytes.byteOffset, refBytes.byteOffset + refBytes.byteLength));
    expect(out.length).toBe(meta.outputShape.reduce((a, b) => a * b, 1));
    expect(ref.length).toBe(out.length);
    let maxDiff = 0;
    for (let i = 0; i < out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    await session.release();
  });

  it('has the ~100 KB of weights and the held-out PSNR gain over bicubic its sidecar claims', async () => {
    const entry = await loadModelEntry(path.join(BUNDLED_MODELS_DIR, ESPCN_ID), 'bundled');
    expect(entry.sizeBytes).toBeGreaterThan(80_000);
    expect(entry.sizeBytes).toBeLessThan(160_000);
    const metrics = entry.metrics as { psnrDb: number; bicubicPsnrDb: number; heldOut: string[] };
    expect(metrics.heldOut).toEqual(['coffee', 'chelsea']);
    expect(metrics.psnrDb - metrics.bicubicPsnrDb).toBeGreaterThan(0.5);
  });
});
