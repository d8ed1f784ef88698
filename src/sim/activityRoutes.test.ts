import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, ENDPOINTS, retentionDaysOf, type EndpointId } from '../bitget/endpoints';
import type { CanonicalFill } from '../core/fill';
import type { CanonicalLedgerEntry } from '../core/ledgerEntry';
import { startSimulator, type Simulator } from './index';
import { getJson, manualClock, qs } from './testkit';

const T0 = 1_750_000_000_000;
const unlimited = Object.fromEntries(Object.keys(ENDPOINTS).map((id) => [id, 1e9])) as Record<
  EndpointId,
  number
>;
type AnyRow = Record<string, unknown>;

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function expectNewestFirst(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) < BigInt(ids[i - 1]!)).toBe(true);
}

describe('a classic account serves its fills, bills and tax records as the truth says', () => {
  const clock = manualClock(T0);
  let sim: Simulator;
  let fills: CanonicalFill[];
  let ledger: CanonicalLedgerEntry[];
  const signed = () => ({ credentials: sim.credentials, timestamp: clock.now() });
  const get = <T = unknown>(path: string, params: Record<string, string | number | undefined>) =>
    getJson<T>(sim.url, path, qs(params), signed());

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 3,
      orders: 2500,
      days: 800,
      now: clock.now,
      rateLimits: { perSecond: unlimited },
    });
    fills = await collect(sim.fillTruth());
    ledger = await collect(sim.ledgerTruth());
  });
  afterAll(() => sim.close());

  const retained = (days: number) => (t: { cTime: number }) => t.cTime >= T0 - days * DAY_MS;

  /** Walks an endpoint window by window (its span) and page by page (its cursor). */
  async function walk(
    path: string,
    id: EndpointId,
    params: Record<string, string>,
    rowsOf: (data: unknown) => AnyRow[],
    cursorOf: (data: unknown, rows: AnyRow[]) => string,
    cursorParam = 'idLessThan',
  ): Promise<AnyRow[]> {
    const span = ENDPOINTS[id].maxSpanDays! * DAY_MS;
    const start = T0 - retentionDaysOf(id) * DAY_MS;
    const served: AnyRow[] = [];
    for (let end = T0; end > start; end -= span + 1) {
      let cursor: string | undefined;
      for (;;) {
        const { body } = await get(path, {
          ...params,
          startTime: Math.max(start, end - span),
          endTime: end,
          [cursorParam]: cursor,
          limit: ENDPOINTS[id].maxLimit,
        });
        expect(body.code).toBe('00000');
        const rows = rowsOf(body.data);
        served.push(...rows);
        cursor = cursorOf(body.data, rows);
        if (!cursor || rows.length === 0) break;
      }
    }
    return served;
  }

  test('spot fills: every retained spot fill once, newest first, rows equal to the truth', async () => {
    const rows = await walk(
      '/api/v2/spot/trade/fills',
      'spotFills',
      {},
      (d) => d as AnyRow[],
      (_d, r) => (r.length ? String(r[r.length - 1]!['tradeId']) : ''),
    );
    const expected = fills.filter((f) => f.market === 'spot' && retained(90)(f));
    expect(expected.length).toBeGreaterThan(50);
    expectNewestFirst(rows.map((r) => String(r['tradeId'])));
    expect([...rows].reverse()).toEqual(expected.map((f) => f.raw));
  });

  test('futures fills per product type, in 7-day windows (data.fillList, data.endId)', async () => {
    const rows = await walk(
      '/api/v2/mix/order/fill-history',
      'futuresFills',
      { productType: 'USDT-FUTURES' },
      (d) => (d as { fillList: AnyRow[] }).fillList,
      (d) => (d as { endId: string }).endId,
    );
    const expected = fills.filter((f) => f.market === 'usdt-futures' && retained(90)(f));
    expect([...rows].reverse()).toEqual(expected.map((f) => f.raw));
  });

  test('futures bills and spot bills: every retained entry once', async () => {
    const futures = await walk(
      '/api/v2/mix/account/bill',
      'futuresBills',
      { productType: 'USDT-FUTURES' },
      (d) => (d as { bills: AnyRow[] }).bills,
      (d) => (d as { endId: string }).endId,
    );
    const bills = ledger.filter((e) => e.source === 'bills' && retained(90)(e));
    expect([...futures].reverse()).toEqual(
      bills.filter((e) => e.account === 'usdt-futures').map((e) => e.raw),
    );
    expect(futures.some((r) => r['businessType'] === 'contract_settle_fee')).toBe(true);
    const spot = await walk(
      '/api/v2/spot/account/bills',
      'spotBills',
      {},
      (d) => d as AnyRow[],
      (_d, r) => (r.length ? String(r[r.length - 1]!['billId']) : ''),
    );
    expect([...spot].reverse()).toEqual(bills.filter((e) => e.account === 'spot').map((e) => e.raw));
  });

  test('tax records reach two years back (730 days), 30 days a query, 500 rows a page', async () => {
    const spot = await walk(
      '/api/v2/tax/spot-record',
      'taxSpotRecords',
      {},
      (d) => d as AnyRow[],
      (_d, r) => (r.length ? String(r[r.length - 1]!['id']) : ''),
    );
    const tax = ledger.filter((e) => e.source === 'tax' && retained(730)(e));
    expect([...spot].reverse()).toEqual(tax.filter((e) => e.account === 'spot').map((e) => e.raw));
    const future = await walk(
      '/api/v2/tax/future-record',
      'taxFutureRecords',
      {},
      (d) => d as AnyRow[],
      (_d, r) => (r.length ? String(r[r.length - 1]!['id']) : ''),
    );
    expect([...future].reverse()).toEqual(tax.filter((e) => e.account !== 'spot').map((e) => e.raw));
    expect(Math.min(...spot.map((r) => Number(r['ts'])))).toBeLessThan(T0 - 600 * DAY_MS);
    // Older than the tax retention: generated (in the truth), never served.
    expect(ledger.some((e) => e.source === 'tax' && !retained(730)(e))).toBe(true);
    const { body } = await get('/api/v2/tax/spot-record', {
      startTime: T0 - 790 * DAY_MS,
      endTime: T0 - 761 * DAY_MS,
    });
    expect(body.data).toEqual([]);
  });

  test('margin and p2p tax records are served, empty', async () => {
    for (const path of ['/api/v2/tax/margin-record', '/api/v2/tax/p2p-record']) {
      const { body } = await get(path, { startTime: T0 - 10 * DAY_MS, endTime: T0 });
      expect(body).toMatchObject({ code: '00000', data: [] });
    }
  });

  test('refusals: spans, required parameters, the wrong account mode', async () => {
    const cases: Array<[string, Record<string, string | number>, string, string]> = [
      [
        '/api/v2/mix/order/fill-history',
        { productType: 'USDT-FUTURES', startTime: T0 - 8 * DAY_MS, endTime: T0 },
        '40705',
        'The start and end time cannot exceed 7 days',
      ],
      ['/api/v2/mix/order/fill-history', {}, '40019', 'Parameter productType cannot be empty'],
      [
        '/api/v2/mix/account/bill',
        { productType: 'USDT-FUTURES', startTime: T0 - 31 * DAY_MS, endTime: T0 },
        '40705',
        'The start and end time cannot exceed 30 days',
      ],
      [
        '/api/v2/mix/account/bill',
        { productType: 'USDT-FUTURES', startTime: T0 - 91 * DAY_MS, endTime: T0 - 89 * DAY_MS },
        '40704',
        'Can only check the data of the last three months',
      ],
      [
        '/api/v2/spot/trade/fills',
        { startTime: T0 - 91 * DAY_MS, endTime: T0 },
        '40705',
        'The start and end time cannot exceed 90 days',
      ],
      ['/api/v2/spot/trade/fills', { limit: 0 }, '40020', 'Parameter limit error'],
      ['/api/v2/tax/spot-record', { endTime: T0 }, '40019', 'Parameter startTime cannot be empty'],
      [
        '/api/v2/tax/future-record',
        { startTime: T0 - 31 * DAY_MS, endTime: T0 },
        '40705',
        'The start and end time cannot exceed 30 days',
      ],
      [
        '/api/v3/trade/fills',
        { category: 'SPOT' },
        '40084',
        'You are in Classic Account mode, and the Unified Account API is not supported at this time',
      ],
      [
        '/api/v3/tax/records',
        { bizType: 'SPOT' },
        '40084',
        'You are in Classic Account mode, and the Unified Account API is not supported at this time',
      ],
    ];
    for (const [path, params, code, msg] of cases) {
      const { status, body } = await get(path, params);
      expect([path, status, body.code, body.msg]).toEqual([path, 400, code, msg]);
    }
  });

  test('limit is clamped to the endpoint maximum; symbol and orderId filter spot fills', async () => {
    const { body } = await get<AnyRow[]>('/api/v2/spot/trade/fills', { limit: 1000 });
    expect(body.data.length).toBeLessThanOrEqual(100);
    const one = body.data[0]!;
    const { body: bySymbol } = await get<AnyRow[]>('/api/v2/spot/trade/fills', {
      symbol: String(one['symbol']).toLowerCase(),
    });
    expect(bySymbol.data.every((r) => r['symbol'] === one['symbol'])).toBe(true);
    const { body: byOrder } = await get<AnyRow[]>('/api/v2/spot/trade/fills', {
      orderId: String(one['orderId']),
    });
    expect(byOrder.data.map((r) => r['orderId'])).toEqual(byOrder.data.map(() => one['orderId']));
    expect(byOrder.data.length).toBeGreaterThan(0);
  });

  test('the clock: a fill is listed once its order has finished', async () => {
    const late = fills.filter((f) => f.market === 'spot' && f.cTime > T0 - 20 * DAY_MS);
    const f = late[Math.floor(late.length / 2)]!;
    clock.set(f.cTime - 1);
    try {
      const { body } = await get<AnyRow[]>('/api/v2/spot/trade/fills', { orderId: f.orderId });
      expect(body.data).toEqual([]);
    } finally {
      clock.set(T0);
    }
  });

  test('--truth FILE writes FILE.fills and FILE.ledger beside it, each line a canonical record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-truth-'));
    const file = join(dir, 'truth.jsonl');
    await sim.writeTruth(file);
    const lines = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
    expect(lines('truth.fills.jsonl')).toEqual(JSON.parse(JSON.stringify(fills)));
    expect(lines('truth.ledger.jsonl')).toEqual(JSON.parse(JSON.stringify(ledger)));
  });

  test('stats count the new endpoints like the others', () => {
    const stats = sim.stats();
    expect(stats.served.spotFills).toBeGreaterThan(0);
    expect(stats.served.taxSpotRecords).toBeGreaterThan(0);
    expect(stats.refused['futuresFills']?.param).toBeGreaterThan(0);
  });
});

