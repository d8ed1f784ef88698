import type { RunSummary } from '../extraction/runSummary';
import { formatRunReport } from './report';

const summary = (over: Partial<RunSummary>): RunSummary =>
  ({
    runId: 'r',
    complete: true,
    order: 'asc',
    mode: 'classic',
    requested: null,
    served: { since: Date.UTC(2026, 8, 1), until: Date.UTC(2026, 11, 1) },
    notes: ['Bitget serves order history for the last 90 days only'],
    missing: [],
    failure: null,
    orders: 0,
    duplicatesDropped: 0,
    parts: 0,
    firstOrderTime: null,
    lastOrderTime: null,
    byMarket: {},
    byKind: {},
    bySymbol: {},
    requests: 7,
    retries: 1,
    http429: 0,
    errors: {},
    lanes: [
      {
        laneId: 'spot-history',
        endpoint: 'spotHistoryOrders',
        done: true,
        orders: 0,
        requests: 7,
        cursors: 1,
        invocations: 1,
        busyMs: 10,
        skippedSymbols: ['GONEUSDT'],
      },
    ],
    timing: {},
    download: null,
    generatedAt: 0,
    ...over,
  }) as RunSummary;

const output = {
  bucket: 'b',
  runId: 'r',
  ordersJsonlKey: 'a',
  ordersJsonKey: 'b',
  summaryKey: 'c',
  complete: true,
};

describe('the run report (extract and demo)', () => {
  it('says "nothing to fetch" with the range served, names the symbols the exchange lacks, and the files', () => {
    const lines = formatRunReport({
      summary: summary({}),
      output: { ...output, orders: 0 },
      elapsedMs: 2000,
      unknownSymbols: ['FOOUSDT'],
      files: ['/x/orders.jsonl'],
    });
    expect(lines).toEqual([
      'Extraction: 0 orders in 2.0 s through the local state machine',
      '   7 requests (3.5/s), 1 retries, 0 HTTP 429, 0 duplicates dropped',
      '   nothing to fetch: the exchange holds no order between 2026-09-01T00:00:00.000Z and 2026-12-01T00:00:00.000Z for what was asked',
      '   lanes:     spot-history 0/7 req',
      '   not on the exchange: FOOUSDT, GONEUSDT (nothing fetched for them)',
      '   note: Bitget serves order history for the last 90 days only',
      '   files:     /x/orders.jsonl',
    ]);
  });

  it('counts by market and kind when orders were found', () => {
    const lines = formatRunReport({
      summary: summary({ byMarket: { spot: 3 }, byKind: { normal: 3 }, lanes: [] }),
      output: { ...output, orders: 3 },
      elapsedMs: 1000,
    });
    expect(lines).toContain('   by market: spot 3');
    expect(lines).toContain('   by kind:   normal 3');
    expect(lines.join('\n')).not.toContain('nothing to fetch');
  });
});
