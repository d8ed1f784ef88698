/**
 * The archive's orders: upserted in batches, each batch one transaction (a row is replaced only by a newer
 * version), partitions imported once (their keys recorded in the same transaction as their last batch),
 * read back with filters and keyset pagination in the archive's order (cTime, orderId, market).
 */
import type { Transaction } from 'kysely';
import type { ArchiveStore } from '../archive/ArchiveStore';
import { FILLS, LEDGER, ORDERS, type DatasetName } from '../archive/dataset';
import type { Manifest } from '../archive/manifest';
import type { CanonicalOrder } from '../core/order';
import type { DatasetImportOutcome } from './archiveImport';
import { forgetStalePartitions, importDataset, importedPartitions } from './archiveImport';
import { insertArchiveFills, insertArchiveLedger } from './archiveRecords';
import type { Database } from './connection';
import { InvalidArchiveQueryError } from './errors';
import { orderToRow, rowToOrder } from './orderRecord';
import type { ArchiveOrdersTable, Tables } from './schema';

export const ARCHIVE_BATCH = 500;
export const MAX_ARCHIVE_PAGE = 500;

export const orderKey = (orderId: string): string => orderId.padStart(25, '0');

/** The run table's row of the order (one mapping of the canonical record), keyed by account instead of run. */
function toRow(uid: string, o: CanonicalOrder): ArchiveOrdersTable {
  const { execution_arn: _run, created_at: _stored, ...columns } = orderToRow('', o);
  return { ...columns, uid, order_key: orderKey(o.orderId), version: ORDERS.version(o) };
}

export interface UpsertOutcome {
  inserted: number;
  updated: number;
}

async function upsertBatch(
  trx: Transaction<Tables>,
  uid: string,
  orders: CanonicalOrder[],
): Promise<UpsertOutcome> {
  const rows = orders.map((o) => toRow(uid, o));
  const held = await trx
    .selectFrom('archive_orders')
    .select(['market', 'order_id', 'version'])
    .where('uid', '=', uid)
    .where(
      'order_id',
      'in',
      rows.map((r) => r.order_id),
    )
    .execute();
  const version = new Map(held.map((h) => [`${h.market}|${h.order_id}`, Number(h.version)]));
  const fresh = new Map<string, ArchiveOrdersTable>();
  let updated = 0;
  for (const row of rows) {
    const key = `${row.market}|${row.order_id}`;
    const v = version.get(key);
    if (v === undefined) {
      const seen = fresh.get(key);
      if (!seen || row.version > seen.version) fresh.set(key, row);
    } else if (row.version > v) {
      const { uid: u, market, order_id, ...rest } = row;
      await trx
        .updateTable('archive_orders')
        .set(rest)
        .where('uid', '=', u)
        .where('market', '=', market)
        .where('order_id', '=', order_id)
        .execute();
      version.set(key, row.version);
      updated += 1;
    }
  }
  if (fresh.size > 0)
    await trx
      .insertInto('archive_orders')
      .values([...fresh.values()])
      .execute();
  return { inserted: fresh.size, updated };
}

/** Upserts orders in batches of `batch`, one transaction each; `done` runs inside the last batch's transaction. */
export async function upsertArchiveOrders(
  database: Database,
  uid: string,
  orders: CanonicalOrder[],
  options: { batch?: number; done?: (trx: Transaction<Tables>) => Promise<void> } = {},
): Promise<UpsertOutcome> {
  const size = options.batch ?? ARCHIVE_BATCH;
  const total: UpsertOutcome = { inserted: 0, updated: 0 };
  if (orders.length === 0 && options.done) await database.db.transaction().execute(options.done);
  for (let i = 0; i < orders.length; i += size) {
    const last = i + size >= orders.length;
    const outcome = await database.db.transaction().execute(async (trx) => {
      const o = await upsertBatch(trx, uid, orders.slice(i, i + size));
      if (last && options.done) await options.done(trx);
      return o;
    });
    total.inserted += outcome.inserted;
    total.updated += outcome.updated;
  }
  return total;
}

/**
 * What one import changed. The top-level figures are the orders' (what sync.ts reports beside its own order
 * counts); `datasets` has each data set's, fills and ledger included.
 */
