import type { LaneState } from '../extraction/runState';
import { laneStateSchema, runPlanSchema } from '../extraction/runState';
import type { RunStore } from '../storage/RunStore';
import { runKeys } from '../storage/keys';

/** One lane of a running run, as its saved state says. */
export interface LaneProgressView {
  laneId: string;
  endpoint: string;
  done: boolean;
  orders: number;
  requests: number;
  retries: number;
  http429: number;
  cursorsDone: number;
  cursorsOpen: number;
  /** Share of the lane's time range its cursors have covered, 0 to 1. */
  covered: number;
}

/** How far a run is, read from its plan and lane states in the bucket (the engine only says RUNNING). */
export interface RunProgress {
  runId: string;
  /** The stage the run is in: planning (no plan yet), searching, lanes, merging (every lane done). */
  stage: 'planning' | 'lanes' | 'merging';
  lanes: LaneProgressView[];
  lanesDone: number;
  lanesTotal: number;
  orders: number;
  requests: number;
  retries: number;
  http429: number;
  /** Requests per second over the last few seconds the lanes recorded (0 when none). */
  requestsPerSecond: number;
  /** Share of the planned work covered, 0 to 1 (time ranges of the lanes' cursors). */
  fraction: number;
  /** Estimated milliseconds until the lanes finish, from the pace so far; null before there is a pace. */
  etaMs: number | null;
  etaAt: string | null;
}

const RATE_WINDOW_SECONDS = 5;

/** Share of a cursor's [start, end) fetched so far; pagination runs newest first, from end down to start. */
function cursorCovered(c: LaneState['cursors'][number]): { covered: number; span: number } {
  const span = Math.max(1, c.end - c.start);
  if (c.done || c.broken || c.skipped) return { covered: span, span };
  if (c.oldestCTime === null) return { covered: 0, span };
  return { covered: Math.min(span, Math.max(0, c.end - c.oldestCTime)), span };
}

export function laneView(lane: LaneState): LaneProgressView {
  let covered = 0;
  let span = 0;
  for (const c of lane.cursors) {
    const part = cursorCovered(c);
    covered += part.covered;
    span += part.span;
  }
  return {
    laneId: lane.laneId,
    endpoint: lane.endpoint,
    done: lane.done,
    orders: lane.ordersFetched,
    requests: lane.requests,
    retries: lane.retries,
    http429: lane.http429,
    cursorsDone: lane.cursors.filter((c) => c.done).length,
    cursorsOpen: lane.cursors.filter((c) => !c.done).length,
    covered: lane.done ? 1 : span === 0 ? 0 : covered / span,
  };
}

/** Requests per second over the last RATE_WINDOW_SECONDS complete seconds before `nowMs`, over every lane. */
function recentRate(lanes: LaneState[], nowMs: number): number {
  const nowSecond = Math.floor(nowMs / 1000);
  let requests = 0;
  for (const lane of lanes) {
    for (let s = nowSecond - RATE_WINDOW_SECONDS; s < nowSecond; s++)
      requests += lane.requestsBySecond[s] ?? 0;
  }
  return requests / RATE_WINDOW_SECONDS;
}

/**
 * Reads the run's plan and every lane state (through the run store, as the stage functions write them) and
 * says how far it is. The ETA is the time spent so far scaled by the share of the work still to do.
 */
export async function readRunProgress(
  store: RunStore,
  runId: string,
  startedAtMs: number,
  nowMs: number,
): Promise<RunProgress> {
  const plan = await store.getJson(runKeys(runId).plan, runPlanSchema);
  const lanes: LaneState[] = [];
  if (plan) {
    for (const key of await store.list(runKeys(runId).lanesPrefix)) {
      const lane = await store.getJson(key, laneStateSchema);
      if (lane) lanes.push(lane);
    }
  }
  const views = lanes.map(laneView).sort((a, b) => a.laneId.localeCompare(b.laneId));
  const lanesTotal = Math.max(plan?.laneIds.length ?? 0, views.length);
  const lanesDone = views.filter((l) => l.done).length;
  const fraction =
    lanesTotal === 0 ? 0 : views.reduce((sum, l) => sum + l.covered, 0) / Math.max(lanesTotal, 1);
  const elapsed = Math.max(0, nowMs - startedAtMs);
  const etaMs =
    fraction >= 1
      ? 0
      : fraction > 0.01 && elapsed > 0
        ? Math.round((elapsed * (1 - fraction)) / fraction)
        : null;
  const sum = (f: (l: LaneProgressView) => number) => views.reduce((s, l) => s + f(l), 0);
  return {
    runId,
    stage: !plan ? 'planning' : lanesTotal > 0 && lanesDone === lanesTotal ? 'merging' : 'lanes',
    lanes: views,
    lanesDone,
    lanesTotal,
    orders: sum((l) => l.orders),
    requests: sum((l) => l.requests),
    retries: sum((l) => l.retries),
    http429: sum((l) => l.http429),
    requestsPerSecond: recentRate(lanes, nowMs),
    fraction: Math.min(1, fraction),
    etaMs,
    etaAt: etaMs === null ? null : new Date(nowMs + etaMs).toISOString(),
  };
}
