/**
 * Collector bench: N realistic canonical orders spread over 200 sorted parts in a local s3rver bucket (with a
 * minimal plan and one finished lane, so the product's collectRun accepts them), merged by collectRun in a
 * child process, beside the load-everything-and-sort baseline in another child process. Reports orders/s and
 * peak RSS per size; the collector's peak RSS must not grow with the input.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { compareOrderKey } from '../../src/core/order';
import { parseExtractionRequest } from '../../src/core/request';
import { parseMergeItem } from '../../src/extraction/merge';
import { planRun } from '../../src/extraction/plan';
import type { LaneState } from '../../src/extraction/runState';
import { createS3Client, RunStore, runKeys, resultKeys, startLocalS3 } from '../../src/storage';
import type { LocalS3 } from '../../src/storage';
import { lineTemplates, renderLine } from '../lib/canonicalLines';
import type { LineTemplate } from '../lib/canonicalLines';
import { exitOf } from '../lib/childExit';
import { runCollectorTask } from '../lib/collectorTask';
import type { CollectorTaskArgs, CollectorTaskResult } from '../lib/collectorTask';
import { machineInfo } from '../lib/machine';
import type { MachineInfo } from '../lib/machine';
import { log, round } from '../lib/results';

const BUCKET = 'bench-collector';
const DAY = 86_400_000;
/** Streams (lanes × cursors) whose parts interleave in time; parts per stream = parts / STREAMS. */
const STREAMS = 10;
/** One order in DUP_EVERY is written twice (into a neighbouring stream's part), as after a restart. */
const DUP_EVERY = 1000;

export interface CollectorSizeResult {
  orders: number;
  inputLines: number;
  parts: number;
  inputBytes: number;
  writePartsMs: number;
  /** collectRun with the product's S3 client as createS3Client builds it (SDK default: 50 sockets). */
  collectorProductClient: CollectorTaskResult & { verified: VerifyResult | null };
  /** collectRun with the same client configuration and a socket pool of `wideSockets` (≥ parts). */
  collector: CollectorTaskResult & { verified: VerifyResult | null };
  wideSockets: number;
  baseline: CollectorTaskResult | null;
}

export interface VerifyResult {
  lines: number;
  unsorted: number;
  duplicates: number;
  ok: boolean;
}

export interface CollectorBenchResult {
  scenario: 'collector';
  machine: MachineInfo;
  method: string;
  sizes: CollectorSizeResult[];
  /** Collector peak RSS at the largest size ÷ at the smallest (target ≤ 1.2). */
  rssGrowth: number;
  rssGrowthOk: boolean;
  baselineRssGrowth: number | null;
  targets: {
    rssFlat: boolean;
    allOrders: boolean;
    noDuplicates: boolean;
    productClientOk: boolean;
    all: boolean;
  };
}

function orderIdOf(k: number): string {
  return '1100000000' + String(k).padStart(9, '0');
}

const streamOf = (k: number) => ((k * 2654435761) >>> 0) % STREAMS;

/** Writes the parts, plan and lane of run `runId`; returns input lines and bytes. */
export async function writeCollectorRun(
  store: RunStore,
  runId: string,
  orders: number,
  parts: number,
  templates: LineTemplate[],
): Promise<{ lines: number; bytes: number }> {
  const perStream = Math.max(1, Math.round(parts / STREAMS));
  const t0 = Date.UTC(2025, 0, 1);
  const step = Math.max(1, Math.floor((90 * DAY) / Math.max(1, orders)));
  let lines = 0;
  let bytes = 0;
  const keys = runKeys(runId);
  for (let s = 0; s < STREAMS; s++) {
    for (let j = 0; j < perStream; j++) {
      const from = Math.floor((j * orders) / perStream);
      const to = Math.floor(((j + 1) * orders) / perStream);
      const chunks: string[] = [];
      for (let k = from; k < to; k++) {
        const mine = streamOf(k) === s;
        const dup = k % DUP_EVERY === 0 && (streamOf(k) + 1) % STREAMS === s;
        if (!mine && !dup) continue;
        const t = templates[k % templates.length]!;
        const cTime = t0 + k * step;
        chunks.push(renderLine(t, orderIdOf(k), cTime, cTime + 1500));
      }
      if (chunks.length === 0) continue;
      const body = chunks.join('\n') + '\n';
      lines += chunks.length;
      bytes += Buffer.byteLength(body);
      await store.putText(keys.part(`stream${s}`, j, 'bench'), body);
    }
  }
  // The product's own planner makes the plan (so it follows the schema); one lane, marked finished.
  const now = Date.now();
  const planned = planRun({
    runId,
    // Orders only: the parts are orders, and with all three data sets the collector would also read the result
    // back for the accounting summary, which this bench does not measure.
    request: parseExtractionRequest({ markets: ['spot'], kinds: ['normal'], datasets: ['orders'] }),
    serverNow: now,
    mode: 'classic',
  });
  const plan = { ...planned.plan, stages: { plan: { startedAt: now, finishedAt: now } } };
  const lane: LaneState = {
    ...planned.lanes[0]!,
    cursors: [],
    partsWritten: parts,
    ordersFetched: lines,
    invocations: 1,
    startedAt: now,
    finishedAt: now,
    done: true,
  };
  for (const l of planned.lanes.slice(1))
    await store.putJson(keys.lane(l.laneId), { ...l, cursors: [], done: true });
  await store.putJson(keys.lane(lane.laneId), lane);
  await store.putJson(keys.plan, plan);
  return { lines, bytes };
}

