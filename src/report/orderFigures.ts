import Decimal from 'decimal.js';
import type { CanonicalOrder, Market } from '../core/order';
import { MARKETS } from '../core/order';

const DAY_MS = 86_400_000;

/** What a report shows of a set of orders; every amount summed with decimal arithmetic, kept as a string. */
export interface OrderFigures {
  orders: number;
  /** UTC days (`YYYY-MM-DD`) from the first order's day to the last one's, every day present. */
  days: string[];
  /** Orders created per day, per market, aligned with `days`. */
  perDayByMarket: Record<Market, number[]>;
  /** Fees paid per coin, largest first by count of orders that paid it. */
  feesByCoin: { coin: string; amount: string; orders: number }[];
  /** Filled volume per symbol (base and quote), largest quote volume first. */
  volumeBySymbol: { symbol: string; market: Market; base: string; quote: string; orders: number }[];
}

const dayOf = (t: number) => new Date(Math.floor(t / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/** The fields of an order the figures read (a CanonicalOrder has them; so has the collector's merge item). */
export type OrderFigureFields = Pick<
  CanonicalOrder,
  'cTime' | 'market' | 'symbol' | 'fee' | 'feeCoin' | 'baseVolume' | 'quoteVolume'
>;

/**
 * The figures counted one order at a time, in any order (the collector feeds it the orders as it writes them,
 * so that the report need not read orders.jsonl again); memory grows with days, coins and symbols, not orders.
 */
export class OrderFiguresCounter {
  private readonly perDay = new Map<number, Record<Market, number>>();
  private readonly fees = new Map<string, { amount: Decimal; orders: number }>();
  private readonly volume = new Map<
    string,
    { market: Market; base: Decimal; quote: Decimal; orders: number }
  >();
  private count = 0;
  /** Set once an order could not be counted (an amount Decimal cannot read): the report then reads the file. */
  private broken = false;

  /** True once an order could not be counted: its figures are not to be used. */
  get failed(): boolean {
    return this.broken;
  }

  /** Counts one order; an order it cannot count marks the counter failed instead of failing the caller. */
  add(o: OrderFigureFields): void {
    if (this.broken) return;
    try {
      this.count1(o);
    } catch {
      this.broken = true;
    }
  }

  private count1(o: OrderFigureFields): void {
    this.count++;
    const day = Math.floor(o.cTime / DAY_MS);
    let row = this.perDay.get(day);
    if (!row) {
      row = Object.fromEntries(MARKETS.map((m) => [m, 0])) as Record<Market, number>;
      this.perDay.set(day, row);
    }
    row[o.market]++;
    if (o.fee !== null && o.feeCoin !== null) {
      const f = this.fees.get(o.feeCoin);
      if (f) {
        f.amount = f.amount.plus(o.fee);
        f.orders++;
      } else this.fees.set(o.feeCoin, { amount: new Decimal(0).plus(o.fee), orders: 1 });
    }
    if (o.baseVolume !== null || o.quoteVolume !== null) {
      const key = `${o.market}\u0000${o.symbol}`;
      let v = this.volume.get(key);
      if (!v) {
        v = { market: o.market, base: new Decimal(0), quote: new Decimal(0), orders: 0 };
        this.volume.set(key, v);
      }
      v.base = v.base.plus(o.baseVolume ?? 0);
      v.quote = v.quote.plus(o.quoteVolume ?? 0);
      v.orders++;
    }
  }

  figures(): OrderFigures {
    const dayNumbers = [...this.perDay.keys()];
    const first = dayNumbers.length ? Math.min(...dayNumbers) : 0;
    const last = dayNumbers.length ? Math.max(...dayNumbers) : -1;
    const days: string[] = [];
    const perDayByMarket = Object.fromEntries(MARKETS.map((m) => [m, [] as number[]])) as Record<
      Market,
      number[]
    >;
    for (let d = first; d <= last; d++) {
      days.push(dayOf(d * DAY_MS));
      for (const m of MARKETS) perDayByMarket[m].push(this.perDay.get(d)?.[m] ?? 0);
    }
    return {
      orders: this.count,
      days,
      perDayByMarket,
      feesByCoin: [...this.fees]
        .map(([coin, f]) => ({ coin, amount: f.amount.toFixed(), orders: f.orders }))
        .sort((a, b) => b.orders - a.orders || a.coin.localeCompare(b.coin)),
      volumeBySymbol: [...this.volume]
        .map(([key, v]) => ({ symbol: key.split('\u0000')[1]!, ...v }))
        .sort((a, b) => b.quote.cmp(a.quote) || a.symbol.localeCompare(b.symbol))
        .map((v) => ({
          symbol: v.symbol,
          market: v.market,
          base: v.base.toFixed(),
          quote: v.quote.toFixed(),
          orders: v.orders,
        })),
    };
  }
}

/** Reads the orders once, in any order; memory grows with days, coins and symbols, not with orders. */
export async function orderFigures(orders: AsyncIterable<OrderFigureFields>): Promise<OrderFigures> {
  const counter = new OrderFiguresCounter();
  for await (const o of orders) counter.add(o);
  return counter.figures();
}

/**
 * The same figures over a wider span of UTC days (the archive's coverage), the days without orders counted as
 * zero; a span narrower than the orders' days changes nothing.
 */
export function overDays(figures: OrderFigures, from: number, to: number): OrderFigures {
  const firstDay = Math.floor(from / DAY_MS);
  const lastDay = Math.floor(to / DAY_MS);
  const index = new Map(figures.days.map((d, i) => [d, i]));
  const start = Math.min(firstDay, figures.days.length ? Date.parse(figures.days[0]!) / DAY_MS : firstDay);
  const end = Math.max(
    lastDay,
    figures.days.length ? Date.parse(figures.days[figures.days.length - 1]!) / DAY_MS : lastDay,
  );
  const days: string[] = [];
  const perDayByMarket = Object.fromEntries(MARKETS.map((m) => [m, [] as number[]])) as Record<
    Market,
    number[]
  >;
  for (let d = start; d <= end; d++) {
    const day = dayOf(d * DAY_MS);
    days.push(day);
    const i = index.get(day);
    for (const m of MARKETS) perDayByMarket[m].push(i === undefined ? 0 : figures.perDayByMarket[m][i]!);
  }
  return { ...figures, days, perDayByMarket };
}

/** The UTC day (`YYYY-MM-DD`) of an epoch ms. */
export const utcDay = dayOf;
