import { summariseAccounting } from '../accounting/summary';
import type { AccountingSummary } from '../accounting/summary';
import type { DatasetName } from '../core/dataset';
import type { RunOutput } from '../core/engine';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import type { CanonicalOrder } from '../core/order';
import { requestedDatasets } from '../core/request';
import type { RunStore } from '../storage/RunStore';
import { streamToUploads } from '../storage/streamToUploads';
import { ExtractionIncompleteError } from './errors';
import type { MergeItem } from './merge';
import { mergeSorted, parseMergeItem } from './merge';
import { RunRepository } from './RunRepository';
import type { DatasetFigures, OrderFigures } from './runSummary';
import {
  buildSummary,
  countOrder,
  countRecord,
  noDatasetFigures,
  noOrderFigures,
  summaryFailure,
} from './runSummary';
import type { LaneState, RunPlan } from './runState';
import { laneDataset } from './runState';

export interface CollectInput {
  runId: string;
  order?: 'asc' | 'desc';
  /** Set when an earlier step failed: the summary records it and no result files are written. */
  failure?: { Error?: string; Cause?: string } | undefined;
}

export interface CollectDeps {
  store: RunStore;
  now?: () => number;
  /** Parts merged at once (default MERGE_FAN_IN). */
  mergeFanIn?: number;
}

/**
 * Merges every part of a run into the result files and writes the summary. With a failure, or when any lane
 * is unfinished, it writes only the summary (marked incomplete, with what is missing) and the run stays
 * resumable from its saved cursors.
 */
export async function collectRun(deps: CollectDeps, input: CollectInput): Promise<RunOutput> {
  const now = deps.now ?? Date.now;
  const run = new RunRepository(deps.store, input.runId);
  const collectStartedAt = now();
  const plan = await run.getPlan();
  const lanes = await run.listLanes();
  const order = plan?.request.order ?? input.order ?? 'asc';

  const symbolsPlanned = plan?.needsSymbolSearch ? await run.symbolPlanExists() : true;
  const missing = incompleteness(plan, lanes, symbolsPlanned);
  const failure = input.failure ? summaryFailure(input.failure) : undefined;
  const base = {
    bucket: run.bucket,
    runId: input.runId,
    ordersJsonlKey: run.results.ordersJsonl,
    ordersJsonKey: run.results.ordersJson,
    summaryKey: run.results.summary,
  };
  const datasets = plan ? requestedDatasets(plan.request) : (['orders'] as DatasetName[]);
  const fillsWanted = datasets.includes('fills');
  const ledgerWanted = datasets.includes('ledger');
  const resultKeysOf = {
    ...(fillsWanted ? { fillsJsonlKey: run.results.fillsJsonl } : {}),
    ...(ledgerWanted ? { ledgerJsonlKey: run.results.ledgerJsonl } : {}),
  };
  const summarise = (
    merged: OrderFigures | null,
    records: Partial<Record<DatasetName, DatasetFigures>> = {},
    accounting: AccountingSummary | null = null,
  ) =>
    buildSummary({
      plan,
      lanes,
      order,
      collectStartedAt,
      now: now(),
      merged,
      records,
      accounting,
      failure,
      missing,
    });

  if (failure || missing.length > 0) {
    await run.saveSummary(summarise(null));
    if (!failure) {
      throw new ExtractionIncompleteError(
        `run ${input.runId} is incomplete: ${missing.join('; ')}. Its cursors are saved: rerun with the same run id to resume.`,
      );
    }
    return { ...base, complete: false, orders: 0, failure };
  }

  const partsByDataset = await partsOfDatasets(run, lanes);
  const merged = await mergeParts(run, order, partsByDataset.orders, deps.mergeFanIn);
  const records: Partial<Record<DatasetName, DatasetFigures>> = {};
  if (fillsWanted) {
    const keys = partsByDataset.fills;
    records.fills = await mergeRecordParts(
      run,
      'fills',
      order,
      keys,
      run.results.fillsJsonl,
      deps.mergeFanIn,
    );
  }
  if (ledgerWanted) {
    const keys = partsByDataset.ledger;
    records.ledger = await mergeRecordParts(
      run,
      'ledger',
      order,
      keys,
      run.results.ledgerJsonl,
      deps.mergeFanIn,
    );
  }
  // The reconciliation compares orders, fills and fee entries with one another: only meaningful with all three.
  const accounting =
    fillsWanted && ledgerWanted && datasets.includes('orders')
      ? await summariseAccounting({
          orders: () => recordsOf<CanonicalOrder>(run.store, run.results.ordersJsonl),
          fills: () => recordsOf<CanonicalFill>(run.store, run.results.fillsJsonl),
          ledger: () => recordsOf<CanonicalLedgerEntry>(run.store, run.results.ledgerJsonl),
        })
      : null;
  // No download URL is stored: a presigned URL embeds the signer's (session) credentials and would outlive
  // them in a file kept for years. The API signs one when a result is read.
  await run.saveSummary(summarise(merged, records, accounting));
  await run.saveLatest(merged.orders, now());
  return { ...base, ...resultKeysOf, complete: true, orders: merged.orders };
}

