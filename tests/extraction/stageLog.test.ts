import type { CanonicalOrder } from '../../src/core/order';
import { ExtractionFatalError } from '../../src/extraction/errors';
import { newCursor } from '../../src/extraction/cursor';
import { newLane } from '../../src/extraction/plan';
import { RunRepository } from '../../src/extraction/RunRepository';
import type { SourceSpec } from '../../src/extraction/sources';
import { DEFAULT_EXTRACTION_SETTINGS, processLaneStage } from '../../src/extraction/stages';
import type { ExtractionDeps } from '../../src/extraction/stages';
import type { RunPlan } from '../../src/extraction/runState';
import type { LaneReport, LogFields, LogPort } from '../../src/extraction/telemetry';
import { runKeys } from '../../src/storage';
import { FakeExchange, fatal, retryable } from '../helpers/fakeExchange';
import { startTestStore } from '../helpers/localStore';

const NORMAL: SourceSpec = { endpoint: 'spotHistoryOrders', tpslType: 'normal' };
const TPSL: SourceSpec = { endpoint: 'spotHistoryOrders', tpslType: 'tpsl' };
const START = 1_700_000_000_000;
const END = START + 10 * 24 * 3600 * 1000;

type Written = { level: string; message: string; fields: LogFields };

/** A logging port that keeps what it is told, children included. */
function recordingLog(): { lines: Written[]; log: LogPort } {
  const lines: Written[] = [];
  const make = (bound: LogFields): LogPort => {
    const at = (level: string) => (message: string, fields?: LogFields) =>
      lines.push({ level, message, fields: { ...bound, ...fields } });
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (keys) => make({ ...bound, ...keys }),
    };
  };
  return { lines, log: make({}) };
}

/** 400 orders in each of two streams: four pages each. */
function account(): Map<string, CanonicalOrder[]> {
  const stream = (offset: number) =>
    Array.from({ length: 400 }, (_, i) => FakeExchange.order(offset + i, START + (offset + i) * 60_000));
  return new Map([
    [FakeExchange.key(NORMAL), stream(0)],
    [FakeExchange.key(TPSL), stream(400)],
  ]);
}

describe('the stages’ log and metrics of a lane invocation', () => {
  let env: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    env = await startTestStore('stage-log');
  });
  afterAll(async () => env.close());

  async function setUp(runId: string, exchange: FakeExchange) {
    const lane = newLane(runId, 'spot-history', 'spotHistoryOrders');
    lane.cursors.push(newCursor(lane, NORMAL, START, END), newCursor(lane, TPSL, START, END));
    await new RunRepository(env.store, runId).saveLane(lane);
    const plan: RunPlan = {
      runId,
      createdAt: START,
      request: { markets: ['spot'], kinds: ['normal', 'tpsl'], order: 'asc' },
      mode: 'classic',
      requested: { since: START, until: END },
      served: { since: START, until: END },
      notes: [],
      laneIds: ['spot-history'],
      searchWindows: [],
      needsSymbolSearch: false,
      listedSpotSymbols: [],
      stages: { plan: { startedAt: START, finishedAt: START + 5 } },
    };
    await env.store.putJson(runKeys(runId).plan, plan);
    const { lines, log } = recordingLog();
    const reports: LaneReport[] = [];
    const deps: ExtractionDeps = {
      store: env.store,
      exchange,
      // No splitting: the page counts below follow from the streams alone.
      settings: {
        ...DEFAULT_EXTRACTION_SETTINGS,
        minPagesToSplit: 1_000,
        tailPagesToSplit: 1_000,
        breakerThreshold: 2,
        failureBackoffMs: 1,
      },
      log,
      metrics: { laneInvocation: (r) => reports.push(r), runCollected: () => undefined },
    };
    const invoke = (deadline: number) =>
      processLaneStage(deps, { runId, laneId: 'spot-history', deadline, executionName: `${runId}-1` });
    const ended = () => lines.filter((l) => l.message === 'lane invocation ended');
    return { invoke, ended, reports };
  }

  it('says done, with the pages, orders and requests of the invocation, and reports the same to the metrics', async () => {
    const { invoke, ended, reports } = await setUp('logged-done', new FakeExchange(account(), { now: END }));
    await expect(invoke(Date.now() + 60_000)).resolves.toMatchObject({ done: true });
    expect(ended()).toHaveLength(1);
    expect(ended()[0]).toMatchObject({
      level: 'info',
      fields: {
        runId: 'logged-done',
        laneId: 'spot-history',
        executionName: 'logged-done-1',
        endpoint: 'spotHistoryOrders',
        stop: 'done',
        orders: 800,
        // Four full pages and the empty one that proves each stream finished.
        pages: 10,
        requests: 10,
        cursors: { open: 0, finished: 2, broken: 0, skipped: 0 },
        circuitsOpened: 0,
      },
    });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      runId: 'logged-done',
      endpoint: 'spotHistoryOrders',
      stop: 'done',
      orders: 800,
    });
  });

  it('says deadline when the time ran out first, and counts each invocation’s own orders only', async () => {
    const { invoke, ended } = await setUp('logged-deadline', new FakeExchange(account(), { now: END }));
    // A deadline already past: each invocation still starts one round of requests.
    let done = false;
    for (let i = 0; i < 20 && !done; i += 1) done = (await invoke(Date.now() - 1)).done;
    expect(done).toBe(true);
    const stops = ended().map((l) => l.fields['stop']);
    expect(stops.slice(0, -1).every((s) => s === 'deadline')).toBe(true);
    expect(stops.at(-1)).toBe('done');
    expect(ended().reduce((n, l) => n + (l.fields['orders'] as number), 0)).toBe(800);
  });

  it('says circuit_open, as a warning, when a source kept failing', async () => {
    const exchange = new FakeExchange(account(), { now: END });
    exchange.failWith = (q) =>
      q.source.endpoint === 'spotHistoryOrders' && q.source.tpslType === 'tpsl' ? retryable() : undefined;
    const { invoke, ended, reports } = await setUp('logged-broken', exchange);
    await invoke(Date.now() + 60_000);
    expect(ended()[0]).toMatchObject({
      level: 'warn',
      fields: { stop: 'circuit_open', orders: 400, circuitsOpened: 1, cursors: { broken: 1 } },
    });
    expect(reports[0]).toMatchObject({ stop: 'circuit_open', circuitsOpened: 1 });
  });

  it('says fatal, as an error with the exchange’s category and code, and still throws', async () => {
    const exchange = new FakeExchange(account(), { now: END });
    exchange.failWith = () => fatal('40009');
    const { invoke, ended, reports } = await setUp('logged-fatal', exchange);
    await expect(invoke(Date.now() + 60_000)).rejects.toThrow(ExtractionFatalError);
    expect(ended()[0]).toMatchObject({
      level: 'error',
      fields: {
        stop: 'fatal',
        orders: 0,
        error: { name: 'ExtractionFatalError', category: 'auth', code: '40009' },
      },
    });
    expect(reports[0]).toMatchObject({ stop: 'fatal' });
  });
});
