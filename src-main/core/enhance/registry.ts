/**
 * The model registry: the enhancement models a person can run, from two folders:
 * - the bundled models, `resources/models/` in the repository (`<resources>/resources/models` once packaged);
 * - the user's models, `<configDir>/models`.
 *
 * Each model is a folder holding `model.onnx` and its sidecar `model.json` (schema: `ModelSidecarSchema`): what the
 * model does (task, scale), how to feed it (input layout RGB or Y, value range, tile multiple, input and output
 * names), where it comes from (source, licence as SPDX id + URL) and the SHA-256 of `model.onnx`. A model is
 * refused, with a message naming the file and the reason, when its sidecar is missing, not JSON or not valid, when
 * `model.onnx` is missing or does not match the hash (a corrupt or swapped file), or when the graph does not have
 * the input and output the sidecar names (read from the ONNX bytes, without loading onnxruntime).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EnhanceError } from './EnhanceError.ts';
import { ONNX_FLOAT, readOnnxSignature } from './onnxProto.ts';

/** File names inside a model folder. */
export const MODEL_FILE = 'model.onnx';
export const SIDECAR_FILE = 'model.json';

/**
 * The sidecar `model.json` of a model (version 1). Unknown keys are refused, so a misspelt key (`tile_multiple`)
 * is an error rather than a silent default.
 */
export const ModelSidecarSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** Stable id (lowercase letters, digits, `.`, `_`, `-`), unique across both folders. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use 1 to 64 lowercase letters, digits, ".", "_" or "-"'),
    /** Name shown in the Models view. */
    name: z.string().min(1).max(120),
    description: z.string().max(1000).optional(),
    /**
     * `upscale` (super-resolution, tiled) or `interpolate` (in-between frames of a clip, RIFE-style: two frames and a
     * timestep in, the frame at that timestep out; run whole-frame by interpolate.ts).
     */
    task: z.enum(['upscale', 'interpolate']),
    /** Output pixels per input pixel on each axis (1 for a same-size restoration model, 2 for x2). */
    scale: z.number().int().min(1).max(8),
    /** `RGB`: the model takes and returns RGB. `Y`: luma only (BT.601); chroma is upscaled bicubic. */
    inputLayout: z.enum(['RGB', 'Y']),
    /** The range of the model's input and output values. */
    valueRange: z.union([z.tuple([z.literal(0), z.literal(1)]), z.tuple([z.literal(0), z.literal(255)])]),
    /** The model needs heights and widths divisible by this (the picture is reflect-padded). */
    tileMultiple: z.number().int().min(1).max(64),
    /** How far (input px) the model looks around a pixel, when known; tiles overlap by at least this. */
    receptiveFieldPx: z.number().int().min(0).max(1024).optional(),
    /** The picture input (for `interpolate`: the first frame, `img0`). */
    inputName: z.string().min(1),
    outputName: z.string().min(1),
    /** `interpolate` only: the second frame's input. Default `img1`. */
    secondInputName: z.string().min(1).optional(),
    /** `interpolate` only: the timestep input (0 = the first frame, 1 = the second; any shape of 1 to 4 dims). Default `timestep`. */
    timestepName: z.string().min(1).optional(),
    /** Always `model.onnx` when given. */
    file: z.literal(MODEL_FILE).optional(),
    /** SHA-256 of model.onnx, 64 lowercase hex digits. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
    licence: z.object({ spdx: z.string().min(1), url: z.url() }).strict(),
    /** Where the weights come from (a URL or a sentence). */
    source: z.string().min(1),
    /** Measurements (PSNR and the like), free-form, shown as is. */
    metrics: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A parsed sidecar. */
export type ModelSidecar = z.infer<typeof ModelSidecarSchema>;

/** Which folder a model comes from. */
export type ModelOrigin = 'bundled' | 'user';

