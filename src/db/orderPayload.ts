/**
 * A batch of orders.jsonl lines turned into what the database's own bulk loader takes: every line parsed and
 * validated (parseOrderLine, zod) and mapped to its `orders` row, then written as one payload: TSV for MySQL's
 * `LOAD DATA LOCAL INFILE`, or the rows' values in INFILE_COLUMNS order, flat, for multi-row INSERTs of bound
 * parameters (SQLite; MySQL where LOCAL INFILE is refused). Pure: runs in the import's worker thread
 * (parseWorker.ts) or in process alike.
 */
import { INFILE_COLUMNS, rowsToTsv } from './localInfile';
import { orderToRow, parseOrderLine } from './orderRecord';
import type { OrderRow } from './orderRecord';

export type PayloadFormat = 'tsv' | 'values';

export interface LineBatch {
  /** Where the lines come from (an object key), for the error naming a bad line. */
  source: string;
  executionArn: string;
  /** When the rows are stored (epoch ms): their `created_at`. */
  storedAt: number;
  lines: string[];
  /** 1-based line number of each line. */
  numbers: number[];
  format: PayloadFormat;
}

export type OrderValue = string | number | null;

export type OrderPayload =
  | { format: 'tsv'; payload: string; count: number }
  | { format: 'values'; values: OrderValue[]; count: number };

/** The payload of validated rows. */
export function rowsPayload(rows: readonly OrderRow[], format: PayloadFormat): OrderPayload {
  if (format === 'tsv') return { format, payload: rowsToTsv(rows), count: rows.length };
  const values: OrderValue[] = [];
  for (const row of rows) for (const column of INFILE_COLUMNS) values.push(row[column] as OrderValue);
  return { format, values, count: rows.length };
}

/** Validates every line (the first bad one throws InvalidOrderRecordError naming its line) into one payload. */
export function parseLineBatch(batch: LineBatch): OrderPayload {
  const rows = batch.lines.map((line, i) =>
    orderToRow(
      batch.executionArn,
      parseOrderLine(line, `${batch.source} line ${batch.numbers[i]}`),
      batch.storedAt,
    ),
  );
  return rowsPayload(rows, batch.format);
}
