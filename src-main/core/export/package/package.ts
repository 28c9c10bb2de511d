/**
 * The project package: a whole project folder (`<Name>.storycanvas/`) as ONE ZIP file (PKWARE APPNOTE 6.3.x, with
 * ZIP64 where needed) to hand to another artist or an editor, and the way back.
 *
 * Layout inside the ZIP: `manifest.json` at the root (see manifest.ts) and every file under `<Name>.storycanvas/`.
 * Writing streams each file through a SHA-256 into yazl (https://github.com/thejoshwolfe/yazl), never holding a
 * whole file in memory; `project.db` is taken from a consistent snapshot (the caller passes SQLite's online backup).
 * Opening reads the ZIP's central directory and the manifest first (yauzl, https://github.com/thejoshwolfe/yauzl),
 * refuses unsafe names (zip-slip), unlisted and missing files, extracts to a temp folder beside the destination
 * while hashing, and renames the folder into place only when every file matched its size and SHA-256.
 *
 * ```ts
 * await writeProjectPackage(store.dir, '/Users/ana/Desktop/Lighthouse.scpackage.zip', {
 *   snapshotDb: (tmpPath) => db.backup(tmpPath).then(() => undefined), appVersion: core.version,
 * });
 * const { projectDir } = await openProjectPackage('/Users/ana/Downloads/Lighthouse.scpackage.zip', '/Users/ana/Films');
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, type Stats } from 'node:fs';
import { copyFile, lstat, mkdir, mkdtemp, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import {
  MANIFEST_NAME, PACKAGE_FORMAT, PACKAGE_FORMAT_VERSION, PackageManifestSchema, isSafeRelativePath,
  type PackageFile, type PackageManifest,
} from './manifest.ts';

export type { PackageFile, PackageManifest } from './manifest.ts';

/** The project database's name inside a project folder. */
export const PROJECT_DB_NAME = 'project.db';

/** SQLite side files of the live database: never packaged (the snapshot already holds their content). */
const SQLITE_SIDE_FILES = new Set([`${PROJECT_DB_NAME}-wal`, `${PROJECT_DB_NAME}-shm`, `${PROJECT_DB_NAME}-journal`]);
/**
 * Top-level folders a package leaves out: `exports/` holds what the project produced (animatics, Resolve folders,
 * timelines), which can be made again and would only inflate the package.
 */
const LEFT_OUT_FOLDERS = new Set(['exports']);

/** Already-compressed media is stored, not deflated again (saves time, costs nothing in size). */
const STORED_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'webp', 'gif', 'avif', 'heic', 'mp4', 'mov', 'm4v', 'mkv', 'webm', 'mp3', 'm4a', 'aac', 'ogg',
  'opus', 'flac', 'zip', 'gz', '7z', 'pdf',
]);

/** Progress of packaging or opening: bytes of file content done out of the total. */
export interface PackageProgress {
  bytesDone: number;
  bytesTotal: number;
  /** 0..1; 1 only once the result is in place */
  fraction: number;
}

/** Options for `writeProjectPackage`. */
export interface WritePackageOptions {
  /** aborting stops the work, deletes the partial ZIP and rejects with an `AbortError` */
  signal?: AbortSignal;
  onProgress?: (progress: PackageProgress) => void;
  /**
   * Writes a consistent copy of the project database to `tmpPath` (better-sqlite3: `db.backup(tmpPath)`, SQLite's
   * online backup API). Default: copies `project.db` as it is on disk, which is only consistent when no one has
   * the project open (a live database in WAL mode keeps recent changes in `project.db-wal`).
   */
  snapshotDb?: (tmpPath: string) => Promise<void>;
  /** written into the manifest; pass the running app's version; default 'unknown' */
  appVersion?: string;
}

/** What `writeProjectPackage` wrote. */
export interface WritePackageResult {
  outZipPath: string;
  manifest: PackageManifest;
  /** size of the ZIP file in bytes */
  zipBytes: number;
}

