import { z } from 'zod';
import {
  ContractCallError,
  isMethodName,
  methods,
  type CallReply,
  type MethodArgs,
  type MethodArgsParsed,
  type MethodName,
  type MethodResult,
} from '../../src-preload/contract';
import { AppError } from './errors';

/** The implementation of every contract method. Each domain contributes its part (see handlers.ts). */
export type Handlers = {
  [M in MethodName]: (args: MethodArgsParsed<M>) => Promise<MethodResult<M>> | MethodResult<M>;
};

/**
 * The one entry point every shell uses: Electron IPC, the web mode WebSocket and the CLI.
 *
 * Looks the method up in the contract, parses the arguments with its zod schema, runs the handler, and
 * parses the result with the result schema. Never throws: every failure becomes `{ok:false, error}` with a
 * stable code (`unknown_method`, `invalid_args`, an AppError's code, or `internal`) and a message that
 * names the method and what was wrong.
 */
export async function dispatch(handlers: Handlers, method: string, rawArgs: unknown): Promise<CallReply> {
  if (typeof method !== 'string' || !isMethodName(method)) {
    return fail('unknown_method', `There is no method "${String(method)}".`, 'Run `storycanvas methods` to list them.');
  }
  const spec = methods[method];
  const parsed = spec.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    return fail('invalid_args', `${method}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, 'Check the arguments against the contract (src-preload/contract.ts).');
  }
  try {
    const handler = handlers[method] as (a: unknown) => unknown;
    const result = await handler(parsed.data);
    const checked = spec.result.safeParse(result);
    if (!checked.success) {
      console.error(`[dispatch] ${method} returned a result that breaks its schema:`, z.prettifyError(checked.error));
      return fail('internal', `${method} produced an invalid result; this is a bug in StoryCanvas.`, 'Please report it with the log.');
    }
    return { ok: true, result: checked.data as never };
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message, err.hint);
    console.error(`[dispatch] ${method} failed:`, err);
    return fail('internal', `${method} failed: ${(err as Error)?.message ?? String(err)}`, 'This is a bug in StoryCanvas; the project was not changed by the failed step.');
  }
}

function fail(code: string, message: string, hint?: string): CallReply {
  return { ok: false, error: hint === undefined ? { code, message } : { code, message, hint } };
}

/** Calls a method in-process with full typing; throws ContractCallError on failure (for the CLI and tests). */
export async function call<M extends MethodName>(handlers: Handlers, method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const reply = await dispatch(handlers, method, args);
  if (!reply.ok) throw new ContractCallError(reply.error.code, reply.error.message, reply.error.hint);
  return reply.result as MethodResult<M>;
}
