import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinPresets, detectFamily, FAMILY_PRESETS, MODEL_FAMILIES, PresetStore, settingFor, type UserPresetInput } from './presets.ts';

describe('detectFamily', () => {
  it.each([
    ['flux1-dev-fp8.safetensors', 'flux_dev'],
    ['flux1-schnell.safetensors', 'flux_schnell'],
    ['ponyDiffusionV6XL.safetensors', 'pony'],
    ['illustriousXL_v01.safetensors', 'illustrious'],
    ['wan2.2_i2v_high_noise_14B_fp8.safetensors', 'wan_2_2'],
    ['ltxv-13b-0.9.7-dev.safetensors', 'ltx_video'],
    ['hunyuan_video_t2v_720p_bf16.safetensors', 'hunyuan_video'],
    ['qwen_image_edit_fp8_e4m3fn.safetensors', 'qwen_edit'],
    ['sd_xl_base_1.0.safetensors', 'sdxl'],
    ['v1-5-pruned-emaonly.safetensors', 'sd15'],
    ['mystery_model_v3.safetensors', 'sdxl'],
    // beyond the examples
    ['qwen_image_fp8_e4m3fn.safetensors', 'qwen_image'],
    ['wan2.1_i2v_480p_14B_fp16.safetensors', 'wan_2_1'],
    ['flux1-krea-dev_fp8_scaled.safetensors', 'flux_krea'],
    ['flux1-pro.safetensors', 'flux_pro'],
    ['hidream_i1_dev_bf16.safetensors', 'hidream'],
    ['FLUX/flux1-dev.safetensors', 'flux_dev'],
    ['juggernautXL_v9.safetensors', 'sdxl'],
  ])('%s -> %s', (file, family) => {
    expect(detectFamily(file)).toBe(family);
  });
});

