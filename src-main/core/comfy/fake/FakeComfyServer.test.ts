/**
 * The ComfyUI double against the recordings of a real ComfyUI 0.3.64 (`../testdata/recorded/`): same keys,
 * same bodies (ids, timestamps and queue numbers normalised), same WebSocket message sequences.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeComfyServer } from './FakeComfyServer.ts';
import { readPngTextChunks, solidPng } from './images.ts';
import { pyJsonDumps } from './pyJson.ts';
import { recordWs, type RecordedMessage, type WsRecorder } from './wsRecorder.ts';

const TESTDATA = join(import.meta.dirname, '..', 'testdata');
/** The client id the recordings were made with (their `extra_data.client_id`). */
const RECORDED_CLIENT = 'aaf899d7-9327-4c4b-944c-2eddb6efbab0';

interface Recording {
  status: number;
  content_type?: string | null;
  request?: Record<string, unknown>;
  body: unknown;
}

function recording(name: string): Recording {
  return JSON.parse(readFileSync(join(TESTDATA, 'recorded', `${name}.json`), 'utf8')) as Recording;
}

function recordedMessages(name: string): RecordedMessage[] {
  return (JSON.parse(readFileSync(join(TESTDATA, 'recorded', `${name}.json`), 'utf8')) as RecordedMessage[]).filter((m) => m.type !== undefined);
}

function workflow(name: string): Record<string, { class_type: string; inputs: Record<string, unknown> }> {
  return JSON.parse(readFileSync(join(TESTDATA, 'workflows', `${name}.api.json`), 'utf8'));
}

/** A message reduced to what must match a real server: type, data keys and the values that carry order. */
function signature(message: RecordedMessage): string {
  if (message.type === '<binary>') return `<binary ${message.event}>`;
  const data = (message.data ?? {}) as Record<string, any>;
  let detail = '';
  if (message.type === 'executing' || message.type === 'executed') detail = ` node=${data.node}`;
  if (message.type === 'progress') detail = ` ${data.value}/${data.max} node=${data.node}`;
  if (message.type === 'status') detail = ` qr=${data.status.exec_info.queue_remaining}${data.sid ? ' sid' : ''}`;
  if (message.type === 'execution_cached') detail = ` nodes=${(data.nodes as string[]).join(',')}`;
  if (message.type === 'progress_state') {
    detail = ` ${Object.entries(data.nodes as Record<string, any>)
      .map(([id, node]) => `${id}:${node.state}:${node.value}/${node.max}[${Object.keys(node).sort().join(',')}]`)
      .join(' ')}`;
  }
  return `${message.type}{${Object.keys(data).sort().join(',')}}${detail}`;
}

/** Replaces our prompt ids by the recording's, timestamps by 0, queue numbers by the recording's. */
function normalise(value: unknown, ids: Record<string, string>, number?: number): unknown {
  let text = JSON.stringify(value);
  for (const [ours, theirs] of Object.entries(ids)) text = text.split(ours).join(theirs);
  return JSON.parse(text, function reviver(this: unknown, key, member) {
    if (key === 'timestamp' && typeof member === 'number') return 0;
    if (key === 'number' && typeof member === 'number' && number !== undefined) return number;
    return member;
  });
}

async function post(server: FakeComfyServer, path: string, body: unknown): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function getJson(server: FakeComfyServer, path: string): Promise<{ status: number; type: string | null; body: any }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

/** Posts a prompt for `clientId` and collects that client's messages until `executing {node:null}`. */
async function run(server: FakeComfyServer, recorder: WsRecorder, request: Record<string, unknown>): Promise<{ promptId: string; messages: RecordedMessage[]; number: number }> {
  const start = recorder.messages.length;
  const answer = await post(server, '/prompt', request);
  expect(answer.status, answer.text).toBe(200);
  const { prompt_id: promptId, number } = JSON.parse(answer.text) as { prompt_id: string; number: number };
  await recorder.waitFor((m) => m.type === 'executing' && m.data?.node === null && m.data?.prompt_id === promptId, 5000, start);
  const end = recorder.messages.findIndex((m, index) => index >= start && m.type === 'executing' && m.data?.node === null && m.data?.prompt_id === promptId);
  return { promptId, number, messages: recorder.messages.slice(start, end + 1) };
}

