/**
 * The one error type the core throws for anything a person can act on.
 *
 * `code` is stable (shells and tests match on it), `message` says what was wrong in words an artist understands,
 * `hint` says what to do about it. Shells hand all three to the client unchanged (see `CallReply` in
 * src-preload/contract.ts). Anything else thrown inside the core is a bug and reaches clients as `internal`.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Shorthand for the common "no such record" error. */
export function notFound(what: string, id: string, hint = 'Reload the project: it may have been changed elsewhere.'): AppError {
  return new AppError('not_found', `No ${what} with id ${id} in this project.`, hint);
}
