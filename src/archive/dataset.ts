/**
 * A data set of the archive, as a parameter: its name, the key that makes a record unique, the version rule
 * (which of two copies of one key is kept), the time that places a record in a monthly partition, the sort key
 * inside a partition, and the stream whose coverage vouches for it: orders, fills and the ledger.
 */
import { z } from 'zod';
import { parseFillLine, parseLedgerLine, RecordLineError } from '../accounting/recordLines';
import type { CanonicalFill } from '../core/fill';
import { compareFills, FILL_FIELDS, fillKey } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { compareLedgerEntries, LEDGER_FIELDS, ledgerKey } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';
import { compareOrderKey, KINDS, MARKETS } from '../core/order';
import { fillStream, ledgerStream } from './coverage';
import { ArchiveRecordError } from './errors';
import { parquetBuffer, TABLES } from './exportFormats';

export interface DatasetSpec<R> {
  readonly name: string;
  /** Unique within the data set. */
  key(record: R): string;
  /** The copy with the higher version wins; on a tie the archived copy stays (a sync run twice changes nothing). */
  version(record: R): number;
  /**
   * Set for a data set whose records never change once made (a fill, a ledger entry): every copy of a key has
   * one version, the archived copy stays, and a copy whose value differs in one of these fields is a conflict,
   * reported by the merge rather than written over what the archive holds.
   */
  immutableFields?: readonly (keyof R & string)[];
  /** Epoch ms that places the record in its `yyyy/mm` partition. */
  time(record: R): number;
  /** The order of records inside a partition (and of an export). */
  compare(a: R, b: R): number;
  /** The stream (a coverage unit: one market and kind for orders) the record belongs to. */
  stream(record: R): string;
  /** Parses one NDJSON line, refusing a record without the fields above. */
  parse(line: string): R;
  /** When set, every partition is also written as this Parquet file (the Glue table's format). */
  parquet?(records: readonly R[]): Promise<Buffer>;
}

/** The fields of a canonical order the archive relies on (the rest passes through). */
export const orderRecordSchema = z.looseObject({
  orderId: z.string().regex(/^\d{1,25}$/),
  market: z.enum(MARKETS),
  kind: z.enum(KINDS),
  cTime: z.number().int(),
  uTime: z.number().int().nullable(),
  raw: z.record(z.string(), z.unknown()),
});

export const ORDERS: DatasetSpec<CanonicalOrder> = {
  name: 'orders',
  key: (o) => `${o.market}|${o.orderId}`,
  version: (o) => o.uTime ?? o.cTime,
  time: (o) => o.cTime,
  compare: (a, b) => compareOrderKey(a.cTime, a.orderId, b.cTime, b.orderId),
  stream: (o) => `${o.market}/${o.kind}`,
  parse(line: string): CanonicalOrder {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ArchiveRecordError(`an order line is not JSON: ${line.slice(0, 120)}`, { cause: error });
    }
    const checked = orderRecordSchema.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new ArchiveRecordError(`an order line lacks ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return value as CanonicalOrder;
  },
  parquet: (records) => parquetBuffer(records),
};

/** A record line the accounting's zod schema refuses, as the archive's error (the archive is never read past it). */
function archiveLine<R>(parse: (line: string) => R): (line: string) => R {
  return (line) => {
    try {
      return parse(line);
    } catch (error) {
      if (error instanceof RecordLineError) throw new ArchiveRecordError(error.message, { cause: error });
      throw error;
    }
  };
}

/** Fills: one per (market, tradeId), placed and sorted by their execution time. */
export const FILLS: DatasetSpec<CanonicalFill> = {
  name: 'fills',
  key: fillKey,
  version: () => 0,
  immutableFields: FILL_FIELDS,
  time: (f) => f.cTime,
  compare: compareFills,
  stream: fillStream,
  parse: archiveLine(parseFillLine),
  parquet: (records) => parquetBuffer(records, TABLES.fills),
};

/**
 * Ledger entries: one per (source, account, billId), so a tax record and the bill it repeats are both kept
 * (their coverage is recorded per stream: the tax streams reach further back).
 */
export const LEDGER: DatasetSpec<CanonicalLedgerEntry> = {
  name: 'ledger',
  key: ledgerKey,
  version: () => 0,
  immutableFields: LEDGER_FIELDS,
  time: (e) => e.cTime,
  compare: compareLedgerEntries,
  stream: ledgerStream,
  parse: archiveLine(parseLedgerLine),
  parquet: (records) => parquetBuffer(records, TABLES.ledger),
};

export const DATASETS = { orders: ORDERS, fills: FILLS, ledger: LEDGER } as const;
export type DatasetName = keyof typeof DATASETS;

/** `yyyy-mm` of an epoch ms, in UTC. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}
