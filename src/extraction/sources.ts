import { z } from 'zod';
import { FUTURES_PLAN_TYPES, UTA_CATEGORIES } from '../bitget/endpoints';
import { KINDS } from '../core/order';
import type { Kind } from '../core/order';
import type { EndpointId } from '../bitget/endpoints';

const productType = z.enum(['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES']);

/** One stream of orders Bitget serves: an endpoint with the parameters that select it. */
export const sourceSpecSchema = z.discriminatedUnion('endpoint', [
  z.strictObject({
    endpoint: z.literal('spotHistoryOrders'),
    tpslType: z.enum(['normal', 'tpsl']),
    symbol: z.string().optional(),
  }),
  z.strictObject({ endpoint: z.literal('spotPlanHistory'), symbol: z.string() }),
  z.strictObject({ endpoint: z.literal('futuresHistoryOrders'), productType, symbol: z.string().optional() }),
  z.strictObject({
    endpoint: z.literal('futuresPlanHistory'),
    productType,
    planType: z.enum(FUTURES_PLAN_TYPES),
    symbol: z.string().optional(),
  }),
  z.strictObject({
    endpoint: z.literal('utaHistoryOrders'),
    category: z.enum(UTA_CATEGORIES),
    symbol: z.string().optional(),
  }),
  z.strictObject({
    endpoint: z.literal('utaStrategyHistory'),
    category: z.enum(UTA_CATEGORIES),
    symbol: z.string().optional(),
    /** The kinds asked for, when not both: the endpoint lists TP/SL and trigger orders together. */
    kinds: z.array(z.enum(KINDS)).optional(),
  }),
]);
export type SourceSpec = z.infer<typeof sourceSpecSchema>;

export type OrderEndpointId = SourceSpec['endpoint'];

/**
 * Endpoints paginated by order id (`idLessThan`): their cursors can be split by time and their rows filtered
 * by id. v3 endpoints use an opaque cursor, which is only ever passed back as received.
 */
export function isIdPaginated(endpoint: EndpointId): boolean {
  return endpoint !== 'utaHistoryOrders' && endpoint !== 'utaStrategyHistory';
}

/** Whether a row of this source is one the run asked for (a source that lists several kinds may say which). */
export function sourceKeeps(source: SourceSpec, kind: Kind): boolean {
  return !('kinds' in source) || source.kinds === undefined || source.kinds.includes(kind);
}

/** A short stable label for logs and cursor ids: `futuresPlanHistory:USDT-FUTURES:track_plan`. */
export function describeSource(s: SourceSpec): string {
  const parts: string[] = [s.endpoint];
  if ('tpslType' in s) parts.push(s.tpslType);
  if ('productType' in s) parts.push(s.productType);
  if ('planType' in s) parts.push(s.planType);
  if ('category' in s) parts.push(s.category);
  if (s.symbol) parts.push(s.symbol);
  return parts.join(':');
}
