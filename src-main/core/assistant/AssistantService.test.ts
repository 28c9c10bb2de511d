/**
 * The shot assistant against FakeChatServer (an OpenAI-compatible double on 127.0.0.1): configuration (the key
 * never in a file), a proposal with response_format json_schema, the plain-JSON fallback, replies that are not
 * JSON, of the wrong shape or cut off (refused, nothing applied), HTTP errors mapped to clear codes, a hanging
 * server (timeout), an unreachable one, and applying the accepted shots in one undoable step.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../Core';
import { FakeChatServer } from './fake/FakeChatServer';
import { EnvSecretStore, MemorySecretStore } from './secrets';
import { ASSISTANT_FILE } from './settings';
import { chatCompletionsUrl, isLoopbackUrl } from './chat';
import { parseShotList, sceneText, stripFence } from './propose';

let root: string;
let core: Core;
let chat: FakeChatServer;
let projectId: string;
let sceneId: string;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'assistant-'));
  core = new Core({ shell: 'cli', configDir: join(root, 'config'), secrets: new MemorySecretStore() });
  chat = await FakeChatServer.start({ models: ['llama3.1:8b'], apiKey: 'sk-test-123' });
  const p = await core.call('project.create', { dir: join(root, 'projects'), name: 'Assist' });
  projectId = p.projectId;
  sceneId = (await core.call('scene.create', { projectId, heading: 'EXT. PARK - DUSK' })).sceneId;
  const { shotId } = await core.call('shot.create', { projectId, sceneId });
  await core.call('shot.update', {
    projectId,
    shotIds: [shotId],
    patch: { action: 'Bob strolls through the park. A strange cloud hangs above.', dialogue: [{ character: 'BOB', text: 'What is that?' }], characters: ['BOB'] },
  });
});
afterEach(async () => {
  await chat.close();
  await core.close();
  rmSync(root, { recursive: true, force: true });
});

const configure = (extra: Record<string, unknown> = {}) =>
  core.call('assistant.configure', { baseUrl: chat.baseUrl, model: 'llama3.1:8b', enabled: true, apiKey: 'sk-test-123', timeoutMs: 2000, ...extra });
const propose = () => core.call('assistant.proposeShots', { projectId, sceneId });
const lastBody = () => chat.requests.at(-1)!.body as Record<string, unknown>;

describe('settings and key', () => {
  it('is off until configured, and never writes the key to its file', async () => {
    expect(await core.call('assistant.get', {})).toMatchObject({ enabled: false, model: '', hasKey: false, keyStore: 'none' });
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_disabled' });
    await expect(core.call('assistant.configure', { enabled: true })).rejects.toMatchObject({ code: 'assistant_not_configured' });
    const s = await configure();
    expect(s).toMatchObject({ baseUrl: chat.baseUrl, model: 'llama3.1:8b', enabled: true, timeoutMs: 2000, hasKey: true, keyStore: 'memory' });
    const file = readFileSync(join(core.configDir, ASSISTANT_FILE), 'utf8');
    expect(file).not.toContain('sk-test-123');
    expect(JSON.parse(file)).toEqual({ version: 1, baseUrl: chat.baseUrl, model: 'llama3.1:8b', enabled: true, timeoutMs: 2000 });
    expect(await core.call('assistant.configure', { apiKey: null })).toMatchObject({ hasKey: false, keyStore: 'none' });
  });

  it('reads the key from STORYCANVAS_ASSISTANT_KEY in the CLI and refuses to store one', async () => {
    const env = new EnvSecretStore({ STORYCANVAS_ASSISTANT_KEY: ' sk-env ' });
    expect(await env.get('assistant.apiKey')).toBe('sk-env');
    await expect(env.set()).rejects.toMatchObject({ code: 'secret_store_read_only' });
    const cli = new Core({ shell: 'cli', configDir: join(root, 'config2') });
    try {
      await expect(cli.call('assistant.configure', { baseUrl: chat.baseUrl, model: 'm', apiKey: 'sk-x' })).rejects.toMatchObject({ code: 'secret_store_read_only' });
      expect((await cli.call('assistant.get', {})).model).toBe('');
    } finally {
      await cli.close();
    }
  });

  it('tests the endpoint with a one-word question', async () => {
    await configure();
    expect(await core.call('assistant.test', {})).toMatchObject({ ok: true, model: 'llama3.1:8b' });
    expect(chat.requests.at(-1)!.headers.authorization).toBe('Bearer sk-test-123');
  });
});

describe('proposing shots', () => {
  it('sends the scene with a json_schema response format and reads the shot list', async () => {
    await configure();
    const proposal = await propose();
    expect(proposal).toMatchObject({ sceneId, model: 'llama3.1:8b', structured: true });
    expect(proposal.shots).toEqual([
      { shotSize: 'WS', cameraAngle: 'eye-level', cameraMove: 'static', lensMm: 28, description: 'Bob strolls through the park at dusk.' },
      { shotSize: 'CU', cameraAngle: 'low', cameraMove: 'dolly-in', description: 'Bob looks up at the cloud.', dialogue: [{ character: 'BOB', text: 'What is that?' }] },
    ]);
    const body = lastBody();
    expect(chat.requests.at(-1)!.path).toBe('/v1/chat/completions');
    expect((body.response_format as { type: string }).type).toBe('json_schema');
    const messages = body.messages as Array<{ role: string; content: string }>;
    expect(messages[0].role).toBe('system');
    expect(messages[1].content).toContain('EXT. PARK - DUSK');
    expect(messages[1].content).toContain('BOB\nWhat is that?');
    // Nothing was applied.
    expect((await core.call('project.get', { projectId })).scenes[0].shots).toHaveLength(1);
  });

  it('asks again with a plain JSON instruction when the server refuses response_format', async () => {
    chat.setSupportsJsonSchema(false).reply('```json\n{"shots":[{"shotSize":"MS","cameraAngle":"ots","cameraMove":"pan","lensMm":null,"description":"Over Bob\'s shoulder.","dialogue":[]}]}\n```');
    await configure();
    const proposal = await propose();
    expect(proposal.structured).toBe(false);
    expect(proposal.shots).toEqual([{ shotSize: 'MS', cameraAngle: 'ots', cameraMove: 'pan', description: "Over Bob's shoulder." }]);
    expect(chat.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2);
    expect(lastBody().response_format).toBeUndefined();
    expect((lastBody().messages as Array<{ content: string }>)[0].content).toContain('Answer with JSON only');
  });

  it('refuses a reply that is not JSON, of the wrong shape, or cut off, and applies nothing', async () => {
    await configure();
    chat.replyInvalidJson();
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_invalid_reply', message: expect.stringMatching(/not JSON.*Sure! Here is a shot list/) });
    chat.replyWrongShape();
    const wrong = (await propose().then(
      () => null,
      (e: unknown) => e,
    )) as { code: string; message: string };
    expect(wrong.code).toBe('assistant_invalid_reply');
    expect(wrong.message).toMatch(/shots\.0\.shotSize: Invalid option/);
    expect(wrong.message).toMatch(/shots\.0\.description/);
    chat.replyTruncated();
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_invalid_reply', message: expect.stringMatching(/cut off/) });
    chat.reply({ shots: [] });
    await expect(propose()).rejects.toMatchObject({ message: expect.stringMatching(/proposes no shot/) });
    expect((await core.call('project.get', { projectId })).scenes[0].shots).toHaveLength(1);
  });

  it('maps HTTP errors to clear messages', async () => {
    await configure({ apiKey: 'sk-wrong' });
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_unauthorized', message: expect.stringMatching(/HTTP 401: Incorrect API key/) });
    await configure({ model: 'no-such-model' });
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_model_not_found', message: expect.stringMatching(/no model "no-such-model"/) });
    await configure();
    chat.fail(429);
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_rate_limited' });
    chat.fail(500);
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_server_error', message: expect.stringMatching(/HTTP 500: The server had an error/) });
  });

  it('times out on a server that never answers, and says when none is listening', async () => {
    await configure({ timeoutMs: 1000 });
    chat.hang();
    const started = Date.now();
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_timeout', message: expect.stringMatching(/did not answer within 1 s/) });
    expect(Date.now() - started).toBeLessThan(5000);
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await configure({ baseUrl: `http://127.0.0.1:${port}/v1` });
    await expect(propose()).rejects.toMatchObject({ code: 'assistant_unreachable', message: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('applying shots', () => {
  it('adds the accepted shots at the end of the scene in one undoable step', async () => {
    await configure();
    const proposal = await propose();
    const edited = [{ ...proposal.shots[1], description: 'Bob stares at the cloud, slack-jawed.' }];
    const { shotIds } = await core.call('assistant.applyShots', { projectId, sceneId, shots: edited });
    const shots = (await core.call('project.get', { projectId })).scenes[0].shots;
    expect(shots).toHaveLength(2);
    expect(shots[1]).toMatchObject({
      id: shotIds[0],
      shotSize: 'CU',
      cameraAngle: 'low',
      cameraMove: 'dolly-in',
      lensMm: null,
      action: 'Bob stares at the cloud, slack-jawed.',
      dialogue: [{ character: 'BOB', text: 'What is that?' }],
      characters: ['BOB'],
    });
    expect(shots[1].number).not.toBe(shots[0].number);
    expect((await core.call('edit.state', { projectId })).undoLabel).toMatch(/^Add shot .* from the assistant$/);
    await core.call('edit.undo', { projectId });
    expect((await core.call('project.get', { projectId })).scenes[0].shots).toHaveLength(1);
    await expect(core.call('assistant.applyShots', { projectId, sceneId, shots: [{ ...edited[0], shotSize: 'HUGE' as 'CU' }] })).rejects.toMatchObject({ code: 'invalid_args' });
  });
});

describe('pieces', () => {
  it('builds the endpoint URL and knows loopback hosts', () => {
    expect(chatCompletionsUrl('http://127.0.0.1:11434/v1/')).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(chatCompletionsUrl('http://127.0.0.1:1234')).toBe('http://127.0.0.1:1234/v1/chat/completions');
    expect(isLoopbackUrl('http://localhost:1/v1')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:1/v1')).toBe(true);
    expect(isLoopbackUrl('http://10.0.0.2/v1')).toBe(false);
  });

  it('strips code fences, keeps the scene text readable, and drops empty dialogue and null lenses', () => {
    expect(stripFence('```json\n{"a":1}\n```')).toBe('{"a":1}');
    expect(sceneText({ heading: 'INT. CAR - NIGHT', synopsis: '' }, [{ action: 'Rain.', dialogue: [{ character: 'Ann', parenthetical: '(quietly)', text: 'Stop.' }] }])).toBe(
      'INT. CAR - NIGHT\n\nRain.\n\nANN (quietly)\nStop.',
    );
    expect(parseShotList('{"shots":[{"shotSize":"ECU","cameraAngle":"pov","cameraMove":"zoom","lensMm":null,"description":"Eyes.","dialogue":[]}]}')).toEqual([
      { shotSize: 'ECU', cameraAngle: 'pov', cameraMove: 'zoom', description: 'Eyes.' },
    ]);
  });
});
