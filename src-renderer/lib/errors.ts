/**
 * Turns anything a call rejected with into what the UI shows: a sentence, and what to do about it.
 * A `ContractCallError` (src-preload/contract.ts) carries the core's code, message and hint; anything else
 * shows its message.
 */
import { ContractCallError } from '../../src-preload/contract';

/** An error as shown to people: a stable code when known, a sentence, what to do. */
export interface ErrorInfo {
  code: string | null;
  message: string;
  hint: string | null;
}

/** The code, message and hint of an error of any kind (a string, an Error, a ContractCallError). */
export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof ContractCallError) return { code: err.code, message: err.message, hint: err.hint ?? null };
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { message: unknown; code?: unknown; hint?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : null,
      message: String(e.message),
      hint: typeof e.hint === 'string' ? e.hint : null,
    };
  }
  return { code: null, message: String(err), hint: null };
}
