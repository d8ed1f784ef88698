import { z } from 'zod';
import { DATASET_STREAMS } from '../bitget/datasetPages';
import type { DatasetEndpointId } from '../bitget/datasetSchemas';
import type { DatasetSource } from '../bitget/datasetSources';
import { datasetOf, datasetSourceSchema, describeDatasetSource } from '../bitget/datasetSources';
import { ENDPOINTS, FUTURES_PLAN_TYPES, UTA_CATEGORIES } from '../bitget/endpoints';
import type { DatasetName } from '../core/dataset';
import { KINDS } from '../core/order';
import type { EndpointId } from '../bitget/endpoints';
import type { RunRecord } from './records';

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

/** Any stream a lane can hold: an order stream, or a fills / ledger / tax-record stream. */
export const runSourceSchema = z.union([sourceSpecSchema, datasetSourceSchema]);
export type RunSource = SourceSpec | DatasetSource;

const ORDER_ENDPOINTS: ReadonlySet<string> = new Set<OrderEndpointId>(
  sourceSpecSchema.options.map((o) => o.shape.endpoint.value),
);

export function isOrderSource(source: RunSource): source is SourceSpec {
  return ORDER_ENDPOINTS.has(source.endpoint);
}

/** The data set an endpoint's rows belong to. */
export function datasetOfEndpoint(endpoint: EndpointId): DatasetName {
  return ORDER_ENDPOINTS.has(endpoint) ? 'orders' : datasetOf(endpoint as DatasetEndpointId);
}

/**
 * Endpoints paginated by row id (`idLessThan`): their cursors can be split by time and their rows filtered
 * by id. v3 endpoints use an opaque cursor, which is only ever passed back as received.
 */
export function isIdPaginated(endpoint: EndpointId): boolean {
  if (!ORDER_ENDPOINTS.has(endpoint)) return DATASET_STREAMS[endpoint as DatasetEndpointId].idPaginated;
  return endpoint !== 'utaHistoryOrders' && endpoint !== 'utaStrategyHistory';
}

/** The symbol a source is restricted to, if any (ledger sources are selected by coin, never by symbol). */
export function sourceSymbol(source: RunSource): string | undefined {
  return 'symbol' in source ? source.symbol : undefined;
}

/** Rows per page a cursor asks for: 100 for orders, each data-set endpoint's documented page size. */
export function pageLimitOf(endpoint: EndpointId): number {
  return ORDER_ENDPOINTS.has(endpoint) ? PAGE_LIMIT : ENDPOINTS[endpoint].maxLimit!;
}

export const PAGE_LIMIT = 100;

/** Whether a row of this source is one the run asked for (a source that lists several kinds may say which). */
export function sourceKeeps(source: RunSource, row: RunRecord): boolean {
  if (!isOrderSource(source) || !('kinds' in source) || source.kinds === undefined) return true;
  return 'kind' in row && source.kinds.includes(row.kind);
}

/** A short stable label for logs and cursor ids: `futuresPlanHistory:USDT-FUTURES:track_plan`. */
export function describeSource(s: RunSource): string {
  if (!isOrderSource(s)) return describeDatasetSource(s);
  const parts: string[] = [s.endpoint];
  if ('tpslType' in s) parts.push(s.tpslType);
  if ('productType' in s) parts.push(s.productType);
  if ('planType' in s) parts.push(s.planType);
  if ('category' in s) parts.push(s.category);
  if (s.symbol) parts.push(s.symbol);
  return parts.join(':');
}
