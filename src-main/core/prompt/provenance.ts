/**
 * What a generation job records about its consistency aids, and what its takes say about them.
 *
 * `buildJobs` stores a {@link JobConsistency} in the job's params (`params.consistency`): the negative prompt, where
 * the seed came from, the template, the characters of the shot, the aids the composition offered and the reference
 * pictures. The queue decides at submit time, per server, whether the pictures can be wired in through an
 * image-prompt adapter (`queue/references.ts`) and reports a {@link ReferenceUse}. The take writer merges both into
 * the take's `meta` with {@link consistencyMeta}: the aids ACTUALLY used, and why the pictures were not when they
 * were not.
 */
import { z } from 'zod';

/** A reference picture of a job: absolute path on the machine that runs the core, effective weight 0..1, character. */
export const JobReference = z.object({ path: z.string().min(1), weight: z.number().min(0).max(1), character: z.string() });
export type JobReference = z.infer<typeof JobReference>;

/** The picture a variation starts from (image to image): its file, and the name it gets in the server's input folder. */
export const JobInitImage = z.object({ path: z.string().min(1), name: z.string().min(1) });
export type JobInitImage = z.infer<typeof JobInitImage>;

/** The consistency facts of a job (`params.consistency`). */
export const JobConsistency = z.object({
  negativePrompt: z.string(),
  /** Where the seed came from: the shot's lock, the scene's lock, or the batch's seed mode. */
  seedSource: z.string(),
  templateId: z.string().nullable(),
  templateName: z.string().nullable(),
  /** The characters of the shot, as people write them. */
  characters: z.array(z.string()),
  /** The aids the composition offered (`lora:<file>`, `trigger words`, `description`, `reference images`, `seed locked (shot)`). */
  consistencyAids: z.array(z.string()),
  referenceImages: z.array(JobReference),
  /** The model family of the workflow (decides the adapter: IP-Adapter for SD 1.5/SDXL, Redux for Flux). */
  family: z.string().nullable(),
  /** What the artist should know (LoRAs left out over the family's limit, composition notes). */
  notes: z.array(z.string()),
  /** For a variation: the take it varies, how, and the picture it starts from (same-seed image to image). */
  variation: z
    .object({ fromTakeId: z.string(), mode: z.enum(['new-seed', 'same-seed']), denoise: z.number().min(0).max(1).nullable(), initImage: JobInitImage.nullable() })
    .optional(),
});
export type JobConsistency = z.infer<typeof JobConsistency>;

/** Whether a job's reference pictures were wired in on the server that ran it, with which adapter, or why not. */
export interface ReferenceUse {
  used: boolean;
  /** `ipadapter` or `redux` when used. */
  adapter?: string;
  /** Names the pictures got in the server's input folder, when used. */
  images?: string[];
  /** Why not, when not used (no pictures, no adapter nodes, the family has none, a file is missing...). */
  reason?: string;
}

/** The consistency block of a job's params, or null when the job has none (built without the library) or it is damaged. */
export function jobConsistencyOf(params: Record<string, unknown>): JobConsistency | null {
  const parsed = JobConsistency.safeParse(params.consistency);
  return parsed.success ? parsed.data : null;
}

/**
 * The take's `meta` fields about consistency: `negativePrompt`, `seedSource`, `templateId`, `templateName`,
 * `characters`, `consistencyAids` (the aids used: `reference images` is replaced by `reference images (<adapter>)`
 * when the pictures were wired in, and left out when they were not), `references` (the {@link ReferenceUse}) and
 * `consistencyNotes`.
 */
export function consistencyMeta(consistency: JobConsistency, references: ReferenceUse | null): Record<string, unknown> {
  const used = references?.used === true;
  const aids = consistency.consistencyAids.flatMap((a) => (a === 'reference images' ? (used ? [`reference images (${references?.adapter ?? 'adapter'})`] : []) : [a]));
  const refs: ReferenceUse =
    references ?? (consistency.referenceImages.length ? { used: false, reason: 'the server that ran the job was not asked (the run was found again after a restart)' } : { used: false, reason: 'the shot\'s characters have no reference pictures' });
  return {
    negativePrompt: consistency.negativePrompt,
    seedSource: consistency.seedSource,
    templateId: consistency.templateId,
    templateName: consistency.templateName,
    characters: consistency.characters,
    consistencyAids: aids,
    references: refs,
    ...(consistency.notes.length ? { consistencyNotes: consistency.notes } : {}),
    ...(consistency.variation ? { variationOf: consistency.variation.fromTakeId, variationMode: consistency.variation.mode, ...(consistency.variation.denoise !== null ? { denoise: consistency.variation.denoise } : {}) } : {}),
  };
}
