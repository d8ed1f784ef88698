/**
 * Where each source of a run starts. A request may start streams (`market/kind`) at their own times
 * (`streamSince`, a sync's watermarks); a source starts at the earliest start of the streams it lists, so a
 * source that lists two streams (v3 strategy orders: TP/SL and trigger) misses neither.
 */
import type { UtaCategory } from '../bitget/endpoints';
import type { ExtractionRequest } from '../core/request';
import type { Kind, Market, ProductType } from '../core/order';
import { PRODUCT_TYPE_BY_MARKET } from '../core/order';
import type { SourceSpec } from './sources';

const MARKET_BY_PRODUCT_TYPE = Object.fromEntries(
  Object.entries(PRODUCT_TYPE_BY_MARKET).map(([market, productType]) => [productType, market]),
) as Record<ProductType, Market>;

/** The order streams (`market/kind`) a source lists; empty for a source that lists no orders. */
export function sourceStreams(source: SourceSpec, kinds: readonly Kind[]): string[] {
  const stream = (market: Market, kind: Kind) => `${market}/${kind}`;
  switch (source.endpoint) {
    case 'spotHistoryOrders':
      return [stream('spot', source.tpslType)];
    case 'spotPlanHistory':
      return [stream('spot', 'plan')];
    case 'futuresHistoryOrders':
      return [stream(MARKET_BY_PRODUCT_TYPE[source.productType], 'normal')];
    case 'futuresPlanHistory':
      return [
        stream(
          MARKET_BY_PRODUCT_TYPE[source.productType],
          source.planType === 'profit_loss' ? 'tpsl' : 'plan',
        ),
      ];
    case 'utaHistoryOrders':
      return [stream(utaMarket(source.category), 'normal')];
    case 'utaStrategyHistory': {
      const listed = (source.kinds ?? kinds).filter((k) => k === 'tpsl' || k === 'plan');
      return listed.map((k) => stream(utaMarket(source.category), k));
    }
    default:
      return [];
  }
}

function utaMarket(category: UtaCategory): Market {
  return category === 'SPOT' || category === 'MARGIN' ? 'spot' : MARKET_BY_PRODUCT_TYPE[category];
}

/**
 * The requested start of one stream: its own (`streamSince`), else the request's `since` (undefined: as far
 * back as Bitget serves).
 */
export function streamSince(request: ExtractionRequest, stream: string): number | undefined {
  return request.streamSince?.[stream] ?? request.since;
}

/** The requested start of a source: the earliest of its streams' (undefined when one of them has none). */
export function sourceSince(request: ExtractionRequest, source: SourceSpec): number | undefined {
  const starts = sourceStreams(source, request.kinds).map((s) => streamSince(request, s));
  if (starts.length === 0 || starts.includes(undefined)) return request.since;
  return Math.min(...(starts as number[]));
}
