import { describe, expect, it } from 'vitest';
import type { EnhanceModelInfo, Job } from '../../../src-preload/contract';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import {
  activityCss,
  compareLabel,
  cssString,
  defaultModel,
  describeEnqueued,
  dividerAt,
  enhanceActivity,
  enlargement,
  formatAgo,
  formatFileSize,
  formatSpeed,
  joinPath,
  measuredSpeeds,
  projectFitSize,
  providerLabel,
  shortProviderError,
  shotsBelowProject,
  sourceOf,
  stepDivider,
  summarizeProviders,
  takeMenuActions,
} from './enhanceModel';

const take = (over: Partial<Take> & { id: string }): Take => ({
  shotId: 'shot1',
  path: `media/takes/${over.id}.png`,
  thumbPath: null,
  kind: 'image',
  source: 'imported',
  widthPx: 320,
  heightPx: 180,
  durationFrames: null,
  contentHash: `${over.id}hash`,
  originalName: null,
  createdAt: '2025-01-01T10:00:00.000Z',
  meta: {},
  ...over,
});

const model = (over: Partial<EnhanceModelInfo> & { id: string }): EnhanceModelInfo => ({
  name: over.id,
  task: 'upscale',
  scale: 2,
  layout: 'RGB',
  licence: { spdx: 'MIT', url: 'https://example.invalid/LICENSE' },
  source: 'trained here',
  sha256: 'ab'.repeat(32),
  origin: 'bundled',
  sizeBytes: 1000,
  provider: 'cpu',
  ...over,
});

const job = (over: Partial<Job> & { id: string }): Job => ({
  projectId: 'p1',
  kind: 'enhance',
  shotId: 'shot1',
  shotNumber: '1A',
  batchId: 'b1',
  workflowId: 'storycanvas-espcn-x2',
  workflowHash: 'h',
  prompt: 'Upscale x2',
  seed: 0,
  priority: 'normal',
  orderKey: 'a0',
  state: 'succeeded',
  serverId: null,
  promptId: null,
  attempts: 1,
  error: null,
  takeIds: [],
  provider: 'cpu',
  createdAt: '2025-01-01T10:00:00.000Z',
  dispatchedAt: null,
  startedAt: null,
  finishedAt: null,
  ...over,
});

const MODELS = [
  model({ id: 'realesrgan-x4fast', name: 'Real-ESRGAN x4', scale: 4 }),
  model({ id: 'storycanvas-espcn-x2', name: 'StoryCanvas ESPCN x2 (fast)' }),
  model({ id: 'realesr-animevideov3-x2', name: 'AnimeVideo x2' }),
  model({ id: 'rife-v4.6', name: 'RIFE v4.6', task: 'interpolate', scale: 1 }),
];
const HD = { widthPx: 1920, heightPx: 1080, frameRate: { num: 24000, den: 1001 } };

describe('providers', () => {
  it('names providers as people write them, and unknown ones as they come', () => {
    expect(providerLabel('cuda')).toBe('CUDA');
    expect(providerLabel('webgpu')).toBe('WebGPU');
    expect(providerLabel('npu-x')).toBe('npu-x');
    expect(providerLabel(null)).toBe('—');
  });

  it('shortens onnxruntime failures to a few words', () => {
    expect(shortProviderError("not tried: libonnxruntime_providers_shared.so, libonnxruntime_providers_cuda.so not installed beside onnxruntime-node's binding")).toBe('libraries not found');
    expect(
      shortProviderError(
        '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize adapter_result.status == Success was false. Failed to get a WebGPU adapter: No supported adapters',
      ),
    ).toBe('no adapter');
    expect(shortProviderError('The session could not start. More words follow here.')).toBe('The session could not start');
    expect(shortProviderError('x'.repeat(100))).toHaveLength(60);
    expect(shortProviderError(undefined)).toBe('failed');
  });

  it('summarizes the choice in the order the providers were tried', () => {
    const summary = summarizeProviders({
      provider: 'cpu',
      tried: [
        { name: 'cuda', ok: false, error: 'not tried: libonnxruntime_providers_cuda.so not installed' },
        { name: 'webgpu', ok: false, error: 'Failed to get a WebGPU adapter: No supported adapters' },
        { name: 'cpu', ok: true },
      ],
    });
    expect(summary).toBe('CUDA: libraries not found · WebGPU: no adapter · CPU: ok');
    expect(summarizeProviders({ provider: 'cuda', tried: [{ name: 'cuda', ok: true }, { name: 'cpu', ok: true }] })).toBe('CUDA: ok · CPU: ok, not used');
    expect(summarizeProviders({ provider: 'cpu', tried: [] })).toBe('CPU: ok');
  });
});

