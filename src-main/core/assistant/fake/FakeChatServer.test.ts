/** The chat double answers in the shapes of the OpenAI chat completions API (success, models list, errors). */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeChatServer } from './FakeChatServer';

let chat: FakeChatServer;
afterEach(async () => {
  await chat?.close();
});

const post = (body: unknown, key?: string) =>
  fetch(`${chat.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });

describe('FakeChatServer', () => {
  it('answers a chat completion like the API', async () => {
    chat = await FakeChatServer.start({ models: ['m1'] });
    chat.reply('hello');
    const res = await post({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'm1',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(typeof body.created).toBe('number');
    const models = (await (await fetch(`${chat.baseUrl}/models`)).json()) as { object: string; data: Array<{ id: string }> };
    expect(models).toMatchObject({ object: 'list', data: [{ id: 'm1', object: 'model' }] });
  });

  it('sends the API error bodies', async () => {
    chat = await FakeChatServer.start({ models: ['m1'], apiKey: 'sk-1' });
    const noKey = await post({ model: 'm1', messages: [] });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key', param: null, message: expect.stringMatching(/didn't provide an API key/) } });
    const unknown = await post({ model: 'm2', messages: [] }, 'sk-1');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'model_not_found' } });
    chat.fail(429);
    const limited = await post({ model: 'm1', messages: [] }, 'sk-1');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    chat.setSupportsJsonSchema(false);
    const format = await post({ model: 'm1', messages: [], response_format: { type: 'json_schema', json_schema: {} } }, 'sk-1');
    expect(format.status).toBe(400);
    expect(await format.json()).toMatchObject({ error: { param: 'response_format' } });
  });

  it('hangs when told to, until closed', async () => {
    chat = await FakeChatServer.start();
    chat.hang();
    const pending = post({ model: 'llama3.1:8b', messages: [] }, undefined).then(
      () => 'answered',
      () => 'dropped',
    );
    const raced = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 300))]);
    expect(raced).toBe('still waiting');
    await chat.close();
    expect(await pending).toBe('dropped');
  });
});
