/**
 * One extraction against the simulator, measured against the physical limit (bench/lib/limit.ts) and
 * verified order by order against the ground truth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ExtractionRequestInput } from '../../src/core/request';
import { parseExtractionRequest } from '../../src/core/request';
import { laneStateSchema } from '../../src/extraction/runState';
import type { LaneState } from '../../src/extraction/runState';
import { writeRateChart } from '../lib/rateChart';
import type { ExtractionSettings } from '../../src/extraction/stages';
import { runLocalExtraction } from '../../src/runtime/runExtraction';
import type { SimulatorOptions, TruthRecord } from '../../src/sim';
import { runKeys } from '../../src/storage';
import type { FieldMismatch, VerifiedField } from '../../src/verify/verifyAgainstTruth';
import {
  describeFieldMismatches,
  readResultOrders,
  verifyAgainstTruth,
} from '../../src/verify/verifyAgainstTruth';
import { computeLimit } from '../lib/limit';
import type { BucketLimit } from '../lib/limit';
import { machineInfo } from '../lib/machine';
import type { MachineInfo } from '../lib/machine';
import { log, round } from '../lib/results';
import type { BenchSim } from '../lib/sim';
import { orderRequestsOf, startBenchSim } from '../lib/sim';

export const TARGETS = { timeRatio: 1.1, requestRatio: 1.05, http429Share: 0.005 } as const;

export interface ExtractionScenario {
  scenario: string;
  description: string;
  sim: SimulatorOptions;
  request: ExtractionRequestInput;
  /** Pick named symbols from the truth (the N most active spot symbols), overriding request.symbols. */
  namedSymbols?: number;
  settings?: Partial<ExtractionSettings>;
  invocationBudgetMs?: number;
  inProcessSim?: boolean;
}

export interface LaneFigures {
  laneId: string;
  endpoint: string;
  orders: number;
  requests: number;
  minRequests: number | null;
  requestRatio: number | null;
  cursors: number;
  invocations: number;
  busyMs: number;
  wallMs: number | null;
  boundMs: number | null;
  timeRatio: number | null;
}

export interface ExtractionResult {
  scenario: string;
  description: string;
  machine: MachineInfo;
  account: {
    orders: number;
    symbols: number | undefined;
    mode: string;
    latency: unknown;
    namedSymbols?: string[];
  };
  status: string;
  complete: boolean;
  ordersTruth: number;
  ordersOut: number;
  missing: number;
  unexpected: number;
  duplicates: number;
  unsorted: number;
  alteredRaw: number;
  /** Orders with at least one canonical field unlike the truth's. */
  mismatched: number;
  /** Per canonical field (market, kind, side, …): orders that differ in it, and one example. */
  fieldMismatches: Record<VerifiedField, FieldMismatch> | null;
  duplicatesDroppedByCollector: number;
  /** Requests the exchange received on order-history endpoints (retries and refused ones included). */
  requests: number;
  /** Requests the product counted itself (order-history calls, before the client's retries). */
  productRequests: number;
  minRequests: number;
  requestRatio: number;
  wallMs: number;
  /** From the first lane start to the last lane end (the part the rate limits bound). */
  lanesWallMs: number | null;
  collectMs: number | null;
  boundMs: number;
  bottleneck: string;
  timeRatio: number;
  lanesTimeRatio: number | null;
  http429: number;
  http429Exchange: number;
  http429Share: number;
  retries: number;
  errors: Record<string, number>;
  /** Per rate-limit bucket: the limit beside what the lanes of that bucket did (search lanes included). */
  buckets: (BucketLimit & {
    requests: number;
    requestRatio: number;
    wallMs: number | null;
    timeRatio: number | null;
  })[];
  lanes: LaneFigures[];
  /** The requests-per-second timeline per bucket against its budget, an SVG beside this file. */
  rateChart: string;
  targets: {
    timeRatio: boolean;
    requestRatio: boolean;
    allOrders: boolean;
    /** Every canonical field of every order as the truth says. */
    exactFields: boolean;
    noDuplicates: boolean;
    http429: boolean;
    all: boolean;
  };
}

