import type { Generated } from 'kysely';

export type DatabaseKind = 'sqlite' | 'mysql';

/** Import state of one execution's result in the database. */
export const IMPORT_STATUSES = ['pending', 'importing', 'imported', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One Step Functions execution (or local run) and the import state of its result. Times are epoch ms. */
export interface ExecutionResultsTable {
  id: Generated<number>;
  execution_arn: string;
  name: string;
  status: string;
  /** The ExtractionRequest as JSON. */
  request: string | null;
  start_date: number | null;
  stop_date: number | null;
  result_bucket: string | null;
  orders_jsonl_key: string | null;
  orders_json_key: string | null;
  summary_key: string | null;
  /** Orders the run reports (RunOutput.orders). */
  orders_count: number | null;
  complete: number | null;
  /** summary.json as stored in S3. */
  summary: string | null;
  error: string | null;
  cause: string | null;
  import_status: ImportStatus;
  imported_orders: number;
  /** Bytes of orders.jsonl committed so far: an interrupted import resumes from here. */
  import_offset: number;
  import_error: string | null;
  import_claimed_at: number | null;
  /** When the last import attempt claimed the execution (epoch ms); NULL before it was ever imported. */
  import_started_at: number | null;
  imported_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One canonical order of one execution. Amounts are decimal strings, times epoch ms. */
export interface OrdersTable {
  id: Generated<number>;
  execution_arn: string;
  order_id: string;
  client_oid: string | null;
  market: string;
  kind: string;
  symbol: string;
  /** null: the row did not say (see CanonicalOrder.side). */
  side: string | null;
  order_type: string;
  status: string;
  price: string | null;
  size: string | null;
  price_avg: string | null;
  base_volume: string | null;
  quote_volume: string | null;
  fee: string | null;
  fee_coin: string | null;
  leverage: string | null;
  margin_mode: string | null;
  pos_side: string | null;
  trade_side: string | null;
  /** 0 or 1; null when the row did not say. */
  reduce_only: number | null;
  c_time: number;
  u_time: number | null;
  /** The exchange's row as JSON. */
  raw: string;
  /** When this row was stored (epoch ms); NULL for rows stored before the column existed. */
  created_at: number | null;
}

export interface ProcessingLogsTable {
  id: Generated<number>;
  execution_arn: string;
  level: LogLevel;
  message: string;
  created_at: number;
}

export interface ArchiveOrdersTable extends Omit<OrdersTable, 'id' | 'execution_arn' | 'created_at'> {
  uid: string;
  /** orderId left-padded with zeros to 25 digits: sorts as the decimal integer it is (keyset pagination). */
  order_key: string;
  /** uTime, or cTime when the exchange gave none: the newer version replaces the row. */
  version: number;
}

export interface ArchivePartitionsTable {
  uid: string;
  /** The partition's object key (it names its generation: a rewritten partition is imported again). */
  partition_key: string;
  records: number;
  imported_at: number;
}

/**
 * One archived fill per (account, market, tradeId): the canonical fill's columns (src/core/fill.ts). Amounts are
 * decimal strings exactly as Bitget sent them, times epoch ms; a fill never changes once made.
 */
export interface ArchiveFillsTable {
  uid: string;
  market: string;
  trade_id: string;
  /** tradeId left-padded with zeros to 25 digits: sorts as the decimal integer it is (keyset pagination). */
  trade_key: string;
  order_id: string;
  symbol: string;
  side: string;
  price: string;
  size: string;
  quote_volume: string;
  fee: string | null;
  fee_coin: string | null;
  /** Every fee of the fill as JSON (`[{fee, feeCoin}]`). */
  fees: string;
  role: string | null;
  trade_side: string | null;
  pos_side: string | null;
  profit: string | null;
  c_time: number;
  /** The exchange's row as JSON. */
  raw: string;
}

/**
 * One archived ledger entry per (account, source, ledger account, billId): the canonical entry's columns
 * (src/core/ledgerEntry.ts); a tax record and the bill it repeats are two rows, as in the archive.
 */
export interface ArchiveLedgerTable {
  uid: string;
  /** `bills` or `tax`. */
  source: string;
  /** The ledger account (spot, usdt-futures, margin, uta, p2p…): CanonicalLedgerEntry.account. */
  account: string;
  bill_id: string;
  /** billId left-padded with zeros to 25 digits (keyset pagination). */
  bill_key: string;
  coin: string;
  amount: string;
  fee: string | null;
  balance: string | null;
  type: string;
  business_type: string;
  symbol: string | null;
  order_id: string | null;
  c_time: number;
  /** The exchange's row as JSON. */
  raw: string;
}

export interface ArchiveTables {
  archive_orders: ArchiveOrdersTable;
  archive_fills: ArchiveFillsTable;
  archive_ledger: ArchiveLedgerTable;
  archive_partitions: ArchivePartitionsTable;
}

export interface Tables extends ArchiveTables {
  execution_results: ExecutionResultsTable;
  orders: OrdersTable;
  processing_logs: ProcessingLogsTable;
}
