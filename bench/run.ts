/**
 * `make bench`: extraction scenarios against the physical limit, the collector (1M and 4M orders), the
 * database import and the API under load. Writes bench/results/<scenario>.json and bench/results/README.md.
 *
 * Environment: BENCH_ONLY=extract,collector,database,api,sync (default all; `report` — the report's size and
 * render time for a run of BENCH_REPORT_ORDERS orders, default 200,000 — runs only when named); BENCH_SCENARIOS (extraction scenarios by name, e.g. extract-uta-60k; default all); BENCH_SCALE
 * (extraction account size factor, default 1); BENCH_COLLECTOR_SIZES (default 1000000,4000000); MYSQL_URL.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runApiBench } from './scenarios/api';
import type { ApiBenchResult } from './scenarios/api';
import { runCollectorBench } from './scenarios/collector';
import type { CollectorBenchResult } from './scenarios/collector';
import { runDatabaseBench } from './scenarios/database';
import { runReportBench } from './scenarios/report';
import type { DatabaseBenchResult } from './scenarios/database';
import { BENCH_LATENCY, extractionScenarios } from './scenarios/definitions';
import { runExtractionScenario, TARGETS } from './scenarios/extraction';
import type { ExtractionResult } from './scenarios/extraction';
import { startBenchSim } from './lib/sim';
import { runSyncBench } from './scenarios/sync';
import type { BenchSim } from './lib/sim';
import { log, resultsDir, table, writeResult } from './lib/results';

const only = (process.env['BENCH_ONLY'] ?? 'extract,collector,database,api,sync').split(',');
const scale = Number(process.env['BENCH_SCALE'] ?? '1');
const BUDGET_MS = Number(process.env['BENCH_BUDGET_MS'] ?? 14 * 60_000);
const collectorSizes = (process.env['BENCH_COLLECTOR_SIZES'] ?? '1000000,4000000').split(',').map(Number);

function readPrevious<T>(name: string): T | null {
  const f = join(resultsDir(), `${name}.json`);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : null;
}

/** `0`, or the classes that differed: `kind 1776, orderType 1776`; `–` for a result from before the check. */
function fieldMismatchCell(r: ExtractionResult): string {
  if (!r.fieldMismatches) return '–';
  const classes = Object.entries(r.fieldMismatches).filter(([, m]) => m.count > 0);
  return classes.length === 0 ? '0' : classes.map(([f, m]) => `${f} ${m.count}`).join(', ');
}

const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(1));

export function benchReadme(): string {
  const names = extractionScenarios().map((x) => x.scenario);
  const ex = names.map((n) => readPrevious<ExtractionResult>(n)).filter((x): x is ExtractionResult => !!x);
  const col = readPrevious<CollectorBenchResult>('collector');
  const db = readPrevious<DatabaseBenchResult>('database-import');
  const api = readPrevious<ApiBenchResult>('api');
  const parts: string[] = ['# Benchmark results', ''];
  parts.push(
    'Written by `make bench` (bench/run.ts); see docs/BENCHMARKS.md for what each figure means. The machine is',
    'shared and noisy: compare ratios measured in the same run, not wall-clock times across runs.',
    '',
  );
  if (ex.length) {
    const m = ex[0]!.machine;
    parts.push(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}.`, '');
    parts.push('## Extraction against the physical limit', '');
    parts.push(
      `Targets: wall ≤ ${TARGETS.timeRatio} × bound, requests ≤ ${TARGETS.requestRatio} × minimum, 100 % of the truth with every canonical field as the truth says, 0 duplicates, 429s ≤ ${TARGETS.http429Share * 100} % of requests.`,
      '',
    );
    parts.push(
      table(
        [
          'scenario',
          'truth',
          'out',
          'missing',
          'dup',
          'field mismatches',
          'requests',
          'min',
          'req ratio',
          'wall s',
          'bound s',
          'time ratio',
          'lanes s (ratio)',
          '429',
          'retries',
          'targets met',
        ],
        ex.map((r) => [
          r.scenario,
          r.ordersTruth,
          r.ordersOut,
          r.missing,
          r.duplicates,
          fieldMismatchCell(r),
          r.requests,
          r.minRequests,
          r.requestRatio,
          s(r.wallMs),
          s(r.boundMs),
          r.timeRatio,
          `${s(r.lanesWallMs)} (${r.lanesTimeRatio ?? '–'})`,
          r.http429,
          r.retries,
          r.targets.all,
        ]),
      ),
      '',
    );
    for (const r of ex) {
      parts.push(`### ${r.scenario}: per rate-limit bucket`, '', r.description, '');
      if (r.rateChart) parts.push(`![requests per second per bucket against its budget](${r.rateChart})`, '');
      parts.push(
        table(
          [
            'bucket',
            'rate/s',
            'streams',
            'windows',
            'orders',
            'min req',
            'requests',
            'req ratio',
            'bound s',
            'wall s',
            'time ratio',
          ],
          r.buckets.map((b) => [
            b.endpoint,
            b.ratePerSecond,
            b.streams,
            b.windows,
            b.orders,
            b.minRequests,
            b.requests,
            b.requestRatio,
            s(b.boundMs),
            s(b.wallMs),
            b.timeRatio,
          ]),
        ),
        '',
      );
    }
  }
  if (col) {
    parts.push('## Collector (streaming k-way merge + multipart upload)', '', col.method, '');
    parts.push(
      table(
        [
          'orders',
          'parts',
          'input GiB',
          'collector (product S3 client)',
          `collector orders/s (${col.sizes[0]?.wideSockets ?? '?'} sockets)`,
          'collector peak RSS MB',
          'baseline orders/s',
          'baseline peak RSS MB',
        ],
        col.sizes.map((x) => [
          x.orders,
          x.parts,
          (x.inputBytes / 2 ** 30).toFixed(2),
          x.collectorProductClient.ok
            ? `${x.collectorProductClient.ordersPerSecond}/s`
            : `**${(x.collectorProductClient.error ?? 'failed').slice(0, 60)}**`,
          x.collector.ok ? x.collector.ordersPerSecond : `**${x.collector.error}**`,
          x.collector.peakRssMB,
          x.baseline?.ok ? x.baseline.ordersPerSecond : `**${x.baseline?.error?.slice(0, 80) ?? 'not run'}**`,
          x.baseline?.ok
            ? x.baseline.peakRssMB
            : x.baseline?.peakRssMB
              ? `(${x.baseline.peakRssMB} when it failed)`
              : '–',
        ]),
      ),
      '',
      `Collector peak RSS, largest ÷ smallest size: ${col.rssGrowth} (target ≤ 1.2: ${col.rssGrowthOk ? 'met' : '**missed**'}); baseline: ${col.baselineRssGrowth ?? '–'}.`,
      '',
    );
  }
  if (db) {
    parts.push('## Database import', '', db.method, '');
    parts.push(
      table(
        ['database', 'method', 'orders', 'seconds', 'orders/s', 'all imported'],
        db.results.map((r) => [r.database, r.method, r.orders, s(r.ms), r.ordersPerSecond, r.ok]),
      ),
      '',
      `Speed-up batched ÷ row-by-row: SQLite ${db.speedup.sqlite ?? '–'}×, MySQL ${db.speedup.mysql ?? '–'}× (target ≥ 20×).`,
      `The database's own loader ÷ the import, same rows: SQLite ${db.versusLoader?.sqlite ?? '–'}, MySQL ${db.versusLoader?.mysql ?? '–'} (target ≥ 0.8).`,
      '',
    );
  }
  if (api) {
    parts.push('## API under load (autocannon, loopback)', '', api.method, '');
    parts.push(
      table(
        ['request', 'what is measured', 'connections', 'requests', 'errors', 'p50 ms', 'p99 ms', 'req/s'],
        api.results.map((r) => [
          r.name,
          r.what,
          r.connections,
          r.requests,
          r.errors + r.non2xx,
          r.p50Ms,
          r.p99Ms,
          r.requestsPerSecond,
        ]),
      ),
      '',
    );
  }
  const faults = readPrevious<{ markdown?: string }>('faults');
  if (faults?.markdown) parts.push('## Fault campaign (`make faults`)', '', faults.markdown, '');
  return parts.join('\n');
}

