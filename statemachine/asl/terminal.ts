import type { AtMostOne, FailState, JsonPath, SucceedState } from './types';

export function succeed(opts: { outputPath?: JsonPath | null; comment?: string } = {}): SucceedState {
  return {
    Type: 'Succeed',
    Comment: opts.comment,
    OutputPath: opts.outputPath,
  };
}

type FailError = { error?: string; errorPath?: never } | { errorPath: JsonPath; error?: never };
type FailCause = { cause?: string; causePath?: never } | { causePath: JsonPath; cause?: never };

/** A Fail state; error and cause are each either fixed or read from the input. */
export function fail(opts: FailError & FailCause & { comment?: string }): FailState {
  const error: AtMostOne<{ Error: string; ErrorPath: JsonPath }> =
    opts.errorPath !== undefined
      ? { ErrorPath: opts.errorPath }
      : opts.error !== undefined
        ? { Error: opts.error }
        : {};
  const cause: AtMostOne<{ Cause: string; CausePath: JsonPath }> =
    opts.causePath !== undefined
      ? { CausePath: opts.causePath }
      : opts.cause !== undefined
        ? { Cause: opts.cause }
        : {};
  return {
    Type: 'Fail',
    Comment: opts.comment,
    ...error,
    ...cause,
  };
}
