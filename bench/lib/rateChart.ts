import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaneState } from '../../src/extraction/runState';
import { rateTimeline } from '../../src/report/charts';
import { runFigures } from '../../src/report/runFigures';
import { resultsDir } from './results';

/** Requests per second of each rate-limit bucket (its lanes summed, search lanes included) against its budget. */
export function bucketTimelines(lanes: readonly LaneState[]): {
  seconds: number[];
  buckets: { name: string; perSecond: number[]; budget: number | null }[];
} {
  const figures = runFigures(null, lanes, null);
  const byEndpoint = new Map<string, { name: string; perSecond: number[]; budget: number | null }>();
  for (const l of figures.lanes) {
    const b = byEndpoint.get(l.endpoint);
    if (b) l.perSecond.forEach((n, i) => (b.perSecond[i] = (b.perSecond[i] ?? 0) + n));
    else
      byEndpoint.set(l.endpoint, {
        name: l.endpoint,
        perSecond: [...l.perSecond],
        budget: l.budgetPerSecond,
      });
  }
  const buckets = [...byEndpoint.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { seconds: figures.seconds, buckets };
}

/** Draws the scenario's requests-per-second timeline (ECharts SSR, src/report/charts) as `<scenario>-rate.svg`. */
export function writeRateChart(scenario: string, lanes: readonly LaneState[]): string {
  const { seconds, buckets } = bucketTimelines(lanes);
  const file = join(resultsDir(), `${scenario}-rate.svg`);
  writeFileSync(file, rateTimeline(seconds, buckets));
  return file;
}
