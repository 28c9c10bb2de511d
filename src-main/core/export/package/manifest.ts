/**
 * `manifest.json`, the table of contents of a StoryCanvas project package: every file of the project folder with
 * its size and SHA-256 (FIPS 180-4), the package format version, the app version and the creation time.
 *
 * ```json
 * { "format": "storycanvas-project-package", "formatVersion": 1, "appVersion": "0.1.0",
 *   "createdAt": "2025-11-21T10:00:00.000Z", "projectFolder": "Cyber Bob.storycanvas",
 *   "files": [{ "path": "project.db", "sizeBytes": 53248, "sha256": "9f8…" }], "directories": ["media"] }
 * ```
 * Paths are relative to the project folder, `/`-separated; in the ZIP each lies under `projectFolder/`.
 */
import { z } from 'zod';

/** The `format` value of every package manifest. */
export const PACKAGE_FORMAT = 'storycanvas-project-package';
/** The format version this code writes and the newest it reads. */
export const PACKAGE_FORMAT_VERSION = 1;
/** The manifest's name at the ZIP's root. */
export const MANIFEST_NAME = 'manifest.json';

/**
 * True for a safe relative path: `/`-separated, no empty, `.` or `..` segment, no backslash, no drive letter or
 * leading slash, no control characters (the zip-slip guard; see https://security.snyk.io/research/zip-slip-vulnerability).
 */
export function isSafeRelativePath(path: string): boolean {
  if (typeof path !== 'string' || path === '' || path.length > 4096) return false;
  if (path.includes('\\') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return false;
  if (/[\u0000-\u001f]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const safePath = z.string().refine(isSafeRelativePath, { message: 'must be a relative path without ".." or a leading "/"' });

/** The manifest's schema (zod 4). */
export const PackageManifestSchema = z.object({
  format: z.literal(PACKAGE_FORMAT),
  formatVersion: z.number().int().min(1),
  appVersion: z.string(),
  createdAt: z.string(),
  projectFolder: z.string().refine((name) => isSafeRelativePath(name) && !name.includes('/'), {
    message: 'must be a single folder name',
  }),
  files: z.array(
    z.object({
      path: safePath,
      sizeBytes: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
    }),
  ),
  directories: z.array(safePath).default([]),
});

/** A package's manifest. */
export type PackageManifest = z.infer<typeof PackageManifestSchema>;
/** One file in the manifest. */
export type PackageFile = PackageManifest['files'][number];