/** The run's part keys by the data set of the lane that wrote them. */
async function partsOfDatasets(
  run: RunRepository,
  lanes: LaneState[],
): Promise<Record<DatasetName, string[]>> {
  const datasetOfLane = new Map(lanes.map((l) => [l.laneId, laneDataset(l)]));
  const out: Record<DatasetName, string[]> = { orders: [], fills: [], ledger: [] };
  for (const key of await run.listParts()) out[datasetOfLane.get(run.laneOfPart(key)) ?? 'orders'].push(key);
  return out;
}

/** A result file's records, parsed line by line (the collector wrote them: canonical records). */
async function* recordsOf<T>(store: RunStore, key: string): AsyncGenerator<T> {
  for await (const line of store.readLines(key)) if (line !== '') yield JSON.parse(line) as T;
}

/** What keeps a run from being complete; empty when every order Bitget serves for the plan was fetched. */
function incompleteness(plan: RunPlan | null, lanes: LaneState[], symbolsPlanned: boolean): string[] {
  if (!plan) return ['the run was never planned'];
  const missing: string[] = [];
  const byId = new Map(lanes.map((l) => [l.laneId, l]));
  for (const id of plan.laneIds) if (!byId.get(id)?.done) missing.push(`lane ${id} is unfinished`);
  for (const w of plan.searchWindows) {
    if (!byId.get(`search-${w.windowId}`)?.done)
      missing.push(`symbol search of window ${w.windowId} is unfinished`);
  }
  if (!symbolsPlanned) missing.push('the symbols found by the search were never unified');
  for (const lane of lanes) {
    if (!plan.laneIds.includes(lane.laneId) && !lane.done) missing.push(`lane ${lane.laneId} is unfinished`);
    for (const c of lane.cursors) {
      if (c.broken) missing.push(`${c.id} stopped after repeated failures (${c.broken.message})`);
    }
  }
  return missing;
}

/**
 * Parts merged at once. Every open part holds an HTTP connection until it is read to its end, so a merge of
 * more parts than the client has sockets would wait forever; beyond this, parts are first merged in groups
 * into intermediate sorted files (runs/<runId>/merged/), and those are merged in turn.
 */
export const MERGE_FAN_IN = 32;

/**
 * Merges parts of one data set in levels until at most `fanIn` remain (intermediate sorted files under
 * runs/<runId>/merged/); returns what the last merge reads and the duplicates dropped so far.
 */
async function reduceParts(
  run: RunRepository,
  dataset: DatasetName,
  order: 'asc' | 'desc',
  parts: string[],
  fanIn: number,
) {
  const { store } = run;
  let keys = parts;
  const stats = { duplicates: 0 };
  const merging = (group: string[]) =>
    mergeSorted(
      group.map((k) => ({ name: k, items: itemsOf(store, k, dataset) })),
      order,
      stats,
    );
  for (let level = 0; keys.length > fanIn; level++) {
    const next: string[] = [];
    for (let g = 0; g * fanIn < keys.length; g++) {
      const key = run.mergedKey(level, g, dataset);
      const upload = store.createUpload(key, 'application/x-ndjson');
      await streamToUploads(merging(keys.slice(g * fanIn, (g + 1) * fanIn)), [upload], (item) => [
        item.line + '\n',
      ]);
      next.push(key);
    }
    keys = next;
  }
  return { final: merging(keys), stats };
}

async function mergeParts(
  run: RunRepository,
  order: 'asc' | 'desc',
  parts: string[],
  fanIn = MERGE_FAN_IN,
): Promise<OrderFigures> {
  const { store } = run;
  const { final, stats } = await reduceParts(run, 'orders', order, parts, fanIn);
  const result = noOrderFigures(parts.length);
  const jsonl = store.createUpload(run.results.ordersJsonl, 'application/x-ndjson');
  const json = store.createUpload(run.results.ordersJson, 'application/json');
  await streamToUploads(
    final,
    [jsonl, json],
    (item) => {
      countOrder(result, item);
      return [item.line + '\n', (result.orders > 1 ? ',\n' : '') + item.line];
    },
    { head: ['', '{"orders":[\n'], tail: ['', '\n]}\n'] },
  );
  result.duplicates = stats.duplicates;
  return result;
}

/** Merges the parts of fills or the ledger into one sorted, deduplicated NDJSON result file. */
async function mergeRecordParts(
  run: RunRepository,
  dataset: Exclude<DatasetName, 'orders'>,
  order: 'asc' | 'desc',
  parts: string[],
  resultKey: string,
  fanIn = MERGE_FAN_IN,
): Promise<DatasetFigures> {
  const { final, stats } = await reduceParts(run, dataset, order, parts, fanIn);
  const figures = noDatasetFigures(parts.length);
  const upload = run.store.createUpload(resultKey, 'application/x-ndjson');
  await streamToUploads(final, [upload], (item) => {
    countRecord(figures, item);
    return [item.line + '\n'];
  });
  figures.duplicates = stats.duplicates;
  return figures;
}

async function* itemsOf(store: RunStore, key: string, dataset: DatasetName): AsyncGenerator<MergeItem> {
  for await (const line of store.readLines(key)) yield parseMergeItem(line, key, dataset);
}
