import { describe, expect, it } from 'vitest';
import { methods } from '../../../src-preload/contract';
import type { AssistantSettings } from '../../../src-preload/model';
import { acceptedShots, configureArgs, needsSetup, rowToShot, rowsFromProposal, settingsDraft } from './assistantModel';

const settings: AssistantSettings = { baseUrl: 'http://127.0.0.1:11434/v1', model: '', enabled: false, timeoutMs: 120_000, hasKey: false, keyStore: 'none' };

const proposal = {
  shots: [
    { shotSize: 'WS' as const, cameraAngle: 'eye-level' as const, cameraMove: 'static' as const, lensMm: 28, description: 'Bob strolls through the park at dusk.', dialogue: [] },
    { shotSize: 'CU' as const, cameraAngle: 'low' as const, cameraMove: 'dolly-in' as const, lensMm: null, description: 'Bob looks up.', dialogue: [{ character: 'BOB', text: 'What is that?' }] },
  ],
};

describe('settings', () => {
  it('needs setup while off or without a model', () => {
    expect(needsSetup(settings)).toBe(true);
    expect(needsSetup({ ...settings, enabled: true, model: ' ' })).toBe(true);
    expect(needsSetup({ ...settings, enabled: true, model: 'llama3.1:8b' })).toBe(false);
  });
  it('turns the form into configure arguments that pass the contract, sending the key only when typed', () => {
    const draft = { ...settingsDraft(settings), baseUrl: ' http://127.0.0.1:1234/v1/ ', model: ' qwen2.5 ' };
    const r = configureArgs(draft);
    expect(r).toEqual({ ok: true, args: { baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen2.5', enabled: true } });
    expect(r.ok && methods['assistant.configure'].args.safeParse(r.args).success).toBe(true);
    expect(configureArgs({ ...draft, apiKey: ' sk-1 ' })).toMatchObject({ ok: true, args: { apiKey: 'sk-1' } });
    expect(configureArgs({ ...draft, apiKey: 'sk-1', removeKey: true })).toMatchObject({ ok: true, args: { apiKey: null } });
  });
  it('names the field to fix', () => {
    expect(configureArgs({ ...settingsDraft(settings), baseUrl: 'ftp://x', model: 'm' })).toMatchObject({ ok: false, field: 'baseUrl' });
    expect(configureArgs({ ...settingsDraft(settings), baseUrl: 'localhost:11434', model: 'm' })).toMatchObject({ ok: false, field: 'baseUrl' });
    expect(configureArgs({ ...settingsDraft(settings), model: '  ' })).toMatchObject({ ok: false, field: 'model' });
  });
});

describe('proposal rows', () => {
  it('start accepted, with the lens as text', () => {
    const rows = rowsFromProposal(proposal);
    expect(rows.map((r) => [r.accepted, r.shotSize, r.lens])).toEqual([
      [true, 'WS', '28'],
      [true, 'CU', ''],
    ]);
  });
  it('apply only the accepted rows, edited, in order, and pass the applyShots schema', () => {
    const rows = rowsFromProposal(proposal);
    rows[0] = { ...rows[0], accepted: false };
    rows[1] = { ...rows[1], shotSize: 'ECU', lens: '85 mm', description: '  Bob squints at the cloud. ' };
    const { shots, problems } = acceptedShots(rows);
    expect(problems).toEqual([]);
    expect(shots).toEqual([{ shotSize: 'ECU', cameraAngle: 'low', cameraMove: 'dolly-in', lensMm: 85, description: 'Bob squints at the cloud.', dialogue: [{ character: 'BOB', text: 'What is that?' }] }]);
    expect(methods['assistant.applyShots'].args.safeParse({ projectId: 'p', sceneId: 's', shots }).success).toBe(true);
  });
  it('name every accepted row that is not valid, and ignore rejected ones', () => {
    const rows = rowsFromProposal(proposal);
    rows[0] = { ...rows[0], description: '   ' };
    rows[1] = { ...rows[1], lens: 'wide' };
    expect(acceptedShots(rows).problems).toEqual([
      { row: 1, error: 'description: a shot needs a description' },
      { row: 2, error: 'The lens is a focal length in millimetres (1 to 2000), not "wide".' },
    ]);
    expect(acceptedShots(rows.map((r) => ({ ...r, accepted: false })))).toEqual({ shots: [], problems: [] });
  });
  it('refuses a lens out of range', () => {
    expect(rowToShot({ ...rowsFromProposal(proposal)[0], lens: '0' }).ok).toBe(false);
    expect(rowToShot({ ...rowsFromProposal(proposal)[0], lens: '2400' }).ok).toBe(false);
    expect(rowToShot({ ...rowsFromProposal(proposal)[0], lens: '35,5' })).toMatchObject({ ok: true, shot: { lensMm: 35.5 } });
  });
});
