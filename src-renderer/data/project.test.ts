import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { ContractCallError, type MethodName } from '../../src-preload/contract';
import type { ProjectSnapshot } from '../../src-preload/model';
import type { Bridge } from '../bridge';
import { useUi } from '../state/ui';
import { createProjectActions, projectKey } from './project';
import { shotOrder } from './snapshotEdits';

function shot(id: string, sceneId: string) {
  return { id, sceneId, number: id, orderKey: 'a0', shotSize: null, cameraAngle: null, cameraMove: null, lensMm: null, action: '', dialogue: [], notes: '', durationFrames: 24, selectedTakeId: null, characters: [] };
}
const snap: ProjectSnapshot = {
  projectId: 'p',
  path: '/p',
  settings: { name: 'P', frameRate: { num: 24, den: 1 }, widthPx: 1920, heightPx: 1080, defaultShotDurationFrames: 48 },
  titlePage: {},
  scenes: [
    { id: 's1', number: '1', heading: 'INT. A', intExt: 'INT', location: 'A', timeOfDay: '', synopsis: '', orderKey: 'a0', shots: [shot('a', 's1'), shot('b', 's1'), shot('c', 's1')] },
  ],
  takes: [],
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

describe('createProjectActions', () => {
  it('moves shots in the cache before the core answers, then sends one shot.move', async () => {
    const qc = new QueryClient();
    qc.setQueryData(projectKey('p'), snap);
    const { bridge, calls } = controlledBridge();
    const done = createProjectActions(bridge, qc, 'p').moveShots(['a'], 's1', null);
    await tick();
    expect(shotOrder(qc.getQueryData<ProjectSnapshot>(projectKey('p'))!)).toEqual(['b', 'c', 'a']);
    expect(calls.map((c) => [c.method, c.args])).toEqual([['shot.move', { projectId: 'p', shotIds: ['a'], sceneId: 's1', beforeShotId: null }]]);
    calls[0].resolve({ ok: true });
    await done;
  });

  it('sends nothing for a drop that changes nothing', async () => {
    const qc = new QueryClient();
    qc.setQueryData(projectKey('p'), snap);
    const { bridge, calls } = controlledBridge();
    await createProjectActions(bridge, qc, 'p').moveShots(['b'], 's1', 'c');
    expect(calls).toEqual([]);
  });

  it('puts the timeline back and shows the core message and hint when the core refuses', async () => {
    const qc = new QueryClient();
    qc.setQueryData(projectKey('p'), snap);
    const { bridge, calls } = controlledBridge();
    const done = createProjectActions(bridge, qc, 'p').updateShots(['a', 'b'], { durationFrames: 96 });
    await tick();
    expect(qc.getQueryData<ProjectSnapshot>(projectKey('p'))!.scenes[0].shots.map((s) => s.durationFrames)).toEqual([96, 96, 24]);
    calls[0].reject(new ContractCallError('not_found', 'No shot has the id b.', 'Reload the timeline.'));
    await done;
    expect(qc.getQueryData<ProjectSnapshot>(projectKey('p'))!.scenes[0].shots.map((s) => s.durationFrames)).toEqual([24, 24, 24]);
    const toast = useUi.getState().toasts.at(-1)!;
    expect(toast).toMatchObject({ kind: 'error', message: 'Could not save the change: No shot has the id b.', hint: 'Reload the timeline.' });
  });

  it('offers Undo in the toast after a delete', async () => {
    const qc = new QueryClient();
    qc.setQueryData(projectKey('p'), snap);
    const { bridge, calls } = controlledBridge();
    const done = createProjectActions(bridge, qc, 'p').deleteShots(['a', 'c']);
    await tick();
    expect(shotOrder(qc.getQueryData<ProjectSnapshot>(projectKey('p'))!)).toEqual(['b']);
    calls[0].resolve({ ok: true });
    await done;
    const toast = useUi.getState().toasts.at(-1)!;
    expect(toast.message).toBe('Deleted 2 shots');
    toast.action!.run();
    expect(calls.at(-1)!.method).toBe('edit.undo');
  });
});