describe('FakeComfyServer HTTP answers match the recordings', () => {
  let server: FakeComfyServer;
  beforeAll(async () => {
    server = await FakeComfyServer.start({ models: { checkpoints: [] } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves system_stats with the recorded keys, also under /api', async () => {
    const recorded = recording('system_stats').body as any;
    for (const path of ['/system_stats', '/api/system_stats']) {
      const { status, type, body } = await getJson(server, path);
      expect(status).toBe(200);
      expect(type).toBe('application/json; charset=utf-8');
      expect(Object.keys(body.system)).toEqual(Object.keys(recorded.system));
      expect(Object.keys(body.devices[0])).toEqual(Object.keys(recorded.devices[0]));
      expect(body.system.comfyui_version).toBe('0.3.64');
    }
  });

  it('serves features, models, embeddings, extensions, prompt, queue and history as recorded', async () => {
    for (const [path, name] of [
      ['/features', 'features'],
      ['/models', 'models'],
      ['/models/checkpoints', 'models_checkpoints'],
      ['/embeddings', 'embeddings'],
      ['/extensions', 'extensions'],
      ['/prompt', 'get_prompt'],
      ['/queue', 'queue_idle'],
      ['/history', 'history_initial'],
    ]) {
      const { status, type, body } = await getJson(server, path);
      const recorded = recording(name);
      expect({ path, status, type, body }).toEqual({ path, status: recorded.status, type: recorded.content_type, body: recorded.body });
    }
  });

  it('serves object_info entries identical to the recorded EmptyImage, SaveImage and LoadImage', async () => {
    for (const name of ['EmptyImage', 'SaveImage', 'LoadImage']) {
      const { body } = await getJson(server, `/object_info/${name}`);
      expect(body).toEqual(recording(`object_info_${name}`).body);
    }
    const all = (await getJson(server, '/object_info')).body;
    const summary = JSON.parse(readFileSync(join(TESTDATA, 'recorded', 'object_info_summary.json'), 'utf8')) as { has: Record<string, boolean> };
    for (const [name, present] of Object.entries(summary.has)) if (present) expect(name in all, name).toBe(true);
    expect((await getJson(server, '/object_info/NoSuchNode')).body).toEqual({});
  });

  it('answers the raw bytes of Python json.dumps (", " and ": " separators)', async () => {
    const response = await fetch(`${server.url}/features`);
    expect(await response.text()).toBe('{"supports_preview_metadata": true, "max_upload_size": 104857600}');
  });

  it.each([
    'error_bad_link',
    'error_below_min',
    'error_missing_input',
    'error_no_outputs',
    'error_no_prompt_key',
    'error_not_in_list',
    'error_unknown_class',
    'error_wrong_type_link',
  ])('refuses %s with the recorded status and body', async (name) => {
    const recorded = recording(name);
    const answer = await post(server, '/prompt', recorded.request);
    expect(answer.status).toBe(recorded.status);
    expect(answer.type).toBe(recorded.content_type);
    expect(JSON.parse(answer.text)).toEqual(recorded.body);
  });

  it('answers a body that is not JSON with the recorded 500 text', async () => {
    const recorded = recording('error_invalid_json');
    const answer = await post(server, '/prompt', '{not json');
    expect(answer.status).toBe(500);
    expect(answer.text).toBe(recorded.body);
  });

  it('refuses a checkpoint it lacks with value_not_in_list naming its own list', async () => {
    const other = await FakeComfyServer.start({ models: { checkpoints: ['b.safetensors', 'a.safetensors'] } });
    try {
      const graph = workflow('sd15_txt2img');
      graph['4'].inputs.ckpt_name = 'missing.safetensors';
      const answer = await post(other, '/prompt', { prompt: graph, client_id: 'x' });
      expect(answer.status).toBe(400);
      const body = JSON.parse(answer.text);
      expect(body.error.type).toBe('prompt_outputs_failed_validation');
      expect(body.node_errors['4']).toEqual({
        errors: [
          {
            type: 'value_not_in_list',
            message: 'Value not in list',
            details: "ckpt_name: 'missing.safetensors' not in ['a.safetensors', 'b.safetensors']",
            extra_info: {
              input_name: 'ckpt_name',
              input_config: [['a.safetensors', 'b.safetensors'], { tooltip: 'The name of the checkpoint (model) to load.' }],
              received_value: 'missing.safetensors',
            },
          },
        ],
        dependent_outputs: ['9'],
        class_type: 'CheckpointLoaderSimple',
      });
    } finally {
      await other.close();
    }
  });

  it('offers only the configured node classes', async () => {
    const other = await FakeComfyServer.start({ nodeClasses: ['EmptyImage', 'SaveImage'] });
    try {
      expect(Object.keys((await getJson(other, '/object_info')).body).sort()).toEqual(['EmptyImage', 'SaveImage']);
      const answer = await post(other, '/prompt', recording('post_prompt_ok').request);
      expect(JSON.parse(answer.text).error.message).toBe('Cannot execute because node ImageInvert does not exist.');
    } finally {
      await other.close();
    }
  });
});

describe('FakeComfyServer runs match the recorded WebSocket sequences', () => {
  let server: FakeComfyServer;
  let recorder: WsRecorder;
  let run1Id = '';
  beforeAll(async () => {
    server = await FakeComfyServer.start({ speed: 0.005, historyDelayMs: 5 });
    recorder = await recordWs(server.port, RECORDED_CLIENT);
  });
  afterAll(async () => {
    await recorder.close();
    await server.close();
  });

  it('greets a new socket with status and its sid (ws_on_connect)', () => {
    expect(normalise(recorder.messages[0], {})).toEqual({ type: 'status', data: recordedMessages('ws_on_connect')[0].data });
  });

  it('run 1: EmptyImage -> ImageInvert -> SaveImage (ws_run1, post_prompt_ok, history_run1, view_run1)', async () => {
    const recorded = recording('post_prompt_ok');
    const recordedId = (recorded.body as { prompt_id: string }).prompt_id;
    const { promptId, number, messages } = await run(server, recorder, recorded.request as Record<string, unknown>);
    run1Id = promptId;
    expect(number).toBe(0);
    expect(messages.map(signature)).toEqual(recordedMessages('ws_run1').map(signature));
    expect(normalise(messages, { [promptId]: recordedId })).toEqual(normalise(recordedMessages('ws_run1').map(({ type, data }) => ({ type, data })), {}));
    const history = await getJson(server, `/history/${promptId}`);
    expect(normalise(history.body, { [promptId]: recordedId })).toEqual(normalise(recording('history_run1').body, {}));

    const view = recording('view_run1') as unknown as { url: string; content_type: string; png_magic: string };
    const response = await fetch(`${server.url}${view.url}`);
    const png = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(view.content_type);
    expect(png.subarray(0, 8).toString('hex')).toBe(view.png_magic);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, data[0], data[1], data[2]]).toEqual([64, 48, 0, 255, 255]);
    const recordedPng = readFileSync(join(TESTDATA, 'recorded', 'run1.png'));
    expect(readPngTextChunks(png).prompt).toBe(readPngTextChunks(recordedPng).prompt);
  });

  it('run 2: the same graph again is fully cached (ws_run2_cached, post_prompt_again)', async () => {
    const recorded = recording('post_prompt_again');
    const { promptId, number, messages } = await run(server, recorder, recorded.request as Record<string, unknown>);
    expect(number).toBe(1);
    expect(messages.map(signature)).toEqual(recordedMessages('ws_run2_cached').map(signature));
    const history = (await getJson(server, `/history/${promptId}`)).body[promptId];
    expect(history.outputs).toEqual({ '3': { images: [{ filename: 'probe_00001_.png', subfolder: '', type: 'output' }] } });
  });

  it('run 3: a client prompt_id and extra_data are honoured (ws_run3_ownid, post_prompt_own_id)', async () => {
    const recorded = recording('post_prompt_own_id');
    const { promptId, messages } = await run(server, recorder, recorded.request as Record<string, unknown>);
    expect(promptId).toBe((recorded.body as { prompt_id: string }).prompt_id);
    expect(messages.map(signature)).toEqual(recordedMessages('ws_run3_ownid').map(signature));
    const executed = messages.find((m) => m.type === 'executed');
    expect(executed?.data?.output).toEqual({ images: [{ filename: 'probe_00002_.png', subfolder: '', type: 'output' }] });
    const png = Buffer.from(await (await fetch(`${server.url}/view?filename=probe_00002_.png&subfolder=&type=output`)).arrayBuffer());
    expect(readPngTextChunks(png).workflow).toBe('{"probe": true}');
  });

  it('run 4: uploads an image, LoadImage -> ImageScale -> PreviewImage gives a temp file (ws_run4, upload_image*, history_run4)', async () => {
    const bytes = await solidPng(8, 8, { r: 10, g: 20, b: 30 });
    const upload = async (subfolder: string, content: Buffer, overwrite = false): Promise<unknown> => {
      const form = new FormData();
      form.append('image', new Blob([new Uint8Array(content)]), 'probe_upload.png');
      form.append('overwrite', overwrite ? 'true' : 'false');
      if (subfolder) form.append('subfolder', subfolder);
      const response = await fetch(`${server.url}/upload/image`, { method: 'POST', body: form });
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      return response.json();
    };
    expect(await upload('', bytes)).toEqual(recording('upload_image').body);
    expect(await upload('sub', bytes)).toEqual(recording('upload_image_subfolder_no_overwrite').body);
    expect(await upload('sub', bytes)).toEqual(recording('upload_image_dup_no_overwrite').body);
    expect(await upload('sub', await solidPng(8, 8, { r: 1, g: 2, b: 3 }))).toEqual({ name: 'probe_upload (1).png', subfolder: 'sub', type: 'input' });
    expect((await getJson(server, '/object_info/LoadImage')).body.LoadImage.input.required.image[0]).toEqual(['example.png', 'probe_upload.png']);

    const recorded = recording('post_prompt_loadimage');
    const { promptId, messages } = await run(server, recorder, recorded.request as Record<string, unknown>);
    expect(messages.map(signature)).toEqual(recordedMessages('ws_run4_loadimage_preview').map(signature));
    const history = (await getJson(server, `/history/${promptId}`)).body[promptId];
    const recordedHistory = Object.values(recording('history_run4_preview').body as Record<string, any>)[0];
    expect(Object.keys(history)).toEqual(Object.keys(recordedHistory));
    const image = history.outputs['3'].images[0];
    expect(image.type).toBe('temp');
    expect(image.filename).toMatch(/^ComfyUI_temp_[a-z]{5}_00001_\.png$/);
    expect(recordedHistory.outputs['3'].images[0].filename).toMatch(/^ComfyUI_temp_[a-z]{5}_00001_\.png$/);
    const response = await fetch(`${server.url}/view?${new URLSearchParams(image)}`);
    const { info } = await sharp(Buffer.from(await response.arrayBuffer())).metadata().then((meta) => ({ info: meta }));
    expect([info.width, info.height]).toEqual([16, 16]);
  });

  it('run 6: a node failing at runtime sends execution_error (ws_run6_runtime_error, history_run6_error)', async () => {
    const recorded = recording('post_prompt_runtime_error');
    const { promptId, messages } = await run(server, recorder, recorded.request as Record<string, unknown>);
    const recordedMessagesList = recordedMessages('ws_run6_runtime_error');
    expect(messages.map(signature)).toEqual(recordedMessagesList.map(signature));
    const ours = messages.find((m) => m.type === 'execution_error')?.data as Record<string, any>;
    const theirs = recordedMessagesList.find((m) => m.type === 'execution_error')?.data as Record<string, any>;
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    expect(ours.traceback).toEqual(theirs.traceback);
    expect(ours.exception_message).toMatch(/^\*\*\*\* ERROR: Saving image outside the output folder is not allowed\.\n full_output_folder: .*\n {9}output_dir: .*\n {9}commonpath: .*\n$/);
    expect(ours.current_inputs).toEqual(theirs.current_inputs);
    expect(ours.current_outputs).toEqual(theirs.current_outputs);
    const history = (await getJson(server, `/history/${promptId}`)).body[promptId];
    const recordedHistory = Object.values(recording('history_run6_error').body as Record<string, any>)[0];
    expect(history.status.messages.map((m: [string, unknown]) => m[0])).toEqual(recordedHistory.status.messages.map((m: [string, unknown]) => m[0]));
    expect([history.status.status_str, history.status.completed, history.outputs, history.meta]).toEqual(['error', false, {}, {}]);
  });

  it('run 7: a node with steps reports progress_state and progress per step (ws_run7_progress, post_prompt_slow)', async () => {
    const recorded = recording('post_prompt_slow');
    const { messages } = await run(server, recorder, recorded.request as Record<string, unknown>);
    expect(messages.map(signature)).toEqual(recordedMessages('ws_run7_progress').map(signature));
  });

  it('run 8: queue delete, bare interrupt, ignored and targeted interrupt (ws_run8_interrupt, queue_busy, post_*)', async () => {
    const slow = (color: number): Record<string, unknown> => {
      const request = structuredClone(recording('post_prompt_slow').request) as any;
      request.prompt['1'].inputs.color = color;
      request.prompt['2'].inputs.steps = 200;
      request.prompt['2'].inputs.delay = 0.05;
      return request;
    };
    const start = recorder.messages.length;
    const a = JSON.parse((await post(server, '/prompt', slow(2))).text).prompt_id as string;
    await recorder.waitFor((m) => m.type === 'executing' && m.data?.node === '2' && m.data?.prompt_id === a, 5000, start);
    const b = JSON.parse((await post(server, '/prompt', slow(3))).text).prompt_id as string;
    const c = JSON.parse((await post(server, '/prompt', slow(4))).text).prompt_id as string;
    const busy = await getJson(server, '/queue');
    const recordedBusy = recording('queue_busy').body as any;
    const zeroNumbers = (queue: any): unknown => ({
      queue_running: queue.queue_running.map((tuple: unknown[]) => [0, ...tuple.slice(1)]),
      queue_pending: queue.queue_pending.map((tuple: unknown[]) => [0, ...tuple.slice(1)]),
    });
    expect(busy.body.queue_pending.map((tuple: unknown[]) => tuple[1])).toEqual([b, c]);
    expect(zeroNumbers(normalise(busy.body, { [a]: recordedBusy.queue_running[0][1], [b]: recordedBusy.queue_pending[0][1], [c]: recordedBusy.queue_pending[1][1] }))).toEqual(
      zeroNumbers(recordedBusy),
    );
    for (const [body, name] of [
      [{ delete: [c] }, 'post_queue_delete'],
      [{}, 'post_interrupt'],
    ] as const) {
      const answer = await post(server, name === 'post_queue_delete' ? '/queue' : '/interrupt', body);
      expect([answer.status, answer.type, answer.text]).toEqual([200, recording(name).content_type, recording(name).body]);
    }
    await recorder.waitFor((m) => m.type === 'progress' && m.data?.prompt_id === b && (m.data?.value as number) >= 2, 5000, start);
    const ignored = await post(server, '/interrupt', { prompt_id: 'not-the-running-one' });
    expect([ignored.status, ignored.type, ignored.text]).toEqual([200, null, '']);
    const after = recorder.messages.length;
    await recorder.waitFor((m) => m.type === 'progress' && m.data?.prompt_id === b, 5000, after);
    const targeted = await post(server, '/interrupt', { prompt_id: b });
    expect([targeted.status, targeted.type, targeted.text]).toEqual([200, null, '']);
    await recorder.waitFor((m) => m.type === 'executing' && m.data?.node === null && m.data?.prompt_id === b, 5000, start);
    const end = recorder.messages.findIndex((m, index) => index >= start && m.type === 'executing' && m.data?.node === null && m.data?.prompt_id === b);
    const withoutSteps = (messages: RecordedMessage[]): string[] =>
      messages
        .filter((m) => m.type !== 'progress')
        .filter((m) => !(m.type === 'progress_state' && Object.values(m.data?.nodes as Record<string, any>).some((n) => n.state === 'running' && n.value > 0)))
        .map(signature);
    const recordedRun8 = recordedMessages('ws_run8_interrupt');
    const ours = recorder.messages.slice(start, end + 1);
    expect(withoutSteps(ours)).toEqual(withoutSteps(recordedRun8));
    expect(ours.some((m) => m.type === 'progress')).toBe(true);

    for (const [ours, name, color] of [
      [a, 'history_run8_interrupted', 2],
      [b, 'history_max1', 3],
    ] as const) {
      const recordedHistory = recording(name).body as Record<string, any>;
      const recordedId = Object.keys(recordedHistory)[0];
      const history = (await getJson(server, `/history/${ours}`)).body;
      history[ours].prompt[0] = recordedHistory[recordedId].prompt[0];
      expect(normalise(history, { [ours]: recordedId })).toEqual(
        normalise({ [recordedId]: { ...recordedHistory[recordedId], prompt: [recordedHistory[recordedId].prompt[0], recordedId, slow(color).prompt, { client_id: RECORDED_CLIENT }, ['3']] } }, {}),
      );
    }
    const maxOne = await getJson(server, '/history?max_items=1');
    expect(Object.keys(maxOne.body)).toEqual([b]);
  });

  it('deletes history and clears the queue with empty 200 answers (post_history_delete, post_queue_clear)', async () => {
    const deleted = await post(server, '/history', { delete: [run1Id] });
    expect([deleted.status, deleted.type, deleted.text]).toEqual([200, null, recording('post_history_delete').body]);
    expect((await getJson(server, `/history/${run1Id}`)).body).toEqual(recording('history_after_delete').body);
    const cleared = await post(server, '/queue', { clear: true });
    expect([cleared.status, cleared.type, cleared.text]).toEqual([200, null, recording('post_queue_clear').body]);
  });
});

