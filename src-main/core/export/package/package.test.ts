import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_NAME, PACKAGE_FORMAT_VERSION, type PackageManifest } from './manifest.ts';
import { openProjectPackage, writeProjectPackage, type PackageProgress } from './package.ts';

let dir: string;
let projectDir: string;
let db: Database.Database;
let goodZip: string;
let goodBytes: Buffer;
const FOLDER = 'Lighthouse.storycanvas';
const clipBytes = randomBytes(3 * 1024 * 1024 + 17);

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Every file under `root` as `relative path -> bytes`. */
function readTree(root: string, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [p, b] of readTree(root, path)) out.set(p, b);
    else out.set(path, readFileSync(join(root, path)));
  }
  return out;
}

/** A fresh empty folder to open packages into. */
function freshDest(name: string): string {
  const dest = join(dir, name);
  mkdirSync(dest);
  return dest;
}

/** `buffer` with every occurrence of `from` replaced by `to` (same length). */
function replaceAll(buffer: Buffer, from: string, to: string): Buffer {
  expect(Buffer.byteLength(from)).toBe(Buffer.byteLength(to));
  const out = Buffer.from(buffer);
  const needle = Buffer.from(from);
  let count = 0;
  for (let at = out.indexOf(needle); at !== -1; at = out.indexOf(needle, at + 1)) {
    Buffer.from(to).copy(out, at);
    count++;
  }
  expect(count).toBeGreaterThan(0);
  return out;
}

