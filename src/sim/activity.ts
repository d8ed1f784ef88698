/**
 * What happened on the account beside its orders: the fills of every filled or partly filled order and the
 * ledger (trades, fees, funding, transfers, deposits, a withdrawal), built from the orders' facts (facts.ts)
 * with decimal arithmetic, once per account on first use (nothing of it is built at start-up), then indexed
 * by time like the orders. Each order's fills draw from a random stream of their own, so no order changes.
 *
 * A fill's `size`s add up to its order's filled size and its fees to the order's fee; the fills of an order lie
 * in [cTime, uTime] and are visible once the order has finished (they belong to its final state). The fee of a
 * fill is a ledger entry at the fill's time in the fee coin: its own entry (`amount` = −fee) on spot bills and
 * for BGB deductions; the `fee` of the trade entry on futures bills and v3 records (as Bitget's rows carry it).
 */
import Decimal from 'decimal.js';
import { DAY_MS } from '../bitget/endpoints';
import type { FuturesMarket, Market } from '../core/order';
import type { Instrument } from './catalog';
import { contextOf, futuresFacts, spotFacts, type Side } from './facts';
import type { Account } from './generator';
import { createRng, hashSeed, type Rng } from './rng';
import { trim } from './rows';
import { isFutures } from './streams';
import type { AccountMode } from './types';

/** Trade ids, bill ids and tax-record ids: 19 digits, increasing with time, each space of its own. */
export const TRADE_ID_BASE = 1_200_000_000_000_000_000n;
export const BILL_ID_BASE = 1_300_000_000_000_000_000n;
export const TAX_ID_BASE = 1_400_000_000_000_000_000n;

export interface SimFill {
  tradeId: string;
  /** The order's global index. */
  g: number;
  orderId: string;
  market: Market;
  inst: Instrument;
  orderType: 'limit' | 'market';
  /** The side the v2 row sends (the order's side). */
  side: Side;
  /** The direction of the trade (a hedge-mode close of a long sells). */
  direction: Side;
  /** Futures: v2 tradeSide and posSide, and whether it closes a position. */
  tradeSide: string | null;
  posSide: string | null;
  hedge: boolean;
  closing: boolean;
  price: string;
  size: string;
  quote: string;
  /** Positive amount paid, '0' when nothing. */
  fee: string;
  feeCoin: string;
  deduction: boolean;
  /** Futures: realised profit (signed, '0' on opening fills); spot: null. */
  profit: string | null;
  role: 'taker' | 'maker';
  source: string;
  cTime: number;
  /** The order's uTime: its fills are listed once it has finished. */
  visibleAt: number;
}

export type EventKind = 'trade' | 'fee' | 'funding' | 'deposit' | 'withdrawal' | 'transfer';

/** One ledger entry, before any endpoint spells it. */
export interface SimEvent {
  kind: EventKind;
  /** The market whose wallet moved (classic); a unified account has one wallet per coin. */
  wallet: Market;
  coin: string;
  /** Signed decimal text. */
  amount: string;
  /** Positive fee charged with the entry, '0' when none. */
  fee: string;
  /** Balance of the wallet's coin after the entry. */
  balance: string;
  symbol: string | null;
  orderId: string | null;
  /** Index in `fills` of the fill it comes from, or -1. */
  fill: number;
  /** Deposits and withdrawals of a unified account are category OTHER; transfers say their direction. */
  direction: 'in' | 'out';
  cTime: number;
  visibleAt: number;
  billId: string;
  taxId: string;
  /** Creation order, to keep events of one instant in a stable order. */
  seq: number;
}

export interface Activity {
  mode: AccountMode;
  /** Ascending by (cTime, tradeId). */
  fills: SimFill[];
  /** Ascending by (cTime, billId); taxIds increase in the same order. */
  events: SimEvent[];
  /** Indices into `fills` / `events` per listing key (ascending). */
  fillsBy: Map<string, Uint32Array>;
  eventsBy: Map<string, Uint32Array>;
}

const cache = new WeakMap<Account, Activity>();
const building = new WeakMap<Account, Promise<Activity>>();