export interface ArchiveImportOutcome extends DatasetImportOutcome {
  datasets: Record<DatasetName, DatasetImportOutcome>;
}

/**
 * Brings the database up to the manifest, every data set it holds (orders, fills, ledger): every partition it
 * names that the database has not imported yet is written (its key recorded with its last batch), and keys of
 * partitions the manifest no longer names are forgotten. Interrupted at any moment, the next call completes
 * it: re-importing a batch changes nothing. `beforeWrite` runs before each partition's first write.
 */
export async function importArchive(
  database: Database,
  archive: ArchiveStore,
  manifest: Manifest,
  beforeWrite: () => void | Promise<void> = () => undefined,
): Promise<ArchiveImportOutcome> {
  const uid = manifest.uid;
  const imported = await importedPartitions(database, uid);
  const orders = await importDataset(
    database,
    archive,
    manifest,
    ORDERS,
    imported,
    (records, done) => upsertArchiveOrders(database, uid, records, { done }),
    beforeWrite,
  );
  const fills = await importDataset(
    database,
    archive,
    manifest,
    FILLS,
    imported,
    (records, done) => insertArchiveFills(database, uid, records, { done }),
    beforeWrite,
  );
  const ledger = await importDataset(
    database,
    archive,
    manifest,
    LEDGER,
    imported,
    (records, done) => insertArchiveLedger(database, uid, records, { done }),
    beforeWrite,
  );
  await forgetStalePartitions(database, manifest, imported);
  return { ...orders, datasets: { orders, fills, ledger } };
}

// Callers outside the module import it from here (src/api/routes/archive.ts).
export { InvalidArchiveQueryError };

export interface ArchiveQuery {
  uid: string;
  market?: string;
  kind?: string;
  symbol?: string;
  status?: string;
  /** cTime ≥ since. */
  since?: number;
  /** cTime < until. */
  until?: number;
  /** The `next` of the previous page. */
  after?: string;
  limit: number;
}

export interface ArchivePage {
  orders: CanonicalOrder[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

function encodeCursor(row: { c_time: number; order_key: string; market: string }): string {
  return Buffer.from(`${Number(row.c_time)}.${row.order_key}.${row.market}`).toString('base64url');
}

function decodeCursor(cursor: string): { cTime: number; orderKey: string; market: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,16})\.(\d{25})\.([a-z-]{1,16})$/.exec(text);
  if (!m) throw new InvalidArchiveQueryError('after is not a cursor this API returned');
  return { cTime: Number(m[1]), orderKey: m[2]!, market: m[3]! };
}

/** One page of the account's archived orders, sorted by (cTime, orderId, market), after the cursor. */
export async function listArchiveOrders(database: Database, q: ArchiveQuery): Promise<ArchivePage> {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_ARCHIVE_PAGE)
    throw new InvalidArchiveQueryError(`limit must be an integer from 1 to ${MAX_ARCHIVE_PAGE}`);
  let query = database.db.selectFrom('archive_orders').selectAll().where('uid', '=', q.uid);
  if (q.market) query = query.where('market', '=', q.market);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.symbol) query = query.where('symbol', '=', q.symbol.toUpperCase());
  if (q.status) query = query.where('status', '=', q.status);
  if (q.since !== undefined) query = query.where('c_time', '>=', q.since);
  if (q.until !== undefined) query = query.where('c_time', '<', q.until);
  if (q.after) {
    const c = decodeCursor(q.after);
    query = query.where((eb) =>
      eb.or([
        eb('c_time', '>', c.cTime),
        eb.and([eb('c_time', '=', c.cTime), eb('order_key', '>', c.orderKey)]),
        eb.and([eb('c_time', '=', c.cTime), eb('order_key', '=', c.orderKey), eb('market', '>', c.market)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('c_time')
    .orderBy('order_key')
    .orderBy('market')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const orders = page.map((r) => rowToOrder({ ...r, execution_arn: '', created_at: null }));
  const last = page[page.length - 1];
  return { orders, next: rows.length > q.limit && last ? encodeCursor(last) : null };
}

export async function countArchiveOrders(database: Database, uid: string): Promise<number> {
  const row = await database.db
    .selectFrom('archive_orders')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('uid', '=', uid)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
