/**
 * ComfyClient against the ComfyUI double (fake/FakeComfyServer.ts): the whole life of a prompt, both preview
 * encodings, caching, runtime errors, targeted cancel, validation messages, a mid-2024 server, reconnect with
 * resync, transient/permanent classification, timeouts and auth headers.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { ComfyClient, type ComfyClientOptions } from './ComfyClient.ts';
import { ComfyError } from './ComfyError.ts';
import { FakeComfyServer, type FakeComfyServerOptions } from './fake/FakeComfyServer.ts';
import { solidPng } from './fake/images.ts';
import type { ComfyClientEvent, ComfyGraph, WebSocketLike } from './types.ts';

const WORKFLOWS = join(import.meta.dirname, 'testdata', 'workflows');

function workflow(name: 'model_free_probe' | 'sd15_txt2img'): ComfyGraph {
  return JSON.parse(readFileSync(join(WORKFLOWS, `${name}.api.json`), 'utf8')) as ComfyGraph;
}

function sd15(steps: number, seed = 1): ComfyGraph {
  const graph = workflow('sd15_txt2img');
  Object.assign(graph['3'].inputs, { steps, seed });
  return graph;
}

/** EmptyImage -> ProbeSlowPassthrough (steps) -> SaveImage. */
function slow(steps: number, color = 1): ComfyGraph {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
    '2': { class_type: 'ProbeSlowPassthrough', inputs: { image: ['1', 0], steps, delay: 0.05 } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'slow' } },
  };
}

/** A WebSocket that never sends feature_flags, so the server keeps the default preview encoding (event 1). */
class NoFeatureFlagsSocket implements WebSocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  private readonly inner: WebSocket;
  constructor(url: string, options?: { headers?: Record<string, string> }) {
    this.inner = new WebSocket(url, options);
    this.inner.onopen = (event) => this.onopen?.(event);
    this.inner.onmessage = (event) => this.onmessage?.({ data: event.data });
    this.inner.onclose = (event) => this.onclose?.(event);
    this.inner.onerror = (event) => this.onerror?.(event);
  }
  get binaryType(): string {
    return this.inner.binaryType;
  }
  set binaryType(value: string) {
    this.inner.binaryType = value as WebSocket['binaryType'];
  }
  get readyState(): number {
    return this.inner.readyState;
  }
  send(data: string): void {
    if (!data.includes('"feature_flags"')) this.inner.send(data);
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
  terminate(): void {
    this.inner.terminate();
  }
}

const servers: FakeComfyServer[] = [];
const clients: ComfyClient[] = [];

async function startServer(options: FakeComfyServerOptions = {}): Promise<FakeComfyServer> {
  const server = await FakeComfyServer.start({ speed: 0.002, ...options });
  servers.push(server);
  return server;
}

function newClient(server: FakeComfyServer, options: Partial<ComfyClientOptions> = {}): ComfyClient {
  const client = new ComfyClient({
    baseUrl: server.url,
    timeoutMs: 3000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    watchdogMs: 0,
    ...options,
  });
  clients.push(client);
  return client;
}

function collect(client: ComfyClient, types: ComfyClientEvent['type'][]): ComfyClientEvent[] {
  const events: ComfyClientEvent[] = [];
  for (const type of types) client.on(type, (event) => events.push(event));
  return events;
}

/** Fails a wait after 5 s instead of hanging until the test times out. */
function within(): { signal: AbortSignal } {
  return { signal: AbortSignal.timeout(5000) };
}

async function rejection(promise: Promise<unknown>): Promise<ComfyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ComfyError);
    return error as ComfyError;
  }
  throw new Error('expected a ComfyError, but the call succeeded');
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const server of servers.splice(0)) await server.close();
});

