/**
 * The archive's endpoints: `GET /archive/orders` (filters market, kind, symbol, status, since, until; keyset
 * pagination with `after`), `GET /archive/fills` (market, symbol, orderId, since, until), `GET /archive/ledger`
 * (account, type, coin, source, symbol, since, until), times as epoch ms or ISO 8601, `GET /archive/status` (coverage and gaps from the bucket's manifest, rows in the
 * database), `GET /archive/report` (its report.html, rendered from the archive's records) and `POST /sync` (runs one sync, when the deployment gives the API a sync runner).
 */
import type { FastifyInstance } from 'fastify';
import type { SyncOptions, SyncReport } from '../../archive';
import { ArchiveNotFoundError, archiveStatusWithTotals, openArchive } from '../../archive';
import { KINDS, MARKETS, type Kind, type Market } from '../../core/order';
import { DATASET_NAMES, type DatasetName } from '../../core/dataset';
import {
  countArchiveOrders,
  InvalidArchiveQueryError,
  listArchiveOrders,
  MAX_ARCHIVE_PAGE,
} from '../../db/archiveOrders';
import { LEDGER_SOURCES, LEDGER_TYPES } from '../../core/ledgerEntry';
import {
  countArchiveRecords,
  listArchiveFills,
  listArchiveLedger,
  MAX_ARCHIVE_RECORD_PAGE,
} from '../../db/archiveRecords';
import { RunStore } from '../../storage/RunStore';
import { renderArchiveReport } from '../../report/archiveReport';
import {
  archiveFillsResponse,
  archiveLedgerResponse,
  archiveOrdersResponse,
  archiveReportResponse,
  archiveStatusResponse,
  syncResponse,
} from '../archiveSchemas';
import type { ApiContext } from '../context';
import { BadRequestError, ConflictError, NotFoundError, NotImplementedError } from '../errors';
import { bothTimes, parseTime } from '../times';

declare module '../deps' {
  interface ApiDeps {
    /** Runs one sync of the deployment's account into its archive (and the database); absent: POST /sync answers 501. */
    sync?: (options: SyncOptions) => Promise<SyncReport>;
  }
}

const uidSchema = { type: 'string', pattern: '^[0-9]{1,20}$' } as const;
const timeSchema = {
  type: 'string',
  maxLength: 40,
  description: 'Epoch ms or ISO 8601 with a zone (2024-05-01, 2024-05-01T12:00:00Z)',
} as const;
const LEDGER_ACCOUNTS = ['spot', 'usdt-futures', 'usdc-futures', 'coin-futures', 'margin', 'uta', 'p2p'];
const symbolSchema = { type: 'string', pattern: '^[A-Za-z0-9_]{2,40}$' } as const;

/**
 * The querystring of a page of archived records: the account (`uid`), the data set's own filters, the time range
 * (`since`, `until`) and the keyset pagination (`after`; `limit`, up to `maxPage`).
 */
function pageQuery<F extends Record<string, object>>(filters: F, maxPage: number) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      uid: uidSchema,
      ...filters,
      since: timeSchema,
      until: timeSchema,
      after: { type: 'string', maxLength: 200 },
      limit: { type: 'integer', minimum: 1, maximum: maxPage, default: 100 },
    },
  } as const;
}

const listSchema = {
  tags: ['archive'],
  summary: 'The archived orders of an account, sorted by (cTime, orderId), one per market and orderId',
  description:
    'Filters: market, kind, symbol, status, since (cTime ≥, epoch ms), until (cTime <). Keyset pagination: pass the `next` of a page as `after`. `uid` is needed only when several accounts are archived.',
  querystring: pageQuery(
    {
      market: { type: 'string', enum: [...MARKETS] },
      kind: { type: 'string', enum: [...KINDS] },
      symbol: symbolSchema,
      status: { type: 'string', pattern: '^[a-z_]{1,32}$' },
    },
    MAX_ARCHIVE_PAGE,
  ),
  response: archiveOrdersResponse,
} as const;

