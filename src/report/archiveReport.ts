import { FILLS, LEDGER, ORDERS, archiveStatus, archiveTotals, openArchive, readRecords } from '../archive';
import type { DatasetStatus } from '../archive';
import type { RunStore } from '../storage/RunStore';
import { fillFigures, fundingFigures } from './fillFigures';
import { orderFigures, overDays } from './orderFigures';
import { renderReport } from './renderReport';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** "12 fills archived, covered … to …, 0 gaps": what one data set holds, the span its syncs covered, its gaps. */
function heldLine(noun: string, status: DatasetStatus | undefined): string {
  if (!status) return `no ${noun} archived (no sync fetched them)`;
  const covered =
    status.from !== null && status.to !== null
      ? `covered ${iso(status.from)} to ${iso(status.to)}`
      : 'covered: nothing yet';
  const gaps = `${status.gaps.length} gap${status.gaps.length === 1 ? '' : 's'}`;
  return `${status.records} ${noun} archived, ${covered}, ${gaps}`;
}

/**
 * The archive's report.html, built from its records as the manifest names them (each data set read once, in
 * order) and its coverage: orders per day over the archive's whole span with its gaps shaded; fees per coin,
 * volume per symbol and realised profit and loss per futures symbol from its fills when it holds fills (else fees
 * and volume from the orders), funding from its ledger when it holds one. Rendered on request and not stored:
 * the archive's prefix holds only what its manifest names.
 */
export async function renderArchiveReport(
  store: RunStore,
  uid?: string,
): Promise<{ uid: string; html: string; bytes: number; renderMs: number }> {
  const began = performance.now();
  const { archive, manifest } = await openArchive(store, uid);
  const status = archiveStatus(manifest);
  const coverage = status.datasets[ORDERS.name];
  let figures = await orderFigures(readRecords(archive, manifest, ORDERS));
  if (coverage?.from != null && coverage.to != null)
    figures = overDays(figures, coverage.from, coverage.to - 1);
  const gaps = coverage?.gaps ?? [];
  const fills = status.datasets[FILLS.name];
  const ledger = status.datasets[LEDGER.name];
  // Null when the archive holds neither fills nor a ledger: the report is then the orders' alone.
  const totals = await archiveTotals(archive, manifest);
  const html = renderReport({
    title: `Archive of account ${manifest.uid}`,
    facts: [
      `${coverage?.records ?? 0} orders archived`,
      coverage?.from != null && coverage.to != null
        ? `covered: ${iso(coverage.from)} to ${iso(coverage.to)}`
        : 'covered: nothing yet',
      `${gaps.length} gap${gaps.length === 1 ? '' : 's'} (spans no sync covered while Bitget served them)`,
      ...(totals
        ? [
            `${heldLine('fills', fills)}${fills ? ': fees, volume and realised PnL below are summed from them' : ''}`,
            `${heldLine('ledger entries', ledger)}${ledger ? ': funding below is summed from them' : ''}`,
          ]
        : []),
      manifest.lastSync !== null ? `last sync: ${iso(manifest.lastSync)}` : 'no sync yet',
    ],
    orders: figures,
    gaps,
    ...(totals && fills ? { fills: fillFigures(totals) } : {}),
    ...(totals && ledger ? { funding: fundingFigures(totals) } : {}),
    generatedAt: Date.now(),
  });
  return {
    uid: manifest.uid,
    html,
    bytes: Buffer.byteLength(html),
    renderMs: performance.now() - began,
  };
}
