import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from './ProjectStore';

const root = mkdtempSync(join(tmpdir(), 'sc-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `killAfterAcks` edits plus a random extra delay, then SIGKILLs it. */
function runAndKill(projectDir: string, killAfterAcks: number): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testdata', 'writer.ts'), projectDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked = new Map<number, string>();
    let buf = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = /^ack (\d+) (\S+)$/.exec(line);
        if (m) acked.set(Number(m[1]), m[2]);
      }
      if (!killing && acked.size >= killAfterAcks) {
        killing = true;
        // kill at an arbitrary point inside a later edit, not on an edit boundary
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 15);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
    });
  });
}

describe('durability: a writer killed mid-stream loses no acknowledged edit and corrupts nothing', () => {
  it.each([40, 150, 400])('kill after %i acknowledged edits', async (n) => {
    const store = await ProjectStore.create(join(root, String(n)), {
      name: `Kill ${n}`,
      frameRate: { num: 24, den: 1 },
      widthPx: 1920,
      heightPx: 1080,
      defaultShotDurationFrames: 24,
    });
    store.createScene({ heading: 'INT. A - DAY' });
    store.createScene({ heading: 'INT. B - DAY' });
    const dir = store.dir;
    store.close();

    const acked = await runAndKill(dir, n);
    expect(acked.size).toBeGreaterThanOrEqual(n);

    // the database as the killed process left it (WAL not checkpointed)
    const db = new Database(join(dir, 'project.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const rows = new Map((db.prepare('SELECT id, notes, duration_frames FROM shot').all() as { id: string; notes: string; duration_frames: number }[]).map((r) => [r.id, r]));
    for (const [k, id] of acked) {
      const row = rows.get(id);
      expect(row, `acknowledged edit ${k} (shot ${id}) is missing`).toBeDefined();
      expect(row!.notes).toBe(`edit ${k}`);
      expect(row!.duration_frames).toBe(k);
    }
    db.close();

    // and the app opens it normally
    const reopened = await ProjectStore.open(dir);
    expect(reopened.shots().length).toBeGreaterThanOrEqual(acked.size);
    reopened.close();
  });
});
