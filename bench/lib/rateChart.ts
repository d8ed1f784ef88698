import { DATASET_STREAM_ENDPOINTS } from '../../src/core/dataset';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetEndpointId } from '../../src/bitget/datasetSchemas';
import { datasetOf } from '../../src/bitget/datasetSources';
import { TAX_ENDPOINTS } from '../../src/bitget/taxSpan';
import type { LaneState } from '../../src/extraction/runState';
import { rateTimeline, renderSvg } from '../../src/report/charts';
import { runFigures } from '../../src/report/runFigures';
import { resultsDir } from './results';

/** One bucket's requests per second against its budget, and the panel it is drawn in. */
export interface BucketTimeline {
  name: string;
  perSecond: number[];
  budget: number | null;
  /** orders, fills, ledger (bills) or ledger (tax records): buckets of like budgets drawn together. */
  panel: string;
}

const DATASET_ENDPOINTS = new Set<string>(DATASET_STREAM_ENDPOINTS);

/** The panel a bucket is drawn in: its data set, the tax records (1 request a second) apart from the bills. */
export function panelOf(endpoint: string): string {
  if (!DATASET_ENDPOINTS.has(endpoint)) return 'orders';
  if ((TAX_ENDPOINTS as readonly string[]).includes(endpoint)) return 'ledger (tax records)';
  const dataset = datasetOf(endpoint as DatasetEndpointId);
  return dataset === 'ledger' ? 'ledger (bills)' : dataset;
}

const PANEL_ORDER = ['orders', 'fills', 'ledger (bills)', 'ledger (tax records)'];

/** Requests per second of each rate-limit bucket (its lanes summed, search lanes included) against its budget. */
export function bucketTimelines(lanes: readonly LaneState[]): {
  seconds: number[];
  buckets: BucketTimeline[];
} {
  const figures = runFigures(null, lanes, null);
  const byEndpoint = new Map<string, BucketTimeline>();
  for (const l of figures.lanes) {
    const b = byEndpoint.get(l.endpoint);
    if (b) l.perSecond.forEach((n, i) => (b.perSecond[i] = (b.perSecond[i] ?? 0) + n));
    else
      byEndpoint.set(l.endpoint, {
        name: l.endpoint,
        perSecond: [...l.perSecond],
        budget: l.budgetPerSecond,
        panel: panelOf(l.endpoint),
      });
  }
  const rank = (b: BucketTimeline) => PANEL_ORDER.indexOf(b.panel);
  const buckets = [...byEndpoint.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return { seconds: figures.seconds, buckets };
}

const PANEL_HEIGHT = 200;
const PANEL_GAP = 70;

/**
 * One panel per data set on a shared time axis (a run of orders alone keeps the single chart of
 * `rateTimeline`): each bucket a line, its budget a dashed line named after it.
 */
export function rateChartSvg(seconds: number[], buckets: readonly BucketTimeline[]): string {
  const panels = PANEL_ORDER.filter((p) => buckets.some((b) => b.panel === p));
  if (panels.length <= 1) return rateTimeline(seconds, [...buckets]);
  const x = seconds.map((s) => String(s - (seconds[0] ?? 0)));
  const legendLines = Math.ceil((buckets.length * 2) / 4);
  const top = 30 + 22 * legendLines;
  const panelTop = (i: number) => top + i * (PANEL_HEIGHT + PANEL_GAP);
  return renderSvg(
    {
      legend: { top: 0, type: 'plain' },
      title: panels.map((p, i) => ({
        text: p,
        top: panelTop(i) - 26,
        left: 'center',
        textStyle: { fontSize: 13 },
      })),
      grid: panels.map((_, i) => ({ left: 60, right: 20, top: panelTop(i), height: PANEL_HEIGHT })),
      xAxis: panels.map((_, i) => ({
        type: 'category' as const,
        data: x,
        gridIndex: i,
        name: 's',
      })),
      yAxis: panels.map((_, i) => ({ type: 'value' as const, gridIndex: i, name: 'requests/s' })),
      series: buckets.flatMap((b) => {
        const i = panels.indexOf(b.panel);
        const at = { xAxisIndex: i, yAxisIndex: i, showSymbol: false, type: 'line' as const };
        return [
          { ...at, name: b.name, data: b.perSecond },
          ...(b.budget !== null
            ? [
                {
                  ...at,
                  name: `${b.name} budget`,
                  lineStyle: { type: 'dashed' as const, width: 1 },
                  data: b.perSecond.map(() => b.budget),
                },
              ]
            : []),
        ];
      }),
    },
    { width: 960, height: panelTop(panels.length) - PANEL_GAP + 50 },
  );
}

/** Draws the scenario's requests-per-second timeline (ECharts SSR, src/report/charts) as `<scenario>-rate.svg`. */
export function writeRateChart(scenario: string, lanes: readonly LaneState[]): string {
  const { seconds, buckets } = bucketTimelines(lanes);
  const file = join(resultsDir(), `${scenario}-rate.svg`);
  writeFileSync(file, rateChartSvg(seconds, buckets));
  return file;
}
