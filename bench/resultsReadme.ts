/**
 * bench/results/README.md: every table of the last run, rebuilt from the result files in the results directory
 * (each scenario's JSON, so a partial run keeps the tables of the others).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Column } from './lib/markdownTable';
import { markdownTable } from './lib/markdownTable';
import { resultsDir } from './lib/results';
import type { ApiBenchResult, LoadFigures } from './scenarios/api';
import type { CollectorBenchResult, CollectorSizeResult } from './scenarios/collector';
import type { DatabaseBenchResult, ImportFigures } from './scenarios/database';
import { extractionScenarios } from './scenarios/definitions';
import { TARGETS } from './scenarios/extraction';
import type { ProcessPeak } from './lib/rss';
import type { DatasetResult, ExtractionResult } from './scenarios/extraction';

/** A result file as committed: files written before the data sets existed lack `datasets` and name `orders`. */
type StoredExtraction = Omit<ExtractionResult, 'datasets' | 'buckets'> & {
  datasets?: ExtractionResult['datasets'];
  buckets: (Omit<ExtractionResult['buckets'][number], 'records'> & { records?: number; orders?: number })[];
};

function readPrevious<T>(name: string): T | null {
  const f = join(resultsDir(), `${name}.json`);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : null;
}

const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(1));

/** `0`, or the classes that differed: `kind 1776, orderType 1776`; `–` for a result from before the check. */
function fieldMismatchCell(r: { fieldMismatches: Record<string, { count: number }> | null }): string {
  if (!r.fieldMismatches) return '–';
  const classes = Object.entries(r.fieldMismatches).filter(([, m]) => m.count > 0);
  return classes.length === 0 ? '0' : classes.map(([f, m]) => `${f} ${m.count}`).join(', ');
}

const extractionColumns: Column<StoredExtraction>[] = [
  ['scenario', (r) => r.scenario],
  ['data sets', (r) => Object.keys(r.datasets ?? { orders: null }).join(', ')],
  ['truth', (r) => r.ordersTruth],
  ['out', (r) => r.ordersOut],
  ['missing', (r) => r.missing],
  ['dup', (r) => r.duplicates],
  ['field mismatches', fieldMismatchCell],
  ['requests', (r) => r.requests],
  ['min (pages alone)', (r) => `${r.minRequests} (${pagesOf(r) ?? '–'})`],
  ['req ratio', (r) => r.requestRatio],
  ['wall s', (r) => s(r.wallMs)],
  ['bound s', (r) => s(r.boundMs)],
  ['time ratio', (r) => r.timeRatio],
  ['lanes s (ratio)', (r) => `${s(r.lanesWallMs)} (${r.lanesTimeRatio ?? '–'})`],
  ['result after last lane s', (r) => s(r.resultAfterLanesMs ?? null)],
  ['429', (r) => r.http429],
  ['retries', (r) => r.retries],
  ['peak RSS MiB: extraction / sim / S3', (r) => rssCell(r)],
  ['targets met', (r) => targetsCell(r)],
];

/** The buckets' pages without the end pages (bench/lib/limit.ts); null for results from before it was kept. */
function pagesOf(r: StoredExtraction): number | null {
  const pages = r.buckets.map((b) => (b as { pages?: number }).pages);
  return pages.every((p) => typeof p === 'number') ? pages.reduce((n: number, p) => n + p!, 0) : null;
}

/** `yes`, or the targets missed (a missed one stands out). */
function targetsCell(r: StoredExtraction): string {
  if (r.targets.all) return 'yes';
  const names: [keyof StoredExtraction['targets'], string][] = [
    ['timeRatio', 'wall'],
    ['lanesTimeRatio', 'lanes'],
    ['requestRatio', 'requests'],
    ['resultAfterLanes', 'result after lanes'],
    ['allOrders', 'orders'],
    ['allRecords', 'records'],
    ['exactFields', 'fields'],
    ['noDuplicates', 'duplicates'],
    ['http429', '429s'],
  ];
  return `**no**: ${names
    .filter(([k]) => r.targets[k] === false)
    .map(([, n]) => n)
    .join(', ')}`;
}

const rssOf = (p: ProcessPeak | undefined) => p?.peakRssMiB ?? null;

/** `412 / 655 / 98`; `–` for a process not measured (or a result from before RSS was measured). */
function rssCell(r: StoredExtraction): string {
  if (!r.rss) return '–';
  const { extraction, simulator, localS3 } = r.rss;
  return [extraction, simulator, localS3].map((p) => rssOf(p) ?? '–').join(' / ');
}

