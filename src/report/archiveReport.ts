import { ORDERS, archiveStatus, openArchive, readRecords } from '../archive';
import type { RunStore } from '../storage/RunStore';
import { orderFigures, overDays } from './orderFigures';
import { renderReport } from './renderReport';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * The archive's report.html, built from its records as the manifest names them (read once, in order) and its
 * coverage: orders per day over the archive's whole span with its gaps shaded, fees per coin, volume per symbol.
 * Rendered on request and not stored: the archive's prefix holds only what its manifest names.
 */
export async function renderArchiveReport(
  store: RunStore,
  uid?: string,
): Promise<{ uid: string; html: string; bytes: number; renderMs: number }> {
  const began = performance.now();
  const { archive, manifest } = await openArchive(store, uid);
  const status = archiveStatus(manifest);
  const coverage = status.datasets['orders'];
  let figures = await orderFigures(readRecords(archive, manifest, ORDERS));
  if (coverage?.from != null && coverage.to != null)
    figures = overDays(figures, coverage.from, coverage.to - 1);
  const gaps = coverage?.gaps ?? [];
  const html = renderReport({
    title: `Archive of account ${manifest.uid}`,
    facts: [
      `${coverage?.records ?? 0} orders archived`,
      coverage?.from != null && coverage.to != null
        ? `covered: ${iso(coverage.from)} to ${iso(coverage.to)}`
        : 'covered: nothing yet',
      `${gaps.length} gap${gaps.length === 1 ? '' : 's'} (spans no sync covered while Bitget served them)`,
      manifest.lastSync !== null ? `last sync: ${iso(manifest.lastSync)}` : 'no sync yet',
    ],
    orders: figures,
    gaps,
    generatedAt: Date.now(),
  });
  return {
    uid: manifest.uid,
    html,
    bytes: Buffer.byteLength(html),
    renderMs: performance.now() - began,
  };
}