/** An installed, verified model. */
export interface ModelEntry extends ModelSidecar {
  origin: ModelOrigin;
  /** Absolute path of the model folder. */
  dir: string;
  /** Absolute path of model.onnx. */
  modelPath: string;
  sizeBytes: number;
  /**
   * `interpolate` models: the graph's timestep input shape as the ONNX file declares it (symbolic dimensions as
   * names), so the runtime builds a tensor of the right rank: `[]`, `[1]`, `[1, 1]` or `[1, 1, H, W]`.
   */
  timestepShape?: Array<number | string>;
}

/** The input names of an `interpolate` model: its two frames and its timestep (sidecar defaults applied). */
export function interpolationInputs(model: Pick<ModelSidecar, 'inputName' | 'secondInputName' | 'timestepName'>): { img0: string; img1: string; timestep: string } {
  return { img0: model.inputName, img1: model.secondInputName ?? 'img1', timestep: model.timestepName ?? 'timestep' };
}

/** A model folder that was refused, and why (the message names the file). */
export interface RefusedModel {
  origin: ModelOrigin;
  /** The folder or file refused. */
  path: string;
  reason: string;
}

/** The folders models are read from. A folder that does not exist simply has no models. */
export interface ModelRoots {
  bundledDir?: string;
  userDir?: string;
}

/** What `listModels` returns: the usable models (bundled first, then by name) and the refused ones. */
export interface ModelList {
  models: ModelEntry[];
  refused: RefusedModel[];
}

/** The user's model folder under the app's config folder. */
export function userModelsDir(configDir: string): string {
  return path.join(configDir, 'models');
}

/**
 * The bundled models folder: `<process.resourcesPath>/resources/models` in a packaged Electron app (see
 * electron-builder.yml `extraResources`), else the nearest `resources/models` above this module (the repository,
 * from sources or from out/main).
 * @returns the folder, or undefined when none is found.
 */
export function defaultBundledModelsDir(): string | undefined {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) {
    const packaged = path.join(resourcesPath, 'resources', 'models');
    if (existsSync(packaged)) return packaged;
  }
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'resources', 'models');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function refuse(code: 'enhance.badSidecar' | 'enhance.badModel' | 'enhance.modelMismatch', message: string, hint: string): never {
  throw new EnhanceError(code, message, hint);
}

/** Verified entries by model path, kept while the file's size and modification time stay the same. */
const verified = new Map<string, { sizeBytes: number; mtimeMs: number; sidecarMtimeMs: number; entry: ModelEntry }>();

/**
 * Reads, checks and returns the model in folder `dir`.
 * @throws EnhanceError `enhance.badSidecar` (sidecar missing, not JSON, or not valid: the message lists the
 *   fields), `enhance.badModel` (model.onnx missing or its SHA-256 differs from the sidecar's),
 *   `enhance.modelMismatch` (not an ONNX model, or the input/output names, element type or channels do not match
 *   the sidecar). Each message names the file.
 */
