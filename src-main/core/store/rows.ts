/**
 * Mapping between database rows (snake_case columns, JSON text) and the contract's records (src-preload/model.ts).
 */
import type { Character, DialogueLine, ProjectSettings, Scene, Shot, Take } from '../../../src-preload/model';
import type { Row } from './journal';

export function settingsFromRow(r: Row): ProjectSettings {
  return {
    name: r.name as string,
    frameRate: { num: r.fps_num as number, den: r.fps_den as number },
    widthPx: r.width_px as number,
    heightPx: r.height_px as number,
    defaultShotDurationFrames: r.default_shot_duration_frames as number,
  };
}

export function settingsToColumns(s: Partial<ProjectSettings>): Row {
  const out: Row = {};
  if (s.name !== undefined) out.name = s.name;
  if (s.frameRate !== undefined) {
    out.fps_num = s.frameRate.num;
    out.fps_den = s.frameRate.den;
  }
  if (s.widthPx !== undefined) out.width_px = s.widthPx;
  if (s.heightPx !== undefined) out.height_px = s.heightPx;
  if (s.defaultShotDurationFrames !== undefined) out.default_shot_duration_frames = s.defaultShotDurationFrames;
  return out;
}

export function sceneFromRow(r: Row): Scene {
  return {
    id: r.id as string,
    number: r.number as string,
    heading: r.heading as string,
    intExt: (r.int_ext as Scene['intExt']) ?? null,
    location: r.location as string,
    timeOfDay: r.time_of_day as string,
    synopsis: r.synopsis as string,
    orderKey: r.order_key as string,
    // Consistency (migration 0004): the scene's seed lock.
    seed: (r.seed as number | null | undefined) ?? null,
    seedLocked: r.seed_locked === 1,
  };
}

export function shotFromRow(r: Row): Shot {
  return {
    id: r.id as string,
    sceneId: r.scene_id as string,
    number: r.number as string,
    orderKey: r.order_key as string,
    shotSize: (r.shot_size as Shot['shotSize']) ?? null,
    cameraAngle: (r.camera_angle as Shot['cameraAngle']) ?? null,
    cameraMove: (r.camera_move as Shot['cameraMove']) ?? null,
    lensMm: (r.lens_mm as number | null) ?? null,
    action: r.action as string,
    dialogue: JSON.parse(r.dialogue as string) as DialogueLine[],
    notes: r.notes as string,
    durationFrames: r.duration_frames as number,
    selectedTakeId: (r.selected_take_id as string | null) ?? null,
    characters: JSON.parse(r.characters as string) as string[],
    // Consistency (migration 0004): the shot's template, pinned prompt, additions and seed lock.
    templateId: (r.template_id as string | null | undefined) ?? null,
    pinnedPrompt: (r.pinned_prompt as string | null | undefined) ?? null,
    promptAdditions: (r.prompt_additions as string | null | undefined) ?? '',
    seed: (r.seed as number | null | undefined) ?? null,
    seedLocked: r.seed_locked === 1,
  };
}

/** Columns for a shot patch (contract field names to columns). */
export function shotPatchToColumns(p: Partial<Shot>): Row {
  const out: Row = {};
  if (p.number !== undefined) out.number = p.number;
  if (p.shotSize !== undefined) out.shot_size = p.shotSize;
  if (p.cameraAngle !== undefined) out.camera_angle = p.cameraAngle;
  if (p.cameraMove !== undefined) out.camera_move = p.cameraMove;
  if (p.lensMm !== undefined) out.lens_mm = p.lensMm;
  if (p.action !== undefined) out.action = p.action;
  if (p.dialogue !== undefined) out.dialogue = JSON.stringify(p.dialogue);
  if (p.notes !== undefined) out.notes = p.notes;
  if (p.durationFrames !== undefined) out.duration_frames = p.durationFrames;
  if (p.characters !== undefined) out.characters = JSON.stringify(p.characters);
  if (p.selectedTakeId !== undefined) out.selected_take_id = p.selectedTakeId;
  return out;
}

export function takeFromRow(r: Row): Take {
  return {
    id: r.id as string,
    shotId: r.shot_id as string,
    path: r.path as string,
    thumbPath: (r.thumb_path as string | null) ?? null,
    kind: r.kind as Take['kind'],
    source: r.source as Take['source'],
    widthPx: r.width_px as number,
    heightPx: r.height_px as number,
    durationFrames: (r.duration_frames as number | null) ?? null,
    contentHash: r.content_hash as string,
    originalName: (r.original_name as string | null) ?? null,
    createdAt: r.created_at as string,
    meta: JSON.parse(r.meta as string) as Record<string, unknown>,
    // Triage (migration 0006).
    starred: r.starred === 1,
    rejected: r.rejected === 1,
    tags: parseTags(r.tags),
    trashedAt: (r.trashed_at as string | null | undefined) ?? null,
  };
}

/** A take's `tags` column (JSON array of strings); anything else reads as no tags. */
function parseTags(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const list = JSON.parse(value) as unknown;
    return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export function characterFromRow(r: Row): Character {
  return {
    id: r.id as string,
    name: r.name as string,
    description: r.description as string,
    fromScript: r.from_script === 1,
  };
}
