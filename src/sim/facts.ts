/**
 * The facts of one order (side, type, status, quantities, fees...), derived deterministically from its row
 * seed. Classic (v2) and unified (v3) rows are two spellings of the same facts (rows.ts).
 */
import type { FuturesMarket } from '../core/order';
import { priceAt, type Instrument } from './catalog';
import type { Account } from './generator';
import { ID_BASE } from './generator';
import { createRng, hashSeed, type Rng } from './rng';
import { STREAMS, type StreamDef } from './streams';
import { holdOpen } from './lifetime';

export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';

export interface OrderContext {
  g: number;
  def: StreamDef;
  inst: Instrument;
  cTime: number;
  orderId: string;
  uid: string;
  rng: Rng;
  /** Upper bound for uTime (the account's creation time). */
  horizon: number;
}

export function contextOf(account: Account, g: number): OrderContext {
  const def = STREAMS[account.stream[g] as number]!;
  return {
    g,
    def,
    inst: account.catalog.instruments[account.instrument[g] as number]!,
    cTime: account.cTime[g] as number,
    orderId: (ID_BASE + BigInt(account.idOffset[g] as number)).toString(),
    uid: account.uid,
    rng: createRng(hashSeed(account.salt, account.rowSeed[g] as number)),
    horizon: account.createdAt - 1,
  };
}

const round = (x: number, d: number): number => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};

const floorTo = (x: number, d: number): number => {
  const f = 10 ** d;
  return Math.floor(x * f) / f;
};

