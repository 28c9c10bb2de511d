import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractCallError, type MethodName } from '../../src-preload/contract';
import type { StyleTemplate } from '../../src-preload/model';
import type { Bridge } from '../bridge';
import { useUi } from '../state/ui';
import { TEMPLATES_KEY, charactersKey, createLibraryActions, upsertTemplate } from './library';

/** A bridge that answers from a table of results (or errors), recording every call. */
function scriptedBridge(answers: Partial<Record<MethodName, unknown>>) {
  const calls: Array<[MethodName, unknown]> = [];
  const bridge = {
    shell: 'web',
    call: async (method: MethodName, args: unknown) => {
      calls.push([method, args]);
      const a = answers[method];
      if (a instanceof Error) throw a;
      return a;
    },
    on: () => () => undefined,
    mediaUrl: () => '',
    pathForFile: () => null,
    onConnectionChange: () => () => undefined,
  } as unknown as Bridge;
  return { bridge, calls };
}

function template(id: string, name: string): StyleTemplate {
  return { id, name, stylePrompt: '', negativePrompt: '', workflowId: null, presetId: null, sampler: {}, loras: [], useCount: 0, thumbnails: [], createdAt: '', updatedAt: '' };
}

afterEach(() => useUi.setState({ toasts: [] }));

describe('createLibraryActions', () => {
  it('answers in-use when the core refuses to delete a used character, and deletes with force', async () => {
    const inUse = new ContractCallError('character_in_use', 'Bob is in 2 shots: 1A, 1C.', 'Delete anyway with force: true');
    const first = scriptedBridge({ 'character.delete': inUse });
    const qc = new QueryClient();
    const r = await createLibraryActions(first.bridge, qc, 'p').deleteCharacter('Bob', false);
    expect(r).toEqual({ kind: 'in-use', message: 'Bob is in 2 shots: 1A, 1C.', hint: 'Delete anyway with force: true' });
    expect(first.calls).toEqual([['character.delete', { name: 'Bob', projectId: 'p', force: false }]]);

    const second = scriptedBridge({ 'character.delete': { deletedFromLibrary: true, shotsChanged: 2 } });
    expect(await createLibraryActions(second.bridge, qc, 'p').deleteCharacter('Bob', true)).toEqual({ kind: 'deleted', deletedFromLibrary: true, shotsChanged: 2 });
  });

  it('rejects with any other error of a delete (the editor shows it)', async () => {
    const { bridge } = scriptedBridge({ 'character.delete': new ContractCallError('not_found', 'There is no character "Zed".') });
    await expect(createLibraryActions(bridge, new QueryClient(), 'p').deleteCharacter('Zed', false)).rejects.toThrow('There is no character "Zed".');
  });

  it('answers name-taken for a template file whose name exists, then imports as a copy', async () => {
    const taken = scriptedBridge({ 'template.import': new ContractCallError('template_exists', 'The library already has a template named "Ink".') });
    const qc = new QueryClient();
    qc.setQueryData(TEMPLATES_KEY, [template('t2', 'Zinc')]);
    expect(await createLibraryActions(taken.bridge, qc, 'p').importTemplate('{}', 'ink.json')).toEqual({ kind: 'name-taken', message: 'The library already has a template named "Ink".' });
    const copy = scriptedBridge({ 'template.import': template('t3', 'Ink (2)') });
    const r = await createLibraryActions(copy.bridge, qc, 'p').importTemplate('{}', 'ink.json', 'rename');
    expect(r.kind).toBe('imported');
    expect(copy.calls).toEqual([['template.import', { text: '{}', fileName: 'ink.json', onConflict: 'rename' }]]);
    expect(qc.getQueryData<StyleTemplate[]>(TEMPLATES_KEY)!.map((t) => t.name)).toEqual(['Ink (2)', 'Zinc']);
  });

  it('sends a character edit to the project scope with the project id, and marks the characters stale', async () => {
    const { bridge, calls } = scriptedBridge({ 'character.update': { name: 'Bob' } });
    const qc = new QueryClient();
    qc.setQueryData(charactersKey('p'), []);
    await createLibraryActions(bridge, qc, 'p').updateCharacter('Bob', { description: 'older' }, 'project');
    expect(calls).toEqual([['character.update', { name: 'Bob', patch: { description: 'older' }, projectId: 'p', scope: 'project' }]]);
    expect(qc.getQueryState(charactersKey('p'))!.isInvalidated).toBe(true);
  });

  it('shows a toast and resolves false when a quick edit is refused', async () => {
    const { bridge } = scriptedBridge({ 'shot.setSeed': new ContractCallError('invalid_seed', 'A seed is a whole number from 0 to 281474976710655, not -1.') });
    const ok = await createLibraryActions(bridge, new QueryClient(), 'p').setShotSeed(['s1'], true, -1);
    expect(ok).toBe(false);
    expect(useUi.getState().toasts.map((t) => t.message)).toEqual(['Could not lock the seed: A seed is a whole number from 0 to 281474976710655, not -1.']);
  });

  it('leaves seed out of shot.setSeed when the shot keeps its own', async () => {
    const { bridge, calls } = scriptedBridge({ 'shot.setSeed': { ok: true } });
    expect(await createLibraryActions(bridge, new QueryClient(), 'p').setShotSeed(['s1', 's2'], true)).toBe(true);
    expect(calls).toEqual([['shot.setSeed', { projectId: 'p', shotIds: ['s1', 's2'], locked: true }]]);
  });
});

describe('upsertTemplate', () => {
  it('replaces by id and keeps name order', () => {
    const list = [template('a', 'Alpha'), template('b', 'beta')];
    expect(upsertTemplate(list, template('a', 'Zeta')).map((t) => t.name)).toEqual(['beta', 'Zeta']);
    expect(upsertTemplate(list, template('c', 'Ash')).map((t) => t.id)).toEqual(['a', 'c', 'b']);
  });
});
