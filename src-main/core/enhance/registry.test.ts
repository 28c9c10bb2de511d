import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBlendModel, buildConvModel } from './modelBuilders.ts';
import { clearModelCache, findModel, listModels, loadModelEntry, userModelsDir } from './registry.ts';
import { BUNDLED_MODELS_DIR, ESPCN_ID, sidecarFor, tempDir, writeModelFolder } from './testSupport.ts';

let root: string;
let cleanup: () => Promise<void>;
const model = buildConvModel({ scale: 2 });

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  clearModelCache();
});
afterEach(() => cleanup());

describe('loadModelEntry', () => {
  it('accepts a model whose sidecar is valid and whose hash and names match', async () => {
    const dir = await writeModelFolder(root, 'good', model, sidecarFor(model, { id: 'good', scale: 2 }));
    const entry = await loadModelEntry(dir, 'user');
    expect(entry).toMatchObject({ id: 'good', scale: 2, origin: 'user', modelPath: path.join(dir, 'model.onnx'), sizeBytes: model.length });
  });

  it('refuses a model without sidecar, naming the file', async () => {
    const dir = await writeModelFolder(root, 'bare', model, null);
    await expect(loadModelEntry(dir, 'user')).rejects.toMatchObject({ code: 'enhance.badSidecar', message: expect.stringContaining(path.join(dir, 'model.json')) });
    await expect(loadModelEntry(dir, 'user')).rejects.toThrow(/is missing: a model needs a model.json sidecar/);
  });

  it('refuses a sidecar that is not JSON', async () => {
    const dir = await writeModelFolder(root, 'badjson', model, '{ "schemaVersion": 1, ');
    await expect(loadModelEntry(dir, 'user')).rejects.toThrow(/model\.json is not valid JSON/);
  });

  it('refuses a sidecar with a wrong or misspelt field, listing the fields', async () => {
    const bad = { ...sidecarFor(model), scale: 0, tile_multiple: 8, licence: { spdx: 'MIT', url: 'not a url' } };
    const dir = await writeModelFolder(root, 'badfields', model, JSON.stringify(bad));
    const err = (await loadModelEntry(dir, 'user').catch((e: Error) => e)) as Error;
    expect(err).toMatchObject({ code: 'enhance.badSidecar' });
    expect(err.message).toMatch(/not a valid model sidecar/);
    expect(err.message).toMatch(/scale/);
    expect(err.message).toMatch(/tile_multiple/);
    expect(err.message).toMatch(/licence\.url/);
  });

  it('refuses a corrupt model: its SHA-256 does not match the sidecar', async () => {
    const dir = await writeModelFolder(root, 'corrupt', model, sidecarFor(model, { scale: 2 }));
    const bytes = await readFile(path.join(dir, 'model.onnx'));
    bytes[bytes.length - 10] ^= 0xff; // one flipped byte
    await writeFile(path.join(dir, 'model.onnx'), bytes);
    const err = (await loadModelEntry(dir, 'user').catch((e: Error) => e)) as Error;
    expect(err).toMatchObject({ code: 'enhance.badModel' });
    expect(err.message).toContain(path.join(dir, 'model.onnx'));
    expect(err.message).toMatch(/does not match its sidecar: its SHA-256 is [0-9a-f]{64}, model.json says/);
  });

  it('refuses a sidecar whose input name is not the model\'s, listing the real inputs', async () => {
    const dir = await writeModelFolder(root, 'wrongname', model, sidecarFor(model, { inputName: 'image' }));
    await expect(loadModelEntry(dir, 'user')).rejects.toMatchObject({
      code: 'enhance.modelMismatch',
      message: expect.stringMatching(/has no input named "image" \(its inputs: "input"\)/),
    });
  });

  it('refuses a wrong output name and a layout that does not match the channels', async () => {
    const a = await writeModelFolder(root, 'wrongout', model, sidecarFor(model, { outputName: 'sr' }));
    await expect(loadModelEntry(a, 'user')).rejects.toThrow(/has no output named "sr"/);
    const b = await writeModelFolder(root, 'wronglayout', model, sidecarFor(model, { inputLayout: 'Y' }));
    await expect(loadModelEntry(b, 'user')).rejects.toThrow(/has 3 channels but model.json says inputLayout Y/);
  });

  it('refuses a folder with a sidecar but no model.onnx, and a file that is not ONNX', async () => {
    const dir = await writeModelFolder(root, 'nomodel', model, sidecarFor(model));
    await rm(path.join(dir, 'model.onnx'));
    await expect(loadModelEntry(dir, 'user')).rejects.toMatchObject({ code: 'enhance.badModel', message: expect.stringMatching(/model\.onnx is missing: the folder has a sidecar but no model/) });
    const junk = new TextEncoder().encode('PK\u0003\u0004 a zip, not a model');
    const junkDir = await writeModelFolder(root, 'junk', junk, sidecarFor(junk));
    await expect(loadModelEntry(junkDir, 'user')).rejects.toMatchObject({ code: 'enhance.modelMismatch', message: expect.stringMatching(/cannot be read: not an ONNX model/) });
  });
});

