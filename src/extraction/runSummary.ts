import { z } from 'zod';
import type { AccountingSummary } from '../accounting/summary';
import { DATASET_NAMES } from '../core/dataset';
import type { DatasetName } from '../core/dataset';
import type { MergeItem } from './merge';
import { datasetStreamOf } from '../bitget/datasetSources';
import { retentionDaysOf } from '../bitget/endpoints';
import { describeSource, isOrderSource, sourceSymbol } from './sources';
import type { LaneState, RunPlan } from './runState';
import { laneDataset } from './runState';

const counts = z.record(z.string(), z.number());
const range = z.object({ since: z.number(), until: z.number() });

/** A span of one source that fell out of Bitget's retention before the run reached it (never fetched). */
const expiredSchema = z.object({
  laneId: z.string(),
  dataset: z.enum(DATASET_NAMES),
  /** The source (describeSource) and, for fills and ledger, its coverage stream. */
  source: z.string(),
  stream: z.string().optional(),
  retentionDays: z.number(),
  from: z.number(),
  to: z.number(),
});
export type ExpiredSpan = z.output<typeof expiredSchema>;

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
  /**
   * Spans that expired (left Bitget's retention) while the run worked, before it reached them: not in the result,
   * and not in `served` (whose `since` is then the boundary actually covered). The run can still be complete:
   * everything Bitget served when each query was sent was fetched.
   */
  expired: z.array(expiredSchema).default([]),
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
  const expired = expiredSpans(lanes);
  const laneEnds = lanes.map((l) => l.finishedAt ?? null);
  const started = lanes.map((l) => l.startedAt ?? Infinity);
  return {
    runId: plan?.runId ?? '',
    complete: !a.failure && a.missing.length === 0 && merged !== null,
    order: a.order,
    mode: plan?.mode ?? null,
    requested: plan?.requested ?? null,
    served: plan?.served ? coveredFrom(plan.served, expired, 'orders') : null,
    notes: [...(plan?.notes ?? []), ...expiredNotes(expired)],
    expired,
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
    datasets: datasetSummaries(plan, lanes, merged, a.records ?? {}, expired),
    accounting: a.accounting ?? null,
    generatedAt: a.now,
  };
}

function datasetSummaries(
  plan: RunPlan | null,
  lanes: LaneState[],
  merged: OrderFigures | null,
  records: Partial<Record<DatasetName, DatasetFigures>>,
  expired: ExpiredSpan[],
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
    const served = ranges ? { since: ranges.since, until: ranges.until } : (plan?.served ?? null);
    // The ledger's tax records reach below its bills: a bills hole is then named by its stream, not `served`.
    const taxBelow = dataset === 'ledger' && (ranges?.taxSince ?? null) !== null;
    const streams =
      ranges?.streams === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(ranges.streams).map(([stream, span]) => [
              stream,
              coveredFrom(
                span,
                expired.filter((e) => e.stream !== undefined && sameStream(e.stream, stream)),
                dataset,
              ),
            ]),
          );
    out[dataset] = {
      records: figures?.records ?? 0,
      duplicatesDropped: figures?.duplicates ?? 0,
      parts: figures?.parts ?? 0,
      firstTime: figures?.first ?? null,
      lastTime: figures?.last ?? null,
      requests: lanes.filter((l) => laneDataset(l) === dataset).reduce((n, l) => n + l.requests, 0),
      served: served && !taxBelow ? coveredFrom(served, expired, dataset) : served,
      ...(dataset === 'ledger' ? { taxSince: ranges?.taxSince ?? null } : {}),
      ...(streams !== undefined ? { streams } : {}),
    };
  }
  return out;
}

function stageMs(plan: RunPlan | null, stage: string): number | null {
  const s = plan?.stages[stage];
  return s?.finishedAt !== undefined ? s.finishedAt - s.startedAt : null;
}

/**
 * Every cursor's expired span, merged per lane and source (a source's windows expire from its oldest up, so
 * the union of its spans is one span).
 */
export function expiredSpans(lanes: LaneState[]): ExpiredSpan[] {
  const out = new Map<string, ExpiredSpan>();
  for (const lane of lanes) {
    for (const c of lane.cursors) {
      if (c.expired === undefined || c.expired.to <= c.expired.from) continue;
      const source = describeSource(c.source);
      const key = `${lane.laneId}|${source}`;
      const seen = out.get(key);
      if (seen) {
        seen.from = Math.min(seen.from, c.expired.from);
        seen.to = Math.max(seen.to, c.expired.to);
        continue;
      }
      out.set(key, {
        laneId: lane.laneId,
        dataset: laneDataset(lane),
        source,
        ...(isOrderSource(c.source) ? {} : { stream: datasetStreamOf(c.source) }),
        retentionDays: retentionDaysOf(c.source.endpoint),
        from: c.expired.from,
        to: c.expired.to,
      });
    }
  }
  return [...out.values()];
}

/**
 * A served range as the run really covered it: from the newest end of the data set's expired spans, when
 * they reach into it (the span below was never fetched, so the archive must not count it as covered). All
 * the data set's streams start there (a stream that did not expire is claimed from the same point: less than
 * it covered, never more).
 */
function coveredFrom(
  served: { since: number; until: number },
  expired: ExpiredSpan[],
  dataset: DatasetName,
): { since: number; until: number } {
  let since = served.since;
  for (const e of expired) if (e.dataset === dataset && e.to > since) since = Math.min(e.to, served.until);
  return { since, until: served.until };
}

/** A source's stream and a planned stream are the same or one narrows the other (`spotFills/BTCUSDT`). */
const sameStream = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

const RECORD_WORDS: Record<DatasetName, string> = {
  orders: 'orders',
  fills: 'fills',
  ledger: 'ledger entries',
};

/** One sentence per lane that lost a span to Bitget's retention, with the span's bounds. */
function expiredNotes(expired: ExpiredSpan[]): string[] {
  const byLane = new Map<string, ExpiredSpan[]>();
  for (const e of expired) byLane.set(e.laneId, [...(byLane.get(e.laneId) ?? []), e]);
  return [...byLane.entries()].map(([laneId, spans]) => {
    const from = Math.min(...spans.map((e) => e.from));
    const to = Math.max(...spans.map((e) => e.to));
    const first = spans[0]!;
    const days = Math.max(...spans.map((e) => e.retentionDays));
    const sources = spans.length === 1 ? first.source : `${spans.length} sources`;
    return (
      `${capitalised(RECORD_WORDS[first.dataset])} created between ${iso(from)} and ${iso(to)} (lane ${laneId}, ${sources}) ` +
      `expired (Bitget serves ${days} days) before this run reached them: they are not in this result.`
    );
  });
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const iso = (ms: number) => new Date(ms).toISOString();
