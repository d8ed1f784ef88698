import type { FillFigures, FundingFigure } from './fillFigures';
import type { OrderFigures } from './orderFigures';
import type { RunFigures } from './runFigures';
import type { ShadedSpan } from './charts';
import { horizontalBars, rateTimeline, stackedBars, stageBars } from './charts';
import { MARKETS } from '../core/order';
import { utcDay } from './orderFigures';

export interface ReportInput {
  title: string;
  /** Lines under the title: range served, completeness, notes. */
  facts: string[];
  /** The verification against a ground truth, when the run was checked. */
  verification?: string;
  orders: OrderFigures;
  /** The fills' totals (the run's or the archive's): when present, fees and volume come from them and realised PnL is drawn. */
  fills?: FillFigures;
  /** The ledger's funding, when the ledger was fetched (a run) or is archived: listed as a table. */
  funding?: FundingFigure[];
  run?: RunFigures;
  /** Spans no extraction covered (the archive's gaps, per stream): shaded on the orders chart, listed under it. */
  gaps?: { stream: string; from: number; to: number }[];
  generatedAt: number;
}

const TOP_SYMBOLS = 20;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function table(head: string[], rows: (string | number)[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function section(title: string, chart: string | null, numbers: string, note?: string): string {
  return [
    `<section><h2>${escapeHtml(title)}</h2>`,
    note ? `<p class="note">${escapeHtml(note)}</p>` : '',
    chart ? `<figure>${chart}</figure>` : '<p class="note">nothing to draw</p>',
    `<details><summary>the numbers</summary>${numbers}</details></section>`,
  ].join('\n');
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** One shaded span per distinct gap (streams sharing a span share its shading), days as the chart's categories. */
function gapAreas(gaps: NonNullable<ReportInput['gaps']>): ShadedSpan[] {
  const bySpan = new Map<string, { from: number; to: number; streams: string[] }>();
  for (const g of gaps) {
    const key = `${g.from}-${g.to}`;
    const entry = bySpan.get(key) ?? { from: g.from, to: g.to, streams: [] };
    entry.streams.push(g.stream);
    bySpan.set(key, entry);
  }
  return [...bySpan.values()].map((g) => ({
    name: g.streams.length === 1 ? `gap ${g.streams[0]}` : `gap (${g.streams.length} streams)`,
    from: utcDay(g.from),
    // The gap's end is exclusive: the last day shaded is the one its last millisecond falls in.
    to: utcDay(Math.max(g.from, g.to - 1)),
  }));
}

/** Horizontal bars, one per label, or null (`nothing to draw`) when there are none. */
const barsOrNone = (labels: string[], values: number[], axis: string): string | null =>
  labels.length ? horizontalBars(labels, values, axis) : null;

/**
 * Volume per symbol as the orders or the fills sum it (`counted`: which, the table's last column): the top
 * TOP_SYMBOLS by quote volume drawn, every symbol in the table.
 */
function volumeSection<K extends 'orders' | 'fills'>(
  volume: readonly ({ symbol: string; market: string; base: string; quote: string } & Record<K, number>)[],
  counted: K,
  note: string,
): string {
  const top = volume.slice(0, TOP_SYMBOLS);
  return section(
    `Volume per symbol (top ${TOP_SYMBOLS} by quote volume${counted === 'fills' ? ', from the fills' : ''})`,
    barsOrNone(
      top.map((v) => `${v.symbol} ${v.market === 'spot' ? '' : v.market}`.trim()),
      top.map((v) => Number(v.quote)),
      'quote volume',
    ),
    table(
      ['symbol', 'market', 'base volume', 'quote volume', counted],
      volume.map((v) => [v.symbol, v.market, v.base, v.quote, v[counted]]),
    ),
    note,
  );
}

/** Fees and volume as the orders report them (a run without fills: orders-only, or from before fills). */
function orderTradeSections(orders: OrderFigures): string[] {
  return [
    section(
      'Fees paid, per coin',
      barsOrNone(
        orders.feesByCoin.map((f) => f.coin),
        orders.feesByCoin.map((f) => f.orders),
        'orders that paid it',
      ),
      table(
        ['coin', 'fees paid', 'orders'],
        orders.feesByCoin.map((f) => [f.coin, f.amount, f.orders]),
      ),
      'Coins differ in value, so the chart counts the orders that paid each coin; the table sums the amounts exactly.',
    ),
    volumeSection(
      orders.volumeBySymbol,
      'orders',
      'Filled volume, in each symbol’s own base and quote coin (the chart rounds for drawing; the table is exact).',
    ),
  ];
}

/** Fees, volume and realised PnL from the fills' totals. */
function fillSections(fills: FillFigures): string[] {
  return [
    section(
      'Fees paid, per coin (from the fills)',
      barsOrNone(
        fills.feesByCoin.map((f) => f.coin),
        fills.feesByCoin.map((f) => Number(f.amount)),
        'fees paid',
      ),
      table(
        ['coin', 'fees paid'],
        fills.feesByCoin.map((f) => [f.coin, f.amount]),
      ),
      'Summed from every fee of every fill. Each bar is in its own coin (coins differ in value); the chart rounds for drawing, the table is exact.',
    ),
    volumeSection(
      fills.volumeBySymbol,
      'fills',
      'Summed from the fills, in each symbol’s own base and quote coin (the chart rounds for drawing; the table is exact).',
    ),
    section(
      'Realised profit and loss, per futures symbol, by settle coin',
      fills.realisedPnl.length
        ? fills.realisedPnl
            .map((g) =>
              horizontalBars(
                g.symbols.map((p) => `${p.symbol} ${p.market}`),
                g.symbols.map((p) => Number(p.profit)),
                `realised PnL (${g.settleCoin})`,
              ),
            )
            .join('\n')
        : null,
      table(
        ['settle coin', 'symbol', 'market', 'realised PnL'],
        fills.realisedPnl.flatMap((g) => [
          ...g.symbols.map((p) => [g.settleCoin, p.symbol, p.market, p.profit]),
          [g.settleCoin, 'total', '', g.total],
        ]),
      ),
      'From the futures fills’ profit, one chart per settle coin: amounts in different coins are never added together.',
    ),
  ];
}

/** The ledger's funding entries per source and coin: a table (amounts in different coins are not drawn on one axis). */
function fundingSection(funding: FundingFigure[]): string {
  return (
    '<section><h2>Funding paid and received, per coin</h2>\n' +
    '<p class="note">From the ledger’s funding entries, per source: the tax records repeat the bills, so the two are never added.</p>\n' +
    (funding.length
      ? table(
          ['source', 'coin', 'paid', 'received', 'net'],
          funding.map((f) => [f.source, f.coin, f.paid, f.received, f.net]),
        )
      : '<p class="note">no funding entries</p>') +
    '</section>'
  );
}

/** One self-contained HTML file: inline CSS and SVG, no script, nothing fetched when it is opened. */
export function renderReport(input: ReportInput): string {
  const { orders, run } = input;
  const markets = MARKETS.filter((m) => orders.perDayByMarket[m].some((n) => n > 0));
  const gaps = input.gaps ?? [];
  // A chart needs a series to carry the shaded gaps even when no market has an order.
  const drawn = markets.length ? markets : (['spot'] as const);
  const parts = [
    section(
      'Orders per day, by market',
      orders.days.length
        ? stackedBars(
            orders.days,
            drawn.map((m) => ({ name: m, data: orders.perDayByMarket[m] })),
            'orders',
            gapAreas(gaps),
          )
        : null,
      table(
        ['day (UTC)', ...markets],
        orders.days.map((d, i) => [d, ...markets.map((m) => orders.perDayByMarket[m][i]!)]),
      ) +
        (input.gaps
          ? `<h3>Gaps (shaded)</h3>` +
            (gaps.length
              ? table(
                  ['stream', 'from', 'to (exclusive)', 'days'],
                  gaps.map((g) => [
                    g.stream,
                    iso(g.from),
                    iso(g.to),
                    ((g.to - g.from) / 86_400_000).toFixed(1),
                  ]),
                )
              : '<p class="note">no gaps: every stream is covered over its whole span</p>')
          : ''),
      input.gaps
        ? 'Shaded: spans no sync covered while Bitget still served them (gaps), per stream.'
        : undefined,
    ),
    ...(input.fills ? fillSections(input.fills) : orderTradeSections(orders)),
    ...(input.funding ? [fundingSection(input.funding)] : []),
  ];
  if (run) {
    parts.push(
      section(
        'Requests answered per second, per rate-limit bucket, against its budget',
        run.seconds.length
          ? rateTimeline(
              run.seconds,
              run.lanes.map((l) => ({ name: l.laneId, perSecond: l.perSecond, budget: l.budgetPerSecond })),
            )
          : null,
        table(
          ['lane', 'endpoint', 'budget/s', 'requests', 'busiest second', 'seconds with requests'],
          run.lanes.map((l) => [
            l.laneId,
            l.endpoint,
            l.budgetPerSecond ?? '?',
            l.requests,
            Math.max(0, ...l.perSecond),
            l.perSecond.filter((n) => n > 0).length,
          ]),
        ),
      ),
      section(
        'Stages',
        run.stages.length ? stageBars(run.stages) : null,
        table(
          ['stage', 'started', 'finished', 'seconds'],
          run.stages.map((s) => [
            s.name,
            iso(s.startedAt),
            iso(s.finishedAt),
            (s.finishedAt - s.startedAt) / 1000,
          ]),
        ),
      ),
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
.facts li{margin:.2rem 0}.verification{padding:.5rem;border-left:4px solid #3a7;background:#f3faf5}
.note{color:#555;font-size:.9rem}figure{margin:0;overflow-x:auto}svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
td:first-child,th:first-child{text-align:left}
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<ul class="facts">${input.facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>
${input.verification ? `<p class="verification">${escapeHtml(input.verification)}</p>` : ''}
${parts.join('\n')}
<p class="note">Generated ${iso(input.generatedAt)} by bitget-orders.</p>
</body></html>
`;
}