describe('FakeComfyServer KSampler runs (ws_ksampler_default, ws_ksampler_preview_metadata)', () => {
  let server: FakeComfyServer;
  beforeEach(async () => {
    server = await FakeComfyServer.start({ speed: 0.002 });
  });
  afterEach(async () => {
    await server.close();
  });

  const sd15 = (seed: number): Record<string, unknown> => {
    const graph = workflow('sd15_txt2img');
    Object.assign(graph['3'].inputs, { steps: 3, seed });
    graph['9'].inputs.filename_prefix = 'ksampler';
    return graph;
  };

  it.each([
    ['ws_ksampler_default', false, 1],
    ['ws_ksampler_preview_metadata', true, 2],
  ] as const)('%s: node order, steps and binary previews match', async (name, featureFlags, seed) => {
    const clientId = `client-${name}`;
    const recorder = await recordWs(server.port, clientId, { featureFlags });
    try {
      if (featureFlags) await recorder.waitFor((m) => m.type === 'feature_flags');
      const { promptId, messages } = await run(server, recorder, { prompt: sd15(seed), client_id: clientId });
      const all = [...recorder.messages.slice(0, recorder.messages.length - messages.length), ...messages];
      const successIndex = all.findIndex((m) => m.type === 'execution_success');
      const recorded = recordedMessages(name);
      expect(all.slice(0, successIndex + 1).map(signature)).toEqual(recorded.map(signature));
      if (featureFlags) expect(all[1]).toEqual({ type: 'feature_flags', data: recorded[1].data });
      const frames = all.filter((m) => m.type === '<binary>');
      expect(frames).toHaveLength(3);
      for (const frame of frames) {
        expect(frame.magic?.slice(0, 6)).toBe('ffd8ff');
        if (featureFlags) {
          const recordedMetadata = recorded.find((m) => m.type === '<binary>')?.metadata as Record<string, unknown>;
          expect(frame.metadata).toEqual({ ...recordedMetadata, prompt_id: promptId });
        } else expect(frame.image_format).toBe(1);
      }
    } finally {
      await recorder.close();
    }
  });
});

