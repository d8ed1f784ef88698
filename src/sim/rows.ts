/**
 * Materialises the JSON rows Bitget serves, field for field as the recorded samples (spot and futures
 * history, v3 history) or, where no sample exists, as Bitget's documentation lists them (plan orders, v3
 * strategy orders). Every amount and time is a string.
 */
import type { FuturesPlanType } from '../bitget/endpoints';
import type { AccountMode } from './types';
import type { Account } from './generator';
import {
  contextOf,
  futuresFacts,
  futuresPlanFacts,
  spotFacts,
  positionSideOf,
  spotPlanFacts,
  type FuturesFacts,
  type OrderContext,
  type SpotFacts,
} from './facts';

export type Row = Record<string, unknown>;

/** Fixed decimals without a negative zero. */
function dec(x: number, d: number): string {
  const s = x.toFixed(Math.max(0, d));
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** Decimals with trailing zeros removed ("7.2250" → "7.225", "5.00" → "5"). */
export function trim(x: number, d: number): string {
  const s = dec(x, d);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Spot history writes 16 decimals ("69.2650000000000000"). */
function pad16(x: number, d: number): string {
  const [int, frac = ''] = dec(x, Math.min(d, 16)).split('.');
  return `${int}.${frac.padEnd(16, '0')}`;
}

/** A JSON number literal as Bitget prints fee numbers inside feeDetail. */
const num = (x: number): string => String(Number(x.toPrecision(10)));

function spotFeeDetail(f: SpotFacts, withNewFees: boolean): string {
  if (f.fill.base === 0) return '';
  const coin = `"${f.feeCoin}":{"deduction":${f.deduction},"feeCoinCode":"${f.feeCoin}","totalDeductionFee":${
    f.deduction ? num(-f.fee) : 0
  },"totalFee":-${f.fee.toFixed(12)}}`;
  if (!withNewFees) return `{${coin}}`;
  const newFees = f.deduction
    ? `"newFees":{"c":0,"d":${num(-f.fee)},"deduction":true,"r":0,"t":${num(-f.fee)},"totalDeductionFee":${num(-f.fee)}}`
    : `"newFees":{"c":0,"d":0,"deduction":false,"r":${num(-f.fee)},"t":${num(-f.fee)},"totalDeductionFee":0}`;
  return `{${newFees},${coin}}`;
}

function spotRow(account: Account, ctx: OrderContext): Row {
  const f = spotFacts(ctx);
  const { inst } = ctx;
  const market = f.orderType === 'market';
  return {
    userId: ctx.uid,
    symbol: inst.symbol,
    orderId: ctx.orderId,
    clientOid: f.clientOid,
    price: market ? '0' : pad16(f.price, inst.pricePlace),
    size: f.quoteAmount > 0 ? pad16(f.quoteAmount, 2) : pad16(f.qty, inst.sizePlace),
    orderType: f.orderType,
    side: f.side,
    status: f.status,
    priceAvg: pad16(f.fill.avg, inst.pricePlace + 1),
    baseVolume: pad16(f.fill.base, inst.sizePlace + 3),
    quoteVolume: pad16(f.fill.quote, 8),
    enterPointSource: f.source,
    feeDetail: spotFeeDetail(f, ctx.cTime >= account.newFeesSince),
    orderSource: market ? 'market' : 'normal',
    cTime: String(ctx.cTime),
    uTime: String(f.uTime),
  };
}

function futuresRow(account: Account, ctx: OrderContext): Row {
  const f = futuresFacts(account, ctx);
  const { inst } = ctx;
  return {
    symbol: inst.symbol,
    size: trim(f.qty, inst.sizePlace),
    orderId: ctx.orderId,
    clientOid: f.clientOid,
    baseVolume: trim(f.fill.base, inst.sizePlace),
    fee: f.fee === 0 ? '0' : trim(-f.fee, 10),
    price: f.orderType === 'market' ? '' : trim(f.price, inst.pricePlace),
    priceAvg: trim(f.fill.avg, inst.pricePlace + 1),
    status: f.status,
    side: f.side,
    force: f.force,
    totalProfits: trim(f.profit, 8),
    posSide: f.pos.posSide,
    marginCoin: inst.marginCoin,
    quoteVolume: trim(f.fill.quote, 8),
    leverage: String(f.leverage),
    marginMode: f.marginMode,
    enterPointSource: f.source,
    tradeSide: f.pos.tradeSide,
    posMode: f.pos.hedge ? 'hedge_mode' : 'one_way_mode',
    orderType: f.orderType,
    orderSource: f.orderType === 'market' ? 'market' : 'normal',
    presetStopSurplusPrice: f.presetTakeProfit ? trim(f.presetTakeProfit, inst.pricePlace) : '',
    presetStopLossPrice: f.presetStopLoss ? trim(f.presetStopLoss, inst.pricePlace) : '',
    reduceOnly: f.pos.reduceOnly ? 'YES' : 'NO',
    cTime: String(ctx.cTime),
    uTime: String(f.uTime),
  };
}

function futuresPlanRow(account: Account, ctx: OrderContext): Row {
  const f = futuresPlanFacts(account, ctx);
  const { inst } = ctx;
  const p = (x: number): string => trim(x, inst.pricePlace);
  return {
    planType: f.planType,
    symbol: inst.symbol,
    size: trim(f.qty, inst.sizePlace),
    orderId: ctx.orderId,
    executeOrderId: f.executeOrderId,
    clientOid: f.clientOid,
    planStatus: f.status,
    price: f.orderType === 'limit' ? p(f.price) : '',
    executePrice: f.orderType === 'limit' ? p(f.price) : '0',
    priceAvg: trim(f.avg, inst.pricePlace + 1),
    baseVolume: f.status === 'executed' ? trim(f.qty, inst.sizePlace) : '0',
    callbackRatio: f.callbackRatio,
    triggerPrice: p(f.triggerPrice),
    triggerType: f.triggerType,
    side: f.side,
    posSide: f.pos.posSide,
    marginCoin: inst.marginCoin,
    marginMode: f.marginMode,
    enterPointSource: f.source,
    tradeSide: f.pos.tradeSide,
    posMode: f.pos.hedge ? 'hedge_mode' : 'one_way_mode',
    orderType: f.orderType,
    cTime: String(ctx.cTime),
    uTime: String(f.uTime),
    stopSurplusExecutePrice: f.stopSurplus ? '0' : '',
    stopSurplusTriggerPrice: f.stopSurplus ? p(f.stopSurplus.trigger) : '',
    stopSurplusTriggerType: f.stopSurplus ? f.triggerType : '',
    stopLossExecutePrice: f.stopLoss ? '0' : '',
    stopLossTriggerPrice: f.stopLoss ? p(f.stopLoss.trigger) : '',
    stopLossTriggerType: f.stopLoss ? f.triggerType : '',
  };
}

function spotPlanRow(ctx: OrderContext): Row {
  const f = spotPlanFacts(ctx);
  const { inst } = ctx;
  return {
    orderId: ctx.orderId,
    clientOid: f.clientOid,
    symbol: inst.symbol,
    size: f.planType === 'total' ? trim(f.size, 2) : trim(f.size, inst.sizePlace),
    executePrice: f.orderType === 'limit' ? trim(f.executePrice, inst.pricePlace) : '0',
    triggerPrice: trim(f.triggerPrice, inst.pricePlace),
    status: f.status,
    orderType: f.orderType,
    side: f.side,
    planType: f.planType,
    triggerType: f.triggerType,
    enterPointSource: f.source,
    uTime: String(f.uTime),
    cTime: String(ctx.cTime),
  };
}

const V3_CATEGORY = {
  spot: 'SPOT',
  'usdt-futures': 'USDT-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
  'coin-futures': 'COIN-FUTURES',
} as const;

const V3_TAIL = {
  tpTriggerBy: null,
  slTriggerBy: null,
  takeProfit: null,
  stopLoss: null,
  tpOrderType: null,
  slOrderType: null,
  tpLimitPrice: null,
  slLimitPrice: null,
} as const;

function v3SpotRow(ctx: OrderContext): Row {
  const f = spotFacts(ctx);
  const { inst } = ctx;
  const market = f.orderType === 'market';
  return {
    orderId: ctx.orderId,
    clientOid: f.clientOid,
    category: 'SPOT',
    symbol: inst.symbol,
    orderType: f.orderType,
    side: f.side,
    price: market ? '0' : trim(f.price, inst.pricePlace),
    qty: trim(f.qty, inst.sizePlace),
    amount: trim(f.quoteAmount, 2),
    cumExecQty: trim(f.fill.base, inst.sizePlace + 3),
    cumExecValue: trim(f.fill.quote, 8),
    avgPrice: trim(f.fill.avg, inst.pricePlace + 1),
    timeInForce: f.timeInForce,
    orderStatus: f.status,
    posSide: '',
    holdMode: '',
    reduceOnly: 'NO',
    feeDetail: f.fee > 0 ? [{ feeCoin: f.feeCoin, fee: trim(f.fee, 12) }] : [],
    createdTime: String(ctx.cTime),
    updatedTime: String(f.uTime),
    cancelReason: f.status === 'cancelled' ? 'normal_cancel' : '',
    execType: 'normal',
    stpMode: 'none',
    ...V3_TAIL,
  };
}

function v3FuturesRow(account: Account, ctx: OrderContext): Row {
  const f: FuturesFacts = futuresFacts(account, ctx);
  const { inst } = ctx;
  return {
    orderId: ctx.orderId,
    clientOid: f.clientOid,
    category: V3_CATEGORY[ctx.def.market],
    symbol: inst.symbol,
    orderType: f.orderType,
    // v3 has no tradeSide: side is the direction of the trade (closing a long sells).
    side: f.pos.tradeSide === 'close' ? (f.side === 'buy' ? 'sell' : 'buy') : f.side,
    price: f.orderType === 'market' ? '0' : trim(f.price, inst.pricePlace),
    qty: trim(f.qty, inst.sizePlace),
    amount: '0',
    cumExecQty: trim(f.fill.base, inst.sizePlace),
    cumExecValue: trim(f.fill.quote, 8),
    avgPrice: trim(f.fill.avg, inst.pricePlace + 1),
    timeInForce: f.force,
    orderStatus: f.status === 'canceled' ? 'cancelled' : f.status,
    posSide: f.pos.hedge ? f.pos.posSide : '',
    holdMode: f.pos.hedge ? 'hedge_mode' : 'one_way_mode',
    reduceOnly: f.pos.reduceOnly ? 'YES' : 'NO',
    feeDetail: f.fee > 0 ? [{ feeCoin: inst.marginCoin, fee: trim(f.fee, 10) }] : [],
    createdTime: String(ctx.cTime),
    updatedTime: String(f.uTime),
    cancelReason: f.status === 'canceled' ? 'normal_cancel' : '',
    execType: 'normal',
    stpMode: 'none',
    ...V3_TAIL,
  };
}

/** The v3 strategy type an order is listed under. */
export function strategyTypeOf(kind: 'tpsl' | 'plan', planType?: FuturesPlanType): 'tpsl' | 'trigger' {
  return kind === 'tpsl' || planType === 'profit_loss' ? 'tpsl' : 'trigger';
}

/** A futures plan or TP/SL order as history-strategy-orders serves it (the documented field set). */
function v3StrategyRow(account: Account, ctx: OrderContext): Row {
  const { inst, def } = ctx;
  const p = (x: number): string => (x ? trim(x, inst.pricePlace) : '');
  const f = futuresPlanFacts(account, ctx);
  const by = f.triggerType === 'mark_price' ? 'mark' : 'market';
  const common = {
    orderId: ctx.orderId,
    clientOid: f.clientOid,
    category: V3_CATEGORY[def.market],
    symbol: inst.symbol,
    qty: trim(f.qty, inst.sizePlace),
    // Documented as long | short in both position modes: the position the trigger opens or closes.
    posSide: positionSideOf(f.pos, f.side),
    status: f.status === 'executed' ? 'success' : f.status === 'fail_execute' ? 'failed' : 'cancelled',
    tpTriggerBy: '',
    slTriggerBy: '',
    takeProfit: '',
    stopLoss: '',
    tpOrderType: '',
    slOrderType: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    triggerBy: '',
    triggerPrice: '',
    triggerOrderType: '',
    triggerOrderPrice: '',
    createdTime: String(ctx.cTime),
    updatedTime: String(f.uTime),
  };
  if (def.planType === 'profit_loss') {
    const tp = f.planType === 'profit_plan' || f.planType === 'pos_profit' || f.planType === 'moving_plan';
    return {
      ...common,
      tpTriggerBy: tp ? by : '',
      slTriggerBy: tp ? '' : by,
      takeProfit: tp ? p(f.triggerPrice) : '',
      stopLoss: tp ? '' : p(f.triggerPrice),
      tpOrderType: tp ? f.orderType : '',
      slOrderType: tp ? '' : f.orderType,
      tpLimitPrice: tp && f.orderType === 'limit' ? p(f.price) : '',
      slLimitPrice: !tp && f.orderType === 'limit' ? p(f.price) : '',
    };
  }
  return {
    ...common,
    triggerBy: by,
    triggerPrice: p(f.triggerPrice),
    triggerOrderType: f.orderType,
    triggerOrderPrice: f.orderType === 'limit' ? p(f.price) : '',
    takeProfit: f.stopSurplus ? p(f.stopSurplus.trigger) : '',
    stopLoss: f.stopLoss ? p(f.stopLoss.trigger) : '',
  };
}

/** The row a v2 endpoint serves for order g. */
export function classicRow(account: Account, g: number): Row {
  const ctx = contextOf(account, g);
  const { market, kind } = ctx.def;
  if (market === 'spot') return kind === 'plan' ? spotPlanRow(ctx) : spotRow(account, ctx);
  return kind === 'plan' ? futuresPlanRow(account, ctx) : futuresRow(account, ctx);
}

/**
 * The row a v3 endpoint serves for order g: history-orders for normal orders, history-strategy-orders for
 * futures plan and TP/SL orders. A unified account has no spot TP/SL or plan orders (generator.ts).
 */
export function utaRow(account: Account, g: number): Row {
  const ctx = contextOf(account, g);
  if (ctx.def.kind === 'normal')
    return ctx.def.market === 'spot' ? v3SpotRow(ctx) : v3FuturesRow(account, ctx);
  if (ctx.def.market === 'spot')
    throw new Error(
      `spot ${ctx.def.kind} order ${ctx.orderId}: not in a unified account (generate with mode 'uta')`,
    );
  return v3StrategyRow(account, ctx);
}

export function rowFor(account: Account, g: number, mode: AccountMode): Row {
  return mode === 'uta' ? utaRow(account, g) : classicRow(account, g);
}
