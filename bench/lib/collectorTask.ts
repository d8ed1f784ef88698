/**
 * What runs inside the collector bench's child process: the product's collector (collectRun: streaming k-way
 * merge + multipart upload) or the baseline (load every line, sort, write), against an s3rver the parent
 * runs. Reports time and memory (peak RSS sampled every 50 ms, and the OS's max RSS).
 */
import type { Writable } from 'node:stream';
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { compareOrderKey } from '../../src/core/order';
import { collectRun } from '../../src/extraction/collector';
import { parseMergeItem } from '../../src/extraction/merge';
import { createS3Client, RunStore, runKeys, resultKeys } from '../../src/storage';

export interface CollectorTaskArgs {
  kind: 'collector' | 'baseline';
  endpoint: string;
  bucket: string;
  runId: string;
  /**
   * Socket pool of the S3 client. Undefined: the product's createS3Client (the SDK's default pool of 50
   * sockets). A number: the same client configuration with a pool of that many sockets.
   */
  maxSockets?: number;
  /** Give up after this many ms (the bench's time budget), reporting the memory used so far. */
  deadlineMs?: number;
  /**
   * Declare the task stalled when it used less than 300 ms of CPU over this many ms (default: no watchdog).
   * Only for the product-client run, which stalls at the start; elsewhere waiting on s3rver (e.g. while it
   * assembles a multipart object of a GiB) would look the same.
   */
  stallMs?: number;
}

export interface CollectorTaskResult {
  kind: 'collector' | 'baseline';
  ok: boolean;
  error?: string;
  orders: number;
  duplicatesDropped: number;
  ms: number;
  ordersPerSecond: number;
  peakRssMB: number;
  maxRssMB: number;
  peakHeapUsedMB: number;
}

function write(stream: Writable, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    stream.once('drain', resolve);
    stream.once('error', reject);
  });
}

/** Load everything and sort: the approach the collector replaces. Same store, same upload path, same output. */
async function baseline(store: RunStore, runId: string): Promise<{ orders: number; duplicates: number }> {
  const keys = await store.list(runKeys(runId).partsPrefix);
  const all: { line: string; cTime: number; orderId: string; market: string }[] = [];
  for (const key of keys) {
    for await (const line of store.readLines(key)) {
      const it = parseMergeItem(line, key);
      all.push({ line, cTime: it.cTime, orderId: it.id, market: it.market });
    }
  }
  all.sort(
    (a, b) => compareOrderKey(a.cTime, a.orderId, b.cTime, b.orderId) || a.market.localeCompare(b.market),
  );
  const out = resultKeys(runId);
  const jsonl = store.createUpload(out.ordersJsonl, 'application/x-ndjson');
  const json = store.createUpload(out.ordersJson, 'application/json');
  let orders = 0;
  let duplicates = 0;
  await write(json.stream, '{"orders":[\n');
  for (let i = 0; i < all.length; i++) {
    const o = all[i]!;
    const p = i > 0 ? all[i - 1]! : undefined;
    if (p && p.cTime === o.cTime && p.orderId === o.orderId && p.market === o.market) {
      duplicates++;
      continue;
    }
    orders++;
    await Promise.all([
      write(jsonl.stream, o.line + '\n'),
      write(json.stream, (orders > 1 ? ',\n' : '') + o.line),
    ]);
  }
  await write(json.stream, '\n]}\n');
  jsonl.stream.end();
  json.stream.end();
  await Promise.all([jsonl.done(), json.done()]);
  return { orders, duplicates };
}

export async function runCollectorTask(args: CollectorTaskArgs): Promise<CollectorTaskResult> {
  const location = {
    endpoint: args.endpoint,
    bucket: args.bucket,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  const client =
    args.maxSockets === undefined
      ? createS3Client(location)
      : new S3Client({
          // createS3Client's configuration for an S3-compatible server, with a larger socket pool
          region: location.region,
          endpoint: location.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          credentials: location.credentials,
          maxAttempts: 5,
          requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: args.maxSockets }) },
        });
  const store = new RunStore(client, args.bucket);
  // Stall watchdog: the merge waits on every part at once; if it stops using CPU, it is stuck.
  let stalled: (() => void) | null = null;
  const stall = new Promise<never>((_, reject) => {
    stalled = () =>
      reject(new Error(`stalled: less than 300 ms of CPU in ${args.stallMs ?? 0} ms, no progress`));
  });
  stall.catch(() => undefined);
  const deadline = args.deadlineMs ? setTimeout(() => stalledDeadline?.(), args.deadlineMs) : null;
  let stalledDeadline: (() => void) | null = null;
  const overTime = new Promise<never>((_, reject) => {
    stalledDeadline = () =>
      reject(
        new Error(
          `did not finish within the bench's time budget of ${Math.round((args.deadlineMs ?? 0) / 1000)} s`,
        ),
      );
  });
  overTime.catch(() => undefined);
  const cpuSamples: { at: number; cpu: number }[] = [];
  const watchdog = setInterval(() => {
    if (!args.stallMs) return;
    const u = process.cpuUsage();
    const now = performance.now();
    cpuSamples.push({ at: now, cpu: (u.user + u.system) / 1000 });
    const window = args.stallMs;
    const old = cpuSamples.find((x) => now - x.at <= window + 1000 && now - x.at >= window);
    if (old && cpuSamples.at(-1)!.cpu - old.cpu < 300) stalled?.();
    while (cpuSamples.length > 0 && now - cpuSamples[0]!.at > window + 2000) cpuSamples.shift();
  }, 1000);
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const t0 = performance.now();
  let orders = 0;
  let duplicates = 0;
  let error: string | undefined;
  try {
    if (args.kind === 'collector') {
      await Promise.race([collectRun({ store }, { runId: args.runId }), stall, overTime]);
      const summary = JSON.parse((await store.getText(resultKeys(args.runId).summary)) ?? '{}') as {
        orders?: number;
        duplicatesDropped?: number;
        complete?: boolean;
      };
      if (!summary.complete) throw new Error('the collector did not report a complete run');
      orders = summary.orders ?? 0;
      duplicates = summary.duplicatesDropped ?? 0;
    } else {
      ({ orders, duplicates } = await Promise.race([baseline(store, args.runId), stall, overTime]));
    }
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  const ms = performance.now() - t0;
  clearInterval(sampler);
  clearInterval(watchdog);
  if (deadline) clearTimeout(deadline);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  return {
    kind: args.kind,
    ok: error === undefined,
    error,
    orders,
    duplicatesDropped: duplicates,
    ms: Math.round(ms),
    ordersPerSecond: Math.round(orders / (ms / 1000)),
    peakRssMB: mb(peakRss),
    maxRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    peakHeapUsedMB: mb(peakHeap),
  };
}
