/**
 * One extraction against the simulator, measured against the physical limit (bench/lib/limit.ts, and
 * bench/lib/datasetLimit.ts for fills and ledger: every bucket the run uses, all in parallel) and verified record
 * by record against the ground truth of each data set it asks for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DAY_MS } from '../../src/bitget/endpoints';
import type { DatasetName } from '../../src/core/dataset';
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
import { computeDatasetBuckets } from '../lib/datasetLimit';
import { combineBuckets, computeLimit } from '../lib/limit';
import type { BucketLimit } from '../lib/limit';
import { machineInfo } from '../lib/machine';
import { RssMonitor } from '../lib/rss';
import type { RssFigures } from '../lib/rss';
import { verifyAgainstTruthStreaming } from '../lib/streamingVerify';
import type { MachineInfo } from '../lib/machine';
import { log, round } from '../lib/results';
import type { BenchSim } from '../lib/sim';
import { requestsByEndpoint, startBenchSim } from '../lib/sim';
import type { RecordFieldMismatch, RecordVerification } from '../../src/verify/verifyRecords';
import { datasetLimitRequest, rangesOf, verifyFills, verifyLedger } from './datasetVerification';

/**
 * Issue 16's targets: wall ÷ bound, lanes alone ÷ bound, requests ÷ minimum, 429s ÷ requests, and the result
 * ready (complete summary) within a share of the bound after the last lane ends.
 */
export const TARGETS = {
  timeRatio: 1.05,
  lanesTimeRatio: 1.03,
  requestRatio: 1.03,
  http429Share: 0.005,
  resultAfterLanesShare: 0.01,
} as const;

export interface ExtractionScenario {
  scenario: string;
  description: string;
  sim: SimulatorOptions;
  request: ExtractionRequestInput;
  /** Ask from this many days before now (the simulator's clock is the machine's): older than 90 asks tax records. */
  sinceDaysAgo?: number;
  /** Pick named symbols from the truth (the N most active spot symbols), overriding request.symbols. */
  namedSymbols?: number;
  settings?: Partial<ExtractionSettings>;
  invocationBudgetMs?: number;
  inProcessSim?: boolean;
  /** Run only when named (BENCH_SCENARIOS, or BENCH_ONLY's alias): too long for the default `make bench`. */
  optIn?: boolean;
  /** The scenario whose peak RSS this one's is compared with (the same account at a tenth of the orders). */
  rssBaseline?: string;
}

export interface LaneFigures {
  laneId: string;
  endpoint: string;
  /** Records the lane fetched: orders, fills or ledger entries. */
  records: number;
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

/** One data set of a run: its records against its truth, its requests against its buckets' minimum. */
export interface DatasetResult {
  truth: number;
  out: number;
  missing: number;
  unexpected: number;
  duplicates: number;
  unsorted: number;
  alteredRaw: number;
  mismatched: number;
  /** Per canonical field: records that differ in it, and one example. */
  fieldMismatches: Record<string, FieldMismatch | RecordFieldMismatch> | null;
  /** Requests the exchange received on the data set's endpoints. */
  requests: number;
  minRequests: number;
  requestRatio: number;
  /** The data set's buckets alone: the slowest one's minimum time, and which it is. */
  boundMs: number;
  bottleneck: string;
  /** First start → last end of the data set's lanes, and that against the data set's own bound. */
  lanesWallMs: number | null;
  lanesTimeRatio: number | null;
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
  /** The extraction settings the scenario overrides (null: the product's defaults). */
  settings?: Partial<ExtractionSettings> | null;
  /** Why the execution failed (its error and cause, as the engine reports them); absent when it did not. */
  failure?: { error: string | null; cause: string | null };
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
  /** The data sets asked for; per data set (orders, fills, ledger) its figures. */
  datasets: Partial<Record<DatasetName, DatasetResult>>;
  /**
   * Requests the exchange received on the endpoints the bound counts (order history, and the fills, bills and
   * tax-record endpoints when those data sets are asked; retries and refused ones included).
   */
  requests: number;
  /** Requests the product counted itself (history calls of every data set, before the client's retries). */
  productRequests: number;
  minRequests: number;
  requestRatio: number;
  wallMs: number;
  /** From the first lane start to the last lane end (the part the rate limits bound). */
  lanesWallMs: number | null;
  collectMs: number | null;
  /** From the last lane's end to the complete summary (the result ready), and to the end of the whole run. */
  resultAfterLanesMs: number | null;
  wallAfterLanesMs: number | null;
  /** The collector's own phases (summary.timing): writing the result files, then the accounting. */
  resultFilesMs: number | null;
  accountingMs: number | null;
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
    /** Requests of this bucket the exchange refused with 429 (absent in results from before it was counted). */
    http429Exchange?: number;
    requestRatio: number;
    wallMs: number | null;
    timeRatio: number | null;
  })[];
  lanes: LaneFigures[];
  /** The requests-per-second timeline per bucket against its budget, an SVG beside this file. */
  rateChart: string;
  /**
   * Peak resident memory of every process of the run, from the start of the extraction to its end (verification
   * excluded): the extraction's (this process: engine, lanes, collector), the simulator's (a child unless
   * in process), the local S3 server's (a child of the run). Absent in results from before it was measured.
   */
  rss?: RssFigures;
  /** 1-minute load average when the extraction ended (machine.loadAverage1m: when the scenario started). */
  loadAverageEnd1m?: number;
  targets: {
    timeRatio: boolean;
    /** Absent in results from before issue 16's targets. */
    lanesTimeRatio?: boolean;
    requestRatio: boolean;
    /** The result within TARGETS.resultAfterLanesShare of the bound after the last lane (absent before). */
    resultAfterLanes?: boolean;
    allOrders: boolean;
    /** Every data set asked for: every record once, sorted, each field as the truth says. */
    allRecords: boolean;
    /** Every canonical field of every order as the truth says. */
    exactFields: boolean;
    noDuplicates: boolean;
    http429: boolean;
    all: boolean;
  };
}

