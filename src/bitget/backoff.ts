export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with "equal jitter": the ceiling doubles per retry (base, 2·base, 4·base … ≤ max) and
 * the delay is drawn from [ceiling/2, ceiling). Because each range starts where the previous one ended, the
 * delays grow strictly until the cap while two clients never retry in lock step.
 */
export function backoffDelay(retryNumber: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const half = ceiling / 2;
  return Math.round(half + half * Math.min(Math.max(random(), 0), 0.999999));
}