/** Options for `openProjectPackage`. */
export interface OpenPackageOptions {
  /** aborting stops the extraction, removes the temp folder and rejects with an `AbortError` */
  signal?: AbortSignal;
  onProgress?: (progress: PackageProgress) => void;
}

function abortError(what: string): Error {
  const error = new Error(`${what} was cancelled`);
  error.name = 'AbortError';
  return error;
}

/** A Transform that passes bytes through while counting them and hashing them with SHA-256. */
function hashingCounter(onBytes: (count: number) => void): Transform & { digest(): { sha256: string; sizeBytes: number } } {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let sha256: string | null = null;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      onBytes(chunk.length);
      done(null, chunk);
    },
    flush(done) {
      sha256 = hash.digest('hex');
      done();
    },
  });
  return Object.assign(transform, {
    digest: () => {
      if (sha256 === null) sha256 = hash.digest('hex');
      return { sha256, sizeBytes };
    },
  });
}

interface SourceFile {
  /** path inside the project folder, `/`-separated */
  path: string;
  absolutePath: string;
  stats: Stats;
}

/** Every regular file and folder under `root` (symbolic links and special files are skipped), sorted by path. */
async function listProject(root: string): Promise<{ files: SourceFile[]; directories: string[] }> {
  const files: SourceFile[] = [];
  const directories: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const absolutePath = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (prefix === '' && LEFT_OUT_FOLDERS.has(entry.name)) continue;
        directories.push(path);
        await walk(absolutePath, path);
      } else if (entry.isFile()) {
        if (prefix === '' && SQLITE_SIDE_FILES.has(entry.name)) continue;
        files.push({ path, absolutePath, stats: await stat(absolutePath) });
      }
    }
  };
  await walk(root, '');
  const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  files.sort((a, b) => byPath(a.path, b.path));
  directories.sort(byPath);
  return { files, directories };
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Packs the project folder `projectDir` into one ZIP at `outZipPath`, with `manifest.json` listing every file's
 * size and SHA-256. `project.db` comes from `opts.snapshotDb` (see there); its `-wal`/`-shm`/`-journal` side files,
 * the `exports/` folder (what the project produced, which can be made again), symbolic links and special files are left out. The ZIP appears at `outZipPath` only when complete.
 * @throws Error when `projectDir` is not a project folder (no project.db), when `outZipPath` lies inside it or its
 *   folder does not exist, when the snapshot fails, or when a file changes size while it is being packed.
 * @throws AbortError (`error.name === 'AbortError'`) when `opts.signal` aborts; no partial ZIP is left.
 */