describe('measured speed', () => {
  it('divides the output megapixels by the model time of the latest enhancement of each model', () => {
    const takes = [
      take({ id: 'src' }),
      take({ id: 'old', widthPx: 640, heightPx: 360, createdAt: '2025-01-01T10:00:00.000Z', meta: { enhancedFrom: 'src', modelId: 'storycanvas-espcn-x2', provider: 'cpu', ms: 1000 } }),
      take({ id: 'new', widthPx: 1280, heightPx: 720, createdAt: '2025-01-02T10:00:00.000Z', meta: { enhancedFrom: 'src', modelId: 'storycanvas-espcn-x2', provider: 'cuda', ms: 250 } }),
    ];
    const speeds = measuredSpeeds(takes);
    expect(speeds.size).toBe(1);
    const s = speeds.get('storycanvas-espcn-x2')!;
    expect(s.takeId).toBe('new');
    expect(s.megapixelsPerSecond).toBeCloseTo((1280 * 720) / 1e6 / 0.25, 6);
    expect(s.provider).toBe('cuda');
    expect(s.framesPerSecond).toBeNull();
  });

  it("falls back to the job's start and finish when the take has no model time, and skips cache hits", () => {
    const takes = [
      take({ id: 'a', widthPx: 1000, heightPx: 1000, meta: { enhancedFrom: 'src' } }),
      take({ id: 'b', widthPx: 2000, heightPx: 1000, createdAt: '2025-03-01T00:00:00.000Z', meta: { enhancedFrom: 'src', modelId: 'm2', ms: 10, reusedFrom: 'x' } }),
      take({ id: 'c', widthPx: 100, heightPx: 100 }),
    ];
    const jobs = [
      job({ id: 'j1', workflowId: 'm1', takeIds: ['a'], startedAt: '2025-01-01T10:00:00.000Z', finishedAt: '2025-01-01T10:00:04.000Z', provider: 'cpu' }),
      job({ id: 'j2', workflowId: 'm2', takeIds: ['b'], provider: 'cache' }),
    ];
    const speeds = measuredSpeeds(takes, jobs);
    expect([...speeds.keys()]).toEqual(['m1']);
    expect(speeds.get('m1')).toMatchObject({ megapixelsPerSecond: 0.25, provider: 'cpu', finishedAt: '2025-01-01T10:00:04.000Z' });
  });

  it('counts the work of every pass of a multi-pass upscale when the source and the scale are known', () => {
    const takes = [
      take({ id: 'src', widthPx: 640, heightPx: 360 }),
      take({ id: 'fit', widthPx: 1920, heightPx: 1080, meta: { enhancedFrom: 'src', modelId: 'x2', ms: 2000, passes: 2 } }),
    ];
    // 1280x720 then 2560x1440, in 2 s
    expect(measuredSpeeds(takes, [], [{ id: 'x2', scale: 2 }]).get('x2')!.megapixelsPerSecond).toBeCloseTo((1280 * 720 + 2560 * 1440) / 1e6 / 2, 9);
    // without the model's scale: the output size
    expect(measuredSpeeds(takes).get('x2')!.megapixelsPerSecond).toBeCloseTo((1920 * 1080) / 1e6 / 2, 9);
  });

  it('counts every frame of an interpolated clip and reports frames per second', () => {
    const clip = take({ id: 'v', kind: 'video', widthPx: 1000, heightPx: 500, durationFrames: 48, meta: { enhancedFrom: 's', modelId: 'rife-v4.6', ms: 8000, frameCount: 40 } });
    const s = measuredSpeeds([clip]).get('rife-v4.6')!;
    expect(s.megapixelsPerSecond).toBeCloseTo(2.5, 9);
    expect(s.framesPerSecond).toBe(5);
    expect(formatSpeed(s)).toBe('2.5 MP/s · 5.0 frames/s');
  });

  it('formats speeds with two figures, and a dash when nothing was measured', () => {
    expect(formatSpeed({ megapixelsPerSecond: 3.14159, framesPerSecond: null })).toBe('3.1 MP/s');
    expect(formatSpeed({ megapixelsPerSecond: 0.4213, framesPerSecond: null })).toBe('0.42 MP/s');
    expect(formatSpeed({ megapixelsPerSecond: 24.4, framesPerSecond: null })).toBe('24 MP/s');
    expect(formatSpeed({ megapixelsPerSecond: 0.004, framesPerSecond: null })).toBe('<0.01 MP/s');
    expect(formatSpeed(null)).toBe('—');
    expect(formatSpeed({ megapixelsPerSecond: Number.NaN, framesPerSecond: null })).toBe('—');
  });

  it('says how old a figure is', () => {
    const now = Date.parse('2025-01-02T10:00:00.000Z');
    expect(formatAgo('2025-01-02T09:59:30.000Z', now)).toBe('just now');
    expect(formatAgo('2025-01-02T09:55:00.000Z', now)).toBe('5 min ago');
    expect(formatAgo('2025-01-02T07:00:00.000Z', now)).toBe('3 h ago');
    expect(formatAgo('2025-01-01T09:00:00.000Z', now)).toBe('yesterday');
    expect(formatAgo('nonsense', now)).toBe('');
  });
});