describe('ComfyClient: a prompt from submit to image', () => {
  it('submits with our client and prompt ids, waits for the end and fetches the image through /view', async () => {
    const server = await startServer();
    const client = newClient(server);
    const events = collect(client, ['started', 'executing', 'executed', 'success']);
    const { promptId, number, warnings } = await client.submit(workflow('model_free_probe'));
    const post = server.requests.find((request) => request.route === '/prompt' && request.method === 'POST');
    expect(post?.body).toMatchObject({ client_id: client.clientId, prompt_id: promptId });
    expect([number, warnings]).toEqual([0, []]);

    const result = await client.waitForResult(promptId, within());
    expect(result.status).toBe('success');
    expect(result.images).toEqual([{ node: '3', filename: 'probe_00001_.png', subfolder: '', type: 'output' }]);
    expect(events.map((event) => event.type)).toEqual(['started', 'executing', 'executing', 'executing', 'executed', 'success']);
    const png = await client.view(result.images[0]);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 64, 48]);
    // The history is read once, after executing {node:null}, never on execution_success.
    expect(server.requests.filter((request) => request.route === `/history/${promptId}`)).toHaveLength(1);
  });

  it('honours a prompt id chosen by the caller', async () => {
    const server = await startServer();
    const client = newClient(server);
    const { promptId } = await client.submit(workflow('model_free_probe'), { promptId: 'shot-12A-take-3' });
    expect(promptId).toBe('shot-12A-take-3');
    expect((await client.waitForResult('shot-12A-take-3', within())).status).toBe('success');
  });

  it('reports progress per step and previews with metadata (event 4)', async () => {
    const server = await startServer();
    const client = newClient(server);
    const events = collect(client, ['progress', 'preview']);
    const { promptId } = await client.submit(sd15(4));
    await client.waitForResult(promptId, within());
    const progress = events.filter((event) => event.type === 'progress');
    expect(progress).toEqual([1, 2, 3, 4].map((value) => ({ type: 'progress', promptId, node: '3', value, max: 4 })));
    const previews = events.filter((event) => event.type === 'preview');
    expect(previews).toHaveLength(4);
    for (const preview of previews) {
      expect(preview).toMatchObject({ promptId, node: '3', mime: 'image/jpeg' });
      expect(preview.image.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    }
  });

  it('decodes previews in the default encoding (event 1) and attributes them to the running prompt', async () => {
    const server = await startServer();
    const client = newClient(server, { WebSocketImpl: NoFeatureFlagsSocket });
    const previews = collect(client, ['preview']);
    const { promptId } = await client.submit(sd15(3));
    await client.waitForResult(promptId, within());
    expect(previews).toHaveLength(3);
    for (const preview of previews) {
      expect(preview).toMatchObject({ promptId, node: null, mime: 'image/jpeg' });
      expect(preview.type === 'preview' && preview.image.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    }
  });

  it('reports a fully cached re-run with the same outputs', async () => {
    const server = await startServer();
    const client = newClient(server);
    const first = await client.waitForResult((await client.submit(workflow('model_free_probe'))).promptId, within());
    const cached = collect(client, ['cached']);
    const { promptId } = await client.submit(workflow('model_free_probe'));
    const second = await client.waitForResult(promptId, within());
    expect(cached).toEqual([{ type: 'cached', promptId, nodes: ['1', '2', '3'] }]);
    expect(second.status).toBe('success');
    expect(second.images).toEqual(first.images);
  });

  it('uploads an image; the same bytes again keep the same name', async () => {
    const server = await startServer();
    const client = newClient(server);
    const bytes = await solidPng(4, 4, { r: 9, g: 9, b: 9 });
    const first = await client.uploadImage(bytes, 'reference.png', { subfolder: 'refs' });
    expect(first).toEqual({ filename: 'reference.png', subfolder: 'refs', type: 'input' });
    expect(await client.uploadImage(bytes, 'reference.png', { subfolder: 'refs' })).toEqual(first);
    expect((await client.uploadImage(await solidPng(4, 4, { r: 1, g: 1, b: 1 }), 'reference.png', { subfolder: 'refs' })).filename).toBe('reference (1).png');
    expect(await client.view(first)).toEqual(bytes);
  });
});

