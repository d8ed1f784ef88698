/**
 * Writes a data set's records, sorted, to a file: JSONL (the canonical record, one per line), CSV (csv-stringify;
 * ISO-8601 UTC times beside the epoch milliseconds; `raw` and a fill's `fees` as their JSON), Parquet
 * (@dsnp/parquetjs), or a tax tool's CSV (Koinly's universal template, CoinTracking's import) for fills and
 * the ledger.
 */
import { FILL_FIELDS } from '../core/fill';
import { LEDGER_FIELDS } from '../core/ledgerEntry';
import { ArchiveError } from './errors';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { COINTRACKING_COLUMNS, coinTrackingRow } from '../accounting/coinTracking';
import { KOINLY_COLUMNS, koinlyRow } from '../accounting/koinly';
import type { TaxEvent } from '../accounting/taxEvents';
import type { DatasetName } from '../core/dataset';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';

export const TABLE_FORMATS = ['jsonl', 'csv', 'parquet'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
export const TAX_FORMATS = ['koinly', 'cointracking'] as const;
export type TaxFormat = (typeof TAX_FORMATS)[number];
export const EXPORT_FORMATS = [...TABLE_FORMATS, ...TAX_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The data sets each format is written for: tax tools import what happened (fills, ledger), not orders. */
export const FORMAT_DATASETS: Record<ExportFormat, readonly DatasetName[]> = {
  jsonl: ['orders', 'fills', 'ledger'],
  csv: ['orders', 'fills', 'ledger'],
  parquet: ['orders', 'fills', 'ledger'],
  koinly: ['fills', 'ledger'],
  cointracking: ['fills', 'ledger'],
};

export class ExportError extends ArchiveError {
  override readonly name = 'ExportError';
}

const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

type Cell = string | number | boolean | null;

/** How the records of one data set become flat rows: CSV columns and Parquet fields. */
interface Table<R> {
  csvColumns: readonly string[];
  csvRow(record: R): Record<string, Cell>;
  parquetFields: Record<string, { type: string; optional?: boolean }>;
  /** Columns held as JSON text (objects and arrays). */
  jsonColumns: readonly string[];
}

/** CSV columns of orders: every canonical field, the two times with their ISO-8601 spelling beside them, then raw. */
export const CSV_COLUMNS = [
  'orderId',
  'clientOid',
  'market',
  'kind',
  'symbol',
  'side',
  'orderType',
  'status',
  'price',
  'size',
  'priceAvg',
  'baseVolume',
  'quoteVolume',
  'fee',
  'feeCoin',
  'leverage',
  'marginMode',
  'posSide',
  'tradeSide',
  'reduceOnly',
  'cTime',
  'cTimeIso',
  'uTime',
  'uTimeIso',
  'raw',
] as const;

/** CSV columns of fills: every canonical field, `fees` as its JSON, the ISO time beside cTime, then raw. */
export const FILL_CSV_COLUMNS = [...FILL_FIELDS, 'cTimeIso', 'raw'] as const;

/** CSV columns of ledger entries: every canonical field, the ISO time beside cTime, then raw. */
export const LEDGER_CSV_COLUMNS = [...LEDGER_FIELDS, 'cTimeIso', 'raw'] as const;

/** Every column is the canonical field of that name, except the ISO times and the JSON columns. */
function csvRowOf(
  columns: readonly string[],
  jsonColumns: readonly string[],
  record: object,
): Record<string, Cell> {
  const fields = record as Record<string, unknown>;
  const row: Record<string, Cell> = {};
  for (const column of columns) {
    if (column.endsWith('Iso')) row[column] = iso(fields[column.slice(0, -3)] as number | null);
    else if (jsonColumns.includes(column)) row[column] = JSON.stringify(fields[column]);
    else row[column] = fields[column] as Cell;
  }
  return row;
}

const text = { type: 'UTF8', optional: true };

/** The Parquet columns of orders: every canonical field (decimals as their exact strings, times as INT64 ms), raw as JSON. */
export const PARQUET_FIELDS = {
  orderId: { type: 'UTF8' },
  clientOid: text,
  market: { type: 'UTF8' },
  kind: { type: 'UTF8' },
  symbol: { type: 'UTF8' },
  side: text,
  orderType: { type: 'UTF8' },
  status: { type: 'UTF8' },
  price: text,
  size: text,
  priceAvg: text,
  baseVolume: text,
  quoteVolume: text,
  fee: text,
  feeCoin: text,
  leverage: text,
  marginMode: text,
  posSide: text,
  tradeSide: text,
  reduceOnly: { type: 'BOOLEAN', optional: true },
  cTime: { type: 'INT64' },
  uTime: { type: 'INT64', optional: true },
  raw: { type: 'UTF8' },
} as const;

export const FILL_PARQUET_FIELDS = {
  tradeId: { type: 'UTF8' },
  orderId: { type: 'UTF8' },
  market: { type: 'UTF8' },
  symbol: { type: 'UTF8' },
  side: { type: 'UTF8' },
  price: { type: 'UTF8' },
  size: { type: 'UTF8' },
  quoteVolume: { type: 'UTF8' },
  fee: text,
  feeCoin: text,
  fees: { type: 'UTF8' },
  role: text,
  tradeSide: text,
  posSide: text,
  profit: text,
  cTime: { type: 'INT64' },
  raw: { type: 'UTF8' },
} as const;

export const LEDGER_PARQUET_FIELDS = {
  billId: { type: 'UTF8' },
  account: { type: 'UTF8' },
  coin: { type: 'UTF8' },
  amount: { type: 'UTF8' },
  fee: text,
  balance: text,
  type: { type: 'UTF8' },
  businessType: { type: 'UTF8' },
  symbol: text,
  orderId: text,
  source: { type: 'UTF8' },
  cTime: { type: 'INT64' },
  raw: { type: 'UTF8' },
} as const;

function table<R extends object>(
  csvColumns: readonly string[],
  parquetFields: Table<R>['parquetFields'],
  jsonColumns: readonly string[],
): Table<R> {
  return { csvColumns, parquetFields, jsonColumns, csvRow: (r) => csvRowOf(csvColumns, jsonColumns, r) };
}

export const TABLES = {
  orders: table<CanonicalOrder>(CSV_COLUMNS, PARQUET_FIELDS, ['raw']),
  fills: table<CanonicalFill>(FILL_CSV_COLUMNS, FILL_PARQUET_FIELDS, ['fees', 'raw']),
  ledger: table<CanonicalLedgerEntry>(LEDGER_CSV_COLUMNS, LEDGER_PARQUET_FIELDS, ['raw']),
} satisfies Record<DatasetName, Table<never>>;

type Records<R> = AsyncIterable<R> | Iterable<R>;

async function write(out: WriteStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function finish(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

export async function writeJsonl(records: Records<object>, file: string): Promise<number> {
  const out = createWriteStream(file);
  let n = 0;
  for await (const r of records) {
    await write(out, JSON.stringify(r) + '\n');
    n += 1;
  }
  await finish(out);
  return n;
}

/** Rows of named columns to a CSV file with a header, through csv-stringify; returns the row count. */
export async function writeCsvRows(
  columns: readonly string[],
  rows: Records<Record<string, Cell>>,
  file: string,
): Promise<number> {
  const out = createWriteStream(file);
  const csv = stringify({
    header: true,
    columns: [...columns],
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
  csv.pipe(out);
  let n = 0;
  for await (const row of rows) {
    if (!csv.write(row)) await once(csv, 'drain');
    n += 1;
  }
  csv.end();
  await once(out, 'finish');
  return n;
}

async function* mapRecords<R, T>(records: Records<R>, f: (r: R) => T): AsyncGenerator<T> {
  for await (const r of records) yield f(r);
}

export function writeCsv<R extends object>(
  tableOf: Table<R>,
  records: Records<R>,
  file: string,
): Promise<number> {
  return writeCsvRows(tableOf.csvColumns, mapRecords(records, tableOf.csvRow), file);
}

/** The part of @dsnp/parquetjs used here. */
interface ParquetWriterLike {
  appendRow(row: object): Promise<void>;
  close(): Promise<void>;
}
interface ParquetModule {
  ParquetSchema: new (fields: Record<string, { type: string; optional?: boolean }>) => unknown;
  ParquetWriter: {
    openFile(schema: unknown, path: string): Promise<ParquetWriterLike>;
    openStream(schema: unknown, out: Writable): Promise<ParquetWriterLike>;
  };
  ParquetReader: {
    openFile(path: string): Promise<ParquetReaderLike>;
    openBuffer(buffer: Buffer): Promise<ParquetReaderLike>;
  };
}
interface ParquetReaderLike {
  getCursor(): { next(): Promise<Record<string, unknown> | null> };
  close(): Promise<void>;
}

function loadParquet(): ParquetModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@dsnp/parquetjs') as ParquetModule;
  } catch (err) {
    throw new ExportError(
      `Parquet output needs @dsnp/parquetjs, which cannot be loaded here (${(err as Error).message.split('\n')[0]})`,
    );
  }
}

/** A canonical record as a Parquet row: nulls left out (optional columns), the JSON columns as their JSON. */
function parquetRow<R extends object>(tableOf: Table<R>, record: R): Record<string, unknown> {
  const fields = record as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const name of Object.keys(tableOf.parquetFields)) {
    const v = tableOf.jsonColumns.includes(name) ? JSON.stringify(fields[name]) : fields[name];
    if (v !== null && v !== undefined) row[name] = v;
  }
  return row;
}

async function appendAll<R extends object>(
  writer: ParquetWriterLike,
  tableOf: Table<R>,
  records: Records<R>,
) {
  let n = 0;
  for await (const r of records) {
    await writer.appendRow(parquetRow(tableOf, r));
    n += 1;
  }
  await writer.close();
  return n;
}

export async function writeParquet<R extends object>(
  tableOf: Table<R>,
  records: Records<R>,
  file: string,
): Promise<number> {
  const parquet = loadParquet();
  const writer = await parquet.ParquetWriter.openFile(new parquet.ParquetSchema(tableOf.parquetFields), file);
  return appendAll(writer, tableOf, records);
}

/** Records as one Parquet file in memory (an archive partition); orders unless another table is given. */
export async function parquetBuffer<R extends object>(
  records: readonly R[],
  tableOf: Table<R> = TABLES.orders as Table<object>,
): Promise<Buffer> {
  const parquet = loadParquet();
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const writer = await parquet.ParquetWriter.openStream(
    new parquet.ParquetSchema(tableOf.parquetFields),
    sink,
  );
  await appendAll(writer, tableOf, records);
  return Buffer.concat(chunks);
}

/** Reads a Parquet file (or buffer) written here back into canonical records, in file order; orders by default. */
export async function readParquet(source: string | Buffer): Promise<CanonicalOrder[]>;
export async function readParquet<D extends DatasetName>(
  source: string | Buffer,
  dataset: D,
): Promise<
  (D extends 'fills' ? CanonicalFill : D extends 'ledger' ? CanonicalLedgerEntry : CanonicalOrder)[]
>;
export async function readParquet(
  source: string | Buffer,
  dataset: DatasetName = 'orders',
): Promise<unknown[]> {
  const tableOf: Table<object> = TABLES[dataset];
  const parquet = loadParquet();
  const reader =
    typeof source === 'string'
      ? await parquet.ParquetReader.openFile(source)
      : await parquet.ParquetReader.openBuffer(source);
  const out: unknown[] = [];
  try {
    const cursor = reader.getCursor();
    for (let row = await cursor.next(); row; row = await cursor.next()) {
      const r: Record<string, unknown> = {};
      for (const name of Object.keys(tableOf.parquetFields)) {
        const v = row[name];
        r[name] =
          v === undefined || v === null
            ? null
            : tableOf.jsonColumns.includes(name)
              ? JSON.parse(v as string)
              : typeof v === 'bigint'
                ? Number(v)
                : v;
      }
      out.push(r);
    }
  } finally {
    await reader.close();
  }
  return out;
}

/** Records of one data set as JSONL, CSV or Parquet. */
export function writeTable<R extends object>(
  format: TableFormat,
  tableOf: Table<R>,
  records: Records<R>,
  file: string,
): Promise<number> {
  return format === 'csv'
    ? writeCsv(tableOf, records, file)
    : format === 'parquet'
      ? writeParquet(tableOf, records, file)
      : writeJsonl(records, file);
}

export function writeOrders(
  format: TableFormat,
  records: AsyncIterable<CanonicalOrder>,
  file: string,
): Promise<number> {
  return writeTable(format, TABLES.orders, records, file);
}

/** Tax events as one tool's CSV. */
export function writeTaxCsv(format: TaxFormat, events: Records<TaxEvent>, file: string): Promise<number> {
  return format === 'koinly'
    ? writeCsvRows(KOINLY_COLUMNS, mapRecords(events, koinlyRow), file)
    : writeCsvRows(COINTRACKING_COLUMNS, mapRecords(events, coinTrackingRow), file);
}
