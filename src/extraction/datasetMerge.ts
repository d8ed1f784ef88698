/**
 * Merging the parts of one data set into its sorted, deduplicated files: orders into NDJSON and JSON, fills and
 * the ledger into NDJSON. Where the files go is the caller's: the collector writes the result keys, a data set
 * merged while other lanes still run writes its staged keys (stagedMerge.ts).
 */
import type { DatasetName } from '../core/dataset';
import { streamToUploads } from '../storage/streamToUploads';
import type { RunStore } from '../storage/RunStore';
import type { MergeItem } from './merge';
import { mergeSorted, parseMergeItem } from './merge';
import type { RunRepository } from './RunRepository';
import type { DatasetFigures, OrderFigures } from './runSummary';
import { countOrder, countRecord, noDatasetFigures, noOrderFigures } from './runSummary';
import type { LaneState } from './runState';
import { laneDataset } from './runState';

/**
 * Parts merged at once. Every open part holds an HTTP connection until it is read to its end, so a merge of
 * more parts than the client has sockets would wait forever; beyond this, parts are first merged in groups
 * into intermediate sorted files (runs/<runId>/merged/), and those are merged in turn.
 */
export const MERGE_FAN_IN = 32;

/** Where a merged data set is written: orders also as `{"orders":[…]}` JSON. */
export interface MergeTargets {
  jsonl: string;
  json?: string;
}

/** The run's part keys by the data set of the lane that wrote them. */
export async function partsOfDatasets(
  run: RunRepository,
  lanes: LaneState[],
): Promise<Record<DatasetName, string[]>> {
  const datasetOfLane = new Map(lanes.map((l) => [l.laneId, laneDataset(l)]));
  const out: Record<DatasetName, string[]> = { orders: [], fills: [], ledger: [] };
  for (const key of await run.listParts()) out[datasetOfLane.get(run.laneOfPart(key)) ?? 'orders'].push(key);
  return out;
}

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

/** Merges the orders' parts into `targets.jsonl` and `targets.json`, counting what passes. */
export async function mergeOrderParts(
  run: RunRepository,
  order: 'asc' | 'desc',
  parts: string[],
  targets: Required<MergeTargets>,
  fanIn = MERGE_FAN_IN,
): Promise<OrderFigures> {
  const { store } = run;
  const { final, stats } = await reduceParts(run, 'orders', order, parts, fanIn);
  const result = noOrderFigures(parts.length);
  const jsonl = store.createUpload(targets.jsonl, 'application/x-ndjson');
  const json = store.createUpload(targets.json, 'application/json');
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

/** Merges the parts of fills or the ledger into one sorted, deduplicated NDJSON file. */
export async function mergeRecordParts(
  run: RunRepository,
  dataset: Exclude<DatasetName, 'orders'>,
  order: 'asc' | 'desc',
  parts: string[],
  target: string,
  fanIn = MERGE_FAN_IN,
): Promise<DatasetFigures> {
  const { final, stats } = await reduceParts(run, dataset, order, parts, fanIn);
  const figures = noDatasetFigures(parts.length);
  const upload = run.store.createUpload(target, 'application/x-ndjson');
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