/** The account's fills and ledger in `mode`, built on first use (at once: for tests and the truth). */
export function activityOf(account: Account, mode: AccountMode): Activity {
  const cached = cache.get(account);
  if (cached && cached.mode === mode) return cached;
  const steps = buildActivity(account, mode);
  let step = steps.next();
  while (!step.done) step = steps.next();
  cache.set(account, step.value);
  return step.value;
}

/**
 * The same, built in slices between which the server goes on answering (a 200 000-order account takes seconds
 * of CPU): the server awaits this before a fills, ledger or tax route.
 */
export function activityReady(account: Account, mode: AccountMode): Promise<Activity> {
  const cached = cache.get(account);
  if (cached && cached.mode === mode) return Promise.resolve(cached);
  let pending = building.get(account);
  if (!pending) {
    pending = (async () => {
      const steps = buildActivity(account, mode);
      let step = steps.next();
      while (!step.done) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        step = steps.next();
      }
      cache.set(account, step.value);
      building.delete(account);
      return step.value;
    })();
    building.set(account, pending);
  }
  return pending;
}

/** How many items a build handles between two yields. */
const SLICE = 4096;

/** Enough significant digits that no sum or product here is ever rounded (the default is 20). */
export const Dec = Decimal.clone({ precision: 60 });
const D = (x: string | number): Decimal => new Dec(x);
const text = (x: Decimal): string => x.toFixed();

/**
 * Splits `total` into `weights.length` parts at `places` decimals that add up to it exactly (one part when a
 * share would round to nothing).
 */
function split(total: Decimal, weights: number[], places: number): Decimal[] {
  if (weights.length > 1 && total.mul(0.05).toDecimalPlaces(places, Decimal.ROUND_DOWN).isZero())
    return [total];
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts: Decimal[] = [];
  let rest = total;
  for (let i = 0; i < weights.length - 1; i++) {
    const part = total.mul(weights[i]! / sum).toDecimalPlaces(places, Decimal.ROUND_DOWN);
    parts.push(part);
    rest = rest.minus(part);
  }
  parts.push(rest);
  return parts;
}

/** `total` split in as many parts as the sizes were (all of it on one fill when the sizes are one). */
function splitLike(total: Decimal, weights: number[], parts: number, places: number): Decimal[] {
  if (parts === 1) return [total];
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: Decimal[] = [];
  let rest = total;
  for (let i = 0; i < parts - 1; i++) {
    const part = total.mul(weights[i]! / sum).toDecimalPlaces(places, Decimal.ROUND_DOWN);
    out.push(part);
    rest = rest.minus(part);
  }
  out.push(rest);
  return out;
}

function fillCount(rng: Rng, orderType: 'limit' | 'market'): number {
  const r = rng.next();
  if (orderType === 'market') return r < 0.75 ? 1 : 2;
  return r < 0.55 ? 1 : r < 0.8 ? 2 : r < 0.93 ? 3 : 4;
}

/** Times of k fills in [cTime, uTime], ascending, the last at uTime when the order ended filled. */
function fillTimes(rng: Rng, k: number, cTime: number, uTime: number, endsAtUTime: boolean): number[] {
  const span = Math.max(0, uTime - cTime);
  const times = Array.from({ length: k }, () => cTime + Math.floor(rng.next() * span)).sort((a, b) => a - b);
  if (endsAtUTime) times[k - 1] = uTime;
  return times;
}

interface OrderFills {
  fills: SimFill[];
}