describe('ComfyClient: failures the server reports', () => {
  it('reports a node failing at runtime as a permanent, artist-readable error', async () => {
    const server = await startServer();
    const client = newClient(server);
    const graph = workflow('model_free_probe');
    graph['3'].inputs.filename_prefix = '../../escape';
    const result = await client.waitForResult((await client.submit(graph)).promptId, within());
    expect(result.status).toBe('error');
    expect(result.error?.kind).toBe('permanent');
    expect(result.error?.code).toBe('execution');
    expect(result.error?.message).toContain('SaveImage #3 failed on the server');
    expect(result.error?.message).toContain('Saving image outside the output folder is not allowed');
  });

  it('reports running out of GPU memory as transient', async () => {
    const server = await startServer();
    const client = newClient(server);
    server.failPrompt('oom-take', { message: 'Allocation on device 0 would exceed allowed memory. (out of memory)' });
    const result = await client.waitForResult((await client.submit(sd15(3), { promptId: 'oom-take' })).promptId, within());
    expect([result.status, result.error?.kind]).toEqual(['error', 'transient']);
    expect(result.error?.message).toContain('KSampler #3 failed on the server');
  });

  it('refuses a missing checkpoint naming node, input, value and the models the server has', async () => {
    const server = await startServer({ models: { checkpoints: ['b.safetensors', 'a.safetensors'] } });
    const client = newClient(server);
    const graph = sd15(3);
    graph['4'].inputs.ckpt_name = 'missing.safetensors';
    const error = await rejection(client.submit(graph));
    expect([error.kind, error.code, error.status]).toEqual(['permanent', 'validation', 400]);
    expect(error.message).toContain(
      "CheckpointLoaderSimple #4: input 'ckpt_name' is 'missing.safetensors', which this server does not have. The server has: a.safetensors, b.safetensors.",
    );
    expect(error.problems[0]).toMatchObject({ nodeId: '4', inputName: 'ckpt_name', value: 'missing.safetensors', alternatives: ['a.safetensors', 'b.safetensors'] });
  });

  it('names the alternatives from /object_info when the server sends no list (more than 20 models)', async () => {
    const checkpoints = Array.from({ length: 25 }, (_, index) => `model_${String(index).padStart(2, '0')}.safetensors`);
    const server = await startServer({ models: { checkpoints } });
    const client = newClient(server);
    expect((await client.objectInfo()).checkpoints).toEqual(checkpoints);
    const graph = sd15(3);
    graph['4'].inputs.ckpt_name = 'missing.safetensors';
    const error = await rejection(client.submit(graph));
    expect(error.problems[0].alternatives).toEqual(checkpoints);
    expect(error.message).toContain('The server has: model_00.safetensors, model_01.safetensors');
    expect(error.message).toContain('and 13 more.');
  });

  it('refuses a value below the minimum and an unknown node type in plain words', async () => {
    const server = await startServer();
    const client = newClient(server);
    const small = workflow('model_free_probe');
    small['1'].inputs.width = 0;
    expect((await rejection(client.submit(small))).message).toContain("EmptyImage #1: input 'width' is 0, below the minimum of 1.");
    const unknown = workflow('model_free_probe');
    unknown['2'].class_type = 'FancyUpscaler';
    expect((await rejection(client.submit(unknown))).message).toContain("Node #2 is of type 'FancyUpscaler', which this server does not have");
  });
});

describe('ComfyClient: cancel is targeted', () => {
  it("deletes our queued prompt, refuses another client's, and interrupts a running one by id only", async () => {
    const server = await startServer({ speed: 0.005 });
    const other = newClient(server);
    const ours = newClient(server);
    const started = new Promise<void>((resolve) => other.on('progress', () => resolve()));
    const theirs = await other.submit(slow(400, 1));
    await started;
    const mine = await ours.submit(slow(400, 2));

    expect(await ours.cancel(theirs.promptId)).toBe('not-ours');
    expect(await ours.cancel(mine.promptId)).toBe('deleted');
    expect(await ours.waitForResult(mine.promptId, within())).toMatchObject({ status: 'interrupted', interruptedNode: null });
    const queue = await ours.queue();
    expect(queue.running.map((entry) => entry.promptId)).toEqual([theirs.promptId]);
    expect(queue.pending).toEqual([]);

    expect(await other.cancel(theirs.promptId)).toBe('interrupted');
    expect(await other.waitForResult(theirs.promptId, within())).toMatchObject({ status: 'interrupted', interruptedNode: '2' });
    const interrupts = server.requests.filter((request) => request.route === '/interrupt');
    expect(interrupts.map((request) => request.body)).toEqual([{ prompt_id: theirs.promptId }]);
    expect(await other.cancel(theirs.promptId)).toBe('not-found');
  });
});

