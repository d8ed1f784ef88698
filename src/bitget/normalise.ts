import type { CanonicalOrder, Kind, Market, ProductType } from '../core/order';
import { PRODUCT_TYPE_BY_MARKET } from '../core/order';
import { canonicalSymbol } from '../core/request';
import { isDecimalString, isZeroDecimal } from './decimal';
import type { FuturesPlanType, UtaCategory } from './endpoints';
import { BitgetResponseError } from './errors';
import type { PaidFee } from './feeDetail';
import { decodeSpotFeeDetail, futuresFee, pickUtaFee } from './feeDetail';
import type { FuturesOrderRow, UtaStrategyRow } from './schemas';
import {
  futuresOrderRowSchema,
  futuresPlanRowSchema,
  parseOrThrow,
  spotOrderRowSchema,
  spotPlanRowSchema,
  utaOrderRowSchema,
  utaStrategyRowSchema,
} from './schemas';

/** Where a row came from: decides its schema, market and kind. */
export type OrderSource =
  | { endpoint: 'spotHistoryOrders'; tpslType?: 'normal' | 'tpsl' }
  | { endpoint: 'spotPlanHistory' }
  | { endpoint: 'futuresHistoryOrders'; productType: ProductType }
  | { endpoint: 'futuresPlanHistory'; productType: ProductType; planType?: FuturesPlanType }
  | { endpoint: 'utaHistoryOrders'; category: UtaCategory }
  | { endpoint: 'utaStrategyHistory'; category: UtaCategory };

/**
 * Status vocabulary of canonical orders.
 * Orders (spot, futures, v3): Bitget's own value lower-cased, `cancelled` → `canceled`
 * (live, partially_filled, filled, canceled; anything else, e.g. `init`, `new`, passes through lower-cased).
 * Plan/trigger orders (spot `status`, futures `planStatus`): live (not_trigger, live: waiting for the trigger),
 * triggered (triggered, executed, v3 success), failed (fail_trigger, fail_execute, v3 failed), canceled
 * (cancel, cancelled). v3 strategy rows that carry no status at all: `unknown`.
 */
export const PLAN_STATUS: Readonly<Record<string, string>> = {
  not_trigger: 'live',
  live: 'live',
  triggered: 'triggered',
  executed: 'triggered',
  success: 'triggered',
  fail_trigger: 'failed',
  fail_execute: 'failed',
  failed: 'failed',
  cancel: 'canceled',
  cancelled: 'canceled',
  canceled: 'canceled',
};

export function unifyOrderStatus(status: string): string {
  const s = status.trim().toLowerCase();
  return s === 'cancelled' ? 'canceled' : s;
}

export function unifyPlanStatus(status: string): string {
  const s = status.trim().toLowerCase();
  return PLAN_STATUS[s] ?? unifyOrderStatus(s);
}

const MARKET_BY_PRODUCT_TYPE: Readonly<Record<ProductType, Market>> = Object.fromEntries(
  Object.entries(PRODUCT_TYPE_BY_MARKET).map(([market, productType]) => [productType, market]),
) as Record<ProductType, Market>;

export function marketOfProductType(productType: ProductType): Market {
  return MARKET_BY_PRODUCT_TYPE[productType];
}

/** v3 category → market: SPOT and MARGIN are spot. */
export function marketOfUtaCategory(category: UtaCategory): Market {
  return category === 'SPOT' || category === 'MARGIN' ? 'spot' : marketOfProductType(category);
}

function textOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined || value.trim() === '' ? null : value;
}

function msOrNull(value: string | number | null | undefined): number | null {
  return value === null || value === undefined || value === '' ? null : Number(value);
}

/** "" → null; "0" on a market order → null (Bitget's placeholder for "no limit price"). */
function priceOrNull(price: string | null | undefined, orderType: string): string | null {
  const p = textOrNull(price);
  if (p === null) return null;
  if (orderType.toLowerCase() === 'market' && isDecimalString(p) && isZeroDecimal(p)) return null;
  return p;
}

/** Bitget's own reduceOnly (`YES`/`NO`, `true`/`false`, a boolean); null when the row does not carry one. */
function reduceOnlyFlag(value: string | boolean | null | undefined): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  if (v === '') return null;
  throw new BitgetResponseError('normaliser', 'reduceOnly', `unknown reduceOnly "${value}"`);
}

