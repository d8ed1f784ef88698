import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError, TooManyRequestsError } from './errors';
import { wantsPage } from './routes/web';

/** Constant-time comparison of a presented key with the configured one (hashes make the lengths equal). */
export function apiKeyMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The only route open without a key: the health check (load balancers). /docs needs the key like the rest. */
export function isPublicPath(url: string): boolean {
  return (url.split('?')[0] ?? '') === '/health';
}

/**
 * The web page's shell holds no data: a browser loads it (and its script and style sheet) without a key, and the
 * page then sends the key the person types with every request it makes.
 */
export function isPageShell(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const path = request.url.split('?')[0] ?? '';
  if (path === '/web/app.js' || path === '/web/app.css') return true;
  return path === '/' && wantsPage(request);
}

/** What @fastify/rate-limit's `createRateLimit` returns, as far as the key check uses it. */
export type FailedKeyLimiter = (
  request: FastifyRequest,
  options?: { increment?: boolean },
) => Promise<{ isAllowed: boolean; remaining?: number; ttlInSeconds?: number }>;

/**
 * Requires `x-api-key` on every route but /health. Each wrong key a client presents counts against
 * `failedKeys`; once a client has used up its allowance, its keyed requests are refused with 429 without the
 * key being compared (so a guess can no longer be told right from wrong) until the window ends.
 */
export function apiKeyGuard(expected: string, failedKeys: FailedKeyLimiter) {
  return async (request: FastifyRequest): Promise<void> => {
    if (isPublicPath(request.url) || isPageShell(request)) return;
    const presented = request.headers['x-api-key'];
    if (presented === undefined) {
      throw new HttpError(401, 'a valid x-api-key header is required', 'headers/x-api-key');
    }
    const failures = await failedKeys(request, { increment: false });
    if (!failures.isAllowed && failures.remaining === 0) throw tooManyFailures(failures.ttlInSeconds);
    if (apiKeyMatches(presented, expected)) return;
    await failedKeys(request);
    throw new HttpError(401, 'a valid x-api-key header is required', 'headers/x-api-key');
  };
}

function tooManyFailures(ttlInSeconds: number | undefined): TooManyRequestsError {
  const seconds = Math.max(1, ttlInSeconds ?? 1);
  return new TooManyRequestsError(
    `too many wrong API keys from this client: refused for ${seconds} s`,
    seconds,
  );
}
