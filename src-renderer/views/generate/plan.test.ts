import { describe, expect, it } from 'vitest';
import type { PresetInfo, ServerStatus, WorkflowInfo } from '../../../src-preload/contract';
import type { ProjectSnapshot } from '../../../src-preload/model';
import {
  MAX_SEED,
  defaultPresetId,
  defaultWorkflowId,
  describeBatch,
  describePreset,
  describeQueued,
  describeSeeds,
  enqueueRequestOf,
  initialScope,
  listShotNumbers,
  parseSeed,
  presetsFor,
  suggestedSeed,
  serverReadiness,
  sortWorkflows,
  targetOptions,
  type GenerateForm,
} from './plan';

function snapshot(): ProjectSnapshot {
  const shot = (id: string, sceneId: string, number: string) =>
    ({ id, sceneId, number, orderKey: 'a0', shotSize: null, cameraAngle: null, cameraMove: null, lensMm: null, action: '', dialogue: [], notes: '', durationFrames: 48, selectedTakeId: null, characters: [] }) as ProjectSnapshot['scenes'][number]['shots'][number];
  const scene = (id: string, number: string, shots: ReturnType<typeof shot>[]) =>
    ({ id, number, heading: `INT. ROOM ${number}`, intExt: 'INT', location: 'ROOM', timeOfDay: '', synopsis: '', orderKey: 'a0', shots }) as ProjectSnapshot['scenes'][number];
  return {
    projectId: 'p',
    path: '/x',
    settings: { name: 'X', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, defaultShotDurationFrames: 48 },
    titlePage: {},
    scenes: [scene('sc1', '1', [shot('a', 'sc1', '1A'), shot('b', 'sc1', '1B')]), scene('sc2', '2', [shot('c', 'sc2', '2A')]), scene('sc3', '3', [])],
    takes: [],
    characters: [],
    revision: 1,
  };
}

describe('targetOptions', () => {
  it('offers the selection in timeline order, the scene of the focused shot and the whole project', () => {
    const [sel, scene, all] = targetOptions(snapshot(), ['c', 'a', 'gone'], 'c');
    expect(sel).toMatchObject({ scope: 'shot', label: '2 selected shots', shotIds: ['a', 'c'], shotNumbers: ['1A', '2A'], enabled: true });
    expect(scene).toMatchObject({ scope: 'scene', label: 'Scene 2', sceneId: 'sc2', shotIds: ['c'], enabled: true });
    expect(all).toMatchObject({ scope: 'all', label: 'Whole project', shotIds: ['a', 'b', 'c'], enabled: true });
  });

  it('names a single shot, and disables the selection and scene when nothing is selected', () => {
    expect(targetOptions(snapshot(), ['b'])[0].label).toBe('Shot 1B');
    expect(targetOptions(snapshot(), ['b'])[1].label).toBe('Scene 1');
    const none = targetOptions(snapshot(), []);
    expect(none.map((o) => o.enabled)).toEqual([false, false, true]);
    expect(initialScope(none, 'shot')).toBe('all');
    expect(initialScope(targetOptions(snapshot(), ['b']), 'scene')).toBe('scene');
  });
});

describe('listShotNumbers', () => {
  it('lists a few and counts the rest', () => {
    expect(listShotNumbers(['1A', '1B'])).toBe('1A, 1B');
    expect(listShotNumbers(['1', '2', '3', '4', '5', '6', '7', '8'], 3)).toBe('1, 2, 3 and 5 more');
  });
});

const wf = (id: string, name: string, kind: 'image' | 'video', family: string): WorkflowInfo => ({ id, name, description: '', kind, family, nodeTypes: [], builtin: true });
const preset = (id: string, name: string, family: string, builtin = true): PresetInfo => ({
  id,
  name,
  family,
  setting: { steps: 20, cfg: 8, samplerName: 'euler', scheduler: 'normal', widthPx: 512, heightPx: 512 },
  loras: [],
  builtin,
});

describe('workflows and presets', () => {
  const workflows = [wf('wan', 'Wan i2v', 'video', 'wan_2_2'), wf('sdxl', 'SDXL', 'image', 'sdxl'), wf('sd15_txt2img', 'SD 1.5', 'image', 'sd15')];
  const presets = [preset('mine', 'My look', 'sd15', false), preset('sd15.quality', 'SD 1.5 quality', 'sd15'), preset('sdxl.fast', 'SDXL fast', 'sdxl'), preset('sd15.fast', 'SD 1.5 fast', 'sd15')];

  it('lists images before clips and starts on the remembered workflow, else SD 1.5', () => {
    expect(sortWorkflows(workflows).map((w) => w.id)).toEqual(['sd15_txt2img', 'sdxl', 'wan']);
    expect(defaultWorkflowId(workflows, 'sdxl')).toBe('sdxl');
    expect(defaultWorkflowId(workflows, 'deleted')).toBe('sd15_txt2img');
    expect(defaultWorkflowId([workflows[1]], null)).toBe('sdxl');
    expect(defaultWorkflowId([], null)).toBeNull();
  });

  it('offers the family\'s presets, fast then quality then the artist\'s, and starts on fast', () => {
    const options = presetsFor(presets, workflows[2]);
    expect(options.map((p) => p.id)).toEqual(['sd15.fast', 'sd15.quality', 'mine']);
    expect(defaultPresetId(options, null)).toBe('sd15.fast');
    expect(defaultPresetId(options, 'mine')).toBe('mine');
    expect(defaultPresetId(options, 'sdxl.fast')).toBe('sd15.fast');
    expect(presetsFor(presets, null)).toEqual([]);
    expect(describePreset(options[0])).toBe('20 steps · cfg 8 · euler · 512×512');
  });
});