/**
 * A futures row's reduceOnly: what the row says, else what its tradeSide implies (a hedge-mode `close` reduces
 * its position, an `open` does not); one-way rows (`buy_single`/`sell_single`) without the flag say nothing: null.
 */
function futuresReduceOnly(
  value: string | boolean | null | undefined,
  tradeSide: string | null | undefined,
): boolean | null {
  const said = reduceOnlyFlag(value);
  if (said !== null) return said;
  const t = tradeSide?.trim().toLowerCase();
  return t === 'close' ? true : t === 'open' ? false : null;
}

/** Sub-types of the classic `profit_loss` plan type: take-profit / stop-loss orders on a position. */
export const PROFIT_LOSS_PLAN_TYPES: readonly string[] = [
  'profit_plan',
  'loss_plan',
  'moving_plan',
  'pos_profit',
  'pos_loss',
];

/**
 * A classic futures plan row's kind, by what it holds: its own planType (`profit_plan` … `pos_loss`, or
 * `profit_loss` itself) says TP/SL; `normal_plan` (trigger) and `track_plan` (trailing) are plan orders. A row
 * without a planType falls back on the planType it was listed under.
 */
export function futuresPlanKind(rowPlanType: string | null | undefined, listedAs?: FuturesPlanType): Kind {
  const own = textOrNull(rowPlanType);
  const t = own !== null ? own.trim().toLowerCase() : (listedAs ?? 'normal_plan');
  return t === 'profit_loss' || PROFIT_LOSS_PLAN_TYPES.includes(t) ? 'tpsl' : 'plan';
}

/**
 * Direction of the trade. v1 spellings (open_long …) are mapped; in hedge mode a `close` flips the side
 * Bitget sends (buy+close closes a long: a sell). One-way mode keeps the side.
 */
function tradeDirection(side: string, tradeSide: string | null | undefined): 'buy' | 'sell' {
  const s = side.trim().toLowerCase();
  if (s === 'open_long' || s === 'close_short') return 'buy';
  if (s === 'open_short' || s === 'close_long') return 'sell';
  if (s !== 'buy' && s !== 'sell')
    throw new BitgetResponseError('normaliser', 'side', `unknown side "${side}"`);
  if (tradeSide?.trim().toLowerCase() === 'close') return s === 'buy' ? 'sell' : 'buy';
  return s;
}

function feeFields(paid: PaidFee | null): { fee: string | null; feeCoin: string | null } {
  return paid === null ? { fee: null, feeCoin: null } : { fee: paid.fee, feeCoin: paid.feeCoin };
}

function spotFee(feeDetail: Parameters<typeof decodeSpotFeeDetail>[0]): PaidFee | null {
  try {
    return decodeSpotFeeDetail(feeDetail);
  } catch (error) {
    throw new BitgetResponseError('normaliser', 'feeDetail', (error as Error).message, { cause: error });
  }
}

type FuturesCommonRow = Pick<
  FuturesOrderRow,
  | 'orderId'
  | 'clientOid'
  | 'symbol'
  | 'side'
  | 'orderType'
  | 'size'
  | 'priceAvg'
  | 'baseVolume'
  | 'quoteVolume'
  | 'leverage'
  | 'marginMode'
  | 'posSide'
  | 'tradeSide'
  | 'reduceOnly'
  | 'cTime'
  | 'uTime'
>;

function futuresOrder(
  productType: ProductType,
  kind: Kind,
  r: FuturesCommonRow,
  specific: {
    status: string;
    limitPrice: string | null | undefined;
    fee: PaidFee | null;
    reduceOnly: boolean | null;
    raw: Record<string, unknown>;
  },
): CanonicalOrder {
  return {
    orderId: r.orderId,
    clientOid: textOrNull(r.clientOid),
    market: marketOfProductType(productType),
    kind,
    symbol: canonicalSymbol(r.symbol),
    side: tradeDirection(r.side, r.tradeSide),
    orderType: r.orderType,
    status: specific.status,
    price: priceOrNull(specific.limitPrice, r.orderType),
    size: textOrNull(r.size),
    priceAvg: textOrNull(r.priceAvg),
    baseVolume: textOrNull(r.baseVolume),
    quoteVolume: textOrNull(r.quoteVolume),
    ...feeFields(specific.fee),
    leverage: textOrNull(r.leverage),
    marginMode: textOrNull(r.marginMode),
    posSide: textOrNull(r.posSide),
    tradeSide: textOrNull(r.tradeSide),
    reduceOnly: specific.reduceOnly,
    cTime: Number(r.cTime),
    uTime: msOrNull(r.uTime),
    raw: specific.raw,
  };
}