async function* filtered(truth: AsyncIterable<TruthRecord>, symbols?: string[], markets?: string[]) {
  for await (const t of truth) {
    if (markets && !markets.includes(t.market)) continue;
    if (symbols && !symbols.includes(t.symbol)) continue;
    yield t;
  }
}

/** The N spot symbols with the most orders, by the truth. */
async function mostActiveSpotSymbols(sim: BenchSim, n: number): Promise<string[]> {
  const counts = new Map<string, number>();
  for await (const t of sim.truth())
    if (t.market === 'spot') counts.set(t.symbol, (counts.get(t.symbol) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([s]) => s);
}

export async function runExtractionScenario(
  sc: ExtractionScenario,
  shared?: { sim: BenchSim },
): Promise<ExtractionResult> {
  const machine = machineInfo();
  const sim = shared?.sim ?? (await startBenchSim(sc.sim, { inProcess: sc.inProcessSim ?? false }));
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${sc.scenario}-`));
  try {
    const named = sc.namedSymbols ? await mostActiveSpotSymbols(sim, sc.namedSymbols) : sc.request.symbols;
    const input: ExtractionRequestInput = named ? { ...sc.request, symbols: named } : sc.request;
    const request = parseExtractionRequest(input);
    const before = orderRequestsOf(await sim.stats());
    log(`${sc.scenario}: extracting (${sc.sim.orders} orders, ${sc.sim.mode ?? 'classic'})`);
    const t0 = performance.now();
    const run = await runLocalExtraction({
      dataDir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      request,
      runId: `bench-${sc.scenario}`,
      invocationBudgetMs: sc.invocationBudgetMs,
      settings: sc.settings,
    });
    const wallMs = performance.now() - t0;
    const after = orderRequestsOf(await sim.stats());
    try {
      const { execution, summary } = run;
      const complete = execution.status === 'SUCCEEDED' && execution.output?.complete === true;
      log(`${sc.scenario}: ${execution.status} in ${Math.round(wallMs)} ms; verifying`);
      const verification = complete
        ? await verifyAgainstTruth(
            readResultOrders(run.stack.store, execution.output!.ordersJsonlKey),
            filtered(sim.truth(), request.symbols, request.markets),
            request.order,
          )
        : null;
      const served = summary?.served ?? { since: 0, until: 0 };
      const limit = await computeLimit(filtered(sim.truth(), undefined, request.markets), {
        mode: summary?.mode ?? 'classic',
        since: served.since,
        until: served.until,
        symbols: request.symbols,
        markets: request.markets,
        kinds: request.kinds,
      });
      const bucketOf = new Map(limit.buckets.map((b) => [b.endpoint, b]));
      const lanes: LaneFigures[] = [];
      const perBucket = new Map<string, { requests: number; start: number; end: number; known: boolean }>();
      const states: LaneState[] = [];
      for (const l of summary?.lanes ?? []) {
        const state = await run.stack.store.getJson(runKeys(run.runId).lane(l.laneId), laneStateSchema);
        if (state) states.push(state);
        const wall = state?.startedAt && state.finishedAt ? state.finishedAt - state.startedAt : null;
        const pb = perBucket.get(l.endpoint) ?? { requests: 0, start: Infinity, end: -Infinity, known: true };
        pb.requests += l.requests;
        if (state?.startedAt && state.finishedAt) {
          pb.start = Math.min(pb.start, state.startedAt);
          pb.end = Math.max(pb.end, state.finishedAt);
        } else pb.known = false;
        perBucket.set(l.endpoint, pb);
        const b = l.laneId.startsWith('search-')
          ? undefined
          : bucketOf.get(l.endpoint as BucketLimit['endpoint']);
        lanes.push({
          laneId: l.laneId,
          endpoint: l.endpoint,
          orders: l.orders,
          requests: l.requests,
          minRequests: b?.minRequests ?? null,
          requestRatio: b ? round(l.requests / b.minRequests) : null,
          cursors: l.cursors,
          invocations: l.invocations,
          busyMs: l.busyMs,
          wallMs: wall,
          boundMs: b ? round(b.boundMs, 0) : null,
          timeRatio: b && wall !== null ? round(wall / b.boundMs) : null,
        });
      }
      const rateChart = basename(writeRateChart(sc.scenario, states));
      const requests = after.received - before.received;
      const http429Exchange = after.refused429 - before.refused429;
      const http429 = summary?.http429 ?? 0;
      const timing = summary?.timing ?? {};
      const lanesWallMs =
        typeof timing['lanesFinishedAt'] === 'number' && typeof timing['lanesStartedAt'] === 'number'
          ? timing['lanesFinishedAt'] - timing['lanesStartedAt']
          : null;
      const requestRatio = round(requests / limit.minRequests);
      const timeRatio = round(wallMs / limit.boundMs);
      const http429Share = requests > 0 ? round(Math.max(http429, http429Exchange) / requests, 5) : 0;
      const v = verification;
      const targets = {
        timeRatio: timeRatio <= TARGETS.timeRatio,
        requestRatio: requestRatio <= TARGETS.requestRatio,
        allOrders: !!v && v.missing === 0 && v.unexpected === 0 && v.alteredRaw === 0 && complete,
        exactFields: !!v && v.mismatched === 0,
        noDuplicates: !!v && v.duplicates === 0,
        http429: http429Share <= TARGETS.http429Share,
        all: false,
      };
      targets.all =
        targets.timeRatio &&
        targets.requestRatio &&
        targets.allOrders &&
        targets.exactFields &&
        targets.noDuplicates &&
        targets.http429;
      const result: ExtractionResult = {
        scenario: sc.scenario,
        description: sc.description,
        machine,
        account: {
          orders: sc.sim.orders ?? 0,
          symbols: sc.sim.symbols,
          mode: sc.sim.mode ?? 'classic',
          latency: sc.sim.latency ?? null,
          namedSymbols: named,
        },
        status: execution.status,
        complete,
        ordersTruth: v?.expected ?? limit.orders,
        ordersOut: v?.received ?? 0,
        missing: v?.missing ?? limit.orders,
        unexpected: v?.unexpected ?? 0,
        duplicates: v?.duplicates ?? 0,
        unsorted: v?.unsorted ?? 0,
        alteredRaw: v?.alteredRaw ?? 0,
        mismatched: v?.mismatched ?? 0,
        fieldMismatches: v?.fields ?? null,
        duplicatesDroppedByCollector: summary?.duplicatesDropped ?? 0,
        requests,
        productRequests: summary?.requests ?? 0,
        minRequests: limit.minRequests,
        requestRatio,
        wallMs: Math.round(wallMs),
        lanesWallMs,
        collectMs: typeof timing['collectMs'] === 'number' ? timing['collectMs'] : null,
        boundMs: Math.round(limit.boundMs),
        bottleneck: limit.bottleneck,
        timeRatio,
        lanesTimeRatio: lanesWallMs !== null ? round(lanesWallMs / limit.boundMs) : null,
        http429,
        http429Exchange,
        http429Share,
        retries: summary?.retries ?? 0,
        errors: summary?.errors ?? {},
        buckets: limit.buckets.map((b) => {
          const pb = perBucket.get(b.endpoint);
          const wall = pb && pb.known && pb.end >= pb.start ? pb.end - pb.start : null;
          return {
            ...b,
            boundMs: Math.round(b.boundMs),
            requests: pb?.requests ?? 0,
            requestRatio: round((pb?.requests ?? 0) / b.minRequests),
            wallMs: wall,
            timeRatio: wall !== null ? round(wall / b.boundMs) : null,
          };
        }),
        lanes,
        rateChart,
        targets,
      };
      log(
        `${sc.scenario}: ${result.ordersOut}/${result.ordersTruth} orders, dup ${result.duplicates}, ` +
          `requests ${requests}/${limit.minRequests} (${requestRatio}), wall ${result.wallMs}/${result.boundMs} ms (${timeRatio}), 429 ${http429}`,
      );
      if (v) for (const line of describeFieldMismatches(v)) log(`${sc.scenario}: fields: ${line}`);
      else log(`${sc.scenario}: fields: not verified (the run did not complete)`);
      return result;
    } finally {
      await run.stack.close();
    }
  } finally {
    if (!shared) await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
