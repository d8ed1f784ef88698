/**
 * The archive's fills and ledger entries in the database: inserted in batches, each batch one transaction
 * (a record never changes once made, so a key already held keeps its row, as the archive keeps its copy), and
 * read back with filters and keyset pagination in the archive's order: fills by (cTime, tradeId, market),
 * ledger entries by (cTime, billId, source, account).
 */
import type { Transaction } from 'kysely';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { Database } from './connection';
import { InvalidArchiveQueryError } from './errors';
import { fillToRow, idKey, ledgerToRow, rowToFill, rowToLedger } from './archiveRecordRows';
import type { Tables } from './schema';

export const ARCHIVE_RECORD_BATCH = 1000;
export const MAX_ARCHIVE_RECORD_PAGE = 500;

export interface InsertOutcome {
  inserted: number;
}

type RecordTable = 'archive_fills' | 'archive_ledger';

async function insertBatches<R>(
  database: Database,
  table: RecordTable,
  rows: R[],
  options: { batch?: number; done?: (trx: Transaction<Tables>) => Promise<void> },
): Promise<InsertOutcome> {
  const size = options.batch ?? ARCHIVE_RECORD_BATCH;
  let inserted = 0;
  if (rows.length === 0 && options.done) await database.db.transaction().execute(options.done);
  for (let i = 0; i < rows.length; i += size) {
    const last = i + size >= rows.length;
    inserted += await database.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto(table)
        .ignore()
        .values(rows.slice(i, i + size) as never)
        .executeTakeFirst();
      if (last && options.done) await options.done(trx);
      return Number(result.numInsertedOrUpdatedRows ?? 0n);
    });
  }
  return { inserted };
}

/** Inserts fills the database does not hold yet, in batches of `batch`; `done` runs in the last batch's transaction. */
export async function insertArchiveFills(
  database: Database,
  uid: string,
  fills: readonly CanonicalFill[],
  options: { batch?: number; done?: (trx: Transaction<Tables>) => Promise<void> } = {},
): Promise<InsertOutcome> {
  return insertBatches(
    database,
    'archive_fills',
    fills.map((f) => fillToRow(uid, f)),
    options,
  );
}

/** Inserts ledger entries the database does not hold yet, as insertArchiveFills does. */
export async function insertArchiveLedger(
  database: Database,
  uid: string,
  entries: readonly CanonicalLedgerEntry[],
  options: { batch?: number; done?: (trx: Transaction<Tables>) => Promise<void> } = {},
): Promise<InsertOutcome> {
  return insertBatches(
    database,
    'archive_ledger',
    entries.map((e) => ledgerToRow(uid, e)),
    options,
  );
}

interface PageQuery {
  uid: string;
  /** cTime ≥ since (epoch ms). */
  since?: number;
  /** cTime < until (epoch ms). */
  until?: number;
  /** The `next` of the previous page. */
  after?: string;
  limit: number;
}

export interface ArchiveFillsQuery extends PageQuery {
  market?: string;
  symbol?: string;
  orderId?: string;
}

export interface ArchiveLedgerQuery extends PageQuery {
  /** The ledger account (spot, usdt-futures, margin, uta, p2p…). */
  account?: string;
  type?: string;
  coin?: string;
  source?: string;
  symbol?: string;
}

export interface ArchiveRecordPage<R> {
  records: R[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ARCHIVE_RECORD_PAGE)
    throw new InvalidArchiveQueryError(`limit must be an integer from 1 to ${MAX_ARCHIVE_RECORD_PAGE}`);
}

/** A cursor: the page's last sort key, `cTime.key.part…`, base64url. */
const encode = (parts: (string | number)[]): string =>
  Buffer.from(parts.map(String).join('.')).toString('base64url');

function decode(cursor: string, pattern: RegExp): string[] {
  const m = pattern.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new InvalidArchiveQueryError('after is not a cursor this API returned');
  return m.slice(1);
}

const FILL_CURSOR = /^(\d{1,16})\.(\d{25})\.([a-z-]{1,16})$/;
const LEDGER_CURSOR = /^(\d{1,16})\.(\d{25})\.([a-z]{1,8})\.([a-z-]{1,16})$/;

/** One page of the account's archived fills, sorted by (cTime, tradeId, market), after the cursor. */
export async function listArchiveFills(
  database: Database,
  q: ArchiveFillsQuery,
): Promise<ArchiveRecordPage<CanonicalFill>> {
  checkLimit(q.limit);
  let query = database.db.selectFrom('archive_fills').selectAll().where('uid', '=', q.uid);
  if (q.market) query = query.where('market', '=', q.market);
  if (q.symbol) query = query.where('symbol', '=', q.symbol.toUpperCase());
  if (q.orderId) query = query.where('order_id', '=', q.orderId);
  if (q.since !== undefined) query = query.where('c_time', '>=', q.since);
  if (q.until !== undefined) query = query.where('c_time', '<', q.until);
  if (q.after) {
    const [t, key, market] = decode(q.after, FILL_CURSOR) as [string, string, string];
    const cTime = Number(t);
    query = query.where((eb) =>
      eb.or([
        eb('c_time', '>', cTime),
        eb.and([eb('c_time', '=', cTime), eb('trade_key', '>', key)]),
        eb.and([eb('c_time', '=', cTime), eb('trade_key', '=', key), eb('market', '>', market)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('c_time')
    .orderBy('trade_key')
    .orderBy('market')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    records: page.map(rowToFill),
    next: rows.length > q.limit && last ? encode([Number(last.c_time), last.trade_key, last.market]) : null,
  };
}

/** One page of the account's archived ledger entries, sorted by (cTime, billId, source, account). */
export async function listArchiveLedger(
  database: Database,
  q: ArchiveLedgerQuery,
): Promise<ArchiveRecordPage<CanonicalLedgerEntry>> {
  checkLimit(q.limit);
  let query = database.db.selectFrom('archive_ledger').selectAll().where('uid', '=', q.uid);
  if (q.account) query = query.where('account', '=', q.account);
  if (q.type) query = query.where('type', '=', q.type);
  if (q.coin) query = query.where('coin', '=', q.coin.toUpperCase());
  if (q.source) query = query.where('source', '=', q.source);
  if (q.symbol) query = query.where('symbol', '=', q.symbol.toUpperCase());
  if (q.since !== undefined) query = query.where('c_time', '>=', q.since);
  if (q.until !== undefined) query = query.where('c_time', '<', q.until);
  if (q.after) {
    const [t, key, source, account] = decode(q.after, LEDGER_CURSOR) as [string, string, string, string];
    const cTime = Number(t);
    query = query.where((eb) =>
      eb.or([
        eb('c_time', '>', cTime),
        eb.and([eb('c_time', '=', cTime), eb('bill_key', '>', key)]),
        eb.and([eb('c_time', '=', cTime), eb('bill_key', '=', key), eb('source', '>', source)]),
        eb.and([
          eb('c_time', '=', cTime),
          eb('bill_key', '=', key),
          eb('source', '=', source),
          eb('account', '>', account),
        ]),
      ]),
    );
  }
  const rows = await query
    .orderBy('c_time')
    .orderBy('bill_key')
    .orderBy('source')
    .orderBy('account')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    records: page.map(rowToLedger),
    next:
      rows.length > q.limit && last
        ? encode([Number(last.c_time), last.bill_key, last.source, last.account])
        : null,
  };
}

export async function countArchiveRecords(
  database: Database,
  table: RecordTable,
  uid: string,
): Promise<number> {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('uid', '=', uid)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export { idKey };