/** Writes a ZIP with yazl from `[name, bytes]` pairs. */
async function craftZip(path: string, entries: Array<[string, Buffer]>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/** The good package's manifest and files, to craft variants from. */
async function goodEntries(): Promise<{ manifest: PackageManifest; files: Array<[string, Buffer]> }> {
  const dest = freshDest(`unpack-${randomBytes(3).toString('hex')}`);
  const { projectDir: opened, manifest } = await openProjectPackage(goodZip, dest);
  const files: Array<[string, Buffer]> = [...readTree(opened)].map(([p, b]) => [`${FOLDER}/${p}`, b]);
  return { manifest, files };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'package-test-'));
  projectDir = join(dir, FOLDER);
  mkdirSync(join(projectDir, 'media', 'takes'), { recursive: true });
  mkdirSync(join(projectDir, 'media', 'thumbnails')); // empty: must come back too
  mkdirSync(join(projectDir, 'notes'));
  writeFileSync(join(projectDir, 'media', 'takes', 'shot-1.png'), randomBytes(2048));
  writeFileSync(join(projectDir, 'media', 'takes', 'clip.mp4'), clipBytes);
  writeFileSync(join(projectDir, 'notes', 'Zoë — notes.txt'), 'Élodie’s lines, “as written”.\n'.repeat(200));
  // what the project produced: left out of the package (it can be made again)
  mkdirSync(join(projectDir, 'exports', 'Film (Resolve)'), { recursive: true });
  writeFileSync(join(projectDir, 'exports', 'Film.mp4'), randomBytes(4096));
  // a live database in WAL mode whose latest rows are only in project.db-wal (no checkpoint)
  db = new Database(join(projectDir, 'project.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE shot (id INTEGER PRIMARY KEY, number TEXT)');
  const insert = db.prepare('INSERT INTO shot (number) VALUES (?)');
  for (const n of ['1', '1A', '2', '12A']) insert.run(n);
  expect(statSync(join(projectDir, 'project.db-wal')).size).toBeGreaterThan(0);

  goodZip = join(dir, 'good.zip');
  await writeProjectPackage(projectDir, goodZip, {
    snapshotDb: async (tmpPath) => {
      await db.backup(tmpPath);
    },
    appVersion: '0.1.0',
  });
  goodBytes = readFileSync(goodZip);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('writeProjectPackage + openProjectPackage', () => {
  it('round-trips the project folder: every file, the empty folder, and the live database from its snapshot', async () => {
    const dest = freshDest('roundtrip');
    const progress: PackageProgress[] = [];
    const { projectDir: opened, manifest } = await openProjectPackage(goodZip, dest, { onProgress: (p) => progress.push(p) });
    expect(opened).toBe(join(dest, FOLDER));
    expect(readdirSync(dest)).toEqual([FOLDER]);

    const original = readTree(projectDir);
    const copy = readTree(opened);
    expect([...copy.keys()].sort()).toEqual(
      ['media/takes/clip.mp4', 'media/takes/shot-1.png', 'notes/Zoë — notes.txt', 'project.db'],
    );
    for (const path of ['media/takes/clip.mp4', 'media/takes/shot-1.png', 'notes/Zoë — notes.txt']) {
      expect(copy.get(path)!.equals(original.get(path)!), path).toBe(true);
    }
    expect(statSync(join(opened, 'media', 'thumbnails')).isDirectory()).toBe(true);
    expect(existsSync(join(opened, 'exports'))).toBe(false);
    const reopened = new Database(join(opened, 'project.db'), { readonly: true });
    expect(reopened.prepare('SELECT number FROM shot ORDER BY id').pluck().all()).toEqual(['1', '1A', '2', '12A']);
    reopened.close();

    expect(manifest).toMatchObject({ formatVersion: PACKAGE_FORMAT_VERSION, appVersion: '0.1.0', projectFolder: FOLDER });
    expect(new Date(manifest.createdAt).toISOString()).toBe(manifest.createdAt);
    for (const file of manifest.files) {
      const bytes = copy.get(file.path)!;
      expect(file).toEqual({ path: file.path, sizeBytes: bytes.length, sha256: sha256(bytes) });
    }
    expect(progress.at(-1)).toMatchObject({ fraction: 1 });
  });

  it('reports progress while packing and leaves only the finished ZIP', async () => {
    const out = join(dir, 'progress.zip');
    const progress: PackageProgress[] = [];
    const result = await writeProjectPackage(projectDir, out, { onProgress: (p) => progress.push(p), snapshotDb: async (t) => void (await db.backup(t)) });
    expect(result.zipBytes).toBe(statSync(out).size);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toEqual({ bytesDone: progress.at(-1)!.bytesTotal, bytesTotal: progress.at(-1)!.bytesTotal, fraction: 1 });
    expect(readdirSync(dir).filter((n) => n.includes('.partial'))).toEqual([]);
    expect(result.manifest.files.map((f) => f.path)).not.toContain('project.db-wal');
  });

  it('copies project.db as it is when no snapshot function is given', async () => {
    const closedProject = join(dir, 'Closed.storycanvas');
    mkdirSync(closedProject);
    const closed = new Database(join(closedProject, 'project.db'));
    closed.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('kept')");
    closed.close();
    const out = join(dir, 'closed.zip');
    const { manifest } = await writeProjectPackage(closedProject, out);
    expect(manifest.files).toEqual([
      { path: 'project.db', sizeBytes: statSync(join(closedProject, 'project.db')).size, sha256: sha256(readFileSync(join(closedProject, 'project.db'))) },
    ]);
    expect(manifest.appVersion).toBe('unknown');
  });

  it('cancels packing: rejects with an AbortError and leaves no ZIP', async () => {
    const out = join(dir, 'cancelled.zip');
    const controller = new AbortController();
    await expect(
      writeProjectPackage(projectDir, out, { signal: controller.signal, onProgress: () => controller.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.cancelled.zip'))).toEqual([]);
  });

  it('refuses a folder that is not a project and a ZIP inside the project', async () => {
    await expect(writeProjectPackage(join(dir, 'nowhere'), join(dir, 'x.zip'))).rejects.toThrow(/not a StoryCanvas project folder/);
    await expect(writeProjectPackage(projectDir, join(projectDir, 'self.zip'))).rejects.toThrow(/inside the project folder/);
  });
});

describe('openProjectPackage refuses a damaged package and leaves nothing behind', () => {
  async function expectRefused(bytes: Buffer | null, zipName: string, message: RegExp): Promise<void> {
    const zipPath = join(dir, zipName);
    if (bytes) writeFileSync(zipPath, bytes);
    const dest = freshDest(`dest-${zipName}`);
    await expect(openProjectPackage(zipPath, dest)).rejects.toThrow(message);
    expect(readdirSync(dest)).toEqual([]);
  }

  it('a changed byte in a file: names the file whose SHA-256 fails', async () => {
    const at = goodBytes.indexOf(clipBytes.subarray(100_000, 100_032)); // clip.mp4 is stored, not deflated
    expect(at).toBeGreaterThan(0);
    const bad = Buffer.from(goodBytes);
    bad[at + 5] = bad[at + 5]! ^ 0xff;
    await expectRefused(bad, 'badhash.zip', /file "media\/takes\/clip\.mp4" does not match its SHA-256/);
  });

  it('a truncated ZIP', async () => {
    await expectRefused(goodBytes.subarray(0, goodBytes.length - 200), 'truncated-end.zip', /not a complete ZIP file/);
    await expectRefused(goodBytes.subarray(0, Math.floor(goodBytes.length / 2)), 'truncated-half.zip', /not a complete ZIP file/);
  });

  it('a missing manifest', async () => {
    await expectRefused(replaceAll(goodBytes, MANIFEST_NAME, 'manifest.jsoX'), 'nomanifest.zip', /manifest\.json is missing/);
  });

  it('a missing file: names it', async () => {
    await expectRefused(
      replaceAll(goodBytes, `${FOLDER}/media/takes/shot-1.png`, `${FOLDER}/media/takes/shot-1.pnX`),
      'missingfile.zip', /file "media\/takes\/shot-1\.png" is listed in the manifest but missing/,
    );
  });

  it('a file the manifest does not list', async () => {
    const { manifest, files } = await goodEntries();
    await craftZip(join(dir, 'unlisted.zip'), [
      [MANIFEST_NAME, Buffer.from(JSON.stringify(manifest))], ...files, [`${FOLDER}/media/extra.png`, Buffer.from('x')],
    ]);
    await expectRefused(null, 'unlisted.zip', /"Lighthouse\.storycanvas\/media\/extra\.png" is in the package but not in its manifest/);
  });

  it('entries with ".." or an absolute path (zip-slip), without writing outside the folder', async () => {
    const { manifest, files } = await goodEntries();
    const base: Array<[string, Buffer]> = [[MANIFEST_NAME, Buffer.from(JSON.stringify(manifest))], ...files];
    await craftZip(join(dir, 'slip-src.zip'), [...base, ['zz/evil.txt', Buffer.from('evil')]]);
    const slip = replaceAll(readFileSync(join(dir, 'slip-src.zip')), 'zz/evil.txt', '../evil.txt');
    await expectRefused(slip, 'slip.zip', /entry "\.\.\/evil\.txt" has an unsafe path/);
    await craftZip(join(dir, 'abs-src.zip'), [...base, ['xtmp/evil.txt', Buffer.from('evil')]]);
    const absolute = replaceAll(readFileSync(join(dir, 'abs-src.zip')), 'xtmp/evil.txt', '/tmp/evil.txt');
    await expectRefused(absolute, 'absolute.zip', /entry "\/tmp\/evil\.txt" has an unsafe path/);
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
  });

  it('a manifest that is invalid or from a newer format', async () => {
    const { manifest, files } = await goodEntries();
    const newer = { ...manifest, formatVersion: PACKAGE_FORMAT_VERSION + 1 };
    await craftZip(join(dir, 'newer.zip'), [[MANIFEST_NAME, Buffer.from(JSON.stringify(newer))], ...files]);
    await expectRefused(null, 'newer.zip', /made by a newer StoryCanvas.*update StoryCanvas/);
    const invalid = { ...manifest, files: manifest.files.map((f, i) => (i === 0 ? { ...f, sha256: 'nothex' } : f)) };
    await craftZip(join(dir, 'invalid.zip'), [[MANIFEST_NAME, Buffer.from(JSON.stringify(invalid))], ...files]);
    await expectRefused(null, 'invalid.zip', /manifest\.json is invalid at files\.0\.sha256/);
    const slipManifest = { ...manifest, files: [...manifest.files, { path: '../up.txt', sizeBytes: 1, sha256: '0'.repeat(64) }] };
    await craftZip(join(dir, 'slipmanifest.zip'), [[MANIFEST_NAME, Buffer.from(JSON.stringify(slipManifest))], ...files]);
    await expectRefused(null, 'slipmanifest.zip', /manifest\.json is invalid at files\.\d+\.path/);
  });

  it('cancels opening: rejects with an AbortError and removes the temp folder', async () => {
    const dest = freshDest('cancel-open');
    const controller = new AbortController();
    await expect(
      openProjectPackage(goodZip, dest, { signal: controller.signal, onProgress: () => controller.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(dest)).toEqual([]);
  });

  it('opens into a free name when the project folder already exists', async () => {
    const dest = freshDest('twice');
    const first = await openProjectPackage(goodZip, dest);
    const second = await openProjectPackage(goodZip, dest);
    expect(first.projectDir).toBe(join(dest, FOLDER));
    expect(second.projectDir).toBe(join(dest, 'Lighthouse 2.storycanvas'));
    expect(readdirSync(dest).sort()).toEqual(['Lighthouse 2.storycanvas', FOLDER]);
  });
});
