/**
 * Open orders from the open-order endpoints, normalised as the history endpoints of the same family: spot
 * unfilled orders (normal, TP/SL) and current plan orders (one query per listed spot symbol, as their
 * history), futures pending orders and pending plan orders (per product type and plan type), v3 unfilled
 * orders and unfilled strategy orders. The queries run at once, each paginated to its end under the client's
 * rate limiters.
 */
import type { BitgetClient, Page } from '../bitget/BitgetClient';
import { FUTURES_PLAN_TYPES, type UtaCategory } from '../bitget/endpoints';
import { normaliseOrder, type OrderSource } from '../bitget/normalise';
import type { CanonicalOrder, FuturesMarket, Kind, Market } from '../core/order';
import { PRODUCT_TYPE_BY_MARKET } from '../core/order';

export interface OpenOrdersScope {
  mode: 'classic' | 'uta';
  markets: readonly Market[];
  kinds: readonly Kind[];
  /**
   * The streams (`market/kind`) whose open-order endpoints are asked; all of them when absent. A spot plan
   * stream left out is still asked for `planSymbols` (the symbols of its orders last seen open).
   */
  due?: ReadonlySet<string>;
  planSymbols?: readonly string[];
  /** The spot symbols Bitget lists, when the caller asked them already; asked here otherwise. */
  listedSpotSymbols?: readonly string[];
}

const PAGE = 100;
/** A cursor that does not move would loop forever: refuse it after this many pages of one query. */
const MAX_PAGES = 10_000;

async function drain<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
  source: OrderSource,
  into: CanonicalOrder[],
): Promise<void> {
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await fetch(cursor);
    for (const row of page.rows) into.push(normaliseOrder(source, row));
    if (page.next === null || page.rows.length === 0) return;
    if (page.next === cursor)
      throw new Error(`${source.endpoint} open orders: the cursor did not move (${cursor})`);
    cursor = page.next;
  }
  throw new Error(`${source.endpoint} open orders: more than ${MAX_PAGES} pages`);
}

export async function fetchOpenOrders(
  client: BitgetClient,
  scope: OpenOrdersScope,
): Promise<CanonicalOrder[]> {
  const queries: ((into: CanonicalOrder[]) => Promise<void>)[] = [];
  const futures = scope.markets.filter((m): m is FuturesMarket => m !== 'spot');
  const due = (market: Market, kind: Kind) =>
    scope.kinds.includes(kind) && (scope.due === undefined || scope.due.has(`${market}/${kind}`));
  if (scope.mode === 'uta') {
    const categories: UtaCategory[] = [
      ...(scope.markets.includes('spot') && due('spot', 'normal') ? (['SPOT'] as const) : []),
      ...futures.filter((m) => due(m, 'normal')).map((m) => PRODUCT_TYPE_BY_MARKET[m]),
    ];
    for (const category of categories)
      queries.push((into) =>
        drain(
          (cursor) => client.getUtaUnfilledOrders({ category, limit: PAGE, ...(cursor ? { cursor } : {}) }),
          { endpoint: 'utaHistoryOrders', category },
          into,
        ),
      );
    for (const m of futures)
      if (due(m, 'tpsl') || due(m, 'plan')) {
        const category = PRODUCT_TYPE_BY_MARKET[m];
        queries.push((into) =>
          drain(
            (cursor) =>
              client.getUtaUnfilledStrategyOrders({ category, limit: PAGE, ...(cursor ? { cursor } : {}) }),
            { endpoint: 'utaStrategyHistory', category },
            into,
          ),
        );
      }
    return runAll(queries);
  }
  if (scope.markets.includes('spot')) {
    for (const tpslType of ['normal', 'tpsl'] as const)
      if (due('spot', tpslType))
        queries.push((into) =>
          drain(
            (idLessThan) =>
              client.getSpotUnfilledOrders({ tpslType, limit: PAGE, ...(idLessThan ? { idLessThan } : {}) }),
            { endpoint: 'spotHistoryOrders', tpslType },
            into,
          ),
        );
    if (scope.kinds.includes('plan')) {
      // every listed symbol when the stream is due; otherwise those of its orders last seen open that Bitget
      // still lists (a delisted one is asked for in history, fetchUnlistedPlanOrders)
      const wanted = due('spot', 'plan')
        ? null
        : new Set((scope.planSymbols ?? []).map((s) => s.toUpperCase()));
      const listed =
        wanted?.size === 0
          ? []
          : [
              ...new Set(
                (scope.listedSpotSymbols ?? (await client.getSpotSymbols()).map((s) => s.symbol)).map((s) =>
                  s.toUpperCase(),
                ),
              ),
            ].sort();
      const symbols = wanted ? listed.filter((s) => wanted.has(s)) : listed;
      for (const symbol of symbols)
        queries.push((into) =>
          drain(
            (idLessThan) =>
              client.getSpotCurrentPlanOrders({ symbol, limit: PAGE, ...(idLessThan ? { idLessThan } : {}) }),
            { endpoint: 'spotPlanHistory' },
            into,
          ),
        );
    }
  }
  for (const m of futures) {
    const productType = PRODUCT_TYPE_BY_MARKET[m];
    if (due(m, 'normal'))
      queries.push((into) =>
        drain(
          (idLessThan) =>
            client.getFuturesPendingOrders({
              productType,
              limit: PAGE,
              ...(idLessThan ? { idLessThan } : {}),
            }),
          { endpoint: 'futuresHistoryOrders', productType },
          into,
        ),
      );
    for (const planType of FUTURES_PLAN_TYPES)
      if (due(m, planType === 'profit_loss' ? 'tpsl' : 'plan'))
        queries.push((into) =>
          drain(
            (idLessThan) =>
              client.getFuturesPlanPending({
                productType,
                planType,
                limit: PAGE,
                ...(idLessThan ? { idLessThan } : {}),
              }),
            { endpoint: 'futuresPlanHistory', productType, planType },
            into,
          ),
        );
  }
  return runAll(queries);
}