export function writeReadme(): void {
  writeFileSync(join(resultsDir(), 'README.md'), benchReadme());
}

async function main(): Promise<void> {
  const t0 = performance.now();
  log(`make bench: ${only.join(', ')}; scale ${scale}; collector sizes ${collectorSizes.join(', ')}`);
  if (only.includes('extract')) {
    const named = process.env['BENCH_SCENARIOS']?.split(',');
    const scenarios = extractionScenarios(scale);
    const unknown = (named ?? []).filter((n) => !scenarios.some((sc) => sc.scenario === n));
    if (unknown.length > 0)
      throw new Error(
        `BENCH_SCENARIOS: no scenario ${unknown.join(', ')} (there are ${scenarios.map((sc) => sc.scenario).join(', ')})`,
      );
    let classicSim: BenchSim | null = null;
    try {
      for (const sc of scenarios) {
        if (named && !named.includes(sc.scenario)) continue;
        const sharesClassic = sc.sim.seed === scenarios[0]!.sim.seed && sc.sim.mode === 'classic';
        if (sharesClassic && !classicSim)
          classicSim = await startBenchSim({ ...sc.sim, latency: BENCH_LATENCY });
        const r = await runExtractionScenario(
          sc,
          sharesClassic && classicSim ? { sim: classicSim } : undefined,
        );
        writeResult(sc.scenario, r);
        writeReadme();
      }
    } finally {
      await classicSim?.close();
    }
  }
  if (only.includes('collector')) {
    const r = await runCollectorBench({
      sizes: collectorSizes,
      parts: 200,
      baseline: true,
      baselineMaxOldSpaceMB: 14_336,
      // `make bench` must end within 15 minutes: the baseline gets what is left (at least 45 s, at most 5 min).
      baselineDeadlineMs: () =>
        Math.min(300_000, Math.max(45_000, BUDGET_MS - (performance.now() - t0) - 60_000)),
      verifyUpTo: 1_000_000,
      productClientUpTo: 1_000_000,
    });
    writeResult('collector', r);
    writeReadme();
  }
  if (only.includes('database')) {
    const r = await runDatabaseBench({
      batchedOrders: Math.round(200_000 * Math.min(1, scale)),
      rowByRowOrders: 5_000,
    });
    writeResult('database-import', r);
    writeReadme();
  }
  if (only.includes('report')) {
    const r = await runReportBench({ orders: Number(process.env['BENCH_REPORT_ORDERS'] ?? 200_000) });
    writeResult('report', r);
    log(
      `report: ${r.orders} orders -> ${r.reportBytes} bytes, ${r.renderMs} ms (again: ${r.secondRenderMs} ms), load ${r.loadAverage.join(' ')}`,
    );
  }
  if (only.includes('sync')) {
    const r = await runSyncBench(scale);
    writeResult(r.scenario, r);
    writeReadme();
  }
  if (only.includes('api')) {
    const r = await runApiBench({ durationS: 5, connections: 10, realEngineRequests: 10 });
    writeResult('api', r);
    writeReadme();
  }
  log(`make bench: done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
