/**
 * The accounting part of summary.json and `archive status`: the reconciliation and the totals, in one
 * JSON-friendly object. Each source is read once, feeding both: the fills first (folded per order for the
 * reconciliation, summed for the totals), then the orders, then the ledger. The first two can be read ahead
 * (`accountOrdersAndFills`, while the ledger's lanes still run) and the ledger added later from what they left.
 */
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';
import { Reconciler, type Reconciliation, type ReconcilerSnapshot, type Records } from './reconcile';
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

/** What the fills and the orders contribute to the accounting, before the ledger: JSON. */
export interface OrdersAndFillsAccounting {
  reconciliation: ReconcilerSnapshot;
  /** The totals of the fills alone (funding, from the ledger, still empty). */
  totals: Totals;
}

export async function accountOrdersAndFills(
  sources: Pick<AccountingSources, 'orders' | 'fills'>,
): Promise<OrdersAndFillsAccounting> {
  const reconciler = new Reconciler();
  const totals = new TotalsCounter();
  for await (const fill of sources.fills()) {
    reconciler.addFill(fill);
    totals.addFill(fill);
  }
  for await (const order of sources.orders()) reconciler.addOrder(order);
  return { reconciliation: reconciler.afterOrders(), totals: totals.result() };
}

/** The accounting of the three sources, or of the ledger added to what the orders and fills left (`ahead`). */
export async function summariseAccounting(
  sources: AccountingSources,
  ahead?: OrdersAndFillsAccounting,
): Promise<AccountingSummary> {
  const before = ahead ?? (await accountOrdersAndFills(sources));
  const reconciler = Reconciler.resume(before.reconciliation);
  const totals = TotalsCounter.from(before.totals);
  for await (const entry of sources.ledger()) {
    reconciler.addLedgerEntry(entry);
    totals.addLedgerEntry(entry);
  }
  return { reconciliation: reconciler.result(), totals: totals.result() };
}
