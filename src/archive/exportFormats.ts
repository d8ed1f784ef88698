/**
 * Writes orders, sorted, to a file: JSONL (the canonical record, one per line), CSV (csv-stringify; ISO-8601
 * UTC times beside the epoch milliseconds; `raw` as its JSON) or Parquet (@dsnp/parquetjs).
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { CanonicalOrder } from '../core/order';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportError extends Error {
  override readonly name = 'ExportError';
}

const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

/** CSV columns: every canonical field, the two times with their ISO-8601 spelling beside them, then raw. */
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

function csvRow(o: CanonicalOrder): Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> {
  return {
    orderId: o.orderId,
    clientOid: o.clientOid,
    market: o.market,
    kind: o.kind,
    symbol: o.symbol,
    side: o.side,
    orderType: o.orderType,
    status: o.status,
    price: o.price,
    size: o.size,
    priceAvg: o.priceAvg,
    baseVolume: o.baseVolume,
    quoteVolume: o.quoteVolume,
    fee: o.fee,
    feeCoin: o.feeCoin,
    leverage: o.leverage,
    marginMode: o.marginMode,
    posSide: o.posSide,
    tradeSide: o.tradeSide,
    reduceOnly: o.reduceOnly,
    cTime: o.cTime,
    cTimeIso: iso(o.cTime),
    uTime: o.uTime,
    uTimeIso: iso(o.uTime),
    raw: JSON.stringify(o.raw),
  };
}

async function write(out: WriteStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function finish(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

export async function writeJsonl(records: AsyncIterable<CanonicalOrder>, file: string): Promise<number> {
  const out = createWriteStream(file);
  let n = 0;
  for await (const r of records) {
    await write(out, JSON.stringify(r) + '\n');
    n += 1;
  }
  await finish(out);
  return n;
}

export async function writeCsv(records: AsyncIterable<CanonicalOrder>, file: string): Promise<number> {
  const out = createWriteStream(file);
  const csv = stringify({
    header: true,
    columns: [...CSV_COLUMNS],
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
  csv.pipe(out);
  let n = 0;
  for await (const r of records) {
    if (!csv.write(csvRow(r))) await once(csv, 'drain');
    n += 1;
  }
  csv.end();
  await once(out, 'finish');
  return n;
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

const text = { type: 'UTF8', optional: true };

/** The Parquet columns: every canonical field (decimals as their exact strings, times as INT64 ms), raw as JSON. */
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

/** A canonical order as a Parquet row: nulls left out (optional columns), raw as its JSON. */
function parquetRow(o: CanonicalOrder): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const name of Object.keys(PARQUET_FIELDS)) {
    const v = name === 'raw' ? JSON.stringify(o.raw) : (o as unknown as Record<string, unknown>)[name];
    if (v !== null && v !== undefined) row[name] = v;
  }
  return row;
}

async function appendAll(
  writer: ParquetWriterLike,
  records: AsyncIterable<CanonicalOrder> | Iterable<CanonicalOrder>,
) {
  let n = 0;
  for await (const r of records) {
    await writer.appendRow(parquetRow(r));
    n += 1;
  }
  await writer.close();
  return n;
}

export async function writeParquet(records: AsyncIterable<CanonicalOrder>, file: string): Promise<number> {
  const parquet = loadParquet();
  const writer = await parquet.ParquetWriter.openFile(new parquet.ParquetSchema(PARQUET_FIELDS), file);
  return appendAll(writer, records);
}

/** The orders as one Parquet file in memory (an archive partition). */
export async function parquetBuffer(records: readonly CanonicalOrder[]): Promise<Buffer> {
  const parquet = loadParquet();
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const writer = await parquet.ParquetWriter.openStream(new parquet.ParquetSchema(PARQUET_FIELDS), sink);
  await appendAll(writer, records);
  return Buffer.concat(chunks);
}

/** Reads a Parquet file (or buffer) written here back into canonical orders, in file order. */
export async function readParquet(source: string | Buffer): Promise<CanonicalOrder[]> {
  const parquet = loadParquet();
  const reader =
    typeof source === 'string'
      ? await parquet.ParquetReader.openFile(source)
      : await parquet.ParquetReader.openBuffer(source);
  const out: CanonicalOrder[] = [];
  try {
    const cursor = reader.getCursor();
    for (let row = await cursor.next(); row; row = await cursor.next()) {
      const o: Record<string, unknown> = {};
      for (const name of Object.keys(PARQUET_FIELDS)) {
        const v = row[name];
        o[name] =
          v === undefined || v === null
            ? null
            : name === 'raw'
              ? JSON.parse(v as string)
              : typeof v === 'bigint'
                ? Number(v)
                : v;
      }
      out.push(o as unknown as CanonicalOrder);
    }
  } finally {
    await reader.close();
  }
  return out;
}

export function writeOrders(
  format: ExportFormat,
  records: AsyncIterable<CanonicalOrder>,
  file: string,
): Promise<number> {
  return format === 'csv'
    ? writeCsv(records, file)
    : format === 'parquet'
      ? writeParquet(records, file)
      : writeJsonl(records, file);
}
