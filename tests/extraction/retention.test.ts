import { DAY_MS, RETENTION_DAYS } from '../../src/bitget/endpoints';
import type { CanonicalOrder } from '../../src/core/order';
import { newCursor, RETENTION_SAFETY_MS } from '../../src/extraction/cursor';
import type { PageQuery } from '../../src/extraction/cursor';
import type { LaneWorkerSettings } from '../../src/extraction/laneWorker';
import { runLane } from '../../src/extraction/laneWorker';
import { DEFAULT_PLAN_SETTINGS, newLane } from '../../src/extraction/plan';
import { RunRepository } from '../../src/extraction/RunRepository';
import { buildSummary, noOrderFigures } from '../../src/extraction/runSummary';
import type { LaneState, RunPlan } from '../../src/extraction/runState';
import { laneStateSchema } from '../../src/extraction/runState';
import type { SourceSpec } from '../../src/extraction/sources';
import type { RunStore } from '../../src/storage';
import { FakeExchange } from '../helpers/fakeExchange';
import { startTestStore } from '../helpers/localStore';

const FUTURES: SourceSpec = { endpoint: 'futuresHistoryOrders', productType: 'USDT-FUTURES' };
const RETENTION_MS = RETENTION_DAYS * DAY_MS;
const MINUTE = 60_000;
/** The server's clock when the run was planned. */
const PLANNED_AT = 1_760_000_000_000;
/** Where the plan started the run: the product's margin inside the 90 days. */
const START = PLANNED_AT - RETENTION_MS + DEFAULT_PLAN_SETTINGS.retentionMarginMs;
const END = START + 20 * DAY_MS;

const settings: LaneWorkerSettings = {
  maxInFlight: 4,
  checkpointOrders: 500,
  minSplitMs: 60_000,
  minPagesToSplit: 2,
  breakerThreshold: 3,
  failureBackoffMs: 5,
};

/** Bitget's futures refusal of a startTime older than its retention (the simulator's `retention: 'reject'`). */
const refusal = () =>
  Object.assign(new Error('Can only check the data of the last three months'), {
    name: 'BitgetApiError',
    category: 'param',
    exchangeCode: '40704',
  });

/** One order a minute over the first hour of the range, then one an hour: the first minutes will expire. */
function orders(): CanonicalOrder[] {
  const times = [
    ...Array.from({ length: 60 }, (_, i) => START + i * MINUTE + 7),
    ...Array.from({ length: 400 }, (_, i) => START + 2 * 3600_000 + i * 3600_000),
  ].filter((t) => t < END);
  return times.map((t, i) => FakeExchange.order(i, t, { market: 'usdt-futures' }));
}

function plan(runId: string): RunPlan {
  return {
    runId,
    createdAt: PLANNED_AT,
    request: { markets: ['usdt-futures'], kinds: ['normal'], order: 'asc' },
    mode: 'classic',
    requested: { since: null, until: END },
    served: { since: START, until: END },
    notes: [],
    laneIds: ['futures-history'],
    searchWindows: [],
    needsSymbolSearch: false,
    listedSpotSymbols: [],
    stages: { plan: { startedAt: PLANNED_AT, finishedAt: PLANNED_AT + 5 } },
  };
}

async function saveLane(store: RunStore, runId: string): Promise<LaneState> {
  const lane = newLane(runId, 'futures-history', 'futuresHistoryOrders');
  // Two windows, as the planner cuts them: the older one begins at the plan's start.
  lane.cursors.push(
    newCursor(lane, FUTURES, START, START + 10 * DAY_MS),
    newCursor(lane, FUTURES, START + 10 * DAY_MS, END),
  );
  await new RunRepository(store, runId).saveLane(lane);
  return lane;
}

