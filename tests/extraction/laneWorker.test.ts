import type { CanonicalOrder } from '../../src/core/order';
import { collectRun } from '../../src/extraction/collector';
import { newCursor } from '../../src/extraction/cursor';
import { isStarved } from '../../src/extraction/cursorSplit';
import { ExtractionFatalError, ExtractionIncompleteError } from '../../src/extraction/errors';
import type { LaneWorkerSettings } from '../../src/extraction/laneWorker';
import { runLane } from '../../src/extraction/laneWorker';
import { DEFAULT_EXTRACTION_SETTINGS, laneSettings, pagesWorthASplit } from '../../src/extraction/stages';
import { newLane } from '../../src/extraction/plan';
import { RunRepository } from '../../src/extraction/RunRepository';
import type { SourceSpec } from '../../src/extraction/sources';
import type { RunPlan } from '../../src/extraction/runState';
import { resultKeys, runKeys } from '../../src/storage';
import type { RunStore } from '../../src/storage';
import { SpanTooWideError } from '../../src/bitget/spanError';
import { FakeExchange, fatal, retryable } from '../helpers/fakeExchange';
import { startTestStore } from '../helpers/localStore';

const NORMAL: SourceSpec = { endpoint: 'spotHistoryOrders', tpslType: 'normal' };
const TPSL: SourceSpec = { endpoint: 'spotHistoryOrders', tpslType: 'tpsl' };
const START = 1_700_000_000_000;
const END = START + 10 * 24 * 3600 * 1000;

const settings: LaneWorkerSettings = {
  maxInFlight: 6,
  checkpointOrders: 700,
  minSplitMs: 60_000,
  minPagesToSplit: 2,
  breakerThreshold: 3,
  failureBackoffMs: 5,
};

/** Orders spread over the window with a burst then quiet days; ids increase with time, as Bitget's do. */
function account(n: number): Map<string, CanonicalOrder[]> {
  const span = END - START - 1;
  const times = Array.from({ length: n }, (_, i) =>
    i % 10 < 7 ? START + Math.floor((i / n) * 0.1 * span) : START + Math.floor((0.1 + (i / n) * 0.9) * span),
  ).sort((a, b) => a - b);
  const normal: CanonicalOrder[] = [];
  const tpsl: CanonicalOrder[] = [];
  times.forEach((cTime, i) =>
    (i % 4 === 0 ? tpsl : normal).push(
      FakeExchange.order(i, cTime, { kind: i % 4 === 0 ? 'tpsl' : 'normal' }),
    ),
  );
  return new Map([
    [FakeExchange.key(NORMAL), normal],
    [FakeExchange.key(TPSL), tpsl],
  ]);
}

async function setUpRun(store: RunStore, runId: string): Promise<void> {
  const lane = newLane(runId, 'spot-history', 'spotHistoryOrders');
  lane.cursors.push(newCursor(lane, NORMAL, START, END), newCursor(lane, TPSL, START, END));
  await new RunRepository(store, runId).saveLane(lane);
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
  await store.putJson(runKeys(runId).plan, plan);
}

async function readResult(store: RunStore, runId: string): Promise<CanonicalOrder[]> {
  const out: CanonicalOrder[] = [];
  for await (const line of store.readLines(resultKeys(runId).ordersJsonl)) out.push(JSON.parse(line));
  return out;
}

function expectExactlyOnceSorted(result: CanonicalOrder[], truth: Map<string, CanonicalOrder[]>): void {
  const expected = [...truth.values()]
    .flat()
    .sort((a, b) => a.cTime - b.cTime || (BigInt(a.orderId) < BigInt(b.orderId) ? -1 : 1));
  expect(result.map((o) => o.orderId)).toEqual(expected.map((o) => o.orderId));
}

describe('whether a lane runs below its budget', () => {
  it('reads the first second as starved until it holds most of a second of starts', () => {
    // 3 starts 150 ms in: a rate of 20/s over 150 ms, but 3 of the 10 a second allows.
    expect(isStarved(3, 150, 10)).toBe(true);
    expect(isStarved(9, 900, 10)).toBe(false);
  });

  it('compares the starts of the last two seconds with the rate once the lane has run that long', () => {
    expect(isStarved(16, 5000, 10)).toBe(true);
    expect(isStarved(19, 5000, 10)).toBe(false);
  });
});

