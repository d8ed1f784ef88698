/**
 * Totals for summary.json and `archive status`, with decimal arithmetic: fees paid per coin, volume per symbol,
 * realised profit and loss per futures symbol and per settle coin, funding paid and received. Amounts of
 * different coins are never added together. Holds one running sum per coin and per symbol, nothing per record.
 */
import type DecimalJs from 'decimal.js';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry, LedgerSource } from '../core/ledgerEntry';
import { settleCoin } from './coins';
import { Decimal, plain } from './decimals';
import type { Records } from './reconcile';

export interface SymbolVolume {
  fills: number;
  /** In the base coin. */
  base: string;
  /** In the quote coin. */
  quote: string;
}

export interface SymbolProfit {
  settleCoin: string;
  profit: string;
}

export interface Funding {
  /** Positive amount paid out. */
  paid: string;
  received: string;
  /** received − paid. */
  net: string;
}

export interface Totals {
  /** Trading fees paid, from the fills (every fee coin of every fill), per coin. */
  feesPaid: Record<string, string>;
  /** Per market, per symbol. */
  volume: Record<string, Record<string, SymbolVolume>>;
  realisedPnl: {
    /** Per futures market, per symbol. */
    bySymbol: Record<string, Record<string, SymbolProfit>>;
    /** Per settle coin. */
    total: Record<string, string>;
  };
  /**
   * From ledger entries of `type: funding`, per source, per coin. The two sources are kept apart because the
   * tax records repeat what the bills say for the time both cover: adding them would count a payment twice.
   */
  funding: Record<LedgerSource, Record<string, Funding>>;
}

class Sum {
  value = new Decimal(0);
  add(v: DecimalJs.Value) {
    this.value = this.value.plus(v);
  }
}

const sorted = <V, O>(map: Map<string, V>, f: (v: V) => O): Record<string, O> => {
  const out: Record<string, O> = {};
  for (const key of [...map.keys()].sort()) out[key] = f(map.get(key)!);
  return out;
};

const getOr = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
};

/**
 * The totals fed one record at a time, fills and ledger entries in any order. Ledger entries need no `raw` (the
 * exchange's row), which the totals never read.
 */
export class TotalsCounter {
  private readonly fees = new Map<string, Sum>();
  private readonly volume = new Map<string, Map<string, { fills: number; base: Sum; quote: Sum }>>();
  private readonly pnl = new Map<string, Map<string, { coin: string; profit: Sum }>>();
  private readonly pnlTotal = new Map<string, Sum>();
  private readonly funding: Record<LedgerSource, Map<string, { paid: Sum; received: Sum }>> = {
    bills: new Map(),
    tax: new Map(),
  };

  /** Totals that go on from `totals` (another counter's result): its sums are the starting point. */
  static from(totals: Totals): TotalsCounter {
    const t = new TotalsCounter();
    const sum = (v: string) => {
      const s = new Sum();
      s.add(v);
      return s;
    };
    for (const [coin, v] of Object.entries(totals.feesPaid)) t.fees.set(coin, sum(v));
    for (const [market, bySymbol] of Object.entries(totals.volume))
      t.volume.set(
        market,
        new Map(
          Object.entries(bySymbol).map(([symbol, v]) => [
            symbol,
            { fills: v.fills, base: sum(v.base), quote: sum(v.quote) },
          ]),
        ),
      );
    for (const [market, bySymbol] of Object.entries(totals.realisedPnl.bySymbol))
      t.pnl.set(
        market,
        new Map(
          Object.entries(bySymbol).map(([symbol, p]) => [
            symbol,
            { coin: p.settleCoin, profit: sum(p.profit) },
          ]),
        ),
      );
    for (const [coin, v] of Object.entries(totals.realisedPnl.total)) t.pnlTotal.set(coin, sum(v));
    for (const source of ['bills', 'tax'] as const)
      for (const [coin, f] of Object.entries(totals.funding[source]))
        t.funding[source].set(coin, { paid: sum(f.paid), received: sum(f.received) });
    return t;
  }

  addFill(fill: CanonicalFill): void {
    for (const { fee, feeCoin } of fill.fees) getOr(this.fees, feeCoin, () => new Sum()).add(fee);
    const v = getOr(
      getOr(this.volume, fill.market, () => new Map()),
      fill.symbol,
      () => ({
        fills: 0,
        base: new Sum(),
        quote: new Sum(),
      }),
    );
    v.fills += 1;
    v.base.add(fill.size);
    v.quote.add(fill.quoteVolume);
    if (fill.market !== 'spot' && fill.profit !== null) {
      const coin = settleCoin(fill);
      getOr(
        getOr(this.pnl, fill.market, () => new Map()),
        fill.symbol,
        () => ({ coin, profit: new Sum() }),
      ).profit.add(fill.profit);
      getOr(this.pnlTotal, coin, () => new Sum()).add(fill.profit);
    }
  }

  addLedgerEntry(entry: Omit<CanonicalLedgerEntry, 'raw'>): void {
    if (entry.type !== 'funding') return;
    const f = getOr(this.funding[entry.source], entry.coin, () => ({ paid: new Sum(), received: new Sum() }));
    const amount = new Decimal(entry.amount);
    if (amount.isNegative()) f.paid.add(amount.neg());
    else f.received.add(amount);
  }

  result(): Totals {
    const fundingOut = (m: Map<string, { paid: Sum; received: Sum }>) =>
      sorted(m, (f) => ({
        paid: plain(f.paid.value),
        received: plain(f.received.value),
        net: plain(f.received.value.minus(f.paid.value)),
      }));
    return {
      feesPaid: sorted(this.fees, (s) => plain(s.value)),
      volume: sorted(this.volume, (bySymbol) =>
        sorted(bySymbol, (v) => ({ fills: v.fills, base: plain(v.base.value), quote: plain(v.quote.value) })),
      ),
      realisedPnl: {
        bySymbol: sorted(this.pnl, (bySymbol) =>
          sorted(bySymbol, (p) => ({ settleCoin: p.coin, profit: plain(p.profit.value) })),
        ),
        total: sorted(this.pnlTotal, (s) => plain(s.value)),
      },
      funding: { bills: fundingOut(this.funding.bills), tax: fundingOut(this.funding.tax) },
    };
  }
}

/** The totals of fills and ledger entries, each read once. */
export async function computeTotals(input: {
  fills: Records<CanonicalFill>;
  ledger: Records<Omit<CanonicalLedgerEntry, 'raw'>>;
}): Promise<Totals> {
  const t = new TotalsCounter();
  for await (const fill of input.fills) t.addFill(fill);
  for await (const entry of input.ledger) t.addLedgerEntry(entry);
  return t.result();
}