describe('a run that outlives the retention margin', () => {
  let store: RunStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await startTestStore());
  });
  afterAll(async () => close());

  // The server's clock 20 minutes after planning: the run's first 10 minutes (+ the safety margin) expired.
  const serverNow = PLANNED_AT + 20 * MINUTE;
  const boundary = serverNow - RETENTION_MS + RETENTION_SAFETY_MS;
  const served = orders();

  /** An exchange that refuses (40704) every query older than its retention, by its own clock. */
  const exchange = () => {
    const ex = new FakeExchange(new Map([[FakeExchange.key(FUTURES), served]]), { now: serverNow });
    ex.failWith = (q: PageQuery) => (q.startTime < serverNow - RETENTION_MS ? refusal() : undefined);
    return ex;
  };

  const expectExpiredNamed = (lane: LaneState, runId: string, expiredTo: number) => {
    expect(lane.done).toBe(true);
    const older = lane.cursors.find((c) => c.expired !== undefined)!;
    expect(older.expired).toEqual({ from: START, to: expiredTo });
    expect(older.start).toBe(expiredTo);
    const fetched = lane.ordersFetched;
    expect(fetched).toBe(served.filter((o) => o.cTime >= expiredTo).length);
    expect(fetched).toBeLessThan(served.length);

    const summary = buildSummary({
      plan: plan(runId),
      lanes: [lane],
      order: 'asc',
      collectStartedAt: serverNow,
      now: serverNow,
      merged: { ...noOrderFigures(1), orders: fetched },
      failure: undefined,
      missing: [],
    });
    // A hole named, not hidden: complete, served from what was covered, the span listed and said in words.
    expect(summary.complete).toBe(true);
    expect(summary.served).toEqual({ since: expiredTo, until: END });
    expect(summary.datasets.orders?.served).toEqual({ since: expiredTo, until: END });
    expect(summary.expired).toEqual([
      expect.objectContaining({
        laneId: 'futures-history',
        dataset: 'orders',
        retentionDays: RETENTION_DAYS,
        from: START,
        to: expiredTo,
      }),
    ]);
    const note = summary.notes.find((n) => n.includes('expired'));
    expect(note).toContain(
      `Orders created between ${new Date(START).toISOString()} and ${new Date(expiredTo).toISOString()}`,
    );
    expect(note).toContain('Bitget serves 90 days');
    expect(note).toContain('they are not in this result');
  };

  it('asks no older than the boundary by the server clock and records the span that expired', async () => {
    const runId = 'r-retention-clock';
    const lane = await saveLane(store, runId);
    const ex = exchange();
    const worked = await runLane(
      { store, fetchPage: ex.fetchPage, settings, serverNow: () => serverNow },
      { runId, laneId: lane.laneId, deadline: Infinity, order: 'asc' },
      lane,
    );
    expect(ex.calls.length).toBeGreaterThan(0);
    // startTime is the cursor's start − 1 ms (either bound semantics): never before the boundary − 1 ms.
    for (const q of ex.calls) expect(q.startTime).toBeGreaterThanOrEqual(boundary - 1);
    expect(worked.errors['retention']).toBeUndefined();
    expectExpiredNamed(worked, runId, boundary);
    // Saved with the lane: a resume reads the span back.
    const saved = await new RunRepository(store, runId).loadLane(lane.laneId);
    expect(saved.cursors.find((c) => c.expired)?.expired).toEqual({ from: START, to: boundary });
  });

  it('takes a 40704 as the same case when the server clock is not known: moves on, records, completes', async () => {
    const runId = 'r-retention-refused';
    const lane = await saveLane(store, runId);
    const ex = exchange();
    const worked = await runLane(
      { store, fetchPage: ex.fetchPage, settings, serverNow: () => undefined },
      { runId, laneId: lane.laneId, deadline: Infinity, order: 'asc' },
      lane,
    );
    expect(worked.errors['retention']).toBeGreaterThan(0);
    const refused = ex.calls.filter((q) => q.startTime < serverNow - RETENTION_MS);
    // Each refusal moves the cursor at least twice as far as the previous one: a handful, never a loop.
    expect(refused.length).toBeLessThanOrEqual(20);
    const older = worked.cursors.find((c) => c.expired !== undefined)!;
    // Moved past the server's retention start, by less than the doubled margins add up to.
    expect(older.start).toBeGreaterThanOrEqual(serverNow - RETENTION_MS + 1);
    expectExpiredNamed(worked, runId, older.start);
  });

  it('a cursor whose whole range expired is done without asking, its range named', async () => {
    const runId = 'r-retention-whole';
    const lane = newLane(runId, 'futures-history', 'futuresHistoryOrders');
    lane.cursors.push(newCursor(lane, FUTURES, START, START + 5 * MINUTE));
    await new RunRepository(store, runId).saveLane(lane);
    const ex = exchange();
    const worked = await runLane(
      { store, fetchPage: ex.fetchPage, settings, serverNow: () => serverNow },
      { runId, laneId: lane.laneId, deadline: Infinity, order: 'asc' },
      lane,
    );
    expect(ex.calls).toEqual([]);
    expect(worked.done).toBe(true);
    expect(worked.cursors[0]).toMatchObject({ done: true, expired: { from: START, to: START + 5 * MINUTE } });
  });
});

