/**
 * The fills, ledger and tax-record routes. Each endpoint: its span and `limit` from ENDPOINTS, its retention
 * (retentionDaysOf: 90 days for fills and bills, 730 for v2 tax records, 366 for v3), newest first, the cursor
 * (`idLessThan` = a tradeId / billId / id, `cursor` on v3) keeping ids below it, and the clock (a fill and its
 * trade entries are listed once their order has finished; nothing after the clock exists yet).
 */
import { ENDPOINTS, UTA_CATEGORIES, UTA_TAX_BIZ_TYPES, type EndpointId } from '../bitget/endpoints';
import type { Market } from '../core/order';
import { activityOf, type Activity, type SimEvent, type SimFill } from './activity';
import {
  financialRecordRow,
  futuresBillRow,
  futuresFillRow,
  futuresWord,
  futureTaxRow,
  spotBillRow,
  spotFillRow,
  spotTaxRow,
  spotTaxWord,
  spotWord,
  utaFillRow,
  utaTaxRow,
  utaWord,
} from './activityRows';
import { paramEmpty, paramError, type SimError } from './errors';
import {
  classicOnly,
  fail,
  isError,
  ok,
  parseId,
  parseLimit,
  parseMs,
  productType,
  timeWindow,
  utaOnly,
  type Route,
  type RouteContext,
} from './paging';

interface Page {
  items: number[];
  more: boolean;
}

interface Selection {
  /** Ascending indices into the fills or events. */
  list: Uint32Array | undefined;
  time: (i: number) => number;
  id: (i: number) => string;
  visibleAt: (i: number) => number;
  where?: (i: number) => boolean;
}

