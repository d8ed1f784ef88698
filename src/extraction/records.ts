/**
 * What the run's machinery needs of a record of any data set: its time, its id within its stream (the sort's
 * tie-break and, on id-paginated endpoints, what the cursor compares) and its key (what makes two copies the
 * same record). The cursor's row filter, the checkpointer's sort and the merge read records only through this.
 */
import type { DatasetName } from '../core/dataset';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';
import { compareOrderKey } from '../core/order';

export type RunRecord = CanonicalOrder | CanonicalFill | CanonicalLedgerEntry;

export interface RecordShape {
  /** The field holding the record's id in its line (`orderId`, `tradeId`, `billId`). */
  idField: 'orderId' | 'tradeId' | 'billId';
  /**
   * What tells apart two records that share (time, id): the market for orders and fills, source and account
   * for ledger entries. Records equal in (time, id, discriminator) are copies of one record.
   */
  discriminator(line: Record<string, unknown>): string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const RECORD_SHAPES: Record<DatasetName, RecordShape> = {
  orders: { idField: 'orderId', discriminator: (r) => str(r['market']) },
  fills: { idField: 'tradeId', discriminator: (r) => str(r['market']) },
  ledger: {
    idField: 'billId',
    discriminator: (r) =>
      typeof r['source'] === 'string' && typeof r['account'] === 'string'
        ? `${r['source']}:${r['account']}`
        : null,
  },
};

/** The record's id within its stream. */
export function recordIdOf(dataset: DatasetName, r: RunRecord): string {
  return (r as unknown as Record<string, string>)[RECORD_SHAPES[dataset].idField]!;
}

/** Ascending (time, id) of one data set: compareOrderKey, compareFills and compareLedgerEntries in one. */
export function recordComparator(dataset: DatasetName): (a: RunRecord, b: RunRecord) => number {
  return (a, b) => compareOrderKey(a.cTime, recordIdOf(dataset, a), b.cTime, recordIdOf(dataset, b));
}
