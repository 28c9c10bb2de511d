import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors';

export type Db = Database.Database;

/** One numbered migration: `NNNN-name.sql` in ./migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Finds the migrations folder: beside this module in the sources (tsx, tests), or copied beside the bundle
 * (`out/main/migrations`, see electron.vite.config.ts).
 */
function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'migrations'), join(here, 'store', 'migrations'), join(here, '..', 'migrations')];
  const found = candidates.find((d) => existsSync(join(d, '0001-init.sql')));
  if (!found) throw new Error(`project schema migrations not found next to ${here}; the build is incomplete`);
  return found;
}

let cached: Migration[] | null = null;

/** Every migration, by version. File names must be `NNNN-name.sql`, numbered from 1 without gaps. */
export function loadMigrations(): Migration[] {
  if (cached) return cached;
  const dir = migrationsDir();
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}-[\w-]+\.sql$/.test(f))
    .sort();
  const list = files.map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: readFileSync(join(dir, f), 'utf8') }));
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.version} out of sequence (expected ${i + 1})`);
  });
  cached = list;
  return list;
}

/** The schema version this build writes. */
export function latestSchemaVersion(): number {
  return loadMigrations().length;
}

/**
 * Opens `project.db` with the pragmas the store relies on: WAL journal, `synchronous=FULL` (a committed
 * transaction survives power loss), `foreign_keys=ON`, a busy timeout for a second process (the CLI) writing
 * at the same time. Follows Signal Desktop's ts/sql setup.
 * @throws AppError `project_locked` when another process holds an exclusive lock for longer than 5 s.
 */
export function openDb(file: string, opts: { readonly?: boolean; create?: boolean } = {}): Db {
  if (!opts.create && !existsSync(file)) {
    throw new AppError('not_a_project', `There is no project database at ${file}.`, 'Open a folder named <Name>.storycanvas, or create a new project.');
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: !opts.create });
  } catch (err) {
    throw new AppError('cannot_open', `The project database ${file} could not be opened: ${(err as Error).message}.`, 'Check that the folder is readable and writable.');
  }
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  try {
    const row = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
    void row;
  } catch (err) {
    db.close();
    throw new AppError('corrupt_project', `${file} is not a StoryCanvas project database (${(err as Error).message}).`, 'Restore the project from its backups/ folder or from your own backup.');
  }
  return db;
}

/**
 * Brings the database to the latest schema. Each migration runs in its own transaction and is recorded in
 * `PRAGMA user_version`. Before the first migration of an existing project, a live copy is taken with
 * SQLite's online backup into `<project>/backups/project-v<old>-<timestamp>.db`.
 * @returns the version the database had before, and the backup file when one was taken.
 * @throws AppError `project_too_new` when the project was written by a newer StoryCanvas.
 */
export async function migrate(
  db: Db,
  projectDir: string,
  migrations: Migration[] = loadMigrations(),
): Promise<{ from: number; to: number; backup: string | null }> {
  const from = db.pragma('user_version', { simple: true }) as number;
  const to = migrations.length;
  if (from > to) {
    throw new AppError(
      'project_too_new',
      `This project was saved by a newer StoryCanvas (project format ${from}; this app reads up to ${to}).`,
      'Update StoryCanvas to open it. The project was not changed.',
    );
  }
  let backup: string | null = null;
  if (from > 0 && from < to) {
    const dir = join(projectDir, 'backups');
    mkdirSync(dir, { recursive: true });
    backup = join(dir, `project-v${from}-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
    await db.backup(backup);
  }
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to, backup };
}
