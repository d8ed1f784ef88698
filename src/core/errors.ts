/** Error categories counted in the summary and used to decide retry vs fail-fast (DESIGN.md). */
export const ERROR_CATEGORIES = [
  'auth',
  'permission',
  'rate_limit',
  'symbol_not_found',
  'param',
  'server',
  'network',
  'timeout',
  'uta_mode',
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** Categories worth retrying with backoff; the others fail fast. */
export const RETRYABLE_CATEGORIES: ReadonlySet<ErrorCategory> = new Set([
  'rate_limit',
  'server',
  'network',
  'timeout',
]);

export type ErrorCounts = Partial<Record<ErrorCategory, number>>;

/** The base of the errors the core contracts define; `cause` keeps the error that led to it. */
export class CoreError extends Error {
  override readonly name: string = 'CoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An extraction request that breaks its contract; `issues` names each bad field and rule. */
export class InvalidRequestError extends CoreError {
  override readonly name = 'InvalidRequestError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The engine knows no such execution (Step Functions' ExecutionDoesNotExist, or an execution the local engine
 * never ran). Both engines throw this one class, so the API answers 404 on `instanceof`.
 */
export class ExecutionNotFoundError extends CoreError {
  override readonly name = 'ExecutionNotFoundError';
  constructor(
    readonly executionArn: string,
    options?: { cause?: unknown },
  ) {
    super(`execution ${executionArn} does not exist`, options);
  }
}

/** A run name that is not a run id (both engines refuse it before starting anything). */
export class InvalidExecutionNameError extends CoreError {
  override readonly name = 'InvalidExecutionNameError';
}
