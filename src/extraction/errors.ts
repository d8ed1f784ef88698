import type { ErrorCategory } from '../core/errors';
import { ERROR_CATEGORIES, RETRYABLE_CATEGORIES } from '../core/errors';
import type { ErrorInfo } from './state';

export type FailureKind = 'retryable' | 'fatal' | 'symbol_missing';

/** How the extraction treats a failed page: retry later, skip a symbol that does not exist, or stop the run. */
export function classifyFailure(err: unknown): { kind: FailureKind; info: ErrorInfo } {
  const category = categoryOf(err);
  const code = (err as { code?: unknown } | null)?.code;
  const info: ErrorInfo = {
    category: category ?? 'unknown',
    ...(typeof code === 'string' ? { code } : {}),
    message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  };
  if (category === 'symbol_not_found') return { kind: 'symbol_missing', info };
  if (category && RETRYABLE_CATEGORIES.has(category)) return { kind: 'retryable', info };
  return { kind: 'fatal', info };
}

function categoryOf(err: unknown): ErrorCategory | undefined {
  const c = (err as { category?: unknown } | null)?.category;
  return typeof c === 'string' && (ERROR_CATEGORIES as readonly string[]).includes(c)
    ? (c as ErrorCategory)
    : undefined;
}

/** A lane stopped on an error that retrying cannot fix (auth, permission, parameters, account mode…). */
export class ExtractionFatalError extends Error {
  override readonly name = 'ExtractionFatalError';
  constructor(
    message: string,
    readonly info: ErrorInfo,
  ) {
    super(message);
  }
}
