/**
 * The open-order endpoints and the account's identity.
 *
 * An order created by the clock that has not finished yet (visibility.ts) is served here, in its open state:
 * the final row with the status of a waiting order (`live`), nothing filled, no fee, `uTime` = `cTime`.
 * Open orders are not bound by the 90-day retention (a plan order placed long ago is still open); rows come
 * newest first, with the cursors of the history endpoint of the same family.
 */
import {
  DAY_MS,
  FUTURES_PLAN_TYPES,
  type FuturesPlanType,
  type OpenOrderEndpointId,
} from '../bitget/endpoints';
import type { Market } from '../core/order';
import { ERRORS, paramEmpty, paramError, type SimError } from './errors';
import { orderIdOf, type Account } from './generator';
import {
  classicOnly,
  fail,
  isError,
  ok,
  parseId,
  parseLimit,
  parseMs,
  productType,
  utaOnly,
  type Route,
  type RouteContext,
  type RouteResult,
} from './paging';
import { MAX_OPEN_MS } from './lifetime';
import { rowFor, strategyTypeOf, type Row } from './rows';
import { queryOrders, type OrderPage } from './store';
import { findStream, isFutures, STREAMS } from './streams';
import type { AccountMode } from './types';
import { isOpenAt } from './visibility';

/** Open orders were created at most this long before the clock (the longest hold plus the facts' delay). */
const OPEN_LOOKBACK_MS = MAX_OPEN_MS + 8 * DAY_MS;

/** The row of order g while it is still open. */
export function openRow(account: Account, g: number, mode: AccountMode): Row {
  const row = { ...rowFor(account, g, mode) };
  const cTime = String(account.cTime[g]);
  const def = STREAMS[account.stream[g] as number]!;
  if (mode === 'uta') {
    row['updatedTime'] = cTime;
    if (def.kind === 'normal') {
      Object.assign(row, {
        orderStatus: 'live',
        cumExecQty: '0',
        cumExecValue: '0',
        avgPrice: '0',
        feeDetail: [],
        cancelReason: '',
      });
    } else row['status'] = 'live';
    return row;
  }
  row['uTime'] = cTime;
  if (def.market === 'spot' && def.kind === 'plan') row['status'] = 'live';
  else if (def.market === 'spot') {
    Object.assign(row, { status: 'live', priceAvg: '0', baseVolume: '0', quoteVolume: '0', feeDetail: '' });
  } else if (def.kind === 'plan') {
    Object.assign(row, { planStatus: 'live', priceAvg: '0', baseVolume: '0', executeOrderId: '' });
  } else {
    Object.assign(row, {
      status: 'live',
      baseVolume: '0',
      fee: '0',
      priceAvg: '0',
      quoteVolume: '0',
      totalProfits: '0',
    });
  }
  return row;
}

interface OpenListing {
  streams: number[];
  market: Market | null;
  cursorParam: 'idLessThan' | 'cursor';
}

/** The open orders of `streams`, newest first, under the optional symbol, time window and cursor. */
function listOpen(ctx: RouteContext, listing: OpenListing): OrderPage | SimError {
  const start = parseMs(ctx.query, 'startTime');
  if (isError(start)) return start;
  const end = parseMs(ctx.query, 'endTime');
  if (isError(end)) return end;
  if (start !== undefined && end !== undefined && start > end) return ERRORS.startAfterEnd;
  const limit = parseLimit(ctx.query, 100);
  if (isError(limit)) return limit;
  const idLessThan = parseId(ctx.query, listing.cursorParam);
  if (isError(idLessThan)) return idLessThan;
  let instrument: number | undefined;
  const symbol = ctx.query.get('symbol');
  if (symbol) {
    const markets = listing.market
      ? [listing.market]
      : (['spot', 'usdt-futures', 'usdc-futures', 'coin-futures'] as const);
    const found = markets.map((m) => ctx.account.catalog.bySymbol[m].get(symbol.toUpperCase())).find(Boolean);
    if (!found) return { rows: [], more: false };
    instrument = found.code;
  }
  return queryOrders(ctx.account, {
    streams: listing.streams,
    startTime: Math.max(start ?? 0, ctx.now - OPEN_LOOKBACK_MS),
    endTime: Math.min(end ?? ctx.now, ctx.now),
    idLessThan,
    instrument,
    where: (g) => isOpenAt(ctx.account, ctx.mode, g, ctx.now),
    limit,
  });
}

const rowsOf = (ctx: RouteContext, page: OrderPage): Row[] =>
  page.rows.map((g) => openRow(ctx.account, g, ctx.mode));

const lastId = (ctx: RouteContext, page: OrderPage): string => {
  const g = page.rows[page.rows.length - 1];
  return g === undefined ? '' : orderIdOf(ctx.account, g);
};

const CATEGORY_MARKET: Record<string, Market> = {
  SPOT: 'spot',
  'USDT-FUTURES': 'usdt-futures',
  'USDC-FUTURES': 'usdc-futures',
  'COIN-FUTURES': 'coin-futures',
};

