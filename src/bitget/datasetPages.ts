/**
 * One page of one fills / ledger / tax-record stream, through the product's client (rate-limit bucket = the
 * endpoint id, the same signing, retry and validation layers as orders). `DATASET_STREAMS` says, per endpoint,
 * how a page request is built for [startTime, endTime) and a cursor, how rows and the next cursor are read from
 * the answer, and whether the cursor is a row id — what a lane needs to drive the stream.
 */
import type { CanonicalFill } from '../core/fill';
import { fillKey } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { ledgerKey } from '../core/ledgerEntry';
import type { BitgetClient } from './BitgetClient';
import type { DatasetData, DatasetEndpointId } from './datasetSchemas';
import { DATASET_DATA_SCHEMAS } from './datasetSchemas';
import type { DatasetSource, SourceOf } from './datasetSources';
import { datasetOf } from './datasetSources';
import { ENDPOINTS } from './endpoints';
import { normaliseFill } from './normaliseFill';
import { normaliseLedgerEntry } from './normaliseLedger';
import type { QueryValue } from './signing';
import { isSpanRefusal, SpanTooWideError } from './spanError';

/** The request for one page: a stream, its window, the cursor (null on the first page) and the page size. */
export interface DatasetPageQuery<S extends DatasetSource = DatasetSource> {
  source: S;
  startTime: number;
  endTime: number;
  /** idLessThan for v2 endpoints, cursor for v3; null for the first page. */
  next: string | null;
  /** Default (and ceiling): the endpoint's documented page size. */
  limit?: number;
}

/** How a lane drives one endpoint. */
export interface DatasetStream<E extends DatasetEndpointId> {
  endpoint: E;
  dataset: 'fills' | 'ledger';
  /** The cursor is the last row's id (`idLessThan`): it can be split by time and rows filtered by id. */
  idPaginated: boolean;
  /** The query parameters of one page. */
  query(q: DatasetPageQuery<SourceOf<E>>): Record<string, QueryValue>;
  /** The rows of a validated answer, newest first, and the cursor of the next page (null: nothing more). */
  page(data: DatasetData<E>): { rows: unknown[]; next: string | null };
}

type Row = { [key: string]: unknown };
const lastId = (rows: readonly Row[], key: string): string | null =>
  rows.length > 0 ? String(rows[rows.length - 1]![key]) : null;
/** v2 arrays: the next cursor is the last row's id, while pages have rows. */
const byLastRow =
  (key: string) =>
  (data: Row[] | null): { rows: unknown[]; next: string | null } => {
    const rows = data ?? [];
    return { rows, next: lastId(rows, key) };
  };
/** v2 futures: rows under one key, the next cursor in `endId`. */
const byEndId = (rows: Row[] | null | undefined, endId: string | null | undefined) => {
  const list = rows ?? [];
  return { rows: list, next: list.length > 0 && endId ? endId : null };
};
/** v3: rows in `list`, the next page's opaque token in `cursor`. */
const byCursor = (data: { list?: Row[] | null; cursor?: string | null }) => {
  const list = data.list ?? [];
  return { rows: list, next: list.length > 0 && data.cursor ? data.cursor : null };
};

function limitOf(endpoint: DatasetEndpointId, limit: number | undefined): number {
  const max = ENDPOINTS[endpoint].maxLimit!;
  return limit === undefined ? max : Math.min(limit, max);
}

/** The parameters every page sends: the window, the page size and the cursor under the endpoint's name. */
function common(q: DatasetPageQuery, cursorName: 'idLessThan' | 'cursor'): Record<string, QueryValue> {
  return {
    startTime: q.startTime,
    endTime: q.endTime,
    limit: limitOf(q.source.endpoint, q.limit),
    [cursorName]: q.next ?? undefined,
  };
}

