import { z } from 'zod';
import type { AccountingSummary } from '../accounting/summary';
import { DATASET_NAMES } from '../core/dataset';
import type { DatasetName } from '../core/dataset';
import type { MergeItem } from './merge';
import { sourceSymbol } from './sources';
import type { LaneState, RunPlan } from './runState';
import { laneDataset } from './runState';

const counts = z.record(z.string(), z.number());
const range = z.object({ since: z.number(), until: z.number() });

/** One data set of a run: what was merged into its result file, what it cost, and the range asked for. */
const datasetSummarySchema = z.object({
  records: z.number(),
  duplicatesDropped: z.number(),
  parts: z.number(),
  firstTime: z.number().nullable(),
  lastTime: z.number().nullable(),
  requests: z.number(),
  /** The range the data set was asked for (ledger: from the oldest tax record asked). */
  served: range.nullable(),
  /** Ledger: where the tax records begin (how far back they reached); null when none were asked. */
  taxSince: z.number().nullable().optional(),
  /**
   * Fills and ledger: per coverage stream (`spotBills`, `futuresFills/USDT-FUTURES`, `taxSpotRecords`), the span
   * it was asked over; a complete run covered each in full (what a sync's watermarks advance by).
   */
  streams: z.record(z.string(), range).optional(),
});
export type DatasetSummary = z.output<typeof datasetSummarySchema>;

const accountingSchema = z.custom<AccountingSummary>(
  (v) => typeof v === 'object' && v !== null && 'reconciliation' in v && 'totals' in v,
  'must hold the reconciliation and the totals',
);

/** `results/<runId>/summary.json`: what a run fetched, what is missing, and how long each part took. */
export const runSummarySchema = z.object({
  runId: z.string(),
  complete: z.boolean(),
  order: z.enum(['asc', 'desc']),
  mode: z.enum(['classic', 'uta']).nullable(),
  requested: z
    .object({
      since: z.number().nullable(),
      until: z.number().nullable(),
      streamSince: z.record(z.string(), z.number()).optional(),
    })
    .nullable(),
  served: z.object({ since: z.number(), until: z.number() }).nullable(),
  notes: z.array(z.string()),
  missing: z.array(z.string()),
  failure: z.object({ error: z.string(), cause: z.string() }).nullable(),
  orders: z.number(),
  duplicatesDropped: z.number(),
  parts: z.number(),
  firstOrderTime: z.number().nullable(),
  lastOrderTime: z.number().nullable(),
  byMarket: counts,
  byKind: counts,
  bySymbol: counts,
  requests: z.number(),
  retries: z.number(),
  http429: z.number(),
  errors: counts,
  lanes: z.array(
    z.object({
      laneId: z.string(),
      endpoint: z.string(),
      done: z.boolean(),
      orders: z.number(),
      requests: z.number(),
      cursors: z.number(),
      invocations: z.number(),
      busyMs: z.number(),
      skippedSymbols: z.array(z.string()),
    }),
  ),
  timing: z.record(z.string(), z.number().nullable()),
  /** Per data set fetched (orders also keep their fields above: other programs read them there). */
  datasets: z.partialRecord(z.enum(DATASET_NAMES), datasetSummarySchema).default({}),
  /** The reconciliation and the totals (src/accounting), when orders, fills and ledger were all fetched. */
  accounting: accountingSchema.nullable().default(null),
  generatedAt: z.number(),
});
export type RunSummary = z.output<typeof runSummarySchema>;

/** Figures of the merged result, counted as its orders stream past. */
export interface OrderFigures {
  orders: number;
  duplicates: number;
  parts: number;
  first: number | null;
  last: number | null;
  byMarket: Record<string, number>;
  byKind: Record<string, number>;
  bySymbol: Record<string, number>;
}

export function noOrderFigures(parts: number): OrderFigures {
  return { orders: 0, duplicates: 0, parts, first: null, last: null, byMarket: {}, byKind: {}, bySymbol: {} };
}

export function countOrder(r: OrderFigures, item: MergeItem): void {
  r.orders += 1;
  r.first ??= item.cTime;
  r.last = item.cTime;
  r.byMarket[item.market] = (r.byMarket[item.market] ?? 0) + 1;
  r.byKind[item.kind] = (r.byKind[item.kind] ?? 0) + 1;
  const sym = `${item.market}:${item.symbol}`;
  r.bySymbol[sym] = (r.bySymbol[sym] ?? 0) + 1;
}

/** Figures of a fills or ledger result, counted as its records stream past. */
export interface DatasetFigures {
  records: number;
  duplicates: number;
  parts: number;
  first: number | null;
  last: number | null;
}

export function noDatasetFigures(parts: number): DatasetFigures {
  return { records: 0, duplicates: 0, parts, first: null, last: null };
}

export function countRecord(r: DatasetFigures, item: MergeItem): void {
  r.records += 1;
  r.first ??= item.cTime;
  r.last = item.cTime;
}

/** An earlier step's failure as the summary records it (the cause cut to 4000 characters). */
export function summaryFailure(failure: { Error?: string; Cause?: string }): {
  error: string;
  cause: string;
} {
  const cause = failure.Cause ?? '';
  return {
    error: failure.Error ?? 'UnknownError',
    cause: cause.length > 4000 ? `${cause.slice(0, 4000)}…` : cause,
  };
}

