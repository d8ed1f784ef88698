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