/**
 * Runs the queries at once — the client's limiters space them per endpoint, so a query per listed symbol costs
 * the endpoint's rate, not a round trip each — and returns their orders in the order the queries were listed.
 * Every query ends (settles) before a failure is thrown: none is left in flight.
 */
async function runAll(queries: ((into: CanonicalOrder[]) => Promise<void>)[]): Promise<CanonicalOrder[]> {
  const outs = queries.map((): CanonicalOrder[] => []);
  const settled = await Promise.allSettled(queries.map((query, i) => query(outs[i]!)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return outs.flat();
}

/**
 * Spot plan orders last seen open whose symbol Bitget no longer lists (a delisting cancels them): the run asks
 * spot plan history only for listed (or rediscovered) symbols, so their final state is asked for here, per
 * symbol, from the oldest one's creation time.
 */
export async function fetchUnlistedPlanOrders(
  client: Pick<BitgetClient, 'getSpotSymbols' | 'getSpotPlanHistory'>,
  pending: readonly { symbol: string; cTime: number }[],
  range: { from: number; to: number },
  /** The spot symbols Bitget lists, when the caller asked them already; asked here otherwise. */
  listedSpotSymbols?: readonly string[],
): Promise<CanonicalOrder[]> {
  if (pending.length === 0) return [];
  const listed = new Set(
    (listedSpotSymbols ?? (await client.getSpotSymbols()).map((s) => s.symbol)).map((s) => s.toUpperCase()),
  );
  const since = new Map<string, number>();
  for (const p of pending) {
    const symbol = p.symbol.toUpperCase();
    if (listed.has(symbol)) continue;
    since.set(symbol, Math.min(since.get(symbol) ?? Infinity, Math.max(p.cTime, range.from)));
  }
  const out: CanonicalOrder[] = [];
  for (const [symbol, startTime] of [...since].sort(([a], [b]) => (a < b ? -1 : 1)))
    await drain(
      (idLessThan) =>
        client.getSpotPlanHistory({
          symbol,
          startTime,
          endTime: range.to,
          limit: PAGE,
          ...(idLessThan ? { idLessThan } : {}),
        }),
      { endpoint: 'spotPlanHistory' },
      out,
    );
  return out;
}
