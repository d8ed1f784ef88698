/**
 * The daily sync: the bench's classic 200k-order account, a first sync, the simulator's clock moved one day
 * (POST /sim/clock), a second sync — its requests and time against a full extraction at the same moment and
 * against the rate-limit bound of what it was served (bench/lib/limit.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { runSync, type SyncReport } from '../../src/archive';
import { ENDPOINTS, IP_LIMIT_PER_MINUTE, type EndpointId } from '../../src/bitget/endpoints';
import type { Kind, Market } from '../../src/core/order';
import { parseExtractionRequest } from '../../src/core/request';
import { runLocalExtraction } from '../../src/runtime/runExtraction';
import { startLocalStack } from '../../src/runtime/localStack';
import type { SimStats } from '../../src/sim';
import { computeLimit } from '../lib/limit';
import { machineInfo, type MachineInfo } from '../lib/machine';
import { log, round } from '../lib/results';
import { orderRequestsOf, startBenchSim, type BenchSim } from '../lib/sim';
import { BENCH_LATENCY, extractionScenarios } from './definitions';

const DAY = 86_400_000;

export interface SyncStepFigures {
  /** Every request the exchange received (identity, time, symbols, open orders, history). */
  requests: number;
  /** Of which on the order-history endpoints (what the bound counts). */
  historyRequests: number;
  wallMs: number;
  orders: number;
}

export interface SyncBenchResult {
  scenario: 'sync-daily-classic-200k';
  description: string;
  machine: MachineInfo;
  /** The 1-, 5- and 15-minute load averages when the scenario ended. */
  loadAverage: number[];
  account: { orders: number; symbols: number | undefined; mode: string };
  firstSync: SyncStepFigures & { added: number };
  dailySync: SyncStepFigures & {
    added: number;
    updated: number;
    openOrders: number;
    served: { from: number; to: number };
    /** The order-history requests and time the rate limits allow at best for what the sync was served. */
    minRequests: number;
    boundMs: number;
    requestRatio: number;
    timeRatio: number;
    /** Where the sync started each stream (its watermark, or its oldest order last seen open). */
    streamStarts: Record<string, number>;
    /** The same bound, each stream from its own start (what the sync had to ask). */
    perStream: { minRequests: number; boundMs: number; requestRatio: number; timeRatio: number };
  };
  fullExtraction: SyncStepFigures & { minRequests: number; boundMs: number };
  /** dailySync ÷ fullExtraction. */
  ratios: { requests: number; wallMs: number };
}

function delta(after: SimStats, before: SimStats): { requests: number; historyRequests: number } {
  return {
    requests: after.requests - before.requests,
    historyRequests: orderRequestsOf(after).received - orderRequestsOf(before).received,
  };
}

