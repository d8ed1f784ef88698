/** The run report's lines about the data sets beyond orders: counts, requests, the tax reach, accounting. */
import type { RunSummary } from '../extraction/runSummary';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Nothing when the run fetched orders only (or its summary predates data sets). */
export function formatDatasetLines(summary: RunSummary): string[] {
  const datasets = summary.datasets ?? {};
  if (!datasets.fills && !datasets.ledger) return [];
  const parts = (['orders', 'fills', 'ledger'] as const).flatMap((name) => {
    const d = datasets[name];
    if (!d) return [];
    const tax =
      name === 'ledger' && d.taxSince !== null && d.taxSince !== undefined
        ? `, tax records from ${day(d.taxSince)}`
        : '';
    return [`${name} ${d.records} (${d.requests} req${tax})`];
  });
  const lines = [`data sets: ${parts.join(', ')}`];
  const accounting = summary.accounting;
  if (accounting) {
    const r = accounting.reconciliation;
    lines.push(
      `reconciliation: ${r.discrepancies} discrepancies over ${r.checked.orders} orders, ${r.checked.fills} fills, ` +
        `${r.checked.feeEntries} fee entries (size ${r.sizeMismatches.count}, fee ${r.feeMismatches.count}, ` +
        `orders without fills ${r.ordersWithoutFills.count}, fills without order ${r.fillsWithoutOrder.count}, ` +
        `fee entries without fill ${r.feeEntriesWithoutFill.count})`,
    );
    const t = accounting.totals;
    lines.push(`fees paid: ${listed(t.feesPaid)}`);
    lines.push(`realised PnL: ${listed(t.realisedPnl.total)}`);
    const funding = Object.entries(t.funding.bills).map(
      ([coin, f]) => `${coin} paid ${f.paid}, received ${f.received}`,
    );
    lines.push(`funding (bills): ${funding.length > 0 ? funding.join('; ') : '-'}`);
    const symbols = Object.values(t.volume).reduce((n, bySymbol) => n + Object.keys(bySymbol).length, 0);
    lines.push(`volume: ${symbols} symbols (per symbol, base and quote, in summary.json)`);
  }
  return lines;
}

function listed(amounts: Record<string, string>): string {
  const entries = Object.entries(amounts);
  return entries.length === 0 ? '-' : entries.map(([coin, v]) => `${v} ${coin}`).join(', ');
}
