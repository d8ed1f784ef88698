/**
 * Which records of the truth an archive says it holds: those whose time lies in the covered span of the stream
 * that serves them, outside that stream's gaps — and for a tax record, outside the time its account's bills cover
 * (a sync asks the tax records only where the bills are not). What a check of the archive against a truth
 * compares with (the demo, the tests).
 */
import type { Manifest } from '../archive/manifest';
import { fillStreamParts, ledgerStreamParts } from '../archive/coverage';
import { billsCoverage } from '../archive/datasetStreams';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';

/**
 * The selector of a record's stream when the record says it (a futures account's product type). The endpoint is
 * that of the stream the archive files the record under (`fillStreamParts`, `ledgerStreamParts`); a unified
 * account's record is looked for in every category's stream of its endpoint.
 */
const selectorOf = (account: string): string | undefined =>
  account.endsWith('-futures') ? account.toUpperCase() : undefined;

function coveredBy(
  manifest: Manifest,
  dataset: string,
): (endpoint: string, selector: string | undefined, t: number) => boolean {
  const state = manifest.datasets[dataset];
  if (state === undefined) return () => false;
  return (endpoint, selector, t) =>
    Object.entries(state.streams).some(([stream, span]) => {
      const [e, s] = stream.split('/');
      return (
        e === endpoint &&
        (selector === undefined || s === undefined || s === selector) &&
        t >= span.from &&
        t < span.to &&
        !state.gaps.some((g) => g.stream === stream && t >= g.from && t < g.to)
      );
    });
}

export interface ArchivedSpans {
  fill(f: CanonicalFill): boolean;
  ledger(e: CanonicalLedgerEntry): boolean;
}

export function archivedSpans(manifest: Manifest): ArchivedSpans {
  const fills = coveredBy(manifest, 'fills');
  const ledger = coveredBy(manifest, 'ledger');
  const ledgerState = manifest.datasets['ledger'];
  const bills = ledgerState ? billsCoverage(ledgerState) : () => false;
  return {
    fill: (f) =>
      fills(fillStreamParts(f).endpoint, f.market === 'spot' ? undefined : selectorOf(f.market), f.cTime),
    ledger: (e) =>
      ledger(ledgerStreamParts(e).endpoint, selectorOf(e.account), e.cTime) &&
      (e.source === 'bills' || !bills(e)),
  };
}
