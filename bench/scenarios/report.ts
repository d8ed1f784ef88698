/**
 * Report bench: the size and render time of a run's report.html for a run of N orders (default 200,000).
 * The run is made as the collector bench makes it (realistic canonical lines of every market and kind in
 * sorted parts, the product's plan and a finished lane, in a local s3rver bucket), merged by the product's
 * collectRun into orders.jsonl and summary.json; then writeRunReport reads them and writes report.html, timed
 * from reading the summary to the stored file. Run with `BENCH_ONLY=report` (BENCH_REPORT_ORDERS sets N).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRun } from '../../src/extraction/collector';
import { writeRunReport } from '../../src/report/writeRunReport';
import { createS3Client, RunStore, startLocalS3 } from '../../src/storage';
import type { LocalS3 } from '../../src/storage';
import { lineTemplates } from '../lib/canonicalLines';
import { machineInfo } from '../lib/machine';
import type { MachineInfo } from '../lib/machine';
import { log, round } from '../lib/results';
import { writeCollectorRun } from './collector';

const BUCKET = 'bench-report';

export interface ReportBenchResult {
  scenario: 'report';
  machine: MachineInfo;
  method: string;
  orders: number;
  reportBytes: number;
  /** writeRunReport: read summary, plan, lanes and orders.jsonl, compute the figures, render, store. */
  renderMs: number;
  /** The same, a second time (warm JIT). */
  secondRenderMs: number;
  /** 1-, 5- and 15-minute load averages when the render began (the machine is shared). */
  loadAverage: number[];
}

export async function runReportBench(options: { orders: number }): Promise<ReportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  let s3: LocalS3 | undefined;
  try {
    s3 = await startLocalS3({ directory: dir, bucket: BUCKET });
    const store = new RunStore(createS3Client(s3), BUCKET);
    const runId = 'bench-report';
    const templates = await lineTemplates();
    await writeCollectorRun(store, runId, options.orders, 20, templates);
    const output = await collectRun({ store }, { runId });
    log(`report bench: ${output.orders} orders collected; rendering report.html`);
    const loadAverage = loadavg().map((n) => round(n, 2));
    const first = await writeRunReport(store, runId);
    const second = await writeRunReport(store, runId);
    return {
      scenario: 'report',
      machine: machineInfo(),
      method:
        'writeCollectorRun (collector bench) + collectRun into a local s3rver, then writeRunReport twice over its orders.jsonl',
      orders: output.orders,
      reportBytes: first.bytes,
      renderMs: Math.round(first.renderMs),
      secondRenderMs: Math.round(second.renderMs),
      loadAverage,
    };
  } finally {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
