/**
 * Every fills, ledger and tax endpoint's rows against the wire shapes: the recorded spot fill field for field
 * (shared/reference/recorded/spot-fills.json, copied below), the others against the field lists of
 * reference/bitget-api.md and the bitget-api SDK's typed responses (SpotAccountBillV2, FuturesOrderFillV2,
 * FuturesAccountBillV2, FillV3, FinancialRecordV3, TaxRecordV3, SpotTransactionRecordV2,
 * FuturesTransactionRecordV2). Every value a string, except fee details' structure.
 */
import { DAY_MS, ENDPOINTS, type EndpointId } from '../bitget/endpoints';
import { startSimulator, type Simulator } from './index';
import { getJson, manualClock, qs } from './testkit';

/** shared/reference/recorded/spot-fills.json: a real response. */
const RECORDED_SPOT_FILLS = {
  code: '00000',
  msg: 'success',
  requestTime: '1702571585940',
  data: [
    {
      userId: '3704614084',
      symbol: 'LTCUSDT',
      orderId: '1109431644367261698',
      tradeId: '1109431644504666114',
      orderType: 'market',
      side: 'buy',
      priceAvg: '69.265',
      size: '0.0794',
      amount: '5.499641',
      feeDetail: { deduction: 'no', feeCoin: 'LTC', totalDeductionFee: '', totalFee: '-0.0000794' },
      tradeScope: 'taker',
      cTime: '1700235036970',
      uTime: '1700235037003',
    },
  ],
};

type Shape = Record<string, string>;
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const shapeOf = (row: Record<string, unknown>): Shape =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeOf(v)]));
const allStrings = (keys: string[], except: Record<string, string> = {}): Shape =>
  Object.fromEntries(keys.map((k) => [k, except[k] ?? 'string']));

const T0 = 1_750_000_000_000;
const unlimited = Object.fromEntries(Object.keys(ENDPOINTS).map((id) => [id, 1e9])) as Record<
  EndpointId,
  number
>;
type AnyRow = Record<string, unknown>;

describe('classic rows have the wire shapes', () => {
  const clock = manualClock(T0);
  let sim: Simulator;
  const get = (path: string, params: Record<string, string | number>) =>
    getJson<unknown>(sim.url, path, qs({ startTime: T0 - 6 * DAY_MS, endTime: T0, ...params }), {
      credentials: sim.credentials,
      timestamp: clock.now(),
    });
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 8,
      orders: 3000,
      now: clock.now,
      rateLimits: { perSecond: unlimited },
    });
  });
  afterAll(() => sim.close());

  test('spot fills: the recorded sample field for field, feeDetail an object; envelope as recorded', async () => {
    const { body } = await get('/api/v2/spot/trade/fills', {});
    expect(Object.keys(body)).toEqual(Object.keys(RECORDED_SPOT_FILLS));
    expect(typeof body.requestTime).toBe('string');
    const rows = body.data as AnyRow[];
    expect(rows.length).toBeGreaterThan(0);
    const sample = RECORDED_SPOT_FILLS.data[0]!;
    for (const row of rows) {
      expect(shapeOf(row)).toEqual(shapeOf(sample));
      expect(Object.keys(row)).toEqual(Object.keys(sample));
      expect(shapeOf(row['feeDetail'] as AnyRow)).toEqual(shapeOf(sample.feeDetail));
      expect(row['tradeScope']).toMatch(/^(taker|maker)$/);
      expect(row['size']).toMatch(/^\d+(\.\d+)?$/);
      expect((row['feeDetail'] as AnyRow)['totalFee']).toMatch(/^(0|-\d+(\.\d+)?)$/);
    }
  });

  test('futures fills: data.fillList + data.endId, FuturesOrderFillV2 fields', async () => {
    const { body } = await get('/api/v2/mix/order/fill-history', { productType: 'USDT-FUTURES' });
    const data = body.data as { fillList: AnyRow[]; endId: string };
    expect(Object.keys(data)).toEqual(['fillList', 'endId']);
    expect(data.fillList.length).toBeGreaterThan(0);
    const keys = [
      'tradeId',
      'symbol',
      'orderId',
      'price',
      'baseVolume',
      'feeDetail',
      'side',
      'quoteVolume',
      'profit',
      'enterPointSource',
      'tradeSide',
      'posMode',
      'tradeScope',
      'cTime',
    ];
    for (const row of data.fillList) {
      expect(shapeOf(row)).toEqual(allStrings(keys, { feeDetail: 'array' }));
      for (const d of row['feeDetail'] as AnyRow[])
        expect(shapeOf(d)).toEqual(allStrings(['deduction', 'feeCoin', 'totalDeductionFee', 'totalFee']));
    }
    expect(data.endId).toBe(data.fillList[data.fillList.length - 1]!['tradeId']);
  });

  test('spot bills (SpotAccountBillV2) and futures bills (data.bills + data.endId, FuturesAccountBillV2)', async () => {
    const spot = (await get('/api/v2/spot/account/bills', {})).body.data as AnyRow[];
    expect(spot.length).toBeGreaterThan(0);
    const spotKeys = ['cTime', 'coin', 'groupType', 'businessType', 'size', 'balance', 'fees', 'billId'];
    for (const row of spot) expect(shapeOf(row)).toEqual(allStrings(spotKeys));
    const futures = (await get('/api/v2/mix/account/bill', { productType: 'USDT-FUTURES' })).body.data as {
      bills: AnyRow[];
      endId: string;
    };
    expect(Object.keys(futures)).toEqual(['bills', 'endId']);
    const futuresKeys = [
      'billId',
      'symbol',
      'amount',
      'fee',
      'feeByCoupon',
      'businessType',
      'coin',
      'balance',
      'cTime',
    ];
    for (const row of futures.bills) expect(shapeOf(row)).toEqual(allStrings(futuresKeys));
  });

  test('tax records: spot-record (SpotTransactionRecordV2, bizOrderId on newer rows) and future-record', async () => {
    const spot = (await get('/api/v2/tax/spot-record', {})).body.data as AnyRow[];
    expect(spot.length).toBeGreaterThan(0);
    const base = ['id', 'coin', 'spotTaxType', 'amount', 'fee', 'balance', 'ts'];
    for (const row of spot)
      expect(shapeOf(row)).toEqual(allStrings('bizOrderId' in row ? [...base, 'bizOrderId'] : base));
    const future = (await get('/api/v2/tax/future-record', {})).body.data as AnyRow[];
    expect(future.length).toBeGreaterThan(0);
    for (const row of future)
      expect(shapeOf(row)).toEqual(
        allStrings(['id', 'symbol', 'marginCoin', 'futureTaxType', 'amount', 'fee', 'ts']),
      );
  });
});