describe('a unified account serves v3 fills, financial records and tax records', () => {
  const clock = manualClock(T0);
  let sim: Simulator;
  let fills: CanonicalFill[];
  let ledger: CanonicalLedgerEntry[];
  const signed = () => ({ credentials: sim.credentials, timestamp: clock.now() });
  const get = <T = unknown>(path: string, params: Record<string, string | number | undefined>) =>
    getJson<T>(sim.url, path, qs(params), signed());

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 4,
      orders: 1500,
      days: 400,
      mode: 'uta',
      now: clock.now,
      rateLimits: { perSecond: unlimited },
    });
    fills = await collect(sim.fillTruth());
    ledger = await collect(sim.ledgerTruth());
  });
  afterAll(() => sim.close());

  async function walkV3(path: string, id: EndpointId, params: Record<string, string>): Promise<AnyRow[]> {
    const span = ENDPOINTS[id].maxSpanDays! * DAY_MS;
    const start = T0 - retentionDaysOf(id) * DAY_MS;
    const served: AnyRow[] = [];
    for (let end = T0; end > start; end -= span + 1) {
      let cursor: string | undefined;
      do {
        const { body } = await get<{ list: AnyRow[]; cursor: string }>(path, {
          ...params,
          startTime: Math.max(start, end - span),
          endTime: end,
          cursor,
          limit: ENDPOINTS[id].maxLimit,
        });
        expect(body.code).toBe('00000');
        served.push(...body.data.list);
        cursor = body.data.cursor || undefined;
      } while (cursor);
    }
    return served;
  }

  test('fills per category', async () => {
    const rows = await walkV3('/api/v3/trade/fills', 'utaFills', { category: 'USDT-FUTURES' });
    const expected = fills.filter((f) => f.market === 'usdt-futures' && f.cTime >= T0 - 90 * DAY_MS);
    expect(expected.length).toBeGreaterThan(10);
    expect([...rows].reverse()).toEqual(expected.map((f) => f.raw));
  });

  test('financial records (category OTHER holds deposits and withdrawals) and tax records 366 days back', async () => {
    const records = await walkV3('/api/v3/account/financial-records', 'utaFinancialRecords', {
      category: 'SPOT',
    });
    const bills = ledger.filter((e) => e.source === 'bills' && e.cTime >= T0 - 90 * DAY_MS);
    expect([...records].reverse()).toEqual(
      bills.filter((e) => e.raw['category'] === 'SPOT').map((e) => e.raw),
    );
    const tax = await walkV3('/api/v3/tax/records', 'utaTaxRecords', { bizType: 'OTHER' });
    const taxTruth = ledger.filter(
      (e) => e.source === 'tax' && e.cTime >= T0 - 366 * DAY_MS && ['deposit', 'withdrawal'].includes(e.type),
    );
    expect([...tax].reverse()).toEqual(taxTruth.map((e) => e.raw));
  });

  test('refusals: category and bizType required, 7-day tax span, v2 endpoints', async () => {
    const cases: Array<[string, Record<string, string | number>, string]> = [
      ['/api/v3/trade/fills', {}, '40019'],
      ['/api/v3/account/financial-records', { category: 'NOPE' }, '40020'],
      ['/api/v3/tax/records', {}, '40019'],
      ['/api/v3/tax/records', { bizType: 'SPOT', startTime: T0 - 8 * DAY_MS, endTime: T0 }, '40705'],
      ['/api/v2/spot/trade/fills', {}, '40085'],
      ['/api/v2/tax/spot-record', { startTime: T0 - DAY_MS, endTime: T0 }, '40085'],
    ];
    for (const [path, params, code] of cases) {
      const { body } = await get(path, params);
      expect([path, body.code]).toEqual([path, code]);
    }
  });
});
