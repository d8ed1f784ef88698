import type { DatasetName } from '../core/dataset';
import type { LaneState, RunPlan } from './runState';
import { laneDataset } from './runState';

/**
 * What keeps a run (or, with `dataset`, one of its data sets) from being complete; empty when every record
 * Bitget serves for the plan was fetched. The symbol search and its lanes belong to the orders. A planned lane
 * with no saved state counts against every data set: which one it belongs to is not known.
 */
export function incompleteness(
  plan: RunPlan | null,
  lanes: LaneState[],
  symbolsPlanned: boolean,
  dataset?: DatasetName,
): string[] {
  if (!plan) return ['the run was never planned'];
  const concerns = (lane: LaneState | undefined) =>
    dataset === undefined || lane === undefined || laneDataset(lane) === dataset;
  const missing: string[] = [];
  const byId = new Map(lanes.map((l) => [l.laneId, l]));
  for (const id of plan.laneIds) {
    const lane = byId.get(id);
    if (concerns(lane) && !lane?.done) missing.push(`lane ${id} is unfinished`);
  }
  if (dataset === undefined || dataset === 'orders') {
    for (const w of plan.searchWindows) {
      if (!byId.get(`search-${w.windowId}`)?.done)
        missing.push(`symbol search of window ${w.windowId} is unfinished`);
    }
    if (!symbolsPlanned) missing.push('the symbols found by the search were never unified');
  }
  for (const lane of lanes) {
    if (!concerns(lane)) continue;
    if (!plan.laneIds.includes(lane.laneId) && !lane.done) missing.push(`lane ${lane.laneId} is unfinished`);
    for (const c of lane.cursors) {
      if (c.broken) missing.push(`${c.id} stopped after repeated failures (${c.broken.message})`);
    }
  }
  return missing;
}