function asRaw(row: unknown): Record<string, unknown> {
  return { ...(row as Record<string, unknown>) };
}

/**
 * What a v3 strategy row holds. A trigger price makes it a trigger order (kind `plan`, typed by
 * `triggerOrderType`; take-profit / stop-loss prices beside it are presets for the position it opens). Without
 * one, take-profit / stop-loss prices make it a TP/SL order (kind `tpsl`, typed by the leg's own
 * `tpOrderType` / `slOrderType`, the take-profit leg first). A row holding neither is refused.
 */
function strategyLeg(r: UtaStrategyRow): { kind: Kind; orderType: string; limitPrice: string | null } {
  const typed = (legType: string | null | undefined, field: string): string => {
    const t = textOrNull(legType) ?? textOrNull(r.orderType);
    if (t === null)
      throw new BitgetResponseError('normaliser', field, 'the order type of the leg is missing');
    return t;
  };
  if (textOrNull(r.triggerPrice) !== null)
    return {
      kind: 'plan',
      orderType: typed(r.triggerOrderType, 'triggerOrderType'),
      limitPrice: textOrNull(r.triggerOrderPrice),
    };
  if (textOrNull(r.takeProfit) !== null)
    return {
      kind: 'tpsl',
      orderType: typed(r.tpOrderType, 'tpOrderType'),
      limitPrice: textOrNull(r.tpLimitPrice),
    };
  if (textOrNull(r.stopLoss) !== null)
    return {
      kind: 'tpsl',
      orderType: typed(r.slOrderType, 'slOrderType'),
      limitPrice: textOrNull(r.slLimitPrice),
    };
  throw new BitgetResponseError(
    'normaliser',
    'triggerPrice',
    'a strategy row holds neither a trigger price nor a take-profit / stop-loss price',
  );
}

/**
 * One exchange row → the canonical order record (DESIGN.md). Validates the row first (a BitgetResponseError
 * names the bad field); `raw` is a copy of the row exactly as received. Amounts stay Bitget's decimal strings
 * except `fee`, which is computed and therefore canonical (plain decimal, no trailing zeros). Spot market buys
 * keep `size` as sent (the quote amount spent) and `baseVolume` as the filled base amount.
 */
