/**
 * A minimal client of the OpenAI chat completions API (`POST {base}/v1/chat/completions`,
 * https://platform.openai.com/docs/api-reference/chat/create), as served by OpenAI and by local servers that copy
 * it: Ollama (`/v1`), LM Studio, llama.cpp's server, vLLM.
 *
 * Request: `{model, messages: [{role, content}], temperature, max_tokens?, response_format?}`; with a key, the header
 * `Authorization: Bearer <key>`. Reply: `{id, object: 'chat.completion', created, model, choices: [{index,
 * message: {role: 'assistant', content}, finish_reason}], usage}`. Errors: an HTTP status with
 * `{error: {message, type, code}}`. Every failure becomes an AppError with a code people and tests can act on:
 * `assistant_unauthorized` (401/403: the key), `assistant_model_not_found` (404), `assistant_rate_limited` (429),
 * `assistant_server_error` (5xx), `assistant_request_refused` (another 4xx), `assistant_timeout`,
 * `assistant_unreachable` (no connection), `assistant_bad_response` (not the API's shape), and
 * `assistant_format_unsupported` (a 400 that names `response_format`: the caller retries without it).
 */
import { z } from 'zod';
import { AppError } from '../errors';

/** One chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chat request. */
export interface ChatRequest {
  /** The server's base URL (`http://127.0.0.1:11434/v1`, or without `/v1`). */
  baseUrl: string;
  apiKey: string | null;
  model: string;
  messages: ChatMessage[];
  /** `{type: 'json_schema', json_schema: {...}}` or `{type: 'json_object'}`, when wanted. */
  responseFormat?: Record<string, unknown>;
  temperature?: number;
  maxTokens?: number;
  timeoutMs: number;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

/** What the reply said. */
export interface ChatReply {
  content: string;
  /** The model that answered, as the server names it. */
  model: string;
  /** `stop`, `length` (cut off), `content_filter`... */
  finishReason: string | null;
  latencyMs: number;
}

const ReplySchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }).optional(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});

const ErrorSchema = z.object({ error: z.union([z.object({ message: z.string().optional(), type: z.string().nullable().optional(), code: z.unknown().optional(), param: z.unknown().optional() }), z.string()]) });

/** `{base}/chat/completions` when the base ends with `/v1`, else `{base}/v1/chat/completions`. */
export function chatCompletionsUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/v\d+$/.test(base) ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
}

/** Whether a URL's host is this machine (a key may travel over plain http only there). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** The server's error text from an error body, or the body's start. */
function errorText(body: string): { message: string; type: string | null; code: string | null; param: string | null } {
  try {
    const parsed = ErrorSchema.safeParse(JSON.parse(body));
    if (parsed.success) {
      const e = parsed.data.error;
      if (typeof e === 'string') return { message: e, type: null, code: null, param: null };
      return { message: e.message ?? '', type: e.type ?? null, code: e.code === undefined || e.code === null ? null : String(e.code), param: e.param === undefined || e.param === null ? null : String(e.param) };
    }
  } catch {
    // not JSON
  }
  return { message: body.slice(0, 300), type: null, code: null, param: null };
}

/**
 * Sends one chat completion and returns the reply's text.
 * @throws AppError (see the module comment), `assistant_insecure` when a key would travel over plain http to
 *   another machine.
 */
export async function chatCompletion(req: ChatRequest): Promise<ChatReply> {
  const url = chatCompletionsUrl(req.baseUrl);
  if (req.apiKey && url.startsWith('http:') && !isLoopbackUrl(url)) {
    throw new AppError('assistant_insecure', `The API key would be sent unencrypted to ${new URL(url).host}.`, 'Use an https:// address for a hosted assistant (plain http is fine for a server on this machine).');
  }
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const body: Record<string, unknown> = { model: req.model, messages: req.messages, temperature: req.temperature ?? 0.4, stream: false };
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  if (req.responseFormat) body.response_format = req.responseFormat;
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await (req.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal,
    });
    text = await res.text();
  } catch (err) {
    if (timeout.aborted) {
      throw new AppError('assistant_timeout', `The assistant at ${new URL(url).host} did not answer within ${Math.round(req.timeoutMs / 1000)} s.`, 'A local model may still be loading: try again, or raise the timeout (assistant.configure timeoutMs).');
    }
    if (req.signal?.aborted) throw req.signal.reason instanceof Error ? req.signal.reason : new AppError('cancelled', 'The request to the assistant was cancelled.');
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new AppError(
      'assistant_unreachable',
      `The assistant at ${url} cannot be reached (${cause ?? (err as Error).message}).`,
      'Start the server (ollama serve, LM Studio\'s server, llama-server) or check the address in the assistant settings.',
    );
  }
  const latencyMs = performance.now() - started;
  if (!res.ok) {
    const e = errorText(text);
    const said = e.message ? `: ${e.message}` : '';
    if (res.status === 401 || res.status === 403) {
      throw new AppError('assistant_unauthorized', `The assistant refused the API key (HTTP ${res.status}${said}).`, req.apiKey ? 'Check the key, then configure it again (assistant.configure apiKey).' : 'This server needs an API key: configure one (assistant.configure apiKey).');
    }
    if (res.status === 404) {
      throw new AppError('assistant_model_not_found', `The assistant has no model "${req.model}" (HTTP 404${said}).`, 'Pick a model the server lists (ollama list, LM Studio\'s loaded model), or check the address ends with /v1.');
    }
    if (res.status === 429) {
      const retry = res.headers.get('retry-after');
      throw new AppError('assistant_rate_limited', `The assistant is rate-limiting requests (HTTP 429${said}).`, retry ? `Try again in ${retry} s.` : 'Wait a minute and try again.');
    }
    if (res.status >= 500) throw new AppError('assistant_server_error', `The assistant server failed (HTTP ${res.status}${said}).`, 'Try again; if it persists, look at the server\'s log.');
    if (res.status === 400 && req.responseFormat && /response_format|json_schema|structured/i.test(`${e.param ?? ''} ${e.message}`)) {
      throw new AppError('assistant_format_unsupported', `The assistant does not take response_format${said}.`, 'StoryCanvas asks again with a plain JSON instruction.');
    }
    throw new AppError('assistant_request_refused', `The assistant refused the request (HTTP ${res.status}${said}).`, 'Check the model name and the server\'s documentation for its OpenAI-compatible API.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('assistant_bad_response', `The assistant's answer is not JSON: ${text.slice(0, 200)}`, 'Check that the address is an OpenAI-compatible API (it usually ends with /v1).');
  }
  const parsed = ReplySchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('assistant_bad_response', `The assistant's answer is not a chat completion: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`, 'Check that the address is an OpenAI-compatible API (it usually ends with /v1).');
  }
  const choice = parsed.data.choices[0];
  return { content: choice.message?.content ?? '', model: parsed.data.model ?? req.model, finishReason: choice.finish_reason ?? null, latencyMs };
}