describe('unified rows have the wire shapes', () => {
  const clock = manualClock(T0);
  let sim: Simulator;
  const get = (path: string, params: Record<string, string | number>) =>
    getJson<{ list: AnyRow[]; cursor: string }>(
      sim.url,
      path,
      qs({ startTime: T0 - 6 * DAY_MS, endTime: T0, ...params }),
      { credentials: sim.credentials, timestamp: clock.now() },
    );
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 8,
      orders: 3000,
      mode: 'uta',
      now: clock.now,
      rateLimits: { perSecond: unlimited },
    });
  });
  afterAll(() => sim.close());

  test('fills (FillV3): data.list + data.cursor, fees positive, execPnl and tradeSide on futures', async () => {
    for (const category of ['SPOT', 'USDT-FUTURES']) {
      const { body } = await get('/api/v3/trade/fills', { category });
      expect(Object.keys(body.data)).toEqual(['list', 'cursor']);
      expect(body.data.list.length).toBeGreaterThan(0);
      const keys = [
        'execId',
        'orderId',
        'category',
        'symbol',
        'orderType',
        'side',
        'execPrice',
        'execQty',
        'execValue',
        'tradeScope',
        'feeDetail',
        ...(category === 'SPOT' ? [] : ['execPnl', 'tradeSide']),
        'createdTime',
        'updatedTime',
      ];
      for (const row of body.data.list) {
        expect(shapeOf(row)).toEqual(allStrings(keys, { feeDetail: 'array' }));
        expect(row['category']).toBe(category);
        for (const d of row['feeDetail'] as AnyRow[]) {
          expect(shapeOf(d)).toEqual(allStrings(['feeCoin', 'fee']));
          expect(d['fee']).toMatch(/^\d+(\.\d+)?$/);
        }
      }
    }
  });

  test('financial records (FinancialRecordV3) and tax records (TaxRecordV3)', async () => {
    const records = (await get('/api/v3/account/financial-records', { category: 'USDT-FUTURES' })).body.data;
    expect(records.list.length).toBeGreaterThan(0);
    const recordKeys = ['category', 'id', 'symbol', 'coin', 'type', 'amount', 'fee', 'balance', 'ts'];
    for (const row of records.list) expect(shapeOf(row)).toEqual(allStrings(recordKeys));
    const tax = (await get('/api/v3/tax/records', { bizType: 'SPOT' })).body.data;
    expect(tax.list.length).toBeGreaterThan(0);
    for (const row of tax.list)
      expect(shapeOf(row)).toEqual(allStrings(['id', 'coin', 'type', 'amount', 'fee', 'balance', 'ts']));
  });
});
