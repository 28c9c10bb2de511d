/**
 * The error every script-import function of this folder throws for input a person can fix.
 *
 * `message` says what was wrong with the file and what to do (it stands alone in a log line); `hint` repeats
 * only the "what to do" part, for a UI that shows it separately (it maps onto `AppError`'s `hint`).
 * The file name is NOT part of the message: callers prefix it (see src-main/core/scriptImport.ts).
 */
export class ScriptParseError extends Error {
  override readonly name = 'ScriptParseError';

  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Builds a ScriptParseError whose message is `problem` followed by `hint`. */
export function scriptError(problem: string, hint: string): ScriptParseError {
  return new ScriptParseError(`${problem} ${hint}`, hint);
}
