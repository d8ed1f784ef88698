import type { EndpointId } from '../bitget/endpoints';
import { ENDPOINTS } from '../bitget/endpoints';
import type { LaneState, RunPlan } from '../extraction/runState';

/** Requests per second of one rate-limit bucket (a lane) over the run, against its documented budget. */
export interface LaneTimeline {
  laneId: string;
  endpoint: string;
  /** Documented requests per second of the lane's endpoint, null when the endpoint is unknown. */
  budgetPerSecond: number | null;
  requests: number;
  /** Requests started in each second of `RunFigures.seconds`. */
  perSecond: number[];
}

export interface Stage {
  name: 'planning' | 'lanes' | 'symbol search' | 'merge';
  startedAt: number;
  finishedAt: number;
}

export interface RunFigures {
  /** Epoch seconds, every second from the first request to the last. */
  seconds: number[];
  lanes: LaneTimeline[];
  stages: Stage[];
}

const isEndpoint = (e: string): e is EndpointId => Object.hasOwn(ENDPOINTS, e);

/** The run's own shape: requests per second per bucket and the stages on one time axis. */
export function runFigures(
  plan: RunPlan | null,
  lanes: readonly LaneState[],
  collect: { startedAt: number; finishedAt: number } | null,
): RunFigures {
  const all = lanes.flatMap((l) => Object.keys(l.requestsBySecond).map(Number));
  const first = all.length ? Math.min(...all) : 0;
  const last = all.length ? Math.max(...all) : -1;
  const seconds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const timelines = lanes.map((l) => ({
    laneId: l.laneId,
    endpoint: l.endpoint,
    budgetPerSecond: isEndpoint(l.endpoint) ? ENDPOINTS[l.endpoint].ratePerSecond : null,
    requests: l.requests,
    perSecond: seconds.map((s) => l.requestsBySecond[String(s)] ?? 0),
  }));
  const stages: Stage[] = [];
  const planStage = plan?.stages['plan'];
  if (planStage?.finishedAt !== undefined)
    stages.push({ name: 'planning', startedAt: planStage.startedAt, finishedAt: planStage.finishedAt });
  const isSearch = (l: LaneState) => l.laneId.startsWith('search-');
  const span = (ls: LaneState[]) => {
    const starts = ls.flatMap((l) => (l.startedAt !== undefined ? [l.startedAt] : []));
    const ends = ls.flatMap((l) => (l.finishedAt !== undefined ? [l.finishedAt] : []));
    return starts.length && ends.length
      ? { startedAt: Math.min(...starts), finishedAt: Math.max(...ends) }
      : null;
  };
  const work = span(lanes.filter((l) => !isSearch(l)));
  if (work) stages.push({ name: 'lanes', ...work });
  const search = span(lanes.filter(isSearch));
  if (search) stages.push({ name: 'symbol search', ...search });
  if (collect) stages.push({ name: 'merge', ...collect });
  return { seconds, lanes: timelines, stages };
}
