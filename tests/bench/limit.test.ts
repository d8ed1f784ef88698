import { computeLimit } from '../../bench/lib/limit';
import type { LimitTruthRecord } from '../../bench/lib/limit';

const DAY = 86_400_000;
const SINCE = 1_700_000_000_000;
const UNTIL = SINCE + 90 * DAY;

function orders(n: number, base: Omit<LimitTruthRecord, 'orderId' | 'cTime'>, at = SINCE + DAY) {
  return Array.from({ length: n }, (_, i): LimitTruthRecord => ({
    ...base,
    orderId: String(1e6 + i),
    cTime: at + i,
  }));
}

describe('the physical limit of an extraction', () => {
  it('classic: ceil(n/100) per stream and window and the empty page that ends it (spot plan: its last page says so), one request for every empty stream, spot plan per symbol', async () => {
    const truth = [
      ...orders(250, { market: 'spot', kind: 'normal', symbol: 'BTCUSDT' }), // 3 pages + the empty end page
      ...orders(100, { market: 'spot', kind: 'tpsl', symbol: 'BTCUSDT' }), // 1 page + 1
      ...orders(1, { market: 'spot', kind: 'plan', symbol: 'ETHUSDT' }), // 1 (nextFlag: false on it)
      ...orders(101, { market: 'spot', kind: 'plan', symbol: 'BTCUSDT' }), // 2
      ...orders(1001, { market: 'usdt-futures', kind: 'normal', symbol: 'BTCUSDT' }), // 11 + 1
      ...orders(5, { market: 'usdt-futures', kind: 'plan', symbol: 'BTCUSDT', planType: 'track_plan' }), // 1 + 1
    ];
    const limit = await computeLimit(truth, { mode: 'classic', since: SINCE, until: UNTIL });
    const by = Object.fromEntries(limit.buckets.map((b) => [b.endpoint, b]));
    expect(by['spotHistoryOrders']).toMatchObject({
      minRequests: 6,
      pages: 4,
      streams: 2,
      windows: 2,
      records: 350,
    });
    expect(by['spotPlanHistory']).toMatchObject({ minRequests: 3, pages: 3, streams: 2 });
    // usdt 12 + usdc 1 (empty) + coin 1 (empty)
    expect(by['futuresHistoryOrders']).toMatchObject({ minRequests: 14, pages: 13, streams: 3 });
    // 3 markets × 3 plan types, all empty but one (5 orders: a page and the empty one): 10 requests
    expect(by['futuresPlanHistory']).toMatchObject({ minRequests: 10, pages: 9, streams: 9 });
    expect(limit.minRequests).toBe(6 + 3 + 14 + 10);
    expect(limit.orders).toBe(truth.length);
    // futures history: 14 requests at 10/s = 1.4 s, larger than everything else
    expect(limit.bottleneck).toBe('futuresHistoryOrders');
    expect(limit.boundMs).toBeCloseTo(1400);
    expect(limit.ipBoundMs).toBeCloseTo((33 / 6000) * 60_000);
  });

  it('uta: 30-day windows, each asked at least once, MARGIN included', async () => {
    const truth = [
      ...orders(150, { market: 'spot', kind: 'normal', symbol: 'BTCUSDT' }, SINCE + DAY), // window 0: 2
      ...orders(50, { market: 'spot', kind: 'normal', symbol: 'BTCUSDT' }, SINCE + 61 * DAY), // window 2: 1
    ];
    const limit = await computeLimit(truth, {
      mode: 'uta',
      since: SINCE,
      until: UNTIL,
      markets: ['spot'],
      kinds: ['normal'],
    });
    // SPOT: windows 2 + 1 (empty) + 1 (v3: the last page has no cursor, no end page); MARGIN: 3 empty windows
    expect(limit.buckets).toEqual([
      expect.objectContaining({ endpoint: 'utaHistoryOrders', windows: 6, minRequests: 7, records: 200 }),
    ]);
    expect(limit.boundMs).toBeCloseTo(350);
  });

  it('named symbols: only the named symbols, in the markets they trade in', async () => {
    const truth = [
      ...orders(300, { market: 'spot', kind: 'normal', symbol: 'BTCUSDT' }),
      ...orders(300, { market: 'spot', kind: 'normal', symbol: 'ETHUSDT' }),
      ...orders(10, { market: 'usdt-futures', kind: 'normal', symbol: 'BTCUSDT' }),
    ];
    const limit = await computeLimit(truth, {
      mode: 'classic',
      since: SINCE,
      until: UNTIL,
      symbols: ['btcusdt'],
    });
    const by = Object.fromEntries(limit.buckets.map((b) => [b.endpoint, b.minRequests]));
    // spot normal 3 + 1 end page + spot tpsl 1; spot plan 1; usdt normal 1 + 1; usdt plan types 3
    expect(by).toEqual({
      spotHistoryOrders: 5,
      spotPlanHistory: 1,
      futuresHistoryOrders: 2,
      futuresPlanHistory: 3,
    });
  });

  it('named symbols: a stream asked without a symbol when that is cheaper (spot plan always per symbol)', async () => {
    const truth = [
      ...orders(300, { market: 'spot', kind: 'normal', symbol: 'BTCUSDT' }),
      ...orders(300, { market: 'spot', kind: 'normal', symbol: 'ETHUSDT' }),
      ...orders(5000, { market: 'spot', kind: 'normal', symbol: 'XRPUSDT' }),
      ...orders(10, { market: 'spot', kind: 'plan', symbol: 'XRPUSDT' }),
      ...orders(10, { market: 'usdt-futures', kind: 'normal', symbol: 'BTCUSDT' }),
      ...orders(10, { market: 'usdt-futures', kind: 'normal', symbol: 'ETHUSDT' }),
      ...orders(50, { market: 'usdt-futures', kind: 'normal', symbol: 'XRPUSDT' }),
    ];
    const limit = await computeLimit(truth, {
      mode: 'classic',
      since: SINCE,
      until: UNTIL,
      symbols: ['BTCUSDT', 'ETHUSDT'],
    });
    const by = Object.fromEntries(limit.buckets.map((b) => [b.endpoint, b]));
    // spot normal per symbol 4 + 4 (without a symbol: 57); spot tpsl, empty: 1 without a symbol instead of 2
    expect(by['spotHistoryOrders']).toMatchObject({ minRequests: 9, streams: 3, records: 600 });
    // spot plan needs a symbol: one empty request per named symbol
    expect(by['spotPlanHistory']).toMatchObject({ minRequests: 2, streams: 2, records: 0 });
    // usdt normal: 70 rows, 1 page and the end page without a symbol (2 + 2 per symbol), keeping the named symbols' 20
    expect(by['futuresHistoryOrders']).toMatchObject({ minRequests: 2, streams: 1, records: 20 });
    // usdt plan types, empty: 1 each without a symbol instead of 2
    expect(by['futuresPlanHistory']).toMatchObject({ minRequests: 3, streams: 3, records: 0 });
    expect(limit.orders).toBe(620);
  });

  it('the IP cap sets the bound when the buckets together ask more than 100 requests a second', async () => {
    const big = [
      ...orders(60_000, { market: 'spot', kind: 'normal', symbol: 'A' }),
      ...orders(60_000, { market: 'spot', kind: 'tpsl', symbol: 'A' }),
    ];
    const limit = await computeLimit(big, { mode: 'classic', since: SINCE, until: UNTIL });
    expect(limit.bottleneck).toBe('spotHistoryOrders');
    expect(limit.boundMs).toBeCloseTo((1202 / 20) * 1000);
    expect(limit.ipBoundMs).toBeLessThan(limit.boundMs);
  });
});
