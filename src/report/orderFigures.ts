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

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const POWERS_OF_TEN: bigint[] = [];
const tenTo = (n: number): bigint => (POWERS_OF_TEN[n] ??= 10n ** BigInt(n));

/**
 * `acc = acc.plus(v)` from Decimal 0, with the same result at every step, several times cheaper: while every
 * partial sum has at most Decimal.precision significant digits Decimal rounds nothing, so the sum is kept exactly
 * as an integer of units of 10^-scale (BigInt). From the first step at which Decimal would round (or a value that
 * is not a plain decimal), it goes on in Decimal from the exact sum so far, as the Decimal sum would have.
 */
export class DecimalSum {
  private units = 0n;
  private scale = 0;
  private decimal: Decimal | null = null;
  private readonly limit = tenTo(Decimal.precision);

  add(v: string | number): void {
    if (this.decimal) {
      this.decimal = this.decimal.plus(v);
      return;
    }
    if (v === 0) return;
    const m = typeof v === 'string' ? PLAIN_DECIMAL.exec(v) : null;
    if (!m) {
      this.decimal = new Decimal(this.exact()).plus(v);
      return;
    }
    const frac = m[3] ?? '';
    let units = BigInt(m[2]! + frac);
    if (m[1]) units = -units;
    if (frac.length > this.scale) {
      this.units *= tenTo(frac.length - this.scale);
      this.scale = frac.length;
    } else if (frac.length < this.scale) units *= tenTo(this.scale - frac.length);
    const sum = this.units + units;
    if (this.tooPrecise(sum)) {
      this.decimal = new Decimal(this.exact()).plus(v);
      return;
    }
    this.units = sum;
  }

  value(): Decimal {
    return this.decimal ?? new Decimal(this.exact());
  }

  /** More significant digits (trailing zeros aside) than Decimal keeps. */
  private tooPrecise(units: bigint): boolean {
    let u = units < 0n ? -units : units;
    if (u < this.limit) return false;
    while (u % 10n === 0n) u /= 10n;
    return u >= this.limit;
  }

  /** The exact sum so far, as a decimal string. */
  private exact(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
    const int = digits.slice(0, digits.length - this.scale);
    const frac = digits.slice(digits.length - this.scale);
    return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
  }
}

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
  private readonly fees = new Map<string, { amount: DecimalSum; orders: number }>();
  private readonly volume = new Map<
    string,
    { market: Market; base: DecimalSum; quote: DecimalSum; orders: number }
  >();
  private count = 0;
  /** The first error an order raised (an amount Decimal cannot read): figures() throws it. */
  private error: { error: unknown } | undefined;

  /** True once an order could not be counted (figures() would throw). */
  get failed(): boolean {
    return this.error !== undefined;
  }

  add(o: OrderFigureFields): void {
    if (this.error) return;
    try {
      this.count++;
      const day = Math.floor(o.cTime / DAY_MS);
      let row = this.perDay.get(day);
      if (!row) {
        row = Object.fromEntries(MARKETS.map((m) => [m, 0])) as Record<Market, number>;
        this.perDay.set(day, row);
      }
      row[o.market]++;
      if (o.fee !== null && o.feeCoin !== null) {
        let f = this.fees.get(o.feeCoin);
        if (!f) {
          f = { amount: new DecimalSum(), orders: 0 };
          this.fees.set(o.feeCoin, f);
        }
        f.amount.add(o.fee);
        f.orders++;
      }
      if (o.baseVolume !== null || o.quoteVolume !== null) {
        const key = `${o.market}\u0000${o.symbol}`;
        let v = this.volume.get(key);
        if (!v) {
          v = { market: o.market, base: new DecimalSum(), quote: new DecimalSum(), orders: 0 };
          this.volume.set(key, v);
        }
        v.base.add(o.baseVolume ?? 0);
        v.quote.add(o.quoteVolume ?? 0);
        v.orders++;
      }
    } catch (error) {
      this.error = { error };
    }
  }

  figures(): OrderFigures {
    if (this.error) throw this.error.error;
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
        .map(([coin, f]) => ({ coin, amount: f.amount.value().toFixed(), orders: f.orders }))
        .sort((a, b) => b.orders - a.orders || a.coin.localeCompare(b.coin)),
      volumeBySymbol: [...this.volume]
        .map(([key, v]) => ({
          symbol: key.split('\u0000')[1]!,
          market: v.market,
          base: v.base.value(),
          quote: v.quote.value(),
          orders: v.orders,
        }))
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