describe('ComfyClient with a mid-2024 server', () => {
  it('follows the id the server returns, even when the run starts before the answer arrives', async () => {
    const server = await startServer({ mode: 'mid2024' });
    const slowAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/prompt') && init?.method === 'POST') await sleep(150);
      return response;
    };
    const client = newClient(server, { fetchImpl: slowAnswer });
    const events = collect(client, ['progress', 'preview']);
    const { promptId } = await client.submit(sd15(3), { promptId: 'ours' });
    expect(promptId).not.toBe('ours');
    expect(await client.protocol()).toBe('mid2024');
    const result = await client.waitForResult(promptId, within());
    expect(result.status).toBe('success');
    expect(result.images).toHaveLength(1);
    expect(events.filter((event) => event.type === 'progress').map((event) => event.type === 'progress' && [event.promptId, event.value])).toEqual([
      [promptId, 1],
      [promptId, 2],
      [promptId, 3],
    ]);
    expect(events.filter((event) => event.type === 'preview' && event.promptId === promptId)).toHaveLength(3);
    // A cached re-run sends no `executed` on such a server: the outputs come from /history.
    const again = await client.waitForResult((await client.submit(sd15(3))).promptId, within());
    expect(again.images).toEqual(result.images);
  });

  it('interrupts only after /queue shows exactly our prompt running', async () => {
    const server = await startServer({ mode: 'mid2024', speed: 0.005 });
    const client = newClient(server);
    const started = new Promise<void>((resolve) => client.on('progress', () => resolve()));
    const { promptId } = await client.submit(slow(400));
    await started;
    expect(await client.cancel(promptId)).toBe('interrupted');
    expect((await client.waitForResult(promptId, within())).status).toBe('interrupted');
    const routes = server.requests.map((request) => `${request.method} ${request.route}`);
    const interruptAt = routes.lastIndexOf('POST /interrupt');
    expect(routes.slice(interruptAt - 2, interruptAt + 1)).toEqual(['GET /queue', 'GET /queue', 'POST /interrupt']);
  });
});

