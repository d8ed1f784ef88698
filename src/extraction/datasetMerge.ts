/**
 * Merging the parts of one data set into its sorted, deduplicated files: orders into NDJSON and JSON, fills and
 * the ledger into NDJSON. Where the files go is the caller's: the collector writes the result keys, a data set
 * merged while other lanes still run writes its staged keys (stagedMerge.ts).
 */
import type { DatasetName } from '../core/dataset';
import type { OrderFigureFields, OrderFiguresCounter } from '../report/orderFigures';
import { streamBatchesToUploads } from '../storage/streamToUploads';
import type { RunStore } from '../storage/RunStore';
import type { MergeItem } from './merge';
import { mergeSortedBatches, parseMergeItem } from './merge';
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
    mergeSortedBatches(
      group.map((k) => ({ name: k, batches: batchesOf(store, k, dataset) })),
      order,
      stats,
    );
  for (let level = 0; keys.length > fanIn; level++) {
    const { merged, groups } = levelPlan(keys.length, fanIn);
    const next: string[] = [];
    for (let g = 0; g < groups; g++) {
      const key = run.mergedKey(level, g, dataset);
      const upload = store.createUpload(key, 'application/x-ndjson');
      const group = keys.slice(Math.floor((g * merged) / groups), Math.floor(((g + 1) * merged) / groups));
      await streamBatchesToUploads(merging(group), [upload], (batch) => [linesOf(batch, NEWLINE, true)]);
      next.push(key);
    }
    keys = [...next, ...keys.slice(merged)];
  }
  return { final: merging(keys), stats };
}

/**
 * One level of the merge of `sources` sorted files, `fanIn` at most open at once: how many of them to merge
 * (the first `merged`) into how many intermediate files (`groups`, of at most `fanIn` each). When one more level
 * is enough, only as many as it takes for the intermediate files and the untouched sources to number `fanIn`:
 * every source merged here is read and written twice, so 110 parts at a fan-in of 32 merge 81 of them into 3
 * files, and 29 go straight to the last level, instead of all 110 into 4.
 */
export function levelPlan(sources: number, fanIn: number): { merged: number; groups: number } {
  if (sources > fanIn * fanIn) return { merged: sources, groups: Math.ceil(sources / fanIn) };
  let merged = sources - fanIn + 1;
  while (merged < sources - fanIn + Math.ceil(merged / fanIn)) merged++;
  return { merged, groups: Math.ceil(merged / fanIn) };
}

/**
 * Merges the orders' parts into `targets.jsonl` and `targets.json`, counting what passes; with `report`, also
 * the report's figures of the orders written (so that the report need not read orders.jsonl again).
 */
export async function mergeOrderParts(
  run: RunRepository,
  order: 'asc' | 'desc',
  parts: string[],
  targets: Required<MergeTargets>,
  fanIn = MERGE_FAN_IN,
  report?: OrderFiguresCounter,
): Promise<OrderFigures> {
  const { store } = run;
  const { final, stats } = await reduceParts(run, 'orders', order, parts, fanIn);
  const result = noOrderFigures(parts.length);
  const jsonl = store.createUpload(targets.jsonl, 'application/x-ndjson');
  const json = store.createUpload(targets.json, 'application/json');
  await streamBatchesToUploads(
    final,
    [jsonl, json],
    (batch) => {
      const first = result.orders === 0;
      for (const item of batch) {
        countOrder(result, item);
        report?.add(item as MergeItem & OrderFigureFields);
      }
      return [linesOf(batch, NEWLINE, true), linesOf(batch, JSON_SEPARATOR, false, !first)];
    },
    { head: ['', '{"orders":[\n'], tail: ['', '\n]}\n'] },
  );
  result.duplicates = stats.duplicates;
  return result;
}

/**
 * Merges the parts of fills or the ledger into one sorted, deduplicated NDJSON file; `onRecord` is given each
 * record written (its fields before `raw`), in the file's order.
 */
export async function mergeRecordParts(
  run: RunRepository,
  dataset: Exclude<DatasetName, 'orders'>,
  order: 'asc' | 'desc',
  parts: string[],
  target: string,
  fanIn = MERGE_FAN_IN,
  onRecord?: (fields: MergeItem['fields']) => void,
): Promise<DatasetFigures> {
  const { final, stats } = await reduceParts(run, dataset, order, parts, fanIn);
  const figures = noDatasetFigures(parts.length);
  const upload = run.store.createUpload(target, 'application/x-ndjson');
  await streamBatchesToUploads(final, [upload], (batch) => {
    for (const item of batch) {
      countRecord(figures, item);
      onRecord?.(item.fields);
    }
    return [linesOf(batch, NEWLINE, true)];
  });
  figures.duplicates = stats.duplicates;
  return figures;
}

/** A part's merge items, a batch per chunk of its body (the lines' bytes, not decoded but for their header). */
async function* batchesOf(store: RunStore, key: string, dataset: DatasetName): AsyncGenerator<MergeItem[]> {
  for await (const lines of store.readByteLineBatches(key)) {
    const items = new Array<MergeItem>(lines.length);
    for (let i = 0; i < lines.length; i++) items[i] = parseMergeItem(lines[i]!, key, dataset);
    yield items;
  }
}

const NEWLINE = Buffer.from('\n');
/** Between two orders of orders.json's array. */
const JSON_SEPARATOR = Buffer.from(',\n');

/**
 * The batch's lines joined by `separator` into one buffer (their bytes copied once, never encoded), with the
 * separator also after the last line (`after`) or before the first (`before`).
 */
function linesOf(batch: MergeItem[], separator: Buffer, after: boolean, before = false): Buffer {
  const pieces: Buffer[] = [];
  let bytes = 0;
  for (let i = 0; i < batch.length; i++) {
    if (i > 0 || before) pieces.push(separator);
    const line = batch[i]!.line;
    pieces.push(line);
    bytes += line.length;
  }
  if (after) pieces.push(separator);
  return Buffer.concat(pieces, bytes + (pieces.length - batch.length) * separator.length);
}
