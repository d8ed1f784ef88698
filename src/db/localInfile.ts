import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { UnknownInfileError } from './errors';
import { ORDER_COLUMN_NAMES } from './orderColumns';
import type { OrderRow } from './orderRecord';

/**
 * `LOAD DATA LOCAL INFILE` without files: the client names a payload held in memory and the MySQL driver asks
 * `infileStreamFactory` for it. Only names registered here are served; any other name the server asks for
 * (a hostile server may ask for any path) is refused, so no file on disk is ever read.
 */
const payloads = new Map<string, string>();

/** mysql2's `infileStreamFactory`: the registered payload of that name, or a stream that fails. */
export function infileStreamFactory(name: string): Readable {
  const payload = payloads.get(name);
  if (payload === undefined) {
    const refused = new Readable({ read() {} });
    process.nextTick(() =>
      refused.destroy(new UnknownInfileError(`refused LOCAL INFILE request for ${name}`)),
    );
    return refused;
  }
  return Readable.from(infileChunks(Buffer.from(payload, 'utf8')), { objectMode: false });
}

/**
 * Bytes per chunk served to the driver. mysql2 sends each chunk the stream yields as one protocol packet, and a
 * server drops the connection on a packet larger than its `max_allowed_packet` (16 MiB by default on MariaDB,
 * 64 MiB on MySQL 8): served as one chunk, a batch of 5,000 orders of ~4 KB reset the connection (ECONNRESET).
 * 1 MiB stays under every default.
 */
export const INFILE_CHUNK_BYTES = 1024 * 1024;

/** `bytes` in slices of at most INFILE_CHUNK_BYTES (views, not copies). */
export function* infileChunks(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += INFILE_CHUNK_BYTES) {
    yield bytes.subarray(at, at + INFILE_CHUNK_BYTES);
  }
}

/** Holds `payload` under a fresh name for the duration of `use(name)`. */
export async function withInfile<T>(payload: string, use: (name: string) => Promise<T>): Promise<T> {
  const name = `bitget-orders-${randomBytes(8).toString('hex')}.tsv`;
  payloads.set(name, payload);
  try {
    return await use(name);
  } finally {
    payloads.delete(name);
  }
}

/** The `orders` columns loaded, in the order of each TSV line. */
export const INFILE_COLUMNS: readonly (keyof OrderRow)[] = [
  'execution_arn',
  ...ORDER_COLUMN_NAMES,
  'created_at',
];

/** One field in LOAD DATA's default format: tab-separated, `\N` for NULL, backslash escapes. */
function field(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r\0]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0',
  );
}

/** Validated rows as the TSV payload of one `LOAD DATA LOCAL INFILE`. */
export function rowsToTsv(rows: readonly OrderRow[]): string {
  let out = '';
  for (const row of rows) {
    out += INFILE_COLUMNS.map((c) => field(row[c] as string | number | null)).join('\t') + '\n';
  }
  return out;
}