export async function writeProjectPackage(
  projectDir: string,
  outZipPath: string,
  opts: WritePackageOptions = {},
): Promise<WritePackageResult> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError('packaging the project');
  const root = resolve(projectDir);
  const rootStats = await stat(root).catch(() => null);
  if (!rootStats?.isDirectory() || !existsSync(join(root, PROJECT_DB_NAME))) {
    throw new Error(`${projectDir} is not a StoryCanvas project folder (it has no ${PROJECT_DB_NAME}): choose the project's .storycanvas folder`);
  }
  const outPath = resolve(outZipPath);
  const inside = relative(root, outPath);
  if (inside === '' || (inside.split(sep)[0] !== '..' && !isAbsolute(inside))) {
    throw new Error(`the package ${outZipPath} cannot be written inside the project folder it packs: choose another folder`);
  }
  if (!existsSync(dirname(outPath))) {
    throw new Error(`the folder ${dirname(outPath)} does not exist: choose an existing folder for the package`);
  }

  const work = await mkdtemp(join(tmpdir(), 'storycanvas-package-'));
  const tempZip = join(dirname(outPath), `.${basename(outPath)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  const zip = new yazl.ZipFile();
  let currentSource: Readable | null = null;
  let written: Promise<void> | null = null;
  let stopped: Error | null = null;
  const onAbort = (): void => {
    stopped = abortError('packaging the project');
    currentSource?.destroy(stopped);
    (zip.outputStream as Readable).destroy(stopped);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const snapshotPath = join(work, PROJECT_DB_NAME);
    try {
      await (opts.snapshotDb ?? ((tmpPath: string) => copyFile(join(root, PROJECT_DB_NAME), tmpPath)))(snapshotPath);
    } catch (error) {
      throw new Error(`could not take a snapshot of the project database: ${(error as Error).message}`, { cause: error });
    }
    if (signal?.aborted) throw abortError('packaging the project');
    const listing = await listProject(root);
    const sources = listing.files.map((file) =>
      file.path === PROJECT_DB_NAME ? { ...file, absolutePath: snapshotPath } : file,
    );
    for (const source of sources) if (source.absolutePath === snapshotPath) source.stats = await stat(snapshotPath);

    const projectFolder = basename(root);
    const bytesTotal = sources.reduce((sum, s) => sum + s.stats.size, 0);
    let bytesDone = 0;
    const report = (count: number): void => {
      bytesDone += count;
      onProgress?.({ bytesDone, bytesTotal, fraction: bytesTotal === 0 ? 0 : Math.min(0.999, bytesDone / bytesTotal) });
    };
    const entries: PackageFile[] = [];
    let hashed = 0;
    let allHashed!: () => void;
    const allHashedPromise = new Promise<void>((resolveAll) => (allHashed = resolveAll));

    const zipWritten = pipeline(zip.outputStream, createWriteStream(tempZip, { flags: 'wx' }));
    written = zipWritten;
    zipWritten.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
    const zipError = new Promise<never>((_, reject) => zip.on('error', reject));
    zipError.catch(() => undefined);

    for (const [index, source] of sources.entries()) {
      entries.push({ path: source.path, sizeBytes: 0, sha256: '' });
      zip.addReadStreamLazy(
        `${projectFolder}/${source.path}`,
        {
          mtime: source.stats.mtime,
          mode: 0o100644,
          compress: !STORED_EXTENSIONS.has(extensionOf(source.path)),
          size: source.stats.size,
        },
        (callback) => {
          if (stopped) return callback(stopped, undefined as never);
          const input = createReadStream(source.absolutePath);
          const meter = hashingCounter(report);
          input.on('error', (error) => meter.destroy(new Error(`could not read ${source.path}: ${error.message}`, { cause: error })));
          // yazl does not listen for errors on lazily given streams: report them through the ZIP's error event
          meter.on('error', (error) => zip.emit('error', error));
          meter.on('end', () => {
            const { sha256, sizeBytes } = meter.digest();
            entries[index] = { path: source.path, sizeBytes, sha256 };
            if (++hashed === sources.length) allHashed();
          });
          currentSource = input;
          callback(null, input.pipe(meter));
        },
      );
    }
    for (const directory of listing.directories) {
      if (!sources.some((s) => s.path.startsWith(`${directory}/`))) zip.addEmptyDirectory(`${projectFolder}/${directory}`);
    }
    if (sources.length === 0) allHashed();

    await Promise.race([allHashedPromise, zipError, zipWritten]);
    const manifest: PackageManifest = {
      format: PACKAGE_FORMAT,
      formatVersion: PACKAGE_FORMAT_VERSION,
      appVersion: opts.appVersion ?? 'unknown',
      createdAt: new Date().toISOString(),
      projectFolder,
      files: entries,
      directories: listing.directories,
    };
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), MANIFEST_NAME, { mtime: new Date() });
    zip.end();
    await Promise.race([zipWritten, zipError]);
    if (stopped) throw stopped;
    await rename(tempZip, outPath);
    const zipBytes = (await stat(outPath)).size;
    onProgress?.({ bytesDone: bytesTotal, bytesTotal, fraction: 1 });
    return { outZipPath: outPath, manifest, zipBytes };
  } catch (error) {
    // close the output file before removing it (Windows cannot delete an open file)
    (zip.outputStream as Readable).destroy();
    await written?.catch(() => undefined);
    await unlink(tempZip).catch(() => undefined);
    if (signal?.aborted) throw abortError('packaging the project');
    if (/unexpected number of bytes/.test((error as Error).message)) {
      throw new Error(`a file changed while the project was being packed: close other programs using ${projectDir} and try again`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await rm(work, { recursive: true, force: true });
  }
}

/** Reads a small entry (the manifest) into a string, refusing one larger than `limitBytes`. */
async function readSmallEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limitBytes: number): Promise<string> {
  if (entry.uncompressedSize > limitBytes) throw new Error(`${entry.fileName} is ${entry.uncompressedSize} bytes, more than a manifest can be`);
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A free folder name in `parent`: `name`, else `Name 2.storycanvas`, `Name 3.storycanvas`, ... */
function freeFolderName(parent: string, name: string): string {
  if (!existsSync(join(parent, name))) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const suffix = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; ; n++) {
    const candidate = `${stem} ${n}${suffix}`;
    if (!existsSync(join(parent, candidate))) return candidate;
  }
}

/**
 * Opens a project package: checks it completely, then places the project folder in `destParentDir` (as
 * `manifest.projectFolder`, or `Name 2.storycanvas` when that name is taken) and returns its path.
 *
 * Order: the ZIP's central directory (a truncated or damaged ZIP fails here), every entry name (absolute paths and
 * `..` are refused: zip-slip), `manifest.json` (schema, format version), the entries against the manifest (none
 * missing, none unlisted, sizes equal), then each file is extracted to a temp folder in `destParentDir` while its
 * SHA-256 is computed and compared; the folder is renamed into place only when all match.
 * @throws Error naming the package and the entry that failed (bad hash, bad size, missing or unlisted file, unsafe
 *   name, missing or invalid manifest, damaged data); nothing is left in `destParentDir`.
 * @throws AbortError when `opts.signal` aborts; nothing is left either.
 */
export async function openProjectPackage(
  zipPath: string,
  destParentDir: string,
  opts: OpenPackageOptions = {},
): Promise<{ projectDir: string; manifest: PackageManifest }> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError('opening the package');
  const parent = resolve(destParentDir);
  if (!(await stat(parent).catch(() => null))?.isDirectory()) {
    throw new Error(`the folder ${destParentDir} does not exist: choose an existing folder to open the project into`);
  }
  const name = basename(zipPath);
  const refuse = (what: string, cause?: unknown): Error =>
    new Error(`cannot open the package ${name}: ${what}. The package is damaged or not a StoryCanvas package; ask for a new copy.`, {
      cause,
    });

  let zip: yauzl.ZipFile;
  try {
    if (!(await lstat(zipPath)).isFile()) throw new Error('not a file');
    zip = await yauzl.openPromise(zipPath, { autoClose: false, validateEntrySizes: true, strictFileNames: true });
  } catch (error) {
    throw refuse(`it is not a complete ZIP file (${(error as Error).message})`, error);
  }

  let tempDir: string | null = null;
  let currentStream: Readable | null = null;
  const onAbort = (): void => {
    currentStream?.destroy(abortError('opening the package'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // 1. the central directory: every name must be safe, none twice
    const entries = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        const entryName = entry.fileName;
        const bare = entryName.endsWith('/') ? entryName.slice(0, -1) : entryName;
        if (!isSafeRelativePath(bare)) throw refuse(`entry "${entryName}" has an unsafe path (absolute or with "..")`);
        if (entries.has(entryName)) throw refuse(`entry "${entryName}" appears twice`);
        entries.set(entryName, entry);
      }
    } catch (error) {
      if ((error as Error).message.startsWith('cannot open the package')) throw error;
      const message = (error as Error).message;
      const unsafe = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec(message);
      throw unsafe ? refuse(`entry "${unsafe[2]}" has an unsafe path (${unsafe[1]})`, error) : refuse(`its file list is unreadable (${message})`, error);
    }

    // 2. the manifest
    const manifestEntry = entries.get(MANIFEST_NAME);
    if (!manifestEntry) throw refuse(`${MANIFEST_NAME} is missing`);
    let manifest: PackageManifest;
    try {
      const raw = JSON.parse(await readSmallEntry(zip, manifestEntry, 64 * 1024 * 1024)) as unknown;
      const version = (raw as { formatVersion?: unknown })?.formatVersion;
      if (typeof version === 'number' && version > PACKAGE_FORMAT_VERSION) {
        throw new Error(
          `${name} was made by a newer StoryCanvas (package format ${version}; this version reads up to ${PACKAGE_FORMAT_VERSION}): update StoryCanvas to open it`,
        );
      }
      const parsed = PackageManifestSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw refuse(`${MANIFEST_NAME} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      manifest = parsed.data;
    } catch (error) {
      if (/^cannot open the package|made by a newer StoryCanvas/.test((error as Error).message)) throw error;
      throw refuse(`${MANIFEST_NAME} is unreadable (${(error as Error).message})`, error);
    }

    // 3. the entries against the manifest
    const folder = manifest.projectFolder;
    if (!manifest.files.some((file) => file.path === PROJECT_DB_NAME)) throw refuse(`the manifest lists no ${PROJECT_DB_NAME}`);
    const listed = new Map(manifest.files.map((file) => [`${folder}/${file.path}`, file]));
    if (listed.size !== manifest.files.length) throw refuse(`${MANIFEST_NAME} lists a file twice`);
    const listedDirectories = new Set([`${folder}/`, ...manifest.directories.map((d) => `${folder}/${d}/`)]);
    for (const [entryName, file] of listed) {
      const entry = entries.get(entryName);
      if (!entry) throw refuse(`file "${file.path}" is listed in the manifest but missing from the package`);
      if (entry.uncompressedSize !== file.sizeBytes) {
        throw refuse(`file "${file.path}" is ${entry.uncompressedSize} bytes in the package but ${file.sizeBytes} in the manifest`);
      }
    }
    for (const entryName of entries.keys()) {
      if (entryName === MANIFEST_NAME || listed.has(entryName) || listedDirectories.has(entryName)) continue;
      throw refuse(`"${entryName}" is in the package but not in its manifest`);
    }

    // 4. extract to a temp folder beside the destination, hashing as it goes
    tempDir = await mkdtemp(join(parent, `.${folder}.opening-`));
    for (const directory of manifest.directories) await mkdir(join(tempDir, ...directory.split('/')), { recursive: true });
    const bytesTotal = manifest.files.reduce((sum, file) => sum + file.sizeBytes, 0);
    let bytesDone = 0;
    for (const file of manifest.files) {
      if (signal?.aborted) throw abortError('opening the package');
      const entry = entries.get(`${folder}/${file.path}`)!;
      const target = join(tempDir, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      const meter = hashingCounter((count) => {
        bytesDone += count;
        onProgress?.({ bytesDone, bytesTotal, fraction: bytesTotal === 0 ? 0 : Math.min(0.999, bytesDone / bytesTotal) });
      });
      try {
        const stream = await zip.openReadStreamPromise(entry);
        currentStream = stream;
        await pipeline(stream, meter, createWriteStream(target, { flags: 'wx' }));
      } catch (error) {
        if (signal?.aborted) throw abortError('opening the package');
        throw refuse(`file "${file.path}" could not be extracted (${(error as Error).message})`, error);
      } finally {
        currentStream = null;
      }
      const { sha256, sizeBytes } = meter.digest();
      if (sizeBytes !== file.sizeBytes) throw refuse(`file "${file.path}" has ${sizeBytes} bytes, the manifest says ${file.sizeBytes}`);
      if (sha256 !== file.sha256) throw refuse(`file "${file.path}" does not match its SHA-256 in the manifest`);
      const modified = entry.getLastModDate();
      await utimes(target, modified, modified).catch(() => undefined);
    }

    // 5. into place
    const projectDir = join(parent, freeFolderName(parent, folder));
    await rename(tempDir, projectDir);
    tempDir = null;
    onProgress?.({ bytesDone: bytesTotal, bytesTotal, fraction: 1 });
    return { projectDir, manifest };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    zip.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}