describe('ComfyClient: connection trouble', () => {
  it('reconnects after a dropped socket and reports a prompt that finished while it was away', async () => {
    const server = await startServer({ speed: 0.005 });
    const client = newClient(server, { reconnect: { initialDelayMs: 300, maxDelayMs: 300, jitter: 0 } });
    const events = collect(client, ['connection', 'success']);
    const firstStep = new Promise<void>((resolve) => client.on('progress', () => resolve()));
    const { promptId } = await client.submit(sd15(8));
    await firstStep;
    expect(server.dropSocket(client.clientId)).toBe(1);
    await server.waitForIdle();
    const result = await client.waitForResult(promptId, within());
    expect(result.status).toBe('success');
    expect(result.images).toHaveLength(1);
    expect(events.map((event) => (event.type === 'connection' ? `${event.type}:${event.state}` : event.type))).toEqual([
      'connection:up',
      'connection:down',
      'connection:up',
      'success',
    ]);
    expect(events[1]).toMatchObject({ retryInMs: 300 });
  });

  it('reports prompts a restarted server forgot as lost (transient), and prompts of a dead server as connection_lost', async () => {
    const server = await startServer({ speed: 0.01 });
    const client = newClient(server, { historyRetry: { attempts: 2, delayMs: 10 } });
    const firstStep = new Promise<void>((resolve) => client.on('progress', () => resolve()));
    const { promptId } = await client.submit(sd15(200));
    await firstStep;
    await server.restart();
    const forgotten = await rejection(client.waitForResult(promptId, within()));
    expect([forgotten.kind, forgotten.code]).toEqual(['transient', 'prompt_lost']);

    const impatient = newClient(server, { connectionLostMs: 150 });
    const running = new Promise<void>((resolve) => impatient.on('progress', () => resolve()));
    const second = await impatient.submit(sd15(200, 2));
    await running;
    server.kill();
    const lost = await rejection(impatient.waitForResult(second.promptId, within()));
    expect([lost.kind, lost.code]).toEqual(['transient', 'connection_lost']);
  });

  it('classifies HTTP 5xx, garbage JSON and a refused connection as transient', async () => {
    const server = await startServer();
    const client = newClient(server);
    server.failNext(1, 500);
    const failed = await rejection(client.systemStats());
    expect([failed.kind, failed.code, failed.status]).toEqual(['transient', 'http_status', 500]);
    server.garbageJsonNext(1, { route: '/prompt' });
    const garbage = await rejection(client.submit(workflow('model_free_probe')));
    expect([garbage.kind, garbage.code]).toEqual(['transient', 'bad_response']);
    expect(garbage.message).toContain('not JSON');
    server.kill();
    const refused = await rejection(client.systemStats());
    expect([refused.kind, refused.code]).toEqual(['transient', 'unreachable']);
    expect(refused.message).toContain(`Cannot reach ComfyUI at ${server.url}`);
  });

  it('times out a server that never answers', async () => {
    const server = await startServer();
    const client = newClient(server, { timeoutMs: 200 });
    server.hangNext(1);
    const started = Date.now();
    const error = await rejection(client.systemStats());
    expect([error.kind, error.code]).toEqual(['transient', 'timeout']);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await client.systemStats()).comfyuiVersion).toBe('0.3.64');
  });

  it('sends the auth header on every request and on the WebSocket upgrade', async () => {
    const server = await startServer({ requiredHeaders: { Authorization: 'Bearer s3cret' } });
    const client = newClient(server, { headers: { Authorization: 'Bearer s3cret' } });
    const result = await client.waitForResult((await client.submit(workflow('model_free_probe'))).promptId, within());
    expect((await client.view(result.images[0])).subarray(0, 4).toString('hex')).toBe('89504e47');
    expect(server.requests.some((request) => request.route === '/ws')).toBe(true);
    for (const request of server.requests) expect(request.headers.authorization, request.route).toBe('Bearer s3cret');

    const stranger = newClient(server);
    const refused = await rejection(stranger.systemStats());
    expect([refused.kind, refused.code, refused.status]).toEqual(['permanent', 'unauthorized', 401]);
  });

  it('adopts a prompt it did not submit and reports its end', async () => {
    const server = await startServer();
    const response = await fetch(`${server.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: workflow('model_free_probe'), client_id: 'elsewhere' }) });
    const { prompt_id: promptId } = (await response.json()) as { prompt_id: string };
    const client = newClient(server, { watchdogMs: 30 });
    const result = await client.waitForResult(promptId, within());
    expect(result).toMatchObject({ promptId, status: 'success' });
    expect(result.images[0].filename).toBe('probe_00001_.png');
  });

  it('close() ends a connection attempt still in flight instead of leaving submit hanging', async () => {
    const silent = createServer((socket) => sockets.push(socket));
    const sockets: Socket[] = [];
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = silent.address() as AddressInfo;
      const client = new ComfyClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 10_000 });
      const submitting = client.submit(workflow('model_free_probe'));
      await sleep(50);
      const started = Date.now();
      await client.close();
      const error = await rejection(submitting);
      expect(error.kind).toBe('transient');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('derives wss:// from an https base URL', () => {
    const client = new ComfyClient({ baseUrl: 'https://comfy.studio.example/gpu-3/', clientId: 'abc', timeoutMs: 1000 });
    clients.push(client);
    expect(client.serverUrl).toBe('https://comfy.studio.example/gpu-3');
    expect(client.webSocketUrl).toBe('wss://comfy.studio.example/gpu-3/ws?clientId=abc');
  });
});
