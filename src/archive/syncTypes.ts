/** The shapes of a sync: what it is given, what it is asked, what it reports (sync.ts and its two stages). */
import type { BitgetClient } from '../bitget/BitgetClient';
import type { ExecutionDescription, ExecutionEngine } from '../core/engine';
import type { DatasetName } from '../core/dataset';
import type { Kind, Market } from '../core/order';
import type { Database } from '../db/connection';
import type { RunStore } from '../storage/RunStore';
import type { BeforeWrite } from './ArchiveStore';
import type { SyncedDataset } from './datasetStreams';
import type { Gap, Span } from './manifest';
import type { DatasetMergeReport } from './mergeDataset';

/** What the two stages need (on AWS each runs in its own Lambda): the bucket, the exchange, the database. */
export interface SyncStageDeps {
  store: RunStore;
  client: BitgetClient;
  beforeWrite?: BeforeWrite;
  /** When given, the database is brought up to the archive after the manifest is written (one row per order). */
  database?: Database;
  log?: (line: string) => void;
  runId?: () => string;
}

export interface SyncDeps extends SyncStageDeps {
  /** The extraction engine: LocalEngine (has `wait`) or Step Functions (polled through `describe`). */
  engine: ExecutionEngine & { wait?(executionArn: string): Promise<ExecutionDescription> };
  pollMs?: number;
}

export interface SyncOptions {
  markets?: readonly Market[];
  kinds?: readonly Kind[];
  /** The data sets synced (default: all three). */
  datasets?: readonly DatasetName[];
  /** Days per tax-record query (default: the smallest span the docs give). */
  taxSpanDays?: number;
}

/** How the sync's extraction run ended, as the commit stage is told (by the engine, or by the sync machine). */
export interface ExtractionOutcome {
  status: string;
  /** The run's output said it was complete. */
  complete?: boolean;
  error?: string;
  cause?: string;
}

/** One data set of a sync beside orders: what its merge did, and (ledger) how far back the tax records reached. */
export interface DatasetSyncReport extends Omit<DatasetMergeReport, 'conflicts' | 'gaps'> {
  /** Keys a sync brought again with other values (the archived copy is kept), the first 100. */
  conflicts: { count: number; keys: string[] };
  /** New gaps; a bills gap the tax records cover names the tax stream (its entries are there as source "tax"). */
  gaps: (Gap & { coveredBy: string | null })[];
  /** Ledger: where the tax records this sync asked begin (null when it asked none). */
  taxSince?: number | null;
}

export interface SyncReport {
  uid: string;
  mode: 'classic' | 'uta';
  runId: string;
  /**
   * What the sync asked for (null since: everything Bitget serves; `streams`: where each covered stream
   * started, its watermark or its oldest order last seen open) and what the run was served.
   */
  asked: { since: number | null; until: number; streams: Record<string, number> };
  served: Span;
  fetched: number;
  openOrders: number;
  added: number;
  updated: number;
  records: number;
  partitionsWritten: number;
  gaps: Gap[];
  /** Orders last seen open, created before what Bitget still serves: kept in the state last seen. */
  staleOpen: number;
  /** Requests of the run plus those of the sync itself (identity, time, open orders). */
  requests: number;
  nothingNew: boolean;
  generation: number;
  /** Fills and the ledger, when synced (the fields above are the orders'). */
  datasets: Partial<Record<SyncedDataset, DatasetSyncReport>>;
  /** Rows the database import inserted and updated (null without a database). */
  database: { inserted: number; updated: number; partitions: number } | null;
}
