import { reconcile } from '../../src/accounting/reconcile';
import type { AccountingSummary } from '../../src/accounting/summary';
import { computeTotals } from '../../src/accounting/totals';
import type { CanonicalFill } from '../../src/core/fill';
import type { CanonicalLedgerEntry } from '../../src/core/ledgerEntry';
import type { CanonicalOrder } from '../../src/core/order';

/**
 * The accounting of three record lists in one reading of each, by `reconcile` and `computeTotals`: no snapshot,
 * no resume — what the staged and resumed paths must give.
 */
export async function accountingInOneReading(
  orders: CanonicalOrder[],
  fills: CanonicalFill[],
  ledger: CanonicalLedgerEntry[],
): Promise<AccountingSummary> {
  return {
    reconciliation: await reconcile({ orders, fills, ledger }),
    totals: await computeTotals({ fills, ledger }),
  };
}
