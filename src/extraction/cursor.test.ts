import { aFill, aLedgerEntry } from '../../tests/helpers/canonicalRecords';
import { FakeExchange } from '../../tests/helpers/fakeExchange';
import { applyPage, clampToBoundary, nextQuery } from './cursor';
import { pagesToSplit, remainingRows, splitAfterPage, splitRange } from './cursorSplit';
import type { SplitPolicy } from './cursorSplit';
import { PaginationStalledError } from './errors';
import { recordIdOf } from './records';
import type { CursorState, LaneState } from './runState';

const cursor = (over: Partial<CursorState> = {}): CursorState => ({
  id: 'c0',
  source: { endpoint: 'spotHistoryOrders', tpslType: 'normal' },
  start: 1000,
  end: 2000,
  next: null,
  oldestCTime: null,
  done: false,
  pages: 0,
  orders: 0,
  failures: 0,
  ...over,
});

describe('cursor pagination', () => {
  it('asks one millisecond below its start and up to its end, so either bound semantics is covered', () => {
    expect(nextQuery(cursor())).toMatchObject({ startTime: 999, endTime: 2000, next: null, limit: 100 });
  });

  it('narrows endTime to the oldest row seen for id-paginated endpoints, but not for v3 cursors', () => {
    expect(nextQuery(cursor({ next: '55', oldestCTime: 1500 })).endTime).toBe(1501);
    const v3 = cursor({
      source: { endpoint: 'utaHistoryOrders', category: 'SPOT' },
      next: 'abc',
      oldestCTime: 1500,
    });
    expect(nextQuery(v3).endTime).toBe(2000);
  });

  it('keeps only the rows of its own [start, end) window and of ids below the previous token', () => {
    const c = cursor({ next: String(1_000_000_000_000_000_000n + 50n), oldestCTime: 1600 });
    const rows = [
      FakeExchange.order(60, 1700), // id above the token: already fetched
      FakeExchange.order(40, 2000), // at end: the next window's
      FakeExchange.order(30, 1500),
      FakeExchange.order(20, 999), // below start: the previous window's
    ];
    const owned = applyPage(c, { records: rows, next: rows[3]!.orderId });
    expect(owned.map((o) => o.cTime)).toEqual([1500]);
    expect(c.oldestCTime).toBe(999);
    expect(c.done).toBe(false);
  });

  it('is done only when the exchange says there is nothing more', () => {
    const c = cursor();
    applyPage(c, { records: [FakeExchange.order(1, 1200)], next: 'x' });
    expect(c.done).toBe(false);
    applyPage(c, { records: [], next: null });
    expect(c.done).toBe(true);
    expect(c.pages).toBe(2);
  });

  it('refuses a page that hands back the same token instead of stopping quietly', () => {
    const c = cursor({ next: '77' });
    expect(() => applyPage(c, { records: [], next: '77' })).toThrow(PaginationStalledError);
  });

  it('stops a searcher cursor after its page budget but keeps the token for the unifier', () => {
    const c = cursor({ maxPages: 1 });
    applyPage(c, { records: [FakeExchange.order(1, 1200)], next: 'more' });
    expect(c).toMatchObject({ done: true, next: 'more' });
  });

  it('splits off the older half of the remaining range, leaving both ranges disjoint', () => {
    const c = cursor({ next: '5', oldestCTime: 1800 });
    expect(splitRange(c, 10)).toEqual({ start: 1000, end: 1400, queryStart: 1000 });
    expect(c).toMatchObject({ start: 1400, queryStart: 1000 });
    expect(splitRange(cursor({ next: '5', oldestCTime: 1010 }), 10)).toBeNull();
    expect(splitRange(cursor({ next: null, oldestCTime: 1800 }), 10)).toBeNull();
  });

  it('splits a started v3 cursor without re-issuing its token for another range, and stops it past the split', () => {
    const v3 = cursor({
      source: { endpoint: 'utaHistoryOrders', category: 'SPOT' },
      next: 'tok',
      oldestCTime: 1800,
    });
    expect(splitRange(v3, 10)).toEqual({ start: 1000, end: 1400, queryStart: 1000 });
    expect(v3).toMatchObject({ start: 1400, queryStart: 1000 });
    expect(nextQuery(v3)).toMatchObject({ startTime: 999, endTime: 2000, next: 'tok' });
    const owned = applyPage(v3, {
      records: [FakeExchange.order(3, 1500), FakeExchange.order(2, 1399)],
      next: 'tok2',
    });
    expect(owned.map((o) => o.cTime)).toEqual([1500]);
    expect(v3.done).toBe(true);
  });

  it('does not split when the page density says too few pages remain to pay for a new cursor', () => {
    // 100 rows over 400 ms: the 800 ms left hold about 200 rows, two pages.
    expect(
      splitRange(cursor({ next: '5', oldestCTime: 1800 }), 10, { rows: 100, spanMs: 400, minPages: 4 }),
    ).toBeNull();
    // 100 rows over 100 ms: about 800 rows, eight pages: worth a cursor.
    expect(
      splitRange(cursor({ next: '5', oldestCTime: 1800 }), 10, { rows: 100, spanMs: 100, minPages: 4 }),
    ).toEqual({ start: 1000, end: 1400, queryStart: 1000 });
  });

  it('ends a split id-paginated cursor on the page that crosses into its older neighbour, with no extra request', () => {
    const c = cursor({ next: String(1_000_000_000_000_000_000n + 90n), oldestCTime: 1800 });
    splitRange(c, 10);
    // It keeps asking from the range's old start, so the exchange can show it a row of the older cursor.
    expect(nextQuery(c)).toMatchObject({ startTime: 999, endTime: 1801 });
    const first = applyPage(c, {
      records: [FakeExchange.order(80, 1700), FakeExchange.order(70, 1500)],
      next: FakeExchange.order(70, 1500).orderId,
    });
    expect(first.map((o) => o.cTime)).toEqual([1700, 1500]);
    expect(c.done).toBe(false);
    const last = applyPage(c, {
      records: [FakeExchange.order(60, 1400), FakeExchange.order(50, 1399), FakeExchange.order(40, 1200)],
      next: FakeExchange.order(40, 1200).orderId,
    });
    // 1400 is its own (start is inclusive); 1399 and 1200 belong to the older cursor, which fetches them itself.
    expect(last.map((o) => o.cTime)).toEqual([1400]);
    expect(c.done).toBe(true);
  });

  it('does not end a split cursor on a page whose last row is still inside its range', () => {
    const c = cursor({ next: String(1_000_000_000_000_000_000n + 90n), oldestCTime: 1800 });
    splitRange(c, 10); // c: [1400, 2000), asking from 1000
    const owned = applyPage(c, {
      records: [FakeExchange.order(8, 1700), FakeExchange.order(7, 1300), FakeExchange.order(6, 1500)],
      next: FakeExchange.order(6, 1500).orderId,
    });
    expect(owned.map((o) => o.cTime)).toEqual([1700, 1500]);
    expect(c.done).toBe(false);
  });

  it('gives a cursor split off a split cursor the first query start, so it too ends by crossing', () => {
    const c = cursor({ next: '9', oldestCTime: 1800 });
    splitRange(c, 10); // c: [1400, 2000), older [1000, 1400)
    const older = splitRange(c, 10); // c: [1600, 2000) and [1400, 1600), both asking from 1000
    expect(older).toEqual({ start: 1400, end: 1600, queryStart: 1000 });
    expect(c).toMatchObject({ start: 1600, queryStart: 1000 });
    const split = cursor({ start: older!.start, end: older!.end, queryStart: older!.queryStart });
    expect(nextQuery(split)).toMatchObject({ startTime: 999, endTime: 1600, next: null });
    applyPage(split, { records: [FakeExchange.order(5, 1500), FakeExchange.order(4, 1300)], next: 'n' });
    expect(split.done).toBe(true);
  });

  it("keeps the bottom cursor of a window asking from its own start and ending only on the exchange's word", () => {
    const bottom = cursor({ start: 1000, end: 1400 });
    expect(nextQuery(bottom).startTime).toBe(999);
    applyPage(bottom, { records: [FakeExchange.order(3, 1100)], next: 'n' });
    expect(bottom.done).toBe(false);
    applyPage(bottom, { records: [], next: null });
    expect(bottom.done).toBe(true);
  });
});