async function advanceClock(sim: BenchSim, ms: number): Promise<void> {
  const res = await fetch(`${sim.url}/sim/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms }),
  });
  if (!res.ok) throw new Error(`POST /sim/clock answered ${res.status}`);
}

/**
 * The limit of asking each stream from its own start to the end of what was served: per stream (one market and
 * kind) the limit of its range, the minimum requests summed per bucket, the bound the slowest bucket (or the
 * IP cap) sets.
 */
async function perStreamLimit(
  sim: BenchSim,
  mode: 'classic' | 'uta',
  starts: Record<string, number>,
  served: { from: number; to: number },
): Promise<{ minRequests: number; boundMs: number }> {
  const byEndpoint = new Map<EndpointId, number>();
  for (const [stream, start] of Object.entries(starts)) {
    const [market, kind] = stream.split('/') as [Market, Kind];
    const limit = await computeLimit(sim.truth(), {
      mode,
      since: Math.max(start, served.from),
      until: served.to,
      markets: [market],
      kinds: [kind],
    });
    for (const b of limit.buckets)
      byEndpoint.set(b.endpoint, (byEndpoint.get(b.endpoint) ?? 0) + b.minRequests);
  }
  const minRequests = [...byEndpoint.values()].reduce((a, b) => a + b, 0);
  const bucketMs = [...byEndpoint].map(([e, n]) => (n / ENDPOINTS[e].ratePerSecond) * 1000);
  return { minRequests, boundMs: Math.max((minRequests / IP_LIMIT_PER_MINUTE) * 60_000, ...bucketMs) };
}

export async function runSyncBench(scale = 1): Promise<SyncBenchResult> {
  const base = extractionScenarios(scale)[0]!;
  // The clock starts a day back so that the day it is moved holds orders (the history ends at the real now).
  const simOptions = { ...base.sim, latency: BENCH_LATENCY, clockDaysAgo: 1 };
  const sim = await startBenchSim(simOptions);
  const archiveDir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const extractDir = mkdtempSync(join(tmpdir(), 'bench-sync-full-'));
  try {
    const stack = await startLocalStack({
      dataDir: archiveDir,
      baseUrl: sim.url,
      credentials: sim.credentials,
    });
    const sync = async (): Promise<{ report: SyncReport; figures: SyncStepFigures }> => {
      const before = await sim.stats();
      const t0 = performance.now();
      // Orders: the figures below are set against the orders' minimum (the 3-data-set scenario is apart).
      const report = await runSync(
        { store: stack.store, client: stack.client, engine: stack.engine },
        { datasets: ['orders'] },
      );
      const wallMs = Math.round(performance.now() - t0);
      return { report, figures: { ...delta(await sim.stats(), before), wallMs, orders: report.fetched } };
    };
    let first: Awaited<ReturnType<typeof sync>>;
    let daily: Awaited<ReturnType<typeof sync>>;
    try {
      log(`sync-daily: first sync of ${simOptions.orders} orders`);
      first = await sync();
      log(`sync-daily: first sync ${first.figures.requests} requests in ${first.figures.wallMs} ms`);
      await advanceClock(sim, DAY);
      daily = await sync();
      log(`sync-daily: daily sync ${daily.figures.requests} requests in ${daily.figures.wallMs} ms`);
    } finally {
      await stack.close();
    }

    // A full extraction of the same account at the same moment (the clock keeps running at real speed).
    const before = await sim.stats();
    const t0 = performance.now();
    const run = await runLocalExtraction({
      dataDir: extractDir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      request: parseExtractionRequest({ order: 'asc', datasets: ['orders'] }),
      runId: 'bench-sync-full',
    });
    const fullWall = Math.round(performance.now() - t0);
    const fullDelta = delta(await sim.stats(), before);
    const fullOrders = run.summary?.orders ?? 0;
    const fullServed = run.summary?.served ?? { since: 0, until: 0 };
    await run.stack.close();
    if (run.execution.status !== 'SUCCEEDED')
      throw new Error(`the full extraction ended ${run.execution.status}`);
    log(`sync-daily: full extraction ${fullDelta.requests} requests in ${fullWall} ms`);

    const served = daily.report.served;
    const dailyLimit = await computeLimit(sim.truth(), {
      mode: daily.report.mode,
      since: served.from,
      until: served.to,
    });
    const perStream = await perStreamLimit(sim, daily.report.mode, daily.report.asked.streams, served);
    const fullLimit = await computeLimit(sim.truth(), {
      mode: daily.report.mode,
      since: fullServed.since,
      until: fullServed.until,
    });
    return {
      scenario: 'sync-daily-classic-200k',
      description: `${base.description}; a first sync, the clock moved one day, a second sync, then a full extraction`,
      machine: machineInfo(),
      loadAverage: loadavg().map((l) => round(l, 2)),
      account: {
        orders: simOptions.orders ?? 0,
        symbols: simOptions.symbols,
        mode: simOptions.mode ?? 'classic',
      },
      firstSync: { ...first.figures, added: first.report.added },
      dailySync: {
        ...daily.figures,
        added: daily.report.added,
        updated: daily.report.updated,
        openOrders: daily.report.openOrders,
        served,
        minRequests: dailyLimit.minRequests,
        boundMs: Math.round(dailyLimit.boundMs),
        requestRatio: round(daily.figures.historyRequests / dailyLimit.minRequests),
        timeRatio: round(daily.figures.wallMs / dailyLimit.boundMs),
        streamStarts: daily.report.asked.streams,
        perStream: {
          minRequests: perStream.minRequests,
          boundMs: Math.round(perStream.boundMs),
          requestRatio: round(daily.figures.historyRequests / perStream.minRequests),
          timeRatio: round(daily.figures.wallMs / perStream.boundMs),
        },
      },
      fullExtraction: {
        ...fullDelta,
        wallMs: fullWall,
        orders: fullOrders,
        minRequests: fullLimit.minRequests,
        boundMs: Math.round(fullLimit.boundMs),
      },
      ratios: {
        requests: round(daily.figures.requests / fullDelta.requests),
        wallMs: round(daily.figures.wallMs / fullWall),
      },
    };
  } finally {
    await sim.close();
    rmSync(archiveDir, { recursive: true, force: true });
    rmSync(extractDir, { recursive: true, force: true });
  }
}