/** Streams a result file: line count, order by (cTime, orderId), adjacent duplicates. */
export async function verifySortedResult(store: RunStore, key: string): Promise<VerifyResult> {
  let lines = 0;
  let unsorted = 0;
  let duplicates = 0;
  let prevT = -Infinity;
  let prevId = '';
  for await (const line of store.readLines(key)) {
    lines++;
    const { cTime, id: orderId } = parseMergeItem(line, key);
    const cmp = compareOrderKey(prevT, prevId, cTime, orderId);
    if (cmp > 0) unsorted++;
    else if (cmp === 0) duplicates++;
    prevT = cTime;
    prevId = orderId;
  }
  return { lines, unsorted, duplicates, ok: unsorted === 0 && duplicates === 0 };
}

/** A task that did not run, or whose child process died before reporting. */
function taskFailed(kind: CollectorTaskArgs['kind'], error: string): CollectorTaskResult {
  return {
    kind,
    ok: false,
    error,
    orders: 0,
    duplicatesDropped: 0,
    ms: 0,
    ordersPerSecond: 0,
    peakRssMB: 0,
    maxRssMB: 0,
    peakHeapUsedMB: 0,
  };
}

/** Runs the task in a child process (compiled bench) or in process (jest). */
async function runTask(
  args: CollectorTaskArgs,
  opts: { inProcess: boolean; maxOldSpaceMB?: number },
): Promise<CollectorTaskResult> {
  if (opts.inProcess) return runCollectorTask(args);
  const child = fork(join(__dirname, '..', 'collectorChild.js'), [JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: opts.maxOldSpaceMB ? [`--max-old-space-size=${opts.maxOldSpaceMB}`] : [],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout! });
  rl.on('line', (l) => lines.push(l));
  const { code, signal } = await exitOf(child, null);
  const last = lines.at(-1);
  if (code === 0 && last) {
    const r = JSON.parse(last) as CollectorTaskResult;
    const warn = stderr.match(/socket usage at capacity=\d+ and \d+ additional requests are enqueued/)?.[0];
    return !r.ok && warn ? { ...r, error: `${r.error ?? ''} (SDK: ${warn})` } : r;
  }
  return taskFailed(
    args.kind,
    `child exited ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
  );
}

export async function runCollectorBench(options: {
  sizes: number[];
  parts?: number;
  baseline?: boolean;
  baselineMaxOldSpaceMB?: number;
  /** Time budget of one baseline run, asked when it starts (it is reported as not finished beyond it). */
  baselineDeadlineMs?: (orders: number) => number;
  inProcess?: boolean;
  /** Stream the result back and check order and duplicates up to this size (default: always). */
  verifyUpTo?: number;
  /** Run collectRun with the product's own S3 client up to this size (default: always). */
  productClientUpTo?: number;
}): Promise<CollectorBenchResult> {
  const machine = machineInfo();
  const parts = options.parts ?? 200;
  const inProcess = options.inProcess ?? false;
  const templates = await lineTemplates();
  const sizes: CollectorSizeResult[] = [];
  for (const n of options.sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-collector-'));
    let s3: LocalS3 | undefined;
    try {
      s3 = await startLocalS3({ directory: dir, bucket: BUCKET });
      const store = new RunStore(createS3Client(s3), BUCKET);
      const runId = `collect-${n}`;
      log(`collector ${n}: writing ${parts} parts`);
      const tw = performance.now();
      const input = await writeCollectorRun(store, runId, n, parts, templates);
      const writePartsMs = Math.round(performance.now() - tw);
      log(
        `collector ${n}: ${input.lines} lines, ${(input.bytes / 2 ** 30).toFixed(2)} GiB in ${writePartsMs} ms; collecting`,
      );
      const args: CollectorTaskArgs = { kind: 'collector', endpoint: s3.endpoint, bucket: BUCKET, runId };
      const out = resultKeys(runId);
      const clean = () => store.deleteKeys([out.ordersJsonl, out.ordersJson, out.summary]);
      const p: CollectorTaskResult =
        n <= (options.productClientUpTo ?? Infinity)
          ? await runTask({ ...args, stallMs: 20_000 }, { inProcess })
          : taskFailed('collector', 'not run at this size (see the smaller size)');
      log(`collector ${n} (product S3 client): ${JSON.stringify(p)}`);
      const pVerified = p.ok ? await verifySortedResult(store, out.ordersJsonl) : null;
      await clean();
      const wideSockets = Math.max(256, parts + 16);
      const c = await runTask({ ...args, maxSockets: wideSockets }, { inProcess });
      log(`collector ${n} (${wideSockets} sockets): ${JSON.stringify(c)}; verifying`);
      const verified =
        c.ok && n <= (options.verifyUpTo ?? Infinity)
          ? await verifySortedResult(store, out.ordersJsonl)
          : null;
      let baseline: CollectorTaskResult | null = null;
      if (options.baseline ?? true) {
        await clean();
        log(`collector ${n}: baseline (load everything and sort)`);
        baseline = await runTask(
          {
            ...args,
            kind: 'baseline',
            deadlineMs: options.baselineDeadlineMs?.(n),
          },
          { inProcess, maxOldSpaceMB: options.baselineMaxOldSpaceMB ?? 12_288 },
        );
        log(`collector ${n}: baseline ${JSON.stringify(baseline)}`);
      }
      sizes.push({
        orders: n,
        inputLines: input.lines,
        parts,
        inputBytes: input.bytes,
        writePartsMs,
        collectorProductClient: { ...p, verified: pVerified },
        collector: { ...c, verified },
        wideSockets,
        baseline,
      });
    } finally {
      await s3?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const first = sizes[0]!;
  const last = sizes.at(-1)!;
  const rssGrowth = round(last.collector.peakRssMB / first.collector.peakRssMB);
  const baselineRssGrowth =
    first.baseline?.ok && last.baseline?.ok
      ? round(last.baseline.peakRssMB / first.baseline.peakRssMB)
      : null;
  const allOrders = sizes.every(
    (s) =>
      s.collector.ok &&
      s.collector.orders === s.orders &&
      (s.collector.verified?.lines ?? s.orders) === s.orders,
  );
  const noDuplicates = sizes.every(
    (s) => s.collector.duplicatesDropped === s.inputLines - s.orders && (s.collector.verified?.ok ?? true),
  );
  const productClientOk = sizes.every((s) => s.collectorProductClient.ok);
  const rssFlat = rssGrowth <= 1.2;
  return {
    scenario: 'collector',
    machine,
    method:
      'N canonical orders (templates from real simulated orders of every market/kind, normalised by the product) in 200 sorted NDJSON parts under runs/<id>/parts/ of a local s3rver bucket, 10 interleaving streams × 20 consecutive time ranges, 0.1 % of orders written twice; a minimal plan (made by the product planRun) + one finished lane; then collectRun (streaming k-way merge, multipart upload of orders.jsonl and orders.json, summary) in a child process, twice: with the S3 client exactly as createS3Client builds it (the SDK default pool of 50 sockets; a stall watchdog ends it when it stops using CPU), and with the same configuration and a pool of max(256, parts + 16) sockets. Baseline: same store and upload path, but every line read into memory, sorted, deduplicated, written. Peak RSS = max of process.memoryUsage().rss sampled every 50 ms (maxRssMB: the OS figure).',
    sizes,
    rssGrowth,
    rssGrowthOk: rssFlat,
    baselineRssGrowth,
    targets: {
      rssFlat,
      allOrders,
      noDuplicates,
      productClientOk,
      all: rssFlat && allOrders && noDuplicates && productClientOk,
    },
  };
}