const fillsSchema = {
  tags: ['archive'],
  summary: 'The archived fills of an account, sorted by (cTime, tradeId), one per market and tradeId',
  description:
    'Filters: market, symbol, orderId, since (cTime ≥), until (cTime <), each time as epoch ms or ISO 8601 with a zone; answered with `cTimeIso` beside `cTime`. Keyset pagination: pass the `next` of a page as `after`. `uid` is needed only when several accounts are archived.',
  querystring: pageQuery(
    {
      market: { type: 'string', enum: [...MARKETS] },
      symbol: symbolSchema,
      orderId: { type: 'string', pattern: '^[0-9]{1,25}$' },
    },
    MAX_ARCHIVE_RECORD_PAGE,
  ),
  response: archiveFillsResponse,
} as const;

const ledgerSchema = {
  tags: ['archive'],
  summary:
    'The archived ledger entries of an account (bills and tax records), sorted by (cTime, billId), one per source, account and billId',
  description:
    'Filters: account (spot, usdt-futures, …), type (fee, funding, transfer, …), coin, source (bills or tax), symbol, since (cTime ≥), until (cTime <), each time as epoch ms or ISO 8601 with a zone; answered with `cTimeIso` beside `cTime`. Keyset pagination: pass the `next` of a page as `after`.',
  querystring: pageQuery(
    {
      account: { type: 'string', enum: LEDGER_ACCOUNTS },
      type: { type: 'string', enum: [...LEDGER_TYPES] },
      coin: { type: 'string', pattern: '^[A-Za-z0-9]{1,32}$' },
      source: { type: 'string', enum: [...LEDGER_SOURCES] },
      symbol: symbolSchema,
    },
    MAX_ARCHIVE_RECORD_PAGE,
  ),
  response: archiveLedgerResponse,
} as const;

const statusSchema = {
  tags: ['archive'],
  summary: 'Coverage per data set and stream, gaps, last sync, and the rows the database holds',
  description:
    '`{uid, datasets: {orders: {records, from, to, gaps: [{stream, from, to}]}, fills: {…}, ledger: {…, tax: {from, to}}}, lastSync, database: {rows, fills, ledger}, totals}`, from the manifest in the bucket; `totals` (fees paid per coin, volume, realised PnL, funding) when the archive holds fills or a ledger.',
  querystring: { type: 'object', additionalProperties: false, properties: { uid: uidSchema } },
  response: archiveStatusResponse,
} as const;

const reportSchema = {
  tags: ['archive'],
  summary: "The archive's report",
  description:
    "report.html of the archive, rendered on request from the archive's records and manifest: self-contained (charts as SVG, the numbers and the gaps under them), no network needed.",
  querystring: { type: 'object', additionalProperties: false, properties: { uid: uidSchema } },
  response: archiveReportResponse,
} as const;

const syncSchema = {
  tags: ['archive'],
  summary: "Runs one sync of the account's archive (waits for it)",
  description:
    'Fetches what the exchange serves that the archive does not hold in its latest state, merges it into the archive and the database, and answers the report. 409 while a sync runs; 501 where the deployment gives the API no sync runner.',
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      markets: {
        type: 'array',
        items: { type: 'string', enum: [...MARKETS] },
        minItems: 1,
        uniqueItems: true,
      },
      kinds: { type: 'array', items: { type: 'string', enum: [...KINDS] }, minItems: 1, uniqueItems: true },
      datasets: {
        type: 'array',
        items: { type: 'string', enum: [...DATASET_NAMES] },
        minItems: 1,
        uniqueItems: true,
        description: 'The data sets synced (default: all three)',
      },
      taxSpanDays: {
        type: 'integer',
        minimum: 1,
        maximum: 366,
        description: 'Days per tax-record query (default: the smallest span the docs give)',
      },
    },
  },
  response: syncResponse,
} as const;

interface PageQuery {
  uid?: string;
  /** Epoch ms or ISO 8601. */
  since?: string;
  until?: string;
  after?: string;
  limit: number;
}

interface ListQuery extends PageQuery {
  market?: Market;
  kind?: Kind;
  symbol?: string;
  status?: string;
}

interface FillsQuery extends PageQuery {
  market?: Market;
  symbol?: string;
  orderId?: string;
}

interface LedgerQuery extends PageQuery {
  account?: string;
  type?: string;
  coin?: string;
  source?: string;
  symbol?: string;
}

/** since and until as epoch ms, since before until. */
function timeSpan(q: PageQuery): { since?: number; until?: number } {
  const since = q.since === undefined ? undefined : parseTime(q.since, 'querystring/since');
  const until = q.until === undefined ? undefined : parseTime(q.until, 'querystring/until');
  if (since !== undefined && until !== undefined && since >= until)
    throw new BadRequestError('querystring/since must be before until', 'querystring/since');
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}

