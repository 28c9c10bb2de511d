import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workflowHash } from './graph.ts';
import { loadWorkflowFile, mappingPathFor, parseWorkflowJson, workflowName } from './workflowFile.ts';

const SD15 = fileURLToPath(new URL('../../../../resources/workflows/sd15_txt2img.api.json', import.meta.url));

/** The start of what ComfyUI's "Save" writes (the UI format). */
const uiWorkflow = {
  last_node_id: 9,
  last_link_id: 9,
  nodes: [{ id: 3, type: 'KSampler', inputs: [], outputs: [], widgets_values: [1, 'randomize', 20, 8, 'euler', 'normal', 1] }],
  links: [[1, 4, 0, 3, 0, 'MODEL']],
  groups: [],
  version: 0.4,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sc-workflow-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadWorkflowFile', () => {
  it('reads an API-format file with its hash', async () => {
    const loaded = await loadWorkflowFile(SD15);
    expect(loaded.name).toBe('sd15_txt2img');
    expect(loaded.graph['3'].class_type).toBe('KSampler');
    expect(loaded.hash).toBe(workflowHash(JSON.parse(await readFile(SD15, 'utf8'))));
    expect(loaded.mapping).toBeNull();
  });

  it('picks up <name>.mapping.json beside the workflow', async () => {
    const path = join(dir, 'my_shot.api.json');
    await writeFile(path, await readFile(SD15, 'utf8'));
    await writeFile(join(dir, 'my_shot.mapping.json'), JSON.stringify({ prompt: '7.text' }));
    const loaded = await loadWorkflowFile(path);
    expect(loaded.mappingPath).toBe(join(dir, 'my_shot.mapping.json'));
    expect(loaded.mapping?.params.prompt).toEqual([{ nodeId: '7', input: 'text' }]);
  });

  it('refuses a mapping that names inputs the workflow lacks', async () => {
    const path = join(dir, 'my_shot.json');
    await writeFile(path, await readFile(SD15, 'utf8'));
    await writeFile(join(dir, 'my_shot.mapping.json'), JSON.stringify({ prompt: '70.text' }));
    await expect(loadWorkflowFile(path)).rejects.toMatchObject({ code: 'invalid_mapping', message: expect.stringContaining('node 70') });
  });

  it("refuses the UI format and says to use 'Export (API)'", async () => {
    const path = join(dir, 'saved.json');
    await writeFile(path, JSON.stringify(uiWorkflow));
    await expect(loadWorkflowFile(path)).rejects.toMatchObject({
      code: 'ui_workflow',
      message: "saved.json is a ComfyUI UI workflow (it has 'nodes' and 'links'), not the API format StoryCanvas sends to servers.",
      hint: expect.stringContaining("export it with 'Export (API)'"),
    });
  });

  it('refuses a file that is not JSON, and a missing file', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"3": {');
    await expect(loadWorkflowFile(path)).rejects.toMatchObject({ code: 'invalid_workflow', message: expect.stringContaining('is not valid JSON') });
    await expect(loadWorkflowFile(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('parseWorkflowJson', () => {
  it('unwraps the body of POST /prompt', () => {
    const graph = { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } };
    expect(parseWorkflowJson({ prompt: graph, client_id: 'x' }, 'body')).toEqual(graph);
  });

  it('lists what makes a file not an API graph', () => {
    expect(() => parseWorkflowJson({ '1': { class_type: 'SaveImage', inputs: { images: ['2', 0] } } }, 'x.json')).toThrow(
      "x.json is not a ComfyUI API-format workflow: node 1 input 'images' links to node 2, which is not in the workflow.",
    );
  });
});

describe('names', () => {
  it('strips .api.json or .json and puts the mapping beside the file', () => {
    expect(workflowName('/w/shot.api.json')).toBe('shot');
    expect(workflowName('/w/shot.json')).toBe('shot');
    expect(mappingPathFor('/w/shot.api.json')).toBe('/w/shot.mapping.json');
  });
});