describe('how many pages a range needs before it is split', () => {
  it('is the configured minimum while most in-flight slots have a cursor', () => {
    expect(pagesToSplit(4, 6, 4)).toBe(4);
    expect(pagesToSplit(5, 6, 4)).toBe(4);
  });

  it('drops to the tail figure (2 by default) when at most half of the slots have a cursor', () => {
    expect(pagesToSplit(3, 6, 4)).toBe(2);
    expect(pagesToSplit(1, 6, 4)).toBe(2);
    expect(pagesToSplit(1, 6, 4, 1)).toBe(1);
  });

  it('never splits where both figures are set out of reach (each rule can be turned off on its own)', () => {
    expect(pagesToSplit(1, 6, 1_000, 1_000)).toBe(1_000);
    expect(pagesToSplit(6, 6, 1_000, 2)).toBe(1_000);
  });
});

describe('which cursor a split takes', () => {
  const policy: SplitPolicy = { maxInFlight: 6, minSplitMs: 1, minPagesToSplit: 2 };
  /** A page of 100 rows, one per ms from `top` down. */
  const fullPage = (top: number) => ({
    records: Array.from({ length: 100 }, (_, i) => FakeExchange.order(top - i, top - i)),
    next: String(top - 99),
  });
  const laneOf = (cursors: CursorState[]) =>
    ({ nextCursorSeq: cursors.length, cursors }) as unknown as LaneState;

  it('expects the rest of a range at the density read so far', () => {
    // 100 rows over the 200 ms read of [1000, 2000): 400 more in the 800 ms below.
    expect(remainingRows(cursor({ next: '5', oldestCTime: 1800, orders: 100 }))).toBe(400);
    expect(remainingRows(cursor({ next: '5', oldestCTime: 1800, orders: 100 }), 2)).toBe(1600);
    expect(remainingRows(cursor())).toBeNull();
  });

  it('splits the cursor whose range holds the most, not one with a fraction of the largest', () => {
    const small = cursor({ id: 'small', start: 9_000, end: 10_000 });
    const large = cursor({ id: 'large', start: 0, end: 8_000, next: '5', oldestCTime: 7_000, orders: 1_000 });
    applyPage(small, fullPage(9_999)); // 100 rows a 100 ms: 900 more rows expected, the large one 7,000
    const open = [small, large];
    expect(splitAfterPage(laneOf(open), small, fullPage(9_999), 2, policy, () => true, open)).toBeNull();
    expect(small.queryStart).toBeUndefined();
    // Alone (or beside cursors that hold less than twice as much), the same page splits it.
    const older = splitAfterPage(laneOf([small]), small, fullPage(9_999), 1, policy, () => true, [small]);
    expect(older).toMatchObject({ start: 9_000, end: 9_450, queryStart: 9_000 });
    expect(small).toMatchObject({ start: 9_450, queryStart: 9_000 });
  });
});