/** A cursor the database refuses, as a 400 naming `after`. */
async function page<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidArchiveQueryError)
      throw new BadRequestError(`querystring/${error.message}`, 'querystring/after');
    throw error;
  }
}

const withIso = <R extends { cTime: number }>(r: R): R & { cTimeIso: string } => ({
  ...r,
  cTimeIso: new Date(r.cTime).toISOString(),
});

export function archiveRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { db } = ctx.deps;
  const store = new RunStore(ctx.deps.s3, ctx.deps.bucket);
  let syncing = false;

  /** The account asked for, or the only one archived. */
  const accountOf = async (uid: string | undefined): Promise<string> => {
    if (uid) return uid;
    const held = new Set<string>();
    for (const table of ['archive_orders', 'archive_fills', 'archive_ledger'] as const)
      for (const row of await db.db.selectFrom(table).select('uid').distinct().limit(2).execute())
        held.add(row.uid);
    if (held.size === 1) return [...held][0]!;
    throw new BadRequestError(
      held.size === 0
        ? 'querystring/uid: no account is archived yet'
        : 'querystring/uid is required: several accounts are archived',
      'querystring/uid',
    );
  };

  app.get<{ Querystring: ListQuery }>('/archive/orders', { schema: listSchema }, async (request) => {
    const { since: _s, until: _u, ...q } = request.query;
    const span = timeSpan(request.query);
    const uid = await accountOf(q.uid);
    return page(() => listArchiveOrders(db, { ...q, ...span, uid }));
  });

  app.get<{ Querystring: FillsQuery }>('/archive/fills', { schema: fillsSchema }, async (request) => {
    const { since: _s, until: _u, ...q } = request.query;
    const span = timeSpan(request.query);
    const uid = await accountOf(q.uid);
    const { records, next } = await page(() => listArchiveFills(db, { ...q, ...span, uid }));
    return { fills: records.map(withIso), since: bothTimes(span.since), until: bothTimes(span.until), next };
  });

  app.get<{ Querystring: LedgerQuery }>('/archive/ledger', { schema: ledgerSchema }, async (request) => {
    const { since: _s, until: _u, ...q } = request.query;
    const span = timeSpan(request.query);
    const uid = await accountOf(q.uid);
    const { records, next } = await page(() => listArchiveLedger(db, { ...q, ...span, uid }));
    return {
      entries: records.map(withIso),
      since: bothTimes(span.since),
      until: bothTimes(span.until),
      next,
    };
  });

  app.get<{ Querystring: { uid?: string } }>('/archive/status', { schema: statusSchema }, async (request) => {
    try {
      const { archive, manifest } = await openArchive(store, request.query.uid);
      return {
        ...(await archiveStatusWithTotals(archive, manifest)),
        database: {
          rows: await countArchiveOrders(db, manifest.uid),
          fills: await countArchiveRecords(db, 'archive_fills', manifest.uid),
          ledger: await countArchiveRecords(db, 'archive_ledger', manifest.uid),
        },
      };
    } catch (error) {
      if (error instanceof ArchiveNotFoundError) throw new NotFoundError(error.message);
      throw error;
    }
  });

  app.get<{ Querystring: { uid?: string } }>(
    '/archive/report',
    { schema: reportSchema },
    async (request, reply) => {
      try {
        const { html } = await renderArchiveReport(store, request.query.uid);
        return await reply.type('text/html; charset=utf-8').send(html);
      } catch (error) {
        if (error instanceof ArchiveNotFoundError) throw new NotFoundError(error.message);
        throw error;
      }
    },
  );

  app.post<{
    Body: { markets?: Market[]; kinds?: Kind[]; datasets?: DatasetName[]; taxSpanDays?: number } | undefined;
  }>('/sync', { schema: syncSchema }, async (request) => {
    const run = ctx.deps.sync;
    if (!run) throw new NotImplementedError('this deployment does not run syncs from the API (POST /sync)');
    if (syncing) throw new ConflictError('a sync is already running');
    syncing = true;
    try {
      return await run({
        markets: request.body?.markets,
        kinds: request.body?.kinds,
        datasets: request.body?.datasets,
        taxSpanDays: request.body?.taxSpanDays,
      });
    } finally {
      syncing = false;
    }
  });
}
