import { computeDatasetBuckets, fillBuckets, ledgerBuckets } from '../../bench/lib/datasetLimit';
import type { DatasetLimitRequest, LimitFill, LimitLedgerEntry } from '../../bench/lib/datasetLimit';
import { combineBuckets } from '../../bench/lib/limit';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const RECENT = { since: NOW - 90 * DAY, until: NOW };
const TAX = { since: NOW - 115 * DAY, until: NOW - 90 * DAY };

const REQUEST: DatasetLimitRequest = {
  mode: 'classic',
  datasets: ['orders', 'fills', 'ledger'],
  recent: RECENT,
  tax: TAX,
};

function fills(n: number, base: Omit<LimitFill, 'cTime'>, at: number): LimitFill[] {
  return Array.from({ length: n }, (_, i) => ({ ...base, cTime: at + i }));
}

function entries(n: number, base: Omit<LimitLedgerEntry, 'cTime'>, at: number): LimitLedgerEntry[] {
  return Array.from({ length: n }, (_, i) => ({ ...base, cTime: at + i }));
}

const byEndpoint = <T extends { endpoint: string }>(buckets: T[]) =>
  Object.fromEntries(buckets.map((b) => [b.endpoint, b]));

describe('the physical limit of the fills and the ledger', () => {
  it('fills: spot fills over one 90-day window, futures fills over 7-day windows per product type', async () => {
    const truth = [
      ...fills(250, { market: 'spot', symbol: 'BTCUSDT' }, RECENT.since + DAY), // 3 pages + the empty page that ends them
      ...fills(101, { market: 'usdt-futures', symbol: 'BTCUSDT' }, RECENT.since + DAY), // window 0: 2 pages + 1
      ...fills(5, { market: 'usdt-futures', symbol: 'BTCUSDT' }, RECENT.since + 8 * DAY), // window 1: 1 page + 1
      ...fills(7, { market: 'spot', symbol: 'BTCUSDT' }, TAX.since + DAY), // before the range: not asked
    ];
    const by = byEndpoint(await fillBuckets(truth, REQUEST));
    expect(by['spotFills']).toMatchObject({
      dataset: 'fills',
      streams: 1,
      windows: 1,
      records: 250,
      minRequests: 4,
      pages: 3,
    });
    // 90 days in 7-day windows: 13 per product type; USDT-M 3 + 2 + 11 empty, USDC-M and COIN-M 13 empty each
    expect(by['futuresFills']).toMatchObject({
      streams: 3,
      windows: 39,
      records: 106,
      minRequests: 16 + 13 + 13,
    });
    expect(by['futuresFills']!.boundMs).toBeCloseTo((42 / 10) * 1000);
  });

  it('named symbols: a fill stream per symbol, in the markets the symbol has fills in', async () => {
    const truth = [
      ...fills(150, { market: 'spot', symbol: 'BTCUSDT' }, RECENT.since + DAY),
      ...fills(150, { market: 'spot', symbol: 'ETHUSDT' }, RECENT.since + DAY),
      ...fills(1, { market: 'coin-futures', symbol: 'BTCUSD' }, RECENT.since + DAY),
    ];
    const by = byEndpoint(await fillBuckets(truth, { ...REQUEST, symbols: ['btcusdt'] }));
    expect(Object.keys(by)).toEqual(['spotFills']);
    expect(by['spotFills']).toMatchObject({ streams: 1, records: 150, minRequests: 3 });
  });

  it('ledger: bills over the recent range (500 a spot page, 30-day futures windows), tax records before it', async () => {
    const truth = [
      ...entries(501, { source: 'bills', account: 'spot' }, RECENT.since + DAY), // 2 pages of 500 + the end page
      ...entries(100, { source: 'bills', account: 'usdc-futures' }, RECENT.since + 31 * DAY), // window 1: 1 + 1
      ...entries(1501, { source: 'tax', account: 'spot' }, TAX.since + DAY), // 4 pages of 500 + 1
      ...entries(3, { source: 'tax', account: 'coin-futures' }, TAX.since + DAY),
      ...entries(9, { source: 'tax', account: 'spot' }, RECENT.since + DAY), // tax records of the recent range: bills serve it
      ...entries(4, { source: 'bills', account: 'spot' }, TAX.since + DAY), // bills older than the range
    ];
    const by = byEndpoint(await ledgerBuckets(truth, REQUEST));
    expect(by['spotBills']).toMatchObject({
      dataset: 'ledger',
      streams: 1,
      windows: 1,
      records: 501,
      minRequests: 3,
    });
    // 90 days in 30-day windows: 3 per product type, each asked once at least
    expect(by['futuresBills']).toMatchObject({ streams: 3, windows: 9, records: 100, minRequests: 10 });
    expect(by['taxSpotRecords']).toMatchObject({ streams: 1, windows: 1, records: 1501, minRequests: 5 });
    // COIN-M's 3 records: a page and the end page; the other two streams one empty page each
    expect(by['taxFutureRecords']).toMatchObject({ streams: 3, records: 3, minRequests: 4 });
    // empty on the account, each stream asked once: isolated and crossed margin, P2P
    expect(by['taxMarginRecords']).toMatchObject({ streams: 2, records: 0, minRequests: 2 });
    expect(by['taxP2pRecords']).toMatchObject({ streams: 1, records: 0, minRequests: 1 });
    // 1 request a second on the tax records: 5 s for the spot records, the slowest bucket
    const bound = combineBuckets(Object.values(by));
    expect(bound.bottleneck).toBe('taxSpotRecords');
    expect(bound.boundMs).toBeCloseTo(5000);
    expect(bound.minRequests).toBe(3 + 10 + 5 + 4 + 2 + 1);
  });

  it('no tax records are counted when the run asks none, and no data set that is not asked', async () => {
    const truth = entries(10, { source: 'tax', account: 'spot' }, TAX.since + DAY);
    const buckets = await computeDatasetBuckets(
      {
        fills: async function* () {},
        ledger: async function* () {
          yield* truth;
        },
      },
      { ...REQUEST, datasets: ['orders', 'ledger'], tax: null },
    );
    expect(buckets.map((b) => b.endpoint)).toEqual(['futuresBills', 'spotBills']);
  });

  it('says plainly that unified accounts are not counted', async () => {
    await expect(fillBuckets([], { ...REQUEST, mode: 'uta' })).rejects.toThrow(/classic accounts only/);
  });
});
