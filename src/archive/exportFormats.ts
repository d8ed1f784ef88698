/**
 * Writes orders, sorted, to a file: JSONL (the canonical record, one per line), CSV (csv-stringify; ISO-8601
 * UTC times beside the epoch milliseconds; `raw` as its JSON) or Parquet (@dsnp/parquetjs).
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
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
interface ParquetModule {
  ParquetSchema: new (fields: Record<string, { type: string; optional?: boolean }>) => unknown;
  ParquetWriter: {
    openFile(
      schema: unknown,
      path: string,
    ): Promise<{ appendRow(row: object): Promise<void>; close(): Promise<void> }>;
  };
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

export const PARQUET_FIELDS = {
  orderId: { type: 'UTF8' },
  clientOid: text,
  market: { type: 'UTF8' },
  kind: { type: 'UTF8' },
  symbol: { type: 'UTF8' },
  side: { type: 'UTF8' },
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
  reduceOnly: { type: 'BOOLEAN' },
  cTime: { type: 'INT64' },
  uTime: { type: 'INT64', optional: true },
  raw: { type: 'UTF8' },
} as const;

export async function writeParquet(records: AsyncIterable<CanonicalOrder>, file: string): Promise<number> {
  const parquet = loadParquet();
  const writer = await parquet.ParquetWriter.openFile(new parquet.ParquetSchema(PARQUET_FIELDS), file);
  let n = 0;
  for await (const r of records) {
    const row: Record<string, unknown> = { ...r, raw: JSON.stringify(r.raw) };
    for (const [k, v] of Object.entries(row)) if (v === null) delete row[k];
    await writer.appendRow(row);
    n += 1;
  }
  await writer.close();
  return n;
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