function fillsOfOrder(account: Account, g: number): OrderFills {
  const ctx = contextOf(account, g);
  const { def, inst } = ctx;
  if (def.kind === 'plan') return { fills: [] };
  const rng = createRng(hashSeed(account.salt, account.rowSeed[g] as number, 5001));
  if (def.market === 'spot') {
    const f = spotFacts(ctx);
    if (f.fill.base <= 0) return { fills: [] };
    const k = fillCount(rng, f.orderType);
    const weights = Array.from({ length: k }, () => 0.3 + rng.next());
    const sizes = split(D(trim(f.fill.base, inst.sizePlace + 3)), weights, inst.sizePlace);
    const fees = splitLike(D(trim(f.fee, 12)), weights, sizes.length, 12);
    const price = trim(f.fill.avg, inst.pricePlace + 1);
    const times = fillTimes(rng, sizes.length, ctx.cTime, f.uTime, f.status === 'filled');
    return {
      fills: sizes.map((size, i) => ({
        tradeId: '',
        g,
        orderId: ctx.orderId,
        market: 'spot',
        inst,
        orderType: f.orderType,
        side: f.side,
        direction: f.side,
        tradeSide: null,
        posSide: null,
        hedge: false,
        closing: false,
        price,
        size: text(size),
        quote: text(size.mul(price).toDecimalPlaces(8)),
        fee: text(fees[i]!),
        feeCoin: f.feeCoin,
        deduction: f.deduction,
        profit: null,
        role: f.orderType === 'market' || rng.chance(0.2) ? 'taker' : 'maker',
        source: f.source,
        cTime: times[i]!,
        visibleAt: f.uTime,
      })),
    };
  }
  const f = futuresFacts(account, ctx);
  if (f.fill.base <= 0) return { fills: [] };
  const k = fillCount(rng, f.orderType);
  const weights = Array.from({ length: k }, () => 0.3 + rng.next());
  const sizes = split(D(trim(f.fill.base, inst.sizePlace)), weights, inst.sizePlace);
  const fees = splitLike(D(trim(f.fee, 10)), weights, sizes.length, 10);
  const closing = f.pos.tradeSide === 'close' || f.pos.reduceOnly;
  const profits = splitLike(D(trim(f.profit, 8)), weights, sizes.length, 8);
  const price = trim(f.fill.avg, inst.pricePlace + 1);
  const times = fillTimes(rng, sizes.length, ctx.cTime, f.uTime, f.status === 'filled');
  const direction: Side = f.pos.tradeSide === 'close' ? (f.side === 'buy' ? 'sell' : 'buy') : f.side;
  return {
    fills: sizes.map((size, i) => ({
      tradeId: '',
      g,
      orderId: ctx.orderId,
      market: def.market,
      inst,
      orderType: f.orderType,
      side: f.side,
      direction,
      tradeSide: f.pos.tradeSide,
      posSide: f.pos.posSide,
      hedge: f.pos.hedge,
      closing,
      price,
      size: text(size),
      quote: text(size.mul(price).toDecimalPlaces(8)),
      fee: text(fees[i]!),
      feeCoin: inst.marginCoin,
      deduction: false,
      profit: closing ? text(profits[i]!) : '0',
      role: f.orderType === 'market' || rng.chance(0.3) ? 'taker' : 'maker',
      source: f.source,
      cTime: times[i]!,
      visibleAt: f.uTime,
    })),
  };
}

interface EventAt {
  cTime: number;
  visibleAt: number;
  fill: number;
  orderId: string | null;
  symbol: string | null;
}

/** One event with every field in one order (one object shape: the ledger of a large account is big). */
function event(
  at: EventAt,
  kind: EventKind,
  wallet: Market,
  coin: string,
  amount: string,
  fee: string,
  direction: 'in' | 'out',
  seq: number,
): SimEvent {
  return {
    kind,
    wallet,
    coin,
    amount,
    fee,
    balance: '',
    symbol: at.symbol,
    orderId: at.orderId,
    fill: at.fill,
    direction,
    cTime: at.cTime,
    visibleAt: at.visibleAt,
    billId: '',
    taxId: '',
    seq,
  };
}

