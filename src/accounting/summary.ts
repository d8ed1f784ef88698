/**
 * The accounting part of summary.json and `archive status`: the reconciliation and the totals, in one
 * JSON-friendly object. The sources are opened again for each pass (the fills are read twice: once folded per
 * order for the reconciliation, once summed for the totals), so nothing is held beyond what each pass needs.
 */
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';
import { reconcile, type Reconciliation, type Records } from './reconcile';
import { computeTotals, type Totals } from './totals';

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
  const reconciliation = await reconcile({
    orders: sources.orders(),
    fills: sources.fills(),
    ledger: sources.ledger(),
  });
  const totals = await computeTotals({ fills: sources.fills(), ledger: sources.ledger() });
  return { reconciliation, totals };
}