export function normaliseOrder(source: OrderSource, row: unknown): CanonicalOrder {
  switch (source.endpoint) {
    case 'spotHistoryOrders': {
      const r = parseOrThrow(spotOrderRowSchema, row, 'normaliser');
      const kind: Kind = source.tpslType === 'tpsl' ? 'tpsl' : 'normal';
      return {
        orderId: r.orderId,
        clientOid: textOrNull(r.clientOid),
        market: 'spot',
        kind,
        symbol: canonicalSymbol(r.symbol),
        side: tradeDirection(r.side, null),
        orderType: r.orderType,
        status: unifyOrderStatus(r.status),
        price: priceOrNull(r.price, r.orderType),
        size: textOrNull(r.size),
        priceAvg: textOrNull(r.priceAvg),
        baseVolume: textOrNull(r.baseVolume),
        quoteVolume: textOrNull(r.quoteVolume),
        ...feeFields(spotFee(r.feeDetail)),
        leverage: null,
        marginMode: null,
        posSide: null,
        tradeSide: null,
        reduceOnly: false,
        cTime: Number(r.cTime),
        uTime: msOrNull(r.uTime),
        raw: asRaw(row),
      };
    }
    case 'spotPlanHistory': {
      const r = parseOrThrow(spotPlanRowSchema, row, 'normaliser');
      return {
        orderId: r.orderId,
        clientOid: textOrNull(r.clientOid),
        market: 'spot',
        kind: 'plan',
        symbol: canonicalSymbol(r.symbol),
        side: tradeDirection(r.side, null),
        orderType: r.orderType,
        status: unifyPlanStatus(r.status),
        price: priceOrNull(r.executePrice, r.orderType),
        size: textOrNull(r.size),
        priceAvg: null,
        baseVolume: null,
        quoteVolume: null,
        fee: null,
        feeCoin: null,
        leverage: null,
        marginMode: null,
        posSide: null,
        tradeSide: null,
        reduceOnly: false,
        cTime: Number(r.cTime),
        uTime: msOrNull(r.uTime),
        raw: asRaw(row),
      };
    }
    case 'futuresHistoryOrders': {
      const r = parseOrThrow(futuresOrderRowSchema, row, 'normaliser');
      return futuresOrder(source.productType, 'normal', r, {
        status: unifyOrderStatus((r.status || r.state)!),
        limitPrice: r.price,
        fee: futuresFee(r.fee, r.marginCoin),
        reduceOnly: futuresReduceOnly(r.reduceOnly, r.tradeSide),
        raw: asRaw(row),
      });
    }
    case 'futuresPlanHistory': {
      const r = parseOrThrow(futuresPlanRowSchema, row, 'normaliser');
      const kind = futuresPlanKind(r.planType, source.planType);
      return futuresOrder(source.productType, kind, r, {
        status: unifyPlanStatus((r.planStatus || r.status)!),
        limitPrice: textOrNull(r.price) ?? r.executePrice,
        fee: null,
        // A TP/SL closes (part of) its position; a trigger or trailing order may open one: only its row can say.
        reduceOnly:
          kind === 'tpsl'
            ? (reduceOnlyFlag(r.reduceOnly) ?? true)
            : futuresReduceOnly(r.reduceOnly, r.tradeSide),
        raw: asRaw(row),
      });
    }
    case 'utaHistoryOrders': {
      const r = parseOrThrow(utaOrderRowSchema, row, 'normaliser');
      return {
        orderId: r.orderId,
        clientOid: textOrNull(r.clientOid),
        market: marketOfUtaCategory(source.category),
        kind: 'normal',
        symbol: canonicalSymbol(r.symbol),
        side: tradeDirection(r.side, null),
        orderType: r.orderType,
        status: unifyOrderStatus(r.orderStatus),
        price: priceOrNull(r.price, r.orderType),
        size: textOrNull(r.qty),
        priceAvg: textOrNull(r.avgPrice),
        baseVolume: textOrNull(r.cumExecQty),
        quoteVolume: textOrNull(r.cumExecValue),
        ...feeFields(pickUtaFee(r.feeDetail)),
        leverage: textOrNull(r.leverage),
        marginMode: textOrNull(r.marginMode),
        posSide: textOrNull(r.posSide),
        tradeSide: null,
        reduceOnly:
          reduceOnlyFlag(r.reduceOnly) ?? (marketOfUtaCategory(source.category) === 'spot' ? false : null),
        cTime: Number(r.createdTime),
        uTime: msOrNull(r.updatedTime),
        raw: asRaw(row),
      };
    }
    case 'utaStrategyHistory': {
      const r = parseOrThrow(utaStrategyRowSchema, row, 'normaliser');
      const leg = strategyLeg(r);
      const posSide = textOrNull(r.posSide);
      // A TP/SL closes its position: long → sell, short → buy. A trigger order names the position it opens or
      // closes, not which: without the row's own side, its side is unknown.
      const rowSide = textOrNull(r.side);
      const side =
        rowSide !== null
          ? tradeDirection(rowSide, null)
          : leg.kind === 'tpsl' && posSide === 'long'
            ? 'sell'
            : leg.kind === 'tpsl' && posSide === 'short'
              ? 'buy'
              : null;
      if (side === null && leg.kind === 'tpsl')
        throw new BitgetResponseError('normaliser', 'side', 'a TP/SL row names neither side nor posSide');
      const status = textOrNull(r.orderStatus) ?? textOrNull(r.status);
      return {
        orderId: r.orderId,
        clientOid: textOrNull(r.clientOid),
        market: marketOfUtaCategory(source.category),
        kind: leg.kind,
        symbol: canonicalSymbol(r.symbol),
        side,
        orderType: leg.orderType,
        status: status === null ? 'unknown' : unifyPlanStatus(status),
        price: priceOrNull(leg.limitPrice, leg.orderType),
        size: textOrNull(r.qty),
        priceAvg: null,
        baseVolume: null,
        quoteVolume: null,
        fee: null,
        feeCoin: null,
        leverage: null,
        marginMode: null,
        posSide,
        tradeSide: null,
        // A TP/SL on a position only ever reduces it; a trigger order may open one: the row's flag, else unknown.
        reduceOnly: reduceOnlyFlag(r.reduceOnly) ?? (leg.kind === 'tpsl' ? true : null),
        cTime: Number(r.createdTime),
        uTime: msOrNull(r.updatedTime),
        raw: asRaw(row),
      };
    }
  }
}
