import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of a presented key with the configured one (hashes make the lengths equal). */
export function apiKeyMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Routes open without a key: the health check (load balancers) and the OpenAPI documentation. */
export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/health' || path === '/docs' || path.startsWith('/docs/');
}
