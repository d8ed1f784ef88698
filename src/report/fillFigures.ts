import type { Totals } from '../accounting/totals';
import { Decimal } from '../accounting/decimals';

/** summary.json's `accounting.totals` (src/accounting/totals.ts), checked as it is read back. */
export { totalsSchema } from '../accounting/schemas';

/** What a report shows of the fills (a run's or the archive's): every amount a decimal string, exact as summed. */
export interface FillFigures {
  /** Fees paid per coin, largest amount first (each in its own coin). */
  feesByCoin: { coin: string; amount: string }[];
  /** Volume per symbol, largest quote volume first. */
  volumeBySymbol: { symbol: string; market: string; base: string; quote: string; fills: number }[];
  /** Realised profit and loss per settle coin, its futures symbols largest profit first; coins never mixed. */
  realisedPnl: {
    settleCoin: string;
    total: string;
    symbols: { symbol: string; market: string; profit: string }[];
  }[];
}

/** Funding paid and received per ledger source and coin (the ledger's funding entries), exact as summed. */
export interface FundingFigure {
  source: string;
  coin: string;
  paid: string;
  received: string;
  net: string;
}

const byDecimalDesc = (a: string, b: string) => new Decimal(b).cmp(a);

/** Arranges the fills' totals for drawing: sorted, grouped by settle coin, nothing summed across coins. */
export function fillFigures(totals: Totals): FillFigures {
  const symbolsByCoin = new Map<string, { symbol: string; market: string; profit: string }[]>();
  for (const [market, bySymbol] of Object.entries(totals.realisedPnl.bySymbol))
    for (const [symbol, p] of Object.entries(bySymbol)) {
      const list = symbolsByCoin.get(p.settleCoin) ?? [];
      list.push({ symbol, market, profit: p.profit });
      symbolsByCoin.set(p.settleCoin, list);
    }
  return {
    feesByCoin: Object.entries(totals.feesPaid)
      .map(([coin, amount]) => ({ coin, amount }))
      .sort((a, b) => byDecimalDesc(a.amount, b.amount) || a.coin.localeCompare(b.coin)),
    volumeBySymbol: Object.entries(totals.volume)
      .flatMap(([market, bySymbol]) =>
        Object.entries(bySymbol).map(([symbol, v]) => ({ symbol, market, ...v })),
      )
      .sort((a, b) => byDecimalDesc(a.quote, b.quote) || a.symbol.localeCompare(b.symbol)),
    realisedPnl: Object.entries(totals.realisedPnl.total)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([settleCoin, total]) => ({
        settleCoin,
        total,
        symbols: (symbolsByCoin.get(settleCoin) ?? []).sort(
          (a, b) => byDecimalDesc(a.profit, b.profit) || a.symbol.localeCompare(b.symbol),
        ),
      })),
  };
}

/** The ledger's funding totals as rows: the bills' first, then the tax records' (never added together). */
export function fundingFigures(totals: Totals): FundingFigure[] {
  return (['bills', 'tax'] as const).flatMap((source) =>
    Object.entries(totals.funding[source]).map(([coin, f]) => ({ source, coin, ...f })),
  );
}
