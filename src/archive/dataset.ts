/**
 * A data set of the archive, as a parameter: its name, the key that makes a record unique, the version rule
 * (which of two copies of one key is kept), the time that places a record in a monthly partition, the sort key
 * inside a partition, and the stream whose coverage vouches for it. Orders now; fills and ledger plug in here.
 */
import { z } from 'zod';
import type { CanonicalOrder } from '../core/order';
import { compareOrderKey, KINDS, MARKETS } from '../core/order';
import { ArchiveRecordError } from './errors';
import { parquetBuffer } from './exportFormats';

export interface DatasetSpec<R> {
  readonly name: string;
  /** Unique within the data set. */
  key(record: R): string;
  /** The copy with the higher version wins; on a tie the archived copy stays (a sync run twice changes nothing). */
  version(record: R): number;
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

const orderLine = z.looseObject({
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
    const checked = orderLine.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new ArchiveRecordError(`an order line lacks ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return value as CanonicalOrder;
  },
  parquet: (records) => parquetBuffer(records),
};

export const DATASETS = { orders: ORDERS } as const;
export type DatasetName = keyof typeof DATASETS;

/** `yyyy-mm` of an epoch ms, in UTC. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}
