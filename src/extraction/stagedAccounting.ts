/**
 * The accounting of a run's orders and fills, done ahead of the ledger: as soon as both are staged (merged while
 * the ledger's lanes still run, stagedMerge.ts), in the branch of whichever was staged second, the fills and the
 * orders are read once and what they leave for the ledger (the findings so far, the fees no ledger entry has
 * claimed yet, the fills' totals) is saved under runs/<runId>/staged/accounting.json. The collector then reads
 * only the ledger — or nothing, when the ledger's own staged merge, coming after, fed its entries to it as it
 * wrote them (`ledgerAccountingFeed`). It is used only with staged merges of the same parts; anything else and
 * the collector reads the three result files, as without it.
 */
import { Reconciler } from '../accounting/reconcile';
import type { AccountingSources, AccountingSummary, OrdersAndFillsAccounting } from '../accounting/summary';
import { accountOrdersAndFills } from '../accounting/summary';
import { TotalsCounter } from '../accounting/totals';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalOrder } from '../core/order';
import { recordsWithoutRaw, wholeRecords } from '../core/recordHeader';
import { requestedDatasets } from '../core/request';
import { StorageCorruptError } from '../storage/errors';
import type { RunStore } from '../storage/RunStore';
import type { RunRepository } from './RunRepository';
import type { RunPlan } from './runState';
import type { StagedAccounting } from './stagedMergeState';
import { sameKeys } from './stagedMergeState';

/**
 * The saved accounting, or null when there is none or it does not read as one (StorageCorruptError): while
 * branches run, two of them may write it at once (both found the pair staged) as a third reads it, and the local
 * S3 server can serve an object being replaced with its old length (torn JSON). Null only ever costs reading the
 * files again; any other failure (the store unreachable) is thrown.
 */
async function savedAccounting(run: RunRepository): Promise<StagedAccounting | null> {
  try {
    return await run.getStagedAccounting();
  } catch (err) {
    if (err instanceof StorageCorruptError) return null;
    throw err;
  }
}

/**
 * The accounting's sources in a run's files (the result files, or the staged ones): orders and ledger entries
 * without their `raw` (most of their bytes; the accounting never reads them), fills whole (their `raw` tells a
 * unified account's).
 */
export function accountingSourcesIn(
  store: RunStore,
  keys: { orders: string; fills: string; ledger: string },
): AccountingSources {
  return {
    orders: () => recordsWithoutRaw<Omit<CanonicalOrder, 'raw'>>(store.readByteLineBatches(keys.orders)),
    fills: () => wholeRecords<CanonicalFill>(store.readLines(keys.fills)),
    ledger: () =>
      recordsWithoutRaw<Omit<CanonicalLedgerEntry, 'raw'>>(store.readByteLineBatches(keys.ledger)),
  };
}

/** The accounting (reconciliation and totals) needs all three data sets. */
export function accountingWanted(plan: Pick<RunPlan, 'request'>): boolean {
  const datasets = requestedDatasets(plan.request);
  return datasets.includes('orders') && datasets.includes('fills') && datasets.includes('ledger');
}

/**
 * Saves the staged orders' and fills' accounting when both are staged ('saved'); keeps one already saved from
 * the same staged parts ('kept'); else 'waiting' (the other's branch will do it). Two branches that both find
 * the pair staged write the same file.
 */
export async function stageOrdersAndFillsAccounting(
  run: RunRepository,
  now: () => number,
): Promise<'saved' | 'kept' | 'waiting'> {
  const [orders, fills] = await Promise.all([run.getStagedMerge('orders'), run.getStagedMerge('fills')]);
  if (!orders || !fills) return 'waiting';
  const existing = await savedAccounting(run);
  if (existing && sameKeys(existing.orders, orders.parts) && sameKeys(existing.fills, fills.parts))
    return 'kept';
  const accounting = await accountOrdersAndFills(
    accountingSourcesIn(run.store, {
      orders: run.stagedKeys('orders').jsonl,
      fills: run.stagedKeys('fills').jsonl,
      ledger: run.stagedKeys('ledger').jsonl,
    }),
  );
  await run.saveStagedAccounting({ orders: orders.parts, fills: fills.parts, accounting, savedAt: now() });
  return 'saved';
}

/**
 * For the ledger's staged merge: where to feed each entry it writes (its fields before `raw`), and then save
 * the whole accounting, when the orders and fills were accounted ahead from their current staged parts; null
 * otherwise (the collector then reads the ledger itself).
 */
export async function ledgerAccountingFeed(run: RunRepository): Promise<{
  add(fields: Record<string, unknown>): void;
  save(ledgerParts: readonly string[]): Promise<void>;
} | null> {
  const [orders, fills, staged] = await Promise.all([
    run.getStagedMerge('orders'),
    run.getStagedMerge('fills'),
    savedAccounting(run),
  ]);
  if (!orders || !fills || !staged) return null;
  if (!sameKeys(staged.orders, orders.parts) || !sameKeys(staged.fills, fills.parts)) return null;
  const reconciler = Reconciler.resume(staged.accounting.reconciliation);
  const totals = TotalsCounter.from(staged.accounting.totals);
  return {
    add: (fields) => {
      // The merge's own parse of a line the product wrote (a validated canonical entry), without raw.
      const entry = fields as unknown as Omit<CanonicalLedgerEntry, 'raw'>;
      reconciler.addLedgerEntry(entry);
      totals.addLedgerEntry(entry);
    },
    save: async (ledgerParts) => {
      const summary = { reconciliation: reconciler.result(), totals: totals.result() };
      await run.saveStagedAccounting({ ...staged, withLedger: { ledger: [...ledgerParts], summary } });
    },
  };
}

/**
 * The collector's side: the accounting done ahead from staged merges of exactly the parts the collector
 * publishes — whole when the ledger's parts (`parts.ledger`, published from staging too) fed it, else the
 * orders' and fills' part —; null otherwise.
 */
export async function accountingAheadFor(
  run: RunRepository,
  parts: { orders: readonly string[]; fills: readonly string[]; ledger: readonly string[] | null },
): Promise<{ whole: AccountingSummary } | { ordersAndFills: OrdersAndFillsAccounting } | null> {
  const staged = await savedAccounting(run);
  if (!staged || !sameKeys(staged.orders, parts.orders) || !sameKeys(staged.fills, parts.fills)) return null;
  if (staged.withLedger && parts.ledger && sameKeys(staged.withLedger.ledger, parts.ledger))
    return { whole: staged.withLedger.summary };
  return { ordersAndFills: staged.accounting };
}
