/**
 * Every record of one stream in one window, page after page: what a lane does with `fetchDatasetPage`, without
 * checkpoints. A window the exchange refuses as too wide is halved and each half fetched (oldest first), so
 * neither copy of the docs' span needs to be right; rows handed out twice are counted and kept once.
 */
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { BitgetClient } from './BitgetClient';
import type { DatasetPage } from './datasetPages';
import { fetchDatasetPage } from './datasetPages';
import type { DatasetSource } from './datasetSources';
import { describeDatasetSource } from './datasetSources';
import { SpanTooWideError } from './spanError';

export interface DatasetWindowResult {
  records: (CanonicalFill | CanonicalLedgerEntry)[];
  /** Pages fetched (refused requests not included). */
  pages: number;
  /** Rows that repeated a record already returned (left out of `records`). */
  duplicates: number;
  /** How many times a window was refused as too wide and halved. */
  halvings: number;
}

export class DatasetPaginationStalledError extends Error {
  override readonly name = 'DatasetPaginationStalledError';
}

/** All records of `source` in [startTime, endTime). */
export async function fetchDatasetWindow(
  client: BitgetClient,
  source: DatasetSource,
  window: { startTime: number; endTime: number },
  options: { limit?: number; seen?: Set<string> } = {},
): Promise<DatasetWindowResult> {
  const result: DatasetWindowResult = { records: [], pages: 0, duplicates: 0, halvings: 0 };
  const seen = options.seen ?? new Set<string>();
  const pending = [window];
  while (pending.length > 0) {
    const w = pending.shift()!;
    try {
      await drain(client, source, w, options.limit, seen, result);
    } catch (error) {
      if (!(error instanceof SpanTooWideError)) throw error;
      result.halvings++;
      pending.unshift(...error.halves());
    }
  }
  return result;
}

async function drain(
  client: BitgetClient,
  source: DatasetSource,
  w: { startTime: number; endTime: number },
  limit: number | undefined,
  seen: Set<string>,
  result: DatasetWindowResult,
): Promise<void> {
  let next: string | null = null;
  do {
    const page: DatasetPage = await fetchDatasetPage(client, { source, ...w, next, limit }, { seen });
    result.pages++;
    result.duplicates += page.duplicates;
    result.records.push(...page.records);
    if (page.next !== null && page.next === next) {
      throw new DatasetPaginationStalledError(
        `${describeDatasetSource(source)} answered the cursor ${next} with the same cursor: pagination stalled`,
      );
    }
    next = page.next;
  } while (next !== null);
}