describe('the take menu', () => {
  it('offers the default x2 model, the project fit and the dialog for a small picture', () => {
    const actions = takeMenuActions(take({ id: 't' }), MODELS, HD);
    expect(actions.map((a) => a.id)).toEqual(['upscale', 'upscale-project', 'dialog']);
    expect(actions[0]).toMatchObject({ label: 'Upscale ×2', detail: 'StoryCanvas ESPCN x2 (fast)', request: { modelId: 'storycanvas-espcn-x2', upscaleToProject: false } });
    expect(actions[1]).toMatchObject({ detail: '→ 1920×1080', request: { modelId: 'storycanvas-espcn-x2', upscaleToProject: true } });
  });

  it("uses the artist's last pick, and disables the project fit for a picture that fills the frame", () => {
    const actions = takeMenuActions(take({ id: 't', widthPx: 1920, heightPx: 1080 }), MODELS, HD, { preferredUpscaleId: 'realesrgan-x4fast' });
    expect(actions[0]).toMatchObject({ label: 'Upscale ×4', request: { modelId: 'realesrgan-x4fast' } });
    expect(actions[1].request).toBeUndefined();
    expect(actions[1].disabledReason).toContain('already fills');
  });

  it('offers a compare for an enhanced picture, disabled when its source is gone', () => {
    const enhanced = take({ id: 'e', widthPx: 640, heightPx: 360, meta: { enhancedFrom: 'src' } });
    expect(takeMenuActions(enhanced, MODELS, HD).find((a) => a.id === 'compare')?.disabledReason).toBeUndefined();
    expect(takeMenuActions(enhanced, MODELS, HD, { hasSource: false }).find((a) => a.id === 'compare')?.disabledReason).toMatch(/no longer/);
  });

  it('offers interpolation for a clip, unless it already plays at the project rate or no model is installed', () => {
    const clip = take({ id: 'v', kind: 'video', durationFrames: 48, meta: { sourceFrameRate: { num: 30, den: 1 } } });
    const [interp, dialog] = takeMenuActions(clip, MODELS, HD, { frameRateLabel: '23.976' });
    expect(interp).toMatchObject({ id: 'interpolate', detail: '23.976 fps', request: { modelId: 'rife-v4.6', upscaleToProject: false } });
    expect(dialog.id).toBe('dialog');
    const atRate = take({ id: 'w', kind: 'video', meta: { sourceFrameRate: { num: 48000, den: 2002 } } });
    expect(takeMenuActions(atRate, MODELS, HD)[0].disabledReason).toMatch(/already plays/);
    expect(takeMenuActions(clip, MODELS.slice(0, 3), HD)[0].disabledReason).toMatch(/No interpolation model/);
  });

  it('disables the upscale entries when no upscale model is installed', () => {
    const actions = takeMenuActions(take({ id: 't' }), [MODELS[3]], HD);
    expect(actions.slice(0, 2).every((a) => a.disabledReason && !a.request)).toBe(true);
  });

  it('picks the default model: last pick, then the fast x2, then any x2, then the first', () => {
    expect(defaultModel(MODELS, 'upscale')?.id).toBe('storycanvas-espcn-x2');
    expect(defaultModel(MODELS, 'upscale', 'gone')?.id).toBe('storycanvas-espcn-x2');
    expect(defaultModel(MODELS.filter((m) => m.id !== 'storycanvas-espcn-x2'), 'upscale')?.id).toBe('realesr-animevideov3-x2');
    expect(defaultModel([MODELS[0]], 'upscale')?.id).toBe('realesrgan-x4fast');
    expect(defaultModel(MODELS, 'interpolate')?.id).toBe('rife-v4.6');
    expect(defaultModel([], 'upscale')).toBeNull();
  });
});