describe('seeds', () => {
  it('parses the seed field and says what is wrong', () => {
    expect(parseSeed(' 42 ')).toEqual({ seed: 42 });
    expect(parseSeed('-1')).toEqual({ error: 'A seed is a whole number, 0 or more.' });
    expect(parseSeed('1.5')).toHaveProperty('error');
    expect(parseSeed(String(MAX_SEED + 1))).toHaveProperty('error');
    expect(parseSeed(String(MAX_SEED))).toEqual({ seed: MAX_SEED });
  });

  it('suggests random seeds of at most 32 bits, which the field accepts', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const s = suggestedSeed();
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
      expect(parseSeed(String(s))).toEqual({ seed: s });
      seen.add(s);
    }
    expect(seen.size).toBeGreaterThan(45);
  });

  it('describes the seeds of a batch', () => {
    expect(describeSeeds('sequence', 41, 6)).toBe('seeds 41 to 46');
    expect(describeSeeds('sequence', 41, 1)).toBe('seed 41');
    expect(describeSeeds('random', null, 6)).toBe('a random seed per take');
    expect(describeSeeds('locked', null, 6)).toContain("each shot's own");
  });
});

describe('describeBatch', () => {
  it('counts jobs, takes and shots', () => {
    expect(describeBatch(['1A', '1B'], 3)).toBe('6 jobs: 3 takes of 2 shots');
    expect(describeBatch(['4A'], 1)).toBe('1 job: 1 take of shot 4A');
  });
  it('words the toast after queueing', () => {
    expect(describeQueued(6, ['1A', '1B'])).toBe('Queued 6 jobs for shots 1A, 1B');
    expect(describeQueued(1, ['4A'])).toBe('Queued 1 job for shot 4A');
    expect(describeQueued(10, ['1', '2', '3', '4', '5'])).toBe('Queued 10 jobs for 5 shots');
  });
});

describe('serverReadiness', () => {
  const server = (over: Partial<ServerStatus>) => ({ id: 's', name: 'gpu-1', enabled: true, status: 'online', breaker: 'closed', ...over }) as ServerStatus;
  it('warns when no server is set up or online', () => {
    expect(serverReadiness([]).tone).toBe('warn');
    expect(serverReadiness([]).text).toContain('No ComfyUI server is set up');
    expect(serverReadiness([server({ enabled: false, status: 'disabled' })]).text).toBe('The server is disabled: the jobs wait in the queue until you enable one in Servers.');
    expect(serverReadiness([server({ enabled: false }), server({ id: 't', enabled: false })]).text).toMatch(/^Every server is disabled/);
    expect(serverReadiness([server({ status: 'offline' })]).text).toBe('None of the 1 server is online now: the jobs wait in the queue until one is.');
    expect(serverReadiness([server({ breaker: 'open' })]).tone).toBe('warn');
  });
  it('names the ready server, or counts them', () => {
    expect(serverReadiness([server({})])).toEqual({ tone: 'ok', text: 'gpu-1 is ready to generate.' });
    expect(serverReadiness([server({}), server({ id: 't', status: 'busy' })]).text).toBe('2 servers are ready to generate.');
  });
});

describe('enqueueRequestOf', () => {
  const form: GenerateForm = { scope: 'shot', workflowId: 'sd15_txt2img', presetId: 'sd15.fast', takes: 3, seedMode: 'sequence', seedText: '100', priority: 'high' };
  const [sel, scene, all] = targetOptions(snapshot(), ['a', 'b']);

  it('builds the request for shots, a scene or the project', () => {
    expect(enqueueRequestOf(form, sel)).toEqual({
      request: { target: 'shot', shotIds: ['a', 'b'], takes: 3, workflowId: 'sd15_txt2img', preset: 'sd15.fast', seedMode: 'sequence', seed: 100, priority: 'high' },
    });
    expect(enqueueRequestOf({ ...form, seedMode: 'random', seedText: 'junk' }, scene)).toEqual({
      request: { target: 'scene', sceneId: 'sc1', takes: 3, workflowId: 'sd15_txt2img', preset: 'sd15.fast', seedMode: 'random', priority: 'high' },
    });
    const r = enqueueRequestOf({ ...form, presetId: null, seedMode: 'locked' }, all);
    expect(r).toEqual({ request: { target: 'all', takes: 3, workflowId: 'sd15_txt2img', seedMode: 'locked', priority: 'high' } });
  });

  it('refuses a bad seed, a target without shots, no workflow and too many takes', () => {
    expect(enqueueRequestOf({ ...form, seedText: 'x' }, sel)).toEqual({ error: 'A seed is a whole number, 0 or more.' });
    expect(enqueueRequestOf(form, targetOptions(snapshot(), [])[0])).toHaveProperty('error');
    expect(enqueueRequestOf({ ...form, workflowId: null }, sel)).toEqual({ error: 'Choose a workflow.' });
    expect(enqueueRequestOf({ ...form, takes: 9 }, sel)).toEqual({ error: 'Takes per shot: 1 to 8.' });
  });
});