function pushTradeEvents(
  out: SimEvent[],
  fill: SimFill,
  index: number,
  mode: AccountMode,
  seq: () => number,
): void {
  const at: EventAt = {
    cTime: fill.cTime,
    visibleAt: fill.visibleAt,
    fill: index,
    orderId: fill.orderId,
    symbol: fill.inst.symbol,
  };
  if (fill.market !== 'spot') {
    const amount = fill.profit ?? '0';
    out.push(
      event(
        at,
        'trade',
        fill.market,
        fill.inst.marginCoin,
        amount,
        fill.fee,
        amount.startsWith('-') ? 'out' : 'in',
        seq(),
      ),
    );
    return;
  }
  const buy = fill.side === 'buy';
  const receivedCoin = buy ? fill.inst.baseCoin : fill.inst.quoteCoin;
  const paidCoin = buy ? fill.inst.quoteCoin : fill.inst.baseCoin;
  const paidAmount = buy ? fill.quote : fill.size;
  const feeOnTrade = mode === 'uta' && fill.feeCoin === receivedCoin;
  out.push(
    event(
      at,
      'trade',
      'spot',
      receivedCoin,
      buy ? fill.size : fill.quote,
      feeOnTrade ? fill.fee : '0',
      'in',
      seq(),
    ),
  );
  out.push(
    event(at, 'trade', 'spot', paidCoin, paidAmount === '0' ? '0' : `-${paidAmount}`, '0', 'out', seq()),
  );
  if (!feeOnTrade && fill.fee !== '0')
    out.push(event(at, 'fee', 'spot', fill.feeCoin, `-${fill.fee}`, '0', 'out', seq()));
}

const FUNDING_EVERY_MS = 8 * 3_600_000;
/** A position is taken as open for at most this long after an opening fill with no later fill. */
const POSITION_HOLD_MS = 2 * DAY_MS;

/** Funding every 8 h (00:00, 08:00, 16:00 UTC) while a futures position is open: a simple model. */
function pushFundingEvents(out: SimEvent[], account: Account, fills: SimFill[], seq: () => number): void {
  const byInstrument = new Map<number, number[]>();
  fills.forEach((f, i) => {
    if (!isFutures(f.market)) return;
    const list = byInstrument.get(f.inst.code) ?? [];
    list.push(i);
    byInstrument.set(f.inst.code, list);
  });
  const rng = createRng(hashSeed(account.salt, 5002));
  for (const list of byInstrument.values()) {
    list.forEach((i, n) => {
      const f = fills[i]!;
      if (f.closing) return;
      const next = n + 1 < list.length ? fills[list[n + 1]!]!.cTime : Infinity;
      const until = Math.min(next, f.cTime + POSITION_HOLD_MS, account.rangeEnd, f.inst.endTime);
      const notional = f.market === 'coin-futures' ? D(f.quote).div(f.price) : D(f.quote);
      for (
        let t = (Math.floor(f.cTime / FUNDING_EVERY_MS) + 1) * FUNDING_EVERY_MS;
        t < until;
        t += FUNDING_EVERY_MS
      ) {
        const rate = (rng.chance(0.7) ? -1 : 1) * (0.00002 + 0.0001 * rng.next());
        const amount = notional.mul(rate).toDecimalPlaces(8);
        if (amount.isZero()) continue;
        const at = { cTime: t, visibleAt: t, fill: -1, orderId: null, symbol: f.inst.symbol };
        out.push(
          event(
            at,
            'funding',
            f.market,
            f.inst.marginCoin,
            text(amount),
            '0',
            amount.gt(0) ? 'in' : 'out',
            seq(),
          ),
        );
      }
    });
  }
}

/** Deposits, transfers to the USDT-M wallet (classic only: a unified account has one wallet) and a withdrawal. */
function pushFundsEvents(out: SimEvent[], account: Account, mode: AccountMode, seq: () => number): void {
  const rng = createRng(hashSeed(account.salt, 5003));
  const span = account.rangeEnd - account.rangeStart;
  const count = Math.max(4, Math.round(span / (7 * DAY_MS)));
  const withdrawalAt = rng.int(1, count - 1);
  for (let n = 0; n < count; n++) {
    const t = account.rangeStart + Math.floor(rng.next() * span);
    const amount = String(rng.int(100, 50_000));
    const at = { cTime: t, visibleAt: t, fill: -1, orderId: null, symbol: null };
    if (n === withdrawalAt)
      out.push(event(at, 'withdrawal', 'spot', 'USDT', `-${amount}`, '0', 'out', seq()));
    else if (n % 3 !== 2 || mode === 'uta')
      out.push(event(at, 'deposit', 'spot', 'USDT', amount, '0', 'in', seq()));
    else {
      out.push(event(at, 'transfer', 'spot', 'USDT', `-${amount}`, '0', 'out', seq()));
      out.push(event(at, 'transfer', 'usdt-futures', 'USDT', amount, '0', 'in', seq()));
    }
  }
}