export async function loadModelEntry(dir: string, origin: ModelOrigin): Promise<ModelEntry> {
  const sidecarPath = path.join(dir, SIDECAR_FILE);
  const modelPath = path.join(dir, MODEL_FILE);
  let sidecarText: string;
  let sidecarMtimeMs: number;
  try {
    sidecarText = await readFile(sidecarPath, 'utf8');
    sidecarMtimeMs = (await stat(sidecarPath)).mtimeMs;
  } catch {
    refuse('enhance.badSidecar', `${sidecarPath} is missing: a model needs a model.json sidecar beside model.onnx.`, 'Add the model.json that came with the model (see tools/models/README.md for its fields).');
  }
  let json: unknown;
  try {
    json = JSON.parse(sidecarText);
  } catch (err) {
    refuse('enhance.badSidecar', `${sidecarPath} is not valid JSON (${(err as Error).message}).`, 'Fix the file, or reinstall the model.');
  }
  const parsed = ModelSidecarSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    refuse('enhance.badSidecar', `${sidecarPath} is not a valid model sidecar: ${problems}.`, 'Fix the listed fields (see tools/models/README.md).');
  }
  const sidecar = parsed.data;

  let info;
  try {
    info = await stat(modelPath);
  } catch {
    refuse('enhance.badModel', `${modelPath} is missing: the folder has a sidecar but no model.`, 'Copy the model file beside its model.json, named model.onnx.');
  }
  const cached = verified.get(modelPath);
  if (cached && cached.sizeBytes === info.size && cached.mtimeMs === info.mtimeMs && cached.sidecarMtimeMs === sidecarMtimeMs && cached.entry.origin === origin) {
    return cached.entry;
  }
  const bytes = await readFile(modelPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== sidecar.sha256) {
    refuse('enhance.badModel', `${modelPath} does not match its sidecar: its SHA-256 is ${sha256}, model.json says ${sidecar.sha256}. The file is corrupt or was replaced.`, 'Reinstall the model; if you changed it on purpose, put its new SHA-256 in model.json.');
  }
  let signature;
  try {
    signature = readOnnxSignature(bytes);
  } catch (err) {
    refuse('enhance.modelMismatch', `${modelPath} cannot be read: ${(err as Error).message}.`, 'Reinstall the model.');
  }
  const input = signature.inputs.find((i) => i.name === sidecar.inputName);
  if (!input) {
    refuse('enhance.modelMismatch', `${modelPath} has no input named "${sidecar.inputName}" (its inputs: ${signature.inputs.map((i) => `"${i.name}"`).join(', ') || 'none'}).`, 'Set inputName in model.json to the model\'s input.');
  }
  if (!signature.outputs.some((o) => o.name === sidecar.outputName)) {
    refuse('enhance.modelMismatch', `${modelPath} has no output named "${sidecar.outputName}" (its outputs: ${signature.outputs.map((o) => `"${o.name}"`).join(', ') || 'none'}).`, 'Set outputName in model.json to the model\'s output.');
  }
  let timestepShape: Array<number | string> | undefined;
  if (sidecar.task === 'interpolate') {
    const names = interpolationInputs(sidecar);
    for (const [role, name] of [['second frame', names.img1], ['timestep', names.timestep]] as const) {
      if (!signature.inputs.some((i) => i.name === name)) {
        const field = role === 'timestep' ? 'timestepName' : 'secondInputName';
        refuse('enhance.modelMismatch', `${modelPath} has no ${role} input named "${name}" (its inputs: ${signature.inputs.map((i) => `"${i.name}"`).join(', ') || 'none'}); an interpolate model takes two frames and a timestep.`, `Set ${field} in model.json to the model's ${role} input.`);
      }
    }
    for (const name of [names.img0, names.img1, names.timestep]) {
      const info = signature.inputs.find((i) => i.name === name)!;
      if (info.elemType !== ONNX_FLOAT) {
        refuse('enhance.modelMismatch', `${modelPath}: input "${name}" has ONNX element type ${info.elemType}; the runtime feeds float32 (type 1).`, 'Export the model with float32 inputs.');
      }
      const isFrame = name !== names.timestep;
      if (isFrame && (info.shape.length !== 4 || (typeof info.shape[1] === 'number' && info.shape[1] !== 3))) {
        refuse('enhance.modelMismatch', `${modelPath}: frame input "${name}" has shape [${info.shape.join(', ')}]; an interpolate model takes RGB frames [1, 3, height, width].`, 'Export the model with NCHW RGB frame inputs.');
      }
      if (!isFrame && info.shape.length > 4) {
        refuse('enhance.modelMismatch', `${modelPath}: timestep input "${name}" has ${info.shape.length} dimensions; the runtime feeds a scalar, [1], [1, 1] or [1, 1, height, width].`, 'Export the model with a simpler timestep input.');
      }
    }
    if (sidecar.inputLayout !== 'RGB' || sidecar.scale !== 1) {
      refuse('enhance.badSidecar', `${sidecarPath}: an interpolate model keeps the frame size and colours, so it needs inputLayout "RGB" and scale 1 (it says ${sidecar.inputLayout}, ${sidecar.scale}).`, 'Fix inputLayout and scale in model.json.');
    }
    timestepShape = signature.inputs.find((i) => i.name === names.timestep)!.shape;
  }
  if (sidecar.task === 'upscale') {
    if (input.elemType !== ONNX_FLOAT) {
      refuse('enhance.modelMismatch', `${modelPath}: input "${input.name}" has ONNX element type ${input.elemType}; the runtime feeds float32 (type 1).`, 'Export the model with a float32 input.');
    }
    if (input.shape.length !== 4) {
      refuse('enhance.modelMismatch', `${modelPath}: input "${input.name}" has ${input.shape.length} dimensions; an upscale model takes [1, channels, height, width].`, 'Export the model with an NCHW input.');
    }
    const channels = sidecar.inputLayout === 'RGB' ? 3 : 1;
    if (typeof input.shape[1] === 'number' && input.shape[1] !== channels) {
      refuse('enhance.modelMismatch', `${modelPath}: input "${input.name}" has ${input.shape[1]} channels but model.json says inputLayout ${sidecar.inputLayout} (${channels}).`, 'Fix inputLayout in model.json.');
    }
  }
  const entry: ModelEntry = { ...sidecar, origin, dir: path.resolve(dir), modelPath: path.resolve(modelPath), sizeBytes: info.size, ...(timestepShape ? { timestepShape } : {}) };
  verified.set(modelPath, { sizeBytes: info.size, mtimeMs: info.mtimeMs, sidecarMtimeMs, entry });
  return entry;
}