describe('how many pages a split must be worth', () => {
  it('asks 10 at 1/s (a split costs a second there) and leaves the settings alone at 10/s and 20/s', () => {
    expect(pagesWorthASplit(1)).toBe(10);
    expect(laneSettings(DEFAULT_EXTRACTION_SETTINGS, 1)).toMatchObject({
      maxInFlight: 2,
      minPagesToSplit: 10,
      tailPagesToSplit: 10,
    });
    for (const rate of [10, 20])
      expect(laneSettings(DEFAULT_EXTRACTION_SETTINGS, rate)).toMatchObject({
        minPagesToSplit: DEFAULT_EXTRACTION_SETTINGS.minPagesToSplit,
        tailPagesToSplit: DEFAULT_EXTRACTION_SETTINGS.tailPagesToSplit,
      });
  });
});

describe('lane worker and collector against a real S3 server', () => {
  let env: Awaited<ReturnType<typeof startTestStore>>;
  beforeAll(async () => {
    env = await startTestStore();
  });
  afterAll(async () => env.close());

  it('halves a tax-record window the exchange refuses as too wide, and asks each half again', async () => {
    const DAY = 24 * 3600 * 1000;
    const ex = new FakeExchange(new Map(), { now: END });
    // The exchange takes 3 days at most: the 10-day window is halved until each query fits.
    ex.failWith = (q) =>
      q.endTime - q.startTime > 3 * DAY
        ? new SpanTooWideError('taxSpotRecords', q.startTime, q.endTime, '40705', 'exceed 3 days')
        : undefined;
    const lane = { ...newLane('halved', 'tax-spot', 'taxSpotRecords'), dataset: 'ledger' as const };
    lane.cursors.push(newCursor(lane, { endpoint: 'taxSpotRecords' }, START, END));
    await new RunRepository(env.store, 'halved').saveLane(lane);
    const done = await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings },
      { runId: 'halved', laneId: 'tax-spot', deadline: Date.now() + 60_000, order: 'asc' },
    );
    expect(done.done).toBe(true);
    expect(done.errors).toEqual({});
    const ranges = done.cursors.map((c) => [c.start, c.end]).sort((a, b) => a[0]! - b[0]!);
    expect(ranges).toHaveLength(4);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]);
    expect([ranges[0]![0], ranges.at(-1)![1]]).toEqual([START, END]);
    // 1 refused 10-day query, 2 refused 5-day halves, then 4 answered quarters.
    expect(ex.calls).toHaveLength(7);
  });

  it('fetches every order exactly once, splitting cursors to keep the budget busy', async () => {
    const truth = account(2500);
    const ex = new FakeExchange(truth, { now: END });
    await setUpRun(env.store, 'full');
    const lane = await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings },
      { runId: 'full', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
    );
    expect(lane.done).toBe(true);
    expect(lane.cursors.length).toBeGreaterThan(2);
    expect(lane.partsWritten).toBeGreaterThan(1);
    const out = await collectRun({ store: env.store }, { runId: 'full' });
    expect(out).toMatchObject({ complete: true, orders: 2500 });
    expectExactlyOnceSorted(await readResult(env.store, 'full'), truth);
    const json = JSON.parse((await env.store.getText(resultKeys('full').ordersJson))!) as {
      orders: unknown[];
    };
    expect(json.orders).toHaveLength(2500);
    const summary = JSON.parse((await env.store.getText(resultKeys('full').summary))!);
    expect(summary).toMatchObject({ complete: true, orders: 2500, byKind: { normal: 1875, tpsl: 625 } });
    expect(JSON.stringify(summary)).not.toMatch(/X-Amz-/); // no presigned URL is stored (the API signs on read)
    // Every cursor ends on the exchange's own "nothing more", never on a guess.
    expect(ex.calls.length).toBe(lane.requests);
  });

  it('splits a lone cursor with a few pages left in the tail, and still fetches every order once', async () => {
    const truth = account(2500);
    const ex = new FakeExchange(truth, { now: END });
    await setUpRun(env.store, 'tail');
    // A busy lane would not split a range of fewer than 30 pages: the tail rule still does.
    const lane = await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings: { ...settings, minPagesToSplit: 30 } },
      { runId: 'tail', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
    );
    expect(lane.done).toBe(true);
    expect(lane.cursors.length).toBeGreaterThan(2);
    await collectRun({ store: env.store }, { runId: 'tail' });
    expectExactlyOnceSorted(await readResult(env.store, 'tail'), truth);
    expect(ex.calls.length).toBe(lane.requests);
  });

  it('splits a cursor of 9 pages left at 10/s but not at 1/s, where the split would cost a second', async () => {
    // A virtual clock: every page takes 1.03 s, a hair slower than 1/s. At 1/s a split costs its last page (a
    // second of the budget) and a second cursor wins about a tenth of a second per page: 9 pages do not pay.
    const cursorsAt = async (runId: string, rate: number) => {
      const ex = new FakeExchange(account(1200), { now: END });
      let clock = START;
      const lane = newLane(runId, 'spot-history', 'spotHistoryOrders');
      lane.cursors.push(newCursor(lane, NORMAL, START, END));
      await new RunRepository(env.store, runId).saveLane(lane);
      const done = await runLane(
        {
          store: env.store,
          fetchPage: async (q) => {
            clock += 1030;
            return ex.fetchPage(q);
          },
          settings: laneSettings(DEFAULT_EXTRACTION_SETTINGS, rate),
          now: () => clock,
          targetRate: rate,
        },
        { runId, laneId: 'spot-history', deadline: START + 3_600_000, order: 'asc' },
      );
      expect(done.done).toBe(true);
      expect(done.ordersFetched).toBe(900);
      return done.cursors.length;
    };
    expect(await cursorsAt('paced-1', 1)).toBe(1);
    expect(await cursorsAt('paced-10', 10)).toBeGreaterThan(1);
  });

  it('resumes across many short invocations without losing or duplicating an order', async () => {
    const truth = account(600);
    const ex = new FakeExchange(truth, { now: END });
    await setUpRun(env.store, 'loops');
    let invocations = 0;
    for (let done = false; !done; invocations++) {
      const lane = await runLane(
        { store: env.store, fetchPage: ex.fetchPage, settings },
        { runId: 'loops', laneId: 'spot-history', deadline: Date.now() + 2, order: 'asc' },
      );
      done = lane.done;
      expect(invocations).toBeLessThan(2000);
    }
    expect(invocations).toBeGreaterThan(2);
    await collectRun({ store: env.store }, { runId: 'loops' });
    expectExactlyOnceSorted(await readResult(env.store, 'loops'), truth);
  });

  it('retries a page that failed after the client gave up, and still gets everything', async () => {
    const truth = account(900);
    const ex = new FakeExchange(truth, { now: END });
    ex.failWith = (_q, call) => (call % 5 === 0 ? retryable() : undefined);
    await setUpRun(env.store, 'flaky');
    const lane = await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings },
      { runId: 'flaky', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
    );
    expect(lane.done).toBe(true);
    expect(lane.errors['server']).toBeGreaterThan(0);
    await collectRun({ store: env.store }, { runId: 'flaky' });
    expectExactlyOnceSorted(await readResult(env.store, 'flaky'), truth);
  });

  it('opens the circuit on a source that keeps failing and never reports the run complete', async () => {
    const truth = account(500);
    const ex = new FakeExchange(truth, { now: END });
    ex.failWith = (q) =>
      q.source.endpoint === 'spotHistoryOrders' && q.source.tpslType === 'tpsl' ? retryable() : undefined;
    await setUpRun(env.store, 'broken');
    const lane = await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings },
      { runId: 'broken', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
    );
    expect(
      lane.cursors.find((c) => c.source.endpoint === 'spotHistoryOrders' && c.source.tpslType === 'tpsl')
        ?.broken,
    ).toMatchObject({ category: 'server' });
    await expect(collectRun({ store: env.store }, { runId: 'broken' })).rejects.toThrow(
      ExtractionIncompleteError,
    );
    const summary = JSON.parse((await env.store.getText(resultKeys('broken').summary))!);
    expect(summary.complete).toBe(false);
    expect(summary.missing.join(' ')).toMatch(/stopped after repeated failures/);
    expect(await env.store.exists(resultKeys('broken').ordersJsonl)).toBe(false);

    // A new execution of the same run gives the broken cursor another chance and completes.
    ex.failWith = undefined;
    const resumed = await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings },
      {
        runId: 'broken',
        laneId: 'spot-history',
        deadline: Date.now() + 60_000,
        order: 'asc',
        executionName: 'second',
      },
    );
    expect(resumed.done).toBe(true);
    await expect(collectRun({ store: env.store }, { runId: 'broken' })).resolves.toMatchObject({
      complete: true,
      orders: 500,
    });
    expectExactlyOnceSorted(await readResult(env.store, 'broken'), truth);
  });

  it('stops fast on an auth error with the exchange code, keeping what was fetched', async () => {
    const truth = account(800);
    const ex = new FakeExchange(truth, { now: END });
    ex.failWith = (_q, call) => (call > 6 ? fatal('40009') : undefined);
    await setUpRun(env.store, 'fatal');
    await expect(
      runLane(
        { store: env.store, fetchPage: ex.fetchPage, settings },
        { runId: 'fatal', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
      ),
    ).rejects.toThrow(ExtractionFatalError);
    const saved = await new RunRepository(env.store, 'fatal').loadLane('spot-history');
    expect(saved.ordersFetched).toBeGreaterThan(0);
    expect(saved.errors['auth']).toBeGreaterThan(0);
    expect(ex.calls.length).toBeLessThan(6 + settings.maxInFlight + 1);
  });

  it('loses nothing when an invocation dies between writing a part and saving its cursors', async () => {
    const truth = account(1500);
    const ex = new FakeExchange(truth, { now: END });
    await setUpRun(env.store, 'crash');
    const realPutJson = env.store.putJson.bind(env.store);
    let laneSaves = 0;
    const spy = jest.spyOn(env.store, 'putJson').mockImplementation(async (key, value) => {
      if (key.includes('/lanes/') && ++laneSaves === 2) throw new Error('Lambda died');
      return realPutJson(key, value);
    });
    await expect(
      runLane(
        { store: env.store, fetchPage: ex.fetchPage, settings },
        { runId: 'crash', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
      ),
    ).rejects.toThrow('Lambda died');
    spy.mockRestore();
    for (let done = false; !done;) {
      done = (
        await runLane(
          { store: env.store, fetchPage: ex.fetchPage, settings },
          { runId: 'crash', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
        )
      ).done;
    }
    await collectRun({ store: env.store }, { runId: 'crash' });
    expectExactlyOnceSorted(await readResult(env.store, 'crash'), truth);
    const summary = JSON.parse((await env.store.getText(resultKeys('crash').summary))!);
    expect(summary.duplicatesDropped).toBeGreaterThan(0);
  });

  it('merges more parts than it opens at once in stages, still exactly once and sorted', async () => {
    const truth = account(2000);
    const ex = new FakeExchange(truth, { now: END });
    await setUpRun(env.store, 'staged');
    const small = { ...settings, checkpointOrders: 40 }; // about 50 parts
    await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings: small },
      { runId: 'staged', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'asc' },
    );
    expect((await env.store.list('runs/staged/parts/')).length).toBeGreaterThan(16);
    const out = await collectRun({ store: env.store, mergeFanIn: 4 }, { runId: 'staged' });
    expect(out).toMatchObject({ complete: true, orders: 2000 });
    expect((await env.store.list('runs/staged/merged/')).length).toBeGreaterThan(4);
    expectExactlyOnceSorted(await readResult(env.store, 'staged'), truth);
  });

  it('writes a descending result when asked', async () => {
    const truth = account(300);
    const ex = new FakeExchange(truth, { now: END });
    await setUpRun(env.store, 'desc');
    const plan = (await env.store.getText(runKeys('desc').plan))!;
    await env.store.putText(runKeys('desc').plan, plan.replace('"order":"asc"', '"order":"desc"'));
    await runLane(
      { store: env.store, fetchPage: ex.fetchPage, settings },
      { runId: 'desc', laneId: 'spot-history', deadline: Date.now() + 60_000, order: 'desc' },
    );
    await collectRun({ store: env.store }, { runId: 'desc' });
    const out = await readResult(env.store, 'desc');
    expect(out).toHaveLength(300);
    for (let i = 1; i < out.length; i++) expect(out[i - 1]!.cTime).toBeGreaterThanOrEqual(out[i]!.cTime);
  });

  it('writes only a summary marked incomplete when a step failed', async () => {
    await setUpRun(env.store, 'failed');
    const out = await collectRun(
      { store: env.store },
      { runId: 'failed', failure: { Error: 'ExtractionFatalError', Cause: 'sign signature error (40009)' } },
    );
    expect(out).toMatchObject({ complete: false, failure: { error: 'ExtractionFatalError' } });
    const summary = JSON.parse((await env.store.getText(resultKeys('failed').summary))!);
    expect(summary).toMatchObject({ complete: false, failure: { cause: 'sign signature error (40009)' } });
    expect(await env.store.exists(resultKeys('failed').ordersJsonl)).toBe(false);
  });
});
