import type { ErrorCategory } from '../core/errors';
import { ERROR_CATEGORIES, RETRYABLE_CATEGORIES } from '../core/errors';
import type { ErrorInfo } from './runState';

export type FailureKind = 'retryable' | 'fatal' | 'symbol_missing' | 'retention_expired';

/**
 * Bitget's "Can only check the data of the last three months": the query started before the endpoint's retention
 * by the server's clock (ours and its disagree, or the boundary moved while the page was queued).
 */
export const RETENTION_REFUSED_CODE = '40704';

/**
 * How the extraction treats a failed page: retry later, skip a symbol that does not exist, move a query past
 * what the exchange no longer serves (`retention_expired`), or stop the run.
 */
export function classifyFailure(err: unknown): { kind: FailureKind; info: ErrorInfo } {
  const category = categoryOf(err);
  const code = (err as { code?: unknown } | null)?.code;
  const info: ErrorInfo = {
    category: category ?? 'unknown',
    ...(typeof code === 'string' ? { code } : {}),
    message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  };
  if (exchangeCodeOf(err) === RETENTION_REFUSED_CODE) return { kind: 'retention_expired', info };
  if (category === 'symbol_not_found') return { kind: 'symbol_missing', info };
  if (category && RETRYABLE_CATEGORIES.has(category)) return { kind: 'retryable', info };
  return { kind: 'fatal', info };
}

/** The exchange's code of a client error (`exchangeCode`), or an error's own string `code`. */
function exchangeCodeOf(err: unknown): string | undefined {
  const e = err as { exchangeCode?: unknown; code?: unknown } | null;
  if (e === null || typeof e !== 'object') return undefined;
  if (typeof e.exchangeCode === 'string') return e.exchangeCode;
  return typeof e.code === 'string' ? e.code : undefined;
}

function categoryOf(err: unknown): ErrorCategory | undefined {
  const c = (err as { category?: unknown } | null)?.category;
  return typeof c === 'string' && (ERROR_CATEGORIES as readonly string[]).includes(c)
    ? (c as ErrorCategory)
    : undefined;
}

/** The base of the extraction's errors. Each class keeps its own `name`: Step Functions' Retry/Catch match it. */
export class ExtractionError extends Error {
  override readonly name: string = 'ExtractionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
  }
}

/** A lane stopped on an error that retrying cannot fix (auth, permission, parameters, account mode…). */
export class ExtractionFatalError extends ExtractionError {
  override readonly name = 'ExtractionFatalError';
  constructor(
    message: string,
    readonly info: ErrorInfo,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The run could not fetch everything (a circuit breaker opened, a lane is unfinished): never reported done. */
export class ExtractionIncompleteError extends ExtractionError {
  override readonly name = 'ExtractionIncompleteError';
}

/** A stage's event does not have the shape the state machine sends. */
export class InvalidEventError extends ExtractionError {
  override readonly name = 'InvalidEventError';
}

/** The exchange answered a page with the token it was asked with: paginating on would never end. */
export class PaginationStalledError extends ExtractionError {
  override readonly name = 'PaginationStalledError';
}

/** A part is not sorted NDJSON with the fields the merge reads: never merged around. */
export class UnsortedPartError extends ExtractionError {
  override readonly name = 'UnsortedPartError';
}
