/**
 * `make bench`: extraction scenarios against the physical limit, the collector (1M and 4M orders), the
 * database import and the API under load. Writes bench/results/<scenario>.json and bench/results/README.md.
 *
 * Environment: BENCH_ONLY=extract,collector,database,api,sync (default all; `report` — the report's size and
 * render time for a run of BENCH_REPORT_ORDERS orders, default 200,000 — runs only when named; `extract-2m` runs
 * the 2M-order scenario extract-classic-2m, ~15 minutes, beside any named in BENCH_SCENARIOS); BENCH_SCENARIOS
 * (extraction scenarios by name, e.g. extract-uta-60k; default all but the opt-in ones; an opt-in one, such as
 * extract-classic-2m, runs only when named here or through BENCH_ONLY's alias); BENCH_SCALE
 * (extraction account size factor, default 1); BENCH_COLLECTOR_SIZES (default 1000000,4000000); MYSQL_URL.
 */
import { isDeepStrictEqual } from 'node:util';
import { runApiBench } from './scenarios/api';
import { runCollectorBench } from './scenarios/collector';
import { runDatabaseBench } from './scenarios/database';
import { BENCH_LATENCY, extractionScenarios } from './scenarios/definitions';
import { runExtractionScenario } from './scenarios/extraction';
import { runReportBench } from './scenarios/report';
import { runSyncBench } from './scenarios/sync';
import { startBenchSim } from './lib/sim';
import type { BenchSim } from './lib/sim';
import { log, writeResult } from './lib/results';
import { writeReadme } from './resultsReadme';

const only = (process.env['BENCH_ONLY'] ?? 'extract,collector,database,api,sync').split(',');
const scale = Number(process.env['BENCH_SCALE'] ?? '1');
const BUDGET_MS = Number(process.env['BENCH_BUDGET_MS'] ?? 14 * 60_000);
const collectorSizes = (process.env['BENCH_COLLECTOR_SIZES'] ?? '1000000,4000000').split(',').map(Number);

/** The extraction scenarios a plain `make bench` runs (the opt-in ones left out). */
const defaultScenarios = () =>
  extractionScenarios(scale)
    .filter((sc) => !sc.optIn)
    .map((sc) => sc.scenario);

async function main(): Promise<void> {
  const t0 = performance.now();
  log(`make bench: ${only.join(', ')}; scale ${scale}; collector sizes ${collectorSizes.join(', ')}`);
  if (only.includes('extract') || only.includes('extract-2m')) {
    let named = process.env['BENCH_SCENARIOS']?.split(',');
    if (only.includes('extract-2m'))
      named = [...(named ?? (only.includes('extract') ? defaultScenarios() : [])), 'extract-classic-2m'];
    const scenarios = extractionScenarios(scale);
    const unknown = (named ?? []).filter((n) => !scenarios.some((sc) => sc.scenario === n));
    if (unknown.length > 0)
      throw new Error(
        `BENCH_SCENARIOS: no scenario ${unknown.join(', ')} (there are ${scenarios.map((sc) => sc.scenario).join(', ')})`,
      );
    let classicSim: BenchSim | null = null;
    try {
      for (const sc of scenarios) {
        if (named ? !named.includes(sc.scenario) : sc.optIn) continue;
        // Scenarios on the first scenario's account share its simulator (started once).
        const sharesClassic = isDeepStrictEqual(sc.sim, scenarios[0]!.sim);
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
    log(
      `report with ${r.withFills.fills} fills -> ${r.withFills.reportBytes} bytes, ${r.withFills.renderMs} ms (again: ${r.withFills.secondRenderMs} ms); ` +
        `archive (${r.archive.orders} orders, ${r.archive.fills} fills, merged in ${r.archive.mergeMs} ms) -> ${r.archive.reportBytes} bytes, ${r.archive.renderMs} ms (again: ${r.archive.secondRenderMs} ms)`,
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