describe('family presets', () => {
  // [family, fast steps, quality steps, widthPx, heightPx, loraLimit]
  it.each([
    ['flux_dev', 8, 28, 1024, 1024, 3],
    ['flux_schnell', 4, 8, 1024, 1024, 3],
    ['flux_pro', 12, 35, 1024, 1024, 0],
    ['flux_krea', 4, 8, 1024, 1024, 3],
    ['sdxl', 15, 35, 1024, 1024, 5],
    ['pony', 12, 28, 1024, 1024, 5],
    ['illustrious', 15, 30, 1024, 1024, 5],
    ['hidream', 12, 25, 1024, 1024, 2],
    ['qwen_image', 10, 20, 1024, 1024, 3],
    ['qwen_edit', 8, 15, 1024, 1024, 3],
    ['wan_2_1', 15, 25, 512, 512, 3],
    ['wan_2_2', 8, 20, 768, 768, 2],
    ['ltx_video', 10, 30, 768, 512, 2],
    ['hunyuan_video', 20, 40, 1024, 576, 3],
    ['sd15', 20, 30, 512, 512, 5],
  ] as const)('%s: %i/%i steps at %ix%i, up to %i LoRAs', (family, fast, quality, widthPx, heightPx, loraLimit) => {
    const p = FAMILY_PRESETS[family];
    expect([p.fast.steps, p.quality.steps]).toEqual([fast, quality]);
    for (const s of [p.fast, p.quality]) expect([s.widthPx, s.heightPx]).toEqual([widthPx, heightPx]);
    expect(p.loraLimit).toBe(loraLimit);
    expect(p.source).toMatch(/^https:\/\//);
  });

  it('Flux dev guides at 3.5 with cfg 1; SDXL has a refiner; flux_pro goes up to 2048 px', () => {
    expect(settingFor('flux_dev', 'fast')).toMatchObject({ cfg: 1, guidance: 3.5, samplerName: 'euler', scheduler: 'simple' });
    expect(settingFor('flux_dev', 'quality').guidance).toBe(3.5);
    expect(FAMILY_PRESETS.sdxl.refiner).toBe(true);
    expect(MODEL_FAMILIES.filter((f) => FAMILY_PRESETS[f].refiner)).toEqual(['sdxl']);
    expect(FAMILY_PRESETS.flux_pro.maxSidePx).toBe(2048);
  });

  it('video families carry a clip length and frame rate; image families do not', () => {
    for (const f of MODEL_FAMILIES) {
      const p = FAMILY_PRESETS[f];
      expect(p.family).toBe(f);
      if (p.kind === 'video') expect(p.lengthFrames! > 0 && p.frameRate!.num > 0).toBe(true);
      else expect(p.frameRate).toBeUndefined();
    }
    expect(MODEL_FAMILIES.filter((f) => FAMILY_PRESETS[f].kind === 'video')).toEqual(['wan_2_1', 'wan_2_2', 'ltx_video', 'hunyuan_video']);
  });

  it('settingFor returns a copy', () => {
    settingFor('sdxl', 'fast').steps = 99;
    expect(FAMILY_PRESETS.sdxl.fast.steps).toBe(15);
  });
});

describe('PresetStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sc-presets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const mine: UserPresetInput = {
    id: 'noir-boards',
    name: 'Noir boards',
    family: 'sdxl',
    setting: { steps: 20, cfg: 5.5, samplerName: 'dpmpp_2m', scheduler: 'karras', widthPx: 1344, heightPx: 768 },
    loras: [{ name: 'film_noir.safetensors', strengthModel: 0.7 }],
  };

  it('lists the built-ins when no file exists', async () => {
    const store = new PresetStore(join(dir, 'config'));
    const list = await store.list();
    expect(list).toEqual(builtinPresets());
    expect(list.length).toBe(MODEL_FAMILIES.length * 2);
    expect(list[0]).toMatchObject({ id: 'sd15.fast', builtin: true });
    expect((await store.get('flux_dev.quality')).setting.steps).toBe(28);
  });

  it('saves, lists, replaces and removes an artist preset, writing the file atomically', async () => {
    const store = new PresetStore(join(dir, 'config'));
    const saved = await store.save(mine);
    expect(saved).toEqual({ ...mine, builtin: false });
    const onDisk = JSON.parse(await readFile(join(dir, 'config', 'presets.json'), 'utf8'));
    expect(onDisk).toEqual({ version: 1, presets: [mine] });
    expect((await new PresetStore(join(dir, 'config')).list()).at(-1)).toEqual({ ...mine, builtin: false });

    await store.save({ ...mine, name: 'Noir boards v2' });
    expect((await store.list()).filter((p) => !p.builtin).map((p) => p.name)).toEqual(['Noir boards v2']);
    await store.remove('noir-boards');
    expect((await store.list()).some((p) => !p.builtin)).toBe(false);
    expect(await readdir(join(dir, 'config'))).toEqual(['presets.json']);
  });

  it('keeps concurrent saves', async () => {
    const store = new PresetStore(dir);
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.save({ ...mine, id, name: `P ${id}` })));
    expect((await store.list()).filter((p) => !p.builtin).map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to change or remove a built-in', async () => {
    const store = new PresetStore(dir);
    await expect(store.save({ ...mine, id: 'flux_dev.fast' })).rejects.toMatchObject({ code: 'read_only' });
    await expect(store.remove('sdxl.quality')).rejects.toMatchObject({ code: 'read_only' });
    await expect(store.remove('nothing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses an invalid preset, naming each problem', async () => {
    const store = new PresetStore(dir);
    const bad = {
      ...mine,
      family: 'flux_dev' as const,
      setting: { ...mine.setting, widthPx: 1001, heightPx: 4096 },
      loras: ['a', 'b', 'c', 'd'].map((n) => ({ name: `${n}.safetensors` })),
    };
    const error = await store.save(bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_preset' });
    const message = (error as Error).message;
    expect(message).toContain('setting.widthPx: widthPx 1001 is not a multiple of 8');
    expect(message).toContain("setting.heightPx: heightPx 4096 is over Flux.1 [dev]'s limit of 2048 px");
    expect(message).toContain('loras: Flux.1 [dev] takes at most 3 LoRAs, the preset has 4');
    await expect(store.save({ ...mine, id: 'has.dot' })).rejects.toMatchObject({ message: expect.stringContaining('id:') });
  });

  it('never overwrites a damaged presets file', async () => {
    const path = join(dir, 'presets.json');
    await writeFile(path, '{"version": 1, "presets": [{"id": "x"}]}');
    const store = new PresetStore(dir);
    await expect(store.list()).rejects.toMatchObject({ code: 'presets_unreadable', message: expect.stringContaining('presets.0.name') });
    await expect(store.save(mine)).rejects.toMatchObject({ code: 'presets_unreadable' });
    expect(await readFile(path, 'utf8')).toBe('{"version": 1, "presets": [{"id": "x"}]}');
    await writeFile(path, 'not json');
    await expect(store.list()).rejects.toMatchObject({ message: expect.stringContaining('is not valid JSON') });
  });
});
