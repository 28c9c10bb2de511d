import { generateKeyBetween } from 'fractional-indexing';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ScriptImportResult } from '../../src-preload/contract';
import { AppError } from './errors';
import { newId } from './ids';
import { decodeScriptBytes, parseFountain, ScriptParseError, type ScreenplayDoc } from './script/fountain';
import type { Row } from './store/journal';
import { nextShotNumber, type ProjectStore } from './store/ProjectStore';

/** The largest script file StoryCanvas reads (a feature screenplay is about 200 KB). */
export const MAX_SCRIPT_BYTES = 20 * 1024 * 1024;

/**
 * Reads and imports a Fountain screenplay from a path. See `applyScreenplay` for what it writes.
 * @throws AppError `script_not_found`, `script_too_large`, `invalid_script` (the project is untouched).
 */
export function importScriptFile(store: ProjectStore, path: string): ScriptImportResult {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new AppError('script_not_found', `The script ${path} does not exist or cannot be read.`, 'Check the path and try again.');
  }
  if (size > MAX_SCRIPT_BYTES) {
    throw new AppError('script_too_large', `${basename(path)} is ${(size / 1e6).toFixed(1)} MB; a screenplay is far smaller.`, 'Pick the Fountain (.fountain) file of the screenplay.');
  }
  return parseAndApply(store, () => decodeScriptBytes(readFileSync(path), basename(path)), basename(path));
}

/** Imports a screenplay given as text (web mode upload). Same rules as `importScriptFile`. */
export function importScriptText(store: ProjectStore, text: string, fileName: string): ScriptImportResult {
  return parseAndApply(store, () => text, fileName);
}

function parseAndApply(store: ProjectStore, read: () => string, fileName: string): ScriptImportResult {
  let doc: ScreenplayDoc;
  try {
    doc = parseFountain(read(), fileName);
  } catch (err) {
    if (err instanceof ScriptParseError) throw new AppError('invalid_script', `${fileName}: ${err.message}`, err.hint);
    throw err;
  }
  return applyScreenplay(store, doc, fileName);
}

/**
 * Writes a parsed screenplay into the project as ONE undoable step.
 *
 * - Each script scene becomes a scene, matched to an earlier import by its script key (scene number, or
 *   heading and occurrence): a match is updated (heading, number, synopsis), never duplicated.
 * - Each shot (one per action paragraph, with the dialogue that follows it) is matched by its key too. A
 *   matched shot gets the script's action, dialogue, notes and characters; the artist's own fields (size,
 *   angle, move, lens, duration, takes, number) are kept. New shots are placed after their script
 *   predecessor and numbered `<scene><letter>`.
 * - Shots of an earlier import that the script no longer has are kept (they may hold takes) and counted.
 * - Characters are added by name; the title page replaces the project's.
 */
