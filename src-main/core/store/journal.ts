import type { Db } from './database';

/** A raw database row: column name to value. */
export type Row = Record<string, unknown>;

/** The tables edits may touch, with their primary key column. Anything else is refused. */
export const TABLE_KEYS = {
  project: 'id',
  scene: 'id',
  shot: 'id',
  take: 'id',
  character: 'id',
} as const;
export type TableName = keyof typeof TABLE_KEYS;

/** One row change: `before` null for an insert, `after` null for a delete. */
export interface RowChange {
  table: TableName;
  key: string | number;
  before: Row | null;
  after: Row | null;
}

/** One undoable step: a label for people and the row changes in the order they were made. */
export interface JournalEntry {
  label: string;
  changes: RowChange[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`invalid column name ${name}`);
  return name;
}

/**
 * The only way edits write to the project: insert, update and delete rows while recording their before and
 * after images, so the whole step can be undone and redone exactly. It runs inside one SQLite transaction
 * (see `Journal.edit`); reads go through `db` directly.
 *
 * Foreign keys between shots and takes are DEFERRABLE, so a step may write rows in any order as long as the
 * result is consistent at commit.
 */
export class EditTx {
  readonly changes: RowChange[] = [];
  constructor(readonly db: Db) {}

  get(table: TableName, key: string | number): Row | null {
    return (this.db.prepare(`SELECT * FROM ${table} WHERE ${TABLE_KEYS[table]} = ?`).get(key) as Row | undefined) ?? null;
  }

  insert(table: TableName, row: Row): void {
    writeInsert(this.db, table, row);
    this.changes.push({ table, key: row[TABLE_KEYS[table]] as string, before: null, after: { ...row } });
  }

  /** Updates the given columns of one row. A patch that changes nothing records nothing. */
  update(table: TableName, key: string | number, patch: Row): void {
    const before = this.get(table, key);
    if (!before) throw new Error(`${table} ${key} does not exist`);
    const changed = Object.keys(patch).filter((c) => !Object.is(before[c], patch[c]));
    if (changed.length === 0) return;
    const after = { ...before, ...patch };
    writeUpdate(this.db, table, key, after, changed);
    this.changes.push({ table, key, before, after });
  }

  delete(table: TableName, key: string | number): void {
    const before = this.get(table, key);
    if (!before) return;
    this.db.prepare(`DELETE FROM ${table} WHERE ${TABLE_KEYS[table]} = ?`).run(key);
    this.changes.push({ table, key, before, after: null });
  }
}

function writeInsert(db: Db, table: TableName, row: Row): void {
  const cols = Object.keys(row).map(ident);
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(row);
}

function writeUpdate(db: Db, table: TableName, key: string | number, row: Row, cols: string[]): void {
  const keyCol = TABLE_KEYS[table];
  const sets = cols.map((c) => `${ident(c)} = @${c}`).join(', ');
  db.prepare(`UPDATE ${table} SET ${sets} WHERE ${keyCol} = @__key`).run({ ...pick(row, cols), __key: key });
}

function pick(row: Row, cols: string[]): Row {
  const out: Row = {};
  for (const c of cols) out[c] = row[c];
  return out;
}

/** Applies a change backwards (undo) or forwards (redo). */
function apply(db: Db, c: RowChange, direction: 'undo' | 'redo'): void {
  const from = direction === 'undo' ? c.after : c.before;
  const to = direction === 'undo' ? c.before : c.after;
  const keyCol = TABLE_KEYS[c.table];
  if (to === null) db.prepare(`DELETE FROM ${c.table} WHERE ${keyCol} = ?`).run(c.key);
  else if (from === null) writeInsert(db, c.table, to);
  else writeUpdate(db, c.table, c.key, to, Object.keys(to).filter((k) => !Object.is(from[k], to[k])));
}

/**
 * Edits with undo and redo for one open project, kept for the session (the app's lifetime), at most
 * `limit` steps. Every step is one SQLite transaction: when `edit` returns, the change is durable
 * (WAL + synchronous=FULL), so a killed process loses nothing it acknowledged.
 */
export class Journal {
  private undoStack: JournalEntry[] = [];
  private redoStack: JournalEntry[] = [];

  constructor(
    private readonly db: Db,
    private readonly limit = 1000,
  ) {}

  /**
   * Runs `fn` in one transaction and records its row changes as one undoable step labelled `label`.
   * A step that changed nothing is not recorded. Throws whatever `fn` throws, after rolling back.
   */
  edit<T>(label: string, fn: (tx: EditTx) => T): { result: T; changed: boolean } {
    const tx = new EditTx(this.db);
    const result = this.db.transaction(() => fn(tx))();
    if (tx.changes.length === 0) return { result, changed: false };
    this.undoStack.push({ label, changes: tx.changes });
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
    return { result, changed: true };
  }

  /** Undoes the last step; returns its label, or null when there is nothing to undo. */
  undo(): string | null {
    const entry = this.undoStack.pop();
    if (!entry) return null;
    this.db.transaction(() => {
      for (let i = entry.changes.length - 1; i >= 0; i--) apply(this.db, entry.changes[i], 'undo');
    })();
    this.redoStack.push(entry);
    return entry.label;
  }

  /** Redoes the last undone step; returns its label, or null when there is nothing to redo. */
  redo(): string | null {
    const entry = this.redoStack.pop();
    if (!entry) return null;
    this.db.transaction(() => {
      for (const c of entry.changes) apply(this.db, c, 'redo');
    })();
    this.undoStack.push(entry);
    return entry.label;
  }

  state(): { canUndo: boolean; canRedo: boolean; undoLabel: string | null; redoLabel: string | null } {
    const u = this.undoStack.at(-1);
    const r = this.redoStack.at(-1);
    return { canUndo: !!u, canRedo: !!r, undoLabel: u?.label ?? null, redoLabel: r?.label ?? null };
  }
}