export const DATASET_STREAMS: { readonly [E in DatasetEndpointId]: DatasetStream<E> } = {
  spotFills: {
    endpoint: 'spotFills',
    dataset: 'fills',
    idPaginated: true,
    query: (q) => ({ ...common(q, 'idLessThan'), symbol: q.source.symbol }),
    page: byLastRow('tradeId'),
  },
  futuresFills: {
    endpoint: 'futuresFills',
    dataset: 'fills',
    idPaginated: true,
    query: (q) => ({
      ...common(q, 'idLessThan'),
      productType: q.source.productType,
      symbol: q.source.symbol,
    }),
    page: (data) => byEndId(data.fillList, data.endId),
  },
  utaFills: {
    endpoint: 'utaFills',
    dataset: 'fills',
    idPaginated: false,
    query: (q) => ({ ...common(q, 'cursor'), category: q.source.category, symbol: q.source.symbol }),
    page: byCursor,
  },
  spotBills: {
    endpoint: 'spotBills',
    dataset: 'ledger',
    idPaginated: true,
    query: (q) => ({ ...common(q, 'idLessThan'), coin: q.source.coin }),
    page: byLastRow('billId'),
  },
  futuresBills: {
    endpoint: 'futuresBills',
    dataset: 'ledger',
    idPaginated: true,
    query: (q) => ({
      ...common(q, 'idLessThan'),
      productType: q.source.productType,
      symbol: q.source.symbol,
      coin: q.source.coin,
    }),
    page: (data) => byEndId(data.bills, data.endId),
  },
  utaFinancialRecords: {
    endpoint: 'utaFinancialRecords',
    dataset: 'ledger',
    idPaginated: false,
    query: (q) => ({ ...common(q, 'cursor'), category: q.source.category, coin: q.source.coin }),
    page: byCursor,
  },
  taxSpotRecords: {
    endpoint: 'taxSpotRecords',
    dataset: 'ledger',
    idPaginated: true,
    query: (q) => ({ ...common(q, 'idLessThan'), coin: q.source.coin }),
    page: byLastRow('id'),
  },
  taxFutureRecords: {
    endpoint: 'taxFutureRecords',
    dataset: 'ledger',
    idPaginated: true,
    query: (q) => ({
      ...common(q, 'idLessThan'),
      productType: q.source.productType,
      marginCoin: q.source.marginCoin,
    }),
    page: byLastRow('id'),
  },
  taxMarginRecords: {
    endpoint: 'taxMarginRecords',
    dataset: 'ledger',
    idPaginated: true,
    query: (q) => ({ ...common(q, 'idLessThan'), marginType: q.source.marginType, coin: q.source.coin }),
    page: byLastRow('id'),
  },
  taxP2pRecords: {
    endpoint: 'taxP2pRecords',
    dataset: 'ledger',
    idPaginated: true,
    query: (q) => ({ ...common(q, 'idLessThan'), coin: q.source.coin }),
    page: byLastRow('id'),
  },
  utaTaxRecords: {
    endpoint: 'utaTaxRecords',
    dataset: 'ledger',
    // The docs: "use the id returned from the previous query" as `cursor`; kept opaque all the same.
    idPaginated: false,
    query: (q) => ({ ...common(q, 'cursor'), bizType: q.source.bizType, coin: q.source.coin }),
    page: (data) => (Array.isArray(data) || data === null ? byLastRow('id')(data) : byCursor(data)),
  },
};

/** A record's id within its stream (the tie-break of the sort, the cursor of id-paginated endpoints). */
export function recordId(r: CanonicalFill | CanonicalLedgerEntry): string {
  return 'tradeId' in r ? r.tradeId : r.billId;
}

/** A record's time: the sort key of fills.jsonl and ledger.jsonl, and what windows are cut by. */
export function recordTime(r: CanonicalFill | CanonicalLedgerEntry): number {
  return r.cTime;
}

/** A fetched page: records normalised, the next cursor, and how many rows repeated one already seen. */
export type DatasetPage =
  | { dataset: 'fills'; records: CanonicalFill[]; next: string | null; rows: number; duplicates: number }
  | {
      dataset: 'ledger';
      records: CanonicalLedgerEntry[];
      next: string | null;
      rows: number;
      duplicates: number;
    };

export interface FetchDatasetPageOptions {
  /**
   * Keys (fillKey / ledgerKey) of the records this stream already returned; rows with such a key are counted
   * in `duplicates` and left out, and new keys are added. The tax records need it: when more than 500 rows
   * share one `ts`, `idLessThan` paging hands some rows out twice.
   */
  seen?: Set<string>;
}

/** Keeps the first record of each key (within the page and against `seen`); returns them and the count dropped. */
function dedupe<T>(
  records: T[],
  keyOf: (r: T) => string,
  seen: Set<string>,
): { kept: T[]; duplicates: number } {
  const kept: T[] = [];
  for (const r of records) {
    const key = keyOf(r);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(r);
  }
  return { kept, duplicates: records.length - kept.length };
}

/**
 * Fetches and normalises one page. A malformed answer or row is a BitgetResponseError naming endpoint and
 * field; the exchange refusing the window as too wide is a SpanTooWideError (halve it and ask again).
 */
export async function fetchDatasetPage(
  client: BitgetClient,
  q: DatasetPageQuery,
  options: FetchDatasetPageOptions = {},
): Promise<DatasetPage> {
  const endpoint = q.source.endpoint;
  // The table is indexed by the source's own endpoint, so its stream and the source agree.
  const stream = DATASET_STREAMS[endpoint] as DatasetStream<DatasetEndpointId>;
  let data: unknown;
  try {
    data = await client.getDatasetData(endpoint, stream.query(q as never), DATASET_DATA_SCHEMAS[endpoint]);
  } catch (error) {
    if (isSpanRefusal(error)) {
      throw new SpanTooWideError(endpoint, q.startTime, q.endTime, error.exchangeCode, error.exchangeMessage);
    }
    throw error;
  }
  const { rows, next } = stream.page(data as never);
  const seen = options.seen ?? new Set<string>();
  if (datasetOf(endpoint) === 'fills') {
    const records = rows.map((row) => normaliseFill(q.source as Parameters<typeof normaliseFill>[0], row));
    const { kept, duplicates } = dedupe(records, fillKey, seen);
    return { dataset: 'fills', records: kept, next, rows: rows.length, duplicates };
  }
  const records = rows.map((row) =>
    normaliseLedgerEntry(q.source as Parameters<typeof normaliseLedgerEntry>[0], row),
  );
  const { kept, duplicates } = dedupe(records, ledgerKey, seen);
  return { dataset: 'ledger', records: kept, next, rows: rows.length, duplicates };
}