describe('listModels and findModel', () => {
  it('lists the bundled ESPCN model, verified, with its licence and measured PSNR', async () => {
    const list = await listModels({ bundledDir: BUNDLED_MODELS_DIR });
    expect(list.refused).toEqual([]);
    const espcn = list.models.find((m) => m.id === ESPCN_ID);
    expect(espcn).toMatchObject({ origin: 'bundled', task: 'upscale', scale: 2, inputLayout: 'RGB', valueRange: [0, 1], licence: { spdx: 'MIT' } });
    expect(typeof espcn!.metrics?.psnrDb).toBe('number');
  });

  it('lists user models beside bundled ones and reports refused folders and loose files with reasons', async () => {
    const user = userModelsDir(root);
    await writeModelFolder(user, 'mine', model, sidecarFor(model, { id: 'mine', scale: 2 }));
    await writeModelFolder(user, 'broken', model, '{');
    await writeModelFolder(user, 'clash', model, sidecarFor(model, { id: ESPCN_ID, scale: 2 }));
    await writeFile(path.join(user, 'loose.onnx'), model);
    const list = await listModels({ bundledDir: BUNDLED_MODELS_DIR, userDir: user });
    const origins = list.models.map((m) => [m.id, m.origin]);
    expect(origins).toContainEqual([ESPCN_ID, 'bundled']);
    expect(origins.filter(([, origin]) => origin === 'user')).toEqual([['mine', 'user']]);
    expect(origins.at(-1)).toEqual(['mine', 'user']);
    const reasons = Object.fromEntries(list.refused.map((r) => [path.basename(r.path), r.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['broken', 'clash', 'loose.onnx']);
    expect(reasons.broken).toMatch(/not valid JSON/);
    expect(reasons.clash).toMatch(/uses the id "storycanvas-espcn-x2" of the model in/);
    expect(reasons['loose.onnx']).toMatch(/needs its own folder/);
  });

  it('treats a missing folder as empty', async () => {
    expect(await listModels({ userDir: path.join(root, 'nope') })).toEqual({ models: [], refused: [] });
  });

  it('findModel names the installed models for an unknown id, and the reason for a refused one', async () => {
    await expect(findModel({ bundledDir: BUNDLED_MODELS_DIR }, 'realesrgan-x4')).rejects.toMatchObject({
      code: 'enhance.unknownModel',
      message: expect.stringMatching(new RegExp(`^No model "realesrgan-x4" is installed \\(models: .*${ESPCN_ID}.*\\)`)),
    });
    await writeModelFolder(root, 'bad-one', model, null);
    await expect(findModel({ userDir: root }, 'bad-one')).rejects.toThrow(/The model "bad-one" cannot be used: .*model.json is missing/);
  });

  it('re-verifies a model whose file changed after it was listed', async () => {
    const dir = await writeModelFolder(root, 'changing', model, sidecarFor(model, { id: 'changing', scale: 2 }));
    expect((await listModels({ userDir: root })).models).toHaveLength(1);
    const other = buildConvModel({ scale: 2, seed: 99 });
    await new Promise((r) => setTimeout(r, 20)); // a later modification time
    await writeFile(path.join(dir, 'model.onnx'), other);
    const list = await listModels({ userDir: root });
    expect(list.models).toHaveLength(0);
    expect(list.refused[0].reason).toMatch(/does not match its sidecar/);
  });
});

describe('interpolate models', () => {
  it('accepts a RIFE-interface model (two frames and a timestep) and records the timestep shape', async () => {
    const blend = buildBlendModel({ timestepShape: [1, 1, 'height', 'width'] });
    const dir = await writeModelFolder(root, 'rife', blend, sidecarFor(blend, { id: 'rife', task: 'interpolate', inputName: 'img0', tileMultiple: 32 }));
    const entry = await loadModelEntry(dir, 'user');
    expect(entry).toMatchObject({ id: 'rife', task: 'interpolate', timestepShape: [1, 1, 'height', 'width'] });
    const renamed = buildBlendModel({ img1Name: 'frame_b', timestepName: 't' });
    const dir2 = await writeModelFolder(root, 'named', renamed, sidecarFor(renamed, { id: 'named', task: 'interpolate', inputName: 'img0', secondInputName: 'frame_b', timestepName: 't' }));
    expect((await loadModelEntry(dir2, 'user')).timestepShape).toEqual([1, 1, 1, 1]);
  });

  it('refuses an interpolate model without a second frame or timestep input, or with a scale, naming the field to fix', async () => {
    const single = buildConvModel();
    const dir = await writeModelFolder(root, 'single', single, sidecarFor(single, { id: 'single', task: 'interpolate' }));
    await expect(loadModelEntry(dir, 'user')).rejects.toMatchObject({ code: 'enhance.modelMismatch', message: expect.stringMatching(/has no second frame input named "img1".*two frames and a timestep/) });
    const blend = buildBlendModel({ timestepName: 'time' });
    const dir2 = await writeModelFolder(root, 'notime', blend, sidecarFor(blend, { id: 'notime', task: 'interpolate', inputName: 'img0' }));
    await expect(loadModelEntry(dir2, 'user')).rejects.toMatchObject({ hint: expect.stringMatching(/Set timestepName in model.json/) });
    const dir3 = await writeModelFolder(root, 'scaled', buildBlendModel(), sidecarFor(buildBlendModel(), { id: 'scaled', task: 'interpolate', inputName: 'img0', scale: 2 }));
    await expect(loadModelEntry(dir3, 'user')).rejects.toThrow(/needs inputLayout "RGB" and scale 1/);
  });
});