/** Per process: this scenario's peak RSS ÷ its baseline scenario's (the same account at a tenth of the orders). */
function rssComparison(r: StoredExtraction, base: StoredExtraction | undefined): string[] {
  const baseline = extractionScenarios().find((x) => x.scenario === r.scenario)?.rssBaseline;
  if (!baseline) return [];
  if (!base?.rss || !r.rss) return [`Peak RSS against ${baseline}: – (not both measured).`, ''];
  const roles = [
    ['extraction', 'extraction'],
    ['simulator', 'simulator'],
    ['localS3', 'local S3 server'],
  ] as const;
  const cells = roles.map(([role, label]) => {
    const a = rssOf(r.rss![role]);
    const b = rssOf(base.rss![role]);
    return `${label} ${a ?? '–'} ÷ ${b ?? '–'} MiB = ${a !== null && b !== null && b > 0 ? (a / b).toFixed(2) : '–'}`;
  });
  return [
    `Peak RSS ÷ ${baseline}'s, per process (target ≤ 1.2): ${cells.join('; ')}. Wall ÷ bound ${r.timeRatio} (target ≤ 1.05).`,
    '',
  ];
}

const datasetColumns: Column<[string, DatasetResult]>[] = [
  ['data set', ([name]) => name],
  ['truth', ([, d]) => d.truth],
  ['out', ([, d]) => d.out],
  ['missing', ([, d]) => d.missing],
  ['dup', ([, d]) => d.duplicates],
  ['unsorted', ([, d]) => d.unsorted],
  ['field mismatches', ([, d]) => fieldMismatchCell(d)],
  ['requests', ([, d]) => d.requests],
  ['min', ([, d]) => d.minRequests],
  ['req ratio', ([, d]) => d.requestRatio],
  ['own bound s (bucket)', ([, d]) => `${s(d.boundMs)} (${d.bottleneck})`],
  ['lanes s (÷ own bound)', ([, d]) => `${s(d.lanesWallMs)} (${d.lanesTimeRatio ?? '–'})`],
];

const bucketColumns: Column<StoredExtraction['buckets'][number]>[] = [
  ['bucket', (b) => b.endpoint],
  ['rate/s', (b) => b.ratePerSecond],
  ['streams', (b) => b.streams],
  ['windows', (b) => b.windows],
  ['records', (b) => b.records ?? b.orders],
  ['min req', (b) => b.minRequests],
  ['requests', (b) => b.requests],
  ['req ratio', (b) => b.requestRatio],
  ['bound s', (b) => s(b.boundMs)],
  ['wall s', (b) => s(b.wallMs)],
  ['time ratio', (b) => b.timeRatio],
  ['429', (b) => b.http429Exchange ?? '–'],
];

function collectorColumns(wideSockets: number | string): Column<CollectorSizeResult>[] {
  return [
    ['orders', (x) => x.orders],
    ['parts', (x) => x.parts],
    ['input GiB', (x) => (x.inputBytes / 2 ** 30).toFixed(2)],
    [
      'collector (product S3 client)',
      ({ collectorProductClient: p }) =>
        p.ok ? `${p.ordersPerSecond}/s` : `**${(p.error ?? 'failed').slice(0, 60)}**`,
    ],
    [
      `collector orders/s (${wideSockets} sockets)`,
      (x) => (x.collector.ok ? x.collector.ordersPerSecond : `**${x.collector.error}**`),
    ],
    ['collector peak RSS MB', (x) => x.collector.peakRssMB],
    [
      'baseline orders/s',
      ({ baseline: b }) => (b?.ok ? b.ordersPerSecond : `**${b?.error?.slice(0, 80) ?? 'not run'}**`),
    ],
    [
      'baseline peak RSS MB',
      ({ baseline: b }) => (b?.ok ? b.peakRssMB : b?.peakRssMB ? `(${b.peakRssMB} when it failed)` : '–'),
    ],
  ];
}

const databaseColumns: Column<ImportFigures>[] = [
  ['database', (r) => r.database],
  ['method', (r) => r.method],
  ['round', (r) => r.round ?? 0],
  ['orders', (r) => r.orders],
  ['seconds', (r) => s(r.ms)],
  ['orders/s', (r) => r.ordersPerSecond],
  ['all imported', (r) => r.ok],
];

const apiColumns: Column<LoadFigures>[] = [
  ['request', (r) => r.name],
  ['what is measured', (r) => r.what],
  ['connections', (r) => r.connections],
  ['requests', (r) => r.requests],
  ['errors', (r) => r.errors + r.non2xx],
  ['p50 ms', (r) => r.p50Ms],
  ['p99 ms', (r) => r.p99Ms],
  ['req/s', (r) => r.requestsPerSecond],
];