function uuid(rng: Rng): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)] as string).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[rng.int(0, 3)]}${hex(3)}-${hex(12)}`;
}

const SOURCES = ['API', 'API', 'API', 'API', 'API', 'API', 'API', 'WEB', 'WEB', 'IOS', 'ANDROID'] as const;

export interface Fill {
  /** Base quantity filled, its average price, and the quote value. */
  base: number;
  avg: number;
  quote: number;
}

export interface SpotFacts {
  side: Side;
  orderType: OrderType;
  status: 'filled' | 'cancelled' | 'partially_filled' | 'live';
  /** Limit price (0 for market orders). */
  price: number;
  /** Base quantity ordered (market buys: 0, they order a quote amount). */
  qty: number;
  /** Quote amount ordered by a market buy (0 otherwise). */
  quoteAmount: number;
  fill: Fill;
  feeCoin: string;
  /** Positive amount paid (0 when nothing filled). */
  fee: number;
  /** Fee paid in BGB with the deduction switched on. */
  deduction: boolean;
  clientOid: string;
  source: (typeof SOURCES)[number];
  timeInForce: 'gtc' | 'post_only' | 'ioc' | 'fok';
  uTime: number;
}

function pickForce(rng: Rng): SpotFacts['timeInForce'] {
  const r = rng.next();
  return r < 0.8 ? 'gtc' : r < 0.9 ? 'post_only' : r < 0.95 ? 'ioc' : 'fok';
}

export function spotFacts(ctx: OrderContext): SpotFacts {
  const { rng, inst, cTime } = ctx;
  const side: Side = rng.chance(0.5) ? 'buy' : 'sell';
  const orderType: OrderType = rng.chance(0.45) ? 'market' : 'limit';
  const r = rng.next();
  const status: SpotFacts['status'] =
    orderType === 'market'
      ? r < 0.96
        ? 'filled'
        : 'cancelled'
      : r < 0.55
        ? 'filled'
        : r < 0.8
          ? 'cancelled'
          : r < 0.88
            ? 'partially_filled'
            : 'live';
  const mark = priceAt(inst, cTime);
  const notional = Math.min(500_000, Math.max(2, 150 * Math.exp(1.1 * rng.normal())));
  const unit = 10 ** -inst.sizePlace;
  const price = orderType === 'limit' ? round(mark * (1 + 0.01 * rng.normal()), inst.pricePlace) : 0;
  const avg = orderType === 'limit' ? price : round(mark * (1 + 0.0015 * rng.normal()), inst.pricePlace + 1);
  const qty = Math.max(unit, round(notional / mark, inst.sizePlace));
  const fraction =
    status === 'filled'
      ? 1
      : status === 'partially_filled'
        ? 0.1 + 0.8 * rng.next()
        : status === 'cancelled' && (orderType === 'market' || rng.chance(0.3))
          ? 0.1 + 0.8 * rng.next()
          : 0;
  const marketBuy = orderType === 'market' && side === 'buy';
  const quoteAmount = marketBuy ? round(notional, 2) : 0;
  const base = marketBuy
    ? floorTo((quoteAmount * fraction) / avg, inst.sizePlace + 3)
    : round(qty * fraction, inst.sizePlace);
  const quote = round(base * avg, 8);
  const deduction = base > 0 && rng.chance(0.08);
  const feeCoin = deduction ? 'BGB' : side === 'buy' ? inst.baseCoin : inst.quoteCoin;
  const fee =
    base === 0 ? 0 : deduction ? round(quote * 0.0008, 8) : side === 'buy' ? base * 0.001 : quote * 0.001;
  const clientOid = uuid(rng);
  const source = rng.pick(SOURCES);
  const timeInForce = orderType === 'market' ? 'gtc' : pickForce(rng);
  const uTime = Math.min(
    ctx.horizon,
    cTime + (orderType === 'market' ? rng.int(5, 400) : rng.int(50, 6 * 3_600_000)),
  );
  return {
    side,
    orderType,
    status,
    price,
    qty: marketBuy ? 0 : qty,
    quoteAmount,
    fill: { base, avg: base > 0 ? avg : 0, quote },
    feeCoin,
    fee: round(fee, 12),
    deduction,
    clientOid,
    source,
    timeInForce,
    uTime: holdOpen(ctx, Math.max(cTime, uTime), orderType),
  };
}

export interface Position {
  hedge: boolean;
  /** v2 tradeSide: open/close (hedge) or buy_single/sell_single (one-way). */
  tradeSide: 'open' | 'close' | 'buy_single' | 'sell_single';
  /** v2 posSide: long/short (hedge) or net (one-way). */
  posSide: 'long' | 'short' | 'net';
  reduceOnly: boolean;
}

function position(account: Account, ctx: OrderContext, side: Side, forceClose: boolean): Position {
  const hedge = ctx.cTime >= account.hedgeSince[ctx.def.market as FuturesMarket];
  if (!hedge) {
    return {
      hedge,
      tradeSide: side === 'buy' ? 'buy_single' : 'sell_single',
      posSide: 'net',
      reduceOnly: forceClose || ctx.rng.chance(0.15),
    };
  }
  const close = forceClose || ctx.rng.chance(0.45);
  // Bitget hedge mode: buy+open opens a long, sell+open a short; buy+close closes a long, sell+close a short.
  return {
    hedge,
    tradeSide: close ? 'close' : 'open',
    posSide: side === 'buy' ? 'long' : 'short',
    reduceOnly: close,
  };
}

/**
 * The side (long/short) of the position an order opens or closes, as v3 strategy rows report it in both
 * position modes. Hedge mode: the v2 posSide. One-way mode: a reduce-only order closes the opposite
 * direction (a sell closes a long), any other order opens or adds to its own (a buy goes long).
 */
export function positionSideOf(pos: Position, side: Side): 'long' | 'short' {
  if (pos.posSide !== 'net') return pos.posSide;
  const long = side === 'buy';
  return long !== pos.reduceOnly ? 'long' : 'short';
}

export interface FuturesFacts {
  side: Side;
  orderType: OrderType;
  status: 'filled' | 'canceled' | 'partially_filled' | 'live';
  pos: Position;
  price: number;
  qty: number;
  fill: Fill;
  /** Positive amount paid in the margin coin. */
  fee: number;
  profit: number;
  leverage: number;
  marginMode: 'isolated' | 'crossed';
  force: 'gtc' | 'post_only' | 'ioc' | 'fok';
  presetTakeProfit: number;
  presetStopLoss: number;
  source: string;
  clientOid: string;
  uTime: number;
}

const LEVERAGES = [3, 5, 10, 10, 20, 20, 25, 50, 75, 100] as const;

export function futuresFacts(account: Account, ctx: OrderContext): FuturesFacts {
  const { rng, inst, cTime } = ctx;
  const side: Side = rng.chance(0.5) ? 'buy' : 'sell';
  const orderType: OrderType = rng.chance(0.5) ? 'market' : 'limit';
  const pos = position(account, ctx, side, false);
  const r = rng.next();
  const status: FuturesFacts['status'] =
    orderType === 'market'
      ? r < 0.96
        ? 'filled'
        : 'canceled'
      : r < 0.55
        ? 'filled'
        : r < 0.85
          ? 'canceled'
          : r < 0.9
            ? 'partially_filled'
            : 'live';
  const mark = priceAt(inst, cTime);
  const notional = Math.min(2_000_000, Math.max(5, 500 * Math.exp(1.2 * rng.normal())));
  const unit = 10 ** -inst.sizePlace;
  const price = orderType === 'limit' ? round(mark * (1 + 0.008 * rng.normal()), inst.pricePlace) : 0;
  const avg = orderType === 'limit' ? price : round(mark * (1 + 0.001 * rng.normal()), inst.pricePlace + 1);
  const qty = Math.max(unit, round(notional / mark, inst.sizePlace));
  const fraction =
    status === 'filled'
      ? 1
      : status === 'partially_filled' || (status === 'canceled' && rng.chance(0.2))
        ? 0.1 + 0.8 * rng.next()
        : 0;
  const base = Math.min(qty, round(qty * fraction, inst.sizePlace));
  const quote = round(base * avg, 8);
  const rate = orderType === 'market' ? 0.0006 : 0.0002;
  const coinMargined = ctx.def.market === 'coin-futures';
  const fee = base === 0 ? 0 : coinMargined ? base * rate : quote * rate;
  const closing = pos.tradeSide === 'close' || pos.reduceOnly;
  const profitQuote = closing && base > 0 ? quote * 0.03 * rng.normal() : 0;
  const leverage = rng.pick(LEVERAGES);
  const marginMode = rng.chance(0.5) ? 'isolated' : 'crossed';
  const force = orderType === 'market' ? 'gtc' : pickForce(rng);
  const presets = !closing && rng.chance(0.1);
  const long = side === 'buy';
  const source = rng.pick(SOURCES).toLowerCase();
  const clientOid = (BigInt(ctx.orderId) + BigInt(rng.int(1, 9_000_000))).toString();
  const uTime = Math.min(
    ctx.horizon,
    cTime + (orderType === 'market' ? rng.int(20, 300) : rng.int(100, 8 * 3_600_000)),
  );
  return {
    side,
    orderType,
    status,
    pos,
    price,
    qty,
    fill: { base, avg: base > 0 ? avg : 0, quote },
    fee: round(fee, 10),
    profit: round(coinMargined ? profitQuote / avg : profitQuote, 8),
    leverage,
    marginMode,
    force,
    presetTakeProfit: presets ? round(mark * (long ? 1.06 : 0.94), inst.pricePlace) : 0,
    presetStopLoss: presets ? round(mark * (long ? 0.96 : 1.04), inst.pricePlace) : 0,
    source,
    clientOid,
    uTime: holdOpen(ctx, Math.max(cTime, uTime), orderType),
  };
}

export type PlanStatus = 'executed' | 'fail_execute' | 'cancelled';

function planStatus(rng: Rng): PlanStatus {
  const r = rng.next();
  return r < 0.45 ? 'executed' : r < 0.55 ? 'fail_execute' : 'cancelled';
}

export interface FuturesPlanFacts {
  /** Row value of planType (profit_loss orders are profit_plan, loss_plan, moving_plan, pos_profit, pos_loss). */
  planType: string;
  status: PlanStatus;
  side: Side;
  orderType: OrderType;
  pos: Position;
  qty: number;
  price: number;
  triggerPrice: number;
  triggerType: 'fill_price' | 'mark_price';
  callbackRatio: string;
  avg: number;
  marginMode: 'isolated' | 'crossed';
  stopSurplus: { execute: number; trigger: number } | null;
  stopLoss: { execute: number; trigger: number } | null;
  source: string;
  clientOid: string;
  executeOrderId: string;
  uTime: number;
}

const PROFIT_LOSS_TYPES = ['profit_plan', 'loss_plan', 'moving_plan', 'pos_profit', 'pos_loss'] as const;

export function futuresPlanFacts(account: Account, ctx: OrderContext): FuturesPlanFacts {
  const { rng, inst, cTime, def } = ctx;
  const planType =
    def.planType === 'profit_loss' ? rng.pick(PROFIT_LOSS_TYPES) : (def.planType ?? 'normal_plan');
  const status = planStatus(rng);
  const side: Side = rng.chance(0.5) ? 'buy' : 'sell';
  const orderType: OrderType =
    def.planType === 'track_plan'
      ? 'market'
      : rng.chance(def.planType === 'profit_loss' ? 0.7 : 0.5)
        ? 'market'
        : 'limit';
  const pos = position(account, ctx, side, def.planType === 'profit_loss');
  const mark = priceAt(inst, cTime);
  const qty = Math.max(10 ** -inst.sizePlace, round((400 * Math.exp(rng.normal())) / mark, inst.sizePlace));
  const triggerPrice = round(mark * (1 + 0.03 * rng.normal()), inst.pricePlace);
  const price = orderType === 'limit' ? round(triggerPrice * (1 + 0.002 * rng.normal()), inst.pricePlace) : 0;
  const withPresets = def.planType === 'normal_plan' && rng.chance(0.2);
  const up = side === 'buy' ? 1 : -1;
  return {
    planType,
    status,
    side,
    orderType,
    pos,
    qty,
    price,
    triggerPrice,
    triggerType: rng.chance(0.8) ? 'fill_price' : 'mark_price',
    callbackRatio: def.planType === 'track_plan' ? String(rng.int(5, 50) / 10) : '',
    avg: status === 'executed' ? round(triggerPrice * (1 + 0.001 * rng.normal()), inst.pricePlace + 1) : 0,
    marginMode: rng.chance(0.5) ? 'isolated' : 'crossed',
    stopSurplus: withPresets
      ? { execute: 0, trigger: round(triggerPrice * (1 + 0.05 * up), inst.pricePlace) }
      : null,
    stopLoss: withPresets
      ? { execute: 0, trigger: round(triggerPrice * (1 - 0.03 * up), inst.pricePlace) }
      : null,
    source: rng.pick(SOURCES).toLowerCase(),
    clientOid: (BigInt(ctx.orderId) + BigInt(rng.int(1, 9_000_000))).toString(),
    // The order a trigger created: an id never used by another order (ids are at least 2 apart).
    executeOrderId: status === 'executed' ? (BigInt(ctx.orderId) + 1n).toString() : '',
    uTime: holdOpen(
      ctx,
      Math.max(cTime, Math.min(ctx.horizon, cTime + rng.int(1000, 5 * 86_400_000))),
      'plan',
    ),
  };
}

export interface SpotPlanFacts {
  status: PlanStatus;
  side: Side;
  orderType: OrderType;
  planType: 'amount' | 'total';
  size: number;
  triggerPrice: number;
  executePrice: number;
  triggerType: 'fill_price' | 'mark_price';
  source: string;
  clientOid: string;
  uTime: number;
}

export function spotPlanFacts(ctx: OrderContext): SpotPlanFacts {
  const { rng, inst, cTime } = ctx;
  const status = planStatus(rng);
  const side: Side = rng.chance(0.5) ? 'buy' : 'sell';
  const orderType: OrderType = rng.chance(0.5) ? 'market' : 'limit';
  const planType = orderType === 'market' && side === 'buy' && rng.chance(0.6) ? 'total' : 'amount';
  const mark = priceAt(inst, cTime);
  const notional = Math.max(5, 120 * Math.exp(rng.normal()));
  const triggerPrice = round(mark * (1 + 0.04 * rng.normal()), inst.pricePlace);
  return {
    status,
    side,
    orderType,
    planType,
    size:
      planType === 'total'
        ? round(notional, 2)
        : Math.max(10 ** -inst.sizePlace, round(notional / mark, inst.sizePlace)),
    triggerPrice,
    executePrice:
      orderType === 'limit' ? round(triggerPrice * (1 + 0.002 * rng.normal()), inst.pricePlace) : 0,
    triggerType: rng.chance(0.85) ? 'fill_price' : 'mark_price',
    source: rng.pick(SOURCES),
    clientOid: uuid(rng),
    uTime: holdOpen(
      ctx,
      Math.max(cTime, Math.min(ctx.horizon, cTime + rng.int(1000, 7 * 86_400_000))),
      'plan',
    ),
  };
}