describe('the summary of a fills lane that lost a span', () => {
  it("raises that stream's covered start and the data set's, not another stream's", () => {
    const lane = newLane('r-fills', 'futures-fills', 'futuresFills');
    lane.dataset = 'fills';
    const usdt = { endpoint: 'futuresFills', productType: 'USDT-FUTURES' } as const;
    const coin = { endpoint: 'futuresFills', productType: 'COIN-FUTURES' } as const;
    lane.cursors.push(
      {
        ...newCursor(lane, usdt, START + 5 * MINUTE, END),
        done: true,
        expired: { from: START, to: START + 5 * MINUTE },
      },
      { ...newCursor(lane, coin, START, END), done: true },
    );
    lane.done = true;
    const base = plan('r-fills');
    const withFills: RunPlan = {
      ...base,
      request: { ...base.request, datasets: ['fills'] },
      datasetRanges: {
        fills: {
          since: START,
          until: END,
          streams: {
            'futuresFills/USDT-FUTURES': { since: START, until: END },
            'futuresFills/COIN-FUTURES': { since: START, until: END },
          },
        },
      },
    };
    const summary = buildSummary({
      plan: withFills,
      lanes: [lane],
      order: 'asc',
      collectStartedAt: 0,
      now: 0,
      merged: null,
      failure: undefined,
      missing: [],
    });
    expect(summary.datasets.fills?.served).toEqual({ since: START + 5 * MINUTE, until: END });
    expect(summary.datasets.fills?.streams).toEqual({
      'futuresFills/USDT-FUTURES': { since: START + 5 * MINUTE, until: END },
      'futuresFills/COIN-FUTURES': { since: START, until: END },
    });
    expect(summary.expired).toEqual([
      expect.objectContaining({ dataset: 'fills', stream: 'futuresFills/USDT-FUTURES', from: START }),
    ]);
    expect(summary.notes.some((n) => n.startsWith('Fills created between'))).toBe(true);
  });
});

describe('lane state saved before expired spans existed', () => {
  it('still loads, with no expired span', () => {
    const old = {
      runId: 'r-old',
      laneId: 'futures-history',
      endpoint: 'futuresHistoryOrders',
      cursors: [
        {
          id: 'c0:futuresHistoryOrders:USDT-FUTURES',
          source: FUTURES,
          start: START,
          end: END,
          next: '123',
          lastCTime: START + 5,
          done: false,
          pages: 3,
          orders: 300,
          failures: 0,
        },
      ],
      nextCursorSeq: 1,
      partsWritten: 1,
      ordersFetched: 300,
      requests: 3,
      retries: 0,
      http429: 0,
      errors: {},
      symbolsSeen: {},
      invocations: 1,
      busyMs: 10,
      done: false,
    };
    const lane = laneStateSchema.parse(old);
    expect(lane.cursors[0]!.expired).toBeUndefined();
    expect(lane.cursors[0]!.oldestCTime).toBe(START + 5);
    const summary = buildSummary({
      plan: plan('r-old'),
      lanes: [lane],
      order: 'asc',
      collectStartedAt: 0,
      now: 0,
      merged: null,
      failure: undefined,
      missing: ['lane futures-history is unfinished'],
    });
    expect(summary.expired).toEqual([]);
    expect(summary.served).toEqual({ since: START, until: END });
  });
});