function lowerBound(n: number, below: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (below(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Newest first within the window, ids below the cursor, visible at the clock; `more` when a next page exists. */
function select(
  ctx: RouteContext,
  endpoint: EndpointId,
  retention: 'reject' | 'clamp',
  cursorParam: 'idLessThan' | 'cursor',
  s: Selection,
): Page | SimError {
  const window = timeWindow(ctx, endpoint, retention);
  if (isError(window)) return window;
  const limit = parseLimit(ctx.query, ENDPOINTS[endpoint].maxLimit ?? 100);
  if (isError(limit)) return limit;
  const cursor = parseId(ctx.query, cursorParam);
  if (isError(cursor)) return cursor;
  const list = s.list;
  if (!list || window.end < window.start) return { items: [], more: false };
  const lo = lowerBound(list.length, (k) => s.time(list[k]!) < window.start);
  let hi = lowerBound(list.length, (k) => s.time(list[k]!) <= window.end);
  if (cursor !== undefined) {
    const bound = BigInt(cursor);
    hi = Math.min(
      hi,
      lowerBound(list.length, (k) => BigInt(s.id(list[k]!)) < bound),
    );
  }
  const items: number[] = [];
  for (let k = hi - 1; k >= lo; k--) {
    const i = list[k]!;
    if (s.visibleAt(i) > ctx.now || (s.where && !s.where(i))) continue;
    if (items.length === limit) return { items, more: true };
    items.push(i);
  }
  return { items, more: false };
}

const fillSelection = (
  a: Activity,
  list: Uint32Array | undefined,
  where?: (f: SimFill) => boolean,
): Selection => ({
  list,
  time: (i) => a.fills[i]!.cTime,
  id: (i) => a.fills[i]!.tradeId,
  visibleAt: (i) => a.fills[i]!.visibleAt,
  where: where && ((i) => where(a.fills[i]!)),
});

const eventSelection = (
  a: Activity,
  list: Uint32Array | undefined,
  id: (e: SimEvent) => string,
  where?: (e: SimEvent) => boolean,
): Selection => ({
  list,
  time: (i) => a.events[i]!.cTime,
  id: (i) => id(a.events[i]!),
  visibleAt: (i) => a.events[i]!.visibleAt,
  where: where && ((i) => where(a.events[i]!)),
});

const upper = (ctx: RouteContext, name: string): string | undefined =>
  ctx.query.get(name)?.toUpperCase() || undefined;

/** Fills of `market` under the optional `symbol` and `orderId`. */
function fillFilter(ctx: RouteContext): ((f: SimFill) => boolean) | SimError {
  const symbol = upper(ctx, 'symbol');
  const orderId = parseId(ctx.query, 'orderId');
  if (isError(orderId)) return orderId;
  return (f) => (!symbol || f.inst.symbol === symbol) && (!orderId || f.orderId === orderId);
}

const fillOf = (a: Activity, e: SimEvent): SimFill | undefined => (e.fill >= 0 ? a.fills[e.fill] : undefined);
const lastOf = (items: number[], id: (i: number) => string): string =>
  items.length ? id(items[items.length - 1]!) : '';

const spotFills: Route = (ctx) => {
  const a = activityOf(ctx.account, ctx.mode);
  const where = fillFilter(ctx);
  if (isError(where)) return fail(where);
  const page = select(
    ctx,
    'spotFills',
    'clamp',
    'idLessThan',
    fillSelection(a, a.fillsBy.get('spot'), where),
  );
  if (isError(page)) return fail(page);
  // requestTime is a string in the recorded answer (recorded/spot-fills.json).
  return ok(
    page.items.map((i) => spotFillRow(ctx.account, a.fills[i]!)),
    true,
  );
};

const futuresFills: Route = (ctx) => {
  const market = productType(ctx);
  if (isError(market)) return fail(market);
  const a = activityOf(ctx.account, ctx.mode);
  const where = fillFilter(ctx);
  if (isError(where)) return fail(where);
  const page = select(
    ctx,
    'futuresFills',
    'reject',
    'idLessThan',
    fillSelection(a, a.fillsBy.get(market), where),
  );
  if (isError(page)) return fail(page);
  const fillList = page.items.map((i) => futuresFillRow(a.fills[i]!));
  return ok({ fillList, endId: lastOf(page.items, (i) => a.fills[i]!.tradeId) }, true);
};

const CATEGORY_MARKET: Record<string, Market | null> = {
  SPOT: 'spot',
  MARGIN: null,
  'USDT-FUTURES': 'usdt-futures',
  'USDC-FUTURES': 'usdc-futures',
  'COIN-FUTURES': 'coin-futures',
};

function requiredOneOf(ctx: RouteContext, name: string, allowed: readonly string[]): string | SimError {
  const raw = upper(ctx, name);
  if (!raw) return paramEmpty(name);
  return allowed.includes(raw) ? raw : paramError(name);
}

const utaFills: Route = (ctx) => {
  const category = requiredOneOf(ctx, 'category', UTA_CATEGORIES);
  if (isError(category)) return fail(category);
  const a = activityOf(ctx.account, ctx.mode);
  const where = fillFilter(ctx);
  if (isError(where)) return fail(where);
  const market = CATEGORY_MARKET[category];
  const list = market ? a.fillsBy.get(market) : undefined;
  const page = select(ctx, 'utaFills', 'clamp', 'cursor', fillSelection(a, list, where));
  if (isError(page)) return fail(page);
  return ok(
    {
      list: page.items.map((i) => utaFillRow(a.fills[i]!)),
      cursor: page.more ? lastOf(page.items, (i) => a.fills[i]!.tradeId) : '',
    },
    true,
  );
};

/** `coin` and the exchange-word filter (`businessType`, `type`, …) every ledger endpoint takes. */
function eventFilter(
  ctx: RouteContext,
  wordParam: string,
  word: (e: SimEvent) => string,
  extra?: (e: SimEvent) => boolean,
): (e: SimEvent) => boolean {
  const coin = upper(ctx, 'coin');
  const wanted = ctx.query.get(wordParam) || undefined;
  return (e) =>
    (!coin || e.coin === coin) &&
    (!wanted || word(e).toLowerCase() === wanted.toLowerCase()) &&
    (!extra || extra(e));
}

const byBill = (e: SimEvent): string => e.billId;
const byTax = (e: SimEvent): string => e.taxId;

const spotBills: Route = (ctx) => {
  const a = activityOf(ctx.account, ctx.mode);
  const groupType = ctx.query.get('groupType') || undefined;
  const where = eventFilter(
    ctx,
    'businessType',
    (e) => spotWord(e, fillOf(a, e)),
    groupType ? (e) => (spotBillRow(e, fillOf(a, e))['groupType'] as string) === groupType : undefined,
  );
  const page = select(
    ctx,
    'spotBills',
    'clamp',
    'idLessThan',
    eventSelection(a, a.eventsBy.get('wallet:spot'), byBill, where),
  );
  if (isError(page)) return fail(page);
  return ok(page.items.map((i) => spotBillRow(a.events[i]!, fillOf(a, a.events[i]!))));
};

const futuresBills: Route = (ctx) => {
  const market = productType(ctx);
  if (isError(market)) return fail(market);
  const a = activityOf(ctx.account, ctx.mode);
  const symbol = upper(ctx, 'symbol');
  const where = eventFilter(
    ctx,
    'businessType',
    (e) => futuresWord(e, fillOf(a, e)),
    symbol ? (e) => e.symbol === symbol : undefined,
  );
  const page = select(
    ctx,
    'futuresBills',
    'reject',
    'idLessThan',
    eventSelection(a, a.eventsBy.get(`wallet:${market}`), byBill, where),
  );
  if (isError(page)) return fail(page);
  const bills = page.items.map((i) => futuresBillRow(a.events[i]!, fillOf(a, a.events[i]!)));
  return ok({ bills, endId: lastOf(page.items, (i) => a.events[i]!.billId) }, true);
};

const utaFinancialRecords: Route = (ctx) => {
  const category = requiredOneOf(ctx, 'category', UTA_TAX_BIZ_TYPES);
  if (isError(category)) return fail(category);
  const a = activityOf(ctx.account, ctx.mode);
  const where = eventFilter(ctx, 'type', utaWord);
  const list = a.eventsBy.get(`category:${category}`);
  const page = select(ctx, 'utaFinancialRecords', 'clamp', 'cursor', eventSelection(a, list, byBill, where));
  if (isError(page)) return fail(page);
  return ok(
    {
      list: page.items.map((i) => financialRecordRow(a.events[i]!)),
      cursor: page.more ? lastOf(page.items, (i) => a.events[i]!.billId) : '',
    },
    true,
  );
};

/** Tax records: startTime and endTime required (as the spot-record documentation says for every v2 one). */
function bothTimes(ctx: RouteContext): SimError | undefined {
  for (const name of ['startTime', 'endTime']) {
    if (!ctx.query.get(name)) return paramEmpty(name);
    const t = parseMs(ctx.query, name);
    if (isError(t)) return t;
  }
  return undefined;
}

const taxSpotRecords: Route = (ctx) => {
  const missing = bothTimes(ctx);
  if (missing) return fail(missing);
  const a = activityOf(ctx.account, ctx.mode);
  const where = eventFilter(ctx, 'spotTaxType', (e) => spotTaxWord(e, fillOf(a, e)));
  const page = select(
    ctx,
    'taxSpotRecords',
    'clamp',
    'idLessThan',
    eventSelection(a, a.eventsBy.get('wallet:spot'), byTax, where),
  );
  if (isError(page)) return fail(page);
  return ok(page.items.map((i) => spotTaxRow(ctx.account, a.events[i]!, fillOf(a, a.events[i]!))));
};

/** `productType` optional here: without it, every futures wallet's records. */
const taxFutureRecords: Route = (ctx) => {
  const missing = bothTimes(ctx);
  if (missing) return fail(missing);
  const market = ctx.query.get('productType') ? productType(ctx) : undefined;
  if (isError(market)) return fail(market);
  const a = activityOf(ctx.account, ctx.mode);
  const marginCoin = upper(ctx, 'marginCoin');
  const where = (e: SimEvent): boolean =>
    e.wallet !== 'spot' && (!market || e.wallet === market) && (!marginCoin || e.coin === marginCoin);
  const page = select(
    ctx,
    'taxFutureRecords',
    'clamp',
    'idLessThan',
    eventSelection(a, a.eventsBy.get('wallets:futures'), byTax, where),
  );
  if (isError(page)) return fail(page);
  return ok(page.items.map((i) => futureTaxRow(a.events[i]!, fillOf(a, a.events[i]!))));
};

/** The account holds no margin or P2P activity: the endpoints validate their query and answer an empty list. */
const emptyTaxRecords =
  (endpoint: EndpointId): Route =>
  (ctx) => {
    const missing = bothTimes(ctx);
    if (missing) return fail(missing);
    const window = timeWindow(ctx, endpoint, 'clamp');
    if (isError(window)) return fail(window);
    const limit = parseLimit(ctx.query, ENDPOINTS[endpoint].maxLimit ?? 100);
    if (isError(limit)) return fail(limit);
    return ok([]);
  };

const utaTaxRecords: Route = (ctx) => {
  const bizType = requiredOneOf(ctx, 'bizType', UTA_TAX_BIZ_TYPES);
  if (isError(bizType)) return fail(bizType);
  const a = activityOf(ctx.account, ctx.mode);
  const where = eventFilter(ctx, 'type', utaWord);
  const page = select(
    ctx,
    'utaTaxRecords',
    'clamp',
    'cursor',
    eventSelection(a, a.eventsBy.get(`category:${bizType}`), byTax, where),
  );
  if (isError(page)) return fail(page);
  return ok(
    {
      list: page.items.map((i) => utaTaxRow(a.events[i]!)),
      cursor: page.more ? lastOf(page.items, (i) => a.events[i]!.taxId) : '',
    },
    true,
  );
};

export const ACTIVITY_ROUTES: Partial<Record<EndpointId, Route>> = {
  spotFills: classicOnly(spotFills),
  futuresFills: classicOnly(futuresFills),
  utaFills: utaOnly(utaFills),
  spotBills: classicOnly(spotBills),
  futuresBills: classicOnly(futuresBills),
  utaFinancialRecords: utaOnly(utaFinancialRecords),
  taxSpotRecords: classicOnly(taxSpotRecords),
  taxFutureRecords: classicOnly(taxFutureRecords),
  taxMarginRecords: classicOnly(emptyTaxRecords('taxMarginRecords')),
  taxP2pRecords: classicOnly(emptyTaxRecords('taxP2pRecords')),
  utaTaxRecords: utaOnly(utaTaxRecords),
};
