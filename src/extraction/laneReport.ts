import type { LaneState } from './runState';
import { laneDataset } from './runState';
import type { LaneReport } from './telemetry';
import { describeError } from './telemetry';

/** What a lane invocation is measured by: its counters before it starts, subtracted when it ends. */
export interface LaneCounters {
  pages: number;
  orders: number;
  requests: number;
  retries: number;
  http429: number;
  broken: Set<string>;
}

export function laneCounters(lane: LaneState, executionName?: string): LaneCounters {
  // A new execution reopens the broken cursors: a circuit that opens again is counted again.
  const reopens = executionName !== undefined && lane.executionName !== executionName;
  return {
    pages: lane.cursors.reduce((n, c) => n + c.pages, 0),
    orders: lane.ordersFetched,
    requests: lane.requests,
    retries: lane.retries,
    http429: lane.http429,
    broken: new Set(reopens ? [] : lane.cursors.filter((c) => c.broken).map((c) => c.id)),
  };
}

/** The invocation's own figures (the difference) and the lane's state at its end. */
export function laneReport(
  lane: LaneState,
  before: LaneCounters,
  base: Pick<LaneReport, 'runId' | 'laneId' | 'endpoint' | 'stop' | 'ms'>,
  executionName: string | undefined,
  err: unknown,
): LaneReport {
  const after = laneCounters(lane);
  const count = (p: (c: LaneState['cursors'][number]) => boolean) => lane.cursors.filter(p).length;
  const dataset = laneDataset(lane);
  // `ordersFetched` counts the rows of the lane's data set; orders are only the order lanes' rows.
  const records = after.orders - before.orders;
  const orders = dataset === 'orders' ? records : 0;
  return {
    ...base,
    ...(executionName ? { executionName } : {}),
    dataset,
    pages: after.pages - before.pages,
    orders,
    records,
    requests: after.requests - before.requests,
    retries: after.retries - before.retries,
    http429: after.http429 - before.http429,
    cursors: {
      open: count((c) => !c.done && !c.broken && !c.skipped),
      finished: count((c) => c.done && !c.broken),
      broken: count((c) => c.broken !== undefined),
      skipped: count((c) => c.skipped !== undefined),
    },
    circuitsOpened: [...after.broken].filter((id) => !before.broken.has(id)).length,
    total: {
      orders: dataset === 'orders' ? lane.ordersFetched : 0,
      requests: lane.requests,
      invocations: lane.invocations,
    },
    ...(err !== undefined ? { error: describeError(err) } : {}),
  };
}
