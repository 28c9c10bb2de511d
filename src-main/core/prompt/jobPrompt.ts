/**
 * The prompt of a generation job, read from a project and the library: the shot (with its pinned prompt,
 * additions, template and seed lock), its scene, the style template (the shot's own, else the project's default),
 * and the characters present (library entries with the project's overrides). For the queue (building jobs) and
 * for `prompt.compose` (the inspector's live preview).
 */
import type { SeedMode } from '../../../src-preload/contract';
import type { PromptComposition, SamplerSettings, Scene, Shot, StyleTemplate } from '../../../src-preload/model';
import { MODEL_FAMILIES } from '../comfy/workflow/presets';
import type { LibraryStore } from '../library/LibraryStore';
import { allShotConsistency, composeCharacters, defaultTemplateId, sceneSeeds, type SceneSeed, type ShotConsistency } from '../library/projectConsistency';
import type { ProjectStore } from '../store/ProjectStore';
import { composeShotPrompt, type ComposeCharacter } from './compose';
import { lockedSeed, resolveSeed, type ResolvedSeed } from './seeds';

/** The template a job uses, with what the queue may take from it (its preferred workflow, preset and sampler values). */
export interface JobTemplate {
  id: string;
  name: string;
  from: 'shot' | 'project';
  workflowId: string | null;
  presetId: string | null;
  sampler: SamplerSettings;
}

/** What the queue binds into a workflow for one take, and what it records in the take's provenance. */
export interface JobPrompt {
  /** The positive prompt (the pinned prompt when the shot has one). */
  prompt: string;
  negativePrompt: string;
  /** LoRAs in `bindWorkflow`'s shape (template's, then characters'). */
  loras: Array<{ name: string; strengthModel: number; strengthClip: number }>;
  /** Absolute paths of the characters' reference pictures, with effective weights 0..1. */
  referenceImages: Array<{ path: string; weight: number; character: string }>;
  triggerWords: string[];
  /** `lora:<file>`, `trigger words`, `description`, `reference images`, and `seed locked (shot)` / `seed locked (scene)`. */
  consistencyAids: string[];
  seed: number;
  /** Where the seed came from: the shot's lock, the scene's lock, or the batch's seed mode. */
  seedFrom: ResolvedSeed['from'];
  template: JobTemplate | null;
  /** The whole composition (parts, notes, token estimate). */
  composition: PromptComposition;
}

/** Input of {@link composeJobPrompt}. */
export interface JobPromptInput {
  store: ProjectStore;
  library: LibraryStore;
  shotId: string;
  /** 0-based take within the batch (default 0). */
  takeIndex?: number;
  /** The batch's seed mode, used when neither the shot nor its scene has a locked seed (default `sequence`). */
  seedMode?: SeedMode;
  /** For `sequence`: the seed the batch's plan gives this take (queue/seeds.ts planSeeds). */
  sequenceSeed?: number;
  /** For `random`: a source of seeds (default node:crypto). */
  random?: () => number;
  /** The model family (`sdxl`, `flux_dev`…); default: the template preset's family, else CLIP rules. */
  family?: string | null;
}

/**
 * The prompt, LoRAs, reference pictures and seed of one take of a shot. Reads the project and the library once;
 * for many shots use {@link createJobPromptComposer}.
 * @throws AppError `not_found` (no such shot); Error from resolveSeed (sequence without a sequence seed).
 */
export function composeJobPrompt(input: JobPromptInput): JobPrompt {
  return createJobPromptComposer(input.store, input.library).jobPrompt(input.shotId, {
    takeIndex: input.takeIndex,
    seedMode: input.seedMode,
    sequenceSeed: input.sequenceSeed,
    random: input.random,
    family: input.family,
  });
}

/** A composer bound to one project and the library, reading them once (shots, scenes, characters, templates). */
export interface JobPromptComposer {
  /** The composition of a shot as the inspector shows it. @throws AppError `not_found`. */
  compose(shotId: string, options?: { family?: string | null; additions?: string }): PromptComposition;
  /** The job prompt of one take. @throws AppError `not_found`. */
  jobPrompt(shotId: string, options?: Omit<JobPromptInput, 'store' | 'library' | 'shotId'>): JobPrompt;
}

/**
 * Reads the project and the library once and composes for any number of shots. Make a new one after edits.
 */