describe('FakeComfyServer delivery, mid-2024 mode and faults', () => {
  const servers: FakeComfyServer[] = [];
  const recorders: WsRecorder[] = [];
  const start = async (options: Parameters<typeof FakeComfyServer.start>[0] = {}): Promise<FakeComfyServer> => {
    const server = await FakeComfyServer.start({ speed: 0.002, ...options });
    servers.push(server);
    return server;
  };
  const listen = async (server: FakeComfyServer, clientId: string): Promise<WsRecorder> => {
    const recorder = await recordWs(server.port, clientId);
    recorders.push(recorder);
    return recorder;
  };
  afterEach(async () => {
    for (const recorder of recorders.splice(0)) await recorder.close();
    for (const server of servers.splice(0)) await server.close();
  });

  it('sends execution messages only to the submitting client; status to everyone', async () => {
    const server = await start();
    const mine = await listen(server, 'mine');
    const other = await listen(server, 'other', );
    await run(server, mine, { prompt: workflow('model_free_probe'), client_id: 'mine' });
    await other.waitFor((m) => m.type === 'status' && (m.data as any).status.exec_info.queue_remaining === 0 && !(m.data as any).sid);
    expect(new Set(other.messages.map((m) => m.type))).toEqual(new Set(['status']));
  });

  it('writes history after execution_success: an immediate read finds {} (the race of PROTOCOL.md)', async () => {
    const server = await start({ historyDelayMs: 200 });
    const recorder = await listen(server, 'racer');
    const answer = await post(server, '/prompt', { prompt: workflow('model_free_probe'), client_id: 'racer' });
    const promptId = JSON.parse(answer.text).prompt_id as string;
    await recorder.waitFor((m) => m.type === 'execution_success');
    expect((await getJson(server, `/history/${promptId}`)).body).toEqual({});
    await recorder.waitFor((m) => m.type === 'executing' && m.data?.node === null);
    expect(Object.keys((await getJson(server, `/history/${promptId}`)).body)).toEqual([promptId]);
  });

  it("re-sends the running node to a client that reconnects mid-run ({node} without prompt_id)", async () => {
    const server = await start({ speed: 0.02 });
    const first = await listen(server, 'again');
    const graph = workflow('sd15_txt2img');
    graph['3'].inputs.steps = 20;
    await post(server, '/prompt', { prompt: graph, client_id: 'again' });
    await first.waitFor((m) => m.type === 'progress');
    await first.close();
    const second = await listen(server, 'again');
    const greeting = second.messages.slice(0, 2);
    expect(greeting[0].type).toBe('status');
    expect(greeting[1]).toEqual({ type: 'executing', data: { node: '3' } });
  });

  it('mid2024 mode: no features/models, ignores our prompt_id, older messages and bodies', async () => {
    const server = await start({ mode: 'mid2024' });
    const recorder = await listen(server, 'old');
    expect((await fetch(`${server.url}/features`)).status).toBe(404);
    expect((await fetch(`${server.url}/models`)).status).toBe(404);
    expect(JSON.parse((await post(server, '/prompt', { client_id: 'old' })).text)).toEqual({ error: 'no prompt', node_errors: [] });
    expect(JSON.parse((await post(server, '/prompt', recording('error_unknown_class').request)).text).node_errors).toEqual([]);
    const { promptId, messages } = await run(server, recorder, { prompt: workflow('model_free_probe'), client_id: 'old', prompt_id: 'ours' });
    expect(promptId).not.toBe('ours');
    expect(messages.map((m) => m.type)).toEqual([
      'status', 'status', 'execution_start', 'execution_cached', 'executing', 'executing', 'executing', 'executed', 'status', 'executing',
    ]);
    for (const message of messages) {
      expect(message.data).not.toHaveProperty('timestamp');
      expect(message.data).not.toHaveProperty('display_node');
    }
    const again = await run(server, recorder, { prompt: workflow('model_free_probe'), client_id: 'old' });
    expect(again.messages.map((m) => m.type)).toEqual(['status', 'status', 'execution_start', 'execution_cached', 'status', 'executing']);
    const history = (await getJson(server, `/history/${again.promptId}`)).body[again.promptId];
    expect(history.outputs['3'].images[0].filename).toBe('probe_00001_.png');
  });

  it('mid2024 mode: an interrupt with any prompt id stops whatever runs', async () => {
    const server = await start({ mode: 'mid2024', speed: 0.01 });
    const recorder = await listen(server, 'old');
    const request = structuredClone(recording('post_prompt_slow').request) as any;
    request.client_id = 'old';
    request.prompt['2'].inputs.steps = 200;
    await post(server, '/prompt', request);
    await recorder.waitFor((m) => m.type === 'progress');
    await post(server, '/interrupt', { prompt_id: 'not-the-running-one' });
    const interrupted = await recorder.waitFor((m) => m.type === 'execution_interrupted');
    expect(Object.keys(interrupted.data ?? {}).sort()).toEqual(['executed', 'node_id', 'node_type', 'prompt_id']);
  });

  it('failNext, garbageJsonNext and hangNext disturb the next requests only', async () => {
    const server = await start();
    server.failNext(1, 502);
    expect((await fetch(`${server.url}/system_stats`)).status).toBe(502);
    server.failNext(1);
    const failed = await fetch(`${server.url}/queue`);
    expect([failed.status, await failed.text()]).toEqual([500, recording('error_invalid_json').body]);
    server.garbageJsonNext(1, { route: '/prompt' });
    expect((await fetch(`${server.url}/queue`)).status).toBe(200);
    const garbage = await post(server, '/prompt', { prompt: workflow('model_free_probe') });
    expect(() => JSON.parse(garbage.text)).toThrow();
    server.hangNext(1);
    await expect(fetch(`${server.url}/system_stats`, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect((await fetch(`${server.url}/system_stats`)).status).toBe(200);
  });

  it('kill() refuses connections mid-job; restart() comes back empty on the same port', async () => {
    const server = await start({ speed: 0.02 });
    const recorder = await listen(server, 'k');
    const graph = workflow('sd15_txt2img');
    graph['3'].inputs.steps = 50;
    await post(server, '/prompt', { prompt: graph, client_id: 'k' });
    await recorder.waitFor((m) => m.type === 'progress');
    const port = server.port;
    server.kill();
    await expect(fetch(`${server.url}/queue`)).rejects.toThrow();
    await server.restart();
    expect(server.port).toBe(port);
    expect((await getJson(server, '/queue')).body).toEqual(recording('queue_idle').body);
    expect((await getJson(server, '/history')).body).toEqual({});
  });

  it('dropSocket() closes sockets while the job goes on; failPrompt() injects execution_error', async () => {
    const server = await start({ speed: 0.005 });
    const recorder = await listen(server, 'd');
    server.failPrompt('doomed', { message: 'CUDA out of memory' });
    await post(server, '/prompt', { prompt: workflow('sd15_txt2img'), client_id: 'd', prompt_id: 'doomed' });
    const error = await recorder.waitFor((m) => m.type === 'execution_error');
    expect([error.data?.node_id, error.data?.node_type, error.data?.exception_message]).toEqual(['3', 'KSampler', 'CUDA out of memory\n']);
    const graph = workflow('sd15_txt2img');
    graph['3'].inputs.steps = 30;
    await post(server, '/prompt', { prompt: graph, client_id: 'd', prompt_id: 'survivor' });
    await recorder.waitFor((m) => m.type === 'progress' && m.data?.prompt_id === 'survivor');
    expect(server.dropSocket('d')).toBe(1);
    await server.waitForIdle();
    expect(Object.keys((await getJson(server, '/history/survivor')).body)).toEqual(['survivor']);
  });

  it('writes PNG text chunks exactly as Python json.dumps would', () => {
    expect(pyJsonDumps({ a: [1, 'é'], b: { c: null, d: true } })).toBe('{"a": [1, "\\u00e9"], "b": {"c": null, "d": true}}');
  });
});