export function applyScreenplay(store: ProjectStore, doc: ScreenplayDoc, fileName: string): ScriptImportResult {
  const result: ScriptImportResult = {
    title: doc.title,
    scenesAdded: 0,
    scenesUpdated: 0,
    shotsAdded: 0,
    shotsUpdated: 0,
    shotsNoLongerInScript: 0,
    characters: doc.characters,
  };
  const defaultDuration = store.settings().defaultShotDurationFrames;

  store.edit(`Import script ${fileName}`, (tx) => {
    const db = store.db;
    const sceneByKey = new Map((db.prepare('SELECT * FROM scene WHERE script_key IS NOT NULL').all() as Row[]).map((r) => [r.script_key as string, r]));
    const shotByKey = new Map((db.prepare('SELECT * FROM shot WHERE script_key IS NOT NULL').all() as Row[]).map((r) => [r.script_key as string, r]));
    const numbers = new Set(store.allShotNumbers());
    const seenShotKeys = new Set<string>();
    const usedSceneNumbers = new Set((db.prepare('SELECT number FROM scene').all() as { number: string }[]).map((r) => r.number));

    tx.update('project', 1, { title_page: JSON.stringify(doc.titlePage) });

    let prevSceneId: string | null = null;
    doc.scenes.forEach((sc, index) => {
      const existing = sceneByKey.get(sc.key);
      let sceneId: string;
      let sceneNumber: string;
      const cols: Row = {
        heading: sc.heading,
        int_ext: sc.intExt,
        location: sc.location,
        time_of_day: sc.timeOfDay,
        synopsis: sc.synopsis,
      };
      if (existing) {
        sceneId = existing.id as string;
        sceneNumber = sc.number ?? (existing.number as string);
        const before = tx.changes.length;
        tx.update('scene', sceneId, { ...cols, number: sceneNumber });
        if (tx.changes.length > before) result.scenesUpdated++;
      } else {
        sceneId = newId('scn');
        sceneNumber = sc.number ?? String(index + 1);
        if (!sc.number) {
          let n = index + 1;
          while (usedSceneNumbers.has(String(n))) n++;
          sceneNumber = String(n);
        }
        usedSceneNumbers.add(sceneNumber);
        tx.insert('scene', { id: sceneId, number: sceneNumber, ...cols, order_key: orderKeyAfter(store, 'scene', prevSceneId), script_key: sc.key });
        result.scenesAdded++;
      }
      prevSceneId = sceneId;

      let prevShotId: string | null = null;
      for (const shot of sc.shots) {
        seenShotKeys.add(shot.key);
        const scriptCols: Row = {
          action: shot.action,
          dialogue: JSON.stringify(shot.dialogue),
          notes: shot.notes,
          characters: JSON.stringify(shot.characters),
        };
        const found = shotByKey.get(shot.key);
        if (found) {
          const before = tx.changes.length;
          tx.update('shot', found.id as string, scriptCols);
          if (tx.changes.length > before) result.shotsUpdated++;
          prevShotId = found.id as string;
        } else {
          const id = newId('sht');
          const number = nextShotNumber(sceneNumber, numbers);
          numbers.add(number);
          tx.insert('shot', {
            id,
            scene_id: sceneId,
            order_key: shotOrderKeyAfter(store, sceneId, prevShotId),
            number,
            shot_size: null,
            camera_angle: null,
            camera_move: null,
            lens_mm: null,
            ...scriptCols,
            duration_frames: defaultDuration,
            selected_take_id: null,
            script_key: shot.key,
          });
          result.shotsAdded++;
          prevShotId = id;
        }
      }
    });

    for (const key of shotByKey.keys()) if (!seenShotKeys.has(key)) result.shotsNoLongerInScript++;

    const known = new Map((db.prepare('SELECT id, name, from_script FROM character').all() as Row[]).map((r) => [r.name as string, r]));
    for (const name of doc.characters) {
      const c = known.get(name);
      if (!c) tx.insert('character', { id: newId('chr'), name, description: '', from_script: 1 });
      else if (c.from_script !== 1) tx.update('character', c.id as string, { from_script: 1 });
    }
  });
  return result;
}

/** Order key right after a scene (reads inside the running transaction), or at the end when null. */
function orderKeyAfter(store: ProjectStore, _table: 'scene', afterId: string | null): string {
  const rows = store.db.prepare('SELECT id, order_key FROM scene ORDER BY order_key, id').all() as { id: string; order_key: string }[];
  if (afterId === null) return generateKeyBetween(null, rows[0]?.order_key ?? null);
  const i = rows.findIndex((r) => r.id === afterId);
  return generateKeyBetween(rows[i]?.order_key ?? rows.at(-1)?.order_key ?? null, rows[i + 1]?.order_key ?? null);
}

/** Order key right after a shot of a scene, or first in the scene when `afterShotId` is null. */
function shotOrderKeyAfter(store: ProjectStore, sceneId: string, afterShotId: string | null): string {
  const rows = store.db.prepare('SELECT id, order_key FROM shot WHERE scene_id = ? ORDER BY order_key, id').all(sceneId) as { id: string; order_key: string }[];
  if (afterShotId === null) return generateKeyBetween(null, rows[0]?.order_key ?? null);
  const i = rows.findIndex((r) => r.id === afterShotId);
  return generateKeyBetween(rows[i].order_key, rows[i + 1]?.order_key ?? null);
}
