/**
 * The generation pool across two projects: a generated take (composed prompt, character, template) in one, an
 * imported tagged take in the other; search by words, character, template and tag with pages; sending a take from
 * a closed project into a shot of the other (file copied, provenance carried); the trash and re-indexing.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueHarness } from '../queue/testHarness.ts';
import { ftsQuery } from '../library/takeLibrary.ts';

let harness: QueueHarness;
afterEach(async () => {
  await harness?.close();
});

describe('the generation pool', () => {
  it('finds takes of every project and sends one across projects', async () => {
    harness = new QueueHarness();
    const core = harness.core;
    const comfy = await harness.server({ models: { checkpoints: ['v1-5-pruned-emaonly.safetensors'], loras: ['cbob_v2.safetensors'] } });
    await harness.addServer(comfy);

    // Project A: one generated take of Cyber Bob in the Noir style.
    const a = await harness.project(1, 'Alpha');
    await core.call('character.create', { character: { name: 'Cyber Bob', description: 'a goofy man in a grey suit', lora: { name: 'cbob_v2.safetensors', strength: 0.7 } } });
    await core.call('character.attach', { projectId: a.projectId, name: 'Cyber Bob', shotIds: a.shotIds });
    const noir = await core.call('template.create', { template: { name: 'Noir', stylePrompt: 'charcoal sketch' } });
    await core.call('project.setDefaultTemplate', { projectId: a.projectId, template: noir.id });
    const { jobs } = await core.call('queue.enqueue', { projectId: a.projectId, target: 'all', takes: 1, seedMode: 'sequence', seed: 1, overrides: { widthPx: 64, heightPx: 64, steps: 2 } });
    const [done] = await harness.waitForJobs(a.projectId, [jobs[0].id]);
    const generatedId = done.takeIds[0];

    // Project B: two imported pictures, one tagged "night".
    const b = await harness.project(1, 'Beta');
    const files = await Promise.all(
      [30, 220].map(async (r, i) => {
        const file = join(harness.root, `b${i}.png`);
        writeFileSync(file, await sharp({ create: { width: 20, height: 12, channels: 3, background: { r, g: 10, b: 10 } } }).png().toBuffer());
        return file;
      }),
    );
    const imported = await core.call('take.import', { projectId: b.projectId, shotId: b.shotIds[0], paths: files });
    await core.call('take.tag', { projectId: b.projectId, takeId: imported[1].id, tags: ['night', 'rain'] });

    const search = (args: Parameters<typeof core.call<'library.takes.search'>>[1]) => core.call('library.takes.search', args);
    const byWords = await search({ query: 'goofy CHARCOAL' });
    expect(byWords.takes.map((t) => t.takeId)).toEqual([generatedId]);
    expect(byWords.takes[0]).toMatchObject({ projectPath: a.path, projectName: 'Alpha', projectId: a.projectId, characters: ['Cyber Bob'], templateId: noir.id, templateName: 'Noir', source: 'generated' });
    expect((await search({ character: 'cyber bob' })).takes.map((t) => t.takeId)).toEqual([generatedId]);
    expect((await search({ templateId: noir.id })).takes.map((t) => t.takeId)).toEqual([generatedId]);
    expect((await search({ tag: 'NIGHT' })).takes.map((t) => t.takeId)).toEqual([imported[1].id]);
    expect((await search({ query: 'rai' })).takes.map((t) => t.takeId)).toEqual([imported[1].id]);
    expect((await search({ query: 'nothing-like-this' })).takes).toEqual([]);

    // Pages: newest first, three takes one at a time.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search({ limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.takes.map((t) => t.takeId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([generatedId, imported[0].id, imported[1].id].sort());
    await expect(search({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'invalid_cursor' });

    // Send Alpha's take (Alpha closed: read from disk) to Beta's shot.
    const source = core.project(a.projectId).take(generatedId);
    await core.call('project.close', { projectId: a.projectId });
    const sent = await core.call('library.takes.send', { fromProjectPath: a.path, takeId: generatedId, toProjectId: b.projectId, shotId: b.shotIds[0] });
    expect(sent).toMatchObject({ source: 'imported', contentHash: source.contentHash, shotId: b.shotIds[0] });
    expect(sent.meta).toMatchObject({ prompt: source.meta.prompt, characters: ['Cyber Bob'], templateId: noir.id, from: { projectPath: a.path, projectName: 'Alpha', takeId: generatedId } });
    expect(existsSync(join(b.path, sent.path))).toBe(true);
    expect((await search({ character: 'Cyber Bob' })).takes.map((t) => t.projectName).sort()).toEqual(['Alpha', 'Beta']);

    // A trashed take leaves the pool; a project folder that is gone leaves it at the next re-index.
    await core.call('take.delete', { projectId: b.projectId, takeIds: [imported[1].id] });
    expect((await search({ tag: 'night' })).takes).toEqual([]);
    rmSync(a.path, { recursive: true, force: true });
    const re = await core.call('library.reindex', {});
    expect(re.removed).toEqual([a.path]);
    expect(re.failed).toEqual([]);
    expect((await search({ character: 'Cyber Bob' })).takes.map((t) => t.projectName)).toEqual(['Beta']);
  });

  it('re-indexes a closed project from its folder on disk', async () => {
    harness = new QueueHarness();
    const core = harness.core;
    const p = await harness.project(1, 'Gamma');
    const file = join(harness.root, 'g.png');
    writeFileSync(file, await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer());
    const [take] = await core.call('take.import', { projectId: p.projectId, shotId: p.shotIds[0], paths: [file] });
    await core.call('take.tag', { projectId: p.projectId, takeId: take.id, tags: ['dawn'] });
    await core.call('project.close', { projectId: p.projectId });
    harness.core.library().db.prepare('DELETE FROM take_index').run();
    const r = await core.call('library.reindex', {});
    expect(r).toMatchObject({ projects: 1, takes: 1, removed: [], failed: [] });
    const found = await core.call('library.takes.search', { tag: 'dawn' });
    expect(found.takes).toEqual([expect.objectContaining({ takeId: take.id, projectId: null, projectName: 'Gamma', tags: ['dawn'] })]);
  });

  it('quotes search words so FTS5 syntax is plain text', () => {
    expect(ftsQuery('Bob AND "moon"')).toBe('"Bob" "AND" "moon"*');
    expect(ftsQuery(' -- ')).toBeNull();
    expect(ftsQuery('café')).toBe('"café"*');
  });
});
