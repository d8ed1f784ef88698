import {
  api,
  defineFixture,
  envelope,
  fixtureBody,
  lastRequestTo,
  loadFixture,
  serveTime,
  testClient,
  useNock,
} from '../../tests/fixtures/bitget/helpers';
import type { DatasetPage, DatasetPageQuery } from './datasetPages';
import { DATASET_STREAMS, fetchDatasetPage, recordId, recordTime } from './datasetPages';
import type { DatasetSource } from './datasetSources';
import { datasetSourceSchema } from './datasetSources';
import { ENDPOINTS } from './endpoints';
import { normaliseFill } from './normaliseFill';
import { normaliseLedgerEntry } from './normaliseLedger';
import { BitgetFatalError, BitgetResponseError } from './errors';
import { SpanTooWideError } from './spanError';

useNock();

/** The window every fixture was recorded for (tests/fixtures/bitget/datasets/*.json). */
/** The billIds of a ledger page (a fills page fails the test). */
function billIds(page: DatasetPage): string[] {
  if (page.dataset !== 'ledger') throw new Error(`expected a ledger page, got ${page.dataset}`);
  return page.records.map((r) => r.billId);
}

const WINDOW = { startTime: 1700000000000, endTime: 1700600000000 };

interface Case {
  fixture: string;
  source: DatasetSource;
  /** The next cursor the page must hand on. */
  next: string;
  /** Facts of the first record that prove which fields it was read from. */
  first: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    fixture: 'spot-fills.json',
    source: { endpoint: 'spotFills', symbol: 'LTCUSDT' },
    next: '1109431644504666114',
    first: { tradeId: '1109431644504666114', price: '69.265', fee: '0.0000794', feeCoin: 'LTC' },
  },
  {
    fixture: 'futures-fills.json',
    source: { endpoint: 'futuresFills', productType: 'USDT-FUTURES' },
    next: '1111222233334444',
    first: { market: 'usdt-futures', side: 'sell', size: '0.01', fee: '0.222003', profit: '12.5' },
  },
  {
    fixture: 'uta-fills.json',
    source: { endpoint: 'utaFills', category: 'USDT-FUTURES' },
    next: '1322222222222222222',
    first: { tradeId: '1322222222222222222', side: 'sell', fee: '0.21001', profit: '-3.25', role: 'maker' },
  },
  {
    fixture: 'spot-bills.json',
    source: { endpoint: 'spotBills' },
    next: '1291',
    first: { billId: '1291', account: 'spot', amount: '1', fee: null, type: 'transfer', source: 'bills' },
  },
  {
    fixture: 'futures-bills.json',
    source: { endpoint: 'futuresBills', productType: 'USDT-FUTURES' },
    next: '1',
    first: { account: 'usdt-futures', amount: '-0.004992', type: 'funding', symbol: 'BTCUSDT' },
  },
  {
    fixture: 'uta-financial-records.json',
    source: { endpoint: 'utaFinancialRecords', category: 'MARGIN' },
    next: '122222222222222222',
    first: { account: 'uta', fee: '0.00000531', type: 'trade', businessType: 'ORDER_DEALT_IN' },
  },
  {
    fixture: 'tax-spot-records.json',
    source: { endpoint: 'taxSpotRecords' },
    next: '1050266154437103616',
    first: { source: 'tax', type: 'interest', orderId: '1333333333333333333', balance: '468575833.33333306' },
  },
  {
    fixture: 'tax-future-records.json',
    source: { endpoint: 'taxFutureRecords', productType: 'USDT-FUTURES' },
    next: '1024179365593391107',
    first: { account: 'usdt-futures', coin: 'USDT', fee: '0.02134863', type: 'trade', symbol: 'TRXUSDT' },
  },
  {
    fixture: 'tax-margin-records.json',
    source: { endpoint: 'taxMarginRecords', marginType: 'crossed' },
    next: '1',
    first: { account: 'margin', type: 'transfer', balance: '13333', symbol: 'BTCUSDT' },
  },
  {
    fixture: 'tax-p2p-records.json',
    source: { endpoint: 'taxP2pRecords' },
    next: '1752117',
    first: { account: 'p2p', amount: '10', type: 'trade', businessType: 'buy' },
  },
  {
    fixture: 'uta-tax-records.json',
    source: { endpoint: 'utaTaxRecords', bizType: 'SPOT' },
    next: '1375573238088888368',
    first: { account: 'uta', source: 'tax', type: 'trade', amount: '-1.9998656' },
  },
];

