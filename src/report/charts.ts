import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

/**
 * Charts are drawn on the server by ECharts' SSR renderer (`ssr: true`, SVG): one dependency, no canvas, no
 * DOM, and the SVG is embedded in the report as it is, so the file opens offline.
 */
export function renderSvg(option: EChartsOption, size: { width: number; height: number }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const WIDE = { width: 960, height: 320 };

/** A span of categories to shade behind the bars (ECharts markArea), with its label. */
export interface ShadedSpan {
  name: string;
  from: string;
  to: string;
}

/** Stacked bars: one category per x value, one series per stack member, `shaded` spans drawn behind them. */
export function stackedBars(
  x: string[],
  series: { name: string; data: number[] }[],
  yName: string,
  shaded: ShadedSpan[] = [],
): string {
  const markArea = shaded.length
    ? {
        silent: true,
        itemStyle: { color: 'rgba(220, 60, 60, 0.15)' },
        label: { show: true, position: 'insideTop' as const, color: '#a33', fontSize: 10 },
        data: shaded.map((s): [{ name: string; xAxis: string }, { xAxis: string }] => [
          { name: s.name, xAxis: s.from },
          { xAxis: s.to },
        ]),
      }
    : undefined;
  return renderSvg(
    {
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: x },
      yAxis: { type: 'value', name: yName },
      series: series.map((s, i) => ({
        type: 'bar',
        stack: 'all',
        name: s.name,
        data: s.data,
        ...(i === 0 && markArea ? { markArea } : {}),
      })),
    },
    WIDE,
  );
}

/** Horizontal bars, one per label (largest first as given). */
export function horizontalBars(labels: string[], values: number[], xName: string): string {
  return renderSvg(
    {
      grid: { left: 140, right: 40, top: 20, bottom: 40 },
      xAxis: { type: 'value', name: xName },
      yAxis: { type: 'category', data: [...labels].reverse() },
      series: [{ type: 'bar', data: [...values].reverse() }],
    },
    { width: 960, height: Math.max(160, 28 * labels.length + 60) },
  );
}

/** Lines of requests per second, one per bucket, each with its budget as a dashed line of the same name. */
export function rateTimeline(
  seconds: number[],
  lanes: { name: string; perSecond: number[]; budget: number | null }[],
): string {
  const legendLines = Math.ceil((lanes.length * 2) / 4);
  const x = seconds.map((s) => String(s - (seconds[0] ?? 0)));
  return renderSvg(
    {
      // A plain legend wraps onto as many lines as it needs: a static SVG cannot page a scrolling one.
      legend: { top: 0, type: 'plain' },
      grid: { left: 60, right: 20, top: 40 + 22 * legendLines, bottom: 40 },
      xAxis: { type: 'category', data: x, name: 's' },
      yAxis: { type: 'value', name: 'requests/s' },
      series: lanes.flatMap((l) => [
        { type: 'line' as const, name: l.name, showSymbol: false, data: l.perSecond },
        ...(l.budget !== null
          ? [
              {
                type: 'line' as const,
                name: `${l.name} budget`,
                showSymbol: false,
                lineStyle: { type: 'dashed' as const, width: 1 },
                data: l.perSecond.map(() => l.budget),
              },
            ]
          : []),
      ]),
    },
    { width: WIDE.width, height: WIDE.height + 22 * legendLines },
  );
}

/** The stages of a run as bars on one time axis (seconds since the first stage started). */
export function stageBars(stages: { name: string; startedAt: number; finishedAt: number }[]): string {
  const t0 = Math.min(...stages.map((s) => s.startedAt));
  return renderSvg(
    {
      grid: { left: 120, right: 40, top: 20, bottom: 40 },
      xAxis: { type: 'value', name: 's' },
      yAxis: { type: 'category', data: stages.map((s) => s.name).reverse() },
      series: [
        {
          type: 'bar',
          stack: 'stage',
          itemStyle: { color: 'transparent' },
          data: [...stages].reverse().map((s) => (s.startedAt - t0) / 1000),
        },
        {
          type: 'bar',
          stack: 'stage',
          data: [...stages].reverse().map((s) => (s.finishedAt - s.startedAt) / 1000),
        },
      ],
    },
    { width: 960, height: 60 + 36 * stages.length },
  );
}
