/**
 * The routes: per endpoint, validate the query as Bitget does, select what it lists, and build the `data` of
 * the answer. This file holds the order-history routes and the table of every route (open orders, fills, the
 * ledger and the tax records live in their own files).
 *
 * Time filter: startTime <= cTime <= endTime (both inclusive). A missing endTime is "now"; a missing
 * startTime is endTime minus the endpoint's largest span, never before the retention start. Orders older
 * than RETENTION_DAYS are never served. Pagination is newest first; idLessThan / cursor keep orderId < value
 * (decimal comparison) and combine with the time window.
 */
import {
  DAY_MS,
  ENDPOINTS,
  RETENTION_DAYS,
  UTA_CATEGORIES,
  FUTURES_PLAN_TYPES,
  type EndpointId,
  type FuturesPlanType,
} from '../bitget/endpoints';
import { PRODUCT_TYPE_BY_MARKET, type Market } from '../core/order';
import { ACTIVITY_ROUTES } from './activityRoutes';
import { contextOf, futuresPlanFacts } from './facts';
import { orderIdOf } from './generator';
import { paramEmpty, paramError, type SimError } from './errors';
import { OPEN_ORDER_ROUTES } from './openOrders';
import {
  classicOnly,
  fail,
  isError,
  ok,
  parseId,
  parseLimit,
  productType,
  timeWindow,
  utaOnly,
  type Route,
  type RouteContext,
  type RouteResult,
} from './paging';
import { rowFor, strategyTypeOf } from './rows';
import { findOrder, queryOrders, type OrderPage } from './store';
import { findStream, isFutures, STREAMS } from './streams';
import { listContracts, listSpotSymbols } from './symbols';
import { allFinished, isFinished } from './visibility';

const MARKET_BY_CATEGORY: Record<string, Market | null> = {
  SPOT: 'spot',
  MARGIN: null,
  'USDT-FUTURES': 'usdt-futures',
  'USDC-FUTURES': 'usdc-futures',
  'COIN-FUTURES': 'coin-futures',
};

/** Instrument code of `symbol` on `market`: undefined when absent, null when unknown (empty answer). */
function instrumentOf(ctx: RouteContext, market: Market): number | undefined | null {
  const raw = ctx.query.get('symbol');
  if (!raw) return undefined;
  return ctx.account.catalog.bySymbol[market].get(raw.toUpperCase())?.code ?? null;
}

interface Listing {
  streams: number[];
  market: Market;
  retention: 'reject' | 'clamp';
  where?: (g: number) => boolean;
  /** Parameter used as the cursor. */
  cursorParam: 'idLessThan' | 'cursor';
}

function list(ctx: RouteContext, id: EndpointId, listing: Listing): OrderPage | SimError {
  const window = timeWindow(ctx, id, listing.retention);
  if (isError(window)) return window;
  const limit = parseLimit(ctx.query, ENDPOINTS[id].maxLimit ?? 100);
  if (isError(limit)) return limit;
  const idLessThan = parseId(ctx.query, listing.cursorParam);
  if (isError(idLessThan)) return idLessThan;
  const orderId = parseId(ctx.query, 'orderId');
  if (isError(orderId)) return orderId;
  const instrument = instrumentOf(ctx, listing.market);
  if (instrument === null) return { rows: [], more: false };
  // The clock: nothing created after it exists yet, and an order is listed once it has finished.
  const visible = allFinished(ctx.account, ctx.now)
    ? listing.where
    : (g: number) => isFinished(ctx.account, ctx.mode, g, ctx.now) && (!listing.where || listing.where(g));
  if (orderId !== undefined) {
    const g = findOrder(ctx.account, orderId);
    const retained =
      g >= 0 &&
      (ctx.account.cTime[g] as number) >= ctx.now - RETENTION_DAYS * DAY_MS &&
      (!visible || visible(g));
    const matches =
      retained &&
      listing.streams.includes(ctx.account.stream[g] as number) &&
      (instrument === undefined || ctx.account.instrument[g] === instrument);
    return { rows: matches ? [g] : [], more: false };
  }
  return queryOrders(ctx.account, {
    streams: listing.streams,
    startTime: window.start,
    endTime: Math.min(window.end, ctx.now),
    idLessThan,
    instrument,
    where: visible,
    limit,
  });
}

const rows = (ctx: RouteContext, page: OrderPage): Record<string, unknown>[] =>
  page.rows.map((g) => rowFor(ctx.account, g, ctx.mode));

const lastId = (page: OrderPage, ctx: RouteContext): string => {
  const g = page.rows[page.rows.length - 1];
  return g === undefined ? '' : orderIdOf(ctx.account, g);
};

const spotHistoryOrders: Route = (ctx) => {
  const tpslType = ctx.query.get('tpslType') || 'normal';
  if (tpslType !== 'normal' && tpslType !== 'tpsl') return fail(paramError('tpslType'));
  const page = list(ctx, 'spotHistoryOrders', {
    streams: [findStream('spot', tpslType).id],
    market: 'spot',
    retention: 'clamp',
    cursorParam: 'idLessThan',
  });
  return isError(page) ? fail(page) : ok(rows(ctx, page));
};

const spotPlanHistory: Route = (ctx) => {
  for (const name of ['symbol', 'startTime', 'endTime'])
    if (!ctx.query.get(name)) return fail(paramEmpty(name));
  const page = list(ctx, 'spotPlanHistory', {
    streams: [findStream('spot', 'plan').id],
    market: 'spot',
    retention: 'clamp',
    cursorParam: 'idLessThan',
  });
  if (isError(page)) return fail(page);
  return ok({ nextFlag: page.more, idLessThan: lastId(page, ctx), orderList: rows(ctx, page) });
};