describe('the cursor over fills and ledger entries (a record of (time, id, key))', () => {
  it('filters fills by tradeId below the token, never by their orderId, and asks 100 rows a page', () => {
    const c = cursor({ source: { endpoint: 'spotFills' }, next: '500', oldestCTime: 1600 });
    expect(nextQuery(c)).toMatchObject({ endTime: 1601, limit: 100 });
    const rows = [
      aFill({ tradeId: '600', orderId: '1', cTime: 1500 }), // tradeId above the token: already fetched
      aFill({ tradeId: '400', orderId: '900', cTime: 1500 }), // orderId above the token: still new
      aFill({ tradeId: '300', orderId: '2', cTime: 999 }), // before the start: the older neighbour's
    ];
    expect(applyPage(c, { records: rows, next: '300' }).map((f) => recordIdOf('fills', f))).toEqual(['400']);
    expect(c).toMatchObject({ next: '300', oldestCTime: 999, orders: 1 });
  });

  it('filters ledger entries by billId and asks the endpoint’s page size (500 for the tax records)', () => {
    const c = cursor({ source: { endpoint: 'taxSpotRecords' }, next: '70' });
    expect(nextQuery(c).limit).toBe(500);
    const rows = [
      aLedgerEntry({ billId: '80', cTime: 1200, source: 'tax' }),
      aLedgerEntry({ billId: '69', cTime: 1100, source: 'tax' }),
    ];
    expect(applyPage(c, { records: rows, next: '69' }).map((e) => recordIdOf('ledger', e))).toEqual(['69']);
  });

  it('passes a v3 cursor back as received and keeps every row of its window', () => {
    const c = cursor({ source: { endpoint: 'utaFinancialRecords', category: 'OTHER' }, next: 'opaque' });
    const rows = [aLedgerEntry({ billId: '9', cTime: 1300 }), aLedgerEntry({ billId: '1', cTime: 1200 })];
    expect(applyPage(c, { records: rows, next: 'opaque-2' })).toHaveLength(2);
    expect(nextQuery(c)).toMatchObject({ next: 'opaque-2', endTime: 2000 });
  });
});

describe('a cursor whose range falls out of the retention', () => {
  it('moves its start up to the boundary and records what expired, added to an earlier span', () => {
    const c = cursor();
    expect(clampToBoundary(c, 1200)).toBe(true);
    expect(c).toMatchObject({ start: 1200, expired: { from: 1000, to: 1200 }, done: false });
    expect(nextQuery(c).startTime).toBe(1199);
    expect(clampToBoundary(c, 1300)).toBe(true);
    expect(c.expired).toEqual({ from: 1000, to: 1300 });
    expect(clampToBoundary(c, 1300)).toBe(false);
  });

  it('leaves a cursor inside the retention alone', () => {
    const c = cursor();
    expect(clampToBoundary(c, 1000)).toBe(false);
    expect(c.expired).toBeUndefined();
    expect(c.start).toBe(1000);
  });

  it('ends a cursor whose whole range expired', () => {
    const c = cursor();
    expect(clampToBoundary(c, 5000)).toBe(true);
    expect(c).toMatchObject({ start: 2000, done: true, expired: { from: 1000, to: 2000 } });
  });

  it("raises a split cursor's queryStart without expiring what it owns while the boundary is below its start", () => {
    const c = cursor({ queryStart: 500 });
    expect(clampToBoundary(c, 800)).toBe(true);
    expect(c).toMatchObject({ queryStart: 800, start: 1000 });
    expect(c.expired).toBeUndefined();
    expect(nextQuery(c).startTime).toBe(799);
  });
});
