/**
 * What every listing route shares: the route's context and result, the query parsers (times, ids, `limit`),
 * the served time window with its span and retention refusals, the account-mode guards and `productType`.
 * Order history, open orders, fills, the ledger and the tax records all page through these.
 */
import { DAY_MS, ENDPOINTS, retentionDaysOf, type EndpointId } from '../bitget/endpoints';
import { PRODUCT_TYPE_BY_MARKET, type FuturesMarket, type ProductType } from '../core/order';
import type { Account } from './generator';
import { ERRORS, paramEmpty, paramError, spanExceeded, type SimError } from './errors';
import type { AccountMode } from './types';

export interface RouteContext {
  account: Account;
  mode: AccountMode;
  now: number;
  query: URLSearchParams;
}

export type RouteResult =
  { ok: true; data: unknown; requestTimeAsString: boolean } | { ok: false; error: SimError };

export type Route = (ctx: RouteContext) => RouteResult;

export const ok = (data: unknown, requestTimeAsString = false): RouteResult => ({
  ok: true,
  data,
  requestTimeAsString,
});
export const fail = (error: SimError): RouteResult => ({ ok: false, error });
export const isError = (x: unknown): x is SimError =>
  typeof x === 'object' && x !== null && 'reason' in x && 'code' in x;

export function parseMs(q: URLSearchParams, name: string): number | undefined | SimError {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d{1,16}$/.test(raw) ? Number(raw) : paramError(name);
}

export function parseId(q: URLSearchParams, name: string): string | undefined | SimError {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d{1,25}$/.test(raw) ? raw : paramError(name);
}

/** `limit`: absent means `max`, larger values are clamped to `max`, anything but a positive integer is 40020. */
export function parseLimit(q: URLSearchParams, max: number): number | SimError {
  const raw = q.get('limit');
  if (raw === null || raw === '') return max;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) return paramError('limit');
  return Math.min(max, Number(raw));
}

export interface Window {
  start: number;
  end: number;
}

/**
 * The served window of endpoint `id`, or the refusal. A missing endTime is the clock, a missing startTime is
 * endTime minus the endpoint's span; nothing before the endpoint's retention start is served: a startTime
 * before it answers 40704 with `retention: 'reject'` (futures), 'clamp' serves less. A span wider than the
 * endpoint's answers 40705.
 */
export function timeWindow(
  ctx: RouteContext,
  id: EndpointId,
  retention: 'reject' | 'clamp',
): Window | SimError {
  const start = parseMs(ctx.query, 'startTime');
  if (isError(start)) return start;
  const end = parseMs(ctx.query, 'endTime');
  if (isError(end)) return end;
  const retentionDays = retentionDaysOf(id);
  const maxSpanDays = ENDPOINTS[id].maxSpanDays ?? retentionDays;
  const maxSpan = maxSpanDays * DAY_MS;
  const retentionStart = ctx.now - retentionDays * DAY_MS;
  const effectiveEnd = end ?? ctx.now;
  if (start !== undefined && start > effectiveEnd) return ERRORS.startAfterEnd;
  if (start !== undefined && start < retentionStart && retention === 'reject') return ERRORS.retention;
  if (start !== undefined && effectiveEnd - start > maxSpan) return spanExceeded(maxSpanDays);
  const effectiveStart = Math.max(retentionStart, start ?? effectiveEnd - maxSpan);
  return { start: effectiveStart, end: Math.min(effectiveEnd, ctx.now) };
}

export const classicOnly =
  (route: Route): Route =>
  (ctx) =>
    ctx.mode === 'uta' ? fail(ERRORS.utaOnV2) : route(ctx);
export const utaOnly =
  (route: Route): Route =>
  (ctx) =>
    ctx.mode === 'classic' ? fail(ERRORS.classicOnV3) : route(ctx);

const MARKET_BY_PRODUCT = Object.fromEntries(
  Object.entries(PRODUCT_TYPE_BY_MARKET).map(([market, pt]) => [pt, market]),
) as Record<ProductType, FuturesMarket>;

/** The required `productType` of a futures endpoint, as its market. */
export function productType(ctx: RouteContext): FuturesMarket | SimError {
  const raw = ctx.query.get('productType');
  if (!raw) return paramEmpty('productType');
  return MARKET_BY_PRODUCT[raw.toUpperCase() as ProductType] ?? paramError('productType');
}