const spotUnfilledOrders: Route = (ctx) => {
  const tpslType = ctx.query.get('tpslType') || 'normal';
  if (tpslType !== 'normal' && tpslType !== 'tpsl') return fail(paramError('tpslType'));
  const page = listOpen(ctx, {
    streams: [findStream('spot', tpslType).id],
    market: 'spot',
    cursorParam: 'idLessThan',
  });
  return isError(page) ? fail(page) : ok(rowsOf(ctx, page));
};

const spotCurrentPlanOrders: Route = (ctx) => {
  if (!ctx.query.get('symbol')) return fail(paramEmpty('symbol'));
  const page = listOpen(ctx, {
    streams: [findStream('spot', 'plan').id],
    market: 'spot',
    cursorParam: 'idLessThan',
  });
  if (isError(page)) return fail(page);
  return ok({ nextFlag: page.more, idLessThan: lastId(ctx, page), orderList: rowsOf(ctx, page) });
};

const futuresPendingOrders: Route = (ctx) => {
  const market = productType(ctx);
  if (isError(market)) return fail(market);
  const page = listOpen(ctx, {
    streams: [findStream(market, 'normal').id],
    market,
    cursorParam: 'idLessThan',
  });
  if (isError(page)) return fail(page);
  return ok({ entrustedList: rowsOf(ctx, page), endId: lastId(ctx, page) }, true);
};

const futuresPlanPending: Route = (ctx) => {
  const planType = ctx.query.get('planType');
  if (!planType) return fail(paramEmpty('planType'));
  if (!FUTURES_PLAN_TYPES.includes(planType as FuturesPlanType)) return fail(paramError('planType'));
  const market = productType(ctx);
  if (isError(market)) return fail(market);
  const page = listOpen(ctx, {
    streams: [findStream(market, 'plan', planType as FuturesPlanType).id],
    market,
    cursorParam: 'idLessThan',
  });
  if (isError(page)) return fail(page);
  return ok({ entrustedList: rowsOf(ctx, page), endId: lastId(ctx, page) }, true);
};

function utaList(ctx: RouteContext, streams: number[], market: Market | null): RouteResult {
  const page = listOpen(ctx, { streams, market, cursorParam: 'cursor' });
  if (isError(page)) return fail(page);
  return ok({ list: rowsOf(ctx, page), cursor: page.more ? lastId(ctx, page) : '' }, true);
}

/** `category` optional: without it, every category's open orders. MARGIN holds none. */
const utaUnfilledOrders: Route = (ctx) => {
  const raw = ctx.query.get('category')?.toUpperCase();
  if (raw === 'MARGIN') return ok({ list: [], cursor: '' }, true);
  const market = raw ? CATEGORY_MARKET[raw] : null;
  if (raw && !market) return fail(paramError('category'));
  const streams = STREAMS.filter((s) => s.kind === 'normal' && (!market || s.market === market)).map(
    (s) => s.id,
  );
  return utaList(ctx, streams, market ?? null);
};

/** Futures only, as the history-strategy endpoint. */
const utaUnfilledStrategyOrders: Route = (ctx) => {
  const raw = ctx.query.get('category')?.toUpperCase();
  if (!raw) return fail(paramEmpty('category'));
  const market = CATEGORY_MARKET[raw];
  if (!market || !isFutures(market)) return fail(paramError('category'));
  const type = ctx.query.get('type');
  if (type && type !== 'tpsl' && type !== 'trigger') return fail(paramError('type'));
  const streams = STREAMS.filter(
    (s) =>
      s.market === market &&
      s.kind !== 'normal' &&
      (!type || strategyTypeOf(s.kind as 'tpsl' | 'plan', s.planType) === type),
  ).map((s) => s.id);
  return utaList(ctx, streams, market);
};

/** GET /api/v2/spot/account/info: the UID and what the key may do (a read-only key here). */
const spotAccountInfo: Route = (ctx) =>
  ok({
    userId: ctx.account.uid,
    inviterId: '',
    ips: '',
    authorities: ['sor', 'cor'],
    parentId: Number(ctx.account.uid),
    traderType: 'not_trader',
    channelCode: '',
    channel: '',
    regisTime: String(ctx.account.rangeStart - 30 * DAY_MS),
  });

/** GET /api/v3/account/info: the UID and the key's permission profile. */
const utaAccountInfo: Route = (ctx) =>
  ok(
    {
      userId: ctx.account.uid,
      inviterId: '',
      ips: '',
      parentId: ctx.account.uid,
      permType: 'readonly',
      regisTime: String(ctx.account.rangeStart - 30 * DAY_MS),
    },
    true,
  );

export const OPEN_ORDER_ROUTES: Record<OpenOrderEndpointId | 'spotAccountInfo' | 'utaAccountInfo', Route> = {
  spotUnfilledOrders: classicOnly(spotUnfilledOrders),
  spotCurrentPlanOrders: classicOnly(spotCurrentPlanOrders),
  futuresPendingOrders: classicOnly(futuresPendingOrders),
  futuresPlanPending: classicOnly(futuresPlanPending),
  utaUnfilledOrders: utaOnly(utaUnfilledOrders),
  utaUnfilledStrategyOrders: utaOnly(utaUnfilledStrategyOrders),
  spotAccountInfo: classicOnly(spotAccountInfo),
  utaAccountInfo: utaOnly(utaAccountInfo),
};
