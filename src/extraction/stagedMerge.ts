/**
 * A data set merged as soon as its own lanes are done, while other data sets' lanes still run. It is written
 * under runs/<runId>/staged/, never under results/: the collector publishes it (a server-side copy) only once the
 * whole run is complete, so a run that fails later leaves no result, complete-looking or not.
 */
import type { DatasetName } from '../core/dataset';
import { requestedDatasets } from '../core/request';
import type { RunStore } from '../storage/RunStore';
import { mergeOrderParts, mergeRecordParts } from './datasetMerge';
import { incompleteness } from './runCompleteness';
import { RunRepository } from './RunRepository';
import type { DatasetFigures, OrderFigures } from './runSummary';
import type { LaneState, RunPlan } from './runState';
import type { LaneGroups } from './stages';
import type { StagedMerge } from './stagedMergeState';
import { sameKeys } from './stagedMergeState';
import { accountingWanted, ledgerAccountingFeed, stageOrdersAndFillsAccounting } from './stagedAccounting';

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
  /**
   * For orders and fills when the run fetches all three data sets: whether the accounting of the staged orders
   * and fills is saved (now or by an earlier attempt), or waits for the other of the two (stagedAccounting.ts).
   */
  accountingAhead?: 'saved' | 'kept' | 'waiting';
}

/** The planned lanes of each data set (the state machine's lane groups). */
function plannedLanes(groups: LaneGroups): Record<DatasetName, string[]> {
  return { orders: [...groups.searchInputs, ...groups.orders], fills: groups.fills, ledger: groups.ledger };
}

/**
 * Staging pays only when another data set's lanes may still be running: with one data set the collector merges
 * it straight into the result (one write instead of a write and a copy). Decided by the plan alone.
 */
function stagingPays(groups: LaneGroups): boolean {
  return Object.values(plannedLanes(groups)).filter((ids) => ids.length > 0).length > 1;
}

/**
 * The data set's own lanes: its planned ones, and for orders the search windows' and the found symbols' lanes.
 * Only those are read: the other data sets' lanes may still be running and writing their state.
 */
async function ownLanes(run: RunRepository, plan: RunPlan, dataset: DatasetName, planned: string[]) {
  const extra =
    dataset === 'orders'
      ? [
          ...plan.searchWindows.map((w) => `search-${w.windowId}`),
          ...((await run.getSymbolPlan())?.laneIds ?? []),
        ]
      : [];
  const lanes = await Promise.all([...planned, ...extra].map((id) => run.getLane(id)));
  return lanes.filter((l): l is LaneState => l !== null);
}

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
  input: { runId: string; dataset: DatasetName; lanes: LaneGroups },
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
  if (!stagingPays(input.lanes)) return out(false, 0, 'single-dataset');
  const planned = plannedLanes(input.lanes)[input.dataset];
  const lanes = await ownLanes(run, plan, input.dataset, planned);
  const symbolsPlanned = plan.needsSymbolSearch ? await run.symbolPlanExists() : true;
  const missing = incompleteness({ ...plan, laneIds: planned }, lanes, symbolsPlanned, input.dataset);
  if (missing.length > 0) return out(false, 0, 'incomplete');

  const own = new Set(lanes.map((l) => l.laneId));
  const parts = (await run.listParts()).filter((key) => own.has(run.laneOfPart(key)));
  const existing = await run.getStagedMerge(input.dataset);
  const kept = existing && existing.order === plan.request.order && sameKeys(existing.parts, parts);
  const staged = kept ? existing : await mergeIntoStaging(deps, run, plan, input.dataset, parts);
  return withAccounting(run, plan, input.dataset, now, out(true, recordsOf(staged)));
}

/** Merges a data set's parts under runs/<runId>/staged/ and records it (the record last: its files are whole). */
async function mergeIntoStaging(
  deps: StageMergeDeps,
  run: RunRepository,
  plan: RunPlan,
  dataset: DatasetName,
  parts: string[],
): Promise<StagedMerge> {
  const now = deps.now ?? Date.now;
  const keys = run.stagedKeys(dataset);
  const order = plan.request.order;
  // The ledger last of the three: its entries feed the accounting the orders and fills left, as they are written.
  const feed = dataset === 'ledger' && accountingWanted(plan) ? await ledgerAccountingFeed(run) : null;
  const staged: StagedMerge =
    dataset === 'orders'
      ? {
          dataset: 'orders',
          figures: await mergeOrderParts(run, order, parts, keys, deps.mergeFanIn),
          parts,
          order,
          mergedAt: now(),
        }
      : {
          dataset,
          figures: await mergeRecordParts(run, dataset, order, parts, keys.jsonl, deps.mergeFanIn, feed?.add),
          parts,
          order,
          mergedAt: now(),
        };
  await run.saveStagedMerge(staged);
  // The whole accounting only once the ledger's staged files are whole (saved before it, like the figures).
  await feed?.save(parts);
  return staged;
}

/** Once orders or fills are staged in a run that fetches all three data sets: their accounting, ahead. */
async function withAccounting(
  run: RunRepository,
  plan: RunPlan,
  dataset: DatasetName,
  now: () => number,
  output: StageMergeOutput,
): Promise<StageMergeOutput> {
  if (dataset === 'ledger' || !accountingWanted(plan)) return output;
  return { ...output, accountingAhead: await stageOrdersAndFillsAccounting(run, now) };
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