export function buildSummary(a: {
  plan: RunPlan | null;
  lanes: LaneState[];
  order: 'asc' | 'desc';
  collectStartedAt: number;
  now: number;
  /** How long the collector took to write the result files, and then the accounting (null: not done). */
  phases?: { resultFilesMs: number | null; accountingMs: number | null };
  merged: OrderFigures | null;
  /** Fills and ledger figures, for the data sets fetched. */
  records?: Partial<Record<DatasetName, DatasetFigures>>;
  accounting?: AccountingSummary | null;
  failure: { error: string; cause: string } | undefined;
  missing: string[];
}): RunSummary {
  const { plan, lanes, merged } = a;
  const sum = (f: (l: LaneState) => number) => lanes.reduce((n, l) => n + f(l), 0);
  const errors: Record<string, number> = {};
  for (const l of lanes) for (const [k, v] of Object.entries(l.errors)) errors[k] = (errors[k] ?? 0) + v;
  const laneEnds = lanes.map((l) => l.finishedAt ?? null);
  const started = lanes.map((l) => l.startedAt ?? Infinity);
  return {
    runId: plan?.runId ?? '',
    complete: !a.failure && a.missing.length === 0 && merged !== null,
    order: a.order,
    mode: plan?.mode ?? null,
    requested: plan?.requested ?? null,
    served: plan?.served ?? null,
    notes: plan?.notes ?? [],
    missing: a.missing,
    failure: a.failure ?? null,
    orders: merged?.orders ?? 0,
    duplicatesDropped: merged?.duplicates ?? 0,
    parts: merged?.parts ?? 0,
    firstOrderTime: merged?.first ?? null,
    lastOrderTime: merged?.last ?? null,
    byMarket: merged?.byMarket ?? {},
    byKind: merged?.byKind ?? {},
    bySymbol: merged?.bySymbol ?? {},
    requests: sum((l) => l.requests),
    retries: sum((l) => l.retries),
    http429: sum((l) => l.http429),
    errors,
    lanes: lanes.map((l) => ({
      laneId: l.laneId,
      endpoint: l.endpoint,
      done: l.done,
      orders: l.ordersFetched,
      requests: l.requests,
      cursors: l.cursors.length,
      invocations: l.invocations,
      busyMs: l.busyMs,
      skippedSymbols: l.cursors.flatMap((c) => {
        const symbol = sourceSymbol(c.source);
        return c.skipped && symbol ? [symbol] : [];
      }),
    })),
    timing: {
      plannedAt: plan?.stages['plan']?.startedAt ?? null,
      planMs: stageMs(plan, 'plan'),
      lanesStartedAt: started.length ? Math.min(...started) : null,
      lanesFinishedAt:
        laneEnds.every((e) => e !== null) && laneEnds.length ? Math.max(...(laneEnds as number[])) : null,
      laneBusyMsTotal: sum((l) => l.busyMs),
      collectMs: a.now - a.collectStartedAt,
      resultFilesMs: a.phases?.resultFilesMs ?? null,
      accountingMs: a.phases?.accountingMs ?? null,
      totalMs: plan?.stages['plan']?.startedAt ? a.now - plan.stages['plan'].startedAt : null,
    },
    datasets: datasetSummaries(plan, lanes, merged, a.records ?? {}),
    accounting: a.accounting ?? null,
    generatedAt: a.now,
  };
}

function datasetSummaries(
  plan: RunPlan | null,
  lanes: LaneState[],
  merged: OrderFigures | null,
  records: Partial<Record<DatasetName, DatasetFigures>>,
): RunSummary['datasets'] {
  const asked = plan?.request.datasets ?? [...DATASET_NAMES];
  const out: RunSummary['datasets'] = {};
  for (const dataset of DATASET_NAMES) {
    if (!asked.includes(dataset)) continue;
    const figures: DatasetFigures | null =
      dataset === 'orders'
        ? merged && {
            records: merged.orders,
            duplicates: merged.duplicates,
            parts: merged.parts,
            first: merged.first,
            last: merged.last,
          }
        : (records[dataset] ?? null);
    const ranges = plan?.datasetRanges?.[dataset];
    out[dataset] = {
      records: figures?.records ?? 0,
      duplicatesDropped: figures?.duplicates ?? 0,
      parts: figures?.parts ?? 0,
      firstTime: figures?.first ?? null,
      lastTime: figures?.last ?? null,
      requests: lanes.filter((l) => laneDataset(l) === dataset).reduce((n, l) => n + l.requests, 0),
      served: ranges ? { since: ranges.since, until: ranges.until } : (plan?.served ?? null),
      ...(dataset === 'ledger' ? { taxSince: ranges?.taxSince ?? null } : {}),
      ...(ranges?.streams !== undefined ? { streams: ranges.streams } : {}),
    };
  }
  return out;
}

function stageMs(plan: RunPlan | null, stage: string): number | null {
  const s = plan?.stages[stage];
  return s?.finishedAt !== undefined ? s.finishedAt - s.startedAt : null;
}
