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

/** Ledger entries are read without their `raw` (the exchange's row), which the totals never read. */
export async function computeTotals(input: {
  fills: Records<CanonicalFill>;
  ledger: Records<Omit<CanonicalLedgerEntry, 'raw'>>;
}): Promise<Totals> {
  const fees = new Map<string, Sum>();
  const volume = new Map<string, Map<string, { fills: number; base: Sum; quote: Sum }>>();
  const pnl = new Map<string, Map<string, { coin: string; profit: Sum }>>();
  const pnlTotal = new Map<string, Sum>();
  for await (const fill of input.fills) {
    for (const { fee, feeCoin } of fill.fees) getOr(fees, feeCoin, () => new Sum()).add(fee);
    const v = getOr(
      getOr(volume, fill.market, () => new Map()),
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
        getOr(pnl, fill.market, () => new Map()),
        fill.symbol,
        () => ({ coin, profit: new Sum() }),
      ).profit.add(fill.profit);
      getOr(pnlTotal, coin, () => new Sum()).add(fill.profit);
    }
  }

  const funding = { bills: new Map<string, { paid: Sum; received: Sum }>(), tax: new Map() } as Record<
    LedgerSource,
    Map<string, { paid: Sum; received: Sum }>
  >;
  for await (const entry of input.ledger) {
    if (entry.type !== 'funding') continue;
    const f = getOr(funding[entry.source], entry.coin, () => ({ paid: new Sum(), received: new Sum() }));
    const amount = new Decimal(entry.amount);
    if (amount.isNegative()) f.paid.add(amount.neg());
    else f.received.add(amount);
  }

  const fundingOut = (m: Map<string, { paid: Sum; received: Sum }>) =>
    sorted(m, (f) => ({
      paid: plain(f.paid.value),
      received: plain(f.received.value),
      net: plain(f.received.value.minus(f.paid.value)),
    }));
  return {
    feesPaid: sorted(fees, (s) => plain(s.value)),
    volume: sorted(volume, (bySymbol) =>
      sorted(bySymbol, (v) => ({ fills: v.fills, base: plain(v.base.value), quote: plain(v.quote.value) })),
    ),
    realisedPnl: {
      bySymbol: sorted(pnl, (bySymbol) =>
        sorted(bySymbol, (p) => ({ settleCoin: p.coin, profit: plain(p.profit.value) })),
      ),
      total: sorted(pnlTotal, (s) => plain(s.value)),
    },
    funding: { bills: fundingOut(funding.bills), tax: fundingOut(funding.tax) },
  };
}
