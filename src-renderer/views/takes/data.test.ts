import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it } from 'vitest';
import { ContractCallError, type MethodName } from '../../../src-preload/contract';
import type { ProjectSnapshot, Take } from '../../../src-preload/model';
import type { Bridge } from '../../bridge';
import { projectKey } from '../../data/project';
import { useUi } from '../../state/ui';
import { createTakeActions, takesLabel } from './data';

function take(id: string, over: Partial<Take> = {}): Take {
  return {
    id,
    shotId: 'a',
    path: `media/takes/${id}.png`,
    thumbPath: null,
    kind: 'image',
    source: 'generated',
    widthPx: 64,
    heightPx: 36,
    durationFrames: null,
    contentHash: id,
    originalName: null,
    createdAt: `2024-01-01T00:00:0${id.slice(-1)}.000Z`,
    meta: {},
    starred: false,
    rejected: false,
    tags: [],
    trashedAt: null,
    ...over,
  };
}

const snap: ProjectSnapshot = {
  projectId: 'p',
  path: '/p',
  settings: { name: 'P', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, defaultShotDurationFrames: 48 },
  titlePage: {},
  scenes: [
    {
      id: 's1',
      number: '1',
      heading: 'INT. A',
      intExt: 'INT',
      location: 'A',
      timeOfDay: '',
      synopsis: '',
      orderKey: 'a0',
      shots: [{ id: 'a', sceneId: 's1', number: '1A', orderKey: 'a0', shotSize: null, cameraAngle: null, cameraMove: null, lensMm: null, action: '', dialogue: [], notes: '', durationFrames: 24, selectedTakeId: 't1', characters: [] }],
    },
  ],
  takes: [take('t1'), take('t2'), take('t3')],
  characters: [],
  revision: 1,
};

/** A bridge whose calls wait until the test settles them, recording what was sent. */
function controlledBridge() {
  const calls: Array<{ method: MethodName; args: unknown; resolve(v: unknown): void; reject(e: unknown): void }> = [];
  const bridge = {
    shell: 'web',
    call: (method: MethodName, args: unknown) => new Promise((resolve, reject) => calls.push({ method, args, resolve, reject })),
    on: () => () => undefined,
    mediaUrl: () => '',
    pathForFile: () => null,
    onConnectionChange: () => () => undefined,
  } as unknown as Bridge;
  return { bridge, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const cached = (qc: QueryClient) => qc.getQueryData<ProjectSnapshot>(projectKey('p'))!;

describe('createTakeActions', () => {
  beforeEach(() => useUi.setState({ toasts: [] }));

  it('stars in the cache before the core answers, then sends take.star', async () => {
    const qc = new QueryClient();
    qc.setQueryData(projectKey('p'), snap);
    const { bridge, calls } = controlledBridge();
    const done = createTakeActions(bridge, qc, 'p').star('t2', true);
    await tick();
    expect(cached(qc).takes[1].starred).toBe(true);
    expect(calls.map((c) => [c.method, c.args])).toEqual([['take.star', { projectId: 'p', takeId: 't2', starred: true }]]);
    calls[0].resolve(take('t2', { starred: true }));
    await expect(done).resolves.toBe(true);
  });

  it('puts the take back and shows the core message and hint when a reject is refused', async () => {
    const qc = new QueryClient();
    qc.setQueryData(projectKey('p'), snap);
    const { bridge, calls } = controlledBridge();
    const done = createTakeActions(bridge, qc, 'p').reject('t1', true);
    await tick();
    expect(cached(qc).takes[0].rejected).toBe(true);
    expect(cached(qc).scenes[0].shots[0].selectedTakeId).toBe('t3');
    calls[0].reject(new ContractCallError('take_trashed', 'That take of shot 1A is in the trash.', 'Restore it first (take.restore).'));
    await expect(done).resolves.toBe(false);
    expect(cached(qc)).toEqual(snap);
    expect(useUi.getState().toasts.at(-1)).toMatchObject({ kind: 'error', message: 'Could not reject the take: That take of shot 1A is in the trash.', hint: 'Restore it first (take.restore).' });
  });

  it('moves a take to the trash with an Undo toast that restores exactly that take', async () => {
    const qc = new QueryClient();
    qc.setQueryData(projectKey('p'), snap);
    const { bridge, calls } = controlledBridge();
    const actions = createTakeActions(bridge, qc, 'p');
    const done = actions.trash(['t1'], 'Take 1 of shot 1A moved to the trash');
    await tick();
    expect(cached(qc).takes.map((t) => t.id)).toEqual(['t2', 't3']);
    expect(cached(qc).scenes[0].shots[0].selectedTakeId).toBe('t3');
    calls[0].resolve({ shots: [{ shotId: 'a', selectedTakeId: 't3' }] });
    await expect(done).resolves.toBe(true);
    const toast = useUi.getState().toasts.at(-1)!;
    expect(toast).toMatchObject({ kind: 'info', message: 'Take 1 of shot 1A moved to the trash' });
    toast.action!.run();
    await tick();
    expect(calls.map((c) => [c.method, c.args])).toEqual([
      ['take.delete', { projectId: 'p', takeIds: ['t1'] }],
      ['take.restore', { projectId: 'p', takeIds: ['t1'] }],
    ]);
  });

  it('empties the trash only with confirm: true and reports how many takes went', async () => {
    const qc = new QueryClient();
    const { bridge, calls } = controlledBridge();
    const done = createTakeActions(bridge, qc, 'p').emptyTrash();
    await tick();
    expect(calls.map((c) => [c.method, c.args])).toEqual([['take.trash.empty', { projectId: 'p', confirm: true }]]);
    calls[0].resolve({ deletedTakes: 2, deletedFiles: ['media/takes/a.png'] });
    await expect(done).resolves.toBe(2);
  });

  it('queues variations and says how they differ; a refusal shows the core message', async () => {
    const qc = new QueryClient();
    const { bridge, calls } = controlledBridge();
    const actions = createTakeActions(bridge, qc, 'p');
    const ok = actions.vary('t2', { mode: 'same-seed', count: 2, strength: 0.3 }, '1A');
    await tick();
    expect(calls[0].args).toEqual({ projectId: 'p', takeId: 't2', mode: 'same-seed', count: 2, strength: 0.3 });
    calls[0].resolve({ batchId: 'b', jobs: [{}, {}], method: 'same-seed-img2img' });
    await expect(ok).resolves.toBe(true);
    expect(useUi.getState().toasts.at(-1)!.message).toBe('Queued 2 variations of shot 1A: same seed, image to image from the take.');
    const refused = actions.vary('t1', { mode: 'new-seed', count: 1 }, '1A');
    await tick();
    calls[1].reject(new ContractCallError('not_generated', 'Only a take generated on a ComfyUI server can be varied.', 'Generate the shot.'));
    await expect(refused).resolves.toBe(false);
    expect(useUi.getState().toasts.at(-1)).toMatchObject({ kind: 'error', message: 'Could not queue variations: Only a take generated on a ComfyUI server can be varied.' });
  });
});

describe('takesLabel', () => {
  it('names one take by its number, several by their count', () => {
    const numbers = new Map([['t2', 2]]);
    expect(takesLabel([{ id: 't2' }], numbers, '1A')).toBe('Take 2 of shot 1A');
    expect(takesLabel([{ id: 'zz' }], numbers, '1A')).toBe('A take of shot 1A');
    expect(takesLabel([{ id: 't1' }, { id: 't2' }], numbers, '3')).toBe('2 takes of shot 3');
  });
});