describe('upscale before export', () => {
  it('lists the shots whose selected picture is smaller than the project frame, fitted with its aspect kept', () => {
    expect(projectFitSize({ widthPx: 768, heightPx: 432 }, HD)).toEqual({ widthPx: 1920, heightPx: 1080 });
    expect(projectFitSize({ widthPx: 400, heightPx: 400 }, HD)).toEqual({ widthPx: 1080, heightPx: 1080 });
    expect(projectFitSize({ widthPx: 1920, heightPx: 800 }, HD)).toBeNull();
    const snapshot = {
      settings: { ...HD, name: 'x', defaultShotDurationFrames: 72 },
      takes: [take({ id: 'small', shotId: 's1' }), take({ id: 'big', shotId: 's2', widthPx: 3840, heightPx: 2160 }), take({ id: 'clip', shotId: 's3', kind: 'video' })],
      scenes: [
        {
          shots: [
            { id: 's1', number: '1A', selectedTakeId: 'small' },
            { id: 's2', number: '1B', selectedTakeId: 'big' },
            { id: 's3', number: '1C', selectedTakeId: 'clip' },
            { id: 's4', number: '1D', selectedTakeId: null },
          ],
        },
      ],
    } as unknown as ProjectSnapshot;
    const { below, withTake } = shotsBelowProject(snapshot);
    expect(withTake).toBe(3);
    expect(below.map((b) => [b.shotNumber, b.fit])).toEqual([['1A', { widthPx: 1920, heightPx: 1080 }]]);
  });
});

describe('compare', () => {
  it('finds the source of an enhanced take and labels the pair', () => {
    const src = take({ id: 'src', widthPx: 768, heightPx: 432 });
    const enh = take({ id: 'enh', widthPx: 1920, heightPx: 1080, meta: { enhancedFrom: 'src' } });
    const byId = new Map([src, enh].map((t) => [t.id, t]));
    expect(sourceOf(enh, byId)).toBe(src);
    expect(sourceOf(src, byId)).toBeNull();
    expect(sourceOf(take({ id: 'x', meta: { enhancedFrom: 'trashed' } }), byId)).toBeNull();
    expect(compareLabel(src, enh)).toBe('768×432 → 1920×1080');
    expect(enlargement(enh, src)).toBe('×2.5');
    expect(enlargement(take({ id: 'd', widthPx: 640 }), take({ id: 's' }))).toBe('×2');
  });

  it('moves the divider by 1 (10 with Shift), to the edges with Home and End, and stays within 0..100', () => {
    expect(stepDivider(50, 'ArrowRight')).toBe(51);
    expect(stepDivider(50, 'ArrowLeft', true)).toBe(40);
    expect(stepDivider(95, 'ArrowRight', true)).toBe(100);
    expect(stepDivider(0.5, 'ArrowLeft')).toBe(0);
    expect(stepDivider(30, 'Home')).toBe(0);
    expect(stepDivider(30, 'End')).toBe(100);
    expect(stepDivider(30, 'PageUp')).toBe(40);
    expect(stepDivider(30, 'a')).toBeNull();
  });

  it('puts the divider under the pointer', () => {
    expect(dividerAt(150, { left: 100, width: 200 })).toBe(25);
    expect(dividerAt(50, { left: 100, width: 200 })).toBe(0);
    expect(dividerAt(900, { left: 100, width: 200 })).toBe(100);
    expect(dividerAt(150, { left: 100, width: 0 })).toBe(50);
  });
});

