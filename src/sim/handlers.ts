/**
 * Endpoint handlers: validate the query as Bitget does, select orders, and build the `data` of the answer.
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
import { PRODUCT_TYPE_BY_MARKET, type FuturesMarket, type Market, type ProductType } from '../core/order';
import { contextOf, futuresPlanFacts } from './facts';
import { orderIdOf, type Account } from './generator';
import { ERRORS, paramEmpty, paramError, type SimError } from './errors';
import { rowFor, strategyTypeOf } from './rows';
import { findOrder, queryOrders, type OrderPage } from './store';
import { findStream, isFutures, STREAMS } from './streams';
import { listContracts, listSpotSymbols } from './symbols';
import type { AccountMode } from './types';
import { OPEN_ORDER_HANDLERS } from './openOrders';
import { allFinished, isFinished } from './visibility';

export interface HandlerContext {
  account: Account;
  mode: AccountMode;
  now: number;
  query: URLSearchParams;
}

export type HandlerResult =
  { ok: true; data: unknown; requestTimeAsString: boolean } | { ok: false; error: SimError };

type Handler = (ctx: HandlerContext) => HandlerResult;

const ok = (data: unknown, requestTimeAsString = false): HandlerResult => ({
  ok: true,
  data,
  requestTimeAsString,
});
const fail = (error: SimError): HandlerResult => ({ ok: false, error });
const isError = (x: unknown): x is SimError =>
  typeof x === 'object' && x !== null && 'reason' in x && 'code' in x;

const MARKET_BY_PRODUCT = Object.fromEntries(
  Object.entries(PRODUCT_TYPE_BY_MARKET).map(([market, pt]) => [pt, market]),
) as Record<ProductType, FuturesMarket>;

const MARKET_BY_CATEGORY: Record<string, Market | null> = {
  SPOT: 'spot',
  MARGIN: null,
  'USDT-FUTURES': 'usdt-futures',
  'USDC-FUTURES': 'usdc-futures',
  'COIN-FUTURES': 'coin-futures',
};

interface Window {
  start: number;
  end: number;
}

function parseMs(q: URLSearchParams, name: string): number | undefined | SimError {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d{1,16}$/.test(raw) ? Number(raw) : paramError(name);
}

/** The served window, or the refusal. `retention: 'reject'` answers 40704 (futures), 'clamp' serves less. */
function timeWindow(ctx: HandlerContext, id: EndpointId, retention: 'reject' | 'clamp'): Window | SimError {
  const start = parseMs(ctx.query, 'startTime');
  if (isError(start)) return start;
  const end = parseMs(ctx.query, 'endTime');
  if (isError(end)) return end;
  const maxSpanDays = ENDPOINTS[id].maxSpanDays ?? RETENTION_DAYS;
  const maxSpan = maxSpanDays * DAY_MS;
  const retentionStart = ctx.now - RETENTION_DAYS * DAY_MS;
  const effectiveEnd = end ?? ctx.now;
  if (start !== undefined && start > effectiveEnd) return ERRORS.startAfterEnd;
  if (start !== undefined && start < retentionStart && retention === 'reject') return ERRORS.retention;
  if (start !== undefined && effectiveEnd - start > maxSpan)
    return maxSpanDays < 90 ? ERRORS.span30 : ERRORS.span90;
  const effectiveStart = Math.max(retentionStart, start ?? effectiveEnd - maxSpan);
  return { start: effectiveStart, end: effectiveEnd };
}

function parseLimit(q: URLSearchParams, max: number): number | SimError {
  const raw = q.get('limit');
  if (raw === null || raw === '') return max;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) return paramError('limit');
  return Math.min(max, Number(raw));
}

function parseId(q: URLSearchParams, name: string): string | undefined | SimError {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d{1,25}$/.test(raw) ? raw : paramError(name);
}

/** Instrument code of `symbol` on `market`: undefined when absent, null when unknown (empty answer). */
function instrumentOf(ctx: HandlerContext, market: Market): number | undefined | null {
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

function list(ctx: HandlerContext, id: EndpointId, listing: Listing): OrderPage | SimError {
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

const rows = (ctx: HandlerContext, page: OrderPage): Record<string, unknown>[] =>
  page.rows.map((g) => rowFor(ctx.account, g, ctx.mode));

const lastId = (page: OrderPage, ctx: HandlerContext): string => {
  const g = page.rows[page.rows.length - 1];
  return g === undefined ? '' : orderIdOf(ctx.account, g);
};

function productType(ctx: HandlerContext): FuturesMarket | SimError {
  const raw = ctx.query.get('productType');
  if (!raw) return paramEmpty('productType');
  return MARKET_BY_PRODUCT[raw.toUpperCase() as ProductType] ?? paramError('productType');
}

const classicOnly =
  (handler: Handler): Handler =>
  (ctx) =>
    ctx.mode === 'uta' ? fail(ERRORS.utaOnV2) : handler(ctx);
const utaOnly =
  (handler: Handler): Handler =>
  (ctx) =>
    ctx.mode === 'classic' ? fail(ERRORS.classicOnV3) : handler(ctx);

const spotHistoryOrders: Handler = (ctx) => {
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

const spotPlanHistory: Handler = (ctx) => {
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

const futuresHistoryOrders: Handler = (ctx) => {
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

const futuresPlanHistory: Handler = (ctx) => {
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

function category(ctx: HandlerContext): Market | null | SimError {
  const raw = ctx.query.get('category');
  if (!raw) return paramEmpty('category');
  const upper = raw.toUpperCase();
  if (!(UTA_CATEGORIES as readonly string[]).includes(upper)) return paramError('category');
  return MARKET_BY_CATEGORY[upper] ?? null;
}

const utaSettings: Handler = (ctx) =>
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
  ctx: HandlerContext,
  id: EndpointId,
  market: Market | null,
  streams: (market: Market) => number[],
): HandlerResult {
  const page =
    market === null
      ? { rows: [], more: false }
      : list(ctx, id, { streams: streams(market), market, retention: 'clamp', cursorParam: 'cursor' });
  if (isError(page)) return fail(page);
  return ok({ list: rows(ctx, page), cursor: page.more ? lastId(page, ctx) : '' }, true);
}

const utaHistoryOrders: Handler = (ctx) => {
  const market = category(ctx);
  if (isError(market)) return fail(market);
  return utaListing(ctx, 'utaHistoryOrders', market, (m) => [findStream(m, 'normal').id]);
};

/**
 * Futures only, as documented (category USDT-FUTURES | COIN-FUTURES | USDC-FUTURES): SPOT, MARGIN and
 * unknown categories answer 40020, a missing one 40019.
 */
const utaStrategyHistory: Handler = (ctx) => {
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

const publicTime: Handler = (ctx) => ok({ serverTime: String(ctx.now) });

const spotSymbols: Handler = (ctx) =>
  ok(listSpotSymbols(ctx.account.catalog, ctx.query.get('symbol')?.toUpperCase() || undefined, ctx.now));

const futuresContracts: Handler = (ctx) => {
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
export const HANDLERS: Partial<Record<EndpointId, Handler>> = {
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
  ...OPEN_ORDER_HANDLERS,
};
