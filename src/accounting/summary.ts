/**
 * The accounting part of summary.json and `archive status`: the reconciliation and the totals, in one
 * JSON-friendly object. Each source is read once, feeding both: the fills first (folded per order for the
 * reconciliation, summed for the totals), then the orders, then the ledger.
 */
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';
import { Reconciler, type Reconciliation, type Records } from './reconcile';
import { TotalsCounter, type Totals } from './totals';

/** Fills with their `raw` (which tells a unified account's fill); orders and ledger entries need not carry it. */
export interface AccountingSources {
  orders(): Records<Omit<CanonicalOrder, 'raw'>>;
  fills(): Records<CanonicalFill>;
  ledger(): Records<Omit<CanonicalLedgerEntry, 'raw'>>;
}

export interface AccountingSummary {
  reconciliation: Reconciliation;
  totals: Totals;
}

export async function summariseAccounting(sources: AccountingSources): Promise<AccountingSummary> {
  const reconciler = new Reconciler();
  const totals = new TotalsCounter();
  for await (const fill of sources.fills()) {
    reconciler.addFill(fill);
    totals.addFill(fill);
  }
  for await (const order of sources.orders()) reconciler.addOrder(order);
  for await (const entry of sources.ledger()) {
    reconciler.addLedgerEntry(entry);
    totals.addLedgerEntry(entry);
  }
  return { reconciliation: reconciler.result(), totals: totals.result() };
}
