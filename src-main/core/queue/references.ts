/**
 * Reference pictures at submit time. A job built with the library carries its characters' reference pictures
 * (`params.consistency.referenceImages`, see `prompt/provenance.ts`); which server runs it is only known when it is
 * dispatched, so the pictures are wired in here, per server:
 * - the server has the adapter nodes of the workflow's model family (IP-Adapter for SD 1.5/SDXL, Flux Redux for Flux;
 *   `comfy/workflow/adapters.ts`) -> each picture is uploaded under a content-hashed name
 *   (`storycanvas_ref_<sha256>.<ext>`, `POST /upload/image` with overwrite: the same picture is the same file on
 *   every server, uploading it again changes nothing) and the adapter nodes are inserted into the bound graph;
 * - otherwise the job runs as bound (text description, trigger words and LoRAs still apply) and the take's meta
 *   says the pictures were not used, and why.
 * A variation that starts from a take (image to image, `takes/variations.ts`) uploads that picture the same way; it
 * is required, so a missing file fails the job.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { ComfyClient } from '../comfy/ComfyClient.ts';
import { ComfyError } from '../comfy/ComfyError.ts';
import { chooseAdapter, insertImageAdapter, type AdapterServerInfo } from '../comfy/workflow/adapters.ts';
import type { WorkflowGraph } from '../comfy/workflow/graph.ts';
import { AppError } from '../errors.ts';
import { jobConsistencyOf, type ReferenceUse } from '../prompt/provenance.ts';
import { ExecError } from './Executor.ts';

/** The server a job is submitted to: its client (for uploads) and what it offers (null when not yet known). */
export interface ReferenceServer {
  client: Pick<ComfyClient, 'uploadImage'>;
  capabilities: AdapterServerInfo | null;
}

/** A prepared submission: the graph to post, and what the take's meta should say (`references`). */
export interface PreparedSubmission {
  graph: WorkflowGraph;
  meta: { references?: ReferenceUse };
}

/** The name a picture gets in a server's input folder: `storycanvas_ref_<first 32 hex of its SHA-256>.<ext>`. */
export function uploadName(bytes: Buffer, path: string): string {
  const ext = extname(path).toLowerCase().replace(/[^.a-z0-9]/g, '') || '.png';
  return `storycanvas_ref_${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}${ext}`;
}

/** The reference pictures that can be read, with their bytes and upload names; the others are counted. */
function readReferences(images: ReadonlyArray<{ path: string; weight: number }>): { found: Array<{ bytes: Buffer; name: string; weight: number }>; missing: string[] } {
  const found: Array<{ bytes: Buffer; name: string; weight: number }> = [];
  const missing: string[] = [];
  for (const img of images) {
    if (!existsSync(img.path)) {
      missing.push(img.path);
      continue;
    }
    const bytes = readFileSync(img.path);
    found.push({ bytes, name: uploadName(bytes, img.path), weight: img.weight });
  }
  return { found, missing };
}

/**
 * Whether a job's reference pictures would be used on a server, without uploading anything (for a run found again
 * after a restart, whose graph was prepared by an earlier process). Null when the job has no consistency facts.
 */
export function describeReferences(params: Record<string, unknown>, capabilities: AdapterServerInfo | null): ReferenceUse | null {
  const consistency = jobConsistencyOf(params);
  if (!consistency) return null;
  if (consistency.referenceImages.length === 0) return { used: false, reason: 'the shot\'s characters have no reference pictures' };
  if (!capabilities) return { used: false, reason: 'the server\'s nodes were not known when the job was sent' };
  const choice = chooseAdapter(consistency.family, capabilities);
  if (!choice.ok) return { used: false, reason: choice.reason };
  const { found } = readReferences(consistency.referenceImages);
  if (found.length === 0) return { used: false, reason: 'the reference pictures are no longer in the library' };
  return { used: true, adapter: choice.plan.kind, images: found.map((f) => f.name) };
}

/**
 * The graph to submit to one server: the stored graph, with the variation's starting picture uploaded, and the
 * reference pictures uploaded and wired in when the server and the workflow allow it (see the module comment).
 * @throws ExecError permanent `init_image_missing` (a variation's picture is gone); transient errors of the upload
 *   (the attempt is retried); a permanent upload refusal only drops the references (the meta says why).
 */
export async function prepareSubmission(graphJson: string, params: Record<string, unknown>, server: ReferenceServer, signal?: AbortSignal): Promise<PreparedSubmission> {
  let graph = JSON.parse(graphJson) as WorkflowGraph;
  const consistency = jobConsistencyOf(params);
  if (!consistency) return { graph, meta: {} };

  const init = consistency.variation?.initImage;
  if (init) {
    if (!existsSync(init.path)) {
      throw new ExecError('permanent', 'init_image_missing', `The take this variation starts from is no longer on disk (${init.path}).`);
    }
    await server.client.uploadImage(readFileSync(init.path), init.name, { overwrite: true, signal });
  }

  if (consistency.referenceImages.length === 0) return { graph, meta: { references: { used: false, reason: 'the shot\'s characters have no reference pictures' } } };
  if (!server.capabilities) return { graph, meta: { references: { used: false, reason: 'the server\'s nodes are not known yet' } } };
  const choice = chooseAdapter(consistency.family, server.capabilities);
  if (!choice.ok) return { graph, meta: { references: { used: false, reason: choice.reason } } };
  const { found, missing } = readReferences(consistency.referenceImages);
  if (found.length === 0) return { graph, meta: { references: { used: false, reason: `the reference pictures are no longer in the library (${missing.join(', ')})` } } };
  try {
    for (const f of found) await server.client.uploadImage(f.bytes, f.name, { overwrite: true, signal });
  } catch (error) {
    if (error instanceof ComfyError && error.kind === 'permanent') {
      return { graph, meta: { references: { used: false, reason: `the server refused the reference pictures: ${error.message}` } } };
    }
    throw error;
  }
  try {
    graph = insertImageAdapter(graph, choice.plan, found.map((f) => ({ image: f.name, weight: f.weight }))).graph;
  } catch (error) {
    if (error instanceof AppError) return { graph, meta: { references: { used: false, reason: error.message } } };
    throw error;
  }
  const reason = missing.length ? { reason: `${missing.length} of the pictures are no longer in the library` } : {};
  return { graph, meta: { references: { used: true, adapter: choice.plan.kind, images: found.map((f) => f.name), ...reason } } };
}
