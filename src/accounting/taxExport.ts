/**
 * The tax events of a whole data set, for a tax tool's CSV. Fills: each fill's events. Ledger: every entry's
 * event except a `trade` entry (the fills carry the trade), a fee entry some fill carries (it is on that fill's
 * row), and a tax record of a time the bills already cover: the tax records repeat the bills for the time both
 * reach, so a tax record is taken only where its account's bills are not (before the first bill of a run's
 * result; outside the archive's bills coverage and inside its gaps).
 */
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { FillFees } from './feeMatch';
import type { Records } from './reconcile';
import { fillEvents, ledgerEvent, type LedgerSkip, type TaxEvent } from './taxEvents';

export async function* fillTaxEvents(fills: Records<CanonicalFill>): AsyncGenerator<TaxEvent> {
  for await (const fill of fills) yield* fillEvents(fill);
}

export type LedgerExportSkip = LedgerSkip | 'taxRecordCoveredByBills';

export interface LedgerExportTally {
  skipped: Record<LedgerExportSkip, number>;
}

export const newLedgerExportTally = (): LedgerExportTally => ({
  skipped: { trade: 0, feeOfAFill: 0, taxRecordCoveredByBills: 0 },
});

/**
 * Reads the fills once (their fees, one key each), the ledger twice (`ledger()` opens it again): first for where
 * each account's bills begin, then for the events. Counts what it leaves out in `tally`.
 */
export async function* ledgerTaxEvents(
  input: {
    fills: Records<CanonicalFill>;
    ledger: () => Records<CanonicalLedgerEntry>;
    /**
     * Whether the bills cover an entry's time for its account (the archive knows, from its coverage and gaps).
     * Omitted (a run's result, whose bills are one span): from the first bill of the account on.
     */
    billsCover?: (entry: CanonicalLedgerEntry) => boolean;
  },
  tally: LedgerExportTally = newLedgerExportTally(),
): AsyncGenerator<TaxEvent> {
  const fillFees = new FillFees();
  for await (const fill of input.fills) fillFees.add(fill);
  const billsCover = input.billsCover ?? (await fromFirstBill(input.ledger()));
  for await (const entry of input.ledger()) {
    if (entry.source === 'tax' && billsCover(entry)) {
      tally.skipped.taxRecordCoveredByBills += 1;
      continue;
    }
    const r = ledgerEvent(entry, fillFees);
    if ('skipped' in r) tally.skipped[r.skipped] += 1;
    else yield r.event;
  }
}

/** Bills cover an account's time from its first bill on (a run's result: its bills are one span). */
async function fromFirstBill(
  ledger: Records<CanonicalLedgerEntry>,
): Promise<(entry: CanonicalLedgerEntry) => boolean> {
  const billsFrom = new Map<string, number>();
  for await (const entry of ledger) {
    if (entry.source !== 'bills') continue;
    const from = billsFrom.get(entry.account);
    if (from === undefined || entry.cTime < from) billsFrom.set(entry.account, entry.cTime);
  }
  return (entry) => entry.cTime >= (billsFrom.get(entry.account) ?? Infinity);
}
