/**
 * A writer process for the durability test: opens a project and makes edits as fast as it can through the
 * store, printing `ack <n>` on stdout after each edit has returned (committed). It never stops by itself;
 * the test kills it with SIGKILL at an arbitrary moment.
 */
import { ProjectStore } from '../ProjectStore';

const store = await ProjectStore.open(process.argv[2]);
const [sceneA, sceneB] = store.scenes().map((s) => s.id);
let n = 0;
process.stdout.write('ready\n');
for (;;) {
  n++;
  // alternate three kinds of edit: add a shot, edit it, move it across scenes
  const id = store.createShot(n % 2 ? sceneA : sceneB);
  store.updateShots([id], { notes: `edit ${n}`, durationFrames: n });
  const first = store.shots(sceneA)[0];
  if (first && n % 3 === 0) store.moveShots([first.id], sceneB, null);
  process.stdout.write(`ack ${n} ${id}\n`);
}
