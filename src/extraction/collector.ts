import { summariseAccounting } from '../accounting/summary';
import type { AccountingSummary } from '../accounting/summary';
import type { DatasetName } from '../core/dataset';
import type { RunOutput } from '../core/engine';
import { requestedDatasets } from '../core/request';
import { OrderFiguresCounter } from '../report/orderFigures';
import type { OrderFigures as ReportOrderFigures } from '../report/orderFigures';
import type { RunStore } from '../storage/RunStore';
import { mergeOrderParts, mergeRecordParts, partsOfDatasets } from './datasetMerge';
import { ExtractionIncompleteError } from './errors';
import { incompleteness } from './runCompleteness';
import { RunRepository } from './RunRepository';
import type { DatasetFigures, OrderFigures } from './runSummary';
import { buildSummary, summaryFailure } from './runSummary';
import { accountingAheadFor, accountingSourcesIn } from './stagedAccounting';
import { publishStaged } from './stagedMerge';

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
  return (await collectRunForReport(deps, input)).output;
}

/**
 * collectRun, also giving the report's order figures when this call merged the orders itself (counted as they
 * were written, so the report need not read orders.jsonl again); null otherwise (incomplete, or published from a
 * staged merge: the report reads the file).
 */
export async function collectRunForReport(
  deps: CollectDeps,
  input: CollectInput,
): Promise<{ output: RunOutput; reportOrders: ReportOrderFigures | null }> {
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
  const phases = { resultFilesMs: null as number | null, accountingMs: null as number | null };
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
      phases,
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
    return { output: { ...base, complete: false, orders: 0, failure }, reportOrders: null };
  }

  const filesStartedAt = now();
  const partsByDataset = await partsOfDatasets(run, lanes);
  // Data sets merged while other lanes still ran (stagedMerge.ts) are copied into place, all at once; the others
  // are merged here, one after the other.
  const { ordersJsonl, ordersJson, fillsJsonl, ledgerJsonl } = run.results;
  const [stagedOrders, stagedFills, stagedLedger] = await Promise.all([
    publishStaged(run, 'orders', order, partsByDataset.orders, { jsonl: ordersJsonl, json: ordersJson }),
    fillsWanted ? publishStaged(run, 'fills', order, partsByDataset.fills, { jsonl: fillsJsonl }) : null,
    ledgerWanted ? publishStaged(run, 'ledger', order, partsByDataset.ledger, { jsonl: ledgerJsonl }) : null,
  ]);
  const counter = stagedOrders ? null : new OrderFiguresCounter();
  const merged =
    stagedOrders ??
    (await mergeOrderParts(
      run,
      order,
      partsByDataset.orders,
      { jsonl: ordersJsonl, json: ordersJson },
      deps.mergeFanIn,
      counter ?? undefined,
    ));
  const records: Partial<Record<DatasetName, DatasetFigures>> = {};
  if (fillsWanted) {
    records.fills =
      stagedFills ??
      (await mergeRecordParts(run, 'fills', order, partsByDataset.fills, fillsJsonl, deps.mergeFanIn));
  }
  if (ledgerWanted) {
    records.ledger =
      stagedLedger ??
      (await mergeRecordParts(run, 'ledger', order, partsByDataset.ledger, ledgerJsonl, deps.mergeFanIn));
  }
  phases.resultFilesMs = now() - filesStartedAt;
  const accountingStartedAt = now();
  // The reconciliation compares orders, fills and fee entries with one another: only meaningful with all three.
  // When orders and fills were both published from staging, their part may have been done ahead, while the
  // ledger's lanes ran (stagedAccounting.ts): then only the ledger is read here, or nothing when the ledger's
  // staged merge fed it.
  const accountRun = async (): Promise<AccountingSummary> => {
    const ahead =
      stagedOrders && stagedFills
        ? await accountingAheadFor(run, {
            orders: partsByDataset.orders,
            fills: partsByDataset.fills,
            ledger: stagedLedger ? partsByDataset.ledger : null,
          })
        : null;
    if (ahead && 'whole' in ahead) return ahead.whole;
    const { ordersJsonl: orders, fillsJsonl: fills, ledgerJsonl: ledger } = run.results;
    return summariseAccounting(
      accountingSourcesIn(run.store, { orders, fills, ledger }),
      ahead?.ordersAndFills,
    );
  };
  const accounting = fillsWanted && ledgerWanted && datasets.includes('orders') ? await accountRun() : null;
  if (accounting) phases.accountingMs = now() - accountingStartedAt;
  // No download URL is stored: a presigned URL embeds the signer's (session) credentials and would outlive
  // them in a file kept for years. The API signs one when a result is read.
  await run.saveSummary(summarise(merged, records, accounting));
  await run.saveLatest(merged.orders, now());
  return {
    output: { ...base, ...resultKeysOf, complete: true, orders: merged.orders },
    reportOrders: counter && !counter.failed ? counter.figures() : null,
  };
}