/** The truth of the request: its markets and symbols, within the range the orders were served over. */
async function* filtered(
  truth: AsyncIterable<TruthRecord>,
  symbols?: string[],
  markets?: string[],
  served?: { since: number; until: number },
) {
  for await (const t of truth) {
    if (markets && !markets.includes(t.market)) continue;
    if (symbols && !symbols.includes(t.symbol)) continue;
    if (served && (t.cTime < served.since || t.cTime >= served.until)) continue;
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

/** Received requests (and 429s) summed over the endpoints of some buckets, between two snapshots. */
function requestDelta(
  before: ReturnType<typeof requestsByEndpoint>,
  after: ReturnType<typeof requestsByEndpoint>,
  buckets: readonly BucketLimit[],
): { requests: number; refused429: number } {
  let requests = 0;
  let refused429 = 0;
  for (const e of new Set(buckets.map((b) => b.endpoint))) {
    requests += (after.get(e)?.received ?? 0) - (before.get(e)?.received ?? 0);
    refused429 += (after.get(e)?.refused429 ?? 0) - (before.get(e)?.refused429 ?? 0);
  }
  return { requests, refused429 };
}

type RecordCheckFigures = Pick<
  DatasetResult,
  | 'truth'
  | 'out'
  | 'missing'
  | 'unexpected'
  | 'duplicates'
  | 'unsorted'
  | 'alteredRaw'
  | 'mismatched'
  | 'fieldMismatches'
>;

/** What the orders' and the records' verifications share. */
type Checked = Omit<RecordVerification<string>, 'dataset' | 'fields'> & {
  fields: Record<string, FieldMismatch | RecordFieldMismatch>;
};

function recordFigures(v: Checked | null, truthIfUnverified: number): RecordCheckFigures {
  return {
    truth: v?.expected ?? truthIfUnverified,
    out: v?.received ?? 0,
    missing: v?.missing ?? truthIfUnverified,
    unexpected: v?.unexpected ?? 0,
    duplicates: v?.duplicates ?? 0,
    unsorted: v?.unsorted ?? 0,
    alteredRaw: v?.alteredRaw ?? 0,
    mismatched: v?.mismatched ?? 0,
    fieldMismatches: v?.fields ?? null,
  };
}

const perfect = (d: DatasetResult) =>
  d.missing === 0 &&
  d.unexpected === 0 &&
  d.duplicates === 0 &&
  d.unsorted === 0 &&
  d.alteredRaw === 0 &&
  d.mismatched === 0 &&
  d.fieldMismatches !== null;

export async function runExtractionScenario(
  sc: ExtractionScenario,
  shared?: { sim: BenchSim },
): Promise<ExtractionResult> {
  const machine = machineInfo();
  const sim = shared?.sim ?? (await startBenchSim(sc.sim, { inProcess: sc.inProcessSim ?? false }));
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${sc.scenario}-`));
  try {
    const named = sc.namedSymbols ? await mostActiveSpotSymbols(sim, sc.namedSymbols) : sc.request.symbols;
    const since = sc.sinceDaysAgo !== undefined ? Date.now() - sc.sinceDaysAgo * DAY_MS : sc.request.since;
    const input: ExtractionRequestInput = {
      ...sc.request,
      ...(named ? { symbols: named } : {}),
      ...(since !== undefined ? { since } : {}),
    };
    const request = parseExtractionRequest(input);
    const asked = request.datasets ?? ['orders', 'fills', 'ledger'];
    const before = requestsByEndpoint(await sim.stats());
    log(
      `${sc.scenario}: extracting ${asked.join(', ')} (${sc.sim.orders} orders, ${sc.sim.mode ?? 'classic'})`,
    );
    const rss = new RssMonitor({ extraction: process.pid, simulator: sim.pid });
    const t0 = performance.now();
    const run = await runLocalExtraction({
      dataDir,
      baseUrl: sim.url,
      credentials: sim.credentials,
      request,
      runId: `bench-${sc.scenario}`,
      invocationBudgetMs: sc.invocationBudgetMs,
      settings: sc.settings,
      onStart: ({ stack }) => {
        // The local S3 server's process (startLocalS3Process returns its pid; absent when it runs in process).
        const pid = (stack.s3 as { pid?: unknown }).pid;
        if (typeof pid === 'number') rss.add('localS3', pid);
      },
    });
    const wallMs = performance.now() - t0;
    const rssFigures = rss.stop();
    const loadAverageEnd1m = round(loadavg()[0]!, 2);
    const endedAt = Date.now();
    const after = requestsByEndpoint(await sim.stats());
    try {
      const { execution, summary } = run;
      const complete = execution.status === 'SUCCEEDED' && execution.output?.complete === true;
      log(`${sc.scenario}: ${execution.status} in ${Math.round(wallMs)} ms; verifying`);
      if (execution.status !== 'SUCCEEDED')
        log(`${sc.scenario}: ${execution.error ?? 'no error'}: ${(execution.cause ?? '').slice(0, 2000)}`);
      const mode = summary?.mode ?? 'classic';
      const served = summary?.served ?? { since: 0, until: 0 };
      // Ascending results are checked walking the (ascending) truth beside them, not holding it in memory.
      const resultOrders = () => readResultOrders(run.stack.store, execution.output!.ordersJsonlKey);
      const truthOrders = () => filtered(sim.truth(), request.symbols, request.markets, served);
      const verification =
        complete && asked.includes('orders')
          ? request.order === 'asc'
            ? await verifyAgainstTruthStreaming(resultOrders(), truthOrders())
            : await verifyAgainstTruth(resultOrders(), truthOrders(), request.order)
          : null;
      const limit = await computeLimit(filtered(sim.truth(), undefined, request.markets), {
        mode,
        since: served.since,
        until: served.until,
        symbols: request.symbols,
        markets: request.markets,
        kinds: request.kinds,
      });
      const orderBuckets = asked.includes('orders') ? limit.buckets : [];
      const ranges = rangesOf(summary, request);
      const recordsAsked = asked.includes('fills') || asked.includes('ledger');
      const datasetBuckets =
        ranges && recordsAsked
          ? await computeDatasetBuckets(
              { fills: () => sim.fillTruth(), ledger: () => sim.ledgerTruth() },
              datasetLimitRequest(mode, request, ranges),
            )
          : [];
      const allBuckets = [...orderBuckets, ...datasetBuckets];
      const bound = combineBuckets(allBuckets);
      const recordChecks: Partial<Record<DatasetName, RecordVerification<string> | null>> = {};
      if (asked.includes('fills'))
        recordChecks.fills =
          complete && ranges
            ? await verifyFills(run.stack.store, execution.output!, sim, request, ranges)
            : null;
      if (asked.includes('ledger'))
        recordChecks.ledger =
          complete && ranges
            ? await verifyLedger(run.stack.store, execution.output!, sim, request, ranges)
            : null;

      const bucketOf = new Map(allBuckets.map((b) => [b.endpoint, b]));
      const lanes: LaneFigures[] = [];
      const perBucket = new Map<string, { requests: number; start: number; end: number; known: boolean }>();
      const perDataset = new Map<DatasetName, { start: number; end: number; known: boolean }>();
      const states: LaneState[] = [];
      for (const l of summary?.lanes ?? []) {
        const state = await run.stack.store.getJson(runKeys(run.runId).lane(l.laneId), laneStateSchema);
        if (state) states.push(state);
        const wall = state?.startedAt && state.finishedAt ? state.finishedAt - state.startedAt : null;
        const pb = perBucket.get(l.endpoint) ?? { requests: 0, start: Infinity, end: -Infinity, known: true };
        const dataset = state?.dataset ?? 'orders';
        const pd = perDataset.get(dataset) ?? { start: Infinity, end: -Infinity, known: true };
        pb.requests += l.requests;
        if (state?.startedAt && state.finishedAt) {
          pb.start = Math.min(pb.start, state.startedAt);
          pb.end = Math.max(pb.end, state.finishedAt);
          pd.start = Math.min(pd.start, state.startedAt);
          pd.end = Math.max(pd.end, state.finishedAt);
        } else {
          pb.known = false;
          pd.known = false;
        }
        perBucket.set(l.endpoint, pb);
        perDataset.set(dataset, pd);
        const b = l.laneId.startsWith('search-')
          ? undefined
          : bucketOf.get(l.endpoint as BucketLimit['endpoint']);
        lanes.push({
          laneId: l.laneId,
          endpoint: l.endpoint,
          records: l.orders,
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

      const datasets: Partial<Record<DatasetName, DatasetResult>> = {};
      for (const dataset of asked) {
        const buckets = allBuckets.filter((b) => b.dataset === dataset);
        const own = combineBuckets(buckets);
        const { requests: received } = requestDelta(before, after, buckets);
        const pd = perDataset.get(dataset);
        const lanesWall = pd && pd.known && pd.end >= pd.start ? pd.end - pd.start : null;
        const checked =
          dataset === 'orders'
            ? recordFigures(verification, limit.orders)
            : recordFigures(
                recordChecks[dataset] ?? null,
                buckets.reduce((n, b) => n + b.records, 0),
              );
        datasets[dataset] = {
          ...checked,
          requests: received,
          minRequests: own.minRequests,
          requestRatio: own.minRequests > 0 ? round(received / own.minRequests) : 0,
          boundMs: Math.round(own.boundMs),
          bottleneck: own.bottleneck,
          lanesWallMs: lanesWall,
          lanesTimeRatio: lanesWall !== null && own.boundMs > 0 ? round(lanesWall / own.boundMs) : null,
        };
      }

      const { requests, refused429: http429Exchange } = requestDelta(before, after, allBuckets);
      const http429 = summary?.http429 ?? 0;
      const timing = summary?.timing ?? {};
      const lanesWallMs =
        typeof timing['lanesFinishedAt'] === 'number' && typeof timing['lanesStartedAt'] === 'number'
          ? timing['lanesFinishedAt'] - timing['lanesStartedAt']
          : null;
      const requestRatio = round(requests / bound.minRequests);
      const timeRatio = round(wallMs / bound.boundMs);
      const http429Share = requests > 0 ? round(Math.max(http429, http429Exchange) / requests, 5) : 0;
      const resultAfterLanesMs =
        summary && typeof timing['lanesFinishedAt'] === 'number'
          ? summary.generatedAt - timing['lanesFinishedAt']
          : null;
      const v = verification;
      const everyDataset = Object.values(datasets);
      const targets = {
        timeRatio: timeRatio <= TARGETS.timeRatio,
        lanesTimeRatio: lanesWallMs !== null && lanesWallMs / bound.boundMs <= TARGETS.lanesTimeRatio,
        requestRatio: requestRatio <= TARGETS.requestRatio,
        resultAfterLanes:
          resultAfterLanesMs !== null && resultAfterLanesMs <= TARGETS.resultAfterLanesShare * bound.boundMs,
        allOrders: !!v && v.missing === 0 && v.unexpected === 0 && v.alteredRaw === 0 && complete,
        allRecords: complete && everyDataset.every(perfect),
        exactFields: !!v && v.mismatched === 0,
        noDuplicates: !!v && v.duplicates === 0,
        http429: http429Share <= TARGETS.http429Share,
        all: false,
      };
      targets.all =
        targets.timeRatio &&
        targets.lanesTimeRatio &&
        targets.requestRatio &&
        targets.resultAfterLanes &&
        targets.allOrders &&
        targets.allRecords &&
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
        settings: sc.settings ?? null,
        ...(execution.status !== 'SUCCEEDED'
          ? { failure: { error: execution.error ?? null, cause: execution.cause?.slice(0, 2000) ?? null } }
          : {}),
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
        datasets,
        requests,
        productRequests: summary?.requests ?? 0,
        minRequests: bound.minRequests,
        requestRatio,
        wallMs: Math.round(wallMs),
        lanesWallMs,
        collectMs: typeof timing['collectMs'] === 'number' ? timing['collectMs'] : null,
        resultAfterLanesMs,
        wallAfterLanesMs:
          typeof timing['lanesFinishedAt'] === 'number' ? endedAt - timing['lanesFinishedAt'] : null,
        resultFilesMs: timing['resultFilesMs'] ?? null,
        accountingMs: timing['accountingMs'] ?? null,
        boundMs: Math.round(bound.boundMs),
        bottleneck: bound.bottleneck,
        timeRatio,
        lanesTimeRatio: lanesWallMs !== null ? round(lanesWallMs / bound.boundMs) : null,
        http429,
        http429Exchange,
        http429Share,
        retries: summary?.retries ?? 0,
        errors: summary?.errors ?? {},
        buckets: allBuckets.map((b) => {
          const pb = perBucket.get(b.endpoint);
          const wall = pb && pb.known && pb.end >= pb.start ? pb.end - pb.start : null;
          return {
            ...b,
            boundMs: Math.round(b.boundMs),
            requests: pb?.requests ?? 0,
            http429Exchange: requestDelta(before, after, [b]).refused429,
            requestRatio: round((pb?.requests ?? 0) / b.minRequests),
            wallMs: wall,
            timeRatio: wall !== null ? round(wall / b.boundMs) : null,
          };
        }),
        lanes,
        rateChart,
        rss: rssFigures,
        loadAverageEnd1m,
        targets,
      };
      for (const [name, d] of Object.entries(datasets))
        log(
          `${sc.scenario}: ${name}: ${d.out}/${d.truth}, missing ${d.missing}, dup ${d.duplicates}, unsorted ${d.unsorted}, ` +
            `mismatched ${d.mismatched}; requests ${d.requests}/${d.minRequests} (${d.requestRatio}); lanes ${d.lanesWallMs ?? '–'}/${d.boundMs} ms`,
        );
      log(
        `${sc.scenario}: requests ${requests}/${bound.minRequests} (${requestRatio}), wall ${result.wallMs}/${result.boundMs} ms (${timeRatio}), ` +
          `lanes ${lanesWallMs ?? '–'} ms (${result.lanesTimeRatio ?? '–'}), bottleneck ${bound.bottleneck}, 429 ${http429}`,
      );
      const mb = (p: RssFigures[keyof RssFigures]) =>
        p.peakRssMiB === null ? '–' : `${p.peakRssMiB} MiB${p.exact ? '' : ' (sampled)'}`;
      log(
        `${sc.scenario}: peak RSS extraction ${mb(rssFigures.extraction)}, simulator ${mb(rssFigures.simulator)}, local S3 ${mb(rssFigures.localS3)}; load ${machine.loadAverage1m} → ${loadAverageEnd1m}`,
      );
      if (v && v.examples.length > 0) log(`${sc.scenario}: e.g. ${v.examples.join('; ')}`);
      if (v) for (const line of describeFieldMismatches(v)) log(`${sc.scenario}: fields: ${line}`);
      else if (asked.includes('orders'))
        log(`${sc.scenario}: fields: not verified (the run did not complete)`);
      return result;
    } finally {
      await run.stack.close();
    }
  } finally {
    if (!shared) await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