export function createJobPromptComposer(store: ProjectStore, library: LibraryStore): JobPromptComposer {
  const shots = new Map<string, Shot>();
  const ordinals = new Map<string, number>();
  for (const s of store.shots()) {
    shots.set(s.id, s);
  }
  const bySceneOrder = new Map<string, number>();
  for (const s of [...shots.values()]) {
    const n = bySceneOrder.get(s.sceneId) ?? 0;
    ordinals.set(s.id, n);
    bySceneOrder.set(s.sceneId, n + 1);
  }
  const scenes = new Map<string, Scene>(store.scenes().map((s) => [s.id, s]));
  const consistency = allShotConsistency(store);
  const seeds = sceneSeeds(store);
  const projectTemplateId = defaultTemplateId(store);
  let characters: ComposeCharacter[] | null = null;
  const templates = new Map<string, StyleTemplate | null>();
  const templateById = (id: string): StyleTemplate | null => {
    if (!templates.has(id)) templates.set(id, library.findTemplate(id));
    return templates.get(id) ?? null;
  };

  const compose = (shotId: string, options: { family?: string | null; additions?: string } = {}): PromptComposition => {
    const shot = shots.get(shotId) ?? store.shot(shotId); // store.shot throws not_found
    const c: ShotConsistency = consistency.get(shotId) ?? { templateId: null, pinnedPrompt: null, promptAdditions: '', seed: null, seedLocked: false };
    const notes: string[] = [];
    let template: StyleTemplate | null = null;
    let from: 'shot' | 'project' | null = null;
    if (c.templateId) {
      template = templateById(c.templateId);
      if (template) from = 'shot';
      else notes.push(`Shot ${shot.number}'s style template is no longer in the library; ${projectTemplateId ? "the project's default is used" : 'no template is used'}.`);
    }
    if (!template && projectTemplateId) {
      template = templateById(projectTemplateId);
      if (template) from = 'project';
      else notes.push("The project's default style template is no longer in the library: choose another in the Template view.");
    }
    characters ??= composeCharacters(library, store);
    const family = options.family ?? familyFromPresetId(template?.presetId ?? null);
    const composed = composeShotPrompt({
      shot,
      scene: scenes.get(shot.sceneId) ?? null,
      template,
      characters,
      additions: options.additions ?? c.promptAdditions,
      pinned: c.pinnedPrompt,
      family,
    });
    const scene: SceneSeed | null = seeds.get(shot.sceneId) ?? null;
    const locked = lockedSeed({ id: shot.id, seed: c.seed, seedLocked: c.seedLocked, ordinal: ordinals.get(shot.id) ?? 0 }, scene);
    return {
      ...composed,
      consistencyAids: locked ? [...composed.consistencyAids, `seed locked (${locked.from})`] : composed.consistencyAids,
      notes: [...notes, ...composed.notes],
      template: template && from ? { id: template.id, name: template.name, from } : null,
      lockedSeed: locked,
    };
  };

  return {
    compose,
    jobPrompt(shotId, options = {}) {
      const composition = compose(shotId, { family: options.family });
      const shot = shots.get(shotId) ?? store.shot(shotId);
      const c = consistency.get(shotId);
      const resolved = resolveSeed(
        { id: shot.id, seed: c?.seed ?? null, seedLocked: c?.seedLocked ?? false, ordinal: ordinals.get(shot.id) ?? 0 },
        seeds.get(shot.sceneId) ?? null,
        options.takeIndex ?? 0,
        options.seedMode ?? 'sequence',
        { sequenceSeed: options.sequenceSeed, random: options.random },
      );
      const t = composition.template ? templateById(composition.template.id) : null;
      return {
        prompt: composition.prompt,
        negativePrompt: composition.negativePrompt,
        loras: composition.loras,
        referenceImages: composition.referenceImages,
        triggerWords: composition.triggerWords,
        consistencyAids: composition.consistencyAids,
        seed: resolved.seed,
        seedFrom: resolved.from,
        template: t && composition.template ? { id: t.id, name: t.name, from: composition.template.from, workflowId: t.workflowId, presetId: t.presetId, sampler: t.sampler } : null,
        composition,
      };
    },
  };
}

/** The model family of a built-in preset id (`sdxl.fast` -> `sdxl`), or null. */
export function familyFromPresetId(presetId: string | null): string | null {
  if (!presetId) return null;
  const family = presetId.split('.')[0];
  return (MODEL_FAMILIES as readonly string[]).includes(family) ? family : null;
}
