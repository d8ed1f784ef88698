import { z } from 'zod';
import type { MergeItem } from './merge';
import { sourceSymbol } from './sources';
import type { LaneState, RunPlan } from './state';

const counts = z.record(z.string(), z.number());

/** `results/<runId>/summary.json`: what a run fetched, what is missing, and how long each part took. */
export const runSummarySchema = z.object({
  runId: z.string(),
  complete: z.boolean(),
  order: z.enum(['asc', 'desc']),
  mode: z.enum(['classic', 'uta']).nullable(),
  requested: z.object({ since: z.number().nullable(), until: z.number().nullable() }).nullable(),
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
  merged: OrderFigures | null;
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
      totalMs: plan?.stages['plan']?.startedAt ? a.now - plan.stages['plan'].startedAt : null,
    },
    generatedAt: a.now,
  };
}

function stageMs(plan: RunPlan | null, stage: string): number | null {
  const s = plan?.stages[stage];
  return s?.finishedAt !== undefined ? s.finishedAt - s.startedAt : null;
}
