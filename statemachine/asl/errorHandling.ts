import { InvalidStateError } from './errors';
import type { Catcher, JsonPath, Retrier } from './types';

export interface BackoffOptions {
  intervalSeconds: number;
  maxAttempts: number;
  /** Upper bound of one wait, whatever the backoff says. */
  maxDelaySeconds: number;
  /** Default 2. */
  backoffRate?: number;
  /** Default FULL: spreads retries of many parallel iterations over time. */
  jitter?: 'FULL' | 'NONE';
}

/** A Retrier with exponential backoff, capped, with full jitter unless told otherwise. */
export function exponentialRetry(errorEquals: readonly string[], opts: BackoffOptions): Retrier {
  if (errorEquals.length === 0) throw new InvalidStateError('a Retrier needs at least one error name');
  return {
    ErrorEquals: [...errorEquals],
    IntervalSeconds: opts.intervalSeconds,
    MaxAttempts: opts.maxAttempts,
    BackoffRate: opts.backoffRate ?? 2,
    MaxDelaySeconds: opts.maxDelaySeconds,
    JitterStrategy: opts.jitter ?? 'FULL',
  };
}

/** Catch every error, put `{Error, Cause}` at resultPath and go to next. */
export function catchAll(next: string, resultPath: JsonPath | null): Catcher {
  return { ErrorEquals: ['States.ALL'], Next: next, ResultPath: resultPath };
}
