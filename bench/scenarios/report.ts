/**
 * Report bench: the size and render time of a run's report.html for a run of N orders (default 200,000).
 * The run is made as the collector bench makes it (realistic canonical lines of every market and kind in
 * sorted parts, the product's plan and a finished lane, in a local s3rver bucket), merged by the product's
 * collectRun into orders.jsonl and summary.json; then writeRunReport reads them and writes report.html, timed
 * from reading the summary to the stored file. Then the same run with fills.jsonl (one fill per filled order,
 * made from it: fees, volume, realised PnL summed from the fills), and the archive's report over those orders
 * and fills merged into an archive by `mergeDataset` (what a sync hands over). Run with `BENCH_ONLY=report`
 * (BENCH_REPORT_ORDERS sets N).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveStore, FILLS, ORDERS, fillStream, mergeDataset } from '../../src/archive';
import { streamId } from '../../src/archive/coverage';
import type { CanonicalFill } from '../../src/core/fill';
import { KINDS, MARKETS } from '../../src/core/order';
import type { CanonicalOrder } from '../../src/core/order';
import { collectRun } from '../../src/extraction/collector';
import { renderArchiveReport } from '../../src/report/archiveReport';
import { writeRunReport } from '../../src/report/writeRunReport';
import { createS3Client, resultKeys, RunStore, startLocalS3 } from '../../src/storage';
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
  /** The same run with fills.jsonl beside its orders (no ledger, no totals in the summary: the report sums them). */
  withFills: { fills: number; reportBytes: number; renderMs: number; secondRenderMs: number };
  /** The archive's report over the run's orders and fills merged into an archive (mergeDataset). */
  archive: {
    orders: number;
    fills: number;
    /** Both data sets merged into the empty archive (partitions, Parquet, manifest). */
    mergeMs: number;
    reportBytes: number;
    renderMs: number;
    secondRenderMs: number;
  };
}

/**
 * One fill per order that traded, made from the order itself (its average price, filled size, quote volume,
 * fee), a signed realised profit on futures fills (from the order id, so the same run makes the same fills).
 */
function fillOf(o: CanonicalOrder): CanonicalFill | null {
  if (o.baseVolume === null || o.quoteVolume === null || !(Number(o.baseVolume) > 0)) return null;
  const fee = o.fee !== null && o.feeCoin !== null && Number(o.fee) !== 0 ? o.fee.replace(/^-/, '') : null;
  const fees = fee !== null ? [{ fee, feeCoin: o.feeCoin! }] : [];
  const cents = (Number(o.orderId.slice(-6)) % 20001) - 10000;
  return {
    tradeId: o.orderId,
    orderId: o.orderId,
    market: o.market,
    symbol: o.symbol,
    side: o.side ?? 'buy',
    price: o.priceAvg ?? o.price ?? '0',
    size: o.baseVolume,
    quoteVolume: o.quoteVolume,
    fee: fees[0]?.fee ?? null,
    feeCoin: fees[0]?.feeCoin ?? null,
    fees,
    role: 'taker',
    tradeSide: o.tradeSide,
    posSide: o.posSide,
    profit: o.market === 'spot' ? null : (cents / 100).toFixed(2),
    cTime: o.uTime ?? o.cTime,
    raw: {},
  };
}

async function* parsedLines<T>(store: RunStore, key: string, parse: (line: string) => T): AsyncGenerator<T> {
  for await (const line of store.readLines(key)) yield parse(line);
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
    // The bench's parts hold orders only, but its plan asked every data set (the default), so the collector wrote
    // an empty fills.jsonl and ledger.jsonl and zero totals: made an orders-only run (the report's fees and
    // volume from the orders, as before fills existed), then a run with fills below.
    const keys = resultKeys(runId);
    await store.deleteKeys([keys.fillsJsonl, keys.ledgerJsonl]);
    const summary = JSON.parse((await store.getText(keys.summary))!) as Record<string, unknown>;
    await store.putJson(keys.summary, { ...summary, accounting: null });

    const loadAverage = loadavg().map((n) => round(n, 2));
    const first = await writeRunReport(store, runId);
    const second = await writeRunReport(store, runId);

    const fills: CanonicalFill[] = [];
    // The archive covers what the orders span (the chart's days): [first cTime, last cTime].
    const served = { from: Infinity, to: -Infinity };
    for await (const order of parsedLines(store, keys.ordersJsonl, ORDERS.parse)) {
      served.from = Math.min(served.from, order.cTime);
      served.to = Math.max(served.to, order.cTime + 1);
      const fill = fillOf(order);
      if (fill) fills.push(fill);
    }
    fills.sort(FILLS.compare);
    await store.putText(keys.fillsJsonl, fills.map((f) => JSON.stringify(f)).join('\n') + '\n');
    log(`report bench: ${fills.length} fills written beside the orders; rendering report.html again`);
    const withFills = await writeRunReport(store, runId);
    const withFillsAgain = await writeRunReport(store, runId);

    const archive = new ArchiveStore(store, '1000000001');
    const mergeBegan = performance.now();
    const ordersMerged = await mergeDataset(archive, ORDERS, {
      records: parsedLines(store, keys.ordersJsonl, ORDERS.parse),
      streams: MARKETS.flatMap((m) => KINDS.map((k) => ({ stream: streamId(m, k), served }))),
      at: served.to,
    });
    const fillsMerged = await mergeDataset(archive, FILLS, {
      records: fills,
      streams: [...new Set(fills.map(fillStream))].map((stream) => ({ stream, served })),
      at: served.to,
    });
    const mergeMs = performance.now() - mergeBegan;
    log(
      `report bench: ${ordersMerged.records} orders, ${fillsMerged.records} fills archived; rendering its report`,
    );
    const archived = await renderArchiveReport(store);
    const archivedAgain = await renderArchiveReport(store);
    return {
      scenario: 'report',
      machine: machineInfo(),
      method:
        'writeCollectorRun (collector bench) + collectRun into a local s3rver, then writeRunReport twice over its orders.jsonl; ' +
        'then with fills.jsonl (one fill per traded order) twice; then both merged into an archive (mergeDataset) and renderArchiveReport twice',
      orders: output.orders,
      reportBytes: first.bytes,
      renderMs: Math.round(first.renderMs),
      secondRenderMs: Math.round(second.renderMs),
      loadAverage,
      withFills: {
        fills: fills.length,
        reportBytes: withFills.bytes,
        renderMs: Math.round(withFills.renderMs),
        secondRenderMs: Math.round(withFillsAgain.renderMs),
      },
      archive: {
        orders: ordersMerged.records,
        fills: fillsMerged.records,
        mergeMs: Math.round(mergeMs),
        reportBytes: archived.bytes,
        renderMs: Math.round(archived.renderMs),
        secondRenderMs: Math.round(archivedAgain.renderMs),
      },
    };
  } finally {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