function extractionSection(ex: StoredExtraction[]): string[] {
  const m = ex[0]!.machine;
  const parts = [
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}.`,
    '',
    '## Extraction against the physical limit',
    '',
    `Targets (issue 16): wall ≤ ${TARGETS.timeRatio} × bound, lanes alone ≤ ${TARGETS.lanesTimeRatio} × bound, requests ≤ ${TARGETS.requestRatio} × minimum, the result ready within ${TARGETS.resultAfterLanesShare * 100} % of the bound after the last lane, 100 % of the truth with every canonical field as the truth says, 0 duplicates, 429s ≤ ${TARGETS.http429Share * 100} % of requests.`,
    'truth … field mismatches: the orders; requests, min, bound: every bucket the run uses (each data set has its own), all in parallel.',
    'peak RSS: the highest resident memory of each process from the start of the extraction to its end (the verification after it excluded): this process (engine, lanes, collector), the simulator, the local S3 server.',
    '',
    markdownTable(extractionColumns, ex),
    '',
  ];
  for (const r of ex) {
    parts.push(`### ${r.scenario}: per rate-limit bucket`, '', r.description, '');
    parts.push(
      ...rssComparison(
        r,
        ex.find(
          (x) => x.scenario === extractionScenarios().find((y) => y.scenario === r.scenario)?.rssBaseline,
        ),
      ),
    );
    if (r.datasets && Object.keys(r.datasets).some((d) => d !== 'orders'))
      parts.push(
        'Per data set (records against its truth; requests and time against its own buckets):',
        '',
        markdownTable(datasetColumns, Object.entries(r.datasets)),
        '',
      );
    if (r.rateChart) parts.push(`![requests per second per bucket against its budget](${r.rateChart})`, '');
    parts.push(markdownTable(bucketColumns, r.buckets), '');
  }
  return parts;
}

function collectorSection(col: CollectorBenchResult): string[] {
  return [
    '## Collector (streaming k-way merge + multipart upload)',
    '',
    col.method,
    '',
    markdownTable(collectorColumns(col.sizes[0]?.wideSockets ?? '?'), col.sizes),
    '',
    `Collector peak RSS, largest ÷ smallest size: ${col.rssGrowth} (target ≤ 1.2: ${col.rssGrowthOk ? 'met' : '**missed**'}); baseline: ${col.baselineRssGrowth ?? '–'}.`,
    '',
  ];
}

function databaseSection(db: DatabaseBenchResult): string[] {
  return [
    '## Database import',
    '',
    db.method,
    '',
    markdownTable(databaseColumns, db.results),
    '',
    `Speed-up batched ÷ row-by-row: SQLite ${db.speedup.sqlite ?? '–'}×, MySQL ${db.speedup.mysql ?? '–'}× (target ≥ 20×).`,
    `The database's own loader ÷ the import, same rows, summed over the alternating rounds: SQLite ${db.versusLoader?.sqlite ?? '–'}, MySQL ${db.versusLoader?.mysql ?? '–'} (target ≥ 0.8).`,
    '',
  ];
}

export function benchReadme(): string {
  const names = extractionScenarios().map((x) => x.scenario);
  const ex = names.map((n) => readPrevious<StoredExtraction>(n)).filter((x): x is StoredExtraction => !!x);
  const col = readPrevious<CollectorBenchResult>('collector');
  const db = readPrevious<DatabaseBenchResult>('database-import');
  const api = readPrevious<ApiBenchResult>('api');
  const faults = readPrevious<{ markdown?: string }>('faults');
  return [
    '# Benchmark results',
    '',
    'Written by `make bench` (bench/run.ts); see docs/BENCHMARKS.md for what each figure means. The machine is',
    'shared and noisy: compare ratios measured in the same run, not wall-clock times across runs.',
    '',
    ...(ex.length ? extractionSection(ex) : []),
    ...(col ? collectorSection(col) : []),
    ...(db ? databaseSection(db) : []),
    ...(api
      ? [
          '## API under load (autocannon, loopback)',
          '',
          api.method,
          '',
          markdownTable(apiColumns, api.results),
          '',
        ]
      : []),
    ...(faults?.markdown ? ['## Fault campaign (`make faults`)', '', faults.markdown, ''] : []),
  ].join('\n');
}

export function writeReadme(): void {
  writeFileSync(join(resultsDir(), 'README.md'), benchReadme());
}