describe('fetchDatasetPage: one page per endpoint, answered by its nock fixture', () => {
  beforeEach(() => serveTime(Date.now()));

  it.each(CASES)('$fixture: query, rows, next cursor', async ({ fixture, source, next, first }) => {
    const { client } = testClient();
    defineFixture(`datasets/${fixture}`);
    const page = await fetchDatasetPage(client, { source, ...WINDOW, next: null });
    expect(datasetSourceSchema.parse(source)).toEqual(source);
    const body = fixtureBody(`datasets/${fixture}`);
    const data = body.data as Record<string, unknown>[] | Record<string, Record<string, unknown>[]>;
    const rows = Array.isArray(data) ? data : (data['fillList'] ?? data['bills'] ?? data['list'])!;
    expect(page.rows).toBe(rows.length);
    expect(page.records).toHaveLength(rows.length);
    expect(page.duplicates).toBe(0);
    expect(page.next).toBe(next);
    expect(page.records[0]).toMatchObject(first);
    // Every field of the row, unknown ones too, is kept in raw.
    expect(page.records[0]!.raw).toStrictEqual(rows[0]);
  });

  it('sends the cursor under each endpoint family’s name and never more than its page size', async () => {
    const { client } = testClient();
    api().get('/api/v2/tax/spot-record').query(true).reply(200, envelope([]));
    api()
      .get('/api/v3/tax/records')
      .query(true)
      .reply(200, envelope({ list: [], cursor: '' }));
    await fetchDatasetPage(client, {
      source: { endpoint: 'taxSpotRecords' },
      ...WINDOW,
      next: '77',
      limit: 900,
    });
    await fetchDatasetPage(client, {
      source: { endpoint: 'utaTaxRecords', bizType: 'OTHER', coin: 'BGB' },
      ...WINDOW,
      next: 'abc',
      limit: 50,
    });
    expect(lastRequestTo('/api/v2/tax/spot-record').url).toBe(
      `/api/v2/tax/spot-record?endTime=${WINDOW.endTime}&idLessThan=77&limit=500&startTime=${WINDOW.startTime}`,
    );
    expect(lastRequestTo('/api/v3/tax/records').url).toBe(
      `/api/v3/tax/records?bizType=OTHER&coin=BGB&cursor=abc&endTime=${WINDOW.endTime}&limit=50&startTime=${WINDOW.startTime}`,
    );
  });

  it('reads the unified tax records in the data.list + data.cursor shape too', async () => {
    const { client } = testClient();
    const rows = fixtureBody('datasets/uta-tax-records.json').data as unknown[];
    api()
      .get('/api/v3/tax/records')
      .query(true)
      .reply(200, envelope({ list: rows, cursor: 'next-token' }));
    const page = await fetchDatasetPage(client, {
      source: { endpoint: 'utaTaxRecords', bizType: 'SPOT' },
      ...WINDOW,
      next: null,
    });
    expect(page.next).toBe('next-token');
    expect(billIds(page)).toEqual(['1375573238088888369', '1375573238088888368']);
  });

  it('an empty page ends the stream (next null)', async () => {
    const { client } = testClient();
    api()
      .get('/api/v2/mix/order/fill-history')
      .query(true)
      .reply(200, envelope({ fillList: [], endId: '5' }));
    const page = await fetchDatasetPage(client, {
      source: { endpoint: 'futuresFills', productType: 'COIN-FUTURES' },
      ...WINDOW,
      next: '6',
    });
    expect(page).toMatchObject({ dataset: 'fills', records: [], rows: 0, next: null });
  });

  it('the exchange refusing the window is a SpanTooWideError whose halves cover it', async () => {
    const { client } = testClient();
    api().get('/api/v2/tax/future-record').query(true).reply(400, {
      code: '40705',
      msg: 'The start and end time cannot exceed 30 days',
      requestTime: 1,
      data: null,
    });
    const q: DatasetPageQuery = {
      source: { endpoint: 'taxFutureRecords', productType: 'USDC-FUTURES' },
      startTime: 0,
      endTime: 366 * 86_400_000,
      next: null,
    };
    const error = await fetchDatasetPage(client, q).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpanTooWideError);
    const span = error as SpanTooWideError;
    expect(span).toMatchObject({ endpoint: 'taxFutureRecords', exchangeCode: '40705', startTime: 0 });
    const [older, newer] = span.halves();
    expect(older.startTime).toBe(q.startTime);
    expect(older.endTime).toBe(newer.startTime);
    expect(newer.endTime).toBe(q.endTime);
  });

  it('recognises the span refusal by its wording under another code', async () => {
    const { client } = testClient();
    api().get('/api/v3/tax/records').query(true).reply(200, {
      code: '40017',
      msg: 'The time range between startTime and endTime must not exceed 7 days',
      requestTime: 1,
      data: null,
    });
    await expect(
      fetchDatasetPage(client, {
        source: { endpoint: 'utaTaxRecords', bizType: 'SPOT' },
        ...WINDOW,
        next: null,
      }),
    ).rejects.toBeInstanceOf(SpanTooWideError);
  });

  it('other parameter errors stay what they are', async () => {
    const { client } = testClient();
    api()
      .get('/api/v2/spot/account/bills')
      .query(true)
      .reply(400, { code: '40019', msg: 'Parameter coin cannot be empty', requestTime: 1, data: null });
    await expect(
      fetchDatasetPage(client, { source: { endpoint: 'spotBills', coin: 'X' }, ...WINDOW, next: null }),
    ).rejects.toBeInstanceOf(BitgetFatalError);
  });

  it('a row without its id is refused, naming the endpoint and the field', async () => {
    const { client } = testClient();
    const row = { ...(fixtureBody('datasets/tax-spot-records.json').data as Record<string, unknown>[])[0]! };
    delete row['id'];
    api()
      .get('/api/v2/tax/spot-record')
      .query(true)
      .reply(200, envelope([row]));
    const error = await fetchDatasetPage(client, {
      source: { endpoint: 'taxSpotRecords' },
      ...WINDOW,
      next: null,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BitgetResponseError);
    expect(error).toMatchObject({ endpoint: 'taxSpotRecords', field: 'data[0].id' });
  });

  it.each([
    ['the row array', (rows: unknown[]) => rows, 'data[0].id'],
    ['data.list', (rows: unknown[]) => ({ list: rows, cursor: 'c' }), 'data.list[0].id'],
  ])('a unified tax row without its id is refused in %s, naming the field', async (_shape, wrap, field) => {
    const { client } = testClient();
    const row = {
      coin: 'USDT',
      type: 'TRANSFER_IN',
      amount: '1',
      fee: '0',
      balance: '1',
      ts: '1700000000001',
    };
    api()
      .get('/api/v3/tax/records')
      .query(true)
      .reply(200, envelope(wrap([row])));
    await expect(
      fetchDatasetPage(client, {
        source: { endpoint: 'utaTaxRecords', bizType: 'SPOT' },
        ...WINDOW,
        next: null,
      }),
    ).rejects.toMatchObject({ name: 'BitgetResponseError', endpoint: 'utaTaxRecords', field });
  });

  it('a wrongly-typed amount is refused, naming the endpoint and the field', async () => {
    const { client } = testClient();
    const bill = { billId: '9', coin: 'USDT', businessType: 'buy', size: 12.5, cTime: '1700000000001' };
    api()
      .get('/api/v2/spot/account/bills')
      .query(true)
      .reply(200, envelope([bill]));
    await expect(
      fetchDatasetPage(client, { source: { endpoint: 'spotBills' }, ...WINDOW, next: null }),
    ).rejects.toMatchObject({ name: 'BitgetResponseError', endpoint: 'spotBills', field: 'data[0].size' });
  });

  it('more than a page of rows at one ts: rows handed out twice are counted and kept once', async () => {
    const { client } = testClient();
    const at = '1700300000000';
    const row = (id: string) => ({
      id,
      coin: 'USDT',
      spotTaxType: 'Buy',
      amount: '1',
      fee: '0',
      balance: '1',
      ts: at,
    });
    api()
      .get('/api/v2/tax/spot-record')
      .query(true)
      .reply(200, envelope([row('30'), row('29'), row('28')]));
    // The exchange miscounts at one timestamp and hands 29 and 28 out again on the next page.
    api()
      .get('/api/v2/tax/spot-record')
      .query(true)
      .reply(200, envelope([row('29'), row('28'), row('27')]));
    const seen = new Set<string>();
    const q = { source: { endpoint: 'taxSpotRecords' } as const, ...WINDOW };
    const first = await fetchDatasetPage(client, { ...q, next: null }, { seen });
    const second = await fetchDatasetPage(client, { ...q, next: first.next }, { seen });
    expect(billIds(first)).toEqual(['30', '29', '28']);
    expect(billIds(second)).toEqual(['27']);
    expect(second).toMatchObject({ rows: 3, duplicates: 2, next: '27' });
  });
});