describe('activity and toasts', () => {
  it('tells the shots with an enhancement running from those with one waiting', () => {
    const { running, queued } = enhanceActivity([
      job({ id: '1', shotId: 'a', state: 'running' }),
      job({ id: '2', shotId: 'a', state: 'queued' }),
      job({ id: '3', shotId: 'b', state: 'queued' }),
      job({ id: '4', shotId: 'c', state: 'succeeded' }),
      job({ id: '5', shotId: 'd', state: 'running', kind: 'comfy' }),
    ]);
    expect([...running]).toEqual(['a']);
    expect([...queued]).toEqual(['b']);
  });

  it('says what was queued and why takes were left out', () => {
    expect(describeEnqueued({ jobs: [1], skipped: [] }, 'upscale')).toEqual({ kind: 'success', message: 'Queued 1 upscale: it runs on this machine, with progress in the Queue.', hint: null });
    const some = describeEnqueued({ jobs: [1, 2], skipped: [{ reason: 'Shot 1C has no selected take to enhance.' }, { reason: 'b' }] }, 'upscale');
    expect(some).toEqual({ kind: 'success', message: 'Queued 2 upscales; 2 takes were left out.', hint: 'Shot 1C has no selected take to enhance. (and 1 more)' });
    expect(describeEnqueued({ jobs: [], skipped: [{ reason: 'already there' }] }, 'upscale')).toMatchObject({ kind: 'info', message: 'Nothing was queued; 1 take was left out.' });
  });
});

describe('small formats', () => {
  it('writes file sizes in binary units', () => {
    expect(formatFileSize(108_580)).toBe('106 KB');
    expect(formatFileSize(1_256_773)).toBe('1.2 MB');
    expect(formatFileSize(10.66 * 1024 * 1024)).toBe('10.7 MB');
    expect(formatFileSize(512)).toBe('512 B');
    expect(formatFileSize(-1)).toBe('—');
  });

  it("joins the user's models folder with the settings folder's own separator", () => {
    expect(joinPath('/home/ana/.config/storycanvas', 'models')).toBe('/home/ana/.config/storycanvas/models');
    expect(joinPath('/home/ana/.config/storycanvas/', 'models')).toBe('/home/ana/.config/storycanvas/models');
    expect(joinPath('C:\\Users\\Ana\\AppData\\Roaming\\StoryCanvas', 'models')).toBe('C:\\Users\\Ana\\AppData\\Roaming\\StoryCanvas\\models');
  });
});

describe('card marks', () => {
  it('escapes ids for an attribute selector', () => {
    expect(cssString('sht_01')).toBe('"sht_01"');
    expect(cssString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('spins on running shots, rings waiting ones, and writes nothing when idle', () => {
    const css = activityCss(['s1'], ['s2', 's3']);
    const [running, queued] = css.trim().split('}\n');
    expect(running).toMatch(/^\.shot-card\[data-shot-id="s1"\] \.shot-thumb::after \{.*animation: spin/);
    expect(queued).toContain('.shot-card[data-shot-id="s2"] .shot-thumb::after,');
    expect(queued).toContain('[data-shot-id="s3"]');
    expect(queued).not.toContain('animation');
    expect(activityCss([], [])).toBe('');
  });
});
