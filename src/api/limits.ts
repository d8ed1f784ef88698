/** How hard the API pushes back on abuse. Every figure is per client IP and per process (each Lambda instance counts for itself). */
export interface RateLimitOptions {
  /** Requests per window per client (default 1200 a minute: paging through 100 000 orders takes 1000). */
  max?: number;
  timeWindowMs?: number;
  /** Wrong API keys per window per client before every keyed request of that client is refused (default 10). */
  failedKeyMax?: number;
  failedKeyWindowMs?: number;
}

export const DEFAULT_RATE_LIMIT = {
  max: 1200,
  timeWindowMs: 60_000,
  failedKeyMax: 10,
  failedKeyWindowMs: 15 * 60_000,
} as const satisfies Required<RateLimitOptions>;

/**
 * Executions RUNNING at once before a start is refused with 429. One account's runs share its Bitget rate
 * budget, so more at once only slow each other down; 3 leaves room for single-symbol runs beside a full one.
 */
export const DEFAULT_MAX_RUNNING_EXECUTIONS = 3;
/** What Retry-After says when the cap is reached: a run takes minutes, so asking again in a minute is enough. */
export const DEFAULT_RUNNING_RETRY_AFTER_SECONDS = 60;
/** Lifetime of the presigned URL in GET /orders/{executionArn}; a new one is signed on every read. */
export const DEFAULT_PRESIGN_SECONDS = 900;
/** An API key that is reachable off loopback must be at least this long (e.g. `openssl rand -hex 32`). */
export const MIN_API_KEY_LENGTH = 32;

export function resolveRateLimit(options: RateLimitOptions | undefined): Required<RateLimitOptions> {
  return { ...DEFAULT_RATE_LIMIT, ...options };
}
