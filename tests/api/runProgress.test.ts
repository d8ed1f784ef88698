import { laneView, readRunProgress } from '../../src/api/runProgress';
import { parseTime, bothTimes } from '../../src/api/times';
import { decodeCursor, encodeCursor } from '../../src/api/orderQuery';
import type { LaneState } from '../../src/extraction/runState';
import { HttpError } from '../../src/api/errors';
import type { RunStore } from '../../src/storage/RunStore';

const DAY = 86_400_000;

function cursor(
  start: number,
  end: number,
  oldestCTime: number | null,
  done = false,
): LaneState['cursors'][number] {
  return {
    id: `c${start}`,
    source: { endpoint: 'spotHistoryOrders', tpslType: 'normal' },
    start,
    end,
    next: null,
    oldestCTime,
    done,
    pages: 1,
    orders: 10,
    failures: 0,
  };
}

function lane(laneId: string, cursors: LaneState['cursors'], over: Partial<LaneState> = {}): LaneState {
  return {
    runId: 'run-1',
    laneId,
    endpoint: 'spot-history',
    cursors,
    nextCursorSeq: cursors.length,
    partsWritten: 1,
    ordersFetched: 100,
    requests: 20,
    retries: 1,
    http429: 0,
    errors: {},
    symbolsSeen: {},
    invocations: 1,
    busyMs: 0,
    requestsBySecond: {},
    done: false,
    ...over,
  };
}

/** A run store holding the given JSON documents by key (what the stage functions would have saved). */
function storeOf(documents: Record<string, unknown>): RunStore {
  return {
    getJson: async (key: string, schema: { parse(v: unknown): unknown }) =>
      key in documents ? schema.parse(documents[key]) : null,
    list: async (prefix: string) =>
      Object.keys(documents)
        .filter((k) => k.startsWith(prefix))
        .sort(),
  } as unknown as RunStore;
}

describe('progress of a running run', () => {
  it('counts a cursor paged from the end of its range down to oldestCTime as that share covered', () => {
    const view = laneView(
      lane('spot-history', [cursor(0, 10 * DAY, 7.5 * DAY), cursor(10 * DAY, 20 * DAY, null, true)]),
    );
    // First cursor: a quarter of its range; second: done. Half and a bit over both.
    expect(view.covered).toBeCloseTo((2.5 + 10) / 20);
    expect(view).toMatchObject({ cursorsDone: 1, cursorsOpen: 1, orders: 100, requests: 20 });
  });

  it('is in planning before the plan exists, with no ETA', async () => {
    const progress = await readRunProgress(storeOf({}), 'run-1', 0, 10_000);
    expect(progress).toMatchObject({
      stage: 'planning',
      lanesTotal: 0,
      fraction: 0,
      etaMs: null,
      etaAt: null,
    });
  });

  it('scales the time spent by the share left for its ETA, and sums the lanes', async () => {
    const now = Date.UTC(2024, 0, 1, 0, 10);
    const second = Math.floor(now / 1000);
    const plan = {
      runId: 'run-1',
      createdAt: now - 60_000,
      request: { markets: ['spot'], kinds: ['normal'], order: 'asc' },
      mode: 'classic',
      requested: { since: null, until: null },
      served: { since: 0, until: 10 * DAY },
      notes: [],
      laneIds: ['a', 'b'],
      searchWindows: [],
      needsSymbolSearch: false,
      stages: {},
    };
    const store = storeOf({
      'runs/run-1/plan.json': plan,
      'runs/run-1/lanes/a.json': lane('a', [cursor(0, 10 * DAY, null, true)], {
        done: true,
        requestsBySecond: { [second - 1]: 6, [second - 2]: 4 },
      }),
      'runs/run-1/lanes/b.json': lane('b', [cursor(0, 10 * DAY, 10 * DAY)], {
        requestsBySecond: { [second]: 50 },
      }),
    });
    const progress = await readRunProgress(store, 'run-1', now - 60_000, now);
    expect(progress).toMatchObject({
      stage: 'lanes',
      lanesDone: 1,
      lanesTotal: 2,
      orders: 200,
      requests: 40,
    });
    expect(progress.fraction).toBeCloseTo(0.5);
    // 60 s for half the work: 60 s more. The rate counts the 5 complete seconds before now only.
    expect(progress.etaMs).toBe(60_000);
    expect(progress.etaAt).toBe(new Date(now + 60_000).toISOString());
    expect(progress.requestsPerSecond).toBe(2);
  });
});

describe('times in the query', () => {
  it('takes epoch ms, ISO 8601 with a zone, and a bare date as its UTC midnight', () => {
    expect(parseTime('1714521600000', 'q/since')).toBe(1714521600000);
    expect(parseTime('2024-05-01T00:00:00Z', 'q/since')).toBe(1714521600000);
    expect(parseTime('2024-05-01T02:00:00+02:00', 'q/since')).toBe(1714521600000);
    expect(parseTime('2024-05-01', 'q/since')).toBe(1714521600000);
    expect(bothTimes(1714521600000)).toEqual({ ms: 1714521600000, iso: '2024-05-01T00:00:00.000Z' });
  });

  it('refuses a time without a zone or not a time at all, naming the field', () => {
    for (const bad of ['2024-05-01T00:00:00', 'yesterday', '1e12', '']) {
      expect(() => parseTime(bad, 'querystring/until')).toThrow(HttpError);
      expect(() => parseTime(bad, 'querystring/until')).toThrow(
        /querystring\/until must be epoch milliseconds or an ISO 8601/,
      );
    }
  });

  it('gives out cursors that decode to the same position, and refuses foreign ones', () => {
    expect(decodeCursor(encodeCursor({ cTime: 1714521600000, orderId: '1234567890123456789' }))).toEqual({
      cTime: 1714521600000,
      orderId: '1234567890123456789',
    });
    expect(() => decodeCursor(Buffer.from('1:abc').toString('base64url'))).toThrow(/querystring\/after/);
  });
});