async function scanRoot(root: string, origin: ModelOrigin, list: ModelList): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(root)).sort();
  } catch {
    return; // no such folder: no models there
  }
  for (const name of names) {
    const full = path.join(root, name);
    let isDir = false;
    try {
      isDir = (await stat(full)).isDirectory();
    } catch {
      continue;
    }
    if (!isDir) {
      if (name.toLowerCase().endsWith('.onnx')) {
        list.refused.push({ origin, path: full, reason: `${full} is a loose model file: each model needs its own folder with model.onnx and model.json.` });
      }
      continue;
    }
    if (!existsSync(path.join(full, MODEL_FILE)) && !existsSync(path.join(full, SIDECAR_FILE))) continue; // not a model folder
    try {
      const entry = await loadModelEntry(full, origin);
      const clash = list.models.find((m) => m.id === entry.id);
      if (clash) {
        list.refused.push({ origin, path: full, reason: `${path.join(full, SIDECAR_FILE)} uses the id "${entry.id}" of the model in ${clash.dir}; ids must be unique.` });
        continue;
      }
      list.models.push(entry);
    } catch (err) {
      list.refused.push({ origin, path: full, reason: (err as Error).message });
    }
  }
}

/**
 * Lists the bundled and user models, verifying each (hash checked once per file version, then cached).
 * @returns usable models (bundled first, then user; by folder name within each) and refused folders with reasons.
 */
export async function listModels(roots: ModelRoots): Promise<ModelList> {
  const list: ModelList = { models: [], refused: [] };
  if (roots.bundledDir) await scanRoot(roots.bundledDir, 'bundled', list);
  if (roots.userDir) await scanRoot(roots.userDir, 'user', list);
  return list;
}

/**
 * The model with this id, verified.
 * @throws EnhanceError `enhance.unknownModel` when no usable model has it (the message adds the refusal reason of a
 *   folder of that name, when there is one).
 */
export async function findModel(roots: ModelRoots, modelId: string): Promise<ModelEntry> {
  const list = await listModels(roots);
  const found = list.models.find((m) => m.id === modelId);
  if (found) return found;
  const refused = list.refused.find((r) => path.basename(r.path) === modelId);
  throw new EnhanceError(
    'enhance.unknownModel',
    refused ? `The model "${modelId}" cannot be used: ${refused.reason}` : `No model "${modelId}" is installed (models: ${list.models.map((m) => m.id).join(', ') || 'none'}).`,
    refused ? 'Reinstall the model, or pick another one.' : 'Pick one of the installed models in the Models view.',
  );
}

/** Clears the verification cache (tests; or after files are replaced within the same millisecond). */
export function clearModelCache(): void {
  verified.clear();
}
