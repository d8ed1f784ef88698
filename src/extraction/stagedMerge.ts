/**
 * A data set merged as soon as its own lanes are done, while other data sets' lanes still run. It is written
 * under runs/<runId>/staged/, never under results/: the collector publishes it (a server-side copy) only once the
 * whole run is complete, so a run that fails later leaves no result, complete-looking or not.
 */
import type { DatasetName } from '../core/dataset';
import { requestedDatasets } from '../core/request';
import type { RunStore } from '../storage/RunStore';
import { mergeOrderParts, mergeRecordParts, partsOfDatasets } from './datasetMerge';
import { incompleteness } from './runCompleteness';
import { RunRepository } from './RunRepository';
import type { DatasetFigures, OrderFigures } from './runSummary';
import type { LaneState, RunPlan } from './runState';
import { laneDataset } from './runState';
import type { StagedMerge } from './stagedMergeState';

export interface StageMergeDeps {
  store: RunStore;
  now?: () => number;
  /** Parts merged at once (default MERGE_FAN_IN). */
  mergeFanIn?: number;
}

export interface StageMergeOutput {
  runId: string;
  dataset: DatasetName;
  /** True when the data set's files are staged (now or by an earlier attempt) for the collector to publish. */
  staged: boolean;
  /** Why not, when not: the collector merges it itself (and says what is missing, if anything is). */
  reason?: 'single-dataset' | 'not-requested' | 'incomplete';
  records: number;
}

/**
 * Staging pays only when another data set's lanes may still be running: with one data set the collector merges
 * it straight into the result (one write instead of a write and a copy). Decided by the plan alone.
 */
function stagingPays(plan: RunPlan, lanes: LaneState[]): boolean {
  const planned = new Set(plan.laneIds);
  const withLanes = new Set(lanes.filter((l) => planned.has(l.laneId)).map(laneDataset));
  return withLanes.size > 1;
}

const sameKeys = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((k, i) => k === b[i]);

function recordsOf(staged: StagedMerge): number {
  return staged.dataset === 'orders' ? staged.figures.orders : staged.figures.records;
}

/**
 * result-collector, for one data set whose lanes (and, for orders, the symbol search) are done: merges its parts
 * into runs/<runId>/staged/ and records the figures and the parts merged. Idempotent: staged files that still
 * match the parts are kept. An incomplete data set is left alone (the collector reports what is missing).
 */
export async function stageDatasetMerge(
  deps: StageMergeDeps,
  input: { runId: string; dataset: DatasetName },
): Promise<StageMergeOutput> {
  const now = deps.now ?? Date.now;
  const run = new RunRepository(deps.store, input.runId);
  const plan = await run.loadPlan();
  const out = (staged: boolean, records: number, reason?: StageMergeOutput['reason']): StageMergeOutput => ({
    runId: input.runId,
    dataset: input.dataset,
    staged,
    ...(reason ? { reason } : {}),
    records,
  });
  // Orders are always merged (orders.jsonl is part of every result); other data sets only when asked.
  if (input.dataset !== 'orders' && !requestedDatasets(plan.request).includes(input.dataset))
    return out(false, 0, 'not-requested');
  const lanes = await run.listLanes();
  if (!stagingPays(plan, lanes)) return out(false, 0, 'single-dataset');
  const symbolsPlanned = plan.needsSymbolSearch ? await run.symbolPlanExists() : true;
  if (incompleteness(plan, lanes, symbolsPlanned, input.dataset).length > 0)
    return out(false, 0, 'incomplete');

  const parts = (await partsOfDatasets(run, lanes))[input.dataset];
  const existing = await run.getStagedMerge(input.dataset);
  if (existing && existing.order === plan.request.order && sameKeys(existing.parts, parts))
    return out(true, recordsOf(existing));

  const keys = run.stagedKeys(input.dataset);
  const order = plan.request.order;
  const staged: StagedMerge =
    input.dataset === 'orders'
      ? {
          dataset: 'orders',
          figures: await mergeOrderParts(run, order, parts, keys, deps.mergeFanIn),
          parts,
          order,
          mergedAt: now(),
        }
      : {
          dataset: input.dataset,
          figures: await mergeRecordParts(run, input.dataset, order, parts, keys.jsonl, deps.mergeFanIn),
          parts,
          order,
          mergedAt: now(),
        };
  await run.saveStagedMerge(staged);
  return out(true, recordsOf(staged));
}

/**
 * The collector's side: copies a staged data set into its result keys and returns its figures, or null when
 * nothing valid is staged (none, another order, or parts that differ from those merged: then it must be merged).
 */
export async function publishStaged<D extends DatasetName>(
  run: RunRepository,
  dataset: D,
  order: 'asc' | 'desc',
  parts: readonly string[],
  targets: { jsonl: string; json?: string },
): Promise<(D extends 'orders' ? OrderFigures : DatasetFigures) | null> {
  const staged = await run.getStagedMerge(dataset);
  if (!staged || staged.dataset !== dataset || staged.order !== order || !sameKeys(staged.parts, parts))
    return null;
  const keys = run.stagedKeys(dataset);
  await Promise.all([
    run.store.copy(keys.jsonl, targets.jsonl),
    ...(targets.json !== undefined ? [run.store.copy(keys.json, targets.json)] : []),
  ]);
  return staged.figures as D extends 'orders' ? OrderFigures : DatasetFigures;
}
