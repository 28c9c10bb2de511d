import { describe, expect, it } from 'vitest';
import type { StyleTemplate } from '../../../src-preload/model';
import { describeSampler, exportFileName, isTemplateDirty, presetsForWorkflow, shownThumbnails, templateDraftOf, templatePatchOf, templateUseText } from './templateForm';

const charcoal: StyleTemplate = {
  id: 'tpl_1',
  name: 'Charcoal',
  stylePrompt: 'charcoal sketch',
  negativePrompt: 'colour',
  workflowId: 'sd15_txt2img',
  presetId: 'sd15.fast',
  sampler: { steps: 28, cfg: 6.5 },
  loras: [{ name: 'grain.safetensors', strengthModel: 0.6 }],
  useCount: 3,
  thumbnails: [
    { projectPath: '/p/A.storycanvas', takePath: 'media/takes/a.png', createdAt: '2026-01-02' },
    { projectPath: '/p/Closed.storycanvas', takePath: 'media/takes/b.png', createdAt: '2026-01-01' },
  ],
  createdAt: '2026-01-01',
  updatedAt: '2026-01-01',
};

describe('templatePatchOf', () => {
  it('round-trips a template without changes, and sends only what changed', () => {
    expect(templatePatchOf(templateDraftOf(charcoal), charcoal)).toEqual({ ok: true, patch: {} });
    const d = { ...templateDraftOf(charcoal), steps: '30', scheduler: 'karras', workflowId: '' };
    expect(templatePatchOf(d, charcoal)).toEqual({ ok: true, patch: { workflowId: null, sampler: { steps: 30, cfg: 6.5, scheduler: 'karras' } } });
  });

  it('reads decimal commas, leaves empty strengths out, and drops empty LoRA rows', () => {
    const d = { ...templateDraftOf(null), name: 'Ink', cfg: '7,5', loras: [{ name: 'ink.safetensors', strengthModel: '', strengthClip: '0,8' }, { name: '', strengthModel: '', strengthClip: '' }] };
    const r = templatePatchOf(d, null);
    expect(r).toEqual({
      ok: true,
      patch: { name: 'Ink', stylePrompt: '', negativePrompt: '', workflowId: null, presetId: null, sampler: { cfg: 7.5 }, loras: [{ name: 'ink.safetensors', strengthClip: 0.8 }] },
    });
  });

  it('refuses bad numbers, a nameless template and a LoRA row without a file, each under its field', () => {
    const d = { ...templateDraftOf(null), steps: '2.5', cfg: 'high', loras: [{ name: '', strengthModel: '1', strengthClip: '' }, { name: 'x.safetensors', strengthModel: '500', strengthClip: '' }] };
    const r = templatePatchOf(d, null);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.steps).toMatch(/whole number from 1 to 10000/);
    expect(r.errors.cfg).toMatch(/from 0 to 100/);
    expect(r.errors['lora.0']).toMatch(/file name/);
    expect(r.errors['lora.1']).toMatch(/-100 to 100/);
    expect(r.errors.name).toBe('A template needs a name.');
  });

  it('knows when the draft differs', () => {
    expect(isTemplateDirty(templateDraftOf(charcoal), charcoal)).toBe(false);
    expect(isTemplateDirty({ ...templateDraftOf(charcoal), negativePrompt: '' }, charcoal)).toBe(true);
  });
});

describe('template helpers', () => {
  it('offers the presets of the workflow’s family, every preset without a workflow', () => {
    const presets = [
      { id: 'sdxl.fast', family: 'sdxl', name: 'SDXL fast' },
      { id: 'sd15.quality', family: 'sd15', name: 'SD 1.5 quality' },
      { id: 'sd15.fast', family: 'sd15', name: 'SD 1.5 fast' },
    ];
    expect(presetsForWorkflow(presets, { family: 'sd15' }).map((p) => p.id)).toEqual(['sd15.fast', 'sd15.quality']);
    expect(presetsForWorkflow(presets, null).map((p) => p.id)).toEqual(['sd15.fast', 'sd15.quality', 'sdxl.fast']);
  });

  it('names an exported file safely', () => {
    expect(exportFileName('Charcoal: night/day')).toBe('Charcoal- night-day.storycanvas-template.json');
    expect(exportFileName('...')).toBe('template.storycanvas-template.json');
  });

  it('shows thumbnails of open projects from the project, and of closed ones through the take pool', () => {
    expect(shownThumbnails(charcoal, [{ projectId: 'p1', path: '/p/A.storycanvas/' }])).toEqual([
      { projectId: 'p1', takePath: 'media/takes/a.png' },
      { projectId: 'pool', takePath: `file/${btoa('/p/Closed.storycanvas').replace(/=+$/, '')}/media/takes/b.png` },
    ]);
    expect(shownThumbnails(charcoal, []).map((t) => t.projectId)).toEqual(['pool', 'pool']);
  });

  it('describes use and sampler', () => {
    expect([templateUseText(0), templateUseText(1), templateUseText(5)]).toEqual(['not used yet', 'used for 1 take', 'used for 5 takes']);
    expect(describeSampler({ steps: 28, cfg: 6.5, samplerName: 'dpmpp_2m', scheduler: 'karras' })).toBe('28 steps · cfg 6.5 · dpmpp_2m karras');
    expect(describeSampler({})).toBe('');
  });
});