const futuresHistoryOrders: Route = (ctx) => {
  const market = productType(ctx);
  if (isError(market)) return fail(market);
  const page = list(ctx, 'futuresHistoryOrders', {
    streams: [findStream(market, 'normal').id],
    market,
    retention: 'reject',
    cursorParam: 'idLessThan',
  });
  if (isError(page)) return fail(page);
  return ok({ entrustedList: rows(ctx, page), endId: lastId(page, ctx) }, true);
};

const futuresPlanHistory: Route = (ctx) => {
  const planType = ctx.query.get('planType');
  if (!planType) return fail(paramEmpty('planType'));
  if (!FUTURES_PLAN_TYPES.includes(planType as FuturesPlanType)) return fail(paramError('planType'));
  const market = productType(ctx);
  if (isError(market)) return fail(market);
  const planStatus = ctx.query.get('planStatus');
  if (planStatus && !['executed', 'fail_execute', 'cancelled'].includes(planStatus)) {
    return fail(paramError('planStatus'));
  }
  const page = list(ctx, 'futuresPlanHistory', {
    streams: [findStream(market, 'plan', planType as FuturesPlanType).id],
    market,
    retention: 'reject',
    cursorParam: 'idLessThan',
    where: planStatus
      ? (g) => futuresPlanFacts(ctx.account, contextOf(ctx.account, g)).status === planStatus
      : undefined,
  });
  if (isError(page)) return fail(page);
  return ok({ entrustedList: rows(ctx, page), endId: lastId(page, ctx) }, true);
};

function category(ctx: RouteContext): Market | null | SimError {
  const raw = ctx.query.get('category');
  if (!raw) return paramEmpty('category');
  const upper = raw.toUpperCase();
  if (!(UTA_CATEGORIES as readonly string[]).includes(upper)) return paramError('category');
  return MARKET_BY_CATEGORY[upper] ?? null;
}

const utaSettings: Route = (ctx) =>
  ok(
    {
      assetMode: 'union',
      holdMode: ctx.account.hedgeSince['usdt-futures'] <= ctx.now ? 'hedge_mode' : 'one_way_mode',
      stpMode: 'none',
      symbolConfig: [],
      coinConfig: [],
    },
    true,
  );

function utaListing(
  ctx: RouteContext,
  id: EndpointId,
  market: Market | null,
  streams: (market: Market) => number[],
): RouteResult {
  const page =
    market === null
      ? { rows: [], more: false }
      : list(ctx, id, { streams: streams(market), market, retention: 'clamp', cursorParam: 'cursor' });
  if (isError(page)) return fail(page);
  return ok({ list: rows(ctx, page), cursor: page.more ? lastId(page, ctx) : '' }, true);
}

const utaHistoryOrders: Route = (ctx) => {
  const market = category(ctx);
  if (isError(market)) return fail(market);
  return utaListing(ctx, 'utaHistoryOrders', market, (m) => [findStream(m, 'normal').id]);
};

/**
 * Futures only, as documented (category USDT-FUTURES | COIN-FUTURES | USDC-FUTURES): SPOT, MARGIN and
 * unknown categories answer 40020, a missing one 40019.
 */
const utaStrategyHistory: Route = (ctx) => {
  const market = category(ctx);
  if (isError(market)) return fail(market);
  if (market === null || !isFutures(market)) return fail(paramError('category'));
  const type = ctx.query.get('type');
  if (type && type !== 'tpsl' && type !== 'trigger') return fail(paramError('type'));
  return utaListing(ctx, 'utaStrategyHistory', market, (m) =>
    STREAMS.filter(
      (s) =>
        s.market === m &&
        s.kind !== 'normal' &&
        (!type || strategyTypeOf(s.kind as 'tpsl' | 'plan', s.planType) === type),
    ).map((s) => s.id),
  );
};

const publicTime: Route = (ctx) => ok({ serverTime: String(ctx.now) });

const spotSymbols: Route = (ctx) =>
  ok(listSpotSymbols(ctx.account.catalog, ctx.query.get('symbol')?.toUpperCase() || undefined, ctx.now));

const futuresContracts: Route = (ctx) => {
  const market = productType(ctx);
  if (isError(market)) return fail(market);
  return ok(
    listContracts(
      ctx.account.catalog,
      PRODUCT_TYPE_BY_MARKET[market],
      ctx.query.get('symbol')?.toUpperCase() || undefined,
    ),
    true,
  );
};

/** What the simulator serves, per endpoint; an endpoint without an entry answers as an unknown path. */
export const ROUTES: Partial<Record<EndpointId, Route>> = {
  publicTime,
  spotSymbols,
  futuresContracts,
  spotHistoryOrders: classicOnly(spotHistoryOrders),
  spotPlanHistory: classicOnly(spotPlanHistory),
  futuresHistoryOrders: classicOnly(futuresHistoryOrders),
  futuresPlanHistory: classicOnly(futuresPlanHistory),
  utaSettings: utaOnly(utaSettings),
  utaHistoryOrders: utaOnly(utaHistoryOrders),
  utaStrategyHistory: utaOnly(utaStrategyHistory),
  ...OPEN_ORDER_ROUTES,
  ...ACTIVITY_ROUTES,
};
