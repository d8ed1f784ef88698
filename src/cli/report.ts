import type { BitgetClient } from '../bitget/BitgetClient';
import { formatDatasetLines } from './datasetReport';
import type { RunOutput } from '../core/engine';
import { PRODUCT_TYPE_BY_MARKET } from '../core/order';
import type { RunSummary } from '../extraction/runSummary';

export interface RunReportInput {
  summary: RunSummary;
  output: RunOutput;
  elapsedMs: number;
  /** Symbols the caller named that the exchange does not list (spot or futures). */
  unknownSymbols?: string[];
  /** Where the result files are, when they were written. */
  files?: string[];
}

/**
 * The report of a complete run, as `demo` prints it at its step 2 and `extract` at its end: counts by market
 * and kind, lanes, requests, retries, 429s, the plan's notes (the 90-day limit), named symbols the exchange does
 * not have, "nothing to fetch" when nothing was there, and where the files are. The first line has no indent
 * (the caller may number it); the others are indented by three spaces.
 */
export function formatRunReport(r: RunReportInput): string[] {
  const { summary, output } = r;
  const seconds = r.elapsedMs / 1000;
  const rate = seconds > 0 ? (summary.requests / seconds).toFixed(1) : '-';
  const lines = [
    `Extraction: ${output.orders} orders in ${seconds.toFixed(1)} s through the local state machine`,
    `${summary.requests} requests (${rate}/s), ${summary.retries} retries, ${summary.http429} HTTP 429, ${summary.duplicatesDropped} duplicates dropped`,
  ];
  if (output.orders > 0) {
    lines.push(`by market: ${counts(summary.byMarket)}`, `by kind:   ${counts(summary.byKind)}`);
  } else {
    const served = summary.served
      ? ` between ${new Date(summary.served.since).toISOString()} and ${new Date(summary.served.until).toISOString()}`
      : '';
    lines.push(`nothing to fetch: the exchange holds no order${served} for what was asked`);
  }
  lines.push(
    `lanes:     ${summary.lanes.map((l) => `${l.laneId} ${l.orders}/${l.requests} req`).join(', ')}`,
  );
  lines.push(...formatDatasetLines(summary));
  const skipped = [...new Set(summary.lanes.flatMap((l) => l.skippedSymbols))];
  const unknown = [...new Set([...(r.unknownSymbols ?? []), ...skipped])];
  if (unknown.length > 0) lines.push(`not on the exchange: ${unknown.join(', ')} (nothing fetched for them)`);
  for (const note of summary.notes) lines.push(`note: ${note}`);
  if (r.files && r.files.length > 0) lines.push(`files:     ${r.files.join(', ')}`);
  return lines.map((l, i) => (i === 0 ? l : `   ${l}`));
}

function counts(c: Record<string, number>): string {
  const entries = Object.entries(c);
  return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

/**
 * The named symbols Bitget lists neither as a spot symbol (delisted ones included) nor as a futures contract
 * of any product type. Public endpoints: four requests, no key needed.
 */
export async function symbolsNotOnExchange(client: BitgetClient, symbols: string[]): Promise<string[]> {
  if (symbols.length === 0) return [];
  const known = new Set<string>();
  for (const s of await client.getSpotSymbols()) known.add(s.symbol.toUpperCase());
  for (const productType of Object.values(PRODUCT_TYPE_BY_MARKET))
    for (const c of await client.getFuturesContracts(productType)) known.add(c.symbol.toUpperCase());
  return symbols.filter((s) => !known.has(s.toUpperCase()));
}