describe('the data-set nock fixtures', () => {
  it.each(CASES.map((c) => c.fixture))('%s is in nock recorded format, aimed at its endpoint', (name) => {
    const definitions = loadFixture(`datasets/${name}`);
    const c = CASES.find((x) => x.fixture === name)!;
    expect(definitions).toHaveLength(1);
    for (const d of definitions) {
      expect(d).toMatchObject({ scope: 'https://api.bitget.com:443', method: 'GET', status: 200 });
      expect(String(d.path).split('?')[0]).toBe(ENDPOINTS[c.source.endpoint].path);
      expect(d.response).toMatchObject({ code: '00000', msg: expect.any(String) });
    }
  });
});

describe('the data-set streams', () => {
  it('has one fixture per data-set endpoint', () => {
    expect(CASES.map((c) => c.source.endpoint).sort()).toEqual(Object.keys(DATASET_STREAMS).sort());
  });

  it('throttles each endpoint in its own bucket: the client knows every data-set endpoint’s rate', () => {
    const { client } = testClient();
    for (const endpoint of Object.keys(DATASET_STREAMS) as (keyof typeof DATASET_STREAMS)[]) {
      expect(ENDPOINTS[endpoint].maxLimit).toBeGreaterThan(0);
      expect(client.rateLimit(endpoint)).toBeGreaterThan(0);
    }
  });
});

describe('recordId and recordTime', () => {
  it('read a fill by its tradeId and a ledger entry by its billId', () => {
    const row = (fixtureBody('datasets/spot-fills.json').data as unknown[])[0];
    const fill = normaliseFill({ endpoint: 'spotFills' }, row);
    expect([recordId(fill), recordTime(fill)]).toEqual(['1109431644504666114', 1700235036970]);
    const bill = (fixtureBody('datasets/spot-bills.json').data as unknown[])[0];
    const entry = normaliseLedgerEntry({ endpoint: 'spotBills' }, bill);
    expect([recordId(entry), recordTime(entry)]).toEqual(['1291', 1700100000000]);
  });
});