/** Ids increasing in list order, 19 digits, with gaps of 1 to 4096. */
function assignIds(count: number, base: bigint, rng: Rng): string[] {
  const ids: string[] = new Array<string>(count);
  let offset = 1 + (rng.u32() % 1_000_000) * 1000;
  for (let i = 0; i < count; i++) {
    offset += 1 + (rng.u32() & 0xfff);
    ids[i] = (base + BigInt(offset)).toString();
  }
  return ids;
}

const CATEGORY = {
  spot: 'SPOT',
  'usdt-futures': 'USDT-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
  'coin-futures': 'COIN-FUTURES',
} as const;

/** The v3 category (financial records) / bizType (tax records) of an event. */
export function categoryOf(e: Pick<SimEvent, 'kind' | 'wallet'>): string {
  return e.kind === 'deposit' || e.kind === 'withdrawal' ? 'OTHER' : CATEGORY[e.wallet];
}

function indexBy<T>(items: T[], keysOf: (item: T) => string[]): Map<string, Uint32Array> {
  const lists = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const key of keysOf(item)) {
      const list = lists.get(key) ?? [];
      list.push(i);
      lists.set(key, list);
    }
  });
  return new Map([...lists].map(([k, v]) => [k, Uint32Array.from(v)]));
}

/** Builds the activity, yielding every SLICE items so that a caller can interleave other work. */
function* buildActivity(account: Account, mode: AccountMode): Generator<void, Activity> {
  const fills: SimFill[] = [];
  for (let g = 0; g < account.count; g++) {
    for (const f of fillsOfOrder(account, g).fills) fills.push(f);
    if (g % SLICE === SLICE - 1) yield;
  }
  fills.sort((a, b) => a.cTime - b.cTime || a.g - b.g);
  const tradeIds = assignIds(fills.length, TRADE_ID_BASE, createRng(hashSeed(account.salt, 5004)));
  fills.forEach((f, i) => (f.tradeId = tradeIds[i]!));

  let counter = 0;
  const seq = (): number => counter++;
  const events: SimEvent[] = [];
  for (let i = 0; i < fills.length; i++) {
    pushTradeEvents(events, fills[i]!, i, mode, seq);
    if (i % SLICE === SLICE - 1) yield;
  }
  pushFundingEvents(events, account, fills, seq);
  pushFundsEvents(events, account, mode, seq);
  events.sort((a, b) => a.cTime - b.cTime || a.seq - b.seq);
  const billIds = assignIds(events.length, BILL_ID_BASE, createRng(hashSeed(account.salt, 5005)));
  const taxIds = assignIds(events.length, TAX_ID_BASE, createRng(hashSeed(account.salt, 5006)));
  const balances = new Map<string, Decimal>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const key = mode === 'uta' ? e.coin : `${e.wallet}:${e.coin}`;
    let balance = balances.get(key) ?? D(0);
    if (e.amount !== '0') balance = balance.plus(e.amount);
    if (e.fee !== '0') balance = balance.minus(e.fee);
    balances.set(key, balance);
    e.balance = text(balance);
    e.billId = billIds[i]!;
    e.taxId = taxIds[i]!;
    if (i % SLICE === SLICE - 1) yield;
  }
  return {
    mode,
    fills,
    events,
    fillsBy: indexBy(fills, (f) => [f.market]),
    eventsBy: indexBy(events, (e) => [
      `wallet:${e.wallet}`,
      `category:${categoryOf(e)}`,
      ...(e.wallet === 'spot' ? [] : ['wallets:futures']),
    ]),
  };
}

/** The futures markets, for listings over every product type. */
export const FUTURES_WALLETS: readonly FuturesMarket[] = ['usdt-futures', 'usdc-futures', 'coin-futures'];
