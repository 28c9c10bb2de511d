/**
 * FakeChatServer: a test double of an OpenAI-compatible chat server on 127.0.0.1 (random port), answering as the
 * OpenAI chat completions API does (https://platform.openai.com/docs/api-reference/chat/object):
 * - `POST /v1/chat/completions` -> `{id: 'chatcmpl-…', object: 'chat.completion', created, model, choices: [{index: 0,
 *   message: {role: 'assistant', content}, logprobs: null, finish_reason: 'stop'}], usage: {prompt_tokens,
 *   completion_tokens, total_tokens}}`;
 * - `GET /v1/models` -> `{object: 'list', data: [{id, object: 'model', created, owned_by}]}`;
 * - errors as `{error: {message, type, param, code}}` with the API's statuses: 401 `invalid_api_key` (when a key is
 *   required and the Bearer token differs), 404 `model_not_found` (a model it does not list), 400 for a
 *   `response_format` it does not support (`supportsJsonSchema: false`, like an older local server), 429, 500.
 *
 * Scripted replies for tests: `reply(content)` (text or an object sent as JSON text), `replyInvalidJson()`,
 * `replyWrongShape()`, `replyTruncated()`, `fail(status)`, `hang()` (never answers), each for the next request
 * (queued in order); afterwards the default reply (a valid shot list). `requests` logs what clients sent.
 * Usage: `const chat = await FakeChatServer.start(); chat.baseUrl; …; await chat.close();`
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

/** Options of {@link FakeChatServer.start}. */
export interface FakeChatOptions {
  /** Models it serves; default `['llama3.1:8b']`. */
  models?: string[];
  /** A key the client must send as `Authorization: Bearer <key>`; default none needed. */
  apiKey?: string;
  /** Whether `response_format: {type: 'json_schema'}` is accepted; default true. */
  supportsJsonSchema?: boolean;
}

/** One request the double received. */
export interface FakeChatRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> | null;
}

type Scripted =
  | { kind: 'content'; content: string; finishReason?: string }
  | { kind: 'fail'; status: number; error?: { message: string; type: string; code: string | null } }
  | { kind: 'hang' };

/** The default content: a valid two-shot list. */
export const DEFAULT_SHOT_LIST = {
  shots: [
    { shotSize: 'WS', cameraAngle: 'eye-level', cameraMove: 'static', lensMm: 28, description: 'Bob strolls through the park at dusk.', dialogue: [] },
    { shotSize: 'CU', cameraAngle: 'low', cameraMove: 'dolly-in', lensMm: null, description: 'Bob looks up at the cloud.', dialogue: [{ character: 'BOB', text: 'What is that?' }] },
  ],
};

const STANDARD_ERRORS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  429: { message: 'Rate limit reached for requests. Please try again in 20s.', type: 'requests', code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
  503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
};

/** See the module comment. */
export class FakeChatServer {
  readonly requests: FakeChatRequest[] = [];
  private readonly script: Scripted[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly models: string[];
  private supportsJsonSchema: boolean;
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeChatOptions,
  ) {
    this.models = options.models ?? ['llama3.1:8b'];
    this.supportsJsonSchema = options.supportsJsonSchema ?? true;
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  static async start(options: FakeChatOptions = {}): Promise<FakeChatServer> {
    const server = createServer();
    const fake = new FakeChatServer(server, options);
    server.on('connection', (s) => {
      fake.sockets.add(s);
      s.on('close', () => fake.sockets.delete(s));
    });
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as { port: number }).port;
    return fake;
  }

  /** `http://127.0.0.1:<port>/v1`, the base URL clients are given. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The next request gets this content (an object is sent as its JSON text). */
  reply(content: string | object, finishReason = 'stop'): this {
    this.script.push({ kind: 'content', content: typeof content === 'string' ? content : JSON.stringify(content), finishReason });
    return this;
  }

  /** The next request gets prose that is not JSON. */
  replyInvalidJson(): this {
    return this.reply('Sure! Here is a shot list: first a wide shot of the park, then a close-up of Bob.');
  }

  /** The next request gets JSON of the wrong shape (a shot size the app does not know, a missing description). */
  replyWrongShape(): this {
    return this.reply({ shots: [{ shotSize: 'MEDIUM', cameraAngle: 'eye-level', cameraMove: 'static', lensMm: null, dialogue: [] }] });
  }

  /** The next request gets half a JSON document with `finish_reason: 'length'`. */
  replyTruncated(): this {
    return this.reply(JSON.stringify(DEFAULT_SHOT_LIST).slice(0, 60), 'length');
  }

  /** The next request fails with `status` and the API's error body for it. */
  fail(status: number, error?: { message: string; type: string; code: string | null }): this {
    this.script.push({ kind: 'fail', status, error });
    return this;
  }

  /** The next request is read and never answered (until `close`). */
  hang(): this {
    this.script.push({ kind: 'hang' });
    return this;
  }

  /** Turns `response_format: json_schema` support on or off. */
  setSupportsJsonSchema(value: boolean): this {
    this.supportsJsonSchema = value;
    return this;
  }

  /** Stops the server, dropping hanging requests. */
  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sendError(res: ServerResponse, status: number, error: { message: string; type: string; code: string | null; param?: string | null }): void {
    this.send(res, status, { error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | null = null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    const path = (req.url ?? '/').split('?')[0];
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    if (this.options.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      const given = typeof req.headers.authorization === 'string' ? req.headers.authorization.replace(/^Bearer\s+/, '') : '';
      return this.sendError(res, 401, {
        message: given ? `Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-2)}. You can find your API key at https://platform.openai.com/account/api-keys.` : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return this.send(res, 200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'library' })) });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return this.sendError(res, 404, { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', code: null });
    }
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      return this.sendError(res, 400, { message: "We could not parse the JSON body of your request, or it lacks 'model' and 'messages'.", type: 'invalid_request_error', code: null });
    }
    const next = this.script.shift();
    if (next?.kind === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (next?.kind === 'fail') return this.sendError(res, next.status, next.error ?? STANDARD_ERRORS[next.status] ?? STANDARD_ERRORS[500]);
    if (!this.models.includes(body.model)) {
      return this.sendError(res, 404, { message: `The model \`${body.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' });
    }
    const format = body.response_format as { type?: string } | undefined;
    if (format?.type === 'json_schema' && !this.supportsJsonSchema) {
      if (next) this.script.unshift(next);
      return this.sendError(res, 400, { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", type: 'invalid_request_error', param: 'response_format', code: null });
    }
    const content = next?.kind === 'content' ? next.content : JSON.stringify(DEFAULT_SHOT_LIST);
    const promptTokens = Math.ceil(raw.length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    this.send(res, 200, {
      id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      system_fingerprint: 'fp_storycanvas_fake',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: next?.kind === 'content' ? (next.finishReason ?? 'stop') : 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  }
}
